//! Native verdicts for the WASM agreement test (`npm/test/native.test.mjs`).
//!
//! `verdicts VK TRUST_LIST POLICY` reads one JSON case per line on stdin,
//! `{"bytes": "<hex>" | "text": "...", "now": "...", "challenge": "..."}`,
//! and prints one line per case: the verdict JSON exactly as the WASM build
//! returns it, or `{"error": "..."}` for an input the API throws on. Both
//! builds run the same `Verifier` code, compiled for two targets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::Deserialize;
use std::io::{BufRead, Write};
use zkstatus_verifier_wasm::verifier::{Options, PayloadInput, Verifier};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    bytes: Option<String>,
    text: Option<String>,
    now: String,
    challenge: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: verdicts VK TRUST_LIST POLICY < cases.jsonl");
        std::process::exit(2);
    }
    let vk = std::fs::read(&args[1]).expect("read the verifying key");
    let trust = std::fs::read_to_string(&args[2]).expect("read the trust list");
    let policy = std::fs::read_to_string(&args[3]).expect("read the policy");
    let verifier =
        Verifier::new(&vk, &trust, &policy, &Options::default()).expect("configure the verifier");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(&line).expect("a case");
        let bytes = case.bytes.as_deref().map(|h| hex::decode(h).expect("hex"));
        let input = match (&bytes, &case.text) {
            (Some(b), None) => PayloadInput::Bytes(b),
            (None, Some(t)) => PayloadInput::Text(t),
            _ => panic!("a case has exactly one of bytes, text"),
        };
        let result = match verifier.verify_input(input, &case.now, &case.challenge) {
            Ok(v) => v.to_json(),
            Err(e) => serde_json::json!({ "error": e.to_string() }).to_string(),
        };
        writeln!(out, "{result}").expect("write stdout");
    }
}
