//! The browser verifier's logic, free of JavaScript types so that it builds
//! and is tested on the host too: configuration from the verifier's files,
//! strict parsing of the caller's inputs (times, challenge, fingerprint), and
//! the [`Verdict`] that the JavaScript API returns as a plain object.
//!
//! Verification itself is `zkstatus_verifier::StatusVerifier`, the
//! same code the native tools run: this module only maps its result.

use serde::Serialize;
use zkstatus_circuits::record::TestType;
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_verifier::challenge::{
    ChallengeBook, ChallengeBookError, IssuedChallenge, DEFAULT_MAX_LIVE, DEFAULT_TTL_SECS,
};
use zkstatus_verifier::config::{self, FormatError, TrustedIssuer};
use zkstatus_verifier::input::parse_sha256_pin;
pub use zkstatus_verifier::input::{parse_challenge, parse_u64, InputError};
use zkstatus_verifier::payload::{PayloadError, PAYLOAD_BYTES, TEXT_CHARS};
use zkstatus_verifier::{
    vk_from_file, vk_from_pinned_file, Accepted, ConfigError, KeyFileError, StatusVerifier,
    VerifyError,
};

/// Longest payload (bytes, or UTF-16 units of text) that the JavaScript
/// wrapper copies into WASM memory; longer input gets [`Verifier::too_long`]
/// without being read. Every valid payload is far shorter
/// ([`PAYLOAD_BYTES`], [`TEXT_CHARS`] plus whitespace); the cap keeps hostile
/// input from growing WASM memory, which never shrinks and whose exhaustion
/// would trap. (Under the cap, the shared decoder checks the length first,
/// before any curve arithmetic.)
pub const MAX_PAYLOAD_INPUT: usize = 4096;

/// A payload as the holder presented it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadInput<'a> {
    /// The binary form.
    Bytes(&'a [u8]),
    /// The text form (`ZKS1:` + base45).
    Text(&'a str),
}

/// Why a verifier cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The verifying-key file is refused.
    #[error("verifying key: {0}")]
    VerifyingKey(#[from] KeyFileError),
    /// The trust list is refused.
    #[error("{}", with_what("trust list", .0))]
    TrustList(FormatError),
    /// The policy is refused.
    #[error("{}", with_what("policy", .0))]
    Policy(FormatError),
    /// An option is refused.
    #[error(transparent)]
    Option(#[from] InputError),
    /// The verifying key is not the pinned one.
    #[error(
        "pinnedVkFingerprint: the verifying key's fingerprint is {actual}, not the pinned one"
    )]
    UnpinnedKey {
        /// The key's full fingerprint, hex.
        actual: String,
    },
    /// The verifier's configuration is refused.
    #[error("{0}")]
    Config(ConfigError),
}

/// `FormatError::Json` names the file already; the others do not.
fn with_what(what: &str, e: &FormatError) -> String {
    match e {
        FormatError::Json { .. } | FormatError::TooLarge { .. } => e.to_string(),
        _ => format!("{what}: {e}"),
    }
}

/// Optional settings of a [`Verifier`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Tolerance between the payload's `now` and the verifier's clock;
    /// `None` for `zkstatus_verifier::DEFAULT_MAX_SKEW_SECS`.
    pub max_skew_secs: Option<u64>,
    /// Refuse a verifying key whose fingerprint is not this one.
    pub pinned_vk_fingerprint: Option<[u8; 32]>,
}

/// A configured verifier: the shared [`StatusVerifier`] plus the trust
/// list's names.
#[derive(Debug, Clone)]
pub struct Verifier {
    inner: StatusVerifier,
    issuers: Vec<TrustedIssuer>,
    policy: PolicySummary,
    fingerprint: [u8; 32],
}

/// Whether a payload was accepted, rejected, or is not a payload at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The proof verifies for this verifier's key, trust list, policy,
    /// clock and challenge.
    Accept,
    /// A well-formed payload that does not verify.
    Reject,
    /// Input that is not a payload.
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

/// The outcome of one verification, as the JavaScript API returns it
/// (camelCase JSON; times as decimal strings, never numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `kind == Accept`.
    pub ok: bool,
    /// Accept, reject or malformed.
    pub kind: Kind,
    /// A stable machine-readable code: `accepted`, the rejection
    /// (`untrusted-issuer`, `clock-skew`, `implausible-time`,
    /// `proof-invalid`) or the malformation (`wrong-length`,
    /// `unknown-version`, `invalid-proof-encoding`, `invalid-issuer-key`,
    /// `missing-prefix`, `wrong-prefix`, `invalid-base45`).
    pub code: &'static str,
    /// Why it is not accepted, for people; `None` when accepted.
    pub reason: Option<String>,
    /// The trust list's name for the issuer; only when accepted.
    pub issuer: Option<String>,
    /// The issuer's packed public key, hex; only when accepted.
    pub issuer_key: Option<String>,
    /// The time the proof was made for (unix seconds); only when accepted.
    pub proof_time: Option<String>,
    /// The verifier's clock the payload was checked against (unix seconds).
    pub checked_at: String,
    /// The verifier's policy.
    pub policy: PolicySummary,
    /// The challenge the proof was accepted for (from a [`Gate`]: the one
    /// now used); only when accepted.
    pub challenge: Option<String>,
}

impl Verdict {
    /// The verdict as one line of JSON.
    pub fn to_json(&self) -> String {
        // Serializing this plain struct cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Verifier {
    /// A verifier from the verifying-key file, the trust-list and policy
    /// JSON files, and options.
    pub fn new(
        vk_file: &[u8],
        trust_list_json: &str,
        policy_json: &str,
        options: &Options,
    ) -> Result<Self, SetupError> {
        // A pinned key is checked against its pin before its points are
        // parsed (docs/security.md, item 58).
        let vk = match &options.pinned_vk_fingerprint {
            None => vk_from_file(vk_file)?,
            Some(pin) => vk_from_pinned_file(vk_file, pin).map_err(|e| match e {
                KeyFileError::NotPinned { found } => SetupError::UnpinnedKey { actual: found },
                other => SetupError::VerifyingKey(other),
            })?,
        };
        let issuers =
            config::trust_list_from_json(trust_list_json).map_err(SetupError::TrustList)?;
        let policy = config::policy_from_json(policy_json).map_err(SetupError::Policy)?;
        let fingerprint = vk.fingerprint();
        let mut inner =
            StatusVerifier::new(&vk, issuers.iter().map(|i| i.public_key).collect(), policy)
                .map_err(SetupError::Config)?;
        if let Some(secs) = options.max_skew_secs {
            inner = inner.with_max_skew(secs);
        }
        if let Some(pinned) = &options.pinned_vk_fingerprint {
            inner = inner.with_pinned_key(pinned).map_err(|e| match e {
                ConfigError::UnpinnedKey => SetupError::UnpinnedKey {
                    actual: hex::encode(fingerprint),
                },
                other => SetupError::Config(other),
            })?;
        }
        Ok(Self {
            inner,
            issuers,
            policy: PolicySummary::of(&policy),
            fingerprint,
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

    /// The trusted issuers.
    pub fn issuers(&self) -> &[TrustedIssuer] {
        &self.issuers
    }

    /// The policy.
    pub fn policy(&self) -> &PolicySummary {
        &self.policy
    }

    /// Verify a binary payload.
    pub fn verify_bytes(&self, payload: &[u8], now: u64, challenge: &Challenge) -> Verdict {
        let result = self.inner.verify(payload, now, challenge);
        self.verdict(result.map(|a| (a, *challenge)), now)
    }

    /// The verdict for a result of the shared verifier (on acceptance, with
    /// the challenge the proof was accepted for), checked at `now`.
    pub fn verdict(&self, result: Result<(Accepted, Challenge), VerifyError>, now: u64) -> Verdict {
        match result {
            Ok((accepted, challenge)) => Verdict {
                ok: true,
                kind: Kind::Accept,
                code: "accepted",
                reason: None,
                issuer: self
                    .issuers
                    .iter()
                    .find(|i| i.public_key == accepted.issuer)
                    .map(|i| i.name.clone()),
                issuer_key: Some(config::public_key_to_hex(&accepted.issuer)),
                proof_time: Some(accepted.now.to_string()),
                checked_at: now.to_string(),
                policy: self.policy.clone(),
                challenge: Some(config::fr_to_hex(&challenge.to_field())),
            },
            Err(VerifyError::Rejected(r)) => self.failure(Kind::Reject, r.code(), &r, now),
            Err(VerifyError::Malformed(e)) => self.malformed(&e, now),
            Err(e) => self.failure(Kind::Malformed, "malformed", &e, now),
        }
    }

    /// Verify a text payload (`ZKS1:` + base45; surrounding ASCII
    /// whitespace ignored).
    pub fn verify_text(&self, text: &str, now: u64, challenge: &Challenge) -> Verdict {
        let result = self.inner.verify_text(text, now, challenge);
        self.verdict(result.map(|a| (a, *challenge)), now)
    }

    /// Verify a payload given as bytes or text, with the verifier's clock
    /// and challenge as the caller wrote them (decimal unix seconds, 64
    /// lowercase hex digits); an input that is not acceptable is an
    /// [`InputError`], a bad payload is a [`Verdict`].
    pub fn verify_input(
        &self,
        payload: PayloadInput<'_>,
        now: &str,
        challenge: &str,
    ) -> Result<Verdict, InputError> {
        let now = parse_u64(now, "now")?;
        let challenge = parse_challenge(challenge)?;
        Ok(match payload {
            PayloadInput::Bytes(b) => self.verify_bytes(b, now, &challenge),
            PayloadInput::Text(t) => self.verify_text(t, now, &challenge),
        })
    }

    /// The verdict for input of `len` bytes or characters over
    /// [`MAX_PAYLOAD_INPUT`], which is not read at all.
    pub fn too_long(&self, len: usize, text: bool, now: u64) -> Verdict {
        if text {
            let reason = format!("a text payload has {TEXT_CHARS} characters, got {len}");
            self.failure(Kind::Malformed, "wrong-length", &reason, now)
        } else {
            self.malformed(
                &PayloadError::WrongLength {
                    expected: PAYLOAD_BYTES,
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
            issuer: None,
            issuer_key: None,
            proof_time: None,
            checked_at: now.to_string(),
            policy: self.policy.clone(),
            challenge: None,
        }
    }
}

/// A gate: a [`ChallengeBook`] (replay protection) driven with the
/// caller's inputs as strings, giving [`Verdict`]s.
#[derive(Debug, Clone)]
pub struct Gate {
    book: ChallengeBook,
}

/// An issued challenge as the JavaScript API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedSummary {
    /// 64 lowercase hex digits.
    pub challenge: String,
    /// Unix seconds, decimal.
    pub issued_at: String,
    /// Unix seconds, decimal: live while the clock is below this.
    pub expires_at: String,
}

impl IssuedSummary {
    fn of(c: &IssuedChallenge) -> Self {
        Self {
            challenge: config::fr_to_hex(&c.challenge.to_field()),
            issued_at: c.issued_at.to_string(),
            expires_at: c.expires_at.to_string(),
        }
    }
}

fn book_error(e: ChallengeBookError) -> InputError {
    let field = match e {
        ChallengeBookError::EmptyOrigin | ChallengeBookError::OriginTooLong(_) => "origin",
        ChallengeBookError::Ttl(_) => "ttlSecs",
        ChallengeBookError::MaxLive(_) => "maxLive",
        ChallengeBookError::RepeatedNonce(_) => "nonce",
        _ => "now",
    };
    let text = e.to_string();
    let prefix = format!("{field}: ");
    InputError::new(field, text.strip_prefix(&prefix).unwrap_or(&text))
}

impl Gate {
    /// A gate named `origin` (default lifetime and live count when `None`).
    pub fn new(
        origin: &str,
        ttl_secs: Option<&str>,
        max_live: Option<u32>,
    ) -> Result<Self, InputError> {
        let ttl = ttl_secs
            .map(|s| parse_u64(s, "ttlSecs"))
            .transpose()?
            .unwrap_or(DEFAULT_TTL_SECS);
        let max_live = max_live.map_or(DEFAULT_MAX_LIVE, |n| n as usize);
        ChallengeBook::new(origin, ttl, max_live)
            .map(|book| Self { book })
            .map_err(book_error)
    }

    /// Issue a challenge at `now` from 32 random bytes.
    pub fn issue(&mut self, now: &str, nonce: &[u8; 32]) -> Result<IssuedSummary, InputError> {
        let now = parse_u64(now, "now")?;
        self.book
            .issue(now, nonce)
            .map(|c| IssuedSummary::of(&c))
            .map_err(book_error)
    }

    /// The live challenges at `now`, oldest first.
    pub fn live(&mut self, now: &str) -> Result<Vec<IssuedSummary>, InputError> {
        let now = parse_u64(now, "now")?;
        Ok(self.book.live(now).iter().map(IssuedSummary::of).collect())
    }

    /// Verify a payload with `verifier` against the live challenges at
    /// `now`; an accepted payload consumes its challenge.
    pub fn verify_input(
        &mut self,
        verifier: &Verifier,
        payload: PayloadInput<'_>,
        now: &str,
    ) -> Result<Verdict, InputError> {
        let now = parse_u64(now, "now")?;
        let result = match payload {
            PayloadInput::Bytes(b) => self.book.verify(&verifier.inner, b, now),
            PayloadInput::Text(t) => self.book.verify_text(&verifier.inner, t, now),
        };
        Ok(verifier.verdict(result.map(|(a, used)| (a, used.challenge)), now))
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

/// A challenge from 32 random bytes, or `None` to draw again: the top two
/// bits are cleared (a value below 2²⁵⁴) and values `≥ p` are refused
/// (probability ≈ 0.24), so accepted outputs are uniform over the field and
/// canonical. Reducing mod `p` instead would bias small values.
pub fn challenge_from_random(mut bytes: [u8; 32]) -> Option<String> {
    bytes[0] &= 0x3f;
    let hex = hex::encode(bytes);
    // The shared canonical parser decides "below p".
    config::challenge_from_hex(&hex).ok().map(|_| hex)
}

/// Draws before [`mint_challenge_with`] gives up: all fail with
/// probability below 2⁻¹³⁰.
pub const MINT_ATTEMPTS: usize = 64;

/// Mint a fresh challenge by rejection sampling from `fill`, a source of
/// cryptographically secure random bytes.
pub fn mint_challenge_with<E>(
    mut fill: impl FnMut(&mut [u8; 32]) -> Result<(), E>,
) -> Result<String, MintError<E>> {
    for _ in 0..MINT_ATTEMPTS {
        let mut bytes = [0u8; 32];
        fill(&mut bytes).map_err(MintError::Source)?;
        if let Some(c) = challenge_from_random(bytes) {
            return Ok(c);
        }
    }
    Err(MintError::Exhausted)
}

/// Why no challenge was minted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MintError<E> {
    /// The random source failed.
    Source(E),
    /// [`MINT_ATTEMPTS`] draws were all out of range: the source is broken.
    Exhausted,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn minted_challenges_are_canonical_and_rejection_sampled() {
        // All-ones is ≥ p even after masking: refused, not reduced.
        assert_eq!(challenge_from_random([0xff; 32]), None);
        let mut b = [0xff; 32];
        b[0] = 0x30;
        b[1] = 0x64;
        b[2] = 0x4e;
        b[3] = 0x72;
        assert_eq!(challenge_from_random(b), None);
        b[3] = 0x71;
        let c = challenge_from_random(b).unwrap();
        assert!(parse_challenge(&c).is_ok());
        // The mask clears the top two bits only.
        let c = challenge_from_random([0xc1; 32]).unwrap();
        assert_eq!(&c[..6], "01c1c1");
        // A deterministic "source": draws until one is in range.
        let mut draws = 0;
        let c = mint_challenge_with(|buf: &mut [u8; 32]| -> Result<(), ()> {
            draws += 1;
            *buf = if draws < 3 { [0xff; 32] } else { [0x07; 32] };
            Ok(())
        })
        .unwrap();
        assert_eq!(draws, 3);
        assert_eq!(c, "07".repeat(32));
        assert_eq!(
            mint_challenge_with(|buf: &mut [u8; 32]| -> Result<(), ()> {
                *buf = [0xff; 32];
                Ok(())
            }),
            Err(MintError::Exhausted)
        );
        assert_eq!(
            mint_challenge_with(|_: &mut [u8; 32]| Err("no crypto")),
            Err(MintError::Source("no crypto"))
        );
    }

    #[test]
    fn fingerprints_are_full_lowercase_hex() {
        assert_eq!(parse_fingerprint(&"ab".repeat(32)), Ok([0xab; 32]));
        let e = parse_fingerprint("1a2b-3c4d-5e6f-7a8b").unwrap_err();
        assert!(e.reason.contains("short form"), "{e}");
        assert!(parse_fingerprint(&"AB".repeat(32)).is_err());
        assert!(parse_fingerprint("abc").is_err());
    }
}
