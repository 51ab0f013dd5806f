//! Replay protection at the gate (`zkstatus_verifier::challenge`), with real
//! proofs: docs/security.md, section D, items 66–72.
//!
//! One setup and one issuer for the file; each test proves for the
//! challenges its own book issued, so the tests are independent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::{Bn254, Fr};
use ark_groth16::Groth16;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::keys::{self, ProvingKey};
use zkstatus_prover::{holder, issuer};
use zkstatus_verifier::challenge::{ChallengeBook, ChallengeBookError, IssuedChallenge};
use zkstatus_verifier::groth16::Proof;
use zkstatus_verifier::payload::Payload;
use zkstatus_verifier::{Rejection, StatusVerifier, VerifyError};

/// 2025-11-22T08:26:40Z.
const T0: u64 = 1_763_800_000;
const TTL: u64 = 90;

struct World {
    pk: ProvingKey,
    verifier: StatusVerifier,
    credential: Credential,
    secret: HolderSecret,
    policy: StatusPolicy,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let (pk, vk) = keys::setup_with_rng(&mut ChaCha20Rng::seed_from_u64(66)).unwrap();
        let issuer_key = PrivateKey::from_bytes([0x66; 32]);
        let secret = HolderSecret::from_field(Fr::from(0x6a7e_u64));
        let record = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: T0 - 3600,
            exposure_time: NO_EXPOSURE,
            issued_at: T0 - 3000,
            expires_at: T0 + 86400,
            credential_id: Fr::from(72u64),
        };
        let credential = issuer::issue(&issuer_key, &record).unwrap();
        let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86400).unwrap();
        let verifier = StatusVerifier::new(&vk, vec![issuer_key.public_key()], policy).unwrap();
        World {
            pk,
            verifier,
            credential,
            secret,
            policy,
        }
    })
}

fn prove(challenge: &Challenge, now: u64) -> Vec<u8> {
    let w = world();
    let payload = holder::prove_with_rng(
        &w.pk,
        &w.credential,
        &w.secret,
        &w.policy,
        now,
        challenge,
        &mut ChaCha20Rng::seed_from_u64(now ^ 0x5eed),
    )
    .unwrap();
    payload.to_bytes().to_vec()
}

fn book(origin: &str) -> ChallengeBook {
    ChallengeBook::new(origin, TTL, 3).unwrap()
}

fn issue(book: &mut ChallengeBook, now: u64, seed: u8) -> IssuedChallenge {
    book.issue(now, &[seed; 32]).unwrap()
}

fn rejection(r: Result<impl core::fmt::Debug, VerifyError>) -> Rejection {
    match r {
        Err(VerifyError::Rejected(r)) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn accepts_a_proof_for_a_live_challenge_and_consumes_it() {
    let mut b = book("https://venue.example/gate-1");
    let c = issue(&mut b, T0, 1);
    let payload = prove(&c.challenge, T0 + 5);
    let (accepted, used) = b.verify(&world().verifier, &payload, T0 + 10).unwrap();
    assert_eq!(used, c);
    assert_eq!(accepted.now, T0 + 5);
    assert!(b.live(T0 + 10).is_empty(), "the challenge is consumed");
}

/// Checklist 66.
#[test]
fn rejects_the_same_proof_and_challenge_submitted_twice() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 2);
    let _other = issue(&mut b, T0 + 1, 3);
    let payload = prove(&c.challenge, T0 + 2);
    assert!(b.verify(&world().verifier, &payload, T0 + 3).is_ok());
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0 + 4)),
        Rejection::ChallengeUsed
    );
    // Also when no challenge is live any more.
    let mut b = book("gate");
    let c = issue(&mut b, T0, 4);
    let payload = prove(&c.challenge, T0);
    assert!(b.verify(&world().verifier, &payload, T0).is_ok());
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0)),
        Rejection::ChallengeUsed
    );
}

/// Checklist 67: replay is keyed on the challenge, not on the proof bytes.
#[test]
fn rejects_a_rerandomized_copy_of_a_used_proof() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 5);
    let payload = prove(&c.challenge, T0);
    assert!(b.verify(&world().verifier, &payload, T0).is_ok());

    let decoded = Payload::from_bytes(&payload).unwrap();
    let ark_vk = world().pk.as_ark().vk.clone();
    let ark_proof = ark_groth16::Proof::<Bn254> {
        a: decoded.proof.a,
        b: decoded.proof.b,
        c: decoded.proof.c,
    };
    let fresh = Groth16::<Bn254>::rerandomize_proof(
        &ark_vk,
        &ark_proof,
        &mut ChaCha20Rng::seed_from_u64(67),
    );
    let copy = Payload {
        proof: Proof {
            a: fresh.a,
            b: fresh.b,
            c: fresh.c,
        },
        ..decoded
    }
    .to_bytes();
    assert_ne!(copy.as_slice(), payload.as_slice(), "new bytes");
    // The copy is a valid proof for the used challenge…
    assert!(world().verifier.verify(&copy, T0, &c.challenge).is_ok());
    // …and the gate refuses it.
    assert_eq!(
        rejection(b.verify(&world().verifier, &copy, T0)),
        Rejection::ChallengeUsed
    );
}

/// Checklist 68.
#[test]
fn rejects_a_challenge_never_issued_by_this_verifier() {
    let foreign = Challenge::from_field(Fr::from(68u64));
    let payload = prove(&foreign, T0);
    assert!(world().verifier.verify(&payload, T0, &foreign).is_ok());

    let mut b = book("gate");
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0)),
        Rejection::NoLiveChallenge
    );
    let _ = issue(&mut b, T0, 6);
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0)),
        Rejection::ProofInvalid
    );
}

/// Checklist 69.
#[test]
fn rejects_a_challenge_older_than_its_ttl() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 7);
    let payload = prove(&c.challenge, T0 + TTL);
    // The proof is valid at that time…
    assert!(world()
        .verifier
        .verify(&payload, T0 + TTL, &c.challenge)
        .is_ok());
    // …but the challenge expired at T0 + TTL.
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0 + TTL)),
        Rejection::ChallengeExpired
    );
    // One second earlier it is still live.
    let mut b = book("gate");
    let c = issue(&mut b, T0, 8);
    let payload = prove(&c.challenge, T0 + TTL - 1);
    assert!(b.verify(&world().verifier, &payload, T0 + TTL - 1).is_ok());
}

/// Checklist 70.
#[test]
fn rejects_a_challenge_issued_by_another_verifier() {
    let mut a = book("https://venue-a.example");
    let mut b = book("https://venue-b.example");
    // Same time and the same "random" bytes: still different challenges.
    let ca = issue(&mut a, T0, 9);
    let cb = issue(&mut b, T0, 9);
    assert_ne!(ca.challenge, cb.challenge);
    let payload = prove(&ca.challenge, T0);
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0)),
        Rejection::ProofInvalid
    );
    // A failed attempt consumes nothing: A still accepts it, B's stays live.
    assert!(a.verify(&world().verifier, &payload, T0).is_ok());
    assert_eq!(b.live(T0), &[cb]);
}

/// Checklist 71: the payload's `now` is a public input, so a holder who
/// edits it breaks the proof; the policy is the verifier's own.
#[test]
fn rejects_a_payload_whose_time_was_edited_and_keeps_the_challenge_live() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 10);
    let payload = prove(&c.challenge, T0 + 20);
    let mut edited = Payload::from_bytes(&payload).unwrap();
    edited.now = T0 + 21;
    assert_eq!(
        rejection(b.verify(&world().verifier, &edited.to_bytes(), T0 + 20)),
        Rejection::ProofInvalid
    );
    assert!(b.verify(&world().verifier, &payload, T0 + 20).is_ok());
}

/// Checklist 72: a clock jump forward expires challenges for good; a jump
/// back retires the live ones instead of making them younger.
#[test]
fn clock_jumps_never_revive_an_expired_challenge() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 11);
    let payload = prove(&c.challenge, T0);
    // Forward past the TTL, then back.
    assert!(b.live(T0 + 10 * TTL).is_empty());
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0)),
        Rejection::ChallengeExpired
    );

    let mut b = book("gate");
    let c = issue(&mut b, T0 + 50, 12);
    let payload = prove(&c.challenge, T0 + 40);
    // Backwards by 10 s: the live challenge cannot be aged any more.
    assert_eq!(
        rejection(b.verify(&world().verifier, &payload, T0 + 40)),
        Rejection::ChallengeExpired
    );
    // The book still issues and accepts fresh challenges afterwards.
    let fresh = issue(&mut b, T0 + 41, 13);
    let payload = prove(&fresh.challenge, T0 + 41);
    assert!(b.verify(&world().verifier, &payload, T0 + 42).is_ok());
}

/// Finding F-1: issuing the same nonce twice at the same time would make two
/// equal live challenges, so one payload would be accepted twice. The second
/// issue is refused, also once the first challenge is consumed or retired,
/// and the payload is accepted at most once.
#[test]
fn f1_a_repeated_nonce_is_refused_and_a_payload_is_accepted_at_most_once() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 21);
    assert_eq!(
        b.issue(T0, &[21; 32]).unwrap_err(),
        ChallengeBookError::RepeatedNonce(T0)
    );
    assert_eq!(b.live(T0), &[c], "no second, equal challenge is live");
    let payload = prove(&c.challenge, T0 + 1);
    assert!(b.verify(&world().verifier, &payload, T0 + 2).is_ok());
    // After the challenge is consumed, and after it left the retired list.
    assert_eq!(
        b.issue(T0, &[21; 32]).unwrap_err(),
        ChallengeBookError::RepeatedNonce(T0)
    );
    for seed in 30..50 {
        issue(&mut b, T0 + 2, seed);
    }
    assert_eq!(
        b.issue(T0, &[21; 32]).unwrap_err(),
        ChallengeBookError::RepeatedNonce(T0)
    );
    assert!(b.verify(&world().verifier, &payload, T0 + 3).is_err());
    // The same nonce at another time is another challenge.
    assert!(b.issue(T0 + 3, &[21; 32]).is_ok());
}

#[test]
fn superseded_challenges_expire_and_the_previous_ones_stay_live() {
    let mut b = ChallengeBook::new("gate", TTL, 2).unwrap();
    let first = issue(&mut b, T0, 14);
    let second = issue(&mut b, T0 + 1, 15);
    let third = issue(&mut b, T0 + 2, 16);
    assert_eq!(b.live(T0 + 2), &[second, third]);
    let late = prove(&first.challenge, T0 + 3);
    assert_eq!(
        rejection(b.verify(&world().verifier, &late, T0 + 3)),
        Rejection::ChallengeExpired
    );
    // A holder who scanned the previous challenge still gets through.
    let previous = prove(&second.challenge, T0 + 3);
    let (_, used) = b.verify(&world().verifier, &previous, T0 + 3).unwrap();
    assert_eq!(used, second);
    assert_eq!(b.current(T0 + 3), Some(third));
}

#[test]
fn checks_before_the_pairing_come_first() {
    let mut b = book("gate");
    let c = issue(&mut b, T0, 17);
    let payload = prove(&c.challenge, T0);
    assert!(matches!(
        rejection(b.verify(&world().verifier, &payload, T0 + 301)),
        Rejection::ClockSkew { delta: 301, .. }
    ));
    assert!(matches!(
        b.verify(&world().verifier, &payload[1..], T0),
        Err(VerifyError::Malformed(_))
    ));
    let text = Payload::from_bytes(&payload).unwrap().to_text();
    assert!(b.verify_text(&world().verifier, &text, T0).is_ok());
}

#[test]
fn refuses_bad_book_settings() {
    assert_eq!(
        ChallengeBook::new("", TTL, 3).unwrap_err(),
        ChallengeBookError::EmptyOrigin
    );
    assert_eq!(
        ChallengeBook::new(&"x".repeat(257), TTL, 3).unwrap_err(),
        ChallengeBookError::OriginTooLong(257)
    );
    assert_eq!(
        ChallengeBook::new("gate", 0, 3).unwrap_err(),
        ChallengeBookError::Ttl(0)
    );
    assert_eq!(
        ChallengeBook::new("gate", 3601, 3).unwrap_err(),
        ChallengeBookError::Ttl(3601)
    );
    assert_eq!(
        ChallengeBook::new("gate", TTL, 0).unwrap_err(),
        ChallengeBookError::MaxLive(0)
    );
    assert_eq!(
        ChallengeBook::new("gate", TTL, 17).unwrap_err(),
        ChallengeBookError::MaxLive(17)
    );
    let mut b = book("gate");
    assert_eq!(
        b.issue(T0 * 1000, &[0; 32]).unwrap_err(),
        ChallengeBookError::ImplausibleTime(T0 * 1000)
    );
}

#[test]
fn derived_challenges_are_canonical_and_bind_origin_time_and_nonce() {
    let base = ChallengeBook::derive("gate", T0, &[1; 32]);
    for other in [
        ChallengeBook::derive("gatf", T0, &[1; 32]),
        ChallengeBook::derive("gate", T0 + 1, &[1; 32]),
        ChallengeBook::derive("gate", T0, &[2; 32]),
        // The origin is length-prefixed: no ambiguity with the time bytes.
        ChallengeBook::derive("gat", T0, &[1; 32]),
    ] {
        assert_ne!(base, other);
    }
    for seed in 0..=255u8 {
        let c = ChallengeBook::derive("gate", T0, &[seed; 32]);
        let hex = zkstatus_prover::files::fr_to_hex(&c.to_field());
        assert!(zkstatus_prover::files::challenge_from_hex(&hex).is_ok());
        assert!(hex.as_bytes()[0] <= b'1', "below 2^253: {hex}");
    }
}

/// docs/security.md, item 86: two payloads of one credential, for one
/// challenge and one `now`, made by the release prover (`holder::prove`,
/// randomness from the operating system), decoded and compared field by
/// field: the proof's `A`, `B` and `C` each differ, and no 32-byte window
/// of one proof occurs in the other; only the public parts (`now`, and in
/// statement v1 the issuer key) are equal. Both verify.
#[test]
fn two_payloads_of_one_credential_share_no_holder_specific_value() {
    let w = world();
    let challenge = Challenge::from_field(Fr::from(0x86_u64));
    let now = T0 + 5;
    let make = || {
        holder::prove(&w.pk, &w.credential, &w.secret, &w.policy, now, &challenge)
            .unwrap()
            .to_bytes()
    };
    let (one, two) = (make(), make());
    let (p, q) = (
        Payload::from_bytes(&one).unwrap(),
        Payload::from_bytes(&two).unwrap(),
    );
    assert_ne!(p.proof.a, q.proof.a, "A is shared");
    assert_ne!(p.proof.b, q.proof.b, "B is shared");
    assert_ne!(p.proof.c, q.proof.c, "C is shared");
    // The only equal fields are the public ones.
    assert_eq!(p.now, q.now);
    assert_eq!(p.issuer.pack(), q.issuer.pack());
    assert_eq!(p.issuer.pack(), w.credential.issuer.pack());
    // Byte-level: no 32-byte window of one proof's encoding appears anywhere
    // in the other's (a shared coordinate, limb or hash would).
    let (pa, pb) = (p.proof.to_bytes(), q.proof.to_bytes());
    for window in pa.windows(32) {
        assert!(
            !pb.windows(32).any(|x| x == window),
            "the two proofs share a 32-byte value"
        );
    }
    // The rest of the payload is exactly the public parts.
    let proof_len = pa.len();
    assert_eq!(one[..1], two[..1], "version");
    assert_eq!(one[1 + proof_len..], two[1 + proof_len..], "now and issuer");
    for bytes in [&one, &two] {
        w.verifier
            .verify(bytes, now, &challenge)
            .expect("each payload verifies");
    }
}
