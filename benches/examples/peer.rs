//! The zkstatus half of the side-by-side against snarkjs (`benches/peer/run.sh`),
//! statement v2.
//!
//! Loads a proving key once, then proves the same credential N times in
//! interactive mode for one challenge and verifies the payload M times at a
//! gate, and prints one JSON object: `{constraints, prove_ms_median,
//! prove_ms_all, verify_ms_median, pk_bytes, vk_bytes, proof_bytes, …}` plus
//! the public inputs as decimal strings in v2 order
//! (`statement::v2::PUBLIC_INPUT_NAMES`), which `run.sh` compares with
//! snarkjs's public signals.
//!
//! ```sh
//! cargo run --release -p zkstatus-benches --example peer -- \
//!   --dir DEMO_DIR --challenge ZKC2:… [--registry FILE]… \
//!   [--prove-runs 10] [--verify-runs 50] [--warmup 2]
//! ```
//!
//! `DEMO_DIR` holds what `zkstatus demo --dir DEMO_DIR` writes: `zkstatus.pk`,
//! `zkstatus.vk` (version 2), `credential.json`, `holder.secret`,
//! `policy.json`, `roots.json` and `registry.bin` (the registries given with
//! `--registry` instead, as `zkstatus holder prove` takes them). The
//! challenge is a gate's `ZKC2:` text (`zkstatus challenge`): the statement's
//! `now` is its issue time.
//!
//! "Prove" is `zkstatus_prover::holder::v2::prove`, what `zkstatus holder
//! prove` runs after loading the key: the active root and the issuer's
//! registry path, the native statement check, witness and constraint
//! synthesis, Groth16, and the self-check against the key's own verifying
//! key. "Verify" is `zkstatus_verifier::v2::Gate::verify` on the payload
//! bytes, what a gate runs: payload decoding (every point checked), the
//! time and root checks, the challenge lookup and the pairing check, and
//! the challenge consumed (each run on a fresh copy of a gate holding the
//! challenge, copied outside the timing); `decode_ms_median` is the payload
//! decoding alone and `verify_core_ms_median` the pairing check alone on a
//! decoded proof. The prover's thread count is
//! whatever arkworks was built with (`RAYON_NUM_THREADS` applies when its
//! `parallel` feature is on).

use std::path::{Path, PathBuf};
use std::time::Instant;
use zkstatus_circuits::statement::v2::constraints::circuit_shape;
use zkstatus_circuits::statement::v2::{Mode, PublicInputs, NOW, PUBLIC_INPUT_NAMES};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{holder_secret_from_json, policy_from_json};
use zkstatus_prover::holder::v2::{self as holder, Presentation};
use zkstatus_prover::keys::ProvingKeyV2;
use zkstatus_verifier::groth16::PROOF_BYTES;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::Registry;
use zkstatus_verifier::v2::keyfile::vk2_from_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::AcceptedRoots;
use zkstatus_verifier::v2::{Gate, Modes, Verifier, DEFAULT_TTL_SECS};

type Result<T> = std::result::Result<T, String>;

/// The gate's name; it does not enter the statement (the challenge does).
const ORIGIN: &str = "https://venue.example";

struct Args {
    dir: PathBuf,
    challenge: String,
    registries: Vec<PathBuf>,
    prove_runs: usize,
    verify_runs: usize,
    warmup: usize,
}

fn parse_args() -> Result<Args> {
    let mut dir = None;
    let mut challenge = None;
    let mut registries = Vec::new();
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
            "--challenge" => challenge = Some(value()?),
            "--registry" => registries.push(PathBuf::from(value()?)),
            "--prove-runs" => prove_runs = number(value()?)?.max(1),
            "--verify-runs" => verify_runs = number(value()?)?.max(1),
            "--warmup" => warmup = number(value()?)?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let dir: PathBuf = dir.ok_or("--dir DIR is required")?;
    if registries.is_empty() {
        registries.push(dir.join("registry.bin"));
    }
    Ok(Args {
        dir,
        challenge: challenge.ok_or("--challenge ZKC2:… is required")?,
        registries,
        prove_runs,
        verify_runs,
        warmup,
    })
}

fn read_path(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    read_path(&dir.join(name))
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
    let roots = AcceptedRoots::from_json(&read_text(&a.dir, "roots.json")?)
        .map_err(|e| format!("roots.json: {e}"))?;
    let registries = a
        .registries
        .iter()
        .map(|p| Registry::from_bytes(&read_path(p)?).map_err(|e| format!("{}: {e}", p.display())))
        .collect::<Result<Vec<_>>>()?;
    let offer = ChallengeOffer::from_text(&a.challenge).map_err(|e| format!("--challenge: {e}"))?;
    let presentation = Presentation::Interactive(offer);
    let pk_file = read(&a.dir, "zkstatus.pk")?;
    let vk_file = read(&a.dir, "zkstatus.vk")?;

    let shape = circuit_shape().map_err(|e| format!("circuit shape: {e}"))?;
    let t = Instant::now();
    let pk = ProvingKeyV2::from_file(&pk_file).map_err(|e| format!("zkstatus.pk: {e}"))?;
    let pk_load_ms = ms(t);
    let (vk, _) = vk2_from_file(&vk_file).map_err(|e| format!("zkstatus.vk: {e}"))?;
    if pk.verifying_key() != vk {
        return Err("zkstatus.pk and zkstatus.vk are not one key pair".into());
    }

    let prove = || {
        holder::prove(
            &pk,
            &credential,
            &secret,
            &policy,
            &registries,
            &roots,
            &presentation,
        )
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

    // The public inputs as the gate forms them: the root of the payload's
    // epoch, the challenge's time and value, the gate's policy.
    let root = roots
        .check(payload.epoch, payload.now)
        .map_err(|e| format!("roots: {e}"))?;
    let public = PublicInputs {
        registry_root: root,
        now: payload.now,
        policy,
        mode: Mode::Interactive {
            challenge: offer.challenge,
        },
    }
    .to_field_elements();
    let pvk = vk.prepare();
    if !pvk.verify(&public, &payload.proof) {
        return Err("the proof does not verify".into());
    }
    let mut moved = public;
    moved[NOW] += ark_bn254::Fr::from(1u64);
    if pvk.verify(&moved, &payload.proof) {
        return Err("the proof verifies with `now` changed".into());
    }

    // A gate that issued this challenge (put back into its book), scanning
    // one second after the issue.
    let gate_now = offer.issued_at + 1;
    let operator = OperatorId::from_name("peer bench").map_err(|e| format!("operator: {e}"))?;
    let mut gate = Gate::new(
        Verifier::new(&vk, roots.clone(), policy),
        ORIGIN,
        operator,
        Modes {
            interactive: true,
            one_scan: false,
        },
        DEFAULT_TTL_SECS,
        1,
    )
    .map_err(|e| format!("gate: {e}"))?;
    gate.challenges()
        .restore(offer.challenge, offer.issued_at, gate_now)
        .map_err(|e| format!("gate: {e}"))?;
    let verify_once = |ms_out: Option<&mut Vec<f64>>| -> Result<()> {
        let mut g = gate.clone();
        let t = Instant::now();
        let r = g.verify(&bytes, gate_now);
        if let Some(v) = ms_out {
            v.push(ms(t));
        }
        r.map(|_| ())
            .map_err(|e| format!("verification failed: {e}"))?;
        // The challenge is consumed: the same payload again is refused.
        match g.verify(&bytes, gate_now) {
            Ok(_) => Err("the gate accepted a replay".into()),
            Err(_) => Ok(()),
        }
    };
    for _ in 0..a.warmup.min(a.verify_runs) {
        verify_once(None)?;
    }
    let mut verify_ms = Vec::with_capacity(a.verify_runs);
    for _ in 0..a.verify_runs {
        verify_once(Some(&mut verify_ms))?;
    }
    let mut decode_ms = Vec::with_capacity(a.verify_runs);
    for _ in 0..a.verify_runs {
        let t = Instant::now();
        let r = PayloadV2::from_bytes(&bytes);
        decode_ms.push(ms(t));
        r.map_err(|e| format!("decoding failed: {e}"))?;
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
        ("statement", "\"v2\"".to_string()),
        ("mode", format!("{:?}", payload.mode.name())),
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
        ("registry_epoch", payload.epoch.to_string()),
        ("now", payload.now.to_string()),
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
        ("decode_ms_median", round(median(&decode_ms))),
        ("pk_bytes", pk_file.len().to_string()),
        ("vk_bytes", vk_file.len().to_string()),
        ("proof_bytes", PROOF_BYTES.to_string()),
        ("payload_bytes", bytes.len().to_string()),
        (
            "public_input_names",
            json_list(PUBLIC_INPUT_NAMES.iter().map(|n| format!("\"{n}\""))),
        ),
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
