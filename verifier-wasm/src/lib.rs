//! # zkstatus-verifier-wasm
//!
//! Proof verification for the browser. It depends on `zkstatus-circuits`
//! *without* the `r1cs` feature, so it never links the proving stack.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use zkstatus_circuits::statement::{PublicInputs, N_PUBLIC_INPUTS};
