//! The zkstatus statement: public inputs, policy, and the native status check.
//!
//! This module is the single source of truth for the public-input layout.
//! The prover, the native verifier, the browser verifier and the tests all
//! encode through [`PublicInputs::to_field_elements`], and the circuit in
//! [`constraints`] allocates its inputs from that same array.
//!
//! The rules (numbered as in `docs/circuit.md`):
//!
//! 1. `C` is the commitment of the private record and `(R8, S)` is a valid
//!    issuer signature on `C` under the public key `A`;
//! 2. `holder = Poseidon(holder_secret)`;
//! 3. `test_result = 0` (negative) and `test_type` is one the policy accepts;
//! 4. `test_time ≤ now` and `now − test_time ≤ max_test_age(test_type)`;
//! 5. `exposure_time = 0`, or `exposure_time ≤ now` and
//!    `now − exposure_time ≥ min_exposure_gap`;
//! 6. `issued_at ≤ now < expires_at`;
//! 7. the challenge is bound by a constraint.

#[cfg(feature = "r1cs")]
pub mod constraints;
pub mod v2;

use crate::eddsa::{EddsaError, PublicKey, Signature};
use crate::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use ark_bn254::Fr;
use ark_ff::UniformRand;
use ark_std::rand::{CryptoRng, RngCore};

/// Number of public inputs (the verifying key has one more `γ_abc` entry).
pub const N_PUBLIC_INPUTS: usize = 8;

/// Offset of the issuer key's `x` coordinate.
pub const ISSUER_AX: usize = 0;
/// Offset of the issuer key's `y` coordinate.
pub const ISSUER_AY: usize = 1;
/// Offset of `now`, the verifier's clock (unix seconds).
pub const NOW: usize = 2;
/// Offset of the verifier's challenge.
pub const CHALLENGE: usize = 3;
/// Offset of the accepted-test-types mask (bit `code − 1` per [`TestType`]).
pub const ACCEPTED_TEST_TYPES: usize = 4;
/// Offset of the maximum age of a PCR test (seconds; 0 if not accepted).
pub const MAX_AGE_PCR: usize = 5;
/// Offset of the maximum age of a rapid antigen test (seconds; 0 if not accepted).
pub const MAX_AGE_RAPID_ANTIGEN: usize = 6;
/// Offset of the minimum time since the last exposure (seconds).
pub const MIN_EXPOSURE_GAP: usize = 7;

/// The public inputs' names, in order.
pub const PUBLIC_INPUT_NAMES: [&str; N_PUBLIC_INPUTS] = [
    "issuer_ax",
    "issuer_ay",
    "now",
    "challenge",
    "accepted_test_types",
    "max_age_pcr",
    "max_age_rapid_antigen",
    "min_exposure_gap",
];

/// Why a policy cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A policy must accept at least one test type.
    #[error("a status policy must accept at least one test type")]
    NoTestTypeAccepted,
}

/// A venue's rule for "green": which tests it accepts and how recent they
/// must be, and how long ago an exposure must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusPolicy {
    max_age_pcr: Option<u64>,
    max_age_rapid_antigen: Option<u64>,
    min_exposure_gap: u64,
}

impl StatusPolicy {
    /// A policy; `None` means the test type is not accepted.
    pub fn new(
        max_age_pcr: Option<u64>,
        max_age_rapid_antigen: Option<u64>,
        min_exposure_gap: u64,
    ) -> Result<Self, PolicyError> {
        if max_age_pcr.is_none() && max_age_rapid_antigen.is_none() {
            return Err(PolicyError::NoTestTypeAccepted);
        }
        Ok(Self {
            max_age_pcr,
            max_age_rapid_antigen,
            min_exposure_gap,
        })
    }

    /// The maximum test age for `t`, `None` if `t` is not accepted.
    pub fn max_test_age(&self, t: TestType) -> Option<u64> {
        match t {
            TestType::Pcr => self.max_age_pcr,
            TestType::RapidAntigen => self.max_age_rapid_antigen,
        }
    }

    /// Minimum seconds between an exposure and `now`.
    pub fn min_exposure_gap(&self) -> u64 {
        self.min_exposure_gap
    }

    /// The accepted-test-types mask.
    pub fn accepted_mask(&self) -> u64 {
        TestType::ALL
            .iter()
            .filter(|t| self.max_test_age(**t).is_some())
            .map(|t| t.mask_bit())
            .sum()
    }
}

/// A verifier's challenge: a field element chosen fresh per presentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Challenge(Fr);

impl Challenge {
    /// A fresh uniformly random challenge.
    pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self(Fr::rand(rng))
    }

    /// Wrap a (canonical) field element.
    pub fn from_field(x: Fr) -> Self {
        Self(x)
    }

    /// The challenge as a field element.
    pub fn to_field(&self) -> Fr {
        self.0
    }
}

/// Everything the verifier knows and the proof is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInputs {
    /// The issuer's public key.
    pub issuer: PublicKey,
    /// The verifier's clock, unix seconds.
    pub now: u64,
    /// The verifier's policy.
    pub policy: StatusPolicy,
    /// The verifier's challenge.
    pub challenge: Challenge,
}

impl PublicInputs {
    /// The public-input vector, in the order of the offsets above.
    pub fn to_field_elements(&self) -> [Fr; N_PUBLIC_INPUTS] {
        let mut v = [Fr::from(0u64); N_PUBLIC_INPUTS];
        v[ISSUER_AX] = self.issuer.x();
        v[ISSUER_AY] = self.issuer.y();
        v[NOW] = Fr::from(self.now);
        v[CHALLENGE] = self.challenge.to_field();
        v[ACCEPTED_TEST_TYPES] = Fr::from(self.policy.accepted_mask());
        v[MAX_AGE_PCR] = Fr::from(self.policy.max_age_pcr.unwrap_or(0));
        v[MAX_AGE_RAPID_ANTIGEN] = Fr::from(self.policy.max_age_rapid_antigen.unwrap_or(0));
        v[MIN_EXPOSURE_GAP] = Fr::from(self.policy.min_exposure_gap);
        v
    }
}

/// Why a record is not green at `now` under a policy.
///
/// This is the *holder's* explanation and carries the holder's own data;
/// it is never sent to a verifier (docs/security.md, item 87).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotGreen {
    /// Rule 3: the test was positive.
    #[error("the test result is positive")]
    TestPositive,
    /// Rule 3: the policy does not accept this kind of test.
    #[error("the policy does not accept {} tests", .0.name())]
    TestTypeNotAccepted(TestType),
    /// Rule 4: the test is dated after `now`.
    #[error("the test is dated in the future")]
    TestInFuture,
    /// Rule 4: the test is older than the policy allows.
    #[error("the test is {age} s old; the policy accepts at most {max_age} s")]
    TestTooOld {
        /// `now − test_time`.
        age: u64,
        /// The policy's maximum for this test type.
        max_age: u64,
    },
    /// Rule 5: the recorded exposure is dated after `now`.
    #[error("the recorded exposure is dated in the future")]
    ExposureInFuture,
    /// Rule 5: the exposure is too recent.
    #[error("the last exposure was {since} s ago; the policy requires {min_gap} s")]
    ExposureTooRecent {
        /// `now − exposure_time`.
        since: u64,
        /// The policy's minimum gap.
        min_gap: u64,
    },
    /// Rule 6: `now < issued_at`.
    #[error("the credential is not valid yet")]
    NotYetValid,
    /// Rule 6: `now ≥ expires_at`.
    #[error("the credential has expired")]
    Expired,
}

/// Rules 3–6 natively: whether `record` is green at `now` under `policy`.
/// The boundaries are those of the circuit: a test exactly `max_age` old is
/// accepted, an exposure exactly `min_gap` ago is accepted, `now = expires_at`
/// is expired.
pub fn check_status(record: &Record, now: u64, policy: &StatusPolicy) -> Result<(), NotGreen> {
    // Rule 3.
    if record.test_result != TestResult::Negative {
        return Err(NotGreen::TestPositive);
    }
    let max_age = policy
        .max_test_age(record.test_type)
        .ok_or(NotGreen::TestTypeNotAccepted(record.test_type))?;
    // Rule 4.
    let age = now
        .checked_sub(record.test_time)
        .ok_or(NotGreen::TestInFuture)?;
    if age > max_age {
        return Err(NotGreen::TestTooOld { age, max_age });
    }
    // Rule 5.
    if record.exposure_time != NO_EXPOSURE {
        let since = now
            .checked_sub(record.exposure_time)
            .ok_or(NotGreen::ExposureInFuture)?;
        if since < policy.min_exposure_gap {
            return Err(NotGreen::ExposureTooRecent {
                since,
                min_gap: policy.min_exposure_gap,
            });
        }
    }
    // Rule 6.
    if now < record.issued_at {
        return Err(NotGreen::NotYetValid);
    }
    if now >= record.expires_at {
        return Err(NotGreen::Expired);
    }
    Ok(())
}

/// Why the whole statement fails natively.
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
}

/// The whole statement natively (the twin of the circuit): what a proof
/// for `public` with this witness would assert.
pub fn check_statement(
    public: &PublicInputs,
    record: &Record,
    holder_secret: &HolderSecret,
    signature: &Signature,
) -> Result<(), StatementError> {
    public.issuer.verify(record.commitment(), signature)?;
    if holder_secret.commitment() != record.holder {
        return Err(StatementError::HolderMismatch);
    }
    check_status(record, public.now, &public.policy)?;
    Ok(())
}
