//! The R1CS-to-QAP reduction of snarkjs's Groth16, the one reduction of
//! this project: every key it makes ([`crate::keys::setup_v2`]) and every
//! key a snarkjs ceremony makes (issue [4/7]) is for it, and the one prover
//! ([`crate::groth16`]) computes it.
//!
//! Written by hand: ark-circom's `CircomReduction` is the only crate that
//! has it, and ark-circom pulls wasmer into the build and panics on bad
//! input (issue [4/7]). The description followed is snarkjs's
//! (`src/zkey_new.js`, section 9 "hExps"; `src/groth16_prove.js`,
//! `buildABC1` and the odd-coset FFTs), which ark-circom's `src/circom/qap.rs`
//! also follows.
//!
//! **The two reductions.** Let `n` be the size of the evaluation domain
//! (the constraints plus one input-consistency constraint per instance
//! variable, rounded up to a power of two), `ω_n` its generator, `Z(X) =
//! X^n − 1`, and `A(X), B(X), C(X)` the interpolants of `A·z, B·z, C·z`.
//! `A·B − C = H·Z` has degree at most `2n − 2`. Both reductions give the
//! prover a way to add `H(τ)Z(τ)/δ` to the proof's `C`:
//!
//! - ark-groth16's `LibsnarkReduction`: the witness map returns `H`'s
//!   coefficients (division by `Z` on a coset), and the key's `h_query[i]`
//!   is `τ^i·Z(τ)/δ`, `n − 1` points.
//! - snarkjs's (this module): `H·Z` vanishes on the `n`-domain, the even
//!   points of the `2n`-domain, so it is fixed by its values on the odd
//!   points `ω_2n·ω_n^i`. The witness map returns those values, `(A·B −
//!   C)(ω_2n·ω_n^i)`, no division; the key's `h_query[i]` is `L_{2i+1}(τ)/δ`,
//!   the Lagrange basis polynomial of the `2n`-domain at the odd point `2i +
//!   1`: `n` points. Then `Σ h_i·h_query[i] = Σ_j (H·Z)(ω_2n^j)·L_j(τ)/δ =
//!   H(τ)Z(τ)/δ`.
//!
//! The `A`, `B`, `L` queries and the verifying key are the same for both
//! (same instance map, same polynomials), so a verifying key does not
//! depend on the reduction; a proving key's `h` query does, and so a key
//! made for one reduction gives proofs that do not verify with the other's
//! witness map (`prover/tests/qap.rs`).

use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, LibsnarkReduction, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystemRef, SynthesisError};
use ark_std::{cfg_into_iter, cfg_iter, cfg_iter_mut};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// snarkjs's R1CS-to-QAP reduction (circom's; ark-circom calls it
/// `CircomReduction`), for ark-groth16 0.5: `Groth16::<Bn254,
/// SnarkjsReduction>` makes keys for it and proves with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct SnarkjsReduction;

/// The evaluation domain of a constraint system with `num_constraints`
/// constraints and `num_inputs` instance variables (the constant one
/// included): one point per constraint and per input-consistency
/// constraint, as ark-groth16 and snarkjs (`zkey_new.js`: `nConstraints +
/// nPublic + 1`) size it.
fn domain<F: PrimeField, D: EvaluationDomain<F>>(
    num_constraints: usize,
    num_inputs: usize,
) -> Result<D, SynthesisError> {
    let size = num_constraints
        .checked_add(num_inputs)
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    D::new(size).ok_or(SynthesisError::PolynomialDegreeTooLarge)
}

/// The domain of twice the size of `domain`'s (the odd points of which
/// are the coset `ω_2n·⟨ω_n⟩`).
fn double<F: PrimeField, D: EvaluationDomain<F>>(domain: &D) -> Result<D, SynthesisError> {
    let size = domain
        .size()
        .checked_mul(2)
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    let double = D::new(size).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    // D::new rounds up; a domain of another size would pair the wrong
    // points with the key's H query.
    if double.size() != size {
        return Err(SynthesisError::PolynomialDegreeTooLarge);
    }
    Ok(double)
}

/// The witness map: `(A·B − C)(ω_2n·ω_n^i)` for `i < n`, the values of
/// `H·Z` on the odd coset (snarkjs `groth16_prove.js`).
///
/// `full_assignment` is every value, the constant one first; the caller
/// gives as many as the matrices index (the matrices come from the same
/// constraint system), and a shorter one is an error, not a panic.
pub fn odd_coset_evaluations<F: PrimeField, D: EvaluationDomain<F>>(
    matrices: &ConstraintMatrices<F>,
    num_inputs: usize,
    num_constraints: usize,
    full_assignment: &[F],
) -> Result<Vec<F>, SynthesisError> {
    let domain = domain::<F, D>(num_constraints, num_inputs)?;
    let n = domain.size();
    // Every index the matrices use must be in the assignment, and every row
    // in the matrices (evaluate_constraint indexes without a check).
    let in_range = |rows: &[Vec<(F, usize)>]| {
        rows.iter()
            .flatten()
            .all(|(_, i)| *i < full_assignment.len())
    };
    if matrices.a.len() < num_constraints
        || matrices.b.len() < num_constraints
        || full_assignment.len() < num_inputs
        || !in_range(&matrices.a[..num_constraints])
        || !in_range(&matrices.b[..num_constraints])
    {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut a = vec![F::zero(); n];
    let mut b = vec![F::zero(); n];
    cfg_iter_mut!(a[..num_constraints])
        .zip(cfg_iter_mut!(b[..num_constraints]))
        .zip(cfg_iter!(matrices.a[..num_constraints]))
        .zip(cfg_iter!(matrices.b[..num_constraints]))
        .for_each(|(((a, b), a_row), b_row)| {
            *a = evaluate_constraint(a_row, full_assignment);
            *b = evaluate_constraint(b_row, full_assignment);
        });
    // The input-consistency constraints `z_j · 0 = 0`, one per instance
    // variable after the circuit's (ark-groth16's instance map; snarkjs's
    // `zkey_new.js` puts them at the same rows).
    a[num_constraints..num_constraints + num_inputs]
        .copy_from_slice(&full_assignment[..num_inputs]);
    // C on the domain as A·B, point by point, as snarkjs's `buildABC1` does
    // (a zkey has no C matrix): equal to C·z wherever the assignment
    // satisfies the constraints; where it does not, the proof does not
    // verify either way.
    let mut c: Vec<F> = cfg_iter!(a)
        .zip(cfg_iter!(b))
        .map(|(a, b)| *a * b)
        .collect();

    // From evaluations on ⟨ω_n⟩ to evaluations on ω_2n·⟨ω_n⟩: interpolate,
    // then evaluate on the coset (snarkjs: ifft, batchApplyKey by powers of
    // w[power + 1], fft).
    let omega_2n = double::<F, D>(&domain)?.group_gen();
    let odd = domain
        .get_coset(omega_2n)
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    for v in [&mut a, &mut b, &mut c] {
        domain.ifft_in_place(v);
        odd.fft_in_place(v);
    }
    // h_i = A_i·B_i − C_i on the odd coset (snarkjs `joinABC`).
    cfg_iter_mut!(a)
        .zip(cfg_iter!(b))
        .zip(cfg_iter!(c))
        .for_each(|((a, b), c)| {
            *a *= b;
            *a -= c;
        });
    Ok(a)
}

/// The setup's `H` query scalars for a domain of size `n`: `L_{2i+1}(τ)/δ`
/// for `i < n`, the Lagrange basis of the `2n`-domain at its odd points
/// (snarkjs `zkey_new.js`, "hExps": the odd points of the powers of tau's
/// Lagrange section for `2n`, later divided by `δ` by the contributions).
///
/// `L_j(τ) = (1/2n)·Σ_k τ^k·ω_2n^{−jk}`: the inverse FFT of `(τ^k)_{k<2n}`.
pub fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
    n: usize,
    tau: F,
    delta_inverse: F,
) -> Result<Vec<F>, SynthesisError> {
    let domain = D::new(n).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    if domain.size() != n {
        return Err(SynthesisError::PolynomialDegreeTooLarge);
    }
    let double = double::<F, D>(&domain)?;
    let mut powers = Vec::with_capacity(double.size());
    let mut p = F::one();
    for _ in 0..double.size() {
        powers.push(p);
        p *= tau;
    }
    double.ifft_in_place(&mut powers);
    Ok(cfg_into_iter!(powers)
        .skip(1)
        .step_by(2)
        .map(|l| l * delta_inverse)
        .collect())
}

impl R1CSToQAP for SnarkjsReduction {
    /// The same QAP polynomials as ark-groth16's (`u_i, v_i, w_i` at `τ`,
    /// input-consistency constraints after the circuit's): the `A`, `B`, `L`
    /// queries and the verifying key do not depend on the reduction.
    #[allow(clippy::type_complexity)]
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        cs: ConstraintSystemRef<F>,
        t: &F,
    ) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
        LibsnarkReduction::instance_map_with_evaluation::<F, D>(cs, t)
    }

    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &ConstraintMatrices<F>,
        num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> Result<Vec<F>, SynthesisError> {
        odd_coset_evaluations::<F, D>(matrices, num_inputs, num_constraints, full_assignment)
    }

    /// ark-groth16's generator passes `max_power = n − 1` (its own `H`
    /// query has `n − 1` points); this one has `n`. `Z(τ)` is not a
    /// factor: the odd-coset values are `H·Z`'s, not `H`'s.
    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        max_power: usize,
        t: F,
        _zt: F,
        delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        let n = max_power
            .checked_add(1)
            .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        if t.is_zero() {
            return Err(SynthesisError::UnexpectedIdentity);
        }
        h_query_scalars::<F, D>(n, t, delta_inverse)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_bn254::{Bn254, Fr};
    use ark_ff::{Field, One, UniformRand, Zero};
    use ark_groth16::Groth16;
    use ark_poly::GeneralEvaluationDomain;
    use ark_relations::lc;
    use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, Variable};
    use ark_snark::SNARK;
    use rand::SeedableRng;

    type D = GeneralEvaluationDomain<Fr>;

    /// `x³ + x + 5 = y` with `y` public (3 multiplication constraints, 2
    /// instance variables: a domain of 8, of which 3 points are unused).
    #[derive(Clone)]
    struct Cubic {
        x: Fr,
    }

    impl ConstraintSynthesizer<Fr> for Cubic {
        fn generate_constraints(
            self,
            cs: ConstraintSystemRef<Fr>,
        ) -> ark_relations::r1cs::Result<()> {
            let x = self.x;
            let y = x * x * x + x + Fr::from(5u64);
            let y_var = cs.new_input_variable(|| Ok(y))?;
            let x_var = cs.new_witness_variable(|| Ok(x))?;
            let x2 = cs.new_witness_variable(|| Ok(x * x))?;
            let x3 = cs.new_witness_variable(|| Ok(x * x * x))?;
            cs.enforce_constraint(lc!() + x_var, lc!() + x_var, lc!() + x2)?;
            cs.enforce_constraint(lc!() + x2, lc!() + x_var, lc!() + x3)?;
            cs.enforce_constraint(
                lc!() + x3 + x_var + (Fr::from(5u64), Variable::One),
                lc!() + Variable::One,
                lc!() + y_var,
            )?;
            Ok(())
        }
    }

    fn rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(4)
    }

    /// The reduction's identity at a random `τ`: `Σ h_i·L_{2i+1}(τ) =
    /// A(τ)·B(τ) − C(τ)`, with `A, B, C` from the instance map (what the
    /// key's `A`, `B`, `L` queries encode).
    #[test]
    fn odd_coset_values_against_the_h_query_give_ab_minus_c_at_tau() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        Cubic { x: Fr::from(3u64) }
            .generate_constraints(cs.clone())
            .unwrap();
        cs.finalize();
        assert!(cs.is_satisfied().unwrap());
        let m = cs.to_matrices().unwrap();
        let (num_inputs, num_constraints) = (cs.num_instance_variables(), cs.num_constraints());
        let z = {
            let b = cs.borrow().unwrap();
            [b.instance_assignment.clone(), b.witness_assignment.clone()].concat()
        };
        let h = odd_coset_evaluations::<Fr, D>(&m, num_inputs, num_constraints, &z).unwrap();
        let n = D::new(num_constraints + num_inputs).unwrap().size();
        assert_eq!((h.len(), n), (8, 8));
        let tau = Fr::rand(&mut rng());
        let (ua, vb, wc, _, _, m_raw) =
            SnarkjsReduction::instance_map_with_evaluation::<Fr, D>(cs.clone(), &tau).unwrap();
        assert_eq!(m_raw, n);
        let dot = |p: &[Fr]| p.iter().zip(&z).map(|(p, z)| *p * z).sum::<Fr>();
        let expected = dot(&ua) * dot(&vb) - dot(&wc);
        let q = SnarkjsReduction::h_query_scalars::<Fr, D>(m_raw - 1, tau, Fr::zero(), Fr::one())
            .unwrap();
        assert_eq!(q.len(), n);
        let got: Fr = h.iter().zip(&q).map(|(h, q)| *h * q).sum();
        assert_eq!(got, expected);
        // A satisfying assignment: A·B − C vanishes on the domain, so the
        // sum is H(τ)·Z(τ), zero only if H is.
        assert!(!got.is_zero());
        let domain = D::new(n).unwrap();
        assert!(domain.evaluate_vanishing_polynomial(tau) != Fr::zero());
    }

    /// The `H` query scalars are the Lagrange basis of the `2n`-domain at
    /// its odd points: `L_j(τ) = ω^j·(τ^{2n} − 1)/(2n·(τ − ω^j))`.
    #[test]
    fn h_query_scalars_are_the_odd_lagrange_values() {
        let n = 8;
        let tau = Fr::rand(&mut rng());
        let delta_inverse = Fr::from(7u64).inverse().unwrap();
        let q = h_query_scalars::<Fr, D>(n, tau, delta_inverse).unwrap();
        let double = D::new(2 * n).unwrap();
        let big_n = Fr::from((2 * n) as u64);
        for (i, q) in q.iter().enumerate() {
            let w = double.element(2 * i + 1);
            let l = w * (tau.pow([2 * n as u64]) - Fr::one()) / (big_n * (tau - w));
            assert_eq!(*q, l * delta_inverse, "point {i}");
        }
        // Not a power of two: refused, not rounded.
        assert_eq!(
            h_query_scalars::<Fr, D>(6, tau, delta_inverse),
            Err(SynthesisError::PolynomialDegreeTooLarge)
        );
    }

    /// ark-groth16's own setup and prover, with this reduction, verify;
    /// ark-groth16's default prover on this reduction's key does not.
    #[test]
    fn groth16_with_this_reduction_proves_and_the_default_one_does_not() {
        let mut rng = rng();
        let (pk, vk) = Groth16::<Bn254, SnarkjsReduction>::circuit_specific_setup(
            Cubic { x: Fr::one() },
            &mut rng,
        )
        .unwrap();
        assert_eq!(pk.h_query.len(), 8);
        let x = Fr::from(3u64);
        let y = [x * x * x + x + Fr::from(5u64)];
        let proof = Groth16::<Bn254, SnarkjsReduction>::prove(&pk, Cubic { x }, &mut rng).unwrap();
        assert!(Groth16::<Bn254>::verify(&vk, &y, &proof).unwrap());
        assert!(!Groth16::<Bn254>::verify(&vk, &[y[0] + Fr::one()], &proof).unwrap());
        let wrong = Groth16::<Bn254>::prove(&pk, Cubic { x }, &mut rng).unwrap();
        assert!(!Groth16::<Bn254>::verify(&vk, &y, &wrong).unwrap());
    }

    /// Matrices that index past the assignment are an error, not a panic.
    #[test]
    fn short_assignment_is_refused() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        Cubic { x: Fr::one() }
            .generate_constraints(cs.clone())
            .unwrap();
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        let short = [Fr::one(); 2];
        assert_eq!(
            odd_coset_evaluations::<Fr, D>(&m, 2, 3, &short),
            Err(SynthesisError::Unsatisfiable)
        );
    }
}
