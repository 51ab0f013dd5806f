//! The proof's five MSMs, arkworks 0.5's `VariableBaseMSM::msm_bigint`
//! (`ark`) against the prover's batch-affine Pippenger (`zkstatus_prover::msm`,
//! `new`), on the fixture's proving key and the scalars of one real proof,
//! on one thread and on the global pool; the witness map and the five MSMs
//! one after another (`one_by_one`, each MSM on the whole pool) against
//! `groth16::sums` (`scheduled`, what `groth16::prove` runs: two sides in
//! parallel); and the whole proof, ark-groth16's
//! `Groth16::prove` (`ark`) against the prover's `groth16::prove` (`new`, on
//! the new MSM; the same proof bytes for the same rng).
//!
//! `cargo bench -p zkstatus-benches --bench msm`; see `benches/README.md`.

use ark_bn254::{Bn254, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::VariableBaseMSM;
use ark_groth16::Groth16;
use ark_snark::SNARK;
use criterion::{black_box, BenchmarkId, Criterion, SamplingMode};
use zkstatus_benches::{
    proving_key, rng, single_thread_pool, synthesize, thread_header, Fixture, Result, PROVE_SEED,
};
use zkstatus_prover::groth16::{self, BigInt};
use zkstatus_prover::msm;
use zkstatus_prover::qap::SnarkjsReduction;

enum Bases<'a> {
    G1(&'a [G1Affine]),
    G2(&'a [G2Affine]),
}

fn main() -> Result<()> {
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
    let msms: [(&str, Bases, &[BigInt]); 5] = [
        (
            "a",
            Bases::G1(k.a_query.get(1..).unwrap_or_default()),
            &assignment,
        ),
        (
            "b_g1",
            Bases::G1(k.b_g1_query.get(1..).unwrap_or_default()),
            &assignment,
        ),
        (
            "b_g2",
            Bases::G2(k.b_g2_query.get(1..).unwrap_or_default()),
            &assignment,
        ),
        ("h", Bases::G1(&k.h_query), &h),
        ("l", Bases::G1(&k.l_query), witness),
    ];
    let one = single_thread_pool()?;
    let all = rayon::ThreadPoolBuilder::new().build()?;
    let mut pools = vec![(1, &one)];
    if all.current_num_threads() > 1 {
        pools.push((all.current_num_threads(), &all));
    }
    let mut c = Criterion::default().configure_from_args();
    for (name, bases, scalars) in &msms {
        let mut g = c.benchmark_group(format!("msm_{name}"));
        g.sample_size(20);
        for &(threads, pool) in &pools {
            match bases {
                Bases::G1(b) => {
                    if G1Projective::msm_bigint(b, scalars) != msm::msm_bigint(b, scalars) {
                        return Err(format!("msm_{name}: results differ").into());
                    }
                    g.bench_function(BenchmarkId::new("ark", threads), |x| {
                        pool.install(|| x.iter(|| G1Projective::msm_bigint(black_box(b), scalars)))
                    });
                    g.bench_function(BenchmarkId::new("new", threads), |x| {
                        pool.install(|| x.iter(|| msm::msm_bigint(black_box(*b), scalars)))
                    });
                }
                Bases::G2(b) => {
                    if G2Projective::msm_bigint(b, scalars) != msm::msm_bigint(b, scalars) {
                        return Err(format!("msm_{name}: results differ").into());
                    }
                    g.bench_function(BenchmarkId::new("ark", threads), |x| {
                        pool.install(|| x.iter(|| G2Projective::msm_bigint(black_box(b), scalars)))
                    });
                    g.bench_function(BenchmarkId::new("new", threads), |x| {
                        pool.install(|| x.iter(|| msm::msm_bigint(black_box(*b), scalars)))
                    });
                }
            }
        }
        g.finish();
    }
    // The witness map and the five MSMs: one after another, each on the
    // whole pool (what groth16::prove ran before groth16::sums), against the
    // schedule.
    let one_by_one = || -> Result<groth16::Sums> {
        let h = groth16::h_scalars(&groth16::witness_map(&matrices, &values)?);
        let assignment = values.assignment();
        let witness = assignment.get(values.witness_start()..).unwrap_or_default();
        Ok(groth16::Sums {
            a: groth16::a_msm(&k.a_query, &assignment)?,
            b_g1: groth16::b_g1_msm(&k.b_g1_query, &assignment)?,
            b_g2: groth16::b_g2_msm(&k.b_g2_query, &assignment)?,
            h: groth16::h_msm(&k.h_query, &h),
            l: groth16::l_msm(&k.l_query, witness),
        })
    };
    let (x, y) = (one_by_one()?, groth16::sums(pk, &matrices, &values)?);
    if (x.a, x.b_g1, x.b_g2, x.h, x.l) != (y.a, y.b_g1, y.b_g2, y.h, y.l) {
        return Err("groth16::sums differs from the MSMs one by one".into());
    }
    let mut g = c.benchmark_group("sums");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    for &(threads, pool) in &pools {
        g.bench_function(BenchmarkId::new("one_by_one", threads), |x| {
            pool.install(|| x.iter(|| one_by_one().is_ok()))
        });
        g.bench_function(BenchmarkId::new("scheduled", threads), |x| {
            pool.install(|| x.iter(|| groth16::sums(pk, &matrices, &values).is_ok()))
        });
    }
    g.finish();
    // The whole proof: same rng seed, same bytes (checked once).
    let ark =
        Groth16::<Bn254, SnarkjsReduction>::prove(k, fixture.circuit(), &mut rng(PROVE_SEED))?;
    let new = groth16::prove(pk, fixture.circuit(), &mut rng(PROVE_SEED))?;
    if (ark.a, ark.b, ark.c) != (new.a, new.b, new.c) {
        return Err("groth16::prove differs from Groth16::prove".into());
    }
    let mut g = c.benchmark_group("prove_msm");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    let mut r = rng(PROVE_SEED);
    for &(threads, pool) in &pools {
        g.bench_function(BenchmarkId::new("ark", threads), |x| {
            pool.install(|| {
                x.iter(|| {
                    Groth16::<Bn254, SnarkjsReduction>::prove(
                        k,
                        black_box(&fixture).circuit(),
                        &mut r,
                    )
                    .is_ok()
                })
            })
        });
        g.bench_function(BenchmarkId::new("new", threads), |x| {
            pool.install(|| {
                x.iter(|| groth16::prove(pk, black_box(&fixture).circuit(), &mut r).is_ok())
            })
        });
    }
    g.finish();
    c.final_summary();
    Ok(())
}
