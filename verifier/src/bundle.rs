//! The registry bundle (issue [3/7]; `docs/formats.md`, "Registry
//! bundle"): the few hundred bytes a gate or a holder needs to accept the
//! registry's current root offline, checked against a trust configuration
//! (the log's key, the witnesses' keys, `k`, `max_age`).
//!
//! A bundle holds the log's latest signed checkpoint with its witness
//! cosignatures, and the log's last entries, from the previous
//! root-published entry (if any) up to the last entry of the checkpoint,
//! which must be a root-published entry. [`RegistryBundle::verify`]
//! checks, in this order, each failure with its own [`BundleError`]:
//! 1. the checkpoint is a signed note (c2sp.org/signed-note) whose text is
//!    a checkpoint (c2sp.org/tlog-checkpoint) of the configured log,
//!    signed by the log's Ed25519 key;
//! 2. at least `k` of the configured witnesses cosigned it
//!    (c2sp.org/tlog-cosignature, `cosignature/v1`); a signature line
//!    under a witness's name by another key is refused;
//! 3. freshness: the witnesses' cosignature times are the trusted clock
//!    (the authority's own timestamps can be backdated, which is the
//!    threat); the `k`-th newest valid cosignature time must be within
//!    `max_age` of the verifier's clock (with `k = 1`, the newest), so no
//!    fewer than `k` witnesses vouch for the bundle's freshness; a
//!    cosignature dated more than [`MAX_COSIGNATURE_SKEW_SECS`] after the
//!    verifier's clock does not count (a far-future time would keep the
//!    bundle fresh until then);
//! 4. the bundle's last entry is the checkpoint's last entry (index
//!    `size − 1`): a fresh checkpoint proves the inclusion of every root
//!    ever published, so inclusion alone would let an old root, whose
//!    issuer has since been retired, verify forever;
//! 5. the entries are the tree's last leaves: with the suffix proof they
//!    rebuild the checkpoint's root hash (RFC 6962 / c2sp.org/tlog-tiles
//!    hashing);
//! 6. the last entry is a root-published entry; the first is the previous
//!    root-published entry, or the log's first entry (no earlier root), or
//!    the last entry itself (then only the latest root is accepted, and a
//!    proof made before its activation is refused: fail closed); no other
//!    entry between them publishes a root. So the previous root, which
//!    statement v2's activation rule still needs until the latest root
//!    activates, is exactly the one the log published before it.
//!
//! Written by hand, and small: the note and checkpoint parsing, the key
//! ids and the cosignature check. The `signed_note` and `tlog_tiles`
//! crates that the log writer uses would pull `url`/`idna` (ICU) and
//! `getrandom` into this light crate, which is also built for wasm32; and
//! `zkstatus-log` itself depends on this crate. Ed25519 is
//! `ed25519-dalek`'s (`verify_strict`), SHA-256 `sha2`'s.
//!
//! The suffix proof: the hashes of the complete subtrees left of the
//! suffix, in the order [`suffix_root`] consumes them. It is like an
//! inclusion proof (c2sp.org/tlog-tiles) of the first leaf, minus the
//! hashes the suffix's own leaves give.

use crate::config::{check_header, invalid, parse_json, FormatError, JSON_FORMAT_VERSION};
use crate::v2::roots::{AcceptedRoots, PublishedRoot, RootsError};
use ark_bn254::Fr;
use ark_ff::PrimeField;
use base64::prelude::{Engine as _, BASE64_STANDARD};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Magic bytes of a registry bundle.
pub const BUNDLE_MAGIC: [u8; 4] = *b"ZKRB";
/// Format version this build writes and reads.
pub const BUNDLE_VERSION: u8 = 1;
/// Largest bundle, checked before anything is parsed. A typical bundle
/// (three witnesses, a root, two issuer acts and the previous root, a log
/// of a few thousand entries) is about 1.3 KB; the target is ≤ 2 KB.
pub const MAX_BUNDLE_BYTES: usize = 4096;
/// Most entries in a bundle (the previous root, the acts between, the
/// latest root).
pub const MAX_BUNDLE_ENTRIES: usize = 16;
/// Largest entry (the log's `MAX_ENTRY_BYTES`).
pub const MAX_ENTRY_BYTES: usize = 256;
/// Most hashes in a suffix proof (a tree of up to 2^63 leaves).
pub const MAX_PROOF_HASHES: usize = 63;
/// Largest signed checkpoint note.
pub const MAX_NOTE_BYTES: usize = 2048;
/// Most signature lines on a checkpoint.
pub const MAX_NOTE_SIGNATURES: usize = 16;
/// Most witnesses in a trust configuration.
pub const MAX_WITNESSES: usize = 16;
/// Default `max_age`: 48 hours. Witnesses cosign the log's checkpoint
/// whenever it changes and at least hourly, and an online gate or page
/// refreshes its bundle far more often; 48 h lets a door stay offline over
/// a day and a night without locking everyone out, and bounds to 48 h (plus
/// the activation overlap) how long an offline gate can keep accepting a
/// root that a newer one, say one retiring an issuer, has replaced.
pub const DEFAULT_MAX_AGE_SECS: u64 = 48 * 3600;
/// How far ahead of the verifier's clock a witness's cosignature time may
/// be and still count: 10 minutes of clock drift. A time further ahead
/// does not count toward `k`: otherwise a witness that dates its
/// cosignature a year ahead (or the authority with a witness's key) would
/// keep a replaced root fresh for a year plus `max_age`.
pub const MAX_COSIGNATURE_SKEW_SECS: u64 = 600;

/// The log entry format version and kinds this module reads (the log's
/// `zkstatus_log::entry`, which depends on this crate).
const ENTRY_VERSION: u8 = 1;
const KIND_ISSUER_ADDED: u8 = 1;
const KIND_ISSUER_RETIRED: u8 = 2;
const KIND_ROOT_PUBLISHED: u8 = 3;
const KIND_CEREMONY_RESULT: u8 = 4;
/// A root-published entry: version, kind, epoch, root, published_at,
/// activates_at, end_date.
const ROOT_ENTRY_BYTES: usize = 2 + 8 + 32 + 8 + 8 + 8;

/// signed-note signature type of an Ed25519 note signature.
const ALG_ED25519: u8 = 0x01;
/// signed-note signature type of a `cosignature/v1`.
const ALG_COSIGNATURE_V1: u8 = 0x04;

/// A SHA-256 tree hash.
pub type Hash = [u8; 32];

/// Why a bundle or a trust configuration is refused. Every tamper class
/// has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Over [`MAX_BUNDLE_BYTES`] (checked first).
    #[error("a registry bundle is at most {MAX_BUNDLE_BYTES} bytes, got {0}")]
    TooLarge(usize),
    /// Ends before its last field.
    #[error("the registry bundle is truncated")]
    Truncated,
    /// Bytes after the last field.
    #[error("the registry bundle has {0} bytes after its last field")]
    TrailingBytes(usize),
    /// Not a registry bundle.
    #[error("not a zkstatus registry bundle (bad magic bytes)")]
    BadMagic,
    /// A version this build cannot read.
    #[error("unsupported registry bundle version {0} (this build reads {BUNDLE_VERSION})")]
    UnsupportedVersion(u8),
    /// A count or length over its cap, or zero entries.
    #[error("registry bundle: {what} out of range ({got})")]
    OutOfRange {
        /// Which field.
        what: &'static str,
        /// Its value.
        got: u64,
    },
    /// The checkpoint is not a well-formed signed note.
    #[error("the checkpoint is not a well-formed signed note: {0}")]
    MalformedNote(&'static str),
    /// The note's text is not a checkpoint.
    #[error("the checkpoint's text is not a tlog-checkpoint: {0}")]
    MalformedCheckpoint(&'static str),
    /// The checkpoint names another log.
    #[error("the checkpoint is for another log than the configured one")]
    WrongOrigin,
    /// No signature from the log's key.
    #[error("the checkpoint carries no signature by the configured log key")]
    NotSignedByLog,
    /// The log's signature does not verify.
    #[error("the log's signature on the checkpoint does not verify (forged or edited checkpoint)")]
    BadLogSignature,
    /// A configured witness's cosignature does not verify.
    #[error("witness '{0}': its cosignature does not verify (forged, or for another checkpoint)")]
    BadCosignature(String),
    /// A signature under a configured witness's name by another key.
    #[error(
        "witness '{name}': foreign cosignature (key id {got:08x}, the witness's is {want:08x})"
    )]
    ForeignCosignature {
        /// The witness.
        name: String,
        /// The key id on the signature line.
        got: u32,
        /// The configured key's id.
        want: u32,
    },
    /// No configured witness cosigned the checkpoint.
    #[error("missing witness cosignature: no configured witness cosigned the checkpoint ({need} required)")]
    MissingCosignature {
        /// Required.
        need: usize,
    },
    /// Some, but fewer than `k`, configured witnesses cosigned.
    #[error("too few witness cosignatures: {got} of the {need} required, none from {missing}")]
    TooFewCosignatures {
        /// Valid cosignatures from configured witnesses.
        got: usize,
        /// Required.
        need: usize,
        /// The witnesses without one, comma-separated.
        missing: String,
    },
    /// Fewer than `k` cosignatures count because some are dated ahead of
    /// the verifier's clock by more than [`MAX_COSIGNATURE_SKEW_SECS`].
    #[error("witness '{name}' cosigned {ahead} s ahead of this device's clock (more than {MAX_COSIGNATURE_SKEW_SECS} s): this device's clock is behind, or the witness's time is wrong; {got} of the {need} required cosignatures count")]
    FutureCosignature {
        /// The first witness whose time is too far ahead.
        name: String,
        /// Seconds ahead of the verifier's clock.
        ahead: u64,
        /// Cosignatures that count.
        got: usize,
        /// Required.
        need: usize,
    },
    /// The witnesses' clock says the bundle is older than `max_age`.
    #[error("registry data too old — connect to refresh (cosigned at {cosigned_at}, {age} s before now, the limit is {max_age} s)")]
    Stale {
        /// The `k`-th newest cosignature time, unix seconds.
        cosigned_at: u64,
        /// Its age at the verifier's clock, seconds.
        age: u64,
        /// The configured `max_age`, seconds.
        max_age: u64,
    },
    /// The bundle's last entry is not the checkpoint's last entry.
    #[error("the bundle's root is entry {index}, not the checkpoint's last entry {last} (an old root under a fresh checkpoint)")]
    RootNotLastEntry {
        /// The bundle's last entry index.
        index: u64,
        /// The checkpoint's last index (`size − 1`).
        last: u64,
    },
    /// The entries and proof do not rebuild the checkpoint's root hash.
    #[error("the inclusion proof does not lead to the checkpoint's root hash (entries or proof for another tree)")]
    InclusionMismatch,
    /// An entry of the bundle does not parse.
    #[error("bundle entry {index}: {reason}")]
    MalformedEntry {
        /// The log index.
        index: u64,
        /// What is wrong.
        reason: &'static str,
    },
    /// The checkpoint's last entry does not publish a root.
    #[error("the checkpoint's last entry does not publish a registry root")]
    LastEntryNotRoot,
    /// The first entry is neither the previous root nor the log's first.
    #[error("the bundle does not start at the previous root (entry {0} publishes none)")]
    PreviousRootMissing(u64),
    /// A root published between the bundle's previous and latest roots.
    #[error("entry {0} publishes a root between the bundle's previous and latest roots")]
    RootBetween(u64),
    /// The two roots break the roots rules.
    #[error("{0}")]
    Roots(RootsError),
    /// A trust-configuration key that does not parse.
    #[error("malformed {0} public key (expected NAME+ID+BASE64)")]
    BadPublicKey(&'static str),
    /// A trust configuration with an impossible `k`.
    #[error("the trust configuration needs 1 ≤ k ≤ {witnesses} witnesses, got k = {k}")]
    BadThreshold {
        /// `k`.
        k: usize,
        /// `n`.
        witnesses: usize,
    },
}

/// RFC 6962 leaf hash: `SHA-256(0x00 || entry)`.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// RFC 6962 interior node hash: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two below `n` (`n ≥ 2`): RFC 6962's split point.
fn split(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// RFC 6962 `MTH` of leaf hashes (none for an empty slice).
pub fn tree_hash(leaves: &[Hash]) -> Option<Hash> {
    match leaves.len() {
        0 => None,
        1 => Some(leaves[0]),
        n => {
            let k = split(n as u64) as usize;
            Some(node_hash(
                &tree_hash(&leaves[..k])?,
                &tree_hash(&leaves[k..])?,
            ))
        }
    }
}

/// The suffix proof of leaves `first..` of a tree of `all` leaf hashes:
/// the hashes [`suffix_root`] needs (the log writer's side). `None` if
/// `first` is not a leaf.
pub fn suffix_proof(all: &[Hash], first: usize) -> Option<Vec<Hash>> {
    if first >= all.len() {
        return None;
    }
    let mut proof = Vec::new();
    fn walk(leaves: &[Hash], first: usize, proof: &mut Vec<Hash>) -> Option<()> {
        if first == 0 {
            return Some(());
        }
        let k = split(leaves.len() as u64) as usize;
        if first >= k {
            proof.push(tree_hash(&leaves[..k])?);
            walk(&leaves[k..], first - k, proof)
        } else {
            walk(&leaves[..k], first, proof)
        }
    }
    walk(all, first, &mut proof)?;
    Some(proof)
}

/// The root hash of a tree of `size` leaves whose leaves `first..size`
/// hash to `suffix`, given the suffix proof; `None` if the lengths do not
/// fit or hashes are missing or left over.
pub fn suffix_root(size: u64, first: u64, suffix: &[Hash], proof: &[Hash]) -> Option<Hash> {
    fn walk(
        n: u64,
        first: u64,
        suffix: &[Hash],
        proof: &mut core::slice::Iter<'_, Hash>,
    ) -> Option<Hash> {
        if first == 0 {
            // The whole subtree's leaves are known.
            return tree_hash(suffix);
        }
        let k = split(n);
        if first >= k {
            let left = *proof.next()?;
            Some(node_hash(&left, &walk(n - k, first - k, suffix, proof)?))
        } else {
            let cut = usize::try_from(k - first).ok()?;
            let left = walk(k, first, suffix.get(..cut)?, proof)?;
            Some(node_hash(&left, &tree_hash(suffix.get(cut..)?)?))
        }
    }
    if first >= size || size - first != suffix.len() as u64 {
        return None;
    }
    let mut it = proof.iter();
    let root = walk(size, first, suffix, &mut it)?;
    it.next().is_none().then_some(root)
}

/// A signed-note verifier key `NAME+ID+BASE64(type || key)`, the id being
/// the first 4 bytes of `SHA-256(NAME || "\n" || type || key)`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NoteKey {
    name: String,
    id: u32,
    key: VerifyingKey,
}

/// signed-note's key id.
fn key_id(name: &str, typed_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(typed_key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// signed-note: a key name is non-empty, without whitespace or `+`.
fn name_ok(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

impl NoteKey {
    fn parse(text: &str, alg: u8, what: &'static str) -> Result<Self, BundleError> {
        let bad = BundleError::BadPublicKey(what);
        let mut parts = text.trim().splitn(3, '+');
        let (Some(name), Some(id16), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad);
        };
        if !name_ok(name) || id16.len() != 8 || !id16.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad);
        }
        let id = u32::from_str_radix(id16, 16).map_err(|_| bad.clone())?;
        let raw = BASE64_STANDARD.decode(b64).map_err(|_| bad.clone())?;
        if raw.len() != 33 || raw[0] != alg || key_id(name, &raw) != id {
            return Err(bad);
        }
        let mut k = [0u8; 32];
        k.copy_from_slice(&raw[1..]);
        let key = VerifyingKey::from_bytes(&k).map_err(|_| bad.clone())?;
        Ok(Self {
            name: name.to_string(),
            id,
            key,
        })
    }
}

/// What a verifier trusts: the log's key, the witnesses' keys, how many
/// must cosign (`k`) and how old the newest `k` cosignatures may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleTrust {
    log: NoteKey,
    witnesses: Vec<NoteKey>,
    min_cosignatures: usize,
    max_age: u64,
}

/// Format name of a trust configuration file.
pub const TRUST_FORMAT: &str = "zkstatus/registry-trust";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustJson {
    format: String,
    version: u32,
    log_key: String,
    witnesses: Vec<String>,
    min_cosignatures: usize,
    #[serde(default = "default_max_age")]
    max_age_secs: u64,
}

fn default_max_age() -> u64 {
    DEFAULT_MAX_AGE_SECS
}

impl BundleTrust {
    /// From the log's verifier key (`NAME+ID+BASE64(0x01 || key)`), the
    /// witnesses' `cosignature/v1` keys (`NAME+ID+BASE64(0x04 || key)`),
    /// `k` (1 ≤ k ≤ n, witnesses with distinct names) and `max_age`
    /// seconds.
    pub fn new(
        log_key: &str,
        witnesses: &[&str],
        min_cosignatures: usize,
        max_age: u64,
    ) -> Result<Self, BundleError> {
        let log = NoteKey::parse(log_key, ALG_ED25519, "log")?;
        if witnesses.len() > MAX_WITNESSES {
            return Err(BundleError::BadThreshold {
                k: min_cosignatures,
                witnesses: witnesses.len(),
            });
        }
        let mut ws: Vec<NoteKey> = Vec::with_capacity(witnesses.len());
        for w in witnesses {
            let k = NoteKey::parse(w, ALG_COSIGNATURE_V1, "witness")?;
            // Two keys under one name, or one key twice, would count one
            // witness twice.
            if ws.iter().any(|o| o.name == k.name || o.key == k.key) {
                return Err(BundleError::BadPublicKey("witness (duplicate)"));
            }
            ws.push(k);
        }
        if min_cosignatures == 0 || min_cosignatures > ws.len() {
            return Err(BundleError::BadThreshold {
                k: min_cosignatures,
                witnesses: ws.len(),
            });
        }
        Ok(Self {
            log,
            witnesses: ws,
            min_cosignatures,
            max_age,
        })
    }

    /// `max_age`, seconds.
    pub fn max_age(&self) -> u64 {
        self.max_age
    }

    /// Parse a trust configuration file (`docs/formats.md`, "Registry
    /// trust"): strict JSON, `max_age_secs` defaulting to
    /// [`DEFAULT_MAX_AGE_SECS`].
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        let j: TrustJson = parse_json(text, "registry trust", false)?;
        check_header(&j.format, j.version, TRUST_FORMAT)?;
        let ws: Vec<&str> = j.witnesses.iter().map(String::as_str).collect();
        Self::new(&j.log_key, &ws, j.min_cosignatures, j.max_age_secs)
            .map_err(|e| invalid("registry trust", e.to_string()))
    }

    /// A trust configuration file's text.
    pub fn to_json(log_key: &str, witnesses: &[String], k: usize, max_age: u64) -> String {
        crate::config::to_pretty(&TrustJson {
            format: TRUST_FORMAT.into(),
            version: JSON_FORMAT_VERSION,
            log_key: log_key.trim().into(),
            witnesses: witnesses.iter().map(|w| w.trim().to_string()).collect(),
            min_cosignatures: k,
            max_age_secs: max_age,
        })
    }
}

/// A registry bundle, parsed but not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryBundle {
    first_index: u64,
    entries: Vec<Vec<u8>>,
    proof: Vec<Hash>,
    checkpoint: Vec<u8>,
}

/// A bundle that verified: the roots it makes acceptable and the trusted
/// time it was cosigned at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBundle {
    /// The previous root (if the bundle has it) and the latest.
    pub roots: AcceptedRoots,
    /// The `k`-th newest witness cosignature time, unix seconds.
    pub cosigned_at: u64,
    /// The checkpoint's tree size.
    pub log_size: u64,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], BundleError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or(BundleError::Truncated)?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, BundleError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, BundleError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u64(&mut self) -> Result<u64, BundleError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_be_bytes(a))
    }
}

fn out_of_range(what: &'static str, got: usize) -> BundleError {
    BundleError::OutOfRange {
        what,
        got: got as u64,
    }
}

impl RegistryBundle {
    /// Assemble (the log writer's side): the entries from log index
    /// `first_index` to the checkpoint's last, their suffix proof, the
    /// cosigned checkpoint. Refuses what [`Self::from_bytes`] would.
    pub fn new(
        first_index: u64,
        entries: Vec<Vec<u8>>,
        proof: Vec<Hash>,
        checkpoint: Vec<u8>,
    ) -> Result<Self, BundleError> {
        let b = Self {
            first_index,
            entries,
            proof,
            checkpoint,
        };
        Self::from_bytes(&b.to_bytes()?)
    }

    /// Encode: `ZKRB`, version, first index (u64), entry count (u8), each
    /// entry (u16 length, bytes), proof count (u8), the hashes, checkpoint
    /// length (u16), the checkpoint note; big-endian.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BundleError> {
        if self.entries.is_empty() || self.entries.len() > MAX_BUNDLE_ENTRIES {
            return Err(out_of_range("entry count", self.entries.len()));
        }
        if self.proof.len() > MAX_PROOF_HASHES {
            return Err(out_of_range("proof length", self.proof.len()));
        }
        if self.checkpoint.len() > MAX_NOTE_BYTES {
            return Err(out_of_range("checkpoint length", self.checkpoint.len()));
        }
        let mut out = Vec::with_capacity(1024);
        out.extend_from_slice(&BUNDLE_MAGIC);
        out.push(BUNDLE_VERSION);
        out.extend_from_slice(&self.first_index.to_be_bytes());
        out.push(self.entries.len() as u8);
        for e in &self.entries {
            if e.is_empty() || e.len() > MAX_ENTRY_BYTES {
                return Err(out_of_range("entry length", e.len()));
            }
            out.extend_from_slice(&(e.len() as u16).to_be_bytes());
            out.extend_from_slice(e);
        }
        out.push(self.proof.len() as u8);
        for h in &self.proof {
            out.extend_from_slice(h);
        }
        out.extend_from_slice(&(self.checkpoint.len() as u16).to_be_bytes());
        out.extend_from_slice(&self.checkpoint);
        if out.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge(out.len()));
        }
        Ok(out)
    }

    /// Decode strictly: the size cap first, magic, version, every count
    /// and length within its cap, no trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BundleError> {
        if bytes.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge(bytes.len()));
        }
        let mut r = Reader { bytes, at: 0 };
        if r.take(4).map_err(|_| BundleError::BadMagic)? != BUNDLE_MAGIC {
            return Err(BundleError::BadMagic);
        }
        let version = r.u8()?;
        if version != BUNDLE_VERSION {
            return Err(BundleError::UnsupportedVersion(version));
        }
        let first_index = r.u64()?;
        let count = usize::from(r.u8()?);
        if count == 0 || count > MAX_BUNDLE_ENTRIES {
            return Err(out_of_range("entry count", count));
        }
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let len = usize::from(r.u16()?);
            if len == 0 || len > MAX_ENTRY_BYTES {
                return Err(out_of_range("entry length", len));
            }
            entries.push(r.take(len)?.to_vec());
        }
        let n = usize::from(r.u8()?);
        if n > MAX_PROOF_HASHES {
            return Err(out_of_range("proof length", n));
        }
        let mut proof = Vec::with_capacity(n);
        for _ in 0..n {
            let mut h = [0u8; 32];
            h.copy_from_slice(r.take(32)?);
            proof.push(h);
        }
        let len = usize::from(r.u16()?);
        if len > MAX_NOTE_BYTES {
            return Err(out_of_range("checkpoint length", len));
        }
        let checkpoint = r.take(len)?.to_vec();
        if r.at != bytes.len() {
            return Err(BundleError::TrailingBytes(bytes.len() - r.at));
        }
        Ok(Self {
            first_index,
            entries,
            proof,
            checkpoint,
        })
    }

    /// The log index of the bundle's first entry.
    pub fn first_index(&self) -> u64 {
        self.first_index
    }

    /// Verify against `trust` at the verifier's clock `now` (unix
    /// seconds); see the module documentation for the checks and their
    /// order.
    pub fn verify(&self, trust: &BundleTrust, now: u64) -> Result<VerifiedBundle, BundleError> {
        // 1. The log's signature on a checkpoint of the configured log.
        let note = parse_note(&self.checkpoint)?;
        let (origin, size, hash) = parse_checkpoint(note.text)?;
        if origin != trust.log.name {
            return Err(BundleError::WrongOrigin);
        }
        let mut log_signed = false;
        for s in &note.sigs {
            if s.name == trust.log.name && s.id == trust.log.id {
                let sig =
                    Signature::from_slice(&s.sig).map_err(|_| BundleError::BadLogSignature)?;
                trust
                    .log
                    .key
                    .verify_strict(note.text, &sig)
                    .map_err(|_| BundleError::BadLogSignature)?;
                log_signed = true;
            }
        }
        if !log_signed {
            return Err(BundleError::NotSignedByLog);
        }
        // 2. k of n witness cosignatures (tlog-cosignature).
        let mut times = Vec::new();
        let mut missing = Vec::new();
        let mut ahead = None;
        for w in &trust.witnesses {
            let mut time = None;
            for s in note.sigs.iter().filter(|s| s.name == w.name) {
                if s.id != w.id {
                    return Err(BundleError::ForeignCosignature {
                        name: w.name.clone(),
                        got: s.id,
                        want: w.id,
                    });
                }
                time = Some(check_cosignature(w, note.text, &s.sig)?);
            }
            match time {
                // Rule 3: a time too far ahead does not count toward k.
                Some(t) if t > now.saturating_add(MAX_COSIGNATURE_SKEW_SECS) => {
                    ahead.get_or_insert((w.name.as_str(), t - now));
                    missing.push(w.name.as_str());
                }
                Some(t) => times.push(t),
                None => missing.push(w.name.as_str()),
            }
        }
        let need = trust.min_cosignatures;
        if let (true, Some((name, secs))) = (times.len() < need, ahead) {
            return Err(BundleError::FutureCosignature {
                name: name.to_string(),
                ahead: secs,
                got: times.len(),
                need,
            });
        }
        if times.is_empty() {
            return Err(BundleError::MissingCosignature { need });
        }
        if times.len() < need {
            return Err(BundleError::TooFewCosignatures {
                got: times.len(),
                need,
                missing: missing.join(", "),
            });
        }
        // 3. Freshness by the witnesses' clock: the k-th newest time.
        times.sort_unstable_by(|a, b| b.cmp(a));
        let cosigned_at = times[need - 1];
        let age = now.saturating_sub(cosigned_at);
        if age > trust.max_age {
            return Err(BundleError::Stale {
                cosigned_at,
                age,
                max_age: trust.max_age,
            });
        }
        // 4. The bundle ends at the checkpoint's last entry.
        let count = self.entries.len() as u64;
        let index = self
            .first_index
            .checked_add(count - 1)
            .ok_or(BundleError::InclusionMismatch)?;
        let last = size.checked_sub(1).ok_or(BundleError::LastEntryNotRoot)?;
        if index != last {
            return Err(BundleError::RootNotLastEntry { index, last });
        }
        // 5. The entries are the tree's last leaves.
        let leaves: Vec<Hash> = self.entries.iter().map(|e| leaf_hash(e)).collect();
        if suffix_root(size, self.first_index, &leaves, &self.proof) != Some(hash) {
            return Err(BundleError::InclusionMismatch);
        }
        // 6. The latest root last, the previous root first (if any), no
        // root between.
        let kinds = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| entry_kind(e, self.first_index + i as u64))
            .collect::<Result<Vec<u8>, _>>()?;
        if kinds[kinds.len() - 1] != KIND_ROOT_PUBLISHED {
            return Err(BundleError::LastEntryNotRoot);
        }
        let latest = root_entry(&self.entries[self.entries.len() - 1], last)?;
        let mut roots = Vec::new();
        if self.entries.len() > 1 {
            if kinds[0] == KIND_ROOT_PUBLISHED {
                roots.push(root_entry(&self.entries[0], self.first_index)?);
            } else if self.first_index != 0 {
                return Err(BundleError::PreviousRootMissing(self.first_index));
            }
            for (i, k) in kinds.iter().enumerate().take(kinds.len() - 1).skip(1) {
                if *k == KIND_ROOT_PUBLISHED {
                    return Err(BundleError::RootBetween(self.first_index + i as u64));
                }
            }
        }
        roots.push(latest);
        let roots = AcceptedRoots::new(roots).map_err(BundleError::Roots)?;
        Ok(VerifiedBundle {
            roots,
            cosigned_at,
            log_size: size,
        })
    }
}

/// Check an entry's version and kind (the other kinds' fields are the
/// log's to check; the checkpoint's signatures already vouch for them).
fn entry_kind(e: &[u8], index: u64) -> Result<u8, BundleError> {
    match e {
        [ENTRY_VERSION, k @ (KIND_ISSUER_ADDED | KIND_ISSUER_RETIRED | KIND_ROOT_PUBLISHED
        | KIND_CEREMONY_RESULT), ..] => Ok(*k),
        [ENTRY_VERSION, ..] => Err(BundleError::MalformedEntry {
            index,
            reason: "unknown entry kind",
        }),
        _ => Err(BundleError::MalformedEntry {
            index,
            reason: "unsupported entry version",
        }),
    }
}

/// Decode a root-published entry (the log's format: big-endian, the root
/// canonical, never reduced).
fn root_entry(e: &[u8], index: u64) -> Result<PublishedRoot, BundleError> {
    let bad = |reason| BundleError::MalformedEntry { index, reason };
    if e.len() != ROOT_ENTRY_BYTES {
        return Err(bad("a root entry has exactly 66 bytes"));
    }
    let u64_at = |o: usize| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&e[o..o + 8]);
        u64::from_be_bytes(a)
    };
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        *limb = u64_at(10 + 32 - 8 * (i + 1));
    }
    let root = Fr::from_bigint(ark_ff::BigInt(limbs)).ok_or(bad("the root is not canonical"))?;
    Ok(PublishedRoot {
        epoch: u64_at(2),
        root,
        published_at: u64_at(42),
        activates_at: u64_at(50),
        end_date: u64_at(58),
    })
}

/// A signature line of a note.
struct NoteSig {
    name: String,
    id: u32,
    sig: Vec<u8>,
}

struct ParsedNote<'a> {
    text: &'a [u8],
    sigs: Vec<NoteSig>,
}

/// Parse a signed note (c2sp.org/signed-note): UTF-8 text of
/// newline-terminated lines without other control characters, a blank
/// line, then one or more lines `— NAME BASE64(key id || signature)`.
fn parse_note(bytes: &[u8]) -> Result<ParsedNote<'_>, BundleError> {
    let bad = BundleError::MalformedNote;
    let s = core::str::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(bad("control characters"));
    }
    let split = s.find("\n\n").ok_or(bad("no signature block"))?;
    let text = &bytes[..split + 1];
    let block = &s[split + 2..];
    if !block.ends_with('\n') {
        return Err(bad("the last signature line is not newline-terminated"));
    }
    let mut sigs = Vec::new();
    for line in block[..block.len() - 1].split('\n') {
        if sigs.len() == MAX_NOTE_SIGNATURES {
            return Err(bad("too many signatures"));
        }
        let rest = line
            .strip_prefix("\u{2014} ")
            .ok_or(bad("a signature line does not start with an em dash"))?;
        let (name, b64) = rest
            .split_once(' ')
            .ok_or(bad("a signature line has no signature"))?;
        if !name_ok(name) {
            return Err(bad("bad key name"));
        }
        let raw = BASE64_STANDARD
            .decode(b64)
            .map_err(|_| bad("a signature is not base64"))?;
        if raw.len() < 5 {
            return Err(bad("a signature is too short"));
        }
        sigs.push(NoteSig {
            name: name.to_string(),
            id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
            sig: raw[4..].to_vec(),
        });
    }
    if sigs.is_empty() {
        return Err(bad("no signature"));
    }
    Ok(ParsedNote { text, sigs })
}

/// Parse a checkpoint's text (c2sp.org/tlog-checkpoint): origin, decimal
/// size without leading zeros, base64 root hash. Our log writes no
/// extension lines, so none are accepted.
fn parse_checkpoint(text: &[u8]) -> Result<(&str, u64, Hash), BundleError> {
    let bad = BundleError::MalformedCheckpoint;
    let s = core::str::from_utf8(text).map_err(|_| bad("not UTF-8"))?;
    let lines: Vec<&str> = s.strip_suffix('\n').unwrap_or(s).split('\n').collect();
    let [origin, size, hash] = lines[..] else {
        return Err(bad("expected exactly three lines"));
    };
    if origin.is_empty() {
        return Err(bad("empty origin"));
    }
    let n: u64 = size.parse().map_err(|_| bad("size is not a number"))?;
    if n.to_string() != size {
        return Err(bad("size is not canonical decimal"));
    }
    let h = BASE64_STANDARD
        .decode(hash)
        .map_err(|_| bad("root hash is not base64"))?;
    let h: Hash = h.try_into().map_err(|_| bad("root hash is not 32 bytes"))?;
    Ok((origin, n, h))
}

/// Check a `cosignature/v1` (8-byte big-endian time, Ed25519 signature
/// over `cosignature/v1\ntime T\n` and the checkpoint text); its time.
fn check_cosignature(w: &NoteKey, text: &[u8], sig: &[u8]) -> Result<u64, BundleError> {
    let bad = || BundleError::BadCosignature(w.name.clone());
    if sig.len() != 8 + 64 {
        return Err(bad());
    }
    let mut t = [0u8; 8];
    t.copy_from_slice(&sig[..8]);
    let time = u64::from_be_bytes(t);
    let mut msg = format!("cosignature/v1\ntime {time}\n").into_bytes();
    msg.extend_from_slice(text);
    let s = Signature::from_slice(&sig[8..]).map_err(|_| bad())?;
    w.key.verify_strict(&msg, &s).map_err(|_| bad())?;
    Ok(time)
}

#[cfg(test)]
#[path = "bundle_tests.rs"]
mod tests;
