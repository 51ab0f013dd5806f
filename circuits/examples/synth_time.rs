//! Time the statement's synthesis the way the prover runs it: for an honest
//! witness in prove mode, `generate_constraints`, then `finalize` (inlining
//! every symbolic linear combination), then `to_matrices`; and the same in
//! setup mode. Prints the number of linear combinations, the matrix hash and
//! the median CPU time of each phase over `RUNS` runs (default 21).
//!
//! CPU time is this thread's on-CPU time from `/proc/thread-self/schedstat`
//! (Linux), so other load on the machine only adds noise, not bias.
//!
//! ```text
//! cargo run --release -p zkstatus-circuits --example synth_time [RUNS]
//! ```

use ark_bn254::Fr;
use ark_relations::r1cs::{
    ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode,
};
use std::error::Error;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::constraints::{matrix_hash, StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::{Challenge, PublicInputs, StatusPolicy};

const NOW: u64 = 1_763_800_000;

/// The honest circuit of `prover/tests/fixture.rs`.
fn honest() -> Result<StatusCircuit, Box<dyn Error>> {
    let issuer_key = PrivateKey::from_bytes([0x11; 32]);
    let secret = HolderSecret::from_field(Fr::from(0x5ec2e7_u64));
    let record = Record {
        holder: secret.commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: NOW - 5 * 3600,
        exposure_time: NO_EXPOSURE,
        issued_at: NOW - 4 * 3600,
        expires_at: NOW + 2 * 86400,
        credential_id: Fr::from(0xc0ffee_u64),
    };
    let signature = issuer_key.sign(record.commitment());
    let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86400)
        .map_err(|e| format!("{e:?}"))?;
    let public = PublicInputs {
        issuer: issuer_key.public_key(),
        now: NOW,
        policy,
        challenge: Challenge::from_field(Fr::from(0xc4a11e49e_u64)),
    };
    Ok(StatusCircuit::new(
        &public,
        StatusWitness::new(&record, &secret, &signature),
    ))
}

/// This thread's on-CPU time in nanoseconds.
fn cpu_ns() -> Result<u64, Box<dyn Error>> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    let first = s.split_whitespace().next().ok_or("empty schedstat")?;
    Ok(first.parse()?)
}

#[derive(Default)]
struct Phases {
    synth: Vec<u64>,
    finalize: Vec<u64>,
    matrices: Vec<u64>,
}

struct Run {
    num_lcs: usize,
    num_constraints: usize,
    nonzeros: [usize; 3],
    hash: [u8; 32],
    satisfied: Option<bool>,
}

fn run_once(setup: bool, times: &mut Phases) -> Result<Run, Box<dyn Error>> {
    let circuit = if setup {
        StatusCircuit::blank()
    } else {
        honest()?
    };
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    if setup {
        cs.set_mode(SynthesisMode::Setup);
    }
    let t0 = cpu_ns()?;
    circuit.generate_constraints(cs.clone())?;
    let t1 = cpu_ns()?;
    let num_lcs = cs.borrow().ok_or("no cs")?.num_linear_combinations;
    cs.finalize();
    let t2 = cpu_ns()?;
    let m = cs.to_matrices().ok_or("no matrices")?;
    let t3 = cpu_ns()?;
    times.synth.push(t1 - t0);
    times.finalize.push(t2 - t1);
    times.matrices.push(t3 - t2);
    Ok(Run {
        num_lcs,
        num_constraints: m.num_constraints,
        nonzeros: [m.a_num_non_zero, m.b_num_non_zero, m.c_num_non_zero],
        hash: matrix_hash(&m),
        satisfied: if setup {
            None
        } else {
            Some(cs.is_satisfied()?)
        },
    })
}

fn median_ms(v: &mut [u64]) -> f64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0) as f64 / 1e6
}

fn main() -> Result<(), Box<dyn Error>> {
    let runs: usize = match std::env::args().nth(1) {
        Some(s) => s.parse()?,
        None => 21,
    };
    for setup in [false, true] {
        let mut times = Phases::default();
        let first = run_once(setup, &mut times)?; // warm-up, not timed below
        times = Phases::default();
        for _ in 0..runs {
            let r = run_once(setup, &mut times)?;
            if r.hash != first.hash {
                return Err("matrix hash differs between runs".into());
            }
        }
        let hash: String = first.hash.iter().map(|b| format!("{b:02x}")).collect();
        println!(
            "{} mode: {} constraints, {} linear combinations, non-zeros A/B/C {:?}, hash {hash}{}",
            if setup { "setup" } else { "prove" },
            first.num_constraints,
            first.num_lcs,
            first.nonzeros,
            match first.satisfied {
                Some(s) => format!(", satisfied {s}"),
                None => String::new(),
            }
        );
        let (s, f, m) = (
            median_ms(&mut times.synth),
            median_ms(&mut times.finalize),
            median_ms(&mut times.matrices),
        );
        println!(
            "  median CPU ms over {runs} runs: generate_constraints {s:.2}, finalize {f:.2}, to_matrices {m:.2}, total {:.2}",
            s + f + m
        );
    }
    Ok(())
}
