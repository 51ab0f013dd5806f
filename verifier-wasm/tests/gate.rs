//! The browser gate's logic on the host, with real statement-v2 proofs:
//! both modes accepted once and refused as repeats, a version-1 payload
//! refused naming its version, a root replaced, and every option refused
//! with a message that names it, through the same `Gate` the WASM exports
//! wrap. Its roots come from a registry bundle (issue [3/7]): a forged,
//! foreign or aged-out bundle is refused, and an aged-out one refuses every
//! payload.
#![cfg(not(target_family = "wasm"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_log::{LogSigningKey, WitnessSigningKey};
use zkstatus_prover::circuits::eddsa::PrivateKey;
use zkstatus_prover::circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_prover::circuits::registry::{IssuerLeaf, Window};
use zkstatus_prover::circuits::statement::StatusPolicy;
use zkstatus_prover::files::policy_to_json;
use zkstatus_prover::holder::v2::{prove_with_rng, Presentation};
use zkstatus_prover::{issuer, keys};
use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};
use zkstatus_verifier::challenge::ChallengeBook;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::keyfile::vk2_to_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
use zkstatus_verifier_wasm::verifier::{
    Gate, Kind, Options, PayloadInput, SetupError, TrustedRoots, Verdict, REGISTRY_TOO_OLD,
};

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

/// The test log's key and its witness (seeded: tests only).
fn log_keys() -> &'static (LogSigningKey, WitnessSigningKey) {
    static K: OnceLock<(LogSigningKey, WitnessSigningKey)> = OnceLock::new();
    K.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0x106);
        let (log, _) = LogSigningKey::generate(&mut rng, "test.example/log").unwrap();
        let (w, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
        (log, w)
    })
}

/// The trust configuration of the test log, with `witness`'s key.
fn trust_with(witness: &WitnessSigningKey) -> String {
    BundleTrust::to_json(
        log_keys().0.public().as_str(),
        &[witness.public().as_str().to_string()],
        1,
        DEFAULT_MAX_AGE_SECS,
    )
}

fn trust() -> String {
    trust_with(&log_keys().1)
}

/// The bundle of a log whose entries publish `roots`, in order, its
/// checkpoint cosigned at `cosigned_at`.
fn bundle_of(roots: &AcceptedRoots, cosigned_at: u64) -> Vec<u8> {
    let (log, witness) = log_keys();
    zkstatus_log::bundle::of_roots(log, witness, roots.roots(), cosigned_at)
        .unwrap()
        .to_bytes()
        .unwrap()
}

/// When the world's bundle was cosigned.
const COSIGNED_AT: u64 = T0 - 60;

fn registry_of(roots: &AcceptedRoots) -> TrustedRoots {
    TrustedRoots::from_bundle(&bundle_of(roots, COSIGNED_AT), &trust(), &T0.to_string()).unwrap()
}

fn gate_with(o: &Options<'_>) -> Result<Gate, SetupError> {
    let w = world();
    Gate::new(&w.vk, registry_of(&w.roots), &w.policy, o)
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

/// Finding F-1 (docs/security.md): the same random bytes at the same time
/// would give a second, equal challenge, so one proof would be accepted
/// twice. The gate refuses the second issue, naming the `random` input, and
/// accepts the proof once.
#[test]
fn f1_gate_refuses_a_repeated_nonce() {
    let w = world();
    let mut g = gate();
    g.issue(&T0.to_string(), &NONCE).unwrap();
    let e = g.issue(&T0.to_string(), &NONCE).unwrap_err();
    assert_eq!(e.field, "random", "{e:?}");
    assert!(e.reason.contains("repeats a nonce"), "{e:?}");
    let r = verify(&mut g, &w.interactive, T0 + 5);
    assert_eq!((r.kind, r.code), (Kind::Accept, "accepted"), "{r:?}");
    // After the challenge is used, too.
    let e = g.issue(&T0.to_string(), &NONCE).unwrap_err();
    assert_eq!(e.field, "random", "{e:?}");
    let r = verify(&mut g, &w.interactive, T0 + 6);
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
    let other = AcceptedRoots::new(vec![root]).unwrap();
    let mut g = gate_with(&options()).unwrap();
    g.set_registry(registry_of(&other)).unwrap();
    let r = verify(&mut g, &w.one_scan, T0 + 10);
    assert_eq!((r.kind, r.code), (Kind::Reject, "unknown-root"), "{r:?}");
    g.set_registry(registry_of(&w.roots)).unwrap();
    let r = verify(&mut g, &w.one_scan, T0 + 10);
    assert_eq!(r.kind, Kind::Accept, "{r:?}");
    assert_eq!(g.roots().len(), 1);
    assert_eq!(
        g.active_root(&T0.to_string()).unwrap().unwrap().epoch,
        w.roots.roots()[0].epoch.to_string()
    );
    assert_eq!(g.active_root(&(T0 - 601).to_string()).unwrap(), None);
    let e = TrustedRoots::from_bundle(b"{}", &trust(), &T0.to_string())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("registry bundle: "), "{e}");
}

#[test]
fn a_gate_takes_its_roots_only_from_a_bundle_that_verifies() {
    let w = world();
    let good = bundle_of(&w.roots, COSIGNED_AT);
    let at = |t: u64| t.to_string();
    let state = TrustedRoots::from_bundle(&good, &trust(), &at(T0))
        .unwrap()
        .bundle()
        .unwrap();
    assert_eq!(state.cosigned_at, COSIGNED_AT);
    assert_eq!(state.valid_until, COSIGNED_AT + DEFAULT_MAX_AGE_SECS);
    assert_eq!(state.log_size, 1);
    // A cosignature by a foreign key under the witness's name.
    let (foreign, _) =
        WitnessSigningKey::generate(&mut ChaCha20Rng::seed_from_u64(0xf0e), "witness.example")
            .unwrap();
    let e = TrustedRoots::from_bundle(&good, &trust_with(&foreign), &at(T0))
        .unwrap_err()
        .to_string();
    assert!(e.contains("foreign cosignature"), "{e}");
    // An edited entry (a byte of the root): the proof no longer leads to
    // the signed tree.
    let mut edited = good.clone();
    edited[4 + 1 + 8 + 1 + 2 + 12] ^= 1;
    let e = TrustedRoots::from_bundle(&edited, &trust(), &at(T0))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("registry bundle: "), "{e}");
    // Aged out at the caller's clock.
    let late = COSIGNED_AT + DEFAULT_MAX_AGE_SECS + 1;
    let e = TrustedRoots::from_bundle(&good, &trust(), &at(late))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("registry bundle: registry data too old — connect to refresh"),
        "{e}"
    );
    // A bad trust configuration is named.
    let e = TrustedRoots::from_bundle(&good, "{}", &at(T0))
        .unwrap_err()
        .to_string();
    assert!(e.contains("registry trust"), "{e}");
}

#[test]
fn an_aged_out_bundle_refuses_every_payload_until_refreshed() {
    let w = world();
    let mut g = gate();
    let until = COSIGNED_AT + DEFAULT_MAX_AGE_SECS;
    g.issue(&until.to_string(), &NONCE).unwrap();
    let r = verify(&mut g, &w.interactive, until + 1);
    assert_eq!((r.kind, r.code), (Kind::Reject, REGISTRY_TOO_OLD), "{r:?}");
    let reason = r.reason.unwrap();
    assert!(
        reason.starts_with("registry data too old — connect to refresh"),
        "{reason}"
    );
    let r = verify(&mut g, &w.one_scan, until + 1);
    assert_eq!(r.code, REGISTRY_TOO_OLD);
    // At the limit itself, the registry still holds (the proof is checked).
    let r = verify(&mut g, &w.one_scan, until);
    assert_ne!(r.code, REGISTRY_TOO_OLD, "{r:?}");
    // A refreshed bundle (the same log, cosigned again) lifts it.
    let fresh = TrustedRoots::from_bundle(
        &bundle_of(&w.roots, until),
        &trust(),
        &(until + 1).to_string(),
    )
    .unwrap();
    g.set_registry(fresh).unwrap();
    assert_eq!(
        g.bundle().unwrap().valid_until,
        until + DEFAULT_MAX_AGE_SECS
    );
    let r = verify(&mut g, &w.one_scan, until + 1);
    assert_ne!(r.code, REGISTRY_TOO_OLD, "{r:?}");
}

#[test]
fn a_rolled_back_bundle_is_refused_and_the_gate_keeps_its_registry() {
    let w = world();
    let mut root = w.roots.roots()[0];
    root.epoch += 1;
    root.published_at += 1;
    root.activates_at += 1;
    let two = AcceptedRoots::new(vec![w.roots.roots()[0], root]).unwrap();
    let mut g = gate_with(&options()).unwrap();
    g.set_registry(registry_of(&two)).unwrap();
    assert_eq!(g.bundle().unwrap().log_size, 2);
    let e = g
        .set_registry(registry_of(&w.roots))
        .unwrap_err()
        .to_string();
    assert!(e.contains("rolled-back"), "{e}");
    assert_eq!(g.roots().len(), 2);
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
    let e = TrustedRoots::from_roots_json_unverified("[]")
        .unwrap_err()
        .to_string();
    assert!(e.contains("registry roots"), "{e}");
    let e = Gate::new(&w.vk, registry_of(&w.roots), "{", &options())
        .unwrap_err()
        .to_string();
    assert!(e.contains("policy"), "{e}");
    // A version-1 verifying key names its version.
    let v1 = std::fs::read(format!(
        "{}/../prover/tests/fixtures/legacy-v1/zkstatus.vk",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let e = Gate::new(&v1, registry_of(&w.roots), &w.policy, &options())
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
