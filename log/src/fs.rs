//! The log as a folder of static files, written durably (feature `fs`).
//!
//! An append writes, each by a temporary file that is synced, renamed into
//! place and its folder synced: the entry bundle, then the hash tiles, then
//! the writer's state (`.zkstatus-log-state`, the number of entries
//! appended). A checkpoint is signed over entries already durable and
//! written the same way, last. So a process killed at any moment leaves
//! the files of every signed checkpoint intact: later appends only add
//! files or rewrite partial tiles of sizes beyond every checkpoint (the
//! tiles a size needs are a function of the entries below it).

use crate::audit::Store;
use crate::entry::LogEntry;
use crate::note::{LogPublicKey, LogSigningKey, NoteCheckError};
use crate::replay::{Replay, ReplayError, TimeFormat};
use crate::tiles::{
    bundles_for, decode_bundle, encode_bundle, entries_tile_path, hash_tile_path, StoredHashes,
    TileError, MAX_BUNDLE_BYTES, MAX_LOG_ENTRIES, TILE_WIDTH,
};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The writer's state file (not part of tlog-tiles; a server need not
/// serve it).
pub const STATE_FILE: &str = ".zkstatus-log-state";
/// The log's public key, served beside the checkpoint for convenience; an
/// auditor should pin it instead of trusting the folder.
pub const PUBLIC_KEY_FILE: &str = "log.pub";
const STATE_PREFIX: &str = "zkstatus-log-state 1\nsize ";

/// Why a log folder cannot be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogDirError {
    /// A filesystem error.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The error.
        source: io::Error,
    },
    /// `init` into a folder that is not empty.
    #[error("{0} exists and is not empty")]
    NotEmpty(String),
    /// Not a log folder, or its state file is damaged.
    #[error("{0} is not a zkstatus log folder (no or damaged {STATE_FILE})")]
    NotALog(String),
    /// A file of the log is refused.
    #[error("{0}")]
    Bundle(TileError),
    /// An entry in the folder does not decode.
    #[error("entry {index}: {source}")]
    Entry {
        /// The entry.
        index: u64,
        /// Why.
        source: crate::entry::EntryError,
    },
    /// The new entry, or one in the folder, breaks the registry's rules.
    #[error("{0}")]
    Replay(ReplayError),
    /// Keys.
    #[error("{0}")]
    Key(NoteCheckError),
    /// The signing key is not the log's.
    #[error("the signing key is not this log's key ({0})")]
    WrongKey(String),
    /// The log is full.
    #[error("the log holds at most {MAX_LOG_ENTRIES} entries")]
    Full,
    /// The Merkle math refused its input (a broken invariant).
    #[error("tree computation failed: {0}")]
    Tree(String),
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> LogDirError + '_ {
    move |source| LogDirError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn tree_err(e: tlog_tiles::Error) -> LogDirError {
    LogDirError::Tree(e.to_string())
}

/// Sync a folder so that a rename or a new name in it is durable.
fn sync_dir(dir: &Path) -> Result<(), LogDirError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// Write `bytes` at `path` durably: a temporary file beside it, synced,
/// renamed over `path`, the folder synced (and new folders above it).
pub fn write_durably(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), LogDirError> {
    let path = root.join(rel);
    let dir = path.parent().unwrap_or(root).to_path_buf();
    if !dir.is_dir() {
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        // Make every new folder's name durable, up to the log's root.
        let mut d = dir.as_path();
        while let Some(parent) = d.parent() {
            sync_dir(parent)?;
            if parent == root {
                break;
            }
            d = parent;
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(io_err(&tmp))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(io_err(&tmp))?;
    drop(f);
    fs::rename(&tmp, &path).map_err(io_err(&path))?;
    sync_dir(&dir)
}

/// A log folder read from the local filesystem, as a [`Store`].
#[derive(Debug, Clone)]
pub struct FsStore {
    root: PathBuf,
}

impl FsStore {
    /// The folder at `root`.
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }
}

/// Whether `path` is a name of the tlog-tiles layout (`checkpoint`,
/// `tile/...`): relative, ASCII letters, digits and `/._-`, no empty, `.`
/// or `..` segment. Every [`Store`] checks it before reading, so an audit
/// never reads outside the log.
pub fn is_log_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
        && !path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
}

impl Store for FsStore {
    fn get(&self, path: &str, cap: usize) -> Result<Option<Vec<u8>>, String> {
        // Only the layout's own names: no `..`, no absolute paths.
        if !is_log_path(path) {
            return Err("not a log path".into());
        }
        let p = self.root.join(path);
        let f = match File::open(&p) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let mut buf = Vec::new();
        f.take(cap as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| e.to_string())?;
        if buf.len() > cap {
            return Err(format!("larger than {cap} bytes"));
        }
        Ok(Some(buf))
    }
}

/// A log folder this process writes.
#[derive(Debug, Clone)]
pub struct LogDir {
    root: PathBuf,
}

/// A log folder's entries, read back and checked.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Each entry's bytes.
    pub raw: Vec<Vec<u8>>,
    /// Their stored hashes.
    pub hashes: StoredHashes,
    /// The registry rebuilt from them.
    pub replay: Replay,
}

impl LogDir {
    /// Create a log in `root` (missing or empty): its public key file, an
    /// empty state and a signed checkpoint of the empty tree.
    pub fn init(root: &Path, key: &LogSigningKey) -> Result<Self, LogDirError> {
        if root.exists() {
            let mut it = fs::read_dir(root).map_err(io_err(root))?;
            if it.next().is_some() {
                return Err(LogDirError::NotEmpty(root.display().to_string()));
            }
        } else {
            fs::create_dir_all(root).map_err(io_err(root))?;
            if let Some(p) = root.parent() {
                if !p.as_os_str().is_empty() {
                    sync_dir(p)?;
                }
            }
        }
        let dir = Self {
            root: root.to_path_buf(),
        };
        write_durably(
            root,
            PUBLIC_KEY_FILE,
            format!("{}\n", key.public().as_str()).as_bytes(),
        )?;
        dir.write_state(0)?;
        dir.checkpoint(key)?;
        Ok(dir)
    }

    /// An existing log folder.
    pub fn open(root: &Path) -> Result<Self, LogDirError> {
        let dir = Self {
            root: root.to_path_buf(),
        };
        dir.state()?;
        Ok(dir)
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The log's public key, from the folder.
    pub fn public_key(&self) -> Result<LogPublicKey, LogDirError> {
        let p = self.root.join(PUBLIC_KEY_FILE);
        let s = fs::read_to_string(&p).map_err(io_err(&p))?;
        LogPublicKey::parse(&s).map_err(LogDirError::Key)
    }

    fn state(&self) -> Result<u64, LogDirError> {
        let p = self.root.join(STATE_FILE);
        let not_a_log = || LogDirError::NotALog(self.root.display().to_string());
        let s = fs::read_to_string(&p).map_err(|_| not_a_log())?;
        let n = s
            .strip_prefix(STATE_PREFIX)
            .and_then(|r| r.strip_suffix('\n'))
            .ok_or_else(not_a_log)?;
        let size: u64 = n.parse().map_err(|_| not_a_log())?;
        if n != size.to_string() || size > MAX_LOG_ENTRIES {
            return Err(not_a_log());
        }
        Ok(size)
    }

    fn write_state(&self, size: u64) -> Result<(), LogDirError> {
        write_durably(
            &self.root,
            STATE_FILE,
            format!("{STATE_PREFIX}{size}\n").as_bytes(),
        )
    }

    /// Read every appended entry back, decode it and replay it.
    pub fn load(&self, fmt_time: TimeFormat) -> Result<Loaded, LogDirError> {
        let size = self.state()?;
        let store = FsStore::new(&self.root);
        let mut raw = Vec::new();
        for (n, w) in bundles_for(size) {
            let path = entries_tile_path(n, w);
            let bytes = store
                .get(&path, MAX_BUNDLE_BYTES)
                .map_err(|e| LogDirError::Io {
                    path: path.clone(),
                    source: io::Error::other(e),
                })?
                .ok_or_else(|| LogDirError::NotALog(self.root.display().to_string()))?;
            let es = decode_bundle(&bytes, w as usize, &path).map_err(LogDirError::Bundle)?;
            raw.extend(es.into_iter().map(<[u8]>::to_vec));
        }
        let mut hashes = StoredHashes::new();
        let mut replay = Replay::new(fmt_time);
        for (i, e) in raw.iter().enumerate() {
            hashes.push(i as u64, e).map_err(tree_err)?;
            let entry = LogEntry::from_bytes(e).map_err(|source| LogDirError::Entry {
                index: i as u64,
                source,
            })?;
            replay.apply(&entry).map_err(LogDirError::Replay)?;
        }
        Ok(Loaded {
            raw,
            hashes,
            replay,
        })
    }

    /// Append an entry after checking it against the registry rebuilt from
    /// the log; returns its index.
    pub fn append(&self, entry: &LogEntry) -> Result<u64, LogDirError> {
        let mut loaded = self.load(|t| t.to_string())?;
        loaded.replay.apply(entry).map_err(LogDirError::Replay)?;
        self.write_entry(loaded, &entry.to_bytes())
    }

    /// Append bytes without decoding or replaying them: for tests and
    /// tools that build a bad log on purpose (the audit refuses it).
    #[doc(hidden)]
    pub fn append_unchecked(&self, bytes: &[u8]) -> Result<u64, LogDirError> {
        let size = self.state()?;
        let store = FsStore::new(&self.root);
        let mut raw = Vec::new();
        for (n, w) in bundles_for(size) {
            let path = entries_tile_path(n, w);
            let b = store
                .get(&path, MAX_BUNDLE_BYTES)
                .ok()
                .flatten()
                .ok_or_else(|| LogDirError::NotALog(self.root.display().to_string()))?;
            let es = decode_bundle(&b, w as usize, &path).map_err(LogDirError::Bundle)?;
            raw.extend(es.into_iter().map(<[u8]>::to_vec));
        }
        let mut hashes = StoredHashes::new();
        for (i, e) in raw.iter().enumerate() {
            hashes.push(i as u64, e).map_err(tree_err)?;
        }
        self.write_entry(
            Loaded {
                raw,
                hashes,
                replay: Replay::default(),
            },
            bytes,
        )
    }

    fn write_entry(&self, mut loaded: Loaded, bytes: &[u8]) -> Result<u64, LogDirError> {
        let n = loaded.raw.len() as u64;
        if n >= MAX_LOG_ENTRIES {
            return Err(LogDirError::Full);
        }
        loaded.hashes.push(n, bytes).map_err(tree_err)?;
        loaded.raw.push(bytes.to_vec());
        let size = n + 1;
        // 1. The entry bundle of the new size.
        let k = n / TILE_WIDTH;
        let w = (size - k * TILE_WIDTH) as u32;
        let start = (k * TILE_WIDTH) as usize;
        let bundle = encode_bundle(loaded.raw[start..].iter().map(Vec::as_slice));
        write_durably(&self.root, &entries_tile_path(k, w), &bundle)?;
        // 2. The hash tiles that change.
        for (tile, data) in loaded.hashes.tiles(n, size).map_err(tree_err)? {
            write_durably(&self.root, &hash_tile_path(&tile), &data)?;
        }
        // 3. The state: the entry is appended.
        self.write_state(size)?;
        Ok(n)
    }

    /// Sign a checkpoint of every appended entry with the log key and
    /// write it (last). Returns its size and bytes.
    pub fn checkpoint(&self, key: &LogSigningKey) -> Result<(u64, Vec<u8>), LogDirError> {
        let public = self.public_key()?;
        if public.as_str() != key.public().as_str() {
            return Err(LogDirError::WrongKey(public.origin().to_string()));
        }
        let loaded = self.load(|t| t.to_string())?;
        let size = loaded.raw.len() as u64;
        let hash = loaded.hashes.tree_hash(size).map_err(tree_err)?;
        let note = key.sign_checkpoint(size, hash).map_err(LogDirError::Key)?;
        self.write_checkpoint(&note)?;
        Ok((size, note))
    }

    /// The current checkpoint file.
    pub fn read_checkpoint(&self) -> Result<Vec<u8>, LogDirError> {
        let p = self.root.join("checkpoint");
        fs::read(&p).map_err(io_err(&p))
    }

    /// Replace the checkpoint file durably (a cosigned one).
    pub fn write_checkpoint(&self, note: &[u8]) -> Result<(), LogDirError> {
        write_durably(&self.root, "checkpoint", note)
    }
}
