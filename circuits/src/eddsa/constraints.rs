//! EdDSA-Poseidon verification as R1CS, twin of [`super::PublicKey::verify`].
//!
//! Checks, for a public key `A` (on the curve, allocated by the caller),
//! a message `M` and a witness signature `(R8, S)`:
//!
//! 1. `S < l` (251-bit decomposition, compared with `l − 1`);
//! 2. `P = 8·A` by three doublings, and `x(P) ≠ 0`: `A` has no small-order
//!    part only, and is not the identity (then `P = O`);
//! 3. `R8` is on the curve (on allocation) and `x(R8) ≠ 0`;
//! 4. `hm = Poseidon(R8x, R8y, Ax, Ay, M)` and its strict 254-bit decomposition;
//! 5. `[S]·Base8 = R8 + [hm]·P`.
//!
//! This is circomlib's `EdDSAPoseidonVerifier` with `enabled = 1`, plus the
//! identity check on `R8`. Since `[S]·Base8` and `[hm]·P` lie in the
//! prime-order subgroup, (5) also forces `R8` into it.

use super::Signature;
use crate::babyjubjub::constraints::{mul_fixed_base_le, mul_le, PointVar};
use crate::babyjubjub::{Fq, BASE8, SUBGROUP_ORDER_BITS};
use crate::bits::constraints::{enforce_le_constant, range_check, to_bits_le_strict};
use crate::poseidon::constraints::hash as poseidon;
use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::{AllocVar, AllocationMode},
    fields::fp::FpVar,
    R1CSVar,
};
use ark_relations::{
    ns,
    r1cs::{ConstraintSystemRef, Namespace, SynthesisError},
};
use core::borrow::Borrow;

/// A signature in the circuit: the nonce point `R8` (on the curve) and the
/// scalar `S` as a field element (its range is checked by [`verify`]).
#[derive(Clone, Debug)]
pub struct SignatureVar {
    /// The nonce point.
    pub r8: PointVar,
    /// The response scalar.
    pub s: FpVar<Fq>,
}

impl R1CSVar<Fq> for SignatureVar {
    type Value = (crate::babyjubjub::Point, Fq);

    fn cs(&self) -> ConstraintSystemRef<Fq> {
        self.r8.cs().or(self.s.cs())
    }

    fn value(&self) -> Result<Self::Value, SynthesisError> {
        Ok((self.r8.value()?, self.s.value()?))
    }
}

impl AllocVar<Signature, Fq> for SignatureVar {
    fn new_variable<T: Borrow<Signature>>(
        cs: impl Into<Namespace<Fq>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let value = f().map(|s| *s.borrow());
        let r8 = PointVar::new_variable(cs.clone(), || value.map(|s| s.r8()), mode)?;
        let s = FpVar::new_variable(
            cs,
            || {
                value.map(|s| {
                    Fq::from_bigint(crate::eddsa::constraints::widen(s.s())).unwrap_or_default()
                })
            },
            mode,
        )?;
        Ok(Self { r8, s })
    }
}

impl SignatureVar {
    /// Allocate a signature from raw parts, without the native checks
    /// (`S < l`, `R8 ≠ O`), so that tests can hand the gadget what a
    /// malicious prover would. `R8` is still constrained to the curve.
    pub fn new_witness_from_parts(
        cs: ConstraintSystemRef<Fq>,
        r8: impl FnOnce() -> Result<crate::babyjubjub::Point, SynthesisError>,
        s: impl FnOnce() -> Result<Fq, SynthesisError>,
    ) -> Result<Self, SynthesisError> {
        let r8 = PointVar::new_witness(cs.clone(), r8)?;
        let s = FpVar::new_witness(cs, s)?;
        Ok(Self { r8, s })
    }
}

/// `S` (below `l < p`) as the same integer in the base field's representation.
pub(crate) fn widen(s: crate::babyjubjub::Fs) -> ark_ff::BigInt<4> {
    s.into_bigint()
}

/// The little-endian bits of `l − 1`.
fn subgroup_order_minus_one_bits() -> Vec<bool> {
    crate::bits::modulus_minus_one_bits::<crate::babyjubjub::Fs>()
}

/// Enforce that `sig` is a valid EdDSA-Poseidon signature on `msg` under `a`.
///
/// `a` must already be constrained to the curve (as [`PointVar`]'s
/// allocation does); its subgroup membership is the verifier's native check.
pub fn verify(a: &PointVar, msg: &FpVar<Fq>, sig: &SignatureVar) -> Result<(), SynthesisError> {
    let cs = a.cs().or(msg.cs()).or(sig.cs());

    // EdDSA rule S < l: 251 bits and bits ≤ l − 1.
    let s_bits = {
        let _ns = ns!(cs, "eddsa_s_below_subgroup_order");
        let s_bits = range_check(&sig.s, SUBGROUP_ORDER_BITS)?;
        enforce_le_constant(&s_bits, &subgroup_order_minus_one_bits())?;
        s_bits
    };

    // EdDSA rule P = 8·A is not the identity: A is neither O nor of small order.
    let p = {
        let _ns = ns!(cs, "eddsa_key_not_small_order");
        let p = a.double()?.double()?.double()?;
        p.enforce_x_nonzero()?;
        p
    };

    // EdDSA rule R8 ≠ O (and ≠ (0, −1)).
    {
        let _ns = ns!(cs, "eddsa_r8_not_identity");
        sig.r8.enforce_x_nonzero()?;
    }

    // EdDSA challenge hm = Poseidon(R8x, R8y, Ax, Ay, M), strictly decomposed.
    let hm_bits = {
        let _ns = ns!(cs, "eddsa_challenge_hash");
        let hm = poseidon(&[
            sig.r8.x.clone(),
            sig.r8.y.clone(),
            a.x.clone(),
            a.y.clone(),
            msg.clone(),
        ])?;
        to_bits_le_strict(&hm)?
    };

    // EdDSA verification equation [S]·Base8 = R8 + [hm]·(8·A).
    let _ns = ns!(cs, "eddsa_verification_equation");
    let left = mul_fixed_base_le(&BASE8, &s_bits)?;
    let right = sig.r8.add(&mul_le(&p, &hm_bits)?)?;
    left.enforce_equal(&right)
}

/// Little-endian bits of `S` (used by tests).
pub fn s_bits_native(s: &Fq) -> Vec<bool> {
    let mut b = s.into_bigint().to_bits_le();
    b.truncate(SUBGROUP_ORDER_BITS);
    b
}
