//! The browser verifier's logic on the host: the frozen fixture
//! (`prover/tests/fixtures/v1`) is accepted in both forms and rejected
//! under another challenge, clock, policy or trust list, through the same
//! `Verifier` the WASM exports wrap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use zkstatus_verifier_wasm::verifier::{
    Kind, Options, PayloadInput, SetupError, Verdict, Verifier,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../prover/tests/fixtures/v1/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap().trim().to_string()
}

fn verifier_with(trust: &str, policy: &str, options: &Options) -> Result<Verifier, SetupError> {
    Verifier::new(&fixture("zkstatus.vk"), trust, policy, options)
}

fn verifier() -> Verifier {
    verifier_with(
        &text("trust-list.json"),
        &text("policy.json"),
        &Options::default(),
    )
    .unwrap()
}

fn verify(v: &Verifier, payload: PayloadInput<'_>, now: &str, challenge: &str) -> Verdict {
    v.verify_input(payload, now, challenge).unwrap()
}

const FINGERPRINT: &str = "15f13220d863048e19fa627327ea519fc074eca3c1e4d93015155b19db819303";

#[test]
fn accepts_the_fixture_in_both_forms() {
    let v = verifier();
    let (now, challenge) = (text("now.txt"), text("challenge.txt"));
    let bin = fixture("payload.bin");
    let txt = String::from_utf8(fixture("payload.txt")).unwrap();
    for payload in [PayloadInput::Bytes(&bin), PayloadInput::Text(&txt)] {
        let r = verify(&v, payload, &now, &challenge);
        assert_eq!(r.kind, Kind::Accept, "{r:?}");
        assert!(r.ok);
        assert_eq!(r.issuer.as_deref(), Some("Fixture Lab"));
        assert_eq!(r.proof_time.as_deref(), Some(now.as_str()));
    }
    let json = verify(&v, PayloadInput::Bytes(&bin), &now, &challenge).to_json();
    assert_eq!(
        json,
        format!(
            "{{\"ok\":true,\"kind\":\"accept\",\"code\":\"accepted\",\"reason\":null,\
             \"issuer\":\"Fixture Lab\",\"issuerKey\":\"323a1772ccd2bf78ca0f82e4de1d4d48ded87f6f26d92d6a99e5998ac88901a6\",\
             \"proofTime\":\"{now}\",\"checkedAt\":\"{now}\",\"policy\":{{\"maxTestAge\":\
             {{\"pcr\":\"259200\",\"rapidAntigen\":\"86400\"}},\"minExposureGap\":\"864000\"}},\
             \"challenge\":\"{challenge}\"}}"
        )
    );
    assert_eq!(v.fingerprint_hex(), FINGERPRINT);
    assert_eq!(v.short_fingerprint(), "15f1-3220-d863-048e");
}

#[test]
fn rejects_the_fixture_under_another_challenge_clock_policy_or_trust_list() {
    let v = verifier();
    let bin = fixture("payload.bin");
    let (now, challenge) = (text("now.txt"), text("challenge.txt"));
    let now_n: u64 = now.parse().unwrap();
    let other = format!("{:064x}", 1);
    let r = verify(&v, PayloadInput::Bytes(&bin), &now, &other);
    assert_eq!((r.kind, r.code), (Kind::Reject, "proof-invalid"));
    let r = verify(
        &v,
        PayloadInput::Bytes(&bin),
        &(now_n + 301).to_string(),
        &challenge,
    );
    assert_eq!((r.kind, r.code), (Kind::Reject, "clock-skew"));
    let r = verify(
        &v,
        PayloadInput::Bytes(&bin),
        &(now_n * 1000).to_string(),
        &challenge,
    );
    assert_eq!((r.kind, r.code), (Kind::Reject, "implausible-time"));

    let stricter = text("policy.json").replacen("259200", "259199", 1);
    let s = verifier_with(&text("trust-list.json"), &stricter, &Options::default()).unwrap();
    let r = verify(&s, PayloadInput::Bytes(&bin), &now, &challenge);
    assert_eq!((r.kind, r.code), (Kind::Reject, "proof-invalid"));
    assert_eq!(r.policy.max_test_age.pcr.as_deref(), Some("259199"));

    // circomlib Base8, packed: a valid key that is not the fixture's issuer.
    let base8 = "8b7d2d877a253c4b7733e1b91f05e0fcedf96bd11c2e572549b2a0f703727925";
    let trust = text("trust-list.json").replacen(
        "323a1772ccd2bf78ca0f82e4de1d4d48ded87f6f26d92d6a99e5998ac88901a6",
        base8,
        1,
    );
    let u = verifier_with(&trust, &text("policy.json"), &Options::default()).unwrap();
    let r = verify(&u, PayloadInput::Bytes(&bin), &now, &challenge);
    assert_eq!((r.kind, r.code), (Kind::Reject, "untrusted-issuer"));
}

#[test]
fn malformed_payloads_are_verdicts_and_bad_inputs_are_errors() {
    let v = verifier();
    let bin = fixture("payload.bin");
    let (now, challenge) = (text("now.txt"), text("challenge.txt"));
    let mut trailing = bin.clone();
    trailing.push(0);
    let r = verify(&v, PayloadInput::Bytes(&trailing), &now, &challenge);
    assert_eq!((r.kind, r.code), (Kind::Malformed, "wrong-length"));
    assert_eq!(
        r.reason.as_deref(),
        Some("a payload has exactly 169 bytes, got 170")
    );
    let r = verify(&v, PayloadInput::Text("ZKS1:"), &now, &challenge);
    assert_eq!((r.kind, r.code), (Kind::Malformed, "wrong-length"));
    let r = verify(&v, PayloadInput::Text("hello"), &now, &challenge);
    assert_eq!(r.code, "missing-prefix");
    let r = v.too_long(1 << 20, true, 1_763_800_000);
    assert_eq!((r.kind, r.code), (Kind::Malformed, "wrong-length"));

    let e = v
        .verify_input(PayloadInput::Bytes(&bin), "1763800000.0", &challenge)
        .unwrap_err();
    assert_eq!(e.field, "now");
    let e = v
        .verify_input(PayloadInput::Bytes(&bin), &now, &challenge.to_uppercase())
        .unwrap_err();
    assert_eq!(e.field, "challenge");
}

#[test]
fn setup_errors_name_what_is_wrong() {
    let trust = text("trust-list.json");
    let policy = text("policy.json");
    let pinned = |fp: [u8; 32]| Options {
        pinned_vk_fingerprint: Some(fp),
        ..Options::default()
    };
    let mut fp = [0u8; 32];
    hex::decode_to_slice(FINGERPRINT, &mut fp).unwrap();
    assert!(verifier_with(&trust, &policy, &pinned(fp)).is_ok());
    fp[0] ^= 1;
    assert_eq!(
        verifier_with(&trust, &policy, &pinned(fp))
            .unwrap_err()
            .to_string(),
        format!("pinnedVkFingerprint: the verifying key's fingerprint is {FINGERPRINT}, not the pinned one")
    );
    let e = verifier_with(
        &trust.replacen("\"version\": 1", "\"version\": 2", 1),
        &policy,
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "trust list: zkstatus/trust-list version 2 is not supported (this build reads version 1)"
    );
    let e = verifier_with(&trust, &trust, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("policy: unknown field `issuers`"), "{e}");
    let e = Verifier::new(
        &fixture("zkstatus.vk")[1..],
        &trust,
        &policy,
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "verifying key: not a zkstatus verifying-key file (bad magic bytes)"
    );
}

/// docs/security.md, item 54 for this crate: no unchecked decoding and no
/// reduction modulo p is reachable from its sources.
#[test]
fn sources_use_no_unchecked_or_reducing_decoders() {
    let dir = format!("{}/src", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for banned in ["_unchecked", "mod_order", "Validate::No", "Compress::No"] {
            assert!(!src.contains(banned), "{} uses {banned}", path.display());
        }
    }
}

/// Finding F-1: the package's gate inherits the book's refusal of a
/// repeated nonce (two equal live challenges would accept a payload twice).
#[test]
fn f1_gate_refuses_a_repeated_nonce() {
    let mut gate = zkstatus_verifier_wasm::verifier::Gate::new("gate", None, None).unwrap();
    let first = gate.issue("1763800000", &[9; 32]).unwrap();
    let e = gate.issue("1763800000", &[9; 32]).unwrap_err();
    assert_eq!(e.field, "nonce");
    assert!(e.to_string().contains("repeats a nonce"), "{e}");
    assert_eq!(gate.live("1763800000").unwrap().len(), 1);
    assert_eq!(
        gate.live("1763800000").unwrap()[0].challenge,
        first.challenge
    );
}
