//! Our Groth16 verifier (`verifier::groth16`, which does not link
//! ark-groth16) against ark-groth16 on the real statement circuit: the same
//! verdicts on honest, tampered, random, identity and rerandomized proofs;
//! byte compatibility of the fixed-size key and proof encodings with
//! ark-serialize; the circuit fingerprint constant; and the verifying-key
//! file format with every refusal as its exact error variant.
//!
//! docs/security.md, items 48, 53, 57, 58, 75 and facts V16–V18, V20–V22.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The statement tests' honest baseline, shared rather than copied.
#[path = "../../circuits/tests/common/mod.rs"]
mod common;

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use ark_groth16::Groth16;
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use common::v2::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_circuits::statement::v2::constraints::{circuit_shape, StatusCircuit};
use zkstatus_circuits::statement::v2::{N_PUBLIC_INPUTS, PUBLIC_INPUT_NAMES};
use zkstatus_verifier::groth16::{
    decode_g2, decode_point, distinct_fingerprints, g2_in_subgroup, short_fingerprint,
    EncodingError, PreparedVerifyingKeyV2 as PreparedVerifyingKey, Proof,
    VerifyingKeyV2 as VerifyingKey, G1_BYTES, G2_BYTES, PROOF_BYTES, VK2_BYTES as VK_BYTES,
};
use zkstatus_verifier::v2::keyfile::{
    vk2_from_file, vk2_from_pinned_file, vk2_to_file, QapReduction,
    CIRCUIT_FINGERPRINT_V2 as CIRCUIT_FINGERPRINT, VK2_FILE_BYTES as VK_FILE_BYTES,
    VK2_FILE_VERSION as VK_FILE_VERSION, VK2_HEADER_BYTES,
};
use zkstatus_verifier::{KeyFileError, VK_FILE_MAGIC};

/// Offset of the key body in a verifying-key file (magic, version, QAP
/// reduction, fingerprint).
const FILE_HEADER: usize = VK2_HEADER_BYTES;
/// Offset of the circuit fingerprint in a verifying-key file.
const FINGERPRINT_AT: usize = 6;

/// The file's key (the reduction byte is checked by `v2::keyfile`'s tests).
fn vk_from_file(bytes: &[u8]) -> Result<VerifyingKey, KeyFileError> {
    vk2_from_file(bytes).map(|(vk, _)| vk)
}

fn vk_from_pinned_file(bytes: &[u8], pin: &[u8; 32]) -> Result<VerifyingKey, KeyFileError> {
    vk2_from_pinned_file(bytes, pin).map(|(vk, _)| vk)
}

fn vk_to_file(vk: &VerifyingKey) -> Vec<u8> {
    vk2_to_file(vk, QapReduction::Libsnark)
}
/// Offsets of the points in the key body.
const VK_ALPHA: usize = 0;
const VK_DELTA: usize = G1_BYTES + 2 * G2_BYTES;
const VK_ABC: usize = G1_BYTES + 3 * G2_BYTES;

struct Fixture {
    ark_vk: ark_groth16::VerifyingKey<Bn254>,
    ark_pvk: ark_groth16::PreparedVerifyingKey<Bn254>,
    vk: VerifyingKey,
    pvk: PreparedVerifyingKey,
    public: [Fr; N_PUBLIC_INPUTS],
    ark_proof: ark_groth16::Proof<Bn254>,
}

/// `ark_groth16::VerifyingKey` → our fixed-size key.
fn convert_vk(vk: &ark_groth16::VerifyingKey<Bn254>) -> VerifyingKey {
    VerifyingKey {
        alpha_g1: vk.alpha_g1,
        beta_g2: vk.beta_g2,
        gamma_g2: vk.gamma_g2,
        delta_g2: vk.delta_g2,
        gamma_abc_g1: vk
            .gamma_abc_g1
            .clone()
            .try_into()
            .expect("one input base per public input, plus one"),
    }
}

fn convert_proof(p: &ark_groth16::Proof<Bn254>) -> Proof {
    Proof {
        a: p.a,
        b: p.b,
        c: p.c,
    }
}

/// Keys from a seeded setup and one honest proof, made once per test binary.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0x67c0);
        let (pk, ark_vk) =
            Groth16::<Bn254>::circuit_specific_setup(StatusCircuit::blank(), &mut rng).unwrap();
        let public = honest_public();
        let ark_proof =
            Groth16::<Bn254>::prove(&pk, circuit(public, honest_witness()), &mut rng).unwrap();
        let vk = convert_vk(&ark_vk);
        Fixture {
            ark_pvk: ark_groth16::prepare_verifying_key(&ark_vk),
            pvk: vk.prepare(),
            vk,
            ark_vk,
            public,
            ark_proof,
        }
    })
}

/// ark-groth16's verdict. `Err` never happens with a correctly sized input.
fn ark_verifies(public: &[Fr; N_PUBLIC_INPUTS], proof: &ark_groth16::Proof<Bn254>) -> bool {
    Groth16::<Bn254>::verify_proof(&fixture().ark_pvk, proof, public).unwrap()
}

fn ours_verifies(public: &[Fr; N_PUBLIC_INPUTS], proof: &ark_groth16::Proof<Bn254>) -> bool {
    fixture().pvk.verify(public, &convert_proof(proof))
}

fn random_g1(rng: &mut ChaCha20Rng) -> G1Affine {
    (G1Affine::generator() * Fr::rand(rng)).into_affine()
}

fn random_g2(rng: &mut ChaCha20Rng) -> G2Affine {
    (G2Affine::generator() * Fr::rand(rng)).into_affine()
}

fn file() -> Vec<u8> {
    vk_to_file(&fixture().vk)
}

/// `x ≥ p` for a G1 slot: the modulus itself, flags clear.
fn g1_x_equal_to_p() -> [u8; G1_BYTES] {
    let mut out = [0u8; G1_BYTES];
    out.copy_from_slice(&Fq::MODULUS.to_bytes_le());
    out
}

/// A point on the G2 twist outside the prime-order subgroup, compressed.
fn g2_off_subgroup() -> [u8; G2_BYTES] {
    let b = <ark_bn254::g2::Config as ark_ec::short_weierstrass::SWCurveConfig>::COEFF_B;
    let p = (1u64..)
        .find_map(|i| {
            let x = Fq2::new(Fq::from(i), Fq::from(1u64));
            let y = (x.square() * x + b).sqrt()?;
            Some(G2Affine::new_unchecked(x, y))
        })
        .unwrap();
    assert!(p.is_on_curve());
    assert!(!p.is_in_correct_subgroup_assuming_on_curve());
    let mut out = [0u8; G2_BYTES];
    p.serialize_compressed(&mut out[..]).unwrap();
    out
}

/// `[r]P = O`: the definition of `G2` membership, by the slowest method.
fn in_g2_by_order(p: &G2Affine) -> bool {
    p.mul_bigint(Fr::MODULUS).into_affine().is_zero()
}

/// Our `G2` subgroup check (`[x₀+1]P + ψ([x₀]P) + ψ²([x₀]P) = ψ³([2x₀]P)`)
/// agrees with `[r]P = O` and with ark-bn254's check on points of `G2`
/// (random, the generator, the identity), on points of the twist outside
/// it (from small x coordinates), on their `[r]`-multiples (order dividing
/// the cofactor, no `G2` part) and on those plus a point of `G2`; and
/// `decode_g2` decodes exactly what `decode_point` decodes, with the same
/// errors.
#[test]
fn g2_subgroup_check_agrees_with_the_order_and_with_ark_bn254() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x62);
    let b = <ark_bn254::g2::Config as ark_ec::short_weierstrass::SWCurveConfig>::COEFF_B;
    let mut inside: Vec<G2Affine> = (0..12).map(|_| random_g2(&mut rng)).collect();
    inside.push(G2Affine::generator());
    inside.push(G2Affine::zero());
    let mut outside = Vec::new();
    for i in 1u64..40 {
        let x = Fq2::new(Fq::from(i), Fq::from(i * 7 + 3));
        let Some(y) = (x.square() * x + b).sqrt() else {
            continue;
        };
        let q = G2Affine::new_unchecked(x, y);
        assert!(q.is_on_curve());
        outside.push(q);
        let cofactor_part = q.mul_bigint(Fr::MODULUS).into_affine();
        outside.push(cofactor_part);
        outside.push((cofactor_part + random_g2(&mut rng)).into_affine());
    }
    assert!(outside.len() >= 30, "{} points", outside.len());
    for (k, p) in inside.iter().chain(&outside).enumerate() {
        let expected = in_g2_by_order(p);
        assert_eq!(g2_in_subgroup(p), expected, "point {k}");
        assert_eq!(
            p.is_in_correct_subgroup_assuming_on_curve(),
            expected,
            "point {k}"
        );
        let mut bytes = [0u8; G2_BYTES];
        p.serialize_compressed(&mut bytes[..]).unwrap();
        assert_eq!(
            decode_g2(&bytes, "B"),
            decode_point::<G2Affine>(&bytes, "B"),
            "point {k}"
        );
    }
    assert!(inside.iter().all(in_g2_by_order));
    assert!(!outside.iter().any(|p| !p.is_zero() && in_g2_by_order(p)));
}

// ---------------------------------------------------------------------------
// Verdicts: ours and ark-groth16 agree.

#[test]
fn converted_key_has_one_input_base_per_public_input_plus_one() {
    let f = fixture();
    assert_eq!(f.ark_vk.gamma_abc_g1.len(), N_PUBLIC_INPUTS + 1);
    assert_eq!(
        f.vk.gamma_abc_g1.as_slice(),
        f.ark_vk.gamma_abc_g1.as_slice()
    );
    assert_eq!(f.pvk.vk(), &f.vk);
    // Item 57 is structural: `PreparedVerifyingKey::verify` takes
    // `&[Fr; N_PUBLIC_INPUTS]` and the key holds `[G1Affine; N + 1]`, so a
    // wrong input count does not compile and a key with another count does
    // not decode (V16 is about ark-groth16's slice API, which we avoid).
    let too_short: Result<[G1Affine; N_PUBLIC_INPUTS + 1], _> =
        f.ark_vk.gamma_abc_g1[..N_PUBLIC_INPUTS].to_vec().try_into();
    assert!(too_short.is_err());
}

#[test]
fn honest_proof_verifies_with_both_verifiers() {
    let f = fixture();
    assert!(ark_verifies(&f.public, &f.ark_proof));
    assert!(ours_verifies(&f.public, &f.ark_proof));
    // Through the SNARK trait too, from the unprepared key.
    assert!(Groth16::<Bn254>::verify(&f.ark_vk, &f.public, &f.ark_proof).unwrap());
}

#[test]
fn each_public_input_plus_one_is_rejected_by_both_verifiers() {
    let f = fixture();
    for i in 0..N_PUBLIC_INPUTS {
        let mut p = f.public;
        p[i] += Fr::from(1u64);
        let name = PUBLIC_INPUT_NAMES[i];
        assert!(!ark_verifies(&p, &f.ark_proof), "ark accepted {name} + 1");
        assert!(!ours_verifies(&p, &f.ark_proof), "ours accepted {name} + 1");
    }
}

/// Our public-input sum (signed digits, shared doublings, the key's tables
/// of odd multiples) equals ark-groth16's `prepare_inputs` (one plain
/// scalar multiplication per input) on edge values and random inputs, and
/// refuses a vector of the wrong length.
#[test]
fn prepared_inputs_equal_ark_groth16s() {
    let f = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(0x5742);
    let minus_one = -Fr::from(1u64);
    let edges = [
        Fr::from(0u64),
        Fr::from(1u64),
        Fr::from(2u64),
        Fr::from(31u64),
        Fr::from(32u64),
        Fr::from(33u64),
        Fr::from(u64::MAX),
        minus_one,
        minus_one - Fr::from(31u64),
        Fr::from(2u64).pow([253u64]),
    ];
    let mut vectors = vec![
        f.public,
        [Fr::from(0u64); N_PUBLIC_INPUTS],
        [minus_one; N_PUBLIC_INPUTS],
    ];
    for i in 0..N_PUBLIC_INPUTS {
        let mut v = [Fr::from(0u64); N_PUBLIC_INPUTS];
        for (j, x) in v.iter_mut().enumerate() {
            *x = edges[(i + j) % edges.len()];
        }
        vectors.push(v);
    }
    for _ in 0..20 {
        vectors.push(core::array::from_fn(|_| Fr::rand(&mut rng)));
    }
    for (k, v) in vectors.iter().enumerate() {
        let ours = f.pvk.prepare_inputs(v).expect("ten inputs").into_affine();
        let theirs = Groth16::<Bn254>::prepare_inputs(&f.ark_pvk, v)
            .unwrap()
            .into_affine();
        assert_eq!(ours, theirs, "vector {k}");
    }
    assert!(f.pvk.prepare_inputs(&f.public[1..]).is_none());
    assert!(f
        .pvk
        .prepare_inputs(&[f.public.as_slice(), &[Fr::from(1u64)]].concat())
        .is_none());
}

#[test]
fn random_proofs_are_rejected_by_both_without_panicking() {
    let f = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let honest = &f.ark_proof;
    for k in 0..12 {
        // Fully random, then one random point in an otherwise honest proof.
        let mut p = honest.clone();
        match k % 4 {
            0 => {
                p.a = random_g1(&mut rng);
                p.b = random_g2(&mut rng);
                p.c = random_g1(&mut rng);
            }
            1 => p.a = random_g1(&mut rng),
            2 => p.b = random_g2(&mut rng),
            _ => p.c = random_g1(&mut rng),
        }
        assert!(
            !ark_verifies(&f.public, &p),
            "ark accepted random proof {k}"
        );
        assert!(
            !ours_verifies(&f.public, &p),
            "ours accepted random proof {k}"
        );
    }
}

#[test]
fn all_identity_proof_is_rejected_by_both_without_panicking() {
    // V17: ark-groth16 answers Ok(false); ours answers false.
    let f = fixture();
    let zero = ark_groth16::Proof::<Bn254> {
        a: G1Affine::zero(),
        b: G2Affine::zero(),
        c: G1Affine::zero(),
    };
    assert!(!ark_verifies(&f.public, &zero));
    assert!(!ours_verifies(&f.public, &zero));
    assert!(!ours_verifies(&[Fr::from(0u64); N_PUBLIC_INPUTS], &zero));
    // And half-identity proofs.
    let mut p = f.ark_proof.clone();
    p.a = G1Affine::zero();
    assert!(!ark_verifies(&f.public, &p));
    assert!(!ours_verifies(&f.public, &p));
    let mut p = f.ark_proof.clone();
    p.b = G2Affine::zero();
    assert!(!ours_verifies(&f.public, &p));
    let mut p = f.ark_proof.clone();
    p.c = G1Affine::zero();
    assert!(!ours_verifies(&f.public, &p));
}

#[test]
fn rerandomized_proof_verifies_with_ours_and_has_different_bytes() {
    // Item 48 and V18: a rerandomized proof is a valid proof with new bytes,
    // so replay protection must be keyed on the challenge, not the bytes.
    let f = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(48);
    let re = Groth16::<Bn254>::rerandomize_proof(&f.ark_vk, &f.ark_proof, &mut rng);
    assert!(ark_verifies(&f.public, &re));
    assert!(ours_verifies(&f.public, &re));
    let (a, b) = (convert_proof(&f.ark_proof), convert_proof(&re));
    assert_ne!(a.to_bytes(), b.to_bytes());
    assert_eq!(b.to_bytes().len(), 128);
    assert_eq!(Proof::from_bytes(&b.to_bytes()).unwrap(), b);
    // It is still bound to the public inputs.
    let mut p = f.public;
    p[zkstatus_circuits::statement::v2::CHALLENGE] += Fr::from(1u64);
    assert!(!ours_verifies(&p, &re));
}

// ---------------------------------------------------------------------------
// Encodings.

#[test]
fn proof_bytes_round_trip_are_128_bytes_and_match_ark_serialize() {
    assert_eq!(PROOF_BYTES, 128);
    assert_eq!(G1_BYTES, 32);
    assert_eq!(G2_BYTES, 64);
    let f = fixture();
    let ours = convert_proof(&f.ark_proof);
    let bytes = ours.to_bytes();
    let mut ark = Vec::new();
    f.ark_proof.serialize_compressed(&mut ark).unwrap();
    assert_eq!(ark.len(), PROOF_BYTES);
    assert_eq!(bytes.as_slice(), ark.as_slice());
    let back = Proof::from_bytes(&bytes).unwrap();
    assert_eq!(back, ours);
    assert_eq!(back.to_bytes(), bytes);
    assert_eq!(format!("{back:?}"), "Proof(128 bytes)");
}

#[test]
fn verifying_key_bytes_round_trip_have_the_pinned_length_and_match_ark_serialize() {
    assert_eq!(
        VK_BYTES,
        G1_BYTES + 3 * G2_BYTES + (N_PUBLIC_INPUTS + 1) * G1_BYTES
    );
    assert_eq!(VK_BYTES, 576);
    let f = fixture();
    let bytes = f.vk.to_bytes();
    assert_eq!(bytes.len(), VK_BYTES);
    assert_eq!(VerifyingKey::from_bytes(&bytes).unwrap(), f.vk);
    // ark-serialize writes the same points, plus a u64 length prefix before
    // γ_abc that our fixed-size format leaves out (V22).
    let mut ark = Vec::new();
    f.ark_vk.serialize_compressed(&mut ark).unwrap();
    assert_eq!(ark.len(), VK_BYTES + 8);
    assert_eq!(&ark[..VK_ABC], &bytes[..VK_ABC]);
    assert_eq!(
        &ark[VK_ABC..VK_ABC + 8],
        &((N_PUBLIC_INPUTS + 1) as u64).to_le_bytes()
    );
    assert_eq!(&ark[VK_ABC + 8..], &bytes[VK_ABC..]);
    // The fingerprint is SHA-256 of the body, shown as four hex groups.
    assert_eq!(
        f.vk.short_fingerprint(),
        short_fingerprint(&f.vk.fingerprint())
    );
    let short = f.vk.short_fingerprint();
    assert_eq!(short.len(), 19);
    assert!(short
        .split('-')
        .all(|g| g.len() == 4 && g.bytes().all(|c| c.is_ascii_hexdigit())));
}

#[test]
fn verifying_key_bytes_of_wrong_length_are_refused() {
    let bytes = fixture().vk.to_bytes();
    for n in [0, 1, VK_BYTES - 1] {
        assert_eq!(
            VerifyingKey::from_bytes(&bytes[..n]),
            Err(EncodingError::WrongLength {
                expected: VK_BYTES,
                got: n
            })
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        VerifyingKey::from_bytes(&long),
        Err(EncodingError::WrongLength {
            expected: VK_BYTES,
            got: VK_BYTES + 1
        })
    );
    // ark's own layout (with the length prefix) is not ours.
    let mut ark = Vec::new();
    fixture().ark_vk.serialize_compressed(&mut ark).unwrap();
    assert!(matches!(
        VerifyingKey::from_bytes(&ark),
        Err(EncodingError::WrongLength { .. })
    ));
}

#[test]
fn circuit_fingerprint_constant_is_the_circuit_matrix_hash() {
    assert_eq!(CIRCUIT_FINGERPRINT, circuit_shape().unwrap().matrix_hash);
}

// ---------------------------------------------------------------------------
// The verifying-key file.

#[test]
fn vk_file_round_trips() {
    let f = fixture();
    let bytes = file();
    assert_eq!(bytes.len(), VK_FILE_BYTES);
    assert_eq!(VK_FILE_BYTES, FILE_HEADER + VK_BYTES);
    assert_eq!(&bytes[..4], &VK_FILE_MAGIC);
    assert_eq!(&bytes[..4], b"ZKVK");
    assert_eq!(bytes[4], VK_FILE_VERSION);
    assert_eq!(&bytes[FINGERPRINT_AT..FILE_HEADER], &CIRCUIT_FINGERPRINT);
    assert_eq!(&bytes[FILE_HEADER..], f.vk.to_bytes().as_slice());
    let back = vk_from_file(&bytes).unwrap();
    assert_eq!(back, f.vk);
    assert_eq!(vk_to_file(&back), bytes);
    // The key read back verifies the honest proof.
    assert!(back
        .prepare()
        .verify(&f.public, &convert_proof(&f.ark_proof)));
}

/// docs/security.md, item 58: the pin is checked before any point is
/// parsed. A file whose fingerprint mismatches AND whose points are invalid
/// reports the fingerprint, not the point; the same invalid file under its
/// own (matching) pin reaches the decoder and reports the point; the honest
/// file under its pin loads.
#[test]
fn pinned_vk_is_checked_before_its_points_are_parsed() {
    let honest = file();
    let pin = fixture().vk.fingerprint();
    assert_eq!(vk_from_pinned_file(&honest, &pin), Ok(fixture().vk.clone()));
    // δ₂'s slot overwritten with 0xff bytes: not a point.
    let mut bad = honest.clone();
    let at = FILE_HEADER + VK_DELTA;
    bad[at..at + G2_BYTES].fill(0xff);
    assert!(matches!(vk_from_file(&bad), Err(KeyFileError::Key(_))));
    // Pinned to the honest key: the fingerprint error, not the point error.
    match vk_from_pinned_file(&bad, &pin) {
        Err(KeyFileError::NotPinned { found }) => {
            use sha2::{Digest, Sha256};
            let body: [u8; 32] = Sha256::digest(&bad[FILE_HEADER..]).into();
            assert_eq!(found, hex::encode(body));
        }
        other => panic!("expected NotPinned, got {other:?}"),
    }
    // Pinned to its own fingerprint, the same file reaches the decoder and
    // is refused by it: so the order, not the pin, decided above.
    let own: [u8; 32] = {
        use sha2::{Digest, Sha256};
        Sha256::digest(&bad[FILE_HEADER..]).into()
    };
    assert!(matches!(
        vk_from_pinned_file(&bad, &own),
        Err(KeyFileError::Key(_))
    ));
    // Header errors still come first (length checked before hashing).
    assert!(matches!(
        vk_from_pinned_file(&honest[..VK_FILE_BYTES - 1], &pin),
        Err(KeyFileError::WrongLength { .. })
    ));
}

#[test]
fn vk_file_of_wrong_length_is_refused() {
    let bytes = file();
    let wrong = |got| {
        Err(KeyFileError::WrongLength {
            expected: VK_FILE_BYTES,
            got,
        })
    };
    // Empty, shorter than the magic, header only, one byte short.
    for n in [0, 1, 3, 4, FILE_HEADER, VK_FILE_BYTES - 1] {
        assert_eq!(vk_from_file(&bytes[..n]), wrong(n), "{n} bytes");
    }
    // One byte long, and ark-groth16's layout behind our header (8 bytes long).
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(vk_from_file(&long), wrong(VK_FILE_BYTES + 1));
    let mut ark = bytes[..FILE_HEADER].to_vec();
    fixture().ark_vk.serialize_compressed(&mut ark).unwrap();
    assert_eq!(vk_from_file(&ark), wrong(VK_FILE_BYTES + 8));
    // A huge file is refused by its length, not parsed (V22).
    let mut huge = bytes.clone();
    huge.resize(1 << 20, 0xff);
    assert_eq!(vk_from_file(&huge), wrong(1 << 20));
}

#[test]
fn vk_file_with_bad_magic_is_refused() {
    for (i, flip) in [(0, b'z'), (3, b'X')] {
        let mut bytes = file();
        bytes[i] = flip;
        assert_eq!(vk_from_file(&bytes), Err(KeyFileError::BadMagic));
    }
    // A bare key body (no header) is not a key file.
    let mut body = fixture().vk.to_bytes();
    body.resize(VK_FILE_BYTES, 0);
    assert_eq!(vk_from_file(&body), Err(KeyFileError::BadMagic));
}

#[test]
fn vk_file_with_unsupported_version_is_refused() {
    for v in [0u8, 1, 3, 255] {
        let mut bytes = file();
        bytes[4] = v;
        assert_eq!(vk_from_file(&bytes), Err(KeyFileError::NotVersion2(v)));
        // Checked before any point is parsed.
        bytes[FILE_HEADER..FILE_HEADER + G1_BYTES].copy_from_slice(&g1_x_equal_to_p());
        assert_eq!(vk_from_file(&bytes), Err(KeyFileError::NotVersion2(v)));
    }
}

#[test]
fn vk_file_for_another_circuit_is_refused() {
    for i in [FINGERPRINT_AT, 20, FILE_HEADER - 1] {
        let mut bytes = file();
        bytes[i] ^= 0x01;
        let mut found = CIRCUIT_FINGERPRINT;
        found[i - FINGERPRINT_AT] ^= 0x01;
        // Finding F-7: shown with enough digits to differ.
        let (shown_found, shown_expected) = distinct_fingerprints(&found, &CIRCUIT_FINGERPRINT);
        assert_ne!(shown_found, shown_expected, "byte {i}");
        assert!(shown_found.starts_with(&short_fingerprint(&found)));
        let expected = Err(KeyFileError::WrongCircuit {
            found: shown_found,
            expected: shown_expected,
        });
        assert_eq!(vk_from_file(&bytes), expected, "byte {i}");
        // Checked before any point is parsed.
        bytes[FILE_HEADER..FILE_HEADER + G1_BYTES].copy_from_slice(&g1_x_equal_to_p());
        assert_eq!(vk_from_file(&bytes), expected, "byte {i}");
    }
}

#[test]
fn vk_file_with_a_corrupted_point_is_refused() {
    // α with x = p.
    let mut bytes = file();
    let at = FILE_HEADER + VK_ALPHA;
    bytes[at..at + G1_BYTES].copy_from_slice(&g1_x_equal_to_p());
    assert_eq!(
        vk_from_file(&bytes),
        Err(KeyFileError::Key(EncodingError::InvalidPoint("vk alpha")))
    );
    // δ on the twist but outside the G2 subgroup (V21).
    let mut bytes = file();
    let at = FILE_HEADER + VK_DELTA;
    bytes[at..at + G2_BYTES].copy_from_slice(&g2_off_subgroup());
    assert_eq!(
        vk_from_file(&bytes),
        Err(KeyFileError::Key(EncodingError::InvalidPoint("vk delta")))
    );
    // The last input base as a non-canonical identity: flag set, x = 7 (V20).
    let mut bytes = file();
    let at = VK_FILE_BYTES - G1_BYTES;
    bytes[at..].fill(0);
    bytes[at] = 7;
    bytes[VK_FILE_BYTES - 1] = 0x40;
    assert_eq!(
        vk_from_file(&bytes),
        Err(KeyFileError::Key(EncodingError::NonCanonical(
            "vk input base"
        )))
    );
    // Every single-byte corruption of the body is refused or yields another
    // key, and never panics.
    let good = file();
    for i in (FILE_HEADER..VK_FILE_BYTES).step_by(7) {
        let mut bytes = good.clone();
        bytes[i] ^= 0x5a;
        match vk_from_file(&bytes) {
            Ok(vk) => assert_ne!(vk, fixture().vk, "byte {i}"),
            Err(KeyFileError::Key(
                EncodingError::InvalidPoint(_) | EncodingError::NonCanonical(_),
            )) => {}
            Err(e) => panic!("byte {i}: unexpected {e:?}"),
        }
    }
}

#[test]
fn vk_file_refuses_key_with_identity_points() {
    let f = fixture();
    // With γ = δ = O the check is e(A, B) = e(α, β): (α, β, anything) is a
    // proof of every statement, and the file header (the public circuit
    // fingerprint) is no obstacle to writing such a file.
    let mut degenerate = f.vk.clone();
    degenerate.gamma_g2 = G2Affine::zero();
    degenerate.delta_g2 = G2Affine::zero();
    let forged = Proof {
        a: degenerate.alpha_g1,
        b: degenerate.beta_g2,
        c: G1Affine::generator(),
    };
    assert!(degenerate
        .prepare()
        .verify(&[Fr::from(5u64); N_PUBLIC_INPUTS], &forged));
    assert_eq!(
        vk_from_file(&vk_to_file(&degenerate)),
        Err(KeyFileError::Key(EncodingError::IdentityPoint("vk gamma")))
    );
    // Each of α, β, γ, δ and the input bases on its own.
    type Edit = fn(&mut VerifyingKey);
    let cases: [(&str, Edit); 5] = [
        ("vk alpha", |k| k.alpha_g1 = G1Affine::zero()),
        ("vk beta", |k| k.beta_g2 = G2Affine::zero()),
        ("vk gamma", |k| k.gamma_g2 = G2Affine::zero()),
        ("vk delta", |k| k.delta_g2 = G2Affine::zero()),
        ("vk input base", |k| k.gamma_abc_g1[1] = G1Affine::zero()),
    ];
    for (what, zero) in cases {
        let mut vk = f.vk.clone();
        zero(&mut vk);
        assert_eq!(
            VerifyingKey::from_bytes(&vk.to_bytes()),
            Err(EncodingError::IdentityPoint(what)),
            "{what}"
        );
    }
}
