//! The holder's logic on the host (the same code the WASM build runs):
//! statement-v2 proofs through the pinned key, `Holder` and the registry
//! material, accepted by the shared v2 gate; the material's summary and its
//! refusals; pin refusals with their diagnoses, no panic on any prefix or
//! flip of a key file, and nothing secret in `Debug` or error messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use std::sync::OnceLock;
use zkstatus_holder_wasm::holder::{
    generate_holder_secret_json, outcome_json, BeginOutcome, Holder, HolderError, Material,
    PresentationInput, ProveOutcome,
};
use zkstatus_holder_wasm::input::parse_u64;
use zkstatus_holder_wasm::key::{
    diagnose, load_helper_key, load_main_key, pk_fingerprint, Diagnosis, KeyLoadError,
    PinnedProvingKey, MAX_PK_FILE_BYTES,
};
use zkstatus_prover::circuits::eddsa::PrivateKey;
use zkstatus_prover::circuits::registry::{IssuerLeaf, Window};
use zkstatus_prover::files::{issuer_key_from_json, policy_from_json};
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::keys;
use zkstatus_prover::split::{helper_part_bytes, HelperPart, Share, SplitError};
use zkstatus_verifier::challenge::ChallengeBook;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
use zkstatus_verifier::v2::{Gate, Modes, Verifier};

fn fixture(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/v2");
    std::fs::read_to_string(dir.join(name)).expect(name)
}

/// A statement-v2 proving key, seeded (tests only).
fn pk_file() -> &'static [u8] {
    static PK: OnceLock<Vec<u8>> = OnceLock::new();
    PK.get_or_init(|| {
        let (pk, _) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(20260601)).unwrap();
        pk.to_file()
    })
}

/// A proving-key file of statement v1: version byte 1 (refused, naming its
/// version).
fn pk_file_v1() -> Vec<u8> {
    let mut file = pk_file().to_vec();
    file[4] = 1;
    file
}

fn holder() -> Holder {
    Holder::from_json(&fixture("credential.json"), &fixture("holder-secret.json")).unwrap()
}

fn now() -> u64 {
    parse_u64(fixture("now.txt").trim(), "now").unwrap()
}

const ORIGIN: &str = "https://venue.example";
const NONCE: [u8; 32] = [0x42; 32];

/// Registries with the fixture's issuer ("Fixture Lab") and another; the
/// second epoch retires the fixture's issuer at its activation, `now + 1 d`.
struct Set {
    registries: Vec<Registry>,
    roots: AcceptedRoots,
}

fn set() -> &'static Set {
    static S: OnceLock<Set> = OnceLock::new();
    S.get_or_init(|| {
        let t = now();
        let fixture_lab = issuer_key_from_json(&fixture("issuer-key.json")).unwrap();
        let other = PrivateKey::from_bytes([0x77; 32]);
        let mut reg = Registry::new();
        for (k, name) in [(&other, "Other Lab"), (&fixture_lab, "Fixture Lab")] {
            reg.add(Entry {
                leaf: IssuerLeaf {
                    key: k.public_key(),
                    window: Window::new(t - 86_400, t + 30 * 86_400).unwrap(),
                },
                name: name.into(),
            })
            .unwrap();
        }
        let first = reg.clone();
        reg.retire(1, t + 86_400).unwrap();
        let published = |r: &Registry, at: u64| PublishedRoot {
            epoch: r.epoch(),
            root: r.root().unwrap(),
            published_at: at - 3600,
            activates_at: at,
            end_date: r.end_date().unwrap(),
        };
        let roots = AcceptedRoots::new(vec![
            published(&first, t - 600),
            published(&reg, t + 86_400),
        ])
        .unwrap();
        Set {
            registries: vec![first, reg],
            roots,
        }
    })
}

fn material(epochs: &[usize]) -> Material {
    let s = set();
    let mut m = Material::new(&s.roots.to_json()).unwrap();
    for &i in epochs {
        m.add_registry(&s.registries[i].to_bytes()).unwrap();
    }
    m
}

fn offer_at(t: u64) -> String {
    zkstatus_verifier::v2::offer::ChallengeOffer {
        challenge: ChallengeBook::derive(ORIGIN, t, &NONCE),
        issued_at: t,
    }
    .to_text()
}

fn gate() -> Gate {
    let file = pk_file();
    let key = PinnedProvingKey::load(file, &pk_fingerprint(file)).unwrap();
    let vk = key.proving_key().verifying_key();
    let policy = policy_from_json(&fixture("policy.json")).unwrap();
    Gate::new(
        Verifier::new(&vk, set().roots.clone(), policy),
        ORIGIN,
        OperatorId::from_name("metro.example").unwrap(),
        Modes::BOTH,
        90,
        3,
    )
    .unwrap()
}

fn prove(m: &Material, p: &PresentationInput<'_>, seed: u64) -> Result<ProveOutcome, HolderError> {
    let file = pk_file();
    let key = PinnedProvingKey::load(file, &pk_fingerprint(file)).unwrap();
    let policy = policy_from_json(&fixture("policy.json")).unwrap();
    let p = zkstatus_holder_wasm::holder::parse_presentation(p)?;
    holder().prove_with_rng(&key, &policy, m, &p, &mut ChaCha20Rng::seed_from_u64(seed))
}

#[test]
fn v2_proofs_through_the_pinned_key_are_accepted_by_the_gate() {
    let t = now();
    let m = material(&[0, 1]);
    let offer = offer_at(t);
    let out = prove(&m, &PresentationInput::Challenge(&offer), 7).unwrap();
    let ProveOutcome::Proved(payload) = &out else {
        panic!("not green: {out:?}");
    };
    let json: serde_json::Value = serde_json::from_str(&outcome_json(&out)).unwrap();
    assert_eq!(json["proved"], true);
    assert_eq!(json["mode"], "interactive");
    assert_eq!(json["now"], t.to_string());
    assert_eq!(json["epoch"], set().registries[0].epoch().to_string());
    assert!(json["payloadText"].as_str().unwrap().starts_with("ZKS2:"));
    assert!(json.get("issuer").is_none(), "{json}");
    let mut g = gate();
    g.challenges().issue(t, &NONCE).unwrap();
    let a = g.verify(&payload.to_bytes(), t + 3).unwrap();
    assert_eq!(a.now, t);

    // One scan, in the global scope and an operator's.
    let w = (t / 60 * 60).to_string();
    let out = prove(
        &m,
        &PresentationInput::OneScan {
            operator: Some("metro.example"),
            window_start: &w,
        },
        8,
    )
    .unwrap();
    let ProveOutcome::Proved(pass) = &out else {
        panic!("not green: {out:?}");
    };
    let a = g.verify(&pass.to_bytes(), t + 3).unwrap();
    assert_eq!(a.now.to_string(), w);
    assert!(g.verify(&pass.to_bytes(), t + 4).is_err());
    let out = prove(
        &m,
        &PresentationInput::OneScan {
            operator: None,
            window_start: &w,
        },
        9,
    )
    .unwrap();
    assert!(matches!(out, ProveOutcome::Proved(_)));
}

#[test]
fn not_green_and_retired_issuers_give_the_holders_reason() {
    let t = now();
    let m = material(&[0, 1]);
    // Expired (the fixture expires at NOW + 2 d), and by then the second
    // root is active, which retired the fixture's issuer: the credential is
    // checked first.
    let out = prove(
        &m,
        &PresentationInput::Challenge(&offer_at(t + 2 * 86_400)),
        7,
    )
    .unwrap();
    let ProveOutcome::NotGreen(status) = &out else {
        panic!("proved when expired");
    };
    assert_eq!(status.reasons[0].code, "expired");
    let json: serde_json::Value = serde_json::from_str(&outcome_json(&out)).unwrap();
    assert_eq!(json["proved"], false);
    assert_eq!(json["status"]["greenUntil"], serde_json::Value::Null);
    // Green, but the issuer was retired at the second root's activation.
    let out = prove(&m, &PresentationInput::Challenge(&offer_at(t + 86_400)), 7).unwrap();
    let ProveOutcome::NotGreen(status) = &out else {
        panic!("proved after the retirement");
    };
    assert_eq!(status.reasons[0].code, "issuer-accreditation-ended");
}

#[test]
fn missing_or_damaged_registry_material_is_named() {
    let t = now();
    let offer = offer_at(t);
    let at = PresentationInput::Challenge(&offer);
    // The active root's registry is not loaded.
    let e = prove(&material(&[1]), &at, 7).unwrap_err();
    assert_eq!(e.code(), "registry-missing", "{e}");
    assert!(e.to_string().contains("download"), "{e}");
    // Before the first activation.
    let early = offer_at(t - 601);
    let e = prove(&material(&[0, 1]), &PresentationInput::Challenge(&early), 7).unwrap_err();
    assert_eq!(e.code(), "no-active-root", "{e}");
    // A registry whose tree does not give its published root.
    let s = set();
    let mut m = Material::new(&s.roots.to_json()).unwrap();
    let mut bad = s.registries[0].clone();
    bad.add(Entry {
        leaf: IssuerLeaf {
            key: PrivateKey::from_bytes([0x55; 32]).public_key(),
            window: Window::new(t, t + 10).unwrap(),
        },
        name: "Extra".into(),
    })
    .unwrap();
    // Same epoch as the second root, another tree.
    let e = m.add_registry(&bad.to_bytes()).unwrap_err();
    assert_eq!(e.code(), "registry-root-mismatch", "{e}");
    let e = m.add_registry(b"ZKRG").unwrap_err();
    assert_eq!(e.code(), "bad-registry", "{e}");
    let e = Material::new("{}").unwrap_err();
    assert_eq!(e.code(), "bad-roots", "{e}");
    // A version-1 challenge, a misaligned window, a bad operator: bad input.
    for p in [
        PresentationInput::Challenge(&"0".repeat(64)),
        PresentationInput::OneScan {
            operator: None,
            window_start: &(t / 60 * 60 + 1).to_string(),
        },
        PresentationInput::OneScan {
            operator: Some(" x"),
            window_start: &(t / 60 * 60).to_string(),
        },
    ] {
        let e = prove(&material(&[0]), &p, 7).unwrap_err();
        assert_eq!(e.code(), "bad-input", "{e}");
    }
}

#[test]
fn the_material_summary_names_the_active_root_its_end_and_the_next() {
    let t = now();
    let s = set();
    let m = material(&[0]);
    let sum = m.summary(t);
    assert_eq!(sum.active_epoch, Some(s.registries[0].epoch().to_string()));
    assert_eq!(
        sum.end_date,
        Some(s.registries[0].end_date().unwrap().to_string())
    );
    assert_eq!(sum.next_activation, Some((t + 86_400).to_string()));
    assert!(sum.ready);
    assert_eq!(
        sum.missing_epochs,
        vec![s.registries[1].epoch().to_string()]
    );
    let m = material(&[0, 1]);
    assert!(m.summary(t).missing_epochs.is_empty());
    let later = m.summary(t + 86_400);
    assert_eq!(
        later.active_epoch,
        Some(s.registries[1].epoch().to_string())
    );
    assert_eq!(later.next_activation, None);
    let none = m.summary(t - 601);
    assert_eq!((none.active_epoch, none.ready), (None, false));
    assert_eq!(m.summary_input("x").unwrap_err().field, "now");
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
    assert_eq!(refuse(&flip(4)), Diagnosis::UnsupportedVersion(3));
    assert!(matches!(refuse(&flip(6)), Diagnosis::OtherCircuit { .. }));
    // A statement-v1 key names its version.
    let v1 = refuse(&pk_file_v1());
    assert_eq!(v1, Diagnosis::UnsupportedVersion(1));
    assert!(v1.to_string().contains("statement v1"), "{v1}");
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
    let lens = (0..760).chain((760..file.len()).step_by(9973));
    for len in lens {
        let bytes = &file[..len];
        let r = PinnedProvingKey::load(bytes, &pk_fingerprint(bytes));
        assert!(r.is_err(), "prefix of {len} bytes accepted");
        let _ = diagnose(bytes);
    }
    // Every bit of the header flipped, pinned: refused or (for bits that
    // only pick another valid encoding) accepted, never a panic.
    for bit in 0..730 * 8 {
        let mut b = file[..730].to_vec();
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
fn a_split_proof_through_the_pinned_key_parts_equals_the_single_worker_proof() {
    let file = pk_file();
    let pin = pk_fingerprint(file);
    let share = Share::DEFAULT;
    let main = load_main_key(file, &pin, share).unwrap();
    let helper = load_helper_key(file, &pin, share).unwrap();
    let policy = policy_from_json(&fixture("policy.json")).unwrap();
    let t = now();
    let m = material(&[0, 1]);
    let offer = offer_at(t);
    let request = PresentationInput::Challenge(&offer);
    let presentation = zkstatus_holder_wasm::holder::parse_presentation(&request).unwrap();
    let out = holder()
        .begin_proof_with_rng(
            &main,
            &policy,
            &m,
            &presentation,
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
    let ProveOutcome::Proved(single) = prove(&m, &request, 7).unwrap() else {
        panic!("not green");
    };
    assert_eq!(payload, *single);

    // Not green: a status, no job, no error (as prove).
    let late = offer_at(t + 2 * 86400);
    let out = holder()
        .begin_proof_input(
            &main,
            &fixture("policy.json"),
            &m,
            &PresentationInput::Challenge(&late),
        )
        .unwrap();
    let BeginOutcome::NotGreen(status) = out else {
        panic!("started when expired");
    };
    assert_eq!(status.reasons[0].code, "expired");
    // Missing material: the holder's error.
    let e = holder()
        .begin_proof_input(&main, &fixture("policy.json"), &material(&[1]), &request)
        .unwrap_err();
    assert_eq!(e.code(), "registry-missing", "{e}");
    // With the platform's randomness.
    let out = holder()
        .begin_proof_input(&main, &fixture("policy.json"), &m, &request)
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

/// Registry bundles (issue [3/7]); host only: the log writer is a host
/// dev-dependency.
#[cfg(not(target_family = "wasm"))]
mod bundle {
    use super::*;
    use zkstatus_holder_wasm::holder::verify_registry_bundle;
    use zkstatus_log::{LogSigningKey, WitnessSigningKey};
    use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};

    /// The set's roots as a registry bundle (a test log, seeded keys) cosigned
    /// at `at`, and its trust configuration.
    fn bundle_at(at: u64) -> (Vec<u8>, String) {
        let mut rng = ChaCha20Rng::seed_from_u64(0x106);
        let (log, _) = LogSigningKey::generate(&mut rng, "test.example/log").unwrap();
        let (witness, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
        let bundle = zkstatus_log::bundle::of_roots(&log, &witness, set().roots.roots(), at)
            .unwrap()
            .to_bytes()
            .unwrap();
        let trust = BundleTrust::to_json(
            log.public().as_str(),
            &[witness.public().as_str().to_string()],
            1,
            DEFAULT_MAX_AGE_SECS,
        );
        (bundle, trust)
    }

    #[test]
    fn the_holder_takes_its_roots_only_from_a_registry_bundle_that_verifies() {
        let t = now();
        let (bundle, trust) = bundle_at(t);
        let r = verify_registry_bundle(&bundle, &trust, &t.to_string()).unwrap();
        assert_eq!(r.roots_json, set().roots.to_json());
        assert_eq!(r.cosigned_at, t.to_string());
        assert_eq!(r.valid_until, (t + DEFAULT_MAX_AGE_SECS).to_string());
        assert_eq!(r.log_size, "2");
        // Aged out: "registry data too old — connect to refresh", its own code.
        let late = (t + DEFAULT_MAX_AGE_SECS + 1).to_string();
        let e = verify_registry_bundle(&bundle, &trust, &late).unwrap_err();
        assert_eq!(e.code(), "registry-too-old");
        assert!(
            e.to_string()
                .starts_with("registry bundle: registry data too old — connect to refresh"),
            "{e}"
        );
        // An edited entry.
        let mut edited = bundle.clone();
        edited[4 + 1 + 8 + 1 + 2 + 20] ^= 1;
        let e = verify_registry_bundle(&edited, &trust, &t.to_string()).unwrap_err();
        assert_eq!(e.code(), "bad-registry-bundle", "{e}");
        let e = verify_registry_bundle(&bundle, "{}", &t.to_string()).unwrap_err();
        assert_eq!(e.code(), "bad-registry-trust", "{e}");
        let e = verify_registry_bundle(&bundle, &trust, "soon").unwrap_err();
        assert_eq!(e.code(), "bad-input", "{e}");
    }

    #[test]
    fn the_issuers_window_in_the_registry_in_force_says_when_it_was_retired() {
        let t = now();
        let s = set();
        let lab = issuer_key_from_json(&fixture("issuer-key.json"))
            .unwrap()
            .public_key();
        let hex = zkstatus_prover::files::public_key_to_hex(&lab);
        let m = material(&[0, 1]);
        // In force now: epoch 0's registry, the full window.
        let w = m.issuer_window(&hex, &t.to_string()).unwrap().unwrap();
        assert_eq!(w.epoch, s.registries[0].epoch().to_string());
        assert_eq!(w.not_after, (t + 30 * 86_400).to_string());
        // From the next root's activation: retired at it.
        let later = (t + 86_400).to_string();
        let w = m.issuer_window(&hex, &later).unwrap().unwrap();
        assert_eq!(w.not_after, (t + 86_400).to_string());
        // Registry not loaded, or an issuer not in it: none.
        assert_eq!(
            material(&[1]).issuer_window(&hex, &t.to_string()).unwrap(),
            None
        );
        let stranger = zkstatus_prover::files::public_key_to_hex(
            &PrivateKey::from_bytes([0x55; 32]).public_key(),
        );
        assert_eq!(m.issuer_window(&stranger, &t.to_string()).unwrap(), None);
        assert!(m.issuer_window("zz", &t.to_string()).is_err());
    }
}
