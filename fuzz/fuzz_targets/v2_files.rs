//! Statement v2's small formats: the version-2 verifying-key file
//! (`vk2_from_file`, and behind a pin), the registry-roots JSON
//! (`AcceptedRoots::from_json`) and the `ZKC2:` challenge offer
//! (`ChallengeOffer::from_text`). The first byte picks the decoder.
//!
//! Properties: what decodes re-encodes to the input (the key file
//! byte for byte; the offer less surrounding whitespace; the roots to the
//! same value); the pinned key decoder agrees with the unpinned one; decoded
//! roots obey their rules (increasing epochs and activations).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::{check, sha256};
use zkstatus_verifier::v2::keyfile::{vk2_from_file, vk2_from_pinned_file, vk2_to_file};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::AcceptedRoots;

fuzz_target!(|data: &[u8]| {
    let Some((&which, data)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            let r = vk2_from_file(data);
            if let Ok((vk, qap)) = &r {
                check!(vk2_to_file(vk, *qap) == data, "key file not canonical");
            }
            if data.len() > 38 {
                let pin = sha256(&data[38..]);
                let pinned = vk2_from_pinned_file(data, &pin);
                check!(
                    pinned.is_ok() == r.is_ok(),
                    "pinned {:?} and unpinned {:?} disagree",
                    pinned.as_ref().err(),
                    r.as_ref().err()
                );
            }
        }
        1 => {
            let Ok(text) = core::str::from_utf8(data) else {
                return;
            };
            if let Ok(roots) = AcceptedRoots::from_json(text) {
                check!(
                    AcceptedRoots::from_json(&roots.to_json()).as_ref() == Ok(&roots),
                    "roots do not round-trip"
                );
                for w in roots.roots().windows(2) {
                    check!(
                        w[0].epoch < w[1].epoch && w[0].activates_at < w[1].activates_at,
                        "roots out of order"
                    );
                }
            }
        }
        _ => {
            let Ok(text) = core::str::from_utf8(data) else {
                return;
            };
            if let Ok(offer) = ChallengeOffer::from_text(text) {
                let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
                check!(offer.to_text() == trimmed, "offer not canonical");
            }
        }
    }
});
