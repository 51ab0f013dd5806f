//! Linear combinations built once, outside the constraint system.
//!
//! r1cs-std's `FpVar` arithmetic records every `+`, `−` and `· constant` as a
//! new symbolic linear combination that refers to its operands'. A sum of
//! `n` terms becomes a chain of `2n` of them, and `ConstraintSystem::finalize`
//! (ark-relations' `inline_all_lcs`) then copies and rescales each link of the
//! chain again, keeping the zero coefficients of terms that cancelled. For
//! Poseidon's MDS layer and the Montgomery ladder that is most of the cost
//! of synthesis.
//!
//! [`Lc`] holds `k + Σ cᵢ·xᵢ` as a sorted list of `(cᵢ, xᵢ)` with the
//! repeated variables merged and the cancelled ones dropped, and hands it to
//! the constraint system as a single linear combination ([`Lc::to_fp`]) only
//! where a constraint needs it.
//!
//! # Same circuit
//!
//! The matrices do not depend on how a linear combination was built:
//! `finalize` expands every symbolic combination into the variables it
//! denotes, sorts the terms by variable and adds up repeated ones, and
//! `to_matrices` drops zero coefficients. Each row is therefore the canonical
//! form of a linear function, and two constructions of the same function give
//! the same row. What *can* change the circuit is whether a value is a
//! constant or a variable, since that decides whether a product costs a
//! constraint. [`Lc`] keeps that distinction exactly as `FpVar` does: the
//! result of an operation is a variable iff an operand is (with `x · 0` the
//! constant 0, as for `FpVar * F`), even when its terms cancel.

use ark_ff::PrimeField;
use ark_r1cs_std::{
    boolean::Boolean,
    fields::fp::{AllocatedFp, FpVar},
    R1CSVar,
};
use ark_relations::r1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};

/// `k + Σ cᵢ·xᵢ` over circuit variables, twin of the `FpVar` it stands for.
///
/// A constant (`cs` is `None`, no terms) or a variable (`cs` is `Some`),
/// exactly when the `FpVar` built with the same operations would be. Terms
/// are sorted by variable, with no variable twice and no zero coefficient.
/// The value is tracked as `FpVar` tracks it: `None` in setup mode.
#[derive(Clone, Debug)]
pub struct Lc<F: PrimeField> {
    cs: ConstraintSystemRef<F>,
    terms: Vec<(F, Variable)>,
    constant: F,
    value: Option<F>,
}

impl<F: PrimeField> Lc<F> {
    /// The constant `c`.
    pub fn constant(c: F) -> Self {
        Self {
            cs: ConstraintSystemRef::None,
            terms: Vec::new(),
            constant: c,
            value: Some(c),
        }
    }

    /// The constant 0.
    pub fn zero() -> Self {
        Self::constant(F::zero())
    }

    /// `x` itself: a constant stays a constant, a variable is one term.
    pub fn from_fp(x: &FpVar<F>) -> Self {
        match x {
            FpVar::Constant(c) => Self::constant(*c),
            FpVar::Var(v) => Self {
                cs: v.cs.clone(),
                terms: vec![(F::one(), v.variable)],
                constant: F::zero(),
                value: v.value().ok(),
            },
        }
    }

    /// `b` as 0 or 1, like `FpVar::from(b)`.
    pub fn from_bool(b: &Boolean<F>) -> Self {
        match b {
            Boolean::Constant(c) => Self::constant(F::from(*c)),
            Boolean::Var(_) => {
                let mut terms = b.lc().0;
                canonicalize(&mut terms);
                Self {
                    cs: b.cs(),
                    terms,
                    constant: F::zero(),
                    value: b.value().ok().map(F::from),
                }
            }
        }
    }

    /// Whether this stands for a constant `FpVar`.
    pub fn is_constant(&self) -> bool {
        self.cs.is_none()
    }

    /// The value, if known (never in setup mode for a variable).
    pub fn value(&self) -> Option<F> {
        self.value
    }

    /// `Σ cᵢ·xᵢ + k`, built in one step. The same as folding
    /// `acc + xᵢ * cᵢ` with `FpVar` operations from the constant `k`,
    /// where `x * 0` is the constant 0.
    pub fn weighted_sum<'a>(terms: impl IntoIterator<Item = (F, &'a Self)>, k: F) -> Self
    where
        F: 'a,
    {
        let mut cs = ConstraintSystemRef::None;
        let mut out = Vec::new();
        let mut constant = k;
        let mut value = Some(k);
        for (c, x) in terms {
            if c.is_zero() {
                continue;
            }
            cs = cs.or(x.cs.clone());
            constant += c * x.constant;
            value = value.zip(x.value).map(|(v, xv)| v + c * xv);
            if c.is_one() {
                out.extend_from_slice(&x.terms);
            } else {
                out.extend(x.terms.iter().map(|(xc, var)| (c * xc, *var)));
            }
        }
        canonicalize(&mut out);
        Self {
            cs,
            terms: out,
            constant,
            value,
        }
    }

    /// `self + other`.
    pub fn add(&self, other: &Self) -> Self {
        Self::weighted_sum([(F::one(), self), (F::one(), other)], F::zero())
    }

    /// `self − other`.
    pub fn sub(&self, other: &Self) -> Self {
        Self::weighted_sum([(F::one(), self), (-F::one(), other)], F::zero())
    }

    /// `self · c` for a constant `c` (the constant 0 when `c = 0`, as for `FpVar * F`).
    pub fn scale(&self, c: F) -> Self {
        Self::weighted_sum([(c, self)], F::zero())
    }

    /// `self + c` for a constant `c`.
    pub fn add_constant(&self, c: F) -> Self {
        Self::weighted_sum([(F::one(), self)], c)
    }

    /// The `FpVar` this stands for: a constant, the variable itself for a
    /// single term `1·x`, or else one new linear combination in the
    /// constraint system.
    ///
    /// One difference, in setup mode only: a variable whose terms all
    /// cancelled (`x − x`) becomes an empty combination, which the constraint
    /// system evaluates to 0 where `FpVar`'s `x − x` has no value. Setup mode
    /// never reads values, so keys and matrices are unaffected.
    pub fn to_fp(&self) -> Result<FpVar<F>, SynthesisError> {
        if self.cs.is_none() {
            return Ok(FpVar::Constant(self.constant));
        }
        if let ([(c, var)], true) = (self.terms.as_slice(), self.constant.is_zero()) {
            if c.is_one() {
                return Ok(FpVar::Var(AllocatedFp::new(
                    self.value,
                    *var,
                    self.cs.clone(),
                )));
            }
        }
        let mut lc = Vec::with_capacity(self.terms.len() + 1);
        if !self.constant.is_zero() {
            lc.push((self.constant, Variable::One));
        }
        lc.extend_from_slice(&self.terms);
        let variable = self.cs.new_lc(LinearCombination(lc))?;
        Ok(FpVar::Var(AllocatedFp::new(
            self.value,
            variable,
            self.cs.clone(),
        )))
    }
}

/// Sort by variable, add up repeated variables and drop zero coefficients.
fn canonicalize<F: PrimeField>(terms: &mut Vec<(F, Variable)>) {
    terms.sort_unstable_by_key(|t| t.1);
    let mut out: Vec<(F, Variable)> = Vec::with_capacity(terms.len());
    for (c, var) in terms.drain(..) {
        match out.last_mut() {
            Some(last) if last.1 == var => last.0 += c,
            _ => out.push((c, var)),
        }
    }
    out.retain(|t| !t.0.is_zero());
    *terms = out;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::{AdditiveGroup, Field, UniformRand};
    use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::FieldVar};
    use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystem, SynthesisMode};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    /// One random expression: `k + Σ c·atom[i]`, with coefficients that
    /// include 0, 1 and −1, and atoms that repeat.
    type Expr = (Fr, Vec<(Fr, usize)>);

    fn random_expr(rng: &mut ChaCha20Rng, n_atoms: usize) -> Expr {
        let k = match rng.gen_range(0..3) {
            0 => Fr::ZERO,
            _ => Fr::rand(rng),
        };
        let len = rng.gen_range(0..8);
        let terms = (0..len)
            .map(|_| {
                let c = match rng.gen_range(0..5) {
                    0 => Fr::ZERO,
                    1 => Fr::ONE,
                    2 => -Fr::ONE,
                    _ => Fr::rand(rng),
                };
                (c, rng.gen_range(0..n_atoms))
            })
            .collect();
        (k, terms)
    }

    /// Build every expression in `exprs` over a fresh pool of atoms (constants,
    /// inputs, witnesses, booleans, a symbolic sum), either with `FpVar`
    /// arithmetic or with [`Lc`], appending each result to the pool so later
    /// expressions nest; bind every result with `r = w` for a fresh witness `w`.
    fn synthesize(
        exprs: &[Expr],
        setup: bool,
        with_lc: bool,
    ) -> (ConstraintMatrices<Fr>, Vec<(bool, Option<Fr>)>) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        if setup {
            cs.set_mode(SynthesisMode::Setup);
        }
        let mut rng = ChaCha20Rng::seed_from_u64(99);
        let w = FpVar::new_witness(cs.clone(), || Ok(Fr::rand(&mut rng))).unwrap();
        let x = FpVar::new_input(cs.clone(), || Ok(Fr::rand(&mut rng))).unwrap();
        let b = Boolean::new_witness(cs.clone(), || Ok(true)).unwrap();
        let mut pool = vec![
            FpVar::Constant(Fr::rand(&mut rng)),
            FpVar::zero(),
            w.clone(),
            x.clone(),
            &w + &x,
            FpVar::from(b.clone()),
            FpVar::from(!b.clone()),
            FpVar::from(Boolean::TRUE),
        ];
        let mut out = Vec::new();
        for (k, terms) in exprs {
            let r = if with_lc {
                let atoms: Vec<Lc<Fr>> = pool.iter().map(Lc::from_fp).collect();
                Lc::weighted_sum(terms.iter().map(|(c, i)| (*c, &atoms[*i])), *k)
                    .to_fp()
                    .unwrap()
            } else {
                terms
                    .iter()
                    .fold(FpVar::Constant(*k), |acc, (c, i)| acc + &pool[*i] * *c)
            };
            let bound = FpVar::new_witness(cs.clone(), || r.value()).unwrap();
            r.enforce_equal(&bound).unwrap();
            out.push((r.is_constant(), r.value().ok()));
            pool.push(r);
        }
        cs.finalize();
        (cs.to_matrices().unwrap(), out)
    }

    #[test]
    fn lc_gives_the_same_matrices_constness_and_values_as_fpvar_arithmetic() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        for round in 0..200 {
            let n = rng.gen_range(1..12);
            let mut exprs = Vec::new();
            for i in 0..n {
                exprs.push(random_expr(&mut rng, 8 + i));
            }
            // Cancellation: x − x stays a variable with no terms.
            exprs.push((Fr::ZERO, vec![(Fr::ONE, 2), (-Fr::ONE, 2)]));
            for setup in [false, true] {
                let (m_fp, v_fp) = synthesize(&exprs, setup, false);
                let (m_lc, v_lc) = synthesize(&exprs, setup, true);
                assert_eq!(m_fp, m_lc, "round {round}, setup {setup}");
                if setup {
                    // Only constness: see `to_fp` on the value of x − x.
                    let constness = |v: &[(bool, Option<Fr>)]| -> Vec<bool> {
                        v.iter().map(|(c, _)| *c).collect()
                    };
                    assert_eq!(constness(&v_fp), constness(&v_lc), "round {round}");
                } else {
                    assert_eq!(v_fp, v_lc, "round {round}");
                }
            }
        }
    }

    #[test]
    fn constness_follows_fpvar() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = Lc::from_fp(&FpVar::new_witness(cs.clone(), || Ok(Fr::from(3u64))).unwrap());
        let c = Lc::constant(Fr::from(5u64));
        assert!(c.add(&c).is_constant());
        assert!(!w.add(&c).is_constant());
        // x · 0 is the constant 0, as for `FpVar * F`.
        assert!(w.scale(Fr::ZERO).is_constant());
        // x − x is still a variable, with value 0.
        let z = w.sub(&w);
        assert!(!z.is_constant());
        assert_eq!(z.value(), Some(Fr::ZERO));
        assert!(!z.to_fp().unwrap().is_constant());
        // A single term 1·x is x itself: no new linear combination.
        let before = cs.borrow().unwrap().num_linear_combinations;
        let x = w.to_fp().unwrap();
        assert_eq!(cs.borrow().unwrap().num_linear_combinations, before);
        assert_eq!(x.value().unwrap(), Fr::from(3u64));
        assert_eq!(w.scale(Fr::from(2u64)).value(), Some(Fr::from(6u64)));
    }
}
