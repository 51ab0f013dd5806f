//! `HelperTask::from_bytes` (the split prover's task, between a page's two
//! workers; docs/formats.md).
//!
//! Property: a decoded task re-encodes to exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_prover::split::HelperTask;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = HelperTask::from_bytes(data) else {
        return;
    };
    check!(
        t.to_bytes() == data,
        "not canonical: re-encodes differently"
    );
});
