//! `MainKey::from_fast_form` and `HelperKey::from_fast_form` (a worker's
//! part of the proving key in its fast form, docs/formats.md; what a
//! browser keeps in Cache Storage).
//!
//! A random change cannot pass the form's trailing SHA-256, so the target
//! seals its input itself: the input is the form without its digest; the
//! target appends the digest and decodes under the form's own pin, part and
//! share. That reaches every check after the digest (format, pin, part,
//! counts, lengths, the unchecked point reads).
//!
//! Properties: a decoded form re-encodes to a form that decodes to the same
//! key (re-encoding is stable); the same bytes with their last byte changed
//! are refused as altered (the digest), never parsed; a form is never
//! accepted for another pin.
//!
//! Not a property: that a decoded form re-encodes to exactly its input.
//! The points are read with arkworks' validation off (prover/src/split/
//! cache.rs says why that is safe: the form is made only from a checked key
//! and bound to it by its digest), and then the sign flag of an uncompressed
//! point's `y` is not compared with `y` (checking it costs a field
//! conversion per coordinate, as much as the read). The fuzzer found this
//! on its first run; only someone who can write the page's storage can make
//! such a form, and they could replace the page's code there too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::{check, sha256};
use zkstatus_prover::split::{FastFormError, HelperKey, MainKey, Share, MAX_FAST_FORM_BYTES};

fuzz_target!(|body: &[u8]| {
    let mut sealed = body.to_vec();
    sealed.extend_from_slice(&sha256(body));
    let mut pin = [0u8; 32];
    if let Some(p) = body.get(8..40) {
        pin.copy_from_slice(p);
    }
    let share = body
        .get(6)
        .and_then(|b| Share::from_bits(*b))
        .unwrap_or(Share::DEFAULT);
    let mut other_pin = pin;
    other_pin[0] ^= 1;
    let mut altered = sealed.clone();
    if let Some(last) = altered.last_mut() {
        *last ^= 1;
    }
    let readable = sealed.len() <= MAX_FAST_FORM_BYTES && body.len() >= 60;
    if body.get(5) == Some(&1) {
        if let Ok(k) = MainKey::from_fast_form(&sealed, &pin, share) {
            let again = k.to_fast_form();
            match MainKey::from_fast_form(&again, &pin, share) {
                Ok(k2) => check!(
                    k2.to_fast_form() == again,
                    "main part: re-encoding is not stable"
                ),
                Err(e) => {
                    zkstatus_fuzz::fail(&format!("main part: its re-encoding is refused: {e}"))
                }
            }
            check!(
                MainKey::from_fast_form(&sealed, &other_pin, share).is_err(),
                "main part accepted for another pin"
            );
        }
        let r = MainKey::from_fast_form(&altered, &pin, share);
        check!(
            !readable || matches!(r, Err(FastFormError::Digest)),
            "an altered main part is not refused by its digest"
        );
    } else {
        if let Ok(k) = HelperKey::from_fast_form(&sealed, &pin, share) {
            let again = k.to_fast_form();
            match HelperKey::from_fast_form(&again, &pin, share) {
                Ok(k2) => check!(
                    k2.to_fast_form() == again,
                    "helper part: re-encoding is not stable"
                ),
                Err(e) => {
                    zkstatus_fuzz::fail(&format!("helper part: its re-encoding is refused: {e}"))
                }
            }
            check!(
                HelperKey::from_fast_form(&sealed, &other_pin, share).is_err(),
                "helper part accepted for another pin"
            );
        }
        let r = HelperKey::from_fast_form(&altered, &pin, share);
        check!(
            !readable || matches!(r, Err(FastFormError::Digest)),
            "an altered helper part is not refused by its digest"
        );
    }
});
