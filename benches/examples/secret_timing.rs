//! Timing side channels of proving (issue [6/7]): does the holder's proving
//! work depend on the secret witness? Proves statement v2 (interactive, one
//! challenge, one policy, one registry root: the same public shape) for
//! pairs of *different valid secret inputs*, with the same seeded Groth16
//! randomness `r, s`, and reports what differs. `docs/security.md`,
//! "Timing side channels of proving", has the numbers.
//!
//! The world (built here, not the frozen fixture): one registry of 4,096
//! labs (full: every leaf of the tree used), its root active at the
//! fixture's challenge time, the fixture's policy and challenge. Variants:
//!
//! | variant | issuer leaf | record | holder secret, credential id |
//! |---|---:|---|---|
//! | `leaf0` | 0 | PCR negative, tested 5 h before | small (`0x5ec2e7`, `0xc0ffee`) |
//! | `leaf2047` | 2,047 (index weight 11) | as `leaf0` | as `leaf0` |
//! | `leaf2048` | 2,048 (index weight 1) | as `leaf0` | as `leaf0` |
//! | `leaf4095` | 4,095 (index weight 12) | as `leaf0` | as `leaf0` |
//! | `record` | 0 | antigen negative, tested 1 h before, an exposure 20 days before | as `leaf0` |
//! | `secret` | 0 | as `leaf0` | random 253-bit values |
//!
//! Modes:
//!
//! ```sh
//! cargo build --release -p zkstatus-benches --example secret_timing
//! # Instruction counts of one variant's holder work (prepare: root, the
//! # issuer's leaf and path, the native statement check; prove: witness,
//! # synthesis, Groth16 with r, s from seed 7). Only the `measured_*`
//! # functions are counted:
//! RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=cg.VARIANT.out \
//!   --collect-atstart=no --toggle-collect='secret_timing::measured_*' \
//!   $CARGO_TARGET_DIR/release/examples/secret_timing count VARIANT
//! # "Collected" (stderr) is the sum of the two; each one, and what is
//! # inside them (Registry::tree, check_statement, msm::glv_g1_window, …):
//! callgrind_annotate --inclusive=yes cg.VARIANT.out | grep -E 'measured_|msm::|tree'
//! # Per MSM: nonzero scalars, ones, GLV/GLS terms, the window, nonzero signed
//! # digits and bucket additions, for every variant (native, no timing):
//! $CARGO_TARGET_DIR/release/examples/secret_timing stats
//! # CPU time of N runs of each variant's prepare and prove (the two
//! # counted functions), and the prove's wall time, interleaved, one thread:
//! RAYON_NUM_THREADS=1 $CARGO_TARGET_DIR/release/examples/secret_timing time N [VARIANT…]
//! ```
//!
//! `count` prints the proof's hash and `stats` checks every variant's proof
//! verifies, so the runs prove what they claim.

use ark_bn254::Fr;
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField, UniformRand, Zero};
use std::time::Instant;
use zkstatus_benches::{proving_key, rng, single_thread_pool, Fixture, Result, PROVE_SEED};
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::registry::CAPACITY;
use zkstatus_circuits::statement::v2::constraints::StatusCircuit;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::groth16::{self, Values};
use zkstatus_prover::holder::v2::{prepare, Prepared, Presentation};
use zkstatus_prover::issuer;
use zkstatus_prover::keys::ProvingKeyV2;
use zkstatus_prover::msm;
use zkstatus_verifier::registry::Registry;
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};

/// The variants, in the order `stats` and `time` run them.
const VARIANTS: [&str; 6] = [
    "leaf0", "leaf2047", "leaf2048", "leaf4095", "record", "secret",
];

/// Lab `i`'s key: 32 bytes from `i`.
fn lab(i: usize) -> PrivateKey {
    let mut b = [0x5au8; 32];
    b[..8].copy_from_slice(&(i as u64).to_le_bytes());
    PrivateKey::from_bytes(b)
}

/// The registry of `CAPACITY` labs (through its file form: `Registry::add`
/// is quadratic) and its one root, active an hour before `now`.
fn registry(now: u64) -> Result<(Registry, AcceptedRoots)> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"ZKRG");
    bytes.push(1);
    bytes.extend_from_slice(&1u64.to_le_bytes());
    bytes.extend_from_slice(&(CAPACITY as u16).to_le_bytes());
    for i in 0..CAPACITY {
        bytes.extend_from_slice(&lab(i).public_key().pack());
        bytes.extend_from_slice(&(now - 30 * 86_400).to_le_bytes());
        bytes.extend_from_slice(&(now + 365 * 86_400).to_le_bytes());
        let name = format!("Lab {i}");
        bytes.push(name.len() as u8);
        bytes.extend_from_slice(name.as_bytes());
    }
    let reg = Registry::from_bytes(&bytes)?;
    let end_date = reg.end_date().ok_or("empty registry")?;
    let roots = AcceptedRoots::new(vec![PublishedRoot {
        epoch: reg.epoch(),
        root: reg.root()?,
        published_at: now - 2 * 86_400,
        activates_at: now - 3_600,
        end_date,
    }])?;
    Ok((reg, roots))
}

/// One variant's secret inputs.
struct Inputs {
    credential: Credential,
    secret: HolderSecret,
}

fn inputs(variant: &str, now: u64) -> Result<Inputs> {
    let (leaf, record_kind, random_secret) = match variant {
        "leaf0" => (0, false, false),
        "leaf2047" => (2047, false, false),
        "leaf2048" => (2048, false, false),
        "leaf4095" => (4095, false, false),
        "record" => (0, true, false),
        "secret" => (0, false, true),
        other => return Err(format!("unknown variant {other}").into()),
    };
    let (secret, credential_id) = if random_secret {
        let mut r = rng(0x5ec7e7);
        (HolderSecret::from_field(Fr::rand(&mut r)), Fr::rand(&mut r))
    } else {
        (
            HolderSecret::from_field(Fr::from(0x5ec2e7_u64)),
            Fr::from(0xc0ffee_u64),
        )
    };
    let record = if record_kind {
        Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::RapidAntigen,
            test_time: now - 3_600,
            exposure_time: now - 20 * 86_400,
            issued_at: now - 1_800,
            expires_at: now + 86_400,
            credential_id,
        }
    } else {
        Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: now - 5 * 3_600,
            exposure_time: NO_EXPOSURE,
            issued_at: now - 4 * 3_600,
            expires_at: now + 2 * 86_400,
            credential_id,
        }
    };
    Ok(Inputs {
        credential: issuer::issue(&lab(leaf), &record)?,
        secret,
    })
}

/// Everything public: the key, the registry, its roots, the policy and
/// the challenge (the fixture's).
struct World {
    fixture: Fixture,
    pk: &'static ProvingKeyV2,
    registries: Vec<Registry>,
    roots: AcceptedRoots,
}

impl World {
    fn build() -> Result<Self> {
        let fixture = Fixture::load()?;
        let pk = proving_key(&fixture)?;
        let (reg, roots) = registry(fixture.now)?;
        Ok(Self {
            fixture,
            pk,
            registries: vec![reg],
            roots,
        })
    }

    fn presentation(&self) -> Presentation {
        self.fixture.presentation()
    }
}

/// The holder's work before Groth16 (counted under callgrind).
#[inline(never)]
fn measured_prepare(world: &World, inp: &Inputs) -> Result<Prepared> {
    Ok(prepare(
        &inp.credential,
        &inp.secret,
        &world.fixture.policy,
        &world.registries,
        &world.roots,
        &world.presentation(),
    )?)
}

/// Witness, synthesis and Groth16 with `r, s` from [`PROVE_SEED`] (counted
/// under callgrind).
#[inline(never)]
fn measured_prove(world: &World, prepared: &Prepared) -> Result<zkstatus_verifier::groth16::Proof> {
    let circuit = StatusCircuit::new(&prepared.public, prepared.witness.clone());
    Ok(groth16::prove(world.pk, circuit, &mut rng(PROVE_SEED))?)
}

fn proof_hash(p: &zkstatus_verifier::groth16::Proof) -> String {
    // A short digest of A and C (enough to tell proofs apart).
    let text = format!("{} {}", p.a, p.c);
    let h = text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    format!("{h:016x}")
}

fn count(world: &World, variant: &str) -> Result<()> {
    let inp = inputs(variant, world.fixture.now)?;
    // On the one-thread pool's thread, so that arkworks' and the MSM's
    // parallel iterators run inside the counted functions (callgrind's
    // toggle is per thread).
    let pool = single_thread_pool()?;
    let prepared = pool.install(|| measured_prepare(world, &inp))?;
    let proof = pool.install(|| measured_prove(world, &prepared))?;
    println!("{variant}: proof {}", proof_hash(&proof));
    Ok(())
}

/// The signed base-`2^c` digits (as `prover::msm` makes them).
fn signed_digits(limbs: &[u64], c: usize, windows: usize) -> Vec<i64> {
    let half = 1i64 << (c - 1);
    let mut carry = 0i64;
    (0..windows)
        .map(|w| {
            let pos = w * c;
            let (limb, off) = (pos / 64, pos % 64);
            let lo = limbs.get(limb).map_or(0, |l| l >> off);
            let hi = if off + c > 64 {
                limbs.get(limb + 1).map_or(0, |l| l << (64 - off))
            } else {
                0
            };
            let mut v = ((lo | hi) & ((1u64 << c) - 1)) as i64 + carry;
            carry = 0;
            if v > half {
                v -= half << 1;
                carry = 1;
            }
            v
        })
        .collect()
}

/// What one MSM does for given scalars (terms after GLV in G1, GLS in G2).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct MsmWork {
    nonzero: usize,
    ones: usize,
    terms: usize,
    window: usize,
    windows: usize,
    digits: usize,
    bucket_adds: usize,
}

/// How `msm::msm_bigint` splits the scalars: GLV in G1, GLS in G2.
#[derive(Clone, Copy)]
enum Split {
    Glv,
    Gls,
}

/// `(is the base the identity, scalar)` per term, and how they are split.
fn msm_work(terms_in: &[(bool, ark_ff::BigInt<4>)], split: Split) -> MsmWork {
    let mut w = MsmWork::default();
    let mut terms: Vec<ark_ff::BigInt<4>> = Vec::new();
    for (identity, k) in terms_in {
        if *identity || k.is_zero() {
            continue;
        }
        w.nonzero += 1;
        w.ones += usize::from(*k == ark_ff::BigInt::from(1u64));
        let halves = match split {
            Split::Glv => {
                let (k1, k2) = msm::glv_decompose(k);
                [k1.unsigned_abs(), k2.unsigned_abs()]
            }
            Split::Gls => {
                let (k0, k1) = msm::gls_decompose(k);
                [k0, k1]
            }
        };
        for m in halves {
            if m != 0 {
                terms.push(ark_ff::BigInt::new([m as u64, (m >> 64) as u64, 0, 0]));
            }
        }
    }
    w.terms = terms.len();
    w.window = msm::window_bits(w.terms);
    let bits = terms.iter().map(|k| k.num_bits()).max().unwrap_or(0) as usize;
    w.windows = (bits + 1).div_ceil(w.window);
    let buckets = 1usize << (w.window - 1);
    let digits: Vec<Vec<i64>> = terms
        .iter()
        .map(|k| signed_digits(k.as_ref(), w.window, w.windows))
        .collect();
    for win in 0..w.windows {
        let mut lens = vec![0usize; buckets + 1];
        for d in &digits {
            if let Some(l) = d
                .get(win)
                .and_then(|x| lens.get_mut(x.unsigned_abs() as usize))
            {
                *l += 1;
            }
        }
        let nonzero: usize = lens.iter().skip(1).sum();
        let nonempty = lens.iter().skip(1).filter(|l| **l > 0).count();
        w.digits += nonzero;
        w.bucket_adds += nonzero - nonempty;
    }
    w
}

fn stats(world: &World) -> Result<()> {
    let k = world.pk.as_ark();
    let vk = world.pk.verifying_key().prepare();
    println!(
        "per MSM: nonzero scalars (base not the identity) / ones / terms after GLV/GLS / window c / \
         windows / nonzero signed digits / affine bucket additions"
    );
    for variant in VARIANTS {
        let inp = inputs(variant, world.fixture.now)?;
        let prepared = measured_prepare(world, &inp)?;
        let proof = measured_prove(world, &prepared)?;
        if !vk.verify(&prepared.public.to_field_elements(), &proof) {
            return Err(format!("{variant}: the proof does not verify").into());
        }
        let circuit = StatusCircuit::new(&prepared.public, prepared.witness.clone());
        let cs = groth16::synthesize(circuit)?;
        groth16::finalize(&cs);
        let matrices = groth16::matrices(&cs)?;
        let values = Values::of(&cs)?;
        let h = groth16::h_scalars(&groth16::witness_map(&matrices, &values)?);
        let assignment = values.assignment();
        let witness = assignment.get(values.witness_start()..).unwrap_or_default();
        let pair = |q: &[ark_bn254::G1Affine], s: &[ark_ff::BigInt<4>]| -> Vec<_> {
            q.iter().zip(s).map(|(p, k)| (p.is_zero(), *k)).collect()
        };
        let rows = [
            (
                "A (G1)",
                msm_work(
                    &pair(k.a_query.get(1..).unwrap_or_default(), &assignment),
                    Split::Glv,
                ),
            ),
            (
                "B (G1)",
                msm_work(
                    &pair(k.b_g1_query.get(1..).unwrap_or_default(), &assignment),
                    Split::Glv,
                ),
            ),
            (
                "B (G2)",
                msm_work(
                    &k.b_g2_query
                        .get(1..)
                        .unwrap_or_default()
                        .iter()
                        .zip(&assignment)
                        .map(|(p, s)| (p.is_zero(), *s))
                        .collect::<Vec<_>>(),
                    Split::Gls,
                ),
            ),
            ("H (G1)", msm_work(&pair(&k.h_query, &h), Split::Glv)),
            ("L (G1)", msm_work(&pair(&k.l_query, witness), Split::Glv)),
        ];
        let zeros = values.full().iter().filter(|x| x.is_zero()).count();
        let ones = values
            .full()
            .iter()
            .filter(|x| **x == Fr::from(1u64))
            .count();
        let small = values
            .full()
            .iter()
            .filter(|x| x.into_bigint().num_bits() <= 64)
            .count();
        println!(
            "{variant}: proof {} verifies; assignment {} values: {zeros} zero, {ones} one, {small} below 2^64",
            proof_hash(&proof),
            values.full().len()
        );
        for (name, w) in rows {
            println!(
                "  {name}: {} / {} / {} / c={} / {} / {} / {}",
                w.nonzero, w.ones, w.terms, w.window, w.windows, w.digits, w.bucket_adds
            );
        }
    }
    Ok(())
}

fn cpu_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(t.tv_nsec).unwrap_or(0)
}

fn summary(xs: &[f64]) -> String {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let mut s = xs.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let median = s.get(s.len() / 2).copied().unwrap_or(0.0);
    format!(
        "mean {mean:.2} ms, sd {sd:.2} ms, median {median:.2}, min {:.2}, max {:.2}",
        s.first().copied().unwrap_or(0.0),
        s.last().copied().unwrap_or(0.0)
    )
}

fn time(world: &World, n: usize, variants: &[String]) -> Result<()> {
    let pool = single_thread_pool()?;
    let variants: Vec<&str> = if variants.is_empty() {
        VARIANTS.to_vec()
    } else {
        variants.iter().map(String::as_str).collect()
    };
    let all: Vec<Inputs> = variants
        .iter()
        .map(|v| inputs(v, world.fixture.now))
        .collect::<Result<_>>()?;
    // Per variant: prepare CPU, prove CPU, prove wall (ms).
    let mut times = vec![[Vec::new(), Vec::new(), Vec::new()]; variants.len()];
    // Two warm-up rounds, then n rounds, the variants interleaved.
    for round in 0..n + 2 {
        for (i, inp) in all.iter().enumerate() {
            let c0 = cpu_ns();
            let prepared = pool.install(|| measured_prepare(world, inp))?;
            let (c1, t1) = (cpu_ns(), Instant::now());
            let proof = pool.install(|| measured_prove(world, &prepared))?;
            let (c2, t2) = (cpu_ns(), Instant::now());
            std::hint::black_box(proof);
            if round >= 2 {
                let ms = |a: u64, b: u64| b.saturating_sub(a) as f64 / 1e6;
                times[i][0].push(ms(c0, c1));
                times[i][1].push(ms(c1, c2));
                times[i][2].push((t2 - t1).as_secs_f64() * 1e3);
            }
        }
    }
    println!("{n} runs each, one thread, variants interleaved:");
    for (v, t) in variants.iter().zip(&times) {
        println!("  {v}: prepare CPU {}", summary(&t[0]));
        println!("  {v}: prove CPU   {}", summary(&t[1]));
        println!("  {v}: prove wall  {}", summary(&t[2]));
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("stats", String::as_str);
    let world = World::build()?;
    match mode {
        "count" => count(&world, args.get(1).map_or("leaf0", String::as_str)),
        "none" => Ok(()),
        "stats" => stats(&world),
        "time" => time(
            &world,
            args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20),
            args.get(2..).unwrap_or_default(),
        ),
        other => Err(format!("unknown mode {other}: count VARIANT | stats | time N").into()),
    }
}
