//! A worker's part of the proving key in a form that loads in milliseconds:
//! the *fast form*, made from a [`MainKey`] or [`HelperKey`] that was loaded
//! from the pinned key file, for a browser to keep (Cache Storage) and load
//! on the next visit instead of the compressed file.
//!
//! Layout (little-endian counts; points uncompressed, arkworks'
//! `serialize_uncompressed`: G1 64 bytes, G2 128):
//!
//! ```text
//! "ZKPF" | version 1 | part (1 main, 2 helper) | share bits | QAP-reduction byte
//! | pin: SHA-256 of the key file (32) | five u32 point counts (a, b_g1, b_g2, h, l)
//! | main only: verifying-key body, β₁, δ₁
//! | the part's queries, in the order a, b_g1, b_g2, h, l
//! | SHA-256 of every byte before (32)
//! ```
//!
//! **Why the points are not re-validated.** Loading checks, in this order:
//! the size cap, the trailing SHA-256 over the rest, then that the form is
//! for the pin asked for, this part and this share, then the counts and the
//! exact length; only then are the points read, uncompressed and *without*
//! the on-curve and subgroup checks (arkworks' `Validate` mode off; the coordinates must
//! still be canonical field elements; the sign flag beside `y` is not compared with
//! `y`, so the encoding is not unique). That is safe only because the bytes
//! are bound to a key that was checked: a fast form is made only by
//! [`MainKey::to_fast_form`] / [`HelperKey::to_fast_form`], from a key that
//! [`MainKey::from_pinned_file`] accepted (the file's SHA-256 equal to the
//! pin, a pin made by `zkstatus inspect` from a fully validated file), and
//! its SHA-256 is computed then, over bytes that include that pin. A form
//! that was altered, cut or extended since fails the digest; a form for
//! another key fails the pin; either is refused before any point is read,
//! and the caller falls back to the checked load. The digest lives in the
//! same storage as the form, so it binds against corruption and staleness,
//! not against someone who can write the page's origin storage: such a
//! party can also rewrite the page's scripts and its pin, so it is outside
//! what a pin defends (docs/security.md, item 54).
//!
//! A bad form never traps: every length is checked before it is sliced, and
//! nothing is allocated before the size cap and the exact length are.

use super::keys::{shape, QuerySet};
use super::{HelperKey, MainKey, Share};
use crate::groth16::Bases;
use crate::keys::MAX_QUERY_POINTS;
use ark_bn254::{G1Affine, G2Affine};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use sha2::{Digest, Sha256};
use zkstatus_verifier::groth16::{VerifyingKeyV2, VK2_BYTES};
use zkstatus_verifier::v2::keyfile::QapReduction;

/// Magic bytes of a fast form.
pub const FAST_FORM_MAGIC: [u8; 4] = *b"ZKPF";
/// Version of the fast-form layout.
pub const FAST_FORM_VERSION: u8 = 1;
/// Largest fast form accepted, bytes (ours: about 0.8 MB for the main part,
/// 1.3 MB for the helper's).
pub const MAX_FAST_FORM_BYTES: usize = 16 << 20;

const G1_RAW: usize = 64;
const G2_RAW: usize = 128;
const DIGEST: usize = 32;
/// Magic, version, part, share, reduction, pin, counts.
const HEAD: usize = 4 + 4 + 32 + 5 * 4;
/// The verifying-key body, β₁ and δ₁ (main part only).
const MAIN_EXTRA: usize = VK2_BYTES + 2 * G1_RAW;

/// Which worker's part a fast form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// [`MainKey`].
    Main,
    /// [`HelperKey`].
    Helper,
}

impl Part {
    fn byte(self) -> u8 {
        match self {
            Self::Main => 1,
            Self::Helper => 2,
        }
    }
}

/// Why a fast form was refused. The caller falls back to the pinned file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FastFormError {
    /// Above [`MAX_FAST_FORM_BYTES`]; not read.
    #[error("cached proving key: {got} bytes, at most {max} are accepted")]
    TooLarge {
        /// Its size.
        got: usize,
        /// The cap.
        max: usize,
    },
    /// Shorter than its fixed header and digest.
    #[error("cached proving key: {got} bytes, shorter than its {min}-byte header")]
    Truncated {
        /// Its size.
        got: usize,
        /// The least a form can have.
        min: usize,
    },
    /// The trailing SHA-256 does not match the rest: altered, cut or extended.
    #[error("cached proving key: its digest does not match its content (altered or truncated)")]
    Digest,
    /// Not a fast form of this version.
    #[error("cached proving key: not a version-{FAST_FORM_VERSION} fast form")]
    Format,
    /// Made from another key file than the pinned one.
    #[error("cached proving key: made for another pin")]
    OtherPin,
    /// Another worker's part, or another share.
    #[error("cached proving key: another part or share ({got:?}, share {got_share}; expected {expected:?}, share {expected_share})")]
    OtherPart {
        /// The form's part.
        got: Option<Part>,
        /// The form's share bits.
        got_share: u8,
        /// The part asked for.
        expected: Part,
        /// The share asked for.
        expected_share: u8,
    },
    /// The counts or the length do not fit together.
    #[error("cached proving key: inconsistent sizes ({0})")]
    Shape(&'static str),
    /// A coordinate is not a canonical field element, or the verifying key
    /// inside is invalid.
    #[error("cached proving key: invalid content ({0})")]
    Content(&'static str),
}

fn push_g1(out: &mut Vec<u8>, p: &G1Affine) {
    // Writing to a Vec cannot fail.
    let _ = p.serialize_uncompressed(out);
}

fn push_g2(out: &mut Vec<u8>, p: &G2Affine) {
    let _ = p.serialize_uncompressed(out);
}

/// The queries present, each with its points, in file order.
fn encode_queries(out: &mut Vec<u8>, q: &QuerySet) {
    for v in [&q.a, &q.b_g1].into_iter().flatten() {
        v.iter().for_each(|p| push_g1(out, p));
    }
    if let Some(v) = &q.b_g2 {
        v.iter().for_each(|p| push_g2(out, p));
    }
    for v in [&q.h, &q.l].into_iter().flatten() {
        v.iter().for_each(|p| push_g1(out, p));
    }
}

fn header(part: Part, share: Share, qap: u8, pin: &[u8; 32], counts: [usize; 5]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&FAST_FORM_MAGIC);
    out.extend_from_slice(&[FAST_FORM_VERSION, part.byte(), share.bits(), qap]);
    out.extend_from_slice(pin);
    for n in counts {
        // Counts come from a parsed key: at most MAX_QUERY_POINTS.
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out
}

fn seal(mut out: Vec<u8>) -> Vec<u8> {
    let digest: [u8; 32] = Sha256::digest(&out).into();
    out.extend_from_slice(&digest);
    out
}

impl MainKey {
    /// This part's fast form (see the module documentation), to keep and
    /// give to [`MainKey::from_fast_form`] on a later load.
    pub fn to_fast_form(&self) -> Vec<u8> {
        let mut out = header(
            Part::Main,
            self.share,
            self.qap.to_byte(),
            &self.fingerprint,
            self.counts,
        );
        out.extend_from_slice(&self.vk.to_bytes());
        push_g1(&mut out, &self.bases.beta_g1);
        push_g1(&mut out, &self.bases.delta_g1);
        encode_queries(&mut out, &self.queries);
        seal(out)
    }

    /// Load the main part from a fast form made by [`MainKey::to_fast_form`]
    /// for the key file pinned by `pin` and this `share`; refused (never a
    /// trap) if anything differs (see the module documentation for the
    /// order of checks and why the points are not re-validated).
    pub fn from_fast_form(
        bytes: &[u8],
        pin: &[u8; 32],
        share: Share,
    ) -> Result<Self, FastFormError> {
        let r = Reader::open(bytes, pin, Part::Main, share)?;
        let mut at = HEAD;
        let vk = VerifyingKeyV2::from_bytes(&r.body[at..at + VK2_BYTES])
            .map_err(|_| FastFormError::Content("verifying key"))?;
        at += VK2_BYTES;
        let beta_g1: G1Affine = raw(&r.body[at..at + G1_RAW], "beta_g1")?;
        at += G1_RAW;
        let delta_g1: G1Affine = raw(&r.body[at..at + G1_RAW], "delta_g1")?;
        at += G1_RAW;
        let queries = r.queries(&mut at, super::keys::main_queries(share))?;
        Ok(Self {
            fingerprint: *pin,
            share,
            shape: r.shape,
            counts: r.counts,
            qap: r.qap,
            bases: Bases::new(&vk, beta_g1, delta_g1),
            pvk: Default::default(),
            matrices: Default::default(),
            vk,
            queries,
        })
    }
}

impl HelperKey {
    /// This part's fast form (see the module documentation).
    pub fn to_fast_form(&self) -> Vec<u8> {
        let mut out = header(
            Part::Helper,
            self.share,
            self.qap.to_byte(),
            &self.fingerprint,
            self.counts,
        );
        encode_queries(&mut out, &self.queries);
        seal(out)
    }

    /// Load the helper's part from a fast form made by
    /// [`HelperKey::to_fast_form`]; as [`MainKey::from_fast_form`].
    pub fn from_fast_form(
        bytes: &[u8],
        pin: &[u8; 32],
        share: Share,
    ) -> Result<Self, FastFormError> {
        let r = Reader::open(bytes, pin, Part::Helper, share)?;
        let mut at = HEAD;
        let queries = r.queries(&mut at, super::keys::helper_queries(share))?;
        Ok(Self {
            fingerprint: *pin,
            share,
            shape: r.shape,
            counts: r.counts,
            qap: r.qap,
            queries,
        })
    }
}

/// A fast form whose size, digest, pin, part, share, counts and exact
/// length were checked; `body` is everything but the digest.
struct Reader<'a> {
    body: &'a [u8],
    counts: [usize; 5],
    shape: super::keys::Shape,
    qap: QapReduction,
}

impl<'a> Reader<'a> {
    fn open(
        bytes: &'a [u8],
        pin: &[u8; 32],
        part: Part,
        share: Share,
    ) -> Result<Self, FastFormError> {
        if bytes.len() > MAX_FAST_FORM_BYTES {
            return Err(FastFormError::TooLarge {
                got: bytes.len(),
                max: MAX_FAST_FORM_BYTES,
            });
        }
        if bytes.len() < HEAD + DIGEST {
            return Err(FastFormError::Truncated {
                got: bytes.len(),
                min: HEAD + DIGEST,
            });
        }
        let (body, digest) = bytes.split_at(bytes.len() - DIGEST);
        let actual: [u8; 32] = Sha256::digest(body).into();
        if actual[..] != digest[..] {
            return Err(FastFormError::Digest);
        }
        if body[..4] != FAST_FORM_MAGIC || body[4] != FAST_FORM_VERSION {
            return Err(FastFormError::Format);
        }
        if &body[8..40] != pin {
            return Err(FastFormError::OtherPin);
        }
        if body[5] != part.byte() || body[6] != share.bits() {
            let got = match body[5] {
                1 => Some(Part::Main),
                2 => Some(Part::Helper),
                _ => None,
            };
            return Err(FastFormError::OtherPart {
                got,
                got_share: body[6],
                expected: part,
                expected_share: share.bits(),
            });
        }
        let qap = QapReduction::from_byte(body[7]).ok_or(FastFormError::Format)?;
        let mut counts = [0usize; 5];
        for (i, c) in counts.iter_mut().enumerate() {
            let at = 40 + 4 * i;
            let n = u32::from_le_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]);
            if n > MAX_QUERY_POINTS {
                return Err(FastFormError::Shape("a count above the cap"));
            }
            *c = n as usize;
        }
        let shape = shape(counts).map_err(|_| FastFormError::Shape("query sizes"))?;
        let wanted = match part {
            Part::Main => super::keys::main_queries(share),
            Part::Helper => super::keys::helper_queries(share),
        };
        let [na, nb1, nb2, nh, nl] = counts;
        let held = |w: bool, n: usize| if w { n } else { 0 };
        let g1 =
            held(wanted.a, na) + held(wanted.b_g1, nb1) + held(wanted.h, nh) + held(wanted.l, nl);
        let extra = if part == Part::Main { MAIN_EXTRA } else { 0 };
        let expected = HEAD + extra + g1 * G1_RAW + held(wanted.b_g2, nb2) * G2_RAW;
        if body.len() != expected {
            return Err(FastFormError::Shape("length"));
        }
        Ok(Self {
            body,
            counts,
            shape,
            qap,
        })
    }

    /// The wanted queries from `*at` on (the length was checked by `open`).
    fn queries(
        &self,
        at: &mut usize,
        wanted: crate::keys::Queries,
    ) -> Result<QuerySet, FastFormError> {
        let [na, nb1, nb2, nh, nl] = self.counts;
        let a = self.points::<G1Affine>(at, na, wanted.a, "a_query")?;
        let b_g1 = self.points::<G1Affine>(at, nb1, wanted.b_g1, "b_g1_query")?;
        let b_g2 = self.points::<G2Affine>(at, nb2, wanted.b_g2, "b_g2_query")?;
        let h = self.points::<G1Affine>(at, nh, wanted.h, "h_query")?;
        let l = self.points::<G1Affine>(at, nl, wanted.l, "l_query")?;
        Ok(QuerySet {
            a,
            b_g1,
            b_g2,
            h,
            l,
        })
    }

    fn points<P: CanonicalDeserialize + CanonicalSerialize + Default>(
        &self,
        at: &mut usize,
        n: usize,
        wanted: bool,
        what: &'static str,
    ) -> Result<Option<Vec<P>>, FastFormError> {
        if !wanted {
            return Ok(None);
        }
        let size = P::default().uncompressed_size();
        let end = *at + n * size;
        let v = self.body[*at..end]
            .chunks_exact(size)
            .map(|c| raw(c, what))
            .collect::<Result<Vec<P>, _>>()?;
        *at = end;
        Ok(Some(v))
    }
}

/// One uncompressed point, coordinates checked canonical, *not* checked on
/// the curve or in the subgroup: only for bytes whose digest was checked
/// and which were made from a validated, pinned key (module documentation).
fn raw<P: CanonicalDeserialize>(bytes: &[u8], what: &'static str) -> Result<P, FastFormError> {
    P::deserialize_with_mode(bytes, Compress::No, Validate::No)
        .map_err(|_| FastFormError::Content(what))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn fast_forms_round_trip_and_refuse_any_change() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
        let (pk, _) = crate::keys::setup_v2_with_rng(&mut rng).unwrap_or_else(|e| panic!("{e}"));
        let file = pk.to_file();
        let pin = crate::keys::pk_file_fingerprint(&file);
        let share = Share::DEFAULT;
        let main = MainKey::from_pinned_file(&file, &pin, share).unwrap_or_else(|e| panic!("{e}"));
        let helper =
            HelperKey::from_pinned_file(&file, &pin, share).unwrap_or_else(|e| panic!("{e}"));
        let (mf, hf) = (main.to_fast_form(), helper.to_fast_form());

        // The same key back: the same queries, verifying key and bases.
        let main2 = MainKey::from_fast_form(&mf, &pin, share).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(main2.to_fast_form(), mf);
        assert_eq!(main2.queries.h, main.queries.h);
        assert_eq!(main2.vk, main.vk);
        assert_eq!(main2.bases.delta_g1, main.bases.delta_g1);
        let helper2 = HelperKey::from_fast_form(&hf, &pin, share).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(helper2.queries.b_g2, helper.queries.b_g2);
        assert_eq!(helper2.to_fast_form(), hf);

        // One bit flipped anywhere (every header byte, then a stride through
        // the points and the digest): the digest refuses it.
        let mut positions: Vec<usize> = (0..HEAD + MAIN_EXTRA).collect();
        positions.extend((HEAD + MAIN_EXTRA..mf.len()).step_by(4099));
        positions.push(mf.len() - 1);
        for at in positions {
            let mut bad = mf.clone();
            bad[at] ^= 1;
            assert_eq!(
                MainKey::from_fast_form(&bad, &pin, share).err(),
                Some(FastFormError::Digest),
                "flipped at {at}"
            );
        }
        // Cut anywhere: refused, never a panic.
        for n in (0..hf.len())
            .step_by(997)
            .chain([hf.len() - 1, HEAD + DIGEST - 1])
        {
            assert!(
                HelperKey::from_fast_form(&hf[..n], &pin, share).is_err(),
                "cut at {n}"
            );
        }
        // Another pin, part or share.
        let other = [7u8; 32];
        assert_eq!(
            MainKey::from_fast_form(&mf, &other, share).err(),
            Some(FastFormError::OtherPin)
        );
        assert!(matches!(
            MainKey::from_fast_form(&hf, &pin, share),
            Err(FastFormError::OtherPart { .. })
        ));
        let all = Share::of(&super::super::Msm::ALL).unwrap_or(Share::DEFAULT);
        assert!(matches!(
            HelperKey::from_fast_form(&hf, &pin, all),
            Err(FastFormError::OtherPart { .. })
        ));
        // Resealed after an edit: the length must still fit the counts.
        let mut body = hf[..hf.len() - DIGEST].to_vec();
        body.truncate(body.len() - G1_RAW);
        assert_eq!(
            HelperKey::from_fast_form(&seal(body), &pin, share).err(),
            Some(FastFormError::Shape("length"))
        );
        // Over the cap: refused before hashing.
        let big = vec![0u8; MAX_FAST_FORM_BYTES + 1];
        assert!(matches!(
            HelperKey::from_fast_form(&big, &pin, share),
            Err(FastFormError::TooLarge { .. })
        ));
    }
}
