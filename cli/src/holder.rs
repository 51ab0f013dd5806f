//! The holder's side: secret, own status screen, proofs.

use crate::io::{self, print_json, write_new, write_output, Ctx, Spinner};
use crate::load;
use crate::text::{challenge_arg, fmt_span, fmt_time_full, now_or_clock, parse_time, unix_now};
use crate::EXIT_REJECTED;
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::v2::StatementError;
use zkstatus_circuits::statement::{NotGreen, StatusPolicy};
use zkstatus_prover::credential::{test_type_name, Credential};
use zkstatus_prover::files::{fr_to_hex, holder_secret_to_json};
use zkstatus_prover::holder::v2::{self, Presentation};
use zkstatus_prover::holder::{self, ProveError};
use zkstatus_verifier::onescan;

#[derive(Debug, Subcommand)]
pub enum HolderCommand {
    /// Generate a holder secret (written owner-only); prints the commitment the issuer needs.
    Keygen(KeygenArgs),
    /// Check your own credential: GREEN or NOT GREEN, and why (never sent anywhere).
    Status(StatusArgs),
    /// Prove your status for a venue's policy and challenge.
    Prove(ProveArgs),
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Holder secret file to create (mode 0600).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing secret file.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Credential file.
    #[arg(long, value_name = "FILE")]
    credential: PathBuf,
    /// Holder secret file.
    #[arg(long, value_name = "FILE")]
    secret: PathBuf,
    /// The venue's policy.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// The time to check at, unix seconds (default: the system clock).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// Proving-key file.
    #[arg(long, value_name = "FILE")]
    pk: PathBuf,
    /// Credential file.
    #[arg(long, value_name = "FILE")]
    credential: PathBuf,
    /// Holder secret file.
    #[arg(long, value_name = "FILE")]
    secret: PathBuf,
    /// The venue's policy.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// The registry the credential's issuer is in (repeat for each epoch
    /// you have: the one active at the statement's time is used). Download
    /// the whole file, so nobody learns which issuer you need.
    #[arg(long, value_name = "FILE", required = true)]
    registry: Vec<PathBuf>,
    /// The registry's current roots: a bundle checked against the trust
    /// configuration at the system clock, as a verifier checks it (or, in
    /// development, --unlogged-roots).
    #[command(flatten)]
    roots: load::RootsArgs,
    /// Interactive: the venue's challenge (`ZKC2:…`); the statement is
    /// checked at its issue time.
    #[arg(
        long,
        value_name = "ZKC2",
        required_unless_present = "operator",
        conflicts_with = "operator"
    )]
    challenge: Option<String>,
    /// One-scan: the operator whose gates will scan the pass (`global` for
    /// the global scope).
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
    /// One-scan: the window's start, unix seconds, a multiple of 60
    /// (default: the window the system clock is in).
    #[arg(
        long,
        value_name = "T",
        value_parser = parse_time,
        requires = "operator",
        conflicts_with = "challenge"
    )]
    window: Option<u64>,
    /// Payload file, `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "-")]
    out: PathBuf,
    /// Write the text form (`ZKS2:` + base45, for QR codes) instead of binary.
    #[arg(long)]
    text: bool,
}

pub fn run(ctx: &Ctx, c: HolderCommand) -> Result<u8> {
    match c {
        HolderCommand::Keygen(a) => keygen(ctx, a),
        HolderCommand::Status(a) => status(ctx, a),
        HolderCommand::Prove(a) => prove(ctx, a),
    }
}

fn keygen(ctx: &Ctx, a: KeygenArgs) -> Result<u8> {
    let secret = HolderSecret::generate(&mut rand::rngs::OsRng);
    write_new(
        &a.out,
        holder_secret_to_json(&secret).as_bytes(),
        "holder secret",
        a.force,
        true,
    )?;
    let holder = fr_to_hex(&secret.commitment());
    if ctx.json {
        print_json(&json!({ "holder": holder, "written": a.out.display().to_string() }));
    } else {
        outln!(
            "wrote holder secret {} (mode 0600; keep it secret)",
            a.out.display()
        );
        outln!("holder commitment (give this to the issuer): {holder}");
    }
    Ok(0)
}

/// The holder's own explanation, in plain words (never sent anywhere).
pub fn reason(e: &StatementError) -> String {
    match e {
        StatementError::NotGreen(NotGreen::TestTypeNotAccepted(t)) => {
            format!("the policy does not accept {} tests", test_type_name(*t))
        }
        other => other.to_string(),
    }
}

/// The first second at which a green credential stops being green.
fn green_until(c: &Credential, policy: &StatusPolicy) -> u64 {
    let r = &c.record;
    policy
        .max_test_age(r.test_type)
        .and_then(|age| r.test_time.checked_add(age)?.checked_add(1))
        .map_or(r.expires_at, |t| t.min(r.expires_at))
}

fn status(ctx: &Ctx, a: StatusArgs) -> Result<u8> {
    load::one_stdin(&[
        ("--credential", &a.credential),
        ("--secret", &a.secret),
        ("--policy", &a.policy),
    ])?;
    let now = now_or_clock(a.now)?;
    let cred = load::credential(&a.credential)?;
    let secret = load::holder_secret(&a.secret)?;
    let policy = load::policy(&a.policy)?;
    match holder::status(&cred, &secret, now, &policy) {
        Ok(()) => {
            let until = green_until(&cred, &policy);
            if ctx.json {
                print_json(&json!({
                    "green": true,
                    "reason": null,
                    "now": now,
                    "green_until": until,
                }));
            } else {
                outln!("GREEN");
                outln!(
                    "green under this policy until {} (in {})",
                    fmt_time_full(until),
                    fmt_span(until.saturating_sub(now))
                );
            }
            Ok(0)
        }
        Err(e) => {
            let why = reason(&e);
            if ctx.json {
                print_json(&json!({ "green": false, "reason": why, "now": now }));
            } else {
                outln!("NOT GREEN: {why}");
            }
            Ok(EXIT_REJECTED)
        }
    }
}

fn not_green(ctx: &Ctx, why: &str) -> u8 {
    if ctx.json {
        print_json(&json!({ "proved": false, "green": false, "reason": why }));
    }
    errln!("zkstatus: NOT GREEN: {why}; no proof made");
    EXIT_REJECTED
}

fn prove(ctx: &Ctx, a: ProveArgs) -> Result<u8> {
    let mut inputs: Vec<(&str, &std::path::Path)> = vec![
        ("--pk", &a.pk),
        ("--credential", &a.credential),
        ("--secret", &a.secret),
        ("--policy", &a.policy),
    ];
    inputs.extend(a.roots.files());
    inputs.extend(a.registry.iter().map(|p| ("--registry", p.as_path())));
    load::one_stdin(&inputs)?;
    let presentation = match (&a.challenge, &a.operator) {
        (Some(c), _) => Presentation::Interactive(challenge_arg(c)?),
        (None, Some(op)) => {
            let window_start = match a.window {
                Some(w) => w,
                None => onescan::window_start(now_or_clock(None)?),
            };
            Presentation::OneScan {
                operator: crate::venue::operator_arg(op)?,
                window_start,
            }
        }
        (None, None) => bail!("give --challenge ZKC2:… or --operator NAME"),
    };
    let now = presentation.now();
    let to_stdout = io::is_stdio(&a.out);
    if to_stdout && !a.text && !ctx.json && std::io::stdout().is_terminal() {
        bail!("refusing to write a binary payload to a terminal: use --text or --out FILE");
    }
    let cred = load::credential(&a.credential)?;
    let secret = load::holder_secret(&a.secret)?;
    let policy = load::policy(&a.policy)?;
    // The bundle's freshness is judged at the holder's own clock, as the
    // holder page does (a one-scan window starts up to a minute before it,
    // possibly before the latest cosignature); the statement's time picks
    // the active root.
    let roots = a.roots.load(unix_now()?)?;
    let registries = a
        .registry
        .iter()
        .map(|p| crate::registry::read(p))
        .collect::<Result<Vec<_>>>()?;
    // Check first: a statement that does not hold needs no 2-second key load.
    if let Err(e) = v2::prepare(&cred, &secret, &policy, &registries, &roots, &presentation) {
        return not_proved(ctx, e);
    }
    let pk = {
        let _spin = Spinner::start("loading the proving key");
        load::proving_key(&a.pk)?
    };
    let t = std::time::Instant::now();
    let payload = {
        let _spin = Spinner::start("proving");
        match v2::prove(
            &pk,
            &cred,
            &secret,
            &policy,
            &registries,
            &roots,
            &presentation,
        ) {
            Ok(p) => p,
            Err(e) => return not_proved(ctx, e),
        }
    };
    let secs = t.elapsed().as_secs_f64();
    let bytes = payload.to_bytes();
    let text = payload.to_text();
    let (content, form): (Vec<u8>, &str) = if a.text {
        (format!("{text}\n").into_bytes(), "text")
    } else {
        (bytes.clone(), "binary")
    };
    if !(to_stdout && ctx.json) {
        write_output(&a.out, &content, "payload", false)?;
    }
    if ctx.json {
        print_json(&json!({
            "proved": true,
            "written": (!to_stdout).then(|| a.out.display().to_string()),
            "form": form,
            "bytes": bytes.len(),
            "text_chars": text.len(),
            "now": now,
            "mode": payload.mode.name(),
            "registry_epoch": payload.epoch,
            "seconds": secs,
            "payload_text": to_stdout.then_some(&text),
            "payload_hex": to_stdout.then(|| hex::encode(&bytes)),
        }));
    } else if !to_stdout {
        let size = if a.text {
            format!("{} characters, text", text.len())
        } else {
            format!("{} bytes, binary", bytes.len())
        };
        outln!("wrote payload {} ({size}) in {secs:.2} s", a.out.display());
        outln!(
            "{} proof for {} under registry epoch {}",
            payload.mode.name(),
            fmt_time_full(now),
            payload.epoch
        );
    }
    Ok(0)
}

/// A statement that does not hold (exit 1, the holder's own reason) or
/// material that does not fit (exit 2).
fn not_proved(ctx: &Ctx, e: ProveError) -> Result<u8> {
    match e {
        ProveError::StatementV2(e) => Ok(not_green(ctx, &reason(&e))),
        ProveError::Material(e) => Err(anyhow!("{e}")),
        e => Err(anyhow!("{e}")),
    }
}
