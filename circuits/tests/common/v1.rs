//! The honest baseline of statement v1 (the issuer key a public input).
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use super::{first_failure, holder_secret, issuer_key, policy, record, NOW};
use ark_bn254::Fr;
use zkstatus_circuits::statement::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::{Challenge, PublicInputs, N_PUBLIC_INPUTS};

pub fn public() -> PublicInputs {
    PublicInputs {
        issuer: issuer_key().public_key(),
        now: NOW,
        policy: policy(),
        challenge: Challenge::from_field(Fr::from(0xc4a11e49eu64)),
    }
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
