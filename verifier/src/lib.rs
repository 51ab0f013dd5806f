//! # zkstatus-verifier
//!
//! Everything a verifier needs and nothing a prover needs. It depends on
//! `zkstatus-circuits` *without* the `r1cs` feature, so it never links
//! `ark-relations`, `ark-r1cs-std`, `ark-groth16` or `rayon`
//! (`scripts/test.sh` checks). The native tools, the browser verifier and
//! the holder's WebAssembly package all verify through this crate.
//!
//! - [`groth16`]: the verifying key and proof encodings and the pairing check;
//! - [`v2`]: statement v2's formats (payload, key file, challenge offer,
//!   accepted registry roots) and its [`v2::Verifier`] and [`v2::Gate`];
//! - [`payload`]: the base45 text encoding and the payload errors;
//! - [`config`]: the JSON helpers and the policy;
//! - [`bundle`]: the registry bundle (a cosigned checkpoint, the latest
//!   root as its last entry, the previous root) and its offline check;
//! - [`challenge`]: the [`challenge::ChallengeBook`], a gate's record of the
//!   challenges it issued;
//! - [`registry`]: the accredited-issuer registry file and the authority's
//!   operations on it;
//! - [`input`]: strict parsers for times, challenges and SHA-256 pins, shared
//!   by the two WebAssembly packages;
//! - [`onescan`]: the one-scan time windows (which a gate accepts at its
//!   clock, and the expiry slack this allows) and the scope derived from a
//!   public operator identifier and the window;
//! - this module: the errors and verdict codes every verifier shares.
//!
//! Statement v1 (the issuer key public, `ZKS1:` payloads, version-1 key
//! files and trust lists) is gone; its files are refused naming their
//! version.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod bundle;
pub mod challenge;
pub mod config;
pub mod groth16;
pub mod input;
pub mod onescan;
pub mod payload;
pub mod registry;
pub mod v2;

use groth16::EncodingError;
use payload::PayloadError;

/// Magic bytes of a verifying-key file.
pub const VK_FILE_MAGIC: [u8; 4] = *b"ZKVK";
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
    /// Another version of the file (a version-1 key file, made for
    /// statement v1, say).
    #[error("verifying-key file version {0}: this build reads version 2 (statement v2)")]
    NotVersion2(u8),
    /// A version-2 file names a QAP reduction this build does not know.
    #[error(
        "unknown QAP reduction {0} in the key file (this build knows 1 = libsnark, 2 = snarkjs)"
    )]
    UnknownReduction(u8),
    /// The key's fingerprint is not the pinned one (checked before any
    /// point is parsed; [`v2::keyfile::vk2_from_pinned_file`]).
    #[error("the verifying key's fingerprint {found} is not the pinned one")]
    NotPinned {
        /// The file's fingerprint (SHA-256 of the key body), hex.
        found: String,
    },
}

/// Why a verifier cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The verifying key is not the one pinned.
    #[error("the verifying key's fingerprint is not the pinned one")]
    UnpinnedKey,
}

/// Why a well-formed payload is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
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
