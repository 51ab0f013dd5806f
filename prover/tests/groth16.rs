//! The crate's one proof-assembly path (`zkstatus_prover::groth16`) is
//! ark-groth16 0.5's `Groth16::<Bn254, SnarkjsReduction>::prove` (snarkjs's
//! R1CS-to-QAP reduction, `zkstatus_prover::qap`): for the same seeded rng,
//! the same proof byte for byte, on the real statement circuit (the frozen v2
//! fixture's world: its inputs and setup seed), and the rng left in the same
//! state (`r` and `s` drawn as ark-groth16 draws them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod world_v2;

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use world_v2::{World, PROOF_SEED as PROVE_SEED};
use zkstatus_circuits::statement::v2::constraints::StatusCircuit;
use zkstatus_circuits::statement::v2::PublicInputs;
use zkstatus_prover::groth16;
use zkstatus_prover::holder::v2::prepare;
use zkstatus_prover::keys::{pk_file_fingerprint, ProvingKeyV2};
use zkstatus_prover::qap::SnarkjsReduction;

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(World::build)
}

/// The frozen fixture's interactive statement (`tests/fixtures/v2/`).
fn statement() -> (PublicInputs, StatusCircuit) {
    let w = world();
    let p = prepare(
        &w.credential,
        &w.secret,
        &w.policy,
        &w.registries,
        &w.roots,
        &w.interactive(),
    )
    .unwrap();
    (p.public.clone(), StatusCircuit::new(&p.public, p.witness))
}

fn circuit() -> StatusCircuit {
    statement().1
}

fn bytes<T: CanonicalSerialize>(t: &T) -> Vec<u8> {
    let mut out = Vec::new();
    t.serialize_compressed(&mut out).unwrap();
    out
}

#[test]
fn assembly_is_byte_identical_to_ark_groth16_prove_with_the_snarkjs_reduction() {
    let w = world();
    let pvk = w.vk.prepare();
    let public = statement().0.to_field_elements();
    for seed in [PROVE_SEED, 0, 1, u64::MAX] {
        let mut ours_rng = ChaCha20Rng::seed_from_u64(seed);
        let ours = groth16::prove(&w.pk, circuit(), &mut ours_rng).unwrap();
        let mut ark_rng = ChaCha20Rng::seed_from_u64(seed);
        let ark = Groth16::<Bn254, SnarkjsReduction>::prove(w.pk.as_ark(), circuit(), &mut ark_rng)
            .unwrap();
        assert_eq!(
            (bytes(&ours.a), bytes(&ours.b), bytes(&ours.c)),
            (bytes(&ark.a), bytes(&ark.b), bytes(&ark.c)),
            "seed {seed}"
        );
        // r and s drawn as ark-groth16 draws them: no more, no fewer.
        assert_eq!(ours_rng.next_u64(), ark_rng.next_u64(), "seed {seed}");
        assert!(pvk.verify(&public, &ours), "seed {seed}");
    }
    // ark-groth16's default reduction on the same key: another proof, and
    // one that does not verify.
    let libsnark =
        Groth16::<Bn254>::prove(w.pk.as_ark(), circuit(), &mut ChaCha20Rng::seed_from_u64(0))
            .unwrap();
    let libsnark = zkstatus_verifier::groth16::Proof {
        a: libsnark.a,
        b: libsnark.b,
        c: libsnark.c,
    };
    assert!(!pvk.verify(&public, &libsnark));
}

/// The proof does not depend on the pool `groth16::prove` runs in: on one
/// thread its two scheduled sides (`groth16::sums`) run one after the
/// other, on two side by side, on four with threads to spare for the
/// MSMs' windows; ark-groth16's proof byte for byte each time.
#[cfg(feature = "parallel")]
#[test]
fn same_proof_in_pools_of_one_two_and_four_threads() {
    let w = world();
    let ark = Groth16::<Bn254, SnarkjsReduction>::prove(
        w.pk.as_ark(),
        circuit(),
        &mut ChaCha20Rng::seed_from_u64(PROVE_SEED),
    )
    .unwrap();
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        assert_eq!(pool.current_num_threads(), threads);
        let ours = pool
            .install(|| {
                groth16::prove(
                    &w.pk,
                    circuit(),
                    &mut ChaCha20Rng::seed_from_u64(PROVE_SEED),
                )
            })
            .unwrap();
        assert_eq!(
            (bytes(&ours.a), bytes(&ours.b), bytes(&ours.c)),
            (bytes(&ark.a), bytes(&ark.b), bytes(&ark.c)),
            "{threads} threads"
        );
    }
}

fn ark_proof(seed: u64, circuit: StatusCircuit) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let ark = Groth16::<Bn254, SnarkjsReduction>::prove(
        world().pk.as_ark(),
        circuit,
        &mut ChaCha20Rng::seed_from_u64(seed),
    )
    .unwrap();
    (bytes(&ark.a), bytes(&ark.b), bytes(&ark.c))
}

/// A copy of the world's key with nothing cached (a clone would copy the
/// cache, which other tests fill).
fn fresh_key() -> ProvingKeyV2 {
    let file = world().pk.to_file();
    ProvingKeyV2::from_pinned_file(&file, &pk_file_fingerprint(&file)).unwrap()
}

#[test]
fn the_first_proof_caches_the_matrices_and_later_proofs_from_them_are_ark_groth16s() {
    let w = world();
    let pk = fresh_key();
    assert!(pk.matrix_cache().get().is_none());
    let one_scan = {
        let p = prepare(
            &w.credential,
            &w.secret,
            &w.policy,
            &w.registries,
            &w.roots,
            &w.one_scan(),
        )
        .unwrap();
        move || StatusCircuit::new(&p.public, p.witness.clone())
    };
    // The first proof builds the matrices (full synthesis) and caches them;
    // the second and third use them (witness-only synthesis), the third for
    // another statement (one-scan: other public inputs, another witness).
    let cases: [(u64, &dyn Fn() -> StatusCircuit); 3] =
        [(PROVE_SEED, &circuit), (7, &circuit), (8, &one_scan)];
    for (i, (seed, make)) in cases.into_iter().enumerate() {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let ours = groth16::prove(&pk, make(), &mut rng).unwrap();
        assert_eq!(
            (bytes(&ours.a), bytes(&ours.b), bytes(&ours.c)),
            ark_proof(seed, make()),
            "proof {i}"
        );
        let m = pk
            .matrix_cache()
            .get()
            .expect("cached after the first proof");
        assert_eq!(
            (
                m.as_ark().num_constraints,
                m.as_ark().num_instance_variables
            ),
            (7_846, 11)
        );
    }
    // The cache holds the circuit's matrices: the pinned fingerprint.
    let m = pk.matrix_cache().get().unwrap().as_ark();
    assert_eq!(
        zkstatus_circuits::statement::constraints::matrix_hash(m),
        zkstatus_verifier::v2::keyfile::CIRCUIT_FINGERPRINT_V2
    );
    // A clone of the key keeps the cache; equality ignores it.
    assert!(pk.clone().matrix_cache().get().is_some());
    assert!(pk == fresh_key());
}

#[test]
fn witness_only_synthesis_gives_the_full_synthesis_values() {
    let full = groth16::Values::of(&groth16::synthesize(circuit()).unwrap()).unwrap();
    let only = groth16::synthesize_witness(circuit()).unwrap();
    assert_eq!(only.full(), full.full());
    assert_eq!(
        (
            only.num_inputs(),
            only.num_witness(),
            only.num_constraints()
        ),
        (11, 7_555, 7_846)
    );
    assert_eq!(only.num_constraints(), full.num_constraints());
}

/// The ceremony's five-constraint test circuit: statement v2's eleven
/// instance variables, five witness variables.
fn small_circuit() -> zkstatus_prover::ceremony::test_circuit::TestCircuit {
    use zkstatus_prover::ceremony::test_circuit::{TestCircuit, N_PUBLIC};
    TestCircuit {
        public: Some(core::array::from_fn::<_, N_PUBLIC, _>(|i| {
            ark_bn254::Fr::from(i as u64 + 2)
        })),
    }
}

#[test]
fn matrices_of_another_shape_are_refused_and_never_cached() {
    use groth16::{KeyShape, Matrices, ProvingError};
    let w = world();
    // The small circuit's matrices for statement v2's key: refused when
    // built, and the cache stays empty.
    let pk = fresh_key();
    let err = groth16::prove(&pk, small_circuit(), &mut ChaCha20Rng::seed_from_u64(1));
    assert_eq!(
        err.unwrap_err(),
        ProvingError::KeyMismatch {
            what: "witness variables",
            matrices: 5,
            key: 7_555
        }
    );
    assert!(pk.matrix_cache().get().is_none());
    // Every size is checked.
    let cs = groth16::synthesize(circuit()).unwrap();
    groth16::finalize(&cs);
    let m = groth16::matrices(&cs).unwrap();
    let shape = KeyShape::of(&w.pk);
    assert!(Matrices::new(m.clone(), &shape).is_ok());
    for (bad, what, key) in [
        (
            KeyShape {
                inputs: 12,
                ..shape
            },
            "instance variables",
            12,
        ),
        (
            KeyShape {
                witness: 7_554,
                ..shape
            },
            "witness variables",
            7_554,
        ),
        (
            KeyShape {
                variables: 7_567,
                ..shape
            },
            "variables",
            7_567,
        ),
        (
            KeyShape {
                domain: 8_191,
                ..shape
            },
            "evaluation-domain points",
            8_191,
        ),
    ] {
        assert!(
            matches!(
                Matrices::new(m.clone(), &bad),
                Err(ProvingError::KeyMismatch { what: w, key: k, .. }) if w == what && k == key
            ),
            "{what}"
        );
    }
    // With statement v2's matrices cached, the small circuit's values are
    // refused (before any MSM), and the cache still serves statement v2.
    groth16::prove(&pk, circuit(), &mut ChaCha20Rng::seed_from_u64(2)).unwrap();
    let err = groth16::prove(&pk, small_circuit(), &mut ChaCha20Rng::seed_from_u64(3));
    assert_eq!(
        err.unwrap_err(),
        ProvingError::CircuitMismatch {
            what: "constraints",
            matrices: 7_846,
            circuit: 5
        }
    );
    let ours = groth16::prove(&pk, circuit(), &mut ChaCha20Rng::seed_from_u64(4)).unwrap();
    assert_eq!(
        (bytes(&ours.a), bytes(&ours.b), bytes(&ours.c)),
        ark_proof(4, circuit())
    );
    // Values without matrices for an empty cache: refused, not proved.
    let synthesis = groth16::synthesize_for(pk.matrix_cache(), circuit()).unwrap();
    let empty = groth16::MatrixCache::new();
    assert_eq!(
        synthesis.matrices(&empty, &shape).unwrap_err(),
        ProvingError::NoMatrices
    );
}
