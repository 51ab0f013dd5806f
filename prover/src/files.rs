//! The JSON file formats (`docs/formats.md`): the verifier's (the policy)
//! and the shared encoding rules come from
//! `zkstatus_verifier::config` and are re-exported here; this
//! module adds the secret files, the issuer key and the holder secret.

pub use zkstatus_verifier::config::*;

use serde::{Deserialize, Serialize};
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::HolderSecret;

// -------------------------------------------------------------- issuer key

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerKeyJson {
    format: String,
    version: u32,
    private_key: String,
    public_key: String,
}

/// Format name of an issuer key file.
pub const ISSUER_KEY_FORMAT: &str = "zkstatus/issuer-key";

/// An issuer private key file (keep it secret: written owner-only).
pub fn issuer_key_to_json(k: &PrivateKey) -> String {
    to_pretty(&IssuerKeyJson {
        format: ISSUER_KEY_FORMAT.into(),
        version: JSON_FORMAT_VERSION,
        private_key: hex::encode(k.to_bytes()),
        public_key: public_key_to_hex(&k.public_key()),
    })
}

/// Parse an issuer key file; the public key must match the private key.
pub fn issuer_key_from_json(text: &str) -> Result<PrivateKey, FormatError> {
    let j: IssuerKeyJson = parse_json(text, "issuer key", true)?;
    check_header(&j.format, j.version, ISSUER_KEY_FORMAT)?;
    let k = PrivateKey::from_bytes(bytes_from_hex::<32>(&j.private_key, "private_key")?);
    if public_key_to_hex(&k.public_key()) != j.public_key {
        return Err(invalid("public_key", "does not match the private key"));
    }
    Ok(k)
}

// ----------------------------------------------------------- holder secret

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolderSecretJson {
    format: String,
    version: u32,
    secret: String,
    holder: String,
}

/// Format name of a holder secret file.
pub const HOLDER_SECRET_FORMAT: &str = "zkstatus/holder-secret";

/// A holder secret file (keep it secret: written owner-only). It also
/// records the public commitment `holder` that the issuer puts in records.
pub fn holder_secret_to_json(s: &HolderSecret) -> String {
    to_pretty(&HolderSecretJson {
        format: HOLDER_SECRET_FORMAT.into(),
        version: JSON_FORMAT_VERSION,
        secret: fr_to_hex(&s.to_field()),
        holder: fr_to_hex(&s.commitment()),
    })
}

/// Parse a holder secret file; `holder` must be `Poseidon(secret)`.
pub fn holder_secret_from_json(text: &str) -> Result<HolderSecret, FormatError> {
    let j: HolderSecretJson = parse_json(text, "holder secret", true)?;
    check_header(&j.format, j.version, HOLDER_SECRET_FORMAT)?;
    let s = HolderSecret::from_field(fr_from_hex(&j.secret, "secret")?);
    if fr_to_hex(&s.commitment()) != j.holder {
        return Err(invalid("holder", "does not match the secret"));
    }
    Ok(s)
}

/// What kind of JSON file `text` is, from its `"format"` field.
pub fn sniff_format(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Head {
        format: String,
    }
    if text.len() > MAX_JSON_BYTES {
        return None;
    }
    serde_json::from_str::<Head>(text).ok().map(|h| h.format)
}
