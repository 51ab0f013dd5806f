//! The accredited-issuer registry file: the registry authority's list of
//! issuer keys, each with a display name and a validity window, in leaf order
//! (statement v2, rule 8; `docs/formats.md`, "Registry file").
//!
//! The tree over the leaves is `zkstatus_circuits::registry`; this module is
//! the file, the authority's operations on it and their checks:
//!
//! - every change is an explicit event with the next epoch number
//!   ([`Registry::add`], [`Registry::retire`]), ready for the transparency log;
//! - a key must be in the prime-order subgroup (every [`PublicKey`] is) and
//!   its `8·A` must differ from every other leaf's, so one issuer cannot hold
//!   two leaves and escape a retirement with the other;
//! - a retirement moves the leaf's `not_after` to the retirement time (never
//!   later than it was), so the window closes by itself;
//! - the registry's end date (sunset) is the largest `not_after`, computed,
//!   not a field of the file.
//!
//! Decoding is strict: the size cap is checked before anything is allocated,
//! lengths are exact, keys are decoded with the subgroup check, names are
//! UTF-8 without control or bidirectional-override characters, and windows
//! are ordered.

use ark_ec::AdditiveGroup;
use zkstatus_circuits::babyjubjub;
use zkstatus_circuits::eddsa::PublicKey;
use zkstatus_circuits::registry::{IssuerLeaf, RegistryError, RegistryTree, Window, CAPACITY};

/// Magic bytes of a registry file.
pub const REGISTRY_MAGIC: [u8; 4] = *b"ZKRG";
/// Version of the registry file format.
pub const REGISTRY_VERSION: u8 = 1;
/// Longest display name, bytes of UTF-8.
pub const MAX_NAME_BYTES: usize = 64;
/// Bytes before the entries: magic, version, epoch (`u64`), count (`u16`).
pub const HEADER_BYTES: usize = 4 + 1 + 8 + 2;
/// Bytes of an entry before its name: packed key, `not_before`,
/// `not_after` (`u64` each), name length (`u8`).
pub const ENTRY_FIXED_BYTES: usize = 32 + 8 + 8 + 1;
/// Largest registry file: a full tree with the longest names (462,863
/// bytes). With names of 16 bytes, 4,096 issuers take 266 KB.
pub const MAX_REGISTRY_FILE_BYTES: usize =
    HEADER_BYTES + CAPACITY * (ENTRY_FIXED_BYTES + MAX_NAME_BYTES);

/// Why a registry file is refused or an operation fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryFileError {
    /// The file exceeds the size cap (checked before parsing).
    #[error("a registry file is at most {MAX_REGISTRY_FILE_BYTES} bytes, got {0}")]
    TooLarge(usize),
    /// Shorter than its header or its entries say.
    #[error("the registry file is truncated at byte {0}")]
    Truncated(usize),
    /// Bytes after the last entry.
    #[error("the registry file has {0} bytes after its last entry")]
    TrailingBytes(usize),
    /// Not a registry file.
    #[error("not a zkstatus registry file (bad magic bytes)")]
    BadMagic,
    /// A version this build cannot read.
    #[error("unsupported registry file version {0} (this build reads {REGISTRY_VERSION})")]
    UnsupportedVersion(u8),
    /// More entries than the tree holds.
    #[error("a registry holds at most {CAPACITY} issuers, the file says {0}")]
    TooManyEntries(usize),
    /// An entry's key is not a valid issuer key.
    #[error("entry {index}: invalid issuer key: {reason}")]
    Key {
        /// The entry's leaf index.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// An entry's name is invalid.
    #[error("entry {index}: display name: {reason}")]
    Name {
        /// The entry's leaf index.
        index: usize,
        /// What is wrong with it.
        reason: NameError,
    },
    /// An entry's window is empty.
    #[error("entry {index}: {reason}")]
    Window {
        /// The entry's leaf index.
        index: usize,
        /// What is wrong with it.
        reason: RegistryError,
    },
    /// Two entries have the same `8·A`: one issuer in two leaves.
    #[error("entries {first} and {second} hold the same issuer key (equal 8·A)")]
    DuplicateKey {
        /// The earlier leaf.
        first: usize,
        /// The later leaf.
        second: usize,
    },
    /// No entry with that index.
    #[error("no issuer at index {0} (the registry has {1})")]
    NoSuchEntry(usize, usize),
    /// A retirement that would reopen or extend a window.
    #[error("entry {index} already ends at {not_after}; a retirement at {at} cannot extend it")]
    RetireExtends {
        /// The leaf.
        index: usize,
        /// Its current end.
        not_after: u64,
        /// The requested retirement time.
        at: u64,
    },
    /// The epoch counter would overflow.
    #[error("the registry's epoch counter is exhausted")]
    EpochOverflow,
}

/// Why a display name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Empty.
    #[error("a name must not be empty")]
    Empty,
    /// Too long.
    #[error("at most {MAX_NAME_BYTES} bytes of UTF-8, got {0}")]
    TooLong(usize),
    /// Not UTF-8.
    #[error("not valid UTF-8")]
    NotUtf8,
    /// A control, format or bidirectional-override character, which a
    /// terminal or page would act on instead of showing.
    #[error(
        "character U+{code:04X} at byte {at} is not allowed (control or bidirectional formatting)"
    )]
    ForbiddenChar {
        /// The code point.
        code: u32,
        /// Its byte offset.
        at: usize,
    },
}

/// Check a display name: non-empty, at most [`MAX_NAME_BYTES`], and no
/// character that a terminal or page would act on instead of showing
/// ([`crate::config::is_unsafe_display_char`]: control characters, line and
/// paragraph separators, bidirectional formatting), as for every display name.
pub fn validate_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(NameError::TooLong(name.len()));
    }
    match name
        .char_indices()
        .find(|(_, c)| crate::config::is_unsafe_display_char(*c))
    {
        Some((at, c)) => Err(NameError::ForbiddenChar { code: c as u32, at }),
        None => Ok(()),
    }
}

/// One registry entry: a leaf and its display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The issuer's key and window.
    pub leaf: IssuerLeaf,
    /// The issuer's display name (validated).
    pub name: String,
}

/// A registry change, numbered by the epoch it produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// An issuer was added at leaf `index`.
    Added {
        /// The epoch after the change.
        epoch: u64,
        /// The new leaf's index.
        index: usize,
        /// The entry.
        entry: Entry,
    },
    /// The issuer at `index` was retired: its window now ends at `at`.
    Retired {
        /// The epoch after the change.
        epoch: u64,
        /// The leaf.
        index: usize,
        /// The new `not_after`.
        at: u64,
    },
}

/// The registry: entries in leaf order and the epoch of its last change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registry {
    epoch: u64,
    entries: Vec<Entry>,
}

fn eight_a(key: &PublicKey) -> babyjubjub::Point {
    babyjubjub::mul_bigint(&key.point(), [8u64])
}

/// `8·A` by three projective doublings: equal for two keys exactly when
/// [`eight_a`] is (projective equality cross-multiplies), without the
/// inversion of the affine form.
fn eight_a_projective(key: &PublicKey) -> babyjubjub::PointProjective {
    let mut p = babyjubjub::PointProjective::from(key.point());
    for _ in 0..3 {
        p.double_in_place();
    }
    p
}

impl Registry {
    /// An empty registry at epoch 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// The epoch of the last change (0 for a new registry).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The entries, in leaf order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The leaf hashes, in order.
    pub fn leaves(&self) -> Vec<ark_bn254::Fr> {
        self.entries.iter().map(|e| e.leaf.hash()).collect()
    }

    /// The tree over the leaves (a registry holds at most `CAPACITY`
    /// entries, so this fails only on a broken invariant).
    pub fn tree(&self) -> Result<RegistryTree, RegistryError> {
        RegistryTree::new(&self.leaves())
    }

    /// The root.
    pub fn root(&self) -> Result<ark_bn254::Fr, RegistryError> {
        Ok(self.tree()?.root())
    }

    /// The sunset: the largest `not_after` over the leaves, `None` when
    /// empty. After it no proof under this registry verifies.
    pub fn end_date(&self) -> Option<u64> {
        self.entries.iter().map(|e| e.leaf.window.not_after()).max()
    }

    /// The index of `key`'s leaf (the first whose `8·A` is `key`'s), if it
    /// has one.
    ///
    /// Constant work in the match's position: every entry is compared, in
    /// projective form (no inversion per entry), and the scan does not stop
    /// at the match. The holder finds its credential's issuer with this,
    /// and a scan that stopped there took time in proportion to the
    /// issuer's leaf index, the secret the registry hides (about 47,000
    /// instructions per entry before it; docs/security.md, "Timing side
    /// channels of proving").
    pub fn index_of(&self, key: &PublicKey) -> Option<usize> {
        let k = eight_a_projective(key);
        let mut found = None;
        for (i, e) in self.entries.iter().enumerate() {
            let same = eight_a_projective(&e.leaf.key) == k;
            found = found.or(same.then_some(i));
        }
        found
    }

    fn next_epoch(&self) -> Result<u64, RegistryFileError> {
        self.epoch
            .checked_add(1)
            .ok_or(RegistryFileError::EpochOverflow)
    }

    /// Add an issuer at the next leaf.
    pub fn add(&mut self, entry: Entry) -> Result<Event, RegistryFileError> {
        let index = self.entries.len();
        if index >= CAPACITY {
            return Err(RegistryFileError::TooManyEntries(index + 1));
        }
        validate_name(&entry.name).map_err(|reason| RegistryFileError::Name { index, reason })?;
        if let Some(first) = self.index_of(&entry.leaf.key) {
            return Err(RegistryFileError::DuplicateKey {
                first,
                second: index,
            });
        }
        let epoch = self.next_epoch()?;
        self.entries.push(entry.clone());
        self.epoch = epoch;
        Ok(Event::Added {
            epoch,
            index,
            entry,
        })
    }

    /// Retire the issuer at `index` at time `at`: its window now ends at
    /// `at` (closed entirely when `at ≤ not_before`). A retirement never
    /// extends a window.
    pub fn retire(&mut self, index: usize, at: u64) -> Result<Event, RegistryFileError> {
        let n = self.entries.len();
        let epoch = self.next_epoch()?;
        let entry = self
            .entries
            .get_mut(index)
            .ok_or(RegistryFileError::NoSuchEntry(index, n))?;
        let w = entry.leaf.window;
        if at > w.not_after() {
            return Err(RegistryFileError::RetireExtends {
                index,
                not_after: w.not_after(),
                at,
            });
        }
        entry.leaf.window = if at > w.not_before() {
            Window::new(w.not_before(), at)
                .map_err(|reason| RegistryFileError::Window { index, reason })?
        } else {
            Window::closed(at)
        };
        self.epoch = epoch;
        Ok(Event::Retired { epoch, index, at })
    }

    /// Encode as a registry file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            HEADER_BYTES + self.entries.len() * (ENTRY_FIXED_BYTES + MAX_NAME_BYTES),
        );
        out.extend_from_slice(&REGISTRY_MAGIC);
        out.push(REGISTRY_VERSION);
        out.extend_from_slice(&self.epoch.to_le_bytes());
        // At most CAPACITY (4,096) entries.
        out.extend_from_slice(&(self.entries.len() as u16).to_le_bytes());
        for e in &self.entries {
            out.extend_from_slice(&e.leaf.key.pack());
            out.extend_from_slice(&e.leaf.window.not_before().to_le_bytes());
            out.extend_from_slice(&e.leaf.window.not_after().to_le_bytes());
            // Validated: at most MAX_NAME_BYTES (64).
            out.push(e.name.len() as u8);
            out.extend_from_slice(e.name.as_bytes());
        }
        out
    }

    /// Decode a registry file strictly (see the module documentation).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryFileError> {
        if bytes.len() > MAX_REGISTRY_FILE_BYTES {
            return Err(RegistryFileError::TooLarge(bytes.len()));
        }
        let mut r = Reader { bytes, at: 0 };
        if bytes.len() >= 4 && bytes[..4] != REGISTRY_MAGIC {
            return Err(RegistryFileError::BadMagic);
        }
        let magic = r.take(4)?;
        if magic != REGISTRY_MAGIC {
            return Err(RegistryFileError::BadMagic);
        }
        let version = r.take(1)?[0];
        if version != REGISTRY_VERSION {
            return Err(RegistryFileError::UnsupportedVersion(version));
        }
        let epoch = r.u64()?;
        let count = usize::from(u16::from_le_bytes(r.array()?));
        if count > CAPACITY {
            return Err(RegistryFileError::TooManyEntries(count));
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(count);
        let mut seen: Vec<babyjubjub::Point> = Vec::with_capacity(count);
        for index in 0..count {
            let packed: [u8; 32] = r.array()?;
            let key = PublicKey::unpack(&packed).map_err(|e| RegistryFileError::Key {
                index,
                reason: e.to_string(),
            })?;
            let not_before = r.u64()?;
            let not_after = r.u64()?;
            let len = usize::from(r.take(1)?[0]);
            let name_bytes = r.take(len)?;
            let name = core::str::from_utf8(name_bytes)
                .map_err(|_| RegistryFileError::Name {
                    index,
                    reason: NameError::NotUtf8,
                })?
                .to_owned();
            validate_name(&name).map_err(|reason| RegistryFileError::Name { index, reason })?;
            // A retired entry may have a closed window (not_before = not_after).
            let window = if not_before == not_after {
                Window::closed(not_after)
            } else {
                Window::new(not_before, not_after)
                    .map_err(|reason| RegistryFileError::Window { index, reason })?
            };
            let k = eight_a(&key);
            if let Some(first) = seen.iter().position(|p| *p == k) {
                return Err(RegistryFileError::DuplicateKey {
                    first,
                    second: index,
                });
            }
            seen.push(k);
            entries.push(Entry {
                leaf: IssuerLeaf { key, window },
                name,
            });
        }
        if r.at != bytes.len() {
            return Err(RegistryFileError::TrailingBytes(bytes.len() - r.at));
        }
        Ok(Self { epoch, entries })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], RegistryFileError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(RegistryFileError::Truncated(self.bytes.len()))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], RegistryFileError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u64(&mut self) -> Result<u64, RegistryFileError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use zkstatus_circuits::eddsa::PrivateKey;

    fn key(i: u8) -> PublicKey {
        PrivateKey::from_bytes([i; 32]).public_key()
    }

    fn entry(i: u8, nb: u64, na: u64) -> Entry {
        Entry {
            leaf: IssuerLeaf {
                key: key(i),
                window: Window::new(nb, na).unwrap(),
            },
            name: format!("Lab {i}"),
        }
    }

    fn three() -> Registry {
        let mut r = Registry::new();
        for i in 1..=3 {
            r.add(entry(i, 100, 1_000 + u64::from(i))).unwrap();
        }
        r
    }

    #[test]
    fn index_of_finds_every_leaf_and_no_other_key() {
        let mut r = Registry::new();
        for i in 1..=40 {
            r.add(entry(i, 100, 1_000)).unwrap();
        }
        for (i, e) in r.entries().iter().enumerate() {
            assert_eq!(r.index_of(&e.leaf.key), Some(i));
            // The affine form it replaced agrees.
            let k = eight_a(&e.leaf.key);
            assert_eq!(
                r.entries().iter().position(|x| eight_a(&x.leaf.key) == k),
                Some(i)
            );
        }
        assert_eq!(r.index_of(&key(41)), None);
        assert_eq!(Registry::new().index_of(&key(1)), None);
    }

    #[test]
    fn every_change_is_an_event_with_the_next_epoch() {
        let mut r = Registry::new();
        assert_eq!(r.epoch(), 0);
        let e = r.add(entry(1, 100, 200)).unwrap();
        assert!(matches!(
            e,
            Event::Added {
                epoch: 1,
                index: 0,
                ..
            }
        ));
        let e = r.add(entry(2, 100, 200)).unwrap();
        assert!(matches!(
            e,
            Event::Added {
                epoch: 2,
                index: 1,
                ..
            }
        ));
        assert_eq!(
            r.retire(0, 150).unwrap(),
            Event::Retired {
                epoch: 3,
                index: 0,
                at: 150
            }
        );
        assert_eq!(r.epoch(), 3);
    }

    #[test]
    fn the_root_is_the_tree_over_the_leaves_and_changes_with_every_event() {
        let mut r = three();
        let root = r.root().unwrap();
        assert_eq!(root, RegistryTree::new(&r.leaves()).unwrap().root());
        r.retire(1, 500).unwrap();
        assert_ne!(r.root().unwrap(), root);
        // The retired leaf's path opens to the new root with the new window.
        let tree = r.tree().unwrap();
        let leaf = r.entries()[1].leaf;
        assert_eq!(leaf.window.not_after(), 500);
        assert_eq!(tree.path(1).unwrap().root(leaf.hash()), r.root().unwrap());
    }

    #[test]
    fn the_end_date_is_the_largest_not_after() {
        let mut r = three();
        assert_eq!(r.end_date(), Some(1_003));
        r.retire(2, 900).unwrap();
        assert_eq!(r.end_date(), Some(1_002));
        assert_eq!(Registry::new().end_date(), None);
    }

    #[test]
    fn refuses_a_key_whose_8a_equals_another_leafs() {
        let mut r = three();
        let again = entry(2, 5_000, 6_000);
        assert_eq!(
            r.add(again),
            Err(RegistryFileError::DuplicateKey {
                first: 1,
                second: 3
            })
        );
        assert_eq!(r.epoch(), 3, "a refused change is no event");
    }

    #[test]
    fn a_retirement_closes_the_window_and_never_extends_it() {
        let mut r = three();
        assert_eq!(
            r.retire(0, 2_000),
            Err(RegistryFileError::RetireExtends {
                index: 0,
                not_after: 1_001,
                at: 2_000
            })
        );
        // Before the window opened: closed entirely, valid at no time.
        r.retire(0, 50).unwrap();
        let w = r.entries()[0].leaf.window;
        assert!((0..2_000).all(|t| !w.contains(t)));
        assert_eq!(r.retire(9, 50), Err(RegistryFileError::NoSuchEntry(9, 3)));
    }

    #[test]
    fn names_with_control_or_bidi_characters_are_refused() {
        for bad in [
            "Lab\nREJECT: spoofed",
            "Lab\u{1b}[2J",
            "Lab\0",
            "\u{202e}baL",
            "a\u{2066}b",
        ] {
            assert!(
                matches!(validate_name(bad), Err(NameError::ForbiddenChar { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name(&"x".repeat(65)), Err(NameError::TooLong(65)));
        validate_name("城市检测实验室 City Lab").unwrap();
    }

    #[test]
    fn the_file_round_trips_and_is_byte_exact() {
        let mut r = three();
        r.retire(1, 100).unwrap();
        let bytes = r.to_bytes();
        assert_eq!(Registry::from_bytes(&bytes).unwrap(), r);
        assert_eq!(Registry::from_bytes(&bytes).unwrap().to_bytes(), bytes);
    }

    #[test]
    fn a_full_registry_fits_the_cap() {
        // 4,096 entries with names of 16 bytes: 266,255 bytes.
        let mut r = Registry::new();
        let k = key(1);
        for i in 0..CAPACITY {
            r.entries.push(Entry {
                leaf: IssuerLeaf {
                    key: k,
                    window: Window::new(1, 2 + i as u64).unwrap(),
                },
                name: format!("{i:016}"),
            });
        }
        let bytes = r.to_bytes();
        assert_eq!(
            bytes.len(),
            HEADER_BYTES + CAPACITY * (ENTRY_FIXED_BYTES + 16)
        );
        assert!(bytes.len() <= MAX_REGISTRY_FILE_BYTES);
        // The same key in every leaf is refused when read.
        assert!(matches!(
            Registry::from_bytes(&bytes),
            Err(RegistryFileError::DuplicateKey {
                first: 0,
                second: 1
            })
        ));
    }

    #[test]
    fn malformed_files_are_refused_with_their_reason() {
        let good = three().to_bytes();
        // Every truncation.
        for n in 0..good.len() {
            assert!(Registry::from_bytes(&good[..n]).is_err(), "prefix {n}");
        }
        let mut extra = good.clone();
        extra.push(0);
        assert_eq!(
            Registry::from_bytes(&extra),
            Err(RegistryFileError::TrailingBytes(1))
        );
        let mut magic = good.clone();
        magic[0] = b'X';
        assert_eq!(
            Registry::from_bytes(&magic),
            Err(RegistryFileError::BadMagic)
        );
        let mut version = good.clone();
        version[4] = 2;
        assert_eq!(
            Registry::from_bytes(&version),
            Err(RegistryFileError::UnsupportedVersion(2))
        );
        let mut count = good.clone();
        count[13..15].copy_from_slice(&4097u16.to_le_bytes());
        assert_eq!(
            Registry::from_bytes(&count),
            Err(RegistryFileError::TooManyEntries(4097))
        );
        // An empty window.
        let mut window = good.clone();
        let nb = HEADER_BYTES + 32;
        window[nb..nb + 8].copy_from_slice(&5_000u64.to_le_bytes());
        assert!(matches!(
            Registry::from_bytes(&window),
            Err(RegistryFileError::Window { index: 0, .. })
        ));
        // A key off the curve or outside the subgroup.
        let mut bad_key = good.clone();
        bad_key[HEADER_BYTES..HEADER_BYTES + 32].copy_from_slice(&[0xff; 32]);
        assert!(matches!(
            Registry::from_bytes(&bad_key),
            Err(RegistryFileError::Key { index: 0, .. })
        ));
        let mut torsion = good.clone();
        let t = babyjubjub::pack(&babyjubjub::Point::new_unchecked(
            ark_bn254::Fr::from(0u64),
            -ark_bn254::Fr::from(1u64),
        ));
        torsion[HEADER_BYTES..HEADER_BYTES + 32].copy_from_slice(&t);
        assert!(matches!(
            Registry::from_bytes(&torsion),
            Err(RegistryFileError::Key { index: 0, .. })
        ));
        // A name with a newline.
        let mut name = good.clone();
        let at = HEADER_BYTES + ENTRY_FIXED_BYTES + 3;
        name[at] = b'\n';
        assert!(matches!(
            Registry::from_bytes(&name),
            Err(RegistryFileError::Name {
                index: 0,
                reason: NameError::ForbiddenChar { code: 10, .. }
            })
        ));
        // Over the cap, before parsing.
        assert_eq!(
            Registry::from_bytes(&vec![0; MAX_REGISTRY_FILE_BYTES + 1]),
            Err(RegistryFileError::TooLarge(MAX_REGISTRY_FILE_BYTES + 1))
        );
    }
}
