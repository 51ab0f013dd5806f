//! Range checks and comparisons as R1CS, twins of the functions in [`super`].
//!
//! Every time value in the statement goes through [`range_check`] before it
//! is subtracted or compared: a field element `x` is proven to be below
//! `2^n` by `n` booleanity constraints and one packing constraint
//! `Σ 2^i·b_i = x`. For `n ≤ 253` the packing is an integer identity (no
//! wrap-around modulo `p`), so the bits are unique.

use super::{is_le_constant, to_bits_le};
use crate::lc::Lc;
use ark_ff::PrimeField;
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    R1CSVar,
};
use ark_relations::r1cs::SynthesisError;

/// `a = b`, one constraint. Unlike r1cs-std's `enforce_equal`, two unequal
/// *constants* are an error rather than silently accepted (r1cs-std#213,
/// docs/security.md, V11). Every equality in this crate goes through here.
pub fn enforce_eq<F: PrimeField>(a: &FpVar<F>, b: &FpVar<F>) -> Result<(), SynthesisError> {
    if let (FpVar::Constant(x), FpVar::Constant(y)) = (a, b) {
        return if x == y {
            Ok(())
        } else {
            Err(SynthesisError::Unsatisfiable)
        };
    }
    a.enforce_equal(b)
}

/// `a · b = c`, one constraint; all-constant operands are checked natively
/// (see [`enforce_eq`]).
pub fn enforce_mul<F: PrimeField>(
    a: &FpVar<F>,
    b: &FpVar<F>,
    c: &FpVar<F>,
) -> Result<(), SynthesisError> {
    if let (FpVar::Constant(x), FpVar::Constant(y)) = (a, b) {
        return enforce_eq(&FpVar::Constant(*x * y), c);
    }
    a.mul_equals(b, c)
}

/// `Σ 2^i·b_i` as a linear combination (no constraint, no range check: the
/// sum wraps modulo `p` for 254 or more bits; see [`to_bits_le_strict`]).
///
/// Unlike `Boolean::le_bits_to_fp` this never adds constraints of its own,
/// so every check is explicit at the call site. The sum is built once as a
/// single linear combination ([`Lc`]), the same one that folding
/// `acc + b_i·2^i` with `FpVar` arithmetic denotes.
pub fn pack_le<F: PrimeField>(bits: &[Boolean<F>]) -> Result<FpVar<F>, SynthesisError> {
    let mut power = F::one();
    let terms: Vec<(F, Lc<F>)> = bits
        .iter()
        .map(|b| {
            let term = (power, Lc::from_bool(b));
            power.double_in_place();
            term
        })
        .collect();
    Lc::weighted_sum(terms.iter().map(|(c, b)| (*c, b)), F::zero()).to_fp()
}

/// Allocate the `n` little-endian bits of `x` and enforce that they pack to
/// `x`, which proves `x < 2^n`. Cost: `n + 1` constraints (`n` for a constant).
///
/// `n` must be below the field's capacity so that packing cannot wrap.
pub fn range_check<F: PrimeField>(
    x: &FpVar<F>,
    n: usize,
) -> Result<Vec<Boolean<F>>, SynthesisError> {
    if n >= F::MODULUS_BIT_SIZE as usize {
        return Err(SynthesisError::Unsatisfiable);
    }
    if let FpVar::Constant(c) = x {
        return match to_bits_le(*c, n) {
            Some(bits) => Ok(bits.into_iter().map(Boolean::constant).collect()),
            None => Err(SynthesisError::Unsatisfiable),
        };
    }
    // For an out-of-range value the prover has no valid bits: we allocate
    // the low bits and the packing constraint fails.
    let bits = alloc_low_bits(x, n)?;
    enforce_eq(&pack_le(&bits)?, x)?;
    Ok(bits)
}

/// Allocate the `n` low bits of `x`'s value as boolean witnesses (booleanity
/// enforced, nothing else). The values are read only outside setup mode.
fn alloc_low_bits<F: PrimeField>(
    x: &FpVar<F>,
    n: usize,
) -> Result<Vec<Boolean<F>>, SynthesisError> {
    let cs = x.cs();
    let value = x
        .value()
        .map(|v| ark_ff::BigInteger::to_bits_le(&v.into_bigint()));
    (0..n)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                value
                    .as_ref()
                    .map(|b| b.get(i).copied().unwrap_or(false))
                    .map_err(|e| *e)
            })
        })
        .collect()
}

/// Strict little-endian bit decomposition of a field element: all
/// `MODULUS_BIT_SIZE` bits, and the integer they denote is `≤ p − 1`, so
/// `x` and `x + p` cannot both be represented (docs/security.md, item 20).
pub fn to_bits_le_strict<F: PrimeField>(x: &FpVar<F>) -> Result<Vec<Boolean<F>>, SynthesisError> {
    let n = F::MODULUS_BIT_SIZE as usize;
    if let FpVar::Constant(c) = x {
        let bits = ark_ff::BigInteger::to_bits_le(&c.into_bigint());
        return Ok(bits.into_iter().take(n).map(Boolean::constant).collect());
    }
    let bits = alloc_low_bits(x, n)?;
    // Packing modulo p: Σ 2^i b_i ≡ x. Together with bits ≤ p − 1 below,
    // the integer is exactly x.
    enforce_eq(&pack_le(&bits)?, x)?;
    enforce_le_constant(&bits, &super::modulus_minus_one_bits::<F>())?;
    Ok(bits)
}

/// Enforce that the little-endian integer `bits` is `≤ c`.
///
/// Scanning from the most significant bit, `eq` is "every higher bit equals
/// `c`'s". Where `c_i = 1`: `eq ← eq ∧ b_i` (1 constraint). Where `c_i = 0`:
/// `eq · b_i = 0` (1 constraint), since a 1 there would exceed `c`. Bits above
/// `c`'s length must be 0. Cost: one constraint per bit below `c`'s leading
/// one, none above it (those bits are forced to zero through `eq = 1`).
pub fn enforce_le_constant<F: PrimeField>(
    bits: &[Boolean<F>],
    c: &[bool],
) -> Result<(), SynthesisError> {
    let len = bits.len().max(c.len());
    let mut eq = Boolean::TRUE;
    for i in (0..len).rev() {
        let ci = c.get(i).copied().unwrap_or(false);
        let Some(b) = bits.get(i) else {
            // A constant zero bit of `bits`: with c_i = 1 the number is now
            // strictly smaller.
            if ci {
                eq = Boolean::FALSE;
            }
            continue;
        };
        if ci {
            eq = &eq & b;
        } else {
            // c_i = 0 under equal prefix forces b_i = 0: eq·b_i = 0.
            enforce_mul(
                &FpVar::from(eq.clone()),
                &FpVar::from(b.clone()),
                &FpVar::zero(),
            )?;
        }
    }
    Ok(())
}

/// Enforce `a ≤ b` for values already range-checked to `n < MODULUS_BIT_SIZE − 1` bits,
/// by range-checking `b − a` to `n` bits. Cost: `n + 1`.
///
/// Soundness: with `0 ≤ a, b < 2^n`, the integer `b − a` lies in
/// `(−2^n, 2^n)`; it is below `2^n` *as a field element* iff it is
/// non-negative, because a negative value wraps to `p − k ≥ p − 2^n > 2^n`.
pub fn enforce_le<F: PrimeField>(
    a: &FpVar<F>,
    b: &FpVar<F>,
    n: usize,
) -> Result<(), SynthesisError> {
    range_check(&(b - a), n).map(|_| ())
}

/// Enforce `a < b` for values already range-checked to `n` bits: `b − a − 1 ≥ 0`.
pub fn enforce_lt<F: PrimeField>(
    a: &FpVar<F>,
    b: &FpVar<F>,
    n: usize,
) -> Result<(), SynthesisError> {
    range_check(&(b - a - FpVar::one()), n).map(|_| ())
}

/// `x ≠ 0` as a Boolean, with `x · inv = nz` and `x · (1 − nz) = 0`.
/// Cost: 2 constraints. `inv` is a free hint when `x = 0` (it is multiplied
/// by zero), the documented allowlist entry of the witness-mutation sweep.
pub fn is_nonzero<F: PrimeField>(x: &FpVar<F>) -> Result<Boolean<F>, SynthesisError> {
    if let FpVar::Constant(c) = x {
        return Ok(Boolean::constant(!c.is_zero()));
    }
    let cs = x.cs();
    let value = x.value();
    let nz = Boolean::new_witness(cs.clone(), || value.map(|v| !v.is_zero()))?;
    let inv = FpVar::new_witness(cs, || value.map(|v| v.inverse().unwrap_or(F::zero())))?;
    let nz_fp = FpVar::from(nz.clone());
    enforce_mul(x, &inv, &nz_fp)?;
    enforce_mul(x, &(FpVar::one() - &nz_fp), &FpVar::zero())?;
    Ok(nz)
}

/// Enforce `x ≠ 0` by exhibiting its inverse. Cost: 1 constraint.
pub fn enforce_nonzero<F: PrimeField>(x: &FpVar<F>) -> Result<(), SynthesisError> {
    if let FpVar::Constant(c) = x {
        return if c.is_zero() {
            Err(SynthesisError::Unsatisfiable)
        } else {
            Ok(())
        };
    }
    let inv = FpVar::new_witness(x.cs(), || {
        x.value().map(|v| v.inverse().unwrap_or(F::zero()))
    })?;
    enforce_mul(x, &inv, &FpVar::one())
}

/// Native twin used in tests: whether `bits ≤ c`.
pub fn native_is_le_constant(bits: &[bool], c: &[bool]) -> bool {
    is_le_constant(bits, c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::{AdditiveGroup, BigInteger, Field, Zero};
    use ark_relations::r1cs::ConstraintSystem;

    fn witness(cs: &ark_relations::r1cs::ConstraintSystemRef<Fr>, v: Fr) -> FpVar<Fr> {
        FpVar::new_witness(cs.clone(), || Ok(v)).unwrap()
    }

    #[test]
    fn range_check_64_accepts_edges_below_two_to_the_64_and_rejects_above() {
        let two64 = Fr::from(2u64).pow([64u64]);
        for (v, ok) in [
            (Fr::ZERO, true),
            (Fr::ONE, true),
            (Fr::from(u64::MAX), true),
            (two64, false),
            (-Fr::ONE, false),
        ] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let x = witness(&cs, v);
            range_check(&x, 64).unwrap();
            assert_eq!(cs.is_satisfied().unwrap(), ok, "value {v}");
            assert_eq!(cs.num_constraints(), 65);
        }
    }

    #[test]
    fn strict_bits_reject_the_alias_x_plus_p() {
        // Honest decomposition of a small x passes…
        let cs = ConstraintSystem::<Fr>::new_ref();
        let x = witness(&cs, Fr::from(5u64));
        let bits = to_bits_le_strict(&x).unwrap();
        assert!(cs.is_satisfied().unwrap());
        // …and replacing the bits by those of x + p (< 2^254) must fail.
        let alias = {
            let mut m = Fr::MODULUS;
            m.add_with_carry(&<Fr as PrimeField>::BigInt::from(5u64));
            ark_ff::BigInteger::to_bits_le(&m)
        };
        let cs2 = ConstraintSystem::<Fr>::new_ref();
        let x2 = witness(&cs2, Fr::from(5u64));
        let forged: Vec<Boolean<Fr>> = (0..254)
            .map(|i| Boolean::new_witness(cs2.clone(), || Ok(alias[i])).unwrap())
            .collect();
        pack_le(&forged).unwrap().enforce_equal(&x2).unwrap();
        assert!(cs2.is_satisfied().unwrap(), "x + p packs to x modulo p");
        enforce_le_constant(&forged, &super::super::modulus_minus_one_bits::<Fr>()).unwrap();
        assert!(!cs2.is_satisfied().unwrap(), "but exceeds p - 1");
        assert_eq!(bits.len(), 254);
    }

    /// Overwrite the bit witnesses that `to_bits_le_strict` allocated for
    /// `x` (witness 0) with `forged`, and recompute every witness derived
    /// from them (the `AND` chain of `enforce_le_constant`), as a cheating
    /// prover would: only the constraints can refuse the forgery.
    fn forge_strict_bits(cs: &ark_relations::r1cs::ConstraintSystemRef<Fr>, forged: &[bool]) {
        let n = forged.len();
        let c = super::super::modulus_minus_one_bits::<Fr>();
        let mut cs = cs.borrow_mut().unwrap();
        for (i, b) in forged.iter().enumerate() {
            cs.witness_assignment[1 + i] = Fr::from(*b);
        }
        // eq starts as the constant TRUE; TRUE ∧ b is b itself (no witness),
        // afterwards each c_i = 1 allocates eq ∧ b_i, in order.
        let (mut eq, mut constant, mut next) = (true, true, 1 + n);
        for i in (0..n).rev() {
            if c[i] {
                eq &= forged[i];
                if constant {
                    constant = false;
                } else {
                    cs.witness_assignment[next] = Fr::from(eq);
                    next += 1;
                }
            }
        }
        assert_eq!(
            next,
            cs.witness_assignment.len(),
            "every witness accounted for"
        );
    }

    #[test]
    fn strict_bits_reject_the_forged_witness_of_x_plus_p() {
        // [20] The real gadget, synthesized honestly, then its bit witnesses
        // replaced by the bits of x + p (< 2^254, so they fit), every derived
        // witness recomputed: unsat. The packing constraint alone accepts
        // them (x + p ≡ x), so only the strict comparison refuses; if
        // `to_bits_le_strict` stopped calling it, this test would fail.
        // Each check synthesizes afresh: the constraint system caches the
        // values of symbolic linear combinations once evaluated, so a
        // system is forged before it is ever checked.
        let synthesize = |x: Fr| {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let xv = witness(&cs, x);
            let bits = to_bits_le_strict(&xv).unwrap();
            let honest: Vec<bool> = bits.iter().map(|b| b.value().unwrap()).collect();
            (cs, honest)
        };
        for x in [Fr::ZERO, Fr::from(5u64), Fr::from(u64::MAX)] {
            let (cs, honest) = synthesize(x);
            assert!(cs.is_satisfied().unwrap());
            // The forger's recomputation is faithful: honest bits stay sat.
            let (cs, _) = synthesize(x);
            forge_strict_bits(&cs, &honest);
            assert!(
                cs.is_satisfied().unwrap(),
                "recomputation of the honest witness"
            );
            let alias = {
                let mut m = Fr::MODULUS;
                assert!(!m.add_with_carry(&x.into_bigint()));
                let mut b = ark_ff::BigInteger::to_bits_le(&m);
                assert!(b[254..].iter().all(|b| !b), "x + p < 2^254");
                b.truncate(254);
                b
            };
            assert_ne!(alias, honest);
            // The packing holds modulo p for the alias bits.
            let packed: Fr = alias
                .iter()
                .rev()
                .fold(Fr::ZERO, |acc, b| acc.double() + Fr::from(*b));
            assert_eq!(packed, x);
            let (cs, _) = synthesize(x);
            forge_strict_bits(&cs, &alias);
            assert!(
                !cs.is_satisfied().unwrap(),
                "x = {x}: bits of x + p accepted"
            );
        }
    }

    #[test]
    fn strict_bits_accept_p_minus_one() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let x = witness(&cs, -Fr::ONE);
        to_bits_le_strict(&x).unwrap();
        assert!(cs.is_satisfied().unwrap());
    }

    #[test]
    fn enforce_le_constant_matches_native_exhaustively_for_four_bits() {
        for c in 0u8..16 {
            let cbits: Vec<bool> = (0..4).map(|i| (c >> i) & 1 == 1).collect();
            for v in 0u8..16 {
                let vbits: Vec<bool> = (0..4).map(|i| (v >> i) & 1 == 1).collect();
                let cs = ConstraintSystem::<Fr>::new_ref();
                let bits: Vec<Boolean<Fr>> = vbits
                    .iter()
                    .map(|b| Boolean::new_witness(cs.clone(), || Ok(*b)).unwrap())
                    .collect();
                enforce_le_constant(&bits, &cbits).unwrap();
                assert_eq!(
                    cs.is_satisfied().unwrap(),
                    native_is_le_constant(&vbits, &cbits),
                    "{v} <= {c}"
                );
            }
        }
    }

    #[test]
    fn enforce_le_and_lt_pin_their_boundaries() {
        for (a, b, le, lt) in [
            (5u64, 5u64, true, false),
            (4, 5, true, true),
            (6, 5, false, false),
            (0, u64::MAX, true, true),
            (u64::MAX, 0, false, false),
        ] {
            for strict in [false, true] {
                let cs = ConstraintSystem::<Fr>::new_ref();
                let (x, y) = (witness(&cs, Fr::from(a)), witness(&cs, Fr::from(b)));
                if strict {
                    enforce_lt(&x, &y, 64).unwrap();
                } else {
                    enforce_le(&x, &y, 64).unwrap();
                }
                assert_eq!(
                    cs.is_satisfied().unwrap(),
                    if strict { lt } else { le },
                    "{a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn constant_operands_never_pass_silently() {
        // [33] (r1cs-std#213, V11) Every gadget given constants that violate
        // its relation returns an error or an unsatisfied system.
        assert!(range_check(&FpVar::<Fr>::Constant(Fr::from(2u64).pow([64u64])), 64).is_err());
        assert!(enforce_nonzero(&FpVar::<Fr>::Constant(Fr::ZERO)).is_err());
        let five = FpVar::<Fr>::Constant(Fr::from(5u64));
        let four = FpVar::<Fr>::Constant(Fr::from(4u64));
        assert!(enforce_le(&five, &four, 64).is_err());
        assert!(enforce_lt(&four, &four, 64).is_err());
        // Constant bits above a constant bound.
        let bits = [true, true, true].map(Boolean::<Fr>::constant);
        assert!(enforce_le_constant(&bits, &[true, false, true]).is_err());
        assert!(enforce_eq(&five, &four).is_err());
        assert!(enforce_mul(&five, &four, &four).is_err());
        assert!(enforce_mul(&five, &four, &FpVar::Constant(Fr::from(20u64))).is_ok());
        // A witness under a constant-true guard: unsat when it exceeds.
        let cs = ConstraintSystem::<Fr>::new_ref();
        let bits: Vec<Boolean<Fr>> = [false, true, true]
            .iter()
            .map(|b| Boolean::new_witness(cs.clone(), || Ok(*b)).unwrap())
            .collect();
        enforce_le_constant(&bits, &[true, false, true]).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn comparisons_with_constant_operands_accept_honest_values_and_refuse_dishonest() {
        // [42] (V12) enforce_le, enforce_lt and range_check with a constant
        // on one side, on the other or on both: honest values are satisfied
        // without a panic, dishonest ones are an error or unsatisfied.
        #[derive(Clone, Copy)]
        enum Mode {
            Constant,
            Witness,
            Input,
        }
        let alloc = |cs: &ark_relations::r1cs::ConstraintSystemRef<Fr>, v: u64, m: Mode| match m {
            Mode::Constant => FpVar::Constant(Fr::from(v)),
            Mode::Witness => witness(cs, Fr::from(v)),
            Mode::Input => FpVar::new_input(cs.clone(), || Ok(Fr::from(v))).unwrap(),
        };
        // Outcome of one comparison: Ok(satisfied) or Err (refused at once).
        type Cmp<'a> = &'a dyn Fn(&FpVar<Fr>, &FpVar<Fr>) -> Result<(), SynthesisError>;
        let run = |f: Cmp<'_>, a: u64, b: u64, ma: Mode, mb: Mode| {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let (x, y) = (alloc(&cs, a, ma), alloc(&cs, b, mb));
            f(&x, &y).map(|()| cs.is_satisfied().unwrap())
        };
        let le = |a: &FpVar<Fr>, b: &FpVar<Fr>| enforce_le(a, b, 64);
        let lt = |a: &FpVar<Fr>, b: &FpVar<Fr>| enforce_lt(a, b, 64);
        let max = u64::MAX;
        let modes = [Mode::Constant, Mode::Witness, Mode::Input];
        for ma in modes {
            for mb in modes {
                for (a, b) in [(0, 0), (4, 5), (5, 5), (0, max), (max, max)] {
                    assert_eq!(run(&le, a, b, ma, mb), Ok(true), "le {a} {b}");
                }
                for (a, b) in [(5, 4), (1, 0), (max, 0)] {
                    assert_ne!(run(&le, a, b, ma, mb), Ok(true), "le {a} {b}");
                }
                for (a, b) in [(0, 1), (4, 5), (0, max), (max - 1, max)] {
                    assert_eq!(run(&lt, a, b, ma, mb), Ok(true), "lt {a} {b}");
                }
                for (a, b) in [(5, 5), (0, 0), (5, 4), (max, max), (max, 0)] {
                    assert_ne!(run(&lt, a, b, ma, mb), Ok(true), "lt {a} {b}");
                }
            }
            // range_check of a constant, a witness or an input.
            let two64 = Fr::from(2u64).pow([64u64]);
            for (v, ok) in [
                (Fr::ZERO, true),
                (Fr::from(max), true),
                (two64, false),
                (-Fr::ONE, false),
            ] {
                let cs = ConstraintSystem::<Fr>::new_ref();
                let x = match ma {
                    Mode::Constant => FpVar::Constant(v),
                    Mode::Witness => witness(&cs, v),
                    Mode::Input => FpVar::new_input(cs.clone(), || Ok(v)).unwrap(),
                };
                let r = range_check(&x, 64).map(|bits| {
                    assert_eq!(bits.len(), 64);
                    cs.is_satisfied().unwrap()
                });
                if ok {
                    assert_eq!(r, Ok(true), "range_check {v}");
                } else {
                    assert_ne!(r, Ok(true), "range_check {v}");
                }
            }
        }
    }

    #[test]
    fn is_nonzero_is_exact_and_its_hint_cannot_lie() {
        for v in [Fr::ZERO, Fr::ONE, -Fr::ONE] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let x = witness(&cs, v);
            let nz = is_nonzero(&x).unwrap();
            assert_eq!(nz.value().unwrap(), !v.is_zero());
            assert!(cs.is_satisfied().unwrap());
        }
        // Claiming "nonzero" for zero, or "zero" for one, is unsatisfiable.
        for (v, claim) in [(Fr::ZERO, true), (Fr::ONE, false)] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let x = witness(&cs, v);
            let nz = Boolean::new_witness(cs.clone(), || Ok(claim)).unwrap();
            let inv = witness(&cs, v.inverse().unwrap_or(Fr::ONE));
            let nz_fp = FpVar::from(nz);
            x.mul_equals(&inv, &nz_fp).unwrap();
            x.mul_equals(&(FpVar::one() - &nz_fp), &FpVar::zero())
                .unwrap();
            assert!(!cs.is_satisfied().unwrap());
        }
    }
}
