//! `issuer_key_from_json` and `holder_secret_from_json` (the two secret
//! files, docs/formats.md): the first input byte picks the decoder.
//!
//! Properties: a decoded file re-encodes to text that decodes to the same
//! value (compared by its encoding), and an error never echoes the input
//! (secret files: errors give positions and field names only).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_prover::files::{
    holder_secret_from_json, holder_secret_to_json, issuer_key_from_json, issuer_key_to_json,
    FormatError,
};

/// Whether `err` quotes a run of 16 or more hex digits of the input: a
/// secret value must never appear in an error. Field names (missing,
/// unknown, duplicate) and the `"format"` value are echoed by design.
fn leaks(text: &str, err: &FormatError) -> Option<String> {
    let msg = err.to_string();
    if matches!(err, FormatError::WrongFormat { .. }) || msg.contains("field `") {
        return None;
    }
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() >= 16)
        .find(|w| msg.contains(*w))
        .map(str::to_owned)
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = core::str::from_utf8(rest) else {
        return;
    };
    let reencoded = if which & 1 == 0 {
        issuer_key_from_json(text).map(|k| {
            let json = issuer_key_to_json(&k);
            let again = issuer_key_from_json(&json).map(|k| issuer_key_to_json(&k));
            (json, again)
        })
    } else {
        holder_secret_from_json(text).map(|s| {
            let json = holder_secret_to_json(&s);
            let again = holder_secret_from_json(&json).map(|s| holder_secret_to_json(&s));
            (json, again)
        })
    };
    match reencoded {
        Ok((json, again)) => check!(
            again.as_ref() == Ok(&json),
            "re-encoded secret file decodes differently"
        ),
        Err(e) => {
            if let Some(w) = leaks(text, &e) {
                zkstatus_fuzz::fail(&format!("a secret file's error echoes {w:?}"));
            }
        }
    }
});
