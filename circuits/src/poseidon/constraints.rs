//! The Poseidon gadget: circomlib's `Poseidon(n)` as R1CS, twin of [`super::hash`].
//!
//! Cost: 3 constraints per S-box (`x²`, `x⁴`, `x⁵`), so
//! `3·(R_F·t + R_P)` for width `t`, less 3 for every S-box whose input is a
//! constant (the first round's `state[0]`, and constant inputs such as a
//! domain tag). Round constants and the MDS layer are linear and free.

use super::{params, PoseidonError, ALPHA};
use crate::lc::Lc;
use ark_bn254::Fr;
use ark_ff::AdditiveGroup;
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
/// The state is kept as [`Lc`]s: round constants and the MDS layer build each
/// element once as `Σ_j mds[i][j]·state[j]`, and only S-box inputs and the
/// output become linear combinations of the constraint system. The
/// constraints are the S-boxes', as with plain `FpVar` arithmetic.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let p = params(inputs.len()).map_err(|_: PoseidonError| SynthesisError::Unsatisfiable)?;
    let mut state: Vec<Lc<Fr>> = Vec::with_capacity(p.width);
    state.push(Lc::zero());
    state.extend(inputs.iter().map(Lc::from_fp));
    for round in 0..p.rounds() {
        // Round constants: state[i] + ark[round][i] (linear, free).
        for (s, c) in state.iter_mut().zip(&p.ark[round]) {
            *s = s.add_constant(*c);
        }
        // S-boxes: every element in a full round, state[0] in a partial one.
        let n_sboxes = if p.is_full_round(round) { p.width } else { 1 };
        for s in state.iter_mut().take(n_sboxes) {
            *s = Lc::from_fp(&sbox(&s.to_fp()?)?);
        }
        // MDS: state'[i] = Σ_j mds[i][j]·state[j] (linear, free).
        state = p
            .mds
            .iter()
            .map(|row| Lc::weighted_sum(row.iter().copied().zip(&state), Fr::ZERO))
            .collect();
    }
    state.swap_remove(0).to_fp()
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
