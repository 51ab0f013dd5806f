//! One-scan time windows and scopes (statement v2).
//!
//! In one-scan mode the holder shows a pass made in advance for a time
//! window, with no challenge from the gate. The proof's `now` is the
//! window's start, and its scope, a public field element, is derived here,
//! outside the circuit, from a public, fixed operator identifier and the
//! window. The gate refuses a second pass with the same nullifier in the same
//! scope (`docs/formats.md`, "One-scan windows and scopes"; `docs/security.md`,
//! items 81 and 86).
//!
//! # Windows
//!
//! Time is cut into windows of [`WINDOW_SECS`] seconds, aligned on the unix
//! epoch: window `i` is `[i·WINDOW_SECS, (i+1)·WINDOW_SECS)`, and
//! [`window_start`]`(t) = t − t mod WINDOW_SECS`. A gate whose clock reads
//! `gate_now` accepts ([`accepted_windows`], [`check_window`]):
//!
//! - the current window, the one `gate_now` lies in;
//! - the previous window while `gate_now − current_start ≤ GRACE_SECS` (a
//!   pass shown at `:59` and scanned at `:01`);
//! - the next window while `next_start − gate_now ≤ LEAD_SECS` (the holder's
//!   clock runs slightly ahead).
//!
//! # Slack in expiry checks
//!
//! The circuit checks the credential and the issuer's window at the
//! window's start `w`, not at the gate's clock. A credential (or issuer
//! window) that ended at any time in `(w, gate_now]` still passes, and
//! `gate_now − w` is at most [`MAX_EXPIRY_SLACK_SECS`] `= WINDOW_SECS +
//! GRACE_SECS` (the previous window, scanned at the grace period's last
//! second). A next-window pass is checked up to [`LEAD_SECS`] seconds ahead
//! of the gate's clock.
//!
//! # Scopes
//!
//! ```text
//! scope = H_3(SCOPE_TAG, operator_id, window_index)
//! ```
//!
//! with circomlib's `Poseidon(3)`, `SCOPE_TAG` the ASCII string
//! `"zkstatus.scope"` read as a big-endian integer, `window_index =
//! window_start / WINDOW_SECS`, and `operator_id` from [`OperatorId`]: `0` for
//! the global scope ([`OperatorId::GLOBAL`]), or the first 31 bytes of
//! SHA-256 of the operator's name, read as a big-endian integer (below
//! `2^248 < p`, so canonical; never reduced).

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, MontFp, PrimeField};
use sha2::{Digest, Sha256};
use zkstatus_circuits::poseidon::hash_fixed;
use zkstatus_circuits::statement::v2::Scope;

/// Length of a one-scan window, seconds.
pub const WINDOW_SECS: u64 = 60;
/// How long after a window boundary the previous window is still accepted,
/// seconds (inclusive: at `current_start + GRACE_SECS` it still is).
pub const GRACE_SECS: u64 = 15;
/// How long before a window boundary the next window is already accepted,
/// seconds (inclusive: at `next_start − LEAD_SECS` it already is).
pub const LEAD_SECS: u64 = 5;
/// The most by which the circuit's `now` (a window's start) can lag the
/// gate's clock for an accepted pass: a credential or issuer window that
/// ended up to this many seconds ago still passes.
pub const MAX_EXPIRY_SLACK_SECS: u64 = WINDOW_SECS + GRACE_SECS;
/// `"zkstatus.scope"` read as a big-endian integer.
pub const SCOPE_TAG: Fr = MontFp!("2482967116506272440134065252692069");
/// Longest operator name, bytes.
pub const MAX_OPERATOR_NAME_BYTES: usize = 64;

/// Why a one-scan window is refused at a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WindowError {
    /// The start is not a multiple of the window length.
    #[error("window start {start} is not aligned to the {WINDOW_SECS}-second window length")]
    Misaligned {
        /// The start given.
        start: u64,
    },
    /// The window is older than the previous one, or the previous one after
    /// the grace period.
    #[error(
        "window starting at {start} is too old at {gate_now} (the current window and, for \
         {GRACE_SECS} s after a boundary, the previous one are accepted)"
    )]
    TooOld {
        /// The window's start.
        start: u64,
        /// The gate's clock.
        gate_now: u64,
    },
    /// The window starts more than [`LEAD_SECS`] after the gate's clock.
    #[error(
        "window starting at {start} is in the future at {gate_now} (at most {LEAD_SECS} s ahead \
         is accepted)"
    )]
    InFuture {
        /// The window's start.
        start: u64,
        /// The gate's clock.
        gate_now: u64,
    },
}

/// The index of the window `t` lies in.
pub fn window_index(t: u64) -> u64 {
    t / WINDOW_SECS
}

/// The start of the window `t` lies in: `t − t mod WINDOW_SECS`.
pub fn window_start(t: u64) -> u64 {
    t - t % WINDOW_SECS
}

/// The starts of the windows a gate accepts at `gate_now`: the current one,
/// then the previous one (grace period), then the next one (lead), each only
/// when it applies.
pub fn accepted_windows(gate_now: u64) -> impl Iterator<Item = u64> {
    let current = window_start(gate_now);
    let previous = current
        .checked_sub(WINDOW_SECS)
        .filter(|_| gate_now - current <= GRACE_SECS);
    let next = current
        .checked_add(WINDOW_SECS)
        .filter(|next| next - gate_now <= LEAD_SECS);
    [Some(current), previous, next].into_iter().flatten()
}

/// Whether a pass for the window starting at `start` is accepted at
/// `gate_now` (the same windows as [`accepted_windows`]).
pub fn check_window(start: u64, gate_now: u64) -> Result<(), WindowError> {
    if !start.is_multiple_of(WINDOW_SECS) {
        return Err(WindowError::Misaligned { start });
    }
    if accepted_windows(gate_now).any(|w| w == start) {
        Ok(())
    } else if start > gate_now {
        Err(WindowError::InFuture { start, gate_now })
    } else {
        Err(WindowError::TooOld { start, gate_now })
    }
}

/// Why an operator name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OperatorNameError {
    /// The name is empty.
    #[error("an operator name must not be empty")]
    Empty,
    /// The name is longer than [`MAX_OPERATOR_NAME_BYTES`].
    #[error("an operator name has at most {MAX_OPERATOR_NAME_BYTES} bytes, got {0}")]
    TooLong(usize),
    /// A byte outside printable ASCII (`0x20..=0x7e`): a control character,
    /// DEL or non-ASCII.
    #[error("byte {byte:#04x} at {index} is not printable ASCII (0x20..=0x7e)")]
    NotPrintable {
        /// Position of the byte.
        index: usize,
        /// The byte.
        byte: u8,
    },
    /// The name starts or ends with a space.
    #[error("an operator name must not start or end with a space")]
    EdgeSpace,
}

/// A public, fixed operator identifier: the field element a scope is
/// derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperatorId(Fr);

impl OperatorId {
    /// The global scope, `0`: one nullifier per holder per window, across
    /// every gate that uses it.
    pub const GLOBAL: Self = Self(Fr::ZERO);

    /// The identifier of a named operator: the first 31 bytes of SHA-256 of
    /// the name's bytes, as a big-endian integer.
    ///
    /// The name is 1 to [`MAX_OPERATOR_NAME_BYTES`] bytes of printable ASCII
    /// (`0x20..=0x7e`), neither starting nor ending with a space. It is
    /// hashed exactly as given (case matters).
    pub fn from_name(name: &str) -> Result<Self, OperatorNameError> {
        let bytes = name.as_bytes();
        if bytes.is_empty() {
            return Err(OperatorNameError::Empty);
        }
        if bytes.len() > MAX_OPERATOR_NAME_BYTES {
            return Err(OperatorNameError::TooLong(bytes.len()));
        }
        if let Some((index, &byte)) = bytes
            .iter()
            .enumerate()
            .find(|(_, b)| !(0x20..=0x7e).contains(*b))
        {
            return Err(OperatorNameError::NotPrintable { index, byte });
        }
        if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
            return Err(OperatorNameError::EdgeSpace);
        }
        let digest = Sha256::digest(bytes);
        // 31 bytes < 2^248 < p: canonical, nothing is reduced.
        Ok(Self(Fr::from_be_bytes_mod_order(&digest[..31])))
    }

    /// The identifier as a field element.
    pub fn to_field(&self) -> Fr {
        self.0
    }
}

/// `H_3(SCOPE_TAG, operator_id, window_index)`.
pub fn scope_for_index(operator: &OperatorId, window_index: u64) -> Scope {
    Scope::from_field(hash_fixed([SCOPE_TAG, operator.0, Fr::from(window_index)]))
}

/// The scope of the window starting at `start` (which must be aligned).
pub fn scope(operator: &OperatorId, start: u64) -> Result<Scope, WindowError> {
    if !start.is_multiple_of(WINDOW_SECS) {
        return Err(WindowError::Misaligned { start });
    }
    Ok(scope_for_index(operator, window_index(start)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_ff::BigInteger;

    const T0: u64 = 1_800_000_000; // a multiple of 60

    fn be_int(s: &[u8]) -> Fr {
        Fr::from_be_bytes_mod_order(s)
    }

    #[test]
    fn tag_is_ascii_big_endian() {
        assert_eq!(SCOPE_TAG, be_int(b"zkstatus.scope"));
        assert_eq!(MAX_EXPIRY_SLACK_SECS, 75);
    }

    #[test]
    fn window_start_and_index() {
        assert_eq!(T0 % WINDOW_SECS, 0);
        assert_eq!(window_start(T0), T0);
        assert_eq!(window_start(T0 + 59), T0);
        assert_eq!(window_start(T0 + 60), T0 + 60);
        assert_eq!(window_index(T0 + 59) + 1, window_index(T0 + 60));
        assert_eq!(window_start(0), 0);
        assert_eq!(window_start(u64::MAX) % WINDOW_SECS, 0);
    }

    #[test]
    fn boundary_59_to_00() {
        // Mid-window: only the current one.
        let mid: Vec<u64> = accepted_windows(T0 + 30).collect();
        assert_eq!(mid, [T0]);
        // :59: current, and (within the lead) the next.
        assert_eq!(check_window(T0, T0 + 59), Ok(()));
        assert_eq!(check_window(T0 + 60, T0 + 59), Ok(()));
        // :00 of the next window: the new current one and the old one (grace).
        let at00: Vec<u64> = accepted_windows(T0 + 60).collect();
        assert_eq!(at00, [T0 + 60, T0]);
        // A pass shown at :59 and scanned at :01.
        assert_eq!(check_window(T0, T0 + 61), Ok(()));
    }

    #[test]
    fn grace_last_second_accepted_next_refused() {
        let next = T0 + WINDOW_SECS;
        assert_eq!(check_window(T0, next + GRACE_SECS), Ok(()));
        assert_eq!(
            check_window(T0, next + GRACE_SECS + 1),
            Err(WindowError::TooOld {
                start: T0,
                gate_now: next + GRACE_SECS + 1
            })
        );
        // Two windows back is never accepted.
        assert!(matches!(
            check_window(T0 - WINDOW_SECS, next),
            Err(WindowError::TooOld { .. })
        ));
    }

    #[test]
    fn lead() {
        let next = T0 + WINDOW_SECS;
        assert_eq!(check_window(next, next - LEAD_SECS), Ok(()));
        assert_eq!(
            check_window(next, next - LEAD_SECS - 1),
            Err(WindowError::InFuture {
                start: next,
                gate_now: next - LEAD_SECS - 1
            })
        );
        assert!(matches!(
            check_window(next + WINDOW_SECS, next - 1),
            Err(WindowError::InFuture { .. })
        ));
    }

    #[test]
    fn misaligned_refused() {
        for start in [T0 + 1, T0 + 30, T0 + 59, T0 - 1] {
            assert_eq!(
                check_window(start, T0 + 10),
                Err(WindowError::Misaligned { start })
            );
            assert_eq!(
                scope(&OperatorId::GLOBAL, start),
                Err(WindowError::Misaligned { start })
            );
        }
    }

    #[test]
    fn accepted_windows_agree_with_check_window_and_bound_the_slack() {
        let mut max_slack = 0;
        for gate_now in T0 - 2 * WINDOW_SECS..T0 + 3 * WINDOW_SECS {
            let accepted: Vec<u64> = accepted_windows(gate_now).collect();
            assert!(!accepted.is_empty() && accepted.len() <= 3);
            for k in 0..8 {
                let w = T0 - 4 * WINDOW_SECS + k * WINDOW_SECS;
                assert_eq!(
                    check_window(w, gate_now).is_ok(),
                    accepted.contains(&w),
                    "{w} at {gate_now}"
                );
            }
            for &w in &accepted {
                assert_eq!(check_window(w, gate_now), Ok(()));
                if w <= gate_now {
                    max_slack = max_slack.max(gate_now - w);
                } else {
                    assert!(w - gate_now <= LEAD_SECS);
                }
            }
        }
        // The bound is reached: the previous window at the grace period's
        // last second.
        assert_eq!(max_slack, MAX_EXPIRY_SLACK_SECS);
    }

    #[test]
    fn a_credential_that_ended_within_the_slack_still_passes() {
        // The circuit checks `now < not_after` at now = w.
        let w = T0;
        let gate_now = T0 + WINDOW_SECS + GRACE_SECS;
        assert_eq!(check_window(w, gate_now), Ok(()));
        let not_after = w + 1; // ended gate_now − w − 1 seconds ago
        assert!(w < not_after && not_after <= gate_now);
        assert!(gate_now - w <= MAX_EXPIRY_SLACK_SECS);
    }

    #[test]
    fn near_the_ends_of_time() {
        // No overflow or underflow at the edges of u64.
        assert_eq!(accepted_windows(0).collect::<Vec<_>>(), [0]);
        assert_eq!(check_window(0, 5), Ok(()));
        let last = window_start(u64::MAX);
        assert!(accepted_windows(u64::MAX).any(|w| w == last));
        assert!(check_window(last, u64::MAX).is_ok());
    }

    #[test]
    fn scopes_differ_by_window_and_operator() {
        let a = OperatorId::from_name("Stadium Nord").unwrap();
        let b = OperatorId::from_name("Stadium Sud").unwrap();
        let s = scope(&a, T0).unwrap();
        assert_eq!(s, scope(&a, T0).unwrap());
        assert_eq!(s, scope_for_index(&a, window_index(T0)));
        assert_ne!(s, scope(&a, T0 + WINDOW_SECS).unwrap());
        assert_ne!(s, scope(&b, T0).unwrap());
        assert_ne!(s, scope(&OperatorId::GLOBAL, T0).unwrap());
        assert_eq!(
            s.to_field(),
            hash_fixed([SCOPE_TAG, a.to_field(), Fr::from(window_index(T0))])
        );
        // Case matters: names are hashed as given.
        assert_ne!(a, OperatorId::from_name("stadium nord").unwrap());
    }

    #[test]
    fn operator_id_is_31_bytes_of_sha256() {
        let id = OperatorId::from_name("example.org").unwrap();
        let digest = Sha256::digest(b"example.org");
        let bytes = id.to_field().into_bigint().to_bytes_be();
        assert_eq!(bytes[0], 0);
        assert_eq!(&bytes[1..], &digest[..31]);
        assert_eq!(OperatorId::GLOBAL.to_field(), Fr::ZERO);
    }

    /// Known answers computed with circomlibjs 0.1.7 (`buildPoseidon`) and
    /// node's SHA-256; `interop/registry.test.mjs` checks fresh random ones.
    #[test]
    fn scopes_match_circomlibjs_known_answers() {
        let id = OperatorId::from_name("example.org").unwrap();
        assert_eq!(
            id.to_field(),
            MontFp!("338653257424607634689746295438012896968673750036817522353797863625081402084")
        );
        assert_eq!(
            scope(&id, 1_800_000_000).unwrap().to_field(),
            MontFp!(
                "15591911678867204894124744829400417786756987621125518464896861212062039376272"
            )
        );
        assert_eq!(
            scope(&OperatorId::GLOBAL, 0).unwrap().to_field(),
            MontFp!("2661460355001799195036346021802531555115076632042487038364341203652274811072")
        );
    }

    #[test]
    fn operator_names_are_validated() {
        assert_eq!(OperatorId::from_name(""), Err(OperatorNameError::Empty));
        let long = "a".repeat(MAX_OPERATOR_NAME_BYTES + 1);
        assert_eq!(
            OperatorId::from_name(&long),
            Err(OperatorNameError::TooLong(MAX_OPERATOR_NAME_BYTES + 1))
        );
        assert!(OperatorId::from_name(&long[1..]).is_ok());
        assert!(OperatorId::from_name("a").is_ok());
        assert!(OperatorId::from_name("~ !").is_ok());
        for (name, index, byte) in [
            ("a\nb", 1, b'\n'),
            ("\tab", 0, b'\t'),
            ("ab\x7f", 2, 0x7f),
            ("ab\0", 2, 0),
            ("café", 3, 0xc3),
        ] {
            assert_eq!(
                OperatorId::from_name(name),
                Err(OperatorNameError::NotPrintable { index, byte }),
                "{name:?}"
            );
        }
        for name in [" a", "a ", " "] {
            assert_eq!(
                OperatorId::from_name(name),
                Err(OperatorNameError::EdgeSpace)
            );
        }
    }
}
