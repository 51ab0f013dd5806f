//! `Credential::from_json` (the credential file, docs/formats.md).
//!
//! Properties: the re-encoded credential decodes to the same credential,
//! and encoding is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_prover::credential::Credential;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(c) = Credential::from_json(text) else {
        return;
    };
    let json = c.to_json();
    match Credential::from_json(&json) {
        Ok(d) => {
            check!(d == c, "re-encoded credential decodes differently");
            check!(d.to_json() == json, "encoding is not a fixed point");
        }
        Err(e) => zkstatus_fuzz::fail(&format!("re-encoded credential refused: {e}")),
    }
    // The signature is decoded, not verified: checking it must not panic.
    let _ = c.verify_signature();
});
