//! The zkstatus statement (version 2, in [`v2`]) and the parts of it that
//! concern the record: the venue's policy, the challenge, and the native
//! status check (rules 3–6).
//!
//! [`v2`] is the single source of truth for the public-input layout. The
//! prover, the native verifier, the browser verifier and the tests all
//! encode through [`v2::PublicInputs::to_field_elements`], and the circuit in
//! [`v2::constraints`] allocates its inputs from that same array.
//!
//! The record rules (numbered as in `docs/circuit.md`):
//!
//! 1. `C` is the commitment of the private record and `(R8, S)` is a valid
//!    issuer signature on `C` under the (private) issuer key `A`;
//! 2. `holder = Poseidon(holder_secret)`;
//! 3. `test_result = 0` (negative) and `test_type` is one the policy accepts;
//! 4. `test_time ≤ now` and `now − test_time ≤ max_test_age(test_type)`;
//! 5. `exposure_time = 0`, or `exposure_time ≤ now` and
//!    `now − exposure_time ≥ min_exposure_gap`;
//! 6. `issued_at ≤ now < expires_at`;
//! 7. the challenge is bound by a constraint.
//!
//! Rules 8–10 (the registry, the issuer's window, the nullifier) are in
//! [`v2`]. Statement v1 (the issuer key public) is gone: its files are
//! refused by version.

#[cfg(feature = "r1cs")]
pub mod constraints;
pub mod v2;

use crate::record::{Record, TestResult, TestType, NO_EXPOSURE};
use ark_bn254::Fr;
use ark_ff::UniformRand;
use ark_std::rand::{CryptoRng, RngCore};

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
