//! The transparency log's checkpoints and keys (`log/src/note.rs`):
//! `note::open_checkpoint` (a c2sp.org/signed-note note holding a
//! c2sp.org/tlog-checkpoint, with c2sp.org/tlog-cosignature cosignatures),
//! `LogPublicKey::parse` and `WitnessPublicKey::parse`. The first byte
//! picks: 0–1, a checkpoint needing that many cosignatures from the fixture
//! log's witness (`zkstatus_fuzz::log`); 2, a log key; 3, a witness key.
//!
//! Properties: a checkpoint that opens carries exactly the text the
//! fixture's log signed (signatures cannot be forged, so nothing else may
//! open), its size and hash, and — where a cosignature is required — the
//! fixture witness's cosignature at its time; no more than
//! `MAX_CHECKPOINT_BYTES` is read by the audit, so longer inputs are cut.
//! A key that parses prints as its input less surrounding whitespace and
//! parses again to the same name and id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zkstatus_fuzz::check;
use zkstatus_fuzz::log::{fixture, Fixture, COSIGNED_AT, WITNESS};
use zkstatus_log::note::open_checkpoint;
use zkstatus_log::tiles::MAX_CHECKPOINT_BYTES;
use zkstatus_log::{LogPublicKey, WitnessPublicKey};

fn log() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(fixture)
}

fuzz_target!(|data: &[u8]| {
    let Some((&form, data)) = data.split_first() else {
        return;
    };
    let f = log();
    match form {
        0 | 1 => {
            let data = &data[..data.len().min(MAX_CHECKPOINT_BYTES)];
            let min = usize::from(form);
            let Ok(o) = open_checkpoint(data, &f.log_key, std::slice::from_ref(&f.witness), min)
            else {
                return;
            };
            check!(
                data.starts_with(&f.text) && data.get(f.text.len()) == Some(&b'\n'),
                "a checkpoint opened whose text the log never signed"
            );
            check!(o.size() == f.entries.len() as u64, "size {}", o.size());
            check!(o.cosignatures.len() >= min, "too few cosignatures");
            for (name, at) in &o.cosignatures {
                check!(
                    name == WITNESS && *at == COSIGNED_AT,
                    "a cosignature the witness never made: {name} at {at}"
                );
            }
        }
        2 | 3 => {
            let Ok(text) = core::str::from_utf8(data) else {
                return;
            };
            let trimmed = text.trim();
            if form == 2 {
                let Ok(k) = LogPublicKey::parse(text) else {
                    return;
                };
                check!(k.as_str() == trimmed, "the log key prints differently");
                let again = LogPublicKey::parse(k.as_str());
                check!(
                    again.as_ref().map(|a| a.origin()) == Ok(k.origin()),
                    "the log key does not parse again"
                );
            } else {
                let Ok(k) = WitnessPublicKey::parse(text) else {
                    return;
                };
                check!(k.as_str() == trimmed, "the witness key prints differently");
                let again = WitnessPublicKey::parse(k.as_str());
                check!(
                    again.as_ref().map(|a| (a.name(), a.id())) == Ok((k.name(), k.id())),
                    "the witness key does not parse again"
                );
            }
        }
        _ => {}
    }
});
