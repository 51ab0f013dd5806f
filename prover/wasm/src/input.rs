//! Strict parsing of the caller's scalar inputs: times, the challenge, the
//! pinned proving-key fingerprint. The rules are the browser verifier's
//! (`verifier-wasm/src/verifier.rs`), so a page that drives both packages
//! sees the same messages for the same mistakes.

use zkstatus_prover::circuits::statement::Challenge;
use zkstatus_prover::files::{self, FormatError};

/// A caller's input that is not acceptable: a bug in the calling code or its
/// configuration. The JavaScript API throws it. Its message names the input
/// and never quotes a secret (no secret is parsed here).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InputError {
    /// The JavaScript name of the input (`now`, `challenge`, …).
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

impl InputError {
    /// An error about `field`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

fn truncate(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

/// Parse unix seconds from a decimal string: ASCII digits only, no sign, no
/// whitespace, no leading zeros, at most `u64::MAX`.
pub fn parse_u64(s: &str, field: &'static str) -> Result<u64, InputError> {
    let bad = |why: &str| InputError::new(field, format!("{why}, got {:?}", truncate(s)));
    if s.is_empty() {
        return Err(bad("expected a decimal integer"));
    }
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(bad("expected a non-negative decimal integer (digits only)"));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(bad("expected a decimal integer without leading zeros"));
    }
    s.parse::<u64>()
        .map_err(|_| bad("expected an integer of at most 18446744073709551615"))
}

/// Parse a challenge: exactly 64 lowercase hex digits, big-endian, of a
/// value below the field modulus (never reduced), by the shared rule
/// (`zkstatus_circuits::verifier::config::challenge_from_hex`).
pub fn parse_challenge(s: &str) -> Result<Challenge, InputError> {
    files::challenge_from_hex(s).map_err(|e| match e {
        FormatError::InvalidField { reason, .. } => InputError::new("challenge", reason),
        other => InputError::new("challenge", other.to_string()),
    })
}

/// Parse a pinned proving-key fingerprint: the full 64 lowercase hex digits
/// of the file's SHA-256 ([`crate::key::pk_fingerprint`]).
pub fn parse_pk_fingerprint(s: &str) -> Result<[u8; 32], InputError> {
    const FIELD: &str = "pinnedFingerprint";
    if s.len() == 19 && s.bytes().filter(|c| *c == b'-').count() == 3 {
        return Err(InputError::new(
            FIELD,
            "expected the full SHA-256 of the proving-key file (64 hex digits), not a short form",
        ));
    }
    files::bytes_from_hex::<32>(s, FIELD).map_err(|e| match e {
        FormatError::InvalidField { reason, .. } => InputError::new(FIELD, reason),
        other => InputError::new(FIELD, other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_strict_decimal_u64() {
        assert_eq!(parse_u64("0", "now"), Ok(0));
        assert_eq!(parse_u64("18446744073709551615", "now"), Ok(u64::MAX));
        for bad in [
            "",
            "-1",
            "+1",
            " 1",
            "01",
            "1e3",
            "18446744073709551616",
            "0x10",
        ] {
            let e = parse_u64(bad, "now").err();
            assert!(e.is_some_and(|e| e.field == "now"), "{bad:?}");
        }
    }

    #[test]
    fn pins_are_64_lowercase_hex_digits() {
        assert_eq!(parse_pk_fingerprint(&"ab".repeat(32)), Ok([0xab; 32]));
        for bad in [
            "AB".repeat(32),
            "ab".repeat(31),
            "1a2b-3c4d-5e6f-7a8b".to_owned(),
            String::new(),
        ] {
            let e = parse_pk_fingerprint(&bad).err();
            assert!(e.is_some_and(|e| e.field == "pinnedFingerprint"), "{bad:?}");
        }
    }
}
