//! The log's entries: one registry act each, versioned binary
//! (`docs/formats.md`, "Log entries").
//!
//! Every entry starts with its format version and its kind; integers are
//! big-endian (the convention of the C2SP formats the log is stored in).
//! Decoding is strict: the size cap before anything else, exact lengths,
//! no trailing bytes, issuer keys unpacked with the curve and subgroup
//! checks ([`PublicKey::unpack`]), roots canonical (`< r`, never reduced),
//! display names checked with the registry's rule
//! ([`zkstatus_verifier::registry::validate_name`]).

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use zkstatus_circuits::eddsa::PublicKey;
use zkstatus_circuits::registry::{IssuerLeaf, RegistryError, Window};
use zkstatus_verifier::registry::{validate_name, Entry, NameError, MAX_NAME_BYTES};
use zkstatus_verifier::v2::roots::PublishedRoot;

/// Format version of every entry this build writes and reads.
pub const ENTRY_VERSION: u8 = 1;
/// Largest encoded entry (an issuer added with the longest name is 125
/// bytes); checked before decoding.
pub const MAX_ENTRY_BYTES: usize = 256;

/// Kind byte: an issuer accredited.
pub const KIND_ISSUER_ADDED: u8 = 1;
/// Kind byte: an issuer retired.
pub const KIND_ISSUER_RETIRED: u8 = 2;
/// Kind byte: a registry root published.
pub const KIND_ROOT_PUBLISHED: u8 = 3;
/// Kind byte: a trusted-setup ceremony's result.
pub const KIND_CEREMONY_RESULT: u8 = 4;

/// One registry act, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogEntry {
    /// An issuer accredited at leaf `index`, producing registry `epoch`.
    IssuerAdded {
        /// The registry epoch after the change.
        epoch: u64,
        /// The new leaf's index.
        index: u16,
        /// The key, display name and window.
        entry: Entry,
    },
    /// The issuer at leaf `index` retired: its window now ends at `at`.
    IssuerRetired {
        /// The registry epoch after the change.
        epoch: u64,
        /// The leaf.
        index: u16,
        /// The leaf's key, so that the entry names the issuer by itself.
        key: PublicKey,
        /// The new `not_after`, unix seconds.
        at: u64,
    },
    /// A registry root published, with its activation time and the
    /// registry's end date under it.
    RootPublished(PublishedRoot),
    /// The result of a trusted-setup ceremony (issue [4/7]).
    CeremonyResult {
        /// When the result was logged, unix seconds.
        at: u64,
        /// SHA-256 of the ceremony transcript.
        transcript_hash: [u8; 32],
        /// The verifying key's fingerprint.
        vk_fingerprint: [u8; 32],
    },
}

/// Why an entry is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// Over [`MAX_ENTRY_BYTES`] (checked first).
    #[error("an entry is at most {MAX_ENTRY_BYTES} bytes, got {0}")]
    TooLarge(usize),
    /// Shorter than its kind needs.
    #[error("the entry is truncated ({0} bytes)")]
    Truncated(usize),
    /// Bytes after the last field.
    #[error("the entry has {0} bytes after its last field")]
    TrailingBytes(usize),
    /// A version this build cannot read.
    #[error("unsupported entry version {0} (this build reads {ENTRY_VERSION})")]
    UnsupportedVersion(u8),
    /// An unknown kind byte.
    #[error("unknown entry kind {0}")]
    UnknownKind(u8),
    /// The issuer key is not canonical, not on the curve, not in the
    /// prime-order subgroup, or the identity.
    #[error("invalid issuer key: {0}")]
    Key(String),
    /// The display name is refused.
    #[error("display name: {0}")]
    Name(NameError),
    /// The window is empty.
    #[error("{0}")]
    Window(RegistryError),
    /// A root `≥ r`.
    #[error("the root is not a canonical field element (not below the modulus)")]
    NonCanonicalRoot,
}

/// A field element as 32 big-endian bytes.
pub fn fr_to_bytes(x: &Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
    out
}

/// A field element from 32 big-endian bytes, refusing values `≥ r`
/// (never reduced).
pub fn fr_from_bytes(be: &[u8; 32]) -> Result<Fr, EntryError> {
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(&be[32 - 8 * (i + 1)..32 - 8 * i]);
        *limb = u64::from_be_bytes(b);
    }
    Fr::from_bigint(ark_ff::BigInt(limbs)).ok_or(EntryError::NonCanonicalRoot)
}

impl LogEntry {
    /// The kind byte.
    pub fn kind(&self) -> u8 {
        match self {
            Self::IssuerAdded { .. } => KIND_ISSUER_ADDED,
            Self::IssuerRetired { .. } => KIND_ISSUER_RETIRED,
            Self::RootPublished(_) => KIND_ROOT_PUBLISHED,
            Self::CeremonyResult { .. } => KIND_CEREMONY_RESULT,
        }
    }

    /// Encode (the entry's bytes in the log).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.push(ENTRY_VERSION);
        out.push(self.kind());
        match self {
            Self::IssuerAdded {
                epoch,
                index,
                entry,
            } => {
                out.extend_from_slice(&epoch.to_be_bytes());
                out.extend_from_slice(&index.to_be_bytes());
                out.extend_from_slice(&entry.leaf.key.pack());
                out.extend_from_slice(&entry.leaf.window.not_before().to_be_bytes());
                out.extend_from_slice(&entry.leaf.window.not_after().to_be_bytes());
                // A validated name is at most MAX_NAME_BYTES (64); a longer
                // one would be refused by the decoder, so it is cut here
                // only if a caller skipped validation.
                let name = &entry.name.as_bytes()[..entry.name.len().min(MAX_NAME_BYTES)];
                out.push(name.len() as u8);
                out.extend_from_slice(name);
            }
            Self::IssuerRetired {
                epoch,
                index,
                key,
                at,
            } => {
                out.extend_from_slice(&epoch.to_be_bytes());
                out.extend_from_slice(&index.to_be_bytes());
                out.extend_from_slice(&key.pack());
                out.extend_from_slice(&at.to_be_bytes());
            }
            Self::RootPublished(r) => {
                out.extend_from_slice(&r.epoch.to_be_bytes());
                out.extend_from_slice(&fr_to_bytes(&r.root));
                out.extend_from_slice(&r.published_at.to_be_bytes());
                out.extend_from_slice(&r.activates_at.to_be_bytes());
                out.extend_from_slice(&r.end_date.to_be_bytes());
            }
            Self::CeremonyResult {
                at,
                transcript_hash,
                vk_fingerprint,
            } => {
                out.extend_from_slice(&at.to_be_bytes());
                out.extend_from_slice(transcript_hash);
                out.extend_from_slice(vk_fingerprint);
            }
        }
        out
    }

    /// Decode strictly (see the module documentation).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EntryError> {
        if bytes.len() > MAX_ENTRY_BYTES {
            return Err(EntryError::TooLarge(bytes.len()));
        }
        let mut r = Reader { bytes, at: 0 };
        let version = r.u8()?;
        if version != ENTRY_VERSION {
            return Err(EntryError::UnsupportedVersion(version));
        }
        let kind = r.u8()?;
        let entry = match kind {
            KIND_ISSUER_ADDED => {
                let epoch = r.u64()?;
                let index = r.u16()?;
                let key = r.key()?;
                let not_before = r.u64()?;
                let not_after = r.u64()?;
                let len = usize::from(r.u8()?);
                let name = core::str::from_utf8(r.take(len)?)
                    .map_err(|_| EntryError::Name(NameError::NotUtf8))?
                    .to_owned();
                validate_name(&name).map_err(EntryError::Name)?;
                // An accreditation opens a window; only a retirement closes one.
                let window = Window::new(not_before, not_after).map_err(EntryError::Window)?;
                Self::IssuerAdded {
                    epoch,
                    index,
                    entry: Entry {
                        leaf: IssuerLeaf { key, window },
                        name,
                    },
                }
            }
            KIND_ISSUER_RETIRED => Self::IssuerRetired {
                epoch: r.u64()?,
                index: r.u16()?,
                key: r.key()?,
                at: r.u64()?,
            },
            KIND_ROOT_PUBLISHED => {
                let epoch = r.u64()?;
                let root = fr_from_bytes(&r.array()?)?;
                Self::RootPublished(PublishedRoot {
                    epoch,
                    root,
                    published_at: r.u64()?,
                    activates_at: r.u64()?,
                    end_date: r.u64()?,
                })
            }
            KIND_CEREMONY_RESULT => Self::CeremonyResult {
                at: r.u64()?,
                transcript_hash: r.array()?,
                vk_fingerprint: r.array()?,
            },
            other => return Err(EntryError::UnknownKind(other)),
        };
        if r.at != bytes.len() {
            return Err(EntryError::TrailingBytes(bytes.len() - r.at));
        }
        Ok(entry)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], EntryError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(EntryError::Truncated(self.bytes.len()))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], EntryError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, EntryError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, EntryError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, EntryError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    fn key(&mut self) -> Result<PublicKey, EntryError> {
        PublicKey::unpack(&self.array()?).map_err(|e| EntryError::Key(e.to_string()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use zkstatus_circuits::babyjubjub;
    use zkstatus_circuits::eddsa::PrivateKey;

    fn key(i: u8) -> PublicKey {
        PrivateKey::from_bytes([i; 32]).public_key()
    }

    fn all() -> Vec<LogEntry> {
        vec![
            LogEntry::IssuerAdded {
                epoch: 1,
                index: 0,
                entry: Entry {
                    leaf: IssuerLeaf {
                        key: key(1),
                        window: Window::new(100, 200).unwrap(),
                    },
                    name: "城市检测实验室 City Lab".into(),
                },
            },
            LogEntry::IssuerRetired {
                epoch: 2,
                index: 0,
                key: key(1),
                at: 150,
            },
            LogEntry::RootPublished(PublishedRoot {
                epoch: 2,
                root: Fr::from(12345u64),
                published_at: 10,
                activates_at: 20,
                end_date: 150,
            }),
            LogEntry::CeremonyResult {
                at: 7,
                transcript_hash: [1; 32],
                vk_fingerprint: [2; 32],
            },
        ]
    }

    #[test]
    fn every_kind_round_trips_byte_exact() {
        for e in all() {
            let b = e.to_bytes();
            assert!(b.len() <= MAX_ENTRY_BYTES);
            assert_eq!(LogEntry::from_bytes(&b).unwrap(), e);
            assert_eq!(LogEntry::from_bytes(&b).unwrap().to_bytes(), b);
        }
    }

    #[test]
    fn every_truncation_and_extension_is_refused() {
        for e in all() {
            let b = e.to_bytes();
            for n in 0..b.len() {
                assert!(LogEntry::from_bytes(&b[..n]).is_err(), "{e:?} prefix {n}");
            }
            let mut long = b.clone();
            long.push(0);
            assert_eq!(
                LogEntry::from_bytes(&long),
                Err(EntryError::TrailingBytes(1))
            );
        }
        assert_eq!(
            LogEntry::from_bytes(&[0; MAX_ENTRY_BYTES + 1]),
            Err(EntryError::TooLarge(MAX_ENTRY_BYTES + 1))
        );
        assert_eq!(
            LogEntry::from_bytes(&[2, 1]),
            Err(EntryError::UnsupportedVersion(2))
        );
        assert_eq!(
            LogEntry::from_bytes(&[1, 9]),
            Err(EntryError::UnknownKind(9))
        );
    }

    #[test]
    fn a_non_subgroup_key_a_non_canonical_root_and_a_bad_name_are_refused() {
        let mut added = all()[0].to_bytes();
        let torsion = babyjubjub::pack(&babyjubjub::Point::new_unchecked(
            Fr::from(0u64),
            -Fr::from(1u64),
        ));
        added[12..44].copy_from_slice(&torsion);
        assert!(matches!(
            LogEntry::from_bytes(&added),
            Err(EntryError::Key(_))
        ));
        let mut root = all()[2].to_bytes();
        root[10..42].copy_from_slice(&[0xff; 32]);
        assert_eq!(
            LogEntry::from_bytes(&root),
            Err(EntryError::NonCanonicalRoot)
        );
        let mut name = all()[0].to_bytes();
        name[61 + 21] = b'\n'; // the space after the 7 CJK characters
        assert!(matches!(
            LogEntry::from_bytes(&name),
            Err(EntryError::Name(NameError::ForbiddenChar { code: 10, .. }))
        ));
    }
}
