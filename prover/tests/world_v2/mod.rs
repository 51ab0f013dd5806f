//! The statement-v2 fixture world, from fixed seeds: keys, a registry of
//! three labs (one retired in the second epoch), its roots with activation
//! times, a credential, a policy, a challenge offer and an operator. Used
//! by `fixture_v2.rs` (the frozen files in `tests/fixtures/v2/`) and
//! `split.rs`.
#![allow(dead_code, clippy::unwrap_used)]

use ark_bn254::Fr;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::holder::v2::Presentation;
use zkstatus_prover::issuer;
use zkstatus_prover::keys::{self, ProvingKeyV2};
use zkstatus_verifier::groth16::VerifyingKeyV2;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};

/// The challenge's issue time: 2026-01-15T08:00:00Z, a window start.
pub const NOW: u64 = 1_768_464_000;
/// When epoch 4 (lab B retired) activates.
pub const RETIREMENT: u64 = NOW + 6 * 3600;
/// The operator of the one-scan pass.
pub const OPERATOR: &str = "metro.example";
/// The seed of the proofs.
pub const PROOF_SEED: u64 = 7;

/// Everything, built once per test binary.
pub struct World {
    pub pk: ProvingKeyV2,
    pub vk: VerifyingKeyV2,
    pub labs: [PrivateKey; 3],
    /// Epoch 3 (three labs) and epoch 4 (lab B retired at `RETIREMENT`).
    pub registries: Vec<Registry>,
    pub roots: AcceptedRoots,
    pub secret: HolderSecret,
    /// From lab B (leaf 1).
    pub credential: Credential,
    pub policy: StatusPolicy,
    pub offer: ChallengeOffer,
}

impl World {
    pub fn build() -> Self {
        let (pk, vk) = keys::setup_v2_with_rng(&mut ChaCha20Rng::seed_from_u64(20260115)).unwrap();
        let labs = [0x11u8, 0x22, 0x33].map(|b| PrivateKey::from_bytes([b; 32]));
        let names = ["Lab A", "Lab B", "Lab C"];
        let mut reg = Registry::new();
        for (k, name) in labs.iter().zip(names) {
            reg.add(Entry {
                leaf: IssuerLeaf {
                    key: k.public_key(),
                    window: Window::new(NOW - 30 * 86400, NOW + 365 * 86400).unwrap(),
                },
                name: name.into(),
            })
            .unwrap();
        }
        let epoch3 = reg.clone();
        reg.retire(1, RETIREMENT).unwrap();
        let published = |r: &Registry, published_at: u64, activates_at: u64| PublishedRoot {
            epoch: r.epoch(),
            root: r.root().unwrap(),
            published_at,
            activates_at,
            end_date: r.end_date().unwrap(),
        };
        let roots = AcceptedRoots::new(vec![
            published(&epoch3, NOW - 2 * 86400, NOW - 86400),
            published(&reg, RETIREMENT - 86400, RETIREMENT),
        ])
        .unwrap();
        let secret = HolderSecret::from_field(Fr::from(0x5ec2e7_u64));
        let record = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: NOW - 5 * 3600,
            exposure_time: NO_EXPOSURE,
            issued_at: NOW - 4 * 3600,
            expires_at: NOW + 2 * 86400,
            credential_id: Fr::from(0xc0ffee_u64),
        };
        let credential = issuer::issue(&labs[1], &record).unwrap();
        let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86400).unwrap();
        let offer = ChallengeOffer {
            challenge: Challenge::from_field(Fr::from(0xc4a11e49e_u64)),
            issued_at: NOW,
        };
        Self {
            pk,
            vk,
            labs,
            registries: vec![epoch3, reg],
            roots,
            secret,
            credential,
            policy,
            offer,
        }
    }

    pub fn interactive(&self) -> Presentation {
        Presentation::Interactive(self.offer)
    }

    pub fn one_scan(&self) -> Presentation {
        Presentation::OneScan {
            operator: OperatorId::from_name(OPERATOR).unwrap(),
            window_start: NOW,
        }
    }
}
