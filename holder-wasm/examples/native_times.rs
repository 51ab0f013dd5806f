//! Native timings of what the package does, for comparison with the WASM
//! build (`npm/bench/prove.mjs`): pinned key loading (hash, then full point
//! validation) and proving (median of N after a warm-up).
//!
//! ```sh
//! target/release/zkstatus demo --dir /tmp/zks-demo --force --no-qr
//! # or: cargo run --release -p zkstatus-holder-wasm --example fixture_v2 -- /tmp/zks-demo
//! cargo run --release -p zkstatus-holder-wasm --example native_times -- /tmp/zks-demo 10
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Instant, SystemTime, UNIX_EPOCH};
use zkstatus_holder_wasm::holder::{Holder, Material, ProveOutcome};
use zkstatus_holder_wasm::key::{pk_fingerprint, PinnedProvingKey};
use zkstatus_prover::files::policy_from_json;
use zkstatus_prover::holder::v2::Presentation;
use zkstatus_verifier::challenge::ChallengeBook;
use zkstatus_verifier::v2::offer::ChallengeOffer;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: native_times DIR [N]"));
    let n: usize = args.next().map_or(10, |s| s.parse().expect("N"));
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);
    let text = |name: &str| String::from_utf8(read(name)).expect(name);

    let pk_file = read("zkstatus.pk");
    let t = Instant::now();
    let pin = pk_fingerprint(&pk_file);
    let hash_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let key = PinnedProvingKey::load(&pk_file, &pin).expect("load");
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    println!("proving key: {} bytes, sha256 {hash_ms:.1} ms, load (hash + validated parse) {load_ms:.0} ms", pk_file.len());

    let holder =
        Holder::from_json(&text("credential.json"), &text("holder.secret")).expect("holder");
    let policy = policy_from_json(&text("policy.json")).expect("policy");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let mut material = Material::new(&text("roots.json")).expect("roots");
    // registry.bin and every registry-<epoch>.bin: the active root's is among them.
    for entry in std::fs::read_dir(&dir).expect("dir") {
        let name = entry
            .expect("dir")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with("registry") && name.ends_with(".bin") {
            material.add_registry(&read(&name)).expect("registry");
        }
    }
    let presentation = Presentation::Interactive(ChallengeOffer {
        challenge: ChallengeBook::derive("https://venue.example", now, &[7; 32]),
        issued_at: now,
    });

    let mut times = Vec::new();
    for i in 0..=n {
        let t = Instant::now();
        let out = holder
            .prove(&key, &policy, &material, &presentation)
            .expect("prove");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        assert!(matches!(out, ProveOutcome::Proved(_)), "not green");
        if i > 0 {
            times.push(ms);
        }
    }
    println!("prove (native, 1 thread): {}", summary(&mut times));
}

fn summary(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    format!(
        "median {:.0} ms, min {:.0} ms, max {:.0} ms over {}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    )
}
