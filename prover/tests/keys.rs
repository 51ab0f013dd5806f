//! Loading a proving key: fully validated, or fast behind a pin (the
//! file's SHA-256), which is checked before anything is parsed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkstatus_prover::keys::{self, pk_file_fingerprint, KeyError, ProvingKeyV2 as ProvingKey};

#[test]
fn loads_a_pinned_key_file_identical_to_the_validated_load() {
    let (pk, _) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(77)).unwrap();
    let file = pk.to_file();
    let pin = pk_file_fingerprint(&file);
    let validated = ProvingKey::from_file(&file).unwrap();
    let pinned = ProvingKey::from_pinned_file(&file, &pin).unwrap();
    assert!(validated == pinned);
    assert!(pinned == pk);
}

#[test]
fn refuses_a_key_file_that_is_not_the_pinned_one_before_parsing() {
    let (pk, _) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(78)).unwrap();
    let file = pk.to_file();
    let pin = pk_file_fingerprint(&file);
    // One bit in the last point, and a truncated copy: both refused by
    // the pin, whatever the parser would have said.
    let mut flipped = file.clone();
    *flipped.last_mut().unwrap() ^= 1;
    for bad in [flipped, file[..file.len() - 1].to_vec(), Vec::new()] {
        match ProvingKey::from_pinned_file(&bad, &pin) {
            Err(KeyError::NotPinned { found, expected }) => {
                assert_eq!(expected, hex::encode(pin));
                assert_eq!(found, hex::encode(pk_file_fingerprint(&bad)));
            }
            other => panic!("expected NotPinned, got {other:?}"),
        }
    }
}

/// docs/security.md, item 77: a key whose `δ₁` (or `β₁`) was replaced by
/// another valid point is refused by the pairing check on load, validated
/// or pinned; and a verifying key other than the proving key's is refused.
#[test]
fn proving_and_verifying_keys_pass_the_pairing_consistency_check() {
    use ark_bn254::G1Affine;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_serialize::CanonicalSerialize;
    use zkstatus_verifier::groth16::{G1_BYTES, VK2_BYTES};

    let (pk, vk) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(79)).unwrap();
    pk.check_consistency(Some(&vk)).unwrap();
    pk.check_consistency(None).unwrap();
    let file = pk.to_file();
    // Magic, version, QAP reduction, circuit fingerprint, verifying key.
    let beta_at = 4 + 1 + 1 + 32 + VK2_BYTES;
    let delta_at = beta_at + G1_BYTES;
    // The honest δ₁ sits where the layout says (so the forgery below
    // replaces δ₁, not some other field).
    let mut delta = Vec::new();
    pk.as_ark()
        .delta_g1
        .serialize_compressed(&mut delta)
        .unwrap();
    assert_eq!(file[delta_at..delta_at + G1_BYTES], delta[..]);

    // Another valid point: δ₁ + G₁, on the curve and in the subgroup.
    let other: G1Affine = (pk.as_ark().delta_g1 + G1Affine::generator()).into_affine();
    let mut other_bytes = Vec::new();
    other.serialize_compressed(&mut other_bytes).unwrap();
    for at in [beta_at, delta_at] {
        let mut forged = file.clone();
        forged[at..at + G1_BYTES].copy_from_slice(&other_bytes);
        let what = if at == delta_at { "delta" } else { "beta" };
        match ProvingKey::from_file(&forged) {
            Err(KeyError::Inconsistent(_)) => {}
            other => panic!("{what}: expected Inconsistent, got {other:?}"),
        }
        let pin = pk_file_fingerprint(&forged);
        match ProvingKey::from_pinned_file(&forged, &pin) {
            Err(KeyError::Inconsistent(_)) => {}
            other => panic!("{what} (pinned): expected Inconsistent, got {other:?}"),
        }
    }

    // β₁ and δ₁ both doubled: the cross check e(β₁, δ₂) = e(δ₁, β₂) still
    // holds, so the file loads; the check against the B queries refuses it.
    let mut scaled = file.clone();
    for (at, p) in [
        (beta_at, pk.as_ark().beta_g1),
        (delta_at, pk.as_ark().delta_g1),
    ] {
        let mut b = Vec::new();
        (p + p).into_affine().serialize_compressed(&mut b).unwrap();
        scaled[at..at + G1_BYTES].copy_from_slice(&b);
    }
    let loaded = ProvingKey::from_file(&scaled).unwrap();
    match loaded.check_consistency(Some(&vk)) {
        Err(KeyError::Inconsistent(m)) => assert!(m.contains("b_g2"), "{m}"),
        other => panic!("scaled: expected Inconsistent, got {other:?}"),
    }

    // The proving key's own verifying key against another one (δ₂ moved).
    let mut other_vk = vk.clone();
    other_vk.delta_g2 = (vk.delta_g2 + ark_bn254::G2Affine::generator()).into_affine();
    assert!(matches!(
        pk.check_consistency(Some(&other_vk)),
        Err(KeyError::Inconsistent(_))
    ));
}

/// Statement v2's key files: the proving key round-trips with its QAP
/// reduction, its verifying key through the version-2 file; a version-1
/// file is named by its version; the v2 circuit
/// fingerprint is the v2 matrix hash.
#[test]
fn version_2_key_files_round_trip_and_refuse_version_1_by_name() {
    use zkstatus_circuits::statement::v2::constraints::circuit_shape;
    use zkstatus_prover::keys::ProvingKeyV2;
    use zkstatus_verifier::v2::keyfile::{
        vk2_from_file, vk2_from_pinned_file, vk2_to_file, QapReduction, CIRCUIT_FINGERPRINT_V2,
    };
    use zkstatus_verifier::KeyFileError;

    assert_eq!(CIRCUIT_FINGERPRINT_V2, circuit_shape().unwrap().matrix_hash);
    let (pk, vk) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(79)).unwrap();
    pk.check_consistency(Some(&vk)).unwrap();
    // setup_v2 makes keys for snarkjs's reduction, the project's one.
    assert_eq!(pk.qap_reduction(), QapReduction::Snarkjs);
    let file = pk.to_file();
    assert_eq!((file[4], file[5]), (2, 2));
    let back = ProvingKeyV2::from_file(&file).unwrap();
    assert!(back == pk);
    assert!(ProvingKeyV2::from_pinned_file(&file, &pk_file_fingerprint(&file)).unwrap() == pk);

    let vk_file = vk2_to_file(&vk, QapReduction::Snarkjs);
    assert_eq!(
        vk2_from_file(&vk_file).unwrap(),
        (vk.clone(), QapReduction::Snarkjs)
    );
    assert_eq!(
        vk2_from_pinned_file(&vk_file, &vk.fingerprint()).unwrap().0,
        vk
    );

    // Files of statement v1 (version byte 1) are named by their version.
    let mut pk1 = file.clone();
    pk1[4] = 1;
    let e = ProvingKeyV2::from_file(&pk1).unwrap_err();
    assert_eq!(
        e,
        KeyError::UnsupportedVersion {
            found: 1,
            expected: 2
        }
    );
    assert!(e.to_string().contains("version 1"), "{e}");
    let mut vk1 = vk_file.clone();
    vk1[4] = 1;
    assert_eq!(
        vk2_from_file(&vk1).unwrap_err(),
        KeyFileError::NotVersion2(1)
    );
    // An unknown reduction byte.
    let mut bad = file.clone();
    bad[5] = 9;
    assert_eq!(
        ProvingKeyV2::from_file(&bad).unwrap_err(),
        KeyError::UnknownReduction(9)
    );
}

/// docs/security.md, V21 for the proving key: a `B` query point in
/// `G2` that is on the twist but outside the prime-order subgroup, or on no
/// curve at all, is refused by the validated load (the ψ subgroup check of
/// `zkstatus_verifier::groth16::decode_g2`), and the same file with an honest
/// point there loads.
#[test]
fn refuses_a_g2_query_point_outside_the_subgroup() {
    use ark_bn254::{Fq, Fq2, G2Affine};
    use ark_serialize::CanonicalSerialize;
    use zkstatus_verifier::groth16::{G1_BYTES, G2_BYTES, VK2_BYTES};

    let (pk, _) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(80)).unwrap();
    let file = pk.to_file();
    let k = pk.as_ark();
    // Magic, version, reduction, circuit fingerprint, verifying key, β₁, δ₁,
    // five counts; then the A and B-in-G1 queries.
    let header = 4 + 1 + 1 + 32 + VK2_BYTES + 2 * G1_BYTES + 5 * 4;
    let at = header + (k.a_query.len() + k.b_g1_query.len()) * G1_BYTES;
    let index = k.b_g2_query.len() / 2;
    let at = at + index * G2_BYTES;
    let mut honest = Vec::new();
    k.b_g2_query[index]
        .serialize_compressed(&mut honest)
        .unwrap();
    assert_eq!(file[at..at + G2_BYTES], honest[..], "the layout moved");

    let twisted = (1u64..)
        .filter_map(|i| {
            G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(i), Fq::from(1u64)), false)
        })
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .unwrap();
    let mut bytes = Vec::new();
    twisted.serialize_compressed(&mut bytes).unwrap();
    let mut forged = file.clone();
    forged[at..at + G2_BYTES].copy_from_slice(&bytes);
    match ProvingKey::from_file(&forged) {
        Err(KeyError::InvalidPoint(what)) => assert_eq!(what, "b_g2_query"),
        other => panic!("expected InvalidPoint(b_g2_query), got {other:?}"),
    }
    // An x with no point on the twist.
    let off = (1u64..)
        .map(|i| Fq2::new(Fq::from(i), Fq::from(3u64)))
        .find(|x| G2Affine::get_point_from_x_unchecked(*x, false).is_none())
        .unwrap();
    let mut bytes = Vec::new();
    off.serialize_compressed(&mut bytes).unwrap();
    let mut forged = file.clone();
    forged[at..at + G2_BYTES].copy_from_slice(&bytes);
    assert!(matches!(
        ProvingKey::from_file(&forged),
        Err(KeyError::InvalidPoint("b_g2_query"))
    ));
    assert!(ProvingKey::from_file(&file).unwrap() == pk);
}
