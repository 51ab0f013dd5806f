//! `Payload::from_text` (`ZKS1:` + base45, docs/formats.md) and the strict
//! base45 decoder under it.
//!
//! Properties: base45 accepts only canonical text (decode, encode: the same
//! text); a decoded text payload re-encodes to the input less surrounding
//! ASCII whitespace, and equals the binary decoding of its base45 body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::payload::{base45_decode, base45_encode, Payload, TEXT_PREFIX};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(bytes) = base45_decode(text) {
        check!(
            base45_encode(&bytes) == text,
            "base45 accepts non-canonical {text:?}"
        );
    }
    let decoded = Payload::from_text(text);
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    // Differential: the text decoder agrees with base45 + the binary decoder.
    let via_binary = trimmed
        .strip_prefix(TEXT_PREFIX)
        .and_then(|body| base45_decode(body).ok())
        .map(|bytes| Payload::from_bytes(&bytes));
    match (&decoded, &via_binary) {
        (Ok(p), Some(Ok(q))) => check!(p == q, "text and binary decodings differ"),
        (Ok(_), _) => zkstatus_fuzz::fail("text decodes, its base45 body does not"),
        (Err(_), Some(Ok(_))) => zkstatus_fuzz::fail("base45 body decodes, the text does not"),
        (Err(_), _) => {}
    }
    if let Ok(p) = decoded {
        check!(
            p.to_text() == trimmed,
            "not canonical: re-encodes differently"
        );
        check!(
            Payload::looks_like_text(trimmed.as_bytes()),
            "looks_like_text says no"
        );
    }
});
