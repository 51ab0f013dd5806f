//! The gate's durable replay store: the one-scan nullifiers of the windows
//! it still accepts, in SQLite (`docs/formats.md`, "Gate replay store";
//! `docs/security.md`, item 81).
//!
//! - **durable before the verdict**: a nullifier is inserted in a committed
//!   transaction before the gate says ACCEPT; the commit is synced to disk
//!   (`synchronous=FULL`), so a `kill -9` or a power cut after an ACCEPT
//!   cannot forget the pass;
//! - **once per window**: `UNIQUE (window_start, nullifier)`: a repeat is
//!   refused by the database itself, not by a check-then-insert race;
//! - **bounded and monotonic**: every insert prunes the windows the gate no
//!   longer accepts at the highest clock the store has seen (kept in the
//!   store, so no restart or clock jump back revives a pruned window);
//! - **fail closed**: any other failure to write or commit is an error, and
//!   the caller refuses the pass;
//! - **no silent lockout**: a clock that once ran far ahead leaves the store's
//!   high-water mark in the future, and every pass would then be refused as
//!   pruned. Such a gate says so ([`Recorded::ClockBehind`]), and an operator
//!   who has fixed the clock runs [`ReplayStore::reset_clock`], which trusts
//!   the clock again without reopening any window whose nullifiers may have
//!   been pruned.

use ark_ff::{BigInteger, PrimeField};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use zkstatus_circuits::statement::v2::Nullifier;
use zkstatus_verifier::onescan::{accepted_windows, WINDOW_SECS};

/// The schema version this code writes (`PRAGMA user_version`). Version 1
/// (no `min_window`) is upgraded in place when opened.
pub const SCHEMA_VERSION: i64 = 2;

/// How long a writer waits for another connection's lock, milliseconds
/// (a second gate process on the same file): then the pass is refused.
const BUSY_TIMEOUT_MS: u64 = 2_000;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS nullifiers (
    window_start INTEGER NOT NULL,
    nullifier    BLOB    NOT NULL CHECK (length(nullifier) = 32),
    accepted_at  INTEGER NOT NULL,
    UNIQUE (window_start, nullifier)
);
CREATE TABLE IF NOT EXISTS clock (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    high_water INTEGER NOT NULL,
    min_window INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO clock (id, high_water, min_window) VALUES (1, 0, 0);
";

/// Schema version 1 to 2: the floor a clock reset sets.
const UPGRADE_1_TO_2: &str = "ALTER TABLE clock ADD COLUMN min_window INTEGER NOT NULL DEFAULT 0;";

/// Why the store cannot be opened or written. Never a nullifier or a
/// payload: only the database's reason and the file's path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Opening or setting up the database failed.
    #[error("cannot open the replay store {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The database is from a newer (or unknown) version of the gate.
    #[error("the replay store {path} has schema version {found}, expected {SCHEMA_VERSION}")]
    Schema {
        /// The database file.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
    },
    /// A read, write or commit failed: the pass is not recorded.
    #[error("cannot record the pass in the replay store: {0}")]
    Write(rusqlite::Error),
}

/// What an insert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recorded {
    /// Newly recorded and committed.
    New,
    /// Already recorded for this window (the UNIQUE constraint).
    AlreadyUsed,
    /// The window is older than what the store has pruned at its highest
    /// clock (the clock went back).
    WindowPruned {
        /// The oldest window start still accepted.
        floor: u64,
    },
    /// Nothing recorded: every window the gate's clock accepts is below
    /// what the store has pruned, because the store once saw a later clock
    /// (`high_water`). Until the clock catches up or an operator runs
    /// [`ReplayStore::reset_clock`], every pass is refused.
    ClockBehind {
        /// The latest clock the store has seen.
        high_water: u64,
    },
    /// Nothing recorded: the store's clock was reset
    /// ([`ReplayStore::reset_clock`]) and no window the gate accepts now
    /// starts at or after the first one accepted since.
    AfterReset {
        /// The first window start accepted since the reset.
        min_window: u64,
    },
}

/// What [`ReplayStore::reset_clock`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClockReset {
    /// The store's clock before the reset.
    pub previous_high_water: u64,
    /// The store's clock now: the time given to the reset.
    pub high_water: u64,
    /// The first window start accepted from now on.
    pub min_window: u64,
}

/// The replay store.
#[derive(Debug)]
pub struct ReplayStore {
    conn: Connection,
}

/// A nullifier as stored: its field element, 32 bytes big-endian.
fn nullifier_bytes(n: &Nullifier) -> Vec<u8> {
    n.to_field().into_bigint().to_bytes_be()
}

/// SQLite stores signed 64-bit integers; times above `i64::MAX` are not
/// plausible (the verifier refuses times after 2100 first), so this
/// saturates rather than wraps.
fn sql_time(t: u64) -> i64 {
    i64::try_from(t).unwrap_or(i64::MAX)
}

impl ReplayStore {
    /// Open (or create) the store at `path`.
    ///
    /// Journal: **WAL with `synchronous=FULL`**. In WAL mode a commit is one
    /// append to the write-ahead log, and with `FULL` that log is fsynced
    /// at every commit, so a committed insert survives a power cut (with
    /// `NORMAL` the last commits could roll back after one). A rollback
    /// journal with `FULL` is as durable but needs more fsyncs per commit
    /// (journal, then database); WAL keeps the line-to-verdict time low.
    /// WAL needs the `-wal` and `-shm` files beside the database, so the
    /// directory must be writable: if it is not, opening fails and the gate
    /// refuses every pass.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(open_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            // A read-only or in-memory file cannot switch: refuse to run on
            // anything but the durability we document.
            return Err(open_err(rusqlite::Error::InvalidParameterName(format!(
                "journal mode {mode}, expected wal"
            ))));
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(open_err)?;
        if version != 0 && version != 1 && version != SCHEMA_VERSION {
            return Err(StoreError::Schema {
                path: path.to_path_buf(),
                found: version,
            });
        }
        if version == 1 {
            conn.execute_batch(UPGRADE_1_TO_2).map_err(open_err)?;
        }
        conn.execute_batch(SCHEMA).map_err(open_err)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(open_err)?;
        Ok(Self { conn })
    }

    /// Whether `nullifier` is recorded for the window starting at `start`
    /// (a cheap check before the pairing; the insert decides).
    pub fn contains(&self, start: u64, nullifier: &Nullifier) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM nullifiers WHERE window_start = ?1 AND nullifier = ?2)",
                params![sql_time(start), nullifier_bytes(nullifier)],
                |r| r.get(0),
            )
            .map_err(StoreError::Write)
    }

    /// Nullifiers held.
    pub fn len(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM nullifiers", [], |r| r.get(0))
            .map_err(StoreError::Write)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Whether the store holds none.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// Record an accepted pass for the window starting at `start`, at the
    /// gate's clock `gate_now`, in one committed (synced) transaction that
    /// also prunes the windows no longer accepted. `Ok(Recorded::New)` only
    /// once the commit returned.
    pub fn record(
        &mut self,
        start: u64,
        nullifier: &Nullifier,
        gate_now: u64,
    ) -> Result<Recorded, StoreError> {
        // IMMEDIATE: take the write lock first, so the clock read and the
        // insert see one state even with a second process on the file.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::Write)?;
        let (high_water, min_window): (i64, i64) = tx
            .query_row(
                "SELECT high_water, min_window FROM clock WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(StoreError::Write)?;
        let high_water = u64::try_from(high_water).unwrap_or(0);
        let min_window = u64::try_from(min_window).unwrap_or(0);
        let clock = high_water.max(gate_now);
        // Windows older than this are pruned: their nullifiers are gone.
        let prune_floor = accepted_windows(clock).min().unwrap_or(0);
        // A reset also refuses every window that may have lost nullifiers.
        let floor = prune_floor.max(min_window);
        // No pass the verifier accepts at this clock can be recorded: say
        // why instead of refusing each one as "too old". Nothing is written
        // (the transaction rolls back when dropped).
        if accepted_windows(gate_now).all(|w| w < prune_floor) {
            return Ok(Recorded::ClockBehind { high_water });
        }
        if accepted_windows(gate_now).all(|w| w < min_window) {
            return Ok(Recorded::AfterReset { min_window });
        }
        tx.execute(
            "UPDATE clock SET high_water = ?1 WHERE id = 1",
            params![sql_time(clock)],
        )
        .map_err(StoreError::Write)?;
        tx.execute(
            "DELETE FROM nullifiers WHERE window_start < ?1",
            params![sql_time(prune_floor)],
        )
        .map_err(StoreError::Write)?;
        if start < floor {
            tx.commit().map_err(StoreError::Write)?;
            return Ok(Recorded::WindowPruned { floor });
        }
        let inserted = tx.execute(
            "INSERT INTO nullifiers (window_start, nullifier, accepted_at) VALUES (?1, ?2, ?3)",
            params![
                sql_time(start),
                nullifier_bytes(nullifier),
                sql_time(gate_now)
            ],
        );
        match inserted {
            Ok(_) => {}
            // Only the UNIQUE constraint means "already used"; any other
            // failure (a CHECK, a trigger, I/O, a full disk) is an error.
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation
                    && e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                drop(tx);
                return Ok(Recorded::AlreadyUsed);
            }
            Err(e) => return Err(StoreError::Write(e)),
        }
        tx.commit().map_err(StoreError::Write)?;
        Ok(Recorded::New)
    }

    /// Trust `now` as the gate's clock again, after the store saw a clock
    /// that was wrong and ahead ([`Recorded::ClockBehind`]): an operator's
    /// act, once the clock is fixed.
    ///
    /// Safe against replays: while the clock was ahead, the store may have
    /// pruned the nullifiers of windows up to `now`, so the reset refuses
    /// every window that can have been accepted at or before `now` (those
    /// up to the next window accepted at `now`). The first window accepted
    /// after the reset starts after that one: about one to two windows
    /// (60–125 s) with every pass refused. No nullifier is deleted.
    pub fn reset_clock(&mut self, now: u64) -> Result<ClockReset, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::Write)?;
        let previous: i64 = tx
            .query_row("SELECT high_water FROM clock WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(StoreError::Write)?;
        let last_accepted = accepted_windows(now).max().unwrap_or(0);
        let min_window = last_accepted.saturating_add(WINDOW_SECS);
        tx.execute(
            "UPDATE clock SET high_water = ?1, min_window = ?2 WHERE id = 1",
            params![sql_time(now), sql_time(min_window)],
        )
        .map_err(StoreError::Write)?;
        tx.commit().map_err(StoreError::Write)?;
        Ok(ClockReset {
            previous_high_water: u64::try_from(previous).unwrap_or(0),
            high_water: now,
            min_window,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_bn254::Fr;

    const T: u64 = 1_800_000_000 / 60 * 60;

    fn n(x: u64) -> Nullifier {
        Nullifier::from_field(Fr::from(x))
    }

    #[test]
    fn a_repeat_in_one_window_is_refused_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gate.db");
        let mut s = ReplayStore::open(&path).unwrap();
        assert_eq!(s.record(T, &n(1), T + 3).unwrap(), Recorded::New);
        assert_eq!(s.record(T, &n(1), T + 4).unwrap(), Recorded::AlreadyUsed);
        assert_eq!(s.record(T + 60, &n(1), T + 58).unwrap(), Recorded::New);
        drop(s);
        let mut s = ReplayStore::open(&path).unwrap();
        assert!(s.contains(T, &n(1)).unwrap());
        assert_eq!(s.record(T, &n(1), T + 5).unwrap(), Recorded::AlreadyUsed);
        assert_eq!(s.len().unwrap(), 2);
    }

    #[test]
    fn old_windows_are_pruned_and_a_clock_going_back_does_not_revive_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReplayStore::open(&dir.path().join("gate.db")).unwrap();
        assert_eq!(s.record(T, &n(1), T + 10).unwrap(), Recorded::New);
        assert_eq!(s.record(T + 600, &n(2), T + 600).unwrap(), Recorded::New);
        assert_eq!(s.len().unwrap(), 1);
        // The clock goes back 55 s: the window T + 480 is in its grace
        // period again, but pruned at the high-water clock.
        assert_eq!(
            s.record(T + 480, &n(3), T + 545).unwrap(),
            Recorded::WindowPruned { floor: T + 540 }
        );
        // Back ten minutes: nothing the gate accepts can be recorded.
        assert_eq!(
            s.record(T, &n(1), T + 10).unwrap(),
            Recorded::ClockBehind {
                high_water: T + 600
            }
        );
        assert!(!s.contains(T, &n(1)).unwrap());
    }

    #[test]
    fn a_store_that_cannot_be_created_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, [b'x'; 4096]).unwrap();
        assert!(matches!(
            ReplayStore::open(&file.join("gate.db")),
            Err(StoreError::Open { .. })
        ));
        // A file that is not a database.
        assert!(ReplayStore::open(&file).is_err());
    }

    #[test]
    fn a_clock_that_ran_ahead_says_so_instead_of_refusing_every_pass_as_too_old() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReplayStore::open(&dir.path().join("gate.db")).unwrap();
        // The clock jumps a day ahead, then back to the truth.
        let ahead = T + 86_400;
        assert_eq!(s.record(ahead, &n(9), ahead).unwrap(), Recorded::New);
        assert_eq!(
            s.record(T, &n(1), T + 3).unwrap(),
            Recorded::ClockBehind { high_water: ahead }
        );
        // Nothing was written: the pass is not recorded, the clock not moved.
        assert!(!s.contains(T, &n(1)).unwrap());
        assert_eq!(
            s.record(T, &n(1), T + 3).unwrap(),
            Recorded::ClockBehind { high_water: ahead }
        );
    }

    #[test]
    fn a_clock_reset_reopens_the_gate_only_for_windows_that_cannot_have_lost_nullifiers() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReplayStore::open(&dir.path().join("gate.db")).unwrap();
        // A pass accepted in window T, then the clock runs a day ahead and
        // prunes it.
        assert_eq!(s.record(T, &n(1), T + 50).unwrap(), Recorded::New);
        let ahead = T + 86_400;
        assert_eq!(s.record(ahead, &n(9), ahead).unwrap(), Recorded::New);
        assert!(!s.contains(T, &n(1)).unwrap());
        // The operator fixes the clock (T + 58: window T and, within the
        // lead, window T + 60 are accepted now) and resets.
        let reset = s.reset_clock(T + 58).unwrap();
        assert_eq!(
            reset,
            ClockReset {
                previous_high_water: ahead,
                high_water: T + 58,
                min_window: T + 120,
            }
        );
        // The pruned pass of window T is not accepted again, nor is the
        // next window, which may have been accepted before the jump.
        assert_eq!(
            s.record(T, &n(1), T + 58).unwrap(),
            Recorded::AfterReset {
                min_window: T + 120
            }
        );
        assert_eq!(
            s.record(T + 60, &n(2), T + 70).unwrap(),
            Recorded::AfterReset {
                min_window: T + 120
            }
        );
        // From the window after, passes are recorded again, once.
        assert_eq!(s.record(T + 120, &n(2), T + 120).unwrap(), Recorded::New);
        assert_eq!(
            s.record(T + 120, &n(2), T + 121).unwrap(),
            Recorded::AlreadyUsed
        );
        // The far-future pass is still held: no nullifier was deleted.
        assert!(s.contains(ahead, &n(9)).unwrap());
    }

    #[test]
    fn a_version_1_store_is_upgraded_in_place_and_keeps_its_passes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gate.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "PRAGMA journal_mode=WAL;
                 CREATE TABLE nullifiers (window_start INTEGER NOT NULL,
                   nullifier BLOB NOT NULL CHECK (length(nullifier) = 32),
                   accepted_at INTEGER NOT NULL, UNIQUE (window_start, nullifier));
                 CREATE TABLE clock (id INTEGER PRIMARY KEY CHECK (id = 1), high_water INTEGER NOT NULL);
                 INSERT INTO clock (id, high_water) VALUES (1, 0);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let mut s = ReplayStore::open(&path).unwrap();
        assert_eq!(s.record(T, &n(1), T + 3).unwrap(), Recorded::New);
        drop(s);
        let mut s = ReplayStore::open(&path).unwrap();
        assert_eq!(s.record(T, &n(1), T + 4).unwrap(), Recorded::AlreadyUsed);
        let v: i64 = s
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }
}
