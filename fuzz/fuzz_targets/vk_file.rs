//! `vk_from_file` and `vk_from_pinned_file` (the verifying-key file,
//! docs/formats.md).
//!
//! Properties: a decoded key re-encodes to exactly the input; the pinned
//! decoder, given the pin of the input's own body, returns exactly what the
//! unpinned one does (accept or the same error); any other pin is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::{check, sha256};
use zkstatus_verifier::groth16::VerifyingKey;
use zkstatus_verifier::{vk_from_file, vk_from_pinned_file, vk_to_file, KeyFileError};

fuzz_target!(|data: &[u8]| {
    let plain = vk_from_file(data);
    let pin = sha256(data.get(37..).unwrap_or_default());
    let pinned = vk_from_pinned_file(data, &pin);
    check!(
        plain == pinned,
        "pinned and unpinned decoders differ: {plain:?} / {pinned:?}"
    );
    if let Ok(vk) = plain {
        check!(
            vk_to_file(&vk) == data,
            "not canonical: re-encodes differently"
        );
        check!(
            vk.fingerprint() == pin,
            "fingerprint is not SHA-256 of the body"
        );
        check!(
            VerifyingKey::from_bytes(&vk.to_bytes()).as_ref() == Ok(&vk),
            "body does not decode to the same key"
        );
        let mut other = pin;
        other[0] ^= 1;
        check!(
            matches!(
                vk_from_pinned_file(data, &other),
                Err(KeyFileError::NotPinned { .. })
            ),
            "a key is accepted under another pin"
        );
    }
});
