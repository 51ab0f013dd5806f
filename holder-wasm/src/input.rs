//! Strict parsing of the caller's scalar inputs: times, the challenge, the
//! pinned proving-key fingerprint. The rules and messages are the shared ones
//! of `zkstatus_verifier::input`, which the browser verifier uses
//! too, so a page that drives both packages sees the same messages for the
//! same mistakes.

use zkstatus_verifier::input::parse_sha256_pin;
pub use zkstatus_verifier::input::{parse_challenge, parse_u64, InputError};

/// Parse a pinned proving-key fingerprint: the full 64 lowercase hex digits
/// of the file's SHA-256 ([`crate::key::pk_fingerprint`]).
pub fn parse_pk_fingerprint(s: &str) -> Result<[u8; 32], InputError> {
    parse_sha256_pin(
        s,
        "pinnedFingerprint",
        "expected the full SHA-256 of the proving-key file (64 hex digits), not a short form",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
