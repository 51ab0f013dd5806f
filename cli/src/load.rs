//! Loading each kind of file: a size cap, then the kind check (so a
//! credential given as `--policy` says so), then the library's strict parser.

use crate::io::{
    check_cap, input_name, read_up_to, MAX_FILE_BYTES, MAX_PAYLOAD_BYTES, MAX_PK_BYTES,
};
use anyhow::{anyhow, bail, Result};
use std::path::{Path, PathBuf};
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_prover::credential::{Credential, CREDENTIAL_FORMAT};
use zkstatus_prover::files::{
    holder_secret_from_json, issuer_key_from_json, policy_from_json, sniff_format,
    HOLDER_SECRET_FORMAT, ISSUER_KEY_FORMAT, POLICY_FORMAT,
};
use zkstatus_prover::keys::{ProvingKeyV2, PK_FILE_MAGIC};
use zkstatus_verifier::bundle::{
    BundleTrust, RegistryBundle, VerifiedBundle, MAX_BUNDLE_BYTES, TRUST_FORMAT,
};
use zkstatus_verifier::groth16::VerifyingKeyV2;
use zkstatus_verifier::payload::PayloadError;
use zkstatus_verifier::v2::keyfile::{vk2_from_file, vk2_from_pinned_file};
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::{AcceptedRoots, ROOTS_FORMAT};
use zkstatus_verifier::v2::Verifier;
use zkstatus_verifier::VK_FILE_MAGIC;

/// The format name of statement v1's trust list, recognised only to be
/// refused by name (statement v2 verifiers accept registry roots).
pub const V1_TRUST_LIST_FORMAT: &str = "zkstatus/trust-list";

/// What a file looks like, before it is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Starts with `ZKPK`.
    ProvingKey,
    /// Starts with `ZKVK`.
    VerifyingKey,
    /// Starts with `ZKRG`.
    Registry,
    /// Starts like a text payload (`ZKS2:`, or `ZKS1:` to be refused by
    /// version) after optional whitespace.
    PayloadText,
    /// Starts with `{`; the `"format"` field if there is one.
    Json(Option<String>),
    /// Anything else (a binary payload, or not a zkstatus file).
    Other,
}

/// Classify `bytes` by magic bytes, text prefix or JSON `"format"` field.
pub fn detect(bytes: &[u8]) -> Kind {
    if bytes.starts_with(&PK_FILE_MAGIC) {
        return Kind::ProvingKey;
    }
    if bytes.starts_with(&VK_FILE_MAGIC) {
        return Kind::VerifyingKey;
    }
    if bytes.starts_with(&zkstatus_verifier::registry::REGISTRY_MAGIC) {
        return Kind::Registry;
    }
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = &bytes[start..];
    if zkstatus_verifier::payload::looks_like_text(body) {
        Kind::PayloadText
    } else if body.starts_with(b"{") {
        Kind::Json(std::str::from_utf8(bytes).ok().and_then(sniff_format))
    } else {
        Kind::Other
    }
}

/// "a credential file", "a proving-key file", ...
pub fn describe(kind: &Kind) -> String {
    match kind {
        Kind::ProvingKey => "a proving-key file".into(),
        Kind::VerifyingKey => "a verifying-key file".into(),
        Kind::Registry => "a registry file".into(),
        Kind::PayloadText => "a text payload".into(),
        Kind::Json(Some(f)) => match known_json(f) {
            Some(d) => d.into(),
            None => format!("a JSON file of unknown format {:?}", truncate(f)),
        },
        Kind::Json(None) => "a JSON file without a \"format\" field".into(),
        Kind::Other => "a binary file".into(),
    }
}

fn known_json(format: &str) -> Option<&'static str> {
    Some(match format {
        CREDENTIAL_FORMAT => "a credential file",
        POLICY_FORMAT => "a policy file",
        V1_TRUST_LIST_FORMAT => "a trust list (statement v1)",
        ROOTS_FORMAT => "a registry-roots file",
        ISSUER_KEY_FORMAT => "an issuer key file",
        HOLDER_SECRET_FORMAT => "a holder secret file",
        _ => return None,
    })
}

fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

/// Refuse a file that is recognisably of another kind than `expected`.
fn expect_kind(bytes: &[u8], expected: &Kind, name: &str) -> Result<()> {
    let found = detect(bytes);
    let recognisable = match &found {
        Kind::ProvingKey | Kind::VerifyingKey | Kind::Registry | Kind::PayloadText => true,
        Kind::Json(Some(f)) => known_json(f).is_some(),
        _ => false,
    };
    let same = match (&found, expected) {
        (Kind::Json(_), Kind::Json(_)) => found == *expected,
        (Kind::PayloadText | Kind::Other, Kind::PayloadText | Kind::Other) => true,
        _ => found == *expected,
    };
    if recognisable && !same {
        let want = match expected {
            Kind::Other | Kind::PayloadText => "a payload".to_string(),
            k => describe(k),
        };
        bail!("expected {want}, got {} ({name})", describe(&found));
    }
    Ok(())
}

/// Read `path` with a size cap, refusing a file of another recognisable
/// kind first (so a proving key given as `--vk` is named as such, not as
/// "too large").
pub fn read_kind(path: &Path, cap: usize, what: &str, expected: &Kind) -> Result<Vec<u8>> {
    let name = input_name(path);
    let bytes = read_up_to(path, cap, what)?;
    expect_kind(&bytes, expected, &name)?;
    check_cap(&bytes, cap, what, &name)?;
    Ok(bytes)
}

fn json_kind(format: &str) -> Kind {
    Kind::Json(Some(format.to_string()))
}

fn json_file<'a>(bytes: &'a [u8], format: &str, name: &str) -> Result<&'a str> {
    let expected = json_kind(format);
    std::str::from_utf8(bytes).map_err(|_| {
        anyhow!(
            "expected {}, got a file that is not UTF-8 text ({name})",
            describe(&expected)
        )
    })
}

/// A statement-v2 proving key (up to 8 MiB, every point validated).
pub fn proving_key(path: &Path) -> Result<ProvingKeyV2> {
    let name = input_name(path);
    let bytes = read_kind(path, MAX_PK_BYTES, "proving key", &Kind::ProvingKey)?;
    ProvingKeyV2::from_file(&bytes).map_err(|e| anyhow!("{e} ({name})"))
}

/// A statement-v2 verifying-key file.
pub fn verifying_key(path: &Path) -> Result<VerifyingKeyV2> {
    let name = input_name(path);
    let bytes = read_kind(path, MAX_FILE_BYTES, "verifying key", &Kind::VerifyingKey)?;
    vk2_from_file(&bytes)
        .map(|(vk, _)| vk)
        .map_err(|e| anyhow!("{e} ({name})"))
}

/// A verifying-key file whose fingerprint must be `pin`, checked before any
/// point is parsed (docs/security.md, item 58).
pub fn verifying_key_pinned(path: &Path, pin: &[u8; 32]) -> Result<VerifyingKeyV2> {
    let name = input_name(path);
    let bytes = read_kind(path, MAX_FILE_BYTES, "verifying key", &Kind::VerifyingKey)?;
    vk2_from_pinned_file(&bytes, pin)
        .map(|(vk, _)| vk)
        .map_err(|e| anyhow!("{e} ({name})"))
}

/// Where a verifier's registry roots come from: a registry bundle checked
/// offline against a trust configuration (`--bundle` with `--trust`; issue
/// [3/7]: "the verifier accepts a registry root only with a small bundle,
/// checked offline"), or, for development only, a plain roots file
/// (`--unlogged-roots`, trusted as it is: no log, no witnesses), which
/// prints a warning to stderr every time it is loaded.
#[derive(Debug, clap::Args)]
pub struct RootsArgs {
    /// The registry bundle (`zkstatus log bundle`): the roots are accepted
    /// only if it verifies against --trust at the verifier's clock.
    #[arg(
        long,
        value_name = "FILE",
        requires = "trust",
        conflicts_with = "unlogged_roots",
        required_unless_present = "unlogged_roots"
    )]
    pub bundle: Option<PathBuf>,
    /// The trust configuration for --bundle (`zkstatus log trust`): the
    /// log key, the witness keys, k and max_age.
    #[arg(long, value_name = "FILE", requires = "bundle")]
    pub trust: Option<PathBuf>,
    /// Development only: a plain registry roots file (`zkstatus registry
    /// publish --roots`), trusted as it is, NOT checked against the
    /// transparency log or its witnesses (a warning says so on stderr).
    /// Give --bundle and --trust instead.
    #[arg(long, value_name = "FILE")]
    pub unlogged_roots: Option<PathBuf>,
}

/// The warning printed whenever `--unlogged-roots` is loaded.
pub const UNLOGGED_ROOTS_WARNING: &str = "zkstatus: warning: the registry roots from --unlogged-roots were not checked against the transparency log (development only: give --bundle and --trust)";

impl RootsArgs {
    /// The files, named by option, for [`one_stdin`].
    pub fn files(&self) -> Vec<(&'static str, &Path)> {
        let mut v: Vec<(&'static str, &Path)> = Vec::new();
        for (n, p) in [
            ("--bundle", &self.bundle),
            ("--trust", &self.trust),
            ("--unlogged-roots", &self.unlogged_roots),
        ] {
            if let Some(p) = p {
                v.push((n, p.as_path()));
            }
        }
        v
    }

    /// The accepted roots, at the verifier's clock `now` (a bundle older
    /// than its trust's `max_age` is refused: "registry data too old —
    /// connect to refresh"). Unlogged roots are loaded with a warning.
    pub fn load(&self, now: u64) -> Result<AcceptedRoots> {
        match (&self.bundle, &self.trust, &self.unlogged_roots) {
            (Some(b), Some(t), None) => Ok(bundle(b, t, now)?.roots),
            (None, None, Some(r)) => {
                let roots = roots(r)?;
                errln!("{UNLOGGED_ROOTS_WARNING}");
                Ok(roots)
            }
            _ => bail!("give --bundle with --trust (or, in development, --unlogged-roots)"),
        }
    }

    /// With a bundle: the time after which it has aged out (its trusted
    /// cosignature time plus `max_age`); `None` for unlogged roots.
    pub fn valid_until(&self, now: u64) -> Result<Option<u64>> {
        match (&self.bundle, &self.trust) {
            (Some(b), Some(t)) => {
                let (v, max_age) = bundle_with_age(b, t, now)?;
                Ok(Some(v.cosigned_at.saturating_add(max_age)))
            }
            _ => Ok(None),
        }
    }
}

/// Largest trust configuration file read.
const MAX_TRUST_BYTES: usize = 16 << 10;

/// A registry bundle checked against a trust configuration at `now`.
pub fn bundle(bundle_path: &Path, trust_path: &Path, now: u64) -> Result<VerifiedBundle> {
    Ok(bundle_with_age(bundle_path, trust_path, now)?.0)
}

/// [`bundle`], and the trust's `max_age`.
fn bundle_with_age(
    bundle_path: &Path,
    trust_path: &Path,
    now: u64,
) -> Result<(VerifiedBundle, u64)> {
    let trust = trust(trust_path)?;
    let v = bundle_file(bundle_path, &trust, now)?;
    Ok((v, trust.max_age()))
}

/// A registry trust configuration file (`zkstatus log trust`).
pub fn trust(trust_path: &Path) -> Result<BundleTrust> {
    let tname = input_name(trust_path);
    let tbytes = crate::io::read_capped(trust_path, MAX_TRUST_BYTES, "registry trust")?;
    let text = json_file(&tbytes, TRUST_FORMAT, &tname)?;
    BundleTrust::from_json(text).map_err(|e| anyhow!("{e} ({tname})"))
}

/// A registry bundle file checked against `trust` at `now`.
pub fn bundle_file(bundle_path: &Path, trust: &BundleTrust, now: u64) -> Result<VerifiedBundle> {
    let bname = input_name(bundle_path);
    let bytes = crate::io::read_capped(bundle_path, MAX_BUNDLE_BYTES, "registry bundle")?;
    RegistryBundle::from_bytes(&bytes)
        .and_then(|b| b.verify(trust, now))
        .map_err(|e| anyhow!("registry bundle refused: {e} ({bname})"))
}

/// The registry roots a verifier accepts (or a holder switches by).
/// A gate's verifier from its files: the verifying key (checked against
/// `--vk-fingerprint` before its points are parsed, when given), the
/// accepted roots and the policy. `zkstatus venue verify` and `zkstatus gate`
/// both build theirs here.
pub fn verifier(
    vk: &Path,
    vk_fingerprint: Option<&str>,
    roots: &RootsArgs,
    now: u64,
    policy_path: &Path,
) -> Result<Verifier> {
    let pinned = match vk_fingerprint {
        None => None,
        Some(hex) => Some(
            zkstatus_prover::files::bytes_from_hex::<32>(hex, "--vk-fingerprint")
                .map_err(|e| anyhow!("{e}"))?,
        ),
    };
    let key = match &pinned {
        None => verifying_key(vk)?,
        Some(pin) => verifying_key_pinned(vk, pin)?,
    };
    let verifier = Verifier::new(&key, roots.load(now)?, policy(policy_path)?);
    match &pinned {
        None => Ok(verifier),
        Some(pin) => verifier
            .with_pinned_key(pin)
            .map_err(|e| anyhow!("{e} ({})", vk.display())),
    }
}

pub fn roots(path: &Path) -> Result<AcceptedRoots> {
    let name = input_name(path);
    let bytes = read_kind(
        path,
        MAX_FILE_BYTES,
        "registry roots",
        &json_kind(ROOTS_FORMAT),
    )?;
    let text = json_file(&bytes, ROOTS_FORMAT, &name)?;
    AcceptedRoots::from_json(text).map_err(|e| anyhow!("{e} ({name})"))
}

/// A policy file.
pub fn policy(path: &Path) -> Result<StatusPolicy> {
    let name = input_name(path);
    let bytes = read_kind(path, MAX_FILE_BYTES, "policy", &json_kind(POLICY_FORMAT))?;
    let text = json_file(&bytes, POLICY_FORMAT, &name)?;
    policy_from_json(text).map_err(|e| anyhow!("{e} ({name})"))
}

/// An issuer key file (its public key must match its private key).
pub fn issuer_key(path: &Path) -> Result<PrivateKey> {
    let name = input_name(path);
    let bytes = read_kind(
        path,
        MAX_FILE_BYTES,
        "issuer key",
        &json_kind(ISSUER_KEY_FORMAT),
    )?;
    let text = json_file(&bytes, ISSUER_KEY_FORMAT, &name)?;
    issuer_key_from_json(text).map_err(|e| anyhow!("{e} ({name})"))
}

/// A holder secret file (its commitment must match its secret).
pub fn holder_secret(path: &Path) -> Result<HolderSecret> {
    let name = input_name(path);
    let bytes = read_kind(
        path,
        MAX_FILE_BYTES,
        "holder secret",
        &json_kind(HOLDER_SECRET_FORMAT),
    )?;
    let text = json_file(&bytes, HOLDER_SECRET_FORMAT, &name)?;
    holder_secret_from_json(text).map_err(|e| anyhow!("{e} ({name})"))
}

/// A credential, whose signature must verify: a credential whose record or
/// signature was altered is damaged input, not a status.
pub fn credential(path: &Path) -> Result<Credential> {
    let name = input_name(path);
    let bytes = read_kind(
        path,
        MAX_FILE_BYTES,
        "credential",
        &json_kind(CREDENTIAL_FORMAT),
    )?;
    let text = json_file(&bytes, CREDENTIAL_FORMAT, &name)?;
    let c = Credential::from_json(text).map_err(|e| anyhow!("{e} ({name})"))?;
    c.verify_signature().map_err(|e| {
        anyhow!("credential: the issuer's signature does not verify on this record ({e}): the file is damaged or was not signed by its issuer ({name})")
    })?;
    Ok(c)
}

/// Which form a payload came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadForm {
    /// 146 or 178 bytes.
    Binary,
    /// `ZKS2:` + base45.
    Text,
}

/// A version-2 payload file, binary or text (auto-detected). The outer
/// error is I/O or the wrong kind of file; the inner one a malformed
/// payload (a version-1 payload is named as such).
pub fn payload(path: &Path) -> Result<(Result<PayloadV2, PayloadError>, PayloadForm)> {
    let name = input_name(path);
    let bytes = read_kind(path, MAX_PAYLOAD_BYTES, "payload", &Kind::Other)?;
    payload_from_bytes(&bytes, &name)
}

/// [`payload`] on bytes already read.
pub fn payload_from_bytes(
    bytes: &[u8],
    name: &str,
) -> Result<(Result<PayloadV2, PayloadError>, PayloadForm)> {
    expect_kind(bytes, &Kind::Other, name)?;
    if detect(bytes) == Kind::PayloadText {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| anyhow!("the text payload is not UTF-8 text ({name})"))?;
        Ok((PayloadV2::from_text(text), PayloadForm::Text))
    } else {
        Ok((PayloadV2::from_bytes(bytes), PayloadForm::Binary))
    }
}

/// Refuse `-` for more than one input of one command (checked up front, so
/// the message names the arguments rather than the second read).
pub fn one_stdin(paths: &[(&str, &Path)]) -> Result<()> {
    let dashes: Vec<&str> = paths
        .iter()
        .filter(|(_, p)| crate::io::is_stdio(p))
        .map(|(n, _)| *n)
        .collect();
    if dashes.len() > 1 {
        bail!(
            "only one input can be read from stdin, but {} are '-'",
            dashes.join(" and ")
        );
    }
    Ok(())
}
