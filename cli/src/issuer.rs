//! The issuer's side: keys and credentials. (Accrediting an issuer is the
//! registry authority's act: `zkstatus registry add`.)

use crate::io::{self, print_json, write_new, write_output, Ctx};
use crate::load;
use crate::text::{bytes32_arg, fmt_time_full, fr_arg, parse_duration, parse_time, unix_now};
use anyhow::{anyhow, bail, Result};
use ark_ff::UniformRand;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey};
use zkstatus_circuits::record::{Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_prover::credential::{test_result_name, test_type_from_name, test_type_name};
use zkstatus_prover::files::{fr_to_hex, issuer_key_to_json, public_key_to_hex};
use zkstatus_prover::issuer;
use zkstatus_verifier::MAX_PLAUSIBLE_TIME;

#[derive(Debug, Subcommand)]
pub enum IssuerCommand {
    /// Generate a random issuer key (written owner-only).
    Keygen(KeygenArgs),
    /// Import an existing 32-byte iden3/circomlib EdDSA private key.
    Import(ImportArgs),
    /// Print the public key of an issuer key file.
    Public(PublicArgs),
    /// Sign a test record into a credential for a holder.
    Issue(IssueArgs),
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Issuer key file to create (mode 0600).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing key file.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The private key: 64 lowercase hex digits, or `-` to read them from stdin.
    #[arg(long, value_name = "HEX")]
    private_key_hex: String,
    /// Issuer key file to create (mode 0600).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing key file.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct PublicArgs {
    /// Issuer key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
}

fn parse_test_type(s: &str) -> Result<TestType, String> {
    test_type_from_name(s).ok_or_else(|| format!("expected pcr or rapid_antigen, got {s:?}"))
}

fn parse_test_result(s: &str) -> Result<TestResult, String> {
    [TestResult::Negative, TestResult::Positive]
        .into_iter()
        .find(|r| test_result_name(*r) == s)
        .ok_or_else(|| format!("expected negative or positive, got {s:?}"))
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("expiry").required(true).args(["expires_at", "valid_for"])))]
pub struct IssueArgs {
    /// Issuer key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The holder commitment (64 hex digits, from `holder keygen`).
    #[arg(long, value_name = "HEX")]
    holder: String,
    /// The kind of test.
    #[arg(long, value_name = "pcr|rapid_antigen", value_parser = parse_test_type)]
    test_type: TestType,
    /// The test result.
    #[arg(long, value_name = "negative|positive", value_parser = parse_test_result, default_value = "negative")]
    result: TestResult,
    /// When the test was taken, unix seconds.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    test_time: u64,
    /// The holder's last known exposure, unix seconds (omit if none).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    exposure_time: Option<u64>,
    /// Issue time, unix seconds (default: now).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    issued_at: Option<u64>,
    /// Expiry, unix seconds.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    expires_at: Option<u64>,
    /// Validity from the issue time (instead of --expires-at).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    valid_for: Option<u64>,
    /// Credential file to write (owner-only), `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "-")]
    out: PathBuf,
}

pub fn run(ctx: &Ctx, c: IssuerCommand) -> Result<u8> {
    match c {
        IssuerCommand::Keygen(a) => {
            let key = PrivateKey::generate(&mut rand::rngs::OsRng);
            save_key(ctx, &key, &a.out, a.force)
        }
        IssuerCommand::Import(a) => {
            let hex = if a.private_key_hex == "-" {
                io::read_stdin_line("private key")?
            } else {
                a.private_key_hex.clone()
            };
            let key = PrivateKey::from_bytes(bytes32_arg(&hex, "--private-key-hex")?);
            save_key(ctx, &key, &a.out, a.force)
        }
        IssuerCommand::Public(a) => {
            let key = load::issuer_key(&a.key)?;
            let public = key.public_key();
            report_key(ctx, &public, None);
            Ok(0)
        }
        IssuerCommand::Issue(a) => issue(ctx, a),
    }
}

fn save_key(ctx: &Ctx, key: &PrivateKey, out: &Path, force: bool) -> Result<u8> {
    let public = key.public_key();
    write_new(
        out,
        issuer_key_to_json(key).as_bytes(),
        "issuer key",
        force,
        true,
    )?;
    report_key(ctx, &public, Some(out));
    Ok(0)
}

fn report_key(ctx: &Ctx, public: &PublicKey, written: Option<&Path>) {
    let hex = public_key_to_hex(public);
    if ctx.json {
        print_json(&json!({
            "public_key": hex,
            "written": written.map(|p| p.display().to_string()),
        }));
    } else {
        if let Some(p) = written {
            outln!(
                "wrote issuer key {} (mode 0600; keep it secret)",
                p.display()
            );
        }
        outln!("public key: {hex}");
    }
}

fn plausible(t: u64, flag: &str) -> Result<u64> {
    if t > MAX_PLAUSIBLE_TIME {
        bail!("{flag} {t} is after the year 2100: expected unix seconds, not milliseconds");
    }
    Ok(t)
}

fn issue(ctx: &Ctx, a: IssueArgs) -> Result<u8> {
    let key = load::issuer_key(&a.key)?;
    let holder = fr_arg(&a.holder, "--holder")?;
    let issued_at = plausible(a.issued_at.map_or_else(unix_now, Ok)?, "--issued-at")?;
    let expires_at = match (a.expires_at, a.valid_for) {
        (Some(t), _) => t,
        (None, Some(d)) => issued_at
            .checked_add(d)
            .ok_or_else(|| anyhow!("--issued-at plus --valid-for does not fit in 64 bits"))?,
        (None, None) => bail!("give --expires-at or --valid-for"),
    };
    let expires_at = plausible(expires_at, "the expiry")?;
    let exposure_time = match a.exposure_time {
        Some(NO_EXPOSURE) => {
            bail!("--exposure-time 0 is not a time: omit it when there is no known exposure")
        }
        Some(t) => plausible(t, "--exposure-time")?,
        None => NO_EXPOSURE,
    };
    let record = Record {
        holder,
        test_result: a.result,
        test_type: a.test_type,
        test_time: plausible(a.test_time, "--test-time")?,
        exposure_time,
        issued_at,
        expires_at,
        credential_id: ark_bn254::Fr::rand(&mut rand::rngs::OsRng),
    };
    let cred = issuer::issue(&key, &record).map_err(|e| anyhow!("cannot issue: {e}"))?;
    let text = cred.to_json();
    let to_stdout = io::is_stdio(&a.out);
    if !(to_stdout && ctx.json) {
        write_output(&a.out, text.as_bytes(), "credential", true)?;
    }
    let what = format!(
        "{} {} test at {}",
        test_type_name(record.test_type),
        test_result_name(record.test_result),
        fmt_time_full(record.test_time)
    );
    if ctx.json {
        let credential: serde_json::Value = serde_json::from_str(&text)?;
        print_json(&json!({
            "written": (!to_stdout).then(|| a.out.display().to_string()),
            "credential": to_stdout.then_some(credential),
            "issuer": public_key_to_hex(&cred.issuer),
            "holder": fr_to_hex(&holder),
            "issued_at": issued_at,
            "expires_at": expires_at,
        }));
    } else if !to_stdout {
        outln!("wrote credential {} (mode 0600)", a.out.display());
        outln!("  {what}");
        outln!(
            "  valid from {} until {}",
            fmt_time_full(issued_at),
            fmt_time_full(expires_at)
        );
    }
    Ok(0)
}
