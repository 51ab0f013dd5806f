//! The byte formats of a helper task and a helper part (between the two
//! workers of one page; never sent off the device; docs/formats.md).
//!
//! Little-endian; all lengths exact:
//!
//! - task: `ZKHT`, version `1`, share byte, the key file's SHA-256 (32
//!   bytes), `n` (`u32`), then `n` scalars of 32 bytes, each canonical
//!   (`< r`); `n` must be the key's assignment length.
//! - part: `ZKHP`, version `1`, share byte, the task's SHA-256 (32 bytes),
//!   then one compressed point per MSM of the share, in the order `A` (G1,
//!   32 bytes), `B` in G1 (32), `B` in G2 (64), `L` (32); each on its curve,
//!   in the prime-order subgroup and canonically encoded.
//!
//! Decoding errors name positions and sizes, never the content (it is
//! derived from the witness).

use super::{DecodeError, Msm, Share, SplitError};
use crate::groth16::BigInt;
use crate::keys::MAX_QUERY_POINTS;
use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ff::{BigInteger, PrimeField};
use ark_serialize::CanonicalSerialize;
use sha2::{Digest, Sha256};
use zkstatus_verifier::groth16::{decode_g2, decode_point, short_fingerprint};

/// Magic bytes of a helper task.
pub const TASK_MAGIC: [u8; 4] = *b"ZKHT";
/// Version of the helper-task encoding.
pub const TASK_VERSION: u8 = 1;
/// Magic bytes of a helper part.
pub const PART_MAGIC: [u8; 4] = *b"ZKHP";
/// Version of the helper-part encoding.
pub const PART_VERSION: u8 = 1;
/// Bytes of one scalar in a task.
pub const SCALAR_BYTES: usize = 32;
const TASK_HEADER_BYTES: usize = 4 + 1 + 1 + 32 + 4;
const PART_HEADER_BYTES: usize = 4 + 1 + 1 + 32;

/// What the helper needs: the assignment (witness-derived: secret), the
/// share and the key it was made for.
#[derive(Clone, PartialEq, Eq)]
pub struct HelperTask {
    pub(super) share: Share,
    pub(super) key_fingerprint: [u8; 32],
    pub(super) assignment: Vec<BigInt>,
    /// SHA-256 of the encoding.
    pub(super) digest: [u8; 32],
}

impl core::fmt::Debug for HelperTask {
    /// The share, the key and the size; never the scalars.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HelperTask")
            .field("share", &self.share)
            .field("key", &short_fingerprint(&self.key_fingerprint))
            .field("scalars", &self.assignment.len())
            .finish_non_exhaustive()
    }
}

impl HelperTask {
    pub(super) fn new(share: Share, key_fingerprint: [u8; 32], assignment: Vec<BigInt>) -> Self {
        let mut task = Self {
            share,
            key_fingerprint,
            assignment,
            digest: [0; 32],
        };
        task.digest = Sha256::digest(task.to_bytes()).into();
        task
    }

    /// The encoding (`split/encoding.rs`, docs/formats.md).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(TASK_HEADER_BYTES + SCALAR_BYTES * self.assignment.len());
        out.extend_from_slice(&TASK_MAGIC);
        out.push(TASK_VERSION);
        out.push(self.share.bits());
        out.extend_from_slice(&self.key_fingerprint);
        // At most MAX_QUERY_POINTS scalars (the key's shape), so this fits.
        out.extend_from_slice(&(self.assignment.len() as u32).to_le_bytes());
        for s in &self.assignment {
            out.extend_from_slice(&s.to_bytes_le());
        }
        out
    }

    /// Decode a task: magic, version, share, count (capped), exact length,
    /// every scalar canonical. Whether its size fits the key is checked by
    /// [`HelperKey::compute`](super::HelperKey::compute).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SplitError> {
        let err = SplitError::Task;
        if bytes.len() < TASK_HEADER_BYTES {
            return Err(err(DecodeError::Length {
                expected: TASK_HEADER_BYTES,
                got: bytes.len(),
            }));
        }
        if bytes[..4] != TASK_MAGIC {
            return Err(err(DecodeError::Magic));
        }
        if bytes[4] != TASK_VERSION {
            return Err(err(DecodeError::Version(bytes[4], TASK_VERSION)));
        }
        let share = Share::from_bits(bytes[5]).ok_or(err(DecodeError::Share(bytes[5])))?;
        let mut key_fingerprint = [0u8; 32];
        key_fingerprint.copy_from_slice(&bytes[6..38]);
        let mut n = [0u8; 4];
        n.copy_from_slice(&bytes[38..42]);
        let n = u32::from_le_bytes(n);
        if n > MAX_QUERY_POINTS {
            return Err(err(DecodeError::TooManyScalars(n)));
        }
        let expected = TASK_HEADER_BYTES + SCALAR_BYTES * n as usize;
        if bytes.len() != expected {
            return Err(err(DecodeError::Length {
                expected,
                got: bytes.len(),
            }));
        }
        let assignment = bytes[TASK_HEADER_BYTES..]
            .chunks_exact(SCALAR_BYTES)
            .enumerate()
            .map(|(i, c)| scalar(c).ok_or(err(DecodeError::NonCanonicalScalar(i))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            share,
            key_fingerprint,
            assignment,
            digest: Sha256::digest(bytes).into(),
        })
    }

    /// What the helper is to compute.
    pub fn share(&self) -> Share {
        self.share
    }
}

/// Bytes of a part for `share`: the header and one point per MSM.
fn part_len(share: Share) -> usize {
    PART_HEADER_BYTES + share.msms().map(Msm::point_bytes).sum::<usize>()
}

/// A canonical scalar (`< r`) from 32 little-endian bytes.
fn scalar(bytes: &[u8]) -> Option<BigInt> {
    let mut limbs = [0u64; 4];
    for (limb, c) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        *limb = u64::from_le_bytes(b);
    }
    let s = BigInt::new(limbs);
    Fr::from_bigint(s).map(|_| s)
}

/// The helper's answer: one point per MSM of its share (witness-derived:
/// secret), bound to its task.
#[derive(Clone, PartialEq, Eq)]
pub struct HelperPart {
    pub(super) share: Share,
    pub(super) task_digest: [u8; 32],
    pub(super) a: Option<G1Affine>,
    pub(super) b_g1: Option<G1Affine>,
    pub(super) b_g2: Option<G2Affine>,
    pub(super) l: Option<G1Affine>,
}

impl core::fmt::Debug for HelperPart {
    /// The share only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HelperPart")
            .field("share", &self.share)
            .finish_non_exhaustive()
    }
}

impl HelperPart {
    /// The encoding (`split/encoding.rs`, docs/formats.md).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(part_len(self.share));
        out.extend_from_slice(&PART_MAGIC);
        out.push(PART_VERSION);
        out.push(self.share.bits());
        out.extend_from_slice(&self.task_digest);
        // Writing into a Vec cannot fail.
        for p in [self.a, self.b_g1].into_iter().flatten() {
            let _ = p.serialize_compressed(&mut out);
        }
        if let Some(p) = self.b_g2 {
            let _ = p.serialize_compressed(&mut out);
        }
        if let Some(p) = self.l {
            let _ = p.serialize_compressed(&mut out);
        }
        out
    }

    /// Decode a part: magic, version, share, exact length for the share,
    /// every point validated (on its curve, in the prime-order subgroup,
    /// canonically encoded).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SplitError> {
        let err = SplitError::Part;
        if bytes.len() < PART_HEADER_BYTES {
            return Err(err(DecodeError::Length {
                expected: PART_HEADER_BYTES,
                got: bytes.len(),
            }));
        }
        if bytes[..4] != PART_MAGIC {
            return Err(err(DecodeError::Magic));
        }
        if bytes[4] != PART_VERSION {
            return Err(err(DecodeError::Version(bytes[4], PART_VERSION)));
        }
        let share = Share::from_bits(bytes[5]).ok_or(err(DecodeError::Share(bytes[5])))?;
        if bytes.len() != part_len(share) {
            return Err(err(DecodeError::Length {
                expected: part_len(share),
                got: bytes.len(),
            }));
        }
        let mut task_digest = [0u8; 32];
        task_digest.copy_from_slice(&bytes[6..38]);
        let mut part = Self {
            share,
            task_digest,
            a: None,
            b_g1: None,
            b_g2: None,
            l: None,
        };
        let mut at = PART_HEADER_BYTES;
        for m in share.msms() {
            let chunk = &bytes[at..at + m.point_bytes()];
            at += m.point_bytes();
            let bad = |_| err(DecodeError::InvalidPoint(m.name()));
            match m {
                Msm::A => part.a = Some(decode_point(chunk, m.name()).map_err(bad)?),
                Msm::BG1 => part.b_g1 = Some(decode_point(chunk, m.name()).map_err(bad)?),
                Msm::BG2 => part.b_g2 = Some(decode_g2(chunk, m.name()).map_err(bad)?),
                Msm::L => part.l = Some(decode_point(chunk, m.name()).map_err(bad)?),
            }
        }
        Ok(part)
    }

    /// What the helper computed.
    pub fn share(&self) -> Share {
        self.share
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use zkstatus_verifier::groth16::{G1_BYTES, G2_BYTES};

    #[test]
    fn a_part_holds_one_point_per_msm_of_its_share() {
        assert_eq!(
            part_len(Share::DEFAULT),
            PART_HEADER_BYTES + G1_BYTES + G2_BYTES + G1_BYTES
        );
    }

    #[test]
    fn scalars_decode_only_below_r() {
        let r = Fr::MODULUS;
        assert_eq!(scalar(&r.to_bytes_le()), None);
        assert_eq!(scalar(&[0xff; 32]), None);
        let mut r_minus_1 = r;
        r_minus_1.sub_with_borrow(&BigInt::from(1u64));
        assert_eq!(scalar(&r_minus_1.to_bytes_le()), Some(r_minus_1));
        assert_eq!(scalar(&[0; 32]), Some(BigInt::from(0u64)));
    }
}
