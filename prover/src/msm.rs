//! Variable-base multi-scalar multiplication (Pippenger) with **batch-affine
//! bucket accumulation**, for short-Weierstrass curves over arkworks 0.5
//! types (BN254 G1 and G2 here).
//!
//! **Why hand-written.** arkworks 0.5's `VariableBaseMSM::msm_bigint` adds
//! every point into a projective bucket (a mixed addition, about 7M + 4S
//! per point per window). The batch-affine technique (one Montgomery batch
//! inversion shared by many independent affine additions, about 6M per
//! addition) is what barretenberg and gnark use and what arkworks'
//! issue #380 asks for; the crate that brought it to arkworks, `ark-msm`
//! (0.3.0-alpha.1, 2023), targets arkworks 0.3 and BLS12-381, is marked
//! research-only and unaudited, and is not maintained; Parity's
//! `ark-models-ext` 0.5 carries arkworks' own Pippenger. Nothing maintained
//! offered it for arkworks 0.5's `Affine`/`Projective` and `BigInt`
//! scalars, in safe Rust (this crate forbids `unsafe`) that also builds
//! for wasm32. So it is written here, over arkworks' public field
//! arithmetic.
//!
//! **Algorithm.** Signed-digit windows of `c` bits (digits in
//! `(-2^(c-1), 2^(c-1)]`, so `2^(c-1)` buckets per window, a negative digit
//! adds the negated point). For each window: a counting sort puts each
//! point (negated if its digit is negative) into its bucket's range; then
//! every bucket is summed by a pairwise tree, one level at a time, each
//! level a batch of independent affine additions sharing one field
//! inversion; then the usual running sum (projective) weighs the buckets.
//! Windows run in parallel with rayon under the `parallel` feature, one
//! after another otherwise (wasm32).
//!
//! **Incomplete formulas.** The affine chord formula fails for `P + P` and
//! `P + (−P)`, and the identity has no affine coordinates: each pair is
//! classified before the batch inversion (`Pair`): identity on either
//! side (take the other), equal `x` and equal `y` (tangent: doubling),
//! equal `x` otherwise (the identity), distinct `x` (chord). Identity bases
//! are skipped outright. The result is a group element, so it is the same
//! affine point as arkworks' MSM gives (tested against it).
//!
//! Scalars are little-endian limbs (`PrimeField::BigInt`), any value: the
//! number of windows follows the largest scalar's bit length.
//!
//! **GLV in BN254 G1** ([`glv_g1`], what [`msm_bigint`] runs there through
//! [`MsmCurve`]): each scalar split into two of at most 127 bits by a
//! hand-written decomposition, then the same Pippenger over `2n` terms.
//! See the GLV section below.
//!
//! **GLS in BN254 G2** ([`gls_g2`], what [`msm_bigint`] runs there): the
//! untwist-Frobenius-twist map ψ ([`gls_psi`], two `Fq2` products on
//! conjugated coordinates) is multiplication by λ = 6x₀² on G2, and
//! λ ≈ 2^126.8 is about √r, so the plain quotient and remainder by λ
//! ([`gls_decompose`]) split each scalar into two below 2^127:
//! `k·P = k0·P + k1·ψ(P)`, the same Pippenger over `2n` terms. Scalars
//! below λ (the circuit's small values) keep one term and skip ψ. See the
//! GLS section below. On the proof's B-in-G2 MSM (7,565 points, 3,841
//! full-width scalars) it runs ~10% fewer instructions (callgrind) and
//! 2–5% less CPU time natively than [`pippenger`] (`docs/performance.md`):
//! like GLV, it saves only the per-window running sums.
//!
//! **Base-field products on wasm32** ([`MsmCurve::base_mul`] and
//! [`MsmCurve::base_square`]): the bucket additions, their batch inversions,
//! GLV's `β·x` and GLS's ψ multiply through the curve's hook. Natively it is
//! arkworks' product; on wasm32, BN254 G1 uses [`wasm_field`]'s
//! hand-written 29-bit-limb Montgomery multiplication and G2 Karatsuba
//! over it (arkworks' 64×64→128-bit products have no WebAssembly
//! instruction). Same elements, same representation: the MSM's result
//! does not change, only its speed (`docs/performance.md`).

pub mod wasm_field;

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, CurveConfig};
use ark_ff::{BigInteger, Field, PrimeField, Zero};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// The scalars' representation for curve `P`.
pub type ScalarBigInt<P> = <<P as CurveConfig>::ScalarField as PrimeField>::BigInt;

/// `Σ scalars[i]·bases[i]` over the shorter of the two slices (as
/// arkworks' `msm_bigint`), on the curve's fastest path ([`MsmCurve`]):
/// GLV then [`pippenger`] in BN254 G1, GLS then [`pippenger`] in G2.
pub fn msm_bigint<P: MsmCurve>(bases: &[Affine<P>], scalars: &[ScalarBigInt<P>]) -> Projective<P> {
    P::msm_fastest(bases, scalars)
}

/// A curve the prover runs MSMs on, with the path that is fastest for it.
pub trait MsmCurve: SWCurveConfig {
    /// `Σ scalars[i]·bases[i]` over the shorter of the two slices.
    fn msm_fastest(bases: &[Affine<Self>], scalars: &[ScalarBigInt<Self>]) -> Projective<Self>;

    /// `a·b` in the base field, as the bucket additions and their batch
    /// inversion compute it: arkworks' product unless a faster one exists
    /// for this curve on this target ([`wasm_field`] on wasm32).
    #[inline(always)]
    fn base_mul(a: &Self::BaseField, b: &Self::BaseField) -> Self::BaseField {
        *a * b
    }

    /// `a²` in the base field (see [`MsmCurve::base_mul`]).
    #[inline(always)]
    fn base_square(a: &Self::BaseField) -> Self::BaseField {
        a.square()
    }
}

/// BN254 G1: the GLV endomorphism halves the scalars ([`glv_g1`]); on
/// wasm32 the base field's products are [`wasm_field`]'s (in unit tests
/// too, natively, so that the MSM tests check them in the MSM).
impl MsmCurve for ark_bn254::g1::Config {
    fn msm_fastest(bases: &[Affine<Self>], scalars: &[ScalarBigInt<Self>]) -> Projective<Self> {
        glv_g1(bases, scalars)
    }

    #[cfg(any(target_arch = "wasm32", test))]
    #[inline(always)]
    fn base_mul(a: &ark_bn254::Fq, b: &ark_bn254::Fq) -> ark_bn254::Fq {
        wasm_field::mul(a, b)
    }

    #[cfg(any(target_arch = "wasm32", test))]
    #[inline(always)]
    fn base_square(a: &ark_bn254::Fq) -> ark_bn254::Fq {
        wasm_field::square(a)
    }
}

/// BN254 G2: the GLS endomorphism ψ halves the scalars ([`gls_g2`]); on
/// wasm32 the base field's (`Fq2`) products are Karatsuba over
/// [`wasm_field`]'s `Fq` product.
impl MsmCurve for ark_bn254::g2::Config {
    fn msm_fastest(bases: &[Affine<Self>], scalars: &[ScalarBigInt<Self>]) -> Projective<Self> {
        gls_g2(bases, scalars)
    }

    #[cfg(any(target_arch = "wasm32", test))]
    #[inline(always)]
    fn base_mul(a: &ark_bn254::Fq2, b: &ark_bn254::Fq2) -> ark_bn254::Fq2 {
        wasm_field::mul_fq2(a, b)
    }

    #[cfg(any(target_arch = "wasm32", test))]
    #[inline(always)]
    fn base_square(a: &ark_bn254::Fq2) -> ark_bn254::Fq2 {
        wasm_field::square_fq2(a)
    }
}

/// The batch-affine Pippenger on any short-Weierstrass curve, without an
/// endomorphism, with the window size chosen for the number of terms that
/// do work (nonzero scalar, base not the identity).
pub fn pippenger<P: MsmCurve>(bases: &[Affine<P>], scalars: &[ScalarBigInt<P>]) -> Projective<P> {
    let terms = bases
        .iter()
        .zip(scalars)
        .filter(|(b, s)| !b.infinity && !s.is_zero())
        .count();
    msm_bigint_window(bases, scalars, window_bits(terms))
}

/// The window size (bits) [`pippenger`] uses for `n` nonzero terms:
/// `round(log2 n) − 3`. Chosen by instruction counts (callgrind,
/// `benches/examples/msm_count.rs`, dense scalars: 9 bits best for 4,873
/// points in G1 and G2, 10 for 8,191) and by CPU time on the proof's own
/// queries (`msm_compare --window C`: 8 for A and B, whose 4,873 points
/// have ~2.2–2.6k nonzero terms). The batch-affine bucket additions are
/// cheap, so the windows are smaller than arkworks' `ln(n) + 2`.
pub fn window_bits(n: usize) -> usize {
    // n·√2 (181/128 ≈ 1.414), then floor(log2): round(log2 n).
    let scaled = n.saturating_mul(181) / 128;
    let log2 = (usize::BITS - 1).saturating_sub(scaled.leading_zeros()) as usize;
    log2.saturating_sub(3).clamp(2, 16)
}

/// [`pippenger`] with the window size `c` given (clamped to `2..=16`);
/// public for tuning and benches.
pub fn msm_bigint_window<P: MsmCurve>(
    bases: &[Affine<P>],
    scalars: &[ScalarBigInt<P>],
    c: usize,
) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    let (bases, scalars) = (&bases[..n], &scalars[..n]);
    let c = c.clamp(2, 16);
    let num_bits = scalars.iter().map(|s| s.num_bits()).max().unwrap_or(0) as usize;
    if num_bits == 0 {
        return Projective::zero();
    }
    // One bit more than the scalars: the top window then absorbs the last
    // carry of the signed digits (its raw value is below 2^(c-1)).
    let windows = (num_bits + 1).div_ceil(c);
    let mut digits = vec![0i32; n * windows];
    ark_std::cfg_chunks_mut!(digits, windows)
        .zip(ark_std::cfg_iter!(scalars))
        .for_each(|(row, s)| signed_digits(s.as_ref(), c, row));
    let sums: Vec<Projective<P>> = ark_std::cfg_into_iter!(0..windows)
        .map(|w| window_sum(bases, &digits, windows, w, c))
        .collect();
    let mut total = Projective::<P>::zero();
    for sum in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += sum;
    }
    total
}

/// `c` bits of `limbs` from bit `pos` (zero past the end).
fn bits(limbs: &[u64], pos: usize, c: usize) -> u64 {
    let (limb, off) = (pos / 64, pos % 64);
    let lo = limbs.get(limb).map_or(0, |l| l >> off);
    let hi = if off + c > 64 {
        limbs.get(limb + 1).map_or(0, |l| l << (64 - off))
    } else {
        0
    };
    (lo | hi) & ((1u64 << c) - 1)
}

/// The signed base-`2^c` digits of a scalar, in `(-2^(c-1), 2^(c-1)]`,
/// lowest first, into `out` (one per window).
fn signed_digits(limbs: &[u64], c: usize, out: &mut [i32]) {
    let half = 1i64 << (c - 1);
    let mut carry = 0i64;
    for (w, d) in out.iter_mut().enumerate() {
        let mut v = bits(limbs, w * c, c) as i64 + carry;
        carry = 0;
        if v > half {
            v -= half << 1;
            carry = 1;
        }
        *d = v as i32;
    }
}

/// One window's weighted bucket sum `Σ_b b·bucket_b`.
fn window_sum<P: MsmCurve>(
    bases: &[Affine<P>],
    digits: &[i32],
    stride: usize,
    w: usize,
    c: usize,
) -> Projective<P> {
    let buckets = 1usize << (c - 1);
    let digit = |i: usize| digits.get(i * stride + w).copied().unwrap_or(0);
    // Bucket b (1..=buckets) holds the points with digit ±b.
    let mut lens = vec![0usize; buckets + 1];
    for (i, base) in bases.iter().enumerate() {
        let d = digit(i);
        if d != 0 && !base.infinity {
            if let Some(l) = lens.get_mut(d.unsigned_abs() as usize) {
                *l += 1;
            }
        }
    }
    let mut starts = vec![0usize; buckets + 1];
    let mut acc = 0;
    for (s, l) in starts.iter_mut().zip(&lens) {
        *s = acc;
        acc += l;
    }
    let mut points = vec![Affine::<P>::identity(); acc];
    let mut next = starts.clone();
    for (i, base) in bases.iter().enumerate() {
        let d = digit(i);
        if d == 0 || base.infinity {
            continue;
        }
        if let Some(at) = next.get_mut(d.unsigned_abs() as usize) {
            if let Some(slot) = points.get_mut(*at) {
                *slot = if d < 0 { -*base } else { *base };
            }
            *at += 1;
        }
    }
    reduce_buckets(&mut points, &starts, &mut lens);
    let mut running = Projective::<P>::zero();
    let mut sum = Projective::<P>::zero();
    for (s, l) in starts.iter().zip(&lens).skip(1).rev() {
        if *l > 0 {
            if let Some(p) = points.get(*s) {
                running += p;
            }
        }
        sum += &running;
    }
    sum
}

/// How one affine pair is added (decided before the batch inversion).
#[derive(Clone, Copy)]
enum Pair {
    /// Distinct `x`: the chord; needs `1/(x2 − x1)`.
    Chord,
    /// `P + P`: the tangent; needs `1/(2y)`.
    Tangent,
    /// The first is the identity: the second.
    Second,
    /// The second is the identity: the first.
    First,
    /// `P + (−P)`: the identity.
    Identity,
}

fn classify<P: SWCurveConfig>(a: &Affine<P>, b: &Affine<P>) -> (Pair, Option<P::BaseField>) {
    if a.infinity {
        (Pair::Second, None)
    } else if b.infinity {
        (Pair::First, None)
    } else if a.x != b.x {
        (Pair::Chord, Some(b.x - a.x))
    } else if a.y == b.y && !a.y.is_zero() {
        (Pair::Tangent, Some(a.y.double()))
    } else {
        (Pair::Identity, None)
    }
}

/// `a + b` given the pair's kind and its denominator's inverse.
fn add_with<P: MsmCurve>(a: &Affine<P>, b: &Affine<P>, kind: Pair, inv: P::BaseField) -> Affine<P> {
    let lambda = match kind {
        Pair::Chord => P::base_mul(&(b.y - a.y), &inv),
        Pair::Tangent => {
            let xx = P::base_square(&a.x);
            P::base_mul(&(xx.double() + xx + P::COEFF_A), &inv)
        }
        Pair::Second => return *b,
        Pair::First => return *a,
        Pair::Identity => return Affine::identity(),
    };
    let x = P::base_square(&lambda) - a.x - b.x;
    let y = P::base_mul(&lambda, &(a.x - x)) - a.y;
    Affine::new_unchecked(x, y)
}

/// Sum every bucket's range of `points` into its first slot, pairwise, one
/// level at a time; each level's chord and tangent denominators share one
/// inversion. `lens` ends as 1 (or 0 for an empty bucket).
fn reduce_buckets<P: MsmCurve>(points: &mut [Affine<P>], starts: &[usize], lens: &mut [usize]) {
    let mut kinds: Vec<Pair> = Vec::new();
    let mut denominators: Vec<P::BaseField> = Vec::new();
    let mut scratch: Vec<P::BaseField> = Vec::new();
    loop {
        kinds.clear();
        denominators.clear();
        for (s, l) in starts.iter().zip(lens.iter()) {
            let Some(range) = points.get(*s..*s + *l) else {
                continue;
            };
            for pair in range.chunks_exact(2) {
                if let [a, b] = pair {
                    let (kind, d) = classify(a, b);
                    kinds.push(kind);
                    denominators.extend(d);
                }
            }
        }
        if kinds.is_empty() {
            return;
        }
        batch_invert(&mut denominators, &mut scratch, P::base_mul);
        let mut kind = kinds.iter();
        let mut inverse = denominators.iter();
        for (s, l) in starts.iter().zip(lens.iter_mut()) {
            let half = *l / 2;
            for i in 0..half {
                let (Some(&k), Some(a), Some(b)) = (
                    kind.next(),
                    points.get(s + 2 * i).copied(),
                    points.get(s + 2 * i + 1).copied(),
                ) else {
                    continue;
                };
                let inv = match k {
                    Pair::Chord | Pair::Tangent => inverse.next().copied().unwrap_or_default(),
                    _ => P::BaseField::zero(),
                };
                // Slot s+i is read by no later pair (they read s+2i+2 on).
                if let Some(slot) = points.get_mut(s + i) {
                    *slot = add_with(&a, &b, k, inv);
                }
            }
            if *l % 2 == 1 {
                points.swap(s + half, s + *l - 1);
            }
            *l -= half;
        }
    }
}

/// Invert every element of `v` in place with one inversion (Montgomery's
/// trick), products by `mul`. The elements are nonzero by construction
/// ([`classify`]).
fn batch_invert<F: Field>(v: &mut [F], scratch: &mut Vec<F>, mul: impl Fn(&F, &F) -> F) {
    scratch.clear();
    let mut acc = F::one();
    for x in v.iter() {
        scratch.push(acc);
        acc = mul(&acc, x);
    }
    let Some(mut inv) = acc.inverse() else {
        return;
    };
    for (x, before) in v.iter_mut().zip(scratch.iter()).rev() {
        let t = mul(&inv, before);
        inv = mul(&inv, x);
        *x = t;
    }
}

// ---------------------------------------------------------------------
// GLV in BN254 G1.
//
// φ(x, y) = (β·x, y), with β a cube root of unity in Fq, is the map
// P ↦ λ·P for λ a cube root of unity mod r (arkworks' `GLVConfig` pair
// `ENDO_COEFFS[0]`, `LAMBDA` for `ark_bn254::g1::Config`). Each scalar
// k < r is split as k ≡ k1 + k2·λ (mod r) with |k1|, |k2| < 2^127, so
// `k·P = k1·P + k2·φ(P)`: 2n points with 127-bit scalars instead of n with
// 254-bit ones (half the windows; φ costs one multiplication per point).
//
// **Written by hand** because nothing maintained exposes a fast
// decomposition for arkworks 0.5 types: arkworks' own
// `GLVConfig::scalar_decomposition` goes through `num-bigint` (heap
// integers, divisions) for every scalar, which costs about as much as the
// windows it saves at these sizes.
//
// **The decomposition** is Babai rounding on a reduced basis of the lattice
// {(a, b) : a + b·λ ≡ 0 mod r}, done the way gnark-crypto does it
// (`ecc/utils.go`, `PrecomputeLattice` / `SplitScalar`): the divisions by
// the determinant (= r) are replaced by products with constants
// precomputed as round(2^256·v/r) and a shift. The basis is arkworks'
// (`ark_bn254::g1::Config::SCALAR_DECOMP_COEFFS`), written here with signs
// folded in: v1 = (a1, −b1), v2 = (b1, a2), a2 = a1 + b1, a1·a2 + b1² = r,
// a1 − b1·λ ≡ b1 + a2·λ ≡ 0 (mod r) (all checked by tests). Then
//   c1 = round(k·a2/r) = round(k·G1/2^256),  c2 = round(k·b1/r) = round(k·G2/2^256),
//   k1 = k − c1·a1 − c2·b1,                   k2 = c1·b1 − c2·a2.
// Bounds: |G/2^256 − a2/r| ≤ 2^-257 and k < 2^254, so each c is within
// 1/2 + 1/8 of the exact k·a2/r (resp. k·b1/r); since a1·a2 + b1² = r the
// exact values would give k1 = k2 = 0, hence |k1| ≤ 5/8·(a1 + b1) and
// |k2| ≤ 5/8·(a2 + b1), both < 0.63·2^127. k1 and k2 are therefore exact
// in i128, and computed mod 2^128 with wrapping arithmetic.
// ---------------------------------------------------------------------

/// a1 (127 bits).
const GLV_A1: u128 = 0x6f4d8248eeb859fc8211bbeb7d4f1128;
/// b1 (64 bits).
const GLV_B1: u128 = 0x89d3256894d213e3;
/// a2 = a1 + b1 (127 bits).
const GLV_A2: u128 = 0x6f4d8248eeb859fd0be4e1541221250b;
/// G1 = round(2^256·a2/r) (130 bits), little-endian limbs.
const GLV_G1: [u64; 3] = [0x5398fd0300ff6565, 0x4ccef014a773d2d2, 0x2];
/// G2 = round(2^256·b1/r) (66 bits), little-endian limbs.
const GLV_G2: [u64; 3] = [0xd91d232ec7e0b3d7, 0x2, 0];

/// `round(k·g / 2^256)` for `k < 2^254` and `g < 2^130`: bits 256 and up
/// of `k·g + 2^255` (below 2^128 for these operands).
fn mul_round_256(k: &[u64; 4], g: &[u64; 3]) -> u128 {
    mul_shift_256(k, g, true)
}

/// `⌊(k·g + round·2^255) / 2^256⌋` for `k < 2^254` and `g < 2^130`
/// (below 2^128): [`mul_round_256`] with `round`, the floor without.
fn mul_shift_256(k: &[u64; 4], g: &[u64; 3], round: bool) -> u128 {
    let mut t = [0u64; 7];
    for (i, &ki) in k.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &gj) in g.iter().enumerate() {
            let v = u128::from(ki) * u128::from(gj) + u128::from(t[i + j]) + carry;
            t[i + j] = v as u64;
            carry = v >> 64;
        }
        t[i + 3] = carry as u64;
    }
    let (_, half_carry) = t[3].overflowing_add(if round { 1 << 63 } else { 0 });
    (u128::from(t[4]) | (u128::from(t[5]) << 64)) + u128::from(half_carry)
}

/// Splits a scalar `k` (any 256-bit value; reduced mod r first) into
/// `(k1, k2)` with `k ≡ k1 + k2·λ (mod r)` and `|k1|, |k2| < 2^127`, where
/// λ is `ark_bn254::g1::Config::LAMBDA`. Fixed-size integer arithmetic
/// only (see the section comment above for the method and the bounds).
pub fn glv_decompose(k: &ark_ff::BigInt<4>) -> (i128, i128) {
    let modulus = <ark_bn254::Fr as PrimeField>::MODULUS;
    let mut k = *k;
    while k >= modulus {
        k.sub_with_borrow(&modulus);
    }
    let c1 = mul_round_256(&k.0, &GLV_G1);
    let c2 = mul_round_256(&k.0, &GLV_G2);
    let k_low = u128::from(k.0[0]) | (u128::from(k.0[1]) << 64);
    let k1 = k_low
        .wrapping_sub(c1.wrapping_mul(GLV_A1))
        .wrapping_sub(c2.wrapping_mul(GLV_B1));
    let k2 = c1
        .wrapping_mul(GLV_B1)
        .wrapping_sub(c2.wrapping_mul(GLV_A2));
    (k1 as i128, k2 as i128)
}

/// `|k|·P` as a term: the point negated when `k < 0`, the magnitude as a
/// scalar.
fn signed_term(p: ark_bn254::G1Affine, k: i128) -> (ark_bn254::G1Affine, ark_ff::BigInt<4>) {
    let m = k.unsigned_abs();
    let scalar = ark_ff::BigInt::new([m as u64, (m >> 64) as u64, 0, 0]);
    (if k < 0 { -p } else { p }, scalar)
}

/// One term `k·P` as the two GLV terms `|k1|·(±P)` and `|k2|·(±φ(P))`.
fn glv_terms(
    p: &ark_bn254::G1Affine,
    k: &ark_ff::BigInt<4>,
) -> [(ark_bn254::G1Affine, ark_ff::BigInt<4>); 2] {
    use ark_ec::scalar_mul::glv::GLVConfig;
    if p.infinity || k.is_zero() {
        let none = (ark_bn254::G1Affine::identity(), ark_ff::BigInt::zero());
        return [none, none];
    }
    let (k1, k2) = glv_decompose(k);
    let beta = ark_bn254::g1::Config::ENDO_COEFFS
        .first()
        .copied()
        .unwrap_or_default();
    let phi = Affine::new_unchecked(
        <ark_bn254::g1::Config as MsmCurve>::base_mul(&p.x, &beta),
        p.y,
    );
    [signed_term(*p, k1), signed_term(phi, k2)]
}

/// The window size (bits) [`glv_g1`] uses for `n` nonzero GLV terms
/// (twice the original terms): see `docs/performance.md`.
pub fn glv_window_bits(n: usize) -> usize {
    window_bits(n)
}

/// The G1 MSM with GLV: every term split in two ([`glv_decompose`], signs
/// moved onto the points), then [`msm_bigint_window`] over the 2n terms.
/// The same group element as [`pippenger`].
pub fn glv_g1(
    bases: &[ark_bn254::G1Affine],
    scalars: &[ark_ff::BigInt<4>],
) -> ark_bn254::G1Projective {
    glv_g1_window(bases, scalars, None)
}

/// [`glv_g1`] with the window size given (`None`: [`glv_window_bits`]);
/// public for tuning and benches.
pub fn glv_g1_window(
    bases: &[ark_bn254::G1Affine],
    scalars: &[ark_ff::BigInt<4>],
    c: Option<usize>,
) -> ark_bn254::G1Projective {
    split_msm(bases, scalars, c, glv_terms)
}

/// The MSM of GLV (G1) and GLS (G2): every term split in two by `split`
/// (each half a point and a scalar of at most 127 bits), then
/// [`msm_bigint_window`] over the 2n terms, with the window `c` or
/// [`glv_window_bits`] of the nonzero terms after the split.
fn split_msm<P: MsmCurve>(
    bases: &[Affine<P>],
    scalars: &[ScalarBigInt<P>],
    c: Option<usize>,
    split: impl Fn(&Affine<P>, &ScalarBigInt<P>) -> [(Affine<P>, ScalarBigInt<P>); 2] + Sync,
) -> Projective<P> {
    let pairs: Vec<_> = ark_std::cfg_iter!(bases)
        .zip(ark_std::cfg_iter!(scalars))
        .map(|(p, k)| split(p, k))
        .collect();
    let mut points = Vec::with_capacity(2 * pairs.len());
    let mut halves = Vec::with_capacity(2 * pairs.len());
    let mut terms = 0;
    for (p, k) in pairs.iter().flatten() {
        points.push(*p);
        halves.push(*k);
        terms += usize::from(!p.infinity && !k.is_zero());
    }
    msm_bigint_window(
        &points,
        &halves,
        c.unwrap_or_else(|| glv_window_bits(terms)),
    )
}

// ---------------------------------------------------------------------
// GLS in BN254 G2.
//
// ψ = untwist ∘ Frobenius ∘ twist on the twist E'(Fq2):
// ψ(x, y) = (x̄·ψx, ȳ·ψy), x̄ the conjugate (the p-power Frobenius of Fq2),
// ψx = (u+9)^((p−1)/3) and ψy = (u+9)^((p−1)/2) (`TWIST_MUL_BY_Q_X/Y` of
// `ark_bn254::Config`, as `verifier/src/groth16.rs::psi` uses them on
// Jacobian coordinates). On G2 it is the map P ↦ λ·P for λ = 6x₀² = t − 1
// ≡ p (mod r), x₀ = 4965661367192848881 the BN parameter (ark-bn254's own
// subgroup check is `[6x₀²]P = ψ(P)`; tested here on random points).
//
// **The decomposition** is the plain integer division k = k1·λ + k0 of
// the reduced scalar, no lattice: λ has 127 bits (≈ 2^126.80) and
// r = λ·(6x₀² + 6x₀ + 3) + 6x₀ + 1, so 0 ≤ k0 < λ < 2^127 and
// 0 ≤ k1 ≤ ⌊(r − 1)/λ⌋ = 6x₀² + 6x₀ + 3 < 2^127 (≈ 2^126.80). A reduced
// lattice basis, {(λ, −1), (6x₀ + 1, 6x₀² + 6x₀ + 3)}, has both vectors of
// about 2^126.8, so Babai rounding would not shorten the halves below 127
// bits (the windows are what matter). Unsigned halves: no point is negated.
// Scalars below λ (the circuit's bits, bytes and small counters) get
// k1 = 0: their ψ term is the identity and costs nothing, not even ψ.
//
// The division: q = ⌊k·G/2^256⌋ with G = ⌊2^256/λ⌋ (130 bits). Since
// 2^256/λ − 1 < G ≤ 2^256/λ and k < 2^256, k/λ − 1 < k·G/2^256 ≤ k/λ, so
// q ∈ {⌊k/λ⌋ − 1, ⌊k/λ⌋}: k − q·λ is in [0, 2λ) ⊂ [0, 2^128), exact in
// wrapping u128, and one conditional subtraction finishes.
// ---------------------------------------------------------------------

/// λ = 6x₀², the eigenvalue of ψ on G2 (127 bits).
const GLS_LAMBDA: u128 = 0x6f4d8248eeb859fbf83e9682e87cfd46;
/// G = ⌊2^256/λ⌋ (130 bits), little-endian limbs.
const GLS_G: [u64; 3] = [0x2cb62031c8e01941, 0x4ccef014a773d2d5, 0x2];

/// Splits a scalar `k` (any 256-bit value; reduced mod r first) into
/// `(k0, k1)` with `k ≡ k0 + k1·λ (mod r)` for λ = 6x₀² (ψ's eigenvalue on
/// G2): the quotient and remainder of the reduced `k` by λ, so
/// `0 ≤ k0 < λ < 2^127` and `k1 ≤ ⌊(r − 1)/λ⌋ < 2^127`. Fixed-size integer
/// arithmetic only (see the section comment above).
pub fn gls_decompose(k: &ark_ff::BigInt<4>) -> (u128, u128) {
    let modulus = <ark_bn254::Fr as PrimeField>::MODULUS;
    let mut k = *k;
    while k >= modulus {
        k.sub_with_borrow(&modulus);
    }
    let mut k1 = mul_shift_256(&k.0, &GLS_G, false);
    let k_low = u128::from(k.0[0]) | (u128::from(k.0[1]) << 64);
    let mut k0 = k_low.wrapping_sub(k1.wrapping_mul(GLS_LAMBDA));
    if k0 >= GLS_LAMBDA {
        k0 -= GLS_LAMBDA;
        k1 += 1;
    }
    (k0, k1)
}

/// ψ(P) = (x̄·ψx, ȳ·ψy) for an affine point of G2 (not the identity),
/// products through [`MsmCurve::base_mul`].
pub fn gls_psi(p: &ark_bn254::G2Affine) -> ark_bn254::G2Affine {
    use ark_ec::bn::BnConfig;
    type G2 = ark_bn254::g2::Config;
    let (mut x, mut y) = (p.x, p.y);
    x.conjugate_in_place();
    y.conjugate_in_place();
    Affine::new_unchecked(
        <G2 as MsmCurve>::base_mul(&x, &<ark_bn254::Config as BnConfig>::TWIST_MUL_BY_Q_X),
        <G2 as MsmCurve>::base_mul(&y, &<ark_bn254::Config as BnConfig>::TWIST_MUL_BY_Q_Y),
    )
}

/// A `u128` as a scalar.
fn u128_scalar(m: u128) -> ark_ff::BigInt<4> {
    ark_ff::BigInt::new([m as u64, (m >> 64) as u64, 0, 0])
}

/// One term `k·P` as the two GLS terms `k0·P` and `k1·ψ(P)` (ψ computed
/// only when `k1 ≠ 0`).
fn gls_terms(
    p: &ark_bn254::G2Affine,
    k: &ark_ff::BigInt<4>,
) -> [(ark_bn254::G2Affine, ark_ff::BigInt<4>); 2] {
    let none = (ark_bn254::G2Affine::identity(), ark_ff::BigInt::zero());
    if p.infinity || k.is_zero() {
        return [none, none];
    }
    let (k0, k1) = gls_decompose(k);
    let second = if k1 == 0 {
        none
    } else {
        (gls_psi(p), u128_scalar(k1))
    };
    [(*p, u128_scalar(k0)), second]
}

/// The G2 MSM with GLS: every term split in two ([`gls_decompose`], the
/// second on ψ(P)), then [`msm_bigint_window`] over the 2n terms. The same
/// group element as [`pippenger`].
pub fn gls_g2(
    bases: &[ark_bn254::G2Affine],
    scalars: &[ark_ff::BigInt<4>],
) -> ark_bn254::G2Projective {
    gls_g2_window(bases, scalars, None)
}

/// [`gls_g2`] with the window size given (`None`: [`glv_window_bits`] of
/// the nonzero terms after the split); public for tuning and benches.
pub fn gls_g2_window(
    bases: &[ark_bn254::G2Affine],
    scalars: &[ark_ff::BigInt<4>],
    c: Option<usize>,
) -> ark_bn254::G2Projective {
    split_msm(bases, scalars, c, gls_terms)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, VariableBaseMSM};
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    fn rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(0x6d736d)
    }

    fn check_g1(bases: &[G1Affine], scalars: &[Fr]) {
        let expected = G1Projective::msm(bases, scalars).unwrap().into_affine();
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm_bigint(bases, &big).into_affine(), expected);
        assert_eq!(pippenger(bases, &big).into_affine(), expected);
        for c in [2, 3, 5, 8, 11] {
            assert_eq!(
                msm_bigint_window(bases, &big, c).into_affine(),
                expected,
                "c={c}"
            );
            assert_eq!(
                glv_g1_window(bases, &big, Some(c)).into_affine(),
                expected,
                "glv c={c}"
            );
        }
    }

    fn check_g2(bases: &[G2Affine], scalars: &[Fr]) {
        let expected = G2Projective::msm(bases, scalars).unwrap().into_affine();
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm_bigint(bases, &big).into_affine(), expected);
        assert_eq!(gls_g2(bases, &big).into_affine(), expected);
        assert_eq!(pippenger(bases, &big).into_affine(), expected);
        for c in [2, 3, 5, 8] {
            assert_eq!(
                gls_g2_window(bases, &big, Some(c)).into_affine(),
                expected,
                "gls c={c}"
            );
        }
    }

    fn random_g2(n: usize, r: &mut impl rand::RngCore) -> (Vec<G2Affine>, Vec<Fr>) {
        let bases = G2Projective::normalize_batch(
            &(0..n).map(|_| G2Projective::rand(r)).collect::<Vec<_>>(),
        );
        (bases, (0..n).map(|_| Fr::rand(r)).collect())
    }

    fn random_g1(n: usize, r: &mut impl rand::RngCore) -> (Vec<G1Affine>, Vec<Fr>) {
        let bases = G1Projective::normalize_batch(
            &(0..n).map(|_| G1Projective::rand(r)).collect::<Vec<_>>(),
        );
        (bases, (0..n).map(|_| Fr::rand(r)).collect())
    }

    /// Schoolbook product of little-endian limbs.
    fn mul_limbs(a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut t = vec![0u64; a.len() + b.len()];
        for (i, &x) in a.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &y) in b.iter().enumerate() {
                let v = u128::from(x) * u128::from(y) + u128::from(t[i + j]) + carry;
                t[i + j] = v as u64;
                carry = v >> 64;
            }
            t[i + b.len()] = carry as u64;
        }
        t
    }

    /// `|a − b|` and whether `a ≥ b`, for equal-length limbs.
    fn abs_diff(a: &[u64], b: &[u64]) -> Vec<u64> {
        let ge = a.iter().rev().cmp(b.iter().rev()) != std::cmp::Ordering::Less;
        let (x, y) = if ge { (a, b) } else { (b, a) };
        let mut borrow = false;
        x.iter()
            .zip(y)
            .map(|(&p, &q)| {
                let (d, b1) = p.overflowing_sub(q);
                let (d, b2) = d.overflowing_sub(u64::from(borrow));
                borrow = b1 || b2;
                d
            })
            .collect()
    }

    fn limbs(x: u128) -> [u64; 2] {
        [x as u64, (x >> 64) as u64]
    }

    fn fr_of(k: i128) -> Fr {
        let m = Fr::from(k.unsigned_abs());
        if k < 0 {
            -m
        } else {
            m
        }
    }

    #[test]
    fn glv_constants_match_arkworks_and_the_lattice() {
        use ark_ec::scalar_mul::glv::GLVConfig;
        let r = <Fr as PrimeField>::MODULUS;
        let ark = ark_bn254::g1::Config::SCALAR_DECOMP_COEFFS;
        // arkworks' basis, signs included: (−a1, b1), (−b1, −a2).
        let want = [
            (false, GLV_A1),
            (true, GLV_B1),
            (false, GLV_B1),
            (false, GLV_A2),
        ];
        for ((sign, value), (want_sign, want_value)) in ark.iter().zip(want) {
            assert_eq!(*sign, want_sign);
            assert_eq!(value.0[..2], limbs(want_value));
            assert_eq!(value.0[2..], [0, 0]);
        }
        assert_eq!(GLV_A2, GLV_A1 + GLV_B1);
        // det = a1·a2 + b1² = r, exactly.
        let a1a2 = mul_limbs(&limbs(GLV_A1), &limbs(GLV_A2));
        let b1b1 = mul_limbs(&limbs(GLV_B1), &limbs(GLV_B1));
        let mut det = ark_ff::BigInt::<4>::zero();
        det.0.copy_from_slice(&a1a2);
        let mut b1sq = ark_ff::BigInt::<4>::zero();
        b1sq.0.copy_from_slice(&b1b1);
        assert!(!det.add_with_carry(&b1sq));
        assert_eq!(det, r);
        // Both vectors lie in the lattice: a1 − b1·λ ≡ 0, b1 + a2·λ ≡ 0.
        let lambda = ark_bn254::g1::Config::LAMBDA;
        let (a1, b1, a2) = (Fr::from(GLV_A1), Fr::from(GLV_B1), Fr::from(GLV_A2));
        assert!((a1 - b1 * lambda).is_zero());
        assert!((b1 + a2 * lambda).is_zero());
        assert_eq!(lambda * lambda * lambda, Fr::from(1u64));
        // G = round(2^256·v/r): |G·r − v·2^256| ≤ r/2.
        for (g, v) in [(GLV_G1, GLV_A2), (GLV_G2, GLV_B1)] {
            let gr = mul_limbs(&g, &r.0);
            let mut shifted = vec![0u64; 7];
            shifted[4..6].copy_from_slice(&limbs(v));
            let d = abs_diff(&gr, &shifted);
            let mut half = r;
            half.div2();
            assert!(d[4..].iter().all(|&x| x == 0));
            let d4 = ark_ff::BigInt::<4>::new([d[0], d[1], d[2], d[3]]);
            assert!(d4 <= half);
        }
    }

    #[test]
    fn glv_endomorphism_is_lambda() {
        use ark_ec::scalar_mul::glv::GLVConfig;
        let mut r = rng();
        let (bases, _) = random_g1(20, &mut r);
        let beta = ark_bn254::g1::Config::ENDO_COEFFS[0];
        for p in bases {
            let phi = G1Affine::new(p.x * beta, p.y);
            assert_eq!(phi, (p * ark_bn254::g1::Config::LAMBDA).into_affine());
        }
    }

    /// Scalars at the edges of the decomposition: 0, 1, r − 1, λ, λ ± 1,
    /// −λ, 2^127 ± 1, 2^128, r − 2^127, (r − 1)/2, and values at or above r
    /// (reduced first).
    fn edge_scalars() -> Vec<ark_ff::BigInt<4>> {
        use ark_ec::scalar_mul::glv::GLVConfig;
        let lambda = ark_bn254::g1::Config::LAMBDA;
        let two127 = Fr::from(1u128 << 127);
        let mut v: Vec<ark_ff::BigInt<4>> = [
            Fr::zero(),
            Fr::from(1u64),
            -Fr::from(1u64),
            lambda,
            lambda + Fr::from(1u64),
            lambda - Fr::from(1u64),
            -lambda,
            lambda * lambda,
            two127,
            two127 - Fr::from(1u64),
            two127 + Fr::from(1u64),
            two127.double(),
            two127.double() - Fr::from(1u64),
            -two127,
            -two127.double(),
            Fr::from(GLV_A1),
            Fr::from(GLV_A2),
            Fr::from(GLV_B1),
            -Fr::from(GLV_A2),
            (-Fr::from(1u64)) * Fr::from(2u64).inverse().unwrap(),
        ]
        .iter()
        .map(|x| x.into_bigint())
        .collect();
        let r = <Fr as PrimeField>::MODULUS;
        let mut r_plus_5 = r;
        r_plus_5.add_with_carry(&ark_ff::BigInt::from(5u64));
        v.extend([r, r_plus_5, ark_ff::BigInt::new([u64::MAX; 4])]);
        v
    }

    #[test]
    fn glv_decomposition_recomposes_within_bounds() {
        use ark_ec::scalar_mul::glv::GLVConfig;
        let lambda = ark_bn254::g1::Config::LAMBDA;
        // 5/8·(a2 + b1): the proven bound, below 2^127.
        let bound = (GLV_A2 + GLV_B1) / 8 * 5 + 1;
        assert!(bound < 1 << 127);
        let mut r = rng();
        let mut scalars = edge_scalars();
        scalars.extend((0..100_000).map(|_| Fr::rand(&mut r).into_bigint()));
        let (mut max1, mut max2) = (0u128, 0u128);
        for k in &scalars {
            let (k1, k2) = glv_decompose(k);
            assert_eq!(
                fr_of(k1) + fr_of(k2) * lambda,
                Fr::from_le_bytes_mod_order(&k.to_bytes_le()),
                "{k}"
            );
            max1 = max1.max(k1.unsigned_abs());
            max2 = max2.max(k2.unsigned_abs());
        }
        assert!(max1 <= bound && max2 <= bound, "{max1} {max2}");
        // The random ones do reach 2^125: the bound is not slack by much.
        assert!(max1 >= 1 << 125 && max2 >= 1 << 125);
    }

    /// arkworks' MSM over the scalars reduced mod r (its `msm_bigint`
    /// reads only the low 254 bits of each scalar).
    fn reference(bases: &[G1Affine], scalars: &[ark_ff::BigInt<4>]) -> G1Projective {
        let reduced: Vec<Fr> = scalars
            .iter()
            .map(|k| Fr::from_le_bytes_mod_order(&k.to_bytes_le()))
            .collect();
        G1Projective::msm(bases, &reduced).unwrap()
    }

    #[test]
    fn glv_edge_scalars_match_arkworks() {
        let mut r = rng();
        let scalars = edge_scalars();
        let (bases, _) = random_g1(scalars.len(), &mut r);
        let expected = reference(&bases, &scalars);
        assert_eq!(glv_g1(&bases, &scalars), expected);
        assert_eq!(msm_bigint(&bases, &scalars), expected);
        assert_eq!(pippenger(&bases, &scalars), expected);
        for c in [2, 4, 7, 9] {
            assert_eq!(glv_g1_window(&bases, &scalars, Some(c)), expected);
        }
        // One at a time: each edge scalar alone, twice on one point, and
        // on a point and its negation.
        for k in &scalars {
            let one = [bases[0]];
            assert_eq!(glv_g1(&one, &[*k]), reference(&one, &[*k]), "{k}");
            let two = [bases[1], bases[1]];
            assert_eq!(glv_g1(&two, &[*k, *k]), reference(&two, &[*k, *k]), "{k}");
            let neg = [bases[2], -bases[2]];
            assert!(glv_g1(&neg, &[*k, *k]).is_zero(), "{k}");
        }
        // φ(P) as another base: k·φ(P) + (−kλ)·P = 0 puts P-terms and
        // φ-terms of equal x in the same buckets.
        use ark_ec::scalar_mul::glv::GLVConfig;
        let lambda = ark_bn254::g1::Config::LAMBDA;
        let p = bases[3];
        let phi = G1Affine::new(p.x * ark_bn254::g1::Config::ENDO_COEFFS[0], p.y);
        for k in [Fr::rand(&mut r), Fr::from(1u64), lambda] {
            let s = [k.into_bigint(), (-(k * lambda)).into_bigint()];
            assert!(glv_g1(&[phi, p], &s).is_zero());
            let s = [k.into_bigint(), (k * lambda).into_bigint()];
            assert_eq!(
                glv_g1(&[phi, p], &s),
                G1Projective::msm_bigint(&[phi, p], &s)
            );
        }
    }

    #[test]
    fn random_sizes_match_arkworks_g1() {
        let mut r = rng();
        for n in [1, 2, 3, 100, 4873, 8192] {
            let (bases, scalars) = random_g1(n, &mut r);
            check_g1(&bases, &scalars);
        }
    }

    #[test]
    fn random_sizes_match_arkworks_g2() {
        let mut r = rng();
        for n in [1, 2, 3, 100, 1000] {
            let (bases, scalars) = random_g2(n, &mut r);
            check_g2(&bases, &scalars);
        }
    }

    /// x₀, the BN parameter of BN254.
    const BN_X0: u64 = 4965661367192848881;

    /// A little-endian limb vector as a `BigInt<4>` (the high limbs zero).
    fn big4(v: &[u64]) -> ark_ff::BigInt<4> {
        assert!(v.iter().skip(4).all(|&x| x == 0));
        let mut b = ark_ff::BigInt::<4>::zero();
        for (d, s) in b.0.iter_mut().zip(v) {
            *d = *s;
        }
        b
    }

    /// ⌊(r − 1)/λ⌋ = 6x₀² + 6x₀ + 3, the largest k1.
    fn gls_k1_max() -> u128 {
        let x = u128::from(BN_X0);
        6 * x * x + 6 * x + 3
    }

    #[test]
    fn gls_constants() {
        let x = u128::from(BN_X0);
        // λ = 6x₀², 127 bits.
        assert_eq!(GLS_LAMBDA, 6 * x * x);
        assert_eq!(128 - GLS_LAMBDA.leading_zeros(), 127);
        // λ ≡ p (mod r): ψ is the p-power Frobenius, read on G2.
        let p_mod_r = Fr::from_le_bytes_mod_order(&ark_bn254::Fq::MODULUS.to_bytes_le());
        assert_eq!(p_mod_r, Fr::from(GLS_LAMBDA));
        // r = λ·(6x₀² + 6x₀ + 3) + 6x₀ + 1, so ⌊(r − 1)/λ⌋ = 6x₀² + 6x₀ + 3
        // (127 bits) and (r − 1) mod λ = 6x₀.
        let mut r = big4(&mul_limbs(&limbs(GLS_LAMBDA), &limbs(gls_k1_max())));
        assert!(!r.add_with_carry(&big4(&limbs(6 * x + 1))));
        assert_eq!(r, <Fr as PrimeField>::MODULUS);
        assert!(6 * x < GLS_LAMBDA);
        assert_eq!(128 - gls_k1_max().leading_zeros(), 127);
        // G = ⌊2^256/λ⌋: G·λ ≤ 2^256 < (G + 1)·λ.
        let gl = mul_limbs(&GLS_G, &limbs(GLS_LAMBDA));
        assert_eq!(gl[4..], [0]);
        let mut gap = ark_ff::BigInt::<4>::zero(); // 2^256 − G·λ
        assert!(gap.sub_with_borrow(&big4(&gl[..4])));
        assert_eq!(gap.0[2..], [0, 0]);
        let gap = u128::from(gap.0[0]) | (u128::from(gap.0[1]) << 64);
        assert!(gap > 0 && gap <= GLS_LAMBDA);
    }

    #[test]
    fn gls_psi_is_lambda() {
        let mut r = rng();
        let (bases, _) = random_g2(20, &mut r);
        let lambda = Fr::from(BN_X0).square() * Fr::from(6u64);
        assert_eq!(lambda, Fr::from(GLS_LAMBDA));
        let g = <G2Affine as ark_ec::AffineRepr>::generator();
        for p in bases.iter().chain([&g]) {
            let psi = gls_psi(p);
            assert!(psi.is_on_curve());
            assert_eq!(psi, (*p * lambda).into_affine());
            assert_ne!(psi, *p);
        }
    }

    /// `k0 + k1·λ` as an integer.
    fn gls_recompose(k0: u128, k1: u128) -> ark_ff::BigInt<4> {
        let mut v = big4(&mul_limbs(&limbs(k1), &limbs(GLS_LAMBDA)));
        assert!(!v.add_with_carry(&big4(&limbs(k0))));
        v
    }

    /// Scalars next to multiples of λ: m·λ + {0, 1, λ − 1} and m·λ − 1, for
    /// small m, random m and the largest m (6x₀² + 6x₀ + 3); and r − 1,
    /// r − 6x₀ − 1 (k0 = 0, k1 largest), λ − 1 (k1 = 0).
    fn gls_edge_scalars(r: &mut impl rand::RngCore) -> Vec<ark_ff::BigInt<4>> {
        let mut ms = vec![0u128, 1, 2, 3, gls_k1_max() - 1, gls_k1_max()];
        ms.extend((0..20).map(|_| (u128::rand(r) % gls_k1_max()) + 1));
        let mut v = Vec::new();
        for m in ms {
            for k0 in [0, 1, GLS_LAMBDA - 1] {
                v.push(gls_recompose(k0, m));
            }
            if m > 0 {
                let mut k = gls_recompose(0, m);
                k.sub_with_borrow(&ark_ff::BigInt::from(1u64));
                v.push(k);
            }
        }
        let modulus = <Fr as PrimeField>::MODULUS;
        let mut k = modulus;
        k.sub_with_borrow(&ark_ff::BigInt::from(1u64));
        v.push(k);
        k.sub_with_borrow(&big4(&limbs(6 * u128::from(BN_X0))));
        v.push(k);
        v
    }

    #[test]
    fn gls_decomposition_recomposes_within_bounds() {
        let mut r = rng();
        let modulus = <Fr as PrimeField>::MODULUS;
        let mut scalars = edge_scalars();
        scalars.extend(gls_edge_scalars(&mut r));
        let edges = scalars.len();
        scalars.extend((0..100_000).map(|_| Fr::rand(&mut r).into_bigint()));
        let (mut max0, mut max1) = (0u128, 0u128);
        let mut seen = [false; 4];
        for (i, k) in scalars.iter().enumerate() {
            let (k0, k1) = gls_decompose(k);
            assert!(k0 < GLS_LAMBDA && k1 <= gls_k1_max(), "{k}");
            // Exact: k0 + k1·λ is the reduced k, as integers.
            let reduced = Fr::from_le_bytes_mod_order(&k.to_bytes_le()).into_bigint();
            let whole = gls_recompose(k0, k1);
            assert!(whole < modulus);
            assert_eq!(whole, reduced, "{k}");
            if i < edges {
                seen[0] |= k0 == 0 && k1 != 0;
                seen[1] |= k0 == GLS_LAMBDA - 1;
                seen[2] |= k1 == 0 && k0 != 0;
                seen[3] |= k1 == gls_k1_max();
            }
            max0 = max0.max(k0);
            max1 = max1.max(k1);
        }
        assert_eq!(seen, [true; 4]);
        // The random ones do reach 2^126: both halves use 127 bits.
        assert!(max0 >= 1 << 126 && max1 >= 1 << 126);
        assert_eq!(gls_decompose(&modulus), (0, 0));
        assert_eq!(
            gls_decompose(&ark_ff::BigInt::from(1u64)),
            (1, 0),
            "scalar 1"
        );
    }

    /// arkworks' G2 MSM over the scalars reduced mod r.
    fn reference_g2(bases: &[G2Affine], scalars: &[ark_ff::BigInt<4>]) -> G2Projective {
        let reduced: Vec<Fr> = scalars
            .iter()
            .map(|k| Fr::from_le_bytes_mod_order(&k.to_bytes_le()))
            .collect();
        G2Projective::msm(bases, &reduced).unwrap()
    }

    #[test]
    fn gls_edge_scalars_match_arkworks() {
        let mut r = rng();
        let mut scalars = edge_scalars();
        scalars.extend(gls_edge_scalars(&mut r));
        let (bases, _) = random_g2(scalars.len(), &mut r);
        let expected = reference_g2(&bases, &scalars);
        assert_eq!(gls_g2(&bases, &scalars), expected);
        assert_eq!(msm_bigint(&bases, &scalars), expected);
        assert_eq!(pippenger(&bases, &scalars), expected);
        for c in [2, 4, 7, 9] {
            assert_eq!(gls_g2_window(&bases, &scalars, Some(c)), expected);
        }
        // One at a time: each edge scalar alone, twice on one point, and
        // on a point and its negation.
        for k in &scalars {
            let one = [bases[0]];
            assert_eq!(gls_g2(&one, &[*k]), reference_g2(&one, &[*k]), "{k}");
            let two = [bases[1], bases[1]];
            assert_eq!(
                gls_g2(&two, &[*k, *k]),
                reference_g2(&two, &[*k, *k]),
                "{k}"
            );
            let neg = [bases[2], -bases[2]];
            assert!(gls_g2(&neg, &[*k, *k]).is_zero(), "{k}");
        }
        // ψ(P) as another base: k·ψ(P) + (−kλ)·P = 0 puts P-terms and
        // ψ-terms of equal x in the same buckets.
        let lambda = Fr::from(GLS_LAMBDA);
        let p = bases[3];
        let psi = gls_psi(&p);
        for k in [Fr::rand(&mut r), Fr::from(1u64), lambda, -Fr::from(1u64)] {
            let s = [k.into_bigint(), (-(k * lambda)).into_bigint()];
            assert!(gls_g2(&[psi, p], &s).is_zero());
            let s = [k.into_bigint(), (k * lambda).into_bigint()];
            assert_eq!(gls_g2(&[psi, p], &s), reference_g2(&[psi, p], &s));
        }
    }

    #[test]
    fn g2_zero_one_and_minus_one() {
        let mut r = rng();
        let (bases, mut scalars) = random_g2(60, &mut r);
        check_g2(&bases, &vec![Fr::zero(); 60]);
        for s in scalars.iter_mut().step_by(3) {
            *s = Fr::zero();
        }
        check_g2(&bases, &scalars);
        let minus_one = -Fr::from(1u64);
        check_g2(&bases, &vec![Fr::from(1u64); 60]);
        check_g2(&bases, &vec![minus_one; 60]);
        let p = bases[0];
        check_g2(&[p, p], &[Fr::from(1u64), minus_one]);
        check_g2(&[p, p], &[minus_one, minus_one]);
    }

    #[test]
    fn g2_repeated_points_negations_and_identity() {
        let mut r = rng();
        let (mut bases, scalars) = random_g2(60, &mut r);
        let p = bases[0];
        check_g2(&vec![p; 33], &vec![scalars[0]; 33]);
        check_g2(&vec![p; 17], &vec![Fr::from(5u64); 17]);
        check_g2(&[p, -p], &[scalars[1], scalars[1]]);
        check_g2(&[p, -p, p], &[scalars[1], scalars[1], scalars[1]]);
        check_g2(&[p, p, bases[1]], &[scalars[2], -scalars[2], scalars[3]]);
        let many: Vec<G2Affine> = (0..80)
            .map(|i| match i % 4 {
                0 => p,
                1 => -p,
                2 => bases[1],
                _ => bases[2],
            })
            .collect();
        let sc: Vec<Fr> = (0..80).map(|_| Fr::rand(&mut r)).collect();
        check_g2(&many, &sc);
        for b in bases.iter_mut().step_by(5) {
            *b = G2Affine::identity();
        }
        check_g2(&bases, &scalars);
        check_g2(&[G2Affine::identity()], &[scalars[0]]);
    }

    #[test]
    fn g2_unequal_lengths_use_the_shorter() {
        let (bases, scalars) = random_g2(10, &mut rng());
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        for (b, s) in [(&bases[..7], &big[..]), (&bases[..], &big[..4])] {
            let expected = G2Projective::msm_bigint(b, s);
            assert_eq!(gls_g2(b, s), expected);
            assert_eq!(msm_bigint(b, s), expected);
        }
    }

    #[test]
    fn empty_input() {
        assert!(msm_bigint::<ark_bn254::g1::Config>(&[], &[]).is_zero());
        let (bases, _) = random_g1(3, &mut rng());
        assert!(msm_bigint(&bases, &[]).is_zero());
    }

    #[test]
    fn zero_scalars() {
        let mut r = rng();
        let (bases, mut scalars) = random_g1(100, &mut r);
        check_g1(&bases, &vec![Fr::zero(); 100]);
        for s in scalars.iter_mut().step_by(3) {
            *s = Fr::zero();
        }
        check_g1(&bases, &scalars);
    }

    #[test]
    fn one_and_minus_one() {
        let mut r = rng();
        let (bases, _) = random_g1(50, &mut r);
        let minus_one = -Fr::from(1u64);
        check_g1(&bases, &vec![Fr::from(1u64); 50]);
        check_g1(&bases, &vec![minus_one; 50]);
        let mixed: Vec<Fr> = (0..50)
            .map(|i| {
                if i % 2 == 0 {
                    Fr::from(1u64)
                } else {
                    minus_one
                }
            })
            .collect();
        check_g1(&bases, &mixed);
        // P·1 + P·(r−1) = 0, and P·(r−1) + P·(r−1) = −2P.
        let p = bases[0];
        check_g1(&[p, p], &[Fr::from(1u64), minus_one]);
        check_g1(&[p, p], &[minus_one, minus_one]);
    }

    #[test]
    fn repeated_points_and_negations() {
        let mut r = rng();
        let (bases, scalars) = random_g1(4, &mut r);
        let p = bases[0];
        // The same point many times with the same scalar: every bucket
        // level doubles.
        check_g1(&vec![p; 64], &vec![scalars[0]; 64]);
        check_g1(&vec![p; 33], &vec![Fr::from(5u64); 33]);
        // A point and its negation with the same scalar: P + (−P) in one
        // bucket, at every window.
        check_g1(&[p, -p], &[scalars[1], scalars[1]]);
        check_g1(&[p, -p, p], &[scalars[1], scalars[1], scalars[1]]);
        // Same point, opposite scalars: the digits cancel.
        check_g1(&[p, p, bases[1]], &[scalars[2], -scalars[2], scalars[3]]);
        // Mixed: repeats, negations, and others.
        let many: Vec<G1Affine> = (0..200)
            .map(|i| match i % 4 {
                0 => p,
                1 => -p,
                2 => bases[1],
                _ => bases[2],
            })
            .collect();
        let sc: Vec<Fr> = (0..200).map(|i| Fr::from((i % 7) as u64)).collect();
        check_g1(&many, &sc);
        let sc: Vec<Fr> = (0..200).map(|_| Fr::rand(&mut r)).collect();
        check_g1(&many, &sc);
    }

    #[test]
    fn identity_among_bases() {
        let mut r = rng();
        let (mut bases, scalars) = random_g1(100, &mut r);
        for b in bases.iter_mut().step_by(5) {
            *b = G1Affine::identity();
        }
        check_g1(&bases, &scalars);
        check_g1(&[G1Affine::identity()], &[scalars[0]]);
        check_g1(&vec![G1Affine::identity(); 10], &scalars[..10]);
    }

    #[test]
    fn unequal_lengths_use_the_shorter() {
        let (bases, scalars) = random_g1(10, &mut rng());
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(
            msm_bigint(&bases[..7], &big),
            G1Projective::msm_bigint(&bases[..7], &big)
        );
        assert_eq!(
            msm_bigint(&bases, &big[..4]),
            G1Projective::msm_bigint(&bases, &big[..4])
        );
    }

    #[test]
    fn signed_digits_recompose() {
        let mut r = rng();
        for c in 2..=16 {
            let s = Fr::rand(&mut r).into_bigint();
            let windows = (s.num_bits() as usize + 1).div_ceil(c);
            let mut d = vec![0i32; windows];
            signed_digits(s.as_ref(), c, &mut d);
            let half = 1i32 << (c - 1);
            assert!(d.iter().all(|&x| x > -half && x <= half));
            let mut acc = Fr::zero();
            for x in d.iter().rev() {
                acc *= Fr::from(1u64 << c);
                acc += if *x < 0 {
                    -Fr::from(x.unsigned_abs() as u64)
                } else {
                    Fr::from(*x as u64)
                };
            }
            assert_eq!(acc.into_bigint(), s, "c={c}");
        }
    }
}
