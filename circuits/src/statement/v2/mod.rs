//! Statement v2: the issuer hidden in an accredited registry with validity
//! windows, a one-scan nullifier, and a time the gate fixes.
//!
//! Rules 1–7 on the record (`super::check_status`, the record commitment,
//! the issuer signature) under a private issuer key, and (numbered as in
//! `docs/circuit.md`):
//!
//! 8. the issuer's leaf `H_5(ISSUER_LEAF_TAG, Ax, Ay, not_before, not_after)`
//!    is in the registry whose root is public;
//! 9. `not_before ≤ now < not_after` (the issuer's window; a registry whose
//!    windows have all closed proves nothing: sunset);
//! 10. `one_scan ∈ {0, 1}` and
//!     `nullifier = one_scan · H_3(NULLIFIER_TAG, holder_secret, scope)`:
//!     a constant 0 in interactive mode, so proofs for a reused challenge
//!     share nothing; one value per holder and scope in one-scan mode.
//!
//! This module is the single source of truth for the public-input layout.

#[cfg(feature = "r1cs")]
pub mod constraints;

use super::{check_status, Challenge, NotGreen, StatusPolicy};
use crate::eddsa::{EddsaError, Signature};
use crate::poseidon::hash_fixed;
use crate::record::{HolderSecret, Record};
use crate::registry::{IssuerLeaf, MerklePath};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, MontFp};

/// Number of public inputs (the verifying key has one more `γ_abc` entry).
pub const N_PUBLIC_INPUTS: usize = 10;

/// Offset of the registry root.
pub const REGISTRY_ROOT: usize = 0;
/// Offset of `now`: the challenge's issue time (interactive) or the window's
/// start (one-scan), never the holder's choice.
pub const NOW: usize = 1;
/// Offset of the gate's challenge (0 in one-scan mode).
pub const CHALLENGE: usize = 2;
/// Offset of the mode bit: 1 for one-scan, 0 for interactive.
pub const ONE_SCAN: usize = 3;
/// Offset of the one-scan scope (0 in interactive mode).
pub const SCOPE: usize = 4;
/// Offset of the nullifier (0 in interactive mode).
pub const NULLIFIER: usize = 5;
/// Offset of the accepted-test-types mask (bit `code − 1` per test type).
pub const ACCEPTED_TEST_TYPES: usize = 6;
/// Offset of the maximum age of a PCR test (seconds; 0 if not accepted).
pub const MAX_AGE_PCR: usize = 7;
/// Offset of the maximum age of a rapid antigen test (seconds; 0 if not accepted).
pub const MAX_AGE_RAPID_ANTIGEN: usize = 8;
/// Offset of the minimum time since the last exposure (seconds).
pub const MIN_EXPOSURE_GAP: usize = 9;

/// The public inputs' names, in order.
pub const PUBLIC_INPUT_NAMES: [&str; N_PUBLIC_INPUTS] = [
    "registry_root",
    "now",
    "challenge",
    "one_scan",
    "scope",
    "nullifier",
    "accepted_test_types",
    "max_age_pcr",
    "max_age_rapid_antigen",
    "min_exposure_gap",
];

/// `"zkstatus.nullifier"` read as a big-endian integer.
pub const NULLIFIER_TAG: Fr = MontFp!("10664262562437861909241837178309932369929586");

/// A one-scan scope: a public field element the verifier derives from its
/// operator and the time window (outside the circuit), never chosen per
/// visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope(Fr);

impl Scope {
    /// Wrap a (canonical) field element.
    pub fn from_field(x: Fr) -> Self {
        Self(x)
    }

    /// The scope as a field element.
    pub fn to_field(&self) -> Fr {
        self.0
    }
}

/// A one-scan nullifier: `H_3(NULLIFIER_TAG, holder_secret, scope)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nullifier(Fr);

impl Nullifier {
    /// The holder's nullifier in `scope` (rule 10).
    pub fn new(secret: &HolderSecret, scope: &Scope) -> Self {
        Self(hash_fixed([NULLIFIER_TAG, secret.to_field(), scope.0]))
    }

    /// Wrap a (canonical) field element, as read from a payload.
    pub fn from_field(x: Fr) -> Self {
        Self(x)
    }

    /// The nullifier as a field element.
    pub fn to_field(&self) -> Fr {
        self.0
    }
}

/// How a proof is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Two scans: the gate shows a fresh challenge and fixes `now` to its
    /// issue time. The nullifier is 0.
    Interactive {
        /// The gate's challenge.
        challenge: Challenge,
    },
    /// One scan: the holder shows a pass for a time window; `now` is the
    /// window's start. The gate refuses a second pass with the same
    /// nullifier in the same scope.
    OneScan {
        /// The window's scope.
        scope: Scope,
        /// The holder's nullifier in that scope.
        nullifier: Nullifier,
    },
}

/// Everything the verifier knows and a v2 proof is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInputs {
    /// The registry root the issuer's leaf is under.
    pub registry_root: Fr,
    /// The time the statement is checked at (fixed by the gate).
    pub now: u64,
    /// The verifier's policy.
    pub policy: StatusPolicy,
    /// Interactive or one-scan, with the mode's values.
    pub mode: Mode,
}

impl PublicInputs {
    /// The public-input vector, in the order of the offsets above.
    pub fn to_field_elements(&self) -> [Fr; N_PUBLIC_INPUTS] {
        let mut v = [Fr::ZERO; N_PUBLIC_INPUTS];
        v[REGISTRY_ROOT] = self.registry_root;
        v[NOW] = Fr::from(self.now);
        match self.mode {
            Mode::Interactive { challenge } => v[CHALLENGE] = challenge.to_field(),
            Mode::OneScan { scope, nullifier } => {
                v[ONE_SCAN] = Fr::from(1u64);
                v[SCOPE] = scope.to_field();
                v[NULLIFIER] = nullifier.to_field();
            }
        }
        v[ACCEPTED_TEST_TYPES] = Fr::from(self.policy.accepted_mask());
        v[MAX_AGE_PCR] = Fr::from(self.policy.max_age_pcr.unwrap_or(0));
        v[MAX_AGE_RAPID_ANTIGEN] = Fr::from(self.policy.max_age_rapid_antigen.unwrap_or(0));
        v[MIN_EXPOSURE_GAP] = Fr::from(self.policy.min_exposure_gap);
        v
    }
}

/// Why the v2 statement fails natively.
///
/// The holder's explanation: it names their issuer's situation and is never
/// sent to a verifier (docs/security.md, item 87).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatementError {
    /// Rule 1: the signature does not verify on the record's commitment.
    #[error("the issuer signature does not verify on this record: {0}")]
    Signature(#[from] EddsaError),
    /// Rule 2: the record's holder is not `Poseidon(holder_secret)`.
    #[error("the holder secret does not match the record")]
    HolderMismatch,
    /// Rules 3–6.
    #[error("{0}")]
    NotGreen(#[from] NotGreen),
    /// Rule 8: the issuer's leaf and path do not give the registry root.
    #[error("the issuer is not in this registry (its path gives another root)")]
    NotInRegistry,
    /// Rule 9: `now < not_before`.
    #[error("the issuer is not accredited yet at this time")]
    IssuerNotYetAccredited,
    /// Rule 9: `now ≥ not_after` (the window closed: retired or sunset).
    #[error("the issuer's accreditation has ended (retired, or the registry's sunset)")]
    IssuerAccreditationEnded,
    /// Rule 10: the nullifier is not this holder's in this scope.
    #[error("the nullifier is not this holder's for this scope")]
    NullifierMismatch,
}

/// The whole v2 statement natively (the twin of [`constraints::StatusCircuit`]).
pub fn check_statement(
    public: &PublicInputs,
    record: &Record,
    holder_secret: &HolderSecret,
    signature: &Signature,
    issuer: &IssuerLeaf,
    path: &MerklePath,
) -> Result<(), StatementError> {
    // Rule 1.
    issuer.key.verify(record.commitment(), signature)?;
    // Rule 2.
    if holder_secret.commitment() != record.holder {
        return Err(StatementError::HolderMismatch);
    }
    // Rules 3–6.
    check_status(record, public.now, &public.policy)?;
    // Rule 8.
    if path.root(issuer.hash()) != public.registry_root {
        return Err(StatementError::NotInRegistry);
    }
    // Rule 9.
    if public.now < issuer.window.not_before() {
        return Err(StatementError::IssuerNotYetAccredited);
    }
    if public.now >= issuer.window.not_after() {
        return Err(StatementError::IssuerAccreditationEnded);
    }
    // Rule 10.
    if let Mode::OneScan { scope, nullifier } = public.mode {
        if Nullifier::new(holder_secret, &scope) != nullifier {
            return Err(StatementError::NullifierMismatch);
        }
    }
    Ok(())
}
