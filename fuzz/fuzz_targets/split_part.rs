//! `HelperPart::from_bytes` (the split prover's answer, between a page's
//! two workers; docs/formats.md).
//!
//! Property: a decoded part re-encodes to exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_prover::split::HelperPart;

fuzz_target!(|data: &[u8]| {
    let Ok(p) = HelperPart::from_bytes(data) else {
        return;
    };
    check!(
        p.to_bytes() == data,
        "not canonical: re-encodes differently"
    );
    check!(
        HelperPart::from_bytes(&p.to_bytes()).as_ref() == Ok(&p),
        "re-encoded part decodes differently"
    );
});
