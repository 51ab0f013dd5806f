//! The holder's logic on the host (the same code the WASM build runs):
//! the frozen fixture reproduced bit for bit through the pinned key and
//! `Holder`, pin refusals with their diagnoses, no panic on any prefix or
//! flip of a key file, and nothing secret in `Debug` or error messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use std::sync::OnceLock;
use zkstatus_holder_wasm::holder::{
    generate_holder_secret_json, outcome_json, BeginOutcome, Holder, HolderError, ProveOutcome,
};
use zkstatus_holder_wasm::input::{parse_challenge, parse_u64};
use zkstatus_holder_wasm::key::{
    diagnose, load_helper_key, load_main_key, pk_fingerprint, Diagnosis, KeyLoadError,
    PinnedProvingKey, MAX_PK_FILE_BYTES,
};
use zkstatus_prover::files::policy_from_json;
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::keys;
use zkstatus_prover::split::{helper_part_bytes, HelperPart, Share, SplitError};

fn fixture(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/v1");
    std::fs::read_to_string(dir.join(name)).expect(name)
}

/// The fixture's proving key: setup from the fixture's seed.
fn pk_file() -> &'static [u8] {
    static PK: OnceLock<Vec<u8>> = OnceLock::new();
    PK.get_or_init(|| {
        let (pk, _) = keys::setup_with_rng(&mut ChaCha20Rng::seed_from_u64(20251122)).unwrap();
        pk.to_file()
    })
}

fn holder() -> Holder {
    Holder::from_json(&fixture("credential.json"), &fixture("holder-secret.json")).unwrap()
}

#[test]
fn the_fixture_payload_is_reproduced_through_the_pinned_key() {
    let file = pk_file();
    let key = PinnedProvingKey::load(file, &pk_fingerprint(file)).unwrap();
    let vk = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/v1/zkstatus.vk"),
    )
    .unwrap();
    assert_eq!(key.vk_file(), vk);
    let policy = policy_from_json(&fixture("policy.json")).unwrap();
    let now = parse_u64(fixture("now.txt").trim(), "now").unwrap();
    let challenge = parse_challenge(fixture("challenge.txt").trim()).unwrap();
    let out = holder()
        .prove_with_rng(
            &key,
            &policy,
            now,
            &challenge,
            &mut ChaCha20Rng::seed_from_u64(7),
        )
        .unwrap();
    let ProveOutcome::Proved(payload) = &out else {
        panic!("not green: {out:?}");
    };
    assert_eq!(payload.to_text(), fixture("payload.txt").trim());
    let json: serde_json::Value = serde_json::from_str(&outcome_json(&out)).unwrap();
    assert_eq!(json["proved"], true);
    assert_eq!(json["payloadText"], fixture("payload.txt").trim());
    assert_eq!(json["now"], now.to_string());

    // Not green at expiry (the fixture expires at NOW + 2 d; its test is
    // then 53 h old, within the 72 h): a status, no proof, no error.
    let late = now + 2 * 86400;
    let out = holder()
        .prove_with_rng(
            &key,
            &policy,
            late,
            &challenge,
            &mut ChaCha20Rng::seed_from_u64(7),
        )
        .unwrap();
    let ProveOutcome::NotGreen(status) = &out else {
        panic!("proved when expired");
    };
    assert_eq!(status.reasons[0].code, "expired");
    let json: serde_json::Value = serde_json::from_str(&outcome_json(&out)).unwrap();
    assert_eq!(json["proved"], false);
    assert_eq!(
        json["status"]["reasons"][0]["message"],
        "the credential has expired"
    );
    assert_eq!(json["status"]["greenUntil"], serde_json::Value::Null);

    // And the platform's randomness (getrandom) works natively too.
    let out = holder().prove(&key, &policy, now, &challenge).unwrap();
    assert!(matches!(out, ProveOutcome::Proved(_)));
}

#[test]
fn pin_refusals_diagnose_from_the_header() {
    let file = pk_file();
    let pin = pk_fingerprint(file);
    let refuse = |bytes: &[u8]| match PinnedProvingKey::load(bytes, &pin) {
        Err(KeyLoadError::NotPinned {
            actual,
            pinned,
            diagnosis,
        }) => {
            assert_eq!(actual, pk_fingerprint(bytes));
            assert_eq!(pinned, pin);
            diagnosis
        }
        other => panic!("{other:?}"),
    };
    let flip = |at: usize| {
        let mut b = file.to_vec();
        b[at] ^= 1;
        b
    };
    assert_eq!(refuse(&flip(0)), Diagnosis::NotAProvingKey);
    assert_eq!(refuse(&flip(4)), Diagnosis::UnsupportedVersion(0));
    assert!(matches!(refuse(&flip(5)), Diagnosis::OtherCircuit { .. }));
    assert!(matches!(
        refuse(&flip(file.len() / 2)),
        Diagnosis::OtherKey { .. }
    ));
    assert_eq!(
        refuse(&file[..file.len() - 1]),
        Diagnosis::Truncated {
            got: file.len() - 1,
            expected: Some(file.len())
        }
    );
    assert_eq!(
        refuse(&file[..10]),
        Diagnosis::Truncated {
            got: 10,
            expected: None
        }
    );
    assert_eq!(refuse(b"ZKVK"), Diagnosis::VerifyingKey);
    assert_eq!(refuse(b""), Diagnosis::NotAProvingKey);
    let e = PinnedProvingKey::load(&flip(700), &pin)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!(
            "proving key fingerprint {} is not the pinned {}: refused before use; the file is a zkstatus proving key for this circuit, but altered or from another setup (its verifying key is ",
            hex::encode(pk_fingerprint(&flip(700))),
            hex::encode(pin)
        )),
        "{e}"
    );
    // Oversized input is refused before hashing.
    let big = vec![0u8; zkstatus_holder_wasm::key::MAX_PK_FILE_BYTES + 1];
    assert!(matches!(
        PinnedProvingKey::load(&big, &pin),
        Err(KeyLoadError::TooLarge { .. })
    ));
}

#[test]
fn no_prefix_or_header_flip_of_a_pinned_file_panics() {
    let file = pk_file();
    // Every prefix up to past the header, and a spread of longer ones, each
    // with a pin that matches it: the parser refuses, never panics.
    let lens = (0..700).chain((700..file.len()).step_by(9973));
    for len in lens {
        let bytes = &file[..len];
        let r = PinnedProvingKey::load(bytes, &pk_fingerprint(bytes));
        assert!(r.is_err(), "prefix of {len} bytes accepted");
        let _ = diagnose(bytes);
    }
    // Every bit of the header flipped, pinned: refused or (for bits that
    // only pick another valid encoding) accepted, never a panic.
    for bit in 0..633 * 8 {
        let mut b = file[..633].to_vec();
        b[bit / 8] ^= 1 << (bit % 8);
        let _ = PinnedProvingKey::load(&b, &pk_fingerprint(&b));
        let _ = diagnose(&b);
    }
}

#[test]
fn nothing_secret_in_debug_or_errors() {
    let secret_json = fixture("holder-secret.json");
    let secret_hex = serde_json::from_str::<serde_json::Value>(&secret_json).unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let h = holder();
    let debug = format!("{h:?}");
    assert!(!debug.contains(&secret_hex), "{debug}");
    assert!(!debug.contains("1763"), "{debug}"); // no record times either
    assert!(debug.starts_with("Holder { issuer: "), "{debug}");

    // A secret file with one digit changed: the message names the field, not the value.
    let mut bad = secret_hex.clone();
    let last = if bad.ends_with('0') { "1" } else { "0" };
    bad.replace_range(63.., last);
    let e = Holder::from_json(
        &fixture("credential.json"),
        &secret_json.replace(&secret_hex, &bad),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "holder secret: field holder: does not match the secret"
    );
    assert!(matches!(e, HolderError::Secret(_)));
    // Malformed JSON: the position only, never the content.
    let e = Holder::from_json(&fixture("credential.json"), &format!("{secret_json}x"))
        .unwrap_err()
        .to_string();
    assert!(!e.contains(&secret_hex) && e.contains("line"), "{e}");
    let e = Holder::from_json(&secret_json, &secret_json)
        .unwrap_err()
        .to_string();
    assert!(!e.contains(&secret_hex), "{e}");

    let file = pk_file();
    let key = PinnedProvingKey::load(file, &pk_fingerprint(file)).unwrap();
    let debug = format!("{key:?}");
    assert!(
        debug.contains(&hex::encode(pk_fingerprint(file))),
        "{debug}"
    );
    assert!(debug.len() < 200, "{debug}");
}

#[test]
fn a_split_proof_through_the_pinned_key_parts_is_the_fixture_payload() {
    let file = pk_file();
    let pin = pk_fingerprint(file);
    let share = Share::DEFAULT;
    let main = load_main_key(file, &pin, share).unwrap();
    let helper = load_helper_key(file, &pin, share).unwrap();
    let policy = policy_from_json(&fixture("policy.json")).unwrap();
    let now = parse_u64(fixture("now.txt").trim(), "now").unwrap();
    let challenge = parse_challenge(fixture("challenge.txt").trim()).unwrap();
    let out = holder()
        .begin_proof_with_rng(
            &main,
            &policy,
            now,
            &challenge,
            &mut ChaCha20Rng::seed_from_u64(7),
        )
        .unwrap();
    let BeginOutcome::Started(mut job, task) = out else {
        panic!("not green: {out:?}");
    };
    let part = helper_part_bytes(&helper, &task.to_bytes()).unwrap();
    job.run_main(&main).unwrap();
    let payload = job
        .finish(&main, &HelperPart::from_bytes(&part).unwrap())
        .unwrap();
    assert_eq!(payload.to_text(), fixture("payload.txt").trim());

    // Not green: a status, no job, no error (as prove).
    let out = holder()
        .begin_proof_input(
            &main,
            &fixture("policy.json"),
            fixture("challenge.txt").trim(),
            &(now + 2 * 86400).to_string(),
        )
        .unwrap();
    let BeginOutcome::NotGreen(status) = out else {
        panic!("started when expired");
    };
    assert_eq!(status.reasons[0].code, "expired");
    // With the platform's randomness.
    let out = holder()
        .begin_proof_input(
            &main,
            &fixture("policy.json"),
            fixture("challenge.txt").trim(),
            &now.to_string(),
        )
        .unwrap();
    assert!(matches!(out, BeginOutcome::Started(..)));
}

#[test]
fn split_key_loads_check_size_and_pin_first_with_the_same_diagnosis() {
    let file = pk_file();
    let share = Share::DEFAULT;
    let wrong = [7u8; 32];
    for e in [
        load_main_key(file, &wrong, share).map(|_| ()).unwrap_err(),
        load_helper_key(file, &wrong, share)
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert_eq!(e.code(), "pk-pin-mismatch");
        let KeyLoadError::NotPinned { diagnosis, .. } = &e else {
            panic!("{e:?}");
        };
        assert!(matches!(diagnosis, Diagnosis::OtherKey { .. }), "{e}");
    }
    let big = vec![0u8; MAX_PK_FILE_BYTES + 1];
    let e = load_main_key(&big, &pk_fingerprint(&big), share)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(e.code(), "pk-too-large");
    let cut = &file[..file.len() - 64];
    let e = load_helper_key(cut, &pk_fingerprint(cut), share)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(e.code(), "pk-invalid");
    assert!(e.to_string().contains("the pin names a bad file"), "{e}");
}

#[test]
fn generated_holder_secrets_parse_and_differ() {
    let a = generate_holder_secret_json().unwrap();
    let b = generate_holder_secret_json().unwrap();
    assert_ne!(a, b);
    for text in [&a, &b] {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["format"], "zkstatus/holder-secret");
        assert_eq!(v["version"], 1);
        zkstatus_prover::files::holder_secret_from_json(text).unwrap();
    }
}

#[test]
fn errors_have_stable_codes() {
    let e = Holder::from_json("{", &fixture("holder-secret.json")).unwrap_err();
    assert_eq!(e.code(), "bad-credential");
    let e = Holder::from_json(&fixture("credential.json"), "{").unwrap_err();
    assert_eq!(e.code(), "bad-holder-secret");
    let e = holder().status_input("{", "1").unwrap_err();
    assert_eq!(e.code(), "bad-policy");
    let e = holder()
        .status_input(&fixture("policy.json"), "1.5")
        .unwrap_err();
    assert_eq!(e.code(), "bad-input");
    let e = HolderError::Split(SplitError::WrongTask);
    assert_eq!(e.code(), "helper-part-invalid");
    let e = HolderError::Split(SplitError::Prove(ProveError::SelfCheck));
    assert_eq!(e.code(), "self-check-failed");
}
