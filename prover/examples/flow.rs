//! Issue, prove and verify once, printing sizes and times.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::time::Instant;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_prover::{holder, issuer, keys, StatusVerifier};

fn main() {
    let t = Instant::now();
    let (pk, vk) = keys::setup().unwrap();
    println!("setup {:?}", t.elapsed());
    let bytes = pk.to_file();
    println!("pk file {} bytes", bytes.len());
    let t = Instant::now();
    let pk = keys::ProvingKey::from_file(&bytes).unwrap();
    println!("pk load {:?}", t.elapsed());
    let mut rng = rand::rngs::OsRng;
    let key = PrivateKey::generate(&mut rng);
    let secret = HolderSecret::generate(&mut rng);
    let now = 1_763_800_000;
    let record = Record {
        holder: secret.commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: now - 3600,
        exposure_time: NO_EXPOSURE,
        issued_at: now - 3000,
        expires_at: now + 86400,
        credential_id: ark_bn254::Fr::from(7u64),
    };
    let cred = issuer::issue(&key, &record).unwrap();
    let policy = StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86400).unwrap();
    let challenge = Challenge::random(&mut rng);
    for _ in 0..3 {
        let t = Instant::now();
        let payload = holder::prove(&pk, &cred, &secret, &policy, now, &challenge).unwrap();
        println!("prove {:?}", t.elapsed());
        let v = StatusVerifier::new(&vk, vec![key.public_key()], policy).unwrap();
        let t = Instant::now();
        let r = v.verify(&payload.to_bytes(), now, &challenge);
        println!(
            "verify {:?} {:?} text {}",
            t.elapsed(),
            r.is_ok(),
            payload.to_text().len()
        );
    }
}
