//! The log's static files in the C2SP tlog-tiles layout
//! (<https://c2sp.org/tlog-tiles>): `checkpoint`, hash tiles `tile/<L>/<N>`
//! and entry bundles `tile/entries/<N>`, each full tile 256 wide and partial
//! ones `.p/<W>`.
//!
//! The Merkle math (record and node hashes, stored-hash indexes, tree
//! hashes, tile contents and coordinates) is the `tlog_tiles` crate's. Two
//! small pieces are written here because its 0.2 release implements the Go
//! checksum database's tile paths (`tile/<H>/<L>/…`, `tile/<H>/data/…`),
//! not tlog-tiles': [`hash_tile_path`] and [`entries_tile_path`] rewrite
//! its paths, and [`encode_bundle`]/[`decode_bundle`] are the entry bundle
//! format (each entry a big-endian `u16` length and its bytes), which it
//! does not have.

use crate::entry::MAX_ENTRY_BYTES;
use tlog_tiles::{Hash, HashReader, Tile};

/// tlog-tiles' fixed tile height: 2⁸ = 256 hashes or entries per full tile.
pub const TILE_HEIGHT: u8 = 8;
/// Entries (or hashes) in a full tile.
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;
/// Largest hash tile: 256 hashes of 32 bytes.
pub const MAX_HASH_TILE_BYTES: usize = 256 * 32;
/// Largest entry bundle this log writes or reads: 256 entries of at most
/// [`MAX_ENTRY_BYTES`] with their length prefixes.
pub const MAX_BUNDLE_BYTES: usize = 256 * (2 + MAX_ENTRY_BYTES);
/// Largest checkpoint file read: the note, the log's signature and
/// cosignatures.
pub const MAX_CHECKPOINT_BYTES: usize = 16 << 10;
/// Most entries a log holds here: the registry's 4,096 issuers, their
/// retirements and many roots. The audit holds every entry in memory.
pub const MAX_LOG_ENTRIES: u64 = 1 << 20;

/// Why an entry bundle is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TileError {
    /// Fewer entries than the tree needs: the log was cut short.
    #[error("truncated log: {path} holds {got} entries, the checkpoint needs {need}")]
    Short {
        /// The bundle's path.
        path: String,
        /// Entries in it.
        got: usize,
        /// Entries needed.
        need: usize,
    },
    /// An entry's length runs past the end, or more than 256 entries.
    #[error("{path}: malformed entry bundle: {reason}")]
    Malformed {
        /// The bundle's path.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

fn strip_go_prefix(go: &str) -> &str {
    // `Tile::path` is `tile/8/…`; tlog-tiles drops the height.
    go.strip_prefix("tile/8/").unwrap_or(go)
}

/// The path of a hash tile, `tile/<L>/<N>[.p/<W>]` (written by hand: see
/// the module documentation).
pub fn hash_tile_path(tile: &Tile) -> String {
    format!("tile/{}", strip_go_prefix(&tile.path()))
}

/// The path of the entry bundle `n` of width `w` (1..=256),
/// `tile/entries/<N>[.p/<W>]`.
pub fn entries_tile_path(n: u64, w: u32) -> String {
    let go = Tile::new(TILE_HEIGHT, 0, n, w, true).path();
    let rest = strip_go_prefix(&go);
    format!(
        "tile/entries/{}",
        rest.strip_prefix("data/").unwrap_or(rest)
    )
}

/// The entry bundles a tree of `size` entries is stored in: `(n, width)`.
pub fn bundles_for(size: u64) -> Vec<(u64, u32)> {
    let full = size / TILE_WIDTH;
    let mut v: Vec<(u64, u32)> = (0..full).map(|n| (n, TILE_WIDTH as u32)).collect();
    let rest = (size % TILE_WIDTH) as u32;
    if rest > 0 {
        v.push((full, rest));
    }
    v
}

/// Encode entries as a bundle: each a big-endian `u16` length and its bytes.
pub fn encode_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        // Entries are at most MAX_ENTRY_BYTES (256) long.
        out.extend_from_slice(&(e.len() as u16).to_be_bytes());
        out.extend_from_slice(e);
    }
    out
}

/// Split a bundle into its first `width` entries. A bundle may hold more
/// (a full tile read for a partial one, as tlog-tiles allows), never fewer;
/// bytes after the last whole entry are refused.
pub fn decode_bundle<'a>(
    bytes: &'a [u8],
    width: usize,
    path: &str,
) -> Result<Vec<&'a [u8]>, TileError> {
    let bad = |reason: String| TileError::Malformed {
        path: path.to_string(),
        reason,
    };
    let mut out = Vec::with_capacity(width.min(TILE_WIDTH as usize));
    let mut at = 0usize;
    while at < bytes.len() {
        let Some(len) = bytes.get(at..at + 2) else {
            return Err(bad(format!("a length prefix is cut at byte {at}")));
        };
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let Some(e) = bytes.get(at + 2..at + 2 + len) else {
            return Err(bad(format!("entry {} runs past the end", out.len())));
        };
        out.push(e);
        at += 2 + len;
        if out.len() > TILE_WIDTH as usize {
            return Err(bad("more than 256 entries".into()));
        }
    }
    if out.len() < width {
        return Err(TileError::Short {
            path: path.to_string(),
            got: out.len(),
            need: width,
        });
    }
    out.truncate(width);
    Ok(out)
}

/// Every stored hash of a tree, in storage-index order, computed from the
/// entries: what the hash tiles must hold.
#[derive(Debug, Clone, Default)]
pub struct StoredHashes(Vec<Hash>);

impl HashReader for StoredHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|i| {
                usize::try_from(*i)
                    .ok()
                    .and_then(|i| self.0.get(i).copied())
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl StoredHashes {
    /// No entries.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the next entry (record `n` = the number added so far).
    pub fn push(&mut self, n: u64, entry: &[u8]) -> Result<(), tlog_tiles::Error> {
        let new = tlog_tiles::stored_hashes(n, entry, self)?;
        self.0.extend(new);
        Ok(())
    }

    /// The root hash of the first `n` entries.
    pub fn tree_hash(&self, n: u64) -> Result<Hash, tlog_tiles::Error> {
        tlog_tiles::tree_hash(n, self)
    }

    /// The hash tiles of the tree of `size` entries, with their contents.
    pub fn tiles(
        &self,
        old_size: u64,
        size: u64,
    ) -> Result<Vec<(Tile, Vec<u8>)>, tlog_tiles::Error> {
        Tile::new_tiles(TILE_HEIGHT, old_size, size)
            .into_iter()
            .map(|t| Ok((t, t.read_data(self)?)))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_tlog_tiles() {
        // The examples of c2sp.org/tlog-tiles.
        assert_eq!(
            hash_tile_path(&Tile::new(8, 0, 1_234_067, 256, false)),
            "tile/0/x001/x234/067"
        );
        assert_eq!(
            hash_tile_path(&Tile::new(8, 1, 1_234_067, 5, false)),
            "tile/1/x001/x234/067.p/5"
        );
        assert_eq!(
            entries_tile_path(1_234_067, 256),
            "tile/entries/x001/x234/067"
        );
        assert_eq!(entries_tile_path(0, 3), "tile/entries/000.p/3");
        assert_eq!(bundles_for(0), vec![]);
        assert_eq!(bundles_for(257), vec![(0, 256), (1, 1)]);
    }

    #[test]
    fn bundles_round_trip_and_a_short_one_is_refused() {
        let e: Vec<&[u8]> = vec![b"a", b"", b"ccc"];
        let b = encode_bundle(e.iter().copied());
        assert_eq!(b, b"\x00\x01a\x00\x00\x00\x03ccc");
        assert_eq!(decode_bundle(&b, 3, "p").unwrap(), e);
        assert_eq!(decode_bundle(&b, 2, "p").unwrap(), e[..2]);
        assert!(decode_bundle(&b, 4, "p").is_err());
        assert!(decode_bundle(&b[..b.len() - 1], 3, "p").is_err());
    }

    #[test]
    fn the_tree_hash_matches_rfc6962() {
        // RFC 6962's empty tree and a one-leaf tree: SHA-256(0x00 || leaf).
        let mut h = StoredHashes::new();
        assert_eq!(h.tree_hash(0).unwrap(), tlog_tiles::EMPTY_HASH);
        h.push(0, b"").unwrap();
        assert_eq!(
            hex::encode(h.tree_hash(1).unwrap().0),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }
}
