//! The registry bundle (`verifier/src/bundle.rs`, `ZKRB` v1) and its trust
//! configuration: `RegistryBundle::from_bytes`, `RegistryBundle::verify`
//! and `BundleTrust::from_json`, the offline check every gate, page and
//! holder runs on bytes fetched from anywhere. The first byte picks: 0, a
//! bundle checked against the fixture's trust at a clock the next 2 bytes
//! set (seconds after the cosignature, up to 65,535, so both fresh and
//! aged-out are reached); 1, a trust configuration's JSON.
//!
//! Properties: no panic; a bundle that decodes encodes to the same bytes
//! (one encoding per bundle); a bundle that verifies gives exactly the
//! roots the fixture's log published (its signatures cannot be forged) at
//! the fixture's cosignature time, and only while fresh; a trust file never
//! panics the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zkstatus_fuzz::check;
use zkstatus_fuzz::log::{bundle_fixture, BundleFixture, BUNDLE_MAX_AGE, COSIGNED_AT};
use zkstatus_verifier::bundle::{BundleTrust, RegistryBundle};

fn fixture() -> &'static (BundleFixture, BundleTrust) {
    static F: OnceLock<(BundleFixture, BundleTrust)> = OnceLock::new();
    F.get_or_init(|| {
        let f = bundle_fixture();
        let t = BundleTrust::from_json(&f.trust_json)
            .unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("fixture trust: {e}")));
        (f, t)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&form, data)) = data.split_first() else {
        return;
    };
    let (f, trust) = fixture();
    match form {
        0 => {
            let Some((clock, bytes)) = data.split_at_checked(2) else {
                return;
            };
            let after = u64::from(u16::from_be_bytes([clock[0], clock[1]]));
            let Ok(b) = RegistryBundle::from_bytes(bytes) else {
                return;
            };
            check!(
                b.to_bytes().as_deref() == Ok(bytes),
                "a bundle decodes but encodes differently"
            );
            let Ok(v) = b.verify(trust, COSIGNED_AT + after) else {
                return;
            };
            check!(after <= BUNDLE_MAX_AGE, "an aged-out bundle verified");
            check!(
                v.cosigned_at == COSIGNED_AT,
                "cosigned at {}",
                v.cosigned_at
            );
            let got = v.roots.roots();
            check!(
                !got.is_empty() && f.roots.ends_with(got),
                "a bundle verified with roots the log never published as its last"
            );
        }
        1 => {
            let Ok(text) = core::str::from_utf8(data) else {
                return;
            };
            // No panic, and no allocation beyond the JSON parser's own
            // (the CLI caps the file at 16 KiB before parsing).
            let _ = BundleTrust::from_json(text);
        }
        _ => {}
    }
});
