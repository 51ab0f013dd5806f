//! The holder: check the status locally ([`status`]) and prove it
//! ([`v2::prepare`], [`v2::prove`]: statement v2).

pub mod v2;

use crate::credential::Credential;
use crate::groth16::ProvingError;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::v2::StatementError;
use zkstatus_circuits::statement::{check_status, StatusPolicy};

/// Why no proof was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProveError {
    /// The prover failed.
    #[error("proving failed: {0}")]
    Prover(#[from] ProvingError),
    /// The statement does not hold (the holder's own explanation, naming
    /// their issuer's situation; never sent anywhere).
    #[error("{0}")]
    StatementV2(#[from] StatementError),
    /// The registry material does not fit the gate's time.
    #[error("{0}")]
    Material(#[from] v2::MaterialError),
    /// The proof did not verify under the proving key's own verifying key.
    #[error("the proof did not verify under the proving key's verifying key")]
    SelfCheck,
}

/// Check, on the holder's side only, whether `credential` is green at `now`
/// under `policy`: the issuer's signature (rule 1), the holder secret
/// (rule 2) and rules 3–6. The registry rules (8, 9) need the registry and
/// the gate's roots: [`v2::prepare`] checks them.
pub fn status(
    credential: &Credential,
    secret: &HolderSecret,
    now: u64,
    policy: &StatusPolicy,
) -> Result<(), StatementError> {
    // Rule 1.
    credential
        .issuer
        .verify(credential.record.commitment(), &credential.signature)?;
    // Rule 2.
    if secret.commitment() != credential.record.holder {
        return Err(StatementError::HolderMismatch);
    }
    // Rules 3–6.
    check_status(&credential.record, now, policy)?;
    Ok(())
}
