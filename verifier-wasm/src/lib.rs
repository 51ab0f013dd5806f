//! # zkstatus-verifier-wasm
//!
//! Proof verification for the browser. It depends on `zkstatus-circuits`
//! *without* the `r1cs` feature, so it never links the proving stack, and it
//! verifies with the same `StatusVerifier` as the native tools: one
//! implementation, two targets.
//!
//! - [`verifier`]: configuration (the verifying-key file, and the trust list
//!   and policy parsed by `zkstatus_verifier::config`, the same
//!   parser the native tools use), strict parsing of the caller's inputs and
//!   the [`verifier::Verdict`]; plain Rust, tested on the host.
//! - `wasm` (only on `target_family = "wasm"`): the wasm-bindgen exports.
//!   They take only strings, byte slices and numbers; the npm package's
//!   JavaScript wrapper (`verifier-wasm/npm/`) checks JavaScript types and
//!   sizes before it calls them, so no caller-supplied object (getter,
//!   proxy, huge buffer) ever runs or allocates while WASM code is on the
//!   stack.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod verifier;

#[cfg(target_family = "wasm")]
mod wasm;

pub use zkstatus_circuits::statement::{PublicInputs, N_PUBLIC_INPUTS};
