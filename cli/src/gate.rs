//! `zkstatus gate`: the turnstile daemon, a thin layer over `zkstatus-gate`.

use crate::load;
use crate::text::{parse_duration, parse_time};
use crate::venue::operator_arg;
use anyhow::{anyhow, bail, Result};
use clap::Args;
use std::io::BufReader;
use std::path::PathBuf;
use std::time::Duration;
use zkstatus_gate::relay::Relay;
use zkstatus_gate::{Clock, FreshRoots, Gate, GateConfig, RefreshEvent, RootsRefresher};
use zkstatus_verifier::bundle::BundleTrust;
use zkstatus_verifier::{MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME};

/// Default replay store: a file in the current directory, so a gate run
/// from its own directory (a systemd `WorkingDirectory=`) keeps its state
/// there; give `--db` for anything else.
pub const DEFAULT_DB: &str = "zkstatus-gate.db";

#[derive(Debug, Args)]
pub struct GateArgs {
    /// Verifying-key file (statement v2).
    #[arg(long, value_name = "FILE")]
    vk: PathBuf,
    /// Refuse to start unless the verifying key's SHA-256 fingerprint is
    /// this (64 hex digits).
    #[arg(long, value_name = "HEX")]
    vk_fingerprint: Option<String>,
    #[command(flatten)]
    roots: load::RootsArgs,
    /// This gate's policy.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// This gate's operator name (`global` for the global scope): passes
    /// must be made for it.
    #[arg(long, value_name = "NAME")]
    operator: String,
    /// The replay store (SQLite; created if missing, with its `-wal` and
    /// `-shm` files beside it).
    #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
    db: PathBuf,
    /// Read scanned lines from this file or device (`/dev/ttyACM0`)
    /// instead of stdin.
    #[arg(long, value_name = "PATH")]
    input: Option<PathBuf>,
    /// Shell command run after each ACCEPT (the relay); its failure is
    /// logged on stderr, the verdict stands.
    #[arg(long, value_name = "CMD")]
    on_accept: Option<String>,
    /// Kill the relay command after this long.
    #[arg(long, value_name = "DUR", value_parser = parse_duration, default_value = "5")]
    relay_timeout: u64,
    /// A fixed gate clock, unix seconds (default: the system clock, read
    /// for every line). For tests and log replays.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    now: Option<u64>,
    /// Trust the gate's clock again before starting. Only after the clock
    /// ran ahead and was fixed (the gate then refuses every pass with
    /// "its clock is behind its replay store"). Passes are refused for one
    /// to two minutes after the reset, so that no pass pruned while the
    /// clock was wrong can be accepted again.
    #[arg(long)]
    reset_clock: bool,
}

/// The gate's configuration from its files: the verifying key, the
/// registry roots (from a bundle checked at the gate's clock, or a plain
/// roots file) and the policy.
fn load_config(a: &GateArgs) -> Result<GateConfig> {
    let mut files = vec![("--vk", a.vk.as_path()), ("--policy", a.policy.as_path())];
    files.extend(a.roots.files());
    load::one_stdin(&files)?;
    let operator = operator_arg(&a.operator)?;
    // A bundle is checked at the gate's clock when it starts.
    let now = match a.now {
        Some(t) => t,
        None => crate::text::unix_now()?,
    };
    let verifier = load::verifier(&a.vk, a.vk_fingerprint.as_deref(), &a.roots, now, &a.policy)?;
    // The bundle ages out while the gate runs: checked again at each pass.
    let roots_valid_until = a.roots.valid_until(now)?;
    Ok(GateConfig {
        verifier,
        operator,
        roots_valid_until,
    })
}

/// The `--bundle` file, re-read and verified when it changes (its
/// modification time, size or inode), so that a gate takes a refreshed
/// bundle without a restart. Whatever fetches bundles (a cron job, a
/// systemd timer running `curl`) should write the new file beside the old
/// one and rename it over it; a half-written file is refused and read
/// again when it changes.
struct BundleFile {
    path: PathBuf,
    trust: BundleTrust,
    seen: Option<(std::time::SystemTime, u64, u64)>,
}

impl BundleFile {
    fn stamp(&self) -> Option<(std::time::SystemTime, u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(&self.path).ok()?;
        Some((m.modified().ok()?, m.len(), m.ino()))
    }
}

impl RootsRefresher for BundleFile {
    fn poll(&mut self, now: u64) -> Option<Result<FreshRoots, String>> {
        let stamp = self.stamp();
        if stamp.is_none() || stamp == self.seen {
            return None;
        }
        self.seen = stamp;
        Some(
            load::bundle_file(&self.path, &self.trust, now)
                .map(|v| FreshRoots {
                    roots: v.roots,
                    valid_until: v.cosigned_at.saturating_add(self.trust.max_age()),
                    log_size: v.log_size,
                })
                .map_err(|e| format!("{e:#}")),
        )
    }
}

pub fn run(json: bool, a: GateArgs) -> Result<u8> {
    if a.input.as_deref().is_some_and(crate::io::is_stdio) {
        bail!("--input: give a file or device, or omit it for stdin");
    }
    let config = load_config(&a)?;
    let clock = match a.now {
        Some(t) if !(MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&t) => {
            bail!("implausible gate time {t} (--now): expected unix seconds between 2020 and 2100")
        }
        Some(t) => Clock::Fixed(t),
        None => Clock::System,
    };
    let relay = a
        .on_accept
        .map(|cmd| Relay::new(cmd, Duration::from_secs(a.relay_timeout)));
    let (mut gate, opened) = Gate::new(config, clock, a.db.clone());
    if let Err(e) = opened {
        // Not fatal: the gate runs and refuses every pass with this reason
        // (fail closed), and retries the store at each pass.
        errln!("zkstatus gate: warning: {e}; every pass will be refused until it opens");
    }
    if let (Some(path), Some(trust_path)) = (&a.roots.bundle, &a.roots.trust) {
        let mut file = BundleFile {
            path: path.clone(),
            trust: load::trust(trust_path)?,
            seen: None,
        };
        file.seen = file.stamp();
        let now = a.now.map_or_else(crate::text::unix_now, Ok)?;
        let size = load::bundle_file(path, &file.trust, now)?.log_size;
        gate.set_refresher(Box::new(file), size, |e| match e {
            RefreshEvent::Refreshed {
                log_size,
                valid_until,
            } => errln!(
                "zkstatus gate: registry bundle refreshed (a log of {log_size} entries; valid until {valid_until}, unix time)"
            ),
            RefreshEvent::Refused(why) => errln!(
                "zkstatus gate: the new registry bundle was refused, keeping the one in use: {why}"
            ),
            _ => {}
        });
    }
    if a.reset_clock {
        let r = gate
            .reset_clock()
            .map_err(|e| anyhow!("--reset-clock: {e}"))?;
        errln!(
            "zkstatus gate: clock reset: the replay store had seen {}, now {}; passes are accepted again from {} (unix time)",
            r.previous_high_water,
            r.high_water,
            r.min_window
        );
    }
    errln!("zkstatus gate: ready, replay store {}", a.db.display());
    let mut out = std::io::stdout().lock();
    let on_accept = || {
        if let Some(r) = &relay {
            if let Err(e) = r.run() {
                errln!("zkstatus gate: {e}");
            }
        }
    };
    let summary = match &a.input {
        None => gate.run(std::io::stdin().lock(), &mut out, json, on_accept),
        Some(path) => {
            let f = std::fs::File::open(path).map_err(|e| {
                anyhow!(
                    "cannot open --input: {} ({})",
                    crate::io::io_reason(&e),
                    path.display()
                )
            })?;
            gate.run(BufReader::new(f), &mut out, json, on_accept)
        }
    }
    .map_err(|e| anyhow!("gate input or output failed: {}", crate::io::io_reason(&e)))?;
    errln!(
        "zkstatus gate: end of input: {} lines, {} accepted",
        summary.lines,
        summary.accepted
    );
    Ok(0)
}
