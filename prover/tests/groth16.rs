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
