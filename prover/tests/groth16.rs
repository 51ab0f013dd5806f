//! The crate's one proof-assembly path (`zkstatus_prover::groth16`) is
//! ark-groth16 0.5's `Groth16::<Bn254>::prove`: for the same seeded rng, the
//! same proof byte for byte, on the real statement circuit (the frozen
//! fixture's inputs and setup seed), and the rng left in the same state (`r`
//! and `s` drawn as ark-groth16 draws them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use zkstatus_circuits::statement::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::PublicInputs;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::{files, groth16, keys};

/// The fixture's seeds (tests/fixture.rs).
const SETUP_SEED: u64 = 20251122;
const PROVE_SEED: u64 = 7;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v1")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn circuit() -> StatusCircuit {
    let credential = Credential::from_json(&fixture("credential.json")).unwrap();
    let secret = files::holder_secret_from_json(&fixture("holder-secret.json")).unwrap();
    let public = PublicInputs {
        issuer: credential.issuer,
        now: fixture("now.txt").trim().parse().unwrap(),
        policy: files::policy_from_json(&fixture("policy.json")).unwrap(),
        challenge: files::challenge_from_hex(fixture("challenge.txt").trim()).unwrap(),
    };
    let witness = StatusWitness::new(&credential.record, &secret, &credential.signature);
    StatusCircuit::new(&public, witness)
}

fn bytes<T: CanonicalSerialize>(t: &T) -> Vec<u8> {
    let mut out = Vec::new();
    t.serialize_compressed(&mut out).unwrap();
    out
}

#[test]
fn assembly_is_byte_identical_to_ark_groth16_prove() {
    let (pk, _) = keys::setup_with_rng(&mut ChaCha20Rng::seed_from_u64(SETUP_SEED)).unwrap();
    for seed in [PROVE_SEED, 0, 1, u64::MAX] {
        let mut ours_rng = ChaCha20Rng::seed_from_u64(seed);
        let ours = groth16::prove(&pk, circuit(), &mut ours_rng).unwrap();
        let mut ark_rng = ChaCha20Rng::seed_from_u64(seed);
        let ark = Groth16::<Bn254>::prove(pk.as_ark(), circuit(), &mut ark_rng).unwrap();
        assert_eq!(
            (bytes(&ours.a), bytes(&ours.b), bytes(&ours.c)),
            (bytes(&ark.a), bytes(&ark.b), bytes(&ark.c)),
            "seed {seed}"
        );
        // r and s drawn as ark-groth16 draws them: no more, no fewer.
        assert_eq!(ours_rng.next_u64(), ark_rng.next_u64(), "seed {seed}");
    }
}
