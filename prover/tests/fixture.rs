//! The frozen known-answer fixture in `tests/fixtures/v1/`: a verifying key,
//! a credential, a policy, a trust list, a challenge, a payload (binary and
//! text) and its snarkjs export, all made from fixed seeds.
//!
//! `frozen_fixture_verifies` checks the files as they are. The fixture is
//! regenerated only on purpose, with `ZKSTATUS_REGENERATE_FIXTURES=1`; without
//! it, `fixture_is_reproducible_from_its_seeds` fails if the code would now
//! produce different bytes (a changed circuit, key format or prover).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{self, TrustedIssuer};
use zkstatus_prover::{holder, issuer, keys, snarkjs};
use zkstatus_verifier::{payload::Payload, vk_from_file, vk_to_file, StatusVerifier};

/// 2025-11-22T08:26:40Z.
const NOW: u64 = 1_763_800_000;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1")
}

fn build() -> Vec<(&'static str, Vec<u8>)> {
    let (pk, vk) = keys::setup_with_rng(&mut ChaCha20Rng::seed_from_u64(20251122)).unwrap();
    let issuer_key = PrivateKey::from_bytes([0x11; 32]);
    let secret = HolderSecret::from_field(Fr::from(0x5ec2e7_u64));
    let record = Record {
        holder: secret.commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: NOW - 5 * 3600,
        exposure_time: NO_EXPOSURE,
        issued_at: NOW - 4 * 3600,
        expires_at: NOW + 2 * 86400,
        credential_id: Fr::from(0xc0ffee_u64),
    };
    let credential = issuer::issue(&issuer_key, &record).unwrap();
    let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86400).unwrap();
    let challenge = Challenge::from_field(Fr::from(0xc4a11e49e_u64));
    let payload = holder::prove_with_rng(
        &pk,
        &credential,
        &secret,
        &policy,
        NOW,
        &challenge,
        &mut ChaCha20Rng::seed_from_u64(7),
    )
    .unwrap();
    let trust = files::trust_list_to_json(&[TrustedIssuer {
        name: "Fixture Lab".into(),
        public_key: issuer_key.public_key(),
    }]);
    let sj = snarkjs::export(&vk, &payload, &policy, &challenge).unwrap();
    vec![
        ("zkstatus.vk", vk_to_file(&vk)),
        ("credential.json", credential.to_json().into_bytes()),
        (
            "holder-secret.json",
            files::holder_secret_to_json(&secret).into_bytes(),
        ),
        (
            "issuer-key.json",
            files::issuer_key_to_json(&issuer_key).into_bytes(),
        ),
        ("policy.json", files::policy_to_json(&policy).into_bytes()),
        ("trust-list.json", trust.into_bytes()),
        (
            "challenge.txt",
            format!("{}\n", files::fr_to_hex(&challenge.to_field())).into_bytes(),
        ),
        ("now.txt", format!("{NOW}\n").into_bytes()),
        ("payload.bin", payload.to_bytes().to_vec()),
        (
            "payload.txt",
            format!("{}\n", payload.to_text()).into_bytes(),
        ),
        (
            "snarkjs/verification_key.json",
            sj.verification_key.into_bytes(),
        ),
        ("snarkjs/proof.json", sj.proof.into_bytes()),
        ("snarkjs/public.json", sj.public.into_bytes()),
    ]
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_str(name: &str) -> String {
    String::from_utf8(read(name)).unwrap()
}

#[test]
fn fixture_is_reproducible_from_its_seeds() {
    let files = build();
    if std::env::var_os("ZKSTATUS_REGENERATE_FIXTURES").is_some() {
        for (name, bytes) in &files {
            let path = dir().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        return;
    }
    for (name, bytes) in &files {
        assert!(
            read(name) == *bytes,
            "{name} differs from what the code now produces; regenerate on purpose with \
             ZKSTATUS_REGENERATE_FIXTURES=1"
        );
    }
}

#[test]
fn frozen_fixture_verifies() {
    let vk = vk_from_file(&read("zkstatus.vk")).unwrap();
    let trust = files::trust_list_from_json(&read_str("trust-list.json")).unwrap();
    let policy = files::policy_from_json(&read_str("policy.json")).unwrap();
    let challenge = Challenge::from_field(
        files::fr_from_hex(read_str("challenge.txt").trim(), "challenge").unwrap(),
    );
    let now: u64 = read_str("now.txt").trim().parse().unwrap();
    let verifier =
        StatusVerifier::new(&vk, trust.iter().map(|t| t.public_key).collect(), policy).unwrap();
    let accepted = verifier
        .verify(&read("payload.bin"), now, &challenge)
        .unwrap();
    assert_eq!(accepted.now, now);
    assert_eq!(accepted.issuer, trust[0].public_key);
    // The text form is the same payload.
    let text = Payload::from_text(&read_str("payload.txt")).unwrap();
    assert_eq!(text.to_bytes().to_vec(), read("payload.bin"));
    // The credential and secret files parse and are green at `now`.
    let cred = Credential::from_json(&read_str("credential.json")).unwrap();
    cred.verify_signature().unwrap();
    let secret = files::holder_secret_from_json(&read_str("holder-secret.json")).unwrap();
    holder::status(&cred, &secret, now, &policy).unwrap();
    // And one changed challenge is rejected.
    let other = Challenge::from_field(challenge.to_field() + Fr::from(1u64));
    assert!(verifier.verify(&read("payload.bin"), now, &other).is_err());
}
