//! The JSON formats are parsed strictly (docs/security.md, item 60): each
//! bad input gives a typed error naming what is wrong, never a panic, and
//! errors about secret files do not quote them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{self, FormatError};
use zkstatus_prover::issuer::{self, IssueError};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/v2/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn rejects_unknown_missing_and_duplicated_fields() {
    let policy = fixture("policy.json");
    let extra = policy.replacen("\"version\": 1,", "\"version\": 1, \"extra\": 0,", 1);
    assert!(matches!(
        files::policy_from_json(&extra),
        Err(FormatError::Json { .. })
    ));
    let missing = policy.replacen("\"min_exposure_gap\": 864000", "\"x\": 1", 1);
    assert!(files::policy_from_json(&missing).is_err());
    let dup = policy.replacen("\"version\": 1,", "\"version\": 1, \"version\": 1,", 1);
    assert!(matches!(
        files::policy_from_json(&dup),
        Err(FormatError::Json { .. })
    ));
}

#[test]
fn rejects_field_elements_not_below_p_and_non_canonical_hex() {
    let cred = fixture("credential.json");
    let id = "0000000000000000000000000000000000000000000000000000000000c0ffee";
    for (bad, why) in [
        (
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "modulus",
        ),
        // p itself
        (
            "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
            "modulus",
        ),
        (
            "0000000000000000000000000000000000000000000000000000000000C0FFEE",
            "lowercase",
        ),
        ("c0ffee", "64 hex digits"),
        (
            "000000000000000000000000000000000000000000000000000000000xc0ffee",
            "lowercase",
        ),
    ] {
        let text = cred.replacen(id, bad, 1);
        match Credential::from_json(&text) {
            Err(FormatError::InvalidField { field, reason }) => {
                assert_eq!(field, "credential_id");
                assert!(reason.contains(why), "{reason}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn rejects_missing_optional_fields_that_must_be_written_as_null() {
    // A missing field is an error; only an explicit null means "none".
    let policy = fixture("policy.json");
    let no_pcr = policy.replacen("\"pcr\": 259200,", "", 1);
    assert!(files::policy_from_json(&no_pcr)
        .unwrap_err()
        .to_string()
        .contains("pcr"));
    let null_pcr = policy.replacen("\"pcr\": 259200", "\"pcr\": null", 1);
    assert!(files::policy_from_json(&null_pcr).is_ok());
    let cred = fixture("credential.json");
    let no_exposure = cred.replacen("\"exposure_time\": null,", "", 1);
    assert_ne!(no_exposure, cred);
    assert!(Credential::from_json(&no_exposure).is_err());
}

#[test]
fn rejects_oversize_input_before_parsing() {
    let big = format!("{{\"format\": \"{}\"}}", "x".repeat(files::MAX_JSON_BYTES));
    assert!(matches!(
        files::policy_from_json(&big),
        Err(FormatError::TooLarge { .. })
    ));
}

#[test]
fn rejects_another_kind_of_file_and_another_version() {
    let cred = fixture("credential.json");
    match files::policy_from_json(&cred) {
        Err(e) => assert!(
            e.to_string().contains("policy") || e.to_string().contains("unknown field"),
            "{e}"
        ),
        Ok(_) => panic!("a credential parsed as a policy"),
    }
    let v2 = fixture("policy.json").replacen("\"version\": 1", "\"version\": 2", 1);
    assert!(matches!(
        files::policy_from_json(&v2),
        Err(FormatError::UnsupportedVersion { version: 2, .. })
    ));
    let other = fixture("policy.json").replacen("zkstatus/policy", "zkstatus/credential", 1);
    assert!(matches!(
        files::policy_from_json(&other),
        Err(FormatError::WrongFormat { .. })
    ));
}

#[test]
fn rejects_zero_exposure_time_and_unknown_enums() {
    let cred = fixture("credential.json");
    let zero = cred.replacen("\"exposure_time\": null", "\"exposure_time\": 0", 1);
    assert!(Credential::from_json(&zero)
        .unwrap_err()
        .to_string()
        .contains("null"));
    let t = cred.replacen("\"pcr\"", "\"lamp\"", 1);
    assert!(Credential::from_json(&t).is_err());
    let r = cred.replacen("\"negative\"", "\"inconclusive\"", 1);
    assert!(Credential::from_json(&r).is_err());
}

#[test]
fn rejects_invalid_keys_in_credentials_and_issuer_keys() {
    let cred = fixture("credential.json");
    let issuer = fixture("issuer-key.json");
    let parsed: serde_json::Value = serde_json::from_str(&cred).unwrap();
    let key = parsed["issuer"].as_str().unwrap().to_string();
    assert!(issuer.contains(&key));
    // The identity (0, 1), the order-2 point (0, -1), and y = p.
    use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
    use zkstatus_circuits::babyjubjub::{self, Fq};
    let identity = babyjubjub::pack(&babyjubjub::identity());
    let order2 = babyjubjub::pack(&babyjubjub::point_on_curve(Fq::ZERO, -Fq::ONE).unwrap());
    let mut y_is_p = [0u8; 32];
    y_is_p.copy_from_slice(&Fq::MODULUS.to_bytes_le());
    for bad in [identity, order2, y_is_p] {
        let bad = hex::encode(bad);
        assert!(
            Credential::from_json(&cred.replacen(&key, &bad, 1)).is_err(),
            "{bad}"
        );
        assert!(
            files::issuer_key_from_json(&issuer.replacen(&key, &bad, 1)).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn secret_file_errors_do_not_quote_the_file() {
    let k = fixture("issuer-key.json");
    // The fixture's issuer key is lab B's, 32 bytes of 0x22.
    let secret = "2222222222222222222222222222222222222222222222222222222222222222";
    assert!(k.contains(secret));
    let broken = k.replacen("\"version\": 1", "\"version\": \"2222222222222222\"", 1);
    let e = files::issuer_key_from_json(&broken)
        .unwrap_err()
        .to_string();
    assert!(!e.contains("2222222222222222"), "{e}");
    let mismatched = k.replacen(secret, &"3".repeat(64), 1);
    let e = files::issuer_key_from_json(&mismatched)
        .unwrap_err()
        .to_string();
    assert!(!e.contains("3333"), "{e}");
}

#[test]
fn issuer_refuses_disordered_times() {
    let cred = Credential::from_json(&fixture("credential.json")).unwrap();
    let key = files::issuer_key_from_json(&fixture("issuer-key.json")).unwrap();
    let mut r = cred.record.clone();
    r.expires_at = r.issued_at;
    assert_eq!(
        issuer::issue(&key, &r).unwrap_err(),
        IssueError::ExpiresBeforeIssued
    );
    let mut r = cred.record.clone();
    r.test_time = r.issued_at + 1;
    assert_eq!(
        issuer::issue(&key, &r).unwrap_err(),
        IssueError::TestAfterIssue
    );
    let mut r = cred.record.clone();
    r.exposure_time = r.issued_at + 1;
    assert_eq!(
        issuer::issue(&key, &r).unwrap_err(),
        IssueError::ExposureAfterIssue
    );
    // Issuing is a pure function of key and record.
    assert_eq!(issuer::issue(&key, &cred.record).unwrap(), cred);
}
