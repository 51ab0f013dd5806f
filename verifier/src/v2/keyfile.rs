//! The version-2 verifying-key file (statement v2), and the QAP-reduction
//! field that the proving-key file shares (`docs/formats.md`, "Key files,
//! version 2").
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 4 | magic `ZKVK` |
//! | 4 | 1 | file version, [`VK2_FILE_VERSION`] = 2 |
//! | 5 | 1 | QAP reduction, [`QapReduction`] |
//! | 6 | 32 | circuit fingerprint, [`CIRCUIT_FINGERPRINT_V2`] |
//! | 38 | [`VK2_BYTES`] | the key body: `α₁, β₂, γ₂, δ₂, γ_abc[0..11]`, compressed |
//!
//! A verifying key does not depend on the reduction (both give the same
//! pairing equation); the field records where the key came from, and the
//! proving-key file carries the same byte, where it decides how the prover
//! computes `h`.

use crate::groth16::{self, VerifyingKeyV2, VK2_BYTES};
use crate::KeyFileError;
use sha2::{Digest, Sha256};

/// Statement v2's fingerprint: SHA-256 of its constraint matrices
/// (`statement::v2::constraints::matrix_hash`, pinned by
/// `circuits/tests/statement_v2.rs`; `prover/tests/keys.rs` recomputes it).
pub const CIRCUIT_FINGERPRINT_V2: [u8; 32] = [
    0x57, 0x4a, 0x34, 0x79, 0xf9, 0x6e, 0x4b, 0x85, 0x61, 0x8e, 0x92, 0xa5, 0x7e, 0x59, 0x03, 0x80,
    0xbe, 0xbc, 0xf3, 0x8e, 0x7e, 0xe2, 0x27, 0x7a, 0x3e, 0xa4, 0xca, 0x36, 0x7c, 0x27, 0x92, 0x58,
];

/// Version of the verifying-key file that holds a statement-v2 key.
pub const VK2_FILE_VERSION: u8 = 2;
/// Bytes before the key body.
pub const VK2_HEADER_BYTES: usize = 4 + 1 + 1 + 32;
/// Length of a version-2 verifying-key file.
pub const VK2_FILE_BYTES: usize = VK2_HEADER_BYTES + VK2_BYTES;

/// How the prover maps the R1CS witness to the QAP quotient `h`: the two
/// Groth16 conventions in use. Keys made for one do not prove with the
/// other (the proving key's `h` query differs), so the key files name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QapReduction {
    /// ark-groth16's default `LibsnarkReduction`: `h` is the quotient's
    /// coefficients, `h_query[i] = τ^i·Z(τ)/δ` (`n − 1` points). No key
    /// the project makes is for it any more; the prover refuses it.
    Libsnark,
    /// snarkjs's reduction (ark-circom's `CircomReduction`; the prover's
    /// `zkstatus_prover::qap`): `h` is `A·B − C` evaluated on the odd roots
    /// of the doubled domain, `h_query[i] = L_{2i+1}(τ)/δ` (`n` points), as
    /// in a snarkjs `.zkey`. What `zkstatus setup` makes and a ceremony's
    /// key is for (issue [4/7]): the one reduction the prover computes.
    Snarkjs,
}

impl QapReduction {
    /// The byte in the key files.
    pub fn to_byte(self) -> u8 {
        match self {
            Self::Libsnark => 1,
            Self::Snarkjs => 2,
        }
    }

    /// Read the byte; 0 and unknown values are refused.
    pub fn from_byte(b: u8) -> Option<Self> {
        match b {
            1 => Some(Self::Libsnark),
            2 => Some(Self::Snarkjs),
            _ => None,
        }
    }

    /// A name for people (`zkstatus inspect`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Libsnark => "libsnark (ark-groth16)",
            Self::Snarkjs => "snarkjs (circom)",
        }
    }
}

/// A statement-v2 verifying key as a file.
pub fn vk2_to_file(vk: &VerifyingKeyV2, qap: QapReduction) -> Vec<u8> {
    let mut out = Vec::with_capacity(VK2_FILE_BYTES);
    out.extend_from_slice(&crate::VK_FILE_MAGIC);
    out.push(VK2_FILE_VERSION);
    out.push(qap.to_byte());
    out.extend_from_slice(&CIRCUIT_FINGERPRINT_V2);
    out.extend_from_slice(&vk.to_bytes());
    out
}

/// Magic, length, version (a version-1 file is named as such), reduction
/// and circuit: no point is parsed.
fn check_header(bytes: &[u8]) -> Result<QapReduction, KeyFileError> {
    if bytes.len() >= 4 && bytes[..4] != crate::VK_FILE_MAGIC {
        return Err(KeyFileError::BadMagic);
    }
    if bytes.len() >= 5 && bytes[4] != VK2_FILE_VERSION {
        return Err(KeyFileError::NotVersion2(bytes[4]));
    }
    if bytes.len() != VK2_FILE_BYTES {
        return Err(KeyFileError::WrongLength {
            expected: VK2_FILE_BYTES,
            got: bytes.len(),
        });
    }
    let qap = QapReduction::from_byte(bytes[5]).ok_or(KeyFileError::UnknownReduction(bytes[5]))?;
    if bytes[6..38] != CIRCUIT_FINGERPRINT_V2 {
        let mut found = [0u8; 32];
        found.copy_from_slice(&bytes[6..38]);
        let (found, expected) = groth16::distinct_fingerprints(&found, &CIRCUIT_FINGERPRINT_V2);
        return Err(KeyFileError::WrongCircuit { found, expected });
    }
    Ok(qap)
}

/// Decode a version-2 verifying-key file: header first, then every point
/// validated.
pub fn vk2_from_file(bytes: &[u8]) -> Result<(VerifyingKeyV2, QapReduction), KeyFileError> {
    let qap = check_header(bytes)?;
    Ok((VerifyingKeyV2::from_bytes(&bytes[VK2_HEADER_BYTES..])?, qap))
}

/// [`vk2_from_file`] for a file whose key fingerprint (SHA-256 of the body)
/// must be `pin`, checked before any point is parsed (docs/security.md,
/// item 58).
pub fn vk2_from_pinned_file(
    bytes: &[u8],
    pin: &[u8; 32],
) -> Result<(VerifyingKeyV2, QapReduction), KeyFileError> {
    let qap = check_header(bytes)?;
    let found: [u8; 32] = Sha256::digest(&bytes[VK2_HEADER_BYTES..]).into();
    if &found != pin {
        return Err(KeyFileError::NotPinned {
            found: hex::encode(found),
        });
    }
    Ok((VerifyingKeyV2::from_bytes(&bytes[VK2_HEADER_BYTES..])?, qap))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn header(version: u8, qap: u8) -> Vec<u8> {
        let mut f = vec![0u8; VK2_FILE_BYTES];
        f[..4].copy_from_slice(b"ZKVK");
        f[4] = version;
        f[5] = qap;
        f[6..38].copy_from_slice(&CIRCUIT_FINGERPRINT_V2);
        f
    }

    /// Statement v1's circuit fingerprint (its matrix hash), as version-1
    /// key files carry it.
    const V1_FINGERPRINT: [u8; 32] = [
        0xa9, 0x69, 0xdb, 0x89, 0x65, 0x93, 0x07, 0x5b, 0xfc, 0x3a, 0x93, 0x66, 0x2a, 0x64, 0xa8,
        0x38, 0x53, 0x0c, 0x3a, 0x4f, 0x27, 0xd1, 0xb8, 0xdc, 0x97, 0xbb, 0xc0, 0xfd, 0x47, 0x4d,
        0x1a, 0x7a,
    ];
    /// A version-1 key file's length: magic, version, fingerprint, and a key
    /// with 9 input bases.
    const V1_FILE_BYTES: usize = 4 + 1 + 32 + groth16::vk_bytes(9);

    #[test]
    fn a_version_1_file_is_refused_naming_its_version() {
        let mut f = vec![0u8; V1_FILE_BYTES];
        f[..4].copy_from_slice(b"ZKVK");
        f[4] = 1;
        f[5..37].copy_from_slice(&V1_FINGERPRINT);
        let e = vk2_from_file(&f).unwrap_err();
        assert_eq!(e, KeyFileError::NotVersion2(1));
        assert!(e.to_string().contains("version 1"), "{e}");
        assert!(e.to_string().contains("reads version 2"), "{e}");
    }

    #[test]
    fn an_unknown_reduction_byte_is_refused_before_any_point() {
        for b in [0u8, 3, 255] {
            assert_eq!(
                vk2_from_file(&header(2, b)).unwrap_err(),
                KeyFileError::UnknownReduction(b)
            );
        }
        // Known bytes get past the header (to the all-zero points).
        for b in [1u8, 2] {
            assert!(matches!(
                vk2_from_file(&header(2, b)).unwrap_err(),
                KeyFileError::Key(_)
            ));
        }
    }

    #[test]
    fn the_reduction_byte_round_trips() {
        for q in [QapReduction::Libsnark, QapReduction::Snarkjs] {
            assert_eq!(QapReduction::from_byte(q.to_byte()), Some(q));
        }
    }

    #[test]
    fn a_v1_circuit_fingerprint_in_a_version_2_file_is_refused() {
        let mut f = header(2, 1);
        f[6..38].copy_from_slice(&V1_FINGERPRINT);
        assert!(matches!(
            vk2_from_file(&f).unwrap_err(),
            KeyFileError::WrongCircuit { .. }
        ));
    }

    /// Finding F-7: two fingerprints equal in their first 8 bytes (the short
    /// form) are shown with enough digits to differ.
    #[test]
    fn f7_fingerprints_equal_in_the_short_form_are_shown_different() {
        let a = CIRCUIT_FINGERPRINT_V2;
        let mut b = a;
        b[20] ^= 1;
        assert_eq!(
            groth16::short_fingerprint(&a),
            groth16::short_fingerprint(&b)
        );
        let (x, y) = groth16::distinct_fingerprints(&b, &a);
        assert_ne!(x, y);
        assert_eq!(x.len(), 11 * 5 - 1, "11 groups up to byte 21: {x}");
        assert!(x.starts_with(&groth16::short_fingerprint(&b)));
        // The last byte differs: all 64 digits.
        let mut c = a;
        c[31] ^= 1;
        let (x, y) = groth16::distinct_fingerprints(&c, &a);
        assert_eq!(x.replace('-', "").len(), 64);
        assert_ne!(x, y);
        // A difference in the short form keeps it short.
        let mut d = a;
        d[0] ^= 1;
        let (x, _) = groth16::distinct_fingerprints(&d, &a);
        assert_eq!(x, groth16::short_fingerprint(&d));

        // Through a verifying-key file: the message's two values differ.
        let mut file = header(2, 1);
        file[6..38].copy_from_slice(&b);
        let Err(KeyFileError::WrongCircuit { found, expected }) = vk2_from_file(&file) else {
            panic!("expected a wrong-circuit error");
        };
        assert_ne!(found, expected);
        let msg = KeyFileError::WrongCircuit {
            found: found.clone(),
            expected: expected.clone(),
        }
        .to_string();
        assert!(msg.contains(&found) && msg.contains(&expected), "{msg}");
    }
}
