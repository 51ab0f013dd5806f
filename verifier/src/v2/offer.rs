//! The challenge a gate shows a holder in interactive mode (statement v2):
//! the challenge and the time the gate issued it, which is the time the
//! statement is checked at (`docs/formats.md`, "Challenge, version 2").
//!
//! Text form, for a QR code or a link: [`OFFER_PREFIX`] followed by the
//! base45 encoding of 40 bytes: the issue time (`u64`, big-endian) and the
//! challenge (32 bytes, big-endian, canonical: `< p`). 65 characters, all in
//! the QR alphanumeric set.

use crate::challenge::IssuedChallenge;
use crate::config::fr_from_hex;
use crate::payload::{base45_decode, base45_encode, base45_len};
use crate::{MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME};
use ark_ff::{BigInteger, PrimeField};
use zkstatus_circuits::statement::Challenge;

/// Prefix of the text form.
pub const OFFER_PREFIX: &str = "ZKC2:";
/// Bytes of the binary form.
pub const OFFER_BYTES: usize = 8 + 32;
/// Characters of the text form.
pub const OFFER_CHARS: usize = OFFER_PREFIX.len() + base45_len(OFFER_BYTES);

/// Why a challenge text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfferError {
    /// Not `ZKC2:` (a version-1 challenge is 64 hex digits without a time).
    #[error("a challenge starts with {OFFER_PREFIX} (a 64-digit hex challenge is version 1, which carries no time)")]
    Prefix,
    /// Wrong length.
    #[error("a challenge has exactly {OFFER_CHARS} characters, got {0}")]
    Length(usize),
    /// Bad base45.
    #[error("invalid base45 at character {0}")]
    Base45(usize),
    /// The challenge is not below the field modulus.
    #[error("the challenge is not a canonical field element")]
    NonCanonical,
    /// The time is outside 2020–2100.
    #[error("implausible issue time {0}")]
    ImplausibleTime(u64),
}

/// A challenge with its issue time, as the holder receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChallengeOffer {
    /// The challenge.
    pub challenge: Challenge,
    /// When the gate issued it: the statement's `now`.
    pub issued_at: u64,
}

impl From<IssuedChallenge> for ChallengeOffer {
    fn from(c: IssuedChallenge) -> Self {
        Self {
            challenge: c.challenge,
            issued_at: c.issued_at,
        }
    }
}

impl ChallengeOffer {
    /// `ZKC2:` + base45.
    pub fn to_text(&self) -> String {
        let mut b = Vec::with_capacity(OFFER_BYTES);
        b.extend_from_slice(&self.issued_at.to_be_bytes());
        b.extend_from_slice(&self.challenge.to_field().into_bigint().to_bytes_be());
        format!("{OFFER_PREFIX}{}", base45_encode(&b))
    }

    /// Parse the text form strictly (surrounding ASCII whitespace ignored).
    pub fn from_text(text: &str) -> Result<Self, OfferError> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let body = text.strip_prefix(OFFER_PREFIX).ok_or(OfferError::Prefix)?;
        if text.len() != OFFER_CHARS {
            return Err(OfferError::Length(text.len()));
        }
        let b = base45_decode(body).map_err(|i| OfferError::Base45(i + OFFER_PREFIX.len()))?;
        let mut t = [0u8; 8];
        t.copy_from_slice(&b[..8]);
        let issued_at = u64::from_be_bytes(t);
        if !(MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&issued_at) {
            return Err(OfferError::ImplausibleTime(issued_at));
        }
        let x = fr_from_hex(&hex::encode(&b[8..]), "challenge")
            .map_err(|_| OfferError::NonCanonical)?;
        Ok(Self {
            challenge: Challenge::from_field(x),
            issued_at,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_bn254::Fr;

    #[test]
    fn the_offer_round_trips_and_refuses_damage() {
        let o = ChallengeOffer {
            challenge: Challenge::from_field(Fr::from(123_456_789u64)),
            issued_at: 1_800_000_000,
        };
        let t = o.to_text();
        assert_eq!(t.len(), OFFER_CHARS);
        assert_eq!(ChallengeOffer::from_text(&format!(" {t}\n")).unwrap(), o);
        assert_eq!(
            ChallengeOffer::from_text(&t[1..]).unwrap_err(),
            OfferError::Prefix
        );
        assert_eq!(
            ChallengeOffer::from_text(&t[..t.len() - 3]).unwrap_err(),
            OfferError::Length(OFFER_CHARS - 3)
        );
        let hex64 = "0".repeat(64);
        assert_eq!(
            ChallengeOffer::from_text(&hex64).unwrap_err(),
            OfferError::Prefix
        );
        // A challenge ≥ p.
        let mut b = 1_800_000_000u64.to_be_bytes().to_vec();
        b.extend_from_slice(&[0xff; 32]);
        let bad = format!("{OFFER_PREFIX}{}", base45_encode(&b));
        assert_eq!(
            ChallengeOffer::from_text(&bad).unwrap_err(),
            OfferError::NonCanonical
        );
    }
}
