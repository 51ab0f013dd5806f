//! Groth16 keys for the status statement (v2): setup and key files.
//!
//! [`setup_v2`] draws its randomness from the operating system and returns only
//! the keys; the trapdoor (`α, β, γ, δ, τ`) lives in ark-groth16's local
//! variables and is never serialized. A single-party setup is for
//! development: a deployment needs a multi-party ceremony.
//!
//! Proving-key file: `ZKPK`, version 2, the QAP-reduction byte, circuit
//! fingerprint, the verifying-key
//! body, `β₁`, `δ₁`, five `u32` point counts, then the points of `a`, `b_g1`,
//! `b_g2`, `h` and `l`, all compressed. Counts are capped and the file length
//! is checked against them before any point is read, so no length field can
//! make the parser allocate beyond the file (docs/security.md, V22).

use crate::groth16::MatrixCache;
use crate::qap::SnarkjsReduction;
use ark_bn254::{Bn254, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_groth16::Groth16;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use ark_snark::SNARK;
use ark_std::rand::{CryptoRng, RngCore};
use zkstatus_circuits::statement::v2::constraints::StatusCircuit as StatusCircuitV2;
use zkstatus_verifier::groth16::{
    vk_bytes, CheckedPoint, VerifyingKeyOf, VerifyingKeyV2, G1_BYTES, G2_BYTES, V2_BASES,
};
use zkstatus_verifier::v2::keyfile::{QapReduction, CIRCUIT_FINGERPRINT_V2};

/// Magic bytes of a proving-key file.
pub const PK_FILE_MAGIC: [u8; 4] = *b"ZKPK";
/// Version of the proving-key file format for statement v2: a QAP-reduction
/// byte follows the version.
pub const PK2_FILE_VERSION: u8 = 2;
/// Largest point count accepted for any query in a proving-key file.
pub const MAX_QUERY_POINTS: u32 = 1 << 16;

/// Bytes before the circuit fingerprint: magic, version, QAP-reduction byte.
const PREFIX_BYTES: usize = 6;

/// Bytes of the fixed part of a proving-key file.
const fn header_bytes(bases: usize) -> usize {
    PREFIX_BYTES + 32 + vk_bytes(bases) + 2 * G1_BYTES + 5 * 4
}

/// Why a key could not be made, read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Setup failed inside ark-groth16.
    #[error("Groth16 setup failed: {0}")]
    Setup(String),
    /// Not a zkstatus proving-key file.
    #[error("not a zkstatus proving-key file (bad magic bytes)")]
    BadMagic,
    /// A format version this build cannot read here.
    #[error("unsupported proving-key file version {found} (expected version {expected} here)")]
    UnsupportedVersion {
        /// The file's version.
        found: u8,
        /// The version this reader takes.
        expected: u8,
    },
    /// A version-2 file names an unknown QAP reduction.
    #[error("unknown QAP reduction {0} in the proving-key file (1 = libsnark, 2 = snarkjs)")]
    UnknownReduction(u8),
    /// The key belongs to another circuit version.
    #[error("this proving key is for another circuit (fingerprint {found}, expected {expected})")]
    WrongCircuit {
        /// Short form of the file's circuit fingerprint.
        found: String,
        /// Short form of this build's.
        expected: String,
    },
    /// The file is shorter or longer than its header says.
    #[error("proving-key file is {got} bytes, its header implies {expected}")]
    WrongLength {
        /// Implied length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A point count exceeds the cap.
    #[error("proving-key file declares {0} points in one query (at most {MAX_QUERY_POINTS})")]
    TooManyPoints(u32),
    /// A point is invalid or not canonically encoded.
    #[error("proving-key file holds an invalid point ({0})")]
    InvalidPoint(&'static str),
    /// The verifying-key body is invalid.
    #[error("invalid verifying key inside the proving key: {0}")]
    VerifyingKey(#[from] zkstatus_verifier::groth16::EncodingError),
    /// The query sizes do not fit together (split proving checks them when
    /// it loads a part of a key; see `split`).
    #[error(
        "proving-key file declares inconsistent query sizes \
         (a {a}, b_g1 {b_g1}, b_g2 {b_g2}, h {h}, l {l} + {inputs} input bases)"
    )]
    InconsistentQueries {
        /// `a_query` length.
        a: usize,
        /// `b_g1_query` length.
        b_g1: usize,
        /// `b_g2_query` length.
        b_g2: usize,
        /// `h_query` length.
        h: usize,
        /// `l_query` length.
        l: usize,
        /// Input bases in the verifying key.
        inputs: usize,
    },
    /// The proving key's `β₁` or `δ₁` (G1) does not match the verifying
    /// key's `β₂` or `δ₂` (G2) ([`ProvingKeyOf::check_consistency`]); or the proving key's verifying key is not the one given
    /// (docs/security.md, item 77).
    #[error("proving key and verifying key are inconsistent: {0}")]
    Inconsistent(&'static str),
    /// The file is not the pinned one.
    #[error("proving-key file fingerprint {found} is not the pinned {expected}")]
    NotPinned {
        /// SHA-256 of the file, hex.
        found: String,
        /// The pin, hex.
        expected: String,
    },
}

/// How the points of a proving-key file are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Points {
    /// On the curve, in the prime-order subgroup, canonically encoded.
    Validated,
    /// Decompressed only (so still on the curve): for a file whose SHA-256
    /// matched a pin made from a validated file.
    Pinned,
}

/// The proving-key file's fingerprint: SHA-256 of the whole file, the value
/// a holder pins (`zkstatus inspect zkstatus.pk` prints it after validating
/// every point).
pub fn pk_file_fingerprint(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}

/// A proving key for statement v2.
pub type ProvingKeyV2 = ProvingKeyOf<V2_BASES>;

/// A Groth16 proving key whose verifying key has `BASES` input bases, with
/// the QAP reduction its `h` query was made for, and the constraint
/// matrices of its circuit once a proof has built them
/// ([`ProvingKeyOf::matrix_cache`]; not part of the key's identity).
#[derive(Clone)]
pub struct ProvingKeyOf<const BASES: usize>(
    pub(crate) ark_groth16::ProvingKey<Bn254>,
    pub(crate) QapReduction,
    pub(crate) MatrixCache,
);

impl<const BASES: usize> PartialEq for ProvingKeyOf<BASES> {
    /// The key and its reduction; the cache is derived from them.
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.1 == other.1
    }
}

impl<const BASES: usize> core::fmt::Debug for ProvingKeyOf<BASES> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ProvingKey(vk {})",
            self.verifying_key().short_fingerprint()
        )
    }
}

/// Convert arkworks' verifying key (with exactly `BASES` input bases).
pub fn vk_from_ark<const BASES: usize>(
    vk: &ark_groth16::VerifyingKey<Bn254>,
) -> Option<VerifyingKeyOf<BASES>> {
    Some(VerifyingKeyOf {
        alpha_g1: vk.alpha_g1,
        beta_g2: vk.beta_g2,
        gamma_g2: vk.gamma_g2,
        delta_g2: vk.delta_g2,
        gamma_abc_g1: vk.gamma_abc_g1.clone().try_into().ok()?,
    })
}

fn vk_to_ark<const BASES: usize>(vk: &VerifyingKeyOf<BASES>) -> ark_groth16::VerifyingKey<Bn254> {
    ark_groth16::VerifyingKey {
        alpha_g1: vk.alpha_g1,
        beta_g2: vk.beta_g2,
        gamma_g2: vk.gamma_g2,
        delta_g2: vk.delta_g2,
        gamma_abc_g1: vk.gamma_abc_g1.to_vec(),
    }
}

/// Run a Groth16 setup for statement v2 with randomness from `rng`.
/// Use [`setup_v2`] outside tests: a seeded `rng` is for tests and
/// benchmarks only, since whoever knows the seed knows the trapdoor and can
/// forge proofs (`prover/tests/source_scan.rs` checks that no release code
/// path takes a fixed seed; docs/security.md, item 76). The keys are for
/// snarkjs's QAP reduction ([`SnarkjsReduction`], the one every key of the
/// project is for, a ceremony's included), tagged [`QapReduction::Snarkjs`]:
/// the `h` query holds one point per domain element. The rng is drawn from
/// as by ark-groth16's default setup (the reduction draws nothing), so a
/// seed gives the same verifying key points as before.
pub fn setup_v2_with_rng<R: RngCore + CryptoRng>(
    rng: &mut R,
) -> Result<(ProvingKeyV2, VerifyingKeyV2), KeyError> {
    let (pk, vk) =
        Groth16::<Bn254, SnarkjsReduction>::circuit_specific_setup(StatusCircuitV2::blank(), rng)
            .map_err(|e| KeyError::Setup(e.to_string()))?;
    let vk = vk_from_ark(&vk).ok_or_else(|| KeyError::Setup("unexpected input count".into()))?;
    Ok((
        ProvingKeyOf(pk, QapReduction::Snarkjs, MatrixCache::new()),
        vk,
    ))
}

/// Run a statement-v2 setup with randomness from the operating system.
pub fn setup_v2() -> Result<(ProvingKeyV2, VerifyingKeyV2), KeyError> {
    setup_v2_with_rng(&mut rand::rngs::OsRng)
}

impl<const BASES: usize> ProvingKeyOf<BASES> {
    /// The matching verifying key.
    pub fn verifying_key(&self) -> VerifyingKeyOf<BASES> {
        VerifyingKeyOf {
            alpha_g1: self.0.vk.alpha_g1,
            beta_g2: self.0.vk.beta_g2,
            gamma_g2: self.0.vk.gamma_g2,
            delta_g2: self.0.vk.delta_g2,
            gamma_abc_g1: core::array::from_fn(|i| {
                self.0.vk.gamma_abc_g1.get(i).copied().unwrap_or_default()
            }),
        }
    }

    /// The arkworks key, for proving.
    pub fn as_ark(&self) -> &ark_groth16::ProvingKey<Bn254> {
        &self.0
    }

    /// The QAP reduction the key's `h` query was made for.
    pub fn qap_reduction(&self) -> QapReduction {
        self.1
    }

    /// The constraint matrices of the key's circuit, once
    /// [`crate::groth16::prove`] has built them (its first proof with this
    /// key): later proofs synthesise the witness only.
    pub fn matrix_cache(&self) -> &MatrixCache {
        &self.2
    }

    /// The file encoding.
    pub fn to_file(&self) -> Vec<u8> {
        let pk = &self.0;
        let mut out = Vec::new();
        out.extend_from_slice(&PK_FILE_MAGIC);
        out.push(PK2_FILE_VERSION);
        out.push(self.1.to_byte());
        out.extend_from_slice(&CIRCUIT_FINGERPRINT_V2);
        out.extend_from_slice(&self.verifying_key().to_bytes());
        let _ = pk.beta_g1.serialize_compressed(&mut out);
        let _ = pk.delta_g1.serialize_compressed(&mut out);
        for n in [
            pk.a_query.len(),
            pk.b_g1_query.len(),
            pk.b_g2_query.len(),
            pk.h_query.len(),
            pk.l_query.len(),
        ] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for p in pk.a_query.iter().chain(&pk.b_g1_query) {
            let _ = p.serialize_compressed(&mut out);
        }
        for p in &pk.b_g2_query {
            let _ = p.serialize_compressed(&mut out);
        }
        for p in pk.h_query.iter().chain(&pk.l_query) {
            let _ = p.serialize_compressed(&mut out);
        }
        out
    }

    /// Parse a proving-key file, validating every point.
    pub fn from_file(bytes: &[u8]) -> Result<Self, KeyError> {
        Self::parse(bytes, Points::Validated)
    }

    /// Parse a proving-key file whose SHA-256 must equal `pin`, checked
    /// first; the points are then decompressed without the subgroup and
    /// canonical-encoding checks, which take most of [`Self::from_file`]'s
    /// time (3× faster natively, more in WebAssembly).
    ///
    /// This is as strong as validating, provided the pin was made from a
    /// file that [`Self::from_file`] accepted: SHA-256 binds the bytes to
    /// that file, and the checks are a deterministic function of the bytes.
    /// Header, counts, lengths and the embedded verifying key are still
    /// checked in full.
    pub fn from_pinned_file(bytes: &[u8], pin: &[u8; 32]) -> Result<Self, KeyError> {
        let found = pk_file_fingerprint(bytes);
        if &found != pin {
            return Err(KeyError::NotPinned {
                found: hex::encode(found),
                expected: hex::encode(pin),
            });
        }
        Self::parse(bytes, Points::Pinned)
    }

    /// Check that the key is internally consistent, and (if given) that
    /// its verifying key is `vk`: `e(β₁, δ₂) = e(δ₁, β₂)` and
    /// `e(β₁, b₂ᵢ) = e(b₁ᵢ, β₂)`, where `β₁, δ₁, b₁ᵢ, b₂ᵢ` are the proving
    /// key's and `β₂, δ₂` its verifying key's (docs/security.md, item 77).
    /// ark-groth16's setup draws random generators, so the checks pair the
    /// key's own points instead of `G₁, G₂`. Every key load runs the first
    /// check; `zkstatus setup` and `zkstatus inspect` run both, and compare
    /// the verifying key.
    pub fn check_consistency(&self, vk: Option<&VerifyingKeyOf<BASES>>) -> Result<(), KeyError> {
        let own = self.verifying_key();
        check_pairings(&self.0.beta_g1, &self.0.delta_g1, &own)?;
        // β₁ on its own: e(β₁, b₂ᵢ) = e(b₁ᵢ, β₂) for the first nonzero pair
        // of `B` queries (`vᵢ(τ)` in G1 and G2), so a β₁ and δ₁ scaled
        // together are refused as well.
        let pair = self
            .0
            .b_g1_query
            .iter()
            .zip(&self.0.b_g2_query)
            .find(|(b1, b2)| !b1.is_zero() && !b2.is_zero());
        if let Some((b1, b2)) = pair {
            if !same_pairing((self.0.beta_g1, *b2), (*b1, own.beta_g2)) {
                return Err(KeyError::Inconsistent(
                    "e(pk.beta_g1, b_g2) != e(b_g1, vk.beta_g2)",
                ));
            }
        }
        if self.0.vk.gamma_abc_g1.len() != own.gamma_abc_g1.len() {
            return Err(KeyError::Inconsistent("the verifying key's input count"));
        }
        match vk {
            Some(vk) if *vk != own => Err(KeyError::Inconsistent(
                "the proving key's verifying key is not the given one",
            )),
            _ => Ok(()),
        }
    }

    fn parse(bytes: &[u8], check: Points) -> Result<Self, KeyError> {
        let f = parse_file::<BASES>(bytes, check, Queries::ALL)?;
        let qap = f.qap;
        Ok(Self(
            ark_groth16::ProvingKey {
                vk: vk_to_ark(&f.vk),
                beta_g1: f.beta_g1,
                delta_g1: f.delta_g1,
                a_query: f.a_query,
                b_g1_query: f.b_g1_query,
                b_g2_query: f.b_g2_query,
                h_query: f.h_query,
                l_query: f.l_query,
            },
            qap,
            MatrixCache::new(),
        ))
    }
}

/// Which point queries of a proving-key file [`parse_file`] decodes; the
/// others are skipped (left empty), their bytes still counted and covered
/// by the pin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Queries {
    pub(crate) a: bool,
    pub(crate) b_g1: bool,
    pub(crate) b_g2: bool,
    pub(crate) h: bool,
    pub(crate) l: bool,
}

impl Queries {
    pub(crate) const ALL: Self = Self {
        a: true,
        b_g1: true,
        b_g2: true,
        h: true,
        l: true,
    };
}

/// A proving-key file, decoded: every header field, the five declared point
/// counts, and the queries that were asked for (the others empty).
#[derive(Debug, Clone)]
pub(crate) struct KeyFile<const BASES: usize = V2_BASES> {
    pub(crate) vk: VerifyingKeyOf<BASES>,
    pub(crate) qap: QapReduction,
    pub(crate) beta_g1: G1Affine,
    pub(crate) delta_g1: G1Affine,
    /// Declared counts of `a`, `b_g1`, `b_g2`, `h`, `l`.
    pub(crate) counts: [usize; 5],
    pub(crate) a_query: Vec<G1Affine>,
    pub(crate) b_g1_query: Vec<G1Affine>,
    pub(crate) b_g2_query: Vec<G2Affine>,
    pub(crate) h_query: Vec<G1Affine>,
    pub(crate) l_query: Vec<G1Affine>,
}

/// Parse a proving-key file pinned by `pin` (checked first; see
/// [`ProvingKeyOf::from_pinned_file`]), decoding only the queries in `wanted`.
pub(crate) fn parse_pinned_file<const BASES: usize>(
    bytes: &[u8],
    pin: &[u8; 32],
    wanted: Queries,
) -> Result<KeyFile<BASES>, KeyError> {
    let found = pk_file_fingerprint(bytes);
    if &found != pin {
        return Err(KeyError::NotPinned {
            found: hex::encode(found),
            expected: hex::encode(pin),
        });
    }
    parse_file(bytes, Points::Pinned, wanted)
}

/// The header (magic, version, circuit, verifying key, `β₁`, `δ₁`, counts
/// and the exact file length) is always checked in full; then the queries
/// in `wanted` are decoded, the others skipped.
fn parse_file<const BASES: usize>(
    bytes: &[u8],
    check: Points,
    wanted: Queries,
) -> Result<KeyFile<BASES>, KeyError> {
    let header = header_bytes(BASES);
    if bytes.len() >= 4 && bytes[..4] != PK_FILE_MAGIC {
        return Err(KeyError::BadMagic);
    }
    // The version before the length: a file for statement v1 (version 1)
    // is named by its version, not as a wrong length.
    if bytes.len() >= 5 && bytes[4] != PK2_FILE_VERSION {
        return Err(KeyError::UnsupportedVersion {
            found: bytes[4],
            expected: PK2_FILE_VERSION,
        });
    }
    if bytes.len() < header {
        return Err(KeyError::WrongLength {
            expected: header,
            got: bytes.len(),
        });
    }
    let qap = QapReduction::from_byte(bytes[5]).ok_or(KeyError::UnknownReduction(bytes[5]))?;
    let mut at = PREFIX_BYTES;
    if bytes[at..at + 32] != CIRCUIT_FINGERPRINT_V2 {
        let mut found = [0u8; 32];
        found.copy_from_slice(&bytes[at..at + 32]);
        let (found, expected) =
            zkstatus_verifier::groth16::distinct_fingerprints(&found, &CIRCUIT_FINGERPRINT_V2);
        return Err(KeyError::WrongCircuit { found, expected });
    }
    at += 32;
    let vk = VerifyingKeyOf::<BASES>::from_bytes(&bytes[at..at + vk_bytes(BASES)])?;
    at += vk_bytes(BASES);
    let beta_g1: G1Affine = point(&bytes[at..at + G1_BYTES], "beta_g1", check)?;
    at += G1_BYTES;
    let delta_g1: G1Affine = point(&bytes[at..at + G1_BYTES], "delta_g1", check)?;
    at += G1_BYTES;
    check_pairings(&beta_g1, &delta_g1, &vk)?;
    let mut counts = [0usize; 5];
    for c in counts.iter_mut() {
        let mut b = [0u8; 4];
        b.copy_from_slice(&bytes[at..at + 4]);
        let n = u32::from_le_bytes(b);
        if n > MAX_QUERY_POINTS {
            return Err(KeyError::TooManyPoints(n));
        }
        *c = n as usize;
        at += 4;
    }
    let [na, nb1, nb2, nh, nl] = counts;
    let expected = header + (na + nb1 + nh + nl) * G1_BYTES + nb2 * G2_BYTES;
    if bytes.len() != expected {
        return Err(KeyError::WrongLength {
            expected,
            got: bytes.len(),
        });
    }
    let a_query = points::<G1Affine>(bytes, &mut at, na, "a_query", check, wanted.a)?;
    let b_g1_query = points::<G1Affine>(bytes, &mut at, nb1, "b_g1_query", check, wanted.b_g1)?;
    let b_g2_query = points::<G2Affine>(bytes, &mut at, nb2, "b_g2_query", check, wanted.b_g2)?;
    let h_query = points::<G1Affine>(bytes, &mut at, nh, "h_query", check, wanted.h)?;
    let l_query = points::<G1Affine>(bytes, &mut at, nl, "l_query", check, wanted.l)?;
    Ok(KeyFile {
        vk,
        qap,
        beta_g1,
        delta_g1,
        counts,
        a_query,
        b_g1_query,
        b_g2_query,
        h_query,
        l_query,
    })
}

/// `e(β₁, vk.δ₂) = e(δ₁, vk.β₂)`: both sides are `e(g, h)^{βδ}`.
///
/// ark-groth16 draws its G1 and G2 generators `g, h` at random in setup and
/// keeps neither, so `e(β₁, G₂) = e(G₁, β₂)` with the standard generators
/// does not hold for its keys; the generator-free cross check does, and a
/// `β₁` or `δ₁` replaced by any other point fails it (docs/security.md,
/// item 77).
fn check_pairings<const BASES: usize>(
    beta_g1: &G1Affine,
    delta_g1: &G1Affine,
    vk: &VerifyingKeyOf<BASES>,
) -> Result<(), KeyError> {
    if !same_pairing((*beta_g1, vk.delta_g2), (*delta_g1, vk.beta_g2)) {
        return Err(KeyError::Inconsistent(
            "e(pk.beta_g1, vk.delta_g2) != e(pk.delta_g1, vk.beta_g2)",
        ));
    }
    Ok(())
}

/// `e(p.0, p.1) = e(q.0, q.1)`, as one product of two pairings.
fn same_pairing(p: (G1Affine, G2Affine), q: (G1Affine, G2Affine)) -> bool {
    use ark_ec::pairing::Pairing;
    use ark_std::One;
    Bn254::multi_pairing([p.0, -q.0], [p.1, q.1]).0.is_one()
}

fn point<P: AffineRepr + CanonicalDeserialize + CanonicalSerialize + CheckedPoint>(
    bytes: &[u8],
    what: &'static str,
    check: Points,
) -> Result<P, KeyError> {
    match check {
        Points::Validated => {
            P::decode_checked(bytes, what).map_err(|_| KeyError::InvalidPoint(what))
        }
        Points::Pinned => P::deserialize_with_mode(bytes, Compress::Yes, Validate::No)
            .map_err(|_| KeyError::InvalidPoint(what)),
    }
}

/// `n` consecutive compressed points starting at `*at`; the caller has checked
/// that the file is long enough. Decompression and validation dominate
/// loading the key, so with `parallel` the points are decoded on every core.
/// When not `wanted`, the points are skipped (an empty `Vec`).
fn points<P: AffineRepr + CanonicalDeserialize + CanonicalSerialize + CheckedPoint>(
    bytes: &[u8],
    at: &mut usize,
    n: usize,
    what: &'static str,
    check: Points,
    wanted: bool,
) -> Result<Vec<P>, KeyError> {
    let size = P::default().compressed_size();
    let end = *at + n * size;
    if !wanted {
        *at = end;
        return Ok(Vec::new());
    }
    #[cfg(feature = "parallel")]
    use rayon::prelude::*;
    let v = ark_std::cfg_chunks!(bytes[*at..end], size)
        .map(|c| point(c, what, check))
        .collect();
    *at = end;
    v
}
