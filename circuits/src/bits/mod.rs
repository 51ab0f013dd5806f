//! Bit decompositions and comparisons, natively.
//!
//! The native twins of the range-check and comparison gadgets in
//! [`constraints`]: a value "fits in `n` bits" iff it is below `2^n`, and
//! `bits ≤ c` compares the little-endian integer the bits denote with a
//! constant.

#[cfg(feature = "r1cs")]
pub mod constraints;

use ark_ff::{BigInteger, PrimeField};

/// Width in bits of every time and policy value (unix seconds).
pub const TIME_BITS: usize = 64;

/// The `n` low bits of `x`, little-endian, or `None` if `x ≥ 2^n`.
pub fn to_bits_le<F: PrimeField>(x: F, n: usize) -> Option<Vec<bool>> {
    let bits = x.into_bigint().to_bits_le();
    if bits.iter().skip(n).any(|b| *b) {
        return None;
    }
    let mut out: Vec<bool> = bits.into_iter().take(n).collect();
    out.resize(n, false);
    Some(out)
}

/// Whether the little-endian integer `bits` is `≤ c` (`c` little-endian bits).
pub fn is_le_constant(bits: &[bool], c: &[bool]) -> bool {
    let len = bits.len().max(c.len());
    for i in (0..len).rev() {
        let a = bits.get(i).copied().unwrap_or(false);
        let b = c.get(i).copied().unwrap_or(false);
        if a != b {
            return b;
        }
    }
    true
}

/// The little-endian bits of a prime field's modulus minus one.
pub fn modulus_minus_one_bits<F: PrimeField>() -> Vec<bool> {
    let mut m = F::MODULUS;
    m.sub_with_borrow(&F::BigInt::from(1u64));
    let mut bits = m.to_bits_le();
    bits.truncate(F::MODULUS_BIT_SIZE as usize);
    bits
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::{AdditiveGroup, Field};

    #[test]
    fn to_bits_le_rejects_values_at_and_above_two_to_the_n() {
        assert!(to_bits_le(Fr::from(u64::MAX), 64).is_some());
        assert!(to_bits_le(Fr::from(2u64).pow([64u64]), 64).is_none());
        assert!(to_bits_le(-Fr::ONE, 64).is_none());
        assert_eq!(to_bits_le(Fr::ZERO, 3), Some(vec![false; 3]));
    }

    #[test]
    fn is_le_constant_matches_integer_order() {
        let c = [true, false, true]; // 5
        for v in 0u8..8 {
            let bits = [(v & 1) != 0, (v & 2) != 0, (v & 4) != 0];
            assert_eq!(is_le_constant(&bits, &c), v <= 5, "v = {v}");
        }
    }
}
