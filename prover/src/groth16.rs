//! Groth16 proving over BN254, phase by phase: the one proof-assembly path
//! of this crate. [`prove`] (what [`crate::holder::v2::prove_with_rng`] calls)
//! runs the phases in order, the witness map and the MSMs as one parallel
//! schedule ([`sums`]); the split prover ([`crate::split`]) runs the
//! same functions on two workers; the breakdown tool
//! (`benches/examples/breakdown.rs`) calls them one by one to time them.
//!
//! The phases are ark-groth16 0.5's `Groth16::<Bn254, SnarkjsReduction>::prove`
//! (`create_random_proof_with_reduction` with [`SnarkjsReduction`], snarkjs's
//! R1CS-to-QAP reduction, the project's one: [`crate::qap`]), written out with
//! public APIs:
//!
//! 1. [`Blinding::draw`]: `r`, then `s`, from the rng, before synthesis, as
//!    `Groth16::prove` draws them: a seeded rng gives the same proof.
//! 2. Synthesis ([`synthesize_for`]), against the key's [`MatrixCache`]:
//!    the constraint matrices depend on the circuit only, not on the
//!    witness, so they are built once per proving key and kept in it. The
//!    first proof with a key runs the full synthesis ([`synthesize`]: a
//!    constraint system set up as ark-groth16 sets it up,
//!    [`constraint_system`]); every later proof only computes the values
//!    ([`synthesize_witness`]: prove mode without matrices, about half the
//!    time, and no inlining or matrix build after it).
//! 3. The R1CS-to-QAP witness map: [`Synthesis::matrices`] (the cached
//!    matrices; on the first proof [`finalize`], inline the linear
//!    combinations, and [`matrices`], checked against the key's sizes
//!    ([`Matrices::new`], [`KeyShape`]) and cached), with the values
//!    ([`Values`], the full assignment, checked against the matrices' sizes),
//!    then [`witness_map`] ([`SnarkjsReduction`]): `h`, the values of
//!    `A·B − C` on the odd coset of the doubled domain (one per domain
//!    point).
//! 4. The scalars: [`Values::assignment`] (every value but the constant one)
//!    and [`h_scalars`].
//! 5. The five multi-scalar multiplications: [`a_msm`], [`b_g1_msm`] and
//!    [`b_g2_msm`] over the assignment, [`h_msm`] over `h`, [`l_msm`] over
//!    the witness part of the assignment; collected in [`Sums`]. They run on
//!    [`crate::msm`] (batch-affine Pippenger): 1.3–1.7× less CPU (1.5× for
//!    the five) than arkworks 0.5's `VariableBaseMSM::msm_bigint` on these
//!    sizes (`docs/performance.md`); same group elements, same proof.
//!
//!    [`prove`] runs the witness map, the scalars and the five MSMs as one
//!    schedule, [`sums`]: two sides of about equal CPU time side by side on
//!    the rayon pool (the witness map, `H`, `L`, then `B` in G1; and `B` in
//!    G2, then `A`), each MSM still splitting its windows so that an idle
//!    thread can take some. On two threads that is one sync point instead
//!    of one per MSM; on one thread, or without the `parallel` feature
//!    (wasm32), the two sides run one after the other.
//! 6. [`assemble`]: the blinding with `r`, `s` and the key's `α`, `β`, `δ`
//!    ([`Bases`]), which gives the proof.
//!
//! **Byte-identical.** The MSMs are sums in a group: the order of the
//! additions does not change the affine result, so the phases may run on
//! different workers and the proof is still ark-groth16's, byte for byte
//! (tested against `Groth16::<Bn254, SnarkjsReduction>::prove` with the same
//! seeded rng).
//!
//! **Cached matrices.** A proof from the cached matrices is the same proof:
//! the witness-only synthesis gives the same values (tested), and the
//! matrices are the same (they do not depend on the values: setup and prove
//! mode give the same pinned matrix hash, `circuits`' tests). The matrices
//! are checked against the key when they are built ([`Matrices::new`]:
//! instance, witness and variable counts, and the evaluation domain against
//! `h_query`), and each proof's values against the matrices
//! ([`ProvingError::CircuitMismatch`]), so a key's cache never serves a
//! circuit of another size.
//!
//! **Satisfaction is not checked here.** Neither synthesis checks that the
//! witness satisfies the constraints (ark-groth16 does it only in debug
//! builds, and without matrices there is nothing to check against): a
//! wrong witness gives a proof that does not verify.
//! [`crate::holder::v2::prove_with_rng`] and the split prover check the
//! statement natively before proving and verify the proof after.
//!
//! **One reduction.** [`prove`] and the split prover refuse a key tagged
//! for ark-groth16's libsnark reduction ([`ProvingError::UnsupportedReduction`],
//! [`check_reduction`]): its `h` query does not fit [`witness_map`], and the
//! proof would not verify.
//!
//! **Secrets.** The values, the scalars and the sums are derived from the
//! witness, and `r`, `s` blind it: their `Debug` shows sizes at most, and no
//! [`ProvingError`] quotes them.

use crate::keys::ProvingKeyOf;
use crate::msm;
use crate::qap::SnarkjsReduction;
use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::CurveGroup;
use ark_ff::{PrimeField, UniformRand, Zero};
use ark_groth16::r1cs_to_qap::R1CSToQAP;
use ark_poly::EvaluationDomain;
use ark_poly::GeneralEvaluationDomain;
use ark_relations::r1cs::{
    ConstraintMatrices, ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef,
    OptimizationGoal, SynthesisError, SynthesisMode,
};
use ark_std::rand::{CryptoRng, RngCore};
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use std::sync::OnceLock;
use zkstatus_verifier::groth16::{Proof, VerifyingKeyOf};
use zkstatus_verifier::v2::keyfile::QapReduction;

/// A scalar as the MSMs take it (little-endian limbs, canonical).
pub type BigInt = <Fr as PrimeField>::BigInt;

/// Why the prover failed. Sizes and names only: never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProvingError {
    /// Constraint synthesis or the witness map failed (arkworks' error:
    /// its kind, no value).
    #[error("{0}")]
    Synthesis(#[from] SynthesisError),
    /// The constraint system has no matrices (it was not set up by
    /// [`constraint_system`]).
    #[error("the constraint system has no constraint matrices")]
    NoMatrices,
    /// The constraint system was taken out of its reference.
    #[error("the constraint system was taken")]
    ConstraintSystemTaken,
    /// A query that starts with a fixed point (`A`, `B`) is empty: not a
    /// proving key for any circuit.
    #[error("the proving key's {0} query is empty")]
    EmptyQuery(&'static str),
    /// The key was made for a QAP reduction other than snarkjs's, the one
    /// this prover computes: its `h` query does not fit the witness map and
    /// the proof would not verify. Make the keys again with this version
    /// (`zkstatus setup`) or import a ceremony's.
    #[error(
        "this proving key is for the {0} QAP reduction; this prover computes \
         only snarkjs's (make the keys again with this version, or import a ceremony's)"
    )]
    UnsupportedReduction(&'static str),
    /// The circuit's constraint matrices do not fit the proving key (a key
    /// for another circuit): refused when the matrices are built, before
    /// they are cached.
    #[error("the circuit has {matrices} {what}, the proving key {key}: a key for another circuit")]
    KeyMismatch {
        /// What differs: instance variables, witness variables, variables,
        /// evaluation domain.
        what: &'static str,
        /// The matrices' count.
        matrices: usize,
        /// The key's.
        key: usize,
    },
    /// A proof's synthesis does not fit the key's cached matrices (a circuit
    /// of another size than the one the matrices were built from).
    #[error("the circuit has {circuit} {what}, the key's constraint matrices {matrices}")]
    CircuitMismatch {
        /// What differs: constraints, instance variables, witness variables.
        what: &'static str,
        /// The cached matrices' count.
        matrices: usize,
        /// The synthesised circuit's.
        circuit: usize,
    },
}

/// The blinding scalars `r` and `s`. Secret: `Debug` shows neither, and
/// there is no getter.
#[derive(Clone)]
pub struct Blinding {
    r: Fr,
    s: Fr,
}

impl core::fmt::Debug for Blinding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Blinding").finish_non_exhaustive()
    }
}

impl Blinding {
    /// Draw `r`, then `s`, from `rng`: the order of ark-groth16's
    /// `create_random_proof_with_reduction`, so a seeded rng gives its proof.
    pub fn draw<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let r = Fr::rand(rng);
        let s = Fr::rand(rng);
        Self { r, s }
    }
}

/// A fresh constraint system set up as ark-groth16's
/// `create_proof_with_reduction` sets it up: prove mode with matrices,
/// optimising for constraints (linear combinations inlined).
pub fn constraint_system() -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs
}

/// Synthesise `circuit` into a fresh [`constraint_system`] (not finalised):
/// the values and the constraints (the first proof with a key; see
/// [`synthesize_for`]).
pub fn synthesize<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
) -> Result<ConstraintSystemRef<Fr>, ProvingError> {
    let cs = constraint_system();
    circuit.generate_constraints(cs.clone())?;
    Ok(cs)
}

/// Synthesise `circuit` for its values only: a [`constraint_system`] in
/// prove mode without matrices (`construct_matrices = false`), which
/// computes every value and records no constraint (it counts them). Gives
/// the values [`synthesize`] gives, in about half the time; the witness map
/// then takes the key's cached [`Matrices`]. Checks nothing about the
/// witness (see the module docs).
pub fn synthesize_witness<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
) -> Result<Values, ProvingError> {
    let cs = constraint_system();
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
    });
    circuit.generate_constraints(cs.clone())?;
    Values::of(&cs)
}

/// Inline the symbolic linear combinations (with the goal of
/// [`constraint_system`], the values are left as they are).
pub fn finalize(cs: &ConstraintSystemRef<Fr>) {
    cs.finalize();
}

/// The constraint matrices of a finalised constraint system.
pub fn matrices(cs: &ConstraintSystemRef<Fr>) -> Result<ConstraintMatrices<Fr>, ProvingError> {
    cs.to_matrices().ok_or(ProvingError::NoMatrices)
}

/// The full assignment of a synthesised circuit: the instance values (the
/// constant one first), then the witness values. Secret: `Debug` shows the
/// sizes only.
#[derive(Clone)]
pub struct Values {
    full: Vec<Fr>,
    num_inputs: usize,
    num_constraints: usize,
}

impl core::fmt::Debug for Values {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Values")
            .field("inputs", &self.num_inputs)
            .field("witness", &self.num_witness())
            .field("constraints", &self.num_constraints)
            .finish_non_exhaustive()
    }
}

impl Values {
    /// Copy the values out of a synthesised constraint system, with or
    /// without matrices (finalising does not change them).
    pub fn of(cs: &ConstraintSystemRef<Fr>) -> Result<Self, ProvingError> {
        let cs = cs.borrow().ok_or(ProvingError::ConstraintSystemTaken)?;
        Ok(Self {
            full: [
                cs.instance_assignment.as_slice(),
                cs.witness_assignment.as_slice(),
            ]
            .concat(),
            num_inputs: cs.num_instance_variables,
            num_constraints: cs.num_constraints,
        })
    }

    /// Constraints of the synthesis (counted, with or without matrices).
    pub fn num_constraints(&self) -> usize {
        self.num_constraints
    }

    /// Instance variables, with the constant one.
    pub fn num_inputs(&self) -> usize {
        self.num_inputs
    }

    /// Witness variables.
    pub fn num_witness(&self) -> usize {
        self.full.len().saturating_sub(self.num_inputs)
    }

    /// Every value, the constant one first.
    pub fn full(&self) -> &[Fr] {
        &self.full
    }

    /// The scalars of the `A` and `B` MSMs: every value but the constant
    /// one (the public inputs, then the witness). The witness part, the `L`
    /// MSM's scalars, starts at [`Values::witness_start`].
    pub fn assignment(&self) -> Vec<BigInt> {
        let rest = self.full.get(1..).unwrap_or_default();
        ark_std::cfg_iter!(rest).map(|x| x.into_bigint()).collect()
    }

    /// Where the witness starts in [`Values::assignment`].
    pub fn witness_start(&self) -> usize {
        self.num_inputs.saturating_sub(1)
    }
}

/// What a proving key says about the circuit it was made for: the sizes
/// its constraint matrices must have ([`Matrices::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyShape {
    /// Instance variables, the constant one included (the verifying key's
    /// input bases).
    pub inputs: usize,
    /// Witness variables (`l_query`'s points).
    pub witness: usize,
    /// All variables (`a_query`'s points).
    pub variables: usize,
    /// `h_query`'s points: the size of the witness map's evaluation domain.
    pub domain: usize,
}

impl KeyShape {
    /// The sizes of a proving key's queries.
    pub fn of<const BASES: usize>(pk: &ProvingKeyOf<BASES>) -> Self {
        let k = pk.as_ark();
        Self {
            inputs: k.vk.gamma_abc_g1.len(),
            witness: k.l_query.len(),
            variables: k.a_query.len(),
            domain: k.h_query.len(),
        }
    }
}

/// A circuit's constraint matrices, checked against a proving key's
/// [`KeyShape`]: what [`MatrixCache`] keeps. Public (the circuit's), so
/// `Debug` shows the counts.
#[derive(Clone)]
pub struct Matrices(ConstraintMatrices<Fr>);

impl core::fmt::Debug for Matrices {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Matrices")
            .field("constraints", &self.0.num_constraints)
            .field("inputs", &self.0.num_instance_variables)
            .field("witness", &self.0.num_witness_variables)
            .finish_non_exhaustive()
    }
}

impl Matrices {
    /// Accept `m` for a key of shape `key`: the instance, witness and
    /// variable counts equal the key's, and the witness map's evaluation
    /// domain (for `m`'s constraints and inputs) has the key's `h_query`
    /// size. Otherwise [`ProvingError::KeyMismatch`].
    pub fn new(m: ConstraintMatrices<Fr>, key: &KeyShape) -> Result<Self, ProvingError> {
        let domain = m
            .num_constraints
            .checked_add(m.num_instance_variables)
            .and_then(GeneralEvaluationDomain::<Fr>::new)
            .map_or(0, |d| d.size());
        let variables = m
            .num_instance_variables
            .saturating_add(m.num_witness_variables);
        for (what, matrices, key) in [
            ("instance variables", m.num_instance_variables, key.inputs),
            ("witness variables", m.num_witness_variables, key.witness),
            ("variables", variables, key.variables),
            ("evaluation-domain points", domain, key.domain),
        ] {
            if matrices != key {
                return Err(ProvingError::KeyMismatch {
                    what,
                    matrices,
                    key,
                });
            }
        }
        Ok(Self(m))
    }

    /// The matrices.
    pub fn as_ark(&self) -> &ConstraintMatrices<Fr> {
        &self.0
    }

    /// Refuse values of a circuit of another size
    /// ([`ProvingError::CircuitMismatch`]).
    pub fn check_values(&self, values: &Values) -> Result<(), ProvingError> {
        let m = &self.0;
        for (what, matrices, circuit) in [
            ("constraints", m.num_constraints, values.num_constraints),
            (
                "instance variables",
                m.num_instance_variables,
                values.num_inputs,
            ),
            (
                "witness variables",
                m.num_witness_variables,
                values.num_witness(),
            ),
        ] {
            if matrices != circuit {
                return Err(ProvingError::CircuitMismatch {
                    what,
                    matrices,
                    circuit,
                });
            }
        }
        Ok(())
    }
}

/// A proving key's constraint matrices, built by its first proof
/// ([`Synthesis::matrices`]) and kept for the next ones. Part of
/// [`ProvingKeyOf`] and of the split prover's main key; a clone of a key
/// clones what is cached. (About 2 MB for statement v2.)
#[derive(Clone, Default)]
pub struct MatrixCache(OnceLock<Matrices>);

impl core::fmt::Debug for MatrixCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("MatrixCache").field(&self.0.get()).finish()
    }
}

impl MatrixCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The matrices, once a proof has built them.
    pub fn get(&self) -> Option<&Matrices> {
        self.0.get()
    }
}

/// One proof's synthesis against a key's [`MatrixCache`]
/// ([`synthesize_for`]): the values and, for the first proof with the key,
/// the constraint system to build the matrices from. Holds the witness:
/// `Debug` shows sizes only.
pub struct Synthesis {
    values: Values,
    /// The first proof's full constraint system (not finalised); `None`
    /// when the values came from [`synthesize_witness`].
    cs: Option<ConstraintSystemRef<Fr>>,
}

impl core::fmt::Debug for Synthesis {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Synthesis")
            .field("values", &self.values)
            .field("builds_matrices", &self.cs.is_some())
            .finish()
    }
}

/// Synthesise `circuit` for a proof with the key whose cache is `cache`:
/// only the values ([`synthesize_witness`]) if the cache holds the
/// matrices, else the full [`synthesize`] (the first proof), whose
/// constraints [`Synthesis::matrices`] turns into the cached matrices.
pub fn synthesize_for<C: ConstraintSynthesizer<Fr>>(
    cache: &MatrixCache,
    circuit: C,
) -> Result<Synthesis, ProvingError> {
    if cache.get().is_some() {
        return Ok(Synthesis {
            values: synthesize_witness(circuit)?,
            cs: None,
        });
    }
    let cs = synthesize(circuit)?;
    Ok(Synthesis {
        values: Values::of(&cs)?,
        cs: Some(cs),
    })
}

impl Synthesis {
    /// The values (for the MSMs, which need no matrices).
    pub fn values(&self) -> &Values {
        &self.values
    }

    /// The key's matrices and the values, for the witness map. On the first
    /// proof with the key, the constraint system is finalised
    /// ([`finalize`]) and its [`matrices`] checked against `key`
    /// ([`Matrices::new`]) and put in `cache`, which must be the one given
    /// to [`synthesize_for`] and belong to the key of shape `key`. The
    /// values are checked against the matrices ([`Matrices::check_values`]).
    pub fn matrices<'c>(
        self,
        cache: &'c MatrixCache,
        key: &KeyShape,
    ) -> Result<(&'c Matrices, Values), ProvingError> {
        let Self { values, cs } = self;
        let matrices = match (cache.get(), cs) {
            (Some(m), _) => m,
            (None, Some(cs)) => {
                finalize(&cs);
                let m = Matrices::new(matrices(&cs)?, key)?;
                drop(cs);
                // Another proof with this key may have filled the cache
                // meanwhile, with the same matrices.
                cache.0.get_or_init(|| m)
            }
            // Values without matrices, for a cache still empty: not the
            // cache they were synthesised against.
            (None, None) => return Err(ProvingError::NoMatrices),
        };
        matrices.check_values(&values)?;
        Ok((matrices, values))
    }
}

/// The R1CS-to-QAP witness map ([`SnarkjsReduction`], over the radix-2
/// evaluation domain of size `n`): `h`, the `n` values of `A·B − C` on the
/// odd coset `ω_2n·ω_n^i`, which pair with the key's `n` `h_query` points.
pub fn witness_map(
    matrices: &ConstraintMatrices<Fr>,
    values: &Values,
) -> Result<Vec<Fr>, ProvingError> {
    Ok(SnarkjsReduction::witness_map_from_matrices::<
        Fr,
        GeneralEvaluationDomain<Fr>,
    >(
        matrices,
        values.num_inputs,
        matrices.num_constraints,
        &values.full,
    )?)
}

/// Refuse a key made for a reduction other than the one [`witness_map`]
/// computes (the prover's guard, before any work; the split prover runs it
/// too).
pub fn check_reduction(reduction: QapReduction) -> Result<(), ProvingError> {
    match reduction {
        QapReduction::Snarkjs => Ok(()),
        other => Err(ProvingError::UnsupportedReduction(other.name())),
    }
}

/// The `H` MSM's scalars.
pub fn h_scalars(h: &[Fr]) -> Vec<BigInt> {
    ark_std::cfg_iter!(h).map(|x| x.into_bigint()).collect()
}

/// `query[0] + Σ query[i+1]·assignment[i]`: ark-groth16's `calculate_coeff`
/// without the blinding and the fixed key point (added by [`assemble`]).
fn first_plus_msm<P: msm::MsmCurve<ScalarField = Fr>>(
    query: &[Affine<P>],
    assignment: &[BigInt],
    name: &'static str,
) -> Result<Projective<P>, ProvingError> {
    let (first, rest) = query.split_first().ok_or(ProvingError::EmptyQuery(name))?;
    Ok(msm::msm_bigint(rest, assignment) + first)
}

/// `A`'s MSM over the [`Values::assignment`] (G1).
pub fn a_msm(a_query: &[G1Affine], assignment: &[BigInt]) -> Result<G1Projective, ProvingError> {
    first_plus_msm(a_query, assignment, "a")
}

/// `B`'s MSM in G1 over the [`Values::assignment`].
pub fn b_g1_msm(
    b_g1_query: &[G1Affine],
    assignment: &[BigInt],
) -> Result<G1Projective, ProvingError> {
    first_plus_msm(b_g1_query, assignment, "b_g1")
}

/// `B`'s MSM in G2 over the [`Values::assignment`]: the most expensive one.
pub fn b_g2_msm(
    b_g2_query: &[G2Affine],
    assignment: &[BigInt],
) -> Result<G2Projective, ProvingError> {
    first_plus_msm(b_g2_query, assignment, "b_g2")
}

/// `H`'s MSM over [`h_scalars`] (G1): the key's `n` points and the
/// witness map's `n` values (a key for libsnark's reduction, with `n − 1`
/// points, is refused before this: [`check_reduction`]). As in
/// ark-groth16, the MSM pairs them up to the shorter.
pub fn h_msm(h_query: &[G1Affine], h: &[BigInt]) -> G1Projective {
    msm::msm_bigint(h_query, h)
}

/// `L`'s MSM over the witness part of the assignment (G1).
pub fn l_msm(l_query: &[G1Affine], witness: &[BigInt]) -> G1Projective {
    msm::msm_bigint(l_query, witness)
}

/// The five MSMs' results. `a`, `b_g1`, `b_g2` include their query's first
/// point. Derived from the witness: `Debug` shows no point.
#[derive(Clone, Copy)]
pub struct Sums {
    /// [`a_msm`].
    pub a: G1Projective,
    /// [`b_g1_msm`].
    pub b_g1: G1Projective,
    /// [`b_g2_msm`].
    pub b_g2: G2Projective,
    /// [`h_msm`].
    pub h: G1Projective,
    /// [`l_msm`].
    pub l: G1Projective,
}

impl core::fmt::Debug for Sums {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Sums").finish_non_exhaustive()
    }
}

/// The fixed proving-key points the assembly adds besides the MSMs
/// (public).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bases {
    /// `α` (G1).
    pub alpha_g1: G1Affine,
    /// `β` in G1.
    pub beta_g1: G1Affine,
    /// `β` in G2.
    pub beta_g2: G2Affine,
    /// `δ` in G1.
    pub delta_g1: G1Affine,
    /// `δ` in G2.
    pub delta_g2: G2Affine,
}

impl Bases {
    /// The points of a proving key.
    pub fn of<const BASES: usize>(pk: &ProvingKeyOf<BASES>) -> Self {
        let k = pk.as_ark();
        Self {
            alpha_g1: k.vk.alpha_g1,
            beta_g1: k.beta_g1,
            beta_g2: k.vk.beta_g2,
            delta_g1: k.delta_g1,
            delta_g2: k.vk.delta_g2,
        }
    }

    /// The points of a verifying key and the key file's `β`, `δ` in G1.
    pub fn new<const BASES: usize>(
        vk: &VerifyingKeyOf<BASES>,
        beta_g1: G1Affine,
        delta_g1: G1Affine,
    ) -> Self {
        Self {
            alpha_g1: vk.alpha_g1,
            beta_g1,
            beta_g2: vk.beta_g2,
            delta_g1,
            delta_g2: vk.delta_g2,
        }
    }
}

/// The proof from the MSMs: ark-groth16 0.5's `create_proof_with_assignment`
/// after its MSMs, term for term.
pub fn assemble(bases: &Bases, sums: &Sums, blinding: &Blinding) -> Proof {
    let Blinding { r, s } = *blinding;
    let g_a = bases.delta_g1 * r + sums.a + bases.alpha_g1;
    // As ark-groth16: B in G1 is only needed (for C) when r is not zero.
    let g1_b = if r.is_zero() {
        G1Projective::zero()
    } else {
        bases.delta_g1 * s + sums.b_g1 + bases.beta_g1
    };
    let g2_b = bases.delta_g2 * s + sums.b_g2 + bases.beta_g2;
    let g_c = g_a * s + g1_b * r - bases.delta_g1 * (r * s) + sums.l + sums.h;
    Proof {
        a: g_a.into_affine(),
        b: g2_b.into_affine(),
        c: g_c.into_affine(),
    }
}

/// One proof, all phases in order on this thread's rayon pool (the witness
/// map and the MSMs as [`sums`] schedules them): what
/// `Groth16::<Bn254, SnarkjsReduction>::prove` computes for the same rng,
/// byte for byte. The first proof with `pk` builds its constraint matrices
/// and caches them in it ([`ProvingKeyOf::matrix_cache`]); later ones
/// synthesise the values only ([`synthesize_for`]). `pk` must be used with
/// one circuit (its cache serves only a circuit of the same size).
///
/// No statement check and no self-check: the witness is not checked
/// against the constraints (module docs);
/// [`crate::holder::v2::prove_with_rng`] adds both. The key must be for
/// snarkjs's QAP reduction (the one [`witness_map`] computes): any other is
/// refused before the rng is touched ([`check_reduction`]).
pub fn prove<const BASES: usize, C: ConstraintSynthesizer<Fr>, R: RngCore + CryptoRng>(
    pk: &ProvingKeyOf<BASES>,
    circuit: C,
    rng: &mut R,
) -> Result<Proof, ProvingError> {
    check_reduction(pk.qap_reduction())?;
    let blinding = Blinding::draw(rng);
    let cache = pk.matrix_cache();
    let synthesis = synthesize_for(cache, circuit)?;
    let (matrices, values) = synthesis.matrices(cache, &KeyShape::of(pk))?;
    let sums = sums(pk, matrices.as_ark(), &values)?;
    Ok(assemble(&Bases::of(pk), &sums, &blinding))
}

/// The witness map, the scalars and the five MSMs of [`prove`], as two
/// tasks run side by side (`rayon::join`): the [`witness_map`] (from the key's
/// cached matrices), `H` (which waits for it), `L`, then `B` in G1; and the
/// `B` MSM in G2, then `A`. Each side is about half of the CPU time
/// (`docs/performance.md`), and each MSM still splits its windows over the
/// pool, so a thread that runs out of work takes windows from the other
/// side's MSM: on two threads the sides run mostly one per thread, with one
/// sync point at the end instead of one per MSM; on more threads the idle
/// ones share the windows; on one thread (or without the `parallel`
/// feature) the sides run one after the other, the witness map's first.
/// Errors are reported in the order of the phases: the witness map's, then
/// an empty `A`, `B` (G1), `B` (G2) query.
pub fn sums<const BASES: usize>(
    pk: &ProvingKeyOf<BASES>,
    matrices: &ConstraintMatrices<Fr>,
    values: &Values,
) -> Result<Sums, ProvingError> {
    let k = pk.as_ark();
    let assignment = values.assignment();
    let witness = assignment.get(values.witness_start()..).unwrap_or_default();
    let ((h, l, b_g1), (b_g2, a)) = join(
        || {
            let h = witness_map(matrices, values);
            let h = h.map(|h| h_msm(&k.h_query, &h_scalars(&h)));
            let l = l_msm(&k.l_query, witness);
            (h, l, b_g1_msm(&k.b_g1_query, &assignment))
        },
        || {
            let b_g2 = b_g2_msm(&k.b_g2_query, &assignment);
            (b_g2, a_msm(&k.a_query, &assignment))
        },
    );
    let h = h?;
    Ok(Sums {
        a: a?,
        b_g1: b_g1?,
        b_g2: b_g2?,
        h,
        l,
    })
}

/// `(a(), b())`, side by side on the rayon pool (`rayon::join`: `a` on this
/// thread, `b` for any idle one to take; on one thread `a` then `b`) under
/// the `parallel` feature.
#[cfg(feature = "parallel")]
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}

/// `(a(), b())`, one after the other (no `parallel` feature).
#[cfg(not(feature = "parallel"))]
fn join<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug() {
        use rand::SeedableRng;
        let b = Blinding::draw(&mut rand_chacha::ChaCha20Rng::seed_from_u64(1));
        assert_eq!(format!("{b:?}"), "Blinding { .. }");
        let z = G1Projective::zero();
        let sums = Sums {
            a: z,
            b_g1: z,
            b_g2: G2Projective::zero(),
            h: z,
            l: z,
        };
        assert_eq!(format!("{sums:?}"), "Sums { .. }");
    }
}
