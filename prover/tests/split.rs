//! Split proving (`zkstatus_prover::split`): a proof made by a main worker
//! and a helper is the proof `holder::prove_with_rng` makes with the same
//! rng, byte for byte (the frozen fixture's payload, for every share); a
//! helper part that is not this proof's is refused or fails the self-check,
//! never a wrong payload; every decoding error path; keys loaded by pin.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod world_v2;

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_serialize::CanonicalSerialize;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::path::PathBuf;
use std::sync::OnceLock;
use world_v2::PROOF_SEED as PROVE_SEED;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::Challenge;
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files;
use zkstatus_prover::holder::v2::{self as holder, Presentation};
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::keys::{self, pk_file_fingerprint, KeyError, MAX_QUERY_POINTS};
use zkstatus_prover::split::{
    helper_part_bytes, DecodeError, HelperKey, HelperPart, HelperTask, MainKey, Msm, ProofJob,
    Share, SplitError, PART_MAGIC, PART_VERSION, TASK_MAGIC, TASK_VERSION,
};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::PayloadV2 as Payload;

struct World {
    w: world_v2::World,
    file: Vec<u8>,
    pin: [u8; 32],
    /// The frozen interactive payload (tests/fixtures/v2/payload.bin).
    payload: Vec<u8>,
}

impl core::ops::Deref for World {
    type Target = world_v2::World;
    fn deref(&self) -> &world_v2::World {
        &self.w
    }
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let w = world_v2::World::build();
        let file = w.pk.to_file();
        let pin = pk_file_fingerprint(&file);
        let payload = std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2/payload.bin"),
        )
        .unwrap();
        World {
            w,
            file,
            pin,
            payload,
        }
    })
}

/// A share with a fixed layout (`B` in G2, then `L`), for tests that edit
/// a part's bytes.
fn b_g2_and_l() -> Share {
    Share::of(&[Msm::BG2, Msm::L]).unwrap()
}

fn main_key(share: Share) -> MainKey {
    let w = world();
    MainKey::from_pinned_file(&w.file, &w.pin, share).unwrap()
}

fn helper_key(share: Share) -> HelperKey {
    let w = world();
    HelperKey::from_pinned_file(&w.file, &w.pin, share).unwrap()
}

fn begin_for(
    key: &MainKey,
    credential: &Credential,
    secret: &HolderSecret,
    p: &Presentation,
    seed: u64,
) -> Result<(ProofJob, HelperTask), SplitError> {
    let w = world();
    ProofJob::begin(
        key,
        credential,
        secret,
        &w.policy,
        &w.registries,
        &w.roots,
        p,
        &mut ChaCha20Rng::seed_from_u64(seed),
    )
}

fn begin_with(key: &MainKey, challenge: &Challenge, seed: u64) -> (ProofJob, HelperTask) {
    let w = world();
    let p = Presentation::Interactive(ChallengeOffer {
        challenge: *challenge,
        ..w.offer
    });
    begin_for(key, &w.credential, &w.secret, &p, seed).unwrap()
}

fn begin(key: &MainKey) -> (ProofJob, HelperTask) {
    begin_with(key, &world().offer.challenge, PROVE_SEED)
}

/// The whole split protocol through the byte encodings, as two workers run it.
fn split_prove_for(
    main: &MainKey,
    helper: &HelperKey,
    p: &Presentation,
    seed: u64,
) -> Result<Payload, SplitError> {
    let w = world();
    let (mut job, task) = begin_for(main, &w.credential, &w.secret, p, seed)?;
    let part = helper_part_bytes(helper, &task.to_bytes())?;
    job.run_main(main)?;
    job.finish(main, &HelperPart::from_bytes(&part)?)
}

fn split_prove(main: &MainKey, helper: &HelperKey, seed: u64) -> Result<Payload, SplitError> {
    split_prove_for(main, helper, &world().interactive(), seed)
}

fn holder_prove_for(
    credential: &Credential,
    secret: &HolderSecret,
    p: &Presentation,
    seed: u64,
) -> Result<Payload, ProveError> {
    let w = world();
    holder::prove_with_rng(
        &w.pk,
        credential,
        secret,
        &w.policy,
        &w.registries,
        &w.roots,
        p,
        &mut ChaCha20Rng::seed_from_u64(seed),
    )
}

fn holder_prove(seed: u64) -> Payload {
    let w = world();
    holder_prove_for(&w.credential, &w.secret, &w.interactive(), seed).unwrap()
}

#[test]
fn split_proof_with_the_fixture_seed_is_the_frozen_payload_byte_for_byte() {
    let share = Share::DEFAULT;
    let p = split_prove(&main_key(share), &helper_key(share), PROVE_SEED).unwrap();
    assert_eq!(p.to_bytes().to_vec(), world().payload);
    assert_eq!(p, holder_prove(PROVE_SEED));
}

#[test]
fn a_split_one_scan_pass_is_the_holders_byte_for_byte() {
    let w = world();
    let share = Share::DEFAULT;
    let p = split_prove_for(&main_key(share), &helper_key(share), &w.one_scan(), 31).unwrap();
    let native = holder_prove_for(&w.credential, &w.secret, &w.one_scan(), 31).unwrap();
    assert_eq!(p, native);
}

#[test]
fn split_proof_is_byte_identical_to_holder_prove_for_every_share() {
    let w = world();
    for bits in 1..=15u8 {
        let share = Share::from_bits(bits).unwrap();
        // In-memory keys for half the shares, pinned files for the others.
        let (main, helper) = if bits % 2 == 0 {
            (main_key(share), helper_key(share))
        } else {
            (
                MainKey::from_proving_key(&w.pk, share).unwrap(),
                HelperKey::from_proving_key(&w.pk, share).unwrap(),
            )
        };
        let seed = 1000 + u64::from(bits);
        let p = split_prove(&main, &helper, seed).unwrap();
        assert_eq!(p.to_bytes(), holder_prove(seed).to_bytes(), "share {share}");
    }
}

#[test]
fn the_main_key_caches_the_matrices_on_its_first_proof_and_later_proofs_match_holder_prove() {
    let w = world();
    let share = Share::DEFAULT;
    let (main, helper) = (main_key(share), helper_key(share));
    assert!(main.matrix_cache().get().is_none());
    // The first job synthesises the constraints; the matrices are built in
    // `run_main` (alongside the helper), not in `begin`.
    let (mut job, task) = begin_for(&main, &w.credential, &w.secret, &w.interactive(), 41).unwrap();
    assert!(main.matrix_cache().get().is_none());
    let part = helper.compute(&task).unwrap();
    job.run_main(&main).unwrap();
    assert!(main.matrix_cache().get().is_some());
    let first = job.finish(&main, &part).unwrap();
    assert_eq!(
        first,
        holder_prove_for(&w.credential, &w.secret, &w.interactive(), 41).unwrap()
    );
    // Later proofs with the same key: witness-only synthesis, the cached
    // matrices; the same payloads as holder::prove, for both modes.
    for (seed, p) in [(42, w.interactive()), (43, w.one_scan())] {
        let split = split_prove_for(&main, &helper, &p, seed).unwrap();
        let native = holder_prove_for(&w.credential, &w.secret, &p, seed).unwrap();
        assert_eq!(split.to_bytes(), native.to_bytes(), "seed {seed}");
    }
    // A clone of the key (what a worker might hold) keeps the matrices.
    assert!(main.clone().matrix_cache().get().is_some());
}

#[test]
fn finish_runs_the_main_part_if_it_has_not_run() {
    let share = Share::DEFAULT;
    let (main, helper) = (main_key(share), helper_key(share));
    let (mut job, task) = begin(&main);
    let part = helper.compute(&task).unwrap();
    let p = job.finish(&main, &part).unwrap();
    assert_eq!(p.to_bytes().to_vec(), world().payload);
    // Spent: no second proof from the same r and s.
    assert_eq!(job.finish(&main, &part), Err(SplitError::Spent));
    assert_eq!(job.run_main(&main), Err(SplitError::Spent));
}

#[test]
fn not_green_gives_the_same_statement_error_as_holder_prove() {
    let w = world();
    let main = main_key(Share::DEFAULT);
    // Expired (rules 3-6), the issuer retired (rule 9), no registry root
    // active yet (material).
    for at in [
        w.offer.issued_at + 10_000_000,
        world_v2::RETIREMENT,
        w.roots.roots()[0].activates_at - 1,
    ] {
        let p = Presentation::Interactive(ChallengeOffer {
            issued_at: at,
            ..w.offer
        });
        let split = begin_for(&main, &w.credential, &w.secret, &p, 1)
            .map(|_| ())
            .unwrap_err();
        let native = holder_prove_for(&w.credential, &w.secret, &p, 1).unwrap_err();
        assert!(
            matches!(native, ProveError::StatementV2(_) | ProveError::Material(_)),
            "{native:?}"
        );
        assert_eq!(split, SplitError::Prove(native));
    }
    // Another holder's secret.
    let other = HolderSecret::from_field(Fr::from(42u64));
    let split = begin_for(&main, &w.credential, &other, &w.interactive(), 1)
        .map(|_| ())
        .unwrap_err();
    let native = holder_prove_for(&w.credential, &other, &w.interactive(), 1).unwrap_err();
    assert_eq!(split, SplitError::Prove(native));
}

#[test]
fn a_part_for_another_task_is_refused_and_the_job_survives() {
    let share = Share::DEFAULT;
    let (main, helper) = (main_key(share), helper_key(share));
    let (mut job, task) = begin(&main);
    let other_challenge = Challenge::from_field(Fr::from(77u64));
    let (_, other_task) = begin_with(&main, &other_challenge, 99);
    let stray = helper.compute(&other_task).unwrap();
    job.run_main(&main).unwrap();
    assert_eq!(job.finish(&main, &stray), Err(SplitError::WrongTask));
    // The right part still finishes the proof.
    let p = job.finish(&main, &helper.compute(&task).unwrap()).unwrap();
    assert_eq!(p.to_bytes().to_vec(), world().payload);
}

#[test]
fn a_part_for_another_share_is_refused() {
    let main = main_key(Share::DEFAULT);
    let (mut job, task) = begin(&main);
    let other = Share::of(&[Msm::BG2]).unwrap();
    // A helper for another share refuses the task...
    assert_eq!(
        helper_key(other).compute(&task),
        Err(SplitError::ShareMismatch {
            expected: other,
            got: Share::DEFAULT
        })
    );
    // ...and a part of another share is refused by the job.
    let (_, other_task) = begin(&main_key(other));
    let part = helper_key(other).compute(&other_task).unwrap();
    assert_eq!(
        job.finish(&main, &part),
        Err(SplitError::ShareMismatch {
            expected: Share::DEFAULT,
            got: other
        })
    );
}

#[test]
fn a_part_with_wrong_points_fails_the_self_check_never_a_payload() {
    // Offsets below: b_g2 at 38..102, l at 102..134.
    let share = b_g2_and_l();
    let (main, helper) = (main_key(share), helper_key(share));
    let (_, task) = begin(&main);
    let good = helper.compute(&task).unwrap().to_bytes();
    // Replace each point in turn by the generator (valid, but wrong).
    let g2 = encode(&G2Affine::generator());
    let g1 = encode(&G1Affine::generator());
    let b_g2_at = 38;
    let l_at = b_g2_at + 64;
    for (at, point) in [(b_g2_at, &g2), (l_at, &g1)] {
        let mut bytes = good.clone();
        bytes[at..at + point.len()].copy_from_slice(point);
        let part = HelperPart::from_bytes(&bytes).unwrap();
        let (mut job, _) = begin(&main);
        assert_eq!(
            job.finish(&main, &part),
            Err(SplitError::Prove(ProveError::SelfCheck))
        );
        assert_eq!(job.finish(&main, &part), Err(SplitError::Spent));
    }
}

#[test]
fn corrupted_part_bytes_are_refused_or_fail_the_self_check() {
    // Offsets below: b_g2 at 38..102, l at 102..134.
    let share = b_g2_and_l();
    let (main, helper) = (main_key(share), helper_key(share));
    let (_, task) = begin(&main);
    let good = helper.compute(&task).unwrap().to_bytes();
    let mut decoded = Vec::new();
    for i in 0..good.len() {
        for bit in [0x01u8, 0x80] {
            let mut bytes = good.clone();
            bytes[i] ^= bit;
            match HelperPart::from_bytes(&bytes) {
                Ok(p) => decoded.push((i, p)),
                Err(SplitError::Part(_)) => {}
                Err(e) => panic!("byte {i}: {e:?}"),
            }
        }
    }
    // A flipped bit in the header or a point's top byte is a decode error;
    // in the task digest it is WrongTask; a point that still decodes is
    // another valid point, which the self-check catches.
    let mut self_checked = 0;
    let (mut job, _) = begin(&main);
    for (i, part) in &decoded {
        if (6..38).contains(i) {
            assert_eq!(
                job.finish(&main, part),
                Err(SplitError::WrongTask),
                "byte {i}"
            );
        }
    }
    // Each self-check failure spends a job: try a few, in each point.
    for (i, part) in decoded.iter().filter(|(i, _)| *i >= 38) {
        if self_checked == 4 || (self_checked == 2 && *i < 102) {
            continue;
        }
        let (mut job, _) = begin(&main);
        let got = job.finish(&main, part);
        assert_eq!(
            got,
            Err(SplitError::Prove(ProveError::SelfCheck)),
            "byte {i}"
        );
        self_checked += 1;
    }
    assert_eq!(self_checked, 4);
}

fn encode<P: CanonicalSerialize>(p: &P) -> Vec<u8> {
    let mut out = Vec::new();
    p.serialize_compressed(&mut out).unwrap();
    out
}

fn task_err(bytes: &[u8]) -> DecodeError {
    match HelperTask::from_bytes(bytes) {
        Err(SplitError::Task(e)) => e,
        other => panic!("expected a task decode error, got {other:?}"),
    }
}

fn part_err(bytes: &[u8]) -> DecodeError {
    match HelperPart::from_bytes(bytes) {
        Err(SplitError::Part(e)) => e,
        other => panic!("expected a part decode error, got {other:?}"),
    }
}

#[test]
fn task_decoding_rejects_every_malformed_encoding() {
    let main = main_key(Share::DEFAULT);
    let (_, task) = begin(&main);
    let good = task.to_bytes();
    assert_eq!(HelperTask::from_bytes(&good).unwrap(), task);
    let n = (good.len() - 42) / 32;
    assert_eq!(good[..4], TASK_MAGIC);

    for len in [0, 1, 41] {
        assert_eq!(
            task_err(&good[..len]),
            DecodeError::Length {
                expected: 42,
                got: len
            }
        );
    }
    let mut b = good.clone();
    b[0] = b'X';
    assert_eq!(task_err(&b), DecodeError::Magic);
    let mut b = good.clone();
    b[4] = TASK_VERSION + 1;
    assert_eq!(
        task_err(&b),
        DecodeError::Version(TASK_VERSION + 1, TASK_VERSION)
    );
    for bits in [0u8, 0x10, 0xff] {
        let mut b = good.clone();
        b[5] = bits;
        assert_eq!(task_err(&b), DecodeError::Share(bits));
    }
    // A count above the cap is refused before the length is used.
    let mut b = good.clone();
    b[38..42].copy_from_slice(&(MAX_QUERY_POINTS + 1).to_le_bytes());
    assert_eq!(
        task_err(&b),
        DecodeError::TooManyScalars(MAX_QUERY_POINTS + 1)
    );
    let mut b = good.clone();
    b[38..42].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(task_err(&b), DecodeError::TooManyScalars(u32::MAX));
    // Exact length: one byte short, one trailing byte, one scalar short.
    let expected = good.len();
    assert_eq!(
        task_err(&good[..expected - 1]),
        DecodeError::Length {
            expected,
            got: expected - 1
        }
    );
    let mut b = good.clone();
    b.push(0);
    assert_eq!(
        task_err(&b),
        DecodeError::Length {
            expected,
            got: expected + 1
        }
    );
    // Non-canonical scalars: r, r + 5, 2^256 - 1, at the first and last index.
    let r = Fr::MODULUS;
    let mut r5 = r;
    r5.add_with_carry(&<Fr as PrimeField>::BigInt::from(5u64));
    for (at, value) in [
        (0, r.to_bytes_le()),
        (n - 1, r5.to_bytes_le()),
        (7, vec![0xff; 32]),
    ] {
        let mut b = good.clone();
        b[42 + 32 * at..42 + 32 * (at + 1)].copy_from_slice(&value);
        assert_eq!(task_err(&b), DecodeError::NonCanonicalScalar(at));
    }
    // r - 1 is canonical.
    let mut r1 = r;
    r1.sub_with_borrow(&<Fr as PrimeField>::BigInt::from(1u64));
    let mut b = good.clone();
    b[42..74].copy_from_slice(&r1.to_bytes_le());
    assert!(HelperTask::from_bytes(&b).is_ok());
}

#[test]
fn a_well_formed_task_that_does_not_fit_the_helper_key_is_refused() {
    let share = Share::DEFAULT;
    let (main, helper) = (main_key(share), helper_key(share));
    let (_, task) = begin(&main);
    let good = task.to_bytes();
    // One scalar fewer, count adjusted: decodes, but not this key's size.
    let mut b = good[..good.len() - 32].to_vec();
    let n = u32::from_le_bytes(b[38..42].try_into().unwrap());
    b[38..42].copy_from_slice(&(n - 1).to_le_bytes());
    let short = HelperTask::from_bytes(&b).unwrap();
    assert_eq!(
        helper.compute(&short),
        Err(SplitError::AssignmentLength {
            expected: n as usize,
            got: n as usize - 1
        })
    );
    // Made with another key file.
    let mut b = good.clone();
    b[6] ^= 1;
    let foreign = HelperTask::from_bytes(&b).unwrap();
    assert!(matches!(
        helper.compute(&foreign),
        Err(SplitError::KeyMismatch { .. })
    ));
    assert!(matches!(
        helper_part_bytes(&helper, &b),
        Err(SplitError::KeyMismatch { .. })
    ));
}

#[test]
fn part_decoding_rejects_every_malformed_encoding() {
    // Offsets below: b_g2 at 38..102, l at 102..134.
    let share = b_g2_and_l();
    let (main, helper) = (main_key(share), helper_key(share));
    let (_, task) = begin(&main);
    let part = helper.compute(&task).unwrap();
    let good = part.to_bytes();
    assert_eq!(HelperPart::from_bytes(&good).unwrap(), part);
    assert_eq!(good[..4], PART_MAGIC);
    let expected = 38 + 64 + 32;
    assert_eq!(good.len(), expected);

    for len in [0, 1, 37] {
        assert_eq!(
            part_err(&good[..len]),
            DecodeError::Length {
                expected: 38,
                got: len
            }
        );
    }
    let mut b = good.clone();
    b[3] = b'X';
    assert_eq!(part_err(&b), DecodeError::Magic);
    let mut b = good.clone();
    b[4] = PART_VERSION + 1;
    assert_eq!(
        part_err(&b),
        DecodeError::Version(PART_VERSION + 1, PART_VERSION)
    );
    for bits in [0u8, 0x10, 0xff] {
        let mut b = good.clone();
        b[5] = bits;
        assert_eq!(part_err(&b), DecodeError::Share(bits));
    }
    // The length is the share's: a valid share byte with the wrong points.
    let mut b = good.clone();
    b[5] = Share::of(&[Msm::BG2]).unwrap().bits();
    assert_eq!(
        part_err(&b),
        DecodeError::Length {
            expected: 38 + 64,
            got: expected
        }
    );
    assert_eq!(
        part_err(&good[..expected - 1]),
        DecodeError::Length {
            expected,
            got: expected - 1
        }
    );
    let mut b = good.clone();
    b.push(0);
    assert_eq!(
        part_err(&b),
        DecodeError::Length {
            expected,
            got: expected + 1
        }
    );
    // x ≥ p, in each point (flags cleared: the top two bits are flags).
    let fq_max = |len: usize| {
        let mut v = vec![0xff; len];
        v[len - 1] = 0x3f;
        v
    };
    let mut b = good.clone();
    b[38..102].copy_from_slice(&fq_max(64));
    assert_eq!(part_err(&b), DecodeError::InvalidPoint("b_g2"));
    let mut b = good.clone();
    b[102..134].copy_from_slice(&fq_max(32));
    assert_eq!(part_err(&b), DecodeError::InvalidPoint("l"));
    // An x with no point on the curve.
    let off_curve = (1u64..)
        .map(Fq::from)
        .find(|x| G1Affine::get_point_from_x_unchecked(*x, false).is_none())
        .unwrap();
    let mut b = good.clone();
    b[102..134].copy_from_slice(&encode(&off_curve));
    assert_eq!(part_err(&b), DecodeError::InvalidPoint("l"));
    // A point on the twist but outside the prime-order subgroup.
    let twisted = (1u64..)
        .filter_map(|i| {
            G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(i), Fq::from(1u64)), false)
        })
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .unwrap();
    let mut b = good.clone();
    b[38..102].copy_from_slice(&encode(&twisted));
    assert_eq!(part_err(&b), DecodeError::InvalidPoint("b_g2"));
    // The identity flag with a non-zero x: not canonical.
    let mut b = good.clone();
    b[133] |= 0x40;
    assert_eq!(part_err(&b), DecodeError::InvalidPoint("l"));
}

#[test]
fn split_keys_load_only_from_the_pinned_file() {
    let w = world();
    let share = Share::DEFAULT;
    let mut pin = w.pin;
    pin[0] ^= 1;
    assert!(matches!(
        MainKey::from_pinned_file(&w.file, &pin, share),
        Err(KeyError::NotPinned { .. })
    ));
    assert!(matches!(
        HelperKey::from_pinned_file(&w.file, &pin, share),
        Err(KeyError::NotPinned { .. })
    ));
    // A changed file is refused by its pin before it is parsed.
    let mut file = w.file.clone();
    let last = file.len() - 1;
    file[last] ^= 1;
    assert!(matches!(
        MainKey::from_pinned_file(&file, &w.pin, share),
        Err(KeyError::NotPinned { .. })
    ));
    // Pinned to a bad file: the header checks still run.
    let truncated = &w.file[..w.file.len() - 1];
    let pin_truncated = pk_file_fingerprint(truncated);
    assert!(matches!(
        HelperKey::from_pinned_file(truncated, &pin_truncated, share),
        Err(KeyError::WrongLength { .. })
    ));
    assert!(matches!(
        MainKey::from_pinned_file(truncated, &pin_truncated, share),
        Err(KeyError::WrongLength { .. })
    ));
    let main = main_key(share);
    assert_eq!(main.fingerprint(), w.pin);
    assert_eq!(main.verifying_key(), &w.pk.verifying_key());
    assert_eq!(main.share(), share);
    assert_eq!(helper_key(share).fingerprint(), w.pin);
}

#[test]
fn a_job_refuses_a_main_key_of_another_file() {
    let share = Share::DEFAULT;
    let (main, helper) = (main_key(share), helper_key(share));
    let (mut job, task) = begin(&main);
    let (other_pk, _) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(5)).unwrap();
    let other = MainKey::from_proving_key(&other_pk, share).unwrap();
    assert!(matches!(
        job.run_main(&other),
        Err(SplitError::KeyMismatch { .. })
    ));
    let part = helper.compute(&task).unwrap();
    assert!(matches!(
        job.finish(&other, &part),
        Err(SplitError::KeyMismatch { .. })
    ));
    // Still usable with the right key.
    assert!(job.finish(&main, &part).is_ok());
}

#[test]
fn debug_and_errors_show_no_witness_content() {
    let share = Share::DEFAULT;
    let (main, helper) = (main_key(share), helper_key(share));
    let (job, task) = begin(&main);
    let part = helper.compute(&task).unwrap();
    let bytes = task.to_bytes();
    // Hex of a few task scalars and of the part's points must not appear.
    let secrets: Vec<String> = [&bytes[42..74], &bytes[74..106], &part.to_bytes()[38..70]]
        .iter()
        .map(hex::encode)
        .collect();
    let secret_hex = files::fr_to_hex(&world().secret.to_field());
    let shown = format!("{job:?} {task:?} {part:?} {main:?} {helper:?}");
    for s in secrets.iter().chain([&secret_hex]) {
        assert!(!shown.contains(&s[..16]), "{shown}");
    }
    assert!(shown.contains("scalars"), "{shown}");
    let mut b = bytes.clone();
    b[42..74].copy_from_slice(&[0xff; 32]);
    let msg = HelperTask::from_bytes(&b).unwrap_err().to_string();
    assert_eq!(
        msg,
        "helper task: scalar 0 is not canonical (not below the group order r)"
    );
}
