//! Findings F-4 and F-5: JSON errors name the field (also nested) and never
//! echo more than a short piece of a value, nor any value of a secret file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{
    holder_secret_from_json, issuer_key_from_json, policy_from_json, MAX_ECHO_CHARS,
};

const CREDENTIAL: &str = include_str!("fixtures/v2/credential.json");
const SECRET: &str = include_str!("fixtures/v2/holder-secret.json");
const ISSUER_KEY: &str = include_str!("fixtures/v2/issuer-key.json");
const POLICY: &str = include_str!("fixtures/v2/policy.json");

type Parse = fn(&str) -> Result<(), String>;

fn parsers() -> [(&'static str, &'static str, Parse, bool); 4] {
    [
        (
            "credential",
            CREDENTIAL,
            |t| {
                Credential::from_json(t)
                    .map(drop)
                    .map_err(|e| e.to_string())
            },
            true,
        ),
        (
            "holder secret",
            SECRET,
            |t| {
                holder_secret_from_json(t)
                    .map(drop)
                    .map_err(|e| e.to_string())
            },
            true,
        ),
        (
            "issuer key",
            ISSUER_KEY,
            |t| issuer_key_from_json(t).map(drop).map_err(|e| e.to_string()),
            true,
        ),
        (
            "policy",
            POLICY,
            |t| policy_from_json(t).map(drop).map_err(|e| e.to_string()),
            false,
        ),
    ]
}

fn edit(text: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    f(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

/// No 64-hex-digit value of the file appears in the message.
fn echoes_no_hex(msg: &str, file: &str) {
    let v: Value = serde_json::from_str(file).unwrap();
    let mut stack = vec![&v];
    while let Some(x) = stack.pop() {
        match x {
            Value::String(s) if s.len() >= 64 => assert!(!msg.contains(s.as_str()), "{msg}"),
            Value::Object(m) => stack.extend(m.values()),
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
}

#[test]
fn f4_missing_and_unknown_fields_are_named_at_every_level() {
    let parse = |t: &str| Credential::from_json(t).map(drop).unwrap_err().to_string();
    for field in ["holder", "test_time", "exposure_time", "credential_id"] {
        let t = edit(CREDENTIAL, |v| {
            v["record"].as_object_mut().unwrap().remove(field);
        });
        let msg = parse(&t);
        assert!(
            msg.starts_with(&format!("credential: missing field `record.{field}`")),
            "{msg}"
        );
        echoes_no_hex(&msg, CREDENTIAL);
    }
    let t = edit(CREDENTIAL, |v| {
        v.as_object_mut().unwrap().remove("signature");
    });
    assert!(parse(&t).starts_with("credential: missing field `signature`"));
    let t = edit(CREDENTIAL, |v| v["record"]["extra"] = 1.into());
    let msg = parse(&t);
    assert!(
        msg.starts_with("credential: unknown field `record.extra`"),
        "{msg}"
    );
    echoes_no_hex(&msg, CREDENTIAL);
    let t = edit(CREDENTIAL, |v| v["extra"] = 1.into());
    assert!(parse(&t).starts_with("credential: unknown field `extra`"));

    let t = edit(SECRET, |v| {
        v.as_object_mut().unwrap().remove("holder");
    });
    let msg = holder_secret_from_json(&t).unwrap_err().to_string();
    assert!(
        msg.starts_with("holder secret: missing field `holder`"),
        "{msg}"
    );
    echoes_no_hex(&msg, SECRET);
    let t = edit(SECRET, |v| v["extra"] = 1.into());
    let msg = holder_secret_from_json(&t).unwrap_err().to_string();
    assert!(
        msg.starts_with("holder secret: unknown field `extra`"),
        "{msg}"
    );
    echoes_no_hex(&msg, SECRET);

    let t = edit(POLICY, |v| v["max_test_age"]["pcr_x"] = 1.into());
    let msg = policy_from_json(&t).unwrap_err().to_string();
    assert!(msg.contains("unknown field `max_test_age.pcr_x`"), "{msg}");
    let t = edit(POLICY, |v| {
        v["max_test_age"].as_object_mut().unwrap().remove("pcr");
    });
    let msg = policy_from_json(&t).unwrap_err().to_string();
    assert!(msg.contains("missing field `max_test_age.pcr`"), "{msg}");
}

#[test]
fn f5_long_values_are_capped_in_every_json_format() {
    let long = "x".repeat(5000);
    for (what, text, parse, secret) in parsers() {
        // A 5,000-character string where a number belongs, at the top level
        // and (credential, policy) one level down.
        let mut cases = vec![edit(text, |v| v["version"] = long.clone().into())];
        if what == "credential" {
            cases.push(edit(text, |v| {
                v["record"]["test_time"] = long.clone().into()
            }));
        }
        if what == "policy" {
            cases.push(edit(text, |v| {
                v["max_test_age"]["pcr"] = long.clone().into()
            }));
        }
        // A 5,000-character unknown field name.
        cases.push(edit(text, |v| v[long.as_str()] = 1.into()));
        for t in cases {
            let msg = parse(&t).unwrap_err();
            assert!(msg.starts_with(what), "{msg}");
            assert!(msg.len() < 400, "{what}: {} chars: {msg}", msg.len());
            assert!(!msg.contains(&"x".repeat(MAX_ECHO_CHARS + 1)), "{msg}");
            if !secret && msg.contains("invalid type") {
                assert!(
                    msg.contains(&format!("{}…", "x".repeat(MAX_ECHO_CHARS))),
                    "{msg}"
                );
            }
            echoes_no_hex(&msg, text);
        }
    }
    // A secret value of the wrong type is never echoed, however short.
    let t = edit(SECRET, |v| v["secret"] = 123_456_789.into());
    let msg = holder_secret_from_json(&t).unwrap_err().to_string();
    assert!(!msg.contains("123456789"), "{msg}");
    let t = edit(ISSUER_KEY, |v| v["private_key"] = 987_654_321.into());
    let msg = issuer_key_from_json(&t).unwrap_err().to_string();
    assert!(!msg.contains("987654321"), "{msg}");
}
