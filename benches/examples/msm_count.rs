//! One MSM on synthetic inputs (bases `G, 2G, 3G, …`, seeded random scalars),
//! for instruction counts under valgrind: run it with `none`, `ark`, `new`
//! (`prover::msm`'s Pippenger without an endomorphism) and `glv` (the GLV
//! split in G1, the GLS split in G2, then the same Pippenger; what
//! `msm::msm_bigint` runs) and subtract the `none` count (the input set-up).
//!
//! ```sh
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!   target/release/examples/msm_count -- {none|ark|new|glv} [N] [g1|g2] [WINDOW]
//! ```
//! (`RAYON_NUM_THREADS=1`.)

use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{PrimeField, UniformRand};
use zkstatus_benches::{rng, Result};
use zkstatus_prover::msm;

fn bases<G: CurveGroup>(n: usize) -> Vec<G::Affine> {
    let g = G::generator();
    let mut acc = g;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(acc);
        acc += g;
    }
    G::normalize_batch(&v)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map_or("none", String::as_str);
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(8191);
    let g2 = args.get(2).is_some_and(|a| a == "g2");
    let window: Option<usize> = args.get(3).and_then(|a| a.parse().ok());
    let mut r = rng(1);
    let scalars: Vec<_> = (0..n).map(|_| Fr::rand(&mut r).into_bigint()).collect();
    if g2 {
        let b = bases::<G2Projective>(n);
        let out = match which {
            "ark" => G2Projective::msm_bigint(&b, &scalars),
            "new" => match window {
                Some(c) => msm::msm_bigint_window(&b, &scalars, c),
                None => msm::pippenger(&b, &scalars),
            },
            "glv" => msm::gls_g2_window(&b, &scalars, window),
            _ => G2Projective::generator(),
        };
        println!("{which} g2 {n}: {}", out.into_affine().x);
    } else {
        let b = bases::<G1Projective>(n);
        let out = match which {
            "ark" => G1Projective::msm_bigint(&b, &scalars),
            "new" => match window {
                Some(c) => msm::msm_bigint_window(&b, &scalars, c),
                None => msm::pippenger(&b, &scalars),
            },
            "glv" => msm::glv_g1_window(&b, &scalars, window),
            _ => G1Projective::generator(),
        };
        println!("{which} g1 {n}: {}", out.into_affine().x);
    }
    Ok(())
}
