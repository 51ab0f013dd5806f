//! # zkstatus-benches
//!
//! Shared set-up for the criterion benches in `benches/benches/` and the
//! proof breakdown in `benches/examples/breakdown.rs`: the frozen
//! statement-v2 fixture of `prover/tests/fixtures/v2/` (credential, holder
//! secret, policy, registries and roots, challenge offer, payload, verifying
//! key), a proving key made once per process from the fixture's own setup
//! seed, and the thread-pool header every bench prints.
//!
//! Inputs here are deterministic (seeded ChaCha20) so that runs are
//! comparable; that is for benchmarks only; the prover itself draws its
//! randomness from the operating system.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

use ark_relations::r1cs::ConstraintSystemRef;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use std::sync::OnceLock;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::v2::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::PublicInputs;
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files;
use zkstatus_prover::holder::v2::{prepare, Prepared, Presentation};
use zkstatus_prover::keys::{self, ProvingKeyV2 as ProvingKey};
use zkstatus_verifier::groth16::VerifyingKeyV2 as VerifyingKey;
use zkstatus_verifier::registry::Registry;
use zkstatus_verifier::v2::keyfile::vk2_from_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::AcceptedRoots;

/// Errors in bench set-up: a broken fixture or a failed setup or proof.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// The seed `prover/tests/world_v2` runs setup with; the key made from it
/// matches the fixture's `zkstatus.vk`, which [`proving_key`] checks.
pub const SETUP_SEED: u64 = 20260115;
/// Seed for the prover's `r, s` in benches (the fixture proof used 7).
pub const PROVE_SEED: u64 = 7;

/// A deterministic RNG for bench inputs and proving randomness.
pub fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// The frozen fixture of `prover/tests/fixtures/v2/`.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The holder's credential.
    pub credential: Credential,
    /// The holder's secret.
    pub secret: HolderSecret,
    /// The venue's policy.
    pub policy: StatusPolicy,
    /// The registries the holder has (epochs 3 and 4).
    pub registries: Vec<Registry>,
    /// The published roots.
    pub roots: AcceptedRoots,
    /// The venue's challenge, with its issue time.
    pub offer: ChallengeOffer,
    /// The time the fixture proof was made for (the challenge's).
    pub now: u64,
    /// The fixture's payload, binary form.
    pub payload: Vec<u8>,
    /// The fixture's verifying key.
    pub vk: VerifyingKey,
    /// The statement, prepared once at load ([`Fixture::prepared`]).
    pub statement: Prepared,
}

/// The fixture directory (`prover/tests/fixtures/v2/`).
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/v2")
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
        let offer = ChallengeOffer::from_text(&read_str("challenge.txt")?)?;
        let credential = Credential::from_json(&read_str("credential.json")?)?;
        let secret = files::holder_secret_from_json(&read_str("holder-secret.json")?)?;
        let policy = files::policy_from_json(&read_str("policy.json")?)?;
        let registries = vec![
            Registry::from_bytes(&read("registry-3.bin")?)?,
            Registry::from_bytes(&read("registry-4.bin")?)?,
        ];
        let roots = AcceptedRoots::from_json(&read_str("roots.json")?)?;
        let statement = prepare(
            &credential,
            &secret,
            &policy,
            &registries,
            &roots,
            &Presentation::Interactive(offer),
        )?;
        Ok(Self {
            credential,
            secret,
            policy,
            registries,
            roots,
            now: offer.issued_at,
            offer,
            payload: read("payload.bin")?,
            vk: vk2_from_file(&read("zkstatus.vk")?)?.0,
            statement,
        })
    }

    /// The interactive presentation of the fixture proof.
    pub fn presentation(&self) -> Presentation {
        Presentation::Interactive(self.offer)
    }

    /// The fixture statement, checked natively: public inputs and witness
    /// (the holder's work before Groth16: root, path, native check).
    pub fn prepared(&self) -> Result<Prepared> {
        Ok(prepare(
            &self.credential,
            &self.secret,
            &self.policy,
            &self.registries,
            &self.roots,
            &self.presentation(),
        )?)
    }

    /// The public inputs of the fixture proof.
    pub fn public_inputs(&self) -> PublicInputs {
        self.statement.public.clone()
    }

    /// The private witness, computed natively from the credential, secret
    /// and registry (at load).
    pub fn witness(&self) -> StatusWitness {
        self.statement.witness.clone()
    }

    /// The circuit with its public inputs and witness, ready to prove.
    pub fn circuit(&self) -> StatusCircuit {
        StatusCircuit::new(&self.statement.public, self.witness())
    }
}

/// The fixture's proving key: setup from [`SETUP_SEED`], run once per process
/// and cached. Fails if the key does not match the fixture's verifying key.
pub fn proving_key(fixture: &Fixture) -> Result<&'static ProvingKey> {
    static PK: OnceLock<ProvingKey> = OnceLock::new();
    if let Some(pk) = PK.get() {
        return Ok(pk);
    }
    let (pk, vk) = keys::setup_v2_with_rng(&mut rng(SETUP_SEED))?;
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
/// variables. (The prover's own phase, what every proof but a key's first
/// runs: `zkstatus_prover::groth16::synthesize_witness`.)
pub fn witness_only(circuit: StatusCircuit) -> Result<(Vec<ark_bn254::Fr>, usize)> {
    let values = zkstatus_prover::groth16::synthesize_witness(circuit)?;
    Ok((values.full().to_vec(), values.num_inputs()))
}

/// The number of constraints of the statement (from a setup-mode synthesis).
pub fn num_constraints() -> Result<usize> {
    Ok(zkstatus_circuits::statement::v2::constraints::circuit_shape()?.num_constraints)
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
