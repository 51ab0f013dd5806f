//! # zkstatus-prover
//!
//! Keys, credentials, proofs and file formats for zkstatus.
//!
//! - [`keys`]: Groth16 setup and key files (the verifying-key file format is
//!   shared with the verifiers in `zkstatus_verifier`).
//! - [`issuer`]: validate and sign records into [`credential::Credential`]s.
//! - [`holder`]: check a credential's status locally, and prove it
//!   (statement v2: the issuer hidden in a registry, [`holder::v2`]).
//! - [`groth16`]: Groth16 proving phase by phase (witness map, the five
//!   MSMs, the blinding): the one proof-assembly path, which
//!   [`holder`], [`split`] and the breakdown tool in `zkstatus-benches` call.
//! - [`qap`]: snarkjs's R1CS-to-QAP reduction, the one reduction of every
//!   key the project makes or imports, and of [`groth16`]'s witness map.
//! - [`msm`]: the batch-affine Pippenger MSM (BN254 G1 and G2) the five
//!   MSMs of [`groth16`] can run on.
//! - [`files`]: the JSON formats (policy, keys, secrets).
//! - [`snarkjs`]: export a proof for snarkjs, an independent verifier.
//! - [`ceremony`]: keys from a snarkjs multi-party ceremony: the
//!   statement out as `.r1cs`, a `.zkey` in, parsed strictly.
//! - [`split`]: one proof computed by two workers without shared memory
//!   (two Web Workers): the main worker's job and the helper's task and
//!   part, each worker running its phases of [`groth16`].
//!
//! Verification is `zkstatus_verifier::v2::{Verifier, Gate}`, re-exported
//! here as [`Verifier`] and [`Gate`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

pub mod ceremony;
pub mod credential;
pub mod files;
pub mod groth16;
pub mod holder;
pub mod issuer;
pub mod keys;
pub mod msm;
pub mod qap;
pub mod snarkjs;
pub mod split;

pub use zkstatus_circuits as circuits;
pub use zkstatus_verifier::v2::{payload::PayloadV2, Gate, Verifier};
pub use zkstatus_verifier::{Rejection, VerifyError};
