//! Every example in `docs/formats.md` parses with the code the tools use,
//! and equals the frozen fixture file it was taken from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::collections::BTreeMap;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::{files, keys};

fn examples() -> BTreeMap<String, String> {
    let doc = include_str!("../../docs/formats.md");
    let mut out = BTreeMap::new();
    let mut rest = doc;
    while let Some(i) = rest.find("<!-- example: ") {
        rest = &rest[i + "<!-- example: ".len()..];
        let name = rest[..rest.find(" -->").unwrap()].to_string();
        let open = rest.find("```").unwrap();
        let body_start = open + rest[open..].find('\n').unwrap() + 1;
        let body_end = body_start + rest[body_start..].find("```").unwrap();
        out.insert(name, rest[body_start..body_end].to_string());
        rest = &rest[body_end..];
    }
    out
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).unwrap()
}

#[test]
fn every_format_has_an_example_that_parses() {
    let ex = examples();
    let names: Vec<&str> = ex.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "challenge-v2",
            "credential",
            "holder-secret",
            "issuer-key",
            "payload-v2-hex",
            "payload-v2-onescan-hex",
            "payload-v2-text",
            "pk2-header-hex",
            "policy",
            "roots",
            "vk2-header-hex"
        ]
    );
    let cred = Credential::from_json(&ex["credential"]).unwrap();
    cred.verify_signature().unwrap();
    files::policy_from_json(&ex["policy"]).unwrap();
    let key = files::issuer_key_from_json(&ex["issuer-key"]).unwrap();
    assert_eq!(key.public_key(), cred.issuer);
    let secret = files::holder_secret_from_json(&ex["holder-secret"]).unwrap();
    assert_eq!(secret.commitment(), cred.record.holder);
}

#[test]
fn examples_are_the_fixture_files() {
    let ex = examples();
    for (name, file) in [
        ("credential", "credential.json"),
        ("policy", "policy.json"),
        ("issuer-key", "issuer-key.json"),
        ("holder-secret", "holder-secret.json"),
    ] {
        assert_eq!(ex[name].as_bytes(), fixture_v2(file), "{name}");
    }
}

#[test]
fn proving_key_example_is_the_header_of_the_fixture_setup() {
    // The v2 fixture's setup seed (tests/world_v2).
    let (pk, _) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(20260115)).unwrap();
    let file = pk.to_file();
    let header = unhex(&examples()["pk2-header-hex"]);
    assert_eq!(header.len(), 38);
    assert_eq!(&file[..38], &header[..]);
    keys::ProvingKeyV2::from_file(&file).unwrap();
    // Truncated or with a count above the cap, it is refused cleanly.
    assert!(keys::ProvingKeyV2::from_file(&file[..file.len() - 1]).is_err());
    let mut huge = file.clone();
    let counts_at = 38 + 576 + 64;
    huge[counts_at..counts_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        keys::ProvingKeyV2::from_file(&huge),
        Err(keys::KeyError::TooManyPoints(_))
    ));
    // A version-1 file is named by its version.
    let mut v1 = file.clone();
    v1[4] = 1;
    let e = keys::ProvingKeyV2::from_file(&v1).unwrap_err();
    assert!(e.to_string().contains("version 1"), "{e}");
}

fn fixture_v2(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/v2/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The statement-v2 examples parse with the tools' code and are the v2
/// fixture's files.
#[test]
fn v2_examples_parse_and_are_the_v2_fixture_files() {
    use zkstatus_verifier::v2::offer::ChallengeOffer;
    use zkstatus_verifier::v2::payload::{PayloadV2, PresentedMode};
    use zkstatus_verifier::v2::roots::AcceptedRoots;
    let ex = examples();
    ChallengeOffer::from_text(&ex["challenge-v2"]).unwrap();
    assert_eq!(ex["challenge-v2"].as_bytes(), fixture_v2("challenge.txt"));
    let bin = PayloadV2::from_bytes(&unhex(&ex["payload-v2-hex"])).unwrap();
    assert_eq!(PayloadV2::from_text(&ex["payload-v2-text"]).unwrap(), bin);
    assert_eq!(unhex(&ex["payload-v2-hex"]), fixture_v2("payload.bin"));
    assert_eq!(ex["payload-v2-text"].as_bytes(), fixture_v2("payload.txt"));
    let one = PayloadV2::from_bytes(&unhex(&ex["payload-v2-onescan-hex"])).unwrap();
    assert!(matches!(one.mode, PresentedMode::OneScan { .. }));
    assert_eq!(
        unhex(&ex["payload-v2-onescan-hex"]),
        fixture_v2("payload-onescan.bin")
    );
    AcceptedRoots::from_json(&ex["roots"]).unwrap();
    assert_eq!(ex["roots"].as_bytes(), fixture_v2("roots.json"));
    assert_eq!(
        unhex(&ex["vk2-header-hex"]),
        fixture_v2("zkstatus.vk")[..38].to_vec()
    );
}
