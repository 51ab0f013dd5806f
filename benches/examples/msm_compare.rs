//! Old (arkworks 0.5 `VariableBaseMSM::msm_bigint`) against new
//! (`zkstatus_prover::msm`) on the proof's own five MSMs: the fixture's
//! proving key and the scalars of one real proof, interleaved in one
//! process (old, new, old, new, …), each checked equal, timed in CPU time
//! and wall time; the median of the rounds is printed.
//!
//! `cargo run --release -p zkstatus-benches --example msm_compare -- [ROUNDS] [--threads 1] [--window C] [--glv]`
//!
//! With `--glv`, old is `msm::pippenger` (no endomorphism) and new is
//! `msm::msm_bigint` (GLV in G1, GLS in G2); `--window C` then sets the
//! window of the split MSM (`glv_g1_window`, `gls_g2_window`).

use ark_bn254::{G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::VariableBaseMSM;
use std::time::Instant;
use zkstatus_benches::{
    proving_key, single_thread_pool, synthesize, thread_header, Fixture, Result,
};
use zkstatus_prover::groth16::{self, BigInt};
use zkstatus_prover::msm;

fn cpu_ns() -> u64 {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        (t.tv_sec as u64) * 1_000_000_000 + t.tv_nsec as u64
    }
    #[cfg(not(unix))]
    {
        0
    }
}

/// (cpu ms, wall ms) of one call.
fn time<T: PartialEq + std::fmt::Debug>(f: impl FnOnce() -> T) -> ((f64, f64), T) {
    let (c, w) = (cpu_ns(), Instant::now());
    let out = f();
    let wall = w.elapsed().as_secs_f64() * 1e3;
    (((cpu_ns() - c) as f64 / 1e6, wall), out)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

enum Msm<'a> {
    G1(&'a [G1Affine], &'a [BigInt]),
    G2(&'a [G2Affine], &'a [BigInt]),
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(7);
    let one = args.iter().any(|a| a == "--threads");
    let window: Option<usize> = args
        .iter()
        .position(|a| a == "--window")
        .and_then(|i| args.get(i + 1))
        .and_then(|a| a.parse().ok());
    let glv = args.iter().any(|a| a == "--glv");
    println!("{}", thread_header());
    let fixture = Fixture::load()?;
    let pk = proving_key(&fixture)?;
    let k = pk.as_ark();
    let cs = synthesize(fixture.circuit())?;
    groth16::finalize(&cs);
    let matrices = groth16::matrices(&cs)?;
    let values = groth16::Values::of(&cs)?;
    let h = groth16::h_scalars(&groth16::witness_map(&matrices, &values)?);
    let assignment = values.assignment();
    let witness = assignment.get(values.witness_start()..).unwrap_or_default();
    let a_q = k.a_query.get(1..).unwrap_or_default();
    let bg1_q = k.b_g1_query.get(1..).unwrap_or_default();
    let bg2_q = k.b_g2_query.get(1..).unwrap_or_default();
    let msms = [
        ("A (G1)", Msm::G1(a_q, &assignment)),
        ("B (G1)", Msm::G1(bg1_q, &assignment)),
        ("B (G2)", Msm::G2(bg2_q, &assignment)),
        ("H (G1)", Msm::G1(&k.h_query, &h)),
        ("L (G1)", Msm::G1(&k.l_query, witness)),
    ];
    let pool = if one {
        single_thread_pool()?
    } else {
        rayon::ThreadPoolBuilder::new().build()?
    };
    println!(
        "threads {}, rounds {rounds}, window {}",
        pool.current_num_threads(),
        window.map_or("auto".into(), |c| c.to_string())
    );
    println!("MSM      points  old cpu ms  new cpu ms  old wall  new wall  cpu ratio");
    let (mut old_total, mut new_total) = (0.0, 0.0);
    for (name, m) in &msms {
        let (mut oc, mut nc, mut ow, mut nw) = (vec![], vec![], vec![], vec![]);
        let mut n = 0;
        for _ in 0..rounds {
            pool.install(|| -> Result<()> {
                let (o, nn) = match m {
                    Msm::G1(b, s) => {
                        n = b.len().min(s.len());
                        let (o, ro) = time(|| {
                            if glv {
                                msm::pippenger(b, s)
                            } else {
                                G1Projective::msm_bigint(b, s)
                            }
                        });
                        let (nn, rn) = time(|| match window {
                            Some(c) if glv => msm::glv_g1_window(b, s, Some(c)),
                            Some(c) => msm::msm_bigint_window(b, s, c),
                            None => msm::msm_bigint(b, s),
                        });
                        if ro != rn {
                            return Err(format!("{name}: results differ").into());
                        }
                        (o, nn)
                    }
                    Msm::G2(b, s) => {
                        n = b.len().min(s.len());
                        let (o, ro) = time(|| {
                            if glv {
                                msm::pippenger(b, s)
                            } else {
                                G2Projective::msm_bigint(b, s)
                            }
                        });
                        let (nn, rn) = time(|| match window {
                            Some(c) if glv => msm::gls_g2_window(b, s, Some(c)),
                            Some(c) => msm::msm_bigint_window(b, s, c),
                            None => msm::msm_bigint(b, s),
                        });
                        if ro != rn {
                            return Err(format!("{name}: results differ").into());
                        }
                        (o, nn)
                    }
                };
                oc.push(o.0);
                ow.push(o.1);
                nc.push(nn.0);
                nw.push(nn.1);
                Ok(())
            })?;
        }
        let (oc, nc, ow, nw) = (
            median(&mut oc),
            median(&mut nc),
            median(&mut ow),
            median(&mut nw),
        );
        old_total += oc;
        new_total += nc;
        println!(
            "{name}  {n:>6}  {oc:>10.2}  {nc:>10.2}  {ow:>8.2}  {nw:>8.2}  {:>8.2}x",
            oc / nc
        );
    }
    println!(
        "all five      {old_total:>10.2}  {new_total:>10.2}                      {:>8.2}x",
        old_total / new_total
    );
    Ok(())
}
