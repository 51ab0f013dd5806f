//! docs/security.md, item 37: random valid records inside the policy are
//! proved and verified (statement v2, the release proving path and a gate),
//! not only checked for satisfiability; and random records outside it are
//! refused by the holder with the rule that fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod world_v2;

use ark_bn254::Fr;
use ark_ff::UniformRand;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use world_v2::{World, NOW};
use zkstatus_circuits::record::{Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::v2::StatementError;
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_prover::holder::v2 as holder;
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::issuer;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::v2::{Gate, Modes, Verifier};

const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// A random record of the fixture holder; `green` chooses inside or
/// outside the random policy.
fn record(w: &World, policy: &StatusPolicy, rng: &mut ChaCha20Rng, green: bool) -> Record {
    let test_type = if rng.gen() {
        TestType::Pcr
    } else {
        TestType::RapidAntigen
    };
    let max_age = policy.max_test_age(test_type).unwrap_or(0);
    let age = if green {
        rng.gen_range(0..=max_age)
    } else {
        max_age + rng.gen_range(1..=DAY)
    };
    let exposure_time = match rng.gen_range(0..3) {
        0 => NO_EXPOSURE,
        _ => NOW - policy.min_exposure_gap() - rng.gen_range(0..30 * DAY),
    };
    let issued_at = NOW - age + rng.gen_range(0..=age.min(HOUR));
    Record {
        holder: w.secret.commitment(),
        test_result: TestResult::Negative,
        test_type,
        test_time: NOW - age,
        exposure_time: exposure_time.min(issued_at),
        issued_at,
        expires_at: NOW + rng.gen_range(1..=7 * DAY),
        credential_id: Fr::rand(rng),
    }
}

#[test]
fn random_valid_records_inside_the_policy_are_proved_and_verified() {
    let w = World::build();
    let mut rng = ChaCha20Rng::seed_from_u64(37);
    for i in 0..6 {
        let policy = StatusPolicy::new(
            Some(rng.gen_range(HOUR..=5 * DAY)),
            Some(rng.gen_range(HOUR..=2 * DAY)),
            rng.gen_range(0..=14 * DAY),
        )
        .unwrap();
        let rec = record(&w, &policy, &mut rng, true);
        // From lab A (never retired) or lab B (retired after NOW).
        let lab = &w.labs[i % 2];
        let credential = issuer::issue(lab, &rec).unwrap();
        let mut gate = Gate::new(
            Verifier::new(&w.vk, w.roots.clone(), policy),
            "random",
            OperatorId::GLOBAL,
            Modes::BOTH,
            90,
            3,
        )
        .unwrap();
        let offer = gate.challenges().issue(NOW, &[i as u8; 32]).unwrap().into();
        let p = holder::prove_with_rng(
            &w.pk,
            &credential,
            &w.secret,
            &policy,
            &w.registries,
            &w.roots,
            &holder::Presentation::Interactive(offer),
            &mut rng,
        )
        .unwrap_or_else(|e| panic!("record {i}: {e}"));
        gate.verify(&p.to_bytes(), NOW + 1)
            .unwrap_or_else(|e| panic!("record {i}: {e}"));
    }
}

#[test]
fn random_records_with_a_test_too_old_are_refused_by_the_holder() {
    let w = World::build();
    let mut rng = ChaCha20Rng::seed_from_u64(38);
    for i in 0..20 {
        let policy = StatusPolicy::new(Some(2 * DAY), Some(DAY), 10 * DAY).unwrap();
        let rec = record(&w, &policy, &mut rng, false);
        let credential = issuer::issue(&w.labs[0], &rec).unwrap();
        let r = holder::prepare(
            &credential,
            &w.secret,
            &policy,
            &w.registries,
            &w.roots,
            &w.interactive(),
        );
        assert!(
            matches!(r, Err(ProveError::StatementV2(StatementError::NotGreen(_)))),
            "record {i}: {:?}",
            r.map(|_| ())
        );
    }
}
