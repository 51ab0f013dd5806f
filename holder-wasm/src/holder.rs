//! The holder's wallet: a credential and its holder secret, checked locally
//! and proved with a pinned proving key. Status and proving are the prover
//! crate's (`zkstatus_prover::holder`); this module parses the caller's
//! inputs and shapes the results for JavaScript (camelCase JSON, times as
//! decimal strings).
//!
//! **Randomness.** A proof draws its blinding scalars from ChaCha20 seeded
//! with 32 bytes from `getrandom` (on wasm32: `crypto.getRandomValues`). The
//! seeding is fallible, so a page without Web Crypto gets an `Error`;
//! `rand::rngs::OsRng` would panic instead, which in WebAssembly is a trap
//! that leaves the module unusable.

use crate::input::{parse_challenge, parse_u64, InputError};
use crate::key::PinnedProvingKey;
use rand_chacha::rand_core::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;
use zkstatus_prover::circuits::record::{HolderSecret, NO_EXPOSURE};
use zkstatus_prover::circuits::statement::{Challenge, NotGreen, StatementError, StatusPolicy};
use zkstatus_prover::credential::{test_result_name, test_type_name, Credential};
use zkstatus_prover::files::{self, FormatError};
use zkstatus_prover::holder::{self as prover_holder, ProveError};
use zkstatus_prover::split::{HelperTask, MainKey, ProofJob, SplitError};
use zkstatus_verifier::payload::Payload;

/// Why an operation failed. Messages name the input at fault and never quote
/// a secret: the credential and holder secret parsers report positions only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HolderError {
    /// A time, challenge or pin is malformed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The credential file is refused.
    #[error("{}", with_what("credential", .0))]
    Credential(FormatError),
    /// The holder-secret file is refused.
    #[error("{}", with_what("holder secret", .0))]
    Secret(FormatError),
    /// The policy is refused.
    #[error("{}", with_what("policy", .0))]
    Policy(FormatError),
    /// No secure random source.
    #[error("no secure random source (crypto.getRandomValues): {0}; no proof made")]
    Randomness(String),
    /// The prover failed (not a statement failure: see [`ProveOutcome`]).
    #[error("{0}")]
    Prover(ProveError),
    /// Split proving failed (not a statement failure: see [`BeginOutcome`]):
    /// a task or part refused, or the self-check.
    #[error("{0}")]
    Split(SplitError),
}

impl HolderError {
    /// A stable code for the JavaScript API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Input(_) => "bad-input",
            Self::Credential(_) => "bad-credential",
            Self::Secret(_) => "bad-holder-secret",
            Self::Policy(_) => "bad-policy",
            Self::Randomness(_) => "no-randomness",
            Self::Prover(ProveError::SelfCheck)
            | Self::Split(SplitError::Prove(ProveError::SelfCheck)) => "self-check-failed",
            Self::Prover(_) | Self::Split(SplitError::Prove(_)) => "prove-failed",
            Self::Split(SplitError::Task(_)) => "helper-task-invalid",
            Self::Split(SplitError::Part(_) | SplitError::WrongTask) => "helper-part-invalid",
            Self::Split(
                SplitError::KeyMismatch { .. }
                | SplitError::ShareMismatch { .. }
                | SplitError::Key(_),
            ) => "key-mismatch",
            Self::Split(_) => "prove-failed",
        }
    }
}

/// `FormatError::Json` and `TooLarge` name the file already; the others do not.
fn with_what(what: &str, e: &FormatError) -> String {
    match e {
        FormatError::Json { .. } | FormatError::TooLarge { .. } => e.to_string(),
        _ => format!("{what}: {e}"),
    }
}

/// One reason a credential is not green, for the holder's eyes only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable code: `signature-invalid`, `holder-mismatch`, `test-positive`,
    /// `test-type-not-accepted`, `test-in-future`, `test-too-old`,
    /// `exposure-in-future`, `exposure-too-recent`, `not-yet-valid`,
    /// `expired`, or `not-green` for a rule this build does not name.
    pub code: &'static str,
    /// The explanation in plain words.
    pub message: String,
}

impl Reason {
    fn of(e: &StatementError) -> Self {
        let code = match e {
            StatementError::Signature(_) => "signature-invalid",
            StatementError::HolderMismatch => "holder-mismatch",
            StatementError::NotGreen(n) => match n {
                NotGreen::TestPositive => "test-positive",
                NotGreen::TestTypeNotAccepted(_) => "test-type-not-accepted",
                NotGreen::TestInFuture => "test-in-future",
                NotGreen::TestTooOld { .. } => "test-too-old",
                NotGreen::ExposureInFuture => "exposure-in-future",
                NotGreen::ExposureTooRecent { .. } => "exposure-too-recent",
                NotGreen::NotYetValid => "not-yet-valid",
                NotGreen::Expired => "expired",
                _ => "not-green",
            },
            _ => "not-green",
        };
        Self {
            code,
            message: e.to_string(),
        }
    }
}

/// The holder's own status screen (never sent anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    /// Whether a proof can be made under this policy at `now`.
    pub green: bool,
    /// Why not; empty when green. The statement is checked rule by rule
    /// (signature, holder secret, then rules 3–6) and stops at the first
    /// failing rule, so this holds at most one reason today.
    pub reasons: Vec<Reason>,
    /// The time checked, unix seconds.
    pub now: String,
    /// When green: the first second at which it no longer is (the test ages
    /// out or the credential expires), unix seconds.
    pub green_until: Option<String>,
}

/// The result of [`Holder::prove`]: a payload, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProveOutcome {
    /// The presentation (boxed: a proof is ten times a status report).
    Proved(Box<Payload>),
    /// The credential is not green: no proof was attempted.
    NotGreen(StatusReport),
}

/// The result of [`Holder::begin_proof_with_rng`] and
/// [`Holder::begin_proof_input`]: a started split proof, or why there is
/// none.
#[derive(Debug)]
pub enum BeginOutcome {
    /// The job (for the main worker) and the helper's task (both secret:
    /// their `Debug` shows no content).
    Started(Box<ProofJob>, HelperTask),
    /// The credential is not green: no proof was attempted.
    NotGreen(StatusReport),
}

/// The credential's record as the holder's screen shows it (no identifier,
/// no signature); times as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSummary {
    /// The issuer's packed public key, 64 hex digits (as in trust lists).
    pub issuer: String,
    /// `pcr` or `rapid_antigen`.
    pub test_type: &'static str,
    /// `negative` or `positive`.
    pub test_result: &'static str,
    /// Unix seconds.
    pub test_time: String,
    /// Unix seconds, or `None`: no known exposure.
    pub exposure_time: Option<String>,
    /// Unix seconds.
    pub issued_at: String,
    /// Unix seconds.
    pub expires_at: String,
}

/// A credential with its holder secret.
#[derive(Clone)]
pub struct Holder {
    credential: Credential,
    secret: HolderSecret,
}

impl core::fmt::Debug for Holder {
    /// The issuer only: the record and the secret are the holder's.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Holder")
            .field("issuer", &files::public_key_to_hex(&self.credential.issuer))
            .finish_non_exhaustive()
    }
}

impl Holder {
    /// Parse a credential file and a holder-secret file strictly (the
    /// prover's parsers). Whether they belong together, and whether the
    /// signature verifies, is part of [`Holder::status`].
    pub fn from_json(credential_json: &str, secret_json: &str) -> Result<Self, HolderError> {
        let credential = Credential::from_json(credential_json).map_err(HolderError::Credential)?;
        let secret = files::holder_secret_from_json(secret_json).map_err(HolderError::Secret)?;
        Ok(Self { credential, secret })
    }

    /// What the credential says.
    pub fn summary(&self) -> CredentialSummary {
        let r = &self.credential.record;
        CredentialSummary {
            issuer: files::public_key_to_hex(&self.credential.issuer),
            test_type: test_type_name(r.test_type),
            test_result: test_result_name(r.test_result),
            test_time: r.test_time.to_string(),
            exposure_time: (r.exposure_time != NO_EXPOSURE).then(|| r.exposure_time.to_string()),
            issued_at: r.issued_at.to_string(),
            expires_at: r.expires_at.to_string(),
        }
    }

    /// Whether the credential is green at `now` under `policy` (local only).
    pub fn status(&self, policy: &StatusPolicy, now: u64) -> StatusReport {
        match prover_holder::status(&self.credential, &self.secret, now, policy) {
            Ok(()) => StatusReport {
                green: true,
                reasons: Vec::new(),
                now: now.to_string(),
                green_until: Some(self.green_until(policy).to_string()),
            },
            Err(e) => not_green(&e, now),
        }
    }

    /// The first second at which a green credential stops being green
    /// (as `zkstatus holder status` computes it).
    fn green_until(&self, policy: &StatusPolicy) -> u64 {
        let r = &self.credential.record;
        policy
            .max_test_age(r.test_type)
            .and_then(|age| r.test_time.checked_add(age)?.checked_add(1))
            .map_or(r.expires_at, |t| t.min(r.expires_at))
    }

    /// Prove with randomness from `rng` (tests use a seeded one).
    pub fn prove_with_rng<R: RngCore + CryptoRng>(
        &self,
        key: &PinnedProvingKey,
        policy: &StatusPolicy,
        now: u64,
        challenge: &Challenge,
        rng: &mut R,
    ) -> Result<ProveOutcome, HolderError> {
        match prover_holder::prove_with_rng(
            key.proving_key(),
            &self.credential,
            &self.secret,
            policy,
            now,
            challenge,
            rng,
        ) {
            Ok(payload) => Ok(ProveOutcome::Proved(Box::new(payload))),
            Err(ProveError::Statement(e)) => Ok(ProveOutcome::NotGreen(not_green(&e, now))),
            Err(e) => Err(HolderError::Prover(e)),
        }
    }

    /// Prove with randomness from the platform (see the module
    /// documentation).
    pub fn prove(
        &self,
        key: &PinnedProvingKey,
        policy: &StatusPolicy,
        now: u64,
        challenge: &Challenge,
    ) -> Result<ProveOutcome, HolderError> {
        let mut rng = platform_rng()?;
        self.prove_with_rng(key, policy, now, challenge, &mut rng)
    }

    /// Start a split proof (`zkstatus_prover::split`) with randomness from
    /// `rng`: the statement check, `r` and `s`, synthesis. The main worker
    /// keeps the job; the task goes to the helper.
    pub fn begin_proof_with_rng<R: RngCore + CryptoRng>(
        &self,
        key: &MainKey,
        policy: &StatusPolicy,
        now: u64,
        challenge: &Challenge,
        rng: &mut R,
    ) -> Result<BeginOutcome, HolderError> {
        match ProofJob::begin(
            key,
            &self.credential,
            &self.secret,
            policy,
            now,
            challenge,
            rng,
        ) {
            Ok((job, task)) => Ok(BeginOutcome::Started(Box::new(job), task)),
            Err(SplitError::Prove(ProveError::Statement(e))) => {
                Ok(BeginOutcome::NotGreen(not_green(&e, now)))
            }
            Err(e) => Err(HolderError::Split(e)),
        }
    }

    /// [`Holder::begin_proof_with_rng`] with the caller's inputs as text
    /// (as [`Holder::prove_input`]) and randomness from the platform.
    pub fn begin_proof_input(
        &self,
        key: &MainKey,
        policy_json: &str,
        challenge: &str,
        now: &str,
    ) -> Result<BeginOutcome, HolderError> {
        let policy = parse_policy(policy_json)?;
        let challenge = parse_challenge(challenge)?;
        let now = parse_u64(now, "now")?;
        let mut rng = platform_rng()?;
        self.begin_proof_with_rng(key, &policy, now, &challenge, &mut rng)
    }

    /// [`Holder::status`] with the caller's inputs as text: the policy JSON
    /// and decimal unix seconds.
    pub fn status_input(&self, policy_json: &str, now: &str) -> Result<StatusReport, HolderError> {
        let policy = parse_policy(policy_json)?;
        let now = parse_u64(now, "now")?;
        Ok(self.status(&policy, now))
    }

    /// [`Holder::prove`] with the caller's inputs as text: the policy JSON,
    /// the challenge (64 lowercase hex digits) and decimal unix seconds.
    pub fn prove_input(
        &self,
        key: &PinnedProvingKey,
        policy_json: &str,
        challenge: &str,
        now: &str,
    ) -> Result<ProveOutcome, HolderError> {
        let policy = parse_policy(policy_json)?;
        let challenge = parse_challenge(challenge)?;
        let now = parse_u64(now, "now")?;
        self.prove(key, &policy, now, &challenge)
    }
}

fn parse_policy(policy_json: &str) -> Result<StatusPolicy, HolderError> {
    files::policy_from_json(policy_json).map_err(HolderError::Policy)
}

fn not_green(e: &StatementError, now: u64) -> StatusReport {
    StatusReport {
        green: false,
        reasons: vec![Reason::of(e)],
        now: now.to_string(),
        green_until: None,
    }
}

/// ChaCha20 seeded from the platform's secure random source.
pub fn platform_rng() -> Result<ChaCha20Rng, HolderError> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| HolderError::Randomness(e.to_string()))?;
    Ok(ChaCha20Rng::from_seed(seed))
}

/// A new holder secret file (`zkstatus/holder-secret` v1, as `zkstatus
/// holder keygen` writes it: `HolderSecret::generate`), with randomness from
/// the platform. The text is the secret: keep it on the device.
pub fn generate_holder_secret_json() -> Result<String, HolderError> {
    let mut rng = platform_rng()?;
    Ok(files::holder_secret_to_json(&HolderSecret::generate(
        &mut rng,
    )))
}

/// The outcome as the JavaScript wrapper reads it: `{"proved":true,
/// "payloadText","payloadHex","now","issuer"}` or `{"proved":false,
/// "status":{…}}`.
pub fn outcome_json(outcome: &ProveOutcome) -> String {
    let v = match outcome {
        ProveOutcome::Proved(p) => serde_json::json!({
            "proved": true,
            "payloadText": p.to_text(),
            "payloadHex": hex::encode(p.to_bytes()),
            "now": p.now.to_string(),
            "issuer": files::public_key_to_hex(&p.issuer),
        }),
        ProveOutcome::NotGreen(status) => serde_json::json!({
            "proved": false,
            "status": status,
        }),
    };
    v.to_string()
}
