//! Strict parsing of the scalar inputs a caller hands the browser packages
//! (times, challenges, pinned fingerprints), shared by the verifier package
//! (`verifier-wasm`) and the holder package (`holder-wasm`) so that a page
//! driving both sees the same messages for the same mistakes.
//!
//! These are a calling program's inputs, never a holder's payload: an
//! [`InputError`] is a bug in the calling code or its configuration. Its
//! message names the input and quotes at most [`QUOTE_CHARS`] characters of
//! it (none of these inputs is secret).

use super::config::{self, FormatError};
use zkstatus_circuits::statement::Challenge;

/// How many characters of a refused input an error message quotes.
pub const QUOTE_CHARS: usize = 40;

/// A caller's input that is not acceptable. The JavaScript APIs throw it.
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

    fn from_format(field: &'static str, e: FormatError) -> Self {
        match e {
            FormatError::InvalidField { reason, .. } => Self::new(field, reason),
            other => Self::new(field, other.to_string()),
        }
    }
}

fn quote(s: &str) -> String {
    if s.chars().count() <= QUOTE_CHARS {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(QUOTE_CHARS).collect();
        t.push('…');
        t
    }
}

/// Parse unix seconds or a duration from a decimal string: ASCII digits
/// only, no sign, no whitespace, no leading zeros, at most `u64::MAX`.
pub fn parse_u64(s: &str, field: &'static str) -> Result<u64, InputError> {
    let bad = |why: &str| InputError::new(field, format!("{why}, got {:?}", quote(s)));
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
/// ([`config::challenge_from_hex`]).
pub fn parse_challenge(s: &str) -> Result<Challenge, InputError> {
    config::challenge_from_hex(s).map_err(|e| InputError::from_format("challenge", e))
}

/// Parse a pinned SHA-256 fingerprint named `field`: the full 64 lowercase
/// hex digits. The 19-character short form people compare
/// (`xxxx-xxxx-xxxx-xxxx`) is refused with `short_form_hint` (it is too short
/// to pin).
pub fn parse_sha256_pin(
    s: &str,
    field: &'static str,
    short_form_hint: &'static str,
) -> Result<[u8; 32], InputError> {
    if s.len() == 19 && s.bytes().filter(|c| *c == b'-').count() == 3 {
        return Err(InputError::new(field, short_form_hint));
    }
    config::bytes_from_hex::<32>(s, field).map_err(|e| InputError::from_format(field, e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn times_are_strict_decimal_u64() {
        assert_eq!(parse_u64("0", "now"), Ok(0));
        assert_eq!(parse_u64("1763800000", "now"), Ok(1_763_800_000));
        assert_eq!(parse_u64("18446744073709551615", "now"), Ok(u64::MAX));
        for bad in [
            "",
            "-1",
            "+1",
            " 1",
            "1 ",
            "01",
            "1e9",
            "1.5",
            "0x10",
            "18446744073709551616",
            "99999999999999999999999",
            "１",
        ] {
            let e = parse_u64(bad, "now").unwrap_err();
            assert_eq!(e.field, "now", "{bad}");
        }
    }

    #[test]
    fn refused_inputs_are_quoted_at_most_forty_characters() {
        let long = "9".repeat(1000);
        let e = parse_u64(&long, "now").unwrap_err();
        assert!(
            e.reason.contains(&format!("\"{}…\"", "9".repeat(40))),
            "{e}"
        );
        assert!(!e.reason.contains(&"9".repeat(41)), "{e}");
    }

    #[test]
    fn challenges_are_canonical_lowercase_hex() {
        let ok = "0000000000000000000000000000000000000000000000000000000c4a11e49e";
        assert!(parse_challenge(ok).is_ok());
        let p = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";
        let p_minus_1 = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000";
        assert!(parse_challenge(p_minus_1).is_ok());
        for (bad, why) in [
            (p, "modulus"),
            (&"f".repeat(64), "modulus"),
            (&ok.to_uppercase(), "lowercase"),
            (&ok[1..], "64 hex digits"),
            (&format!("{ok}0"), "64 hex digits"),
            ("", "64 hex digits"),
            (&format!("0x{}", &ok[2..]), "lowercase"),
        ] {
            let e = parse_challenge(bad).unwrap_err();
            assert!(e.reason.contains(why), "{bad}: {e}");
            assert!(e.to_string().starts_with("challenge: "), "{e}");
        }
    }

    #[test]
    fn pins_are_the_full_64_lowercase_hex_digits() {
        let pin = |s: &str| parse_sha256_pin(s, "pin", "not the short form");
        assert_eq!(pin(&"ab".repeat(32)), Ok([0xab; 32]));
        let e = pin("1a2b-3c4d-5e6f-7a8b").unwrap_err();
        assert_eq!(e, InputError::new("pin", "not the short form"));
        for bad in [
            "AB".repeat(32),
            "ab".repeat(31),
            "ab".repeat(33),
            "abc".to_owned(),
            String::new(),
        ] {
            let e = pin(&bad).unwrap_err();
            assert_eq!(e.field, "pin", "{bad:?}");
        }
    }
}
