//! EdDSA-Poseidon on BabyJubJub, natively, compatible with circomlibjs 0.1.7
//! (`prv2pub`, `signPoseidon`, `verifyPoseidon`) and circomlib's
//! `EdDSAPoseidonVerifier` template.
//!
//! # Conventions (circomlibjs `src/eddsa.js`)
//!
//! - Private key: 32 raw bytes; `h = BLAKE-512(prv)` (original BLAKE, see
//!   [`blake512`](mod@blake512)).
//! - Secret scalar: `s = LE(prune(h[0..32]))` with `h[0] &= 0xF8`,
//!   `h[31] &= 0x7F`, `h[31] |= 0x40`; a multiple of 8 with bit 254 set.
//! - Public key: `A = Base8·(s >> 3)` (equal to `Generator·s`).
//! - Nonce: `r = LE(BLAKE-512(h[32..64] ‖ LE32(msg))) mod l`; `R8 = Base8·r`.
//! - Challenge: `hm = Poseidon(R8x, R8y, Ax, Ay, msg)` ([`challenge_hash`]).
//! - Response: `S = (r + hm·s) mod l`, with the *full* pruned `s`.
//! - Verification: `S < l` and `Base8·S = R8 + (8·hm)·A`, `hm` taken as
//!   the integer value of the Poseidon output.
//! - Encodings: `packPoint` (32 bytes, see [`babyjubjub::pack`]) and
//!   `packSignature = packPoint(R8) ‖ LE32(S)` (64 bytes).
//!
//! # Where this is stricter than circomlibjs
//!
//! circomlibjs' `verifyPoseidon` accepts forgeries under the identity and
//! small-order public keys (docs/security.md, V5): with `A = (0, 1)` any
//! `(R8, S) = (S·Base8, S)` verifies for every message. Here a
//! [`PublicKey`] can only be built from a point that is on the curve, in the
//! prime-order subgroup and not the identity, so such keys are rejected
//! before any verification. `S` is a [`Fs`], hence always `< l`; the parsers
//! ([`Signature::from_parts_canonical`], [`Signature::unpack`]) reject
//! `S ≥ l` instead of reducing it (docs/security.md, items 18, 19), and every point
//! encoding must be canonical.

pub mod blake512;
#[cfg(feature = "r1cs")]
pub mod constraints;

use crate::babyjubjub::{self, Fq, Fs, Point, PointError, BASE8};
use crate::poseidon;
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, PrimeField, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use blake512::blake512;

/// Why a key, signature or encoding is rejected.
///
/// The messages name the failed check only; they never contain key
/// material, scalars or coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EddsaError {
    /// The public key's coordinates do not satisfy the curve equation.
    #[error("public key is not on the BabyJubJub curve")]
    KeyNotOnCurve,
    /// The public key has a small-order component (order 2, 4 or 8, or
    /// mixed order): it is not in the prime-order subgroup.
    #[error("public key is not in the prime-order subgroup")]
    KeyNotInSubgroup,
    /// The public key is the identity point `(0, 1)`.
    #[error("public key is the identity point")]
    KeyIsIdentity,
    /// The signature scalar `S` is not below the subgroup order `l`.
    #[error("signature scalar S is not below the subgroup order l")]
    ScalarNotBelowSubgroupOrder,
    /// The signature's nonce point `R8` is not on the curve.
    #[error("signature nonce point R8 is not on the BabyJubJub curve")]
    NonceNotOnCurve,
    /// The signature's nonce point `R8` is the identity point `(0, 1)`.
    #[error("signature nonce point R8 is the identity point")]
    NonceIsIdentity,
    /// A packed point is not the canonical encoding of a point (`y ≥ p`, or
    /// the sign bit set with `x = 0`).
    #[error("packed point is not a canonical encoding")]
    NonCanonicalEncoding,
    /// The verification equation `Base8·S = R8 + (8·hm)·A` does not hold.
    #[error("signature does not verify")]
    InvalidSignature,
}

/// Map a point error for a public key.
fn key_error(e: PointError) -> EddsaError {
    match e {
        PointError::NotOnCurve => EddsaError::KeyNotOnCurve,
        PointError::NotInSubgroup => EddsaError::KeyNotInSubgroup,
        PointError::Identity => EddsaError::KeyIsIdentity,
        PointError::NonCanonical => EddsaError::NonCanonicalEncoding,
    }
}

/// Map a point error for a signature's nonce point `R8`.
fn nonce_error(e: PointError) -> EddsaError {
    match e {
        // `R8` is never subgroup-checked, so this arm is unreachable in
        // practice; map it to the closest nonce error all the same.
        PointError::NotOnCurve | PointError::NotInSubgroup => EddsaError::NonceNotOnCurve,
        PointError::Identity => EddsaError::NonceIsIdentity,
        PointError::NonCanonical => EddsaError::NonCanonicalEncoding,
    }
}

/// An EdDSA-Poseidon private key: 32 raw bytes, hashed with BLAKE-512 as in
/// circomlibjs (`prv2pub`, `signPoseidon`).
///
/// `Debug` prints `PrivateKey(..)`, never the bytes. The bytes are not
/// zeroized on drop.
#[derive(Clone)]
pub struct PrivateKey([u8; 32]);

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

impl PrivateKey {
    /// A private key from its 32 raw bytes (any value is a valid key).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 raw bytes of the key.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// A fresh key of 32 uniformly random bytes from a cryptographic RNG.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// `BLAKE-512(prv)`: the first half gives the secret scalar, the second
    /// half keys the nonce derivation.
    fn expand(&self) -> [u8; 64] {
        blake512(&self.0)
    }

    /// The pruned secret scalar `s = LE(prune(h[0..32]))` as 32
    /// little-endian bytes: a multiple of 8 with bit 254 set, below 2^255.
    ///
    /// This is secret: exposed for known-answer tests and for tooling that
    /// needs circomlibjs' intermediate values. Signing and key derivation do
    /// not need it.
    pub fn pruned_scalar_le(&self) -> [u8; 32] {
        prune(&self.expand())
    }

    /// The deterministic nonce `r = LE(BLAKE-512(h[32..64] ‖ LE32(msg))) mod l`
    /// that [`sign`](Self::sign) uses for `msg`.
    ///
    /// This is secret (whoever knows `r` for a signature can recover `s`);
    /// exposed for known-answer tests only.
    pub fn nonce(&self, msg: Fq) -> Fs {
        nonce(&self.expand(), msg)
    }

    /// The public key `A = Base8·(s >> 3)` (circomlibjs `prv2pub`).
    ///
    /// `A` could only be the identity if `s >> 3` were a multiple of `l`,
    /// i.e. `s = 16·l`: that needs a key whose BLAKE-512 hash matches one
    /// fixed 251-bit pattern, so the case is not checked.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(public_point(&prune(&self.expand())))
    }

    /// Sign a field element (circomlibjs `signPoseidon`): deterministic
    /// nonce `r`, `R8 = Base8·r`, `hm = Poseidon(R8x, R8y, Ax, Ay, msg)`,
    /// `S = (r + hm·s) mod l`.
    ///
    /// If `r ≡ 0 (mod l)` (probability about 2^-251) `R8` is the identity;
    /// [`PublicKey::verify`] rejects such a signature with
    /// [`EddsaError::NonceIsIdentity`], as [`Signature::new`] and the parsers
    /// would.
    pub fn sign(&self, msg: Fq) -> Signature {
        let h = self.expand();
        let s_bytes = prune(&h);
        let a = public_point(&s_bytes);
        let r = nonce(&h, msg);
        let r8 = (BASE8 * r).into_affine();
        let hm = challenge_hash(&r8, &a, msg);
        // hm < p and s < 2^255 are integers; reduce both mod l.
        let hm_mod_l = Fs::from_le_bytes_mod_order(&hm.into_bigint().to_bytes_le());
        let s_mod_l = Fs::from_le_bytes_mod_order(&s_bytes);
        Signature {
            r8,
            s: r + hm_mod_l * s_mod_l,
        }
    }
}

/// circomlibjs `pruneBuffer` on the first half of `h`.
fn prune(h: &[u8; 64]) -> [u8; 32] {
    let mut s = [0u8; 32];
    s.copy_from_slice(&h[..32]);
    s[0] &= 0xF8;
    s[31] &= 0x7F;
    s[31] |= 0x40;
    s
}

/// 32 little-endian bytes as four little-endian 64-bit limbs.
fn le_limbs(bytes: &[u8; 32]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
    }
    limbs
}

/// `A = Base8·(s >> 3)` for the pruned scalar `s`.
fn public_point(s_le: &[u8; 32]) -> Point {
    let s_shr3 = ark_ff::BigInt(le_limbs(s_le)) >> 3;
    BASE8.mul_bigint(s_shr3).into_affine()
}

/// `r = LE(BLAKE-512(h[32..64] ‖ LE32(msg))) mod l`.
fn nonce(h: &[u8; 64], msg: Fq) -> Fs {
    let mut input = [0u8; 64];
    input[..32].copy_from_slice(&h[32..]);
    for (dst, src) in input[32..].iter_mut().zip(msg.into_bigint().to_bytes_le()) {
        *dst = src;
    }
    // Reducing our own 512-bit hash output mod l is circomlibjs' definition;
    // this is not a parse of untrusted input.
    Fs::from_le_bytes_mod_order(&blake512(&input))
}

/// The EdDSA challenge `hm = Poseidon(R8x, R8y, Ax, Ay, msg)` (circomlib's
/// `Poseidon(5)`, width 6).
pub fn challenge_hash(r8: &Point, a: &Point, msg: Fq) -> Fq {
    poseidon::hash_fixed([r8.x, r8.y, a.x, a.y, msg])
}

/// A public key `A`: always a point on the curve, in the prime-order
/// subgroup, and not the identity.
///
/// Every constructor enforces this, so a verifier holding a `PublicKey` is
/// not exposed to circomlibjs' small-order forgeries (docs/security.md, V5,
/// items 23–26, 59).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(Point);

impl PublicKey {
    /// A public key from a point; rejects points off the curve
    /// ([`EddsaError::KeyNotOnCurve`]), outside the prime-order subgroup
    /// (small or mixed order, [`EddsaError::KeyNotInSubgroup`]) and the
    /// identity ([`EddsaError::KeyIsIdentity`]).
    pub fn from_point(p: Point) -> Result<Self, EddsaError> {
        Self::from_coordinates(p.x, p.y)
    }

    /// A public key from circomlib coordinates `(Ax, Ay)`; the checks of
    /// [`from_point`](Self::from_point).
    pub fn from_coordinates(x: Fq, y: Fq) -> Result<Self, EddsaError> {
        babyjubjub::point_in_subgroup(x, y)
            .map(Self)
            .map_err(key_error)
    }

    /// The point `A`.
    pub fn point(&self) -> Point {
        self.0
    }

    /// `Ax`.
    pub fn x(&self) -> Fq {
        self.0.x
    }

    /// `Ay`.
    pub fn y(&self) -> Fq {
        self.0.y
    }

    /// circomlib `packPoint(A)`: 32 bytes.
    pub fn pack(&self) -> [u8; 32] {
        babyjubjub::pack(&self.0)
    }

    /// Parse a packed public key strictly: `y < p`, no "negative zero" `x`,
    /// on the curve, in the prime-order subgroup, not the identity.
    pub fn unpack(bytes: &[u8; 32]) -> Result<Self, EddsaError> {
        babyjubjub::unpack(bytes).map(Self).map_err(key_error)
    }

    /// Verify a signature on `msg` (circomlibjs `verifyPoseidon`, minus its
    /// small-order key weakness, which [`PublicKey`] rules out):
    /// `Base8·S = R8 + 8·(hm·A)` with `hm = Poseidon(R8x, R8y, Ax, Ay, msg)`
    /// taken as an integer, exactly as circomlib multiplies.
    ///
    /// `S < l` holds by construction of [`Signature`]. `R8 ≠ O` is checked
    /// again here (the only [`Signature`] that can hold `R8 = O` is one
    /// [`PrivateKey::sign`] made with a zero nonce, and with `R8 = O` the
    /// equation holds for `S = hm·s`). `R8` is not subgroup-checked
    /// separately: every other term of the equation lies in the prime-order
    /// subgroup, so the equation can only hold if `R8` does too.
    pub fn verify(&self, msg: Fq, sig: &Signature) -> Result<(), EddsaError> {
        if sig.r8.is_zero() {
            return Err(EddsaError::NonceIsIdentity);
        }
        let hm = challenge_hash(&sig.r8, &self.0, msg);
        let lhs = BASE8.mul_bigint(sig.s.into_bigint());
        let hm_a = self.0.mul_bigint(hm.into_bigint());
        let rhs = hm_a.double().double().double() + sig.r8;
        if lhs == rhs {
            Ok(())
        } else {
            Err(EddsaError::InvalidSignature)
        }
    }
}

/// An EdDSA-Poseidon signature `(R8, S)`.
///
/// Invariants: `R8` is on the curve and not the identity; `S < l` (it is an
/// [`Fs`]). `R8` is *not* required to lie in the prime-order subgroup: a
/// signature whose `R8` has a small-order component can never satisfy the
/// verification equation (see [`PublicKey::verify`]), so the check would
/// add nothing; all constructors, [`unpack`](Self::unpack) included, apply
/// the same rules, so `unpack(pack(sig)) == sig` for every signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature {
    r8: Point,
    s: Fs,
}

impl Signature {
    /// A signature from its parts; `r8` must be on the curve
    /// ([`EddsaError::NonceNotOnCurve`]) and not the identity
    /// ([`EddsaError::NonceIsIdentity`]).
    pub fn new(r8: Point, s: Fs) -> Result<Self, EddsaError> {
        let r8 = babyjubjub::point_on_curve(r8.x, r8.y).map_err(nonce_error)?;
        if r8.is_zero() {
            return Err(EddsaError::NonceIsIdentity);
        }
        Ok(Self { r8, s })
    }

    /// A signature from circomlibjs' parts `R8x`, `R8y` and `S` given as 32
    /// little-endian bytes. `S ≥ l` is rejected with
    /// [`EddsaError::ScalarNotBelowSubgroupOrder`], never reduced: `S` and
    /// `S + l` would otherwise be two encodings of one signature.
    pub fn from_parts_canonical(r8x: Fq, r8y: Fq, s_le: [u8; 32]) -> Result<Self, EddsaError> {
        let s = fs_from_le_canonical(&s_le)?;
        Self::new(Point::new_unchecked(r8x, r8y), s)
    }

    /// The nonce point `R8`.
    pub fn r8(&self) -> Point {
        self.r8
    }

    /// The scalar `S`.
    pub fn s(&self) -> Fs {
        self.s
    }

    /// circomlibjs `packSignature`: `packPoint(R8) ‖ LE32(S)`, 64 bytes.
    pub fn pack(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&babyjubjub::pack(&self.r8));
        for (dst, src) in out[32..].iter_mut().zip(self.s.into_bigint().to_bytes_le()) {
            *dst = src;
        }
        out
    }

    /// Parse a packed signature strictly: `R8` canonically encoded (`y < p`,
    /// no "negative zero" `x`), on the curve and not the identity; `S < l`.
    /// `R8`'s subgroup membership is left to verification (see the type's
    /// documentation).
    pub fn unpack(bytes: &[u8; 64]) -> Result<Self, EddsaError> {
        let mut r8_bytes = [0u8; 32];
        r8_bytes.copy_from_slice(&bytes[..32]);
        let mut s_bytes = [0u8; 32];
        s_bytes.copy_from_slice(&bytes[32..]);
        let r8 = unpack_on_curve(&r8_bytes)?;
        let s = fs_from_le_canonical(&s_bytes)?;
        Self::new(r8, s)
    }
}

/// `S` from 32 little-endian bytes, rejecting `S ≥ l`.
fn fs_from_le_canonical(bytes: &[u8; 32]) -> Result<Fs, EddsaError> {
    Fs::from_bigint(ark_ff::BigInt(le_limbs(bytes))).ok_or(EddsaError::ScalarNotBelowSubgroupOrder)
}

/// circomlib `unpackPoint` for a nonce point: canonical `y`, the `x` of the
/// encoded sign, on the curve; no subgroup or identity check (the caller
/// checks the identity).
fn unpack_on_curve(bytes: &[u8; 32]) -> Result<Point, EddsaError> {
    let sign = bytes[31] & 0x80 != 0;
    let mut y_bytes = *bytes;
    y_bytes[31] &= 0x7f;
    let y = babyjubjub::fq_from_le_canonical(&y_bytes).ok_or(EddsaError::NonCanonicalEncoding)?;
    // a·x² + y² = 1 + d·x²·y²  ⇒  x² = (1 − y²)/(a − d·y²). The denominator
    // vanishes only if a/d is a square, which it is not; treat it as "no
    // point with this y".
    let y2 = y.square();
    let den = (babyjubjub::COEFF_A - babyjubjub::COEFF_D * y2)
        .inverse()
        .ok_or(EddsaError::NonceNotOnCurve)?;
    let mut x = ((Fq::ONE - y2) * den)
        .sqrt()
        .ok_or(EddsaError::NonceNotOnCurve)?;
    if babyjubjub::is_negative(x) != sign {
        x = -x;
    }
    // x = 0 has a single encoding: sign bit clear.
    if x.is_zero() && sign {
        return Err(EddsaError::NonCanonicalEncoding);
    }
    babyjubjub::point_on_curve(x, y).map_err(nonce_error)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    fn test_rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(7)
    }

    #[test]
    fn debug_does_not_print_key_material() {
        let k = PrivateKey::from_bytes([0xAB; 32]);
        assert_eq!(format!("{k:?}"), "PrivateKey(..)");
    }

    #[test]
    fn public_key_equals_generator_times_full_scalar() {
        let mut rng = test_rng();
        for _ in 0..4 {
            let k = PrivateKey::generate(&mut rng);
            let s = le_limbs(&k.pruned_scalar_le());
            let via_generator = babyjubjub::GENERATOR.mul_bigint(s).into_affine();
            assert_eq!(k.public_key().point(), via_generator);
        }
    }

    #[test]
    fn sign_verify_round_trip_and_pack() {
        let mut rng = test_rng();
        for _ in 0..8 {
            let k = PrivateKey::generate(&mut rng);
            let pk = k.public_key();
            let msg = Fq::rand(&mut rng);
            let sig = k.sign(msg);
            pk.verify(msg, &sig).unwrap();
            assert_eq!(Signature::unpack(&sig.pack()).unwrap(), sig);
            assert_eq!(PublicKey::unpack(&pk.pack()).unwrap(), pk);
            assert_eq!(
                pk.verify(msg + Fq::ONE, &sig),
                Err(EddsaError::InvalidSignature)
            );
        }
    }

    /// A zero nonce gives `R8 = O` and `S = hm·s`, which satisfies the
    /// group equation; `verify` still rejects it.
    #[test]
    fn verify_rejects_zero_nonce_signature_that_satisfies_the_equation() {
        let k = PrivateKey::from_bytes([7; 32]);
        let pk = k.public_key();
        let msg = Fq::from(99u64);
        let r8 = babyjubjub::identity();
        let hm = challenge_hash(&r8, &pk.point(), msg);
        let hm_mod_l = Fs::from_le_bytes_mod_order(&hm.into_bigint().to_bytes_le());
        let s = hm_mod_l * Fs::from_le_bytes_mod_order(&k.pruned_scalar_le());
        let lhs = BASE8.mul_bigint(s.into_bigint());
        let rhs = pk
            .point()
            .mul_bigint(hm.into_bigint())
            .double()
            .double()
            .double();
        assert_eq!(lhs, rhs, "the equation alone holds");
        let sig = Signature { r8, s };
        assert_eq!(pk.verify(msg, &sig), Err(EddsaError::NonceIsIdentity));
        assert_eq!(Signature::new(r8, s), Err(EddsaError::NonceIsIdentity));
    }

    #[test]
    fn unpack_on_curve_agrees_with_strict_unpack_on_subgroup_points() {
        let mut rng = test_rng();
        for _ in 0..16 {
            let p = (BASE8 * Fs::rand(&mut rng)).into_affine();
            let bytes = babyjubjub::pack(&p);
            assert_eq!(unpack_on_curve(&bytes).unwrap(), p);
            assert_eq!(babyjubjub::unpack(&bytes).unwrap(), p);
        }
    }
}
