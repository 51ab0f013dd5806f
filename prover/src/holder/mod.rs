//! The holder: check the status locally and prove it (statement v1 here,
//! statement v2 in [`v2`]).

pub mod v2;

use crate::credential::Credential;
use crate::groth16::{self, ProvingError};
use crate::keys::ProvingKey;
use ark_std::rand::{CryptoRng, RngCore};
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::{
    check_statement, Challenge, PublicInputs, StatementError, StatusPolicy,
};
use zkstatus_verifier::payload::Payload;

/// Why no proof was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProveError {
    /// The statement does not hold for this credential (the holder's own
    /// explanation; never sent anywhere).
    #[error("{0}")]
    Statement(#[from] StatementError),
    /// The prover failed.
    #[error("proving failed: {0}")]
    Prover(#[from] ProvingError),
    /// Statement v2 does not hold (the holder's own explanation, naming
    /// their issuer's situation; never sent anywhere).
    #[error("{0}")]
    StatementV2(#[from] zkstatus_circuits::statement::v2::StatementError),
    /// Statement v2: the registry material does not fit the gate's time.
    #[error("{0}")]
    Material(#[from] v2::MaterialError),
    /// The proof did not verify under the proving key's own verifying key.
    #[error("the proof did not verify under the proving key's verifying key")]
    SelfCheck,
}

/// Check, on the holder's side only, whether `credential` is green at `now`
/// under `policy`: the signature, the holder secret, and rules 3–6.
pub fn status(
    credential: &Credential,
    secret: &HolderSecret,
    now: u64,
    policy: &StatusPolicy,
) -> Result<(), StatementError> {
    // The challenge is not part of rules 1–6; any value will do here.
    let public = public_inputs(credential, policy, now, &Challenge::from_field(0u64.into()));
    check_statement(&public, &credential.record, secret, &credential.signature)
}

pub(crate) fn public_inputs(
    credential: &Credential,
    policy: &StatusPolicy,
    now: u64,
    challenge: &Challenge,
) -> PublicInputs {
    PublicInputs {
        issuer: credential.issuer,
        now,
        policy: *policy,
        challenge: *challenge,
    }
}

/// Prove with randomness from `rng`. Use [`prove`] outside tests.
///
/// The seedable form is for tests and benchmarks only: a seeded `rng`
/// makes the proof's blinding `r, s` predictable, so whoever knows the seed
/// can strip it from `A, B, C` (zero knowledge is lost: guesses of the
/// witness can be tested), and proofs from one seed link. Release callers (the CLI, both WASM packages) pass
/// the platform's generator; `prover/tests/source_scan.rs` checks that
/// no release code path takes a fixed seed (docs/security.md, items 76, 82).
///
/// The statement is checked natively first, so a credential that is not green
/// gives a precise [`StatementError`] instead of a proof that cannot verify.
pub fn prove_with_rng<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    now: u64,
    challenge: &Challenge,
    rng: &mut R,
) -> Result<Payload, ProveError> {
    let public = public_inputs(credential, policy, now, challenge);
    check_statement(&public, &credential.record, secret, &credential.signature)?;
    let witness = StatusWitness::new(&credential.record, secret, &credential.signature);
    let circuit = StatusCircuit::new(&public, witness);
    // The crate's one proving path: Groth16::<Bn254>::prove, phase by phase.
    let proof = groth16::prove(pk, circuit, rng)?;
    // A proof that fails here would be rejected at the gate; say so now.
    if !pk
        .verifying_key()
        .prepare()
        .verify(&public.to_field_elements(), &proof)
    {
        return Err(ProveError::SelfCheck);
    }
    Ok(Payload {
        proof,
        now,
        issuer: credential.issuer,
    })
}

/// Prove with randomness from the operating system.
pub fn prove(
    pk: &ProvingKey,
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    now: u64,
    challenge: &Challenge,
) -> Result<Payload, ProveError> {
    prove_with_rng(
        pk,
        credential,
        secret,
        policy,
        now,
        challenge,
        &mut rand::rngs::OsRng,
    )
}
