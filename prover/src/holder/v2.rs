//! The holder under statement v2: pick the root active at the gate's time,
//! find the credential's issuer in the registry the holder downloaded
//! (whole, so nobody learns which issuer it needs), and prove.
//!
//! The holder never chooses `now`: it is the challenge's issue time
//! (interactive) or the window's start (one-scan).

use super::ProveError;
use crate::credential::Credential;
use crate::groth16;
use crate::keys::ProvingKeyV2;
use ark_std::rand::{CryptoRng, RngCore};
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::registry::RegistryError;
use zkstatus_circuits::statement::v2::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{check_statement, Mode, Nullifier, PublicInputs};
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_verifier::groth16::Proof;
use zkstatus_verifier::onescan::{self, OperatorId, WindowError};
use zkstatus_verifier::registry::Registry;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::{PayloadV2, PresentedMode};
use zkstatus_verifier::v2::roots::AcceptedRoots;

/// What the holder is asked to present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// Two scans: the gate's challenge, with its issue time.
    Interactive(ChallengeOffer),
    /// One scan: a pass for the window starting at `window_start`, in the
    /// scope of `operator` (public and fixed; `onescan`).
    OneScan {
        /// The operator whose gates will scan the pass.
        operator: OperatorId,
        /// The window's start (a multiple of 60 s).
        window_start: u64,
    },
}

impl Presentation {
    /// The statement's time.
    pub fn now(&self) -> u64 {
        match self {
            Self::Interactive(offer) => offer.issued_at,
            Self::OneScan { window_start, .. } => *window_start,
        }
    }
}

/// Why the holder's registry material does not fit the gate's time. Never
/// sent to a verifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MaterialError {
    /// No published root is active at the statement's time.
    #[error("no registry root is active at time {0}: update the roots file")]
    NoActiveRoot(u64),
    /// The holder lacks the registry of the active root's epoch.
    #[error(
        "the registry of epoch {0} (active at time {1}) is not among those given: download it"
    )]
    RegistryMissing(u64, u64),
    /// The registry file's tree does not give the published root.
    #[error("the registry of epoch {0} does not give its published root: the file or the roots are damaged")]
    RootMismatch(u64),
    /// The credential's issuer has no leaf in that registry.
    #[error("the credential's issuer is not in the registry of epoch {0}")]
    IssuerNotInRegistry(u64),
    /// A one-scan window that is not aligned.
    #[error("{0}")]
    Window(#[from] WindowError),
    /// The tree could not be built.
    #[error("{0}")]
    Tree(#[from] RegistryError),
}

/// A statement ready to prove: the public inputs, the witness, and what
/// the payload says besides the proof. Holds the witness: `Debug` shows
/// only public values.
#[derive(Clone)]
pub struct Prepared {
    /// The public inputs.
    pub public: PublicInputs,
    /// The private witness.
    pub witness: StatusWitness,
    /// The registry epoch of the root used.
    pub epoch: u64,
    /// The mode as the payload carries it.
    pub presented: PresentedMode,
}

impl core::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Prepared")
            .field("epoch", &self.epoch)
            .field("now", &self.public.now)
            .field("mode", &self.presented.name())
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// The payload carrying `proof`.
    pub fn payload(&self, proof: Proof) -> PayloadV2 {
        PayloadV2 {
            epoch: self.epoch,
            now: self.public.now,
            mode: self.presented,
            proof,
        }
    }
}

/// Everything before proving, shared by [`prove_with_rng`] and the split
/// prover: pick the root active at the statement's time, the registry of
/// its epoch among `registries` (the files the holder has: normally the
/// active one and, during an overlap, the next), the credential issuer's
/// leaf and path, the mode's values; then check the statement natively, so
/// a credential that is not green, or an issuer whose window has closed,
/// gives a precise reason instead of a proof that cannot verify.
pub fn prepare(
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    registries: &[Registry],
    roots: &AcceptedRoots,
    presentation: &Presentation,
) -> Result<Prepared, ProveError> {
    let now = presentation.now();
    let active = roots
        .active_at(now)
        .ok_or(MaterialError::NoActiveRoot(now))?;
    let registry = registries
        .iter()
        .find(|r| r.epoch() == active.epoch)
        .ok_or(MaterialError::RegistryMissing(active.epoch, now))?;
    let tree = registry.tree().map_err(MaterialError::from)?;
    if tree.root() != active.root {
        return Err(MaterialError::RootMismatch(active.epoch).into());
    }
    let index = registry
        .index_of(&credential.issuer)
        .ok_or(MaterialError::IssuerNotInRegistry(active.epoch))?;
    let leaf = registry.entries()[index].leaf;
    let path = tree.path(index).map_err(MaterialError::from)?;
    let (mode, presented) = match presentation {
        Presentation::Interactive(offer) => (
            Mode::Interactive {
                challenge: offer.challenge,
            },
            PresentedMode::Interactive,
        ),
        Presentation::OneScan {
            operator,
            window_start,
        } => {
            let scope = onescan::scope(operator, *window_start).map_err(MaterialError::from)?;
            let nullifier = Nullifier::new(secret, &scope);
            (
                Mode::OneScan { scope, nullifier },
                PresentedMode::OneScan { nullifier },
            )
        }
    };
    let public = PublicInputs {
        registry_root: active.root,
        now,
        policy: *policy,
        mode,
    };
    check_statement(
        &public,
        &credential.record,
        secret,
        &credential.signature,
        &leaf,
        &path,
    )?;
    let witness = StatusWitness::new(
        &credential.record,
        secret,
        &credential.signature,
        &leaf,
        &path,
    );
    Ok(Prepared {
        public,
        witness,
        epoch: active.epoch,
        presented,
    })
}

/// Prove with randomness from `rng`. Use [`prove`] outside tests (the
/// seedable form loses zero knowledge to whoever knows the seed;
/// docs/security.md, items 76, 82). See [`prepare`] for the arguments.
#[allow(clippy::too_many_arguments)]
pub fn prove_with_rng<R: RngCore + CryptoRng>(
    pk: &ProvingKeyV2,
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    registries: &[Registry],
    roots: &AcceptedRoots,
    presentation: &Presentation,
    rng: &mut R,
) -> Result<PayloadV2, ProveError> {
    // The statement checked natively (in `prepare`) before proving, and the
    // proof verified after: groth16::prove does not check the witness
    // against the constraints (after the key's first proof it synthesises
    // the values only, from which nothing could be checked), so these two
    // checks are what keeps a wrong witness from giving a payload.
    let prepared = prepare(credential, secret, policy, registries, roots, presentation)?;
    let circuit = StatusCircuit::new(&prepared.public, prepared.witness.clone());
    let proof = groth16::prove(pk, circuit, rng)?;
    // A proof that fails here would be rejected at the gate; say so now.
    if !pk
        .verifying_key()
        .prepare()
        .verify(&prepared.public.to_field_elements(), &proof)
    {
        return Err(ProveError::SelfCheck);
    }
    Ok(prepared.payload(proof))
}

/// Prove with randomness from the operating system.
pub fn prove(
    pk: &ProvingKeyV2,
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    registries: &[Registry],
    roots: &AcceptedRoots,
    presentation: &Presentation,
) -> Result<PayloadV2, ProveError> {
    prove_with_rng(
        pk,
        credential,
        secret,
        policy,
        registries,
        roots,
        presentation,
        &mut rand::rngs::OsRng,
    )
}
