//! Strict parsing of the caller's scalar inputs: times, challenges, operator
//! names, the pinned proving-key fingerprint. The rules and messages are the
//! shared ones of `zkstatus_verifier::input` and `zkstatus_verifier::v2`,
//! which the browser gate uses too, so a page that drives both packages sees
//! the same messages for the same mistakes.

use zkstatus_verifier::input::parse_sha256_pin;
pub use zkstatus_verifier::input::{parse_challenge, parse_u64, InputError};
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::v2::offer::ChallengeOffer;

/// Parse a pinned proving-key fingerprint: the full 64 lowercase hex digits
/// of the file's SHA-256 ([`crate::key::pk_fingerprint`]).
pub fn parse_pk_fingerprint(s: &str) -> Result<[u8; 32], InputError> {
    parse_sha256_pin(
        s,
        "pinnedFingerprint",
        "expected the full SHA-256 of the proving-key file (64 hex digits), not a short form",
    )
}

/// Parse a gate's challenge as it shows it: `ZKC2:` + base45 of the issue
/// time and the challenge (a 64-digit hex challenge is version 1, without a
/// time, and is refused as such).
pub fn parse_offer(text: &str) -> Result<ChallengeOffer, InputError> {
    ChallengeOffer::from_text(text).map_err(|e| InputError::new("challenge", e.to_string()))
}

/// Parse an operator name (one-scan scope): printable ASCII, 1 to 64 bytes,
/// no leading or trailing space.
pub fn parse_operator(name: &str) -> Result<OperatorId, InputError> {
    OperatorId::from_name(name).map_err(|e| InputError::new("operator", e.to_string()))
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

    #[test]
    fn a_version_1_challenge_is_refused_naming_its_version() {
        let e = parse_offer(&"0".repeat(64)).err();
        assert!(
            e.is_some_and(|e| e.field == "challenge" && e.reason.contains("version 1")),
            "v1"
        );
        assert!(parse_operator("metro.example").is_ok());
        assert!(parse_operator(" x").is_err_and(|e| e.field == "operator"));
    }
}
