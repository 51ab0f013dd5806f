//! Shared fixtures for the statement tests: an honest baseline and a way to
//! synthesize with constraint traces so failures name their rule.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use ark_relations::r1cs::{
    ConstraintLayer, ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, TracingMode,
};
use tracing_subscriber::layer::SubscriberExt;
use zkstatus_circuits::babyjubjub::Point;
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey, Signature};
use zkstatus_circuits::poseidon;
use zkstatus_circuits::record::{
    HolderSecret, Record, TestResult, TestType, DOMAIN_TAG, FORMAT_VERSION, NO_EXPOSURE,
};
use zkstatus_circuits::statement::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::{Challenge, PublicInputs, StatusPolicy, N_PUBLIC_INPUTS};

pub const NOW: u64 = 1_763_800_000; // 2025-11-22
pub const HOUR: u64 = 3600;
pub const DAY: u64 = 24 * HOUR;
pub const MAX_AGE_PCR: u64 = 72 * HOUR;
pub const MAX_AGE_ANTIGEN: u64 = 24 * HOUR;
pub const MIN_GAP: u64 = 10 * DAY;

pub fn issuer_key() -> PrivateKey {
    PrivateKey::from_bytes([7u8; 32])
}

pub fn other_key() -> PrivateKey {
    PrivateKey::from_bytes([9u8; 32])
}

pub fn holder_secret() -> HolderSecret {
    HolderSecret::from_field(Fr::from(0x5ec2e7u64))
}

pub fn policy() -> StatusPolicy {
    StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN), MIN_GAP).unwrap()
}

pub fn record() -> Record {
    Record {
        holder: holder_secret().commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: NOW - 5 * HOUR,
        exposure_time: NO_EXPOSURE,
        issued_at: NOW - 4 * HOUR,
        expires_at: NOW + 2 * DAY,
        credential_id: Fr::from(0xc0ffeeu64),
    }
}

pub fn public() -> PublicInputs {
    PublicInputs {
        issuer: issuer_key().public_key(),
        now: NOW,
        policy: policy(),
        challenge: Challenge::from_field(Fr::from(0xc4a11e49eu64)),
    }
}

/// The commitment of a raw witness, exactly as the circuit computes it.
pub fn raw_commitment(w: &StatusWitness) -> Fr {
    let holder = poseidon::hash(&[w.holder_secret]).unwrap();
    poseidon::hash(&[
        DOMAIN_TAG,
        Fr::from(FORMAT_VERSION),
        holder,
        w.test_result,
        w.test_type,
        w.test_time,
        w.exposure_time,
        w.issued_at,
        w.expires_at,
        w.credential_id,
    ])
    .unwrap()
}

/// Store a signature in a raw witness.
pub fn set_signature(w: &mut StatusWitness, sig: &Signature) {
    w.r8 = sig.r8();
    w.s = Fr::from_le_bytes_mod_order(&sig.s().into_bigint().to_bytes_le());
}

/// Have `key` sign the raw witness's commitment (a possibly non-green or
/// malformed record that the issuer nevertheless signed).
pub fn resign_with(w: &mut StatusWitness, key: &PrivateKey) {
    let sig = key.sign(raw_commitment(w));
    set_signature(w, &sig);
}

pub fn resign(w: &mut StatusWitness) {
    resign_with(w, &issuer_key());
}

pub fn honest_witness() -> StatusWitness {
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    StatusWitness::new(&r, &holder_secret(), &sig)
}

pub fn honest_public() -> [Fr; N_PUBLIC_INPUTS] {
    public().to_field_elements()
}

pub fn circuit(public: [Fr; N_PUBLIC_INPUTS], witness: StatusWitness) -> StatusCircuit {
    StatusCircuit {
        public: Some(public),
        witness: Some(witness),
    }
}

/// Synthesize with constraint traces on.
pub fn synthesize(c: StatusCircuit) -> ConstraintSystemRef<Fr> {
    let mut layer = ConstraintLayer::default();
    layer.mode = TracingMode::OnlyConstraints;
    let subscriber = tracing_subscriber::Registry::default().with(layer);
    let _guard = tracing::subscriber::set_default(subscriber);
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).unwrap();
    cs
}

/// The trace of the first unsatisfied constraint, `None` if satisfied.
pub fn first_failure(c: StatusCircuit) -> Option<String> {
    synthesize(c).which_is_unsatisfied().unwrap()
}

/// Assert the baseline holds, then that `c` fails in namespace `rule`.
#[track_caller]
pub fn assert_fails_at(c: StatusCircuit, rule: &str) {
    assert_eq!(
        first_failure(circuit(honest_public(), honest_witness())),
        None,
        "baseline must hold"
    );
    match first_failure(c) {
        None => panic!("expected a failure in {rule}, but the circuit is satisfied"),
        Some(trace) => assert!(
            trace.contains(rule),
            "expected a failure in {rule}, got {trace}"
        ),
    }
}

#[track_caller]
pub fn assert_satisfied(c: StatusCircuit) {
    if let Some(trace) = first_failure(c) {
        panic!("expected satisfied, failed at {trace}");
    }
}

pub fn point(x: Fr, y: Fr) -> Point {
    Point::new_unchecked(x, y)
}

pub fn pk(k: &PrivateKey) -> PublicKey {
    k.public_key()
}
