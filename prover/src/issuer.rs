//! The issuer: validate a record and sign it. Issuing is a pure function of
//! the key and the record; nothing is stored.

use crate::credential::Credential;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{Record, NO_EXPOSURE};

/// Why a record is not issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssueError {
    /// `expires_at` must be after `issued_at`.
    #[error("expires_at must be after issued_at")]
    ExpiresBeforeIssued,
    /// The test cannot be dated after the credential is issued.
    #[error("test_time must not be after issued_at")]
    TestAfterIssue,
    /// The exposure cannot be dated after the credential is issued.
    #[error("exposure_time must not be after issued_at")]
    ExposureAfterIssue,
}

/// Check a record before signing: times ordered, expiry after issue. The
/// test result and type are typed, so unknown values cannot reach here.
pub fn validate(record: &Record) -> Result<(), IssueError> {
    if record.expires_at <= record.issued_at {
        return Err(IssueError::ExpiresBeforeIssued);
    }
    if record.test_time > record.issued_at {
        return Err(IssueError::TestAfterIssue);
    }
    if record.exposure_time != NO_EXPOSURE && record.exposure_time > record.issued_at {
        return Err(IssueError::ExposureAfterIssue);
    }
    Ok(())
}

/// Validate and sign `record`.
pub fn issue(key: &PrivateKey, record: &Record) -> Result<Credential, IssueError> {
    validate(record)?;
    Ok(Credential {
        issuer: key.public_key(),
        record: record.clone(),
        signature: key.sign(record.commitment()),
    })
}
