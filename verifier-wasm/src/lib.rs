//! # zkstatus-verifier-wasm
//!
//! A statement-v2 gate for the browser. It depends on `zkstatus-circuits`
//! *without* the `r1cs` feature, so it never links the proving stack, and it
//! verifies with the same `zkstatus_verifier::v2::Gate` as the native tools:
//! one implementation, two targets.
//!
//! - [`verifier`]: configuration (the version-2 verifying-key file, and the
//!   registry roots and policy parsed by `zkstatus_verifier`, the same
//!   parsers the native tools use), strict parsing of the caller's inputs and
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
