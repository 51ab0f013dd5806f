//! The browser gate's logic (statement v2), free of JavaScript types so that
//! it builds and is tested on the host too: configuration from the gate's
//! files (the version-2 verifying key, the registry bundle and its trust
//! configuration, the policy) and options, strict parsing of the caller's inputs (times,
//! fingerprints, names), and the [`Verdict`] that the JavaScript API returns
//! as a plain object.
//!
//! Verification itself is `zkstatus_verifier::v2::Gate`, the same code the
//! native tools run: this module only parses and maps its results. The gate
//! fixes the statement's time (the issue time of its challenge, or a
//! one-scan window's start), so there is no clock tolerance to configure.

use serde::Serialize;
use zkstatus_circuits::record::TestType;
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_verifier::bundle::{BundleError, BundleTrust, RegistryBundle};
use zkstatus_verifier::challenge::{ChallengeBookError, DEFAULT_MAX_LIVE};
use zkstatus_verifier::config::{self, FormatError};
use zkstatus_verifier::input::parse_sha256_pin;
pub use zkstatus_verifier::input::{parse_u64, InputError};
use zkstatus_verifier::onescan::{OperatorId, OperatorNameError};
use zkstatus_verifier::payload::PayloadError;
use zkstatus_verifier::v2::keyfile::{vk2_from_file, vk2_from_pinned_file};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::{MAX_TEXT_CHARS, ONE_SCAN_BYTES};
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
use zkstatus_verifier::v2::{
    self, Accepted, AcceptedMode, GateError, Modes, DEFAULT_TTL_SECS, MAX_TTL_SECS,
};
use zkstatus_verifier::{KeyFileError, VerifyError};

/// Longest payload (bytes, or UTF-16 units of text) that the JavaScript
/// wrapper copies into WASM memory; longer input gets [`Gate::too_long`]
/// without being read. Every valid payload is far shorter
/// ([`ONE_SCAN_BYTES`], [`MAX_TEXT_CHARS`] plus whitespace); the cap keeps
/// hostile input from growing WASM memory, which never shrinks and whose
/// exhaustion would trap. (Under the cap, the shared decoder checks the
/// length first, before any curve arithmetic.)
pub const MAX_PAYLOAD_INPUT: usize = 4096;

/// The verdict code of every payload while the bundle has aged out.
pub const REGISTRY_TOO_OLD: &str = "registry-data-too-old";

/// A payload as the holder presented it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadInput<'a> {
    /// The binary form.
    Bytes(&'a [u8]),
    /// The text form (`ZKS2:` + base45).
    Text(&'a str),
}

/// Why a gate cannot be built, or its roots not replaced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The verifying-key file is refused.
    #[error("verifying key: {0}")]
    VerifyingKey(#[from] KeyFileError),
    /// The roots file is refused (test-only path,
    /// [`TrustedRoots::from_roots_json_unverified`]).
    #[error("{}", with_what("registry roots", .0))]
    Roots(FormatError),
    /// The registry trust configuration is refused.
    #[error("{}", with_what("registry trust", .0))]
    Trust(FormatError),
    /// The registry bundle is refused (its own message: forged, foreign,
    /// or "registry data too old — connect to refresh").
    #[error("registry bundle: {0}")]
    Bundle(BundleError),
    /// A bundle older than the one the gate holds (a smaller log).
    #[error("registry bundle: older than the one this gate holds (log size {got}, the gate's is {have}): a rolled-back registry is refused")]
    RolledBack {
        /// The new bundle's log size.
        got: u64,
        /// The held bundle's log size.
        have: u64,
    },
    /// The policy is refused.
    #[error("{}", with_what("policy", .0))]
    Policy(FormatError),
    /// An option is refused.
    #[error(transparent)]
    Option(#[from] InputError),
    /// A verifying-key file of another version (version 1: statement v1).
    #[error("verifying key: file version {0}; this gate reads version 2 (statement v2): use the version-2 zkstatus.vk")]
    KeyVersion(u8),
    /// The verifying key is not the pinned one.
    #[error(
        "pinnedVkFingerprint: the verifying key's fingerprint is {actual}, not the pinned one"
    )]
    UnpinnedKey {
        /// The key's full fingerprint, hex.
        actual: String,
    },
}

/// `FormatError::Json` names the file already; the others do not.
fn with_what(what: &str, e: &FormatError) -> String {
    match e {
        FormatError::Json { .. } | FormatError::TooLarge { .. } => e.to_string(),
        _ => format!("{what}: {e}"),
    }
}

/// The gate's options, as the caller wrote them (strings are parsed here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options<'a> {
    /// Refuse a verifying key whose fingerprint is not this one (64 hex
    /// digits).
    pub pinned_vk_fingerprint: Option<&'a str>,
    /// The gate's name or URL, bound into every challenge (required).
    pub origin: &'a str,
    /// The operator whose public, fixed scope one-scan passes are for;
    /// `None`: the global scope (`OperatorId::GLOBAL`).
    pub operator: Option<&'a str>,
    /// Accept interactive presentations (default: yes).
    pub interactive: Option<bool>,
    /// Accept one-scan passes (default: no).
    pub one_scan: Option<bool>,
    /// A challenge's lifetime, decimal seconds, at most [`MAX_TTL_SECS`]
    /// (default [`DEFAULT_TTL_SECS`]).
    pub ttl_secs: Option<&'a str>,
    /// Challenges live at once (default [`DEFAULT_MAX_LIVE`]).
    pub max_live: Option<u32>,
}

/// Whether a payload was accepted, rejected, or is not a payload at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The proof verifies for this gate's key, roots, policy and challenge
    /// (or window), and was not used before.
    Accept,
    /// A well-formed payload that does not verify, or a repeat.
    Reject,
    /// Input that is not a version-2 payload.
    Malformed,
}

/// The policy a verdict was reached under; seconds as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    /// Maximum test age per accepted test type (`null`: not accepted).
    pub max_test_age: MaxTestAge,
    /// Minimum seconds since an exposure.
    pub min_exposure_gap: String,
}

/// Maximum test ages, seconds as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MaxTestAge {
    /// PCR tests.
    pub pcr: Option<String>,
    /// Rapid antigen tests.
    pub rapid_antigen: Option<String>,
}

impl PolicySummary {
    fn of(p: &StatusPolicy) -> Self {
        Self {
            max_test_age: MaxTestAge {
                pcr: p.max_test_age(TestType::Pcr).map(|s| s.to_string()),
                rapid_antigen: p
                    .max_test_age(TestType::RapidAntigen)
                    .map(|s| s.to_string()),
            },
            min_exposure_gap: p.min_exposure_gap().to_string(),
        }
    }
}

/// One accepted registry root, as the JavaScript API returns it (times
/// and epochs as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RootSummary {
    /// The registry epoch.
    pub epoch: String,
    /// The root, 64 hex digits.
    pub root: String,
    /// When the authority published it.
    pub published_at: String,
    /// When gates and holders switch to it.
    pub activates_at: String,
    /// The registry's end date under this root (its sunset).
    pub end_date: String,
}

impl RootSummary {
    fn of(r: &PublishedRoot) -> Self {
        Self {
            epoch: r.epoch.to_string(),
            root: config::fr_to_hex(&r.root),
            published_at: r.published_at.to_string(),
            activates_at: r.activates_at.to_string(),
            end_date: r.end_date.to_string(),
        }
    }
}

/// The outcome of one verification, as the JavaScript API returns it
/// (camelCase JSON; times as decimal strings, never numbers). It never
/// names the issuer: the gate only learns that an accredited issuer (one in
/// the registry of an accepted root) signed the credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `kind == Accept`.
    pub ok: bool,
    /// Accept, reject or malformed.
    pub kind: Kind,
    /// A stable machine-readable code: `accepted`, a rejection
    /// (`zkstatus_verifier::Rejection::code`: `proof-invalid`,
    /// `challenge-used`, `nullifier-used`, `root-not-active`, …) or a
    /// malformation (`zkstatus_verifier::payload::PayloadError::code`:
    /// `unsupported-version`, `wrong-length`, …).
    pub code: &'static str,
    /// Why it is not accepted, for people; `None` when accepted.
    pub reason: Option<String>,
    /// `interactive` or `one-scan`; only when accepted.
    pub mode: Option<&'static str>,
    /// The registry epoch of the root the proof is for; only when accepted.
    pub epoch: Option<String>,
    /// The statement's time (the challenge's issue time, or the window's
    /// start); only when accepted.
    pub proof_time: Option<String>,
    /// The gate's clock the payload was checked at (unix seconds).
    pub checked_at: String,
    /// The gate's policy.
    pub policy: PolicySummary,
    /// The challenge the proof was accepted for, now used (64 hex digits);
    /// only for an accepted interactive proof.
    pub challenge: Option<String>,
    /// The window the pass was accepted for; only for an accepted one-scan
    /// pass.
    pub window_start: Option<String>,
}

impl Verdict {
    /// The verdict as one line of JSON.
    pub fn to_json(&self) -> String {
        // Serializing this plain struct cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An issued challenge as the JavaScript API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedOffer {
    /// What the gate shows the holder (as a QR code): `ZKC2:` + base45 of
    /// the issue time and the challenge.
    pub offer: String,
    /// The challenge alone, 64 lowercase hex digits.
    pub challenge: String,
    /// Unix seconds, decimal: the statement's time for proofs made for it.
    pub issued_at: String,
    /// Unix seconds, decimal: live while the clock is below this.
    pub expires_at: String,
}

/// A statement-v2 gate driven with the caller's inputs as strings: the
/// shared `zkstatus_verifier::v2::Gate` (key, roots, policy, challenge
/// book, nullifier book), giving [`Verdict`]s.
#[derive(Debug, Clone)]
pub struct Gate {
    inner: v2::Gate,
    policy: PolicySummary,
    fingerprint: [u8; 32],
    operator: Option<String>,
    modes: Modes,
    bundle: Option<BundleState>,
}

fn book_error(e: ChallengeBookError) -> InputError {
    let field = match e {
        ChallengeBookError::EmptyOrigin | ChallengeBookError::OriginTooLong(_) => "origin",
        ChallengeBookError::Ttl(_) => "ttlSecs",
        ChallengeBookError::MaxLive(_) => "maxLive",
        ChallengeBookError::RepeatedNonce(_) => "random",
        _ => "now",
    };
    strip_field(field, e.to_string())
}

/// An [`InputError`] for `field` from a message that may already start with
/// a field name (`name: `, dropped).
fn strip_field(field: &'static str, text: String) -> InputError {
    match text.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') => InputError::new(field, rest),
        _ => InputError::new(field, text),
    }
}

fn gate_error(e: GateError) -> InputError {
    match e {
        GateError::Book(b) => book_error(b),
        GateError::Ttl(_) => strip_field("ttlSecs", e.to_string()),
        _ => strip_field("modes", e.to_string()),
    }
}

/// Parse an operator name (`OperatorId::from_name`): printable ASCII, 1 to
/// 64 bytes, no leading or trailing space.
pub fn parse_operator(name: &str) -> Result<OperatorId, InputError> {
    OperatorId::from_name(name)
        .map_err(|e: OperatorNameError| InputError::new("operator", e.to_string()))
}

/// Where a gate's roots come from, and until when they may be used
/// (issue [3/7]: a gate accepts a registry root only from a registry
/// bundle that verifies against its trust configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRoots {
    roots: AcceptedRoots,
    bundle: Option<BundleState>,
}

/// A verified bundle's times, as the JavaScript API returns them
/// (`registry()`: camelCase, unix seconds as decimal strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleState {
    /// The `k`-th newest witness cosignature time: the trusted clock.
    #[serde(serialize_with = "decimal")]
    pub cosigned_at: u64,
    /// `cosigned_at + max_age`: after this the gate refuses every payload
    /// ("registry data too old — connect to refresh").
    #[serde(serialize_with = "decimal")]
    pub valid_until: u64,
    /// The trust configuration's `max_age`, seconds.
    #[serde(serialize_with = "decimal")]
    pub max_age_secs: u64,
    /// The checkpoint's tree size (grows with every registry act).
    #[serde(serialize_with = "decimal")]
    pub log_size: u64,
}

fn decimal<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

impl TrustedRoots {
    /// The roots of a registry bundle (`docs/formats.md`, "Registry
    /// bundle") checked against a trust configuration (`zkstatus/registry-trust`)
    /// at the caller's clock `now` (decimal unix seconds), by the
    /// verifier crate's [`RegistryBundle::verify`], the same check the
    /// native tools make.
    pub fn from_bundle(bundle: &[u8], trust_json: &str, now: &str) -> Result<Self, SetupError> {
        let now = parse_u64(now, "now")?;
        // Size-capped before parsing (`config::parse_json`), like the bundle
        // (`MAX_BUNDLE_BYTES`, checked first by `from_bytes`).
        let trust = BundleTrust::from_json(trust_json).map_err(SetupError::Trust)?;
        let verified = RegistryBundle::from_bytes(bundle)
            .and_then(|b| b.verify(&trust, now))
            .map_err(SetupError::Bundle)?;
        Ok(Self {
            roots: verified.roots,
            bundle: Some(BundleState {
                cosigned_at: verified.cosigned_at,
                valid_until: verified.cosigned_at.saturating_add(trust.max_age()),
                max_age_secs: trust.max_age(),
                log_size: verified.log_size,
            }),
        })
    }

    /// TEST-ONLY: a roots file (`zkstatus/registry-roots`) taken as it is,
    /// with no bundle, so it never ages out. For host tests and tools that
    /// checked the roots elsewhere; the WASM exports never call it (a page
    /// takes roots only from a bundle).
    pub fn from_roots_json_unverified(json: &str) -> Result<Self, SetupError> {
        Ok(Self {
            roots: AcceptedRoots::from_json(json).map_err(SetupError::Roots)?,
            bundle: None,
        })
    }

    /// The bundle's times (`None` for the test-only unverified roots).
    pub fn bundle(&self) -> Option<BundleState> {
        self.bundle
    }
}

impl Gate {
    /// A gate from the version-2 verifying-key file, the registry (from a
    /// verified bundle: [`TrustedRoots::from_bundle`]), the policy JSON and
    /// options.
    pub fn new(
        vk_file: &[u8],
        registry: TrustedRoots,
        policy_json: &str,
        options: &Options<'_>,
    ) -> Result<Self, SetupError> {
        let pinned = options
            .pinned_vk_fingerprint
            .map(parse_fingerprint)
            .transpose()?;
        let ttl = options
            .ttl_secs
            .map(|s| parse_u64(s, "ttlSecs"))
            .transpose()?
            .unwrap_or(DEFAULT_TTL_SECS);
        if ttl > MAX_TTL_SECS {
            return Err(gate_error(GateError::Ttl(ttl)).into());
        }
        let modes = Modes {
            interactive: options.interactive.unwrap_or(true),
            one_scan: options.one_scan.unwrap_or(false),
        };
        let operator = options.operator.map(parse_operator).transpose()?;
        // A pinned key is checked against its pin before its points are
        // parsed (docs/security.md, item 58).
        let (vk, _qap) = match &pinned {
            None => vk2_from_file(vk_file),
            Some(pin) => vk2_from_pinned_file(vk_file, pin),
        }
        .map_err(|e| match e {
            KeyFileError::NotPinned { found } => SetupError::UnpinnedKey { actual: found },
            KeyFileError::NotVersion2(v) => SetupError::KeyVersion(v),
            other => SetupError::VerifyingKey(other),
        })?;
        let policy = config::policy_from_json(policy_json).map_err(SetupError::Policy)?;
        let fingerprint = vk.fingerprint();
        let verifier = v2::Verifier::new(&vk, registry.roots, policy);
        let max_live = options.max_live.map_or(DEFAULT_MAX_LIVE, |n| n as usize);
        let inner = v2::Gate::new(
            verifier,
            options.origin,
            operator.unwrap_or(OperatorId::GLOBAL),
            modes,
            ttl,
            max_live,
        )
        .map_err(gate_error)?;
        Ok(Self {
            inner,
            policy: PolicySummary::of(&policy),
            fingerprint,
            operator: options.operator.map(str::to_owned),
            modes,
            bundle: registry.bundle,
        })
    }

    /// The verifying key's fingerprint (SHA-256 of its body), hex.
    pub fn fingerprint_hex(&self) -> String {
        hex::encode(self.fingerprint)
    }

    /// The fingerprint's short form, `xxxx-xxxx-xxxx-xxxx`.
    pub fn short_fingerprint(&self) -> String {
        zkstatus_verifier::groth16::short_fingerprint(&self.fingerprint)
    }

    /// The policy.
    pub fn policy(&self) -> &PolicySummary {
        &self.policy
    }

    /// The operator name one-scan passes are scoped to (`None`: global).
    pub fn operator(&self) -> Option<&str> {
        self.operator.as_deref()
    }

    /// The modes this gate accepts.
    pub fn modes(&self) -> Modes {
        self.modes
    }

    /// The accepted roots, in epoch order.
    pub fn roots(&self) -> Vec<RootSummary> {
        self.inner
            .verifier()
            .roots()
            .roots()
            .iter()
            .map(RootSummary::of)
            .collect()
    }

    /// The root active at `now` (decimal unix seconds), if any.
    pub fn active_root(&self, now: &str) -> Result<Option<RootSummary>, InputError> {
        let now = parse_u64(now, "now")?;
        Ok(self
            .inner
            .verifier()
            .roots()
            .active_at(now)
            .map(RootSummary::of))
    }

    /// Replace the registry (a refreshed bundle: a newly published root,
    /// or the same root cosigned again). Live challenges and recorded
    /// nullifiers are kept. A bundle of a smaller log than the one held is
    /// refused (a rolled-back registry), and the gate keeps what it had.
    pub fn set_registry(&mut self, registry: TrustedRoots) -> Result<(), SetupError> {
        if let (Some(have), Some(got)) = (self.bundle, registry.bundle) {
            if got.log_size < have.log_size {
                return Err(SetupError::RolledBack {
                    got: got.log_size,
                    have: have.log_size,
                });
            }
        }
        self.inner.verifier_mut().set_roots(registry.roots);
        self.bundle = registry.bundle;
        Ok(())
    }

    /// The held bundle's times (`None` only for the test-only unverified
    /// roots).
    pub fn bundle(&self) -> Option<BundleState> {
        self.bundle
    }

    /// Why the registry may not be used at `now`: the bundle has aged out
    /// (its witnesses' `cosigned_at + max_age` is past), the same words as
    /// the native check ([`BundleError::Stale`]).
    fn aged_out(&self, now: u64) -> Option<BundleError> {
        let b = self.bundle?;
        (now > b.valid_until).then(|| BundleError::Stale {
            cosigned_at: b.cosigned_at,
            age: now.saturating_sub(b.cosigned_at),
            max_age: b.max_age_secs,
        })
    }

    /// Issue a challenge at `now` from 32 random bytes.
    pub fn issue(&mut self, now: &str, random: &[u8; 32]) -> Result<IssuedOffer, InputError> {
        let now = parse_u64(now, "now")?;
        let c = self
            .inner
            .challenges()
            .issue(now, random)
            .map_err(book_error)?;
        Ok(IssuedOffer {
            offer: ChallengeOffer::from(c).to_text(),
            challenge: config::fr_to_hex(&c.challenge.to_field()),
            issued_at: c.issued_at.to_string(),
            expires_at: c.expires_at.to_string(),
        })
    }

    /// The live challenges at `now`, oldest first.
    pub fn live(&mut self, now: &str) -> Result<Vec<IssuedOffer>, InputError> {
        let now = parse_u64(now, "now")?;
        Ok(self
            .inner
            .challenges()
            .live(now)
            .iter()
            .map(|c| IssuedOffer {
                offer: ChallengeOffer::from(*c).to_text(),
                challenge: config::fr_to_hex(&c.challenge.to_field()),
                issued_at: c.issued_at.to_string(),
                expires_at: c.expires_at.to_string(),
            })
            .collect())
    }

    /// Verify a payload at the gate's clock `now` (decimal unix seconds):
    /// an interactive proof consumes its challenge, a one-scan pass records
    /// its nullifier for its window. An input that is not acceptable is an
    /// [`InputError`], a bad payload is a [`Verdict`].
    pub fn verify_input(
        &mut self,
        payload: PayloadInput<'_>,
        now: &str,
    ) -> Result<Verdict, InputError> {
        let now = parse_u64(now, "now")?;
        // Fail closed on an aged-out bundle: every payload is refused, none
        // is checked against roots nobody has vouched for lately.
        if let Some(stale) = self.aged_out(now) {
            return Ok(self.failure(Kind::Reject, REGISTRY_TOO_OLD, &stale, now));
        }
        let result = match payload {
            PayloadInput::Bytes(b) => self.inner.verify(b, now),
            PayloadInput::Text(t) => self.inner.verify_text(t, now),
        };
        Ok(self.verdict(result, now))
    }

    /// The verdict for a result of the shared gate, checked at `now`.
    pub fn verdict(&self, result: Result<Accepted, VerifyError>, now: u64) -> Verdict {
        match result {
            Ok(a) => {
                let (mode, challenge, window_start) = match a.mode {
                    AcceptedMode::Interactive { challenge } => (
                        "interactive",
                        Some(config::fr_to_hex(&challenge.challenge.to_field())),
                        None,
                    ),
                    AcceptedMode::OneScan { window_start, .. } => {
                        ("one-scan", None, Some(window_start.to_string()))
                    }
                };
                Verdict {
                    ok: true,
                    kind: Kind::Accept,
                    code: "accepted",
                    reason: None,
                    mode: Some(mode),
                    epoch: Some(a.epoch.to_string()),
                    proof_time: Some(a.now.to_string()),
                    checked_at: now.to_string(),
                    policy: self.policy.clone(),
                    challenge,
                    window_start,
                }
            }
            Err(VerifyError::Rejected(r)) => self.failure(Kind::Reject, r.code(), &r, now),
            Err(VerifyError::Malformed(e)) => self.malformed(&e, now),
            Err(e) => self.failure(Kind::Malformed, "malformed", &e, now),
        }
    }

    /// The verdict for input of `len` bytes or characters over
    /// [`MAX_PAYLOAD_INPUT`], which is not read at all.
    pub fn too_long(&self, len: usize, text: bool, now: u64) -> Verdict {
        if text {
            let reason =
                format!("a text payload has at most {MAX_TEXT_CHARS} characters, got {len}");
            self.failure(Kind::Malformed, "wrong-length", &reason, now)
        } else {
            self.malformed(
                &PayloadError::WrongLength {
                    expected: ONE_SCAN_BYTES,
                    got: len,
                },
                now,
            )
        }
    }

    fn malformed(&self, e: &PayloadError, now: u64) -> Verdict {
        self.failure(Kind::Malformed, e.code(), e, now)
    }

    fn failure(
        &self,
        kind: Kind,
        code: &'static str,
        why: &dyn core::fmt::Display,
        now: u64,
    ) -> Verdict {
        Verdict {
            ok: false,
            kind,
            code,
            reason: Some(why.to_string()),
            mode: None,
            epoch: None,
            proof_time: None,
            checked_at: now.to_string(),
            policy: self.policy.clone(),
            challenge: None,
            window_start: None,
        }
    }
}

/// Parse a pinned verifying-key fingerprint: the full 64 lowercase hex
/// digits (the short form is for people, too short to pin).
pub fn parse_fingerprint(s: &str) -> Result<[u8; 32], InputError> {
    parse_sha256_pin(
        s,
        "pinnedVkFingerprint",
        "expected the full fingerprint (64 hex digits, vkFingerprintHex()), not the short form",
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_full_lowercase_hex() {
        assert_eq!(parse_fingerprint(&"ab".repeat(32)), Ok([0xab; 32]));
        let e = parse_fingerprint("1a2b-3c4d-5e6f-7a8b").unwrap_err();
        assert!(e.reason.contains("short form"), "{e}");
        assert!(parse_fingerprint(&"AB".repeat(32)).is_err());
        assert!(parse_fingerprint("abc").is_err());
    }

    #[test]
    fn operator_names_are_checked_and_named() {
        assert!(parse_operator("metro.example").is_ok());
        for bad in ["", " x", "x ", "caf\u{e9}", &"x".repeat(65)] {
            let e = parse_operator(bad).unwrap_err();
            assert_eq!(e.field, "operator", "{bad:?}");
        }
    }
}
