//! The frozen statement-v2 known-answer fixture in `tests/fixtures/v2/`: a
//! verifying key, a registry (two epochs) and its roots, a credential and
//! its issuer's key, a policy, a challenge offer, an interactive and a one-scan payload (binary
//! and text) and the interactive proof's snarkjs export, all from fixed
//! seeds (`world_v2`).
//!
//! `frozen_v2_fixture_verifies` checks the files as they are. The fixture is
//! regenerated only on purpose, with `ZKSTATUS_REGENERATE_FIXTURES=1`; without
//! it, `v2_fixture_is_reproducible_from_its_seeds` fails if the code would
//! now produce different bytes (a changed circuit, key format or prover).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod world_v2;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use world_v2::{World, NOW, OPERATOR, PROOF_SEED};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files;
use zkstatus_prover::holder::v2 as holder;
use zkstatus_prover::snarkjs;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::Registry;
use zkstatus_verifier::v2::keyfile::{vk2_from_file, vk2_to_file, QapReduction};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::AcceptedRoots;
use zkstatus_verifier::v2::{AcceptedMode, Gate, Modes, Verifier};
use zkstatus_verifier::{Rejection, VerifyError};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2")
}

fn build() -> Vec<(&'static str, Vec<u8>)> {
    let w = World::build();
    let prove = |p| {
        holder::prove_with_rng(
            &w.pk,
            &w.credential,
            &w.secret,
            &w.policy,
            &w.registries,
            &w.roots,
            &p,
            &mut ChaCha20Rng::seed_from_u64(PROOF_SEED),
        )
        .unwrap()
    };
    let interactive = prove(w.interactive());
    let one_scan = prove(w.one_scan());
    let prepared = holder::prepare(
        &w.credential,
        &w.secret,
        &w.policy,
        &w.registries,
        &w.roots,
        &w.interactive(),
    )
    .unwrap();
    let sj = snarkjs::export_public(
        &w.vk,
        &interactive.proof,
        &prepared.public.to_field_elements(),
    )
    .unwrap();
    vec![
        ("zkstatus.vk", vk2_to_file(&w.vk, w.pk.qap_reduction())),
        ("registry-3.bin", w.registries[0].to_bytes()),
        ("registry-4.bin", w.registries[1].to_bytes()),
        ("roots.json", w.roots.to_json().into_bytes()),
        ("credential.json", w.credential.to_json().into_bytes()),
        (
            "holder-secret.json",
            files::holder_secret_to_json(&w.secret).into_bytes(),
        ),
        // Lab B's key, the credential's issuer (test-only: a seeded key).
        (
            "issuer-key.json",
            files::issuer_key_to_json(&w.labs[1]).into_bytes(),
        ),
        ("policy.json", files::policy_to_json(&w.policy).into_bytes()),
        (
            "challenge.txt",
            format!("{}\n", w.offer.to_text()).into_bytes(),
        ),
        ("operator.txt", format!("{OPERATOR}\n").into_bytes()),
        ("now.txt", format!("{NOW}\n").into_bytes()),
        ("payload.bin", interactive.to_bytes()),
        (
            "payload.txt",
            format!("{}\n", interactive.to_text()).into_bytes(),
        ),
        ("payload-onescan.bin", one_scan.to_bytes()),
        (
            "payload-onescan.txt",
            format!("{}\n", one_scan.to_text()).into_bytes(),
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
fn v2_fixture_is_reproducible_from_its_seeds() {
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
fn frozen_v2_fixture_verifies() {
    let (vk, qap) = vk2_from_file(&read("zkstatus.vk")).unwrap();
    assert_eq!(qap, QapReduction::Snarkjs);
    let roots = AcceptedRoots::from_json(&read_str("roots.json")).unwrap();
    let policy = files::policy_from_json(&read_str("policy.json")).unwrap();
    let offer = ChallengeOffer::from_text(&read_str("challenge.txt")).unwrap();
    let now: u64 = read_str("now.txt").trim().parse().unwrap();
    assert_eq!(offer.issued_at, now);
    // The registries give the published roots.
    for (file, i) in [("registry-3.bin", 0), ("registry-4.bin", 1)] {
        let r = Registry::from_bytes(&read(file)).unwrap();
        assert_eq!(r.root().unwrap(), roots.roots()[i].root);
        assert_eq!(r.epoch(), roots.roots()[i].epoch);
    }
    let gate = || {
        let mut g = Gate::new(
            Verifier::new(&vk, roots.clone(), policy),
            "fixture",
            OperatorId::from_name(read_str("operator.txt").trim()).unwrap(),
            Modes::BOTH,
            90,
            3,
        )
        .unwrap();
        // The book holds the fixture's challenge, as if it had issued it.
        g.challenges()
            .restore(offer.challenge, offer.issued_at, now)
            .unwrap();
        g
    };
    let mut g = gate();
    let a = g.verify(&read("payload.bin"), now + 5).unwrap();
    assert!(matches!(a.mode, AcceptedMode::Interactive { .. }));
    let mut g = gate();
    let a = g.verify_text(&read_str("payload.txt"), now + 5).unwrap();
    assert_eq!(a.epoch, 3);
    let a = g.verify(&read("payload-onescan.bin"), now + 5).unwrap();
    assert!(matches!(a.mode, AcceptedMode::OneScan { .. }));
    assert_eq!(
        g.verify_text(&read_str("payload-onescan.txt"), now + 6),
        Err(VerifyError::Rejected(Rejection::NullifierUsed))
    );
    let text = PayloadV2::from_text(&read_str("payload.txt")).unwrap();
    assert_eq!(text.to_bytes(), read("payload.bin"));
    // The credential and secret files parse.
    let cred = Credential::from_json(&read_str("credential.json")).unwrap();
    cred.verify_signature().unwrap();
    files::holder_secret_from_json(&read_str("holder-secret.json")).unwrap();
}
