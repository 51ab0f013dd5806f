//! The browser verifier's configuration, `zkstatus_verifier_wasm::verifier::
//! Gate::new(vk_file, roots, policy_json, options)` (statement v2): the
//! version-2 verifying-key file, the registry roots and the policy together.
//! The roots come from a roots file through the host-only
//! `TrustedRoots::from_roots_json_unverified` (the pages take them from a
//! registry bundle, whose parser `log_checkpoint` and the verifier's bundle
//! tests cover).
//!
//! Input: a selector byte, then the bytes of one of the three files (the
//! other two are the v2 fixture's) or of the options (ttl, pin).
//!
//! Properties: a configuration is accepted exactly when each file decodes
//! on its own, the pin (if any) matches and the ttl is at most 120 s; the
//! gate's fingerprint is the key's; a gate built from a mutated file that
//! decodes to other values never accepts the fixture's payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zkstatus_fuzz::{check, v2 as fx};
use zkstatus_verifier::config::policy_from_json;
use zkstatus_verifier::groth16::VerifyingKeyV2;
use zkstatus_verifier::v2::keyfile::{vk2_from_file, QapReduction};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::AcceptedRoots;
use zkstatus_verifier::KeyFileError;
use zkstatus_verifier_wasm::verifier::{Gate, Options, TrustedRoots};

type Decoded = Result<(VerifyingKeyV2, QapReduction), KeyFileError>;

/// `vk2_from_file` of the fixture's key, decoded once: three inputs in four
/// keep the fixture's key, and decoding it (three G2 subgroup checks) per
/// input was about three fifths of an execution's time (docs/security.md,
/// "Fuzzing"). `Gate::new` still decodes whatever key it is given.
fn fixture_key() -> &'static Decoded {
    static K: OnceLock<Decoded> = OnceLock::new();
    K.get_or_init(|| vk2_from_file(fx::VK))
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let (mut vk, mut roots, mut policy) = (fx::VK, fx::ROOTS, fx::POLICY);
    let mut ttl = String::from("90");
    let mut pin = None;
    match which % 4 {
        0 => vk = rest,
        1 | 2 => {
            let Ok(text) = core::str::from_utf8(rest) else {
                return;
            };
            if which % 4 == 1 {
                roots = text;
            } else {
                policy = text;
            }
        }
        _ => {
            // Options: 2 bytes of ttl, then 32 bytes of a pin.
            if let Some(t) = rest.get(..2) {
                ttl = u16::from_le_bytes([t[0], t[1]]).to_string();
            }
            if let Some(p) = rest.get(2..34) {
                pin = Some(hex::encode(p));
            }
        }
    }
    let options = Options {
        pinned_vk_fingerprint: pin.as_deref(),
        origin: "fuzz",
        ttl_secs: Some(&ttl),
        ..Options::default()
    };
    let built = TrustedRoots::from_roots_json_unverified(roots)
        .and_then(|r| Gate::new(vk, r, policy, &options));
    let decoded: Decoded;
    let key = if vk == fx::VK {
        fixture_key()
    } else {
        decoded = vk2_from_file(vk);
        &decoded
    };
    let parts_ok =
        key.is_ok() && AcceptedRoots::from_json(roots).is_ok() && policy_from_json(policy).is_ok();
    let pin_ok = match (key, &pin) {
        (Ok((k, _)), Some(p)) => hex::encode(k.fingerprint()) == *p,
        _ => true,
    };
    let ttl_ok = ttl.parse::<u64>().is_ok_and(|t| (1..=120).contains(&t));
    check!(
        built.is_ok() == (parts_ok && pin_ok && ttl_ok),
        "Gate::new is {:?} but the parts decode: {parts_ok}, pin {pin_ok}, ttl {ttl_ok}",
        built.as_ref().err()
    );
    let (Ok(mut g), Ok((k, _))) = (built, key) else {
        return;
    };
    check!(
        g.fingerprint_hex() == hex::encode(k.fingerprint()),
        "fingerprint is not the key's"
    );
    // The gate issued no challenge, so the fixture's payload can never be
    // accepted here, whatever the configuration.
    check!(
        ChallengeOffer::from_text(fx::OFFER).is_ok(),
        "the fixture's offer does not parse"
    );
    let verdict = g.verify_input(
        zkstatus_verifier_wasm::verifier::PayloadInput::Bytes(fx::PAYLOAD),
        &fx::NOW.to_string(),
    );
    if let Ok(v) = verdict {
        check!(
            !v.ok,
            "accepted a payload for a challenge the gate never issued"
        );
    }
});
