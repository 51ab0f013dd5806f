//! `zkstatus log`: the registry authority's transparency log
//! (`zkstatus_log`, `docs/formats.md`, "Transparency log").
//!
//! Every registry act is appended as an entry, checked first against the
//! registry the log's entries build, by `zkstatus registry add|retire|
//! publish --log DIR` (one command per act, in `registry.rs`; the log has
//! no second way to append them); `ceremony` appends a ceremony result;
//! `checkpoint` signs the log with the log key; a witness cosigns after checking consistency with the last
//! checkpoint it cosigned; `audit` checks everything and exits 1 with one
//! line naming the tamper class. Secret keys are written owner-only and
//! never printed.

use crate::http::HttpStore;
use crate::io::{self, print_json, Ctx};
use crate::text::{bytes32_arg, fmt_time, parse_duration, parse_time, unix_now};
use crate::EXIT_REJECTED;
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};
use zkstatus_log::audit::check_consistency;
use zkstatus_log::bundle::Previous;
use zkstatus_log::fs::{FsStore, LogDir};
use zkstatus_log::note::open_checkpoint;
use zkstatus_log::{
    audit, AuditOptions, LogEntry, LogPublicKey, LogSigningKey, Store, WitnessPublicKey,
    WitnessSigningKey,
};
use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};

/// Largest key or checkpoint file read.
const MAX_KEY_FILE_BYTES: usize = 4096;
const MAX_CHECKPOINT_FILE_BYTES: usize = 16 << 10;

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Create a log in an empty folder, with a new log key (Ed25519, OS
    /// randomness) written owner-only to --key-out. Then `zkstatus
    /// registry create --log DIR` writes its (empty) registry file, and
    /// `zkstatus registry add|retire|publish --log DIR` append the acts.
    Init(InitArgs),
    /// Append a trusted-setup ceremony's result.
    Ceremony(CeremonyArgs),
    /// Sign a checkpoint of every appended entry with the log key.
    Checkpoint(CheckpointArgs),
    /// Witness keys and cosignatures.
    #[command(subcommand)]
    Witness(WitnessCommand),
    /// Write the registry bundle (the cosigned checkpoint, its last entry,
    /// which must publish a root, and the previous root) that verifiers
    /// check offline with `--bundle` and `--trust`.
    Bundle(BundleArgs),
    /// Write a verifier's trust configuration for bundles: the log key,
    /// the witness keys, k and max_age.
    Trust(TrustArgs),
    /// Check a log folder: signatures, tiles, entries, the registry and
    /// every published root rebuilt, consistency with an earlier
    /// checkpoint; print the history. Exit 1 names the tamper found.
    Audit(AuditArgs),
}

#[derive(Debug, Subcommand)]
pub enum WitnessCommand {
    /// Generate a witness key (cosignature/v1), written owner-only.
    Keygen(WitnessKeygenArgs),
    /// Check the log's checkpoint against the last one this witness
    /// cosigned (consistency proof from the tiles), then cosign it.
    Cosign(CosignArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The log folder (missing or empty).
    dir: PathBuf,
    /// The log's name (its origin), e.g. `example.org/zkstatus-log`.
    #[arg(long, value_name = "NAME")]
    origin: String,
    /// Where to write the log's secret key (owner-only).
    #[arg(long, value_name = "FILE")]
    key_out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CeremonyArgs {
    /// The log folder.
    dir: PathBuf,
    /// SHA-256 of the ceremony transcript, 64 hex digits.
    #[arg(long, value_name = "HEX")]
    transcript_hash: String,
    /// The verifying key's fingerprint, 64 hex digits.
    #[arg(long, value_name = "HEX")]
    vk_fingerprint: String,
    /// When the result is logged, unix seconds (default: now).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
}

#[derive(Debug, Args)]
pub struct CheckpointArgs {
    /// The log folder.
    dir: PathBuf,
    /// The log's secret key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
}

#[derive(Debug, Args)]
pub struct WitnessKeygenArgs {
    /// The witness's name, e.g. `witness.example`.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Where to write the secret key (owner-only).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Where to write the public key.
    #[arg(long, value_name = "FILE")]
    public_out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CosignArgs {
    /// The log folder.
    dir: PathBuf,
    /// The witness's secret key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The log's public key file (pinned by the witness).
    #[arg(long, value_name = "FILE")]
    log_key: PathBuf,
    /// The last checkpoint this witness cosigned for this log (read if
    /// present, replaced after cosigning).
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// The cosignature time, unix seconds (default: now).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The log folder (after `zkstatus registry publish`, `checkpoint`
    /// and the witnesses' `cosign`).
    dir: PathBuf,
    /// Where to write the bundle.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing bundle (bundles are refreshed).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The log's public key file (`log.pub` of the log folder).
    #[arg(long, value_name = "FILE")]
    log_key: PathBuf,
    /// A witness's public key file; repeat for several.
    #[arg(long, value_name = "FILE", required = true)]
    witness: Vec<PathBuf>,
    /// How many of the witnesses must have cosigned (default: all).
    #[arg(long, value_name = "K")]
    min_cosignatures: Option<usize>,
    /// Refuse a bundle whose k-th newest cosignature is older than this
    /// (default 48h).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    max_age: Option<u64>,
    /// Where to write the trust configuration.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The log: its folder, or the http(s) URL it is served at.
    #[arg(value_name = "FOLDER_OR_URL")]
    source: String,
    /// The log's public key file (pin it; default for a folder: its
    /// log.pub; required for a URL, since a key fetched from the log itself
    /// would prove nothing).
    #[arg(long, value_name = "FILE")]
    log_key: Option<PathBuf>,
    /// A witness's public key file; repeat for several.
    #[arg(long, value_name = "FILE")]
    witness: Vec<PathBuf>,
    /// How many of the witnesses must have cosigned (default: all).
    #[arg(long, value_name = "N")]
    min_cosignatures: Option<usize>,
    /// A checkpoint seen before: the log must extend it.
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,
    /// Refuse the checkpoint if its newest cosignature is older than this.
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    max_age: Option<u64>,
    /// The audit time, unix seconds (default: the system clock).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
}

pub fn run(ctx: &Ctx, c: LogCommand) -> Result<u8> {
    match c {
        LogCommand::Init(a) => init(ctx, a),
        LogCommand::Ceremony(a) => {
            let log = LogDir::open(&a.dir)?;
            let entry = LogEntry::CeremonyResult {
                at: a.now.map_or_else(unix_now, Ok)?,
                transcript_hash: bytes32_arg(&a.transcript_hash, "--transcript-hash")?,
                vk_fingerprint: bytes32_arg(&a.vk_fingerprint, "--vk-fingerprint")?,
            };
            appended(ctx, &log, &entry)
        }
        LogCommand::Checkpoint(a) => {
            let key = LogSigningKey::parse(&read_text(&a.key, "log secret key")?)?;
            let (size, note) = LogDir::open(&a.dir)?.checkpoint(&key)?;
            if ctx.json {
                print_json(&json!({ "size": size, "checkpoint": String::from_utf8_lossy(&note) }));
            } else {
                outln!("checkpoint signed: {size} entries");
            }
            Ok(0)
        }
        LogCommand::Witness(WitnessCommand::Keygen(a)) => {
            let (key, secret) = WitnessSigningKey::generate(&mut rand::rngs::OsRng, &a.name)?;
            io::check_new(&a.public_out, "witness public key", false)?;
            io::write_new(&a.out, secret.as_bytes(), "witness secret key", false, true)?;
            let public = format!("{}\n", key.public().as_str());
            io::write_new(
                &a.public_out,
                public.as_bytes(),
                "witness public key",
                false,
                false,
            )?;
            if ctx.json {
                print_json(&json!({ "witness_public_key": key.public().as_str() }));
            } else {
                outln!("{}", key.public().as_str());
            }
            Ok(0)
        }
        LogCommand::Witness(WitnessCommand::Cosign(a)) => cosign(ctx, a),
        LogCommand::Audit(a) => run_audit(ctx, a),
        LogCommand::Bundle(a) => bundle(ctx, a),
        LogCommand::Trust(a) => trust(ctx, a),
    }
}

fn read_text(path: &Path, what: &str) -> Result<String> {
    let bytes = io::read_capped(path, MAX_KEY_FILE_BYTES, what)?;
    String::from_utf8(bytes).map_err(|_| anyhow!("the {what} is not text ({})", path.display()))
}

fn init(ctx: &Ctx, a: InitArgs) -> Result<u8> {
    io::check_new(&a.key_out, "log secret key", false)?;
    let (key, secret) = LogSigningKey::generate(&mut rand::rngs::OsRng, &a.origin)?;
    // The key first: a log whose key was lost could never be extended.
    io::write_new(&a.key_out, secret.as_bytes(), "log secret key", false, true)?;
    LogDir::init(&a.dir, &key)?;
    if ctx.json {
        print_json(&json!({ "log_public_key": key.public().as_str() }));
    } else {
        outln!("log created; its public key: {}", key.public().as_str());
    }
    Ok(0)
}

fn appended(ctx: &Ctx, log: &LogDir, entry: &LogEntry) -> Result<u8> {
    let index = log.append(entry)?;
    let line = log
        .load(fmt_time)?
        .replay
        .history()
        .last()
        .cloned()
        .unwrap_or_default();
    if ctx.json {
        print_json(&json!({ "index": index, "entry": line }));
    } else {
        outln!("{line}");
        outln!("(not yet covered by a checkpoint: run `zkstatus log checkpoint`)");
    }
    Ok(0)
}

fn cosign(ctx: &Ctx, a: CosignArgs) -> Result<u8> {
    let key = WitnessSigningKey::parse(&read_text(&a.key, "witness secret key")?)?;
    let log_key = LogPublicKey::parse(&read_text(&a.log_key, "log public key")?)?;
    let log = LogDir::open(&a.dir)?;
    let note = log.read_checkpoint()?;
    let new = open_checkpoint(&note, &log_key, &[], 0)?;
    let old = if a.state.exists() {
        let b = io::read_capped(&a.state, MAX_CHECKPOINT_FILE_BYTES, "witness state")?;
        let o =
            open_checkpoint(&b, &log_key, &[], 0).map_err(|e| anyhow!("the witness state: {e}"))?;
        Some((o.size(), o.hash()))
    } else {
        None
    };
    if let Err(e) = check_consistency(&FsStore::new(&a.dir), old, (new.size(), new.hash())) {
        crate::report_error(ctx.json, &format!("not cosigned: {e}"));
        return Ok(EXIT_REJECTED);
    }
    let cosigned = key.cosign(&note, a.now.map_or_else(unix_now, Ok)?)?;
    // The state first: a witness never cosigns a size it could forget.
    io::replace_durably(&a.state, &note, "witness state")?;
    log.write_checkpoint(&cosigned)?;
    if ctx.json {
        print_json(&json!({ "size": new.size() }));
    } else {
        outln!("cosigned the checkpoint of {} entries", new.size());
    }
    Ok(0)
}

fn bundle(ctx: &Ctx, a: BundleArgs) -> Result<u8> {
    io::check_new(&a.out, "registry bundle", a.force)?;
    let log = LogDir::open(&a.dir)?;
    let raw = log.load(fmt_time)?.raw;
    let note = log.read_checkpoint()?;
    let (bundle, previous) = zkstatus_log::bundle::build(&raw, &note)?;
    let bytes = bundle.to_bytes()?;
    io::write_new(&a.out, &bytes, "registry bundle", a.force, false)?;
    let previous = match previous {
        Previous::Included => "the previous root included",
        Previous::NoneInLog => "no earlier root in the log",
        Previous::TooFar => {
            "the previous root left out (too many acts since): the latest root alone"
        }
    };
    if ctx.json {
        print_json(
            &json!({ "bytes": bytes.len(), "first_index": bundle.first_index(), "previous": previous }),
        );
    } else {
        outln!("registry bundle written: {} bytes, {previous}", bytes.len());
    }
    Ok(0)
}

fn trust(ctx: &Ctx, a: TrustArgs) -> Result<u8> {
    io::check_new(&a.out, "registry trust", a.force)?;
    let log_key = LogPublicKey::parse(&read_text(&a.log_key, "log public key")?)?;
    let witnesses = a
        .witness
        .iter()
        .map(|p| {
            Ok(
                WitnessPublicKey::parse(&read_text(p, "witness public key")?)?
                    .as_str()
                    .to_string(),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let min_cosignatures = a.min_cosignatures.unwrap_or(witnesses.len());
    let max_age = a.max_age.unwrap_or(DEFAULT_MAX_AGE_SECS);
    let text = BundleTrust::to_json(log_key.as_str(), &witnesses, min_cosignatures, max_age);
    // Checked as a verifier will read it.
    BundleTrust::from_json(&text)?;
    io::write_new(&a.out, text.as_bytes(), "registry trust", a.force, false)?;
    if ctx.json {
        print_json(&json!({
            "trust": a.out.display().to_string(),
            "witnesses": witnesses.len(),
            "min_cosignatures": min_cosignatures,
            "max_age_secs": max_age,
        }));
    } else {
        outln!(
            "registry trust written to {}: {} witness(es), {min_cosignatures} cosignature(s) needed, bundles at most {max_age} s old",
            a.out.display(),
            witnesses.len()
        );
    }
    Ok(0)
}

fn run_audit(ctx: &Ctx, a: AuditArgs) -> Result<u8> {
    let remote = HttpStore::is_url(&a.source);
    let log_key_path = match (a.log_key, remote) {
        (Some(p), _) => p,
        (None, false) => Path::new(&a.source).join("log.pub"),
        (None, true) => bail!(
            "auditing a log at a URL needs --log-key FILE: the log's public key, obtained from the authority out of band (a key fetched from the log itself would prove nothing)"
        ),
    };
    let log_key = LogPublicKey::parse(&read_text(&log_key_path, "log public key")?)?;
    let witnesses = a
        .witness
        .iter()
        .map(|p| {
            Ok(WitnessPublicKey::parse(&read_text(
                p,
                "witness public key",
            )?)?)
        })
        .collect::<Result<Vec<_>>>()?;
    let previous = a
        .previous
        .as_deref()
        .map(|p| io::read_capped(p, MAX_CHECKPOINT_FILE_BYTES, "previous checkpoint"))
        .transpose()?;
    let freshness = match a.max_age {
        Some(max) => Some((a.now.map_or_else(unix_now, Ok)?, max)),
        None => None,
    };
    let store: Box<dyn Store> = if remote {
        Box::new(
            HttpStore::new(&a.source)
                .ok_or_else(|| anyhow!("{}: not an http(s) URL of a log", a.source))?,
        )
    } else {
        let dir = Path::new(&a.source);
        if !dir.is_dir() {
            bail!("{} is not a folder", dir.display());
        }
        Box::new(FsStore::new(dir))
    };
    let result = audit(
        store.as_ref(),
        &AuditOptions {
            log_key: &log_key,
            witnesses: &witnesses,
            min_cosignatures: a.min_cosignatures.unwrap_or(witnesses.len()),
            previous: previous.as_deref(),
            freshness,
            fmt_time,
        },
    );
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            crate::report_error(ctx.json, &format!("audit failed: {e}"));
            return Ok(EXIT_REJECTED);
        }
    };
    if ctx.json {
        print_json(&json!({
            "size": report.size,
            "cosignatures": report.cosignatures,
            "consistent_with": report.consistent_with,
            "history": report.replay.history(),
        }));
    } else {
        outln!(
            "log '{}': {} entries, audit passed",
            log_key.origin(),
            report.size
        );
        for (name, t) in &report.cosignatures {
            outln!("cosigned by {name} at {}", fmt_time(*t));
        }
        if let Some(s) = report.consistent_with {
            outln!("extends the checkpoint seen before ({s} entries)");
        }
        for line in report.replay.history() {
            outln!("{line}");
        }
    }
    Ok(0)
}
