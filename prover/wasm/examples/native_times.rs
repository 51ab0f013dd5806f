//! Native timings of what the package does, for comparison with the WASM
//! build (`npm/bench/prove.mjs`): pinned key loading (hash, then full point
//! validation) and proving (median of N after a warm-up).
//!
//! ```sh
//! target/release/zkstatus demo --dir /tmp/zks-demo --force --no-qr
//! cargo run --release -p zkstatus-holder-wasm --example native_times -- /tmp/zks-demo 10
//! ```
//!
//! With `--features unstable-bench` it also times the candidate speed-ups
//! (`src/experiment.rs`) phase by phase.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Instant, SystemTime, UNIX_EPOCH};
use zkstatus_holder_wasm::holder::{Holder, ProveOutcome};
use zkstatus_holder_wasm::input::parse_challenge;
use zkstatus_holder_wasm::key::{pk_fingerprint, PinnedProvingKey};
use zkstatus_prover::files::policy_from_json;

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
    let challenge = parse_challenge(&format!("{:064x}", 7)).expect("challenge");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();

    let mut times = Vec::new();
    for i in 0..=n {
        let t = Instant::now();
        let out = holder.prove(&key, &policy, now, &challenge).expect("prove");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        assert!(matches!(out, ProveOutcome::Proved(_)), "not green");
        if i > 0 {
            times.push(ms);
        }
    }
    println!("prove (native, 1 thread): {}", summary(&mut times));

    #[cfg(feature = "unstable-bench")]
    experiments(&pk_file, &holder, &policy, now, &challenge, n);
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

#[cfg(feature = "unstable-bench")]
fn experiments(
    pk_file: &[u8],
    holder: &Holder,
    policy: &zkstatus_prover::circuits::statement::StatusPolicy,
    now: u64,
    challenge: &zkstatus_prover::circuits::statement::Challenge,
    n: usize,
) {
    use zkstatus_holder_wasm::experiment::{
        assignment_stats, matrices, parse_unchecked, prove_phased,
    };
    let t = Instant::now();
    let pk = parse_unchecked(pk_file).expect("parse");
    println!(
        "parse without validation: {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let m = matrices().expect("matrices");
    println!("matrices once: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let pvk = zkstatus_prover::keys::vk_from_ark(&pk.vk)
        .expect("vk")
        .prepare();
    let (credential, secret) = holder.parts();
    let [zero, one, small, big] =
        assignment_stats(credential, secret, policy, now, challenge).expect("stats");
    println!("assignment: {zero} zero, {one} one, {small} other < 2^64, {big} larger");
    let mut rng = zkstatus_holder_wasm::holder::platform_rng().expect("rng");
    for (name, mats, check) in [
        (
            "matrices per proof (as Groth16::prove), self-check",
            None,
            Some(&pvk),
        ),
        ("precomputed matrices, self-check", Some(&m), Some(&pvk)),
        ("precomputed matrices, no self-check", Some(&m), None),
    ] {
        let mut totals = Vec::new();
        let mut last = None;
        for i in 0..=n {
            let (_, ph) = prove_phased(
                &pk, mats, check, credential, secret, policy, now, challenge, &mut rng,
            )
            .expect("prove");
            if i > 0 {
                totals.push(ph.total);
                last = Some(ph);
            }
        }
        println!(
            "{name}: {}; last: {:?}",
            summary(&mut totals),
            last.expect("n > 0")
        );
    }
}
