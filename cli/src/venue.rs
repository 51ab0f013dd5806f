//! The verifier's side: setup, challenges, policies and verification.

use crate::io::{self, check_new, print_json, write_new, write_output, Ctx, Spinner};
use crate::load::{self, PayloadForm};
use crate::text::{
    challenge_arg, fmt_time_full, now_or_clock, parse_duration, parse_opt_duration, parse_time,
    policy_summary,
};
use crate::{EXIT_BAD_INPUT, EXIT_REJECTED};
use anyhow::{anyhow, bail, Result};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use zkstatus_circuits::statement::v2::{Mode, PublicInputs};
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_prover::files::{fr_to_hex, policy_to_json};
use zkstatus_prover::keys;
use zkstatus_verifier::challenge::ChallengeBook;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::payload::PayloadError;
use zkstatus_verifier::v2::keyfile::vk2_to_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::{PayloadV2, PresentedMode};
use zkstatus_verifier::v2::{AcceptedMode, Gate, Modes, DEFAULT_TTL_SECS, MAX_TTL_SECS};
use zkstatus_verifier::{VerifyError, MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME};

/// The one-line warning every setup prints.
pub const SETUP_WARNING: &str = "this is a single-party setup: whoever ran it could forge proofs; use these keys for development only (a deployment needs a multi-party ceremony)";

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Directory for zkstatus.pk and zkstatus.vk (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out_dir: PathBuf,
    /// Replace existing key files.
    #[arg(long)]
    force: bool,
}

pub fn setup(ctx: &Ctx, a: SetupArgs) -> Result<u8> {
    let pk_path = a.out_dir.join("zkstatus.pk");
    let vk_path = a.out_dir.join("zkstatus.vk");
    check_new(&pk_path, "proving key", a.force)?;
    check_new(&vk_path, "verifying key", a.force)?;
    std::fs::create_dir_all(&a.out_dir).map_err(|e| {
        anyhow!(
            "cannot create the output directory: {} ({})",
            io::io_reason(&e),
            a.out_dir.display()
        )
    })?;
    let t = std::time::Instant::now();
    let (pk, vk) = {
        let _spin = Spinner::start("running the Groth16 setup (statement v2)");
        keys::setup_v2().map_err(|e| anyhow!("{e}"))?
    };
    // docs/security.md, item 77: the keys written are consistent.
    pk.check_consistency(Some(&vk))
        .map_err(|e| anyhow!("{e}"))?;
    let secs = t.elapsed().as_secs_f64();
    let pk_bytes = pk.to_file();
    let vk_bytes = vk2_to_file(&vk, pk.qap_reduction());
    write_new(&pk_path, &pk_bytes, "proving key", a.force, false)?;
    write_new(&vk_path, &vk_bytes, "verifying key", a.force, false)?;
    errln!("zkstatus: warning: {SETUP_WARNING}");
    if ctx.json {
        print_json(&json!({
            "proving_key": pk_path.display().to_string(),
            "proving_key_bytes": pk_bytes.len(),
            "verifying_key": vk_path.display().to_string(),
            "verifying_key_bytes": vk_bytes.len(),
            "vk_fingerprint": vk.short_fingerprint(),
            "vk_fingerprint_full": hex::encode(vk.fingerprint()),
            "seconds": secs,
            "warning": SETUP_WARNING,
        }));
    } else {
        outln!(
            "wrote {} ({} bytes) and {} ({} bytes) in {secs:.2} s",
            pk_path.display(),
            pk_bytes.len(),
            vk_path.display(),
            vk_bytes.len()
        );
        outln!("verifying key fingerprint: {}", vk.short_fingerprint());
    }
    Ok(0)
}

#[derive(Debug, Args)]
pub struct ChallengeArgs {
    /// The gate's name or URL, bound into the challenge.
    #[arg(long, value_name = "NAME", default_value = "zkstatus-cli")]
    origin: String,
    /// The issue time, unix seconds (default: the system clock): the time
    /// the holder's statement is checked at.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
}

/// A fresh challenge with its issue time (`ZKC2:`), as a gate shows it.
pub fn challenge(ctx: &Ctx, a: ChallengeArgs) -> Result<u8> {
    let now = now_or_clock(a.now)?;
    let mut book =
        ChallengeBook::new(&a.origin, DEFAULT_TTL_SECS, 1).map_err(|e| anyhow!("{e}"))?;
    let mut nonce = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let issued = book.issue(now, &nonce).map_err(|e| anyhow!("{e}"))?;
    let offer = ChallengeOffer::from(issued);
    if ctx.json {
        print_json(&json!({
            "challenge": offer.to_text(),
            "challenge_hex": fr_to_hex(&issued.challenge.to_field()),
            "issued_at": issued.issued_at,
            "expires_at": issued.expires_at,
        }));
    } else {
        outln!("{}", offer.to_text());
    }
    Ok(0)
}

/// A `--…-max-age` value: a duration, or `none` for "not accepted".
#[derive(Debug, Clone, Copy)]
pub struct MaxAge(Option<u64>);

fn parse_max_age(s: &str) -> Result<MaxAge, String> {
    parse_opt_duration(s).map(MaxAge)
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Oldest PCR test accepted, or `none` to refuse PCR tests.
    #[arg(long, value_name = "DUR|none", value_parser = parse_max_age)]
    pcr_max_age: MaxAge,
    /// Oldest rapid antigen test accepted, or `none` to refuse them.
    #[arg(long, value_name = "DUR|none", value_parser = parse_max_age)]
    antigen_max_age: MaxAge,
    /// Least time since a recorded exposure.
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    min_exposure_gap: u64,
    /// Output file, `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "-")]
    out: PathBuf,
}

pub fn policy(ctx: &Ctx, a: PolicyArgs) -> Result<u8> {
    let p = StatusPolicy::new(a.pcr_max_age.0, a.antigen_max_age.0, a.min_exposure_gap)
        .map_err(|e| anyhow!("{e}"))?;
    let text = policy_to_json(&p);
    let to_stdout = io::is_stdio(&a.out);
    if ctx.json {
        if !to_stdout {
            write_output(&a.out, text.as_bytes(), "policy", false)?;
        }
        let value: serde_json::Value = serde_json::from_str(&text)?;
        print_json(&json!({
            "written": (!to_stdout).then(|| a.out.display().to_string()),
            "policy": value,
            "summary": policy_summary(&p),
        }));
    } else {
        write_output(&a.out, text.as_bytes(), "policy", false)?;
        if !to_stdout {
            outln!("wrote {}: {}", a.out.display(), policy_summary(&p));
        }
    }
    Ok(0)
}

/// How a venue checks a payload: the challenge it showed (interactive), or
/// its operator (one-scan).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ModeArgs {
    /// Interactive: the challenge this venue showed the holder (`ZKC2:…`,
    /// as `zkstatus challenge` prints it).
    #[arg(long, value_name = "ZKC2")]
    challenge: Option<String>,
    /// One-scan: this venue's operator name (`global` for the global
    /// scope); the pass's window must be one the venue accepts now.
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
}

impl ModeArgs {
    /// The operator, or the challenge offer.
    fn parse(&self) -> Result<Result<OperatorId, ChallengeOffer>> {
        match (&self.operator, &self.challenge) {
            (Some(name), _) => Ok(Ok(operator_arg(name)?)),
            (None, Some(c)) => Ok(Err(challenge_arg(c)?)),
            (None, None) => Err(anyhow!("give --challenge ZKC2:… or --operator NAME")),
        }
    }
}

/// `--operator`: `global`, or a name (printable ASCII, hashed).
pub fn operator_arg(name: &str) -> Result<OperatorId> {
    if name == "global" {
        return Ok(OperatorId::GLOBAL);
    }
    OperatorId::from_name(name).map_err(|e| anyhow!("--operator: {e}"))
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Verifying-key file (statement v2).
    #[arg(long, value_name = "FILE")]
    vk: PathBuf,
    #[command(flatten)]
    roots: load::RootsArgs,
    /// This venue's policy.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    #[command(flatten)]
    mode: ModeArgs,
    /// The verifier's clock, unix seconds (default: the system clock).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
    /// Refuse to verify unless the verifying key's SHA-256 fingerprint is
    /// this (64 hex digits, as `zkstatus inspect` prints it): the key is
    /// trust configuration, like the roots.
    #[arg(long, value_name = "HEX")]
    vk_fingerprint: Option<String>,
    /// Payload file, binary or text (`ZKS2:`), `-` for stdin.
    #[arg(value_name = "PAYLOAD")]
    payload: PathBuf,
}

pub fn verify(ctx: &Ctx, a: VerifyArgs) -> Result<u8> {
    let mut files = vec![
        ("--vk", a.vk.as_path()),
        ("--policy", a.policy.as_path()),
        ("PAYLOAD", a.payload.as_path()),
    ];
    files.extend(a.roots.files());
    load::one_stdin(&files)?;
    let mode = a.mode.parse()?;
    let now = now_or_clock(a.now)?;
    // The verifier's own clock is configuration, not the holder's input: an
    // implausible one (milliseconds, a broken clock) is refused in both modes.
    if !(MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&now) {
        bail!("implausible verifier time {now} (--now or the system clock): expected unix seconds between 2020 and 2100");
    }
    // A pinned key is checked against its pin before its points are parsed.
    let verifier = load::verifier(&a.vk, a.vk_fingerprint.as_deref(), &a.roots, now, &a.policy)?;
    let (decoded, form) = load::payload(&a.payload)?;
    let malformed = |e: PayloadError| {
        let reason = format!("malformed payload: {e}");
        if ctx.json {
            print_json(&json!({
                "verdict": "reject",
                "code": e.code(),
                "reason": reason,
                "malformed": true,
            }));
        } else {
            outln!("REJECT: {reason}");
        }
        crate::report_error(false, &format!("{reason} ({})", io::input_name(&a.payload)));
        Ok(EXIT_BAD_INPUT)
    };
    let payload = match decoded {
        Ok(p) => p,
        Err(e) => return malformed(e),
    };
    let (operator, modes) = match &mode {
        Ok(op) => (
            *op,
            Modes {
                interactive: false,
                one_scan: true,
            },
        ),
        Err(_) => (
            OperatorId::GLOBAL,
            Modes {
                interactive: true,
                one_scan: false,
            },
        ),
    };
    let mut gate = Gate::new(verifier, "zkstatus-cli", operator, modes, MAX_TTL_SECS, 1)
        .map_err(|e| anyhow!("{e}"))?;
    if let Err(offer) = &mode {
        // This stateless tool is given its own challenge back; it lives
        // MAX_TTL_SECS from its issue time, like a gate's.
        gate.challenges()
            .restore(offer.challenge, offer.issued_at, now)
            .map_err(|e| anyhow!("--challenge: {e}"))?;
    }
    let form = match form {
        PayloadForm::Binary => "binary",
        PayloadForm::Text => "text",
    };
    match gate.verify(&payload.to_bytes(), now) {
        Ok(accepted) => {
            let (mode, nullifier) = match accepted.mode {
                AcceptedMode::Interactive { .. } => ("interactive", None),
                AcceptedMode::OneScan { nullifier, .. } => {
                    ("one-scan", Some(fr_to_hex(&nullifier.to_field())))
                }
            };
            if ctx.json {
                print_json(&json!({
                    "verdict": "accept",
                    "code": "accepted",
                    "reason": null,
                    "issuer": "an accredited issuer",
                    "registry_epoch": accepted.epoch,
                    "mode": mode,
                    "nullifier": nullifier,
                    "now": accepted.now,
                    "payload_form": form,
                }));
            } else {
                outln!("ACCEPT: green under this policy, issued by an accredited issuer");
                outln!(
                    "proof for {} under registry epoch {} ({mode})",
                    fmt_time_full(accepted.now),
                    accepted.epoch
                );
            }
            Ok(0)
        }
        Err(VerifyError::Malformed(e)) => malformed(e),
        Err(VerifyError::Rejected(r)) => {
            if ctx.json {
                print_json(&json!({
                    "verdict": "reject",
                    "code": r.code(),
                    "reason": r.to_string(),
                    "registry_epoch": payload.epoch,
                    "mode": payload.mode.name(),
                    "now": payload.now,
                    "payload_form": form,
                }));
            } else {
                outln!("REJECT: {r}");
            }
            Ok(EXIT_REJECTED)
        }
        Err(e) => Err(anyhow!("{e}")),
    }
}

#[derive(Debug, Args)]
pub struct SnarkjsArgs {
    /// Verifying-key file.
    #[arg(long, value_name = "FILE")]
    vk: PathBuf,
    /// The verifier's policy (part of the public inputs).
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// The registry roots (the payload's epoch names its root): a bundle
    /// checked at --now, or, as a tool, --unlogged-roots.
    #[command(flatten)]
    roots: load::RootsArgs,
    /// The clock the bundle is checked at, unix seconds (default: the
    /// system clock).
    #[arg(long, value_name = "T", value_parser = crate::text::parse_time)]
    now: Option<u64>,
    #[command(flatten)]
    mode: ModeArgs,
    /// Directory for verification_key.json, proof.json and public.json;
    /// `-` prints the three as one JSON object.
    #[arg(long, value_name = "DIR", default_value = ".")]
    out_dir: PathBuf,
    /// Replace existing files.
    #[arg(long)]
    force: bool,
    /// Payload file, binary or text, `-` for stdin.
    #[arg(value_name = "PAYLOAD")]
    payload: PathBuf,
}

/// The public inputs a venue would check `payload` with (no clock or replay
/// checks: an export is for an independent verifier of the proof).
fn export_inputs(
    payload: &PayloadV2,
    policy: &StatusPolicy,
    roots: &zkstatus_verifier::v2::roots::AcceptedRoots,
    mode: &Result<OperatorId, ChallengeOffer>,
) -> Result<Vec<ark_bn254::Fr>> {
    let root = roots
        .check(payload.epoch, payload.now)
        .map_err(|e| anyhow!("{e}"))?;
    let mode = match (mode, payload.mode) {
        (Err(offer), PresentedMode::Interactive) => {
            if offer.issued_at != payload.now {
                bail!(
                    "the payload is for time {}, the challenge was issued at {}",
                    payload.now,
                    offer.issued_at
                );
            }
            Mode::Interactive {
                challenge: offer.challenge,
            }
        }
        (Ok(op), PresentedMode::OneScan { nullifier }) => Mode::OneScan {
            scope: zkstatus_verifier::onescan::scope(op, payload.now)
                .map_err(|e| anyhow!("{e}"))?,
            nullifier,
        },
        (_, m) => bail!(
            "the payload is {}; give --challenge for interactive, --operator for one-scan",
            m.name()
        ),
    };
    Ok(PublicInputs {
        registry_root: root,
        now: payload.now,
        policy: *policy,
        mode,
    }
    .to_field_elements()
    .to_vec())
}

/// The snarkjs file names, in `snarkjs groth16 verify` order after the key.
const SNARKJS_FILES: [&str; 3] = ["verification_key.json", "public.json", "proof.json"];

pub fn snarkjs(ctx: &Ctx, a: SnarkjsArgs) -> Result<u8> {
    let mut inputs: Vec<(&str, &std::path::Path)> = vec![
        ("--vk", &a.vk),
        ("--policy", &a.policy),
        ("PAYLOAD", &a.payload),
    ];
    inputs.extend(a.roots.files());
    load::one_stdin(&inputs)?;
    let mode = a.mode.parse()?;
    let vk = load::verifying_key(&a.vk)?;
    let policy = load::policy(&a.policy)?;
    let roots = a
        .roots
        .load(a.now.map_or_else(crate::text::unix_now, Ok)?)?;
    let (decoded, _) = load::payload(&a.payload)?;
    let payload =
        decoded.map_err(|e| anyhow!("malformed payload: {e} ({})", io::input_name(&a.payload)))?;
    let public = export_inputs(&payload, &policy, &roots, &mode)?;
    // Checked before anything is written: exit 1, as `verify` rejects.
    let files = match zkstatus_prover::snarkjs::export_public(&vk, &payload.proof, &public) {
        Ok(files) => files,
        Err(e) => {
            crate::report_error(
                ctx.json,
                &format!("not exported: {e} ({})", io::input_name(&a.payload)),
            );
            return Ok(EXIT_REJECTED);
        }
    };
    let contents = [&files.verification_key, &files.public, &files.proof];
    if io::is_stdio(&a.out_dir) {
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s);
        print_json(&json!({
            "verification_key": parse(&files.verification_key)?,
            "public": parse(&files.public)?,
            "proof": parse(&files.proof)?,
        }));
        return Ok(0);
    }
    let paths: Vec<PathBuf> = SNARKJS_FILES.iter().map(|n| a.out_dir.join(n)).collect();
    for p in &paths {
        check_new(p, "snarkjs file", a.force)?;
    }
    std::fs::create_dir_all(&a.out_dir).map_err(|e| {
        anyhow!(
            "cannot create the output directory: {} ({})",
            io::io_reason(&e),
            a.out_dir.display()
        )
    })?;
    for (p, c) in paths.iter().zip(contents) {
        write_new(p, c.as_bytes(), "snarkjs file", a.force, false)?;
    }
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    if ctx.json {
        print_json(&json!({ "written": shown }));
    } else {
        outln!("wrote {}", shown.join(", "));
        outln!("check with: snarkjs groth16 verify {}", shown.join(" "));
    }
    Ok(0)
}
