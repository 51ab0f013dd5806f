//! The statement's shape and the properties that hold across all of it:
//! pinned counts and matrix hash, setup/prove shape equality, the public-
//! input manifest, the witness-mutation sweep, the native/circuit twin
//! agreement, and proof-level checks with Groth16.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ark_bn254::{Bn254, Fr};
use ark_ff::{AdditiveGroup, Field, UniformRand};
use ark_groth16::Groth16;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_snark::SNARK;
use common::v1::*;
use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_circuits::record::{Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::constraints::{
    circuit_shape, shape_of, StatusCircuit, StatusWitness,
};
use zkstatus_circuits::statement::{
    self, check_status, StatusPolicy, N_PUBLIC_INPUTS, PUBLIC_INPUT_NAMES,
};

/// Pinned: any change to the R1CS changes these, and with them every key.
/// Regenerate only on purpose, together with docs/circuit.md.
const PINNED_CONSTRAINTS: usize = 5169;
const PINNED_INSTANCE_VARIABLES: usize = N_PUBLIC_INPUTS + 1;
const PINNED_WITNESS_VARIABLES: usize = 4865;
const PINNED_MATRIX_HASH: &str = "a969db896593075bfc3a93662a64a838530c3a4f27d1b8dc97bbc0fd474d1a7a";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn constraint_count_instance_count_and_matrix_hash_are_pinned() {
    let shape = circuit_shape().unwrap();
    assert_eq!(shape.num_constraints, PINNED_CONSTRAINTS);
    assert_eq!(shape.num_instance_variables, PINNED_INSTANCE_VARIABLES);
    assert_eq!(shape.num_witness_variables, PINNED_WITNESS_VARIABLES);
    assert_eq!(hex(&shape.matrix_hash), PINNED_MATRIX_HASH);
    // Below the same statement written with circomlib templates (circom -O2).
    assert!(shape.num_constraints < 5574);
}

#[test]
fn setup_mode_and_prove_mode_give_the_same_shape() {
    // [43]
    let setup = circuit_shape().unwrap();
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit(honest_public(), honest_witness())
        .generate_constraints(cs.clone())
        .unwrap();
    assert!(cs.is_satisfied().unwrap());
    assert_eq!(shape_of(&cs).unwrap(), setup);
    // A non-green witness has the same shape too.
    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut w = honest_witness();
    w.exposure_time = Fr::from(NOW - 1);
    circuit(honest_public(), w)
        .generate_constraints(cs.clone())
        .unwrap();
    assert_eq!(shape_of(&cs).unwrap(), setup);
}

#[test]
fn public_inputs_are_allocated_by_position_in_the_shared_order() {
    // [34, 81] Exactly these eight, nothing credential-derived.
    assert_eq!(
        PUBLIC_INPUT_NAMES,
        [
            "issuer_ax",
            "issuer_ay",
            "now",
            "challenge",
            "accepted_test_types",
            "max_age_pcr",
            "max_age_rapid_antigen",
            "min_exposure_gap",
        ]
    );
    let p = public();
    let v = p.to_field_elements();
    assert_eq!(v[statement::ISSUER_AX], p.issuer.x());
    assert_eq!(v[statement::ISSUER_AY], p.issuer.y());
    assert_eq!(v[statement::NOW], Fr::from(NOW));
    assert_eq!(v[statement::CHALLENGE], p.challenge.to_field());
    assert_eq!(v[statement::ACCEPTED_TEST_TYPES], Fr::from(3u64));
    assert_eq!(v[statement::MAX_AGE_PCR], Fr::from(MAX_AGE_PCR));
    assert_eq!(
        v[statement::MAX_AGE_RAPID_ANTIGEN],
        Fr::from(MAX_AGE_ANTIGEN)
    );
    assert_eq!(v[statement::MIN_EXPOSURE_GAP], Fr::from(MIN_GAP));
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit(v, honest_witness())
        .generate_constraints(cs.clone())
        .unwrap();
    let cs = cs.borrow().unwrap();
    assert_eq!(cs.num_instance_variables, N_PUBLIC_INPUTS + 1);
    assert_eq!(cs.instance_assignment[0], Fr::ONE);
    assert_eq!(&cs.instance_assignment[1..], &v[..]);
}

/// Bump each witness variable by one and return the indices the constraint
/// system did not notice.
fn undetected_mutations(w: StatusWitness) -> Vec<usize> {
    undetected_mutations_of(circuit(honest_public(), w), Vars::Witness)
}

#[test]
fn witness_mutation_sweep_finds_only_the_documented_free_hint() {
    // [2, 17] Allowlist (docs/circuit.md, "Free witness variables"): the
    // inverse hint of is_nonzero(exposure_time), which multiplies a zero when
    // there is no exposure. With an exposure on record it is determined.
    let free = undetected_mutations(honest_witness());
    assert_eq!(free.len(), 1, "free witness variables: {free:?}");
    let mut w = honest_witness();
    w.exposure_time = Fr::from(NOW - 30 * DAY);
    resign(&mut w);
    assert_eq!(undetected_mutations(w), Vec::<usize>::new());
}

/// A time that is mostly on the green side of `boundary` (`inside` = the
/// direction of green, `+1` or `-1`) and a quarter of the time within ±3 s of it.
fn near(rng: &mut ChaCha20Rng, boundary: u64, inside: i64, spread: u64) -> u64 {
    if rng.gen_bool(0.25) {
        boundary + rng.gen_range(0..7) - 3
    } else if inside > 0 {
        boundary + rng.gen_range(0..spread)
    } else {
        boundary - rng.gen_range(0..spread)
    }
}

fn random_record(rng: &mut ChaCha20Rng) -> Record {
    let test_type = if rng.gen_bool(0.5) {
        TestType::Pcr
    } else {
        TestType::RapidAntigen
    };
    let max_age = if test_type == TestType::Pcr {
        MAX_AGE_PCR
    } else {
        MAX_AGE_ANTIGEN
    };
    let test_time = if rng.gen_bool(0.5) {
        near(rng, NOW - max_age, 1, max_age) // the "too old" boundary
    } else {
        near(rng, NOW, -1, max_age) // the "future" boundary
    };
    let exposure_time = if rng.gen_bool(0.5) {
        NO_EXPOSURE
    } else if rng.gen_bool(0.8) {
        near(rng, NOW - MIN_GAP, -1, DAY)
    } else {
        near(rng, NOW, 1, DAY) // in the future
    };
    Record {
        holder: holder_secret().commitment(),
        test_result: if rng.gen_bool(0.9) {
            TestResult::Negative
        } else {
            TestResult::Positive
        },
        test_type,
        test_time,
        exposure_time,
        issued_at: near(rng, NOW, -1, HOUR),
        expires_at: near(rng, NOW + 1, 1, HOUR),
        credential_id: Fr::rand(rng),
    }
}

#[test]
fn circuit_and_native_check_agree_on_random_records_near_every_boundary() {
    // [36, 37] The circuit is satisfiable exactly when the native twin says green.
    let mut rng = ChaCha20Rng::seed_from_u64(2026);
    let policies = [
        policy(),
        StatusPolicy::new(Some(MAX_AGE_PCR), None, MIN_GAP).unwrap(),
        StatusPolicy::new(None, Some(MAX_AGE_ANTIGEN), MIN_GAP).unwrap(),
    ];
    let (mut green, mut not_green) = (0, 0);
    for i in 0..90 {
        let r = random_record(&mut rng);
        let mut p = public();
        p.policy = policies[i % 3];
        let sig = issuer_key().sign(r.commitment());
        let native = check_status(&r, NOW, &p.policy);
        let c = StatusCircuit::new(&p, StatusWitness::new(&r, &holder_secret(), &sig));
        let failure = first_failure(c);
        assert_eq!(
            native.is_ok(),
            failure.is_none(),
            "native {native:?}, circuit {failure:?}"
        );
        if native.is_ok() {
            green += 1;
        } else {
            not_green += 1;
        }
    }
    assert!(
        green >= 5 && not_green >= 5,
        "{green} green, {not_green} not"
    );
}

struct Keys {
    pk: ark_groth16::ProvingKey<Bn254>,
    vk: ark_groth16::VerifyingKey<Bn254>,
}

fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let (pk, vk) =
            Groth16::<Bn254>::circuit_specific_setup(StatusCircuit::blank(), &mut rng).unwrap();
        Keys { pk, vk }
    })
}

fn prove(c: StatusCircuit, seed: u64) -> ark_groth16::Proof<Bn254> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    Groth16::<Bn254>::prove(&keys().pk, c, &mut rng).unwrap()
}

#[test]
fn honest_proof_verifies_and_every_public_input_is_bound() {
    // [1, 3, 30, 31, 32, 34, 57]
    let k = keys();
    assert_eq!(k.vk.gamma_abc_g1.len(), N_PUBLIC_INPUTS + 1);
    let public = honest_public();
    let proof = prove(circuit(public, honest_witness()), 2);
    assert!(Groth16::<Bn254>::verify(&k.vk, &public, &proof).unwrap());
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for i in 0..N_PUBLIC_INPUTS {
        for v in [public[i] + Fr::ONE, public[i] - Fr::ONE, Fr::rand(&mut rng)] {
            let mut p = public;
            p[i] = v;
            assert!(
                !Groth16::<Bn254>::verify(&k.vk, &p, &proof).unwrap(),
                "input {} changed and the proof still verified",
                PUBLIC_INPUT_NAMES[i]
            );
        }
    }
    // One too few or too many inputs is an error, never an acceptance (V16).
    assert!(Groth16::<Bn254>::verify(&k.vk, &public[..N_PUBLIC_INPUTS - 1], &proof).is_err());
    let mut longer = public.to_vec();
    longer.push(Fr::ZERO);
    assert!(Groth16::<Bn254>::verify(&k.vk, &longer, &proof).is_err());
}

#[test]
fn a_proof_of_a_non_green_record_does_not_verify() {
    // Groth16 proves whatever it is given; the pairing check is what fails.
    let mut w = honest_witness();
    w.expires_at = Fr::from(NOW);
    resign(&mut w);
    let public = honest_public();
    // ark-groth16 debug-asserts satisfiability, so in a debug build proving
    // panics; in a release build it returns a proof that must not verify.
    let c = circuit(public, w);
    let keys = keys();
    let result = std::panic::catch_unwind(|| prove(c, 4));
    if let Ok(proof) = result {
        assert!(!Groth16::<Bn254>::verify(&keys.vk, &public, &proof).unwrap());
    }
}

#[test]
fn two_proofs_of_one_credential_differ() {
    // [82] Fresh randomness per proof: nothing links two presentations.
    let public = honest_public();
    let a = prove(circuit(public, honest_witness()), 5);
    let b = prove(circuit(public, honest_witness()), 6);
    assert_ne!(a, b);
    assert!(Groth16::<Bn254>::verify(&keys().vk, &public, &b).unwrap());
}

#[test]
fn setup_mode_synthesis_needs_no_values() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    StatusCircuit::blank()
        .generate_constraints(cs.clone())
        .unwrap();
    assert_eq!(cs.num_constraints(), PINNED_CONSTRAINTS);
}

/// Constraints per rule namespace, in synthesis order, from the traces.
fn constraints_per_namespace() -> Vec<(String, usize)> {
    constraints_per_namespace_of(circuit(honest_public(), honest_witness()))
}

#[test]
fn docs_circuit_md_carries_the_generated_constraint_table() {
    // The auditor's table is generated from the circuit; set
    // ZKSTATUS_REGENERATE_DOCS=1 to rewrite it on purpose.
    let rows = constraints_per_namespace();
    let total: usize = rows.iter().map(|(_, n)| n).sum();
    assert_eq!(total, PINNED_CONSTRAINTS);
    check_generated_table(&rows, "constraint-table");
}
