//! One Groth16 proof of the statement, split into phases.
//!
//! Runs the prover's own proving phases (`zkstatus_prover::groth16`: the
//! functions `holder::prove` and the split prover call, which are ark-groth16
//! 0.5's `create_proof_with_reduction` written out), timing each: the native
//! witness, the witness-only synthesis (the key's constraint matrices are
//! cached by its first proof, so a proof synthesises the values only), the
//! R1CS-to-QAP witness map from the cached matrices (snarkjs's reduction,
//! `zkstatus_prover::qap`: `A·z, B·z` and `C = A·B` pointwise, six FFTs of
//! the domain size onto the odd coset) and each multi-scalar multiplication
//! (A, B in G1, B in G2, H, L), then the assembly. Each MSM row times that
//! MSM alone on the whole pool; `groth16::prove` runs the witness map, the
//! scalars and the five MSMs as one schedule (`groth16::sums`, two sides in
//! parallel), timed in a row of its own beside the sum of the rows it
//! replaces. The proof is checked to
//! verify and, on the first run, to equal `Groth16::<Bn254,
//! SnarkjsReduction>::prove` with the same seed, so the phases are the real
//! work. The work of a key's first proof only (the full synthesis, the
//! inlining of the linear combinations, the matrix build) is timed in rows
//! of its own, outside the sums. Each run also times a real
//! `Groth16::prove`, the prover's `groth16::prove` with the matrices cached
//! and on a fresh key (its first proof), and `holder::prove_with_rng`.
//!
//! It also prints what the MSMs are fed: zero, one and small scalars, identity
//! points in each query, and the bucket additions of arkworks' windowed MSM
//! (`msm_bigint_wnaf`, what the prover ran before `zkstatus_prover::msm`; the
//! MSM rows time the prover's functions, now on `zkstatus_prover::msm`).
//!
//! ```sh
//! cargo run --release -p zkstatus-benches --example breakdown -- [RUNS] [--threads N]
//! ```
//!
//! `--only witness` or `--only synthesis` runs that phase once and exits, for
//! measuring its peak memory with `/usr/bin/time -v`.
//!
//! RUNS (default 11) is the number of proofs; times are medians, of wall time
//! and of the process's CPU time (the column to trust on a busy machine). `--threads N`
//! runs everything in a rayon pool of N threads (default: the global pool,
//! sized by `RAYON_NUM_THREADS` or the core count). Without the `parallel`
//! feature everything is single-threaded whatever N is.

use ark_bn254::{Bn254, Fr};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField, Zero};
use ark_groth16::r1cs_to_qap::evaluate_constraint;
use ark_groth16::Groth16;
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::r1cs::ConstraintMatrices;
use ark_snark::SNARK;
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use std::time::{Duration, Instant};
use zkstatus_benches::{
    proving_key, rng, synthesize, thread_header, witness_only, Fixture, Result, PROVE_SEED,
};
use zkstatus_prover::groth16;
use zkstatus_prover::holder::v2 as holder;
use zkstatus_prover::keys::pk_file_fingerprint;
use zkstatus_prover::keys::ProvingKeyV2 as ProvingKey;
use zkstatus_prover::qap::SnarkjsReduction;

type Domain = GeneralEvaluationDomain<Fr>;
type BigInt = <Fr as PrimeField>::BigInt;

/// The rows of the table, in order. `Sub` rows re-run part of the previous
/// row to split it and are not added to the totals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Before Groth16 (holder::prove only).
    Pre,
    /// Inside Groth16::prove.
    Core,
    /// A split of the previous core row, measured separately.
    Sub,
    /// Once per proving key (its first proof): not in the sums.
    Once,
    /// After Groth16 (holder::prove only).
    Post,
    /// A whole call, for comparison.
    Whole,
}

const ROWS: &[(&str, Kind)] = &[
    ("native statement check (holder::prove)", Kind::Pre),
    ("witness: StatusWitness::new + circuit", Kind::Pre),
    (
        "synthesis: witness only (prove mode, no matrices)",
        Kind::Core,
    ),
    ("R1CS→QAP: witness_map_from_matrices (cached)", Kind::Core),
    ("  of which A·z, B·z, C = A·B (re-run)", Kind::Sub),
    ("  of which 6 FFTs + pointwise (re-run)", Kind::Sub),
    ("scalars to bigint", Kind::Core),
    ("MSM A (G1)", Kind::Core),
    ("MSM B (G1)", Kind::Core),
    ("MSM B (G2)", Kind::Core),
    ("MSM H (G1)", Kind::Core),
    ("MSM L (G1)", Kind::Core),
    ("assemble A, B, C (5 scalar muls, to affine)", Kind::Core),
    ("self-check: verify (holder::prove)", Kind::Post),
    ("key's first proof only: generate_constraints", Kind::Once),
    ("key's first proof only: finalize (inline LCs)", Kind::Once),
    (
        "key's first proof only: to_matrices + key check",
        Kind::Once,
    ),
    ("Groth16::prove, measured", Kind::Whole),
    ("groth16::prove (matrices cached), measured", Kind::Whole),
    ("groth16::prove, key's first proof, measured", Kind::Whole),
    ("holder::prove_with_rng, measured", Kind::Whole),
    (
        "witness map + scalars + 5 MSMs scheduled (groth16::sums, what groth16::prove runs)",
        Kind::Whole,
    ),
];
const ROW_WITNESS: usize = 2;
const ROW_WITNESS_MAP: usize = 3;
const ROW_SCALARS: usize = 6;
const ROW_MSM_A: usize = 7;
const ROW_ASSEMBLE: usize = 12;
const ROW_VERIFY: usize = 13;
const ROW_ONCE: usize = 14;
const ROW_GROTH16: usize = 17;
const ROW_PROVE_CACHED: usize = 18;
const ROW_PROVE_FIRST: usize = 19;
const ROW_HOLDER: usize = 20;
const ROW_SUMS: usize = 21;
/// The rows `groth16::sums` runs as one schedule: the witness map, the
/// scalars and the five MSMs.
const SCHEDULED: [usize; 7] = [
    ROW_WITNESS_MAP,
    ROW_SCALARS,
    ROW_MSM_A,
    ROW_MSM_A + 1,
    ROW_MSM_A + 2,
    ROW_MSM_A + 3,
    ROW_MSM_A + 4,
];

/// What one run needs to remember besides its times.
struct Observed {
    num_constraints: usize,
    num_inputs: usize,
    num_aux: usize,
    domain_size: usize,
    num_lcs: usize,
    nnz: [usize; 3],
    assignment: Vec<BigInt>,
    aux: Vec<BigInt>,
    h: Vec<BigInt>,
}

/// CPU time of every thread of this process so far (`CLOCK_PROCESS_CPUTIME_ID`,
/// nanoseconds; `None` off Unix). Unlike wall time, CPU time hardly moves
/// when other processes compete for the cores, so it is the column to
/// compare on a busy machine.
fn cpu_ns() -> Option<u64> {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        u64::try_from(t.tv_sec)
            .ok()
            .and_then(|s| s.checked_mul(1_000_000_000))
            .and_then(|ns| ns.checked_add(u64::try_from(t.tv_nsec).ok()?))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Time this process's threads spent runnable but waiting for a CPU (Linux
/// `/proc/self/task/*/schedstat`, nanoseconds, updated at scheduler events,
/// so only an indicator of how busy the machine was); `None` elsewhere.
fn wait_ns() -> Option<u64> {
    let mut wait = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        // A thread may exit between listing and reading: skip it.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        wait += text.split_whitespace().nth(1)?.parse::<u64>().ok()?;
    }
    Some(wait)
}

/// Per-row accumulated wall time, CPU time and run-queue wait.
#[derive(Clone, Copy, Default)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    wait: Duration,
}

fn timed<T>(times: &mut [Sample], row: usize, f: impl FnOnce() -> T) -> T {
    let w0 = wait_ns();
    let c0 = cpu_ns();
    let t = Instant::now();
    let out = f();
    let wall = t.elapsed();
    let c1 = cpu_ns();
    let w1 = wait_ns();
    let s = &mut times[row];
    s.wall += wall;
    if let (Some(c0), Some(c1)) = (c0, c1) {
        s.cpu += Duration::from_nanos(c1.saturating_sub(c0));
    }
    if let (Some(w0), Some(w1)) = (w0, w1) {
        s.wait += Duration::from_nanos(w1.saturating_sub(w0));
    }
    out
}

/// The R1CS-to-QAP witness map of snarkjs's reduction (the prover's,
/// `zkstatus_prover::qap`), split into the constraint evaluations and the
/// FFTs. Returns `h` to compare.
fn witness_map_split(
    m: &ConstraintMatrices<Fr>,
    num_inputs: usize,
    num_constraints: usize,
    full: &[Fr],
    times: &mut [Sample],
    eval_row: usize,
) -> Result<Vec<Fr>> {
    let domain = Domain::new(num_constraints + num_inputs).ok_or("no evaluation domain")?;
    let size = domain.size();
    let (mut a, mut b, mut c) = timed(times, eval_row, || {
        let mut a = vec![Fr::zero(); size];
        let mut b = vec![Fr::zero(); size];
        ark_std::cfg_iter_mut!(a[..num_constraints])
            .zip(ark_std::cfg_iter_mut!(b[..num_constraints]))
            .enumerate()
            .for_each(|(i, (a, b))| {
                *a = evaluate_constraint(&m.a[i], full);
                *b = evaluate_constraint(&m.b[i], full);
            });
        a[num_constraints..num_constraints + num_inputs].copy_from_slice(&full[..num_inputs]);
        let c: Vec<Fr> = a.iter().zip(&b).map(|(a, b)| *a * b).collect();
        (a, b, c)
    });
    timed(times, eval_row + 1, || {
        let omega_2n = Domain::new(2 * size)
            .ok_or("no doubled domain")?
            .group_gen();
        let odd = domain.get_coset(omega_2n).ok_or("no odd coset")?;
        for v in [&mut a, &mut b, &mut c] {
            domain.ifft_in_place(v);
            odd.fft_in_place(v);
        }
        ark_std::cfg_iter_mut!(a)
            .zip(&b)
            .zip(c)
            .for_each(|((a, b), c)| {
                *a *= b;
                *a -= &c;
            });
        Ok(a)
    })
}

/// One proof, phase by phase, by the prover's own phase functions
/// (`zkstatus_prover::groth16`, the path `holder::prove` and the split
/// prover take, with the key's matrices cached); adds each phase's time to
/// `times[row]`. `fresh` is a copy of `pk` with nothing cached, for timing
/// a key's first proof.
fn run_once(
    f: &Fixture,
    pk: &ProvingKey,
    fresh: &ProvingKey,
    seed: u64,
    times: &mut [Sample],
    check: bool,
) -> Result<Observed> {
    let pk_ark = pk.as_ark();
    let public = f.public_inputs();
    let cred = &f.credential;
    // The holder's work before Groth16: the active root, the registry path,
    // the native check of every rule.
    timed(times, 0, || f.prepared())?;
    // Drawn first, as groth16::prove (and Groth16::prove) draw them.
    let blinding = groth16::Blinding::draw(&mut rng(seed));
    let circuit = timed(times, 1, || f.circuit());
    // The key's matrices, cached by its first proof (the warm-up run).
    let matrices = pk
        .matrix_cache()
        .get()
        .ok_or("the key has no cached matrices")?;
    let values = timed(times, ROW_WITNESS, || {
        let v = groth16::synthesize_witness(circuit)?;
        matrices.check_values(&v)?;
        Ok::<_, groth16::ProvingError>(v)
    })?;
    let m = matrices.as_ark();
    let (num_inputs, num_constraints) = (values.num_inputs(), m.num_constraints);
    let h = timed(times, ROW_WITNESS_MAP, || groth16::witness_map(m, &values))?;
    let h_split = witness_map_split(
        m,
        num_inputs,
        num_constraints,
        values.full(),
        times,
        ROW_WITNESS_MAP + 1,
    )?;
    if h_split != h {
        return Err("the split witness map differs from the prover's".into());
    }

    let (h_big, assignment) = timed(times, ROW_SCALARS, || {
        (groth16::h_scalars(&h), values.assignment())
    });
    let aux = assignment
        .get(values.witness_start()..)
        .ok_or("no witness part")?;
    let a = timed(times, ROW_MSM_A, || {
        groth16::a_msm(&pk_ark.a_query, &assignment)
    })?;
    let b_g1 = timed(times, ROW_MSM_A + 1, || {
        groth16::b_g1_msm(&pk_ark.b_g1_query, &assignment)
    })?;
    let b_g2 = timed(times, ROW_MSM_A + 2, || {
        groth16::b_g2_msm(&pk_ark.b_g2_query, &assignment)
    })?;
    let h_acc = timed(times, ROW_MSM_A + 3, || {
        groth16::h_msm(&pk_ark.h_query, &h_big)
    });
    let l = timed(times, ROW_MSM_A + 4, || {
        groth16::l_msm(&pk_ark.l_query, aux)
    });
    let sums = groth16::Sums {
        a,
        b_g1,
        b_g2,
        h: h_acc,
        l,
    };
    // The same phases as groth16::prove runs them: one schedule, the sides
    // in parallel (the rows above time each alone, on the whole pool).
    let scheduled = timed(times, ROW_SUMS, || groth16::sums(pk, m, &values))?;
    if (
        scheduled.a,
        scheduled.b_g1,
        scheduled.b_g2,
        scheduled.h,
        scheduled.l,
    ) != (sums.a, sums.b_g1, sums.b_g2, sums.h, sums.l)
    {
        return Err("groth16::sums differs from the MSMs one by one".into());
    }
    let bases = groth16::Bases::of(pk);
    let proof = timed(times, ROW_ASSEMBLE, || {
        groth16::assemble(&bases, &sums, &blinding)
    });
    let pvk = pk.verifying_key().prepare();
    let ok = timed(times, ROW_VERIFY, || {
        pvk.verify(&public.to_field_elements(), &proof)
    });
    if !ok {
        return Err("the phased proof does not verify".into());
    }

    // A key's first proof only: the full synthesis (values and
    // constraints), the inlining, the matrix build and its check against
    // the key.
    let cs = timed(times, ROW_ONCE, || groth16::synthesize(f.circuit()))?;
    let num_lcs = cs.borrow().map_or(0, |cs| cs.num_linear_combinations);
    timed(times, ROW_ONCE + 1, || groth16::finalize(&cs));
    let built = timed(times, ROW_ONCE + 2, || {
        groth16::Matrices::new(groth16::matrices(&cs)?, &groth16::KeyShape::of(pk))
    })?;
    if check {
        if built.as_ark() != m {
            return Err("the first proof's matrices differ from the cached ones".into());
        }
        if groth16::Values::of(&cs)?.full() != values.full() {
            return Err("witness-only synthesis gives another assignment".into());
        }
    }
    drop((cs, built));

    // The real calls, for comparison.
    let p = timed(times, ROW_GROTH16, || {
        Groth16::<Bn254, SnarkjsReduction>::prove(pk_ark, f.circuit(), &mut rng(seed))
    })?;
    if check && (p.a, p.b, p.c) != (proof.a, proof.b, proof.c) {
        return Err("Groth16::prove with the same seed gives another proof".into());
    }
    let cached = timed(times, ROW_PROVE_CACHED, || {
        groth16::prove(pk, f.circuit(), &mut rng(seed))
    })?;
    let first = timed(times, ROW_PROVE_FIRST, || {
        groth16::prove(fresh, f.circuit(), &mut rng(seed))
    })?;
    if check && (cached != proof || first != proof) {
        return Err("groth16::prove (cached or first) gives another proof".into());
    }
    timed(times, ROW_HOLDER, || {
        holder::prove_with_rng(
            pk,
            cred,
            &f.secret,
            &f.policy,
            &f.registries,
            &f.roots,
            &f.presentation(),
            &mut rng(seed),
        )
    })?;
    Ok(Observed {
        num_constraints,
        num_inputs,
        num_aux: values.num_witness(),
        domain_size: h.len(),
        num_lcs,
        nnz: [m.a_num_non_zero, m.b_num_non_zero, m.c_num_non_zero],
        aux: aux.to_vec(),
        assignment,
        h: h_big,
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Classes of scalars, by what an MSM has to do for them.
#[derive(Default)]
struct ScalarClasses {
    n: usize,
    zero: usize,
    one: usize,
    small: usize,
    large: usize,
    bits: usize,
}

fn classify(v: &[BigInt]) -> ScalarClasses {
    let mut c = ScalarClasses {
        n: v.len(),
        ..Default::default()
    };
    for s in v {
        let bits = s.num_bits() as usize;
        c.bits += bits;
        match bits {
            0 => c.zero += 1,
            1 => c.one += 1,
            2..=64 => c.small += 1,
            _ => c.large += 1,
        }
    }
    c
}

fn pct(a: usize, n: usize) -> String {
    format!("{a} ({:.1}%)", 100.0 * a as f64 / n.max(1) as f64)
}

/// The signed window digits arkworks 0.5's `msm_bigint_wnaf` uses (a copy of
/// ark-ec's private `make_digits`), to count the bucket additions it does.
fn nonzero_digits(a: &BigInt, w: usize) -> usize {
    let num_bits = Fr::MODULUS_BIT_SIZE as usize;
    let limbs = a.as_ref();
    let radix: u64 = 1 << w;
    let mask = radix - 1;
    let count = num_bits.div_ceil(w);
    let mut carry = 0u64;
    let mut nonzero = 0;
    for i in 0..count {
        let off = i * w;
        let (idx, bit) = (off / 64, off % 64);
        let buf = if bit < 64 - w || idx == limbs.len() - 1 {
            limbs[idx] >> bit
        } else {
            (limbs[idx] >> bit) | (limbs[idx + 1] << (64 - bit))
        };
        let coef = carry + (buf & mask);
        carry = (coef + radix / 2) >> w;
        let mut digit = coef as i64 - (carry << w) as i64;
        if i == count - 1 {
            digit += (carry << w) as i64;
        }
        if digit != 0 {
            nonzero += 1;
        }
    }
    nonzero
}

/// The window size arkworks 0.5 picks for an MSM of `n` points.
fn window(n: usize) -> usize {
    if n < 32 {
        3
    } else {
        (ark_std::log2(n) * 69 / 100) as usize + 2
    }
}

struct MsmWork {
    name: &'static str,
    n: usize,
    identities: usize,
    zero_scalars: usize,
    useful: usize,
    c: usize,
    bucket_adds: usize,
    reduction_adds: usize,
}

fn msm_work<G: AffineRepr>(name: &'static str, bases: &[G], scalars: &[BigInt]) -> MsmWork {
    let n = bases.len().min(scalars.len());
    let c = window(n);
    let windows = (Fr::MODULUS_BIT_SIZE as usize).div_ceil(c);
    let mut w = MsmWork {
        name,
        n,
        identities: 0,
        zero_scalars: 0,
        useful: 0,
        c,
        bucket_adds: 0,
        // Per window, the running-sum reduction does two additions per
        // bucket; the upper half of the 2^c buckets stays empty and is cheap.
        reduction_adds: windows * (1 << c),
    };
    for (p, s) in bases.iter().zip(scalars) {
        let id = p.is_zero();
        let zero = s.is_zero();
        w.identities += usize::from(id);
        w.zero_scalars += usize::from(zero);
        w.useful += usize::from(!id && !zero);
        if !id {
            w.bucket_adds += nonzero_digits(s, c);
        }
    }
    w
}

fn main() -> Result<()> {
    let mut runs = 11usize;
    let mut threads: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = Some(args.next().ok_or("--threads needs N")?.parse()?),
            "--only" => return only(&args.next().ok_or("--only needs a phase")?),
            "-h" | "--help" => {
                println!("breakdown [RUNS] [--threads N] | breakdown --only witness|synthesis");
                return Ok(());
            }
            n => runs = n.parse()?,
        }
    }
    if runs == 0 {
        return Err("RUNS must be at least 1".into());
    }
    match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(|| report(runs)),
        None => report(runs),
    }
}

/// Run one phase once and exit, for measuring its peak memory with
/// `/usr/bin/time -v` (no proving key is made).
fn only(phase: &str) -> Result<()> {
    let f = Fixture::load()?;
    match phase {
        "witness" => {
            let (full, _) = witness_only(f.circuit())?;
            println!("witness only: {} values", full.len());
        }
        "synthesis" => {
            let t = Instant::now();
            let cs = synthesize(f.circuit())?;
            let t1 = t.elapsed();
            cs.finalize();
            let t2 = t.elapsed();
            let m = cs.to_matrices().ok_or("no matrices")?;
            let t3 = t.elapsed();
            println!(
                "synthesis: {} constraints; generate {:.1} ms, finalize {:.1} ms, to_matrices {:.1} ms",
                m.num_constraints,
                ms(t1),
                ms(t2 - t1),
                ms(t3 - t2)
            );
        }
        _ => return Err(format!("unknown phase {phase} (witness, synthesis)").into()),
    }
    Ok(())
}

fn report(runs: usize) -> Result<()> {
    println!("{}", thread_header());
    println!(
        "breakdown: {runs} runs in a pool of {} threads",
        rayon::current_num_threads()
    );
    let f = Fixture::load()?;
    let t = Instant::now();
    let pk = proving_key(&f)?;
    println!("setup (seeded, once): {:.0} ms", ms(t.elapsed()));

    // The key's first proof caches its matrices; then one warm-up run that
    // also checks the recomposition, then the timed runs. Each run times a
    // first proof on a fresh copy of the key (loaded from its file, outside
    // the timings).
    groth16::prove(pk, f.circuit(), &mut rng(PROVE_SEED))?;
    let file = pk.to_file();
    let pin = pk_file_fingerprint(&file);
    let fresh = || ProvingKey::from_pinned_file(&file, &pin);
    let mut scratch = vec![Sample::default(); ROWS.len()];
    let obs = run_once(&f, pk, &fresh()?, PROVE_SEED, &mut scratch, true)?;
    let mut samples: Vec<Vec<Sample>> = vec![Vec::with_capacity(runs); ROWS.len()];
    for i in 0..runs {
        let mut times = vec![Sample::default(); ROWS.len()];
        run_once(
            &f,
            pk,
            &fresh()?,
            PROVE_SEED + 1 + i as u64,
            &mut times,
            false,
        )?;
        for (s, t) in samples.iter_mut().zip(times) {
            s.push(t);
        }
    }
    let pick = |g: fn(&Sample) -> Duration| -> Vec<Duration> {
        samples
            .iter()
            .map(|v| median(v.iter().map(g).collect()))
            .collect()
    };
    let wall = pick(|s| s.wall);
    let have_cpu = cpu_ns().is_some();
    // Shares and ns/constraint are of CPU time where the OS reports it.
    let cpu = if have_cpu {
        pick(|s| s.cpu)
    } else {
        wall.clone()
    };
    let wait = pick(|s| s.wait);
    let have_wait = wait_ns().is_some();
    let nc = obs.num_constraints as f64;
    let sum_of = |v: &[Duration], keep: fn(Kind) -> bool| -> Duration {
        ROWS.iter()
            .zip(v)
            .filter(|((_, k), _)| keep(*k))
            .map(|(_, d)| *d)
            .sum()
    };
    let is_core = |k: Kind| k == Kind::Core;
    let is_phase = |k: Kind| matches!(k, Kind::Pre | Kind::Core | Kind::Post);
    let core_cpu = sum_of(&cpu, is_core);

    println!();
    println!(
        "{} constraints, {} instance variables (with 1), {} witness variables; QAP domain {}",
        obs.num_constraints, obs.num_inputs, obs.num_aux, obs.domain_size
    );
    println!(
        "{} symbolic linear combinations before inlining; non-zero entries A {}, B {}, C {}",
        obs.num_lcs, obs.nnz[0], obs.nnz[1], obs.nnz[2]
    );
    println!();
    println!(
        "| phase | wall ms | CPU ms | % of Groth16 (CPU) | ns/constraint (CPU) | waited for a CPU, ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |name: &str, w: Duration, c: Duration, q: Duration, share: bool| {
        let p = if share {
            format!("{:.1}%", 100.0 * c.as_secs_f64() / core_cpu.as_secs_f64())
        } else {
            String::new()
        };
        let per_constraint = c.as_secs_f64() * 1e9 / nc;
        let c = if have_cpu {
            format!("{:.2}", ms(c))
        } else {
            "–".into()
        };
        let q = if have_wait {
            format!("{:.1}", ms(q))
        } else {
            "–".into()
        };
        println!(
            "| {name} | {:.2} | {c} | {p} | {per_constraint:.0} | {q} |",
            ms(w)
        );
    };
    // The number of (base, scalar) pairs each MSM takes: the shorter of the two.
    let q = pk.as_ark();
    let msm_points = [
        obs.assignment.len().min(q.a_query.len() - 1),
        obs.assignment.len().min(q.b_g1_query.len() - 1),
        obs.assignment.len().min(q.b_g2_query.len() - 1),
        obs.h.len().min(q.h_query.len()),
        obs.aux.len().min(q.l_query.len()),
    ];
    for (i, (name, kind)) in ROWS.iter().enumerate() {
        if *kind == Kind::Whole {
            continue;
        }
        let name = match i.checked_sub(ROW_MSM_A).and_then(|j| msm_points.get(j)) {
            Some(n) => format!("{name}, {n} points"),
            None => (*name).to_string(),
        };
        row(
            &name,
            wall[i],
            cpu[i],
            wait[i],
            matches!(kind, Kind::Core | Kind::Sub),
        );
    }
    let msm = ROW_MSM_A..ROW_MSM_A + 5;
    row(
        "**sum of Groth16 phases**",
        sum_of(&wall, is_core),
        core_cpu,
        sum_of(&wait, is_core),
        true,
    );
    row(
        "  of which the five MSMs (the floor)",
        wall[msm.clone()].iter().sum(),
        cpu[msm.clone()].iter().sum(),
        wait[msm].iter().sum(),
        true,
    );
    row(
        "sum of all phases (holder::prove's work)",
        sum_of(&wall, is_phase),
        sum_of(&cpu, is_phase),
        sum_of(&wait, is_phase),
        false,
    );
    let once = ROW_ONCE..ROW_ONCE + 3;
    row(
        "key's first proof only, sum (not in the sums above)",
        wall[once.clone()].iter().sum(),
        cpu[once.clone()].iter().sum(),
        wait[once].iter().sum(),
        false,
    );
    for i in [ROW_GROTH16, ROW_PROVE_CACHED, ROW_PROVE_FIRST, ROW_HOLDER] {
        row(ROWS[i].0, wall[i], cpu[i], wait[i], false);
    }
    let pick_rows = |v: &[Duration]| -> Duration { SCHEDULED.iter().map(|&i| v[i]).sum() };
    row(
        "witness map + scalars + 5 MSMs one by one (sum of their rows' medians)",
        pick_rows(&wall),
        pick_rows(&cpu),
        pick_rows(&wait),
        false,
    );
    row(
        ROWS[ROW_SUMS].0,
        wall[ROW_SUMS],
        cpu[ROW_SUMS],
        wait[ROW_SUMS],
        false,
    );
    if rayon::current_num_threads() > 1 {
        println!();
        println!("(CPU time is summed over all threads, so it can exceed wall time.)");
    }

    // What the MSMs are fed.
    println!();
    println!("| scalars | n | zero | one | 2–64 bits | > 64 bits | mean bits |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, v) in [
        ("assignment (A, B queries)", &obs.assignment),
        ("witness part (L query)", &obs.aux),
        ("h (H query)", &obs.h),
    ] {
        let c = classify(v);
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:.1} |",
            c.n,
            pct(c.zero, c.n),
            pct(c.one, c.n),
            pct(c.small, c.n),
            pct(c.large, c.n),
            c.bits as f64 / c.n.max(1) as f64
        );
    }
    let pk_ark = pk.as_ark();
    let work = [
        msm_work("A (G1)", &pk_ark.a_query[1..], &obs.assignment),
        msm_work("B (G1)", &pk_ark.b_g1_query[1..], &obs.assignment),
        msm_work("B (G2)", &pk_ark.b_g2_query[1..], &obs.assignment),
        msm_work("H (G1)", &pk_ark.h_query, &obs.h),
        msm_work("L (G1)", &pk_ark.l_query, &obs.aux),
    ];
    println!();
    println!(
        "| MSM | points | identity points | zero scalars | nonzero scalar on a non-identity point | window c | \
         bucket adds | reduction adds | CPU ms | ns per add |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (i, w) in work.iter().enumerate() {
        let d = cpu[ROW_MSM_A + i];
        let adds = w.bucket_adds + w.reduction_adds;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.0} |",
            w.name,
            w.n,
            pct(w.identities, w.n),
            pct(w.zero_scalars, w.n),
            pct(w.useful, w.n),
            w.c,
            w.bucket_adds,
            w.reduction_adds,
            ms(d),
            d.as_secs_f64() * 1e9 / adds.max(1) as f64
        );
    }
    println!();
    println!(
        "window c, bucket adds and reduction adds count arkworks' msm_bigint_wnaf (the old \
         path; the CPU column times the prover's MSM, zkstatus_prover::msm, batch-affine, \
         window msm::window_bits). bucket adds: additions of a base into a bucket (one per \
         nonzero signed window digit, identity bases skipped); reduction adds: the per-window running sums (2 per bucket, \
         2^c buckets, about half of them full additions). CPU time of the process; on a busy \
         machine wall time also holds the waits (see benches/README.md)."
    );
    Ok(())
}
