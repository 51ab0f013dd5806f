//! The statement-v2 payload: what the holder shows the gate.
//!
//! Binary form, [`INTERACTIVE_BYTES`] = 146 or [`ONE_SCAN_BYTES`] = 178
//! bytes (`docs/formats.md`, "Payload, version 2"):
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 1 | version, [`PAYLOAD_V2_VERSION`] = 2 |
//! | 1 | 1 | mode: 0 interactive, 1 one-scan |
//! | 2 | 8 | registry epoch, big-endian: names the root, which the gate looks up |
//! | 10 | 8 | `now`, big-endian: the challenge's issue time (interactive) or the window's start (one-scan, a multiple of 60) |
//! | 18 | 128 | Groth16 proof `A ‖ B ‖ C`, compressed |
//! | 146 | 32 | one-scan only: the nullifier, big-endian, canonical (`< p`) |
//!
//! Nothing names the issuer. The gate supplies the root (from the epoch),
//! the challenge (interactive, found by its issue time), the scope
//! (one-scan, from its operator and the window) and the policy. The text
//! form for QR codes is [`TEXT_PREFIX_V2`] and base45 (RFC 9285).

use crate::config::fr_from_hex;
use crate::groth16::{Proof, PROOF_BYTES};
use crate::onescan::WINDOW_SECS;
use crate::payload::{base45_decode, base45_encode, base45_len, PayloadError};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use zkstatus_circuits::statement::v2::Nullifier;

/// The payload format version of statement v2.
pub const PAYLOAD_V2_VERSION: u8 = 2;
/// Bytes before the proof.
const HEAD: usize = 1 + 1 + 8 + 8;
/// Length of an interactive payload.
pub const INTERACTIVE_BYTES: usize = HEAD + PROOF_BYTES;
/// Length of a one-scan payload.
pub const ONE_SCAN_BYTES: usize = INTERACTIVE_BYTES + 32;
/// Prefix of the text form.
pub const TEXT_PREFIX_V2: &str = "ZKS2:";
/// Longest text form (one-scan).
pub const MAX_TEXT_CHARS: usize = TEXT_PREFIX_V2.len() + base45_len(ONE_SCAN_BYTES);

/// How the payload was presented, with the mode's own field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresentedMode {
    /// Two scans: `now` is the gate's challenge issue time.
    Interactive,
    /// One scan: `now` is the window's start.
    OneScan {
        /// The holder's nullifier in the gate's scope for that window.
        nullifier: Nullifier,
    },
}

impl PresentedMode {
    /// `"interactive"` or `"one-scan"`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Interactive => "interactive",
            Self::OneScan { .. } => "one-scan",
        }
    }
}

/// A decoded version-2 payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadV2 {
    /// The registry epoch whose root the proof is for.
    pub epoch: u64,
    /// The statement's time (fixed by the gate, never the holder's choice).
    pub now: u64,
    /// Interactive or one-scan.
    pub mode: PresentedMode,
    /// The proof.
    pub proof: Proof,
}

fn nullifier_from_be(bytes: &[u8]) -> Result<Nullifier, PayloadError> {
    // The shared canonical parser: values ≥ p are refused, never reduced.
    fr_from_hex(&hex::encode(bytes), "nullifier")
        .map(Nullifier::from_field)
        .map_err(|_| PayloadError::NonCanonicalNullifier)
}

fn fr_to_be(x: &Fr) -> Vec<u8> {
    x.into_bigint().to_bytes_be()
}

impl PayloadV2 {
    /// The binary form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(ONE_SCAN_BYTES);
        out.push(PAYLOAD_V2_VERSION);
        out.push(match self.mode {
            PresentedMode::Interactive => 0,
            PresentedMode::OneScan { .. } => 1,
        });
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out.extend_from_slice(&self.now.to_be_bytes());
        out.extend_from_slice(&self.proof.to_bytes());
        if let PresentedMode::OneScan { nullifier } = self.mode {
            out.extend_from_slice(&fr_to_be(&nullifier.to_field()));
        }
        out
    }

    /// Decode the binary form: version first (a version-1 payload is named
    /// as such), then the mode, the exact length for that mode (before any
    /// curve arithmetic), an aligned window, a canonical nullifier, a valid
    /// canonical proof.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PayloadError> {
        let Some(&version) = bytes.first() else {
            return Err(PayloadError::WrongLength {
                expected: INTERACTIVE_BYTES,
                got: 0,
            });
        };
        if version != PAYLOAD_V2_VERSION {
            return Err(PayloadError::NotVersion2(version));
        }
        let mode = *bytes.get(1).ok_or(PayloadError::WrongLength {
            expected: INTERACTIVE_BYTES,
            got: bytes.len(),
        })?;
        let expected = match mode {
            0 => INTERACTIVE_BYTES,
            1 => ONE_SCAN_BYTES,
            m => return Err(PayloadError::UnknownMode(m)),
        };
        if bytes.len() != expected {
            return Err(PayloadError::WrongLength {
                expected,
                got: bytes.len(),
            });
        }
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[2..10]);
        let epoch = u64::from_be_bytes(word);
        word.copy_from_slice(&bytes[10..18]);
        let now = u64::from_be_bytes(word);
        let mode = if mode == 1 {
            if !now.is_multiple_of(WINDOW_SECS) {
                return Err(PayloadError::MisalignedWindow(now));
            }
            PresentedMode::OneScan {
                nullifier: nullifier_from_be(&bytes[INTERACTIVE_BYTES..])?,
            }
        } else {
            PresentedMode::Interactive
        };
        let proof = Proof::from_bytes(&bytes[HEAD..INTERACTIVE_BYTES])?;
        Ok(Self {
            epoch,
            now,
            mode,
            proof,
        })
    }

    /// The text form, `ZKS2:` + base45.
    pub fn to_text(&self) -> String {
        format!("{TEXT_PREFIX_V2}{}", base45_encode(&self.to_bytes()))
    }

    /// Decode the text form. Surrounding ASCII whitespace is ignored; the
    /// prefix and the base45 body are otherwise exact. Text longer than the
    /// longest valid form is refused before decoding; a `ZKS1:` payload is
    /// named as version 1.
    pub fn from_text(text: &str) -> Result<Self, PayloadError> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let body = match text.strip_prefix(TEXT_PREFIX_V2) {
            Some(body) => body,
            None => {
                return Err(match text.get(..5) {
                    Some(p) if p.starts_with("ZKS") && p.ends_with(':') => {
                        match p[3..4].parse::<u8>() {
                            Ok(v) => PayloadError::NotVersion2(v),
                            Err(_) => PayloadError::WrongPrefix {
                                expected: TEXT_PREFIX_V2,
                            },
                        }
                    }
                    _ if crate::payload::looks_like_text(text.as_bytes()) => {
                        PayloadError::WrongPrefix {
                            expected: TEXT_PREFIX_V2,
                        }
                    }
                    _ => PayloadError::MissingPrefix,
                })
            }
        };
        let valid = [base45_len(INTERACTIVE_BYTES), base45_len(ONE_SCAN_BYTES)];
        if !valid.contains(&body.len()) {
            return Err(PayloadError::WrongLength {
                expected: if body.len() < valid[1] {
                    INTERACTIVE_BYTES
                } else {
                    ONE_SCAN_BYTES
                },
                got: body.len() / 3 * 2 + (body.len() % 3).saturating_sub(1),
            });
        }
        let bytes =
            base45_decode(body).map_err(|i| PayloadError::Base45(i + TEXT_PREFIX_V2.len()))?;
        Self::from_bytes(&bytes)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn payloads_fit_in_200_bytes() {
        assert_eq!(INTERACTIVE_BYTES, 146);
        assert_eq!(ONE_SCAN_BYTES, 178);
        assert_eq!(MAX_TEXT_CHARS, 5 + 267);
    }

    #[test]
    fn a_version_1_payload_is_refused_naming_its_version() {
        // Version 1's length: version, proof, time, packed issuer key.
        let mut v1 = vec![0u8; 1 + PROOF_BYTES + 8 + 32];
        v1[0] = 1;
        let e = PayloadV2::from_bytes(&v1).unwrap_err();
        assert_eq!(e, PayloadError::NotVersion2(1));
        assert!(e.to_string().contains("version 1"), "{e}");
        let text = format!("ZKS1:{}", base45_encode(&v1));
        assert_eq!(
            PayloadV2::from_text(&text).unwrap_err(),
            PayloadError::NotVersion2(1)
        );
        assert_eq!(
            PayloadV2::from_text("zks2:AAAA").unwrap_err(),
            PayloadError::WrongPrefix {
                expected: TEXT_PREFIX_V2
            }
        );
        assert_eq!(
            PayloadV2::from_text("hello").unwrap_err(),
            PayloadError::MissingPrefix
        );
    }

    #[test]
    fn unknown_modes_and_wrong_lengths_are_refused_before_the_proof() {
        let mut p = vec![0u8; ONE_SCAN_BYTES];
        p[0] = 2;
        p[1] = 2;
        assert_eq!(
            PayloadV2::from_bytes(&p).unwrap_err(),
            PayloadError::UnknownMode(2)
        );
        p[1] = 0; // interactive with a one-scan length
        assert_eq!(
            PayloadV2::from_bytes(&p).unwrap_err(),
            PayloadError::WrongLength {
                expected: INTERACTIVE_BYTES,
                got: ONE_SCAN_BYTES
            }
        );
        p[1] = 1;
        p[17] = 1; // now = 1: not a window start
        assert_eq!(
            PayloadV2::from_bytes(&p).unwrap_err(),
            PayloadError::MisalignedWindow(1)
        );
        p[17] = 60;
        p[INTERACTIVE_BYTES..].fill(0xff); // nullifier ≥ p
        assert_eq!(
            PayloadV2::from_bytes(&p).unwrap_err(),
            PayloadError::NonCanonicalNullifier
        );
        assert!(PayloadV2::from_bytes(&[]).is_err());
        assert!(PayloadV2::from_bytes(&[2]).is_err());
    }
}
