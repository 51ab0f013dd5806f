//! The audit: everything a log folder claims, checked from its files alone
//! (no filesystem here: the caller gives a [`Store`], so that a light
//! verifier can reuse it).
//!
//! 1. The checkpoint is a signed note by the log key with the configured
//!    witnesses' cosignatures (and, when asked, a fresh one).
//! 2. Every entry bundle the checkpoint covers is present and whole.
//! 3. The stored hashes are recomputed from the entries; every hash tile
//!    must equal them, and the tree hash the checkpoint's.
//! 4. Every entry decodes strictly, and the registry is rebuilt from them
//!    with every published root recomputed ([`crate::replay`]).
//! 5. A checkpoint seen before must be a prefix of this one: not larger
//!    (rolled back), not of the same size with another hash
//!    (equivocation), and its hash the hash of the first entries (fork).

use crate::entry::LogEntry;
use crate::note::{open_checkpoint, LogPublicKey, NoteCheckError, WitnessPublicKey};
use crate::replay::{Replay, ReplayError, TimeFormat};
use crate::tiles::{
    bundles_for, decode_bundle, entries_tile_path, hash_tile_path, StoredHashes, TileError,
    MAX_BUNDLE_BYTES, MAX_CHECKPOINT_BYTES, MAX_HASH_TILE_BYTES, MAX_LOG_ENTRIES, TILE_WIDTH,
};

/// The files of a log, by their path in the tlog-tiles layout.
pub trait Store {
    /// The file at `path`, at most `cap` bytes (more is an error), or
    /// `None` when it does not exist.
    fn get(&self, path: &str, cap: usize) -> Result<Option<Vec<u8>>, String>;
}

/// What the audit checks against.
#[derive(Debug, Clone)]
pub struct AuditOptions<'a> {
    /// The log's key (its name is the origin).
    pub log_key: &'a LogPublicKey,
    /// The witnesses whose cosignatures count.
    pub witnesses: &'a [WitnessPublicKey],
    /// How many of them must have cosigned.
    pub min_cosignatures: usize,
    /// A checkpoint seen before (signed by the same log key).
    pub previous: Option<&'a [u8]>,
    /// `(now, max_age)`: the newest cosignature must be at most `max_age`
    /// seconds older than `now` (witness times are the trusted clock).
    pub freshness: Option<(u64, u64)>,
    /// How the history writes times.
    pub fmt_time: TimeFormat,
}

/// Why the audit fails: one variant, one message, per tamper class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// A file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// No checkpoint.
    #[error("the log has no checkpoint file")]
    NoCheckpoint,
    /// The checkpoint's signatures or cosignatures.
    #[error("{0}")]
    Checkpoint(NoteCheckError),
    /// The checkpoint seen before does not open with the log key.
    #[error("the previous checkpoint: {0}")]
    Previous(NoteCheckError),
    /// More entries than this audit holds.
    #[error("the checkpoint claims {0} entries, more than the {MAX_LOG_ENTRIES} an audit reads")]
    TooLarge(u64),
    /// A file the checkpoint needs is missing.
    #[error("truncated log: the checkpoint covers {size} entries but {path} is missing")]
    Missing {
        /// The checkpoint's size.
        size: u64,
        /// The missing file.
        path: String,
    },
    /// A bundle is short or malformed.
    #[error("{0}")]
    Bundle(TileError),
    /// An entry's hash differs from the hash tile's.
    #[error("edited entry: entry {index} does not hash to its record hash in {path}")]
    EditedEntry {
        /// The entry.
        index: u64,
        /// The tile holding its hash.
        path: String,
    },
    /// A hash tile differs from the hashes of the entries.
    #[error("edited hash tile: {path} does not match the hashes of the entries")]
    EditedTile {
        /// The tile.
        path: String,
    },
    /// The entries' tree hash is not the checkpoint's.
    #[error(
        "the entries' tree hash differs from the signed checkpoint's (edited entries and tiles)"
    )]
    TreeHash,
    /// An entry does not decode.
    #[error("entry {index}: {source}")]
    Entry {
        /// The entry.
        index: u64,
        /// Why.
        source: crate::entry::EntryError,
    },
    /// The registry's rules.
    #[error("{0}")]
    Replay(ReplayError),
    /// The log shows fewer entries than a checkpoint seen before.
    #[error("rolled-back checkpoint: the log shows {now} entries, fewer than the {seen} of the checkpoint seen before")]
    RolledBack {
        /// The earlier size.
        seen: u64,
        /// This checkpoint's size.
        now: u64,
    },
    /// Two checkpoints of one size with different hashes, both signed.
    #[error("equivocation: the log signed two checkpoints of size {size} with different root hashes (a fork)")]
    Equivocation {
        /// The size.
        size: u64,
    },
    /// The earlier checkpoint is not a prefix of this log.
    #[error("fork: the first {seen} entries of the log do not hash to the checkpoint seen before")]
    Inconsistent {
        /// The earlier size.
        seen: u64,
    },
    /// No cosignature to date the checkpoint.
    #[error("stale checkpoint: no witness cosignature dates it")]
    Undated,
    /// The newest cosignature is too old.
    #[error("stale checkpoint: its newest witness cosignature is {age} s old, more than the {max_age} s allowed")]
    Stale {
        /// Age of the newest cosignature.
        age: u64,
        /// The allowed age.
        max_age: u64,
    },
    /// The Merkle math refused its input (a broken invariant).
    #[error("tree computation failed: {0}")]
    Tree(String),
}

/// What a passed audit found.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// Entries covered by the checkpoint.
    pub size: u64,
    /// The checkpoint's root hash.
    pub hash: tlog_tiles::Hash,
    /// The configured witnesses that cosigned, with their times.
    pub cosignatures: Vec<(String, u64)>,
    /// The size of the previous checkpoint the log is consistent with.
    pub consistent_with: Option<u64>,
    /// The registry rebuilt, the roots and the history.
    pub replay: Replay,
    /// The entries.
    pub entries: Vec<LogEntry>,
}

fn read(store: &dyn Store, path: &str, cap: usize) -> Result<Option<Vec<u8>>, AuditError> {
    store.get(path, cap).map_err(|reason| AuditError::Read {
        path: path.to_string(),
        reason,
    })
}

/// A partial tile may be served as the full tile (tlog-tiles): the first
/// `w` items of it are the partial's.
fn read_tile(
    store: &dyn Store,
    partial: &str,
    full: &str,
    cap: usize,
    size: u64,
) -> Result<(String, Vec<u8>), AuditError> {
    if let Some(b) = read(store, partial, cap)? {
        return Ok((partial.to_string(), b));
    }
    if partial != full {
        if let Some(b) = read(store, full, cap)? {
            return Ok((full.to_string(), b));
        }
    }
    Err(AuditError::Missing {
        size,
        path: partial.to_string(),
    })
}

fn tree_err(e: tlog_tiles::Error) -> AuditError {
    AuditError::Tree(e.to_string())
}

/// Audit a log (see the module documentation).
pub fn audit(store: &dyn Store, opts: &AuditOptions<'_>) -> Result<AuditReport, AuditError> {
    let cp_bytes =
        read(store, "checkpoint", MAX_CHECKPOINT_BYTES)?.ok_or(AuditError::NoCheckpoint)?;
    let cp = open_checkpoint(
        &cp_bytes,
        opts.log_key,
        opts.witnesses,
        opts.min_cosignatures,
    )
    .map_err(AuditError::Checkpoint)?;
    if let Some((now, max_age)) = opts.freshness {
        let newest = cp.newest_cosignature().ok_or(AuditError::Undated)?;
        let age = now.saturating_sub(newest);
        if age > max_age {
            return Err(AuditError::Stale { age, max_age });
        }
    }
    let size = cp.size();
    if size > MAX_LOG_ENTRIES {
        return Err(AuditError::TooLarge(size));
    }

    // 2. The entries.
    let mut raw: Vec<Vec<u8>> = Vec::new();
    for (n, w) in bundles_for(size) {
        let partial = entries_tile_path(n, w);
        let full = entries_tile_path(n, TILE_WIDTH as u32);
        let (path, bytes) = read_tile(store, &partial, &full, MAX_BUNDLE_BYTES, size)?;
        let entries = decode_bundle(&bytes, w as usize, &path).map_err(AuditError::Bundle)?;
        raw.extend(entries.into_iter().map(<[u8]>::to_vec));
    }

    // 3. The hashes.
    let mut hashes = StoredHashes::new();
    for (i, e) in raw.iter().enumerate() {
        hashes.push(i as u64, e).map_err(tree_err)?;
    }
    for (tile, want) in hashes.tiles(0, size).map_err(tree_err)? {
        let partial = hash_tile_path(&tile);
        let full_tile = tlog_tiles::Tile::new(
            tile.height(),
            tile.level(),
            tile.level_index(),
            TILE_WIDTH as u32,
            false,
        );
        let full = hash_tile_path(&full_tile);
        let (path, got) = read_tile(store, &partial, &full, MAX_HASH_TILE_BYTES, size)?;
        if got.len() < want.len() || got[..want.len()] != want[..] {
            if tile.level() == 0 {
                if let Some(j) = (0..want.len() / 32)
                    .find(|j| got.get(j * 32..j * 32 + 32) != Some(&want[j * 32..j * 32 + 32]))
                {
                    return Err(AuditError::EditedEntry {
                        index: tile.level_index() * TILE_WIDTH + j as u64,
                        path,
                    });
                }
            }
            return Err(AuditError::EditedTile { path });
        }
    }
    if hashes.tree_hash(size).map_err(tree_err)? != cp.hash() {
        return Err(AuditError::TreeHash);
    }

    // 4. The registry.
    let mut replay = Replay::new(opts.fmt_time);
    let mut entries = Vec::with_capacity(raw.len());
    for (i, e) in raw.iter().enumerate() {
        let entry = LogEntry::from_bytes(e).map_err(|source| AuditError::Entry {
            index: i as u64,
            source,
        })?;
        replay.apply(&entry).map_err(AuditError::Replay)?;
        entries.push(entry);
    }

    // 5. A checkpoint seen before.
    let consistent_with = match opts.previous {
        None => None,
        Some(prev) => {
            let prev = open_checkpoint(prev, opts.log_key, &[], 0).map_err(AuditError::Previous)?;
            let seen = prev.size();
            if seen > size {
                return Err(AuditError::RolledBack { seen, now: size });
            }
            if seen == size && prev.hash() != cp.hash() {
                return Err(AuditError::Equivocation { size });
            }
            if hashes.tree_hash(seen).map_err(tree_err)? != prev.hash() {
                return Err(AuditError::Inconsistent { seen });
            }
            Some(seen)
        }
    };

    Ok(AuditReport {
        size,
        hash: cp.hash(),
        cosignatures: cp.cosignatures,
        consistent_with,
        replay,
        entries,
    })
}

/// Check that the log `store` serves is consistent with a witness's last
/// checkpoint, the way a witness does before cosigning: a consistency proof
/// (RFC 6962) from the hash tiles, authenticated against the new checkpoint
/// by `tlog_tiles`' tile reader. Returns the new checkpoint's size and hash.
pub fn check_consistency(
    store: &dyn Store,
    old: Option<(u64, tlog_tiles::Hash)>,
    new: (u64, tlog_tiles::Hash),
) -> Result<(), AuditError> {
    let Some((old_size, old_hash)) = old else {
        return Ok(());
    };
    let (size, hash) = new;
    if old_size > size {
        return Err(AuditError::RolledBack {
            seen: old_size,
            now: size,
        });
    }
    if old_size == size {
        return if old_hash == hash {
            Ok(())
        } else {
            Err(AuditError::Equivocation { size })
        };
    }
    if old_size == 0 {
        return Ok(());
    }
    let reader = TileStore { store, size };
    let hr = tlog_tiles::TileHashReader::new(size, hash, &reader);
    let proof = tlog_tiles::prove_tree(size, old_size, &hr).map_err(|e| match e {
        tlog_tiles::Error::InconsistentTile => AuditError::Inconsistent { seen: old_size },
        other => AuditError::Tree(other.to_string()),
    })?;
    tlog_tiles::check_tree(&proof, size, hash, old_size, old_hash)
        .map_err(|_| AuditError::Inconsistent { seen: old_size })
}

struct TileStore<'a> {
    store: &'a dyn Store,
    size: u64,
}

impl tlog_tiles::TileReader for TileStore<'_> {
    fn height(&self) -> u8 {
        crate::tiles::TILE_HEIGHT
    }

    fn read_tiles(&self, tiles: &[tlog_tiles::Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        tiles
            .iter()
            .map(|t| {
                let want = t.width() as usize * 32;
                let full = tlog_tiles::Tile::new(
                    t.height(),
                    t.level(),
                    t.level_index(),
                    TILE_WIDTH as u32,
                    false,
                );
                let (_, mut b) = read_tile(
                    self.store,
                    &hash_tile_path(t),
                    &hash_tile_path(&full),
                    MAX_HASH_TILE_BYTES,
                    self.size,
                )
                .map_err(|e| tlog_tiles::Error::InvalidInput(e.to_string()))?;
                if b.len() < want {
                    return Err(tlog_tiles::Error::InvalidTile);
                }
                b.truncate(want);
                Ok(b)
            })
            .collect()
    }

    fn save_tiles(&self, _tiles: &[tlog_tiles::Tile], _data: &[Vec<u8>]) {}
}
