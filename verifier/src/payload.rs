//! What every payload version shares: the errors a decoder reports, the
//! shape of a text prefix, and base45 (RFC 9285), the text encoding for QR
//! codes (only QR alphanumeric characters).
//!
//! The payload itself is statement v2's ([`crate::v2::payload::PayloadV2`]).
//! A version-1 payload (`ZKS1:`, the issuer key in the clear) is refused
//! naming its version ([`PayloadError::NotVersion2`]).

use super::groth16::EncodingError;
use crate::v2::payload::TEXT_PREFIX_V2;

/// Why bytes or text are not a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The binary payload does not have one of the valid lengths.
    #[error("a payload has exactly {expected} bytes, got {got}")]
    WrongLength {
        /// Required length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// The proof bytes are not a valid, canonically encoded proof.
    #[error("invalid proof encoding: {0}")]
    Proof(#[from] EncodingError),
    /// The text does not start with the expected prefix.
    #[error("a text payload starts with {TEXT_PREFIX_V2}")]
    MissingPrefix,
    /// The text starts with a prefix of the same shape that is not
    /// `expected` (another case such as `zks2:`: the prefix is
    /// case-sensitive).
    #[error("wrong prefix: a text payload starts with {expected} (uppercase, this version)")]
    WrongPrefix {
        /// The prefix this verifier reads, [`TEXT_PREFIX_V2`].
        expected: &'static str,
    },
    /// The text is not valid base45.
    #[error("invalid base45 at character {0}")]
    Base45(usize),
    /// A statement-v2 decoder was given another version (a version-1
    /// payload from a holder app that has not been updated, say).
    #[error(
        "payload version {0}: this verifier reads version 2 (statement v2); the holder must update"
    )]
    NotVersion2(u8),
    /// The v2 mode byte is neither 0 (interactive) nor 1 (one-scan).
    #[error("unknown presentation mode {0} (0 is interactive, 1 is one-scan)")]
    UnknownMode(u8),
    /// A one-scan payload's time is not a window start.
    #[error("one-scan time {0} is not the start of a 60-second window")]
    MisalignedWindow(u64),
    /// A one-scan payload's nullifier is not below the field modulus.
    #[error("the nullifier is not a canonical field element (it must be below the field modulus)")]
    NonCanonicalNullifier,
}

impl PayloadError {
    /// A stable, machine-readable code (kebab-case), the same in the CLI's
    /// JSON output and the browser verifier's verdicts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongLength { .. } => "wrong-length",
            Self::Proof(_) => "invalid-proof-encoding",
            Self::MissingPrefix => "missing-prefix",
            Self::WrongPrefix { .. } => "wrong-prefix",
            Self::Base45(_) => "invalid-base45",
            Self::NotVersion2(_) => "unsupported-version",
            Self::UnknownMode(_) => "unknown-mode",
            Self::MisalignedWindow(_) => "misaligned-window",
            Self::NonCanonicalNullifier => "non-canonical-nullifier",
        }
    }
}

/// Whether `bytes` start like a text payload: `zks`, in any case, then one
/// to three digits and `:` (`ZKS2:`, `zks2:`, `ZKS1:`), which a decoder
/// names as a wrong prefix or version rather than as missing.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    let Some(head) = bytes.get(..3) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(b"zks") {
        return false;
    }
    let digits = bytes[3..]
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .count();
    (1..=3).contains(&digits) && bytes.get(3 + digits) == Some(&b':')
}

// base45 stays hand-written (checked 2026-12 against the `base45` crate,
// 3.2.0): that crate rejects triples above 65535, characters outside the
// alphabet and lengths of 3k + 1, but it silently truncates a final pair
// above 255 ("ZZ" = 1610 decodes to [74]): of the 2025 two-character
// strings it accepts 1769 that are not the encoding of their result.
// Statement v2's bodies (146 and 178 bytes) are even, so their texts end in
// full triples and a 3k + 2 text decodes to an odd length that the length
// check refuses; but the decoder is public and must be strict on its own.
// A re-encode-and-compare check would make the crate strict, but its error
// is a unit `DecodeError`, and
// `PayloadError::Base45` reports the offending character's index (pinned by
// tests/payload_v2_decoding.rs); the ~40 lines below decode strictly and give
// the index in one pass, with no dependency.
const BASE45_ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Characters needed to base45-encode `n` bytes.
pub const fn base45_len(n: usize) -> usize {
    n / 2 * 3 + (n % 2) * 2
}

/// RFC 9285 base45: each pair of bytes `[a, b]` as `n = 256a + b` written
/// `c + 45d + 45²e` → `c d e`; a final single byte as two characters.
pub fn base45_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(base45_len(bytes.len()));
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match chunk {
            [a, b] => (usize::from(*a) * 256 + usize::from(*b), 3),
            [a] => (usize::from(*a), 2),
            _ => (0, 0),
        };
        for _ in 0..digits {
            out.push(char::from(BASE45_ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}

/// Strict base45 decoding; the error is the index of the offending character.
pub fn base45_decode(text: &str) -> Result<Vec<u8>, usize> {
    let digits: Vec<usize> = text
        .bytes()
        .enumerate()
        .map(|(i, c)| BASE45_ALPHABET.iter().position(|a| *a == c).ok_or(i))
        .collect::<Result<_, _>>()?;
    if digits.len() % 3 == 1 {
        return Err(digits.len() - 1);
    }
    let mut out = Vec::with_capacity(digits.len() / 3 * 2 + 1);
    for (k, chunk) in digits.chunks(3).enumerate() {
        let i = k * 3;
        match chunk {
            [c, d, e] => {
                let n = c + 45 * d + 45 * 45 * e;
                if n > 0xffff {
                    return Err(i + 2);
                }
                out.push((n >> 8) as u8);
                out.push((n & 0xff) as u8);
            }
            [c, d] => {
                let n = c + 45 * d;
                if n > 0xff {
                    return Err(i + 1);
                }
                out.push(n as u8);
            }
            _ => return Err(i),
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base45_matches_rfc_9285_examples() {
        assert_eq!(base45_encode(b"AB"), "BB8");
        assert_eq!(base45_encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(base45_encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(base45_decode("QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(base45_decode("").unwrap(), b"");
    }

    #[test]
    fn base45_rejects_bad_characters_lengths_and_overflow() {
        assert_eq!(base45_decode("GGW"), Err(2)); // 65535 + 1 > 0xffff
        assert_eq!(base45_decode("A"), Err(0));
        assert_eq!(base45_decode("BB8a"), Err(3)); // lowercase
        assert_eq!(base45_decode("ZZ"), Err(1)); // 35 + 45·35 > 0xff
        for n in 0..300usize {
            let v: Vec<u8> = (0..n).map(|i| (i * 7 + n) as u8).collect();
            assert_eq!(base45_decode(&base45_encode(&v)).unwrap(), v);
        }
    }

    /// Boundaries: the largest pair and triple decode; one above does not.
    #[test]
    fn base45_accepts_the_largest_values_and_refuses_one_above() {
        assert_eq!(base45_decode("FGW").unwrap(), [0xff, 0xff]); // 65535
        assert_eq!(base45_decode("GGW"), Err(2)); // 65536
        assert_eq!(base45_decode(":::"), Err(2)); // 91124, the largest triple
        assert_eq!(base45_decode("U5").unwrap(), [0xff]); // 255
        assert_eq!(base45_decode("V5"), Err(1)); // 256
        assert_eq!(base45_decode("::"), Err(1)); // 2024, the largest pair

        // The overflow is found in the group it is in, not only the first.
        assert_eq!(base45_decode("BB8GGW"), Err(5));
        assert_eq!(base45_decode("BB8V5"), Err(4));
    }

    /// Lengths of 3k + 1 and characters outside the alphabet (other case,
    /// whitespace, non-ASCII) are refused at the right index.
    #[test]
    fn base45_rejects_every_wrong_length_and_foreign_character() {
        for k in 0..5 {
            let text = "BB8".repeat(k) + "0";
            assert_eq!(base45_decode(&text), Err(3 * k), "{text:?}");
        }
        for (text, at) in [
            ("bb8", 0),
            ("BB\n", 2),
            ("BB\t", 2),
            ("BB=", 2),
            ("B\u{e9}", 1),     // two UTF-8 bytes, the first one is reported
            ("\u{ff11}BB8", 0), // fullwidth digit one
        ] {
            assert_eq!(base45_decode(text), Err(at), "{text:?}");
        }
    }

    /// Exhaustive over one group: a pair or triple of alphabet characters
    /// decodes exactly when it is the canonical encoding of its result, so
    /// every byte string has exactly one accepted text.
    #[test]
    fn base45_accepts_only_canonical_groups() {
        let mut pairs = 0;
        let mut triples = 0;
        for &a in BASE45_ALPHABET {
            for &b in BASE45_ALPHABET {
                let pair = String::from_utf8(vec![a, b]).unwrap();
                if let Ok(bytes) = base45_decode(&pair) {
                    assert_eq!(base45_encode(&bytes), pair);
                    pairs += 1;
                }
                for &c in BASE45_ALPHABET {
                    let triple = String::from_utf8(vec![a, b, c]).unwrap();
                    if let Ok(bytes) = base45_decode(&triple) {
                        assert_eq!(base45_encode(&bytes), triple);
                        triples += 1;
                    }
                }
            }
        }
        assert_eq!((pairs, triples), (256, 65536));
    }
}
