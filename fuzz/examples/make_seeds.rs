//! Writes the seed corpus `fuzz/seeds/<target>/` from the frozen fixture
//! (`prover/tests/fixtures/v1/`) and a few small files built here (a proving
//! key with one point per query, a registry, split-prover messages). Each
//! seed that should decode is checked to decode.
//!
//! `cargo run --example make_seeds` (from `fuzz/`; a plain build, no fuzzing
//! toolchain needed). Rerun it after a format changes, and commit the seeds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_serialize::CanonicalSerialize;
use std::path::{Path, PathBuf};
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_circuits::statement::N_PUBLIC_INPUTS;
use zkstatus_fuzz::*;
use zkstatus_prover::keys::{ProvingKey, PK_FILE_MAGIC, PK_FILE_VERSION};
use zkstatus_prover::split::{HelperPart, HelperTask, PART_MAGIC, TASK_MAGIC};
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::CIRCUIT_FINGERPRINT;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../prover/tests/fixtures/v1");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).unwrap()
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn with_selector(selector: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![selector];
    v.extend_from_slice(bytes);
    v
}

fn g1(k: u64) -> Vec<u8> {
    let p: G1Affine = (G1Projective::generator() * Fr::from(k)).into_affine();
    let mut v = Vec::new();
    p.serialize_compressed(&mut v).unwrap();
    v
}

fn g2(k: u64) -> Vec<u8> {
    let p: G2Affine = (G2Projective::generator() * Fr::from(k)).into_affine();
    let mut v = Vec::new();
    p.serialize_compressed(&mut v).unwrap();
    v
}

/// A proving-key file with one point per query whose header is consistent
/// (`β₁ = b·G₁, δ₁ = d·G₁, β₂ = b·G₂, δ₂ = d·G₂`), small enough to fuzz.
fn small_proving_key() -> Vec<u8> {
    let (b, d) = (5, 7);
    let mut f = Vec::new();
    f.extend_from_slice(&PK_FILE_MAGIC);
    f.push(PK_FILE_VERSION);
    f.extend_from_slice(&CIRCUIT_FINGERPRINT);
    f.extend(g1(3)); // α₁
    f.extend(g2(b)); // β₂
    f.extend(g2(11)); // γ₂
    f.extend(g2(d)); // δ₂
    for i in 0..=N_PUBLIC_INPUTS as u64 {
        f.extend(g1(13 + i)); // γ_abc
    }
    f.extend(g1(b)); // β₁
    f.extend(g1(d)); // δ₁
    for _ in 0..5 {
        f.extend(1u32.to_le_bytes());
    }
    f.extend(g1(17)); // a
    f.extend(g1(19)); // b_g1
    f.extend(g2(19)); // b_g2
    f.extend(g1(23)); // h
    f.extend(g1(29)); // l
    let pk = ProvingKey::from_file(&f).expect("the small proving key decodes");
    assert_eq!(pk.to_file(), f);
    f
}

fn main() {
    let payload = fixture("payload.bin");
    let text = fixture("payload.txt");
    let vk = fixture("zkstatus.vk");
    let policy = fixture("policy.json");
    let trust = fixture("trust-list.json");
    let challenge = fixture("challenge.txt");

    write("payload_bytes", "fixture", &payload);
    write("payload_text", "fixture", &text);
    write("vk_file", "fixture", &vk);
    write("policy_json", "fixture", &policy);
    write("trust_list_json", "fixture", &trust);
    write("credential_json", "fixture", &fixture("credential.json"));
    write(
        "secret_files_json",
        "issuer-key",
        &with_selector(0, &fixture("issuer-key.json")),
    );
    write(
        "secret_files_json",
        "holder-secret",
        &with_selector(1, &fixture("holder-secret.json")),
    );

    for (i, f) in [&vk, &trust, &policy].into_iter().enumerate() {
        write(
            "verifier_config",
            &format!("file-{i}"),
            &with_selector(i as u8, f),
        );
    }
    let mut opts = 300u64.to_le_bytes().to_vec();
    opts.extend(sha256(&vk[37..]));
    write("verifier_config", "options", &with_selector(3, &opts));

    write("input_strings", "time", &with_selector(0, b"1763800000"));
    write(
        "input_strings",
        "challenge",
        &with_selector(1, challenge.trim_ascii()),
    );
    write(
        "input_strings",
        "pin",
        &with_selector(2, hex_lower(&sha256(&vk[37..])).as_bytes()),
    );

    // verify: flags 0b110 (fixture challenge, clock = fixture time + offset 0)
    // then the payload; 0b111 for the text form; 0b100 for another challenge.
    let mut v = vec![0b110, 0, 0];
    v.extend(&payload);
    write("verify", "fixture-binary", &v);
    let mut v = vec![0b111, 0, 0];
    v.extend(&text);
    write("verify", "fixture-text", &v);
    let mut v = vec![0b100, 0, 0, 0];
    v.extend(&payload);
    write("verify", "other-challenge", &v);
    let mut v = vec![0b010];
    v.extend(FIXTURE_NOW.to_le_bytes());
    v.extend(&payload);
    write("verify", "raw-clock", &v);

    write("pk_file", "small", &small_proving_key());

    let mut registry = Registry::new();
    for (k, name) in [(0x11u8, "Fixture Lab"), (0x22, "Lab Zwei ü")] {
        registry
            .add(Entry {
                leaf: IssuerLeaf {
                    key: PrivateKey::from_bytes([k; 32]).public_key(),
                    window: Window::new(1_700_000_000, 1_900_000_000).unwrap(),
                },
                name: name.into(),
            })
            .unwrap();
    }
    write("registry", "two", &registry.to_bytes());
    registry.retire(1, 1_600_000_000).unwrap();
    let bytes = registry.to_bytes();
    assert_eq!(Registry::from_bytes(&bytes).unwrap(), registry);
    write("registry", "retired", &bytes);
    write("registry", "empty", &Registry::new().to_bytes());

    // Split prover: a task with two scalars, a part for every MSM.
    let mut task = TASK_MAGIC.to_vec();
    task.extend([1, 0x0e]);
    task.extend(sha256(b"key"));
    task.extend(2u32.to_le_bytes());
    task.extend([7u8; 32]);
    task.extend([0u8; 32]);
    assert_eq!(HelperTask::from_bytes(&task).unwrap().to_bytes(), task);
    write("split_task", "two-scalars", &task);
    let mut part = PART_MAGIC.to_vec();
    part.extend([1, 0x0f]);
    part.extend(sha256(&task));
    part.extend(g1(2));
    part.extend(g1(3));
    part.extend(g2(5));
    part.extend(g1(7));
    assert_eq!(HelperPart::from_bytes(&part).unwrap().to_bytes(), part);
    write("split_part", "all-msms", &part);

    println!("seeds written under fuzz/seeds/");
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
