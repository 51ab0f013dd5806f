//! The registry authority's side: the accredited-issuer registry of
//! statement v2 (`zkstatus_verifier::registry`, `docs/formats.md`).
//!
//! Every change goes through the transparency log (issue [3/7]: "every
//! `zkstatus registry` change writes its log entry, and a root is published
//! only through the log"): `add`, `retire` and `publish` take the log folder
//! (`--log DIR`), refuse a registry file that is not exactly the registry
//! the log's entries replay to, append the act's entry durably (the log's
//! own append: entry bundle, hash tiles, then the state), and only then
//! rewrite the registry file, durably, from the log's state. The log is the
//! record; the registry file (and a roots file, for holders) is derived from
//! it, never the other way round. A crash between the append and the
//! rewrite leaves a registry file one act behind, which the next change
//! refuses by epoch; `registry create --log DIR --out FILE --force`
//! rewrites it from the log.

use crate::io::{self, print_json, Ctx};
use crate::load;
use crate::text::{fmt_time_full, parse_duration, parse_time, unix_now};
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};
use zkstatus_circuits::eddsa::PublicKey;
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_log::fs::LogDir;
use zkstatus_log::LogEntry;
use zkstatus_prover::files::{fr_to_hex, public_key_to_hex};
use zkstatus_verifier::config::public_key_from_hex;
use zkstatus_verifier::registry::{Entry, Event, Registry, MAX_REGISTRY_FILE_BYTES};
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Write the registry file the log's entries replay to (epoch 0 for a
    /// log just made by `zkstatus log init`); with --force, rewrite one
    /// that fell behind the log.
    Create(CreateArgs),
    /// Accredit an issuer (its key, display name and window): the entry is
    /// appended to the log, then the registry file rewritten from the log.
    Add(AddArgs),
    /// Retire an issuer (its window ends at the retirement time): appended
    /// to the log, then the registry file rewritten from the log.
    Retire(RetireArgs),
    /// Print the registry's epoch, root, end date (sunset) and issuers.
    Root(RegistryFileArg),
    /// A holder's proving material, computed offline from the whole
    /// registry file: the leaf index and path of one issuer.
    Path(PathArgs),
    /// Publish the registry's current root with its activation time: the
    /// root-published entry is appended to the log (then `zkstatus log
    /// checkpoint`, the witnesses' cosign and `zkstatus log bundle` give
    /// verifiers their bundle).
    Publish(PublishArgs),
}

/// The transparency log every registry change is appended to.
#[derive(Debug, Args)]
pub struct LogArg {
    /// The registry's transparency log folder (made by `zkstatus log
    /// init`): the act is appended there, and the registry file rewritten
    /// from the log's entries.
    #[arg(long, value_name = "DIR")]
    log: PathBuf,
}

/// Default least time between publishing a root and its activation.
pub const DEFAULT_OVERLAP_SECS: u64 = 6 * 3600;

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    file: RegistryFileArg,
    #[command(flatten)]
    log: LogArg,
    /// Also write every root the log has published as a roots file
    /// (`zkstatus/registry-roots`, for holder pages that do not read
    /// bundles yet), derived from the log's root entries; replaced if it
    /// exists.
    #[arg(long, value_name = "FILE")]
    roots: Option<PathBuf>,
    /// When holders and gates switch to this root, unix seconds (default:
    /// publication + the overlap). A retirement published here takes effect
    /// then: retire with `--at` this time.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    activates_at: Option<u64>,
    /// Least time from publication to activation, for holders and gates to
    /// download the new registry and roots before the switch.
    #[arg(long, value_name = "DUR", value_parser = parse_duration, default_value_t = DEFAULT_OVERLAP_SECS)]
    overlap: u64,
    /// The publication time, unix seconds (default: the system clock).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RegistryFileArg {
    /// The registry file.
    #[arg(long, value_name = "FILE")]
    registry: PathBuf,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    log: LogArg,
    /// Registry file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing file (one that fell behind the log).
    #[arg(long)]
    force: bool,
}

/// An issuer's public key: from its key file or as 64 hex digits.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct IssuerKeyArg {
    /// The issuer's key file (only its public key is used).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// The issuer's packed public key, 64 hex digits.
    #[arg(long, value_name = "HEX")]
    public_key: Option<String>,
}

impl IssuerKeyArg {
    pub(crate) fn public_key(&self) -> Result<PublicKey> {
        match (&self.key, &self.public_key) {
            (Some(path), _) => Ok(load::issuer_key(path)?.public_key()),
            (None, Some(hex)) => Ok(public_key_from_hex(hex, "--public-key")?),
            (None, None) => bail!("give --key or --public-key"),
        }
    }
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("end").required(true).args(["not_after", "valid_for"])))]
pub struct AddArgs {
    #[command(flatten)]
    file: RegistryFileArg,
    #[command(flatten)]
    log: LogArg,
    #[command(flatten)]
    issuer: IssuerKeyArg,
    /// The issuer's display name (shown to auditors and to the holder, never
    /// at the gate).
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Start of the window, unix seconds (default: now).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    not_before: Option<u64>,
    /// End of the window (first second outside it), unix seconds.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    not_after: Option<u64>,
    /// Window length from its start (instead of --not-after).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    valid_for: Option<u64>,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct WhichIssuer {
    /// The leaf index.
    #[arg(long, value_name = "N")]
    index: Option<usize>,
    /// The issuer's key file.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// The issuer's packed public key, 64 hex digits.
    #[arg(long, value_name = "HEX")]
    public_key: Option<String>,
}

impl WhichIssuer {
    fn index(&self, reg: &Registry) -> Result<usize> {
        let key = match (self.index, &self.key, &self.public_key) {
            (Some(i), _, _) => return Ok(i),
            (None, Some(path), _) => load::issuer_key(path)?.public_key(),
            (None, None, Some(hex)) => public_key_from_hex(hex, "--public-key")?,
            _ => bail!("give --index, --key or --public-key"),
        };
        reg.index_of(&key)
            .ok_or_else(|| anyhow!("this issuer is not in the registry"))
    }
}

#[derive(Debug, Args)]
pub struct RetireArgs {
    #[command(flatten)]
    file: RegistryFileArg,
    #[command(flatten)]
    log: LogArg,
    #[command(flatten)]
    which: WhichIssuer,
    /// Retirement time, unix seconds (default: now).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    at: Option<u64>,
}

#[derive(Debug, Args)]
pub struct PathArgs {
    #[command(flatten)]
    file: RegistryFileArg,
    #[command(flatten)]
    which: WhichIssuer,
}

pub fn run(ctx: &Ctx, c: RegistryCommand) -> Result<u8> {
    match c {
        RegistryCommand::Create(a) => create(ctx, a),
        RegistryCommand::Add(a) => add(ctx, a),
        RegistryCommand::Retire(a) => retire(ctx, a),
        RegistryCommand::Root(a) => root(ctx, &a.registry),
        RegistryCommand::Path(a) => path(ctx, a),
        RegistryCommand::Publish(a) => publish(ctx, a),
    }
}

/// Read and strictly decode a registry file.
pub fn read(path: &Path) -> Result<Registry> {
    let bytes = load::read_kind(
        path,
        MAX_REGISTRY_FILE_BYTES,
        "registry",
        &load::Kind::Registry,
    )?;
    Registry::from_bytes(&bytes).map_err(|e| anyhow!("{e} ({})", io::input_name(path)))
}

fn save(path: &Path, reg: &Registry) -> Result<()> {
    io::replace_durably(path, &reg.to_bytes(), "registry")
}

/// The log folder `path`, or how to start one.
fn open_log(path: &Path) -> Result<LogDir> {
    if !path.exists() {
        bail!(
            "no log folder at {0}: a registry starts with its transparency log, `zkstatus log init {0} --origin NAME --key-out FILE`",
            path.display()
        );
    }
    Ok(LogDir::open(path)?)
}

/// The registry the log's entries replay to, and every root it published.
fn logged_state(log: &LogDir) -> Result<(Registry, Vec<PublishedRoot>)> {
    let replay = log.load(crate::text::fmt_time)?.replay;
    Ok((replay.registry().clone(), replay.roots().to_vec()))
}

/// Refuse a registry file that is not the registry the log replays to
/// (the log is the record: a file ahead of it holds acts nobody can see,
/// one behind it missed an act, e.g. after a crash between the append and
/// the rewrite).
pub(crate) fn check_agrees(
    on_file: &Registry,
    logged: &Registry,
    file: &Path,
    log: &Path,
) -> Result<()> {
    let (f, l) = (on_file.epoch(), logged.epoch());
    if f < l {
        bail!(
            "the registry file is at epoch {f} but the log's registry is at epoch {l}: the file missed acts the log records; rewrite it from the log with `zkstatus registry create --log {} --out {} --force` ({})",
            log.display(),
            file.display(),
            file.display()
        );
    }
    if f > l {
        bail!(
            "the registry file is at epoch {f} but the log's registry is at epoch {l}: the file holds acts the log never recorded ({})",
            file.display()
        );
    }
    if on_file != logged {
        bail!(
            "the registry file and the log's registry are both at epoch {f} but differ: the file was not made from this log ({})",
            file.display()
        );
    }
    Ok(())
}

/// Open the log and check the registry file against it: the log folder
/// and the registry its entries replay to.
fn open_checked(log: &Path, file: &Path) -> Result<(LogDir, Registry)> {
    let dir = open_log(log)?;
    let (logged, _) = logged_state(&dir)?;
    check_agrees(&read(file)?, &logged, file, log)?;
    Ok((dir, logged))
}

/// Append `entry` (the log checks it against its replayed registry
/// first), then rewrite the registry file from the log's new state.
/// Returns the entry's index in the log and the new state.
fn append_and_save(
    log: &LogDir,
    entry: &LogEntry,
    file: &Path,
) -> Result<(u64, Registry, Vec<PublishedRoot>)> {
    let index = log.append(entry)?;
    let (reg, roots) = logged_state(log)?;
    save(file, &reg)?;
    Ok((index, reg, roots))
}

/// The log entry that accredits `entry` in `reg`, with the registry's
/// event (checked on a copy by the registry's own rules: a key in the
/// prime-order subgroup, no second leaf with the same 8·A, a valid name).
pub(crate) fn added(reg: &Registry, entry: Entry) -> Result<(LogEntry, Event)> {
    let index = u16::try_from(reg.entries().len()).map_err(|_| anyhow!("the registry is full"))?;
    let event = reg.clone().add(entry.clone())?;
    let entry = LogEntry::IssuerAdded {
        epoch: reg.epoch() + 1,
        index,
        entry,
    };
    Ok((entry, event))
}

/// The log entry that retires leaf `index` of `reg` at `at`, with the
/// registry's event (checked on a copy: a retirement never extends a
/// window).
pub(crate) fn retired(reg: &Registry, index: usize, at: u64) -> Result<(LogEntry, Event)> {
    let key = reg
        .entries()
        .get(index)
        .ok_or_else(|| anyhow!("no issuer at index {index}"))?
        .leaf
        .key;
    let event = reg.clone().retire(index, at)?;
    let entry = LogEntry::IssuerRetired {
        epoch: reg.epoch() + 1,
        index: u16::try_from(index).map_err(|_| anyhow!("no issuer at index {index}"))?,
        key,
        at,
    };
    Ok((entry, event))
}

/// The root of `reg` published at `now`, active from `activates_at`
/// (default: `now` + `overlap`), refused if that leaves holders and gates
/// less than `overlap` to fetch it.
pub(crate) fn published(
    reg: &Registry,
    now: u64,
    activates_at: Option<u64>,
    overlap: u64,
) -> Result<PublishedRoot> {
    let earliest = now
        .checked_add(overlap)
        .ok_or_else(|| anyhow!("--overlap: too long"))?;
    let activates_at = activates_at.unwrap_or(earliest);
    if activates_at < earliest {
        bail!(
            "--activates-at {activates_at} is less than the overlap ({overlap} s) after publication at {now}: holders and gates need that long to fetch the new registry"
        );
    }
    let end_date = reg
        .end_date()
        .ok_or_else(|| anyhow!("the registry has no issuers: nothing to publish"))?;
    Ok(PublishedRoot {
        epoch: reg.epoch(),
        root: reg.root()?,
        published_at: now,
        activates_at,
        end_date,
    })
}

const NOT_CHECKPOINTED: &str =
    "(in the log, not yet covered by a checkpoint: run `zkstatus log checkpoint`)";

fn create(ctx: &Ctx, a: CreateArgs) -> Result<u8> {
    let (reg, _) = logged_state(&open_log(&a.log.log)?)?;
    io::write_new(&a.out, &reg.to_bytes(), "registry", a.force, false)?;
    if ctx.json {
        print_json(&json!({ "created": io::output_name(&a.out), "epoch": reg.epoch() }));
    } else if reg.epoch() == 0 {
        outln!("created an empty registry (epoch 0): {}", a.out.display());
    } else {
        outln!(
            "wrote the log's registry (epoch {}, {} issuers): {}",
            reg.epoch(),
            reg.entries().len(),
            a.out.display()
        );
    }
    Ok(0)
}

fn event_json(e: &Event, log_index: u64) -> serde_json::Value {
    let mut v = match e {
        Event::Added {
            epoch,
            index,
            entry,
        } => json!({
            "event": "added",
            "epoch": epoch,
            "index": index,
            "public_key": public_key_to_hex(&entry.leaf.key),
            "name": entry.name,
            "not_before": entry.leaf.window.not_before(),
            "not_after": entry.leaf.window.not_after(),
        }),
        Event::Retired { epoch, index, at } => json!({
            "event": "retired",
            "epoch": epoch,
            "index": index,
            "at": at,
        }),
        _ => json!({ "event": "unknown" }),
    };
    v["log_index"] = json!(log_index);
    v
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<u8> {
    let (log, reg) = open_checked(&a.log.log, &a.file.registry)?;
    let key = a.issuer.public_key()?;
    let not_before = match a.not_before {
        Some(t) => t,
        None => unix_now()?,
    };
    let not_after = match (a.not_after, a.valid_for) {
        (Some(t), _) => t,
        (None, Some(d)) => not_before
            .checked_add(d)
            .ok_or_else(|| anyhow!("--valid-for: the window would end after the year 2100"))?,
        (None, None) => bail!("give --not-after or --valid-for"),
    };
    let window = Window::new(not_before, not_after)?;
    let (entry, event) = added(
        &reg,
        Entry {
            leaf: IssuerLeaf { key, window },
            name: a.name.clone(),
        },
    )?;
    let (log_index, reg, _) = append_and_save(&log, &entry, &a.file.registry)?;
    if ctx.json {
        print_json(&event_json(&event, log_index));
    } else {
        // The name passed validate_name (no control or bidi characters).
        outln!(
            "epoch {}: added issuer \"{}\" at index {} (from {} until {}); log entry {log_index}",
            reg.epoch(),
            a.name,
            reg.entries().len() - 1,
            fmt_time_full(not_before),
            fmt_time_full(not_after)
        );
        outln!("{NOT_CHECKPOINTED}");
    }
    Ok(0)
}

fn retire(ctx: &Ctx, a: RetireArgs) -> Result<u8> {
    let (log, reg) = open_checked(&a.log.log, &a.file.registry)?;
    let index = a.which.index(&reg)?;
    let at = match a.at {
        Some(t) => t,
        None => unix_now()?,
    };
    let (entry, event) = retired(&reg, index, at)?;
    let (log_index, reg, _) = append_and_save(&log, &entry, &a.file.registry)?;
    if ctx.json {
        print_json(&event_json(&event, log_index));
    } else {
        outln!(
            "epoch {}: retired the issuer at index {index}: its window ends at {}; log entry {log_index}",
            reg.epoch(),
            fmt_time_full(at)
        );
        outln!("{NOT_CHECKPOINTED}");
    }
    Ok(0)
}

fn root(ctx: &Ctx, path: &Path) -> Result<u8> {
    let reg = read(path)?;
    let root = reg.root()?;
    if ctx.json {
        let issuers: Vec<_> = reg
            .entries()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                json!({
                    "index": i,
                    "name": e.name,
                    "public_key": public_key_to_hex(&e.leaf.key),
                    "not_before": e.leaf.window.not_before(),
                    "not_after": e.leaf.window.not_after(),
                })
            })
            .collect();
        print_json(&json!({
            "epoch": reg.epoch(),
            "root": fr_to_hex(&root),
            "end_date": reg.end_date(),
            "issuers": issuers,
        }));
    } else {
        outln!("epoch:    {}", reg.epoch());
        outln!("root:     {}", fr_to_hex(&root));
        match reg.end_date() {
            Some(t) => outln!("end date: {} (the last window closes)", fmt_time_full(t)),
            None => outln!("end date: none (no issuers)"),
        }
        outln!("issuers:  {}", reg.entries().len());
        for (i, e) in reg.entries().iter().enumerate() {
            outln!(
                "  {i:>4}  {}  {} .. {}",
                e.name,
                fmt_time_full(e.leaf.window.not_before()),
                fmt_time_full(e.leaf.window.not_after())
            );
        }
    }
    Ok(0)
}

fn path(ctx: &Ctx, a: PathArgs) -> Result<u8> {
    let reg = read(&a.file.registry)?;
    let index = a.which.index(&reg)?;
    let entry = reg
        .entries()
        .get(index)
        .ok_or_else(|| anyhow!("no issuer at index {index}"))?;
    let tree = reg.tree()?;
    let path = tree.path(index)?;
    let siblings: Vec<Vec<String>> = path
        .siblings()
        .iter()
        .map(|level| level.iter().map(fr_to_hex).collect())
        .collect();
    let v = json!({
        "epoch": reg.epoch(),
        "root": fr_to_hex(&tree.root()),
        "index": index,
        "leaf": fr_to_hex(&entry.leaf.hash()),
        "siblings": siblings,
    });
    if ctx.json {
        print_json(&v);
    } else {
        outln!("{}", serde_json::to_string_pretty(&v)?);
    }
    Ok(0)
}

fn publish(ctx: &Ctx, a: PublishArgs) -> Result<u8> {
    let (log, reg) = open_checked(&a.log.log, &a.file.registry)?;
    let now = match a.now {
        Some(t) => t,
        None => unix_now()?,
    };
    let root = published(&reg, now, a.activates_at, a.overlap)?;
    let (log_index, _, roots) =
        append_and_save(&log, &LogEntry::RootPublished(root), &a.file.registry)?;
    if let Some(path) = &a.roots {
        // Derived from the log's root entries, never the other way round.
        let roots = AcceptedRoots::new(roots).map_err(|e| anyhow!("{e}"))?;
        io::replace_durably(path, roots.to_json().as_bytes(), "registry roots")?;
    }
    if ctx.json {
        print_json(&json!({
            "epoch": root.epoch,
            "root": fr_to_hex(&root.root),
            "published_at": now,
            "activates_at": root.activates_at,
            "end_date": root.end_date,
            "log_index": log_index,
            "roots": a.roots.as_ref().map(|p| p.display().to_string()),
        }));
    } else {
        outln!(
            "published epoch {} (root {}): active from {}; the registry ends {}; log entry {log_index}",
            root.epoch,
            fr_to_hex(&root.root),
            fmt_time_full(root.activates_at),
            fmt_time_full(root.end_date)
        );
        outln!(
            "next: `zkstatus log checkpoint`, the witnesses' cosign, then `zkstatus log bundle` for verifiers; holders and gates need the bundle and this registry file before then"
        );
    }
    Ok(0)
}
