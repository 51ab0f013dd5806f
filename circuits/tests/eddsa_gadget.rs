//! The EdDSA verifier gadget against its native twin: circomlibjs vectors
//! verify in the circuit, and on a corpus of valid and mutated signatures the
//! gadget and `PublicKey::verify` reach the same verdict (docs/security.md,
//! items 36, 44).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod vector_helpers;

use ark_ec::CurveGroup;

use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField, UniformRand};
use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::r1cs::ConstraintSystem;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use vector_helpers::*;
use zkstatus_circuits::babyjubjub::{constraints::PointVar, point_on_curve, Fq, Fs, Point, BASE8};
use zkstatus_circuits::eddsa::constraints::{verify, SignatureVar};
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey, Signature};

/// Run the gadget on raw values; `true` iff the constraint system is satisfied.
fn gadget_accepts(a: Point, msg: Fq, r8: Point, s: Fq) -> bool {
    let cs = ConstraintSystem::<Fq>::new_ref();
    let a = PointVar::new_input(cs.clone(), || Ok(a)).unwrap();
    let m = FpVar::new_witness(cs.clone(), || Ok(msg)).unwrap();
    let sig = SignatureVar::new_witness_from_parts(cs.clone(), || Ok(r8), || Ok(s)).unwrap();
    verify(&a, &m, &sig).unwrap();
    cs.is_satisfied().unwrap()
}

fn s_as_fq(s: Fs) -> Fq {
    Fq::from_le_bytes_mod_order(&s.into_bigint().to_bytes_le())
}

#[test]
fn circomlibjs_vector_signatures_verify_in_the_circuit() {
    let v = load(EDDSA_JSON);
    let cases = v["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let pk = &case["public_key"];
        let a = point_on_curve(fq(str_of(pk, "Ax")), fq(str_of(pk, "Ay"))).unwrap();
        let sig = &case["signature"];
        let r8 = point_on_curve(fq(str_of(sig, "R8x")), fq(str_of(sig, "R8y"))).unwrap();
        let s = fq(str_of(sig, "S"));
        let msg = fq(str_of(case, "msg"));
        assert!(gadget_accepts(a, msg, r8, s), "vector with msg {msg}");
        assert!(!gadget_accepts(a, msg + Fq::ONE, r8, s));
    }
}

#[test]
fn rejects_signature_with_s_plus_l_in_the_circuit() {
    let k = PrivateKey::from_bytes([3u8; 32]);
    let msg = Fq::from(1234u64);
    let sig = k.sign(msg);
    let l = Fq::from_le_bytes_mod_order(&Fs::MODULUS.to_bytes_le());
    let a = k.public_key().point();
    assert!(gadget_accepts(a, msg, sig.r8(), s_as_fq(sig.s())));
    assert!(!gadget_accepts(a, msg, sig.r8(), s_as_fq(sig.s()) + l));
}

/// The first unsatisfied namespace of the gadget on raw values (`None` if
/// satisfied).
fn gadget_failure(a: Point, msg: Fq, r8: Point, s: Fq) -> Option<String> {
    use ark_relations::r1cs::{ConstraintLayer, TracingMode};
    use tracing_subscriber::layer::SubscriberExt;
    let mut layer = ConstraintLayer::default();
    layer.mode = TracingMode::OnlyConstraints;
    let subscriber = tracing_subscriber::Registry::default().with(layer);
    let _guard = tracing::subscriber::set_default(subscriber);
    let cs = ConstraintSystem::<Fq>::new_ref();
    let a = PointVar::new_input(cs.clone(), || Ok(a)).unwrap();
    let m = FpVar::new_witness(cs.clone(), || Ok(msg)).unwrap();
    let sig = SignatureVar::new_witness_from_parts(cs.clone(), || Ok(r8), || Ok(s)).unwrap();
    verify(&a, &m, &sig).unwrap();
    cs.which_is_unsatisfied().unwrap()
}

/// docs/security.md, item 41: `S = l − 1` and `S = 0` are in range, so the
/// range check (`eddsa_s_below_subgroup_order`) passes and only the
/// verification equation refuses them; `S = l` fails at the range check.
/// (No honest signature with a chosen `S` exists: `S = r + hm·k` with
/// `hm` a hash of `R8 = r·B8`, so choosing `S` means inverting Poseidon.
/// The edge scalars' arithmetic is covered below the gadget by the
/// fixed- and variable-base tests at all-zero and all-one scalars.)
#[test]
fn s_equal_to_l_minus_1_and_to_0_fail_only_at_the_verification_equation() {
    let k = PrivateKey::from_bytes([41u8; 32]);
    let msg = Fq::from(4141u64);
    let sig = k.sign(msg);
    let a = k.public_key().point();
    let l = Fq::from_le_bytes_mod_order(&Fs::MODULUS.to_bytes_le());
    assert_eq!(gadget_failure(a, msg, sig.r8(), s_as_fq(sig.s())), None);
    for (what, s) in [("l - 1", l - Fq::ONE), ("0", Fq::ZERO)] {
        let failed =
            gadget_failure(a, msg, sig.r8(), s).unwrap_or_else(|| panic!("S = {what} accepted"));
        assert!(
            failed.contains("eddsa_verification_equation"),
            "S = {what}: {failed}"
        );
        assert!(!failed.contains("eddsa_s_below_subgroup_order"), "{failed}");
    }
    let failed = gadget_failure(a, msg, sig.r8(), l).unwrap();
    assert!(
        failed.contains("eddsa_s_below_subgroup_order"),
        "S = l: {failed}"
    );
}

#[test]
fn accepts_signatures_whose_challenge_has_the_top_bit_set() {
    // [41] hm ≥ 2^253 exercises the top digit of the variable-base ladder.
    // (S = 0 or S = l − 1 cannot be produced without the signer choosing r
    // to match; the fixed-base gadget is tested at all-zero and all-one
    // scalars in babyjubjub::constraints.)
    let mut rng = ChaCha20Rng::seed_from_u64(41);
    let mut top_bit_seen = false;
    for _ in 0..24 {
        let k = PrivateKey::generate(&mut rng);
        let msg = Fq::rand(&mut rng);
        let sig = k.sign(msg);
        let hm = zkstatus_circuits::eddsa::challenge_hash(&sig.r8(), &k.public_key().point(), msg);
        top_bit_seen |= hm.into_bigint().get_bit(253);
        assert!(gadget_accepts(
            k.public_key().point(),
            msg,
            sig.r8(),
            s_as_fq(sig.s())
        ));
    }
    assert!(top_bit_seen, "some hm had its top bit set");
}

/// One mutation of a valid (A, msg, R8, S); every one must be rejected by both.
fn mutate(rng: &mut ChaCha20Rng, a: Point, msg: Fq, r8: Point, s: Fq) -> (Point, Fq, Point, Fq) {
    let t2 = point_on_curve(Fq::ZERO, -Fq::ONE).unwrap();
    let l = Fq::from_le_bytes_mod_order(&Fs::MODULUS.to_bytes_le());
    match rng.gen_range(0..8) {
        0 => (a, msg + Fq::ONE, r8, s),
        1 => (a, msg, r8, s + Fq::ONE),
        2 => (a, msg, r8, s + l),
        3 => (a, msg, (r8 + BASE8).into_affine(), s),
        4 => (a, msg, (r8 + t2).into_affine(), s),
        5 => ((a + BASE8).into_affine(), msg, r8, s),
        6 => (PrivateKey::generate(rng).public_key().point(), msg, r8, s),
        _ => (a, Fq::rand(rng), r8, s),
    }
}

fn native_accepts(a: Point, msg: Fq, r8: Point, s: Fq) -> bool {
    let Ok(pk) = PublicKey::from_point(a) else {
        return false;
    };
    let Some(s) = Fs::from_bigint(ark_ff::BigInt(s.into_bigint().0)) else {
        return false;
    };
    let Ok(sig) = Signature::new(r8, s) else {
        return false;
    };
    pk.verify(msg, &sig).is_ok()
}

#[test]
fn gadget_and_native_verify_agree_on_200_valid_and_200_mutated_signatures() {
    // [36]
    let mut rng = ChaCha20Rng::seed_from_u64(36);
    for i in 0..200 {
        let k = PrivateKey::generate(&mut rng);
        let msg = match i {
            0 => Fq::ZERO,
            1 => Fq::ONE,
            2 => -Fq::ONE,
            _ => Fq::rand(&mut rng),
        };
        let sig = k.sign(msg);
        let (a, r8, s) = (k.public_key().point(), sig.r8(), s_as_fq(sig.s()));
        assert!(native_accepts(a, msg, r8, s));
        assert!(gadget_accepts(a, msg, r8, s), "valid case {i}");
        let (a2, m2, r2, s2) = mutate(&mut rng, a, msg, r8, s);
        let native = native_accepts(a2, m2, r2, s2);
        assert!(!native, "mutated case {i} accepted natively");
        assert_eq!(gadget_accepts(a2, m2, r2, s2), native, "mutated case {i}");
    }
}

#[test]
fn the_gadget_costs_3640_constraints() {
    let k = PrivateKey::from_bytes([1u8; 32]);
    let sig = k.sign(Fq::ONE);
    let cs = ConstraintSystem::<Fq>::new_ref();
    let a = PointVar::new_input(cs.clone(), || Ok(k.public_key().point())).unwrap();
    let m = FpVar::new_witness(cs.clone(), || Ok(Fq::ONE)).unwrap();
    let s =
        SignatureVar::new_witness_from_parts(cs.clone(), || Ok(sig.r8()), || Ok(s_as_fq(sig.s())))
            .unwrap();
    let before = cs.num_constraints();
    verify(&a, &m, &s).unwrap();
    assert_eq!(cs.num_constraints() - before, 3640);
}
