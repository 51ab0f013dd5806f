//! Native verification time on the frozen fixture, to compare with the WASM
//! build (`npm run bench` in `verifier-wasm/npm`).
//!
//! `cargo run --release -p zkstatus-verifier-wasm --example bench [N]`
//! prints the median and mean of N (default 200) verifications of the
//! fixture payload, and the time to build a verifier (parse the files,
//! decode and prepare the verifying key), as JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;
use zkstatus_verifier_wasm::verifier::{Kind, Options, PayloadInput, Verifier};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../prover/tests/fixtures/v1/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("utf-8")
}

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
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("N"))
        .unwrap_or(200);
    let vk = fixture("zkstatus.vk");
    let trust = text("trust-list.json");
    let policy = text("policy.json");
    let payload = fixture("payload.bin");
    let now = text("now.txt").trim().to_string();
    let challenge = text("challenge.txt").trim().to_string();

    let mut setup = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let v = Verifier::new(&vk, &trust, &policy, &Options::default()).expect("verifier");
        setup.push(t.elapsed().as_secs_f64() * 1e3);
        drop(v);
    }
    let verifier = Verifier::new(&vk, &trust, &policy, &Options::default()).expect("verifier");
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let v = verifier
            .verify_input(PayloadInput::Bytes(&payload), &now, &challenge)
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
