//! Statement v2 as a circuit: [`StatusCircuit`], twin of [`super::check_statement`].
//!
//! Rules 1–7 are v1's, through the same functions
//! (`statement::constraints::enforce_rules_1_to_7`); rules 8–10 follow. Every
//! group runs in an R1CS namespace named after its rule, and
//! `docs/circuit.md` gives each group's equations and count.

use super::{
    PublicInputs, ACCEPTED_TEST_TYPES, CHALLENGE, MAX_AGE_PCR, MAX_AGE_RAPID_ANTIGEN,
    MIN_EXPOSURE_GAP, NOW, NULLIFIER, NULLIFIER_TAG, N_PUBLIC_INPUTS, ONE_SCAN, REGISTRY_ROOT,
    SCOPE,
};
use crate::babyjubjub::constraints::PointVar;
use crate::bits::{
    constraints::{enforce_eq, enforce_le, enforce_lt, enforce_mul, range_check},
    TIME_BITS,
};
use crate::eddsa::Signature;
use crate::poseidon::constraints::hash as poseidon;
use crate::record::{HolderSecret, Record};
use crate::registry::{
    constraints::{leaf_hash, MerklePathVar},
    IssuerLeaf, MerklePath, ARITY, DEPTH, INDEX_BITS,
};
use crate::statement::constraints::{
    enforce_rules_1_to_7, shape_of, CircuitShape, PolicyInputs, RecordVars, RecordWitness,
};
use ark_bn254::Fr;
use ark_r1cs_std::{
    alloc::AllocVar,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::{
    ns,
    r1cs::{
        ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal,
        SynthesisError, SynthesisMode,
    },
};

/// The private witness of statement v2, raw, so that tests can hand the
/// circuit what a malicious prover would.
#[derive(Clone, PartialEq, Eq)]
pub struct StatusWitness {
    /// The record, holder secret and signature (rules 1–6), as in v1.
    pub record: RecordWitness,
    /// The issuer key's `x` (private in v2).
    pub issuer_ax: Fr,
    /// The issuer key's `y`.
    pub issuer_ay: Fr,
    /// The issuer's window start.
    pub not_before: Fr,
    /// The issuer's window end.
    pub not_after: Fr,
    /// The leaf index, little-endian bits.
    pub index_bits: [bool; INDEX_BITS],
    /// The siblings, leaf level first.
    pub siblings: [[Fr; ARITY - 1]; DEPTH],
}

impl core::fmt::Debug for StatusWitness {
    /// Prints nothing: every field is secret (the issuer key too, in v2).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StatusWitness").finish_non_exhaustive()
    }
}

impl StatusWitness {
    /// The witness for a holder's credential from `issuer`, at `path`.
    pub fn new(
        record: &Record,
        holder_secret: &HolderSecret,
        signature: &Signature,
        issuer: &IssuerLeaf,
        path: &MerklePath,
    ) -> Self {
        let leaf = issuer.to_field_elements();
        Self {
            record: RecordWitness::new(record, holder_secret, signature),
            issuer_ax: leaf[1],
            issuer_ay: leaf[2],
            not_before: leaf[3],
            not_after: leaf[4],
            index_bits: path.index_bits(),
            siblings: *path.siblings(),
        }
    }
}

/// The v2 circuit. With `public` and `witness` both `None` it is the shape
/// used for key generation; the shape never depends on the values.
#[derive(Clone, Debug, Default)]
pub struct StatusCircuit {
    /// The public-input vector, as [`PublicInputs::to_field_elements`] encodes it.
    pub public: Option<[Fr; N_PUBLIC_INPUTS]>,
    /// The private witness.
    pub witness: Option<StatusWitness>,
}

impl StatusCircuit {
    /// The circuit for proving.
    pub fn new(public: &PublicInputs, witness: StatusWitness) -> Self {
        Self {
            public: Some(public.to_field_elements()),
            witness: Some(witness),
        }
    }

    /// The circuit without values, for setup.
    pub fn blank() -> Self {
        Self::default()
    }
}

impl ConstraintSynthesizer<Fr> for StatusCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        // public inputs, allocated in the one order PublicInputs defines
        let public = self.public;
        let mut inputs = Vec::with_capacity(N_PUBLIC_INPUTS);
        for i in 0..N_PUBLIC_INPUTS {
            inputs.push(FpVar::new_input(cs.clone(), || {
                public
                    .map(|p| p[i])
                    .ok_or(SynthesisError::AssignmentMissing)
            })?);
        }
        let root = &inputs[REGISTRY_ROOT];
        let now = &inputs[NOW];
        let challenge = &inputs[CHALLENGE];
        let one_scan = &inputs[ONE_SCAN];
        let scope = &inputs[SCOPE];
        let nullifier = &inputs[NULLIFIER];
        let accepted = &inputs[ACCEPTED_TEST_TYPES];
        let max_age_pcr = &inputs[MAX_AGE_PCR];
        let max_age_antigen = &inputs[MAX_AGE_RAPID_ANTIGEN];
        let min_gap = &inputs[MIN_EXPOSURE_GAP];

        // witness: the record rules' first, in v1's order, then the issuer.
        let w = self.witness;
        let record = RecordVars::new_witness(cs.clone(), w.as_ref().map(|w| &w.record))?;
        let wit = |f: fn(&StatusWitness) -> Fr| {
            FpVar::new_witness(cs.clone(), || {
                w.as_ref().map(f).ok_or(SynthesisError::AssignmentMissing)
            })
        };
        let issuer =
            PointVar::from_coordinates_unchecked(wit(|w| w.issuer_ax)?, wit(|w| w.issuer_ay)?);
        let not_before = wit(|w| w.not_before)?;
        let not_after = wit(|w| w.not_after)?;
        let path = {
            // Rule 8: the index bits are booleans.
            let _ns = ns!(cs, "rule8_index_bits_boolean");
            MerklePathVar::new_witness(
                cs.clone(),
                || {
                    w.as_ref()
                        .map(|w| w.index_bits)
                        .ok_or(SynthesisError::AssignmentMissing)
                },
                || {
                    w.as_ref()
                        .map(|w| w.siblings)
                        .ok_or(SynthesisError::AssignmentMissing)
                },
            )?
        };
        let holder_secret = record.holder_secret().clone();

        // Rules 1–7, as in v1, under the (private) issuer key, whose
        // on-curve check they include.
        enforce_rules_1_to_7(
            &cs,
            &issuer,
            &PolicyInputs {
                now,
                challenge,
                accepted,
                max_age_pcr,
                max_age_antigen,
                min_gap,
            },
            record,
        )?;

        // Rule 8: H_5(ISSUER_LEAF_TAG, Ax, Ay, not_before, not_after) is a
        // leaf of the tree whose root is public.
        let leaf = {
            let _ns = ns!(cs, "rule8_issuer_leaf");
            leaf_hash(&issuer.x, &issuer.y, &not_before, &not_after)?
        };
        {
            let _ns = ns!(cs, "rule8_issuer_in_registry");
            enforce_eq(&path.root(&leaf)?, root)?;
        }

        // Rule 9: not_before ≤ now < not_after, all below 2^64.
        {
            let _ns = ns!(cs, "rule9_window_in_range");
            range_check(&not_before, TIME_BITS)?;
            range_check(&not_after, TIME_BITS)?;
        }
        {
            let _ns = ns!(cs, "rule9_issuer_accredited_yet");
            enforce_le(&not_before, now, TIME_BITS)?;
        }
        {
            let _ns = ns!(cs, "rule9_issuer_window_open");
            enforce_lt(now, &not_after, TIME_BITS)?;
        }

        // Rule 10: one_scan ∈ {0, 1} …
        {
            let _ns = ns!(cs, "rule10_mode_is_a_bit");
            enforce_mul(one_scan, &(FpVar::one() - one_scan), &FpVar::zero())?;
        }
        // Rule 10: the modes are exclusive: a one-scan proof carries no
        // challenge, an interactive one no scope: one_scan · challenge = 0,
        // (1 − one_scan) · scope = 0.
        {
            let _ns = ns!(cs, "rule10_modes_exclusive");
            enforce_mul(one_scan, challenge, &FpVar::zero())?;
            enforce_mul(&(FpVar::one() - one_scan), scope, &FpVar::zero())?;
        }
        // Rule 10: nullifier = one_scan · H_3(NULLIFIER_TAG, holder_secret, scope).
        {
            let _ns = ns!(cs, "rule10_nullifier");
            let h = poseidon(&[FpVar::Constant(NULLIFIER_TAG), holder_secret, scope.clone()])?;
            enforce_mul(one_scan, &h, nullifier)?;
        }
        Ok(())
    }
}

/// The shape of v2's [`StatusCircuit`], synthesized in setup mode.
pub fn circuit_shape() -> Result<CircuitShape, SynthesisError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    StatusCircuit::blank().generate_constraints(cs.clone())?;
    shape_of(&cs)
}
