//! Hand-made rejection cases for EdDSA-Poseidon (docs/security.md, V4–V8,
//! items 18–28 and 59). circomlibjs is not a rejection oracle (V5), so each
//! case starts from a valid circomlibjs vector and changes one thing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod vector_helpers;

use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, PrimeField};
use num_bigint::BigUint;
use vector_helpers::{biguint, field, fq, hex_array, le32, load, str_of, to_biguint};
use zkstatus_circuits::babyjubjub::{self, Fq, Fs, Point, BASE8, GENERATOR};
use zkstatus_circuits::eddsa::{challenge_hash, EddsaError, PrivateKey, PublicKey, Signature};

/// One circomlibjs case, parsed from the vector file.
struct Case {
    key: PrivateKey,
    pk: PublicKey,
    msg: Fq,
    sig: Signature,
    s_int: BigUint,
    packed_sig: [u8; 64],
}

fn case(i: usize) -> Case {
    let v = load(vector_helpers::EDDSA_JSON);
    let c = &v["cases"][i];
    let pk_json = &c["public_key"];
    let sig_json = &c["signature"];
    let s_int = biguint(str_of(sig_json, "S"));
    Case {
        key: PrivateKey::from_bytes(hex_array(str_of(c, "private_key_hex"))),
        pk: PublicKey::from_coordinates(fq(str_of(pk_json, "Ax")), fq(str_of(pk_json, "Ay")))
            .unwrap(),
        msg: fq(str_of(c, "msg")),
        sig: Signature::from_parts_canonical(
            fq(str_of(sig_json, "R8x")),
            fq(str_of(sig_json, "R8y")),
            le32(&s_int),
        )
        .unwrap(),
        s_int,
        packed_sig: hex_array(str_of(sig_json, "packed_hex")),
    }
}

/// Every case index in the vector file.
const CASES: std::ops::Range<usize> = 0..9;

fn l() -> BigUint {
    BigUint::from(Fs::MODULUS)
}

fn mul(p: &Point, k: &BigUint) -> Point {
    p.mul_bigint(k.to_u64_digits()).into_affine()
}

/// circomlibjs `verifyPoseidon`'s group equation without its `S < l` check
/// and without any check on `A`: `Base8·S == R8 + (8·hm)·A`, with `S` and
/// `8·hm` multiplied as integers.
fn circomlib_equation_holds(a: &Point, r8: &Point, s: &BigUint, msg: Fq) -> bool {
    let hm = to_biguint(challenge_hash(r8, a, msg));
    let lhs = mul(&BASE8, s);
    let rhs = (*r8 + mul(a, &(hm * 8u32))).into_affine();
    lhs == rhs
}

/// The torsion points: `Generator` has order `8l`, so `Generator·l`,
/// `Generator·2l` and `Generator·4l` have orders 8, 4 and 2.
fn torsion() -> (Point, Point, Point) {
    let t8 = mul(&GENERATOR, &l());
    let t4 = mul(&GENERATOR, &(l() * 2u32));
    let t2 = mul(&GENERATOR, &(l() * 4u32));
    (t8, t4, t2)
}

fn order_of_small(p: &Point) -> u32 {
    (1u32..=8)
        .find(|&k| mul(p, &BigUint::from(k)).is_zero())
        .unwrap_or(0)
}

/// Items 18, 19 and V6: `S ≥ l` never parses; it is not reduced.
#[test]
fn rejects_signature_with_s_not_below_subgroup_order() {
    let two_253 = BigUint::from(1u32) << 253u32;
    for i in CASES {
        let c = case(i);
        let (r8x, r8y) = (c.sig.r8().x, c.sig.r8().y);
        let mut bad = vec![
            l(),
            l() + 1u32,
            &c.s_int + l(),
            &c.s_int + l() * 2u32,
            two_253.clone(),
            (BigUint::from(1u32) << 256u32) - 1u32,
        ];
        // S + k·l for every k with S + k·l < 2^256.
        let mut k = 3u32;
        while &c.s_int + l() * k < (BigUint::from(1u32) << 256u32) {
            bad.push(&c.s_int + l() * k);
            k += 1;
        }
        for s in &bad {
            assert_eq!(
                Signature::from_parts_canonical(r8x, r8y, le32(s)),
                Err(EddsaError::ScalarNotBelowSubgroupOrder),
                "case {i}, S = {s}"
            );
            let mut packed = c.packed_sig;
            packed[32..].copy_from_slice(&le32(s));
            assert_eq!(
                Signature::unpack(&packed),
                Err(EddsaError::ScalarNotBelowSubgroupOrder),
                "case {i}, packed S = {s}"
            );
        }
        // S + l and S + 2l are below 2^253: they fit where S does, and the
        // group equation alone cannot tell them from S (Base8 has order l).
        // The canonical parse is where they are rejected, as in circomlibjs
        // (`S < subOrder`) and in the circuit (`CompConstant`).
        let s_plus_l = &c.s_int + l();
        assert!(s_plus_l < two_253 && &c.s_int + l() * 2u32 < two_253);
        assert!(circomlib_equation_holds(
            &c.pk.point(),
            &c.sig.r8(),
            &c.s_int,
            c.msg
        ));
        assert!(circomlib_equation_holds(
            &c.pk.point(),
            &c.sig.r8(),
            &s_plus_l,
            c.msg
        ));
        // Reducing instead of rejecting would alias S + l to S.
        assert_eq!(Fs::from_le_bytes_mod_order(&le32(&s_plus_l)), c.sig.s());
        // The boundary S = l − 1 parses (and does not verify).
        let s_max = Signature::from_parts_canonical(r8x, r8y, le32(&(l() - 1u32))).unwrap();
        assert_eq!(
            c.pk.verify(c.msg, &s_max),
            Err(EddsaError::InvalidSignature)
        );
        // The untouched signature still verifies.
        c.pk.verify(c.msg, &c.sig).unwrap();
    }
}

/// Items 23 and 59, V7: the identity is never a public key.
#[test]
fn rejects_identity_public_key() {
    let id = babyjubjub::identity();
    assert_eq!((id.x, id.y), (Fq::ZERO, Fq::ONE));
    assert_eq!(PublicKey::from_point(id), Err(EddsaError::KeyIsIdentity));
    assert_eq!(
        PublicKey::from_coordinates(Fq::ZERO, Fq::ONE),
        Err(EddsaError::KeyIsIdentity)
    );
    assert_eq!(
        PublicKey::unpack(&babyjubjub::pack(&id)),
        Err(EddsaError::KeyIsIdentity)
    );
}

/// V5: circomlibjs' `verifyPoseidon` accepts `(R8, S) = (S·Base8, S)` for
/// any message under `A = (0, 1)` (and `A = (0, −1)`, since `8·hm·A` is the
/// identity for both). The forgery satisfies the group equation and the
/// signature itself is well formed; the key is where we reject it.
#[test]
fn rejects_circomlibjs_accepted_identity_key_forgery() {
    let identity = Point::new_unchecked(Fq::ZERO, Fq::ONE);
    let minus_one = Point::new_unchecked(Fq::ZERO, -Fq::ONE);
    for s_forged in [1u64, 12345, 0xdead_beef] {
        let s_int = BigUint::from(s_forged);
        let r8 = mul(&BASE8, &s_int);
        let forged = Signature::new(r8, Fs::from(s_forged)).unwrap();
        for msg in [Fq::ZERO, Fq::ONE, Fq::from(1234u64), -Fq::ONE] {
            assert!(circomlib_equation_holds(&identity, &r8, &s_int, msg));
            assert!(circomlib_equation_holds(&minus_one, &r8, &s_int, msg));
        }
        assert_eq!(forged.s(), Fs::from(s_forged));
    }
    assert_eq!(
        PublicKey::from_point(identity),
        Err(EddsaError::KeyIsIdentity)
    );
    assert_eq!(
        PublicKey::from_point(minus_one),
        Err(EddsaError::KeyNotInSubgroup)
    );
    assert_eq!(
        PublicKey::unpack(&babyjubjub::pack(&identity)),
        Err(EddsaError::KeyIsIdentity)
    );
    assert_eq!(
        PublicKey::unpack(&babyjubjub::pack(&minus_one)),
        Err(EddsaError::KeyNotInSubgroup)
    );
}

/// Item 24, V8: keys of order 2, 4 and 8 (all eight torsion points).
#[test]
fn rejects_small_order_public_key() {
    let (t8, t4, t2) = torsion();
    assert_eq!(order_of_small(&t8), 8);
    assert_eq!(order_of_small(&t4), 4);
    assert_eq!(order_of_small(&t2), 2);
    assert_eq!((t2.x, t2.y), (Fq::ZERO, -Fq::ONE));
    for k in 1u32..8 {
        let t = mul(&t8, &BigUint::from(k));
        assert!(t.is_on_curve() && !t.is_zero());
        assert_eq!(
            PublicKey::from_point(t),
            Err(EddsaError::KeyNotInSubgroup),
            "T8·{k}"
        );
        assert_eq!(
            PublicKey::from_coordinates(t.x, t.y),
            Err(EddsaError::KeyNotInSubgroup)
        );
        assert_eq!(
            PublicKey::unpack(&babyjubjub::pack(&t)),
            Err(EddsaError::KeyNotInSubgroup),
            "packed T8·{k}"
        );
    }
}

/// Item 26: a valid key plus a torsion point (mixed order).
#[test]
fn rejects_mixed_order_public_key() {
    let (t8, t4, t2) = torsion();
    for i in CASES {
        let a = case(i).pk.point();
        for t in [t2, t4, t8] {
            let mixed = (a + t).into_affine();
            assert!(mixed.is_on_curve());
            assert_eq!(
                PublicKey::from_point(mixed),
                Err(EddsaError::KeyNotInSubgroup),
                "case {i}"
            );
            assert_eq!(
                PublicKey::unpack(&babyjubjub::pack(&mixed)),
                Err(EddsaError::KeyNotInSubgroup),
                "case {i}, packed"
            );
        }
        // Cofactor-cleared, it is back in the subgroup: only the torsion
        // component is rejected.
        let cleared = mul(&(a + t2).into_affine(), &BigUint::from(8u32));
        assert!(PublicKey::from_point(cleared).is_ok());
    }
}

/// Item 25, V4: coordinates off circomlib's curve, including a circomlib key
/// mapped to arkworks' `a = 1` model (`x·√168700`) and `x` doubled.
#[test]
fn rejects_off_curve_public_key() {
    let v = load(vector_helpers::EDDSA_JSON);
    let mapping = &v["ark_ed_on_bn254_mapping"];
    let c = fq(str_of(mapping, "c_sqrt_168700"));
    assert_eq!(c.square(), babyjubjub::COEFF_A);
    let base8_ark = mapping["Base8_in_ark_coordinates"].as_array().unwrap();
    let (bx, by) = (
        fq(base8_ark[0].as_str().unwrap()),
        fq(base8_ark[1].as_str().unwrap()),
    );
    assert_eq!((bx, by), (c * BASE8.x, BASE8.y));
    assert_eq!(
        PublicKey::from_coordinates(bx, by),
        Err(EddsaError::KeyNotOnCurve)
    );

    for i in CASES {
        let a = case(i).pk.point();
        let wrong = [
            (a.x.double(), a.y),
            (c * a.x, a.y),
            (a.y, a.x),
            (a.x + Fq::ONE, a.y),
        ];
        for (x, y) in wrong {
            assert_eq!(
                PublicKey::from_coordinates(x, y),
                Err(EddsaError::KeyNotOnCurve),
                "case {i}"
            );
            assert_eq!(
                PublicKey::from_point(Point::new_unchecked(x, y)),
                Err(EddsaError::KeyNotOnCurve),
                "case {i}"
            );
        }
    }
    assert_eq!(
        PublicKey::from_coordinates(Fq::from(5u64), Fq::from(7u64)),
        Err(EddsaError::KeyNotOnCurve)
    );
    assert_eq!(
        PublicKey::from_coordinates(Fq::ZERO, Fq::ZERO),
        Err(EddsaError::KeyNotOnCurve)
    );
}

/// Item 22: the same signature over `msg ± 1`.
#[test]
fn rejects_signature_over_other_message() {
    for i in CASES {
        let c = case(i);
        c.pk.verify(c.msg, &c.sig).unwrap();
        for other in [c.msg + Fq::ONE, c.msg - Fq::ONE, c.msg.double()] {
            if other != c.msg {
                assert_eq!(
                    c.pk.verify(other, &c.sig),
                    Err(EddsaError::InvalidSignature),
                    "case {i}"
                );
            }
        }
    }
}

/// Item 21: a valid signature checked under another issuer's key.
#[test]
fn rejects_signature_under_other_key() {
    // Cases 0, 2, 4 and 6 use four different keys.
    let keyed = [0usize, 2, 4, 6].map(case);
    for (i, signer) in keyed.iter().enumerate() {
        signer.pk.verify(signer.msg, &signer.sig).unwrap();
        for (j, other) in keyed.iter().enumerate() {
            if i != j {
                assert_ne!(other.pk, signer.pk);
                assert_eq!(
                    other.pk.verify(signer.msg, &signer.sig),
                    Err(EddsaError::InvalidSignature),
                    "signed by {i}, checked under {j}"
                );
            }
        }
        // And under the signer's key negated (same y, other x).
        let neg = PublicKey::from_point(-signer.pk.point()).unwrap();
        assert_eq!(
            neg.verify(signer.msg, &signer.sig),
            Err(EddsaError::InvalidSignature)
        );
    }
}

/// Item 28: `R8` = identity in every constructor.
#[test]
fn rejects_identity_nonce_point() {
    let c = case(0);
    let id = babyjubjub::identity();
    assert_eq!(
        Signature::new(id, c.sig.s()),
        Err(EddsaError::NonceIsIdentity)
    );
    assert_eq!(
        Signature::from_parts_canonical(Fq::ZERO, Fq::ONE, le32(&c.s_int)),
        Err(EddsaError::NonceIsIdentity)
    );
    let mut packed = c.packed_sig;
    packed[..32].copy_from_slice(&babyjubjub::pack(&id));
    assert_eq!(Signature::unpack(&packed), Err(EddsaError::NonceIsIdentity));
}

/// Item 28: `R8` off the curve, or a packed `y` with no curve point.
#[test]
fn rejects_off_curve_nonce_point() {
    let c = case(0);
    let r8 = c.sig.r8();
    for (x, y) in [
        (r8.x + Fq::ONE, r8.y),
        (r8.x.double(), r8.y),
        (Fq::from(5u64), Fq::from(7u64)),
    ] {
        assert_eq!(
            Signature::new(Point::new_unchecked(x, y), c.sig.s()),
            Err(EddsaError::NonceNotOnCurve)
        );
        assert_eq!(
            Signature::from_parts_canonical(x, y, le32(&c.s_int)),
            Err(EddsaError::NonceNotOnCurve)
        );
    }
    let y = y_without_point();
    let mut packed = c.packed_sig;
    packed[..32].copy_from_slice(&le32(&to_biguint(y)));
    assert_eq!(Signature::unpack(&packed), Err(EddsaError::NonceNotOnCurve));
    let mut pk_bytes = le32(&to_biguint(y));
    assert_eq!(PublicKey::unpack(&pk_bytes), Err(EddsaError::KeyNotOnCurve));
    pk_bytes[31] |= 0x80;
    assert_eq!(PublicKey::unpack(&pk_bytes), Err(EddsaError::KeyNotOnCurve));
}

/// The smallest `y` for which `(1 − y²)/(a − d·y²)` is not a square.
fn y_without_point() -> Fq {
    (2u64..)
        .map(Fq::from)
        .find(|y| {
            let y2 = y.square();
            let x2 = (Fq::ONE - y2)
                * (babyjubjub::COEFF_A - babyjubjub::COEFF_D * y2)
                    .inverse()
                    .unwrap();
            x2.sqrt().is_none()
        })
        .unwrap()
}

/// Item 27: `R8` changed, including by a torsion point: the result still
/// parses (it is on the curve) but never verifies, so there is no second
/// accepting `(R8, S)` for one signature.
#[test]
fn rejects_tampered_r8() {
    let (t8, t4, t2) = torsion();
    for i in CASES {
        let c = case(i);
        let r8 = c.sig.r8();
        let tampered = [
            (r8 + BASE8).into_affine(),
            (r8 + t2).into_affine(),
            (r8 + t4).into_affine(),
            (r8 + t8).into_affine(),
            -r8,
        ];
        for (k, t) in tampered.into_iter().enumerate() {
            let sig = Signature::new(t, c.sig.s()).unwrap();
            assert_eq!(
                c.pk.verify(c.msg, &sig),
                Err(EddsaError::InvalidSignature),
                "case {i}, tamper {k}"
            );
            // Packed, it unpacks to the same tampered signature.
            assert_eq!(Signature::unpack(&sig.pack()).unwrap(), sig);
        }
        // Flipping the packed sign bit gives −R8 (x ≠ 0 for these points).
        let mut packed = c.packed_sig;
        packed[31] ^= 0x80;
        let flipped = Signature::unpack(&packed).unwrap();
        assert_eq!(flipped.r8(), -r8);
        assert_eq!(
            c.pk.verify(c.msg, &flipped),
            Err(EddsaError::InvalidSignature)
        );
    }
}

/// Any single flipped bit of a packed circomlibjs signature is rejected,
/// either when parsing or when verifying.
#[test]
fn rejects_every_single_bit_flip_of_packed_signature() {
    let c = case(0);
    c.pk.verify(c.msg, &Signature::unpack(&c.packed_sig).unwrap())
        .unwrap();
    for bit in 0..512 {
        let mut packed = c.packed_sig;
        packed[bit / 8] ^= 1 << (bit % 8);
        let accepted = Signature::unpack(&packed)
            .and_then(|sig| c.pk.verify(c.msg, &sig))
            .is_ok();
        assert!(!accepted, "bit {bit} flipped still verifies");
    }
}

/// `S` changed by one.
#[test]
fn rejects_tampered_s() {
    for i in CASES {
        let c = case(i);
        for s in [c.sig.s() + Fs::ONE, c.sig.s() - Fs::ONE, -c.sig.s()] {
            let sig = Signature::new(c.sig.r8(), s).unwrap();
            assert_eq!(c.pk.verify(c.msg, &sig), Err(EddsaError::InvalidSignature));
        }
    }
}

/// Item 59: a packed `y ≥ p` (`y + p`, `p`, `2^255 − 1`) is not canonical,
/// for keys and for signature nonce points.
#[test]
fn rejects_noncanonical_packed_point() {
    let p = BigUint::from(Fq::MODULUS);
    let two_255 = BigUint::from(1u32) << 255u32;
    for i in CASES {
        let c = case(i);
        for point_bytes in [c.pk.pack(), babyjubjub::pack(&c.sig.r8())] {
            let sign = point_bytes[31] & 0x80;
            let mut y_bytes = point_bytes;
            y_bytes[31] &= 0x7f;
            let y = BigUint::from_bytes_le(&y_bytes);
            let aliases = [&y + &p, p.clone(), &two_255 - 1u32];
            for alias in aliases {
                assert!(alias < two_255, "the alias fits beside the sign bit");
                let mut bytes = le32(&alias);
                bytes[31] |= sign;
                assert_eq!(
                    PublicKey::unpack(&bytes),
                    Err(EddsaError::NonCanonicalEncoding),
                    "case {i}"
                );
                let mut sig = c.packed_sig;
                sig[..32].copy_from_slice(&bytes);
                assert_eq!(
                    Signature::unpack(&sig),
                    Err(EddsaError::NonCanonicalEncoding),
                    "case {i}"
                );
            }
        }
    }
}

/// The sign bit set on a point with `x = 0` (the identity and `(0, −1)`)
/// is a second encoding of the same point.
#[test]
fn rejects_negative_zero_x_encoding() {
    let (_, _, t2) = torsion();
    let c = case(0);
    for p in [babyjubjub::identity(), t2] {
        let mut bytes = babyjubjub::pack(&p);
        assert_eq!(bytes[31] & 0x80, 0);
        bytes[31] |= 0x80;
        assert_eq!(
            PublicKey::unpack(&bytes),
            Err(EddsaError::NonCanonicalEncoding)
        );
        let mut sig = c.packed_sig;
        sig[..32].copy_from_slice(&bytes);
        assert_eq!(
            Signature::unpack(&sig),
            Err(EddsaError::NonCanonicalEncoding)
        );
    }
    // Without the sign bit, (0, −1) is a valid (if useless) R8 encoding, and
    // an order-2 key.
    let mut sig = c.packed_sig;
    sig[..32].copy_from_slice(&babyjubjub::pack(&t2));
    let parsed = Signature::unpack(&sig).unwrap();
    assert_eq!(
        c.pk.verify(c.msg, &parsed),
        Err(EddsaError::InvalidSignature)
    );
    assert_eq!(
        PublicKey::unpack(&babyjubjub::pack(&t2)),
        Err(EddsaError::KeyNotInSubgroup)
    );
}

/// A signature produced by our signer under a fresh key is rejected under
/// every vector key, and the private key never shows in `Debug`.
#[test]
fn fresh_key_signature_rejected_under_vector_keys_and_debug_is_redacted() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0xbad);
    let key = PrivateKey::generate(&mut rng);
    let msg = Fq::from(42u64);
    let sig = key.sign(msg);
    key.public_key().verify(msg, &sig).unwrap();
    for i in CASES {
        let c = case(i);
        assert_eq!(c.pk.verify(msg, &sig), Err(EddsaError::InvalidSignature));
        assert_eq!(format!("{:?}", c.key), "PrivateKey(..)");
    }
}

/// Error messages are fixed strings: they never carry key material.
#[test]
fn error_messages_are_fixed_and_carry_no_values() {
    let all = [
        EddsaError::KeyNotOnCurve,
        EddsaError::KeyNotInSubgroup,
        EddsaError::KeyIsIdentity,
        EddsaError::ScalarNotBelowSubgroupOrder,
        EddsaError::NonceNotOnCurve,
        EddsaError::NonceIsIdentity,
        EddsaError::NonCanonicalEncoding,
        EddsaError::InvalidSignature,
    ];
    let mut seen = std::collections::HashSet::new();
    for e in all {
        let msg = e.to_string();
        assert!(seen.insert(msg.clone()), "duplicate message {msg}");
        // No numbers at all, apart from the name `R8`.
        assert!(
            !msg.replace("R8", "").bytes().any(|b| b.is_ascii_digit()),
            "{msg}"
        );
        assert!(msg.len() < 80);
    }
}

/// `field` and `le32` agree with the library's own encodings (a guard on the
/// test helpers themselves).
#[test]
fn helpers_agree_with_library_encodings() {
    let c = case(0);
    let s: Fs = field(&c.s_int);
    assert_eq!(s, c.sig.s());
    assert_eq!(le32(&c.s_int)[..], c.packed_sig[32..]);
    assert_eq!(c.sig.pack(), c.packed_sig);
}
