//! A statement-v2 test set for the npm packages' tests and the browser tests
//! (`holder-wasm/npm/test`, `verifier-wasm/npm/test`, `web/test`), in the
//! layout of `zkstatus demo`: keys, a registry of three issuers with a
//! retirement, the roots, a credential, a holder secret, a policy; plus a
//! payload of each mode, for a gate whose inputs are in `fixture.json`; and
//! the registry bundle the pages take their roots from (`registry.bundle`,
//! `trust.json`: a log of the two root entries, its checkpoint cosigned by
//! one witness at `NOW`; seeded log and witness keys).
//!
//! `cargo run --release -p zkstatus-holder-wasm --example fixture_v2 -- DIR [NOW]`
//!
//! `NOW` (unix seconds, default: the clock) is the base time: the first root
//! is active from `NOW − 600`, the credential is green from `NOW − 3000`
//! until `NOW + 2 days`, and a second root (the credential's issuer still
//! accredited; another issuer retired) activates at `NOW + 7200`.
//!
//! **Tests only**: the setup is seeded, so whoever knows the seed can forge
//! proofs for these keys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::Path;
use zkstatus_prover::circuits::eddsa::PrivateKey;
use zkstatus_prover::circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_prover::circuits::registry::{IssuerLeaf, Window};
use zkstatus_prover::circuits::statement::StatusPolicy;
use zkstatus_prover::files::{holder_secret_to_json, issuer_key_to_json, policy_to_json};
use zkstatus_prover::holder::v2::{prove_with_rng, Presentation};
use zkstatus_prover::{issuer, keys};
use zkstatus_verifier::challenge::ChallengeBook;
use zkstatus_verifier::onescan::{window_start, OperatorId};
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::keyfile::vk2_to_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};

/// The gate the fixture's interactive payload was made for.
const ORIGIN: &str = "https://venue.example";
/// The operator the fixture's one-scan payload is scoped to.
const OPERATOR: &str = "metro.example";
/// The nonce of the fixture's challenge (a real gate draws 32 fresh bytes).
const NONCE: [u8; 32] = [0x42; 32];
const DAY: u64 = 86_400;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// The roots as a registry bundle: a log of the root entries, a checkpoint
/// signed by the log and cosigned by a witness at `now` (seeded keys).
#[cfg(not(target_family = "wasm"))]
fn write_bundle(dir: &Path, roots: &AcceptedRoots, now: u64) {
    use zkstatus_log::{LogSigningKey, WitnessSigningKey};
    use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};
    let mut krng = ChaCha20Rng::seed_from_u64(0x106);
    let (log_key, _) = LogSigningKey::generate(&mut krng, "fixture.example/log").unwrap();
    let (witness, _) = WitnessSigningKey::generate(&mut krng, "witness.example").unwrap();
    let bundle = zkstatus_log::bundle::of_roots(&log_key, &witness, roots.roots(), now).unwrap();
    write(dir, "registry.bundle", bundle.to_bytes().unwrap());
    write(
        dir,
        "trust.json",
        BundleTrust::to_json(
            log_key.public().as_str(),
            &[witness.public().as_str().to_string()],
            1,
            DEFAULT_MAX_AGE_SECS,
        ),
    );
}

/// Host only (the log writer is a host dev-dependency).
#[cfg(target_family = "wasm")]
fn write_bundle(_dir: &Path, _roots: &AcceptedRoots, _now: u64) {}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 || args.len() > 3 {
        eprintln!("usage: fixture_v2 DIR [NOW]");
        std::process::exit(2);
    }
    let dir = Path::new(&args[1]);
    std::fs::create_dir_all(dir).unwrap();
    let now: u64 = match args.get(2) {
        Some(s) => s.parse().expect("NOW: unix seconds"),
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    };

    let (pk, vk) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(0x2f1c)).unwrap();
    write(dir, "zkstatus.pk", pk.to_file());
    write(dir, "zkstatus.vk", vk2_to_file(&vk, pk.qap_reduction()));

    let labs = [0x11u8, 0x22, 0x33].map(|b| PrivateKey::from_bytes([b; 32]));
    let names = ["North Lab", "Harbour Clinic", "East Lab"];
    let mut reg = Registry::new();
    for (k, name) in labs.iter().zip(names) {
        reg.add(Entry {
            leaf: IssuerLeaf {
                key: k.public_key(),
                window: Window::new(now - DAY, now + 365 * DAY).unwrap(),
            },
            name: name.into(),
        })
        .unwrap();
    }
    let first = reg.clone();
    let next_at = now + 7200;
    // East Lab retired at the next root's activation.
    reg.retire(2, next_at).unwrap();
    let published = |r: &Registry, at: u64| PublishedRoot {
        epoch: r.epoch(),
        root: r.root().unwrap(),
        published_at: at - 1800,
        activates_at: at,
        end_date: r.end_date().unwrap(),
    };
    let roots =
        AcceptedRoots::new(vec![published(&first, now - 600), published(&reg, next_at)]).unwrap();
    for r in [&first, &reg] {
        write(dir, &format!("registry-{}.bin", r.epoch()), r.to_bytes());
    }
    write(dir, "registry.bin", reg.to_bytes());
    write(dir, "roots.json", roots.to_json());
    write_bundle(dir, &roots, now);

    let secret = HolderSecret::generate(&mut ChaCha20Rng::seed_from_u64(0x5ec2));
    let record = Record {
        holder: secret.commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: now - 3600,
        exposure_time: NO_EXPOSURE,
        issued_at: now - 3000,
        expires_at: now + 2 * DAY,
        credential_id: 7u64.into(),
    };
    let credential = issuer::issue(&labs[1], &record).unwrap();
    let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * DAY).unwrap();
    write(dir, "issuer.key", issuer_key_to_json(&labs[1]));
    write(dir, "credential.json", credential.to_json());
    write(dir, "holder.secret", holder_secret_to_json(&secret));
    write(dir, "policy.json", policy_to_json(&policy));

    let offer = ChallengeOffer {
        challenge: ChallengeBook::derive(ORIGIN, now, &NONCE),
        issued_at: now,
    };
    let operator = OperatorId::from_name(OPERATOR).unwrap();
    let window = window_start(now);
    let registries = [first.clone(), reg.clone()];
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for (name, presentation) in [
        ("interactive", Presentation::Interactive(offer)),
        (
            "onescan",
            Presentation::OneScan {
                operator,
                window_start: window,
            },
        ),
    ] {
        let p = prove_with_rng(
            &pk,
            &credential,
            &secret,
            &policy,
            &registries,
            &roots,
            &presentation,
            &mut rng,
        )
        .unwrap();
        write(dir, &format!("{name}.bin"), p.to_bytes());
        write(dir, &format!("{name}.txt"), p.to_text() + "\n");
    }
    let fixture = serde_json::json!({
        "now": now.to_string(),
        "origin": ORIGIN,
        "nonce": hex::encode(NONCE),
        "offer": offer.to_text(),
        "operator": OPERATOR,
        "windowStart": window.to_string(),
        "epochs": [first.epoch().to_string(), reg.epoch().to_string()],
        "nextActivation": next_at.to_string(),
        "endDate": reg.end_date().unwrap().to_string(),
        "vkFingerprint": hex::encode(vk.fingerprint()),
        "pkFingerprint": hex::encode(keys::pk_file_fingerprint(&pk.to_file())),
    });
    write(dir, "fixture.json", format!("{fixture:#}\n"));
    println!("{}", dir.display());
}
