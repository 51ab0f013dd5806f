//! circomlibjs Poseidon known answers (docs/security.md, item 44, V2, V3):
//! every case of `tests/vectors/poseidon.json`, arities 1..=16.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod vector_helpers;

use vector_helpers::{fq, load, str_of, POSEIDON_JSON};
use zkstatus_circuits::babyjubjub::Fq;
use zkstatus_circuits::poseidon;

fn inputs_of(case: &serde_json::Value) -> Vec<Fq> {
    case["inputs"]
        .as_array()
        .expect("inputs array")
        .iter()
        .map(|v| fq(v.as_str().expect("decimal string")))
        .collect()
}

#[test]
fn matches_every_circomlibjs_case_for_all_arities() {
    let v = load(POSEIDON_JSON);
    let cases = v["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 37, "vector file truncated or extended");
    let mut arities_seen = [false; poseidon::MAX_INPUTS + 1];
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let inputs = inputs_of(case);
        let n = case["n_inputs"].as_u64().expect("n_inputs") as usize;
        assert_eq!(inputs.len(), n, "case {i}: n_inputs");
        assert_eq!(case["t"].as_u64(), Some(n as u64 + 1), "case {i}: t");
        arities_seen[n] = true;
        let expected = fq(str_of(case, "output"));
        let got = poseidon::hash(&inputs).unwrap();
        if got != expected {
            failures.push(format!("case {i} (n = {n}): got {got}, want {expected}"));
        }
    }
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
    assert!(
        arities_seen[1..].iter().all(|&s| s),
        "every arity 1..=16 must be covered"
    );
}

#[test]
fn matches_anchor_and_hash_fixed_agrees() {
    let v = load(POSEIDON_JSON);
    let anchor = &v["anchor"];
    let inputs = inputs_of(anchor);
    let expected = fq(str_of(anchor, "output"));
    assert_eq!(poseidon::hash(&inputs).unwrap(), expected);
    assert_eq!(
        poseidon::hash_fixed([Fq::from(1u64), Fq::from(2u64)]),
        expected
    );
}

/// The modulus in the file is BN254's `Fr` modulus: `p − 1` is the largest
/// canonical input.
#[test]
fn vector_modulus_is_bn254_scalar_field() {
    let v = load(POSEIDON_JSON);
    let p = vector_helpers::biguint(str_of(&v, "modulus"));
    assert_eq!(p, vector_helpers::to_biguint(-Fq::from(1u64)) + 1u32);
}
