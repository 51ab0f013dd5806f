//! `lines::Lines::next_line` (the gate daemon's scanner input,
//! `gate/src/lines.rs`, docs/formats.md "Gate verdict lines"), through a
//! `BufReader` whose capacity is the first byte (1–64), so that lines
//! cross many buffer refills.
//!
//! Properties: differential against a plain model of the rules — lines end
//! at `\n`, one `\r` before it is dropped, a final line without `\n` counts,
//! a line over `MAX_LINE_BYTES` (after dropping the `\r`) is `TooLong`;
//! no returned line exceeds the cap; the reader ends after the last line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::BufReader;
use zkstatus_fuzz::check;
use zkstatus_gate::lines::{Line, Lines, MAX_LINE_BYTES};

fn model(input: &[u8]) -> Vec<Line> {
    if input.is_empty() {
        return vec![];
    }
    let body = input.strip_suffix(b"\n").unwrap_or(input);
    body.split(|b| *b == b'\n')
        .map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if l.len() > MAX_LINE_BYTES {
                Line::TooLong
            } else {
                Line::Bytes(l.to_vec())
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&cap, input)) = data.split_first() else {
        return;
    };
    let mut lines = Lines::new(BufReader::with_capacity(1 + usize::from(cap % 64), input));
    let mut got = vec![];
    loop {
        match lines.next_line() {
            Ok(Some(l)) => {
                if let Line::Bytes(b) = &l {
                    check!(b.len() <= MAX_LINE_BYTES, "a line of {} bytes", b.len());
                }
                got.push(l);
                check!(got.len() <= input.len() + 1, "more lines than bytes");
            }
            Ok(None) => break,
            Err(e) => zkstatus_fuzz::fail(&format!("reading a slice failed: {e}")),
        }
    }
    check!(
        matches!(lines.next_line(), Ok(None)),
        "a line after the end"
    );
    check!(got == model(input), "lines differ from the model");
});
