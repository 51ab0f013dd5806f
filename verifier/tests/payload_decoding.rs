//! Every bad-input class of docs/security.md, section C, and the protocol
//! checks of section D that `StatusVerifier` owns, against
//! `Payload::from_bytes`, `Payload::from_text`, `Proof::from_bytes` and
//! `StatusVerifier::verify`. Each test asserts the precise error variant;
//! none may panic, and no malformed or mutated payload is ever accepted.
//!
//! Not applicable here, by construction:
//! - item 55 (a public-input scalar ≥ r): the payload carries no field
//!   element. `now` is a `u64`, the issuer key is a packed BabyJubJub point
//!   (whose `y ≥ p` is tested below), and the policy and challenge are the
//!   verifier's own values;
//! - item 56 (challenge aliasing): the challenge never travels in the
//!   payload; the verifier holds it as an `Fr`;
//! - item 57 (wrong public-input count): `PreparedVerifyingKey::verify`
//!   takes `&[Fr; N_PUBLIC_INPUTS]` and the key holds a fixed array of
//!   `N_PUBLIC_INPUTS + 1` bases, so a wrong count does not compile.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The statement tests' honest baseline, shared rather than copied.
#[path = "../../circuits/tests/common/mod.rs"]
mod common;

use ark_bn254::{Bn254, Fq as BaseFq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::{short_weierstrass::SWCurveConfig, AffineRepr};
use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use ark_groth16::Groth16;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::SNARK;
use common::v1::*;
use common::*;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zkstatus_circuits::babyjubjub::{self, Point, COEFF_A, COEFF_D};
use zkstatus_circuits::eddsa::EddsaError;
use zkstatus_circuits::statement::constraints::StatusCircuit;
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_verifier::groth16::{
    EncodingError, Proof, VerifyingKey, G1_BYTES, G2_BYTES, PROOF_BYTES,
};
use zkstatus_verifier::payload::{
    base45_encode, Payload, PayloadError, PAYLOAD_BYTES, PAYLOAD_VERSION, TEXT_CHARS, TEXT_PREFIX,
};
use zkstatus_verifier::{
    Accepted, ConfigError, Rejection, StatusVerifier, VerifyError, DEFAULT_MAX_SKEW_SECS,
    MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME,
};

/// Offsets in the binary payload.
const PROOF_AT: usize = 1;
const A_AT: usize = PROOF_AT;
const B_AT: usize = PROOF_AT + G1_BYTES;
const C_AT: usize = PROOF_AT + G1_BYTES + G2_BYTES;
const NOW_AT: usize = PROOF_AT + PROOF_BYTES;
const KEY_AT: usize = NOW_AT + 8;
const MIB: usize = 1 << 20;

struct Fixture {
    vk: VerifyingKey,
    verifier: StatusVerifier,
    payload: Payload,
    bytes: [u8; PAYLOAD_BYTES],
}

/// Seeded Groth16 keys, one honest proof for `common::public()`, and a
/// verifier trusting the issuer under `common::policy()`; made once.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0xc0de);
        let (pk, ark_vk) =
            Groth16::<Bn254>::circuit_specific_setup(StatusCircuit::blank(), &mut rng).unwrap();
        let p = Groth16::<Bn254>::prove(&pk, circuit(honest_public(), honest_witness()), &mut rng)
            .unwrap();
        let vk = VerifyingKey {
            alpha_g1: ark_vk.alpha_g1,
            beta_g2: ark_vk.beta_g2,
            gamma_g2: ark_vk.gamma_g2,
            delta_g2: ark_vk.delta_g2,
            gamma_abc_g1: ark_vk.gamma_abc_g1.clone().try_into().unwrap(),
        };
        let payload = Payload {
            proof: Proof {
                a: p.a,
                b: p.b,
                c: p.c,
            },
            now: NOW,
            issuer: issuer_key().public_key(),
        };
        let verifier = StatusVerifier::new(&vk, vec![issuer_key().public_key()], policy()).unwrap();
        Fixture {
            bytes: payload.to_bytes(),
            vk,
            verifier,
            payload,
        }
    })
}

fn challenge() -> Challenge {
    public().challenge
}

fn accepted() -> Result<Accepted, VerifyError> {
    Ok(Accepted {
        issuer: issuer_key().public_key(),
        now: NOW,
    })
}

/// The fixture's verifier at the payload's own time and challenge.
fn verify(bytes: &[u8]) -> Result<Accepted, VerifyError> {
    fixture().verifier.verify(bytes, NOW, &challenge())
}

fn malformed(e: PayloadError) -> Result<Accepted, VerifyError> {
    Err(VerifyError::Malformed(e))
}

fn rejected(r: Rejection) -> Result<Accepted, VerifyError> {
    Err(VerifyError::Rejected(r))
}

/// The valid payload with `bytes` written at `at`.
fn patched(at: usize, bytes: &[u8]) -> [u8; PAYLOAD_BYTES] {
    let mut out = fixture().bytes;
    out[at..at + bytes.len()].copy_from_slice(bytes);
    out
}

/// The valid payload with another `now`.
fn with_now(now: u64) -> [u8; PAYLOAD_BYTES] {
    patched(NOW_AT, &now.to_be_bytes())
}

fn proof_error(e: EncodingError) -> Result<Accepted, VerifyError> {
    malformed(PayloadError::Proof(e))
}

fn key_error(e: EddsaError) -> Result<Accepted, VerifyError> {
    malformed(PayloadError::IssuerKey(e))
}

/// Little-endian bytes of a BN254 base-field modulus plus `k` (`k` small).
fn bn254_p_plus(k: u64) -> [u8; 32] {
    let mut m = BaseFq::MODULUS;
    m.add_with_carry(&ark_ff::BigInt::from(k));
    m.to_bytes_le().try_into().unwrap()
}

/// Little-endian bytes of the BabyJubJub base field (BN254 `Fr`) modulus plus `k`.
fn bjj_p_plus(k: u64) -> [u8; 32] {
    let mut m = Fr::MODULUS;
    m.add_with_carry(&ark_ff::BigInt::from(k));
    m.to_bytes_le().try_into().unwrap()
}

/// The compressed G1 encoding of the identity with `x` in place of zero.
fn g1_identity_with_x(x: u8) -> [u8; G1_BYTES] {
    let mut out = [0u8; G1_BYTES];
    out[0] = x;
    out[G1_BYTES - 1] |= 0x40; // SWFlags::PointAtInfinity (bit 6 of the last byte)
    out
}

/// A compressed G1 `x` (flags clear) with no point on `y² = x³ + 3`.
fn g1_x_off_curve() -> [u8; G1_BYTES] {
    let b = ark_bn254::g1::Config::COEFF_B;
    let x = (2u64..)
        .map(BaseFq::from)
        .find(|x| (x.square() * x + b).sqrt().is_none())
        .unwrap();
    let mut out = [0u8; G1_BYTES];
    out.copy_from_slice(&x.into_bigint().to_bytes_le());
    assert!(G1Affine::deserialize_compressed(&out[..]).is_err());
    out
}

// ---------------------------------------------------------------------------
// Baseline.

#[test]
fn valid_payload_round_trips_and_is_accepted() {
    let f = fixture();
    assert_eq!(PAYLOAD_BYTES, 169);
    assert_eq!(f.bytes[0], PAYLOAD_VERSION);
    assert_eq!(Payload::from_bytes(&f.bytes).unwrap(), f.payload);
    let text = f.payload.to_text();
    assert_eq!(text.len(), TEXT_CHARS);
    assert!(text.starts_with(TEXT_PREFIX));
    assert_eq!(Payload::from_text(&text).unwrap(), f.payload);
    assert_eq!(verify(&f.bytes), accepted());
    assert_eq!(
        f.verifier.verify(&f.payload.to_bytes(), NOW, &challenge()),
        Ok(Accepted {
            issuer: issuer_key().public_key(),
            now: NOW
        })
    );
    assert_eq!(f.verifier.verifying_key(), &f.vk);
    assert_eq!(f.verifier.policy(), &policy());
}

// ---------------------------------------------------------------------------
// Item 49: lengths.

#[test]
fn rejects_payload_of_wrong_length_before_decoding() {
    // The contents would fail later checks differently (version 0xff, no
    // valid point), so WrongLength shows the length is checked first.
    for n in [0, 1, PAYLOAD_BYTES - 1, PAYLOAD_BYTES + 1, MIB] {
        let bytes = vec![0xffu8; n];
        let e = PayloadError::WrongLength {
            expected: PAYLOAD_BYTES,
            got: n,
        };
        assert_eq!(Payload::from_bytes(&bytes), Err(e), "{n} bytes");
        assert_eq!(verify(&bytes), malformed(e), "{n} bytes");
    }
    // Prefixes of the valid payload too.
    let f = fixture();
    for n in [0, 1, 128, 129, PAYLOAD_BYTES - 1] {
        assert_eq!(
            verify(&f.bytes[..n]),
            malformed(PayloadError::WrongLength {
                expected: PAYLOAD_BYTES,
                got: n
            })
        );
    }
}

#[test]
fn rejects_proof_of_wrong_length() {
    let good = fixture().payload.proof.to_bytes();
    for n in [0, 1, PROOF_BYTES - 1, PROOF_BYTES + 1, MIB] {
        let mut bytes = good.to_vec();
        bytes.resize(n, 0);
        assert_eq!(
            Proof::from_bytes(&bytes),
            Err(EncodingError::WrongLength {
                expected: PROOF_BYTES,
                got: n
            }),
            "{n} bytes"
        );
    }
    assert_eq!(Proof::from_bytes(&good).unwrap(), fixture().payload.proof);
}

// ---------------------------------------------------------------------------
// Item 50: trailing bytes and versions.

#[test]
fn rejects_payload_with_trailing_bytes() {
    // V19: ark-serialize ignores trailing bytes; we do not.
    let f = fixture();
    for extra in [&[0u8][..], &[0, 0, 0], &[0xff; 31]] {
        let mut bytes = f.bytes.to_vec();
        bytes.extend_from_slice(extra);
        assert_eq!(
            verify(&bytes),
            malformed(PayloadError::WrongLength {
                expected: PAYLOAD_BYTES,
                got: PAYLOAD_BYTES + extra.len()
            })
        );
    }
    let mut proof = f.payload.proof.to_bytes().to_vec();
    proof.extend_from_slice(&[1, 2, 3]);
    assert!(ark_groth16::Proof::<Bn254>::deserialize_compressed(&proof[..]).is_ok());
    assert_eq!(
        Proof::from_bytes(&proof),
        Err(EncodingError::WrongLength {
            expected: PROOF_BYTES,
            got: PROOF_BYTES + 3
        })
    );
}

#[test]
fn rejects_payload_with_unknown_version_byte() {
    for v in [0u8, 2, 255] {
        let bytes = patched(0, &[v]);
        assert_eq!(
            Payload::from_bytes(&bytes),
            Err(PayloadError::UnknownVersion(v))
        );
        assert_eq!(verify(&bytes), malformed(PayloadError::UnknownVersion(v)));
        // Checked before the proof is decoded.
        let mut bytes = bytes;
        bytes[A_AT..A_AT + G1_BYTES].copy_from_slice(&bn254_p_plus(0));
        assert_eq!(verify(&bytes), malformed(PayloadError::UnknownVersion(v)));
    }
}

// ---------------------------------------------------------------------------
// Items 51–53: points.

#[test]
fn rejects_non_canonical_identity_encoding_in_proof() {
    // V20: ark decodes "infinity flag + garbage x" to the identity; we
    // re-encode and compare, so it is NonCanonical.
    let garbage = g1_identity_with_x(7);
    assert_eq!(
        G1Affine::deserialize_compressed(&garbage[..]).unwrap(),
        G1Affine::zero()
    );
    for (at, what) in [(A_AT, "proof point A"), (C_AT, "proof point C")] {
        assert_eq!(
            verify(&patched(at, &garbage)),
            proof_error(EncodingError::NonCanonical(what))
        );
        // Garbage in the top byte, under the flags, too.
        let mut top = g1_identity_with_x(0);
        top[G1_BYTES - 1] |= 0x01;
        assert_eq!(
            verify(&patched(at, &top)),
            proof_error(EncodingError::NonCanonical(what))
        );
        // Both flags at once are no encoding at all.
        let mut both = [0u8; G1_BYTES];
        both[G1_BYTES - 1] = 0xc0;
        assert_eq!(
            verify(&patched(at, &both)),
            proof_error(EncodingError::InvalidPoint(what))
        );
        // The infinity flag over x ≥ p fails while reading x.
        let mut big = bn254_p_plus(0);
        big[G1_BYTES - 1] |= 0x40;
        assert_eq!(
            verify(&patched(at, &big)),
            proof_error(EncodingError::InvalidPoint(what))
        );
    }
    // G2: the flags live in the last byte of x.c1; garbage in c0 or c1.
    for garbage_at in [0, G2_BYTES / 2, G2_BYTES - 2] {
        let mut b = [0u8; G2_BYTES];
        b[garbage_at] = 7;
        b[G2_BYTES - 1] = 0x40;
        assert_eq!(
            G2Affine::deserialize_compressed(&b[..]).unwrap(),
            G2Affine::zero()
        );
        assert_eq!(
            verify(&patched(B_AT, &b)),
            proof_error(EncodingError::NonCanonical("proof point B"))
        );
    }
}

#[test]
fn rejects_proof_point_with_x_not_below_p() {
    // x = 1 is the generator's x (valid); x = 1 + p is its alias.
    let mut one = [0u8; G1_BYTES];
    one[0] = 1;
    assert_eq!(
        G1Affine::deserialize_compressed(&one[..]).unwrap().x,
        BaseFq::from(1u64)
    );
    let mut max = [0xffu8; G1_BYTES];
    max[G1_BYTES - 1] = 0x3f; // 2^254 − 1, flags clear
    for x in [bn254_p_plus(0), bn254_p_plus(1), max] {
        for (at, what) in [(A_AT, "proof point A"), (C_AT, "proof point C")] {
            assert_eq!(
                verify(&patched(at, &x)),
                proof_error(EncodingError::InvalidPoint(what))
            );
        }
    }
    // B: x.c0 = p, x.c1 = 0.
    let mut b = [0u8; G2_BYTES];
    b[..32].copy_from_slice(&bn254_p_plus(0));
    assert_eq!(
        verify(&patched(B_AT, &b)),
        proof_error(EncodingError::InvalidPoint("proof point B"))
    );
}

#[test]
fn rejects_proof_point_not_on_the_curve() {
    let x = g1_x_off_curve();
    let mut negative = x;
    negative[G1_BYTES - 1] |= 0x80;
    for bytes in [x, negative] {
        for (at, what) in [(A_AT, "proof point A"), (C_AT, "proof point C")] {
            assert_eq!(
                verify(&patched(at, &bytes)),
                proof_error(EncodingError::InvalidPoint(what))
            );
        }
    }
    // B with an x that has no point on the twist.
    let b2 = ark_bn254::g2::Config::COEFF_B;
    let x = (1u64..)
        .map(|i| Fq2::new(BaseFq::from(i), BaseFq::from(1u64)))
        .find(|x| (x.square() * x + b2).sqrt().is_none())
        .unwrap();
    let mut b = Vec::new();
    x.serialize_compressed(&mut b).unwrap();
    assert_eq!(
        verify(&patched(B_AT, &b)),
        proof_error(EncodingError::InvalidPoint("proof point B"))
    );
}

#[test]
fn rejects_proof_b_on_twist_outside_subgroup() {
    // V21: on y² = x³ + b' but outside the prime-order subgroup.
    let b2 = ark_bn254::g2::Config::COEFF_B;
    let p = (1u64..)
        .find_map(|i| {
            let x = Fq2::new(BaseFq::from(i), BaseFq::from(1u64));
            let y = (x.square() * x + b2).sqrt()?;
            Some(G2Affine::new_unchecked(x, y))
        })
        .unwrap();
    assert!(p.is_on_curve());
    assert!(!p.is_in_correct_subgroup_assuming_on_curve());
    let mut b = Vec::new();
    p.serialize_compressed(&mut b).unwrap();
    assert_eq!(b.len(), G2_BYTES);
    // The unchecked decoder would take it; the checked one must not.
    assert_eq!(
        G2Affine::deserialize_compressed_unchecked(&b[..]).unwrap(),
        p
    );
    assert!(G2Affine::deserialize_compressed(&b[..]).is_err());
    let bytes = patched(B_AT, &b);
    assert_eq!(
        Proof::from_bytes(&bytes[PROOF_AT..NOW_AT]),
        Err(EncodingError::InvalidPoint("proof point B"))
    );
    assert_eq!(
        verify(&bytes),
        proof_error(EncodingError::InvalidPoint("proof point B"))
    );
    // Its negation too.
    let mut b = Vec::new();
    (-p).serialize_compressed(&mut b).unwrap();
    assert_eq!(
        verify(&patched(B_AT, &b)),
        proof_error(EncodingError::InvalidPoint("proof point B"))
    );
}

#[test]
fn all_identity_proof_decodes_and_is_rejected_as_invalid() {
    // Item 53 / V17.
    let zero = Proof {
        a: G1Affine::zero(),
        b: G2Affine::zero(),
        c: G1Affine::zero(),
    };
    let encoded = zero.to_bytes();
    assert_eq!(encoded[G1_BYTES - 1], 0x40);
    assert!(encoded[..G1_BYTES - 1].iter().all(|b| *b == 0));
    assert_eq!(Proof::from_bytes(&encoded), Ok(zero));
    let payload = Payload {
        proof: zero,
        ..fixture().payload.clone()
    };
    let bytes = payload.to_bytes();
    assert_eq!(Payload::from_bytes(&bytes), Ok(payload));
    assert_eq!(verify(&bytes), rejected(Rejection::ProofInvalid));
    // An honest proof with one identity point is rejected the same way.
    for (at, len) in [(A_AT, G1_BYTES), (B_AT, G2_BYTES), (C_AT, G1_BYTES)] {
        let mut id = vec![0u8; len];
        id[len - 1] = 0x40;
        assert_eq!(verify(&patched(at, &id)), rejected(Rejection::ProofInvalid));
    }
}

// ---------------------------------------------------------------------------
// Item 59 (and the key half of 55): issuer keys.

#[test]
fn rejects_issuer_key_with_y_not_below_p() {
    let mut max = [0xffu8; 32];
    max[31] = 0x7f; // y = 2^255 − 1, sign clear
    let mut signed = bjj_p_plus(1);
    signed[31] |= 0x80; // alias of the identity's y, sign set
    for key in [bjj_p_plus(0), bjj_p_plus(1), max, [0xff; 32], signed] {
        assert_eq!(
            verify(&patched(KEY_AT, &key)),
            key_error(EddsaError::NonCanonicalEncoding)
        );
    }
}

#[test]
fn rejects_identity_issuer_key() {
    let id = babyjubjub::pack(&babyjubjub::identity());
    let mut expected = [0u8; 32];
    expected[0] = 1;
    assert_eq!(id, expected);
    assert_eq!(
        verify(&patched(KEY_AT, &id)),
        key_error(EddsaError::KeyIsIdentity)
    );
    // "Negative zero": the identity with the sign bit set.
    let mut neg = id;
    neg[31] |= 0x80;
    assert_eq!(
        verify(&patched(KEY_AT, &neg)),
        key_error(EddsaError::NonCanonicalEncoding)
    );
}

#[test]
fn rejects_order_two_and_mixed_order_issuer_keys() {
    let t2 = Point::new_unchecked(Fr::from(0u64), -Fr::from(1u64));
    assert!(t2.is_on_curve());
    assert_eq!(
        verify(&patched(KEY_AT, &babyjubjub::pack(&t2))),
        key_error(EddsaError::KeyNotInSubgroup)
    );
    // The real key plus the order-2 point: (x, y) + (0, −1) = (−x, −y).
    let a = issuer_key().public_key().point();
    let mixed = Point::new_unchecked(-a.x, -a.y);
    assert!(mixed.is_on_curve());
    assert_eq!(
        verify(&patched(KEY_AT, &babyjubjub::pack(&mixed))),
        key_error(EddsaError::KeyNotInSubgroup)
    );
}

#[test]
fn rejects_off_curve_issuer_key() {
    // A y for which x² = (1 − y²)/(a − d·y²) has no square root.
    let y = (2u64..)
        .map(Fr::from)
        .find(|y| {
            let y2 = y.square();
            ((Fr::from(1u64) - y2) * (COEFF_A - COEFF_D * y2).inverse().unwrap())
                .sqrt()
                .is_none()
        })
        .unwrap();
    let key: [u8; 32] = y.into_bigint().to_bytes_le().try_into().unwrap();
    let mut signed = key;
    signed[31] |= 0x80;
    for k in [key, signed] {
        assert_eq!(
            verify(&patched(KEY_AT, &k)),
            key_error(EddsaError::KeyNotOnCurve)
        );
    }
}

// ---------------------------------------------------------------------------
// Text form.

fn body() -> String {
    fixture().payload.to_text()[TEXT_PREFIX.len()..].to_string()
}

#[test]
fn rejects_text_without_prefix() {
    let body = body();
    for text in [
        String::new(),
        body.clone(),
        format!("ZKS1{body}"),
        format!("ZKS1 :{body}"),
        format!("\u{a0}ZKS1:{body}"), // non-ASCII whitespace is not trimmed
    ] {
        assert_eq!(Payload::from_text(&text), Err(PayloadError::MissingPrefix));
    }
}

/// Finding F-3: a differently cased or versioned prefix is named as a wrong
/// prefix, not as a wrong length.
#[test]
fn f3_a_wrong_or_differently_cased_prefix_is_named() {
    let body = body();
    for text in [
        format!("zks1:{body}"),
        format!("ZKS2:{body}"),
        format!("Zks1:{body}"),
        format!("  ZKS10:{body}\n"),
        format!("ZKS2:{body}{body}"),
    ] {
        let e = Payload::from_text(&text).unwrap_err();
        assert_eq!(e, PayloadError::WrongPrefix { expected: "ZKS1:" });
        assert_eq!(e.code(), "wrong-prefix");
        assert!(e.to_string().contains("prefix"), "{e}");
        assert!(e.to_string().contains("ZKS1:"), "{e}");
        assert!(Payload::looks_like_text(text.trim().as_bytes()));
    }
    assert!(!Payload::looks_like_text(body.as_bytes()));
}

#[test]
fn rejects_text_with_lowercase_body() {
    let body = body();
    let first_letter = body.bytes().position(|c| c.is_ascii_uppercase()).unwrap();
    assert_eq!(
        Payload::from_text(&format!("{TEXT_PREFIX}{}", body.to_ascii_lowercase())),
        Err(PayloadError::Base45(TEXT_PREFIX.len() + first_letter))
    );
    // A single lowercased letter, late in the body.
    let last_letter = body.bytes().rposition(|c| c.is_ascii_uppercase()).unwrap();
    let mut one = body.into_bytes();
    one[last_letter] = one[last_letter].to_ascii_lowercase();
    let one = String::from_utf8(one).unwrap();
    assert_eq!(
        Payload::from_text(&format!("{TEXT_PREFIX}{one}")),
        Err(PayloadError::Base45(TEXT_PREFIX.len() + last_letter))
    );
}

#[test]
fn rejects_text_with_character_outside_the_alphabet() {
    let body = body();
    for (i, bad) in [(0, "#"), (100, "="), (200, "\n"), (253, "_"), (50, "é")] {
        // Keep the byte length: "é" is two bytes and replaces two characters.
        let text = format!("{TEXT_PREFIX}{}{bad}{}", &body[..i], &body[i + bad.len()..]);
        assert_eq!(text.len(), TEXT_CHARS);
        assert_eq!(
            Payload::from_text(&text),
            Err(PayloadError::Base45(TEXT_PREFIX.len() + i)),
            "{bad:?} at {i}"
        );
    }
}

#[test]
fn rejects_text_with_base45_overflow() {
    let body = body();
    // "GGW" is 65536, one above a byte pair.
    let text = format!("{TEXT_PREFIX}GGW{}", &body[3..]);
    assert_eq!(
        Payload::from_text(&text),
        Err(PayloadError::Base45(TEXT_PREFIX.len() + 2))
    );
    // "ZZ" is above 255 for the final single byte.
    let text = format!("{TEXT_PREFIX}{}ZZ", &body[..body.len() - 2]);
    assert_eq!(
        Payload::from_text(&text),
        Err(PayloadError::Base45(TEXT_PREFIX.len() + body.len() - 1))
    );
}

#[test]
fn rejects_text_of_wrong_length() {
    let body = body();
    let wrong = |got| {
        Err(PayloadError::WrongLength {
            expected: PAYLOAD_BYTES,
            got,
        })
    };
    assert_eq!(Payload::from_text(TEXT_PREFIX), wrong(0));
    assert_eq!(
        Payload::from_text(&format!("{TEXT_PREFIX}{}", &body[..body.len() - 1])),
        wrong(PAYLOAD_BYTES - 1)
    );
    assert_eq!(
        Payload::from_text(&format!("{TEXT_PREFIX}{body}0")),
        wrong(PAYLOAD_BYTES + 1)
    );
    assert_eq!(
        Payload::from_text(&format!("{TEXT_PREFIX}{body}{body}")),
        wrong(2 * PAYLOAD_BYTES)
    );
    // Interior whitespace is not skipped.
    let text = format!("{TEXT_PREFIX}{} {}", &body[..100], &body[100..]);
    assert!(matches!(
        Payload::from_text(&text),
        Err(PayloadError::WrongLength {
            expected: PAYLOAD_BYTES,
            ..
        })
    ));
}

#[test]
fn rejects_text_of_a_168_byte_payload() {
    let bytes = fixture().bytes;
    let text = format!(
        "{TEXT_PREFIX}{}",
        base45_encode(&bytes[..PAYLOAD_BYTES - 1])
    );
    assert_eq!(
        Payload::from_text(&text),
        Err(PayloadError::WrongLength {
            expected: PAYLOAD_BYTES,
            got: PAYLOAD_BYTES - 1
        })
    );
    // Valid base45 of a well-sized but bad payload reaches the binary checks.
    let text = format!("{TEXT_PREFIX}{}", base45_encode(&patched(0, &[2])));
    assert_eq!(
        Payload::from_text(&text),
        Err(PayloadError::UnknownVersion(2))
    );
}

#[test]
fn accepts_text_with_surrounding_ascii_whitespace() {
    let f = fixture();
    let text = f.payload.to_text();
    // The body never ends in base45's space: its last character encodes
    // issuer-key byte 31 / 45 ≤ 3, so trimming cannot eat a digit.
    assert!(text.ends_with(['0', '1', '2', '3']));
    for t in [
        format!(" {text}"),
        format!("{text}\n"),
        format!("\t\r\n {text} \r\n\t"),
        format!("\x0c{text}\x0c"),
    ] {
        assert_eq!(Payload::from_text(&t), Ok(f.payload.clone()));
    }
}

#[test]
fn rejects_a_mebibyte_of_text_quickly() {
    let prefixed = format!("{TEXT_PREFIX}{}", "0".repeat(MIB));
    let letters = "A".repeat(MIB);
    let spaces = " ".repeat(MIB);
    let text = fixture().payload.to_text();
    let padded = format!("{}{text}{}", " ".repeat(MIB), "\n".repeat(MIB));
    let start = Instant::now();
    assert_eq!(
        Payload::from_text(&prefixed),
        Err(PayloadError::WrongLength {
            expected: PAYLOAD_BYTES,
            got: MIB / 3 * 2 + (MIB % 3).saturating_sub(1)
        })
    );
    assert_eq!(
        Payload::from_text(&letters),
        Err(PayloadError::MissingPrefix)
    );
    assert_eq!(
        Payload::from_text(&spaces),
        Err(PayloadError::MissingPrefix)
    );
    // Surrounding whitespace is trimmed whatever its length.
    assert_eq!(Payload::from_text(&padded), Ok(fixture().payload.clone()));
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_millis(500), "took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// Items 63, 65, 79: one verifier instance under a stream of garbage.

#[test]
fn one_verifier_survives_500_malformed_payloads_and_still_accepts() {
    let f = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(63);
    let (mut malformed_n, mut rejected_n) = (0, 0);
    for i in 0..500 {
        let bytes = if i % 2 == 0 {
            // Random bytes of a random length; a third of them the right
            // length with the right version byte, to reach the decoders.
            let n = if rng.gen_bool(1.0 / 3.0) {
                PAYLOAD_BYTES
            } else {
                rng.gen_range(0..2 * PAYLOAD_BYTES)
            };
            let mut b = vec![0u8; n];
            rng.fill_bytes(&mut b);
            if n == PAYLOAD_BYTES {
                b[0] = PAYLOAD_VERSION;
            }
            b
        } else {
            let mut b = f.bytes.to_vec();
            let bit = rng.gen_range(0..PAYLOAD_BYTES * 8);
            b[bit / 8] ^= 1 << (bit % 8);
            b
        };
        match f.verifier.verify(&bytes, NOW, &challenge()) {
            Ok(a) => panic!("input {i} accepted: {a:?}"),
            Err(VerifyError::Malformed(_)) => malformed_n += 1,
            Err(VerifyError::Rejected(_)) => rejected_n += 1,
            Err(e) => panic!("input {i}: unexpected {e:?}"),
        }
        if i % 100 == 99 {
            assert_eq!(verify(&f.bytes), accepted(), "after input {i}");
        }
    }
    assert!(
        malformed_n > 100 && rejected_n > 10,
        "{malformed_n} / {rejected_n}"
    );
    assert_eq!(verify(&f.bytes), accepted());
}

#[test]
fn every_single_bit_flip_of_the_valid_payload_is_malformed_or_rejected() {
    // Item 79: a mutated payload never maps to Accept, and each field's
    // mutations fail in that field's way.
    let f = fixture();
    let (mut malformed_n, mut rejected_n) = (0, 0);
    for bit in 0..PAYLOAD_BYTES * 8 {
        let mut b = f.bytes;
        let i = bit / 8;
        b[i] ^= 1 << (bit % 8);
        let r = verify(&b);
        let ok = match (i, &r) {
            (0, Err(VerifyError::Malformed(PayloadError::UnknownVersion(v)))) => *v == b[0],
            (
                PROOF_AT..NOW_AT,
                Err(VerifyError::Malformed(PayloadError::Proof(
                    EncodingError::InvalidPoint(_) | EncodingError::NonCanonical(_),
                ))),
            ) => true,
            (PROOF_AT..NOW_AT, Err(VerifyError::Rejected(Rejection::ProofInvalid))) => true,
            (
                NOW_AT..KEY_AT,
                Err(VerifyError::Rejected(
                    Rejection::ImplausibleTime(_)
                    | Rejection::ClockSkew { .. }
                    | Rejection::ProofInvalid,
                )),
            ) => true,
            (KEY_AT.., Err(VerifyError::Malformed(PayloadError::IssuerKey(_)))) => true,
            (KEY_AT.., Err(VerifyError::Rejected(Rejection::UntrustedIssuer))) => true,
            _ => false,
        };
        assert!(ok, "bit {bit} (byte {i}): {r:?}");
        match r {
            Err(VerifyError::Malformed(_)) => malformed_n += 1,
            _ => rejected_n += 1,
        }
    }
    assert_eq!(malformed_n + rejected_n, PAYLOAD_BYTES * 8);
    assert_eq!(verify(&f.bytes), accepted());
}

// ---------------------------------------------------------------------------
// Section D: what the verifier checks besides the bytes.

#[test]
fn rejects_valid_payload_under_another_challenge() {
    let f = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(68);
    let c = challenge().to_field();
    for other in [
        Challenge::from_field(c + Fr::from(1u64)),
        Challenge::from_field(Fr::from(0u64)),
        Challenge::random(&mut rng),
        Challenge::from_field(Fr::rand(&mut rng)),
    ] {
        assert_eq!(
            f.verifier.verify(&f.bytes, NOW, &other),
            rejected(Rejection::ProofInvalid)
        );
    }
}

#[test]
fn rejects_payload_outside_the_clock_skew() {
    let f = fixture();
    let skew = DEFAULT_MAX_SKEW_SECS;
    let v = &f.verifier;
    for verifier_now in [NOW + skew + 1, NOW - skew - 1] {
        assert_eq!(
            v.verify(&f.bytes, verifier_now, &challenge()),
            rejected(Rejection::ClockSkew {
                delta: skew + 1,
                max_skew: skew
            })
        );
    }
    // The tolerance is inclusive.
    for verifier_now in [NOW + skew, NOW - skew] {
        assert_eq!(v.verify(&f.bytes, verifier_now, &challenge()), accepted());
    }
    let strict = v.clone().with_max_skew(0);
    assert_eq!(strict.verify(&f.bytes, NOW, &challenge()), accepted());
    assert_eq!(
        strict.verify(&f.bytes, NOW + 1, &challenge()),
        rejected(Rejection::ClockSkew {
            delta: 1,
            max_skew: 0
        })
    );
    // A payload whose `now` was moved into the verifier's window no longer
    // matches its proof.
    assert_eq!(
        verify(&with_now(NOW + 1)),
        rejected(Rejection::ProofInvalid)
    );
}

#[test]
fn rejects_payload_under_a_laxer_or_stricter_policy() {
    let f = fixture();
    let policies = [
        StatusPolicy::new(Some(MAX_AGE_PCR - 1), Some(MAX_AGE_ANTIGEN), MIN_GAP),
        StatusPolicy::new(Some(MAX_AGE_PCR + 1), Some(MAX_AGE_ANTIGEN), MIN_GAP),
        StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN - 1), MIN_GAP),
        StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN), MIN_GAP + 1),
        StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN), MIN_GAP - 1),
        StatusPolicy::new(Some(MAX_AGE_PCR), None, MIN_GAP),
    ];
    for p in policies {
        let p = p.unwrap();
        let v = StatusVerifier::new(&f.vk, vec![issuer_key().public_key()], p).unwrap();
        assert_eq!(
            v.verify(&f.bytes, NOW, &challenge()),
            rejected(Rejection::ProofInvalid),
            "{p:?}"
        );
    }
}

#[test]
fn rejects_untrusted_issuer() {
    let f = fixture();
    let other = other_key().public_key();
    let v = StatusVerifier::new(&f.vk, vec![other], policy()).unwrap();
    assert_eq!(
        v.verify(&f.bytes, NOW, &challenge()),
        rejected(Rejection::UntrustedIssuer)
    );
    // Trusting both accepts.
    let both =
        StatusVerifier::new(&f.vk, vec![other, issuer_key().public_key()], policy()).unwrap();
    assert_eq!(both.verify(&f.bytes, NOW, &challenge()), accepted());
    // Claiming the other trusted issuer does not transfer the proof.
    let swapped = patched(KEY_AT, &other.pack());
    assert_eq!(
        both.verify(&swapped, NOW, &challenge()),
        rejected(Rejection::ProofInvalid)
    );
}

#[test]
fn rejects_implausible_times() {
    let f = fixture();
    let v = &f.verifier;
    let c = challenge();
    let ms = NOW * 1000;
    // The payload's `now` in milliseconds.
    assert_eq!(
        v.verify(&with_now(ms), NOW, &c),
        rejected(Rejection::ImplausibleTime(ms))
    );
    assert_eq!(
        v.verify(&with_now(ms), ms, &c),
        rejected(Rejection::ImplausibleTime(ms))
    );
    // The verifier's clock in milliseconds.
    assert_eq!(
        v.verify(&f.bytes, ms, &c),
        rejected(Rejection::ImplausibleTime(ms))
    );
    // Before 2020 and from 2100 on.
    for t in [0, 1, MIN_PLAUSIBLE_TIME - 1, MAX_PLAUSIBLE_TIME + 1] {
        assert_eq!(
            v.verify(&with_now(t), t, &c),
            rejected(Rejection::ImplausibleTime(t))
        );
        assert_eq!(
            v.verify(&f.bytes, t, &c),
            rejected(Rejection::ImplausibleTime(t))
        );
    }
    // The bounds themselves are plausible: the check moves on to the proof.
    for t in [MIN_PLAUSIBLE_TIME, MAX_PLAUSIBLE_TIME] {
        assert_eq!(
            v.verify(&with_now(t), t, &c),
            rejected(Rejection::ProofInvalid)
        );
    }
}

#[test]
fn empty_trust_list_is_a_config_error() {
    let r = StatusVerifier::new(&fixture().vk, Vec::new(), policy());
    assert!(matches!(r, Err(ConfigError::EmptyTrustList)), "{r:?}");
}

#[test]
fn clock_skew_arithmetic_with_u64_max_does_not_panic() {
    // Item 62.
    let f = fixture();
    let c = challenge();
    let v = &f.verifier;
    assert_eq!(
        v.verify(&f.bytes, u64::MAX, &c),
        rejected(Rejection::ImplausibleTime(u64::MAX))
    );
    assert_eq!(
        v.verify(&with_now(u64::MAX), NOW, &c),
        rejected(Rejection::ImplausibleTime(u64::MAX))
    );
    assert_eq!(
        v.verify(&with_now(u64::MAX), u64::MAX, &c),
        rejected(Rejection::ImplausibleTime(u64::MAX))
    );
    // An unlimited tolerance: the widest plausible gap passes the clock
    // check and the proof decides.
    let lax = v.clone().with_max_skew(u64::MAX);
    assert_eq!(lax.verify(&f.bytes, MAX_PLAUSIBLE_TIME, &c), accepted());
    assert_eq!(lax.verify(&f.bytes, MIN_PLAUSIBLE_TIME, &c), accepted());
    assert_eq!(
        lax.verify(&with_now(MIN_PLAUSIBLE_TIME), MAX_PLAUSIBLE_TIME, &c),
        rejected(Rejection::ProofInvalid)
    );
    let strict = v.clone().with_max_skew(0);
    assert_eq!(
        strict.verify(&with_now(MIN_PLAUSIBLE_TIME), MAX_PLAUSIBLE_TIME, &c),
        rejected(Rejection::ClockSkew {
            delta: MAX_PLAUSIBLE_TIME - MIN_PLAUSIBLE_TIME,
            max_skew: 0
        })
    );
}
