//! The registry authority's side: the accredited-issuer registry of
//! statement v2 (`zkstatus_verifier::registry`, `docs/formats.md`).
//!
//! Every change is rewritten durably (a temporary file, synced, renamed over
//! the old one, the folder synced) and printed as its event with the new
//! epoch, so that the transparency log can record it.

use crate::io::{self, print_json, Ctx};
use crate::load;
use crate::text::{fmt_time_full, parse_duration, parse_time, unix_now};
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};
use zkstatus_circuits::eddsa::PublicKey;
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_prover::files::{fr_to_hex, public_key_to_hex};
use zkstatus_verifier::config::public_key_from_hex;
use zkstatus_verifier::registry::{Entry, Event, Registry, MAX_REGISTRY_FILE_BYTES};

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Create an empty registry file (epoch 0).
    Create(CreateArgs),
    /// Accredit an issuer: its key, display name and window.
    Add(AddArgs),
    /// Retire an issuer: its window ends at the retirement time.
    Retire(RetireArgs),
    /// Print the registry's epoch, root, end date (sunset) and issuers.
    Root(RegistryFileArg),
    /// A holder's proving material, computed offline from the whole
    /// registry file: the leaf index and path of one issuer.
    Path(PathArgs),
    /// Publish the registry's current root with its activation time: append
    /// it to the roots file that verifiers and holders load.
    Publish(PublishArgs),
}

/// Default least time between publishing a root and its activation.
pub const DEFAULT_OVERLAP_SECS: u64 = 6 * 3600;

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    file: RegistryFileArg,
    /// The roots file to append to (created if missing).
    #[arg(long, value_name = "FILE")]
    roots: PathBuf,
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
    /// Registry file to create.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing file.
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

fn create(ctx: &Ctx, a: CreateArgs) -> Result<u8> {
    let reg = Registry::new();
    io::write_new(&a.out, &reg.to_bytes(), "registry", a.force, false)?;
    if ctx.json {
        print_json(&json!({ "created": io::output_name(&a.out), "epoch": 0 }));
    } else {
        outln!("created an empty registry (epoch 0): {}", a.out.display());
    }
    Ok(0)
}

fn event_json(e: &Event) -> serde_json::Value {
    match e {
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
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<u8> {
    let mut reg = read(&a.file.registry)?;
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
    let event = reg.add(Entry {
        leaf: IssuerLeaf { key, window },
        name: a.name.clone(),
    })?;
    save(&a.file.registry, &reg)?;
    if ctx.json {
        print_json(&event_json(&event));
    } else {
        // The name passed validate_name (no control or bidi characters).
        outln!(
            "epoch {}: added issuer \"{}\" at index {} (from {} until {})",
            reg.epoch(),
            a.name,
            reg.entries().len() - 1,
            fmt_time_full(not_before),
            fmt_time_full(not_after)
        );
    }
    Ok(0)
}

fn retire(ctx: &Ctx, a: RetireArgs) -> Result<u8> {
    let mut reg = read(&a.file.registry)?;
    let index = a.which.index(&reg)?;
    let at = match a.at {
        Some(t) => t,
        None => unix_now()?,
    };
    let event = reg.retire(index, at)?;
    save(&a.file.registry, &reg)?;
    if ctx.json {
        print_json(&event_json(&event));
    } else {
        outln!(
            "epoch {}: retired the issuer at index {index}: its window ends at {}",
            reg.epoch(),
            fmt_time_full(at)
        );
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
    use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
    let reg = read(&a.file.registry)?;
    let now = match a.now {
        Some(t) => t,
        None => unix_now()?,
    };
    let earliest = now
        .checked_add(a.overlap)
        .ok_or_else(|| anyhow!("--overlap: too long"))?;
    let activates_at = a.activates_at.unwrap_or(earliest);
    if activates_at < earliest {
        bail!(
            "--activates-at {} is less than the overlap ({} s) after publication at {}: holders and gates need that long to fetch the new registry",
            activates_at,
            a.overlap,
            now
        );
    }
    let end_date = reg
        .end_date()
        .ok_or_else(|| anyhow!("the registry has no issuers: nothing to publish"))?;
    let root = PublishedRoot {
        epoch: reg.epoch(),
        root: reg.root()?,
        published_at: now,
        activates_at,
        end_date,
    };
    let roots = if a.roots.exists() {
        let mut r = load::roots(&a.roots)?;
        r.push(root)
            .map_err(|e| anyhow!("{e} ({})", a.roots.display()))?;
        r
    } else {
        AcceptedRoots::new(vec![root]).map_err(|e| anyhow!("{e}"))?
    };
    io::replace_durably(&a.roots, roots.to_json().as_bytes(), "registry roots")?;
    if ctx.json {
        print_json(&json!({
            "epoch": root.epoch,
            "root": fr_to_hex(&root.root),
            "published_at": now,
            "activates_at": activates_at,
            "end_date": end_date,
            "roots": a.roots.display().to_string(),
        }));
    } else {
        outln!(
            "published epoch {} (root {}): active from {}; the registry ends {}",
            root.epoch,
            fr_to_hex(&root.root),
            fmt_time_full(activates_at),
            fmt_time_full(end_date)
        );
        outln!(
            "holders and gates: fetch {} and this registry file before then",
            a.roots.display()
        );
    }
    Ok(0)
}
