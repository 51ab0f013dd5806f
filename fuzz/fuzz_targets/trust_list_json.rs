//! `trust_list_from_json` (the trust list, docs/formats.md).
//!
//! Properties: 1 to MAX_TRUSTED_ISSUERS issuers, every name safe to print
//! (`check_display_name`, finding F-2) and at most 128 characters; the
//! re-encoded list decodes to the same list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::config::{
    check_display_name, trust_list_from_json, trust_list_to_json, MAX_TRUSTED_ISSUERS,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(list) = trust_list_from_json(text) else {
        return;
    };
    check!(
        (1..=MAX_TRUSTED_ISSUERS).contains(&list.len()),
        "{} issuers accepted",
        list.len()
    );
    for i in &list {
        check!(
            check_display_name(&i.name).is_ok(),
            "unsafe name {:?}",
            i.name
        );
        check!(i.name.chars().count() <= 128, "long name accepted");
    }
    let json = trust_list_to_json(&list);
    check!(
        trust_list_from_json(&json).as_ref() == Ok(&list),
        "re-encoded trust list decodes differently"
    );
});
