//! BN254 `Fq` (G1's base field) multiplication for WebAssembly, on
//! arkworks' own Montgomery representation.
//!
//! **Why hand-written.** arkworks 0.5 multiplies `Fp256` with four 64-bit
//! limbs and 64×64→128-bit products; wasm32 has no instruction for the high
//! half, so every product becomes several 32-bit multiplications and carry
//! handling. The fast WebAssembly field arithmetic (the ZPrize 2022 WASM MSM
//! entries, Gregor Mitschabaude's `montgomery`, snarkjs's `ffjavascript`)
//! is written for JavaScript or hand-written WebAssembly, not for arkworks'
//! types; no maintained crate offers it for arkworks 0.5 on wasm32 in safe
//! Rust (this crate forbids `unsafe`). So it is written here.
//!
//! **Method** (Mitschabaude's): nine 29-bit limbs in `u64`s, so a limb
//! product is below 2^58 and 64-bit accumulators take the sums of an
//! operand-scanning Montgomery multiplication with the carries delayed to
//! the end (no carry chain in the inner loop). Montgomery's R is then
//! 2^261 (9 × 29), but arkworks' elements are `a·2^256 mod p`; so the
//! second operand is read as `32·b` (shifted by 5 bits, not reduced:
//! below 2^259, still nine limbs), and `x·(32·y)·2^−261 = x·y·2^−256`, which
//! is arkworks' Montgomery product. For `x < p` and `y < 32p` the result is
//! below `x·y/2^261 + p < 1.25·p`, so one conditional subtraction makes it
//! canonical. The conversions (4 × 64 ↔ 9 × 29 bits) are shifts and masks.
//!
//! Used by the MSM's bucket additions, batch inversions and GLV's `β·x` in
//! G1, and through [`mul_fq2`] / [`square_fq2`] in G2, on `wasm32` only
//! ([`super::MsmCurve::base_mul`]): there it multiplies in 153 ns against
//! arkworks' 251 (Node 20), while natively arkworks' 64-bit code is about 3×
//! faster than this (`docs/performance.md`, "A WebAssembly-tuned field
//! multiplication"). It is compiled everywhere so that the tests run
//! natively; the MSM's unit tests use it natively too. An 8 × 32-bit CIOS
//! variant (32-bit limbs, carries in every step) measured 180 ns in Node
//! and was dropped.

use ark_bn254::{Fq, Fq2};
use ark_ff::{BigInt, PrimeField};

const MASK: u64 = (1 << 29) - 1;

/// p's 64-bit limbs (little-endian).
const P64: [u64; 4] = <Fq as PrimeField>::MODULUS.0;

/// p in nine 29-bit limbs.
const P29: [u64; 9] = split29(&[P64[0], P64[1], P64[2], P64[3], 0]);

/// −p⁻¹ mod 2^29.
const MU: u64 = {
    // Newton's iteration for p⁻¹ mod 2^64 (p is odd): 6 steps from 1 bit.
    let mut inv = 1u64;
    let mut i = 0;
    while i < 6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(P64[0].wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg() & MASK
};

/// Bits `29k..29k+29` of a 320-bit little-endian integer, for k = 0..9.
const fn split29(w: &[u64; 5]) -> [u64; 9] {
    let mut out = [0u64; 9];
    let mut k = 0;
    while k < 9 {
        let bit = 29 * k;
        let (word, off) = (bit / 64, bit % 64);
        let mut v = w[word] >> off;
        if off > 35 {
            v |= w[word + 1] << (64 - off);
        }
        out[k] = v & MASK;
        k += 1;
    }
    out
}

/// `x` in nine 29-bit limbs.
#[inline(always)]
fn limbs(x: &[u64; 4]) -> [u64; 9] {
    split29(&[x[0], x[1], x[2], x[3], 0])
}

/// `32·x` (not reduced; below 2^259 for `x < p`) in nine 29-bit limbs.
#[inline(always)]
fn limbs_times_32(x: &[u64; 4]) -> [u64; 9] {
    split29(&[
        x[0] << 5,
        (x[1] << 5) | (x[0] >> 59),
        (x[2] << 5) | (x[1] >> 59),
        (x[3] << 5) | (x[2] >> 59),
        x[3] >> 59,
    ])
}

/// `x·y·2^−261 mod p`, canonical, for `x < p` and `y < 32p` in 29-bit limbs.
#[inline(always)]
fn mont29(x: &[u64; 9], y: &[u64; 9]) -> [u64; 4] {
    // s[j]: the accumulator of limb j, carries not yet propagated. Each
    // round adds at most two products (< 2^59) and a carry to a limb, so
    // nine rounds stay below 2^63.
    let mut s = [0u64; 9];
    for &xi in x {
        let t = s[0] + xi * y[0];
        let q = t.wrapping_mul(MU) & MASK;
        let carry = (t + q * P29[0]) >> 29;
        for j in 1..9 {
            s[j - 1] = s[j] + xi * y[j] + q * P29[j];
        }
        s[0] += carry;
        s[8] = 0;
    }
    // Propagate the carries: nine 29-bit limbs of a value below 1.25·p.
    let mut c = 0u64;
    for v in s.iter_mut() {
        let t = *v + c;
        *v = t & MASK;
        c = t >> 29;
    }
    let r = [
        s[0] | (s[1] << 29) | (s[2] << 58),
        (s[2] >> 6) | (s[3] << 23) | (s[4] << 52),
        (s[4] >> 12) | (s[5] << 17) | (s[6] << 46),
        (s[6] >> 18) | (s[7] << 11) | (s[8] << 40),
    ];
    subtract_p_if_ge(r)
}

/// `r − p` if `r ≥ p`, else `r`.
#[inline(always)]
fn subtract_p_if_ge(r: [u64; 4]) -> [u64; 4] {
    let mut d = [0u64; 4];
    let mut borrow = false;
    for ((d, &a), &b) in d.iter_mut().zip(&r).zip(&P64) {
        let (v, b1) = a.overflowing_sub(b);
        let (v, b2) = v.overflowing_sub(u64::from(borrow));
        *d = v;
        borrow = b1 | b2;
    }
    if borrow {
        r
    } else {
        d
    }
}

/// `a·b` in BN254 `Fq`: the same element as arkworks' `a * b`.
#[inline(always)]
pub fn mul(a: &Fq, b: &Fq) -> Fq {
    Fq::new_unchecked(BigInt(mont29(&limbs(&a.0 .0), &limbs_times_32(&b.0 .0))))
}

/// `a²` in BN254 `Fq`: the same element as arkworks' `a.square()`.
#[inline(always)]
pub fn square(a: &Fq) -> Fq {
    mul(a, a)
}

/// `a·b` in BN254 `Fq2 = Fq[u]/(u² + 1)`: Karatsuba, three [`mul`]s.
#[inline(always)]
pub fn mul_fq2(a: &Fq2, b: &Fq2) -> Fq2 {
    let v0 = mul(&a.c0, &b.c0);
    let v1 = mul(&a.c1, &b.c1);
    let s = mul(&(a.c0 + a.c1), &(b.c0 + b.c1));
    Fq2::new(v0 - v1, s - v0 - v1)
}

/// `a²` in BN254 `Fq2`: `(c0 + c1)(c0 − c1) + 2·c0·c1·u`, two [`mul`]s.
#[inline(always)]
pub fn square_fq2(a: &Fq2) -> Fq2 {
    let c1 = mul(&a.c0, &a.c1);
    Fq2::new(mul(&(a.c0 + a.c1), &(a.c0 - a.c1)), c1 + c1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_ff::{AdditiveGroup, BigInteger, Field, One, UniformRand, Zero};
    use rand::SeedableRng;

    /// 0, 1, 2, p − 1, p − 2, (p − 1)/2, R mod p (arkworks' one's
    /// representation read as a value), 2^k − 1 and 2^k for every limb
    /// boundary below p, values whose 64- or 32-bit limbs are all ones
    /// (below p), and the same read as Montgomery forms directly.
    fn edge_cases() -> Vec<Fq> {
        let one = Fq::one();
        let minus_one = -one;
        let mut v = vec![
            Fq::zero(),
            one,
            one.double(),
            minus_one,
            minus_one - one,
            minus_one * Fq::from(2u64).inverse().unwrap(),
            Fq::from_bigint(one.0).unwrap(),
            Fq::from_bigint(minus_one.0).unwrap(),
        ];
        for k in [
            29u32, 32, 58, 63, 64, 87, 116, 128, 145, 174, 192, 203, 232, 253,
        ] {
            let mut two_k = BigInt::<4>::zero();
            two_k.0[(k / 64) as usize] = 1 << (k % 64);
            let mut below = two_k;
            below.sub_with_borrow(&BigInt::from(1u64));
            for x in [two_k, below] {
                v.push(Fq::from_bigint(x).unwrap());
                v.push(Fq::new_unchecked(x));
            }
        }
        // All-ones limbs below p: 64-bit limbs 0..3 all ones, the top one p's.
        for mask in 1u8..8 {
            let mut x = P64;
            x[3] -= 1;
            for (i, limb) in x.iter_mut().take(3).enumerate() {
                if mask & (1 << i) != 0 {
                    *limb = u64::MAX;
                }
            }
            v.push(Fq::new_unchecked(BigInt(x)));
        }
        // Raw Montgomery forms p − 1, p − 2 (as values, the largest).
        for d in [1u64, 2, 3] {
            let mut x = BigInt(P64);
            x.sub_with_borrow(&BigInt::from(d));
            v.push(Fq::new_unchecked(x));
        }
        let squares: Vec<Fq> = v.iter().map(|x| x.square()).collect();
        v.extend(squares);
        v
    }

    fn assert_canonical(x: &Fq) {
        assert!(x.0 < BigInt(P64), "not canonical: {:?}", x.0);
    }

    #[test]
    fn constants() {
        // p·(−p⁻¹) ≡ −1 (mod 2^29)
        assert_eq!(P64[0].wrapping_mul(MU) & MASK, MASK);
        let mut back = BigInt::<4>::zero();
        for l in P29.iter().rev() {
            assert!(*l <= MASK);
            for _ in 0..29 {
                back.mul2();
            }
            back.add_with_carry(&BigInt::from(*l));
        }
        assert_eq!(back, BigInt(P64));
    }

    #[test]
    fn mul_equals_arkworks_on_edge_cases() {
        let edges = edge_cases();
        for a in &edges {
            for b in &edges {
                let want = *a * b;
                let got = mul(a, b);
                assert_eq!(got, want, "{a} · {b}");
                assert_canonical(&got);
            }
            assert_eq!(square(a), a.square(), "{a}²");
            assert_canonical(&square(a));
        }
    }

    #[test]
    fn mul_equals_arkworks_on_random_pairs() {
        let mut r = rand_chacha::ChaCha20Rng::seed_from_u64(0x6671);
        for _ in 0..100_000 {
            let (a, b) = (Fq::rand(&mut r), Fq::rand(&mut r));
            let want = a * b;
            let got = mul(&a, &b);
            assert_eq!(got, want, "{a} · {b}");
            assert_canonical(&got);
            assert_eq!(square(&a), a.square(), "{a}²");
        }
    }

    #[test]
    fn fq2_mul_equals_arkworks() {
        let edges = edge_cases();
        let pairs = edges.iter().zip(edges.iter().rev());
        let fq2: Vec<Fq2> = pairs.map(|(a, b)| Fq2::new(*a, *b)).collect();
        for a in &fq2 {
            for b in &fq2 {
                assert_eq!(mul_fq2(a, b), *a * b, "{a} · {b}");
            }
            assert_eq!(square_fq2(a), a.square(), "{a}²");
        }
        let mut r = rand_chacha::ChaCha20Rng::seed_from_u64(0x6673);
        for _ in 0..100_000 {
            let (a, b) = (Fq2::rand(&mut r), Fq2::rand(&mut r));
            assert_eq!(mul_fq2(&a, &b), a * b, "{a} · {b}");
            assert_eq!(square_fq2(&a), a.square(), "{a}²");
        }
    }

    #[test]
    fn mul_chains_stay_equal() {
        // Products of products: outputs fed back as inputs.
        let mut r = rand_chacha::ChaCha20Rng::seed_from_u64(0x6672);
        let (mut x, mut y) = (Fq::rand(&mut r), Fq::rand(&mut r));
        let (mut ax, mut ay) = (x, y);
        for _ in 0..10_000 {
            (x, y) = (mul(&x, &y), square(&x));
            (ax, ay) = (ax * ay, ax.square());
        }
        assert_eq!((x, y), (ax, ay));
    }
}
