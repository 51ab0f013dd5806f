//! `Registry::from_bytes` (the accredited-issuer registry file,
//! verifier/src/registry.rs, docs/formats.md).
//!
//! Properties: a decoded registry re-encodes to exactly the input, every
//! name passes `validate_name`, and its Merkle root can be computed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::registry::{validate_name, Registry};

fuzz_target!(|data: &[u8]| {
    let Ok(r) = Registry::from_bytes(data) else {
        return;
    };
    check!(
        r.to_bytes() == data,
        "not canonical: re-encodes differently"
    );
    for e in r.entries() {
        check!(
            validate_name(&e.name).is_ok(),
            "invalid name accepted: {:?}",
            e.name
        );
    }
    check!(
        r.root().is_ok(),
        "decoded registry has no root: {:?}",
        r.root()
    );
});
