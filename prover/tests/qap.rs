//! snarkjs's R1CS-to-QAP reduction (`zkstatus_prover::qap`) is the one the
//! project's keys are for and the prover computes, on the statement-v2
//! circuit: the `H` query has one point per domain element, proofs verify
//! at a `zkstatus_verifier::v2` gate, a proof whose `h` comes from the other
//! (libsnark) witness map does not, and a key tagged for the libsnark
//! reduction is refused by the one-shot and the split prover alike.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod world_v2;

use ark_bn254::Fr;
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use world_v2::{World, NOW, OPERATOR, PROOF_SEED};
use zkstatus_circuits::statement::v2::constraints::{circuit_shape, StatusCircuit};
use zkstatus_prover::groth16::{self, Bases, Blinding, ProvingError, Sums, Values};
use zkstatus_prover::holder::v2 as holder;
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::keys::{pk_file_fingerprint, ProvingKeyV2};
use zkstatus_prover::split::{MainKey, ProofJob, Share, SplitError};
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::v2::keyfile::QapReduction;
use zkstatus_verifier::v2::{AcceptedMode, Gate, Modes, Verifier};

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(World::build)
}

/// The evaluation domain of statement v2: its constraints plus one
/// input-consistency constraint per instance variable, rounded up.
fn domain_size() -> usize {
    let shape = circuit_shape().unwrap();
    GeneralEvaluationDomain::<Fr>::new(shape.num_constraints + shape.num_instance_variables)
        .unwrap()
        .size()
}

#[test]
fn setup_makes_an_h_query_of_one_point_per_domain_element() {
    let w = world();
    assert_eq!(w.pk.qap_reduction(), QapReduction::Snarkjs);
    assert_eq!(domain_size(), 8192);
    assert_eq!(w.pk.as_ark().h_query.len(), domain_size());
    // The file says so, and reads back the same.
    let file = w.pk.to_file();
    assert_eq!(file[5], QapReduction::Snarkjs.to_byte());
    assert!(ProvingKeyV2::from_file(&file).unwrap() == w.pk);
}

#[test]
fn proofs_with_the_snarkjs_reduction_verify_at_a_v2_gate() {
    let w = world();
    let prove = |p| {
        holder::prove_with_rng(
            &w.pk,
            &w.credential,
            &w.secret,
            &w.policy,
            &w.registries,
            &w.roots,
            &p,
            &mut ChaCha20Rng::seed_from_u64(PROOF_SEED),
        )
        .unwrap()
    };
    let interactive = prove(w.interactive());
    let one_scan = prove(w.one_scan());
    let mut gate = Gate::new(
        Verifier::new(&w.vk, w.roots.clone(), w.policy),
        "qap",
        OperatorId::from_name(OPERATOR).unwrap(),
        Modes::BOTH,
        90,
        3,
    )
    .unwrap();
    gate.challenges()
        .restore(w.offer.challenge, w.offer.issued_at, NOW)
        .unwrap();
    let a = gate.verify(&interactive.to_bytes(), NOW + 5).unwrap();
    assert!(matches!(a.mode, AcceptedMode::Interactive { .. }));
    let a = gate.verify(&one_scan.to_bytes(), NOW + 5).unwrap();
    assert!(matches!(a.mode, AcceptedMode::OneScan { .. }));
}

/// The proof assembled from `h` (the rest as `groth16::prove` does it),
/// checked under the key's verifying key.
fn verifies_with(h: &[Fr], values: &Values, public: &[Fr]) -> bool {
    let pk = &world().pk;
    let k = pk.as_ark();
    let assignment = values.assignment();
    let witness = &assignment[values.witness_start()..];
    let sums = Sums {
        a: groth16::a_msm(&k.a_query, &assignment).unwrap(),
        b_g1: groth16::b_g1_msm(&k.b_g1_query, &assignment).unwrap(),
        b_g2: groth16::b_g2_msm(&k.b_g2_query, &assignment).unwrap(),
        h: groth16::h_msm(&k.h_query, &groth16::h_scalars(h)),
        l: groth16::l_msm(&k.l_query, witness),
    };
    let blinding = Blinding::draw(&mut ChaCha20Rng::seed_from_u64(PROOF_SEED));
    let proof = groth16::assemble(&Bases::of(pk), &sums, &blinding);
    pk.verifying_key().prepare().verify(public, &proof)
}

/// The reduction matters: the same key, witness and blinding with `h`
/// from ark-groth16's default (libsnark) witness map gives a proof that
/// does not verify; with the snarkjs map, one that does.
#[test]
fn a_proof_with_the_libsnark_witness_map_does_not_verify() {
    let w = world();
    let prepared = holder::prepare(
        &w.credential,
        &w.secret,
        &w.policy,
        &w.registries,
        &w.roots,
        &w.interactive(),
    )
    .unwrap();
    let public = prepared.public.to_field_elements();
    let cs = groth16::synthesize(StatusCircuit::new(&prepared.public, prepared.witness)).unwrap();
    groth16::finalize(&cs);
    let matrices = groth16::matrices(&cs).unwrap();
    let values = Values::of(&cs).unwrap();
    let snarkjs = groth16::witness_map(&matrices, &values).unwrap();
    let libsnark = LibsnarkReduction::witness_map_from_matrices::<Fr, GeneralEvaluationDomain<Fr>>(
        &matrices,
        values.num_inputs(),
        matrices.num_constraints,
        values.full(),
    )
    .unwrap();
    assert_eq!(snarkjs.len(), domain_size());
    assert_ne!(snarkjs, libsnark);
    assert!(verifies_with(&snarkjs, &values, &public));
    assert!(!verifies_with(&libsnark, &values, &public));
}

/// A statement-v2 key file whose reduction byte says libsnark (the same
/// points otherwise): it parses, and every prover refuses it by name
/// before drawing from the rng.
#[test]
fn a_key_tagged_for_the_libsnark_reduction_is_refused_by_every_prover() {
    let w = world();
    let mut file = w.pk.to_file();
    file[5] = QapReduction::Libsnark.to_byte();
    let pk = ProvingKeyV2::from_file(&file).unwrap();
    assert_eq!(pk.qap_reduction(), QapReduction::Libsnark);
    let refused = ProvingError::UnsupportedReduction("libsnark (ark-groth16)");
    assert_eq!(
        refused.to_string(),
        "this proving key is for the libsnark (ark-groth16) QAP reduction; this prover \
         computes only snarkjs's (make the keys again with this version, or import a ceremony's)"
    );

    let mut rng = ChaCha20Rng::seed_from_u64(PROOF_SEED);
    let err = holder::prove_with_rng(
        &pk,
        &w.credential,
        &w.secret,
        &w.policy,
        &w.registries,
        &w.roots,
        &w.interactive(),
        &mut rng,
    )
    .unwrap_err();
    assert_eq!(err, ProveError::Prover(refused.clone()));
    // Refused before r and s were drawn.
    let mut fresh = ChaCha20Rng::seed_from_u64(PROOF_SEED);
    assert_eq!(
        rand::RngCore::next_u64(&mut rng),
        rand::RngCore::next_u64(&mut fresh)
    );

    let main =
        MainKey::from_pinned_file(&file, &pk_file_fingerprint(&file), Share::DEFAULT).unwrap();
    assert_eq!(main.qap_reduction(), QapReduction::Libsnark);
    let err = ProofJob::begin(
        &main,
        &w.credential,
        &w.secret,
        &w.policy,
        &w.registries,
        &w.roots,
        &w.interactive(),
        &mut ChaCha20Rng::seed_from_u64(PROOF_SEED),
    )
    .unwrap_err();
    assert_eq!(err, SplitError::Prove(ProveError::Prover(refused)));
}
