//! `Payload::from_bytes` (binary payload, docs/formats.md).
//!
//! Properties: a decoded payload re-encodes to exactly the input (one
//! encoding per value), and its text form decodes to the same payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::payload::{Payload, PAYLOAD_BYTES};

fuzz_target!(|data: &[u8]| {
    let Ok(p) = Payload::from_bytes(data) else {
        return;
    };
    check!(data.len() == PAYLOAD_BYTES, "accepted {} bytes", data.len());
    check!(
        p.to_bytes()[..] == *data,
        "not canonical: re-encodes differently"
    );
    check!(
        Payload::from_text(&p.to_text()).as_ref() == Ok(&p),
        "text form does not decode to the same payload"
    );
});
