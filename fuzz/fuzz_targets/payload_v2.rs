//! `PayloadV2::from_bytes` and `PayloadV2::from_text` (statement v2,
//! docs/formats.md "Payload, version 2"). The first byte picks the form.
//!
//! Properties: a decoded payload re-encodes to exactly the input (binary)
//! or to the input less surrounding ASCII whitespace (text); it has one of
//! the two lengths of its mode; its text and binary forms decode to the
//! same payload; the text decoder agrees with base45 + the binary decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::payload::base45_decode;
use zkstatus_verifier::v2::payload::{
    PayloadV2, PresentedMode, INTERACTIVE_BYTES, ONE_SCAN_BYTES, TEXT_PREFIX_V2,
};

fuzz_target!(|data: &[u8]| {
    let Some((&form, data)) = data.split_first() else {
        return;
    };
    if form & 1 == 0 {
        let Ok(p) = PayloadV2::from_bytes(data) else {
            return;
        };
        let expected = match p.mode {
            PresentedMode::Interactive => INTERACTIVE_BYTES,
            PresentedMode::OneScan { .. } => ONE_SCAN_BYTES,
        };
        check!(data.len() == expected, "accepted {} bytes", data.len());
        check!(
            p.to_bytes() == data,
            "not canonical: re-encodes differently"
        );
        check!(
            PayloadV2::from_text(&p.to_text()).as_ref() == Ok(&p),
            "text form does not decode to the same payload"
        );
    } else {
        let Ok(text) = core::str::from_utf8(data) else {
            return;
        };
        let decoded = PayloadV2::from_text(text);
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let via_binary = trimmed
            .strip_prefix(TEXT_PREFIX_V2)
            .and_then(|body| base45_decode(body).ok())
            .map(|bytes| PayloadV2::from_bytes(&bytes));
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
        }
    }
});
