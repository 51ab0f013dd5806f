//! # zkstatus-circuits
//!
//! The zkstatus statement and the primitives it is built from, each
//! natively and, behind the `r1cs` feature, as an R1CS gadget beside it:
//!
//! - [`poseidon`]: circomlib's `Poseidon(n)` over BN254 `Fr`.
//! - [`babyjubjub`]: the BabyJubJub curve in circomlib's coordinates.
//! - [`eddsa`]: circomlibjs-compatible EdDSA-Poseidon on BabyJubJub.
//! - [`bits`]: range checks and comparisons.
//! - `lc` (with `r1cs`): linear combinations built once, so that
//!   `finalize` has little to inline.
//! - [`record`]: a credential's record and its commitment.
//! - [`registry`]: the accredited-issuer registry, a 4-ary Poseidon Merkle
//!   tree of issuer keys and their validity windows.
//! - [`statement`]: the public inputs, the status policy, the native
//!   status check and (with `r1cs`) the circuit that proves it.
//!
//! Verifying (the payload, the verifying key, the gate) lives in the
//! `zkstatus-verifier` crate, which depends on this one without `r1cs`.
//!
//! Nomenclature follows `docs/circuit.md`: `p` is the BN254 scalar field
//! modulus (the circuit's field), `l` the prime order of BabyJubJub's
//! subgroup, `C` the record commitment, `(A, R8, S)` an issuer key and
//! signature, `hm` the EdDSA challenge hash, `root` the registry root.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![deny(rustdoc::broken_intra_doc_links)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod babyjubjub;
pub mod bits;
pub mod eddsa;
#[cfg(feature = "r1cs")]
pub mod lc;
pub mod poseidon;
pub mod record;
pub mod registry;
pub mod statement;
