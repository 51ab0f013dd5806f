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

use crate::input::{parse_offer, parse_operator, parse_u64, InputError};
use crate::key::PinnedProvingKey;
use rand_chacha::rand_core::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;
use zkstatus_prover::circuits::record::{HolderSecret, NO_EXPOSURE};
use zkstatus_prover::circuits::statement::v2::StatementError;
use zkstatus_prover::circuits::statement::{NotGreen, StatusPolicy};
use zkstatus_prover::credential::{test_result_name, test_type_name, Credential};
use zkstatus_prover::files::{self, FormatError};
use zkstatus_prover::holder::v2::{self as holder_v2, MaterialError, Presentation};
use zkstatus_prover::holder::{self as prover_holder, ProveError};
use zkstatus_prover::split::{HelperTask, MainKey, ProofJob, SplitError};
use zkstatus_verifier::bundle::{BundleError, BundleTrust, RegistryBundle};
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::{Registry, RegistryFileError};
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::AcceptedRoots;

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
    /// The registry roots file is refused.
    #[error("{}", with_what("registry roots", .0))]
    Roots(FormatError),
    /// A registry file is refused.
    #[error("registry file: {0}")]
    Registry(RegistryFileError),
    /// The registry trust configuration is refused.
    #[error("{}", with_what("registry trust", .0))]
    Trust(FormatError),
    /// The registry bundle is refused (forged, foreign, or "registry data
    /// too old — connect to refresh").
    #[error("registry bundle: {0}")]
    Bundle(BundleError),
    /// The registry material does not fit the gate's time (the holder's
    /// own explanation: which registry to download, or that the issuer is
    /// not in it).
    #[error("{0}")]
    Material(MaterialError),
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
            Self::Roots(_) => "bad-roots",
            Self::Registry(_) => "bad-registry",
            Self::Trust(_) => "bad-registry-trust",
            Self::Bundle(BundleError::Stale { .. }) => "registry-too-old",
            Self::Bundle(_) => "bad-registry-bundle",
            Self::Material(m) => material_code(m),
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
    /// A statement failure named for the holder: rules 1–6 (the record),
    /// then the registry rules (the issuer's accreditation).
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
            StatementError::NotInRegistry => "issuer-not-in-registry",
            StatementError::IssuerNotYetAccredited => "issuer-not-yet-accredited",
            StatementError::IssuerAccreditationEnded => "issuer-accreditation-ended",
            _ => "not-green",
        };
        Self {
            code,
            message: e.to_string(),
        }
    }
}

/// The stable code of a registry-material problem.
fn material_code(e: &MaterialError) -> &'static str {
    match e {
        MaterialError::NoActiveRoot(_) => "no-active-root",
        MaterialError::RegistryMissing(..) => "registry-missing",
        MaterialError::RootMismatch(_) => "registry-root-mismatch",
        MaterialError::IssuerNotInRegistry(_) => "issuer-not-in-registry",
        MaterialError::Window(_) => "bad-input",
        _ => "registry-invalid",
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
    Proved(Box<PayloadV2>),
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
    /// The issuer's packed public key, 64 hex digits (as in the registry).
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

    /// Prove statement v2 with randomness from `rng` (tests use a seeded
    /// one): the root active at the presentation's time (the gate's
    /// challenge time, or the window's start), the holder's registry of
    /// that root's epoch, the policy.
    pub fn prove_with_rng<R: RngCore + CryptoRng>(
        &self,
        key: &PinnedProvingKey,
        policy: &StatusPolicy,
        material: &Material,
        presentation: &Presentation,
        rng: &mut R,
    ) -> Result<ProveOutcome, HolderError> {
        let now = presentation.now();
        match holder_v2::prove_with_rng(
            key.proving_key(),
            &self.credential,
            &self.secret,
            policy,
            &material.registries,
            &material.roots,
            presentation,
            rng,
        ) {
            Ok(payload) => Ok(ProveOutcome::Proved(Box::new(payload))),
            Err(e) => match not_green_or(e, now) {
                Ok(status) => Ok(ProveOutcome::NotGreen(status)),
                Err(e) => Err(e),
            },
        }
    }

    /// Prove with randomness from the platform (see the module
    /// documentation).
    pub fn prove(
        &self,
        key: &PinnedProvingKey,
        policy: &StatusPolicy,
        material: &Material,
        presentation: &Presentation,
    ) -> Result<ProveOutcome, HolderError> {
        let mut rng = platform_rng()?;
        self.prove_with_rng(key, policy, material, presentation, &mut rng)
    }

    /// [`Holder::prove`] with the caller's inputs as text: the policy JSON
    /// and the presentation ([`parse_presentation`]).
    pub fn prove_input(
        &self,
        key: &PinnedProvingKey,
        policy_json: &str,
        material: &Material,
        presentation: &PresentationInput<'_>,
    ) -> Result<ProveOutcome, HolderError> {
        let policy = parse_policy(policy_json)?;
        let presentation = parse_presentation(presentation)?;
        self.prove(key, &policy, material, &presentation)
    }

    /// Start a split proof (`zkstatus_prover::split`) with randomness from
    /// `rng`: the statement check, `r` and `s`, synthesis. The main worker
    /// keeps the job; the task goes to the helper.
    pub fn begin_proof_with_rng<R: RngCore + CryptoRng>(
        &self,
        key: &MainKey,
        policy: &StatusPolicy,
        material: &Material,
        presentation: &Presentation,
        rng: &mut R,
    ) -> Result<BeginOutcome, HolderError> {
        let now = presentation.now();
        match ProofJob::begin(
            key,
            &self.credential,
            &self.secret,
            policy,
            &material.registries,
            &material.roots,
            presentation,
            rng,
        ) {
            Ok((job, task)) => Ok(BeginOutcome::Started(Box::new(job), task)),
            Err(SplitError::Prove(e)) => match not_green_or(e, now) {
                Ok(status) => Ok(BeginOutcome::NotGreen(status)),
                Err(HolderError::Prover(e)) => Err(HolderError::Split(SplitError::Prove(e))),
                Err(e) => Err(e),
            },
            Err(e) => Err(HolderError::Split(e)),
        }
    }

    /// [`Holder::begin_proof_with_rng`] with the caller's inputs as text
    /// (as [`Holder::prove_input`]) and randomness from the platform.
    pub fn begin_proof_input(
        &self,
        key: &MainKey,
        policy_json: &str,
        material: &Material,
        presentation: &PresentationInput<'_>,
    ) -> Result<BeginOutcome, HolderError> {
        let policy = parse_policy(policy_json)?;
        let presentation = parse_presentation(presentation)?;
        let mut rng = platform_rng()?;
        self.begin_proof_with_rng(key, &policy, material, &presentation, &mut rng)
    }

    /// [`Holder::status`] with the caller's inputs as text: the policy JSON
    /// and decimal unix seconds.
    pub fn status_input(&self, policy_json: &str, now: &str) -> Result<StatusReport, HolderError> {
        let policy = parse_policy(policy_json)?;
        let now = parse_u64(now, "now")?;
        Ok(self.status(&policy, now))
    }
}

fn parse_policy(policy_json: &str) -> Result<StatusPolicy, HolderError> {
    files::policy_from_json(policy_json).map_err(HolderError::Policy)
}

/// A statement failure as the holder's status (not green), or the error.
fn not_green_or(e: ProveError, now: u64) -> Result<StatusReport, HolderError> {
    match e {
        ProveError::StatementV2(e) => Ok(not_green(&e, now)),
        ProveError::Material(e) => Err(HolderError::Material(e)),
        e => Err(HolderError::Prover(e)),
    }
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
/// "payloadText","payloadHex","now","epoch","mode"}` or
/// `{"proved":false, "status":{…}}`. Nothing in it names the issuer.
pub fn outcome_json(outcome: &ProveOutcome) -> String {
    let v = match outcome {
        ProveOutcome::Proved(p) => serde_json::json!({
            "proved": true,
            "payloadText": p.to_text(),
            "payloadHex": hex::encode(p.to_bytes()),
            "now": p.now.to_string(),
            "epoch": p.epoch.to_string(),
            "mode": p.mode.name(),
        }),
        ProveOutcome::NotGreen(status) => serde_json::json!({
            "proved": false,
            "status": status,
        }),
    };
    v.to_string()
}

/// What the holder is asked to present, as the caller wrote it: a gate's
/// challenge (`ZKC2:` text, interactive), or a one-scan window (its start,
/// decimal unix seconds, and the operator name; `None`: the global scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresentationInput<'a> {
    /// Interactive: the challenge the gate shows.
    Challenge(&'a str),
    /// One scan: a pass for a window.
    OneScan {
        /// The operator whose gates scan the pass (public and fixed).
        operator: Option<&'a str>,
        /// The window's start, decimal unix seconds (a multiple of 60).
        window_start: &'a str,
    },
}

/// Parse a presentation: the challenge offer strictly (`ZKC2:` + base45,
/// with the time the gate issued it), or the window start and operator.
pub fn parse_presentation(p: &PresentationInput<'_>) -> Result<Presentation, InputError> {
    Ok(match p {
        PresentationInput::Challenge(text) => Presentation::Interactive(parse_offer(text)?),
        PresentationInput::OneScan {
            operator,
            window_start,
        } => {
            let window_start = parse_u64(window_start, "windowStart")?;
            if !window_start.is_multiple_of(zkstatus_verifier::onescan::WINDOW_SECS) {
                return Err(InputError::new(
                    "windowStart",
                    format!(
                        "a window starts at a multiple of {} s, got {window_start}",
                        zkstatus_verifier::onescan::WINDOW_SECS
                    ),
                ));
            }
            Presentation::OneScan {
                operator: operator
                    .map(parse_operator)
                    .transpose()?
                    .unwrap_or(OperatorId::GLOBAL),
                window_start,
            }
        }
    })
}

/// A registry bundle that verified, as the JavaScript API returns it: the
/// roots it vouches for (a `zkstatus/registry-roots` file's text, which the
/// holder page hands to [`Material`] and the prover) and its times (unix
/// seconds as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleReport {
    /// The bundle's roots (the previous one, if any, and the latest).
    pub roots_json: String,
    /// The witnesses' cosignature time (the `k`-th newest).
    pub cosigned_at: String,
    /// `cosigned_at + max_age`: after it the data has aged out.
    pub valid_until: String,
    /// The trust configuration's `max_age`, seconds.
    pub max_age_secs: String,
    /// The log's size at the bundle's checkpoint.
    pub log_size: String,
}

/// Check a registry bundle against a trust configuration at `now`
/// (decimal unix seconds) with the verifier crate's
/// [`RegistryBundle::verify`], the same check gates make: the holder takes
/// its roots only from a bundle that verifies (issue [3/7]).
pub fn verify_registry_bundle(
    bundle: &[u8],
    trust_json: &str,
    now: &str,
) -> Result<BundleReport, HolderError> {
    let now = parse_u64(now, "now")?;
    // Both size-capped before parsing (`parse_json`, `MAX_BUNDLE_BYTES`).
    let trust = BundleTrust::from_json(trust_json).map_err(HolderError::Trust)?;
    let v = RegistryBundle::from_bytes(bundle)
        .and_then(|b| b.verify(&trust, now))
        .map_err(HolderError::Bundle)?;
    Ok(BundleReport {
        roots_json: v.roots.to_json(),
        cosigned_at: v.cosigned_at.to_string(),
        valid_until: v.cosigned_at.saturating_add(trust.max_age()).to_string(),
        max_age_secs: trust.max_age().to_string(),
        log_size: v.log_size.to_string(),
    })
}

/// The registry material a holder proves with: the published roots (with
/// their activation times) and the registry files it downloaded, whole, so
/// that nobody learns which issuer it needs (`web/holder/README.md`).
#[derive(Debug, Clone)]
pub struct Material {
    roots: AcceptedRoots,
    registries: Vec<Registry>,
}

/// An issuer's window in a registry (unix seconds, decimal strings): it
/// is accredited from `not_before` until before `not_after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuerWindow {
    /// The registry's epoch.
    pub epoch: String,
    /// Start of the window.
    pub not_before: String,
    /// End of the window (a retirement sets it).
    pub not_after: String,
}

/// A registry file as loaded: its epoch, issuer count and end date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryInfo {
    /// The registry epoch.
    pub epoch: String,
    /// How many issuers it holds.
    pub issuers: usize,
    /// Its end date (the largest `not_after`), unix seconds; `None` when
    /// empty.
    pub end_date: Option<String>,
}

/// The holder's registry material at a time: which root is active, until
/// when, and what is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MaterialSummary {
    /// The time checked, unix seconds.
    pub now: String,
    /// The epoch of the root active now; `None` before the first
    /// activation.
    pub active_epoch: Option<String>,
    /// The registry's end date (sunset) under the active root, unix
    /// seconds: after it no proof under this root verifies.
    pub end_date: Option<String>,
    /// The next root's activation, unix seconds: the holder must have that
    /// root's registry (and the new roots file) before then.
    pub next_activation: Option<String>,
    /// The epoch of that next root.
    pub next_epoch: Option<String>,
    /// Whether the registry of the active root is loaded and gives its root.
    pub ready: bool,
    /// Epochs of the active and later roots whose registry is not loaded:
    /// download them.
    pub missing_epochs: Vec<String>,
    /// The registries loaded, in epoch order.
    pub registries: Vec<RegistryInfo>,
}

impl Material {
    /// Parse a roots file (`zkstatus/registry-roots`).
    pub fn new(roots_json: &str) -> Result<Self, HolderError> {
        Ok(Self {
            roots: AcceptedRoots::from_json(roots_json).map_err(HolderError::Roots)?,
            registries: Vec::new(),
        })
    }

    /// Add a registry file (ZKRG), replacing one of the same epoch. Its
    /// tree must give the published root of its epoch, if the roots name
    /// that epoch.
    pub fn add_registry(&mut self, file: &[u8]) -> Result<RegistryInfo, HolderError> {
        let reg = Registry::from_bytes(file).map_err(HolderError::Registry)?;
        if let Some(published) = self.roots.roots().iter().find(|r| r.epoch == reg.epoch()) {
            let root = reg
                .root()
                .map_err(|e| HolderError::Material(MaterialError::Tree(e)))?;
            if root != published.root {
                return Err(HolderError::Material(MaterialError::RootMismatch(
                    reg.epoch(),
                )));
            }
        }
        let info = info(&reg);
        self.registries.retain(|r| r.epoch() != reg.epoch());
        self.registries.push(reg);
        self.registries.sort_by_key(Registry::epoch);
        Ok(info)
    }

    /// Replace the roots (a newly published roots file); the registries
    /// are kept.
    pub fn set_roots(&mut self, roots_json: &str) -> Result<(), HolderError> {
        self.roots = AcceptedRoots::from_json(roots_json).map_err(HolderError::Roots)?;
        Ok(())
    }

    /// The material at `now`.
    pub fn summary(&self, now: u64) -> MaterialSummary {
        let active = self.roots.active_at(now);
        let next = self.roots.roots().iter().find(|r| r.activates_at > now);
        let has = |epoch: u64| self.registries.iter().any(|r| r.epoch() == epoch);
        let missing_epochs = self
            .roots
            .roots()
            .iter()
            .filter(|r| r.activates_at > now || Some(r.epoch) == active.map(|a| a.epoch))
            .filter(|r| !has(r.epoch))
            .map(|r| r.epoch.to_string())
            .collect();
        MaterialSummary {
            now: now.to_string(),
            active_epoch: active.map(|a| a.epoch.to_string()),
            end_date: active.map(|a| a.end_date.to_string()),
            next_activation: next.map(|n| n.activates_at.to_string()),
            next_epoch: next.map(|n| n.epoch.to_string()),
            ready: active.is_some_and(|a| has(a.epoch)),
            missing_epochs,
            registries: self.registries.iter().map(info).collect(),
        }
    }

    /// The window of the issuer with packed key `issuer_hex` (64 hex
    /// digits, [`CredentialSummary::issuer`]) in the registry of the root
    /// active at `now` (decimal unix seconds), for the holder's page: it
    /// says when the issuer has been retired (its window ends before the
    /// credential expires, or has ended). `None` when that registry is not
    /// loaded, or the issuer is not in it.
    pub fn issuer_window(
        &self,
        issuer_hex: &str,
        now: &str,
    ) -> Result<Option<IssuerWindow>, HolderError> {
        let now = parse_u64(now, "now")?;
        let key = zkstatus_verifier::config::public_key_from_hex(issuer_hex, "issuer")
            .map_err(HolderError::Credential)?;
        let Some(active) = self.roots.active_at(now) else {
            return Ok(None);
        };
        let Some(reg) = self.registries.iter().find(|r| r.epoch() == active.epoch) else {
            return Ok(None);
        };
        Ok(reg.index_of(&key).map(|i| {
            let w = reg.entries()[i].leaf.window;
            IssuerWindow {
                epoch: reg.epoch().to_string(),
                not_before: w.not_before().to_string(),
                not_after: w.not_after().to_string(),
            }
        }))
    }

    /// [`Material::summary`] with the time as decimal unix seconds.
    pub fn summary_input(&self, now: &str) -> Result<MaterialSummary, InputError> {
        Ok(self.summary(parse_u64(now, "now")?))
    }
}

fn info(r: &Registry) -> RegistryInfo {
    RegistryInfo {
        epoch: r.epoch().to_string(),
        issuers: r.entries().len(),
        end_date: r.end_date().map(|t| t.to_string()),
    }
}
