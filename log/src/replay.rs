//! Rebuild the registry from the log's entries, checking every act and
//! every published root, and tell the history in words.
//!
//! The rules (`docs/formats.md`, "Log entries"):
//! - an issuer is added at the next leaf with the next epoch, through
//!   [`Registry::add`], which refuses a second leaf with the same `8·A`
//!   (keys were already unpacked with the subgroup check by the decoder);
//! - a retirement names the leaf and its key, takes the next epoch, and
//!   never extends a window ([`Registry::retire`]);
//! - a published root is the root of the registry rebuilt so far, at its
//!   epoch, with its end date the registry's; epochs and activation times
//!   increase strictly from root to root and no root activates before its
//!   publication (the rules of `zkstatus_verifier::v2::roots`).

use crate::entry::{fr_to_bytes, LogEntry};
use zkstatus_verifier::registry::{Event, Registry, RegistryFileError};
use zkstatus_verifier::v2::roots::PublishedRoot;

/// Why an entry breaks the registry's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The registry refuses the act (a duplicate `8·A`, a retirement that
    /// extends a window, an unknown leaf, a full registry …).
    #[error("entry {at}: {source}")]
    Registry {
        /// The entry's index in the log.
        at: u64,
        /// The registry's reason.
        source: RegistryFileError,
    },
    /// The entry's epoch is not the one the act produces.
    #[error("entry {at}: logged as epoch {logged}, but the act makes epoch {actual}")]
    Epoch {
        /// The entry's index in the log.
        at: u64,
        /// The epoch in the entry.
        logged: u64,
        /// The epoch the act produces.
        actual: u64,
    },
    /// An added issuer's leaf index is not the next one.
    #[error("entry {at}: adds leaf {logged}, but the next leaf is {actual}")]
    Index {
        /// The entry's index in the log.
        at: u64,
        /// The index in the entry.
        logged: u16,
        /// The next leaf.
        actual: usize,
    },
    /// A retirement's key is not the leaf's.
    #[error("entry {at}: retires leaf {index} under another issuer's key")]
    RetiredKey {
        /// The entry's index in the log.
        at: u64,
        /// The leaf.
        index: u16,
    },
    /// A root published for another epoch than the registry's.
    #[error("entry {at}: a root for epoch {logged} is published while the registry is at epoch {registry}")]
    RootEpoch {
        /// The entry's index in the log.
        at: u64,
        /// The root's epoch.
        logged: u64,
        /// The registry's.
        registry: u64,
    },
    /// The published root is not the rebuilt registry's.
    #[error("entry {at}: the root published for epoch {epoch} is not the root of the registry the log's entries build")]
    Root {
        /// The entry's index in the log.
        at: u64,
        /// Its epoch.
        epoch: u64,
    },
    /// The published end date is not the registry's.
    #[error("entry {at}: the root for epoch {epoch} states end date {logged}, the registry's is {actual}")]
    EndDate {
        /// The entry's index in the log.
        at: u64,
        /// Its epoch.
        epoch: u64,
        /// The end date in the entry.
        logged: u64,
        /// The registry's.
        actual: u64,
    },
    /// A root of an empty registry.
    #[error("entry {at}: a root is published for an empty registry")]
    EmptyRegistry {
        /// The entry's index in the log.
        at: u64,
    },
    /// Epochs or activation times do not increase, or a root activates
    /// before its publication.
    #[error("entry {at}: {reason}")]
    RootOrder {
        /// The entry's index in the log.
        at: u64,
        /// Which rule.
        reason: &'static str,
    },
}

/// A formatter for times in the history (the CLI passes its own).
pub type TimeFormat = fn(u64) -> String;

fn plain_time(t: u64) -> String {
    format!("unix {t}")
}

/// The registry rebuilt from the entries so far, the roots published, and
/// the history in words.
#[derive(Debug, Clone)]
pub struct Replay {
    registry: Registry,
    roots: Vec<PublishedRoot>,
    history: Vec<String>,
    size: u64,
    fmt_time: TimeFormat,
}

impl Default for Replay {
    fn default() -> Self {
        Self::new(plain_time)
    }
}

fn check_epoch(at: u64, event: &Event, logged: u64) -> Result<(), ReplayError> {
    let actual = match event {
        Event::Added { epoch, .. } | Event::Retired { epoch, .. } => *epoch,
        _ => return Ok(()),
    };
    if actual != logged {
        return Err(ReplayError::Epoch { at, logged, actual });
    }
    Ok(())
}

impl Replay {
    /// Nothing replayed yet; times in the history written with `fmt_time`.
    pub fn new(fmt_time: TimeFormat) -> Self {
        Self {
            registry: Registry::new(),
            roots: Vec::new(),
            history: Vec::new(),
            size: 0,
            fmt_time,
        }
    }

    /// The registry rebuilt so far.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Every root published so far, in order.
    pub fn roots(&self) -> &[PublishedRoot] {
        &self.roots
    }

    /// One line per entry.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Entries replayed.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Apply the next entry, or say which rule it breaks (the replay is
    /// unchanged then).
    pub fn apply(&mut self, entry: &LogEntry) -> Result<(), ReplayError> {
        let at = self.size;
        let t = self.fmt_time;
        let mut registry = self.registry.clone();
        let line = match entry {
            LogEntry::IssuerAdded {
                epoch,
                index,
                entry,
            } => {
                let actual = registry.entries().len();
                if usize::from(*index) != actual {
                    return Err(ReplayError::Index {
                        at,
                        logged: *index,
                        actual,
                    });
                }
                let ev = registry
                    .add(entry.clone())
                    .map_err(|source| ReplayError::Registry { at, source })?;
                check_epoch(at, &ev, *epoch)?;
                format!(
                    "epoch {epoch}: accredited '{}' (leaf {index}, key {}) from {} until {}",
                    entry.name,
                    hex::encode(entry.leaf.key.pack()),
                    t(entry.leaf.window.not_before()),
                    t(entry.leaf.window.not_after())
                )
            }
            LogEntry::IssuerRetired {
                epoch,
                index,
                key,
                at: when,
            } => {
                let i = usize::from(*index);
                let name = match registry.entries().get(i) {
                    Some(e) if e.leaf.key != *key => {
                        return Err(ReplayError::RetiredKey { at, index: *index })
                    }
                    Some(e) => e.name.clone(),
                    None => String::new(),
                };
                let ev = registry
                    .retire(i, *when)
                    .map_err(|source| ReplayError::Registry { at, source })?;
                check_epoch(at, &ev, *epoch)?;
                format!(
                    "epoch {epoch}: retired '{name}' (leaf {index}): accredited until {}",
                    t(*when)
                )
            }
            LogEntry::RootPublished(r) => {
                self.check_root(at, &registry, r)?;
                format!(
                    "root of epoch {} published at {}, active from {}, registry ends {}: {}",
                    r.epoch,
                    t(r.published_at),
                    t(r.activates_at),
                    t(r.end_date),
                    hex::encode(fr_to_bytes(&r.root))
                )
            }
            LogEntry::CeremonyResult {
                at: when,
                transcript_hash,
                vk_fingerprint,
            } => format!(
                "ceremony result logged at {}: transcript {}, verifying key {}",
                t(*when),
                hex::encode(transcript_hash),
                hex::encode(vk_fingerprint)
            ),
        };
        if let LogEntry::RootPublished(r) = entry {
            self.roots.push(*r);
        }
        self.registry = registry;
        self.history.push(format!("[{at}] {line}"));
        self.size += 1;
        Ok(())
    }

    fn check_root(
        &self,
        at: u64,
        registry: &Registry,
        r: &PublishedRoot,
    ) -> Result<(), ReplayError> {
        if r.epoch != registry.epoch() {
            return Err(ReplayError::RootEpoch {
                at,
                logged: r.epoch,
                registry: registry.epoch(),
            });
        }
        let Some(end) = registry.end_date() else {
            return Err(ReplayError::EmptyRegistry { at });
        };
        // A registry holds at most CAPACITY entries, so its tree exists.
        let root = registry
            .root()
            .map_err(|_| ReplayError::EmptyRegistry { at })?;
        if root != r.root {
            return Err(ReplayError::Root { at, epoch: r.epoch });
        }
        if r.end_date != end {
            return Err(ReplayError::EndDate {
                at,
                epoch: r.epoch,
                logged: r.end_date,
                actual: end,
            });
        }
        if r.activates_at < r.published_at {
            return Err(ReplayError::RootOrder {
                at,
                reason: "the root activates before it is published",
            });
        }
        if let Some(p) = self.roots.last() {
            if r.epoch <= p.epoch || r.activates_at <= p.activates_at {
                return Err(ReplayError::RootOrder {
                    at,
                    reason: "epochs and activation times must both increase from root to root",
                });
            }
        }
        Ok(())
    }
}
