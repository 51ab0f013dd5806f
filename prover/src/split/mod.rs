//! Split proving: one Groth16 proof computed by two workers that share no
//! memory (two Web Workers, each with its own WebAssembly instance).
//!
//! A Groth16 proof is five multi-scalar multiplications (MSMs) over the
//! proving key's queries plus a little glue ([`crate::groth16`], whose
//! phases both workers call). Four of them (`A`, `B` in G1, `B` in G2, `L`)
//! need only the circuit's assignment, known as soon as the circuit is
//! synthesised; the fifth (`H`) needs the quotient polynomial, known only
//! after the R1CS-to-QAP witness map (seven FFTs). So:
//!
//! 1. **main**: [`ProofJob::begin`] checks the statement natively (exactly as
//!    [`crate::holder::v2::prove_with_rng`] does, so a credential that is not
//!    green gives the same [`StatementError`](zkstatus_circuits::statement::v2::StatementError)),
//!    draws `r` and `s` from the rng ([`crate::groth16::Blinding::draw`], as
//!    `Groth16::prove` does, so a seeded rng gives the same proof),
//!    synthesises the circuit (the values only, once the [`MainKey`] holds
//!    the constraint matrices: [`crate::groth16::synthesize_for`]) and
//!    returns the job with a [`HelperTask`]: the assignment, for the MSMs
//!    of the helper's [`Share`].
//! 2. **helper**: [`HelperKey::compute`] turns the task into a [`HelperPart`]
//!    (one point per MSM of its share), with a key that holds only the
//!    queries of its share ([`HelperKey::from_pinned_file`]); by default
//!    ([`Share::DEFAULT`]) `B` in G1 and G2 and `L`.
//! 3. **main**, meanwhile: [`ProofJob::run_main`] takes the key's constraint
//!    matrices (on the key's first proof it finalises the constraint system
//!    and builds them, checked against the key, and the key keeps them for
//!    the next proofs: the worker keeps its key across proofs), runs the
//!    witness map and the remaining MSMs.
//! 4. **main**: [`ProofJob::finish`] adds the helper's points, blinds with
//!    `r` and `s` ([`crate::groth16::assemble`]), and verifies the proof
//!    under the key's own verifying key (the self-check of
//!    [`crate::holder::v2::prove`]) before returning the [`PayloadV2`](zkstatus_verifier::v2::payload::PayloadV2).
//!
//! The helper never sees `r` or `s`; its part is a function of the witness
//! alone, so a task and a part are as secret as the witness: they stay on
//! the device (between two workers of one page), their `Debug` shows no
//! content, and no error quotes them.
//!
//! **Binding.** A task names the proving key it was made for (the SHA-256 of
//! the key file: a helper with another key refuses it) and a part carries
//! the SHA-256 of the task it answers, so a part from another proof is
//! refused. A part whose points are valid but wrong (a corrupted or
//! malicious helper) makes the self-check fail: [`ProofJob::finish`] never
//! returns a payload that does not verify.
//!
//! **Encodings** of a task and a part: [`HelperTask::to_bytes`],
//! [`HelperPart::to_bytes`] (`split/encoding.rs`; docs/formats.md).
//!
//! What a split proof equals: with the same rng, the same payload, byte for
//! byte, as [`crate::holder::v2::prove_with_rng`] (the MSMs are sums in a group;
//! the order of the additions does not change the affine result).
//!
//! The parts: `share.rs` (which MSMs the helper takes), `encoding.rs` (the
//! task and part byte formats), `keys.rs` (each worker's part of the proving
//! key and its MSMs), `job.rs` (the main worker's proof), `error.rs`.

mod cache;
mod encoding;
mod error;
mod job;
mod keys;
mod share;

pub use cache::{FastFormError, Part, FAST_FORM_MAGIC, FAST_FORM_VERSION, MAX_FAST_FORM_BYTES};
pub use encoding::{
    HelperPart, HelperTask, PART_MAGIC, PART_VERSION, SCALAR_BYTES, TASK_MAGIC, TASK_VERSION,
};
pub use error::{DecodeError, SplitError};
pub use job::ProofJob;
pub use keys::{helper_part_bytes, HelperKey, MainKey};
pub use share::{Msm, Share};
