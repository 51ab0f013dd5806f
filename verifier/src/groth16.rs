//! Groth16 verification over BN254 for the status statement, without
//! ark-groth16 (which links ark-relations).
//!
//! A verifying key has exactly one input base per public input plus one, a
//! number fixed by the statement ([`VerifyingKeyV2`] for statement v2), so
//! its encoding is fixed-size: no length prefix is ever read from untrusted
//! bytes (docs/security.md, V22). Points are decoded compressed with full
//! validation (on curve, in the prime-order subgroup) and must re-encode to
//! the same bytes, which rejects non-canonical encodings (V20, V21).
//! `tests/groth16_compat.rs` checks the verdicts against ark-groth16.

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{
    bn::BnConfig,
    pairing::{Pairing, PairingOutput},
    AffineRepr, CurveGroup,
};
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use core::ops::Neg;
use sha2::{Digest, Sha256};
use zkstatus_circuits::statement::v2;

/// A `G2` point's Miller-loop line coefficients.
type G2Prepared = <Bn254 as Pairing>::G2Prepared;

/// Bytes of a compressed G1 point.
pub const G1_BYTES: usize = 32;
/// Bytes of a compressed G2 point.
pub const G2_BYTES: usize = 64;
/// Bytes of a compressed proof `(A, B, C)`.
pub const PROOF_BYTES: usize = 2 * G1_BYTES + G2_BYTES;
/// Input bases of a statement-v2 verifying key.
pub const V2_BASES: usize = v2::N_PUBLIC_INPUTS + 1;

/// Bytes of a verifying-key body with `bases` input bases:
/// `α₁, β₂, γ₂, δ₂, γ_abc[0..bases]`.
pub const fn vk_bytes(bases: usize) -> usize {
    G1_BYTES + 3 * G2_BYTES + bases * G1_BYTES
}

/// Bytes of the statement-v2 verifying key body.
pub const VK2_BYTES: usize = vk_bytes(V2_BASES);

/// Why bytes are not a valid proof or verifying key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodingError {
    /// The input has the wrong length.
    #[error("expected {expected} bytes, got {got}")]
    WrongLength {
        /// Required length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// A point is not on its curve or not in the prime-order subgroup.
    #[error("{0} is not a valid curve point in the prime-order subgroup")]
    InvalidPoint(&'static str),
    /// A verifying-key point is the identity.
    #[error("{0} is the identity point")]
    IdentityPoint(&'static str),
    /// A point decodes but its encoding is not the canonical one.
    #[error("{0} is not canonically encoded")]
    NonCanonical(&'static str),
}

/// Decode a compressed point with full validation (on the curve, in the
/// prime-order subgroup) and require that it re-encodes to the same bytes.
pub fn decode_point<P: AffineRepr + CanonicalDeserialize + CanonicalSerialize>(
    bytes: &[u8],
    what: &'static str,
) -> Result<P, EncodingError> {
    let p = P::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes)
        .map_err(|_| EncodingError::InvalidPoint(what))?;
    let mut again = Vec::with_capacity(bytes.len());
    p.serialize_compressed(&mut again)
        .map_err(|_| EncodingError::InvalidPoint(what))?;
    if again != bytes {
        return Err(EncodingError::NonCanonical(what));
    }
    Ok(p)
}

/// [`decode_point`] for a `G2` point, with a faster subgroup check than
/// ark-bn254's (see [`g2_in_subgroup`]); the same checks and errors.
pub fn decode_g2(bytes: &[u8], what: &'static str) -> Result<G2Affine, EncodingError> {
    // Without validation, ark-serialize still refuses an x coordinate that
    // is not a canonical field element or has no point on the curve (the
    // compressed form computes y from the curve equation); the checks it
    // skips, on the curve and in the subgroup, are made here.
    let p = G2Affine::deserialize_with_mode(bytes, Compress::Yes, Validate::No)
        .map_err(|_| EncodingError::InvalidPoint(what))?;
    if !p.is_on_curve() || !g2_in_subgroup(&p) {
        return Err(EncodingError::InvalidPoint(what));
    }
    let mut again = Vec::with_capacity(bytes.len());
    p.serialize_compressed(&mut again)
        .map_err(|_| EncodingError::InvalidPoint(what))?;
    if again != bytes {
        return Err(EncodingError::NonCanonical(what));
    }
    Ok(p)
}

/// A BN254 point type with its complete decoder: [`decode_point`] for `G1`
/// (cofactor 1), [`decode_g2`] for `G2` (ψ subgroup check). Generic
/// decoders (the proving-key file, the split prover's parts) take this, so
/// every `G2` point outside the proof and the verifying key gets the same
/// fast check and the same errors.
pub trait CheckedPoint: Sized {
    /// Decode with every check of [`decode_point`].
    fn decode_checked(bytes: &[u8], what: &'static str) -> Result<Self, EncodingError>;
}

impl CheckedPoint for ark_ec::short_weierstrass::Affine<ark_bn254::g1::Config> {
    fn decode_checked(bytes: &[u8], what: &'static str) -> Result<Self, EncodingError> {
        decode_point(bytes, what)
    }
}

impl CheckedPoint for ark_ec::short_weierstrass::Affine<ark_bn254::g2::Config> {
    fn decode_checked(bytes: &[u8], what: &'static str) -> Result<Self, EncodingError> {
        decode_g2(bytes, what)
    }
}

/// BN254's curve parameter x₀ (the optimal ate loop count is `6x₀ + 2`).
const BN_X: u64 = 4_965_661_367_192_848_881;

/// ψ, the untwist-Frobenius-twist endomorphism of the sextic twist
/// E'(Fq2), on Jacobian coordinates: `(x, y) ↦ (x^p·c_x, y^p·c_y)`.
fn psi(p: &G2Projective) -> G2Projective {
    let mut q = *p;
    q.x.frobenius_map_in_place(1);
    q.y.frobenius_map_in_place(1);
    q.z.frobenius_map_in_place(1);
    q.x *= <ark_bn254::Config as BnConfig>::TWIST_MUL_BY_Q_X;
    q.y *= <ark_bn254::Config as BnConfig>::TWIST_MUL_BY_Q_Y;
    q
}

/// Whether a point of the twist E'(Fq2) (on the curve) is in `G2`, the
/// subgroup of prime order r: `[x₀+1]P + ψ([x₀]P) + ψ²([x₀]P) = ψ³([2x₀]P)`
/// (Dai, Lin, Zhao, Zhou, eprint 2022/348, §5.1; gnark-crypto's test).
/// One 63-bit scalar multiplication, where ark-bn254's check
/// (`[6x₀²]P = ψ(P)`, eprint 2022/352) needs a 127-bit one.
/// `tests/groth16_compat.rs` checks it against `[r]P = O` and ark-bn254's.
pub fn g2_in_subgroup(p: &G2Affine) -> bool {
    let xp = p.mul_bigint([BN_X]);
    let lhs = xp + p + psi(&xp) + psi(&psi(&xp));
    let rhs = psi(&psi(&psi(&xp.double())));
    lhs == rhs
}

fn encode_point<P: CanonicalSerialize>(p: &P, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail.
    let _ = p.serialize_compressed(out);
}

/// A Groth16 proof.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Proof {
    /// `A ∈ G1`.
    pub a: G1Affine,
    /// `B ∈ G2`.
    pub b: G2Affine,
    /// `C ∈ G1`.
    pub c: G1Affine,
}

impl core::fmt::Debug for Proof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Proof({PROOF_BYTES} bytes)")
    }
}

impl Proof {
    /// The 128-byte compressed encoding `A ‖ B ‖ C` (ark-serialize's).
    pub fn to_bytes(&self) -> [u8; PROOF_BYTES] {
        let mut v = Vec::with_capacity(PROOF_BYTES);
        encode_point(&self.a, &mut v);
        encode_point(&self.b, &mut v);
        encode_point(&self.c, &mut v);
        let mut out = [0u8; PROOF_BYTES];
        out.copy_from_slice(&v);
        out
    }

    /// Decode exactly [`PROOF_BYTES`] bytes, validating every point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        if bytes.len() != PROOF_BYTES {
            return Err(EncodingError::WrongLength {
                expected: PROOF_BYTES,
                got: bytes.len(),
            });
        }
        Ok(Self {
            a: decode_point(&bytes[..G1_BYTES], "proof point A")?,
            b: decode_g2(&bytes[G1_BYTES..G1_BYTES + G2_BYTES], "proof point B")?,
            c: decode_point(&bytes[G1_BYTES + G2_BYTES..], "proof point C")?,
        })
    }
}

/// A verifying key for statement v2.
pub type VerifyingKeyV2 = VerifyingKeyOf<V2_BASES>;

/// A Groth16 verifying key with `BASES` input bases (one per public input
/// plus the constant), fixed by the statement version.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifyingKeyOf<const BASES: usize> {
    /// `α ∈ G1`.
    pub alpha_g1: G1Affine,
    /// `β ∈ G2`.
    pub beta_g2: G2Affine,
    /// `γ ∈ G2`.
    pub gamma_g2: G2Affine,
    /// `δ ∈ G2`.
    pub delta_g2: G2Affine,
    /// `γ_abc[i] ∈ G1`, one per public input plus the constant.
    pub gamma_abc_g1: [G1Affine; BASES],
}

impl<const BASES: usize> VerifyingKeyOf<BASES> {
    /// Bytes of the body encoding, [`vk_bytes`]`(BASES)`.
    pub const BYTES: usize = vk_bytes(BASES);

    /// The [`Self::BYTES`]-byte body encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(Self::BYTES);
        encode_point(&self.alpha_g1, &mut v);
        encode_point(&self.beta_g2, &mut v);
        encode_point(&self.gamma_g2, &mut v);
        encode_point(&self.delta_g2, &mut v);
        for p in &self.gamma_abc_g1 {
            encode_point(p, &mut v);
        }
        v
    }

    /// Decode exactly [`Self::BYTES`] bytes, validating every point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        if bytes.len() != Self::BYTES {
            return Err(EncodingError::WrongLength {
                expected: Self::BYTES,
                got: bytes.len(),
            });
        }
        let (g1, rest) = bytes.split_at(G1_BYTES);
        let alpha_g1: G1Affine = decode_point(g1, "vk alpha")?;
        let (g2, rest) = rest.split_at(G2_BYTES);
        let beta_g2 = decode_g2(g2, "vk beta")?;
        let (g2, rest) = rest.split_at(G2_BYTES);
        let gamma_g2 = decode_g2(g2, "vk gamma")?;
        let (g2, rest) = rest.split_at(G2_BYTES);
        let delta_g2 = decode_g2(g2, "vk delta")?;
        let mut gamma_abc_g1 = [G1Affine::zero(); BASES];
        for (slot, chunk) in gamma_abc_g1.iter_mut().zip(rest.chunks_exact(G1_BYTES)) {
            *slot = decode_point(chunk, "vk input base")?;
        }
        // No element of an honest key is the identity (probability ~2^-254),
        // and a key with γ = δ = O accepts (α, β, ·) for every statement.
        let identity = [
            (alpha_g1.is_zero(), "vk alpha"),
            (beta_g2.is_zero(), "vk beta"),
            (gamma_g2.is_zero(), "vk gamma"),
            (delta_g2.is_zero(), "vk delta"),
            (gamma_abc_g1.iter().any(|p| p.is_zero()), "vk input base"),
        ];
        if let Some((_, what)) = identity.into_iter().find(|(zero, _)| *zero) {
            return Err(EncodingError::IdentityPoint(what));
        }
        Ok(Self {
            alpha_g1,
            beta_g2,
            gamma_g2,
            delta_g2,
            gamma_abc_g1,
        })
    }

    /// SHA-256 of the body encoding: the key's identity.
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }

    /// The fingerprint's first 8 bytes as four groups of hex digits
    /// (`1a2b-3c4d-5e6f-7a8b`), short enough to compare by eye.
    pub fn short_fingerprint(&self) -> String {
        short_fingerprint(&self.fingerprint())
    }

    /// Precompute the pairing `e(α, β)`, the Miller-loop line coefficients
    /// of the negated `γ` and `δ` (fixed per key, so never recomputed per
    /// proof), and each input base's table of odd multiples for
    /// [`PreparedVerifyingKeyOf::prepare_inputs`].
    pub fn prepare(&self) -> PreparedVerifyingKeyOf<BASES> {
        #[cfg(test)]
        PREPARED_IN_THIS_THREAD.with(|n| n.set(n.get() + 1));
        let neg = |p: &G2Affine| G2Prepared::from(p.into_group().neg().into_affine());
        PreparedVerifyingKeyOf {
            vk: self.clone(),
            alpha_g1_beta_g2: Bn254::pairing(self.alpha_g1, self.beta_g2),
            gamma_g2_neg: neg(&self.gamma_g2),
            delta_g2_neg: neg(&self.delta_g2),
            input_tables: self.gamma_abc_g1[1..].iter().map(odd_multiples).collect(),
        }
    }
}

/// Width of the signed-digit (wNAF) form of the public inputs in
/// [`PreparedVerifyingKeyOf::prepare_inputs`]: digits are odd, of absolute
/// value below `2^(WNAF_WIDTH − 1)`, and two non-zero digits are at least
/// `WNAF_WIDTH` places apart.
const WNAF_WIDTH: usize = 6;
/// Odd multiples kept per input base: `1·P, 3·P, …, (2^(WNAF_WIDTH−1) − 1)·P`.
const WNAF_TABLE: usize = 1 << (WNAF_WIDTH - 2);

/// `[1·p, 3·p, 5·p, …]`, [`WNAF_TABLE`] points, affine.
fn odd_multiples(p: &G1Affine) -> Vec<G1Affine> {
    let double = p.into_group().double();
    let mut acc = p.into_group();
    let mut out = Vec::with_capacity(WNAF_TABLE);
    for _ in 0..WNAF_TABLE {
        out.push(acc);
        acc += double;
    }
    G1Projective::normalize_batch(&out)
}

// Test-only count of `prepare` calls on this thread (tests run on their own
// threads), so a test can show that verification reuses the prepared key
// (docs/security.md, item 65: the key is prepared once, not per call).
#[cfg(test)]
thread_local! {
    pub(crate) static PREPARED_IN_THIS_THREAD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `xxxx-xxxx-xxxx-xxxx` from the first 8 bytes of a digest. To show two
/// digests that differ (an error message), use [`distinct_fingerprints`].
pub fn short_fingerprint(digest: &[u8; 32]) -> String {
    digest[..8]
        .chunks(2)
        .map(|c| format!("{:02x}{:02x}", c[0], c[1]))
        .collect::<Vec<_>>()
        .join("-")
}

/// Two digests that differ, each shown in the short form's groups extended
/// (two bytes per group) until the two differ, so a mismatch message never
/// shows two equal values; equal digests show their short forms.
pub fn distinct_fingerprints(a: &[u8; 32], b: &[u8; 32]) -> (String, String) {
    let first_diff = a.iter().zip(b.iter()).position(|(x, y)| x != y);
    // Bytes shown: at least 8, up to and including the first differing
    // byte's two-byte group.
    let shown = first_diff.map_or(8, |i| (i / 2 * 2 + 2).max(8));
    let show = |d: &[u8; 32]| {
        d[..shown]
            .chunks(2)
            .map(hex::encode)
            .collect::<Vec<_>>()
            .join("-")
    };
    (show(a), show(b))
}

/// A statement-v2 verifying key, prepared.
pub type PreparedVerifyingKeyV2 = PreparedVerifyingKeyOf<V2_BASES>;

/// A verifying key with its pairing precomputed, reused across verifications.
#[derive(Clone, Debug)]
pub struct PreparedVerifyingKeyOf<const BASES: usize> {
    vk: VerifyingKeyOf<BASES>,
    alpha_g1_beta_g2: PairingOutput<Bn254>,
    gamma_g2_neg: G2Prepared,
    delta_g2_neg: G2Prepared,
    /// `odd_multiples(γ_abc[i + 1])`: one table per public input.
    input_tables: Vec<Vec<G1Affine>>,
}

impl<const BASES: usize> PreparedVerifyingKeyOf<BASES> {
    /// The key this was prepared from.
    pub fn vk(&self) -> &VerifyingKeyOf<BASES> {
        &self.vk
    }

    /// `e(A, B) = e(α, β) · e(Σ xᵢ·γ_abc[i], γ) · e(C, δ)`, checked as one
    /// multi-Miller loop. `false` for every proof that does not verify,
    /// including the all-identity proof (V17), and for a public-input vector
    /// whose length is not `BASES − 1`.
    pub fn verify(&self, public_inputs: &[Fr], proof: &Proof) -> bool {
        let Some(acc) = self.prepare_inputs(public_inputs) else {
            return false;
        };
        let mlo = Bn254::multi_miller_loop(
            [proof.a, acc.into_affine(), proof.c],
            [
                G2Prepared::from(proof.b),
                self.gamma_g2_neg.clone(),
                self.delta_g2_neg.clone(),
            ],
        );
        match Bn254::final_exponentiation(mlo) {
            Some(out) => out == self.alpha_g1_beta_g2,
            None => false,
        }
    }

    /// `γ_abc[0] + Σ xᵢ·γ_abc[i + 1]`, or `None` if there are not exactly
    /// `BASES − 1` inputs. One pass over the bits shared by all inputs
    /// (Straus): each input in signed-digit (wNAF) form, each digit's
    /// multiple of its base read from the key's precomputed table, so the
    /// inputs share ~254 doublings instead of ~254 each.
    pub fn prepare_inputs(&self, public_inputs: &[Fr]) -> Option<G1Projective> {
        if public_inputs.len() + 1 != BASES || self.input_tables.len() + 1 != BASES {
            return None;
        }
        let digits: Vec<Vec<i64>> = public_inputs
            .iter()
            .map(|x| x.into_bigint().find_wnaf(WNAF_WIDTH).unwrap_or_default())
            .collect();
        let top = digits.iter().map(Vec::len).max().unwrap_or(0);
        let mut acc = G1Projective::ZERO;
        for i in (0..top).rev() {
            acc.double_in_place();
            for (d, table) in digits.iter().zip(&self.input_tables) {
                match d.get(i).copied().unwrap_or(0) {
                    0 => {}
                    z => {
                        // z is odd and |z| < 2^(WNAF_WIDTH − 1): in the table.
                        let p = table[(z.unsigned_abs() as usize) / 2];
                        if z > 0 {
                            acc += p;
                        } else {
                            acc -= p;
                        }
                    }
                }
            }
        }
        Some(acc + self.vk.gamma_abc_g1[0])
    }
}
