//! The split prover's errors: typed, sizes and names only, never a scalar
//! or a point (they are derived from the witness).

use super::Share;
use crate::holder::ProveError;
use crate::keys::{KeyError, MAX_QUERY_POINTS};

/// Why a task or a part could not be decoded. Positions and sizes only:
/// never the content (it is derived from the witness).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not the magic bytes of this kind of data.
    #[error("bad magic bytes")]
    Magic,
    /// A version this build cannot read.
    #[error("version {0} (this build reads {1})")]
    Version(u8, u8),
    /// The share byte names no share.
    #[error("unknown share byte {0:#04x}")]
    Share(u8),
    /// The scalar count is above [`MAX_QUERY_POINTS`].
    #[error("declares {0} scalars (at most {MAX_QUERY_POINTS})")]
    TooManyScalars(u32),
    /// The length is not the one the header implies.
    #[error("{got} bytes, expected {expected}")]
    Length {
        /// The implied length.
        expected: usize,
        /// The actual length.
        got: usize,
    },
    /// A scalar is not below the group order `r`.
    #[error("scalar {0} is not canonical (not below the group order r)")]
    NonCanonicalScalar(usize),
    /// A point is off its curve, outside the prime-order subgroup, or not
    /// canonically encoded.
    #[error("invalid point ({0})")]
    InvalidPoint(&'static str),
}

/// Why a split proof could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SplitError {
    /// As in [`crate::holder::v2::prove`]: the statement does not hold (a
    /// [`ProveError::StatementV2`]), the prover failed, or the proof did not
    /// verify under the key's verifying key (a [`ProveError::SelfCheck`]).
    #[error(transparent)]
    Prove(#[from] ProveError),
    /// The proving-key file was refused.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Bytes that are not a helper task.
    #[error("helper task: {0}")]
    Task(DecodeError),
    /// Bytes that are not a helper part.
    #[error("helper part: {0}")]
    Part(DecodeError),
    /// The task or job was made with another proving key than this key.
    #[error("made with proving key {made_with}, but this key is {this} (the workers loaded different keys)")]
    KeyMismatch {
        /// Short fingerprint of the key file the task or job names.
        made_with: String,
        /// Short fingerprint of this key's file.
        this: String,
    },
    /// The key was loaded for another share than the task's or part's.
    #[error("share mismatch: expected the helper to compute {expected}, got {got}")]
    ShareMismatch {
        /// The share of the key or job.
        expected: Share,
        /// The share of the task or part.
        got: Share,
    },
    /// The part answers another task (another proof).
    #[error("helper part answers another task, not this proof's: refused")]
    WrongTask,
    /// The assignment's length is not the key's.
    #[error("the assignment has {got} scalars, the proving key expects {expected}")]
    AssignmentLength {
        /// What the key's queries need.
        expected: usize,
        /// What the task holds.
        got: usize,
    },
    /// [`ProofJob::finish`](super::ProofJob::finish) or
    /// [`ProofJob::run_main`](super::ProofJob::run_main) after the job
    /// failed or was finished.
    #[error("this proof job already failed or finished")]
    Spent,
    /// A worker's key lacks a query its MSMs need (key loading makes this
    /// impossible).
    #[error("proving failed: no {0} query in this key")]
    MissingQuery(&'static str),
    /// Neither worker computed an MSM (the two shares are complements:
    /// impossible once the part's share is checked).
    #[error("proving failed: the {0} MSM is missing from both parts")]
    MissingMsm(&'static str),
    /// The witness map gave another number of values than the key's `H`
    /// query has points (one per domain point each): the key is not this
    /// circuit's.
    #[error("proving failed: the witness map has {coefficients} values, the proving key {h_points} h points")]
    WitnessMapLength {
        /// What the witness map gave.
        coefficients: usize,
        /// The `H` query's points.
        h_points: usize,
    },
}
