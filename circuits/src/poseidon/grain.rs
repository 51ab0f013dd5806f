//! The Poseidon paper's Grain LFSR, which generates the round constants and
//! the Cauchy MDS matrix (`generate_parameters_grain.sage`, the script
//! circomlib's constants came from).
//!
//! A port of arkworks' `PoseidonGrainLFSR` / `find_poseidon_ark_and_mds`
//! (ark-crypto-primitives 0.5), kept here so that the verifier does not link
//! ark-crypto-primitives (which pulls ark-relations). A test compares it with
//! arkworks for every width, and the circomlibjs vectors check the result.

use ark_ff::{BigInteger, PrimeField};

/// The 80-bit self-shrinking Grain LFSR.
struct GrainLfsr {
    state: [bool; 80],
    head: usize,
}

impl GrainLfsr {
    /// Seeded with: field type 1 (prime), S-box 0 (`x^α`), the field size
    /// (12 bits), the width (12 bits), `R_F` and `R_P` (10 bits each), then
    /// thirty ones; 160 clocks are discarded.
    fn new(prime_bits: u64, width: u64, full_rounds: u64, partial_rounds: u64) -> Self {
        let mut state = [false; 80];
        state[1] = true; // field: 0b01
                         // state[2..=5] = S-box 0b0000 (x^α)
        let mut put = |lo: usize, hi: usize, mut v: u64| {
            for bit in state[lo..=hi].iter_mut().rev() {
                *bit = v & 1 == 1;
                v >>= 1;
            }
        };
        put(6, 17, prime_bits);
        put(18, 29, width);
        put(30, 39, full_rounds);
        put(40, 49, partial_rounds);
        state[50..].fill(true);
        let mut lfsr = Self { state, head: 0 };
        for _ in 0..160 {
            lfsr.update();
        }
        lfsr
    }

    /// `b_{i+80} = b_{i+62} ⊕ b_{i+51} ⊕ b_{i+38} ⊕ b_{i+23} ⊕ b_{i+13} ⊕ b_i`.
    fn update(&mut self) -> bool {
        let s = &self.state;
        let h = self.head;
        let bit = s[(h + 62) % 80]
            ^ s[(h + 51) % 80]
            ^ s[(h + 38) % 80]
            ^ s[(h + 23) % 80]
            ^ s[(h + 13) % 80]
            ^ s[h];
        self.state[h] = bit;
        self.head = (h + 1) % 80;
        bit
    }

    /// Self-shrinking output: of each pair, emit the second bit if the first is 1.
    fn bits(&mut self, n: usize) -> Vec<bool> {
        (0..n)
            .map(|_| {
                while !self.update() {
                    self.update();
                }
                self.update()
            })
            .collect()
    }

    /// A field element from `MODULUS_BIT_SIZE` bits read most significant first.
    fn integer<F: PrimeField>(&mut self) -> F::BigInt {
        let mut bits = self.bits(F::MODULUS_BIT_SIZE as usize);
        bits.reverse();
        F::BigInt::from_bits_le(&bits)
    }

    /// Round constants: rejection-sample until the integer is below `p`.
    fn field_element_rejection<F: PrimeField>(&mut self) -> F {
        loop {
            if let Some(f) = F::from_bigint(self.integer::<F>()) {
                return f;
            }
        }
    }

    /// MDS seeds: the integer reduced modulo `p`.
    fn field_element_mod_p<F: PrimeField>(&mut self) -> F {
        F::from_le_bytes_mod_order(&self.integer::<F>().to_bytes_le())
    }
}

/// Round constants and MDS matrix, both as rows of field elements.
pub type ArkAndMds<F> = (Vec<Vec<F>>, Vec<Vec<F>>);

/// Round constants `ark[round][i]` and the MDS matrix `mds[i][j] = 1/(x_i + y_j)`
/// for `width` and the given round numbers. `None` only if some `x_i + y_j = 0`
/// (never for the widths circomlib uses, which the vectors check).
pub fn ark_and_mds<F: PrimeField>(
    width: usize,
    full_rounds: usize,
    partial_rounds: usize,
) -> Option<ArkAndMds<F>> {
    let mut lfsr = GrainLfsr::new(
        u64::from(F::MODULUS_BIT_SIZE),
        width as u64,
        full_rounds as u64,
        partial_rounds as u64,
    );
    let ark = (0..full_rounds + partial_rounds)
        .map(|_| (0..width).map(|_| lfsr.field_element_rejection()).collect())
        .collect();
    let xs: Vec<F> = (0..width).map(|_| lfsr.field_element_mod_p()).collect();
    let ys: Vec<F> = (0..width).map(|_| lfsr.field_element_mod_p()).collect();
    let mds = xs
        .iter()
        .map(|x| {
            ys.iter()
                .map(|y| (*x + y).inverse())
                .collect::<Option<Vec<F>>>()
        })
        .collect::<Option<Vec<Vec<F>>>>()?;
    Some((ark, mds))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_crypto_primitives::sponge::poseidon::find_poseidon_ark_and_mds;

    #[test]
    fn matches_arkworks_for_every_circomlib_width() {
        for width in 2..=17usize {
            let rp = crate::poseidon::PARTIAL_ROUNDS[width - 2];
            let ours = ark_and_mds::<Fr>(width, 8, rp).unwrap();
            let theirs = find_poseidon_ark_and_mds::<Fr>(254, width - 1, 8, rp as u64, 0);
            assert_eq!(ours, theirs, "width {width}");
        }
    }
}
