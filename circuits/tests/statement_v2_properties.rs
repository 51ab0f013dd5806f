//! Statement v2's properties that hold across all of it, beside the
//! per-rule tests (`statement_rules.rs` for rules 1–7, `statement_v2.rs` for
//! rules 8–10 and the pinned shape): setup and prove mode give one shape, the
//! native twin agrees with the circuit on random records and windows near
//! every boundary, and with Groth16 every public input is bound, a non-green
//! record gives no verifying proof, and two proofs of one credential differ.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ark_bn254::{Bn254, Fr};
use ark_ff::{AdditiveGroup, Field, UniformRand};
use ark_groth16::Groth16;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_snark::SNARK;
use common::v2::*;
use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_circuits::record::{Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_circuits::statement::constraints::shape_of;
use zkstatus_circuits::statement::v2::constraints::{circuit_shape, StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{
    check_statement, Mode, Nullifier, Scope, N_PUBLIC_INPUTS, PUBLIC_INPUT_NAMES,
};
use zkstatus_circuits::statement::StatusPolicy;

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
    // A non-green witness, and a one-scan statement, have the same shape too.
    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut w = honest_witness();
    w.record.exposure_time = Fr::from(NOW - 1);
    circuit(honest_public(), w)
        .generate_constraints(cs.clone())
        .unwrap();
    assert_eq!(shape_of(&cs).unwrap(), setup);
    let scope = Scope::from_field(Fr::from(77u64));
    let mut p = public();
    p.mode = Mode::OneScan {
        scope,
        nullifier: Nullifier::new(&holder_secret(), &scope),
    };
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit(p.to_field_elements(), honest_witness())
        .generate_constraints(cs.clone())
        .unwrap();
    assert!(cs.is_satisfied().unwrap());
    assert_eq!(shape_of(&cs).unwrap(), setup);
}

#[test]
fn setup_mode_synthesis_needs_no_values() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    StatusCircuit::blank()
        .generate_constraints(cs.clone())
        .unwrap();
    assert_eq!(
        cs.num_constraints(),
        circuit_shape().unwrap().num_constraints
    );
}

/// A time mostly on the green side of `boundary` (`inside` = the direction
/// of green, `+1` or `-1`) and a quarter of the time within ±3 s of it.
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
        near(rng, NOW - max_age, 1, max_age)
    } else {
        near(rng, NOW, -1, max_age)
    };
    let exposure_time = if rng.gen_bool(0.5) {
        NO_EXPOSURE
    } else if rng.gen_bool(0.8) {
        near(rng, NOW - MIN_GAP, -1, DAY)
    } else {
        near(rng, NOW, 1, DAY)
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

/// An issuer window whose edges are mostly open around `NOW` and a quarter
/// of the time within ±3 s of it.
fn random_window(rng: &mut ChaCha20Rng) -> Window {
    let not_before = near(rng, NOW, -1, DAY);
    let not_after = near(rng, NOW + 1, 1, DAY).max(not_before + 1);
    Window::new(not_before, not_after).unwrap()
}

#[test]
fn circuit_and_native_check_agree_on_random_records_near_every_boundary() {
    // [36, 37] The circuit is satisfiable exactly when the native twin
    // accepts: records near the rule 3–6 boundaries, issuer windows near
    // rule 9's, three policies.
    let mut rng = ChaCha20Rng::seed_from_u64(2027);
    let policies = [
        policy(),
        StatusPolicy::new(Some(MAX_AGE_PCR), None, MIN_GAP).unwrap(),
        StatusPolicy::new(None, Some(MAX_AGE_ANTIGEN), MIN_GAP).unwrap(),
    ];
    let (mut green, mut not_green) = (0, 0);
    for i in 0..60 {
        let r = random_record(&mut rng);
        let leaf = IssuerLeaf {
            key: issuer_key().public_key(),
            window: random_window(&mut rng),
        };
        let tree = registry_with(leaf.hash());
        let path = tree.path(INDEX).unwrap();
        let mut p = public();
        p.policy = policies[i % 3];
        p.registry_root = tree.root();
        let sig = issuer_key().sign(r.commitment());
        let native = check_statement(&p, &r, &holder_secret(), &sig, &leaf, &path);
        let w = StatusWitness::new(&r, &holder_secret(), &sig, &leaf, &path);
        let failure = first_failure(StatusCircuit::new(&p, w));
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
fn honest_proofs_verify_and_every_public_input_is_bound_in_both_modes() {
    // [1, 3, 30, 31, 32, 34, 57]
    let k = keys();
    assert_eq!(k.vk.gamma_abc_g1.len(), N_PUBLIC_INPUTS + 1);
    let scope = Scope::from_field(Fr::from(77u64));
    let mut one_scan = public();
    one_scan.mode = Mode::OneScan {
        scope,
        nullifier: Nullifier::new(&holder_secret(), &scope),
    };
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for (mode, public) in [
        ("interactive", honest_public()),
        ("one-scan", one_scan.to_field_elements()),
    ] {
        let proof = prove(circuit(public, honest_witness()), 2);
        assert!(Groth16::<Bn254>::verify(&k.vk, &public, &proof).unwrap());
        for i in 0..N_PUBLIC_INPUTS {
            for v in [public[i] + Fr::ONE, public[i] - Fr::ONE, Fr::rand(&mut rng)] {
                let mut p = public;
                p[i] = v;
                assert!(
                    !Groth16::<Bn254>::verify(&k.vk, &p, &proof).unwrap(),
                    "{mode}: input {} changed and the proof still verified",
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
}

#[test]
fn a_proof_of_a_non_green_record_does_not_verify() {
    // Groth16 proves whatever it is given; the pairing check is what fails.
    let mut w = honest_witness();
    w.record.expires_at = Fr::from(NOW);
    resign(&mut w.record);
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
    // [82, 86] Fresh randomness per proof: nothing links two presentations.
    let public = honest_public();
    let a = prove(circuit(public, honest_witness()), 5);
    let b = prove(circuit(public, honest_witness()), 6);
    assert_ne!(a.a, b.a);
    assert_ne!(a.b, b.b);
    assert_ne!(a.c, b.c);
    assert!(Groth16::<Bn254>::verify(&keys().vk, &public, &b).unwrap());
}
