//! Cross-check of the native Poseidon against an independent implementation,
//! the `light-poseidon` crate (0.4, circom-compatible, BN254, `x^5`).
//!
//! Our parameters come from our own port of the Grain LFSR generator
//! (`src/poseidon/grain.rs`); light-poseidon ships circomlib's round constants
//! and MDS matrices as literals, and has its own permutation code. Agreement
//! on random inputs is therefore evidence for both the parameters and the
//! permutation, beyond the fixed circomlibjs vectors of
//! `tests/poseidon_vectors.rs`.
//!
//! light-poseidon supports 1..=12 inputs (width ≤ 13); zkstatus hashes 1
//! (holder commitment), 5 (EdDSA challenge) and 10 (record commitment)
//! inputs. Arities 13..=16 are covered by the circomlibjs vectors only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, UniformRand};
use core::str::FromStr;
use light_poseidon::{Poseidon, PoseidonError, PoseidonHasher};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkstatus_circuits::babyjubjub::{Fq, Point};
use zkstatus_circuits::eddsa::{challenge_hash, PrivateKey};
use zkstatus_circuits::poseidon;
use zkstatus_circuits::record::{
    HolderSecret, Record, TestResult, TestType, COMMITMENT_ARITY, NO_EXPOSURE,
};

/// The arities zkstatus hashes (see the module comment).
const USED_ARITIES: [usize; 3] = [1, 5, COMMITMENT_ARITY];
/// light-poseidon's largest arity.
const LIGHT_MAX_INPUTS: usize = 12;

fn light(inputs: &[Fr]) -> Fr {
    Poseidon::<Fr>::new_circom(inputs.len())
        .unwrap()
        .hash(inputs)
        .unwrap()
}

fn ours(inputs: &[Fr]) -> Fr {
    poseidon::hash(inputs).unwrap()
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x706f_7365_6964_6f6e)
}

#[test]
fn used_arities_are_within_light_poseidon_range() {
    for n in USED_ARITIES {
        assert!((1..=LIGHT_MAX_INPUTS).contains(&n), "arity {n}");
    }
    assert!(Poseidon::<Fr>::new_circom(LIGHT_MAX_INPUTS).is_ok());
    assert!(matches!(
        Poseidon::<Fr>::new_circom(LIGHT_MAX_INPUTS + 1),
        Err(PoseidonError::InvalidWidthCircom { .. })
    ));
}

#[test]
fn agrees_on_random_inputs_for_the_arities_we_use() {
    let mut rng = rng();
    for n in USED_ARITIES {
        for _ in 0..64 {
            let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            assert_eq!(ours(&inputs), light(&inputs), "n = {n}, {inputs:?}");
        }
    }
}

#[test]
fn agrees_on_random_inputs_for_every_arity_light_poseidon_supports() {
    let mut rng = rng();
    for n in 1..=LIGHT_MAX_INPUTS {
        for _ in 0..8 {
            let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            assert_eq!(ours(&inputs), light(&inputs), "n = {n}, {inputs:?}");
        }
    }
}

#[test]
fn agrees_on_fixed_inputs() {
    let minus_one = -Fr::ONE;
    for n in 1..=LIGHT_MAX_INPUTS {
        let fixed: [Vec<Fr>; 5] = [
            vec![Fr::ZERO; n],
            vec![Fr::ONE; n],
            vec![minus_one; n],
            (1..=n as u64).map(Fr::from).collect(),
            (0..n as u64)
                .map(|i| Fr::from(u64::MAX) * Fr::from(i + 1))
                .collect(),
        ];
        for inputs in fixed {
            assert_eq!(ours(&inputs), light(&inputs), "n = {n}, {inputs:?}");
        }
    }
    // circomlib's anchor, Poseidon([1, 2]), from both.
    let anchor = Fr::from_str(
        "7853200120776062878684798364095072458815029376092732009249414926327459813530",
    )
    .unwrap();
    assert_eq!(light(&[Fr::from(1u64), Fr::from(2u64)]), anchor);
    assert_eq!(ours(&[Fr::from(1u64), Fr::from(2u64)]), anchor);
}

/// The three call sites, end to end: what they hash matches light-poseidon
/// on the same field elements.
#[test]
fn call_sites_agree_with_light_poseidon() {
    let mut rng = rng();
    for _ in 0..8 {
        let secret = HolderSecret::generate(&mut rng);
        assert_eq!(secret.commitment(), light(&[secret.to_field()]));

        let record = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: 1_700_000_000,
            exposure_time: NO_EXPOSURE,
            issued_at: 1_700_000_600,
            expires_at: 1_700_086_400,
            credential_id: Fr::rand(&mut rng),
        };
        assert_eq!(record.commitment(), light(&record.to_field_elements()));

        let key = PrivateKey::generate(&mut rng);
        let msg: Fq = record.commitment();
        let sig = key.sign(msg);
        let a: Point = key.public_key().point();
        let r8 = sig.r8();
        assert_eq!(
            challenge_hash(&r8, &a, msg),
            light(&[r8.x, r8.y, a.x, a.y, msg])
        );
    }
}
