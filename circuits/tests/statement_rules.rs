//! One negative test per rule 1–7 of the statement (docs/circuit.md), on
//! statement v2 (rules 8–10: `statement_v2.rs`), each starting from the
//! honest baseline, changing exactly one thing, and asserting that the
//! constraint system fails in the namespace of the rule that was broken.
//! Boundaries are pinned with a matching positive test. A test that changes
//! the issuer key or window rebuilds the registry around it
//! (`common::v2::rooted`), so rule 8 still holds and only the rule under
//! test can fail. Item numbers of docs/security.md (section A) are given in
//! brackets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ark_bn254::Fr;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use common::v2::*;
use common::*;
use zkstatus_circuits::babyjubjub::{self, Fs, BASE8, GENERATOR};
use zkstatus_circuits::record::TestType;
use zkstatus_circuits::statement::v2::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{
    self, ACCEPTED_TEST_TYPES, MAX_AGE_PCR as MAX_AGE_PCR_IDX, MAX_AGE_RAPID_ANTIGEN,
    MIN_EXPOSURE_GAP, NOW as NOW_IDX,
};

fn two_pow(n: u64) -> Fr {
    Fr::from(2u64).pow([n])
}

/// Build a case from the baseline: mutate the witness, have the issuer sign
/// the result (the issuer attested to exactly this record), and check.
fn signed_case(mutate: impl FnOnce(&mut StatusWitness)) -> StatusCircuit {
    let mut w = honest_witness();
    mutate(&mut w);
    resign(&mut w.record);
    circuit(honest_public(), w)
}

/// Mutate the witness *after* signing (the holder tampered with the record).
fn tampered_case(mutate: impl FnOnce(&mut StatusWitness)) -> StatusCircuit {
    let mut w = honest_witness();
    mutate(&mut w);
    circuit(honest_public(), w)
}

fn public_case(mutate: impl FnOnce(&mut [Fr; v2::N_PUBLIC_INPUTS])) -> StatusCircuit {
    let mut p = honest_public();
    mutate(&mut p);
    circuit(p, honest_witness())
}

// ---------------------------------------------------------------- baseline [1]

#[test]
fn honest_baseline_is_satisfied() {
    assert_satisfied(circuit(honest_public(), honest_witness()));
    // The native twin agrees.
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    v2::check_statement(&public(), &r, &holder_secret(), &sig, &issuer(), &path()).unwrap();
}

// ------------------------------------------- rule 1: commitment and signature

#[test]
fn rejects_each_committed_field_changed_after_signing() {
    // [5, 11, 14]
    let one = Fr::ONE;
    type Tamper = fn(&mut StatusWitness, Fr);
    let cases: [(&str, Tamper); 7] = [
        ("test_result", |w, d| w.record.test_result += d),
        ("test_type", |w, d| w.record.test_type += d),
        ("test_time", |w, d| w.record.test_time -= d),
        ("exposure_time", |w, d| w.record.exposure_time += d),
        ("issued_at", |w, d| w.record.issued_at -= d),
        ("expires_at", |w, d| w.record.expires_at += d),
        ("credential_id", |w, d| w.record.credential_id += d),
    ];
    for (name, f) in cases {
        let c = tampered_case(|w| f(w, one));
        match first_failure(c) {
            Some(t) => assert!(t.contains("rule1_issuer_signature"), "{name}: {t}"),
            None => panic!("{name}: tampering went unnoticed"),
        }
    }
}

#[test]
fn rejects_negative_result_claimed_for_a_signed_positive_record() {
    // [5] The issuer signed a positive result; the holder claims negative.
    let mut w = honest_witness();
    w.record.test_result = Fr::ONE;
    resign(&mut w.record);
    w.record.test_result = Fr::ZERO;
    assert_fails_at(circuit(honest_public(), w), "rule1_issuer_signature");
}

#[test]
fn rejects_no_exposure_claimed_when_the_signed_record_has_one() {
    // [11] The sentinel is part of the signed commitment.
    let mut w = honest_witness();
    w.record.exposure_time = Fr::from(NOW - DAY);
    resign(&mut w.record);
    w.record.exposure_time = Fr::ZERO;
    assert_fails_at(circuit(honest_public(), w), "rule1_issuer_signature");
}

#[test]
fn rejects_swapped_committed_fields() {
    // [15]
    assert_fails_at(
        tampered_case(|w| core::mem::swap(&mut w.record.test_time, &mut w.record.issued_at)),
        "rule1_issuer_signature",
    );
    assert_fails_at(
        tampered_case(|w| core::mem::swap(&mut w.record.test_time, &mut w.record.expires_at)),
        "rule1_issuer_signature",
    );
}

#[test]
fn rejects_signature_by_another_key() {
    // [21]
    let mut w = honest_witness();
    resign_with(&mut w.record, &other_key());
    assert_fails_at(circuit(honest_public(), w), "eddsa_verification_equation");
}

#[test]
fn rejects_signature_over_message_plus_one() {
    // [22]
    let mut w = honest_witness();
    let sig = issuer_key().sign(raw_commitment(&w.record) + Fr::ONE);
    set_signature(&mut w.record, &sig);
    assert_fails_at(circuit(honest_public(), w), "eddsa_verification_equation");
}

#[test]
fn rejects_signature_over_untagged_or_other_version_message() {
    // [16, 22, 80] Same fields, other domain: without tag and version (arity 8),
    // with a version bump, and with a trailing zero field (arity 11).
    let w0 = honest_witness();
    let holder = zkstatus_circuits::poseidon::hash(&[w0.record.holder_secret]).unwrap();
    let fields = [
        holder,
        w0.record.test_result,
        w0.record.test_type,
        w0.record.test_time,
        w0.record.exposure_time,
        w0.record.issued_at,
        w0.record.expires_at,
        w0.record.credential_id,
    ];
    let untagged = zkstatus_circuits::poseidon::hash(&fields).unwrap();
    let mut v2 = vec![zkstatus_circuits::record::DOMAIN_TAG, Fr::from(2u64)];
    v2.extend_from_slice(&fields);
    let other_version = zkstatus_circuits::poseidon::hash(&v2).unwrap();
    let mut v1_extra = vec![zkstatus_circuits::record::DOMAIN_TAG, Fr::ONE];
    v1_extra.extend_from_slice(&fields);
    v1_extra.push(Fr::ZERO);
    let extra_field = zkstatus_circuits::poseidon::hash(&v1_extra).unwrap();
    for msg in [untagged, other_version, extra_field] {
        assert_ne!(msg, raw_commitment(&w0.record));
        let mut w = honest_witness();
        set_signature(&mut w.record, &issuer_key().sign(msg));
        assert_fails_at(circuit(honest_public(), w), "eddsa_verification_equation");
    }
}

fn l_plus(s: Fr, k: u64) -> Fr {
    let l = Fr::from_le_bytes_mod_order(&Fs::MODULUS.to_bytes_le());
    s + l * Fr::from(k)
}

#[test]
fn rejects_signature_with_s_not_below_subgroup_order() {
    // [18, 19] S + l, S + 2l (still below 2^253), S = l, S = 2^253.
    let w = honest_witness();
    let l = l_plus(Fr::ZERO, 1);
    for s in [
        l_plus(w.record.s, 1),
        l_plus(w.record.s, 2),
        l,
        two_pow(253),
    ] {
        let c = tampered_case(|w| w.record.s = s);
        assert_fails_at(c, "eddsa_s_below_subgroup_order");
    }
}

#[test]
fn rejects_identity_issuer_key_even_with_the_circomlibjs_forgery() {
    // [23] circomlibjs accepts (R8 = S·Base8, S) under A = (0, 1) for any message (V5).
    let s = Fs::from(12345u64);
    let r8 = (BASE8 * s).into_affine();
    let (p, mut w) = with_issuer_point(Fr::ZERO, Fr::ONE);
    w.record.r8 = r8;
    w.record.s = Fr::from(12345u64);
    assert_fails_at(circuit(p, w), "eddsa_key_not_small_order");
}

#[test]
fn rejects_small_order_issuer_keys() {
    // [24] Points of order 2, 4 and 8: [l·k]·Generator for k = 4, 2, 1.
    for k in [4u64, 2, 1] {
        let l = Fs::MODULUS;
        let t = (GENERATOR.mul_bigint(l) * Fs::from(k)).into_affine();
        assert!(!t.is_zero());
        assert!(t.is_on_curve());
        // Signed honestly "under" this key by anyone, and accredited: it is
        // never accepted.
        let (p, w) = with_issuer_point(t.x, t.y);
        assert_fails_at(circuit(p, w), "eddsa_key_not_small_order");
    }
}

#[test]
fn rejects_off_curve_issuer_key() {
    // [25] Including circomlib's key with x scaled as for arkworks' a = 1 form.
    let a = issuer_key().public_key();
    let c = Fr::from(168700u64).sqrt().unwrap();
    for (x, y) in [
        (a.x() * c, a.y()),
        (a.x() + Fr::ONE, a.y()),
        (Fr::from(5u64), Fr::from(7u64)),
    ] {
        let (p, w) = with_issuer_point(x, y);
        assert_fails_at(circuit(p, w), "issuer_key_on_curve");
    }
}

#[test]
fn mixed_order_issuer_key_is_left_to_the_native_key_check() {
    // [26] A + T2 passes the in-circuit checks by design (8·(A + T2) = 8·A);
    // the honest signature does not verify under it because hm hashes A.
    // Natively such a key never gets in: PublicKey rejects it.
    let a = issuer_key().public_key().point();
    let t2 = babyjubjub::point_on_curve(Fr::ZERO, -Fr::ONE).unwrap();
    let mixed = (a + t2).into_affine();
    assert!(zkstatus_circuits::eddsa::PublicKey::from_point(mixed).is_err());
    let (p, w) = with_issuer_point(mixed.x, mixed.y);
    assert_fails_at(circuit(p, w), "eddsa_verification_equation");
}

#[test]
fn rejects_r8_with_torsion_added() {
    // [27] No second accepting (R8, S) for one signature.
    let t2 = babyjubjub::point_on_curve(Fr::ZERO, -Fr::ONE).unwrap();
    let c = tampered_case(|w| w.record.r8 = (w.record.r8 + t2).into_affine());
    assert_fails_at(c, "eddsa_verification_equation");
}

#[test]
fn rejects_identity_or_off_curve_r8() {
    // [28]
    assert_fails_at(
        tampered_case(|w| w.record.r8 = babyjubjub::identity()),
        "eddsa_r8_not_identity",
    );
    assert_fails_at(
        tampered_case(|w| w.record.r8 = point(w.record.r8.x + Fr::ONE, w.record.r8.y)),
        "signature_r8_on_curve",
    );
}

// ------------------------------------------------------------ rule 2: holder

#[test]
fn rejects_holder_secret_that_is_not_the_records_preimage() {
    // Rule 2 is enforced by construction: `holder` is computed from the
    // secret inside the circuit, never witnessed, so a wrong secret changes C
    // and surfaces as a rule-1 failure.
    assert_fails_at(
        tampered_case(|w| w.record.holder_secret += Fr::ONE),
        "rule1_issuer_signature",
    );
}

// ------------------------------------------------- rule 3: negative, accepted

#[test]
fn rejects_positive_test_result() {
    // [4]
    assert_fails_at(
        signed_case(|w| w.record.test_result = Fr::ONE),
        "rule3_test_negative",
    );
    assert_fails_at(
        signed_case(|w| w.record.test_result = -Fr::ONE),
        "rule3_test_negative",
    );
}

#[test]
fn rejects_unknown_test_type() {
    for t in [0u64, 3, 1 << 40] {
        assert_fails_at(
            signed_case(|w| w.record.test_type = Fr::from(t)),
            "rule3_test_type_known",
        );
    }
}

#[test]
fn rejects_test_type_the_policy_does_not_accept() {
    // Policy accepts PCR only; the record is a rapid antigen test.
    let mut p = honest_public();
    p[ACCEPTED_TEST_TYPES] = Fr::from(TestType::Pcr.mask_bit());
    p[MAX_AGE_RAPID_ANTIGEN] = Fr::ZERO;
    let mut w = honest_witness();
    w.record.test_type = Fr::from(TestType::RapidAntigen.code());
    resign(&mut w.record);
    assert_fails_at(circuit(p, w), "rule3_test_type_accepted");
    // And the reverse.
    let mut p = honest_public();
    p[ACCEPTED_TEST_TYPES] = Fr::from(TestType::RapidAntigen.mask_bit());
    assert_fails_at(circuit(p, honest_witness()), "rule3_test_type_accepted");
}

// -------------------------------------------------------- rule 4: test recent

#[test]
fn rejects_test_one_second_older_than_max_age_and_accepts_exactly_max_age() {
    // [6]
    assert_fails_at(
        signed_case(|w| w.record.test_time = Fr::from(NOW - MAX_AGE_PCR - 1)),
        "rule4_test_recent_enough",
    );
    assert_satisfied(signed_case(|w| {
        w.record.test_time = Fr::from(NOW - MAX_AGE_PCR)
    }));
}

#[test]
fn applies_the_max_age_of_the_records_test_type() {
    // A 25-hour-old antigen test fails (24 h) though a PCR of that age passes (72 h).
    assert_fails_at(
        signed_case(|w| {
            w.record.test_type = Fr::from(TestType::RapidAntigen.code());
            w.record.test_time = Fr::from(NOW - 25 * HOUR);
        }),
        "rule4_test_recent_enough",
    );
    assert_satisfied(signed_case(|w| {
        w.record.test_time = Fr::from(NOW - 25 * HOUR)
    }));
    assert_satisfied(signed_case(|w| {
        w.record.test_type = Fr::from(TestType::RapidAntigen.code());
        w.record.test_time = Fr::from(NOW - MAX_AGE_ANTIGEN);
    }));
}

#[test]
fn rejects_future_dated_test_and_accepts_test_at_now() {
    // [7] No wrap-around of now − test_time (V13).
    assert_fails_at(
        signed_case(|w| w.record.test_time = Fr::from(NOW + 1)),
        "rule4_test_not_in_future",
    );
    assert_satisfied(signed_case(|w| {
        w.record.test_time = Fr::from(NOW);
        w.record.issued_at = Fr::from(NOW);
    }));
}

#[test]
fn rejects_test_time_near_the_modulus_or_at_two_to_the_64() {
    // [8]
    for t in [
        -Fr::ONE,
        -Fr::from(MAX_AGE_PCR),
        two_pow(64),
        Fr::from(NOW) - Fr::ONE - two_pow(64),
    ] {
        assert_fails_at(
            signed_case(|w| w.record.test_time = t),
            "record_times_in_range",
        );
    }
}

// --------------------------------------------------------- rule 5: exposure

#[test]
fn rejects_exposure_inside_the_quarantine_window_and_accepts_exactly_the_gap() {
    // [9]
    assert_fails_at(
        signed_case(|w| w.record.exposure_time = Fr::from(NOW - MIN_GAP + 1)),
        "rule5_no_recent_exposure",
    );
    assert_satisfied(signed_case(|w| {
        w.record.exposure_time = Fr::from(NOW - MIN_GAP)
    }));
}

#[test]
fn rejects_exposure_in_the_future() {
    // [10] Pinned semantics: a future exposure counts as exposed.
    for t in [NOW + 1, NOW + MIN_GAP] {
        assert_fails_at(
            signed_case(|w| w.record.exposure_time = Fr::from(t)),
            "rule5_no_recent_exposure",
        );
    }
}

#[test]
fn accepts_the_no_exposure_sentinel() {
    // [39]
    assert_satisfied(signed_case(|w| w.record.exposure_time = Fr::ZERO));
}

#[test]
fn rejects_exposure_time_out_of_range() {
    for t in [-Fr::ONE, two_pow(64)] {
        assert_fails_at(
            signed_case(|w| w.record.exposure_time = t),
            "record_times_in_range",
        );
    }
}

// ------------------------------------------------------- rule 6: validity

#[test]
fn rejects_expired_at_and_after_expires_at_and_accepts_one_second_before() {
    // [12] Strict now < expires_at.
    for e in [NOW, NOW - 1] {
        assert_fails_at(
            signed_case(|w| w.record.expires_at = Fr::from(e)),
            "rule6_not_expired",
        );
    }
    assert_satisfied(signed_case(|w| w.record.expires_at = Fr::from(NOW + 1)));
}

#[test]
fn rejects_credential_not_yet_valid_and_accepts_issued_at_now() {
    assert_fails_at(
        signed_case(|w| w.record.issued_at = Fr::from(NOW + 1)),
        "rule6_issued_not_after_now",
    );
    assert_satisfied(signed_case(|w| w.record.issued_at = Fr::from(NOW)));
}

#[test]
fn rejects_validity_times_out_of_range() {
    // [13]
    for t in [two_pow(64), -Fr::ONE] {
        assert_fails_at(
            signed_case(|w| w.record.expires_at = t),
            "record_times_in_range",
        );
        assert_fails_at(
            signed_case(|w| w.record.issued_at = t),
            "record_times_in_range",
        );
    }
}

// ---------------------------------------------------- public inputs in range

#[test]
fn rejects_public_times_and_policy_values_at_two_to_the_64() {
    // [13]
    for idx in [
        NOW_IDX,
        MAX_AGE_PCR_IDX,
        MAX_AGE_RAPID_ANTIGEN,
        MIN_EXPOSURE_GAP,
    ] {
        for v in [two_pow(64), -Fr::ONE] {
            assert_fails_at(public_case(|p| p[idx] = v), "public_inputs_in_range");
        }
    }
    for m in [4u64, 7, 1 << 20] {
        assert_fails_at(
            public_case(|p| p[ACCEPTED_TEST_TYPES] = Fr::from(m)),
            "public_inputs_in_range",
        );
    }
}

#[test]
fn accepts_extreme_but_legal_times() {
    // [40] now = 2^63, a test at now, exposure long ago, expiry at 2^64 − 1.
    let now = 1u64 << 63;
    let mut p = honest_public();
    p[NOW_IDX] = Fr::from(now);
    let mut w = honest_witness();
    w.record.test_time = Fr::from(now);
    w.record.issued_at = Fr::from(now - 1);
    w.record.expires_at = Fr::from(u64::MAX);
    w.record.exposure_time = Fr::from(1u64);
    resign(&mut w.record);
    // An issuer window around it, the registry rebuilt.
    w.not_before = Fr::from(now - 1);
    w.not_after = Fr::from(u64::MAX);
    let (p, w) = rooted(p, w);
    assert_satisfied(circuit(p, w));
}

#[test]
fn policy_allocated_as_witness_or_constant_does_not_panic() {
    // [42] (V12) The comparison gadgets take any allocation mode; the
    // statement allocates the policy as inputs, and the gadget-level tests in
    // bits::constraints cover constants and witnesses. Here: a zero window
    // (only a test at exactly `now` passes) and a maximal one.
    let mut p = honest_public();
    p[MAX_AGE_PCR_IDX] = Fr::ZERO;
    assert_fails_at(circuit(p, honest_witness()), "rule4_test_recent_enough");
    let mut p = honest_public();
    p[MAX_AGE_PCR_IDX] = Fr::from(u64::MAX);
    assert_satisfied(circuit(p, honest_witness()));
}
