//! Native verification time on a statement-v2 test set, to compare with the
//! WASM build (`npm run bench` in `verifier-wasm/npm`).
//!
//! `cargo run --release -p zkstatus-verifier-wasm --example bench DIR [N]`,
//! where DIR is a set made by `cargo run --release -p zkstatus-holder-wasm
//! --example fixture_v2 -- DIR`, prints the median and mean of N (default
//! 200) verifications of its interactive payload (each by a fresh copy of
//! one gate that issued the payload's challenge), and the time to build a
//! gate (verify the registry bundle, parse the files, decode and prepare
//! the verifying key), as JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;
use zkstatus_verifier_wasm::verifier::{Gate, Kind, Options, PayloadInput, TrustedRoots};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: bench DIR [N]");
    let n: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().expect("N"))
        .unwrap_or(200);
    let read = |name: &str| std::fs::read(format!("{dir}/{name}")).expect(name);
    let text = |name: &str| String::from_utf8(read(name)).expect("utf-8");
    let fixture: serde_json::Value = serde_json::from_str(&text("fixture.json")).expect("json");
    let field = |k: &str| fixture[k].as_str().expect(k).to_owned();
    let (vk, bundle, trust, policy) = (
        read("zkstatus.vk"),
        read("registry.bundle"),
        text("trust.json"),
        text("policy.json"),
    );
    let payload = read("interactive.bin");
    let origin = field("origin");
    let options = Options {
        origin: &origin,
        ..Options::default()
    };
    let now = field("now");
    let registry = || TrustedRoots::from_bundle(&bundle, &trust, &now).expect("registry bundle");
    let nonce: [u8; 32] = hex::decode(field("nonce"))
        .expect("hex")
        .try_into()
        .expect("32");
    let later = (now.parse::<u64>().expect("now") + 1).to_string();

    let mut setup = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let g = Gate::new(&vk, registry(), &policy, &options).expect("gate");
        setup.push(t.elapsed().as_secs_f64() * 1e3);
        drop(g);
    }
    let gate = Gate::new(&vk, registry(), &policy, &options).expect("gate");
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let mut g = gate.clone();
        g.issue(&now, &nonce).expect("issue");
        let t = Instant::now();
        let v = g
            .verify_input(PayloadInput::Bytes(&payload), &later)
            .expect("inputs");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(v.kind, Kind::Accept, "{v:?}");
    }
    let mean = times.iter().sum::<f64>() / n as f64;
    println!(
        "{}",
        serde_json::json!({
            "target": "native",
            "runs": n,
            "verify_median_ms": median(times),
            "verify_mean_ms": mean,
            "setup_median_ms": median(setup),
        })
    );
}
