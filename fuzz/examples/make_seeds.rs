//! Writes the seed corpus `fuzz/seeds/<target>/` from the frozen fixture
//! (`prover/tests/fixtures/v2/`) and a few small files built here (a proving
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
use zkstatus_circuits::statement::v2::N_PUBLIC_INPUTS;
use zkstatus_fuzz::*;
use zkstatus_prover::keys::{ProvingKeyV2, PK2_FILE_VERSION, PK_FILE_MAGIC};
use zkstatus_prover::split::{
    HelperKey, HelperPart, HelperTask, MainKey, Share, PART_MAGIC, TASK_MAGIC,
};
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::keyfile::{QapReduction, CIRCUIT_FINGERPRINT_V2};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../prover/tests/fixtures/v2");

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
    proving_key([1; 5])
}

/// The same with `counts` points in the queries `a, b_g1, b_g2, h, l`
/// (point `i` of a query is `(base + i)·G`).
fn proving_key(counts: [u32; 5]) -> Vec<u8> {
    let (b, d) = (5, 7);
    let mut f = Vec::new();
    f.extend_from_slice(&PK_FILE_MAGIC);
    f.push(PK2_FILE_VERSION);
    f.push(QapReduction::Snarkjs.to_byte());
    f.extend_from_slice(&CIRCUIT_FINGERPRINT_V2);
    f.extend(g1(3)); // α₁
    f.extend(g2(b)); // β₂
    f.extend(g2(11)); // γ₂
    f.extend(g2(d)); // δ₂
    for i in 0..=N_PUBLIC_INPUTS as u64 {
        f.extend(g1(13 + i)); // γ_abc
    }
    f.extend(g1(b)); // β₁
    f.extend(g1(d)); // δ₁
    for n in counts {
        f.extend(n.to_le_bytes());
    }
    let [na, nb1, nb2, nh, nl] = counts.map(u64::from);
    (0..na).for_each(|i| f.extend(g1(17 + i))); // a
    (0..nb1).for_each(|i| f.extend(g1(19 + i))); // b_g1
    (0..nb2).for_each(|i| f.extend(g2(19 + i))); // b_g2
    (0..nh).for_each(|i| f.extend(g1(23 + i))); // h
    (0..nl).for_each(|i| f.extend(g1(29 + i))); // l
    let pk = ProvingKeyV2::from_file(&f).expect("the small proving key decodes");
    assert_eq!(pk.to_file(), f);
    f
}

fn main() {
    let payload = fixture("payload.bin");
    let payload_onescan = fixture("payload-onescan.bin");
    let text = fixture("payload.txt");
    let vk = fixture("zkstatus.vk");
    let roots = fixture("roots.json");
    let policy = fixture("policy.json");
    let offer = fixture("challenge.txt");
    // The key body's SHA-256: the verifying key's fingerprint, its pin.
    let vk_pin = sha256(&vk[38..]);

    write("policy_json", "fixture", &policy);
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

    // payload_v2: form byte (0 binary, 1 text), then the payload.
    write("payload_v2", "interactive", &with_selector(0, &payload));
    write("payload_v2", "onescan", &with_selector(0, &payload_onescan));
    write("payload_v2", "text", &with_selector(1, &text));
    // v2_files: 0 key file, 1 roots, 2 offer.
    write("v2_files", "vk", &with_selector(0, &vk));
    write("v2_files", "roots", &with_selector(1, &roots));
    write("v2_files", "offer", &with_selector(2, &offer));
    // gate_v2: flags (bit 0 text), a clock offset of 5 s, the payload.
    for (name, flags, p) in [
        ("interactive", 0u8, &payload),
        ("onescan", 0, &payload_onescan),
        ("text", 1, &text),
    ] {
        let mut v = vec![flags, 5, 0];
        v.extend(p);
        write("gate_v2", name, &v);
    }
    // verifier_config: 0 key file, 1 roots, 2 policy, 3 options (ttl u16,
    // then the pin).
    for (i, (name, f)) in [("v2-vk", &vk), ("v2-roots", &roots), ("v2-policy", &policy)]
        .into_iter()
        .enumerate()
    {
        write("verifier_config", name, &with_selector(i as u8, f));
    }
    let mut opts = 90u16.to_le_bytes().to_vec();
    opts.extend(vk_pin);
    write("verifier_config", "options", &with_selector(3, &opts));

    write("input_strings", "time", &with_selector(0, b"1768464000"));
    write(
        "input_strings",
        "challenge",
        &with_selector(
            1,
            b"0000000000000000000000000000000000000000000000000000000c4a11e49e",
        ),
    );
    write(
        "input_strings",
        "pin",
        &with_selector(2, hex_lower(&vk_pin).as_bytes()),
    );

    let small_pk = small_proving_key();
    write("pk_file", "small", &small_pk);
    // pk_fast_form: each part's fast form of the smallest key the split
    // prover takes (`a` one point per public input and one witness),
    // without its digest (the target seals its input).
    let inputs = N_PUBLIC_INPUTS as u32 + 1;
    let split_pk = proving_key([inputs + 1, inputs + 1, inputs + 1, 2, 1]);
    let pk_pin = sha256(&split_pk);
    let main_form = MainKey::from_pinned_file(&split_pk, &pk_pin, Share::DEFAULT)
        .expect("the small key's main part")
        .to_fast_form();
    let helper_form = HelperKey::from_pinned_file(&split_pk, &pk_pin, Share::DEFAULT)
        .expect("the small key's helper part")
        .to_fast_form();
    write("pk_fast_form", "main", &main_form[..main_form.len() - 32]);
    write(
        "pk_fast_form",
        "helper",
        &helper_form[..helper_form.len() - 32],
    );

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

    // zkey: the test circuit's zkey of the ceremony fixtures (9.5 KB; the
    // smoke run raises -max_len to the largest seed).
    let zkey = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/ceremony/test.zkey"),
    )
    .unwrap();
    zkstatus_prover::ceremony::zkey::Zkey::parse(&zkey).unwrap();
    write("zkey", "test", &zkey);

    // The transparency log of `zkstatus_fuzz::log`.
    let log = zkstatus_fuzz::log::fixture();
    // log_entry: 0 and an entry; 1, a width (u16 BE) and a bundle.
    for (i, e) in log.entries.iter().enumerate() {
        write(
            "log_entry",
            &format!("entry-{i}"),
            &with_selector(0, &e.to_bytes()),
        );
    }
    let mut paths: Vec<&String> = log.files.keys().collect();
    paths.sort();
    let bundle = paths
        .iter()
        .find(|p| p.starts_with("tile/entries/"))
        .unwrap();
    let mut v = vec![1, 0, log.entries.len() as u8];
    v.extend(&log.files[*bundle]);
    write("log_entry", "bundle", &v);
    // log_bundle: 0, a clock (u16 BE seconds after the cosignature) and a
    // bundle (fresh, and aged out); 1, a trust file.
    let b = zkstatus_fuzz::log::bundle_fixture();
    for (name, after) in [("fresh", 60u16), ("aged-out", 3_601)] {
        let mut v = vec![0];
        v.extend(after.to_be_bytes());
        v.extend(&b.bytes);
        write("log_bundle", name, &v);
    }
    write(
        "log_bundle",
        "trust",
        &with_selector(1, b.trust_json.as_bytes()),
    );
    // log_checkpoint: 0/1 a checkpoint needing that many cosignatures, 2 a
    // log key, 3 a witness key.
    write("log_checkpoint", "signed", &with_selector(0, &log.signed));
    write(
        "log_checkpoint",
        "cosigned",
        &with_selector(1, &log.cosigned),
    );
    write(
        "log_checkpoint",
        "log-key",
        &with_selector(2, log.log_key.as_str().as_bytes()),
    );
    write(
        "log_checkpoint",
        "witness-key",
        &with_selector(3, log.witness.as_str().as_bytes()),
    );
    // log_audit: the file's index in path order, flags 0, its own contents
    // (past the last file: the previous checkpoint).
    for (i, p) in paths.iter().enumerate() {
        let mut v = vec![i as u8, 0];
        v.extend(&log.files[*p]);
        write("log_audit", &p.replace('/', "_"), &v);
    }
    let mut v = vec![paths.len() as u8, 0];
    v.extend(&log.signed);
    write("log_audit", "previous", &v);

    // gate_lines: a buffer of 7 bytes, then scanner input (both payload
    // texts, CR LF and LF, an empty line, a partial last line).
    let mut v = vec![6];
    v.extend(&text);
    v.extend(b"\r\n\n");
    v.extend(&fixture("payload-onescan.txt"));
    v.extend(b"\nZKS2:");
    write("gate_lines", "scans", &v);
    // gate_run: scanner input, no selector: a two-scan proof, then the
    // one-scan pass twice (accepted, then a replay).
    let mut v = text.clone();
    v.extend(fixture("payload-onescan.txt"));
    v.extend(fixture("payload-onescan.txt"));
    write("gate_run", "scans", &v);

    println!("seeds written under fuzz/seeds/");
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
