//! A gate's one-scan replay state: the nullifiers of the passes it accepted
//! in the windows it still accepts (statement v2, rule 10;
//! `docs/security.md`, item 81).
//!
//! This is the in-memory book for the CLI and the browser verifier. The
//! turnstile daemon of issue [5/7] keeps the same state in a database that
//! is synced before each verdict.
//!
//! - **once per window**: a nullifier is accepted once per window start (the
//!   scope is the gate's operator and the window, so one book serves one
//!   operator);
//! - **bounded**: windows the gate no longer accepts are pruned, and a book
//!   holds at most `max_entries` nullifiers; when full it refuses (fail
//!   closed, [`Rejection::ReplayStoreFull`]) rather than forget one;
//! - **monotonic**: pruning follows the latest clock the book has seen, and
//!   a window older than the pruned ones is refused even if the caller's
//!   clock went back, so no clock jump revives a pruned window.

use crate::onescan::{accepted_windows, WindowError};
use crate::Rejection;
use std::collections::{BTreeMap, HashSet};
use zkstatus_circuits::statement::v2::Nullifier;

/// Default capacity of a book, nullifiers (a window accepts at most this
/// many passes).
pub const DEFAULT_MAX_ENTRIES: usize = 1 << 20;

/// The nullifiers a gate has accepted, by window start.
#[derive(Debug, Clone)]
pub struct NullifierBook {
    seen: BTreeMap<u64, HashSet<Nullifier>>,
    entries: usize,
    max_entries: usize,
    /// The latest clock seen.
    clock: u64,
}

impl Default for NullifierBook {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ENTRIES)
    }
}

impl NullifierBook {
    /// An empty book holding at most `max_entries` nullifiers (at least 1).
    pub fn new(max_entries: usize) -> Self {
        Self {
            seen: BTreeMap::new(),
            entries: 0,
            max_entries: max_entries.max(1),
            clock: 0,
        }
    }

    /// Nullifiers held.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether the book holds none.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The oldest window start still held or acceptable at the book's
    /// clock: older windows are refused.
    fn floor(&self) -> u64 {
        accepted_windows(self.clock).min().unwrap_or(0)
    }

    fn advance(&mut self, gate_now: u64) {
        self.clock = self.clock.max(gate_now);
        let floor = self.floor();
        let keep = self.seen.split_off(&floor);
        let dropped: usize = self.seen.values().map(HashSet::len).sum();
        self.entries -= dropped;
        self.seen = keep;
    }

    /// Whether `nullifier` was accepted in the window starting at `start`.
    pub fn contains(&self, start: u64, nullifier: &Nullifier) -> bool {
        self.seen.get(&start).is_some_and(|s| s.contains(nullifier))
    }

    /// Record an accepted pass for the window starting at `start` at the
    /// gate's clock `gate_now`: refused if already recorded
    /// ([`Rejection::NullifierUsed`]), if the window is older than what the
    /// book has pruned, or if the book is full.
    pub fn record(
        &mut self,
        start: u64,
        nullifier: Nullifier,
        gate_now: u64,
    ) -> Result<(), Rejection> {
        self.advance(gate_now);
        if start < self.floor() {
            return Err(Rejection::Window(WindowError::TooOld {
                start,
                gate_now: self.clock,
            }));
        }
        if self.contains(start, &nullifier) {
            return Err(Rejection::NullifierUsed);
        }
        if self.entries >= self.max_entries {
            return Err(Rejection::ReplayStoreFull);
        }
        self.seen.entry(start).or_default().insert(nullifier);
        self.entries += 1;
        Ok(())
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
    fn a_repeated_nullifier_in_one_window_is_refused() {
        let mut b = NullifierBook::default();
        b.record(T, n(1), T + 3).unwrap();
        assert_eq!(b.record(T, n(1), T + 4), Err(Rejection::NullifierUsed));
        b.record(T, n(2), T + 5).unwrap();
        // The next window is another scope: the same holder passes again.
        b.record(T + 60, n(1), T + 61).unwrap();
    }

    #[test]
    fn the_previous_window_is_remembered_through_its_grace_period() {
        let mut b = NullifierBook::default();
        b.record(T, n(1), T + 59).unwrap();
        // Scanned at :01 of the next window (grace): still a repeat.
        assert_eq!(b.record(T, n(1), T + 61), Err(Rejection::NullifierUsed));
        // After the grace period the window is pruned and refused as old.
        assert!(matches!(
            b.record(T, n(1), T + 60 + 16),
            Err(Rejection::Window(WindowError::TooOld { .. }))
        ));
        assert_eq!(b.len(), 0);
    }

    #[test]
    fn a_clock_going_back_does_not_revive_a_pruned_window() {
        let mut b = NullifierBook::default();
        b.record(T, n(1), T + 10).unwrap();
        b.record(T + 600, n(2), T + 600).unwrap();
        assert!(matches!(
            b.record(T, n(1), T + 10),
            Err(Rejection::Window(WindowError::TooOld { .. }))
        ));
    }

    #[test]
    fn a_full_book_fails_closed() {
        let mut b = NullifierBook::new(2);
        b.record(T, n(1), T).unwrap();
        b.record(T, n(2), T).unwrap();
        assert_eq!(b.record(T, n(3), T), Err(Rejection::ReplayStoreFull));
        // Pruning frees room.
        b.record(T + 120, n(3), T + 120).unwrap();
    }
}
