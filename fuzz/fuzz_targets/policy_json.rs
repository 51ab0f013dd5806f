//! `policy_from_json` (the policy file, docs/formats.md).
//!
//! Properties: a decoded policy's JSON decodes to the same policy, and
//! encoding is a fixed point (decode, encode, decode, encode: same text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::config::{policy_from_json, policy_to_json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(p) = policy_from_json(text) else {
        return;
    };
    let json = policy_to_json(&p);
    check!(
        policy_from_json(&json) == Ok(p),
        "re-encoded policy decodes differently"
    );
});
