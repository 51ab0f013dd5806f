//! The registry authority's transparency log (issue [3/7]): every registry
//! act (an issuer accredited or retired, a registry root published, a
//! ceremony result) is an entry of an append-only Merkle log, so that no
//! act can be done quietly. The `zkstatus` CLI appends the registry acts
//! only through `zkstatus registry add|retire|publish --log DIR` (one
//! command per act), which rewrites the registry file from the log's
//! replayed state ([`replay::Replay`]) after each append.
//!
//! Formats, all C2SP (`docs/formats.md`, "Transparency log"):
//! - the tree and its static files: c2sp.org/tlog-tiles;
//! - checkpoints: c2sp.org/tlog-checkpoint, signed as c2sp.org/signed-note
//!   notes with the log's Ed25519 key;
//! - witness cosignatures: c2sp.org/tlog-cosignature (`cosignature/v1`).
//!
//! Crates: `tlog_tiles` 0.2 (RFC 6962 hashes, stored-hash indexes, tile
//! coordinates, record and consistency proofs, checkpoint bodies) and
//! `signed_note` 0.2 (notes, Ed25519 note keys), both from Cloudflare's
//! azul, both on our `sha2` 0.10 / `ed25519-dalek` 2 / `rand_core` 0.6,
//! edition 2021, building for wasm32. We picked them over writing the
//! formats ourselves because they are the maintained Rust implementations
//! and are tested against Go's sumdb vectors. Written by hand, because
//! their published releases lack it: the tlog-tiles path names (0.2 names
//! tiles the Go checksum database's way), the entry bundle encoding, and
//! the `cosignature/v1` signer and verifier (azul's `tlog_cosignature` is
//! unpublished) — each says so where it is.
//!
//! Verification ([`audit`](mod@audit), [`note`], [`entry`], [`replay`], [`tiles`])
//! reads through the [`audit::Store`] trait and touches no filesystem, for
//! the light verifier; the writer ([`fs`]) is behind the default `fs`
//! feature.

pub mod audit;
pub mod bundle;
pub mod entry;
#[cfg(feature = "fs")]
pub mod fs;
pub mod note;
pub mod replay;
pub mod tiles;

pub use audit::{audit, AuditError, AuditOptions, AuditReport, Store};
pub use entry::{EntryError, LogEntry};
pub use note::{LogPublicKey, LogSigningKey, WitnessPublicKey, WitnessSigningKey};
