//! # zkstatus-verifier
//!
//! Everything a verifier needs and nothing a prover needs. It depends on
//! `zkstatus-circuits` *without* the `r1cs` feature, so it never links
//! `ark-relations`, `ark-r1cs-std`, `ark-groth16` or `rayon`
//! (`scripts/test.sh` checks). The native tools, the browser verifier and
//! the holder's WebAssembly package all verify through this crate.
//!
//! - [`groth16`]: the verifying key and proof encodings and the pairing check;
//! - [`payload`]: the payload a holder presents, binary and text;
//! - [`config`]: the trust list, the policy and the verifier configuration;
//! - [`challenge`]: the [`challenge::ChallengeBook`], a gate's replay state;
//! - [`registry`]: the accredited-issuer registry file and the authority's
//!   operations on it (statement v2);
//! - [`input`]: strict parsers for times, challenges and SHA-256 pins, shared
//!   by the two WebAssembly packages;
//! - [`onescan`]: statement v2's one-scan time windows (which a gate accepts
//!   at its clock, and the expiry slack this allows) and the scope derived
//!   from a public operator identifier and the window;
//! - this module: the verifying-key file and [`StatusVerifier`].
//!
//! Verifying a status payload: one implementation for the native verifier
//! and the browser (it needs no R1CS code).
//!
//! A [`StatusVerifier`] holds the verifying key, the trusted issuer keys,
//! the verifier's policy and its clock tolerance. [`StatusVerifier::verify`]
//! takes the payload bytes, the verifier's own clock and the challenge it
//! expects, and returns [`Accepted`] or a [`VerifyError`] that tells
//! malformed input ([`VerifyError::Malformed`]) from a well-formed payload
//! that is rejected ([`VerifyError::Rejected`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod challenge;
pub mod config;
pub mod groth16;
pub mod input;
pub mod onescan;
pub mod payload;
pub mod registry;
pub mod v2;

use groth16::{EncodingError, PreparedVerifyingKey, VerifyingKey, VK_BYTES};
use payload::{Payload, PayloadError};
use zkstatus_circuits::eddsa::PublicKey;
use zkstatus_circuits::statement::{Challenge, PublicInputs, StatusPolicy};

/// The statement circuit's fingerprint: SHA-256 of its constraint matrices
/// (`statement::constraints::matrix_hash`). Key files made for any other
/// circuit version are refused with a clear error. A test recomputes it from
/// the circuit.
///
/// This guards against mistakes, not attacks: the header is public, and a
/// verifying key is trust configuration like the issuer list. Verifiers pin
/// the key they trust by its fingerprint ([`StatusVerifier::with_pinned_key`]).
pub const CIRCUIT_FINGERPRINT: [u8; 32] = [
    0xa9, 0x69, 0xdb, 0x89, 0x65, 0x93, 0x07, 0x5b, 0xfc, 0x3a, 0x93, 0x66, 0x2a, 0x64, 0xa8, 0x38,
    0x53, 0x0c, 0x3a, 0x4f, 0x27, 0xd1, 0xb8, 0xdc, 0x97, 0xbb, 0xc0, 0xfd, 0x47, 0x4d, 0x1a, 0x7a,
];

/// Magic bytes of a verifying-key file.
pub const VK_FILE_MAGIC: [u8; 4] = *b"ZKVK";
/// Version of the verifying-key file format.
pub const VK_FILE_VERSION: u8 = 1;
/// Length of a verifying-key file: magic, version, circuit fingerprint, key.
pub const VK_FILE_BYTES: usize = 4 + 1 + 32 + VK_BYTES;

/// Default tolerance between the payload's `now` and the verifier's clock.
pub const DEFAULT_MAX_SKEW_SECS: u64 = 300;
/// Earliest plausible clock reading, 2020-01-01T00:00:00Z.
pub const MIN_PLAUSIBLE_TIME: u64 = 1_577_836_800;
/// Latest plausible clock reading, 2100-01-01T00:00:00Z.
pub const MAX_PLAUSIBLE_TIME: u64 = 4_102_444_800;

/// Why a verifying-key file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// Wrong total length.
    #[error("a verifying-key file has exactly {expected} bytes, got {got}")]
    WrongLength {
        /// Required length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// Not a zkstatus verifying-key file.
    #[error("not a zkstatus verifying-key file (bad magic bytes)")]
    BadMagic,
    /// A format version this build cannot read.
    #[error("unsupported verifying-key file version {0} (this build reads {VK_FILE_VERSION})")]
    UnsupportedVersion(u8),
    /// The key belongs to another circuit version.
    #[error(
        "this verifying key is for another circuit (fingerprint {found}, expected {expected})"
    )]
    WrongCircuit {
        /// The file's circuit fingerprint, as many groups as differ from
        /// `expected` ([`groth16::distinct_fingerprints`]).
        found: String,
        /// This build's circuit fingerprint, likewise.
        expected: String,
    },
    /// The key's points are invalid.
    #[error("invalid verifying key: {0}")]
    Key(#[from] EncodingError),
    /// The statement-v2 reader was given another version (a version-1 key
    /// file, say).
    #[error("verifying-key file version {0}: this build reads version 2 (statement v2)")]
    NotVersion2(u8),
    /// A version-2 file names a QAP reduction this build does not know.
    #[error(
        "unknown QAP reduction {0} in the key file (this build knows 1 = libsnark, 2 = snarkjs)"
    )]
    UnknownReduction(u8),
    /// The key's fingerprint is not the pinned one (checked before any
    /// point is parsed; [`vk_from_pinned_file`]).
    #[error("the verifying key's fingerprint {found} is not the pinned one")]
    NotPinned {
        /// The file's fingerprint (SHA-256 of the key body), hex.
        found: String,
    },
}

/// Encode a verifying key as a file.
pub fn vk_to_file(vk: &VerifyingKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(VK_FILE_BYTES);
    out.extend_from_slice(&VK_FILE_MAGIC);
    out.push(VK_FILE_VERSION);
    out.extend_from_slice(&CIRCUIT_FINGERPRINT);
    out.extend_from_slice(&vk.to_bytes());
    out
}

/// Decode a verifying-key file: length, magic, version and circuit
/// fingerprint are checked before any point is parsed.
pub fn vk_from_file(bytes: &[u8]) -> Result<VerifyingKey, KeyFileError> {
    check_vk_file_header(bytes)?;
    Ok(VerifyingKey::from_bytes(&bytes[37..])?)
}

/// Length, magic, version and circuit fingerprint of a verifying-key file;
/// no point is parsed.
fn check_vk_file_header(bytes: &[u8]) -> Result<(), KeyFileError> {
    if bytes.len() >= 4 && bytes[..4] != VK_FILE_MAGIC {
        return Err(KeyFileError::BadMagic);
    }
    if bytes.len() != VK_FILE_BYTES {
        return Err(KeyFileError::WrongLength {
            expected: VK_FILE_BYTES,
            got: bytes.len(),
        });
    }
    if bytes[4] != VK_FILE_VERSION {
        return Err(KeyFileError::UnsupportedVersion(bytes[4]));
    }
    if bytes[5..37] != CIRCUIT_FINGERPRINT {
        let mut found = [0u8; 32];
        found.copy_from_slice(&bytes[5..37]);
        let (found, expected) = groth16::distinct_fingerprints(&found, &CIRCUIT_FINGERPRINT);
        return Err(KeyFileError::WrongCircuit { found, expected });
    }
    Ok(())
}

/// Decode a verifying-key file whose fingerprint
/// ([`groth16::VerifyingKey::fingerprint`], SHA-256 of the key body) must
/// be `pin`. Length, magic, version and circuit are checked as in
/// [`vk_from_file`], then the pin, and only then are the points parsed: a
/// file that is not the pinned one never reaches the curve-point decoder
/// (docs/security.md, item 58).
pub fn vk_from_pinned_file(bytes: &[u8], pin: &[u8; 32]) -> Result<VerifyingKey, KeyFileError> {
    check_vk_file_header(bytes)?;
    let found: [u8; 32] = {
        use sha2::{Digest, Sha256};
        Sha256::digest(&bytes[37..]).into()
    };
    if &found != pin {
        return Err(KeyFileError::NotPinned {
            found: hex::encode(found),
        });
    }
    Ok(VerifyingKey::from_bytes(&bytes[37..])?)
}

/// Why a verifier cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A verifier must trust at least one issuer.
    #[error("the trust list is empty: trust at least one issuer key")]
    EmptyTrustList,
    /// The verifying key is not the one pinned.
    #[error("the verifying key's fingerprint is not the pinned one")]
    UnpinnedKey,
}

/// Why a well-formed payload is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// The payload names an issuer this verifier does not trust.
    #[error("the credential's issuer is not trusted by this verifier")]
    UntrustedIssuer,
    /// The payload's `now` is too far from the verifier's clock.
    #[error("the proof's time is {delta} s from this verifier's clock (tolerance {max_skew} s)")]
    ClockSkew {
        /// `|payload.now − verifier_now|`.
        delta: u64,
        /// The tolerance.
        max_skew: u64,
    },
    /// A time outside 2020–2100 (milliseconds, or a broken clock).
    #[error("implausible time {0}: expected unix seconds between 2020 and 2100")]
    ImplausibleTime(u64),
    /// The proof does not verify for this issuer, time, policy and challenge:
    /// not green, another challenge, another policy, or a forgery.
    #[error("the proof does not verify for this venue's challenge and policy")]
    ProofInvalid,
    /// A [`challenge::ChallengeBook`] has no live challenge: none was
    /// issued, or all expired or were used.
    #[error("this verifier has no live challenge: show a fresh one and prove again")]
    NoLiveChallenge,
    /// The proof is for a challenge that was already used by an accepted
    /// presentation: a replay.
    #[error("the proof is for a challenge that was already used: a replay")]
    ChallengeUsed,
    /// The proof is for a challenge that expired (or was superseded by
    /// newer ones).
    #[error("the proof is for a challenge that expired: prove again for the current one")]
    ChallengeExpired,
    /// Statement v2: no live challenge was issued at the proof's time.
    #[error(
        "this verifier issued no live challenge at time {0}: show a fresh one and prove again"
    )]
    NoChallengeAt(u64),
    /// Statement v2: the payload names a registry epoch this verifier does
    /// not accept.
    #[error("the proof is for registry epoch {0}, which this verifier does not accept (update its roots, or the holder's registry)")]
    UnknownRoot(u64),
    /// Statement v2: the payload's registry epoch is accepted, but another
    /// root is the one active at the proof's time (before its activation,
    /// or superseded).
    #[error("the proof is for registry epoch {epoch}, but at time {at} the active registry epoch is {active}")]
    RootNotActive {
        /// The payload's epoch.
        epoch: u64,
        /// The proof's time.
        at: u64,
        /// The epoch active then.
        active: u64,
    },
    /// Statement v2: no accepted root is active yet at the proof's time.
    #[error("no accepted registry root is active at time {0}")]
    NoActiveRoot(u64),
    /// Statement v2, one-scan: the pass's window is not one the gate
    /// accepts now.
    #[error("{0}")]
    Window(#[from] onescan::WindowError),
    /// Statement v2, one-scan: a pass with this nullifier was already
    /// accepted in this window (a screenshot, a shared code, or a
    /// re-randomised copy of a used proof).
    #[error("already used in this window: a pass is accepted once")]
    NullifierUsed,
    /// Statement v2: the gate does not accept this mode.
    #[error("this gate does not accept {0} presentations")]
    ModeNotAccepted(&'static str),
    /// Statement v2, one-scan: the replay store is full, so the gate cannot
    /// record the pass and refuses it (fail closed).
    #[error("the gate's replay store is full: refusing (fail closed)")]
    ReplayStoreFull,
}

impl Rejection {
    /// A stable, machine-readable code (kebab-case), the same in the CLI's
    /// JSON output and the browser verifier's verdicts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UntrustedIssuer => "untrusted-issuer",
            Self::ClockSkew { .. } => "clock-skew",
            Self::ImplausibleTime(_) => "implausible-time",
            Self::ProofInvalid => "proof-invalid",
            Self::NoLiveChallenge => "no-live-challenge",
            Self::ChallengeUsed => "challenge-used",
            Self::ChallengeExpired => "challenge-expired",
            Self::NoChallengeAt(_) => "no-challenge-at-time",
            Self::UnknownRoot(_) => "unknown-root",
            Self::RootNotActive { .. } => "root-not-active",
            Self::NoActiveRoot(_) => "no-active-root",
            Self::Window(onescan::WindowError::Misaligned { .. }) => "window-misaligned",
            Self::Window(onescan::WindowError::TooOld { .. }) => "window-too-old",
            Self::Window(onescan::WindowError::InFuture { .. }) => "window-in-future",
            Self::NullifierUsed => "nullifier-used",
            Self::ModeNotAccepted(_) => "mode-not-accepted",
            Self::ReplayStoreFull => "replay-store-full",
        }
    }
}

/// The result of a failed verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is not a payload at all.
    #[error("malformed payload: {0}")]
    Malformed(#[from] PayloadError),
    /// The payload is well-formed and rejected.
    #[error("rejected: {0}")]
    Rejected(#[from] Rejection),
}

impl VerifyError {
    /// The stable code of the malformation or rejection.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(e) => e.code(),
            Self::Rejected(r) => r.code(),
        }
    }
}

/// An accepted presentation: all the verifier learns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The issuer of the holder's credential.
    pub issuer: PublicKey,
    /// The time the proof was made for.
    pub now: u64,
}

/// A configured verifier.
#[derive(Debug, Clone)]
pub struct StatusVerifier {
    pvk: PreparedVerifyingKey,
    trusted: Vec<PublicKey>,
    policy: StatusPolicy,
    max_skew: u64,
}

impl StatusVerifier {
    /// A verifier for `policy` trusting `trusted` issuers, with the default
    /// clock tolerance. The key's pairing is precomputed once here.
    pub fn new(
        vk: &VerifyingKey,
        trusted: Vec<PublicKey>,
        policy: StatusPolicy,
    ) -> Result<Self, ConfigError> {
        if trusted.is_empty() {
            return Err(ConfigError::EmptyTrustList);
        }
        Ok(Self {
            pvk: vk.prepare(),
            trusted,
            policy,
            max_skew: DEFAULT_MAX_SKEW_SECS,
        })
    }

    /// Set the tolerance between the payload's `now` and the verifier's clock.
    pub fn with_max_skew(mut self, secs: u64) -> Self {
        self.max_skew = secs;
        self
    }

    /// Refuse to run unless the verifying key's fingerprint is `expected`
    /// (compare [`groth16::VerifyingKey::fingerprint`]).
    pub fn with_pinned_key(self, expected: &[u8; 32]) -> Result<Self, ConfigError> {
        if &self.pvk.vk().fingerprint() == expected {
            Ok(self)
        } else {
            Err(ConfigError::UnpinnedKey)
        }
    }

    /// The policy.
    pub fn policy(&self) -> &StatusPolicy {
        &self.policy
    }

    /// The verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        self.pvk.vk()
    }

    /// Verify payload bytes at `verifier_now` against the expected challenge.
    pub fn verify(
        &self,
        payload: &[u8],
        verifier_now: u64,
        challenge: &Challenge,
    ) -> Result<Accepted, VerifyError> {
        let payload = Payload::from_bytes(payload)?;
        Ok(self.verify_payload(&payload, verifier_now, challenge)?)
    }

    /// Verify a text payload (`ZKS1:` + base45, surrounding ASCII whitespace
    /// ignored) without re-encoding it.
    pub fn verify_text(
        &self,
        text: &str,
        verifier_now: u64,
        challenge: &Challenge,
    ) -> Result<Accepted, VerifyError> {
        let payload = Payload::from_text(text)?;
        Ok(self.verify_payload(&payload, verifier_now, challenge)?)
    }

    /// Verify a payload decoded by [`Payload::from_bytes`] or
    /// [`Payload::from_text`] (private: a `Payload` built by hand could hold
    /// unchecked points).
    fn verify_payload(
        &self,
        payload: &Payload,
        verifier_now: u64,
        challenge: &Challenge,
    ) -> Result<Accepted, Rejection> {
        self.precheck(payload, verifier_now)?;
        if self.proof_verifies(payload, challenge) {
            Ok(Accepted {
                issuer: payload.issuer,
                now: payload.now,
            })
        } else {
            Err(Rejection::ProofInvalid)
        }
    }

    /// The checks that do not depend on the challenge: plausible times,
    /// clock skew, a trusted issuer.
    fn precheck(&self, payload: &Payload, verifier_now: u64) -> Result<(), Rejection> {
        for t in [verifier_now, payload.now] {
            if !(MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&t) {
                return Err(Rejection::ImplausibleTime(t));
            }
        }
        let delta = payload.now.abs_diff(verifier_now);
        if delta > self.max_skew {
            return Err(Rejection::ClockSkew {
                delta,
                max_skew: self.max_skew,
            });
        }
        if !self.trusted.contains(&payload.issuer) {
            return Err(Rejection::UntrustedIssuer);
        }
        Ok(())
    }

    /// The pairing check for one challenge (prechecked payloads only).
    fn proof_verifies(&self, payload: &Payload, challenge: &Challenge) -> bool {
        let public = PublicInputs {
            issuer: payload.issuer,
            now: payload.now,
            policy: self.policy,
            challenge: *challenge,
        };
        self.pvk.verify(&public.to_field_elements(), &payload.proof)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod fingerprint_tests {
    use super::*;

    /// Finding F-7: two fingerprints equal in their first 8 bytes (the short
    /// form) are shown with enough digits to differ.
    #[test]
    fn f7_fingerprints_equal_in_the_short_form_are_shown_different() {
        let a = CIRCUIT_FINGERPRINT;
        let mut b = a;
        b[20] ^= 1;
        assert_eq!(
            groth16::short_fingerprint(&a),
            groth16::short_fingerprint(&b)
        );
        let (x, y) = groth16::distinct_fingerprints(&b, &a);
        assert_ne!(x, y);
        assert_eq!(x.len(), 11 * 5 - 1, "11 groups up to byte 21: {x}");
        assert!(x.starts_with(&groth16::short_fingerprint(&b)));
        // The last byte differs: all 64 digits.
        let mut c = a;
        c[31] ^= 1;
        let (x, y) = groth16::distinct_fingerprints(&c, &a);
        assert_eq!(x.replace('-', "").len(), 64);
        assert_ne!(x, y);
        // A difference in the short form keeps it short.
        let mut d = a;
        d[0] ^= 1;
        let (x, _) = groth16::distinct_fingerprints(&d, &a);
        assert_eq!(x, groth16::short_fingerprint(&d));

        // Through a verifying-key file: the message's two values differ.
        let mut file = vec![0u8; VK_FILE_BYTES];
        file[..4].copy_from_slice(&VK_FILE_MAGIC);
        file[4] = VK_FILE_VERSION;
        file[5..37].copy_from_slice(&b);
        let Err(KeyFileError::WrongCircuit { found, expected }) = vk_from_file(&file) else {
            panic!("expected a wrong-circuit error");
        };
        assert_ne!(found, expected);
        let msg = KeyFileError::WrongCircuit {
            found: found.clone(),
            expected: expected.clone(),
        }
        .to_string();
        assert!(msg.contains(&found) && msg.contains(&expected), "{msg}");
    }
}
