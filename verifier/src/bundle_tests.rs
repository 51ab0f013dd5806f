//! Tests of the registry bundle: one per tamper class, each with its own
//! error. Keys, notes and cosignatures are made here with `ed25519-dalek`
//! directly; `log/tests` checks a bundle the log writer made.

#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;
use ed25519_dalek::{Signer as _, SigningKey};

const NOW: u64 = 1_800_000_000;
const ORIGIN: &str = "example.org/zkstatus-log";

fn typed_key(name: &str, alg: u8, sk: &SigningKey) -> String {
    let mut raw = vec![alg];
    raw.extend_from_slice(sk.verifying_key().as_bytes());
    format!(
        "{name}+{:08x}+{}",
        key_id(name, &raw),
        BASE64_STANDARD.encode(&raw)
    )
}

struct Keys {
    log: SigningKey,
    witnesses: Vec<(String, SigningKey)>,
}

fn keys() -> Keys {
    Keys {
        log: SigningKey::from_bytes(&[7; 32]),
        witnesses: (0..3u8)
            .map(|i| {
                (
                    format!("witness{i}.example"),
                    SigningKey::from_bytes(&[20 + i; 32]),
                )
            })
            .collect(),
    }
}

fn trust(k: &Keys, min: usize, max_age: u64) -> BundleTrust {
    let ws: Vec<String> = k
        .witnesses
        .iter()
        .map(|(n, s)| typed_key(n, ALG_COSIGNATURE_V1, s))
        .collect();
    let ws: Vec<&str> = ws.iter().map(String::as_str).collect();
    BundleTrust::new(&typed_key(ORIGIN, ALG_ED25519, &k.log), &ws, min, max_age).unwrap()
}

fn sig_line(name: &str, id: u32, sig: &[u8]) -> String {
    let mut raw = id.to_be_bytes().to_vec();
    raw.extend_from_slice(sig);
    format!("\u{2014} {name} {}\n", BASE64_STANDARD.encode(raw))
}

fn id_of(name: &str, alg: u8, sk: &SigningKey) -> u32 {
    let mut raw = vec![alg];
    raw.extend_from_slice(sk.verifying_key().as_bytes());
    key_id(name, &raw)
}

fn checkpoint_text(size: u64, hash: &Hash) -> String {
    format!("{ORIGIN}\n{size}\n{}\n", BASE64_STANDARD.encode(hash))
}

fn cosign_line(name: &str, sk: &SigningKey, text: &str, time: u64) -> String {
    let mut msg = format!("cosignature/v1\ntime {time}\n").into_bytes();
    msg.extend_from_slice(text.as_bytes());
    let mut sig = time.to_be_bytes().to_vec();
    sig.extend_from_slice(&sk.sign(&msg).to_bytes());
    sig_line(name, id_of(name, ALG_COSIGNATURE_V1, sk), &sig)
}

/// A checkpoint signed by the log and cosigned by `cosigners` at `times`.
fn note(k: &Keys, text: &str, cosigners: &[(usize, u64)]) -> Vec<u8> {
    let mut n = format!(
        "{text}\n{}",
        sig_line(
            ORIGIN,
            id_of(ORIGIN, ALG_ED25519, &k.log),
            &k.log.sign(text.as_bytes()).to_bytes()
        )
    );
    for (i, t) in cosigners {
        let (name, sk) = &k.witnesses[*i];
        n.push_str(&cosign_line(name, sk, text, *t));
    }
    n.into_bytes()
}

fn root_bytes(epoch: u64, root: u64, activates_at: u64) -> Vec<u8> {
    let mut e = vec![ENTRY_VERSION, KIND_ROOT_PUBLISHED];
    e.extend_from_slice(&epoch.to_be_bytes());
    let mut r = [0u8; 32];
    r[24..].copy_from_slice(&root.to_be_bytes());
    e.extend_from_slice(&r);
    e.extend_from_slice(&(activates_at - 3600).to_be_bytes());
    e.extend_from_slice(&activates_at.to_be_bytes());
    e.extend_from_slice(&2_000_000_000u64.to_be_bytes());
    e
}

/// An issuer act; its fields are the log's to check, only version and kind
/// matter here.
fn act(kind: u8, n: u8) -> Vec<u8> {
    vec![ENTRY_VERSION, kind, n, n, n]
}

/// The log: an accreditation, root A (epoch 1), a retirement, root B
/// (epoch 2, activating after NOW), and `extra` acts after it.
fn log(extra: usize) -> Vec<Vec<u8>> {
    let mut l = vec![
        act(KIND_ISSUER_ADDED, 0),
        root_bytes(1, 111, NOW - 86_400),
        act(KIND_ISSUER_RETIRED, 1),
        root_bytes(2, 222, NOW + 3600),
    ];
    l.extend((0..extra).map(|i| act(KIND_ISSUER_ADDED, 10 + i as u8)));
    l
}

fn hashes(l: &[Vec<u8>]) -> Vec<Hash> {
    l.iter().map(|e| leaf_hash(e)).collect()
}

/// A bundle of entries `first..last+1` of `l`, under a checkpoint of all
/// of `l` cosigned by `cosigners`.
fn bundle_of(
    k: &Keys,
    l: &[Vec<u8>],
    first: usize,
    last: usize,
    cosigners: &[(usize, u64)],
) -> RegistryBundle {
    let hs = hashes(l);
    let text = checkpoint_text(l.len() as u64, &tree_hash(&hs).unwrap());
    let proof = suffix_proof(&hs[..=last], first).unwrap();
    RegistryBundle {
        first_index: first as u64,
        entries: l[first..=last].to_vec(),
        proof,
        checkpoint: note(k, &text, cosigners),
    }
}

fn all_three() -> Vec<(usize, u64)> {
    vec![(0, NOW - 60), (1, NOW - 120), (2, NOW - 30)]
}

fn good(k: &Keys) -> RegistryBundle {
    bundle_of(k, &log(0), 1, 3, &all_three())
}

#[test]
fn a_fresh_cosigned_bundle_gives_the_previous_and_the_latest_root() {
    let k = keys();
    let b = good(&k);
    let bytes = b.to_bytes().unwrap();
    assert!(bytes.len() <= 2048, "{} bytes", bytes.len());
    let v = RegistryBundle::from_bytes(&bytes)
        .unwrap()
        .verify(&trust(&k, 2, DEFAULT_MAX_AGE_SECS), NOW)
        .unwrap();
    assert_eq!(v.log_size, 4);
    // k = 2: the second newest cosignature is the trusted time.
    assert_eq!(v.cosigned_at, NOW - 60);
    let roots = v.roots.roots();
    assert_eq!((roots[0].epoch, roots[1].epoch), (1, 2));
    // Statement v2's activation rule: the previous root until the latest
    // activates.
    assert_eq!(v.roots.check(1, NOW), Ok(Fr::from(111u64)));
    assert_eq!(v.roots.check(2, NOW + 3600), Ok(Fr::from(222u64)));
    // Round trip.
    assert_eq!(
        RegistryBundle::new(1, b.entries.clone(), b.proof.clone(), b.checkpoint.clone()).unwrap(),
        b
    );
}

#[test]
fn a_bundle_of_the_latest_root_alone_accepts_only_it() {
    let k = keys();
    let v = bundle_of(&k, &log(0), 3, 3, &all_three())
        .verify(&trust(&k, 3, DEFAULT_MAX_AGE_SECS), NOW)
        .unwrap();
    assert_eq!(v.roots.roots().len(), 1);
    // Before its activation no root is active: fail closed.
    assert_eq!(
        v.roots.check(2, NOW),
        Err(crate::Rejection::NoActiveRoot(NOW))
    );
    // From the log's first entry: no earlier root to show.
    let v = bundle_of(&k, &log(0)[..2], 0, 1, &all_three())
        .verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW)
        .unwrap();
    assert_eq!(v.roots.roots()[0].epoch, 1);
}

#[test]
fn a_checkpoint_without_witness_cosignature_is_refused() {
    let k = keys();
    let b = bundle_of(&k, &log(0), 1, 3, &[]);
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::MissingCosignature { need: 1 })
    );
}

#[test]
fn a_foreign_cosignature_under_a_witness_name_is_refused() {
    let k = keys();
    let mut b = good(&k);
    // A cosignature under witness0's name by another key.
    let stranger = SigningKey::from_bytes(&[99; 32]);
    let text = String::from_utf8(parse_note(&b.checkpoint).unwrap().text.to_vec()).unwrap();
    b.checkpoint = note(&k, &text, &[(1, NOW), (2, NOW)]);
    b.checkpoint
        .extend_from_slice(cosign_line("witness0.example", &stranger, &text, NOW).as_bytes());
    assert!(matches!(
        b.verify(&trust(&k, 2, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::ForeignCosignature { ref name, .. }) if name == "witness0.example"
    ));
}

#[test]
fn fewer_than_k_cosignatures_are_refused() {
    let k = keys();
    let b = bundle_of(&k, &log(0), 1, 3, &[(0, NOW), (2, NOW)]);
    assert!(b.verify(&trust(&k, 2, DEFAULT_MAX_AGE_SECS), NOW).is_ok());
    assert_eq!(
        b.verify(&trust(&k, 3, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::TooFewCosignatures {
            got: 2,
            need: 3,
            missing: "witness1.example".into()
        })
    );
}

#[test]
fn a_cosignature_of_another_checkpoint_is_refused() {
    let k = keys();
    let mut b = good(&k);
    let other = checkpoint_text(3, &[5; 32]);
    let text = String::from_utf8(parse_note(&b.checkpoint).unwrap().text.to_vec()).unwrap();
    b.checkpoint = note(&k, &text, &[(0, NOW)]);
    let (name, sk) = &k.witnesses[1];
    b.checkpoint
        .extend_from_slice(cosign_line(name, sk, &other, NOW).as_bytes());
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::BadCosignature("witness1.example".into()))
    );
}

#[test]
fn a_bundle_aged_out_by_the_witnesses_clock_is_refused() {
    let k = keys();
    let max = DEFAULT_MAX_AGE_SECS;
    let b = bundle_of(&k, &log(0), 1, 3, &[(0, NOW - max), (1, NOW - max - 1)]);
    assert!(b.verify(&trust(&k, 1, max), NOW).is_ok());
    // With k = 2 the second newest time counts: one fresh witness cannot
    // keep a bundle alive alone.
    let e = b.verify(&trust(&k, 2, max), NOW).unwrap_err();
    assert_eq!(
        e,
        BundleError::Stale {
            cosigned_at: NOW - max - 1,
            age: max + 1,
            max_age: max
        }
    );
    assert!(e
        .to_string()
        .starts_with("registry data too old — connect to refresh"));
    assert!(matches!(
        b.verify(&trust(&k, 1, max), NOW + 1),
        Err(BundleError::Stale { .. })
    ));
}

#[test]
fn a_cosignature_dated_ahead_of_the_clock_does_not_count() {
    let k = keys();
    let skew = MAX_COSIGNATURE_SKEW_SECS;
    // Within the allowed drift: counts (and the age is zero).
    let b = bundle_of(&k, &log(0), 1, 3, &[(0, NOW + skew)]);
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW)
            .unwrap()
            .cosigned_at,
        NOW + skew
    );
    // A year ahead: it would keep a replaced root fresh for a year.
    let year = 365 * 24 * 3600;
    let b = bundle_of(&k, &log(0), 1, 3, &[(1, NOW + year)]);
    let e = b
        .verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW)
        .unwrap_err();
    assert_eq!(
        e,
        BundleError::FutureCosignature {
            name: "witness1.example".into(),
            ahead: year,
            got: 0,
            need: 1
        }
    );
    assert!(e.to_string().contains("this device's clock is behind"));
    // One skewed witness among enough honest ones: the others carry it,
    // and the future time is not the freshness clock.
    let b = bundle_of(
        &k,
        &log(0),
        1,
        3,
        &[(0, NOW - 60), (1, NOW + year), (2, NOW - 30)],
    );
    let v = b.verify(&trust(&k, 2, DEFAULT_MAX_AGE_SECS), NOW).unwrap();
    assert_eq!(v.cosigned_at, NOW - 60);
    // Just past the drift, k = 2: one future, one honest.
    let b = bundle_of(&k, &log(0), 1, 3, &[(0, NOW - 60), (2, NOW + skew + 1)]);
    assert_eq!(
        b.verify(&trust(&k, 2, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::FutureCosignature {
            name: "witness2.example".into(),
            ahead: skew + 1,
            got: 1,
            need: 2
        })
    );
}

#[test]
fn an_inclusion_proof_for_another_root_is_refused() {
    let k = keys();
    let mut b = good(&k);
    // Another root in the last entry: the proof no longer leads to the
    // checkpoint.
    *b.entries.last_mut().unwrap() = root_bytes(2, 333, NOW + 3600);
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::InclusionMismatch)
    );
    // Or the proof of another tree.
    let mut b = good(&k);
    b.proof = bundle_of(&k, &log(2)[..4], 1, 3, &[]).proof;
    b.proof[0][0] ^= 1;
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::InclusionMismatch)
    );
}

#[test]
fn an_old_root_under_a_fresh_checkpoint_is_refused() {
    let k = keys();
    // Two acts after root B, then a fresh checkpoint: root B is included
    // but no longer the last entry.
    let l = log(2);
    let b = bundle_of(&k, &l, 1, 3, &all_three());
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::RootNotLastEntry { index: 3, last: 5 })
    );
    // The checkpoint's last entry is then an issuer act, not a root.
    let b = bundle_of(&k, &l, 3, 5, &all_three());
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::LastEntryNotRoot)
    );
}

#[test]
fn a_bundle_must_start_at_the_previous_root() {
    let k = keys();
    let mut l = log(0);
    l.push(act(KIND_ISSUER_ADDED, 9));
    l.push(root_bytes(3, 444, NOW + 7200));
    // Skipping root B (epoch 2) to name root A as the previous one.
    let b = bundle_of(&k, &l, 1, 5, &all_three());
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::RootBetween(3))
    );
    // Starting after root B, at an issuer act.
    let b = bundle_of(&k, &l, 4, 5, &all_three());
    assert_eq!(
        b.verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW),
        Err(BundleError::PreviousRootMissing(4))
    );
    assert!(bundle_of(&k, &l, 3, 5, &all_three())
        .verify(&trust(&k, 1, DEFAULT_MAX_AGE_SECS), NOW)
        .is_ok());
}

#[test]
fn a_bad_log_signature_is_refused() {
    let k = keys();
    let t = trust(&k, 1, DEFAULT_MAX_AGE_SECS);
    // An edited checkpoint (another size), signatures kept.
    let mut b = good(&k);
    let s = String::from_utf8(b.checkpoint.clone()).unwrap();
    b.checkpoint = s.replacen("\n4\n", "\n5\n", 1).into_bytes();
    assert_eq!(b.verify(&t, NOW), Err(BundleError::BadLogSignature));
    // Signed by another key under the log's name.
    let mut other = keys();
    other.log = SigningKey::from_bytes(&[8; 32]);
    let b = good(&other);
    assert_eq!(b.verify(&t, NOW), Err(BundleError::NotSignedByLog));
    // Another log's checkpoint.
    let mut b = good(&k);
    let s = String::from_utf8(b.checkpoint.clone()).unwrap();
    b.checkpoint = s.replacen(ORIGIN, "other.example/log", 1).into_bytes();
    assert_eq!(b.verify(&t, NOW), Err(BundleError::WrongOrigin));
}

#[test]
fn a_truncated_oversized_or_wrong_version_bundle_is_refused() {
    let k = keys();
    let bytes = good(&k).to_bytes().unwrap();
    for n in 0..bytes.len() {
        assert!(
            RegistryBundle::from_bytes(&bytes[..n]).is_err(),
            "prefix {n}"
        );
    }
    assert_eq!(
        RegistryBundle::from_bytes(&bytes[..bytes.len() - 1]),
        Err(BundleError::Truncated)
    );
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        RegistryBundle::from_bytes(&long),
        Err(BundleError::TrailingBytes(1))
    );
    assert_eq!(
        RegistryBundle::from_bytes(&[0; MAX_BUNDLE_BYTES + 1]),
        Err(BundleError::TooLarge(MAX_BUNDLE_BYTES + 1))
    );
    let mut v2 = bytes.clone();
    v2[4] = 2;
    assert_eq!(
        RegistryBundle::from_bytes(&v2),
        Err(BundleError::UnsupportedVersion(2))
    );
    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert_eq!(
        RegistryBundle::from_bytes(&magic),
        Err(BundleError::BadMagic)
    );
    let mut none = bytes;
    none[13] = 0;
    assert!(matches!(
        RegistryBundle::from_bytes(&none),
        Err(BundleError::OutOfRange {
            what: "entry count",
            ..
        })
    ));
}

#[test]
fn the_suffix_proof_rebuilds_every_tree_hash() {
    for size in 1..=40usize {
        let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash(&[i as u8])).collect();
        let root = tree_hash(&leaves).unwrap();
        for first in 0..size {
            let p = suffix_proof(&leaves, first).unwrap();
            assert!(p.len() <= 64 - (size as u64).leading_zeros() as usize);
            let s = size as u64;
            assert_eq!(
                suffix_root(s, first as u64, &leaves[first..], &p),
                Some(root)
            );
            // A hash left over, or one missing, is refused.
            let mut more = p.clone();
            more.push([0; 32]);
            assert_eq!(suffix_root(s, first as u64, &leaves[first..], &more), None);
            if let Some((_, fewer)) = p.split_last() {
                assert_eq!(suffix_root(s, first as u64, &leaves[first..], fewer), None);
            }
        }
    }
    // RFC 6962's empty-free two-leaf tree.
    assert_eq!(
        tree_hash(&[leaf_hash(b"a"), leaf_hash(b"b")]),
        Some(node_hash(&leaf_hash(b"a"), &leaf_hash(b"b")))
    );
}

#[test]
fn the_trust_file_round_trips_and_is_strict() {
    let k = keys();
    let ws: Vec<String> = k
        .witnesses
        .iter()
        .map(|(n, s)| typed_key(n, ALG_COSIGNATURE_V1, s))
        .collect();
    let log_key = typed_key(ORIGIN, ALG_ED25519, &k.log);
    let text = BundleTrust::to_json(&log_key, &ws, 2, 3600);
    assert_eq!(BundleTrust::from_json(&text).unwrap(), trust(&k, 2, 3600));
    let no_age = text.replacen(",\n  \"max_age_secs\": 3600", "", 1);
    assert_eq!(
        BundleTrust::from_json(&no_age).unwrap().max_age(),
        DEFAULT_MAX_AGE_SECS
    );
    assert!(
        BundleTrust::from_json(&text.replacen("\"version\"", "\"x\": 1, \"version\"", 1)).is_err()
    );
    // k out of range, a duplicate witness, a log key given as a witness.
    let w: Vec<&str> = ws.iter().map(String::as_str).collect();
    assert!(matches!(
        BundleTrust::new(&log_key, &w, 4, 1),
        Err(BundleError::BadThreshold { k: 4, witnesses: 3 })
    ));
    assert!(matches!(
        BundleTrust::new(&log_key, &w, 0, 1),
        Err(BundleError::BadThreshold { .. })
    ));
    assert!(BundleTrust::new(&log_key, &[w[0], w[0]], 1, 1).is_err());
    assert_eq!(
        BundleTrust::new(&log_key, &[&log_key], 1, 1),
        Err(BundleError::BadPublicKey("witness"))
    );
}
