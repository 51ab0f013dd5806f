//! Time the statement's synthesis the way the prover runs it: for an honest
//! witness in prove mode, `generate_constraints`, then `finalize` (inlining
//! every symbolic linear combination), then `to_matrices`; and the same in
//! setup mode. Prints the number of linear combinations, the matrix hash and,
//! for each phase over `RUNS` runs (default 21), the minimum and median wall
//! time and the mean CPU time.
//!
//! CPU time is this thread's on-CPU time from `/proc/thread-self/schedstat`
//! (Linux). The kernel updates it at scheduler ticks, so a single reading is
//! coarse but the mean over many runs is not biased by other load on the
//! machine; the minimum wall time is the other load-robust figure. For
//! instruction counts, run one iteration under `valgrind --tool=callgrind`.
//!
//! ```text
//! cargo run --release -p zkstatus-circuits --example synth_time [RUNS]
//! ```

use ark_bn254::Fr;
use ark_relations::r1cs::{
    ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode,
};
use std::error::Error;
use std::time::Instant;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::registry::{IssuerLeaf, RegistryTree, Window};
use zkstatus_circuits::statement::constraints::matrix_hash;
use zkstatus_circuits::statement::v2::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{Mode, PublicInputs};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};

const NOW: u64 = 1_763_800_000;

/// An honest statement-v2 circuit: the issuer at leaf 5 of a registry of
/// eight, an interactive presentation at `NOW`.
fn honest() -> Result<StatusCircuit, Box<dyn Error>> {
    let issuer_key = PrivateKey::from_bytes([0x11; 32]);
    let window = Window::new(NOW - 30 * 86400, NOW + 365 * 86400).map_err(|e| format!("{e}"))?;
    let leaf = |key: &PrivateKey| IssuerLeaf {
        key: key.public_key(),
        window,
    };
    let issuer = leaf(&issuer_key);
    let leaves: Vec<Fr> = (0u8..8)
        .map(|i| {
            if i == 5 {
                issuer.hash()
            } else {
                leaf(&PrivateKey::from_bytes([i + 0x40; 32])).hash()
            }
        })
        .collect();
    let tree = RegistryTree::new(&leaves).map_err(|e| format!("{e}"))?;
    let path = tree.path(5).map_err(|e| format!("{e}"))?;
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
        registry_root: tree.root(),
        now: NOW,
        policy,
        mode: Mode::Interactive {
            challenge: Challenge::from_field(Fr::from(0xc4a11e49e_u64)),
        },
    };
    Ok(StatusCircuit::new(
        &public,
        StatusWitness::new(&record, &secret, &signature, &issuer, &path),
    ))
}

/// This thread's on-CPU time in nanoseconds.
fn cpu_ns() -> Result<u64, Box<dyn Error>> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    let first = s.split_whitespace().next().ok_or("empty schedstat")?;
    Ok(first.parse()?)
}

/// Per phase (generate_constraints, finalize, to_matrices): wall and CPU nanoseconds.
#[derive(Default)]
struct Phases {
    wall: [Vec<u64>; 3],
    cpu: [Vec<u64>; 3],
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
    let mut wall = [Instant::now(); 4];
    let mut cpu = [cpu_ns()?; 4];
    circuit.generate_constraints(cs.clone())?;
    (wall[1], cpu[1]) = (Instant::now(), cpu_ns()?);
    cs.finalize();
    (wall[2], cpu[2]) = (Instant::now(), cpu_ns()?);
    let m = cs.to_matrices().ok_or("no matrices")?;
    (wall[3], cpu[3]) = (Instant::now(), cpu_ns()?);
    // finalize only rewrites the map; the counter is that of synthesis.
    let num_lcs = cs.borrow().ok_or("no cs")?.num_linear_combinations;
    for i in 0..3 {
        times.wall[i].push((wall[i + 1] - wall[i]).as_nanos() as u64);
        times.cpu[i].push(cpu[i + 1] - cpu[i]);
    }
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

/// `(min, median, mean)` in milliseconds.
fn stats_ms(v: &mut [u64]) -> (f64, f64, f64) {
    v.sort_unstable();
    let ms = |x: u64| x as f64 / 1e6;
    let min = v.first().copied().unwrap_or(0);
    let median = v.get(v.len() / 2).copied().unwrap_or(0);
    let mean = v.iter().sum::<u64>() / (v.len().max(1) as u64);
    (ms(min), ms(median), ms(mean))
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
        println!("  ms over {runs} runs:     wall min  wall median  CPU mean");
        let mut total = [0.0; 3];
        for (i, phase) in ["generate_constraints", "finalize", "to_matrices"]
            .iter()
            .enumerate()
        {
            let (min, median, _) = stats_ms(&mut times.wall[i]);
            let (_, _, cpu) = stats_ms(&mut times.cpu[i]);
            for (t, x) in total.iter_mut().zip([min, median, cpu]) {
                *t += x;
            }
            println!("  {phase:<22} {min:>8.2} {median:>12.2} {cpu:>9.2}");
        }
        let [a, b, c] = total;
        println!("  {:<22} {a:>8.2} {b:>12.2} {c:>9.2}", "total");
    }
    Ok(())
}
