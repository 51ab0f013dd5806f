//! `zkstatus-gate`: the turnstile gate daemon's library (issue [5/7]).
//!
//! A turnstile's QR scanner types each pass's text form and Enter. The gate
//! reads those lines ([`lines`]), checks each one-scan pass (statement v2)
//! and prints one verdict per line; on ACCEPT it runs the relay command.
//!
//! The accept path, in this order (`docs/security.md`, item 81):
//!
//! 1. the line is a one-scan pass (`ZKS2:`, mode one-scan): interactive
//!    (two-scan) proofs need a live challenge from this gate and are
//!    refused;
//! 2. a nullifier already in the store for this window is refused without a
//!    pairing;
//! 3. the proof is verified (pure: window, registry root, pairing);
//! 4. the nullifier is inserted in a committed, synced transaction
//!    ([`store::ReplayStore::record`]); a UNIQUE hit is "already used in
//!    this window", any other failure refuses the pass (fail closed);
//! 5. only then is ACCEPT printed (and flushed), and the relay run.
//!
//! So a crash before step 4's commit leaves the pass unused (it may be
//! accepted once after a restart), and a crash after it leaves it used: no
//! pass is ever accepted twice, and none whose ACCEPT was printed is
//! accepted again.

pub mod lines;
pub mod relay;
pub mod store;

use lines::{Line, Lines};
use serde_json::json;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use store::{Recorded, ReplayStore, StoreError};
use zkstatus_verifier::onescan::{OperatorId, WindowError};
use zkstatus_verifier::v2::nullifiers::NullifierBook;
use zkstatus_verifier::v2::payload::{PayloadV2, PresentedMode};
use zkstatus_verifier::v2::roots::AcceptedRoots;
use zkstatus_verifier::v2::{AcceptedMode, Verifier};
use zkstatus_verifier::Rejection;

/// The environment variable naming a crash point: **a test hook**. When set
/// to `before-write`, `after-write` or `after-verdict`, the gate calls
/// `std::process::abort()` at that point of the accept path of the first
/// pass that reaches it, so tests can check what a crash there leaves
/// behind. Never set it on a real gate.
pub const CRASH_ENV: &str = "ZKSTATUS_GATE_CRASH_AT";

/// A point of the accept path where the [`CRASH_ENV`] test hook aborts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrashPoint {
    /// After the proof verified, before the store's transaction.
    BeforeWrite,
    /// After the commit, before ACCEPT is printed.
    AfterWrite,
    /// After ACCEPT is printed and flushed, before the relay.
    AfterVerdict,
}

impl CrashPoint {
    /// The crash point named by [`CRASH_ENV`], if any.
    pub fn from_env() -> Option<Self> {
        match std::env::var(CRASH_ENV).ok()?.as_str() {
            "before-write" => Some(Self::BeforeWrite),
            "after-write" => Some(Self::AfterWrite),
            "after-verdict" => Some(Self::AfterVerdict),
            _ => None,
        }
    }
}

/// The gate's configuration: the verifier (key, accepted roots, policy) and
/// the operator whose scope passes must be for. The CLI builds it from
/// files; a registry bundle will build it the same way.
#[derive(Debug, Clone)]
pub struct GateConfig {
    /// Key, accepted roots and policy.
    pub verifier: Verifier,
    /// The operator (scope) of this gate.
    pub operator: OperatorId,
    /// When the accepted roots came from a registry bundle: the gate time
    /// after which the bundle has aged out (its trusted cosignature time
    /// plus `max_age`). From then on every pass is refused, "registry data
    /// too old — connect to refresh", until a fresh bundle arrives through
    /// the gate's [`RootsRefresher`] or the gate restarts with one (fail
    /// closed).
    pub roots_valid_until: Option<u64>,
}

/// Registry roots from a newer registry bundle, already verified at the
/// gate's clock by whoever built them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshRoots {
    /// The bundle's accepted roots.
    pub roots: AcceptedRoots,
    /// The gate time after which this bundle ages out.
    pub valid_until: u64,
    /// The bundle's checkpoint size: a bundle of a smaller log is an older
    /// one, and is never taken over a newer (it could bring back a root
    /// that a later one replaced).
    pub log_size: u64,
}

/// Where a running gate gets refreshed registry roots (the CLI: the
/// `--bundle` file, re-read and verified when it changes). Polled before
/// each pass; returns `None` when nothing changed (a cheap check), or the
/// new bundle's roots, or why the new bundle was refused.
pub trait RootsRefresher: Send {
    /// Called with the gate's clock before each pass.
    fn poll(&mut self, now: u64) -> Option<Result<FreshRoots, String>>;
}

/// What a refresh did, for the operator's log (stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshEvent {
    /// The new bundle's roots replaced the old ones.
    Refreshed {
        /// Its checkpoint size.
        log_size: u64,
        /// When it ages out.
        valid_until: u64,
    },
    /// The new bundle was refused; the gate keeps the roots it had (which
    /// still age out at their own time).
    Refused(String),
}

/// The gate's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, read for every line.
    System,
    /// A fixed time, unix seconds (tests and replays of a log).
    Fixed(u64),
}

impl Clock {
    fn now(self) -> u64 {
        match self {
            Self::Fixed(t) => t,
            Self::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }
}

/// One verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The pass is accepted and recorded.
    Accept {
        /// The pass's window start.
        window_start: u64,
        /// The registry epoch of its proof.
        epoch: u64,
    },
    /// Refused.
    Reject {
        /// A stable machine-readable code (kebab-case).
        code: &'static str,
        /// A plain-English reason for the staff at the gate.
        reason: String,
    },
}

impl Verdict {
    fn reject(code: &'static str, reason: impl Into<String>) -> Self {
        Self::Reject {
            code,
            reason: reason.into(),
        }
    }

    /// Whether this is an ACCEPT.
    pub fn is_accept(&self) -> bool {
        matches!(self, Self::Accept { .. })
    }

    /// The verdict line: `ACCEPT` or `REJECT <reason>`.
    pub fn to_line(&self) -> String {
        match self {
            Self::Accept { .. } => "ACCEPT".to_string(),
            Self::Reject { reason, .. } => format!("REJECT {reason}"),
        }
    }

    /// The JSON verdict for input line `line` (1-based).
    pub fn to_json(&self, line: u64) -> String {
        match self {
            Self::Accept {
                window_start,
                epoch,
            } => json!({
                "line": line,
                "verdict": "accept",
                "code": "accepted",
                "window_start": window_start,
                "registry_epoch": epoch,
            }),
            Self::Reject { code, reason } => json!({
                "line": line,
                "verdict": "reject",
                "code": code,
                "reason": reason,
            }),
        }
        .to_string()
    }
}

const NOT_A_PASS: &str = "not a pass: ask the visitor to open their pass screen";

/// A verifier's rejection in words for the staff at the gate.
fn staff_reason(r: &Rejection) -> Verdict {
    let (code, reason) = match r {
        Rejection::NullifierUsed => ("nullifier-used", "already used in this window"),
        Rejection::Window(WindowError::TooOld { .. }) => (
            "window-too-old",
            "expired: ask the visitor to reopen their pass screen",
        ),
        Rejection::Window(WindowError::InFuture { .. }) => (
            "window-in-future",
            "this pass is for a later time: the phone's clock may be wrong",
        ),
        Rejection::Window(WindowError::Misaligned { .. }) => ("window-misaligned", NOT_A_PASS),
        Rejection::ProofInvalid => (
            "proof-invalid",
            "not valid here: the pass is for another place, another policy, or not green",
        ),
        Rejection::UnknownRoot(_)
        | Rejection::RootNotActive { .. }
        | Rejection::NoActiveRoot(_) => (
            "registry-mismatch",
            "the pass and this gate use different issuer lists: ask the visitor to refresh their pass, or update the gate",
        ),
        Rejection::ImplausibleTime(_) => (
            "implausible-time",
            "the pass's time is wrong: the phone's clock may be wrong",
        ),
        Rejection::ModeNotAccepted(_) => ("mode-not-accepted", NOT_A_PASS),
        Rejection::ReplayStoreFull => (
            "store-failed",
            "the gate cannot record passes (store full): refusing",
        ),
        _ => ("rejected", "not accepted"),
    };
    Verdict::reject(code, reason)
}

/// The gate: configuration, clock and replay store.
pub struct Gate {
    config: GateConfig,
    clock: Clock,
    db_path: PathBuf,
    /// Opened on first use, and again after a failure to open.
    store: Option<ReplayStore>,
    crash: Option<CrashPoint>,
    refresher: Option<Box<dyn RootsRefresher>>,
    /// The checkpoint size of the bundle the roots came from (0: unknown).
    log_size: u64,
    on_refresh: Option<OnRefresh>,
}

/// The callback that hears refresh events.
type OnRefresh = Box<dyn FnMut(&RefreshEvent) + Send>;

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("config", &self.config)
            .field("clock", &self.clock)
            .field("db_path", &self.db_path)
            .field("log_size", &self.log_size)
            .finish_non_exhaustive()
    }
}

impl Gate {
    /// A gate for `config` whose replay store is at `db_path` (opened now;
    /// a failure is returned but the gate still runs, refusing every pass
    /// until the store opens).
    pub fn new(
        config: GateConfig,
        clock: Clock,
        db_path: PathBuf,
    ) -> (Self, Result<(), StoreError>) {
        let mut gate = Self {
            config,
            clock,
            db_path,
            store: None,
            crash: CrashPoint::from_env(),
            refresher: None,
            log_size: 0,
            on_refresh: None,
        };
        let opened = gate.store().map(|_| ());
        (gate, opened)
    }

    fn store(&mut self) -> Result<&mut ReplayStore, StoreError> {
        let store = match self.store.take() {
            Some(s) => s,
            None => ReplayStore::open(&self.db_path)?,
        };
        Ok(self.store.insert(store))
    }

    /// Take refreshed registry roots from `refresher` while running
    /// (polled before each pass), starting from a bundle of `log_size`
    /// entries; `on_event` hears every refresh and every refusal.
    pub fn set_refresher(
        &mut self,
        refresher: Box<dyn RootsRefresher>,
        log_size: u64,
        on_event: impl FnMut(&RefreshEvent) + Send + 'static,
    ) {
        self.refresher = Some(refresher);
        self.log_size = log_size;
        self.on_refresh = Some(Box::new(on_event));
    }

    /// Poll the refresher; take a newer bundle's roots, never an older
    /// one's.
    fn refresh(&mut self, now: u64) {
        let Some(polled) = self.refresher.as_mut().and_then(|r| r.poll(now)) else {
            return;
        };
        let event = match polled {
            Ok(f) if f.log_size < self.log_size => RefreshEvent::Refused(format!(
                "it is older than the one in use (a log of {} entries, the gate has seen {})",
                f.log_size, self.log_size
            )),
            Ok(f) => {
                self.config.verifier.set_roots(f.roots);
                self.config.roots_valid_until = Some(f.valid_until);
                self.log_size = f.log_size;
                RefreshEvent::Refreshed {
                    log_size: f.log_size,
                    valid_until: f.valid_until,
                }
            }
            Err(e) => RefreshEvent::Refused(e),
        };
        if let Some(cb) = self.on_refresh.as_mut() {
            cb(&event);
        }
    }

    /// The verifier in use (its roots change on refresh).
    pub fn verifier(&self) -> &Verifier {
        &self.config.verifier
    }

    /// Trust the gate's clock again after it ran ahead (an operator's act,
    /// `zkstatus gate --reset-clock`): see [`ReplayStore::reset_clock`].
    pub fn reset_clock(&mut self) -> Result<store::ClockReset, StoreError> {
        let now = self.clock.now();
        self.store()?.reset_clock(now)
    }

    fn crash_at(&self, point: CrashPoint) {
        if self.crash == Some(point) {
            std::process::abort();
        }
    }

    /// Check one scanned line up to the commit (steps 1–4; the caller
    /// prints). Crash points `before-write` and `after-write` are here.
    pub fn check_line(&mut self, line: &Line) -> Verdict {
        let bytes = match line {
            Line::TooLong => {
                return Verdict::reject("line-too-long", format!("line too long: {NOT_A_PASS}"))
            }
            Line::Bytes(b) => b,
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Verdict::reject("not-utf8", format!("unreadable characters: {NOT_A_PASS}"));
        };
        if text.is_empty() {
            return Verdict::reject("empty-line", "nothing scanned (empty line)");
        }
        if !text.starts_with("ZKS2:") {
            return Verdict::reject("not-a-pass", NOT_A_PASS);
        }
        let payload =
            match PayloadV2::from_text(text) {
                Ok(p) => p,
                Err(e) => return Verdict::reject(
                    e.code(),
                    "damaged pass: ask the visitor to show it again, or to open their pass screen",
                ),
            };
        let PresentedMode::OneScan { nullifier } = payload.mode else {
            return Verdict::reject(
                "interactive-not-accepted",
                "this is a two-scan proof, not a pass: ask the visitor to open their pass screen",
            );
        };
        let gate_now = self.clock.now();
        self.refresh(gate_now);
        if self
            .config
            .roots_valid_until
            .is_some_and(|until| gate_now > until)
        {
            return Verdict::reject(
                "registry-data-too-old",
                "registry data too old — connect to refresh (the gate's registry bundle has aged out)",
            );
        }
        let store_failed = |e: StoreError| {
            Verdict::reject(
                "store-failed",
                format!("the gate cannot record passes, refusing: {e}"),
            )
        };
        // A known repeat costs no pairing.
        match self
            .store()
            .and_then(|s| s.contains(payload.now, &nullifier))
        {
            Ok(true) => return staff_reason(&Rejection::NullifierUsed),
            Ok(false) => {}
            Err(e) => {
                self.store = None;
                return store_failed(e);
            }
        }
        let accepted = match self.verify_pure(&payload, gate_now) {
            Ok(a) => a,
            Err(r) => return staff_reason(&r),
        };
        self.crash_at(CrashPoint::BeforeWrite);
        let recorded = self
            .store()
            .and_then(|s| s.record(payload.now, &nullifier, gate_now));
        let verdict = match recorded {
            Ok(Recorded::New) => Verdict::Accept {
                window_start: payload.now,
                epoch: accepted,
            },
            Ok(Recorded::AlreadyUsed) => staff_reason(&Rejection::NullifierUsed),
            Ok(Recorded::WindowPruned { .. }) => {
                staff_reason(&Rejection::Window(WindowError::TooOld {
                    start: payload.now,
                    gate_now,
                }))
            }
            Ok(Recorded::ClockBehind { high_water }) => Verdict::reject(
                "clock-behind-store",
                format!(
                    "the gate cannot accept passes: its clock is behind its replay store, which has seen {high_water} (unix time); fix the clock, then run `zkstatus gate --reset-clock`"
                ),
            ),
            Ok(Recorded::AfterReset { min_window }) => Verdict::reject(
                "after-clock-reset",
                format!(
                    "the gate's clock was just reset: passes are accepted again from {min_window} (unix time), in about {} s",
                    min_window.saturating_sub(gate_now)
                ),
            ),
            Err(e) => {
                // Reopen on the next pass (a replaced or repaired file).
                self.store = None;
                store_failed(e)
            }
        };
        if verdict.is_accept() {
            self.crash_at(CrashPoint::AfterWrite);
        }
        verdict
    }

    /// The stateless checks of a one-scan pass (window, root, pairing): the
    /// verifier's own, with a scratch in-memory book (the durable store is
    /// the gate's book). Returns the registry epoch.
    fn verify_pure(&self, payload: &PayloadV2, gate_now: u64) -> Result<u64, Rejection> {
        let mut scratch = NullifierBook::new(1);
        let accepted = self.config.verifier.verify_one_scan(
            payload,
            gate_now,
            &self.config.operator,
            &mut scratch,
        )?;
        debug_assert!(matches!(accepted.mode, AcceptedMode::OneScan { .. }));
        Ok(accepted.epoch)
    }

    /// Read `input` to its end, writing one verdict per line to `out` (text,
    /// or JSON with `json`), and calling `on_accept` after each ACCEPT is
    /// written and flushed. Stops only at end of input or on a read or
    /// write error of the streams themselves.
    pub fn run<R: BufRead, W: Write>(
        &mut self,
        input: R,
        out: &mut W,
        json: bool,
        mut on_accept: impl FnMut(),
    ) -> std::io::Result<Summary> {
        let mut lines = Lines::new(input);
        let mut summary = Summary::default();
        while let Some(line) = lines.next_line()? {
            summary.lines += 1;
            let verdict = self.check_line(&line);
            if json {
                writeln!(out, "{}", verdict.to_json(summary.lines))?;
            } else {
                writeln!(out, "{}", verdict.to_line())?;
            }
            out.flush()?;
            if verdict.is_accept() {
                summary.accepted += 1;
                self.crash_at(CrashPoint::AfterVerdict);
                on_accept();
            }
        }
        Ok(summary)
    }
}

/// What a run saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Passes accepted.
    pub accepted: u64,
}
