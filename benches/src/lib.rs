//! # zkstatus-benches
//!
//! Shared set-up for the criterion benches in `benches/benches/` and the
//! proof breakdown in `benches/examples/breakdown.rs`: the frozen fixture of
//! `prover/tests/fixtures/v1/` (credential, holder secret, policy, challenge,
//! `now`, payload, verifying key), a proving key made once per process from
//! the fixture's own setup seed, and the thread-pool header every bench
//! prints.
//!
//! Inputs here are deterministic (seeded ChaCha20) so that runs are
//! comparable; that is for benchmarks only; the prover itself draws its
//! randomness from the operating system.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

use ark_relations::r1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal, SynthesisMode,
};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use std::sync::OnceLock;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::{Challenge, PublicInputs, StatusPolicy};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files;
use zkstatus_prover::keys::{self, ProvingKey};
use zkstatus_verifier::groth16::VerifyingKey;
use zkstatus_verifier::vk_from_file;

/// Errors in bench set-up: a broken fixture or a failed setup or proof.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// The seed `prover/tests/fixture.rs` runs setup with; the key made from it
/// matches the fixture's `zkstatus.vk`, which [`proving_key`] checks.
pub const SETUP_SEED: u64 = 20251122;
/// Seed for the prover's `r, s` in benches (the fixture proof used 7).
pub const PROVE_SEED: u64 = 7;

/// A deterministic RNG for bench inputs and proving randomness.
pub fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// The frozen fixture of `prover/tests/fixtures/v1/`.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The holder's credential.
    pub credential: Credential,
    /// The holder's secret.
    pub secret: HolderSecret,
    /// The venue's policy.
    pub policy: StatusPolicy,
    /// The venue's challenge.
    pub challenge: Challenge,
    /// The clock the fixture proof was made for.
    pub now: u64,
    /// The fixture's payload, binary form.
    pub payload: Vec<u8>,
    /// The fixture's verifying key.
    pub vk: VerifyingKey,
}

/// The fixture directory (`prover/tests/fixtures/v1/`).
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/v1")
}

fn read(name: &str) -> Result<Vec<u8>> {
    let path = fixture_dir().join(name);
    std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()).into())
}

fn read_str(name: &str) -> Result<String> {
    Ok(String::from_utf8(read(name)?)?)
}

impl Fixture {
    /// Load and parse the fixture files.
    pub fn load() -> Result<Self> {
        Ok(Self {
            credential: Credential::from_json(&read_str("credential.json")?)?,
            secret: files::holder_secret_from_json(&read_str("holder-secret.json")?)?,
            policy: files::policy_from_json(&read_str("policy.json")?)?,
            challenge: files::challenge_from_hex(read_str("challenge.txt")?.trim())?,
            now: read_str("now.txt")?.trim().parse()?,
            payload: read("payload.bin")?,
            vk: vk_from_file(&read("zkstatus.vk")?)?,
        })
    }

    /// The public inputs of the fixture proof.
    pub fn public_inputs(&self) -> PublicInputs {
        PublicInputs {
            issuer: self.credential.issuer,
            now: self.now,
            policy: self.policy,
            challenge: self.challenge,
        }
    }

    /// The private witness, computed natively from the credential and secret.
    pub fn witness(&self) -> StatusWitness {
        StatusWitness::new(
            &self.credential.record,
            &self.secret,
            &self.credential.signature,
        )
    }

    /// The circuit with its public inputs and witness, ready to prove.
    pub fn circuit(&self) -> StatusCircuit {
        StatusCircuit::new(&self.public_inputs(), self.witness())
    }
}

/// The fixture's proving key: setup from [`SETUP_SEED`], run once per process
/// and cached. Fails if the key does not match the fixture's verifying key.
pub fn proving_key(fixture: &Fixture) -> Result<&'static ProvingKey> {
    static PK: OnceLock<ProvingKey> = OnceLock::new();
    if let Some(pk) = PK.get() {
        return Ok(pk);
    }
    let (pk, vk) = keys::setup_with_rng(&mut rng(SETUP_SEED))?;
    if vk != fixture.vk {
        return Err(
            "setup from the fixture seed no longer gives the fixture's verifying key".into(),
        );
    }
    Ok(PK.get_or_init(|| pk))
}

/// A constraint system set up as `Groth16::prove` sets it up: prove mode with
/// matrices, optimising for constraints (inlined linear combinations).
/// (The prover's own: `zkstatus_prover::groth16::constraint_system`.)
pub fn prover_cs() -> ConstraintSystemRef<ark_bn254::Fr> {
    zkstatus_prover::groth16::constraint_system()
}

/// Synthesize `circuit` into a fresh prover constraint system (not finalized).
/// (The prover's own phase: `zkstatus_prover::groth16::synthesize`.)
pub fn synthesize(circuit: StatusCircuit) -> Result<ConstraintSystemRef<ark_bn254::Fr>> {
    Ok(zkstatus_prover::groth16::synthesize(circuit)?)
}

/// Witness generation only: synthesize in prove mode *without* building the
/// matrices, which computes every assignment and records no constraint.
/// Returns the full assignment (the instance variables, starting with the
/// constant 1, then the witness variables) and the number of instance
/// variables: what `Groth16::create_proof_with_reduction_and_matrices` takes
/// beside matrices computed once.
pub fn witness_only(circuit: StatusCircuit) -> Result<(Vec<ark_bn254::Fr>, usize)> {
    let cs = ConstraintSystem::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
    });
    circuit.generate_constraints(cs.clone())?;
    let cs = cs.borrow().ok_or("constraint system already taken")?;
    let full = [
        cs.instance_assignment.as_slice(),
        cs.witness_assignment.as_slice(),
    ]
    .concat();
    Ok((full, cs.num_instance_variables))
}

/// The number of constraints of the statement (from a setup-mode synthesis).
pub fn num_constraints() -> Result<usize> {
    Ok(zkstatus_circuits::statement::constraints::circuit_shape()?.num_constraints)
}

/// Whether this build has the `parallel` feature (arkworks on rayon).
pub const PARALLEL: bool = cfg!(feature = "parallel");

/// The thread header every bench prints: the `parallel` feature,
/// `RAYON_NUM_THREADS` and the global pool's size.
pub fn thread_header() -> String {
    let env = std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "(unset)".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "zkstatus-benches: feature parallel={}, RAYON_NUM_THREADS={env}, \
         rayon::current_num_threads()={}, available_parallelism={cores}",
        if PARALLEL { "on" } else { "off" },
        rayon::current_num_threads(),
    )
}

/// A rayon pool with one thread; arkworks' parallel code run inside its
/// `install` is single-threaded.
pub fn single_thread_pool() -> Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new().num_threads(1).build()?)
}
