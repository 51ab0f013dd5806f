//! The holder's side: secret, own status screen, proofs.

use crate::io::{self, print_json, write_new, write_output, Ctx, Spinner};
use crate::load;
use crate::text::{challenge_arg, fmt_span, fmt_time_full, now_or_clock, parse_time};
use crate::EXIT_REJECTED;
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::{NotGreen, StatementError, StatusPolicy};
use zkstatus_prover::credential::{test_type_name, Credential};
use zkstatus_prover::files::{fr_to_hex, holder_secret_to_json, public_key_to_hex};
use zkstatus_prover::holder::{self, ProveError};

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
    /// The venue's challenge (64 hex digits).
    #[arg(long, value_name = "HEX")]
    challenge: String,
    /// The time to prove for, unix seconds (default: the system clock).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
    /// Payload file, `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "-")]
    out: PathBuf,
    /// Write the text form (`ZKS1:` + base45, for QR codes) instead of binary.
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

/// The holder's own explanation, in plain words.
pub fn reason(e: &StatementError) -> String {
    match e {
        StatementError::NotGreen(NotGreen::TestTypeNotAccepted(t)) => {
            format!("the policy does not accept {} tests", test_type_name(*t))
        }
        StatementError::NotGreen(n) => n.to_string(),
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

fn not_green(ctx: &Ctx, e: &StatementError) -> u8 {
    let why = reason(e);
    if ctx.json {
        print_json(&json!({ "proved": false, "green": false, "reason": why }));
    }
    errln!("zkstatus: NOT GREEN: {why}; no proof made");
    EXIT_REJECTED
}

fn prove(ctx: &Ctx, a: ProveArgs) -> Result<u8> {
    load::one_stdin(&[
        ("--pk", &a.pk),
        ("--credential", &a.credential),
        ("--secret", &a.secret),
        ("--policy", &a.policy),
    ])?;
    let challenge = challenge_arg(&a.challenge)?;
    let now = now_or_clock(a.now)?;
    let to_stdout = io::is_stdio(&a.out);
    if to_stdout && !a.text && !ctx.json && std::io::stdout().is_terminal() {
        bail!("refusing to write a binary payload to a terminal: use --text or --out FILE");
    }
    let cred = load::credential(&a.credential)?;
    let secret = load::holder_secret(&a.secret)?;
    let policy = load::policy(&a.policy)?;
    // Check first: a credential that is not green needs no 2-second key load.
    if let Err(e) = holder::status(&cred, &secret, now, &policy) {
        return Ok(not_green(ctx, &e));
    }
    let pk = {
        let _spin = Spinner::start("loading the proving key");
        load::proving_key(&a.pk)?
    };
    let t = std::time::Instant::now();
    let payload = {
        let _spin = Spinner::start("proving");
        match holder::prove(&pk, &cred, &secret, &policy, now, &challenge) {
            Ok(p) => p,
            Err(ProveError::Statement(e)) => return Ok(not_green(ctx, &e)),
            Err(e) => return Err(anyhow!("{e}")),
        }
    };
    let secs = t.elapsed().as_secs_f64();
    let bytes = payload.to_bytes();
    let text = payload.to_text();
    let (content, form): (Vec<u8>, &str) = if a.text {
        (format!("{text}\n").into_bytes(), "text")
    } else {
        (bytes.to_vec(), "binary")
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
            "issuer": public_key_to_hex(&payload.issuer),
            "seconds": secs,
            "payload_text": to_stdout.then_some(&text),
            "payload_hex": to_stdout.then(|| hex::encode(bytes)),
        }));
    } else if !to_stdout {
        let size = if a.text {
            format!("{} characters, text", text.len())
        } else {
            format!("{} bytes, binary", bytes.len())
        };
        outln!("wrote payload {} ({size}) in {secs:.2} s", a.out.display());
        outln!("proof for {}", fmt_time_full(now));
    }
    Ok(0)
}
