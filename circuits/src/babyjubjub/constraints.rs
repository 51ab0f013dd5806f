//! BabyJubJub gadgets, twins of the native curve in [`super`].
//!
//! Points are `PointVar { x, y }` in circomlib's twisted Edwards
//! coordinates. Three kinds of arithmetic are used:
//!
//! - **Complete Edwards addition and doubling** ([`PointVar::add`],
//!   [`PointVar::double`]): `a` is a square and `d` a non-square in `F_p`, so
//!   the denominators `1 ± d·x₁x₂y₁y₂` never vanish for points on the curve.
//!   6 and 5 constraints (3 when one operand of an addition is constant).
//! - **Fixed-base multiplication** ([`mul_fixed_base_le`]): 3-bit windows over
//!   precomputed tables, a window lookup costing 3 constraints, joined by
//!   complete additions.
//! - **Variable-base multiplication** ([`mul_le`]): signed-digit
//!   double-and-add in the Montgomery model (6 constraints per bit), whose
//!   incomplete formulas are safe under the argument in `docs/circuit.md`
//!   ("Variable-base scalar multiplication"): reaching an exceptional case
//!   reveals the discrete logarithm of the base.

use super::{Config, Fq, Point, PointProjective, BASE8, COEFF_A, COEFF_D, MONT_A};
use crate::bits::constraints::{enforce_eq, enforce_mul, enforce_nonzero};
use crate::lc::Lc;
use ark_ec::{twisted_edwards::TECurveConfig, CurveGroup};
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_r1cs_std::{
    alloc::{AllocVar, AllocationMode},
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
    R1CSVar,
};
use ark_relations::r1cs::{ConstraintSystemRef, Namespace, SynthesisError};
use core::borrow::Borrow;
use std::sync::OnceLock;

/// `num / den` as a new witness `q` with the constraint `q · den = num`
/// (none when both are constant).
///
/// Callers guarantee `den ≠ 0` for every assignment that matters; where
/// `den = num = 0` the quotient is unconstrained, which `docs/circuit.md`
/// accounts for at each use.
fn quotient(num: &FpVar<Fq>, den: &FpVar<Fq>) -> Result<FpVar<Fq>, SynthesisError> {
    if let (FpVar::Constant(n), FpVar::Constant(d)) = (num, den) {
        let inv = d.inverse().ok_or(SynthesisError::DivisionByZero)?;
        return Ok(FpVar::Constant(*n * inv));
    }
    let cs = num.cs().or(den.cs());
    let q = FpVar::new_witness(cs, || {
        let d = den.value()?;
        Ok(num.value()? * d.inverse().unwrap_or(Fq::ZERO))
    })?;
    enforce_mul(&q, den, num)?;
    Ok(q)
}

/// A BabyJubJub point in the circuit, in circomlib's Edwards coordinates.
#[derive(Clone, Debug)]
pub struct PointVar {
    /// `x` coordinate.
    pub x: FpVar<Fq>,
    /// `y` coordinate.
    pub y: FpVar<Fq>,
}

impl PointVar {
    /// A constant point.
    pub fn constant(p: &Point) -> Self {
        Self {
            x: FpVar::Constant(p.x),
            y: FpVar::Constant(p.y),
        }
    }

    /// The identity `(0, 1)`.
    pub fn identity() -> Self {
        Self {
            x: FpVar::zero(),
            y: FpVar::one(),
        }
    }

    /// Wrap coordinates that are already constrained elsewhere (no check).
    pub fn from_coordinates_unchecked(x: FpVar<Fq>, y: FpVar<Fq>) -> Self {
        Self { x, y }
    }

    /// `a·x² + y² = 1 + d·x²·y²`. Cost: 3 constraints.
    pub fn enforce_on_curve(&self) -> Result<(), SynthesisError> {
        let xx = self.x.square()?;
        let yy = self.y.square()?;
        // (d·x²)·y² = a·x² + y² − 1
        enforce_mul(&(&xx * COEFF_D), &yy, &(&xx * COEFF_A + &yy - Fq::ONE))
    }

    /// `x ≠ 0`, which on the curve excludes exactly the identity `(0, 1)` and
    /// the point `(0, −1)` of order 2. Cost: 1 constraint.
    pub fn enforce_x_nonzero(&self) -> Result<(), SynthesisError> {
        enforce_nonzero(&self.x)
    }

    /// `−P = (−x, y)`. Free.
    pub fn negate(&self) -> Self {
        Self {
            x: self.x.negate().unwrap_or_else(|_| FpVar::zero() - &self.x),
            y: self.y.clone(),
        }
    }

    /// Complete twisted Edwards addition (arkworks' formula):
    /// `u = (−a·x₁ + y₁)(x₂ + y₂)`, `v₀ = x₁y₂`, `v₁ = x₂y₁`, `v₂ = d·v₀v₁`,
    /// `x₃ = (v₀ + v₁)/(1 + v₂)`, `y₃ = (u + a·v₀ − v₁)/(1 − v₂)`.
    /// Cost: 6 constraints, 3 if either operand is constant. Both operands
    /// must be on the curve (then the denominators are non-zero).
    pub fn add(&self, other: &Self) -> Result<Self, SynthesisError> {
        let u1 = &self.x * (-COEFF_A) + &self.y;
        let u2 = &other.x + &other.y;
        let u = &u1 * &u2;
        let v0 = &self.x * &other.y;
        let v1 = &other.x * &self.y;
        let v2 = &v0 * &v1 * COEFF_D;
        let x3 = quotient(&(&v0 + &v1), &(FpVar::one() + &v2))?;
        let y3 = quotient(&(u + &v0 * COEFF_A - &v1), &(FpVar::one() - &v2))?;
        Ok(Self { x: x3, y: y3 })
    }

    /// Complete doubling using the curve equation to simplify denominators:
    /// `x₃ = 2xy/(a·x² + y²)`, `y₃ = (y² − a·x²)/(2 − a·x² − y²)`.
    /// Cost: 5 constraints. The point must be on the curve.
    pub fn double(&self) -> Result<Self, SynthesisError> {
        let xx = self.x.square()?;
        let yy = self.y.square()?;
        let xy = &self.x * &self.y;
        let t = &xx * COEFF_A + &yy;
        let x3 = quotient(&xy.double()?, &t)?;
        let y3 = quotient(
            &(&yy - &xx * COEFF_A),
            &(FpVar::Constant(Fq::from(2u64)) - &t),
        )?;
        Ok(Self { x: x3, y: y3 })
    }

    /// `bit ? self : identity`. Cost: 2 constraints (free for a constant bit).
    pub fn select_or_identity(&self, bit: &Boolean<Fq>) -> Result<Self, SynthesisError> {
        let b = FpVar::from(bit.clone());
        Ok(Self {
            x: &b * &self.x,
            y: FpVar::one() + &b * (&self.y - Fq::ONE),
        })
    }

    /// Enforce coordinate-wise equality. Cost: 2 constraints.
    pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        enforce_eq(&self.x, &other.x)?;
        enforce_eq(&self.y, &other.y)
    }
}

impl R1CSVar<Fq> for PointVar {
    type Value = Point;

    fn cs(&self) -> ConstraintSystemRef<Fq> {
        self.x.cs().or(self.y.cs())
    }

    fn value(&self) -> Result<Point, SynthesisError> {
        Ok(Point::new_unchecked(self.x.value()?, self.y.value()?))
    }
}

impl AllocVar<Point, Fq> for PointVar {
    /// Constants are taken as they are; inputs and witnesses are allocated
    /// coordinate by coordinate and constrained to lie on the curve (3
    /// constraints). Subgroup membership is *not* enforced here.
    fn new_variable<T: Borrow<Point>>(
        cs: impl Into<Namespace<Fq>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let ns = cs.into();
        let cs = ns.cs();
        let value = f().map(|p| *p.borrow());
        if mode == AllocationMode::Constant {
            return Ok(Self::constant(&value?));
        }
        let x = FpVar::new_variable(cs.clone(), || value.map(|p| p.x), mode)?;
        let y = FpVar::new_variable(cs, || value.map(|p| p.y), mode)?;
        let p = Self { x, y };
        p.enforce_on_curve()?;
        Ok(p)
    }
}

/// A point in the Montgomery model `v² = u³ + A·u² + u` (`B = 1`).
///
/// The coordinates are [`Lc`]s: inside the ladder `u` and `v` are linear in
/// the witnesses (`u` of a sum is `λ² − A − u₁ − u₂`, and `v` accumulates
/// `λ·(u₁ − u₃) − v₁` over all steps), and building them once keeps
/// `finalize` from re-expanding the whole history at every step.
#[derive(Clone, Debug)]
struct MontVar {
    u: Lc<Fq>,
    v: Lc<Fq>,
}

/// `λ² − A − a − b`, the `u` of an incomplete addition with slope `λ`.
fn mont_u_of_sum(lambda: &FpVar<Fq>, a: &Lc<Fq>, b: &Lc<Fq>) -> Result<Lc<Fq>, SynthesisError> {
    let lambda_sq = Lc::from_fp(&lambda.square()?);
    Ok(Lc::weighted_sum(
        [(Fq::ONE, &lambda_sq), (-Fq::ONE, a), (-Fq::ONE, b)],
        -MONT_A,
    ))
}

impl MontVar {
    /// `u = (1 + y)/(1 − y)`, `v = u/x`. Cost: 2 constraints.
    /// Requires `x ≠ 0` (enforced by the caller), which on the curve also gives `y ≠ 1`.
    fn from_edwards(p: &PointVar) -> Result<Self, SynthesisError> {
        let u = quotient(&(FpVar::one() + &p.y), &(FpVar::one() - &p.y))?;
        let v = quotient(&u, &p.x)?;
        Ok(Self {
            u: Lc::from_fp(&u),
            v: Lc::from_fp(&v),
        })
    }

    /// `x = u/v`, `y = (u − 1)/(u + 1)`. Cost: 2 constraints. Requires `v ≠ 0`
    /// and `u ≠ −1`, true for every point of odd order except the identity.
    fn to_edwards(&self) -> Result<PointVar, SynthesisError> {
        let x = quotient(&self.u.to_fp()?, &self.v.to_fp()?)?;
        let y = quotient(
            &self.u.add_constant(-Fq::ONE).to_fp()?,
            &self.u.add_constant(Fq::ONE).to_fp()?,
        )?;
        Ok(PointVar { x, y })
    }

    /// Incomplete addition `self + other` for `u(self) ≠ u(other)`:
    /// `λ = (v₂ − v₁)/(u₂ − u₁)`, `u₃ = λ² − A − u₁ − u₂`, `v₃ = λ(u₁ − u₃) − v₁`.
    /// Cost: 3 constraints.
    fn add_incomplete(&self, other: &Self) -> Result<Self, SynthesisError> {
        let lambda = quotient(
            &other.v.sub(&self.v).to_fp()?,
            &other.u.sub(&self.u).to_fp()?,
        )?;
        let u3 = mont_u_of_sum(&lambda, &self.u, &other.u)?;
        let w = &lambda * &self.u.sub(&u3).to_fp()?;
        let v3 = Lc::from_fp(&w).sub(&self.v);
        Ok(Self { u: u3, v: v3 })
    }

    /// `2·self + q` as `(self + q) + self`, without computing `v` of the
    /// intermediate sum `r = self + q` (the double-and-add of the halo2 book):
    /// `λ₁ = (v_A − v_Q)/(u_A − u_Q)`, `u_R = λ₁² − A − u_A − u_Q`,
    /// `(λ₁ + λ₂)(u_A − u_R) = 2·v_A`, `u_S = λ₂² − A − u_R − u_A`,
    /// `v_S = λ₂(u_A − u_S) − v_A`. Cost: 5 constraints.
    fn double_and_add_incomplete(&self, q: &Self) -> Result<Self, SynthesisError> {
        let lambda1 = quotient(&self.v.sub(&q.v).to_fp()?, &self.u.sub(&q.u).to_fp()?)?;
        let u_r = mont_u_of_sum(&lambda1, &self.u, &q.u)?;
        let sum = quotient(
            &self.v.scale(Fq::from(2u64)).to_fp()?,
            &self.u.sub(&u_r).to_fp()?,
        )?;
        let lambda2 = Lc::from_fp(&sum).sub(&Lc::from_fp(&lambda1)).to_fp()?;
        let u_s = mont_u_of_sum(&lambda2, &u_r, &self.u)?;
        let w = &lambda2 * &self.u.sub(&u_s).to_fp()?;
        let v_s = Lc::from_fp(&w).sub(&self.v);
        Ok(Self { u: u_s, v: v_s })
    }
}

/// The bytes whose little-endian integer modulo `l` is the discrete log of
/// the offset point `G` to base `Base8`. Nothing up the sleeve: it is ASCII.
pub const OFFSET_SEED: &[u8; 32] = b"zkstatus v1 scalar-mul offset G.";

/// The offset point `G = [g]·Base8` that seeds the variable-base accumulator.
pub fn offset_point() -> Point {
    static G: OnceLock<Point> = OnceLock::new();
    *G.get_or_init(|| {
        let g = super::Fs::from_le_bytes_mod_order(OFFSET_SEED);
        (BASE8 * g).into_affine()
    })
}

/// `[k]·P` for a point `P` of the prime-order subgroup with `x(P) ≠ 0`
/// (both guaranteed by the caller), `k = Σ 2^i·bits[i]`, `bits.len() ≥ 2`.
///
/// Writing `k = 2k' + k₀`: signed digits `dᵢ = 2·bits[i] − 1 ∈ {±1}` for
/// `i ≥ 1` give `Σ_{i≥1} dᵢ·2^{i−1} = 2k' − 2^{n−1} + 1`, so starting from
/// `Acc = G + P` and applying `Acc ← 2·Acc + dᵢ·P` from the top bit down
/// yields `[2^{n−1}]G + [2k' + 1]P`. The constant `[2^{n−1}]G` is then
/// subtracted and `P` subtracted once more when `k₀ = 0`, both with complete
/// Edwards additions.
///
/// Cost: `6(n − 1) + 18` constraints: 2 (to Montgomery) + 3 (`G + P`) +
/// 6 per digit + 2 (to Edwards) + 3 (constant offset) + 2 (select) + 6 (add).
pub fn mul_le(p: &PointVar, bits: &[Boolean<Fq>]) -> Result<PointVar, SynthesisError> {
    let n = bits.len();
    let (k0, digits) = match bits.split_first() {
        Some((k0, rest)) if !rest.is_empty() => (k0, rest),
        _ => return Err(SynthesisError::Unsatisfiable),
    };
    let g = offset_point();
    let (gu, gv) = super::to_montgomery(&g).ok_or(SynthesisError::Unsatisfiable)?;
    let g_mont = MontVar {
        u: Lc::constant(gu),
        v: Lc::constant(gv),
    };

    let p_mont = MontVar::from_edwards(p)?;
    // Exceptional only if P = ±G, which reveals log_{Base8} P.
    let mut acc = g_mont.add_incomplete(&p_mont)?;
    for bit in digits.iter().rev() {
        // Q = dᵢ·P = (u_P, (2·bitᵢ − 1)·v_P): 1 constraint.
        let sign = FpVar::from(bit.clone()).double()? - Fq::ONE;
        let q = MontVar {
            u: p_mont.u.clone(),
            v: Lc::from_fp(&(&sign * &p_mont.v.to_fp()?)),
        };
        acc = acc.double_and_add_incomplete(&q)?;
    }
    let acc = acc.to_edwards()?;

    // Remove the offset: acc − [2^{n−1}]G.
    let offset = {
        let mut e = [0u64; 4];
        let shift = n - 1;
        // 2^{n−1} as little-endian limbs; n ≤ 255 for every caller.
        if shift >= 256 {
            return Err(SynthesisError::Unsatisfiable);
        }
        e[shift / 64] = 1u64 << (shift % 64);
        super::mul_bigint(&g, e)
    };
    let acc = acc.add(&PointVar::constant(&-offset))?;

    // k₀ = 0: subtract P once more.
    let correction = p.negate().select_or_identity(&!k0)?;
    acc.add(&correction)
}

/// Number of constraints of [`mul_le`] for `n` witness bits.
pub const fn mul_le_num_constraints(n: usize) -> usize {
    6 * (n - 1) + 18
}

/// `[k]·B` for a constant point `B`, `k = Σ 2^i·bits[i]`.
///
/// 3-bit windows: window `w` looks up `T_w[v] = [v·8^w]B`, `v ∈ 0..8`, with
/// `b₀b₁` (1 constraint) and `x = L₀ + b₂·(L₁ − L₀)` and the same for `y`
/// (1 constraint each), `L₀, L₁` linear in `(b₀, b₁, b₀b₁)` with constant
/// coefficients. The window points are summed with complete additions, so
/// the identity entries `T_w[0]` need no special case.
///
/// Cost: `3·⌈n/3⌉ + 6·(⌈n/3⌉ − 1)` constraints (fewer when the top window is short).
pub fn mul_fixed_base_le(base: &Point, bits: &[Boolean<Fq>]) -> Result<PointVar, SynthesisError> {
    let mut acc: Option<PointVar> = None;
    let mut window_base: PointProjective = (*base).into();
    for chunk in bits.chunks(3) {
        let b0 = chunk[0].clone();
        let b1 = chunk.get(1).cloned().unwrap_or(Boolean::FALSE);
        let b2 = chunk.get(2).cloned().unwrap_or(Boolean::FALSE);
        // T[v] = [v]·window_base, v = 0..8.
        let mut table = [PointProjective::default(); 8];
        for v in 1..8 {
            table[v] = table[v - 1] + window_base;
        }
        let table = PointProjective::normalize_batch(&table);
        let b01 = &b0 & &b1;
        let (f0, f1, f01) = (FpVar::from(b0), FpVar::from(b1), FpVar::from(b01));
        let lookup4 = |t: &[Fq]| -> FpVar<Fq> {
            // t[0] + b0(t1 − t0) + b1(t2 − t0) + b0b1(t3 − t2 − t1 + t0)
            FpVar::Constant(t[0])
                + &f0 * (t[1] - t[0])
                + &f1 * (t[2] - t[0])
                + &f01 * (t[3] - t[2] - t[1] + t[0])
        };
        let xs: Vec<Fq> = table.iter().map(|p| p.x).collect();
        let ys: Vec<Fq> = table.iter().map(|p| p.y).collect();
        let f2 = FpVar::from(b2);
        let (x_lo, x_hi) = (lookup4(&xs[..4]), lookup4(&xs[4..]));
        let (y_lo, y_hi) = (lookup4(&ys[..4]), lookup4(&ys[4..]));
        let x = &x_lo + &f2 * &(x_hi - &x_lo);
        let y = &y_lo + &f2 * &(y_hi - &y_lo);
        let point = PointVar { x, y };
        acc = Some(match acc {
            None => point,
            Some(a) => a.add(&point)?,
        });
        window_base = window_base.double().double().double();
    }
    Ok(acc.unwrap_or_else(PointVar::identity))
}

/// Number of constraints of [`mul_fixed_base_le`] for `n` witness bits
/// (`n` a multiple of 3, or with a top window of 2 bits: one constraint less).
pub const fn mul_fixed_base_le_num_constraints(n: usize) -> usize {
    let windows = n.div_ceil(3);
    let short = match n % 3 {
        1 => 3, // b0b1, x and y selections are all free for a lone bit
        2 => 2, // b0b1 only
        _ => 0,
    };
    3 * windows - short + 6 * (windows - 1)
}

/// The curve configuration's generator is [`BASE8`] (compile-time check).
const _: () = {
    let _ = <Config as TECurveConfig>::GENERATOR;
};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::babyjubjub::{mul_bigint, point_on_curve, Fs, GENERATOR};
    use ark_ff::{BigInteger, UniformRand};
    use ark_relations::r1cs::ConstraintSystem;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn rand_point(rng: &mut ChaCha20Rng) -> Point {
        (BASE8 * Fs::rand(rng)).into_affine()
    }

    fn alloc(cs: &ConstraintSystemRef<Fq>, p: Point, mode: AllocationMode) -> PointVar {
        PointVar::new_variable(cs.clone(), || Ok(p), mode).unwrap()
    }

    fn bits_of(cs: &ConstraintSystemRef<Fq>, k: &[bool]) -> Vec<Boolean<Fq>> {
        k.iter()
            .map(|b| Boolean::new_witness(cs.clone(), || Ok(*b)).unwrap())
            .collect()
    }

    const MODES: [AllocationMode; 3] = [
        AllocationMode::Constant,
        AllocationMode::Input,
        AllocationMode::Witness,
    ];

    #[test]
    fn add_and_double_match_native_in_every_allocation_mode() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let t2 = point_on_curve(Fq::ZERO, -Fq::ONE).unwrap();
        let specials = [Point::zero(), t2, GENERATOR, BASE8];
        let mut pairs: Vec<(Point, Point)> = specials
            .iter()
            .map(|s| (*s, rand_point(&mut rng)))
            .collect();
        pairs.extend((0..8).map(|_| (rand_point(&mut rng), rand_point(&mut rng))));
        for (p, q) in pairs {
            for (ma, mb) in MODES
                .iter()
                .flat_map(|a| MODES.iter().map(move |b| (*a, *b)))
            {
                let cs = ConstraintSystem::<Fq>::new_ref();
                let (pv, qv) = (alloc(&cs, p, ma), alloc(&cs, q, mb));
                assert_eq!(pv.add(&qv).unwrap().value().unwrap(), (p + q).into_affine());
                assert_eq!(pv.add(&pv).unwrap().value().unwrap(), (p + p).into_affine());
                assert_eq!(pv.double().unwrap().value().unwrap(), (p + p).into_affine());
                assert!(cs.is_satisfied().unwrap());
            }
        }
    }

    #[test]
    fn constant_off_curve_point_is_an_error_not_a_silent_pass() {
        // [33] r1cs-std accepts unequal constants in enforce_equal (V11).
        let p = PointVar::constant(&Point::new_unchecked(Fq::from(5u64), Fq::from(7u64)));
        assert!(p.enforce_on_curve().is_err());
        assert!(PointVar::constant(&BASE8).enforce_on_curve().is_ok());
        assert!(PointVar::constant(&BASE8)
            .enforce_equal(&PointVar::constant(&GENERATOR))
            .is_err());
    }

    #[test]
    fn addition_and_doubling_costs_are_pinned() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let cs = ConstraintSystem::<Fq>::new_ref();
        let p = alloc(&cs, rand_point(&mut rng), AllocationMode::Witness);
        let q = alloc(&cs, rand_point(&mut rng), AllocationMode::Witness);
        let base = cs.num_constraints();
        assert_eq!(base, 6, "two on-curve checks");
        p.add(&q).unwrap();
        assert_eq!(cs.num_constraints() - base, 6);
        let base = cs.num_constraints();
        p.double().unwrap();
        assert_eq!(cs.num_constraints() - base, 5);
        let base = cs.num_constraints();
        p.add(&PointVar::constant(&BASE8)).unwrap();
        assert_eq!(cs.num_constraints() - base, 3);
    }

    #[test]
    fn off_curve_point_is_unsatisfied() {
        let cs = ConstraintSystem::<Fq>::new_ref();
        let _ = alloc(
            &cs,
            Point::new_unchecked(Fq::from(5u64), Fq::from(7u64)),
            AllocationMode::Input,
        );
        assert!(!cs.is_satisfied().unwrap());
        // circomlib coordinates are on our curve; arkworks' a = 1 coordinates are not.
        let cs = ConstraintSystem::<Fq>::new_ref();
        let ark_base8 = Point::new_unchecked(
            ark_ed_on_bn254::EdwardsConfig::GENERATOR.x,
            ark_ed_on_bn254::EdwardsConfig::GENERATOR.y,
        );
        let _ = alloc(&cs, ark_base8, AllocationMode::Witness);
        assert!(!cs.is_satisfied().unwrap());
    }

    fn scalar_bits(k: &Fq, n: usize) -> Vec<bool> {
        let mut b = k.into_bigint().to_bits_le();
        b.truncate(n);
        b
    }

    #[test]
    fn variable_base_mul_matches_native_on_random_and_edge_scalars() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let n = 254;
        let mut scalars = vec![
            Fq::ZERO,
            Fq::ONE,
            Fq::from(2u64),
            Fq::from(3u64),
            -Fq::ONE,
            Fq::from(u64::MAX),
            Fq::from(2u64).pow([64u64]),
            Fq::from(2u64).pow([253u64]),
            Fq::from_le_bytes_mod_order(&Fs::MODULUS.to_bytes_le()), // l
        ];
        for _ in 0..6 {
            scalars.push(Fq::rand(&mut rng));
        }
        for (i, k) in scalars.iter().enumerate() {
            let p = rand_point(&mut rng);
            let mode = MODES[1 + i % 2];
            let cs = ConstraintSystem::<Fq>::new_ref();
            let pv = alloc(&cs, p, mode);
            let bits = bits_of(&cs, &scalar_bits(k, n));
            let before = cs.num_constraints();
            let r = mul_le(&pv, &bits).unwrap();
            assert_eq!(cs.num_constraints() - before, mul_le_num_constraints(n));
            assert_eq!(
                r.value().unwrap(),
                mul_bigint(&p, k.into_bigint()),
                "k = {k}"
            );
            assert!(cs.is_satisfied().unwrap(), "k = {k}");
        }
    }

    #[test]
    fn variable_base_mul_with_a_wrong_bit_gives_another_point() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let p = rand_point(&mut rng);
        let k = Fq::rand(&mut rng);
        let mut bits = scalar_bits(&k, 254);
        bits[100] = !bits[100];
        let cs = ConstraintSystem::<Fq>::new_ref();
        let pv = alloc(&cs, p, AllocationMode::Witness);
        let b = bits_of(&cs, &bits);
        let r = mul_le(&pv, &b).unwrap();
        assert_ne!(r.value().unwrap(), mul_bigint(&p, k.into_bigint()));
    }

    #[test]
    fn fixed_base_mul_matches_native_for_every_width() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        for n in [1usize, 2, 3, 4, 5, 6, 251, 252, 253] {
            for _ in 0..3 {
                let k = Fq::rand(&mut rng);
                let kb = scalar_bits(&k, n);
                let cs = ConstraintSystem::<Fq>::new_ref();
                let bits = bits_of(&cs, &kb);
                let before = cs.num_constraints();
                let r = mul_fixed_base_le(&BASE8, &bits).unwrap();
                let k_trunc = ark_ff::BigInteger256::from_bits_le(&kb);
                assert_eq!(r.value().unwrap(), mul_bigint(&BASE8, k_trunc), "n = {n}");
                assert!(cs.is_satisfied().unwrap());
                assert_eq!(
                    cs.num_constraints() - before,
                    mul_fixed_base_le_num_constraints(n),
                    "n = {n}"
                );
            }
        }
        // All-zero and all-one scalars.
        for v in [false, true] {
            let kb = vec![v; 251];
            let cs = ConstraintSystem::<Fq>::new_ref();
            let bits = bits_of(&cs, &kb);
            let r = mul_fixed_base_le(&BASE8, &bits).unwrap();
            let k = ark_ff::BigInteger256::from_bits_le(&kb);
            assert_eq!(r.value().unwrap(), mul_bigint(&BASE8, k));
            assert!(cs.is_satisfied().unwrap());
        }
    }

    #[test]
    fn offset_point_is_in_the_subgroup_and_not_a_small_multiple_of_base8() {
        let g = offset_point();
        assert!(g.is_in_correct_subgroup_assuming_on_curve());
        for k in 0u64..1024 {
            assert_ne!(mul_bigint(&BASE8, [k]), g);
        }
    }
}
