//! The zkstatus half of the side-by-side against snarkjs (`benches/peer/run.sh`).
//!
//! Loads a proving key once, then proves the same credential N times and
//! verifies the proof M times, and prints one JSON object:
//! `{constraints, prove_ms_median, prove_ms_all, verify_ms_median, pk_bytes,
//! vk_bytes, proof_bytes, …}` plus the public inputs as decimal strings, which
//! `run.sh` compares with snarkjs's public signals.
//!
//! ```sh
//! cargo run --release -p zkstatus-benches --example peer -- \
//!   --dir DEMO_DIR --now T --challenge HEX [--prove-runs 10] [--verify-runs 50] [--warmup 2]
//! ```
//!
//! `DEMO_DIR` holds what `zkstatus demo --dir DEMO_DIR` writes: `zkstatus.pk`,
//! `zkstatus.vk`, `credential.json`, `holder.secret`, `policy.json`.
//!
//! "Prove" is `zkstatus_prover::holder::prove`, what `zkstatus holder prove`
//! runs after loading the key: the native statement check, witness and
//! constraint synthesis, Groth16, and the self-check against the key's own
//! verifying key. "Verify" is `StatusVerifier::verify` on the payload bytes,
//! what a gate runs: payload decoding (every point checked) and the pairing
//! check; `verify_core_ms_median` is the pairing check alone on a decoded proof.
//! The prover's thread count is whatever arkworks was built with
//! (`RAYON_NUM_THREADS` applies when its `parallel` feature is on).
//!
//! Needs `zkstatus-prover` as a dependency of `zkstatus-benches`.

use std::path::{Path, PathBuf};
use std::time::Instant;
use zkstatus_circuits::statement::constraints::circuit_shape;
use zkstatus_circuits::statement::PublicInputs;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{challenge_from_hex, holder_secret_from_json, policy_from_json};
use zkstatus_prover::keys::ProvingKey;
use zkstatus_prover::{holder, StatusVerifier};
use zkstatus_verifier::groth16::PROOF_BYTES;
use zkstatus_verifier::vk_from_file;

type Result<T> = std::result::Result<T, String>;

struct Args {
    dir: PathBuf,
    now: u64,
    challenge: String,
    prove_runs: usize,
    verify_runs: usize,
    warmup: usize,
}

fn parse_args() -> Result<Args> {
    let mut dir = None;
    let mut now = None;
    let mut challenge = None;
    let (mut prove_runs, mut verify_runs, mut warmup) = (10, 50, 2);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |s: String| -> Result<usize> {
            s.parse::<usize>()
                .map_err(|_| format!("{flag}: expected a number, got {s:?}"))
        };
        match flag.as_str() {
            "--dir" => dir = Some(PathBuf::from(value()?)),
            "--now" => {
                let v = value()?;
                now = Some(v.parse::<u64>().map_err(|_| format!("--now: {v:?}"))?);
            }
            "--challenge" => challenge = Some(value()?),
            "--prove-runs" => prove_runs = number(value()?)?.max(1),
            "--verify-runs" => verify_runs = number(value()?)?.max(1),
            "--warmup" => warmup = number(value()?)?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args {
        dir: dir.ok_or("--dir DIR is required")?,
        now: now.ok_or("--now T is required")?,
        challenge: challenge.ok_or("--challenge HEX is required")?,
        prove_runs,
        verify_runs,
        warmup,
    })
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_text(dir: &Path, name: &str) -> Result<String> {
    String::from_utf8(read(dir, name)?).map_err(|_| format!("{name} is not UTF-8"))
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[m],
        _ => (s[m - 1] + s[m]) / 2.0,
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn round(x: f64) -> String {
    format!("{:.3}", x)
}

fn json_list(xs: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", xs.into_iter().collect::<Vec<_>>().join(", "))
}

fn run() -> Result<()> {
    let a = parse_args()?;
    let credential = Credential::from_json(&read_text(&a.dir, "credential.json")?)
        .map_err(|e| format!("credential.json: {e}"))?;
    let secret = holder_secret_from_json(&read_text(&a.dir, "holder.secret")?)
        .map_err(|e| format!("holder.secret: {e}"))?;
    let policy = policy_from_json(&read_text(&a.dir, "policy.json")?)
        .map_err(|e| format!("policy.json: {e}"))?;
    let challenge =
        challenge_from_hex(a.challenge.trim()).map_err(|e| format!("--challenge: {e}"))?;
    let pk_file = read(&a.dir, "zkstatus.pk")?;
    let vk_file = read(&a.dir, "zkstatus.vk")?;

    let shape = circuit_shape().map_err(|e| format!("circuit shape: {e}"))?;
    let t = Instant::now();
    let pk = ProvingKey::from_file(&pk_file).map_err(|e| format!("zkstatus.pk: {e}"))?;
    let pk_load_ms = ms(t);
    let vk = vk_from_file(&vk_file).map_err(|e| format!("zkstatus.vk: {e}"))?;
    if pk.verifying_key() != vk {
        return Err("zkstatus.pk and zkstatus.vk are not one key pair".into());
    }
    let verifier = StatusVerifier::new(&vk, vec![credential.issuer], policy)
        .map_err(|e| format!("verifier: {e}"))?;

    let prove = || {
        holder::prove(&pk, &credential, &secret, &policy, a.now, &challenge)
            .map_err(|e| format!("proving failed: {e}"))
    };
    for _ in 0..a.warmup {
        prove()?;
    }
    let mut prove_ms = Vec::with_capacity(a.prove_runs);
    let mut payload = None;
    for _ in 0..a.prove_runs {
        let t = Instant::now();
        let p = prove()?;
        prove_ms.push(ms(t));
        payload = Some(p);
    }
    let payload = payload.ok_or("no proof was made")?;
    let bytes = payload.to_bytes();

    let public_at = |now: u64| {
        PublicInputs {
            issuer: credential.issuer,
            now,
            policy,
            challenge,
        }
        .to_field_elements()
    };
    let public = public_at(a.now);
    let pvk = vk.prepare();
    if !pvk.verify(&public, &payload.proof) {
        return Err("the proof does not verify".into());
    }
    if pvk.verify(&public_at(a.now + 1), &payload.proof) {
        return Err("the proof verifies with `now` changed".into());
    }
    for _ in 0..a.warmup.min(a.verify_runs) {
        verifier
            .verify(&bytes, a.now, &challenge)
            .map_err(|e| format!("verification failed: {e}"))?;
    }
    let mut verify_ms = Vec::with_capacity(a.verify_runs);
    for _ in 0..a.verify_runs {
        let t = Instant::now();
        let r = verifier.verify(&bytes, a.now, &challenge);
        verify_ms.push(ms(t));
        r.map_err(|e| format!("verification failed: {e}"))?;
    }
    let mut verify_core_ms = Vec::with_capacity(a.verify_runs);
    for _ in 0..a.verify_runs {
        let t = Instant::now();
        let ok = pvk.verify(&public, &payload.proof);
        verify_core_ms.push(ms(t));
        if !ok {
            return Err("verification failed".into());
        }
    }

    let fields = [
        ("tool", "\"zkstatus\"".to_string()),
        (
            "rayon_num_threads",
            std::env::var("RAYON_NUM_THREADS")
                .map(|v| format!("{v:?}"))
                .unwrap_or_else(|_| "null".into()),
        ),
        ("constraints", shape.num_constraints.to_string()),
        (
            "public_inputs",
            (shape.num_instance_variables - 1).to_string(),
        ),
        ("prove_runs", a.prove_runs.to_string()),
        ("verify_runs", a.verify_runs.to_string()),
        ("pk_load_ms", round(pk_load_ms)),
        ("prove_ms_median", round(median(&prove_ms))),
        (
            "prove_ms_all",
            json_list(prove_ms.iter().map(|x| round(*x))),
        ),
        ("verify_ms_median", round(median(&verify_ms))),
        ("verify_core_ms_median", round(median(&verify_core_ms))),
        ("pk_bytes", pk_file.len().to_string()),
        ("vk_bytes", vk_file.len().to_string()),
        ("proof_bytes", PROOF_BYTES.to_string()),
        ("payload_bytes", bytes.len().to_string()),
        (
            "public_signals",
            json_list(public.iter().map(|x| format!("\"{x}\""))),
        ),
    ];
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    println!("{{{}}}", body.join(", "));
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peer: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
