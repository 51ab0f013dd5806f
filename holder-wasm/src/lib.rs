//! # zkstatus-holder-wasm
//!
//! The holder's side of zkstatus for the browser: the same status check and
//! Groth16 prover as the native tools (`zkstatus_prover::holder`), compiled
//! to `wasm32-unknown-unknown`, with a proving key accepted only if its file
//! matches a pinned fingerprint. Nothing leaves the device: no server round
//! trip, randomness from the browser's `crypto.getRandomValues`.
//!
//! - [`key`]: the pinned proving key ([`key::PinnedProvingKey`]): the
//!   fingerprint is the SHA-256 of the file, checked before any parsing.
//! - [`holder`]: a credential with its holder secret ([`holder::Holder`]):
//!   local status, proving, and the JSON the JavaScript API returns.
//! - [`input`]: strict parsing of times, challenges and pins.
//! - `wasm` (only on `target_family = "wasm"`): the wasm-bindgen exports.
//!   They take only strings, byte slices and numbers; the npm package's
//!   wrapper (`holder-wasm/npm/`) checks JavaScript types and sizes first.
//!
//! Nomenclature: *proving key* (`zkstatus.pk`, ~1 MB, public), *pin* (its
//! expected SHA-256, shipped with the page), *credential* (the issuer's
//! signed record), *holder secret* (never leaves the device), *policy* and
//! *challenge* (the venue's `ZKC2:` offer), *payload* (the 146-byte
//! interactive or 178-byte one-scan presentation, or its `ZKS2:` text form for
//! QR codes).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

pub mod holder;
pub mod input;
pub mod key;

#[cfg(target_family = "wasm")]
mod wasm;
