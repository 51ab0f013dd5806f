//! # zkstatus-prover
//!
//! Keys, credentials, proofs and file formats for zkstatus. The statement
//! itself lives in `zkstatus-circuits`; this crate will hold Groth16 setup,
//! issuing, proving and the payload formats.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use zkstatus_circuits as circuits;
