//! Writing a registry bundle (`zkstatus_verifier::bundle`, the format and
//! its offline check) from a log's entries and its cosigned checkpoint.
//!
//! The bundle holds the entries from the previous root-published entry to
//! the checkpoint's last entry, which must publish a root (run
//! `registry publish`, then `checkpoint`, then the witnesses' `cosign`). When
//! there is no previous root, or more acts lie between the two roots than
//! a bundle holds, it holds the latest root alone: verifiers then accept
//! only that root, and only from its activation (fail closed).

use crate::entry::LogEntry;
use tlog_tiles::Checkpoint;
use zkstatus_verifier::bundle::{
    leaf_hash, suffix_proof, suffix_root, BundleError, RegistryBundle, MAX_BUNDLE_ENTRIES,
};

/// Why no bundle can be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The checkpoint's text is not a checkpoint.
    #[error("the log's checkpoint does not parse")]
    MalformedCheckpoint,
    /// The checkpoint covers more entries than the log has.
    #[error("the checkpoint covers {size} entries, the log has {have}")]
    CheckpointAhead {
        /// The checkpoint's size.
        size: u64,
        /// Entries in the folder.
        have: u64,
    },
    /// The checkpoint's last entry does not publish a root.
    #[error("the checkpoint's last entry does not publish a root: run `registry publish`, `log checkpoint` and the witnesses' `cosign` first")]
    LastEntryNotRoot,
    /// The entries do not hash to the checkpoint's root.
    #[error("the log's entries do not hash to its checkpoint's root")]
    HashMismatch,
    /// The bundle's format refused it.
    #[error("{0}")]
    Bundle(BundleError),
}

/// Whether the bundle shows the previous root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// The bundle holds the previous root.
    Included,
    /// The log published no root before the latest.
    NoneInLog,
    /// Too many acts between the roots: the latest root alone.
    TooFar,
}

/// The bundle of the log whose entries are `raw` (every entry, in order)
/// under the signed, cosigned checkpoint `checkpoint`.
pub fn build(raw: &[Vec<u8>], checkpoint: &[u8]) -> Result<(RegistryBundle, Previous), BuildError> {
    let text_end = checkpoint
        .windows(2)
        .position(|w| w == b"\n\n")
        .ok_or(BuildError::MalformedCheckpoint)?;
    let cp = Checkpoint::from_bytes(&checkpoint[..=text_end])
        .map_err(|_| BuildError::MalformedCheckpoint)?;
    let size = cp.size();
    let have = raw.len() as u64;
    if size > have {
        return Err(BuildError::CheckpointAhead { size, have });
    }
    let raw = &raw[..size as usize];
    let is_root = |e: &[u8]| matches!(LogEntry::from_bytes(e), Ok(LogEntry::RootPublished(_)));
    let last = match raw.last() {
        Some(e) if is_root(e) => raw.len() - 1,
        _ => return Err(BuildError::LastEntryNotRoot),
    };
    let previous = raw[..last].iter().rposition(|e| is_root(e));
    let (first, how) = match previous {
        Some(p) if last - p < MAX_BUNDLE_ENTRIES => (p, Previous::Included),
        Some(_) => (last, Previous::TooFar),
        None if last < MAX_BUNDLE_ENTRIES => (0, Previous::NoneInLog),
        None => (last, Previous::NoneInLog),
    };
    let leaves: Vec<_> = raw.iter().map(|e| leaf_hash(e)).collect();
    let proof = suffix_proof(&leaves, first).ok_or(BuildError::HashMismatch)?;
    if suffix_root(size, first as u64, &leaves[first..], &proof) != Some(cp.hash().0) {
        return Err(BuildError::HashMismatch);
    }
    let bundle = RegistryBundle::new(
        first as u64,
        raw[first..].to_vec(),
        proof,
        checkpoint.to_vec(),
    )
    .map_err(BuildError::Bundle)?;
    Ok((bundle, how))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::note::{LogSigningKey, WitnessSigningKey};
    use crate::tiles::StoredHashes;
    use ark_bn254::Fr;
    use rand::SeedableRng;
    use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};
    use zkstatus_verifier::v2::roots::PublishedRoot;

    const NOW: u64 = 1_800_000_000;

    fn root(epoch: u64, activates_at: u64) -> Vec<u8> {
        LogEntry::RootPublished(PublishedRoot {
            epoch,
            root: Fr::from(epoch * 7),
            published_at: activates_at - 100,
            activates_at,
            end_date: 1_900_000_000,
        })
        .to_bytes()
    }

    fn ceremony(n: u8) -> Vec<u8> {
        LogEntry::CeremonyResult {
            at: NOW,
            transcript_hash: [n; 32],
            vk_fingerprint: [n; 32],
        }
        .to_bytes()
    }

    /// The entries signed and cosigned by the log's own writer code
    /// (`signed_note`, `tlog_tiles`), as a verifier's trust sees them.
    fn signed(raw: &[Vec<u8>]) -> (Vec<u8>, BundleTrust) {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let (log, _) = LogSigningKey::generate(&mut rng, "example.org/log").unwrap();
        let (w, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
        let mut hashes = StoredHashes::new();
        for (i, e) in raw.iter().enumerate() {
            hashes.push(i as u64, e).unwrap();
        }
        let n = raw.len() as u64;
        let note = log
            .sign_checkpoint(n, hashes.tree_hash(n).unwrap())
            .unwrap();
        let note = w.cosign(&note, NOW - 10).unwrap();
        let trust = BundleTrust::new(
            log.public().as_str(),
            &[w.public().as_str()],
            1,
            DEFAULT_MAX_AGE_SECS,
        )
        .unwrap();
        (note, trust)
    }

    #[test]
    fn a_bundle_of_the_writers_checkpoint_verifies_with_the_light_verifier() {
        for acts in 0..20 {
            let mut raw = vec![ceremony(0), root(1, NOW - 50)];
            raw.extend((0..acts).map(|i| ceremony(i as u8 + 1)));
            raw.push(root(2, NOW + 50));
            let (note, trust) = signed(&raw);
            let (b, how) = build(&raw, &note).unwrap();
            let v = b.verify(&trust, NOW).unwrap();
            let epochs: Vec<u64> = v.roots.roots().iter().map(|r| r.epoch).collect();
            if acts + 1 < MAX_BUNDLE_ENTRIES {
                assert_eq!((how, epochs), (Previous::Included, vec![1, 2]));
            } else {
                assert_eq!((how, epochs), (Previous::TooFar, vec![2]));
            }
            assert!(b.to_bytes().unwrap().len() <= 4096);
        }
    }

    #[test]
    fn no_bundle_unless_the_checkpoints_last_entry_publishes_a_root() {
        let raw = vec![root(1, NOW), ceremony(1)];
        let (note, _) = signed(&raw);
        assert_eq!(build(&raw, &note), Err(BuildError::LastEntryNotRoot));
        let (note, trust) = signed(&raw[..1]);
        // Entries appended after the checkpoint are not in the bundle.
        let (b, how) = build(&raw, &note).unwrap();
        assert_eq!(how, Previous::NoneInLog);
        assert_eq!(b.verify(&trust, NOW).unwrap().log_size, 1);
        assert!(matches!(
            build(&raw[..0], &note),
            Err(BuildError::CheckpointAhead { size: 1, have: 0 })
        ));
    }
}

/// Why [`of_roots`] made no bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfRootsError {
    /// No roots.
    #[error("no roots to bundle")]
    NoRoots,
    /// The tree could not be hashed, or the checkpoint signed or cosigned.
    #[error("{0}")]
    Log(String),
    /// The bundle could not be written.
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// The registry bundle of a log whose entries are exactly `roots`' publish
/// entries, in order, under a checkpoint signed by `log` and cosigned by
/// `witness` at `cosigned_at`: for tests, examples and fixtures that need
/// a bundle for given roots (a real log also holds the issuer acts).
pub fn of_roots(
    log: &crate::LogSigningKey,
    witness: &crate::WitnessSigningKey,
    roots: &[zkstatus_verifier::v2::roots::PublishedRoot],
    cosigned_at: u64,
) -> Result<RegistryBundle, OfRootsError> {
    if roots.is_empty() {
        return Err(OfRootsError::NoRoots);
    }
    let raw: Vec<Vec<u8>> = roots
        .iter()
        .map(|r| LogEntry::RootPublished(*r).to_bytes())
        .collect();
    let mut hashes = crate::tiles::StoredHashes::new();
    for (n, e) in raw.iter().enumerate() {
        hashes
            .push(n as u64, e)
            .map_err(|e| OfRootsError::Log(e.to_string()))?;
    }
    let size = raw.len() as u64;
    let tree = hashes
        .tree_hash(size)
        .map_err(|e| OfRootsError::Log(e.to_string()))?;
    let note = log
        .sign_checkpoint(size, tree)
        .map_err(|e| OfRootsError::Log(e.to_string()))?;
    let cosigned = witness
        .cosign(&note, cosigned_at)
        .map_err(|e| OfRootsError::Log(e.to_string()))?;
    Ok(build(&raw, &cosigned)?.0)
}
