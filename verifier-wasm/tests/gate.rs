//! The browser gate's logic on the host, with real statement-v2 proofs:
//! both modes accepted once and refused as repeats, a version-1 payload
//! refused naming its version, a root replaced, and every option refused
//! with a message that names it, through the same `Gate` the WASM exports
//! wrap.
#![cfg(not(target_family = "wasm"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_prover::circuits::eddsa::PrivateKey;
use zkstatus_prover::circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_prover::circuits::registry::{IssuerLeaf, Window};
use zkstatus_prover::circuits::statement::StatusPolicy;
use zkstatus_prover::files::policy_to_json;
use zkstatus_prover::holder::v2::{prove_with_rng, Presentation};
use zkstatus_prover::{issuer, keys};
use zkstatus_verifier::challenge::ChallengeBook;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::keyfile::vk2_to_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
use zkstatus_verifier_wasm::verifier::{Gate, Kind, Options, PayloadInput, SetupError, Verdict};

/// A window start, 2027-01-15.
const T0: u64 = 1_800_000_000;
const ORIGIN: &str = "https://venue.example";
const OPERATOR: &str = "metro.example";
const NONCE: [u8; 32] = [0x42; 32];

struct World {
    vk: Vec<u8>,
    roots: AcceptedRoots,
    policy: String,
    interactive: Vec<u8>,
    one_scan: Vec<u8>,
    fingerprint: String,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let (pk, vk) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(3)).unwrap();
        let labs = [0x11u8, 0x22].map(|b| PrivateKey::from_bytes([b; 32]));
        let mut reg = Registry::new();
        for (i, k) in labs.iter().enumerate() {
            reg.add(Entry {
                leaf: IssuerLeaf {
                    key: k.public_key(),
                    window: Window::new(T0 - 86_400, T0 + 365 * 86_400).unwrap(),
                },
                name: format!("Lab {i}"),
            })
            .unwrap();
        }
        let roots = AcceptedRoots::new(vec![PublishedRoot {
            epoch: reg.epoch(),
            root: reg.root().unwrap(),
            published_at: T0 - 3600,
            activates_at: T0 - 600,
            end_date: reg.end_date().unwrap(),
        }])
        .unwrap();
        let secret = HolderSecret::generate(&mut ChaCha20Rng::seed_from_u64(5));
        let record = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: T0 - 3600,
            exposure_time: NO_EXPOSURE,
            issued_at: T0 - 3000,
            expires_at: T0 + 7200,
            credential_id: 9u64.into(),
        };
        let credential = issuer::issue(&labs[1], &record).unwrap();
        let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86_400).unwrap();
        let prove = |p: Presentation| {
            prove_with_rng(
                &pk,
                &credential,
                &secret,
                &policy,
                std::slice::from_ref(&reg),
                &roots,
                &p,
                &mut ChaCha20Rng::seed_from_u64(11),
            )
            .unwrap()
            .to_bytes()
        };
        let offer = ChallengeOffer {
            challenge: ChallengeBook::derive(ORIGIN, T0, &NONCE),
            issued_at: T0,
        };
        World {
            interactive: prove(Presentation::Interactive(offer)),
            one_scan: prove(Presentation::OneScan {
                operator: OperatorId::from_name(OPERATOR).unwrap(),
                window_start: T0,
            }),
            fingerprint: hex::encode(vk.fingerprint()),
            vk: vk2_to_file(&vk, pk.qap_reduction()),
            roots,
            policy: policy_to_json(&policy),
        }
    })
}

fn options() -> Options<'static> {
    Options {
        origin: ORIGIN,
        operator: Some(OPERATOR),
        one_scan: Some(true),
        ..Options::default()
    }
}

fn gate_with(o: &Options<'_>) -> Result<Gate, SetupError> {
    let w = world();
    Gate::new(&w.vk, &w.roots.to_json(), &w.policy, o)
}

fn gate() -> Gate {
    gate_with(&options()).unwrap()
}

fn verify(g: &mut Gate, bytes: &[u8], now: u64) -> Verdict {
    g.verify_input(PayloadInput::Bytes(bytes), &now.to_string())
        .unwrap()
}

#[test]
fn an_interactive_proof_is_accepted_for_the_gates_challenge_then_refused_as_a_replay() {
    let w = world();
    let mut g = gate();
    let offer = g.issue(&T0.to_string(), &NONCE).unwrap();
    assert!(offer.offer.starts_with("ZKC2:"), "{offer:?}");
    assert_eq!(offer.offer.len(), 65);
    assert_eq!(offer.issued_at, T0.to_string());
    assert_eq!(offer.expires_at, (T0 + 90).to_string());
    let r = verify(&mut g, &w.interactive, T0 + 5);
    assert_eq!((r.kind, r.code), (Kind::Accept, "accepted"), "{r:?}");
    assert_eq!(r.mode, Some("interactive"));
    assert_eq!(r.proof_time, Some(T0.to_string()));
    assert_eq!(r.challenge.as_deref(), Some(offer.challenge.as_str()));
    // The JSON names no issuer.
    let json = r.to_json();
    assert!(!json.contains("issuer"), "{json}");
    // The same proof again (the text form): the challenge is used.
    let text = zkstatus_verifier::v2::payload::PayloadV2::from_bytes(&w.interactive)
        .unwrap()
        .to_text();
    let r = g
        .verify_input(PayloadInput::Text(&text), &(T0 + 6).to_string())
        .unwrap();
    assert_eq!((r.kind, r.code), (Kind::Reject, "challenge-used"), "{r:?}");
}

#[test]
fn a_proof_without_the_gates_challenge_is_refused() {
    let w = world();
    // Another nonce: the gate's challenge differs from the proof's.
    let mut g = gate();
    g.issue(&T0.to_string(), &[7; 32]).unwrap();
    let r = verify(&mut g, &w.interactive, T0 + 5);
    assert_eq!(r.kind, Kind::Reject, "{r:?}");
    assert_eq!(r.code, "proof-invalid", "{r:?}");
    // No challenge at all.
    let r = verify(&mut gate(), &w.interactive, T0 + 5);
    assert_eq!(r.kind, Kind::Reject, "{r:?}");
    // Too late: the challenge expired.
    let mut g = gate();
    g.issue(&T0.to_string(), &NONCE).unwrap();
    let r = verify(&mut g, &w.interactive, T0 + 91);
    assert_eq!(r.kind, Kind::Reject, "{r:?}");
}

#[test]
fn a_one_scan_pass_is_accepted_once_then_refused_in_its_window() {
    let w = world();
    let mut g = gate();
    let r = verify(&mut g, &w.one_scan, T0 + 10);
    assert_eq!((r.kind, r.code), (Kind::Accept, "accepted"), "{r:?}");
    assert_eq!(r.mode, Some("one-scan"));
    assert_eq!(r.window_start, Some(T0.to_string()));
    let r = verify(&mut g, &w.one_scan, T0 + 20);
    assert_eq!((r.kind, r.code), (Kind::Reject, "nullifier-used"), "{r:?}");
    assert!(
        r.reason
            .as_deref()
            .unwrap()
            .contains("already used in this window"),
        "{r:?}"
    );
    // A gate of another operator: another scope, the proof does not verify.
    let mut other = gate_with(&Options {
        operator: Some("other.example"),
        ..options()
    })
    .unwrap();
    let r = verify(&mut other, &w.one_scan, T0 + 10);
    assert_eq!((r.kind, r.code), (Kind::Reject, "proof-invalid"), "{r:?}");
    // Too late for its window.
    let r = verify(&mut gate(), &w.one_scan, T0 + 600);
    assert_eq!((r.kind, r.code), (Kind::Reject, "window-too-old"), "{r:?}");
}

#[test]
fn modes_the_gate_does_not_accept_are_refused() {
    let w = world();
    let mut g = gate_with(&Options {
        one_scan: Some(false),
        ..options()
    })
    .unwrap();
    let r = verify(&mut g, &w.one_scan, T0 + 10);
    assert_eq!(
        (r.kind, r.code),
        (Kind::Reject, "mode-not-accepted"),
        "{r:?}"
    );
    let mut g = gate_with(&Options {
        interactive: Some(false),
        ..options()
    })
    .unwrap();
    g.issue(&T0.to_string(), &NONCE).unwrap();
    let r = verify(&mut g, &w.interactive, T0 + 5);
    assert_eq!(
        (r.kind, r.code),
        (Kind::Reject, "mode-not-accepted"),
        "{r:?}"
    );
}

#[test]
fn a_version_1_payload_is_refused_naming_version_1() {
    let v1 = std::fs::read_to_string(format!(
        "{}/../prover/tests/fixtures/legacy-v1/payload.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut g = gate();
    let r = g
        .verify_input(PayloadInput::Text(&v1), &T0.to_string())
        .unwrap();
    assert_eq!((r.kind, r.code), (Kind::Malformed, "unsupported-version"));
    assert!(r.reason.as_deref().unwrap().contains("version 1"), "{r:?}");
    let bin = std::fs::read(format!(
        "{}/../prover/tests/fixtures/legacy-v1/payload.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let r = verify(&mut g, &bin, T0);
    assert_eq!((r.kind, r.code), (Kind::Malformed, "unsupported-version"));
}

#[test]
fn replaced_roots_take_effect() {
    let w = world();
    let mut root = w.roots.roots()[0];
    root.epoch += 1;
    let other = AcceptedRoots::new(vec![root]).unwrap().to_json();
    let mut g = gate_with(&options()).unwrap();
    g.set_roots(&other).unwrap();
    let r = verify(&mut g, &w.one_scan, T0 + 10);
    assert_eq!((r.kind, r.code), (Kind::Reject, "unknown-root"), "{r:?}");
    g.set_roots(&w.roots.to_json()).unwrap();
    let r = verify(&mut g, &w.one_scan, T0 + 10);
    assert_eq!(r.kind, Kind::Accept, "{r:?}");
    assert_eq!(g.roots().len(), 1);
    assert_eq!(
        g.active_root(&T0.to_string()).unwrap().unwrap().epoch,
        w.roots.roots()[0].epoch.to_string()
    );
    assert_eq!(g.active_root(&(T0 - 601).to_string()).unwrap(), None);
    let e = g.set_roots("{}").unwrap_err().to_string();
    assert!(e.contains("roots"), "{e}");
}

#[test]
fn options_are_refused_naming_the_field() {
    let w = world();
    let field = |o: Options<'_>| gate_with(&o).unwrap_err().to_string();
    let e = field(Options {
        ttl_secs: Some("121"),
        ..options()
    });
    assert!(e.starts_with("ttlSecs: ") && e.contains("120"), "{e}");
    assert!(gate_with(&Options {
        ttl_secs: Some("120"),
        ..options()
    })
    .is_ok());
    for (o, name) in [
        (
            Options {
                ttl_secs: Some("0"),
                ..options()
            },
            "ttlSecs: ",
        ),
        (
            Options {
                ttl_secs: Some("-1"),
                ..options()
            },
            "ttlSecs: ",
        ),
        (
            Options {
                origin: "",
                ..options()
            },
            "origin: ",
        ),
        (
            Options {
                max_live: Some(0),
                ..options()
            },
            "maxLive: ",
        ),
        (
            Options {
                operator: Some(" x"),
                ..options()
            },
            "operator: ",
        ),
        (
            Options {
                interactive: Some(false),
                one_scan: Some(false),
                ..options()
            },
            "modes: ",
        ),
        (
            Options {
                pinned_vk_fingerprint: Some("1a2b-3c4d-5e6f-7a8b"),
                ..options()
            },
            "pinnedVkFingerprint: ",
        ),
        (
            Options {
                pinned_vk_fingerprint: Some(&"00".repeat(32)),
                ..options()
            },
            "pinnedVkFingerprint: ",
        ),
    ] {
        let e = field(o);
        assert!(e.starts_with(name), "{name}: {e}");
    }
    assert!(gate_with(&Options {
        pinned_vk_fingerprint: Some(&w.fingerprint),
        ..options()
    })
    .is_ok());
    let e = Gate::new(&w.vk, "[]", &w.policy, &options())
        .unwrap_err()
        .to_string();
    assert!(e.contains("registry roots"), "{e}");
    let e = Gate::new(&w.vk, &w.roots.to_json(), "{", &options())
        .unwrap_err()
        .to_string();
    assert!(e.contains("policy"), "{e}");
    // A version-1 verifying key names its version.
    let v1 = std::fs::read(format!(
        "{}/../prover/tests/fixtures/legacy-v1/zkstatus.vk",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let e = Gate::new(&v1, &w.roots.to_json(), &w.policy, &options())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("verifying key: ") && e.contains("version 1"),
        "{e}"
    );
    // Bad clocks and nonces at issue time.
    let mut g = gate();
    let e = g.issue("1e9", &NONCE).unwrap_err();
    assert_eq!(e.field, "now");
    let e = g.issue("1000", &NONCE).unwrap_err();
    assert_eq!(e.field, "now");
    g.issue(&T0.to_string(), &NONCE).unwrap();
    let e = g.issue(&T0.to_string(), &NONCE).unwrap_err();
    assert_eq!(e.field, "random");
}

#[test]
fn oversized_input_is_refused_without_reading_it() {
    let g = gate();
    let r = g.too_long(5000, true, T0);
    assert_eq!((r.kind, r.code), (Kind::Malformed, "wrong-length"));
    let r = g.too_long(5000, false, T0);
    assert_eq!((r.kind, r.code), (Kind::Malformed, "wrong-length"));
}
