//! Statement v2 at the gate, with real proofs: the registry with activation
//! times, the time the gate fixes, both modes and their replay state
//! (issue [2/7]; `zkstatus_verifier::v2`).
//!
//! One setup, one registry of three issuers; each test uses its own gate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_circuits::statement::v2::StatementError;
use zkstatus_circuits::statement::{NotGreen, StatusPolicy};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::holder::v2::{self as holder, MaterialError, Presentation};
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::issuer;
use zkstatus_prover::keys::{self, ProvingKeyV2};
use zkstatus_verifier::onescan::{OperatorId, WindowError, WINDOW_SECS};
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
use zkstatus_verifier::v2::{AcceptedMode, Gate, Modes, Verifier};
use zkstatus_verifier::{Rejection, VerifyError};

/// A window start: 2027-01-15T08:00:00Z.
const T0: u64 = 1_800_000_000 / WINDOW_SECS * WINDOW_SECS;
/// When the root with issuer 1 retired activates.
const T1: u64 = T0 + 3600;
const END: u64 = T0 + 365 * 86400;

struct World {
    pk: ProvingKeyV2,
    verifier: Verifier,
    registries: Vec<Registry>,
    roots: AcceptedRoots,
    credential: Credential,
    /// From lab 0 (never retired), expiring at `T0 + 1800`.
    short_lived: Credential,
    secret: HolderSecret,
    policy: StatusPolicy,
}

fn entry(key: &PrivateKey, name: &str) -> Entry {
    Entry {
        leaf: IssuerLeaf {
            key: key.public_key(),
            window: Window::new(T0 - 86400, END).unwrap(),
        },
        name: name.into(),
    }
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let (pk, vk) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(2)).unwrap();
        let labs = [0x11u8, 0x22, 0x33].map(|b| PrivateKey::from_bytes([b; 32]));
        let mut reg = Registry::new();
        for (i, k) in labs.iter().enumerate() {
            reg.add(entry(k, &format!("Lab {i}"))).unwrap();
        }
        let before = reg.clone();
        // Lab 1 retired: its window closes at the new root's activation.
        reg.retire(1, T1).unwrap();
        let published = |r: &Registry, at: u64| PublishedRoot {
            epoch: r.epoch(),
            root: r.root().unwrap(),
            published_at: at - 1800,
            activates_at: at,
            end_date: r.end_date().unwrap(),
        };
        let roots =
            AcceptedRoots::new(vec![published(&before, T0 - 600), published(&reg, T1)]).unwrap();
        let secret = HolderSecret::from_field(Fr::from(0x5ec2e7u64));
        let record = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: T0 - 3600,
            exposure_time: NO_EXPOSURE,
            issued_at: T0 - 3000,
            expires_at: T0 + 7200,
            credential_id: Fr::from(7u64),
        };
        let credential = issuer::issue(&labs[1], &record).unwrap();
        let short_lived = issuer::issue(
            &labs[0],
            &Record {
                expires_at: T0 + 1800,
                ..record.clone()
            },
        )
        .unwrap();
        let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86400).unwrap();
        World {
            verifier: Verifier::new(&vk, roots.clone(), policy),
            pk,
            registries: vec![before, reg],
            roots,
            credential,
            short_lived,
            secret,
            policy,
        }
    })
}

fn gate() -> Gate {
    let w = world();
    Gate::new(
        w.verifier.clone(),
        "https://venue.example",
        OperatorId::from_name("metro.example").unwrap(),
        Modes::BOTH,
        90,
        3,
    )
    .unwrap()
}

fn prove(p: &Presentation, seed: u64) -> Result<PayloadV2, ProveError> {
    prove_for(&world().credential, p, seed)
}

fn prove_for(c: &Credential, p: &Presentation, seed: u64) -> Result<PayloadV2, ProveError> {
    let w = world();
    holder::prove_with_rng(
        &w.pk,
        c,
        &w.secret,
        &w.policy,
        &w.registries,
        &w.roots,
        p,
        &mut ChaCha20Rng::seed_from_u64(seed),
    )
}

fn offer(g: &mut Gate, at: u64, nonce: u8) -> ChallengeOffer {
    g.challenges().issue(at, &[nonce; 32]).unwrap().into()
}

fn one_scan(at: u64) -> Presentation {
    Presentation::OneScan {
        operator: OperatorId::from_name("metro.example").unwrap(),
        window_start: at,
    }
}

#[test]
fn an_interactive_proof_from_a_hidden_issuer_is_accepted_once() {
    let mut g = gate();
    let o = offer(&mut g, T0 + 10, 1);
    let p = prove(&Presentation::Interactive(o), 1).unwrap();
    let bytes = p.to_bytes();
    assert!(bytes.len() <= 200);
    let a = g.verify(&bytes, T0 + 20).unwrap();
    assert_eq!((a.epoch, a.now), (3, T0 + 10));
    assert!(matches!(a.mode, AcceptedMode::Interactive { .. }));
    assert_eq!(
        g.verify(&bytes, T0 + 21),
        Err(VerifyError::Rejected(Rejection::ChallengeUsed))
    );
}

#[test]
fn the_text_form_is_accepted_as_the_binary_form() {
    let mut g = gate();
    let o = offer(&mut g, T0 + 10, 2);
    let p = prove(&Presentation::Interactive(o), 2).unwrap();
    assert!(g.verify_text(&p.to_text(), T0 + 20).is_ok());
}

#[test]
fn the_holder_cannot_choose_the_time() {
    let mut g = gate();
    let o = offer(&mut g, T0 + 10, 3);
    // A proof for the same challenge at another time names no challenge.
    let moved = ChallengeOffer {
        issued_at: T0 + 5,
        ..o
    };
    let p = prove(&Presentation::Interactive(moved), 3).unwrap();
    assert_eq!(
        g.verify(&p.to_bytes(), T0 + 20),
        Err(VerifyError::Rejected(Rejection::NoChallengeAt(T0 + 5)))
    );
    // The payload's time edited to the challenge's: the proof fails.
    let mut edited = p.clone();
    edited.now = T0 + 10;
    assert_eq!(
        g.verify(&edited.to_bytes(), T0 + 20),
        Err(VerifyError::Rejected(Rejection::ProofInvalid))
    );
}

#[test]
fn a_credential_that_expired_299_seconds_ago_is_refused() {
    let w = world();
    let c = &w.short_lived;
    let expired = c.record.expires_at;
    let mut g = gate();
    // A challenge issued 299 s after expiry: the holder cannot prove.
    let o = offer(&mut g, expired + 299, 4);
    assert!(matches!(
        prove_for(c, &Presentation::Interactive(o), 4),
        Err(ProveError::StatementV2(StatementError::NotGreen(
            NotGreen::Expired
        )))
    ));
    // A proof made before expiry, shown 299 s after it: the challenge is
    // past its lifetime (at most 120 s in v2).
    let mut g = gate();
    let o = offer(&mut g, expired - 1, 5);
    let p = prove_for(c, &Presentation::Interactive(o), 5).unwrap();
    assert_eq!(
        g.verify(&p.to_bytes(), expired + 299),
        Err(VerifyError::Rejected(Rejection::ChallengeExpired))
    );
}

#[test]
fn a_one_scan_pass_is_accepted_once_per_window() {
    let mut g = gate();
    let p = prove(&one_scan(T0), 6).unwrap();
    assert_eq!(p.to_bytes().len(), 178);
    let a = g.verify(&p.to_bytes(), T0 + 30).unwrap();
    assert!(matches!(a.mode, AcceptedMode::OneScan { window_start, .. } if window_start == T0));
    // The same pass again, or a fresh proof for the same window: a repeat.
    assert_eq!(
        g.verify(&p.to_bytes(), T0 + 31),
        Err(VerifyError::Rejected(Rejection::NullifierUsed))
    );
    let again = prove(&one_scan(T0), 7).unwrap();
    assert_ne!(again.proof, p.proof);
    assert_eq!(
        g.verify(&again.to_bytes(), T0 + 32),
        Err(VerifyError::Rejected(Rejection::NullifierUsed))
    );
}

#[test]
fn a_one_scan_pass_for_another_window_or_operator_is_refused() {
    let mut g = gate();
    let p = prove(&one_scan(T0), 8).unwrap();
    // Shown two windows later.
    assert!(matches!(
        g.verify(&p.to_bytes(), T0 + 150),
        Err(VerifyError::Rejected(Rejection::Window(
            WindowError::TooOld { .. }
        )))
    ));
    // Its time edited to the current window: another scope, the proof fails.
    let mut moved = p.clone();
    moved.now = T0 + 120;
    assert_eq!(
        g.verify(&moved.to_bytes(), T0 + 150),
        Err(VerifyError::Rejected(Rejection::ProofInvalid))
    );
    // A pass for another operator's scope.
    let other = Presentation::OneScan {
        operator: OperatorId::GLOBAL,
        window_start: T0,
    };
    let p = prove(&other, 9).unwrap();
    assert_eq!(
        g.verify(&p.to_bytes(), T0 + 5),
        Err(VerifyError::Rejected(Rejection::ProofInvalid))
    );
}

#[test]
fn the_boundary_windows_are_accepted() {
    // Shown at :59, scanned at :01 of the next window (grace).
    let mut g = gate();
    let p = prove(&one_scan(T0), 10).unwrap();
    assert!(g.verify(&p.to_bytes(), T0 + WINDOW_SECS + 1).is_ok());
    // The next window's pass, scanned 5 s before it starts (lead).
    let mut g = gate();
    let p = prove(&one_scan(T0 + WINDOW_SECS), 11).unwrap();
    assert!(g.verify(&p.to_bytes(), T0 + WINDOW_SECS - 5).is_ok());
    let mut g = gate();
    assert!(matches!(
        g.verify(&p.to_bytes(), T0 + WINDOW_SECS - 6),
        Err(VerifyError::Rejected(Rejection::Window(
            WindowError::InFuture { .. }
        )))
    ));
}

#[test]
fn after_the_retirement_activates_the_retired_issuers_holder_cannot_prove() {
    let mut g = gate();
    let o = offer(&mut g, T1, 12);
    assert!(matches!(
        prove(&Presentation::Interactive(o), 12),
        Err(ProveError::StatementV2(
            StatementError::IssuerAccreditationEnded
        ))
    ));
    // One second before the activation the old root still holds.
    let mut g = gate();
    let o = offer(&mut g, T1 - 1, 13);
    let p = prove(&Presentation::Interactive(o), 13).unwrap();
    assert_eq!(p.epoch, 3);
    assert!(g.verify(&p.to_bytes(), T1 + 5).is_ok());
}

#[test]
fn a_proof_under_a_root_that_is_not_active_is_refused() {
    let w = world();
    let mut g = gate();
    let o = offer(&mut g, T0 + 100, 14);
    let p = prove(&Presentation::Interactive(o), 14).unwrap();
    // The payload's epoch edited to the next root, not active yet.
    let mut next = p.clone();
    next.epoch = 4;
    assert_eq!(
        g.verify(&next.to_bytes(), T0 + 110),
        Err(VerifyError::Rejected(Rejection::RootNotActive {
            epoch: 4,
            at: T0 + 100,
            active: 3
        }))
    );
    next.epoch = 99;
    assert_eq!(
        g.verify(&next.to_bytes(), T0 + 110),
        Err(VerifyError::Rejected(Rejection::UnknownRoot(99)))
    );
    // A holder without the active registry is told to download it.
    let r = holder::prove_with_rng(
        &w.pk,
        &w.credential,
        &w.secret,
        &w.policy,
        &w.registries[1..],
        &w.roots,
        &Presentation::Interactive(o),
        &mut ChaCha20Rng::seed_from_u64(15),
    );
    assert!(matches!(
        r,
        Err(ProveError::Material(MaterialError::RegistryMissing(3, _)))
    ));
}

#[test]
fn two_interactive_proofs_for_a_reused_challenge_share_only_gate_values() {
    let mut g = gate();
    let o = offer(&mut g, T0 + 200, 16);
    let a = prove(&Presentation::Interactive(o), 16).unwrap();
    let b = prove(&Presentation::Interactive(o), 17).unwrap();
    // Equal: the epoch (the root), the time (the challenge's); the policy
    // and challenge are not in the payload. No nullifier is sent.
    assert_eq!((a.epoch, a.now, a.mode), (b.epoch, b.now, b.mode));
    assert_eq!(a.to_bytes().len(), 146);
    // Every proof element differs.
    assert_ne!(a.proof.a, b.proof.a);
    assert_ne!(a.proof.b, b.proof.b);
    assert_ne!(a.proof.c, b.proof.c);
    // The rest of the bytes: only the proof differs.
    assert_eq!(a.to_bytes()[..18], b.to_bytes()[..18]);
}

#[test]
fn a_gate_refuses_the_mode_it_does_not_take() {
    let w = world();
    let mut g = Gate::new(
        w.verifier.clone(),
        "door",
        OperatorId::GLOBAL,
        Modes {
            interactive: true,
            one_scan: false,
        },
        90,
        3,
    )
    .unwrap();
    let p = prove(
        &Presentation::OneScan {
            operator: OperatorId::GLOBAL,
            window_start: T0,
        },
        18,
    )
    .unwrap();
    assert_eq!(
        g.verify(&p.to_bytes(), T0 + 1),
        Err(VerifyError::Rejected(Rejection::ModeNotAccepted(
            "one-scan"
        )))
    );
}
