//! Statement v2: every bad-input class of docs/security.md, section C, and
//! the protocol checks of section D that the gate owns, against
//! `PayloadV2::from_bytes`, `PayloadV2::from_text` and `Gate::verify`. Each
//! test asserts the precise error; none may panic, and no malformed or
//! mutated payload is ever accepted. (The version-1 twin is
//! `payload_decoding.rs`, until v1 is removed.)
//!
//! Not applicable here, by construction:
//! - item 56 (challenge aliasing): the challenge never travels in the
//!   payload; the gate finds its own by the issue time;
//! - item 57 (wrong public-input count): the gate builds the vector from
//!   `statement::v2::PublicInputs`, and a vector of another length never
//!   verifies (`PreparedVerifyingKeyOf::verify`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The statement tests' honest baseline, shared rather than copied.
#[path = "../../circuits/tests/common/mod.rs"]
mod common;

use ark_bn254::{Bn254, Fq as BaseFq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::{short_weierstrass::SWCurveConfig, AffineRepr};
use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use ark_groth16::Groth16;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::SNARK;
use common::v2::*;
use common::*;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zkstatus_circuits::statement::v2::constraints::StatusCircuit;
use zkstatus_circuits::statement::v2::Mode;
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_verifier::challenge::ChallengeBookError;
use zkstatus_verifier::groth16::{EncodingError, Proof, VerifyingKeyV2, G1_BYTES, G2_BYTES};
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::payload::{base45_encode, base45_len, PayloadError};
use zkstatus_verifier::v2::payload::{
    PayloadV2, PresentedMode, INTERACTIVE_BYTES, MAX_TEXT_CHARS, ONE_SCAN_BYTES,
    PAYLOAD_V2_VERSION, TEXT_PREFIX_V2,
};
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
use zkstatus_verifier::v2::{Accepted, Gate, Modes, Verifier};
use zkstatus_verifier::{Rejection, VerifyError, MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME};

/// Offsets in the binary payload.
const MODE_AT: usize = 1;
const EPOCH_AT: usize = 2;
const NOW_AT: usize = 10;
const PROOF_AT: usize = 18;
const A_AT: usize = PROOF_AT;
const B_AT: usize = PROOF_AT + G1_BYTES;
const C_AT: usize = PROOF_AT + G1_BYTES + G2_BYTES;
const MIB: usize = 1 << 20;
const EPOCH: u64 = 3;

struct Fixture {
    vk: VerifyingKeyV2,
    payload: PayloadV2,
    bytes: Vec<u8>,
}

/// Seeded Groth16 keys and one honest interactive proof for
/// `common::v2::public()` (registry epoch 3, challenge issued at `NOW`);
/// made once.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0xc0de);
        let (pk, ark_vk) =
            Groth16::<Bn254>::circuit_specific_setup(StatusCircuit::blank(), &mut rng).unwrap();
        let p = Groth16::<Bn254>::prove(&pk, circuit(honest_public(), honest_witness()), &mut rng)
            .unwrap();
        let vk = VerifyingKeyV2 {
            alpha_g1: ark_vk.alpha_g1,
            beta_g2: ark_vk.beta_g2,
            gamma_g2: ark_vk.gamma_g2,
            delta_g2: ark_vk.delta_g2,
            gamma_abc_g1: ark_vk.gamma_abc_g1.clone().try_into().unwrap(),
        };
        let payload = PayloadV2 {
            epoch: EPOCH,
            now: NOW,
            mode: PresentedMode::Interactive,
            proof: Proof {
                a: p.a,
                b: p.b,
                c: p.c,
            },
        };
        Fixture {
            bytes: payload.to_bytes(),
            vk,
            payload,
        }
    })
}

fn challenge() -> Challenge {
    match public().mode {
        Mode::Interactive { challenge } => challenge,
        Mode::OneScan { .. } => unreachable!(),
    }
}

fn roots() -> AcceptedRoots {
    AcceptedRoots::new(vec![PublishedRoot {
        epoch: EPOCH,
        root: registry().root(),
        published_at: NOW - 2 * DAY,
        activates_at: NOW - DAY,
        end_date: NOW + 365 * DAY,
    }])
    .unwrap()
}

/// A gate under `policy` that issued the baseline challenge at `NOW` (the
/// baseline policy's verifier is prepared once and cloned).
fn gate_with(policy: StatusPolicy) -> Gate {
    static BASELINE: OnceLock<Verifier> = OnceLock::new();
    let verifier = if policy == common::policy() {
        BASELINE
            .get_or_init(|| Verifier::new(&fixture().vk, roots(), policy))
            .clone()
    } else {
        Verifier::new(&fixture().vk, roots(), policy)
    };
    let mut g = Gate::new(verifier, "test", OperatorId::GLOBAL, Modes::BOTH, 90, 3).unwrap();
    g.challenges().restore(challenge(), NOW, NOW).unwrap();
    g
}

fn gate() -> Gate {
    gate_with(policy())
}

/// A fresh gate's verdict at `NOW + 1`.
fn verify(bytes: &[u8]) -> Result<Accepted, VerifyError> {
    gate().verify(bytes, NOW + 1)
}

#[track_caller]
fn assert_accepted(r: Result<Accepted, VerifyError>) {
    let a = r.unwrap();
    assert_eq!((a.epoch, a.now), (EPOCH, NOW));
}

fn malformed(e: PayloadError) -> Result<Accepted, VerifyError> {
    Err(VerifyError::Malformed(e))
}

fn rejected(r: Rejection) -> Result<Accepted, VerifyError> {
    Err(VerifyError::Rejected(r))
}

/// The valid payload with `bytes` written at `at`.
fn patched(at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut out = fixture().bytes.clone();
    out[at..at + bytes.len()].copy_from_slice(bytes);
    out
}

fn with_now(now: u64) -> Vec<u8> {
    patched(NOW_AT, &now.to_be_bytes())
}

fn proof_error(e: EncodingError) -> Result<Accepted, VerifyError> {
    malformed(PayloadError::Proof(e))
}

/// Little-endian bytes of a BN254 base-field modulus plus `k` (`k` small).
fn bn254_p_plus(k: u64) -> [u8; 32] {
    let mut m = BaseFq::MODULUS;
    m.add_with_carry(&ark_ff::BigInt::from(k));
    m.to_bytes_le().try_into().unwrap()
}

/// The compressed G1 encoding of the identity with `x` in place of zero.
fn g1_identity_with_x(x: u8) -> [u8; G1_BYTES] {
    let mut out = [0u8; G1_BYTES];
    out[0] = x;
    out[G1_BYTES - 1] |= 0x40; // SWFlags::PointAtInfinity
    out
}

/// A compressed G1 `x` (flags clear) with no point on `y² = x³ + 3`.
fn g1_x_off_curve() -> [u8; G1_BYTES] {
    let b = ark_bn254::g1::Config::COEFF_B;
    let x = (2u64..)
        .map(BaseFq::from)
        .find(|x| (x.square() * x + b).sqrt().is_none())
        .unwrap();
    let mut out = [0u8; G1_BYTES];
    out.copy_from_slice(&x.into_bigint().to_bytes_le());
    assert!(G1Affine::deserialize_compressed(&out[..]).is_err());
    out
}

// ---------------------------------------------------------------------------
// Baseline.

#[test]
fn valid_payload_round_trips_and_is_accepted_once() {
    let f = fixture();
    assert_eq!(f.bytes.len(), INTERACTIVE_BYTES);
    assert_eq!(f.bytes[0], PAYLOAD_V2_VERSION);
    assert_eq!(PayloadV2::from_bytes(&f.bytes).unwrap(), f.payload);
    let text = f.payload.to_text();
    assert_eq!(
        text.len(),
        TEXT_PREFIX_V2.len() + base45_len(INTERACTIVE_BYTES)
    );
    assert_eq!(PayloadV2::from_text(&text).unwrap(), f.payload);
    let mut g = gate();
    assert_accepted(g.verify(&f.bytes, NOW + 1));
    // Single use: the challenge was consumed.
    assert_eq!(
        g.verify(&f.bytes, NOW + 2),
        rejected(Rejection::ChallengeUsed)
    );
    assert_eq!(g.verifier().verifying_key(), &f.vk);
    assert_eq!(g.verifier().policy(), &policy());
}

// ---------------------------------------------------------------------------
// Items 49, 50: lengths, trailing bytes, versions and modes.

#[test]
fn rejects_payload_of_wrong_length_before_the_proof() {
    // Version and mode right, length wrong: refused before any point.
    for (mode, expected) in [(0u8, INTERACTIVE_BYTES), (1, ONE_SCAN_BYTES)] {
        for n in [2, 3, 100, expected - 1, expected + 1, MIB] {
            let mut bytes = vec![0xffu8; n];
            bytes[0] = PAYLOAD_V2_VERSION;
            bytes[1] = mode;
            let e = PayloadError::WrongLength { expected, got: n };
            assert_eq!(PayloadV2::from_bytes(&bytes), Err(e), "{n} bytes");
            assert_eq!(verify(&bytes), malformed(e), "{n} bytes");
        }
    }
    // Empty, and prefixes of the valid payload.
    let f = fixture();
    assert!(matches!(
        verify(&[]),
        Err(VerifyError::Malformed(PayloadError::WrongLength {
            got: 0,
            ..
        }))
    ));
    for n in [1, 2, 18, 145] {
        assert!(
            matches!(
                verify(&f.bytes[..n]),
                Err(VerifyError::Malformed(PayloadError::WrongLength { .. }))
            ),
            "{n} bytes"
        );
    }
}

#[test]
fn rejects_payload_with_trailing_bytes() {
    // V19: ark-serialize ignores trailing bytes; we do not.
    let f = fixture();
    for extra in [&[0u8][..], &[0, 0, 0], &[0xff; 31], &[0; 32]] {
        let mut bytes = f.bytes.clone();
        bytes.extend_from_slice(extra);
        assert_eq!(
            verify(&bytes),
            malformed(PayloadError::WrongLength {
                expected: INTERACTIVE_BYTES,
                got: INTERACTIVE_BYTES + extra.len()
            })
        );
    }
}

#[test]
fn rejects_other_versions_naming_them_and_unknown_modes() {
    for v in [0u8, 1, 3, 255] {
        let bytes = patched(0, &[v]);
        assert_eq!(verify(&bytes), malformed(PayloadError::NotVersion2(v)));
        // Checked before the proof is decoded.
        let mut bytes = bytes;
        bytes[A_AT..A_AT + G1_BYTES].copy_from_slice(&bn254_p_plus(0));
        assert_eq!(verify(&bytes), malformed(PayloadError::NotVersion2(v)));
    }
    let e = PayloadError::NotVersion2(1);
    assert!(e.to_string().contains("version 1"), "{e}");
    for m in [2u8, 0x80, 255] {
        assert_eq!(
            verify(&patched(MODE_AT, &[m])),
            malformed(PayloadError::UnknownMode(m))
        );
    }
    // An interactive payload relabelled one-scan has a one-scan's length to
    // reach, and a one-scan one relabelled interactive is 32 bytes too long.
    assert_eq!(
        verify(&patched(MODE_AT, &[1])),
        malformed(PayloadError::WrongLength {
            expected: ONE_SCAN_BYTES,
            got: INTERACTIVE_BYTES
        })
    );
}

#[test]
fn rejects_one_scan_payloads_with_a_misaligned_window_or_a_nullifier_not_below_p() {
    let mut b = fixture().bytes.clone();
    b[MODE_AT] = 1;
    b.extend_from_slice(&[0u8; 32]);
    // NOW is a window start in the baseline? Make the time misaligned.
    let mut m = b.clone();
    m[NOW_AT..NOW_AT + 8].copy_from_slice(&(NOW / 60 * 60 + 1).to_be_bytes());
    assert_eq!(
        PayloadV2::from_bytes(&m),
        Err(PayloadError::MisalignedWindow(NOW / 60 * 60 + 1))
    );
    let mut n = b.clone();
    n[NOW_AT..NOW_AT + 8].copy_from_slice(&(NOW / 60 * 60).to_be_bytes());
    // r, r + 1, and all ones: not below p.
    let r = Fr::MODULUS.to_bytes_be();
    let mut r1 = Fr::MODULUS;
    r1.add_with_carry(&ark_ff::BigInt::from(1u64));
    for bad in [r.clone(), r1.to_bytes_be(), vec![0xff; 32]] {
        n[INTERACTIVE_BYTES..].copy_from_slice(&bad);
        assert_eq!(
            PayloadV2::from_bytes(&n),
            Err(PayloadError::NonCanonicalNullifier)
        );
    }
    // p − 1 decodes.
    let mut below = Fr::MODULUS;
    below.sub_with_borrow(&ark_ff::BigInt::from(1u64));
    n[INTERACTIVE_BYTES..].copy_from_slice(&below.to_bytes_be());
    assert!(PayloadV2::from_bytes(&n).is_ok());
}

// ---------------------------------------------------------------------------
// Items 51–53: points.

#[test]
fn rejects_non_canonical_identity_encoding_in_proof() {
    // V20: ark decodes "infinity flag + garbage x" to the identity; we
    // re-encode and compare, so it is NonCanonical.
    let garbage = g1_identity_with_x(7);
    assert_eq!(
        G1Affine::deserialize_compressed(&garbage[..]).unwrap(),
        G1Affine::zero()
    );
    for (at, what) in [(A_AT, "proof point A"), (C_AT, "proof point C")] {
        assert_eq!(
            verify(&patched(at, &garbage)),
            proof_error(EncodingError::NonCanonical(what))
        );
        let mut top = g1_identity_with_x(0);
        top[G1_BYTES - 1] |= 0x01;
        assert_eq!(
            verify(&patched(at, &top)),
            proof_error(EncodingError::NonCanonical(what))
        );
        let mut both = [0u8; G1_BYTES];
        both[G1_BYTES - 1] = 0xc0;
        assert_eq!(
            verify(&patched(at, &both)),
            proof_error(EncodingError::InvalidPoint(what))
        );
        let mut big = bn254_p_plus(0);
        big[G1_BYTES - 1] |= 0x40;
        assert_eq!(
            verify(&patched(at, &big)),
            proof_error(EncodingError::InvalidPoint(what))
        );
    }
    for garbage_at in [0, G2_BYTES / 2, G2_BYTES - 2] {
        let mut b = [0u8; G2_BYTES];
        b[garbage_at] = 7;
        b[G2_BYTES - 1] = 0x40;
        assert_eq!(
            verify(&patched(B_AT, &b)),
            proof_error(EncodingError::NonCanonical("proof point B"))
        );
    }
}

#[test]
fn rejects_proof_point_with_x_not_below_p_or_off_the_curve() {
    let mut max = [0xffu8; G1_BYTES];
    max[G1_BYTES - 1] = 0x3f;
    let off = g1_x_off_curve();
    let mut off_neg = off;
    off_neg[G1_BYTES - 1] |= 0x80;
    for x in [bn254_p_plus(0), bn254_p_plus(1), max, off, off_neg] {
        for (at, what) in [(A_AT, "proof point A"), (C_AT, "proof point C")] {
            assert_eq!(
                verify(&patched(at, &x)),
                proof_error(EncodingError::InvalidPoint(what))
            );
        }
    }
    let mut b = [0u8; G2_BYTES];
    b[..32].copy_from_slice(&bn254_p_plus(0));
    assert_eq!(
        verify(&patched(B_AT, &b)),
        proof_error(EncodingError::InvalidPoint("proof point B"))
    );
    let b2 = ark_bn254::g2::Config::COEFF_B;
    let x = (1u64..)
        .map(|i| Fq2::new(BaseFq::from(i), BaseFq::from(1u64)))
        .find(|x| (x.square() * x + b2).sqrt().is_none())
        .unwrap();
    let mut b = Vec::new();
    x.serialize_compressed(&mut b).unwrap();
    assert_eq!(
        verify(&patched(B_AT, &b)),
        proof_error(EncodingError::InvalidPoint("proof point B"))
    );
}

#[test]
fn rejects_proof_b_on_twist_outside_subgroup() {
    // V21.
    let b2 = ark_bn254::g2::Config::COEFF_B;
    let p = (1u64..)
        .find_map(|i| {
            let x = Fq2::new(BaseFq::from(i), BaseFq::from(1u64));
            let y = (x.square() * x + b2).sqrt()?;
            Some(G2Affine::new_unchecked(x, y))
        })
        .unwrap();
    assert!(p.is_on_curve());
    assert!(!p.is_in_correct_subgroup_assuming_on_curve());
    for q in [p, -p] {
        let mut b = Vec::new();
        q.serialize_compressed(&mut b).unwrap();
        assert_eq!(
            verify(&patched(B_AT, &b)),
            proof_error(EncodingError::InvalidPoint("proof point B"))
        );
    }
}

#[test]
fn all_identity_proof_decodes_and_is_rejected_as_invalid() {
    // Item 53 / V17.
    let zero = Proof {
        a: G1Affine::zero(),
        b: G2Affine::zero(),
        c: G1Affine::zero(),
    };
    let payload = PayloadV2 {
        proof: zero,
        ..fixture().payload.clone()
    };
    assert_eq!(
        verify(&payload.to_bytes()),
        rejected(Rejection::ProofInvalid)
    );
    for (at, len) in [(A_AT, G1_BYTES), (B_AT, G2_BYTES), (C_AT, G1_BYTES)] {
        let mut id = vec![0u8; len];
        id[len - 1] = 0x40;
        assert_eq!(verify(&patched(at, &id)), rejected(Rejection::ProofInvalid));
    }
}

// ---------------------------------------------------------------------------
// Text form.

fn body() -> String {
    fixture().payload.to_text()[TEXT_PREFIX_V2.len()..].to_string()
}

#[test]
fn rejects_text_without_prefix_or_with_another_version_named() {
    let body = body();
    for text in [
        String::new(),
        body.clone(),
        format!("ZKS2{body}"),
        format!("\u{a0}ZKS2:{body}"),
    ] {
        assert_eq!(
            PayloadV2::from_text(&text),
            Err(PayloadError::MissingPrefix),
            "{text:.12}"
        );
    }
    assert_eq!(
        PayloadV2::from_text(&format!("ZKS1:{body}")),
        Err(PayloadError::NotVersion2(1))
    );
    for text in [format!("zks2:{body}"), format!("Zks2:{body}")] {
        assert_eq!(
            PayloadV2::from_text(&text),
            Err(PayloadError::WrongPrefix {
                expected: TEXT_PREFIX_V2
            })
        );
    }
}

#[test]
fn rejects_text_with_lowercase_or_foreign_characters_at_their_position() {
    let body = body();
    let first_letter = body.bytes().position(|c| c.is_ascii_uppercase()).unwrap();
    assert_eq!(
        PayloadV2::from_text(&format!("{TEXT_PREFIX_V2}{}", body.to_ascii_lowercase())),
        Err(PayloadError::Base45(TEXT_PREFIX_V2.len() + first_letter))
    );
    for (i, bad) in [(0, "#"), (100, "="), (150, "\n"), (217, "_"), (50, "é")] {
        let text = format!(
            "{TEXT_PREFIX_V2}{}{bad}{}",
            &body[..i],
            &body[i + bad.len()..]
        );
        assert_eq!(
            PayloadV2::from_text(&text),
            Err(PayloadError::Base45(TEXT_PREFIX_V2.len() + i)),
            "{bad:?} at {i}"
        );
    }
    // "GGW" is 65536, one above a byte pair.
    assert_eq!(
        PayloadV2::from_text(&format!("{TEXT_PREFIX_V2}GGW{}", &body[3..])),
        Err(PayloadError::Base45(TEXT_PREFIX_V2.len() + 2))
    );
}

#[test]
fn rejects_text_of_wrong_length_before_decoding() {
    let body = body();
    for text in [
        TEXT_PREFIX_V2.to_string(),
        format!("{TEXT_PREFIX_V2}{}", &body[..body.len() - 1]),
        format!("{TEXT_PREFIX_V2}{body}0"),
        format!("{TEXT_PREFIX_V2}{body}{body}"),
        format!("{TEXT_PREFIX_V2}{} {}", &body[..100], &body[100..]),
    ] {
        assert!(
            matches!(
                PayloadV2::from_text(&text),
                Err(PayloadError::WrongLength { .. })
            ),
            "{} chars",
            text.len()
        );
    }
    // A 145-byte payload's text.
    let bytes = &fixture().bytes;
    let short = format!(
        "{TEXT_PREFIX_V2}{}",
        base45_encode(&bytes[..INTERACTIVE_BYTES - 1])
    );
    assert!(matches!(
        PayloadV2::from_text(&short),
        Err(PayloadError::WrongLength { .. })
    ));
    const { assert!(MAX_TEXT_CHARS < 300) };
}

#[test]
fn accepts_text_with_surrounding_ascii_whitespace_and_refuses_a_mebibyte_quickly() {
    let f = fixture();
    let text = f.payload.to_text();
    for t in [
        format!(" {text}"),
        format!("{text}\n"),
        format!("\t\r\n {text} \r\n\t"),
    ] {
        assert_eq!(PayloadV2::from_text(&t), Ok(f.payload.clone()));
    }
    let start = Instant::now();
    let prefixed = format!("{TEXT_PREFIX_V2}{}", "0".repeat(MIB));
    assert!(matches!(
        PayloadV2::from_text(&prefixed),
        Err(PayloadError::WrongLength { .. })
    ));
    assert_eq!(
        PayloadV2::from_text(&"A".repeat(MIB)),
        Err(PayloadError::MissingPrefix)
    );
    let padded = format!("{}{text}{}", " ".repeat(MIB), "\n".repeat(MIB));
    assert_eq!(PayloadV2::from_text(&padded), Ok(f.payload.clone()));
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_millis(500), "took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// Items 63, 65, 79: one gate under a stream of garbage.

#[test]
fn one_gate_survives_500_malformed_payloads_and_still_accepts() {
    let f = fixture();
    let mut g = gate();
    let mut rng = ChaCha20Rng::seed_from_u64(63);
    let (mut malformed_n, mut rejected_n) = (0, 0);
    for i in 0..500 {
        let bytes = if i % 2 == 0 {
            let n = if rng.gen_bool(1.0 / 3.0) {
                INTERACTIVE_BYTES
            } else {
                rng.gen_range(0..2 * ONE_SCAN_BYTES)
            };
            let mut b = vec![0u8; n];
            rng.fill_bytes(&mut b);
            if n == INTERACTIVE_BYTES {
                b[0] = PAYLOAD_V2_VERSION;
                b[1] = 0;
            }
            b
        } else {
            let mut b = f.bytes.clone();
            let bit = rng.gen_range(0..INTERACTIVE_BYTES * 8);
            b[bit / 8] ^= 1 << (bit % 8);
            b
        };
        match g.verify(&bytes, NOW + 1) {
            Ok(a) => panic!("input {i} accepted: {a:?}"),
            Err(VerifyError::Malformed(_)) => malformed_n += 1,
            Err(VerifyError::Rejected(_)) => rejected_n += 1,
            Err(e) => panic!("input {i}: unexpected {e:?}"),
        }
    }
    assert!(
        malformed_n > 100 && rejected_n > 10,
        "{malformed_n} / {rejected_n}"
    );
    // The garbage consumed nothing: the honest payload is still accepted.
    assert_accepted(g.verify(&f.bytes, NOW + 2));
}

#[test]
fn every_single_bit_flip_of_the_valid_payload_is_malformed_or_rejected() {
    // Item 79: a mutated payload never maps to Accept, and each field's
    // mutations fail in that field's way.
    let f = fixture();
    for bit in 0..INTERACTIVE_BYTES * 8 {
        let mut b = f.bytes.clone();
        let i = bit / 8;
        b[i] ^= 1 << (bit % 8);
        let r = verify(&b);
        let ok = matches!(
            (i, &r),
            (0, Err(VerifyError::Malformed(PayloadError::NotVersion2(_))))
                | (
                    MODE_AT,
                    Err(VerifyError::Malformed(
                        PayloadError::UnknownMode(_) | PayloadError::WrongLength { .. },
                    )),
                )
                | (
                    EPOCH_AT..NOW_AT,
                    Err(VerifyError::Rejected(Rejection::UnknownRoot(_)))
                )
                | (
                    NOW_AT..PROOF_AT,
                    Err(VerifyError::Rejected(
                        Rejection::ImplausibleTime(_)
                            | Rejection::NoActiveRoot(_)
                            | Rejection::NoChallengeAt(_),
                    )),
                )
                | (
                    PROOF_AT..,
                    Err(VerifyError::Malformed(PayloadError::Proof(
                        EncodingError::InvalidPoint(_) | EncodingError::NonCanonical(_),
                    ))),
                )
                | (
                    PROOF_AT..,
                    Err(VerifyError::Rejected(Rejection::ProofInvalid))
                )
        );
        assert!(ok, "bit {bit} (byte {i}): {r:?}");
    }
}

// ---------------------------------------------------------------------------
// Section D: what the gate checks besides the bytes.

#[test]
fn rejects_valid_payload_under_another_challenge_at_the_same_time() {
    let f = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(68);
    let c = challenge().to_field();
    for other in [
        Challenge::from_field(c + Fr::from(1u64)),
        Challenge::from_field(Fr::from(0u64)),
        Challenge::random(&mut rng),
        Challenge::from_field(Fr::rand(&mut rng)),
    ] {
        let verifier = Verifier::new(&f.vk, roots(), policy());
        let mut g = Gate::new(verifier, "test", OperatorId::GLOBAL, Modes::BOTH, 90, 3).unwrap();
        g.challenges().restore(other, NOW, NOW).unwrap();
        assert_eq!(
            g.verify(&f.bytes, NOW + 1),
            rejected(Rejection::ProofInvalid)
        );
    }
}

#[test]
fn the_time_is_the_challenges_and_the_challenge_lives_its_ttl() {
    let f = fixture();
    // Scanned within the lifetime: accepted; at its end: expired.
    assert_accepted(gate().verify(&f.bytes, NOW + 89));
    assert_eq!(
        gate().verify(&f.bytes, NOW + 90),
        rejected(Rejection::ChallengeExpired)
    );
    assert_eq!(
        gate().verify(&f.bytes, NOW + 299),
        rejected(Rejection::ChallengeExpired)
    );
    // A payload whose `now` names no challenge of this gate.
    assert_eq!(
        verify(&with_now(NOW + 1)),
        rejected(Rejection::NoChallengeAt(NOW + 1))
    );
    assert_eq!(
        verify(&with_now(NOW - 1)),
        rejected(Rejection::NoChallengeAt(NOW - 1))
    );
}

#[test]
fn a_challenge_put_back_with_an_issue_time_after_the_clock_is_refused() {
    // A restored challenge lives until issued_at + ttl; one "issued" after the
    // gate's clock would outlive every challenge the gate itself issues.
    let f = fixture();
    let verifier = Verifier::new(&f.vk, roots(), policy());
    let mut g = Gate::new(verifier, "test", OperatorId::GLOBAL, Modes::BOTH, 90, 3).unwrap();
    assert_eq!(
        g.challenges().restore(challenge(), NOW, NOW - 1),
        Err(ChallengeBookError::IssuedInFuture {
            issued_at: NOW,
            now: NOW - 1
        })
    );
    assert_eq!(
        g.verify(&f.bytes, NOW),
        rejected(Rejection::NoLiveChallenge)
    );
    // Issued at the clock itself is fine.
    g.challenges().restore(challenge(), NOW, NOW).unwrap();
    assert_accepted(g.verify(&f.bytes, NOW));
}

#[test]
fn rejects_payload_under_a_laxer_or_stricter_policy() {
    let f = fixture();
    let policies = [
        StatusPolicy::new(Some(MAX_AGE_PCR - 1), Some(MAX_AGE_ANTIGEN), MIN_GAP),
        StatusPolicy::new(Some(MAX_AGE_PCR + 1), Some(MAX_AGE_ANTIGEN), MIN_GAP),
        StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN - 1), MIN_GAP),
        StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN), MIN_GAP + 1),
        StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN), MIN_GAP - 1),
        StatusPolicy::new(Some(MAX_AGE_PCR), None, MIN_GAP),
    ];
    for p in policies {
        let p = p.unwrap();
        assert_eq!(
            gate_with(p).verify(&f.bytes, NOW + 1),
            rejected(Rejection::ProofInvalid),
            "{p:?}"
        );
    }
}

#[test]
fn rejects_an_issuer_outside_the_accepted_registry() {
    // The gate's root for the epoch is another registry's (ours without the
    // issuer): the proof does not verify. Another epoch is unknown.
    let f = fixture();
    let other = registry_with(raw_leaf(
        Fr::from(1u64),
        Fr::from(2u64),
        Fr::from(0u64),
        Fr::ONE,
    ));
    let roots = AcceptedRoots::new(vec![PublishedRoot {
        root: other.root(),
        ..roots().roots()[0]
    }])
    .unwrap();
    let mut g = Gate::new(
        Verifier::new(&f.vk, roots, policy()),
        "test",
        OperatorId::GLOBAL,
        Modes::BOTH,
        90,
        3,
    )
    .unwrap();
    g.challenges().restore(challenge(), NOW, NOW).unwrap();
    assert_eq!(
        g.verify(&f.bytes, NOW + 1),
        rejected(Rejection::ProofInvalid)
    );
    assert_eq!(
        verify(&patched(EPOCH_AT, &4u64.to_be_bytes())),
        rejected(Rejection::UnknownRoot(4))
    );
}

#[test]
fn rejects_implausible_times_and_u64_extremes_without_panicking() {
    // Items 61, 62.
    let f = fixture();
    let ms = NOW * 1000;
    assert_eq!(
        verify(&with_now(ms)),
        rejected(Rejection::ImplausibleTime(ms))
    );
    assert_eq!(
        gate().verify(&f.bytes, ms),
        rejected(Rejection::ImplausibleTime(ms))
    );
    for t in [
        0,
        1,
        MIN_PLAUSIBLE_TIME - 1,
        MAX_PLAUSIBLE_TIME + 1,
        u64::MAX,
    ] {
        assert_eq!(
            verify(&with_now(t)),
            rejected(Rejection::ImplausibleTime(t))
        );
        assert_eq!(
            gate().verify(&f.bytes, t),
            rejected(Rejection::ImplausibleTime(t))
        );
    }
    for e in [0u64, u64::MAX] {
        assert_eq!(
            verify(&patched(EPOCH_AT, &e.to_be_bytes())),
            rejected(Rejection::UnknownRoot(e))
        );
    }
}
