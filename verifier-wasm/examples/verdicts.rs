//! Native verdicts for the WASM agreement test (`npm/test/native.test.mjs`).
//!
//! `verdicts VK BUNDLE TRUST NOW POLICY OPTIONS` builds one gate, its roots
//! from the registry bundle verified at NOW (OPTIONS: JSON
//! `{origin, operator?, interactive?, oneScan?, ttlSecs?, maxLive?}`) and
//! reads one JSON operation per line on stdin:
//! `{"issue": {"now": "...", "random": "<64 hex>"}}` or
//! `{"verify": {"bytes": "<hex>" | "text": "...", "now": "..."}}`, and prints
//! one line per operation: the offer or verdict JSON exactly as the WASM
//! build returns it, or `{"error": "..."}` for an input the API throws on.
//! Both builds run the same `Gate` code, compiled for two targets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::Deserialize;
use std::io::{BufRead, Write};
use zkstatus_verifier_wasm::verifier::{Gate, Options, PayloadInput, TrustedRoots};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GateOptions {
    origin: String,
    operator: Option<String>,
    interactive: Option<bool>,
    one_scan: Option<bool>,
    ttl_secs: Option<String>,
    max_live: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
enum Op {
    Issue {
        now: String,
        random: String,
    },
    Verify {
        bytes: Option<String>,
        text: Option<String>,
        now: String,
    },
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 7 {
        eprintln!("usage: verdicts VK BUNDLE TRUST NOW POLICY OPTIONS_JSON < ops.jsonl");
        std::process::exit(2);
    }
    let vk = std::fs::read(&args[1]).expect("read the verifying key");
    let bundle = std::fs::read(&args[2]).expect("read the registry bundle");
    let trust = std::fs::read_to_string(&args[3]).expect("read the trust configuration");
    let registry =
        TrustedRoots::from_bundle(&bundle, &trust, &args[4]).expect("the registry bundle");
    let policy = std::fs::read_to_string(&args[5]).expect("read the policy");
    let o: GateOptions = serde_json::from_str(&args[6]).expect("the options");
    let options = Options {
        pinned_vk_fingerprint: None,
        origin: &o.origin,
        operator: o.operator.as_deref(),
        interactive: o.interactive,
        one_scan: o.one_scan,
        ttl_secs: o.ttl_secs.as_deref(),
        max_live: o.max_live,
    };
    let mut gate = Gate::new(&vk, registry, &policy, &options).expect("configure the gate");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let error =
        |e: &dyn std::fmt::Display| serde_json::json!({ "error": e.to_string() }).to_string();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Op>(&line).expect("an operation") {
            Op::Issue { now, random } => {
                let random: [u8; 32] = hex::decode(random).expect("hex").try_into().expect("32");
                match gate.issue(&now, &random) {
                    Ok(o) => serde_json::to_string(&o).expect("json"),
                    Err(e) => error(&e),
                }
            }
            Op::Verify { bytes, text, now } => {
                let bytes = bytes.as_deref().map(|h| hex::decode(h).expect("hex"));
                let input = match (&bytes, &text) {
                    (Some(b), None) => PayloadInput::Bytes(b),
                    (None, Some(t)) => PayloadInput::Text(t),
                    _ => panic!("a verify has exactly one of bytes, text"),
                };
                match gate.verify_input(input, &now) {
                    Ok(v) => v.to_json(),
                    Err(e) => error(&e),
                }
            }
        };
        writeln!(out, "{result}").expect("write stdout");
    }
}
