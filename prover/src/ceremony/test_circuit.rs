//! A five-constraint circuit with statement v2's ten public inputs: small
//! enough for a snarkjs ceremony in a second, with the same number of input
//! bases (11), so that its keys are `ProvingKeyV2`/`VerifyingKeyV2` and go
//! through the same export, import and proving code as the statement's.
//! For tests and the ceremony fixtures (`prover/tests/fixtures/ceremony/`)
//! only: its keys prove nothing about health.
//!
//! With public inputs `x0..x9` and witnesses `w1..w5`:
//!
//! ```text
//! c0: x0 · x1                    = w1
//! c1: (w1 + 3·x2) · (x3 − 2)     = w2
//! c2: (x4 + x5 + x6) · (x7 + 1)  = w3
//! c3: (w3 + w2) · (x8 − x9 + 7)  = w4
//! c4: (−w4) · w1                 = w5
//! ```
//!
//! The coefficients `3`, `−2` and `−1 = p − 1` exercise the encodings.

use ark_bn254::Fr;
use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError, Variable};

/// Public inputs of the test circuit.
pub const N_PUBLIC: usize = 10;

/// The test circuit; `public: None` is its shape, for setup and export.
#[derive(Debug, Clone, Default)]
pub struct TestCircuit {
    /// The public inputs `x0..x9`; the witness follows from them.
    pub public: Option<[Fr; N_PUBLIC]>,
}

/// The witness `w1..w5` for public inputs `x`.
pub fn witness(x: &[Fr; N_PUBLIC]) -> [Fr; 5] {
    let w1 = x[0] * x[1];
    let w2 = (w1 + Fr::from(3u64) * x[2]) * (x[3] - Fr::from(2u64));
    let w3 = (x[4] + x[5] + x[6]) * (x[7] + Fr::from(1u64));
    let w4 = (w3 + w2) * (x[8] - x[9] + Fr::from(7u64));
    let w5 = -w4 * w1;
    [w1, w2, w3, w4, w5]
}

impl ConstraintSynthesizer<Fr> for TestCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let values = self.public.map(|x| (x, witness(&x)));
        let mut x = [Variable::One; N_PUBLIC];
        for (i, v) in x.iter_mut().enumerate() {
            *v = cs.new_input_variable(|| {
                values
                    .map(|(x, _)| x[i])
                    .ok_or(SynthesisError::AssignmentMissing)
            })?;
        }
        let mut w = [Variable::One; 5];
        for (i, v) in w.iter_mut().enumerate() {
            *v = cs.new_witness_variable(|| {
                values
                    .map(|(_, w)| w[i])
                    .ok_or(SynthesisError::AssignmentMissing)
            })?;
        }
        let [w1, w2, w3, w4, w5] = w;
        let three = Fr::from(3u64);
        let two = Fr::from(2u64);
        let seven = Fr::from(7u64);
        let minus_one = -Fr::from(1u64);
        cs.enforce_constraint(lc!() + x[0], lc!() + x[1], lc!() + w1)?;
        cs.enforce_constraint(
            lc!() + w1 + (three, x[2]),
            lc!() + x[3] + (-two, Variable::One),
            lc!() + w2,
        )?;
        cs.enforce_constraint(
            lc!() + x[4] + x[5] + x[6],
            lc!() + x[7] + Variable::One,
            lc!() + w3,
        )?;
        cs.enforce_constraint(
            lc!() + w3 + w2,
            lc!() + x[8] + (minus_one, x[9]) + (seven, Variable::One),
            lc!() + w4,
        )?;
        cs.enforce_constraint(lc!() + (minus_one, w4), lc!() + w1, lc!() + w5)?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::groth16;

    #[test]
    fn the_test_circuit_has_five_constraints_eleven_instance_variables_and_is_satisfied() {
        let x: [Fr; N_PUBLIC] = core::array::from_fn(|i| Fr::from(i as u64 + 2));
        let cs = groth16::synthesize(TestCircuit { public: Some(x) }).unwrap();
        groth16::finalize(&cs);
        assert!(cs.is_satisfied().unwrap());
        assert_eq!(cs.num_constraints(), 5);
        assert_eq!(cs.num_instance_variables(), 11);
        assert_eq!(cs.num_witness_variables(), 5);
    }
}
