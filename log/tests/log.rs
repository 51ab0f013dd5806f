//! The log end to end: a folder appended, checkpointed and cosigned passes
//! the audit, with its registry rebuilt and its history in words.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use rand::rngs::StdRng;
use rand::SeedableRng;
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey};
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_log::audit::check_consistency;
use zkstatus_log::fs::{FsStore, LogDir, LogDirError};
use zkstatus_log::note::open_checkpoint;
use zkstatus_log::replay::ReplayError;
use zkstatus_log::{audit, AuditOptions, LogEntry, LogSigningKey, WitnessSigningKey};
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::roots::PublishedRoot;

fn issuer(i: u8) -> PublicKey {
    PrivateKey::from_bytes([i; 32]).public_key()
}

fn added(epoch: u64, index: u16, k: PublicKey, name: &str) -> LogEntry {
    LogEntry::IssuerAdded {
        epoch,
        index,
        entry: Entry {
            leaf: IssuerLeaf {
                key: k,
                window: Window::new(1_000, 5_000).unwrap(),
            },
            name: name.into(),
        },
    }
}

fn root_of(registry: &Registry, published_at: u64) -> LogEntry {
    LogEntry::RootPublished(PublishedRoot {
        epoch: registry.epoch(),
        root: registry.root().unwrap(),
        published_at,
        activates_at: published_at + 10,
        end_date: registry.end_date().unwrap(),
    })
}

struct Fixture {
    _dir: tempfile::TempDir,
    log: LogDir,
    key: LogSigningKey,
    witness: WitnessSigningKey,
}

/// Two issuers, a root, a retirement, a second root, a ceremony result.
fn fixture() -> Fixture {
    let mut rng = StdRng::seed_from_u64(3);
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = LogSigningKey::generate(&mut rng, "example.org/zkstatus-log").unwrap();
    let (witness, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
    let log = LogDir::init(&dir.path().join("log"), &key).unwrap();
    log.append(&added(1, 0, key_a(), "City Lab")).unwrap();
    log.append(&added(2, 1, issuer(2), "Clinic")).unwrap();
    let reg = log
        .load(|t| t.to_string())
        .unwrap()
        .replay
        .registry()
        .clone();
    log.append(&root_of(&reg, 100)).unwrap();
    log.append(&LogEntry::IssuerRetired {
        epoch: 3,
        index: 1,
        key: issuer(2),
        at: 2_000,
    })
    .unwrap();
    let reg = log
        .load(|t| t.to_string())
        .unwrap()
        .replay
        .registry()
        .clone();
    log.append(&root_of(&reg, 200)).unwrap();
    log.append(&LogEntry::CeremonyResult {
        at: 300,
        transcript_hash: [7; 32],
        vk_fingerprint: [8; 32],
    })
    .unwrap();
    Fixture {
        _dir: dir,
        log,
        key,
        witness,
    }
}

fn key_a() -> PublicKey {
    issuer(1)
}

#[test]
fn a_log_appended_checkpointed_and_cosigned_passes_the_audit_with_its_history() {
    let f = fixture();
    let (size, note) = f.log.checkpoint(&f.key).unwrap();
    assert_eq!(size, 6);
    let cosigned = f.witness.cosign(&note, 1_000_000).unwrap();
    f.log.write_checkpoint(&cosigned).unwrap();
    let witnesses = [f.witness.public().clone()];
    let report = audit(
        &FsStore::new(f.log.root()),
        &AuditOptions {
            log_key: f.key.public(),
            witnesses: &witnesses,
            min_cosignatures: 1,
            previous: None,
            freshness: Some((1_000_100, 3_600)),
            fmt_time: |t| format!("t={t}"),
        },
    )
    .unwrap();
    assert_eq!(report.size, 6);
    assert_eq!(report.entries.len(), 6);
    assert_eq!(
        report.cosignatures,
        vec![("witness.example".to_string(), 1_000_000)]
    );
    assert_eq!(report.replay.roots().len(), 2);
    assert_eq!(report.replay.registry().epoch(), 3);
    let history = report.replay.history();
    assert_eq!(history.len(), 6);
    assert!(
        history[0].contains("accredited 'City Lab' (leaf 0"),
        "{history:?}"
    );
    assert!(
        history[3].contains("retired 'Clinic' (leaf 1)"),
        "{history:?}"
    );
    assert!(history[3].contains("until t=2000"), "{history:?}");
    assert!(history[5].contains("ceremony result"), "{history:?}");
}

#[test]
fn a_log_across_a_tile_boundary_passes_the_audit_at_every_checkpoint() {
    let mut rng = StdRng::seed_from_u64(4);
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = LogSigningKey::generate(&mut rng, "example.org/big").unwrap();
    let log = LogDir::init(&dir.path().join("log"), &key).unwrap();
    let mut previous: Option<Vec<u8>> = None;
    for i in 0..300u64 {
        log.append(&LogEntry::CeremonyResult {
            at: i,
            transcript_hash: [i as u8; 32],
            vk_fingerprint: [1; 32],
        })
        .unwrap();
        if matches!(i, 0 | 1 | 254 | 255 | 256 | 257 | 299) {
            let (_, note) = log.checkpoint(&key).unwrap();
            let report = audit(
                &FsStore::new(log.root()),
                &AuditOptions {
                    log_key: key.public(),
                    witnesses: &[],
                    min_cosignatures: 0,
                    previous: previous.as_deref(),
                    freshness: None,
                    fmt_time: |t| t.to_string(),
                },
            )
            .unwrap_or_else(|e| panic!("size {}: {e}", i + 1));
            assert_eq!(report.size, i + 1);
            previous = Some(note);
        }
    }
}

#[test]
fn a_witness_checks_consistency_from_its_last_checkpoint_before_cosigning() {
    let f = fixture();
    let store = FsStore::new(f.log.root());
    let open = |b: &[u8]| open_checkpoint(b, f.key.public(), &[], 0).unwrap();
    // The witness saw the log at 2 entries: rebuild that checkpoint's hash.
    let loaded = f.log.load(|t| t.to_string()).unwrap();
    let old = (2, loaded.hashes.tree_hash(2).unwrap());
    let (_, note) = f.log.checkpoint(&f.key).unwrap();
    let new = open(&note);
    check_consistency(&store, Some(old), (new.size(), new.hash())).unwrap();
    check_consistency(&store, None, (new.size(), new.hash())).unwrap();
    // Another old hash for size 2 is a fork.
    let forged = (2, loaded.hashes.tree_hash(3).unwrap());
    assert!(check_consistency(&store, Some(forged), (new.size(), new.hash())).is_err());
}

#[test]
fn an_entry_that_breaks_the_registry_rules_is_not_appended() {
    let f = fixture();
    // A second leaf with the first issuer's key.
    let err = f.log.append(&added(4, 2, key_a(), "Copy")).unwrap_err();
    assert!(
        matches!(
            err,
            LogDirError::Replay(ReplayError::Registry { at: 6, .. })
        ),
        "{err}"
    );
    // A root that is not the registry's.
    let err = f
        .log
        .append(&LogEntry::RootPublished(PublishedRoot {
            epoch: 3,
            root: Fr::from(1u64),
            published_at: 400,
            activates_at: 500,
            end_date: 5_000,
        }))
        .unwrap_err();
    assert!(
        matches!(err, LogDirError::Replay(ReplayError::Root { .. })),
        "{err}"
    );
    assert_eq!(f.log.load(|t| t.to_string()).unwrap().raw.len(), 6);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_checkpoint_a_foreign_key() {
    let f = fixture();
    let mut rng = StdRng::seed_from_u64(5);
    let (other, _) = LogSigningKey::generate(&mut rng, "example.org/other").unwrap();
    assert!(matches!(
        LogDir::init(f.log.root(), &other),
        Err(LogDirError::NotEmpty(_))
    ));
    assert!(matches!(
        f.log.checkpoint(&other),
        Err(LogDirError::WrongKey(_))
    ));
}
