//! `ProvingKeyV2::from_file` and `ProvingKeyV2::from_pinned_file` (the
//! version-2 proving-key file, docs/formats.md "Key files, version 2").
//!
//! Properties: a decoded key re-encodes to exactly the input; a file the
//! validating decoder accepts is accepted, identically, by the pinned one
//! (which skips the subgroup checks) under its own pin; a wrong pin is
//! refused before anything is parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::{check, sha256};
use zkstatus_prover::keys::{KeyError, ProvingKeyV2 as ProvingKey};

fuzz_target!(|data: &[u8]| {
    let pin = sha256(data);
    let pinned = ProvingKey::from_pinned_file(data, &pin);
    let mut other = pin;
    other[0] ^= 1;
    check!(
        matches!(
            ProvingKey::from_pinned_file(data, &other),
            Err(KeyError::NotPinned { .. })
        ),
        "a file is parsed under another pin"
    );
    let Ok(pk) = ProvingKey::from_file(data) else {
        return;
    };
    check!(
        pk.to_file() == data,
        "not canonical: re-encodes differently"
    );
    match pinned {
        Ok(q) => check!(q.to_file() == data, "pinned decoder decodes differently"),
        Err(e) => zkstatus_fuzz::fail(&format!("validated file refused when pinned: {e}")),
    }
});
