//! Statement v2 (docs/circuit.md, statement v2): the pinned shape and the
//! budget, one negative test per new rule (8–10) naming the namespace that
//! fails, the boundaries, the witness-mutation and public-input sweeps, the
//! native twin, and Groth16 end to end in both modes. Rules 1–7 are v1's
//! functions, shared with the record rules (`statement_rules.rs` breaks each
//! of them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ark_bn254::{Bn254, Fr};
use ark_ff::{AdditiveGroup, Field};
use ark_groth16::Groth16;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem};
use ark_snark::SNARK;
use common::{
    check_generated_table, constraints_per_namespace_of, first_failure, holder_secret, issuer_key,
    other_key, policy, record, undetected_mutations_of, Vars, DAY, HOUR, NOW,
};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::registry::{IssuerLeaf, MerklePath, RegistryTree, Window};
use zkstatus_circuits::statement::v2::constraints::{circuit_shape, StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{
    self, Mode, Nullifier, PublicInputs, Scope, StatementError, CHALLENGE, NOW as NOW_IDX,
    NULLIFIER, N_PUBLIC_INPUTS, ONE_SCAN, REGISTRY_ROOT, SCOPE,
};
use zkstatus_circuits::statement::Challenge;

/// The pinned shape of statement v2.
const CONSTRAINTS: usize = 7846;
const INSTANCE_VARIABLES: usize = 11;
const MATRIX_HASH: &str = "574a3479f96e4b85618e92a57e590380bebcf38e7ee2277a3ea4ca367c279258";

/// The issuer's leaf index in the baseline registry (digits 1, 2, 3, 0, 1, 0
/// in base 4: every position occurs).
const INDEX: usize = 1 + 2 * 4 + 3 * 16 + 256;

fn window() -> Window {
    Window::new(NOW - 30 * DAY, NOW + 365 * DAY).unwrap()
}

fn issuer() -> IssuerLeaf {
    IssuerLeaf {
        key: issuer_key().public_key(),
        window: window(),
    }
}

/// A registry of `INDEX + 3` issuers with ours at `INDEX`.
fn registry() -> RegistryTree {
    let leaves: Vec<Fr> = (0..INDEX + 3)
        .map(|i| {
            if i == INDEX {
                issuer().hash()
            } else {
                let seed = (i % 250) as u8 + 1;
                let mut bytes = [seed; 32];
                bytes[0] = (i / 250) as u8;
                IssuerLeaf {
                    key: PrivateKey::from_bytes(bytes).public_key(),
                    window: window(),
                }
                .hash()
            }
        })
        .collect();
    RegistryTree::new(&leaves).unwrap()
}

fn path() -> MerklePath {
    registry().path(INDEX).unwrap()
}

fn scope() -> Scope {
    Scope::from_field(Fr::from(0x5c09eu64))
}

fn interactive() -> PublicInputs {
    PublicInputs {
        registry_root: registry().root(),
        now: NOW,
        policy: policy(),
        mode: Mode::Interactive {
            challenge: Challenge::from_field(Fr::from(0xc4a11e49eu64)),
        },
    }
}

fn one_scan() -> PublicInputs {
    PublicInputs {
        mode: Mode::OneScan {
            scope: scope(),
            nullifier: Nullifier::new(&holder_secret(), &scope()),
        },
        ..interactive()
    }
}

fn witness() -> StatusWitness {
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    StatusWitness::new(&r, &holder_secret(), &sig, &issuer(), &path())
}

fn circuit(public: [Fr; N_PUBLIC_INPUTS], witness: StatusWitness) -> StatusCircuit {
    StatusCircuit {
        public: Some(public),
        witness: Some(witness),
    }
}

#[track_caller]
fn assert_satisfied(c: StatusCircuit) {
    if let Some(trace) = first_failure(c) {
        panic!("expected satisfied, failed at {trace}");
    }
}

#[track_caller]
fn assert_fails_at(c: StatusCircuit, rule: &str) {
    assert_satisfied(circuit(interactive().to_field_elements(), witness()));
    match first_failure(c) {
        None => panic!("expected a failure in {rule}, but the circuit is satisfied"),
        Some(trace) => assert!(
            trace.contains(rule),
            "expected a failure in {rule}, got {trace}"
        ),
    }
}

/// The witness for our credential with the issuer's window replaced (the
/// registry holding that leaf instead).
fn with_window(w: Window) -> (PublicInputs, StatusWitness) {
    let leaf = IssuerLeaf {
        key: issuer_key().public_key(),
        window: w,
    };
    let tree = RegistryTree::new(&[leaf.hash()]).unwrap();
    let path = tree.path(0).unwrap();
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    let public = PublicInputs {
        registry_root: tree.root(),
        ..interactive()
    };
    (
        public,
        StatusWitness::new(&r, &holder_secret(), &sig, &leaf, &path),
    )
}

// ------------------------------------------------------------ shape, budget

#[test]
fn constraint_count_instance_count_and_matrix_hash_are_pinned() {
    let shape = circuit_shape().unwrap();
    assert_eq!(shape.num_constraints, CONSTRAINTS);
    assert_eq!(shape.num_instance_variables, INSTANCE_VARIABLES);
    assert_eq!(hex::encode(shape.matrix_hash), MATRIX_HASH);
}

#[test]
fn constraints_plus_instance_variables_fit_the_2_pow_13_domain() {
    let shape = circuit_shape().unwrap();
    assert!(shape.num_constraints + shape.num_instance_variables <= 8192);
}

#[test]
fn public_inputs_hold_the_registry_root_and_the_nullifier_and_no_issuer_key() {
    assert_eq!(
        v2::PUBLIC_INPUT_NAMES,
        [
            "registry_root",
            "now",
            "challenge",
            "one_scan",
            "scope",
            "nullifier",
            "accepted_test_types",
            "max_age_pcr",
            "max_age_rapid_antigen",
            "min_exposure_gap",
        ]
    );
    let p = one_scan().to_field_elements();
    let key = issuer_key().public_key();
    assert!(!p.contains(&key.x()) && !p.contains(&key.y()));
    assert_eq!(p[REGISTRY_ROOT], registry().root());
    assert_eq!(
        p[NULLIFIER],
        Nullifier::new(&holder_secret(), &scope()).to_field()
    );
}

#[test]
fn public_inputs_are_allocated_by_position_in_the_shared_order() {
    // [34, 81] The instance is the constant one, then exactly
    // `PublicInputs::to_field_elements`, in its order, in both modes.
    for public in [interactive(), one_scan()] {
        let v = public.to_field_elements();
        let cs = ConstraintSystem::<Fr>::new_ref();
        circuit(v, witness())
            .generate_constraints(cs.clone())
            .unwrap();
        let cs = cs.borrow().unwrap();
        assert_eq!(cs.num_instance_variables, N_PUBLIC_INPUTS + 1);
        assert_eq!(cs.instance_assignment[0], Fr::ONE);
        assert_eq!(&cs.instance_assignment[1..], &v[..]);
    }
}

// ----------------------------------------------------------------- baseline

#[test]
fn honest_baseline_is_satisfied_in_both_modes() {
    for public in [interactive(), one_scan()] {
        assert_satisfied(circuit(public.to_field_elements(), witness()));
        let r = record();
        let sig = issuer_key().sign(r.commitment());
        v2::check_statement(&public, &r, &holder_secret(), &sig, &issuer(), &path()).unwrap();
    }
}

// ----------------------------------------------- rule 8: issuer in registry

#[test]
fn rejects_a_key_not_in_the_registry() {
    // Another issuer signs; its leaf is not in the tree (same window, same path).
    let r = record();
    let other = IssuerLeaf {
        key: other_key().public_key(),
        window: window(),
    };
    let sig = other_key().sign(r.commitment());
    let w = StatusWitness::new(&r, &holder_secret(), &sig, &other, &path());
    assert_fails_at(
        circuit(interactive().to_field_elements(), w),
        "rule8_issuer_in_registry",
    );
    assert_eq!(
        v2::check_statement(&interactive(), &r, &holder_secret(), &sig, &other, &path()),
        Err(StatementError::NotInRegistry)
    );
}

#[test]
fn rejects_a_path_for_another_root() {
    let mut p = interactive().to_field_elements();
    p[REGISTRY_ROOT] += Fr::ONE;
    assert_fails_at(circuit(p, witness()), "rule8_issuer_in_registry");
    // A path from another tree that holds the same leaf elsewhere.
    let tree = RegistryTree::new(&[Fr::from(1u64), issuer().hash()]).unwrap();
    let mut w = witness();
    let other = tree.path(1).unwrap();
    w.index_bits = other.index_bits();
    w.siblings = *other.siblings();
    assert_fails_at(
        circuit(interactive().to_field_elements(), w),
        "rule8_issuer_in_registry",
    );
}

#[test]
fn rejects_swapped_sibling_positions() {
    // At every level: the same siblings with the node's position changed,
    // and, where they differ (above the filled part of the tree all three are
    // the empty subtree's hash), two siblings swapped.
    let mut swapped = 0;
    for level in 0..zkstatus_circuits::registry::DEPTH {
        let mut w = witness();
        w.index_bits[2 * level] = !w.index_bits[2 * level];
        assert_fails_at(
            circuit(interactive().to_field_elements(), w),
            "rule8_issuer_in_registry",
        );
        let mut w = witness();
        if w.siblings[level][0] == w.siblings[level][2] {
            continue;
        }
        w.siblings[level].swap(0, 2);
        assert_fails_at(
            circuit(interactive().to_field_elements(), w),
            "rule8_issuer_in_registry",
        );
        swapped += 1;
    }
    assert!(swapped >= 4, "only {swapped} levels had distinct siblings");
}

#[test]
fn rejects_a_leaf_with_another_window() {
    // The registry lists the issuer until not_after; the prover claims a
    // later end (or an earlier start) with the same path.
    let mut w = witness();
    w.not_after += Fr::from(DAY);
    assert_fails_at(
        circuit(interactive().to_field_elements(), w),
        "rule8_issuer_in_registry",
    );
    let mut w = witness();
    w.not_before -= Fr::ONE;
    assert_fails_at(
        circuit(interactive().to_field_elements(), w),
        "rule8_issuer_in_registry",
    );
}

// ----------------------------------------------- rule 9: the issuer's window

#[test]
fn rejects_now_equal_to_not_after() {
    let (public, w) = with_window(Window::new(NOW - DAY, NOW).unwrap());
    assert_fails_at(
        circuit(public.to_field_elements(), w),
        "rule9_issuer_window_open",
    );
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    let leaf = IssuerLeaf {
        key: issuer_key().public_key(),
        window: Window::new(NOW - DAY, NOW).unwrap(),
    };
    let path = RegistryTree::new(&[leaf.hash()]).unwrap().path(0).unwrap();
    assert_eq!(
        v2::check_statement(&public, &r, &holder_secret(), &sig, &leaf, &path),
        Err(StatementError::IssuerAccreditationEnded)
    );
    // One second earlier it is open.
    let (public, w) = with_window(Window::new(NOW - DAY, NOW + 1).unwrap());
    assert_satisfied(circuit(public.to_field_elements(), w));
}

#[test]
fn rejects_now_below_not_before() {
    let (public, w) = with_window(Window::new(NOW + 1, NOW + DAY).unwrap());
    assert_fails_at(
        circuit(public.to_field_elements(), w),
        "rule9_issuer_accredited_yet",
    );
    // not_before = now is inside the window.
    let (public, w) = with_window(Window::new(NOW, NOW + DAY).unwrap());
    assert_satisfied(circuit(public.to_field_elements(), w));
}

#[test]
fn rejects_window_ends_beyond_64_bits() {
    // A leaf whose not_after is p − 1 (a "negative" time) would make every
    // comparison wrap without the range check.
    let leaf = IssuerLeaf {
        key: issuer_key().public_key(),
        window: window(),
    };
    let mut f = leaf.to_field_elements();
    f[4] = -Fr::ONE;
    let hash = zkstatus_circuits::poseidon::hash(&f).unwrap();
    let tree = RegistryTree::new(&[hash]).unwrap();
    let path = tree.path(0).unwrap();
    let mut w = witness();
    w.not_after = -Fr::ONE;
    w.index_bits = path.index_bits();
    w.siblings = *path.siblings();
    let public = PublicInputs {
        registry_root: tree.root(),
        ..interactive()
    };
    assert_fails_at(
        circuit(public.to_field_elements(), w),
        "rule9_window_in_range",
    );
}

// -------------------------------------------------------- rule 10: nullifier

#[test]
fn rejects_a_nullifier_for_another_secret() {
    let mut p = one_scan().to_field_elements();
    p[NULLIFIER] = Nullifier::new(&HolderSecret::from_field(Fr::from(99u64)), &scope()).to_field();
    assert_fails_at(circuit(p, witness()), "rule10_nullifier");
}

#[test]
fn rejects_a_nullifier_for_another_scope() {
    let mut p = one_scan().to_field_elements();
    p[SCOPE] += Fr::ONE;
    assert_fails_at(circuit(p, witness()), "rule10_nullifier");
    let mut public = one_scan();
    public.mode = Mode::OneScan {
        scope: Scope::from_field(Fr::from(7u64)),
        nullifier: Nullifier::new(&holder_secret(), &scope()),
    };
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    assert_eq!(
        v2::check_statement(&public, &r, &holder_secret(), &sig, &issuer(), &path()),
        Err(StatementError::NullifierMismatch)
    );
}

#[test]
fn rejects_an_interactive_proof_with_a_non_constant_nullifier() {
    let mut p = interactive().to_field_elements();
    p[NULLIFIER] = Nullifier::new(&holder_secret(), &Scope::from_field(Fr::ZERO)).to_field();
    assert_fails_at(circuit(p, witness()), "rule10_nullifier");
}

#[test]
fn rejects_a_mode_that_is_not_a_bit() {
    let mut p = one_scan().to_field_elements();
    p[ONE_SCAN] = Fr::from(2u64);
    assert_fails_at(circuit(p, witness()), "rule10_mode_is_a_bit");
}

#[test]
fn rejects_a_challenge_in_one_scan_mode_and_a_scope_in_interactive_mode() {
    let mut p = one_scan().to_field_elements();
    p[CHALLENGE] = Fr::from(5u64);
    assert_fails_at(circuit(p, witness()), "rule10_modes_exclusive");
    let mut p = interactive().to_field_elements();
    p[SCOPE] = Fr::from(5u64);
    assert_fails_at(circuit(p, witness()), "rule10_modes_exclusive");
}

// ----------------------------------------------------------- unlinkability

#[test]
fn interactive_public_inputs_carry_nothing_of_the_holder_or_issuer() {
    // Two holders with credentials from two different issuers, proving for
    // the same (reused) challenge at the same time: the public inputs are
    // equal, so only the proofs' randomness differs.
    let a = interactive().to_field_elements();
    let b = interactive().to_field_elements();
    assert_eq!(a, b);
    assert_eq!(a[NULLIFIER], Fr::ZERO);
    assert_eq!(a[SCOPE], Fr::ZERO);
    assert_eq!(a[ONE_SCAN], Fr::ZERO);
    // And the circuit accepts both witnesses under that one vector.
    let second = PrivateKey::from_bytes([42; 32]);
    let leaves = [issuer().hash(), {
        IssuerLeaf {
            key: second.public_key(),
            window: window(),
        }
        .hash()
    }];
    let tree = RegistryTree::new(&leaves).unwrap();
    let public = PublicInputs {
        registry_root: tree.root(),
        ..interactive()
    };
    let holder_b = HolderSecret::from_field(Fr::from(0xb0bu64));
    let mut rec_b = record();
    rec_b.holder = holder_b.commitment();
    let leaf_b = IssuerLeaf {
        key: second.public_key(),
        window: window(),
    };
    let w_a = StatusWitness::new(
        &record(),
        &holder_secret(),
        &issuer_key().sign(record().commitment()),
        &issuer(),
        &tree.path(0).unwrap(),
    );
    let w_b = StatusWitness::new(
        &rec_b,
        &holder_b,
        &second.sign(rec_b.commitment()),
        &leaf_b,
        &tree.path(1).unwrap(),
    );
    assert_satisfied(circuit(public.to_field_elements(), w_a));
    assert_satisfied(circuit(public.to_field_elements(), w_b));
}

// ------------------------------------------------------------------- sweeps

#[test]
fn witness_mutation_sweep_finds_only_the_documented_free_hint() {
    // The baseline record has no exposure, so rule 5's inverse hint is free
    // (docs/circuit.md §8); nothing else may be, in either mode.
    for public in [interactive(), one_scan()] {
        let free = undetected_mutations_of(
            circuit(public.to_field_elements(), witness()),
            Vars::Witness,
        );
        assert_eq!(free.len(), 1, "free witness variables: {free:?}");
    }
}

#[test]
fn public_input_sweep_every_input_is_bound_in_both_modes() {
    // Every public input appears in a row that a changed value breaks: the
    // challenge in rule 7's challenge² (an allocated square) and rule 10's
    // one_scan · challenge = 0, the scope and the nullifier in rule 10.
    for public in [interactive(), one_scan()] {
        let free = undetected_mutations_of(
            circuit(public.to_field_elements(), witness()),
            Vars::Instance,
        );
        assert_eq!(free, Vec::<usize>::new(), "{:?}", public.mode);
    }
}

#[test]
fn circuit_and_native_check_agree_around_the_window_edges() {
    for (nb, na) in [
        (NOW - DAY, NOW - 1),
        (NOW - DAY, NOW),
        (NOW - DAY, NOW + 1),
        (NOW, NOW + 1),
        (NOW + 1, NOW + 2),
        (NOW - 3 * HOUR, NOW + 3 * HOUR),
    ] {
        let win = Window::new(nb, na).unwrap();
        let (public, w) = with_window(win);
        let leaf = IssuerLeaf {
            key: issuer_key().public_key(),
            window: win,
        };
        let path = RegistryTree::new(&[leaf.hash()]).unwrap().path(0).unwrap();
        let r = record();
        let sig = issuer_key().sign(r.commitment());
        let native = v2::check_statement(&public, &r, &holder_secret(), &sig, &leaf, &path).is_ok();
        let in_circuit = first_failure(circuit(public.to_field_elements(), w)).is_none();
        assert_eq!(native, in_circuit, "window [{nb}, {na})");
        assert_eq!(native, win.contains(NOW));
    }
}

// ------------------------------------------------------------------ Groth16

#[test]
fn groth16_proofs_verify_in_both_modes_and_bind_now() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let (pk, vk) =
        Groth16::<Bn254>::circuit_specific_setup(StatusCircuit::blank(), &mut rng).unwrap();
    let pvk = Groth16::<Bn254>::process_vk(&vk).unwrap();
    for public in [interactive(), one_scan()] {
        let p = public.to_field_elements();
        let proof = Groth16::<Bn254>::prove(&pk, circuit(p, witness()), &mut rng).unwrap();
        assert!(Groth16::<Bn254>::verify_with_processed_vk(&pvk, &p, &proof).unwrap());
        let mut later = p;
        later[NOW_IDX] += Fr::ONE;
        assert!(!Groth16::<Bn254>::verify_with_processed_vk(&pvk, &later, &proof).unwrap());
    }
}
#[test]
fn docs_circuit_md_carries_the_generated_v2_constraint_table() {
    // Set ZKSTATUS_REGENERATE_DOCS=1 to rewrite it on purpose.
    let rows = constraints_per_namespace_of(circuit(interactive().to_field_elements(), witness()));
    let total: usize = rows.iter().map(|(_, n)| n).sum();
    assert_eq!(total, CONSTRAINTS);
    check_generated_table(&rows, "constraint-table-v2");
}
