//! circomlibjs EdDSA-Poseidon known answers (docs/security.md, item 44,
//! V4): every intermediate value of every case of
//! `tests/vectors/eddsa_poseidon.json` is reproduced exactly, and every
//! vector signature, parsed independently of our signer, verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod vector_helpers;

use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, PrimeField};
use num_bigint::BigUint;
use serde_json::Value;
use vector_helpers::{
    biguint, field_le32, fq, fs, hex_array, le32, load, str_of, to_biguint, to_hex,
};
use zkstatus_circuits::babyjubjub::{self, Fq, Fs, Point, BASE8, GENERATOR};
use zkstatus_circuits::eddsa::{
    blake512::blake512, challenge_hash, PrivateKey, PublicKey, Signature,
};

fn cases() -> Vec<Value> {
    let v = load(vector_helpers::EDDSA_JSON);
    let cases = v["cases"].as_array().expect("cases").clone();
    assert_eq!(cases.len(), 9, "vector file truncated or extended");
    cases
}

fn point(x: &str, y: &str) -> Point {
    let p = Point::new_unchecked(fq(x), fq(y));
    assert!(p.is_on_curve());
    p
}

#[test]
fn blake512_known_answers_from_vector_file() {
    let v = load(vector_helpers::EDDSA_JSON);
    let kats = v["blake512_kat"].as_array().expect("kats");
    assert_eq!(kats.len(), 2);
    for kat in kats {
        let input = str_of(kat, "input_utf8");
        assert_eq!(
            to_hex(&blake512(input.as_bytes())),
            str_of(kat, "blake512_hex"),
            "BLAKE-512({input:?})"
        );
    }
    for case in cases() {
        let prv: [u8; 32] = hex_array(str_of(&case, "private_key_hex"));
        assert_eq!(
            to_hex(&blake512(&prv)),
            str_of(&case, "blake512_of_private_key_hex")
        );
    }
}

#[test]
fn curve_constants_match_vector_file() {
    let v = load(vector_helpers::EDDSA_JSON);
    let c = &v["curve"];
    assert_eq!(fq(str_of(c, "a")), babyjubjub::COEFF_A);
    assert_eq!(fq(str_of(c, "d")), babyjubjub::COEFF_D);
    assert_eq!(
        biguint(str_of(c, "subgroup_order_l")),
        BigUint::from(Fs::MODULUS)
    );
    assert_eq!(
        biguint(str_of(c, "order")),
        BigUint::from(Fs::MODULUS) * 8u32
    );
    let g = c["Generator"].as_array().unwrap();
    let b8 = c["Base8"].as_array().unwrap();
    assert_eq!(
        point(g[0].as_str().unwrap(), g[1].as_str().unwrap()),
        GENERATOR
    );
    assert_eq!(
        point(b8[0].as_str().unwrap(), b8[1].as_str().unwrap()),
        BASE8
    );
}

/// Key derivation: pruned scalar, `s >> 3`, `A = Base8·(s >> 3) =
/// Generator·s`, and the packed key, for every case.
#[test]
fn key_derivation_matches_every_case() {
    for (i, case) in cases().iter().enumerate() {
        let prv: [u8; 32] = hex_array(str_of(case, "private_key_hex"));
        let key = PrivateKey::from_bytes(prv);
        assert_eq!(key.to_bytes(), prv);

        let s = BigUint::from_bytes_le(&key.pruned_scalar_le());
        assert_eq!(s, biguint(str_of(case, "pruned_scalar_s")), "case {i}: s");
        let s_shr3 = &s >> 3u32;
        assert_eq!(
            s_shr3,
            biguint(str_of(case, "secret_scalar_s_shr3")),
            "case {i}: s >> 3"
        );
        assert_eq!(&s_shr3 << 3u32, s, "case {i}: s is a multiple of 8");
        assert!(s.bit(254) && !s.bit(255), "case {i}: s has bit 254 set");

        let pk_json = &case["public_key"];
        let a = point(str_of(pk_json, "Ax"), str_of(pk_json, "Ay"));
        let pk = key.public_key();
        assert_eq!(pk.point(), a, "case {i}: A");
        assert_eq!(pk.x(), a.x);
        assert_eq!(pk.y(), a.y);
        // Independently: Generator·s and Base8·(s >> 3).
        let s_limbs = <Fq as PrimeField>::BigInt::try_from(s.clone()).unwrap();
        assert_eq!(GENERATOR.mul_bigint(s_limbs).into_affine(), a);
        let shr3_limbs = <Fq as PrimeField>::BigInt::try_from(s_shr3).unwrap();
        assert_eq!(BASE8.mul_bigint(shr3_limbs).into_affine(), a);

        let packed: [u8; 32] = hex_array(str_of(pk_json, "packed_hex"));
        assert_eq!(pk.pack(), packed, "case {i}: packed A");
        assert_eq!(PublicKey::unpack(&packed).unwrap(), pk);
        assert_eq!(PublicKey::from_coordinates(a.x, a.y).unwrap(), pk);
        assert_eq!(PublicKey::from_point(a).unwrap(), pk);
    }
}

/// Signing: nonce `r`, `R8`, challenge `hm`, `S` and the packed signature
/// equal circomlibjs byte for byte, and the signature verifies.
#[test]
fn signing_matches_every_case() {
    for (i, case) in cases().iter().enumerate() {
        let key = PrivateKey::from_bytes(hex_array(str_of(case, "private_key_hex")));
        let pk = key.public_key();
        let msg = fq(str_of(case, "msg"));
        let sig_json = &case["signature"];

        let r = key.nonce(msg);
        assert_eq!(r, fs(str_of(case, "nonce_r")), "case {i}: nonce r");
        // The nonce by its definition, recomputed here from BLAKE-512.
        let h = blake512(&key.to_bytes());
        let mut nonce_input = [0u8; 64];
        nonce_input[..32].copy_from_slice(&h[32..]);
        nonce_input[32..].copy_from_slice(&field_le32(msg));
        let r_int = BigUint::from_bytes_le(&blake512(&nonce_input)) % BigUint::from(Fs::MODULUS);
        assert_eq!(to_biguint(r), r_int, "case {i}: r by definition");

        let sig = key.sign(msg);
        let r8 = point(str_of(sig_json, "R8x"), str_of(sig_json, "R8y"));
        assert_eq!(sig.r8(), r8, "case {i}: R8");
        assert_eq!(
            sig.r8(),
            (BASE8 * r).into_affine(),
            "case {i}: R8 = Base8·r"
        );

        let hm = challenge_hash(&r8, &pk.point(), msg);
        assert_eq!(hm, fq(str_of(case, "challenge_hm")), "case {i}: hm");

        let s_expected = fs(str_of(sig_json, "S"));
        assert_eq!(sig.s(), s_expected, "case {i}: S");
        // S = (r + hm·s) mod l with the full pruned s, as integers.
        let l = BigUint::from(Fs::MODULUS);
        let s_full = BigUint::from_bytes_le(&key.pruned_scalar_le());
        assert_eq!(
            to_biguint(sig.s()),
            (to_biguint(r) + to_biguint(hm) * s_full) % &l,
            "case {i}: S by definition"
        );

        let packed: [u8; 64] = hex_array(str_of(sig_json, "packed_hex"));
        assert_eq!(to_hex(&sig.pack()), to_hex(&packed), "case {i}: packed");
        pk.verify(msg, &sig).unwrap();
    }
}

/// The vector signatures, parsed from the JSON's decimal parts and from
/// its packed hex (not produced by our signer), verify under the vector
/// keys parsed the same way; pack/unpack round-trips.
#[test]
fn vector_signatures_verify_and_round_trip() {
    for (i, case) in cases().iter().enumerate() {
        let pk_json = &case["public_key"];
        let pk = PublicKey::from_coordinates(fq(str_of(pk_json, "Ax")), fq(str_of(pk_json, "Ay")))
            .unwrap();
        let msg = fq(str_of(case, "msg"));
        let sig_json = &case["signature"];
        let s_le = le32(&biguint(str_of(sig_json, "S")));
        let sig = Signature::from_parts_canonical(
            fq(str_of(sig_json, "R8x")),
            fq(str_of(sig_json, "R8y")),
            s_le,
        )
        .unwrap();
        pk.verify(msg, &sig)
            .unwrap_or_else(|e| panic!("case {i}: {e}"));

        let packed: [u8; 64] = hex_array(str_of(sig_json, "packed_hex"));
        let unpacked = Signature::unpack(&packed).unwrap();
        assert_eq!(unpacked, sig, "case {i}");
        assert_eq!(unpacked.pack(), packed, "case {i}");
        assert_eq!(packed[32..], s_le, "case {i}: LE32(S)");

        let pk_packed: [u8; 32] = hex_array(str_of(pk_json, "packed_hex"));
        let pk2 = PublicKey::unpack(&pk_packed).unwrap();
        assert_eq!(pk2, pk);
        assert_eq!(pk2.pack(), pk_packed);
        pk2.verify(msg, &unpacked).unwrap();
    }
}

/// The go-iden3-crypto anchor: msg is the little-endian integer of bytes
/// `00 01 .. 09`, key `0001..0809 0001`, and the published R8x, S and packed
/// signature.
#[test]
fn go_iden3_crypto_anchor_case() {
    let case = cases().last().unwrap().clone();
    let msg_bytes: Vec<u8> = (0u8..10).collect();
    let msg_int = BigUint::from_bytes_le(&msg_bytes);
    assert_eq!(biguint(str_of(&case, "msg")), msg_int);
    let key = PrivateKey::from_bytes(hex_array(
        "0001020304050607080900010203040506070809000102030405060708090001",
    ));
    assert_eq!(
        key.public_key().x(),
        fq("13277427435165878497778222415993513565335242147425444199013288855685581939618")
    );
    let sig = key.sign(vector_helpers::field(&msg_int));
    assert_eq!(
        sig.r8().x,
        fq("11384336176656855268977457483345535180380036354188103142384839473266348197733")
    );
    assert_eq!(
        sig.s(),
        fs("1672775540645840396591609181675628451599263765380031905495115170613215233181")
    );
    assert!(to_hex(&sig.pack()).starts_with("dfedb431"));
    assert!(to_hex(&sig.pack()).ends_with("c1b203"));
}

/// `challenge_hash` is Poseidon with 5 inputs in circomlib's order.
#[test]
fn challenge_hash_is_poseidon5_in_circomlib_order() {
    let case = &cases()[0];
    let sig_json = &case["signature"];
    let pk_json = &case["public_key"];
    let inputs = [
        fq(str_of(sig_json, "R8x")),
        fq(str_of(sig_json, "R8y")),
        fq(str_of(pk_json, "Ax")),
        fq(str_of(pk_json, "Ay")),
        fq(str_of(case, "msg")),
    ];
    let hm = zkstatus_circuits::poseidon::hash(&inputs).unwrap();
    assert_eq!(hm, fq(str_of(case, "challenge_hm")));
    assert_ne!(hm, Fq::ZERO);
}

/// Random keys and messages (deterministic RNG): sign, verify, round-trip.
#[test]
fn random_keys_sign_and_verify() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0x5eed);
    for _ in 0..16 {
        let key = PrivateKey::generate(&mut rng);
        let pk = key.public_key();
        let msg: Fq = ark_ff::UniformRand::rand(&mut rng);
        let sig = key.sign(msg);
        pk.verify(msg, &sig).unwrap();
        assert_eq!(Signature::unpack(&sig.pack()).unwrap(), sig);
        assert_eq!(PublicKey::unpack(&pk.pack()).unwrap(), pk);
        assert_eq!(format!("{key:?}"), "PrivateKey(..)");
    }
}
