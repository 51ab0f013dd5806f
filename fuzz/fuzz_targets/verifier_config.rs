//! The browser verifier's configuration, `zkstatus_verifier_wasm::verifier::
//! Verifier::new(vk_file, trust_list_json, policy_json, options)`: the
//! verifying-key file, the trust list and the policy together.
//!
//! Input: a selector byte, then the bytes of one of the three files (the
//! other two are the fixture's) or of the options (max skew, pin).
//!
//! Properties: a configuration is accepted exactly when each file decodes
//! on its own (and the pin, if any, matches); the verifier's fingerprint is
//! the key's; a configuration built from a mutated file that decodes to
//! other values never accepts the fixture's payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::{
    check, fixture_challenge, FIXTURE_NOW, FIXTURE_PAYLOAD, FIXTURE_POLICY, FIXTURE_TRUST_LIST,
    FIXTURE_VK,
};
use zkstatus_verifier::config::{policy_from_json, trust_list_from_json};
use zkstatus_verifier::vk_from_file;
use zkstatus_verifier_wasm::verifier::{Options, Verifier};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let (mut vk, mut trust, mut policy) = (FIXTURE_VK, FIXTURE_TRUST_LIST, FIXTURE_POLICY);
    let mut options = Options::default();
    match which % 4 {
        0 => vk = rest,
        1 | 2 => {
            let Ok(text) = core::str::from_utf8(rest) else {
                return;
            };
            if which % 4 == 1 {
                trust = text;
            } else {
                policy = text;
            }
        }
        _ => {
            // Options: 8 bytes of max skew (0xff.. = none), then a pin.
            if let Some(skew) = rest.get(..8) {
                let mut b = [0u8; 8];
                b.copy_from_slice(skew);
                let s = u64::from_le_bytes(b);
                options.max_skew_secs = (s != u64::MAX).then_some(s);
            }
            if let Some(pin) = rest.get(8..40) {
                let mut p = [0u8; 32];
                p.copy_from_slice(pin);
                options.pinned_vk_fingerprint = Some(p);
            }
        }
    }
    let built = Verifier::new(vk, trust, policy, &options);
    let parts = (
        vk_from_file(vk),
        trust_list_from_json(trust),
        policy_from_json(policy),
    );
    let each_ok = parts.0.is_ok() && parts.1.is_ok() && parts.2.is_ok();
    let pin_ok = match (&parts.0, &options.pinned_vk_fingerprint) {
        (Ok(k), Some(pin)) => k.fingerprint() == *pin,
        _ => true,
    };
    check!(
        built.is_ok() == (each_ok && pin_ok),
        "Verifier::new is {:?} but the parts decode: {each_ok}, pin {pin_ok}",
        built.as_ref().err()
    );
    let (Ok(v), (Ok(key), Ok(list), Ok(pol))) = (built, parts) else {
        return;
    };
    check!(v.fingerprint_hex().len() == 64, "fingerprint length");
    check!(
        v.issuers() == list.as_slice(),
        "issuers differ from the trust list"
    );
    // Binding: the fixture's payload (checked at its own time, so any clock
    // tolerance passes) verifies exactly under the fixture's key and policy
    // and a trust list that trusts its issuer.
    let same = vk_from_file(FIXTURE_VK).as_ref() == Ok(&key)
        && policy_from_json(FIXTURE_POLICY) == Ok(pol)
        && trust_list_from_json(FIXTURE_TRUST_LIST).is_ok_and(|f| {
            f.iter()
                .all(|i| list.iter().any(|j| j.public_key == i.public_key))
        });
    let verdict = v.verify_bytes(FIXTURE_PAYLOAD, FIXTURE_NOW, &fixture_challenge());
    check!(
        verdict.ok == same,
        "fixture payload verdict {:?} under a configuration that is {}the fixture's",
        verdict.code,
        if same { "" } else { "not " }
    );
});
