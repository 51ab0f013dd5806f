//! The record rules shared by the statement's circuit
//! ([`super::v2::constraints::StatusCircuit`]): the witness of rules 1–6
//! ([`RecordWitness`]), rules 1–7 as one function, and the circuit's shape
//! ([`CircuitShape`], [`matrix_hash`]).
//!
//! Every enforcement below is preceded by the rule it enforces, and every
//! group runs in an R1CS namespace named after the rule, so
//! `which_is_unsatisfied()` reports e.g. `rule4_test_recent_enough`.
//! `docs/circuit.md` gives each group's equations and constraint count.

use crate::babyjubjub::{constraints::PointVar, Point};
use crate::bits::{
    constraints::{enforce_eq, enforce_le, enforce_lt, enforce_mul, is_nonzero, range_check},
    TIME_BITS,
};
use crate::eddsa::{
    constraints::{verify as eddsa_verify, SignatureVar},
    Signature,
};
use crate::poseidon::constraints::hash as poseidon;
use crate::record::{HolderSecret, Record, DOMAIN_TAG, FORMAT_VERSION};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::AllocVar,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::{
    ns,
    r1cs::{ConstraintMatrices, ConstraintSystemRef, SynthesisError},
};
use sha2::{Digest, Sha256};

/// The private witness of rules 1–6 (the record, the holder secret and the
/// signature) as raw field elements.
///
/// Raw, rather than a validated [`Record`], so that tests can hand the
/// circuit what a malicious prover would (a test time of `p − 1`, a test
/// type of 3, an off-curve `R8`). [`RecordWitness::new`] builds it from
/// validated types.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordWitness {
    /// The holder's secret.
    pub holder_secret: Fr,
    /// Record field `test_result`.
    pub test_result: Fr,
    /// Record field `test_type`.
    pub test_type: Fr,
    /// Record field `test_time`.
    pub test_time: Fr,
    /// Record field `exposure_time`.
    pub exposure_time: Fr,
    /// Record field `issued_at`.
    pub issued_at: Fr,
    /// Record field `expires_at`.
    pub expires_at: Fr,
    /// Record field `credential_id`.
    pub credential_id: Fr,
    /// Signature nonce point.
    pub r8: Point,
    /// Signature scalar, as a field element.
    pub s: Fr,
}

impl core::fmt::Debug for RecordWitness {
    /// Prints nothing: every field is secret.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RecordWitness").finish_non_exhaustive()
    }
}

impl RecordWitness {
    /// The witness for a holder's credential.
    pub fn new(record: &Record, holder_secret: &HolderSecret, signature: &Signature) -> Self {
        let f = record.to_field_elements();
        // Indices into Record::to_field_elements (tag and version are 0 and 1).
        Self {
            holder_secret: holder_secret.to_field(),
            test_result: f[3],
            test_type: f[4],
            test_time: f[5],
            exposure_time: f[6],
            issued_at: f[7],
            expires_at: f[8],
            credential_id: f[9],
            r8: signature.r8(),
            s: Fr::from_le_bytes_mod_order(&signature.s().into_bigint().to_bytes_le()),
        }
    }
}

/// The witness of rules 1–6: the holder secret, the record's fields and the
/// signature, allocated in this order (the order fixes the matrices).
pub(crate) struct RecordVars {
    holder_secret: FpVar<Fr>,
    test_result: FpVar<Fr>,
    test_type: FpVar<Fr>,
    test_time: FpVar<Fr>,
    exposure_time: FpVar<Fr>,
    issued_at: FpVar<Fr>,
    expires_at: FpVar<Fr>,
    credential_id: FpVar<Fr>,
    signature: SignatureVar,
}

impl RecordVars {
    /// Allocate the witness of rules 1–6 (`None`: setup mode).
    pub(crate) fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        w: Option<&RecordWitness>,
    ) -> Result<Self, SynthesisError> {
        let wit = |f: fn(&RecordWitness) -> Fr| {
            FpVar::new_witness(cs.clone(), || {
                w.map(f).ok_or(SynthesisError::AssignmentMissing)
            })
        };
        let holder_secret = wit(|w| w.holder_secret)?;
        let test_result = wit(|w| w.test_result)?;
        let test_type = wit(|w| w.test_type)?;
        let test_time = wit(|w| w.test_time)?;
        let exposure_time = wit(|w| w.exposure_time)?;
        let issued_at = wit(|w| w.issued_at)?;
        let expires_at = wit(|w| w.expires_at)?;
        let credential_id = wit(|w| w.credential_id)?;
        let signature = {
            let _ns = ns!(cs, "signature_r8_on_curve");
            SignatureVar::new_witness_from_parts(
                cs.clone(),
                || w.map(|w| w.r8).ok_or(SynthesisError::AssignmentMissing),
                || w.map(|w| w.s).ok_or(SynthesisError::AssignmentMissing),
            )?
        };
        Ok(Self {
            holder_secret,
            test_result,
            test_type,
            test_time,
            exposure_time,
            issued_at,
            expires_at,
            credential_id,
            signature,
        })
    }

    /// The holder secret's variable (statement v2's nullifier hashes it).
    pub(crate) fn holder_secret(&self) -> &FpVar<Fr> {
        &self.holder_secret
    }
}

/// The verifier's clock and policy as the record rules use them.
struct PolicyVars<'a> {
    now: &'a FpVar<Fr>,
    accept_pcr: FpVar<Fr>,
    accept_antigen: FpVar<Fr>,
    max_age_pcr: &'a FpVar<Fr>,
    max_age_antigen: &'a FpVar<Fr>,
    min_gap: &'a FpVar<Fr>,
}

/// The verifier's clock, challenge and policy as public-input variables.
pub(crate) struct PolicyInputs<'a> {
    pub(crate) now: &'a FpVar<Fr>,
    pub(crate) challenge: &'a FpVar<Fr>,
    pub(crate) accepted: &'a FpVar<Fr>,
    pub(crate) max_age_pcr: &'a FpVar<Fr>,
    pub(crate) max_age_antigen: &'a FpVar<Fr>,
    pub(crate) min_gap: &'a FpVar<Fr>,
}

/// Rules 1–7 under the issuer key `issuer`: the challenge bound, the public
/// policy in range, then the record rules. Statements v1 and v2 both call
/// this, so they share one order and one set of constraints.
pub(crate) fn enforce_rules_1_to_7(
    cs: &ConstraintSystemRef<Fr>,
    issuer: &PointVar,
    p: &PolicyInputs<'_>,
    record: RecordVars,
) -> Result<(), SynthesisError> {
    // Rule 7: the challenge is bound by a constraint (challenge² = c²),
    // so no optimiser can drop it from the matrices.
    {
        let _ns = ns!(cs, "rule7_challenge_bound");
        let _ = p.challenge.square()?;
    }

    // Range: public times and policy values are below 2^64, the mask below 2^2.
    let (accept_pcr, accept_antigen) = {
        let _ns = ns!(cs, "public_inputs_in_range");
        policy_in_range(
            p.now,
            p.accepted,
            p.max_age_pcr,
            p.max_age_antigen,
            p.min_gap,
        )?
    };

    enforce_record_rules(
        cs,
        issuer,
        &PolicyVars {
            now: p.now,
            accept_pcr,
            accept_antigen,
            max_age_pcr: p.max_age_pcr,
            max_age_antigen: p.max_age_antigen,
            min_gap: p.min_gap,
        },
        record,
    )
}

/// Public times and policy values below 2^64, the accepted-types mask below
/// 2^2; returns the mask's two bits (PCR, antigen).
fn policy_in_range(
    now: &FpVar<Fr>,
    accepted: &FpVar<Fr>,
    max_age_pcr: &FpVar<Fr>,
    max_age_antigen: &FpVar<Fr>,
    min_gap: &FpVar<Fr>,
) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    range_check(now, TIME_BITS)?;
    range_check(max_age_pcr, TIME_BITS)?;
    range_check(max_age_antigen, TIME_BITS)?;
    range_check(min_gap, TIME_BITS)?;
    let mask = range_check(accepted, 2)?;
    Ok((FpVar::from(mask[0].clone()), FpVar::from(mask[1].clone())))
}

/// Rules 1–6 on the record, under the issuer key `issuer` (its on-curve
/// check included): shared by statements v1 and v2, in one order.
fn enforce_record_rules(
    cs: &ConstraintSystemRef<Fr>,
    issuer: &PointVar,
    p: &PolicyVars<'_>,
    r: RecordVars,
) -> Result<(), SynthesisError> {
    let PolicyVars {
        now,
        accept_pcr,
        accept_antigen,
        max_age_pcr,
        max_age_antigen,
        min_gap,
    } = p;
    let RecordVars {
        holder_secret,
        test_result,
        test_type,
        test_time,
        exposure_time,
        issued_at,
        expires_at,
        credential_id,
        signature,
    } = r;
    // Issuer key is a curve point: a·Ax² + Ay² = 1 + d·Ax²·Ay².
    {
        let _ns = ns!(cs, "issuer_key_on_curve");
        issuer.enforce_on_curve()?;
    }

    // Rule 2: holder = Poseidon(holder_secret).
    let holder = {
        let _ns = ns!(cs, "rule2_holder_commitment");
        poseidon(&[holder_secret])?
    };

    // Rule 1: C = Poseidon(tag, version, holder, result, type, test_time,
    // exposure_time, issued_at, expires_at, credential_id) …
    let commitment = {
        let _ns = ns!(cs, "rule1_record_commitment");
        poseidon(&[
            FpVar::Constant(DOMAIN_TAG),
            FpVar::Constant(Fr::from(FORMAT_VERSION)),
            holder,
            test_result.clone(),
            test_type.clone(),
            test_time.clone(),
            exposure_time.clone(),
            issued_at.clone(),
            expires_at.clone(),
            credential_id,
        ])?
    };
    // … and (R8, S) is a valid issuer signature on C.
    {
        let _ns = ns!(cs, "rule1_issuer_signature");
        eddsa_verify(issuer, &commitment, &signature)?;
    }

    // Rule 3: test_result = 0 (negative).
    {
        let _ns = ns!(cs, "rule3_test_negative");
        enforce_eq(&test_result, &FpVar::zero())?;
    }
    // Rule 3: test_type ∈ {1, 2}: (t − 1)(t − 2) = 0.
    let t_minus_1 = &test_type - Fr::from(1u64);
    {
        let _ns = ns!(cs, "rule3_test_type_known");
        enforce_mul(&t_minus_1, &(&test_type - Fr::from(2u64)), &FpVar::zero())?;
    }
    // Rule 3: the policy accepts the type: m_pcr + (t − 1)(m_ag − m_pcr) = 1.
    {
        let _ns = ns!(cs, "rule3_test_type_accepted");
        enforce_mul(
            &t_minus_1,
            &(accept_antigen - accept_pcr),
            &(FpVar::one() - accept_pcr),
        )?;
    }

    // Range: record times below 2^64, before any subtraction.
    {
        let _ns = ns!(cs, "record_times_in_range");
        range_check(&test_time, TIME_BITS)?;
        range_check(&exposure_time, TIME_BITS)?;
        range_check(&issued_at, TIME_BITS)?;
        range_check(&expires_at, TIME_BITS)?;
    }

    // Rule 4: test_time ≤ now.
    let age = {
        let _ns = ns!(cs, "rule4_test_not_in_future");
        enforce_le(&test_time, now, TIME_BITS)?;
        *now - &test_time
    };
    // Rule 4: now − test_time ≤ max_age(type), max_age = w_pcr + (t − 1)(w_ag − w_pcr).
    {
        let _ns = ns!(cs, "rule4_test_recent_enough");
        let max_age = *max_age_pcr + &t_minus_1 * &(*max_age_antigen - *max_age_pcr);
        enforce_le(&age, &max_age, TIME_BITS)?;
    }

    // Rule 5: exposure_time = 0, or now − exposure_time − min_gap ∈ [0, 2^64),
    // which with all three below 2^64 means exposure_time + min_gap ≤ now.
    {
        let _ns = ns!(cs, "rule5_no_recent_exposure");
        let exposed = FpVar::from(is_nonzero(&exposure_time)?);
        let slack = &exposed * &(*now - &exposure_time - *min_gap);
        range_check(&slack, TIME_BITS)?;
    }

    // Rule 6: issued_at ≤ now.
    {
        let _ns = ns!(cs, "rule6_issued_not_after_now");
        enforce_le(&issued_at, now, TIME_BITS)?;
    }
    // Rule 6: now < expires_at.
    {
        let _ns = ns!(cs, "rule6_not_expired");
        enforce_lt(now, &expires_at, TIME_BITS)?;
    }
    Ok(())
}

/// The circuit's shape: what a verifying key is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitShape {
    /// Number of R1CS constraints.
    pub num_constraints: usize,
    /// Number of instance variables, including the constant `1`.
    pub num_instance_variables: usize,
    /// Number of witness variables.
    pub num_witness_variables: usize,
    /// SHA-256 of the finalized constraint matrices ([`matrix_hash`]).
    pub matrix_hash: [u8; 32],
}

/// SHA-256 over a canonical encoding of the matrices: the tag
/// `zkstatus-r1cs-v1`, the three counts, then for `A`, `B`, `C` in turn each
/// row as its length and its `(coefficient, column)` pairs (coefficients as
/// 32 little-endian bytes, all integers as `u64` little-endian).
pub fn matrix_hash(m: &ConstraintMatrices<Fr>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkstatus-r1cs-v1");
    for n in [
        m.num_instance_variables,
        m.num_witness_variables,
        m.num_constraints,
    ] {
        h.update((n as u64).to_le_bytes());
    }
    for matrix in [&m.a, &m.b, &m.c] {
        for row in matrix {
            h.update((row.len() as u64).to_le_bytes());
            for (coeff, col) in row {
                h.update(coeff.into_bigint().to_bytes_le());
                h.update((*col as u64).to_le_bytes());
            }
        }
    }
    h.finalize().into()
}

/// Finalize `cs` (inline every linear combination) and describe its shape.
pub fn shape_of(cs: &ConstraintSystemRef<Fr>) -> Result<CircuitShape, SynthesisError> {
    cs.finalize();
    let m = cs.to_matrices().ok_or(SynthesisError::MissingCS)?;
    Ok(CircuitShape {
        num_constraints: m.num_constraints,
        num_instance_variables: m.num_instance_variables,
        num_witness_variables: m.num_witness_variables,
        matrix_hash: matrix_hash(&m),
    })
}
