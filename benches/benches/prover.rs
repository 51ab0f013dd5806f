//! The statement end to end: witness generation, constraint synthesis, Groth16
//! proving on one thread and on all threads, setup, proving-key files, and
//! native verification.
//!
//! The circuit benches report `Throughput::Elements(constraints)`, so criterion
//! prints constraints per second beside the time: time per constraint is
//! `1e9 / thrpt` ns (statement v2 has 7,846 constraints, so 1 ms is
//! about 127 ns per constraint). `cargo bench -p zkstatus-benches --bench
//! prover`; see `benches/README.md`.

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_snark::SNARK;
use criterion::{black_box, BenchmarkId, Criterion, SamplingMode, Throughput};
use zkstatus_benches::{
    num_constraints, proving_key, rng, single_thread_pool, synthesize, thread_header, witness_only,
    Fixture, Result, PROVE_SEED, SETUP_SEED,
};
use zkstatus_circuits::statement::v2::constraints::StatusCircuit;
use zkstatus_prover::holder::v2 as holder;
use zkstatus_prover::keys::{self, ProvingKeyV2 as ProvingKey};
use zkstatus_prover::qap::SnarkjsReduction;
use zkstatus_verifier::groth16::Proof;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::{Gate, Modes, Verifier};

/// Everything the prover does before constraint synthesis: the root, the
/// registry path and the native statement check (`holder::v2::prepare`,
/// which `holder::v2::prove` runs first), the native witness, and the full
/// variable assignment without building the constraint matrices.
fn bench_witness(c: &mut Criterion, f: &Fixture, n: u64) -> Result<()> {
    f.prepared()?;
    witness_only(f.circuit())?;
    let mut g = c.benchmark_group("witness_gen");
    g.throughput(Throughput::Elements(n));
    g.bench_function("native_check", |b| {
        b.iter(|| black_box(f).prepared().is_ok())
    });
    g.bench_function("native_witness", |b| b.iter(|| black_box(f).circuit()));
    g.bench_function("assignment", |b| {
        b.iter(|| witness_only(black_box(f).circuit()))
    });
    g.finish();
    Ok(())
}

/// Constraint synthesis: in setup mode (no values, as setup and the shape
/// test do), and in prove mode as `Groth16::prove` does it (values and
/// matrices, then inlining of linear combinations), with and without the
/// matrix build that ark-groth16 does at the start of its R1CS-to-QAP step.
fn bench_synthesis(c: &mut Criterion, f: &Fixture, n: u64) -> Result<()> {
    let mut g = c.benchmark_group("synthesis");
    // Hundreds of milliseconds per iteration: ten samples, as for proving.
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Elements(n));
    g.bench_function("setup_mode", |b| {
        b.iter(|| {
            let cs = ConstraintSystem::new_ref();
            cs.set_mode(SynthesisMode::Setup);
            let r = StatusCircuit::blank().generate_constraints(cs.clone());
            cs.finalize();
            (r, cs.num_constraints())
        })
    });
    let cs = synthesize(f.circuit())?;
    cs.finalize();
    if !cs.is_satisfied()? {
        return Err("the fixture circuit is not satisfied".into());
    }
    g.bench_function("prove_mode", |b| {
        b.iter(|| {
            synthesize(black_box(f).circuit()).map(|cs| {
                cs.finalize();
                cs.num_constraints()
            })
        })
    });
    g.bench_function("prove_mode_and_matrices", |b| {
        b.iter(|| {
            synthesize(black_box(f).circuit()).map(|cs| {
                cs.finalize();
                cs.to_matrices()
            })
        })
    });
    g.finish();
    Ok(())
}

fn prove(pk: &ProvingKey, circuit: StatusCircuit, r: &mut rand_chacha::ChaCha20Rng) -> bool {
    Groth16::<Bn254, SnarkjsReduction>::prove(pk.as_ark(), circuit, r).is_ok()
}

/// Groth16 proving (synthesis, R1CS to QAP, the MSMs) on one thread and on
/// the global pool, and the whole `holder::prove` (native check, proof,
/// self-verification) on the global pool.
fn bench_prove(c: &mut Criterion, f: &Fixture, pk: &ProvingKey, n: u64) -> Result<()> {
    let public = f.public_inputs();
    let pvk = pk.verifying_key().prepare();
    // Check once, outside the timings, that the proof is real.
    let p =
        Groth16::<Bn254, SnarkjsReduction>::prove(pk.as_ark(), f.circuit(), &mut rng(PROVE_SEED))?;
    let proof = Proof {
        a: p.a,
        b: p.b,
        c: p.c,
    };
    if !pvk.verify(&public.to_field_elements(), &proof) {
        return Err("the benchmarked proof does not verify".into());
    }
    let pool = single_thread_pool()?;
    let all = rayon::current_num_threads();
    let mut g = c.benchmark_group("groth16_prove");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Elements(n));
    let mut r = rng(PROVE_SEED);
    g.bench_function(BenchmarkId::new("threads", 1), |b| {
        pool.install(|| b.iter(|| prove(pk, black_box(f).circuit(), &mut r)))
    });
    if all > 1 {
        g.bench_function(BenchmarkId::new("threads", all), |b| {
            b.iter(|| prove(pk, black_box(f).circuit(), &mut r))
        });
    }
    let cred = &f.credential;
    g.bench_function(BenchmarkId::new("holder_prove", all), |b| {
        b.iter(|| {
            holder::prove_with_rng(
                pk,
                cred,
                &f.secret,
                &f.policy,
                &f.registries,
                &f.roots,
                &f.presentation(),
                &mut r,
            )
            .is_ok()
        })
    });
    g.finish();
    Ok(())
}

/// Groth16 setup for the statement (seeded), on the global pool.
fn bench_setup(c: &mut Criterion, n: u64) -> Result<()> {
    let mut g = c.benchmark_group("setup");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Elements(n));
    g.bench_function("groth16", |b| {
        b.iter(|| keys::setup_v2_with_rng(&mut rng(SETUP_SEED)).is_ok())
    });
    g.finish();
    Ok(())
}

/// The proving-key file: encode, and load with every point validated (what a
/// cold `zkstatus holder prove` does first).
fn bench_pk_file(c: &mut Criterion, pk: &ProvingKey) -> Result<()> {
    let bytes = pk.to_file();
    if ProvingKey::from_file(&bytes)? != *pk {
        return Err("proving-key file round trip differs".into());
    }
    let mut g = c.benchmark_group("proving_key");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("to_file", |b| b.iter(|| black_box(pk).to_file()));
    g.bench_function("from_file", |b| {
        b.iter(|| ProvingKey::from_file(black_box(&bytes)).is_ok())
    });
    g.finish();
    Ok(())
}

/// Native verification: the Groth16 check with a prepared key, preparing the
/// key, and a gate's whole check of the fixture payload (decode and
/// validate, root and challenge lookup, pairing check; the challenge is put
/// back into the book each time, so every iteration accepts).
fn bench_verify(c: &mut Criterion, f: &Fixture) -> Result<()> {
    let public = f.public_inputs().to_field_elements();
    let payload = PayloadV2::from_bytes(&f.payload)?;
    let pvk = f.vk.prepare();
    if !pvk.verify(&public, &payload.proof) {
        return Err("the fixture proof does not verify".into());
    }
    let gate = || -> Result<Gate> {
        let verifier = Verifier::new(&f.vk, f.roots.clone(), f.policy);
        let mut g = Gate::new(verifier, "bench", OperatorId::GLOBAL, Modes::BOTH, 90, 3)?;
        g.challenges()
            .restore(f.offer.challenge, f.offer.issued_at, f.now)?;
        Ok(g)
    };
    gate()?.verify(&f.payload, f.now + 1)?;
    let mut g = c.benchmark_group("verify");
    g.bench_function("groth16_prepared", |b| {
        b.iter(|| pvk.verify(black_box(&public), black_box(&payload.proof)))
    });
    g.bench_function("prepare_vk", |b| b.iter(|| black_box(&f.vk).prepare()));
    g.bench_function("gate", |b| {
        b.iter_batched(
            || gate().ok(),
            |g| g.map(|mut g| g.verify(black_box(&f.payload), f.now + 1).is_ok()),
            criterion::BatchSize::SmallInput,
        )
    });
    g.finish();
    Ok(())
}

fn main() -> Result<()> {
    println!("{}", thread_header());
    let fixture = Fixture::load()?;
    let n = num_constraints()?;
    println!("zkstatus-benches: {n} constraints; ns/constraint = 1e9 / (elem/s)");
    let pk = proving_key(&fixture)?;
    let n = n as u64;
    let mut c = Criterion::default().configure_from_args();
    bench_witness(&mut c, &fixture, n)?;
    bench_synthesis(&mut c, &fixture, n)?;
    bench_prove(&mut c, &fixture, pk, n)?;
    bench_verify(&mut c, &fixture)?;
    bench_setup(&mut c, n)?;
    bench_pk_file(&mut c, pk)?;
    c.final_summary();
    Ok(())
}
