//! Checkpoints (c2sp.org/tlog-checkpoint) signed as notes
//! (c2sp.org/signed-note, Ed25519) by the log, and cosigned by witnesses
//! (c2sp.org/tlog-cosignature, `cosignature/v1`).
//!
//! Notes, Ed25519 note keys and checkpoint bodies are the `signed_note`
//! and `tlog_tiles` crates'. The cosignature (signature type `0x04`: an
//! 8-byte big-endian timestamp and an Ed25519 signature over
//! `cosignature/v1\ntime <T>\n` and the checkpoint) is written here by
//! hand: no crate on crates.io implements it for `signed_note` 0.2 (azul's
//! `tlog_cosignature` is unpublished and built on `ed25519-dalek` 3). It
//! plugs into `signed_note`'s [`Signer`]/[`Verifier`] traits.

use base64::prelude::{Engine as _, BASE64_STANDARD};
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use signed_note::{
    key_id, Note, NoteError, Signer, StandardSigner, StandardVerifier, Verifier, VerifierList,
};
use tlog_tiles::Checkpoint;

/// signed-note signature type of an Ed25519 note signature.
pub const ALG_ED25519: u8 = 0x01;
/// signed-note signature type of a `cosignature/v1` (tlog-cosignature).
pub const ALG_COSIGNATURE_V1: u8 = 0x04;

/// Why a key, note or checkpoint is refused. Each tamper class has its own
/// variant and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteCheckError {
    /// A verifier key that does not parse.
    #[error("malformed {what} public key (expected NAME+ID+BASE64)")]
    BadPublicKey {
        /// Whose key.
        what: &'static str,
    },
    /// A secret key file that does not parse (its content is never shown).
    #[error("malformed {what} secret key")]
    BadSecretKey {
        /// Whose key.
        what: &'static str,
    },
    /// Not a signed note.
    #[error("the checkpoint is not a well-formed signed note: {0}")]
    MalformedNote(String),
    /// The note's text is not a checkpoint.
    #[error("the checkpoint's text is not a tlog-checkpoint")]
    MalformedCheckpoint,
    /// The checkpoint names another log.
    #[error("the checkpoint is for log '{got}', not '{want}'")]
    WrongOrigin {
        /// The configured origin.
        want: String,
        /// The checkpoint's.
        got: String,
    },
    /// No signature from the log's key.
    #[error("the checkpoint carries no signature by the log key '{0}'")]
    NotSignedByLog(String),
    /// A signature line from the log's key that does not verify.
    #[error("the log's signature on the checkpoint does not verify (forged or edited checkpoint)")]
    BadLogSignature,
    /// A cosignature line from a configured witness that does not verify.
    #[error("witness '{0}': its cosignature does not verify (forged, or for another checkpoint)")]
    BadCosignature(String),
    /// A cosignature under a configured witness's name but by another key.
    #[error("witness '{name}': the cosignature is by a foreign key (id {got:08x}, the witness's is {want:08x})")]
    ForeignCosignature {
        /// The witness.
        name: String,
        /// The key id on the signature line.
        got: u32,
        /// The configured key's id.
        want: u32,
    },
    /// Fewer cosignatures from configured witnesses than required.
    #[error("missing witness cosignature: {got} of the {need} required, none from {missing}")]
    MissingCosignature {
        /// Cosignatures present and valid.
        got: usize,
        /// Required.
        need: usize,
        /// The witnesses without one, comma-separated.
        missing: String,
    },
}

/// The log's public key, as a signed-note verifier key
/// (`NAME+ID+BASE64(0x01 || key)`); the name is the log's origin.
#[derive(Debug, Clone)]
pub struct LogPublicKey {
    text: String,
    name: String,
    id: u32,
}

impl LogPublicKey {
    /// Parse a verifier key (the `signed_note` crate checks the id and the
    /// Ed25519 point).
    pub fn parse(text: &str) -> Result<Self, NoteCheckError> {
        let text = text.trim();
        let v = StandardVerifier::new(text)
            .map_err(|_| NoteCheckError::BadPublicKey { what: "log" })?;
        Ok(Self {
            text: text.to_string(),
            name: v.name().to_string(),
            id: v.key_id(),
        })
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The log's origin (the key's name).
    pub fn origin(&self) -> &str {
        &self.name
    }

    fn verifier(&self) -> Result<StandardVerifier, NoteCheckError> {
        StandardVerifier::new(&self.text).map_err(|_| NoteCheckError::BadPublicKey { what: "log" })
    }
}

/// The log's signing key (`PRIVATE+KEY+NAME+ID+BASE64`, signed-note's
/// encoding). Never shown: [`core::fmt::Debug`] prints the name only.
pub struct LogSigningKey {
    signer: StandardSigner,
    public: LogPublicKey,
}

impl core::fmt::Debug for LogSigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "LogSigningKey({}, secret withheld)", self.public.name)
    }
}

impl LogSigningKey {
    /// A new key for the log named `origin`, from `rng` (the CLI passes
    /// the OS's randomness). Returns the key and its secret encoding, to be
    /// stored owner-only.
    pub fn generate<R: rand_core::CryptoRngCore + ?Sized>(
        rng: &mut R,
        origin: &str,
    ) -> Result<(Self, String), NoteCheckError> {
        if !signed_note::is_key_name_valid(origin) {
            return Err(NoteCheckError::BadSecretKey { what: "log" });
        }
        let (skey, _vkey) = signed_note::generate_key(rng, origin);
        Ok((Self::parse(&skey)?, skey))
    }

    /// Parse the secret encoding.
    pub fn parse(skey: &str) -> Result<Self, NoteCheckError> {
        let skey = skey.trim();
        let signer =
            StandardSigner::new(skey).map_err(|_| NoteCheckError::BadSecretKey { what: "log" })?;
        // The public half: rebuild from the secret's seed. The base64 is
        // everything after the fourth `+` (base64 itself may hold `+`).
        let b64 = skey.splitn(5, '+').nth(4).unwrap_or_default();
        let raw = BASE64_STANDARD
            .decode(b64)
            .map_err(|_| NoteCheckError::BadSecretKey { what: "log" })?;
        let seed: [u8; 32] = raw
            .get(1..)
            .and_then(|s| s.try_into().ok())
            .ok_or(NoteCheckError::BadSecretKey { what: "log" })?;
        let vk = SigningKey::from_bytes(&seed).verifying_key();
        let public =
            LogPublicKey::parse(&signed_note::new_ed25519_verifier_key(signer.name(), &vk))?;
        Ok(Self { signer, public })
    }

    /// The public key.
    pub fn public(&self) -> &LogPublicKey {
        &self.public
    }

    /// Sign the checkpoint of a tree: the note's text and the log's
    /// signature line.
    pub fn sign_checkpoint(
        &self,
        size: u64,
        hash: tlog_tiles::Hash,
    ) -> Result<Vec<u8>, NoteCheckError> {
        let cp = Checkpoint::new(self.public.origin(), size, hash, "")
            .map_err(|_| NoteCheckError::MalformedCheckpoint)?;
        let mut note = Note::new(&cp.to_bytes(), &[])
            .map_err(|e| NoteCheckError::MalformedNote(e.to_string()))?;
        note.add_sigs(&[&self.signer])
            .map_err(|e| NoteCheckError::MalformedNote(e.to_string()))?;
        Ok(note.to_bytes())
    }
}

/// A witness's public key for `cosignature/v1`:
/// `NAME+ID+BASE64(0x04 || key)`, the id computed over the `0x04` type
/// byte (tlog-cosignature).
#[derive(Debug, Clone)]
pub struct WitnessPublicKey {
    text: String,
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl WitnessPublicKey {
    /// Parse strictly: a valid name, an 8-digit id equal to the key id, the
    /// `0x04` type byte, a 32-byte Ed25519 point.
    pub fn parse(text: &str) -> Result<Self, NoteCheckError> {
        let text = text.trim();
        let bad = NoteCheckError::BadPublicKey { what: "witness" };
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id16), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad);
        };
        if !signed_note::is_key_name_valid(name) || id16.len() != 8 {
            return Err(bad);
        }
        let id = u32::from_str_radix(id16, 16).map_err(|_| bad.clone())?;
        let raw = BASE64_STANDARD.decode(b64).map_err(|_| bad.clone())?;
        if raw.len() != 33 || raw[0] != ALG_COSIGNATURE_V1 || key_id(name, &raw) != id {
            return Err(bad);
        }
        let mut k = [0u8; 32];
        k.copy_from_slice(&raw[1..]);
        let key = VerifyingKey::from_bytes(&k).map_err(|_| bad.clone())?;
        Ok(Self {
            text: text.to_string(),
            name: name.to_string(),
            id,
            key,
        })
    }

    fn from_key(name: &str, key: VerifyingKey) -> Self {
        let mut raw = vec![ALG_COSIGNATURE_V1];
        raw.extend_from_slice(key.as_bytes());
        let id = key_id(name, &raw);
        Self {
            text: format!("{name}+{id:08x}+{}", BASE64_STANDARD.encode(&raw)),
            name: name.to_string(),
            id,
            key,
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The witness's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id.
    pub fn id(&self) -> u32 {
        self.id
    }
}

/// The cosigned message of tlog-cosignature: `cosignature/v1`, the time and
/// the checkpoint text.
fn cosigned_message(time: u64, checkpoint: &[u8]) -> Vec<u8> {
    let mut msg = format!("cosignature/v1\ntime {time}\n").into_bytes();
    msg.extend_from_slice(checkpoint);
    msg
}

impl Verifier for WitnessPublicKey {
    fn name(&self) -> &str {
        &self.name
    }

    fn key_id(&self) -> u32 {
        self.id
    }

    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        // tlog-cosignature: only checkpoints are cosigned.
        if Checkpoint::from_bytes(msg).is_err() || sig.len() != 8 + 64 {
            return false;
        }
        let mut t = [0u8; 8];
        t.copy_from_slice(&sig[..8]);
        let mut s = [0u8; 64];
        s.copy_from_slice(&sig[8..]);
        self.key
            .verify(
                &cosigned_message(u64::from_be_bytes(t), msg),
                &ed25519_dalek::Signature::from_bytes(&s),
            )
            .is_ok()
    }
}

/// A witness's secret key (`PRIVATE+KEY+NAME+ID+BASE64(0x04 || seed)`,
/// signed-note's secret encoding with the cosignature type byte). Never
/// shown: [`core::fmt::Debug`] prints the name only.
pub struct WitnessSigningKey {
    key: SigningKey,
    public: WitnessPublicKey,
}

impl core::fmt::Debug for WitnessSigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "WitnessSigningKey({}, secret withheld)",
            self.public.name
        )
    }
}

impl WitnessSigningKey {
    /// A new key from `rng`; returns it and its secret encoding.
    pub fn generate<R: rand_core::CryptoRngCore + ?Sized>(
        rng: &mut R,
        name: &str,
    ) -> Result<(Self, String), NoteCheckError> {
        if !signed_note::is_key_name_valid(name) {
            return Err(NoteCheckError::BadSecretKey { what: "witness" });
        }
        let key = SigningKey::generate(rng);
        let public = WitnessPublicKey::from_key(name, key.verifying_key());
        let mut raw = vec![ALG_COSIGNATURE_V1];
        raw.extend_from_slice(&key.to_bytes());
        let skey = format!(
            "PRIVATE+KEY+{name}+{:08x}+{}",
            public.id,
            BASE64_STANDARD.encode(&raw)
        );
        Ok((Self { key, public }, skey))
    }

    /// Parse the secret encoding (the id must match the derived key).
    pub fn parse(skey: &str) -> Result<Self, NoteCheckError> {
        let bad = NoteCheckError::BadSecretKey { what: "witness" };
        let rest = skey
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(bad.clone())?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id16), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad);
        };
        let raw = BASE64_STANDARD.decode(b64).map_err(|_| bad.clone())?;
        if raw.len() != 33 || raw[0] != ALG_COSIGNATURE_V1 || !signed_note::is_key_name_valid(name)
        {
            return Err(bad);
        }
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&raw[1..]);
        let key = SigningKey::from_bytes(&seed);
        let public = WitnessPublicKey::from_key(name, key.verifying_key());
        if format!("{:08x}", public.id) != id16 {
            return Err(bad);
        }
        Ok(Self { key, public })
    }

    /// The public key.
    pub fn public(&self) -> &WitnessPublicKey {
        &self.public
    }

    /// Add this witness's cosignature, at `time`, to a signed checkpoint
    /// (replacing an earlier one of the same key).
    pub fn cosign(&self, signed_checkpoint: &[u8], time: u64) -> Result<Vec<u8>, NoteCheckError> {
        let mut note = Note::from_bytes(signed_checkpoint)
            .map_err(|e| NoteCheckError::MalformedNote(e.to_string()))?;
        let signer = TimedCosigner { key: self, time };
        note.add_sigs(&[&signer])
            .map_err(|e| NoteCheckError::MalformedNote(e.to_string()))?;
        Ok(note.to_bytes())
    }
}

struct TimedCosigner<'a> {
    key: &'a WitnessSigningKey,
    time: u64,
}

impl Signer for TimedCosigner<'_> {
    fn name(&self) -> &str {
        &self.key.public.name
    }

    fn key_id(&self) -> u32 {
        self.key.public.id
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        let sig = self.key.key.sign(&cosigned_message(self.time, msg));
        let mut out = self.time.to_be_bytes().to_vec();
        out.extend_from_slice(&sig.to_bytes());
        Ok(out)
    }
}

/// A checkpoint whose log signature (and configured cosignatures) verified.
#[derive(Debug)]
pub struct OpenedCheckpoint {
    /// Origin, size and root hash.
    pub checkpoint: Checkpoint,
    /// Each configured witness that cosigned, with its cosignature time.
    pub cosignatures: Vec<(String, u64)>,
}

impl OpenedCheckpoint {
    /// The tree size.
    pub fn size(&self) -> u64 {
        self.checkpoint.size()
    }

    /// The root hash.
    pub fn hash(&self) -> tlog_tiles::Hash {
        *self.checkpoint.hash()
    }

    /// The newest cosignature time, if any.
    pub fn newest_cosignature(&self) -> Option<u64> {
        self.cosignatures.iter().map(|(_, t)| *t).max()
    }
}

/// Open a signed checkpoint: a signed note whose text is a checkpoint of
/// the log `log` (origin = the key's name), carrying a valid signature by
/// the log key and valid cosignatures from at least `min_cosignatures` of
/// `witnesses`. Signatures by other keys are ignored, except one under a
/// configured witness's name with another key (a foreign cosignature).
pub fn open_checkpoint(
    bytes: &[u8],
    log: &LogPublicKey,
    witnesses: &[WitnessPublicKey],
    min_cosignatures: usize,
) -> Result<OpenedCheckpoint, NoteCheckError> {
    let note = Note::from_bytes(bytes).map_err(|e| NoteCheckError::MalformedNote(e.to_string()))?;
    let checkpoint =
        Checkpoint::from_bytes(note.text()).map_err(|_| NoteCheckError::MalformedCheckpoint)?;
    if checkpoint.origin() != log.origin() {
        return Err(NoteCheckError::WrongOrigin {
            want: log.origin().to_string(),
            got: checkpoint.origin().to_string(),
        });
    }
    let mut list: Vec<Box<dyn Verifier>> = vec![Box::new(log.verifier()?)];
    for w in witnesses {
        list.push(Box::new(w.clone()));
    }
    let (verified, unverified) = match note.verify(&VerifierList::new(list)) {
        Ok(v) => v,
        Err(NoteError::InvalidSignature { name, id }) => {
            return Err(if name == log.name && id == log.id {
                NoteCheckError::BadLogSignature
            } else {
                NoteCheckError::BadCosignature(name)
            })
        }
        Err(NoteError::UnverifiedNote) => {
            return Err(NoteCheckError::NotSignedByLog(log.origin().to_string()))
        }
        Err(e) => return Err(NoteCheckError::MalformedNote(e.to_string())),
    };
    if !verified
        .iter()
        .any(|s| s.name() == log.name && s.id() == log.id)
    {
        return Err(NoteCheckError::NotSignedByLog(log.origin().to_string()));
    }
    let mut cosignatures = Vec::new();
    let mut missing = Vec::new();
    for w in witnesses {
        if let Some(s) = verified
            .iter()
            .find(|s| s.name() == w.name && s.id() == w.id)
        {
            let mut t = [0u8; 8];
            t.copy_from_slice(&s.signature()[..8]);
            cosignatures.push((w.name.clone(), u64::from_be_bytes(t)));
        } else if let Some(s) = unverified.iter().find(|s| s.name() == w.name) {
            return Err(NoteCheckError::ForeignCosignature {
                name: w.name.clone(),
                got: s.id(),
                want: w.id,
            });
        } else {
            missing.push(w.name.clone());
        }
    }
    if cosignatures.len() < min_cosignatures {
        return Err(NoteCheckError::MissingCosignature {
            got: cosignatures.len(),
            need: min_cosignatures,
            missing: missing.join(", "),
        });
    }
    Ok(OpenedCheckpoint {
        checkpoint,
        cosignatures,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_note_vector_of_the_spec_verifies() {
        // The example of c2sp.org/signed-note (from Go's
        // golang.org/x/mod/sumdb/note), through the crate we use.
        let vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
        let msg = "If you think cryptography is the answer to your problem,\n\
                   then you don't know what your problem is.\n\
                   \n\
                   — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
        let v = StandardVerifier::new(vkey).unwrap();
        let note = Note::from_bytes(msg.as_bytes()).unwrap();
        let (ok, _) = note.verify(&VerifierList::new(vec![Box::new(v)])).unwrap();
        assert_eq!(ok.len(), 1);
        let mut bad = msg.as_bytes().to_vec();
        bad[3] ^= 1;
        let v = StandardVerifier::new(vkey).unwrap();
        assert!(Note::from_bytes(&bad)
            .unwrap()
            .verify(&VerifierList::new(vec![Box::new(v)]))
            .is_err());
    }

    #[test]
    fn a_cosignature_signs_the_time_and_the_checkpoint() {
        let mut rng = rand::rngs::OsRng;
        let (log, _) = LogSigningKey::generate(&mut rng, "example.com/log").unwrap();
        let (w, skey) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
        assert_eq!(
            WitnessSigningKey::parse(&skey).unwrap().public().as_str(),
            w.public().as_str()
        );
        assert!(!format!("{w:?}").contains(&skey[20..]));
        let cp = log.sign_checkpoint(0, tlog_tiles::EMPTY_HASH).unwrap();
        let co = w.cosign(&cp, 1_800_000_000).unwrap();
        let wp = WitnessPublicKey::parse(w.public().as_str()).unwrap();
        let o = open_checkpoint(&co, log.public(), std::slice::from_ref(&wp), 1).unwrap();
        assert_eq!(
            o.cosignatures,
            vec![("witness.example".into(), 1_800_000_000)]
        );
        // The signed message is exactly tlog-cosignature's.
        let note = Note::from_bytes(&co).unwrap();
        let sig = note_sig(&co, "witness.example");
        assert_eq!(&sig[..8], &1_800_000_000u64.to_be_bytes());
        let s = ed25519_dalek::Signature::from_bytes(sig[8..].try_into().unwrap());
        let mut msg = b"cosignature/v1\ntime 1800000000\n".to_vec();
        msg.extend_from_slice(note.text());
        wp.key.verify_strict(&msg, &s).unwrap();
        // Without the cosignature: missing.
        assert!(matches!(
            open_checkpoint(&cp, log.public(), &[wp], 1),
            Err(NoteCheckError::MissingCosignature {
                got: 0,
                need: 1,
                ..
            })
        ));
    }

    fn note_sig(note: &[u8], name: &str) -> Vec<u8> {
        let text = String::from_utf8(note.to_vec()).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("— {name} ")))
            .unwrap();
        let b64 = line.rsplit(' ').next().unwrap();
        BASE64_STANDARD.decode(b64).unwrap()[4..].to_vec()
    }
}
