//! Variable-base multi-scalar multiplication (Pippenger) with **batch-affine
//! bucket accumulation**, for short-Weierstrass curves over arkworks 0.5
//! types (BN254 G1 and G2 here).
//!
//! **Why hand-written.** arkworks 0.5's `VariableBaseMSM::msm_bigint` adds
//! every point into a projective bucket (a mixed addition, about 7M + 4S
//! per point per window). The batch-affine technique (one Montgomery batch
//! inversion shared by many independent affine additions, about 6M per
//! addition) is what barretenberg and gnark use and what arkworks'
//! issue #380 asks for; the crate that brought it to arkworks, `ark-msm`
//! (0.3.0-alpha.1, 2023), targets arkworks 0.3 and BLS12-381, is marked
//! research-only and unaudited, and is not maintained; Parity's
//! `ark-models-ext` 0.5 carries arkworks' own Pippenger. Nothing maintained
//! offered it for arkworks 0.5's `Affine`/`Projective` and `BigInt`
//! scalars, in safe Rust (this crate forbids `unsafe`) that also builds
//! for wasm32. So it is written here, over arkworks' public field
//! arithmetic.
//!
//! **Algorithm.** Signed-digit windows of `c` bits (digits in
//! `(-2^(c-1), 2^(c-1)]`, so `2^(c-1)` buckets per window, a negative digit
//! adds the negated point). For each window: a counting sort puts each
//! point (negated if its digit is negative) into its bucket's range; then
//! every bucket is summed by a pairwise tree, one level at a time, each
//! level a batch of independent affine additions sharing one field
//! inversion; then the usual running sum (projective) weighs the buckets.
//! Windows run in parallel with rayon under the `parallel` feature, one
//! after another otherwise (wasm32).
//!
//! **Incomplete formulas.** The affine chord formula fails for `P + P` and
//! `P + (−P)`, and the identity has no affine coordinates: each pair is
//! classified before the batch inversion (`Pair`): identity on either
//! side (take the other), equal `x` and equal `y` (tangent: doubling),
//! equal `x` otherwise (the identity), distinct `x` (chord). Identity bases
//! are skipped outright. The result is a group element, so it is the same
//! affine point as arkworks' MSM gives (tested against it).
//!
//! Scalars are little-endian limbs (`PrimeField::BigInt`), any value: the
//! number of windows follows the largest scalar's bit length.

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, CurveConfig};
use ark_ff::{BigInteger, Field, PrimeField, Zero};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// The scalars' representation for curve `P`.
pub type ScalarBigInt<P> = <<P as CurveConfig>::ScalarField as PrimeField>::BigInt;

/// `Σ scalars[i]·bases[i]` over the shorter of the two slices (as
/// arkworks' `msm_bigint`), with the window size chosen for the number of
/// terms that do work (nonzero scalar, base not the identity).
pub fn msm_bigint<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[ScalarBigInt<P>],
) -> Projective<P> {
    let terms = bases
        .iter()
        .zip(scalars)
        .filter(|(b, s)| !b.infinity && !s.is_zero())
        .count();
    msm_bigint_window(bases, scalars, window_bits(terms))
}

/// The window size (bits) [`msm_bigint`] uses for `n` nonzero terms:
/// `round(log2 n) − 3`. Chosen by instruction counts (callgrind,
/// `benches/examples/msm_count.rs`, dense scalars: 9 bits best for 4,873
/// points in G1 and G2, 10 for 8,191) and by CPU time on the proof's own
/// queries (`msm_compare --window C`: 8 for A and B, whose 4,873 points
/// have ~2.2–2.6k nonzero terms). The batch-affine bucket additions are
/// cheap, so the windows are smaller than arkworks' `ln(n) + 2`.
pub fn window_bits(n: usize) -> usize {
    // n·√2 (181/128 ≈ 1.414), then floor(log2): round(log2 n).
    let scaled = n.saturating_mul(181) / 128;
    let log2 = (usize::BITS - 1).saturating_sub(scaled.leading_zeros()) as usize;
    log2.saturating_sub(3).clamp(2, 16)
}

/// [`msm_bigint`] with the window size `c` given (clamped to `2..=16`);
/// public for tuning and benches.
pub fn msm_bigint_window<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[ScalarBigInt<P>],
    c: usize,
) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    let (bases, scalars) = (&bases[..n], &scalars[..n]);
    let c = c.clamp(2, 16);
    let num_bits = scalars.iter().map(|s| s.num_bits()).max().unwrap_or(0) as usize;
    if num_bits == 0 {
        return Projective::zero();
    }
    // One bit more than the scalars: the top window then absorbs the last
    // carry of the signed digits (its raw value is below 2^(c-1)).
    let windows = (num_bits + 1).div_ceil(c);
    let mut digits = vec![0i32; n * windows];
    ark_std::cfg_chunks_mut!(digits, windows)
        .zip(ark_std::cfg_iter!(scalars))
        .for_each(|(row, s)| signed_digits(s.as_ref(), c, row));
    let sums: Vec<Projective<P>> = ark_std::cfg_into_iter!(0..windows)
        .map(|w| window_sum(bases, &digits, windows, w, c))
        .collect();
    let mut total = Projective::<P>::zero();
    for sum in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += sum;
    }
    total
}

/// `c` bits of `limbs` from bit `pos` (zero past the end).
fn bits(limbs: &[u64], pos: usize, c: usize) -> u64 {
    let (limb, off) = (pos / 64, pos % 64);
    let lo = limbs.get(limb).map_or(0, |l| l >> off);
    let hi = if off + c > 64 {
        limbs.get(limb + 1).map_or(0, |l| l << (64 - off))
    } else {
        0
    };
    (lo | hi) & ((1u64 << c) - 1)
}

/// The signed base-`2^c` digits of a scalar, in `(-2^(c-1), 2^(c-1)]`,
/// lowest first, into `out` (one per window).
fn signed_digits(limbs: &[u64], c: usize, out: &mut [i32]) {
    let half = 1i64 << (c - 1);
    let mut carry = 0i64;
    for (w, d) in out.iter_mut().enumerate() {
        let mut v = bits(limbs, w * c, c) as i64 + carry;
        carry = 0;
        if v > half {
            v -= half << 1;
            carry = 1;
        }
        *d = v as i32;
    }
}

/// One window's weighted bucket sum `Σ_b b·bucket_b`.
fn window_sum<P: SWCurveConfig>(
    bases: &[Affine<P>],
    digits: &[i32],
    stride: usize,
    w: usize,
    c: usize,
) -> Projective<P> {
    let buckets = 1usize << (c - 1);
    let digit = |i: usize| digits.get(i * stride + w).copied().unwrap_or(0);
    // Bucket b (1..=buckets) holds the points with digit ±b.
    let mut lens = vec![0usize; buckets + 1];
    for (i, base) in bases.iter().enumerate() {
        let d = digit(i);
        if d != 0 && !base.infinity {
            if let Some(l) = lens.get_mut(d.unsigned_abs() as usize) {
                *l += 1;
            }
        }
    }
    let mut starts = vec![0usize; buckets + 1];
    let mut acc = 0;
    for (s, l) in starts.iter_mut().zip(&lens) {
        *s = acc;
        acc += l;
    }
    let mut points = vec![Affine::<P>::identity(); acc];
    let mut next = starts.clone();
    for (i, base) in bases.iter().enumerate() {
        let d = digit(i);
        if d == 0 || base.infinity {
            continue;
        }
        if let Some(at) = next.get_mut(d.unsigned_abs() as usize) {
            if let Some(slot) = points.get_mut(*at) {
                *slot = if d < 0 { -*base } else { *base };
            }
            *at += 1;
        }
    }
    reduce_buckets(&mut points, &starts, &mut lens);
    let mut running = Projective::<P>::zero();
    let mut sum = Projective::<P>::zero();
    for (s, l) in starts.iter().zip(&lens).skip(1).rev() {
        if *l > 0 {
            if let Some(p) = points.get(*s) {
                running += p;
            }
        }
        sum += &running;
    }
    sum
}

/// How one affine pair is added (decided before the batch inversion).
#[derive(Clone, Copy)]
enum Pair {
    /// Distinct `x`: the chord; needs `1/(x2 − x1)`.
    Chord,
    /// `P + P`: the tangent; needs `1/(2y)`.
    Tangent,
    /// The first is the identity: the second.
    Second,
    /// The second is the identity: the first.
    First,
    /// `P + (−P)`: the identity.
    Identity,
}

fn classify<P: SWCurveConfig>(a: &Affine<P>, b: &Affine<P>) -> (Pair, Option<P::BaseField>) {
    if a.infinity {
        (Pair::Second, None)
    } else if b.infinity {
        (Pair::First, None)
    } else if a.x != b.x {
        (Pair::Chord, Some(b.x - a.x))
    } else if a.y == b.y && !a.y.is_zero() {
        (Pair::Tangent, Some(a.y.double()))
    } else {
        (Pair::Identity, None)
    }
}

/// `a + b` given the pair's kind and its denominator's inverse.
fn add_with<P: SWCurveConfig>(
    a: &Affine<P>,
    b: &Affine<P>,
    kind: Pair,
    inv: P::BaseField,
) -> Affine<P> {
    let lambda = match kind {
        Pair::Chord => (b.y - a.y) * inv,
        Pair::Tangent => {
            let xx = a.x.square();
            (xx.double() + xx + P::COEFF_A) * inv
        }
        Pair::Second => return *b,
        Pair::First => return *a,
        Pair::Identity => return Affine::identity(),
    };
    let x = lambda.square() - a.x - b.x;
    let y = lambda * (a.x - x) - a.y;
    Affine::new_unchecked(x, y)
}

/// Sum every bucket's range of `points` into its first slot, pairwise, one
/// level at a time; each level's chord and tangent denominators share one
/// inversion. `lens` ends as 1 (or 0 for an empty bucket).
fn reduce_buckets<P: SWCurveConfig>(
    points: &mut [Affine<P>],
    starts: &[usize],
    lens: &mut [usize],
) {
    let mut kinds: Vec<Pair> = Vec::new();
    let mut denominators: Vec<P::BaseField> = Vec::new();
    let mut scratch: Vec<P::BaseField> = Vec::new();
    loop {
        kinds.clear();
        denominators.clear();
        for (s, l) in starts.iter().zip(lens.iter()) {
            let Some(range) = points.get(*s..*s + *l) else {
                continue;
            };
            for pair in range.chunks_exact(2) {
                if let [a, b] = pair {
                    let (kind, d) = classify(a, b);
                    kinds.push(kind);
                    denominators.extend(d);
                }
            }
        }
        if kinds.is_empty() {
            return;
        }
        batch_invert(&mut denominators, &mut scratch);
        let mut kind = kinds.iter();
        let mut inverse = denominators.iter();
        for (s, l) in starts.iter().zip(lens.iter_mut()) {
            let half = *l / 2;
            for i in 0..half {
                let (Some(&k), Some(a), Some(b)) = (
                    kind.next(),
                    points.get(s + 2 * i).copied(),
                    points.get(s + 2 * i + 1).copied(),
                ) else {
                    continue;
                };
                let inv = match k {
                    Pair::Chord | Pair::Tangent => inverse.next().copied().unwrap_or_default(),
                    _ => P::BaseField::zero(),
                };
                // Slot s+i is read by no later pair (they read s+2i+2 on).
                if let Some(slot) = points.get_mut(s + i) {
                    *slot = add_with(&a, &b, k, inv);
                }
            }
            if *l % 2 == 1 {
                points.swap(s + half, s + *l - 1);
            }
            *l -= half;
        }
    }
}

/// Invert every element of `v` in place with one inversion (Montgomery's
/// trick). The elements are nonzero by construction ([`classify`]).
fn batch_invert<F: Field>(v: &mut [F], scratch: &mut Vec<F>) {
    scratch.clear();
    let mut acc = F::one();
    for x in v.iter() {
        scratch.push(acc);
        acc *= x;
    }
    let Some(mut inv) = acc.inverse() else {
        return;
    };
    for (x, before) in v.iter_mut().zip(scratch.iter()).rev() {
        let t = inv * before;
        inv *= *x;
        *x = t;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, VariableBaseMSM};
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    fn rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(0x6d736d)
    }

    fn check_g1(bases: &[G1Affine], scalars: &[Fr]) {
        let expected = G1Projective::msm(bases, scalars).unwrap().into_affine();
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm_bigint(bases, &big).into_affine(), expected);
        for c in [2, 3, 5, 8, 11] {
            assert_eq!(
                msm_bigint_window(bases, &big, c).into_affine(),
                expected,
                "c={c}"
            );
        }
    }

    fn check_g2(bases: &[G2Affine], scalars: &[Fr]) {
        let expected = G2Projective::msm(bases, scalars).unwrap().into_affine();
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm_bigint(bases, &big).into_affine(), expected);
    }

    fn random_g1(n: usize, r: &mut impl rand::RngCore) -> (Vec<G1Affine>, Vec<Fr>) {
        let bases = G1Projective::normalize_batch(
            &(0..n).map(|_| G1Projective::rand(r)).collect::<Vec<_>>(),
        );
        (bases, (0..n).map(|_| Fr::rand(r)).collect())
    }

    #[test]
    fn random_sizes_match_arkworks_g1() {
        let mut r = rng();
        for n in [1, 2, 3, 100, 4873, 8192] {
            let (bases, scalars) = random_g1(n, &mut r);
            check_g1(&bases, &scalars);
        }
    }

    #[test]
    fn random_sizes_match_arkworks_g2() {
        let mut r = rng();
        for n in [1, 2, 3, 100, 1000] {
            let bases = G2Projective::normalize_batch(
                &(0..n)
                    .map(|_| G2Projective::rand(&mut r))
                    .collect::<Vec<_>>(),
            );
            let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
            check_g2(&bases, &scalars);
        }
    }

    #[test]
    fn empty_input() {
        assert!(msm_bigint::<ark_bn254::g1::Config>(&[], &[]).is_zero());
        let (bases, _) = random_g1(3, &mut rng());
        assert!(msm_bigint(&bases, &[]).is_zero());
    }

    #[test]
    fn zero_scalars() {
        let mut r = rng();
        let (bases, mut scalars) = random_g1(100, &mut r);
        check_g1(&bases, &vec![Fr::zero(); 100]);
        for s in scalars.iter_mut().step_by(3) {
            *s = Fr::zero();
        }
        check_g1(&bases, &scalars);
    }

    #[test]
    fn one_and_minus_one() {
        let mut r = rng();
        let (bases, _) = random_g1(50, &mut r);
        let minus_one = -Fr::from(1u64);
        check_g1(&bases, &vec![Fr::from(1u64); 50]);
        check_g1(&bases, &vec![minus_one; 50]);
        let mixed: Vec<Fr> = (0..50)
            .map(|i| {
                if i % 2 == 0 {
                    Fr::from(1u64)
                } else {
                    minus_one
                }
            })
            .collect();
        check_g1(&bases, &mixed);
        // P·1 + P·(r−1) = 0, and P·(r−1) + P·(r−1) = −2P.
        let p = bases[0];
        check_g1(&[p, p], &[Fr::from(1u64), minus_one]);
        check_g1(&[p, p], &[minus_one, minus_one]);
    }

    #[test]
    fn repeated_points_and_negations() {
        let mut r = rng();
        let (bases, scalars) = random_g1(4, &mut r);
        let p = bases[0];
        // The same point many times with the same scalar: every bucket
        // level doubles.
        check_g1(&vec![p; 64], &vec![scalars[0]; 64]);
        check_g1(&vec![p; 33], &vec![Fr::from(5u64); 33]);
        // A point and its negation with the same scalar: P + (−P) in one
        // bucket, at every window.
        check_g1(&[p, -p], &[scalars[1], scalars[1]]);
        check_g1(&[p, -p, p], &[scalars[1], scalars[1], scalars[1]]);
        // Same point, opposite scalars: the digits cancel.
        check_g1(&[p, p, bases[1]], &[scalars[2], -scalars[2], scalars[3]]);
        // Mixed: repeats, negations, and others.
        let many: Vec<G1Affine> = (0..200)
            .map(|i| match i % 4 {
                0 => p,
                1 => -p,
                2 => bases[1],
                _ => bases[2],
            })
            .collect();
        let sc: Vec<Fr> = (0..200).map(|i| Fr::from((i % 7) as u64)).collect();
        check_g1(&many, &sc);
        let sc: Vec<Fr> = (0..200).map(|_| Fr::rand(&mut r)).collect();
        check_g1(&many, &sc);
    }

    #[test]
    fn identity_among_bases() {
        let mut r = rng();
        let (mut bases, scalars) = random_g1(100, &mut r);
        for b in bases.iter_mut().step_by(5) {
            *b = G1Affine::identity();
        }
        check_g1(&bases, &scalars);
        check_g1(&[G1Affine::identity()], &[scalars[0]]);
        check_g1(&vec![G1Affine::identity(); 10], &scalars[..10]);
    }

    #[test]
    fn unequal_lengths_use_the_shorter() {
        let (bases, scalars) = random_g1(10, &mut rng());
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(
            msm_bigint(&bases[..7], &big),
            G1Projective::msm_bigint(&bases[..7], &big)
        );
        assert_eq!(
            msm_bigint(&bases, &big[..4]),
            G1Projective::msm_bigint(&bases, &big[..4])
        );
    }

    #[test]
    fn signed_digits_recompose() {
        let mut r = rng();
        for c in 2..=16 {
            let s = Fr::rand(&mut r).into_bigint();
            let windows = (s.num_bits() as usize + 1).div_ceil(c);
            let mut d = vec![0i32; windows];
            signed_digits(s.as_ref(), c, &mut d);
            let half = 1i32 << (c - 1);
            assert!(d.iter().all(|&x| x > -half && x <= half));
            let mut acc = Fr::zero();
            for x in d.iter().rev() {
                acc *= Fr::from(1u64 << c);
                acc += if *x < 0 {
                    -Fr::from(x.unsigned_abs() as u64)
                } else {
                    Fr::from(*x as u64)
                };
            }
            assert_eq!(acc.into_bigint(), s, "c={c}");
        }
    }
}
