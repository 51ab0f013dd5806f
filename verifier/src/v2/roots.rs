//! The registry roots a verifier accepts, each with its activation time
//! (statement v2; `docs/formats.md`, "Registry roots").
//!
//! The registry authority publishes every new root with a public
//! activation time at least an overlap after its publication. Holders and
//! gates switch at the activation time, by the clock alone: the root a proof
//! must use is the one active at the proof's `now` (the gate's challenge time
//! or the window's start), the last root whose `activates_at ≤ now`. So a
//! late holder is never stuck on an old root that would reveal its issuer
//! was just retired, and a retirement takes effect exactly at the new
//! root's activation.
//!
//! The file replaces v1's trust list of issuer keys: the gate knows the
//! roots, never which issuer a holder's credential comes from.

use crate::config::{check_header, fr_from_hex, fr_to_hex, invalid, parse_json, to_pretty};
use crate::config::{FormatError, JSON_FORMAT_VERSION};
use crate::Rejection;
use ark_bn254::Fr;
use serde::{Deserialize, Serialize};

/// Format name of a roots file.
pub const ROOTS_FORMAT: &str = "zkstatus/registry-roots";
/// Most roots in one file (old ones can be dropped once superseded).
pub const MAX_ROOTS: usize = 256;

/// One published root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedRoot {
    /// The registry epoch the root is of.
    pub epoch: u64,
    /// The root.
    pub root: Fr,
    /// When the authority published it, unix seconds.
    pub published_at: u64,
    /// When holders and gates switch to it, unix seconds.
    pub activates_at: u64,
    /// The registry's end date under this root (the largest `not_after`):
    /// after it no proof under this root verifies. Shown to people; the
    /// circuit enforces it.
    pub end_date: u64,
}

/// Why a set of roots is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RootsError {
    /// No root.
    #[error("roots: at least one registry root is needed")]
    Empty,
    /// Too many.
    #[error("roots: at most {MAX_ROOTS}, got {0}")]
    TooMany(usize),
    /// Epochs or activations are not strictly increasing.
    #[error("roots[{0}]: epochs and activation times must both increase strictly")]
    NotIncreasing(usize),
    /// Activation before publication.
    #[error("roots[{0}]: activates before it is published")]
    ActivatesBeforePublished(usize),
}

/// The roots a verifier accepts, in epoch order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedRoots(Vec<PublishedRoot>);

impl AcceptedRoots {
    /// Check and wrap: non-empty, at most [`MAX_ROOTS`], epochs and
    /// activation times strictly increasing, none activating before its
    /// publication.
    pub fn new(roots: Vec<PublishedRoot>) -> Result<Self, RootsError> {
        if roots.is_empty() {
            return Err(RootsError::Empty);
        }
        if roots.len() > MAX_ROOTS {
            return Err(RootsError::TooMany(roots.len()));
        }
        for (i, r) in roots.iter().enumerate() {
            if r.activates_at < r.published_at {
                return Err(RootsError::ActivatesBeforePublished(i));
            }
            if i > 0 {
                let p = roots[i - 1];
                if r.epoch <= p.epoch || r.activates_at <= p.activates_at {
                    return Err(RootsError::NotIncreasing(i));
                }
            }
        }
        Ok(Self(roots))
    }

    /// The roots, in epoch order.
    pub fn roots(&self) -> &[PublishedRoot] {
        &self.0
    }

    /// The root active at `t`: the last one with `activates_at ≤ t`.
    pub fn active_at(&self, t: u64) -> Option<&PublishedRoot> {
        self.0.iter().rev().find(|r| r.activates_at <= t)
    }

    /// The root a proof for registry `epoch` at time `at` must use, or why
    /// the pair is refused: an epoch not in the file, no root active yet,
    /// or another root active at that time (the payload's root is not yet
    /// active, or superseded).
    pub fn check(&self, epoch: u64, at: u64) -> Result<Fr, Rejection> {
        let Some(named) = self.0.iter().find(|r| r.epoch == epoch) else {
            return Err(Rejection::UnknownRoot(epoch));
        };
        let active = self.active_at(at).ok_or(Rejection::NoActiveRoot(at))?;
        if active.epoch != named.epoch {
            return Err(Rejection::RootNotActive {
                epoch,
                at,
                active: active.epoch,
            });
        }
        Ok(named.root)
    }

    /// Add a newly published root at the end (it must follow the last one).
    pub fn push(&mut self, root: PublishedRoot) -> Result<(), RootsError> {
        let mut v = self.0.clone();
        v.push(root);
        *self = Self::new(v)?;
        Ok(())
    }

    /// As a roots file.
    pub fn to_json(&self) -> String {
        to_pretty(&RootsJson {
            format: ROOTS_FORMAT.into(),
            version: JSON_FORMAT_VERSION,
            roots: self
                .0
                .iter()
                .map(|r| RootJson {
                    epoch: r.epoch,
                    root: fr_to_hex(&r.root),
                    published_at: r.published_at,
                    activates_at: r.activates_at,
                    end_date: r.end_date,
                })
                .collect(),
        })
    }

    /// Parse a roots file strictly (size cap, unknown fields refused,
    /// canonical roots, the rules of [`Self::new`]).
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        let j: RootsJson = parse_json(text, "registry roots", false)?;
        check_header(&j.format, j.version, ROOTS_FORMAT)?;
        if j.roots.len() > MAX_ROOTS {
            return Err(invalid(
                "roots",
                RootsError::TooMany(j.roots.len()).to_string(),
            ));
        }
        let roots = j
            .roots
            .iter()
            .map(|r| {
                Ok(PublishedRoot {
                    epoch: r.epoch,
                    root: fr_from_hex(&r.root, "roots[].root")?,
                    published_at: r.published_at,
                    activates_at: r.activates_at,
                    end_date: r.end_date,
                })
            })
            .collect::<Result<Vec<_>, FormatError>>()?;
        Self::new(roots).map_err(|e| invalid("roots", e.to_string()))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RootJson {
    epoch: u64,
    root: String,
    published_at: u64,
    activates_at: u64,
    end_date: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RootsJson {
    format: String,
    version: u32,
    #[serde(deserialize_with = "nested_roots")]
    roots: Vec<RootJson>,
}

fn nested_roots<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RootJson>, D::Error> {
    crate::config::nested("roots[]", d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn root(epoch: u64, activates_at: u64) -> PublishedRoot {
        PublishedRoot {
            epoch,
            root: Fr::from(epoch * 1000),
            published_at: activates_at - 100,
            activates_at,
            end_date: 2_000_000_000,
        }
    }

    fn two() -> AcceptedRoots {
        AcceptedRoots::new(vec![root(3, 1_800_000_000), root(5, 1_800_001_000)]).unwrap()
    }

    #[test]
    fn the_root_active_at_the_proofs_time_is_the_only_one_accepted() {
        let r = two();
        assert_eq!(r.check(3, 1_800_000_000), Ok(Fr::from(3000)));
        assert_eq!(r.check(3, 1_800_000_999), Ok(Fr::from(3000)));
        assert_eq!(r.check(5, 1_800_001_000), Ok(Fr::from(5000)));
        // Superseded at the next activation.
        assert_eq!(
            r.check(3, 1_800_001_000),
            Err(Rejection::RootNotActive {
                epoch: 3,
                at: 1_800_001_000,
                active: 5
            })
        );
    }

    #[test]
    fn a_root_before_its_activation_time_is_refused() {
        let r = two();
        assert_eq!(
            r.check(5, 1_800_000_999),
            Err(Rejection::RootNotActive {
                epoch: 5,
                at: 1_800_000_999,
                active: 3
            })
        );
        assert_eq!(
            r.check(3, 1_799_999_999),
            Err(Rejection::NoActiveRoot(1_799_999_999))
        );
        assert_eq!(r.check(4, 1_800_000_500), Err(Rejection::UnknownRoot(4)));
    }

    #[test]
    fn roots_must_increase_and_activate_after_publication() {
        assert_eq!(AcceptedRoots::new(vec![]), Err(RootsError::Empty));
        assert_eq!(
            AcceptedRoots::new(vec![root(5, 1_800_000_000), root(3, 1_800_001_000)]),
            Err(RootsError::NotIncreasing(1))
        );
        assert_eq!(
            AcceptedRoots::new(vec![root(3, 1_800_001_000), root(5, 1_800_001_000)]),
            Err(RootsError::NotIncreasing(1))
        );
        let mut early = root(3, 1_800_000_000);
        early.published_at = early.activates_at + 1;
        assert_eq!(
            AcceptedRoots::new(vec![early]),
            Err(RootsError::ActivatesBeforePublished(0))
        );
    }

    #[test]
    fn the_roots_file_round_trips_and_is_strict() {
        let r = two();
        assert_eq!(AcceptedRoots::from_json(&r.to_json()).unwrap(), r);
        let extra = r
            .to_json()
            .replacen("\"epoch\"", "\"extra\": 1, \"epoch\"", 1);
        let e = AcceptedRoots::from_json(&extra).unwrap_err().to_string();
        assert!(e.contains("roots[].extra"), "{e}");
        let big = r.to_json().replacen(
            &fr_to_hex(&Fr::from(3000)),
            "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
            1,
        );
        let e = AcceptedRoots::from_json(&big).unwrap_err().to_string();
        assert!(e.contains("field modulus"), "{e}");
    }
}
