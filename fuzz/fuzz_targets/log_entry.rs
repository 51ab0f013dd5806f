//! `LogEntry::from_bytes` and `tiles::decode_bundle` (the transparency
//! log's entries and entry bundles, `log/`, docs/formats.md "Transparency
//! log"). The first byte picks: even, one entry; odd, a bundle whose
//! expected width is the next two bytes (mod 300, so that widths past a
//! tile's 256 are tried too).
//!
//! Properties: an entry that decodes is at most `MAX_ENTRY_BYTES` and
//! re-encodes to exactly the input (one encoding per entry); replaying it
//! on an empty registry does not panic. A bundle that decodes gives exactly
//! `width` ≤ 256 entries, their encoding is a prefix of the input, the rest
//! of the input is whole entries (tlog-tiles lets a full tile stand for a
//! partial one), 256 at most in all; each of the `width` entries obeys the
//! entry properties.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_log::entry::MAX_ENTRY_BYTES;
use zkstatus_log::replay::Replay;
use zkstatus_log::tiles::{decode_bundle, encode_bundle, TILE_WIDTH};
use zkstatus_log::LogEntry;

fn entry(bytes: &[u8]) {
    let Ok(e) = LogEntry::from_bytes(bytes) else {
        return;
    };
    check!(
        bytes.len() <= MAX_ENTRY_BYTES,
        "accepted {} bytes",
        bytes.len()
    );
    check!(
        e.to_bytes() == bytes,
        "not canonical: {e:?} re-encodes differently"
    );
    let _ = Replay::default().apply(&e);
}

fuzz_target!(|data: &[u8]| {
    let Some((&form, data)) = data.split_first() else {
        return;
    };
    if form & 1 == 0 {
        entry(data);
        return;
    }
    let [w0, w1, data @ ..] = data else {
        return;
    };
    let width = usize::from(u16::from_be_bytes([*w0, *w1])) % 300;
    let Ok(entries) = decode_bundle(data, width, "tile/entries/000") else {
        return;
    };
    check!(
        entries.len() == width,
        "{} entries, not {width}",
        entries.len()
    );
    check!(width <= TILE_WIDTH as usize, "width {width} over a tile");
    let encoded = encode_bundle(entries.iter().copied());
    check!(
        data.starts_with(&encoded),
        "entries do not re-encode to the input"
    );
    // The rest is whole entries, and the bundle holds at most a tile's.
    let mut at = encoded.len();
    let mut total = width;
    while at < data.len() {
        let len = data
            .get(at..at + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])));
        let Some(len) = len.filter(|len| at + 2 + len <= data.len()) else {
            zkstatus_fuzz::fail("bytes after the last whole entry were accepted");
        };
        at += 2 + len;
        total += 1;
    }
    check!(
        total <= TILE_WIDTH as usize,
        "a bundle of {total} entries was accepted"
    );
    for e in entries {
        entry(e);
    }
});
