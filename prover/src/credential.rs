//! Credentials: an issuer's signature on a record, as the holder stores it.

use crate::files::{
    bytes_from_hex, check_header, fr_from_hex, fr_to_hex, invalid, parse_json, public_key_from_hex,
    public_key_to_hex, to_pretty, FormatError, JSON_FORMAT_VERSION,
};
use serde::{Deserialize, Serialize};
use zkstatus_circuits::eddsa::{EddsaError, PublicKey, Signature};
use zkstatus_circuits::record::{Record, TestResult, TestType, NO_EXPOSURE};

/// Format name of a credential file.
pub const CREDENTIAL_FORMAT: &str = "zkstatus/credential";

/// A signed record. Holding it (with the holder secret) lets its holder
/// prove; it never leaves the holder's device.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// The issuer's public key.
    pub issuer: PublicKey,
    /// The record.
    pub record: Record,
    /// The issuer's signature on `record.commitment()`.
    pub signature: Signature,
}

impl core::fmt::Debug for Credential {
    /// Shows the issuer only: the record and signature are the holder's.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Credential")
            .field("issuer", &public_key_to_hex(&self.issuer))
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson {
    holder: String,
    test_result: String,
    test_type: String,
    test_time: u64,
    // Required: `null` is "no exposure", a missing field is an error.
    #[serde(deserialize_with = "Option::deserialize")]
    exposure_time: Option<u64>,
    issued_at: u64,
    expires_at: u64,
    credential_id: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialJson {
    format: String,
    version: u32,
    issuer: String,
    #[serde(deserialize_with = "nested_record")]
    record: RecordJson,
    signature: String,
}

fn nested_record<'de, D: serde::Deserializer<'de>>(d: D) -> Result<RecordJson, D::Error> {
    crate::files::nested("record", d)
}

/// The name of a test result in files.
pub fn test_result_name(r: TestResult) -> &'static str {
    r.name()
}

/// The name of a test type in files and on the command line.
pub fn test_type_name(t: TestType) -> &'static str {
    t.name()
}

/// Parse a test type name.
pub fn test_type_from_name(s: &str) -> Option<TestType> {
    TestType::ALL.into_iter().find(|t| test_type_name(*t) == s)
}

/// Parse a test result name.
pub fn test_result_from_name(s: &str) -> Option<TestResult> {
    [TestResult::Negative, TestResult::Positive]
        .into_iter()
        .find(|r| test_result_name(*r) == s)
}

impl Credential {
    /// Whether the issuer's signature verifies on the record.
    pub fn verify_signature(&self) -> Result<(), EddsaError> {
        self.issuer
            .verify(self.record.commitment(), &self.signature)
    }

    /// The credential file.
    pub fn to_json(&self) -> String {
        let r = &self.record;
        to_pretty(&CredentialJson {
            format: CREDENTIAL_FORMAT.into(),
            version: JSON_FORMAT_VERSION,
            issuer: public_key_to_hex(&self.issuer),
            record: RecordJson {
                holder: fr_to_hex(&r.holder),
                test_result: test_result_name(r.test_result).into(),
                test_type: test_type_name(r.test_type).into(),
                test_time: r.test_time,
                exposure_time: (r.exposure_time != NO_EXPOSURE).then_some(r.exposure_time),
                issued_at: r.issued_at,
                expires_at: r.expires_at,
                credential_id: fr_to_hex(&r.credential_id),
            },
            signature: hex::encode(self.signature.pack()),
        })
    }

    /// Parse a credential file strictly. The signature is decoded (canonical,
    /// `S < l`) but not verified: see [`Credential::verify_signature`].
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        let j: CredentialJson = parse_json(text, "credential", true)?;
        check_header(&j.format, j.version, CREDENTIAL_FORMAT)?;
        let r = j.record;
        if r.exposure_time == Some(NO_EXPOSURE) {
            return Err(invalid(
                "exposure_time",
                "0 is not a time; write null for no known exposure",
            ));
        }
        let record = Record {
            holder: fr_from_hex(&r.holder, "holder")?,
            test_result: test_result_from_name(&r.test_result)
                .ok_or_else(|| invalid("test_result", "expected \"negative\" or \"positive\""))?,
            test_type: test_type_from_name(&r.test_type)
                .ok_or_else(|| invalid("test_type", "expected \"pcr\" or \"rapid_antigen\""))?,
            test_time: r.test_time,
            exposure_time: r.exposure_time.unwrap_or(NO_EXPOSURE),
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            credential_id: fr_from_hex(&r.credential_id, "credential_id")?,
        };
        let signature = Signature::unpack(&bytes_from_hex::<64>(&j.signature, "signature")?)
            .map_err(|e| invalid("signature", e.to_string()))?;
        Ok(Self {
            issuer: public_key_from_hex(&j.issuer, "issuer")?,
            record,
            signature,
        })
    }
}
