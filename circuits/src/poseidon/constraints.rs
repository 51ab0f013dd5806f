//! The Poseidon gadget: circomlib's `Poseidon(n)` as R1CS, twin of [`super::hash`].
//!
//! Cost: 3 constraints per S-box (`x²`, `x⁴`, `x⁵`), so
//! `3·(R_F·t + R_P)` for width `t`, less 3 for every S-box whose input is a
//! constant (the first round's `state[0]`, and constant inputs such as a
//! domain tag). Round constants and the MDS layer are linear and free.

use super::{params, PoseidonError, PoseidonParams, ALPHA};
use crate::lc::Lc;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, Zero};
use ark_r1cs_std::fields::{fp::FpVar, FieldVar};
use ark_relations::r1cs::SynthesisError;

/// `x^5` with 3 constraints (none for a constant).
fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    debug_assert_eq!(ALPHA, 5);
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// circomlib's `Poseidon(n)` of `inputs` inside the circuit.
///
/// The arity is fixed by the caller at synthesis time; an unsupported arity is
/// a programming error reported as [`SynthesisError::Unsatisfiable`] rather
/// than a panic.
///
/// The state is kept as [`Lc`]s: round constants and the MDS layer are
/// linear, so only S-box inputs and the output become linear combinations of
/// the constraint system. The constraints are the S-boxes', in round order,
/// exactly as with plain `FpVar` arithmetic; see the private `partial_rounds` for how
/// the S-box inputs of the partial rounds are computed.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    hash_with(inputs, true)
}

/// [`hash`], with the partial rounds computed round by round (`false`) or by
/// [`partial_rounds`] (`true`); the two give the same circuit.
fn hash_with(inputs: &[FpVar<Fr>], fast_partial: bool) -> Result<FpVar<Fr>, SynthesisError> {
    let p = params(inputs.len()).map_err(|_: PoseidonError| SynthesisError::Unsatisfiable)?;
    let mut state: Vec<Lc<Fr>> = Vec::with_capacity(p.width);
    state.push(Lc::zero());
    state.extend(inputs.iter().map(Lc::from_fp));
    let first_partial = super::FULL_ROUNDS / 2;
    let after_partial = first_partial + p.partial_rounds;
    for r in 0..first_partial {
        round(p, r, &mut state)?;
    }
    // The shortcut needs every state element to be a variable (then every
    // intermediate value of the round-by-round computation is one too).
    if fast_partial
        && state.iter().all(|s| !s.is_constant())
        && p.mds.iter().flatten().all(|m| !m.is_zero())
    {
        state = partial_rounds(p, &state)?;
    } else {
        for r in first_partial..after_partial {
            round(p, r, &mut state)?;
        }
    }
    for r in after_partial..p.rounds() {
        round(p, r, &mut state)?;
    }
    state.swap_remove(0).to_fp()
}

/// One round: add the round constants, apply the S-boxes (all of them in a
/// full round, `state[0]`'s in a partial one), then the MDS matrix
/// `state'[i] = Σ_j mds[i][j]·state[j]`, each element built once.
fn round(p: &PoseidonParams, round: usize, state: &mut Vec<Lc<Fr>>) -> Result<(), SynthesisError> {
    for (s, c) in state.iter_mut().zip(&p.ark[round]) {
        *s = s.add_constant(*c);
    }
    let n_sboxes = if p.is_full_round(round) { p.width } else { 1 };
    for s in state.iter_mut().take(n_sboxes) {
        *s = Lc::from_fp(&sbox(&s.to_fp()?)?);
    }
    *state = p
        .mds
        .iter()
        .map(|row| Lc::weighted_sum(row.iter().copied().zip(state.iter()), Fr::ZERO))
        .collect();
    Ok(())
}

/// The partial rounds, with the same S-boxes (and so the same constraints)
/// as [`round`], but without expanding the whole state at every round.
///
/// Split the MDS matrix as `M = [[m₀₀, m₀ᵀ], [m_c, M̃]]` and the state
/// entering partial round `r` as `(s_r, R_r)`, `R_r` the last `t − 1`
/// elements. With `e_r` the S-box output of round `r` and `ã_r` the last
/// `t − 1` round constants,
///
/// ```text
/// s_{r+1} = m₀₀·e_r + m₀ᵀ·(R_r + ã_r)      R_{r+1} = m_c·e_r + M̃·(R_r + ã_r)
/// ```
///
/// so that by induction `R_r = M̃^r·R_0 + Σ_{i<r} M̃^{r−1−i}·m_c·e_i + κ_r`
/// with `κ_0 = 0`, `κ_{r+1} = M̃·(κ_r + ã_r)`, and
///
/// ```text
/// s_{r+1} = m₀₀·e_r + w_r·R_0 + Σ_{i<r} γ_{r−1−i}·e_i + m₀ᵀ·(κ_r + ã_r),
/// w_r = m₀ᵀ·M̃^r,  γ_j = w_j·m_c.
/// ```
///
/// Each S-box input `s_r + a_{r,0}` is thus built from `t − 1 + r` terms,
/// and the same linear function as round by round, which is all the matrices
/// see (see [`crate::lc`]). `R` is expanded once, after the last partial
/// round. Requires every element of `state` to be a variable and every MDS
/// entry to be non-zero, so that every value is a variable either way.
fn partial_rounds(p: &PoseidonParams, state: &[Lc<Fr>]) -> Result<Vec<Lc<Fr>>, SynthesisError> {
    let first = super::FULL_ROUNDS / 2;
    let (s_init, r0) = state.split_first().ok_or(SynthesisError::Unsatisfiable)?;
    let n = r0.len();
    let m00 = p.mds[0][0];
    let m0: Vec<Fr> = p.mds[0][1..].to_vec();
    let mc: Vec<Fr> = p.mds[1..].iter().map(|row| row[0]).collect();
    let mm: Vec<Vec<Fr>> = p.mds[1..].iter().map(|row| row[1..].to_vec()).collect();

    let mut s = s_init.clone();
    let mut e: Vec<Lc<Fr>> = Vec::with_capacity(p.partial_rounds);
    let mut w = m0.clone();
    let mut gamma: Vec<Fr> = Vec::with_capacity(p.partial_rounds);
    let mut kappa = vec![Fr::ZERO; n];
    for r in 0..p.partial_rounds {
        let a = &p.ark[first + r];
        e.push(Lc::from_fp(&sbox(&s.add_constant(a[0]).to_fp()?)?));
        // κ_r + ã_r
        let k: Vec<Fr> = kappa.iter().zip(&a[1..]).map(|(x, y)| *x + y).collect();
        gamma.push(dot(&w, &mc));
        let terms = w
            .iter()
            .copied()
            .zip(r0)
            .chain(e.last().map(|e_r| (m00, e_r)))
            .chain((0..r).map(|i| (gamma[r - 1 - i], &e[i])));
        s = Lc::weighted_sum(terms, dot(&m0, &k));
        kappa = mat_vec(&mm, &k);
        w = (0..n)
            .map(|j| (0..n).map(|i| w[i] * mm[i][j]).sum())
            .collect();
    }
    // R = M̃^{R_P}·R_0 + Σ_i M̃^{R_P−1−i}·m_c·e_i + κ_{R_P}.
    let power = mat_pow(&mm, p.partial_rounds);
    let mut v = Vec::with_capacity(p.partial_rounds); // v[j] = M̃^j·m_c
    let mut vj = mc;
    for _ in 0..p.partial_rounds {
        let next = mat_vec(&mm, &vj);
        v.push(vj);
        vj = next;
    }
    let mut out = Vec::with_capacity(n + 1);
    out.push(s);
    for row in 0..n {
        let terms = power[row].iter().copied().zip(r0).chain(
            e.iter()
                .enumerate()
                .map(|(i, e_i)| (v[e.len() - 1 - i][row], e_i)),
        );
        out.push(Lc::weighted_sum(terms, kappa[row]));
    }
    Ok(out)
}

fn dot(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

fn mat_vec(m: &[Vec<Fr>], v: &[Fr]) -> Vec<Fr> {
    m.iter().map(|row| dot(row, v)).collect()
}

fn mat_mul(a: &[Vec<Fr>], b: &[Vec<Fr>]) -> Vec<Vec<Fr>> {
    a.iter()
        .map(|row| {
            (0..b.len())
                .map(|j| row.iter().zip(b).map(|(x, b_k)| *x * b_k[j]).sum())
                .collect()
        })
        .collect()
}

/// `m^k` by square-and-multiply.
fn mat_pow(m: &[Vec<Fr>], mut k: usize) -> Vec<Vec<Fr>> {
    let n = m.len();
    let mut acc: Vec<Vec<Fr>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| if i == j { Fr::ONE } else { Fr::ZERO })
                .collect()
        })
        .collect();
    let mut base = m.to_vec();
    while k > 0 {
        if k & 1 == 1 {
            acc = mat_mul(&acc, &base);
        }
        base = mat_mul(&base, &base);
        k >>= 1;
    }
    acc
}

/// Number of constraints [`hash`] emits for `n` witness inputs and no constant ones.
pub fn num_constraints(n_inputs: usize) -> Option<usize> {
    let p = params(n_inputs).ok()?;
    // The first round's state[0] = 0 + c is constant: its S-box is free.
    Some(3 * (super::FULL_ROUNDS * p.width + p.partial_rounds) - 3)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_ff::{AdditiveGroup, Field, PrimeField, UniformRand};
    use ark_r1cs_std::{alloc::AllocVar, R1CSVar};
    use ark_relations::r1cs::ConstraintSystem;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn edge_values() -> Vec<Fr> {
        vec![
            Fr::ZERO,
            Fr::ONE,
            -Fr::ONE,
            Fr::from(u64::MAX),
            Fr::from(2u64).pow([64u64]),
        ]
    }

    #[test]
    fn gadget_matches_native_for_every_arity_and_allocation_mode() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for n in 1..=super::super::MAX_INPUTS {
            for mode in 0..3 {
                let cs = ConstraintSystem::<Fr>::new_ref();
                let values: Vec<Fr> = (0..n)
                    .map(|i| {
                        if i % 2 == 0 {
                            Fr::rand(&mut rng)
                        } else {
                            edge_values()[i % 5]
                        }
                    })
                    .collect();
                let vars: Vec<FpVar<Fr>> = values
                    .iter()
                    .map(|v| match mode {
                        0 => FpVar::new_constant(cs.clone(), *v).unwrap(),
                        1 => FpVar::new_input(cs.clone(), || Ok(*v)).unwrap(),
                        _ => FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap(),
                    })
                    .collect();
                let out = hash(&vars).unwrap();
                assert_eq!(out.value().unwrap(), super::super::hash(&values).unwrap());
                assert!(cs.is_satisfied().unwrap());
                if mode == 0 {
                    assert_eq!(cs.num_constraints(), 0, "constants fold");
                } else {
                    assert_eq!(Some(cs.num_constraints()), num_constraints(n), "n = {n}");
                }
            }
        }
    }

    #[test]
    fn partial_round_shortcut_gives_the_same_circuit_as_round_by_round() {
        use ark_relations::r1cs::SynthesisMode;
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        for n in 1..=super::super::MAX_INPUTS {
            let values: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            for setup in [false, true] {
                // The first input is a constant, like the commitment's domain tag.
                let synth = |fast: bool| {
                    let cs = ConstraintSystem::<Fr>::new_ref();
                    if setup {
                        cs.set_mode(SynthesisMode::Setup);
                    }
                    let mut vars = vec![FpVar::Constant(values[0])];
                    vars.extend(
                        values[1..]
                            .iter()
                            .map(|v| FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap()),
                    );
                    let out = hash_with(&vars, fast).unwrap();
                    out.enforce_equal(&FpVar::new_input(cs.clone(), || out.value()).unwrap())
                        .unwrap();
                    let value = out.value().ok();
                    cs.finalize();
                    (cs.to_matrices().unwrap(), value)
                };
                let (fast, slow) = (synth(true), synth(false));
                assert_eq!(fast, slow, "n = {n}, setup {setup}");
                if !setup {
                    assert_eq!(fast.1, Some(super::super::hash(&values).unwrap()));
                }
            }
        }
    }

    #[test]
    fn gadget_matches_native_on_edge_inputs() {
        for a in edge_values() {
            for b in edge_values() {
                let cs = ConstraintSystem::<Fr>::new_ref();
                let vars = [a, b].map(|v| FpVar::new_witness(cs.clone(), || Ok(v)).unwrap());
                let out = hash(&vars).unwrap();
                assert_eq!(out.value().unwrap(), super::super::hash(&[a, b]).unwrap());
                assert!(cs.is_satisfied().unwrap());
            }
        }
    }

    #[test]
    fn gadget_matches_native_on_random_inputs() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        for _ in 0..200 {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let v = [Fr::rand(&mut rng), Fr::rand(&mut rng)];
            let vars = v.map(|x| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap());
            assert_eq!(
                hash(&vars).unwrap().value().unwrap(),
                super::super::hash(&v).unwrap()
            );
        }
        let _ = Fr::MODULUS;
    }

    #[test]
    fn wrong_output_claim_is_unsatisfied() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let v = [Fr::from(1u64), Fr::from(2u64)];
        let vars = v.map(|x| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap());
        let out = hash(&vars).unwrap();
        let claimed = FpVar::new_input(cs.clone(), || Ok(Fr::from(3u64))).unwrap();
        out.enforce_equal(&claimed).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    use ark_r1cs_std::eq::EqGadget;
}
