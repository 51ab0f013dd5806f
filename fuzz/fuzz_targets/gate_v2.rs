//! `v2::Gate::verify` and `verify_text`, configured with the frozen
//! statement-v2 fixture's key, roots and policy, holding the fixture's
//! challenge (operator `metro.example` for one-scan passes).
//!
//! Input: 1 flag byte (bit 0: text form), 2 bytes of a signed offset added
//! to the fixture's time for the gate's clock, then the payload.
//!
//! Properties: only the fixture's own payloads (interactive, one-scan)
//! are accepted, each at a clock where its challenge or window is live;
//! binary and text give the same verdict; nothing the fuzzer makes
//! verifies (a forged or malleated proof would).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::{check, v2 as fx};
use zkstatus_verifier::v2::payload::PayloadV2;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some((off, payload)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let now = fx::NOW.saturating_add_signed(i64::from(i16::from_le_bytes(*off)));
    let text = flags & 1 != 0;
    let (result, decoded) = if text {
        let Ok(s) = core::str::from_utf8(payload) else {
            return;
        };
        let r = fx::gate().verify_text(s, now);
        let p = PayloadV2::from_text(s).ok();
        if let Some(p) = &p {
            let b = fx::gate().verify(&p.to_bytes(), now);
            check!(b == r, "text verdict {r:?}, binary verdict {b:?}");
        }
        (r, p)
    } else {
        (
            fx::gate().verify(payload, now),
            PayloadV2::from_bytes(payload).ok(),
        )
    };
    if result.is_ok() {
        let bytes = decoded.map(|p| p.to_bytes());
        check!(
            bytes.as_deref() == Some(fx::PAYLOAD) || bytes.as_deref() == Some(fx::PAYLOAD_ONESCAN),
            "accepted a payload that is not the fixture's"
        );
    }
});
