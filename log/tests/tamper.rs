//! One test per tamper class of issue [3/7] this increment covers: each is
//! refused by the audit with its own message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::Duration;
use zkstatus_circuits::babyjubjub;
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey};
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_log::audit::AuditError;
use zkstatus_log::entry::EntryError;
use zkstatus_log::fs::{FsStore, LogDir};
use zkstatus_log::note::NoteCheckError;
use zkstatus_log::replay::ReplayError;
use zkstatus_log::{
    audit, AuditOptions, AuditReport, LogEntry, LogSigningKey, WitnessPublicKey, WitnessSigningKey,
};
use zkstatus_verifier::registry::{Entry, RegistryFileError};

fn issuer(i: u8) -> PublicKey {
    PrivateKey::from_bytes([i; 32]).public_key()
}

fn added(epoch: u64, index: u16, k: PublicKey) -> LogEntry {
    LogEntry::IssuerAdded {
        epoch,
        index,
        entry: Entry {
            leaf: IssuerLeaf {
                key: k,
                window: Window::new(1_000, 5_000).unwrap(),
            },
            name: format!("Lab {index}"),
        },
    }
}

fn ceremony(i: u64) -> LogEntry {
    LogEntry::CeremonyResult {
        at: i,
        transcript_hash: [i as u8; 32],
        vk_fingerprint: [9; 32],
    }
}

struct Log {
    _dir: tempfile::TempDir,
    log: LogDir,
    key: LogSigningKey,
    witness: WitnessSigningKey,
}

/// A log of two issuers and three ceremony results, checkpointed.
fn log() -> Log {
    let mut rng = StdRng::seed_from_u64(7);
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = LogSigningKey::generate(&mut rng, "example.org/tamper").unwrap();
    let (witness, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
    let log = LogDir::init(&dir.path().join("log"), &key).unwrap();
    log.append(&added(1, 0, issuer(1))).unwrap();
    log.append(&added(2, 1, issuer(2))).unwrap();
    for i in 0..3 {
        log.append(&ceremony(i)).unwrap();
    }
    log.checkpoint(&key).unwrap();
    Log {
        _dir: dir,
        log,
        key,
        witness,
    }
}

fn run(
    l: &Log,
    witnesses: &[WitnessPublicKey],
    min: usize,
    previous: Option<&[u8]>,
    freshness: Option<(u64, u64)>,
) -> Result<AuditReport, AuditError> {
    audit(
        &FsStore::new(l.log.root()),
        &AuditOptions {
            log_key: l.key.public(),
            witnesses,
            min_cosignatures: min,
            previous,
            freshness,
            fmt_time: |t| t.to_string(),
        },
    )
}

fn plain(l: &Log) -> Result<AuditReport, AuditError> {
    run(l, &[], 0, None, None)
}

#[test]
fn an_untouched_log_passes() {
    assert_eq!(plain(&log()).unwrap().size, 5);
}

#[test]
fn an_edited_entry_is_named_by_its_index() {
    let l = log();
    let path = l.log.root().join("tile/entries/000.p/5");
    let mut b = std::fs::read(&path).unwrap();
    let last = b.len() - 1;
    b[last] ^= 1; // the last ceremony result's fingerprint
    std::fs::write(&path, b).unwrap();
    let err = plain(&l).unwrap_err();
    assert!(
        matches!(err, AuditError::EditedEntry { index: 4, .. }),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("edited entry: entry 4"),
        "{err}"
    );
}

#[test]
fn a_truncated_log_is_refused() {
    let l = log();
    std::fs::remove_file(l.log.root().join("tile/entries/000.p/5")).unwrap();
    let err = plain(&l).unwrap_err();
    assert!(matches!(err, AuditError::Missing { size: 5, .. }), "{err}");
    assert!(err.to_string().starts_with("truncated log"), "{err}");
}

#[test]
fn a_rolled_back_checkpoint_is_refused() {
    let l = log();
    let newer = {
        l.log.append(&ceremony(3)).unwrap();
        l.log.checkpoint(&l.key).unwrap().1
    };
    // The server goes back to the 5-entry checkpoint.
    let older = {
        let loaded = l.log.load(|t| t.to_string()).unwrap();
        l.key
            .sign_checkpoint(5, loaded.hashes.tree_hash(5).unwrap())
            .unwrap()
    };
    l.log.write_checkpoint(&older).unwrap();
    let err = run(&l, &[], 0, Some(&newer), None).unwrap_err();
    assert_eq!(err, AuditError::RolledBack { seen: 6, now: 5 });
    assert!(
        err.to_string().starts_with("rolled-back checkpoint"),
        "{err}"
    );
}

#[test]
fn two_checkpoints_of_one_size_with_different_roots_are_an_equivocation() {
    let l = log();
    let seen = l.key.sign_checkpoint(5, tlog_tiles::Hash([1; 32])).unwrap();
    let err = run(&l, &[], 0, Some(&seen), None).unwrap_err();
    assert_eq!(err, AuditError::Equivocation { size: 5 });
    assert!(err.to_string().starts_with("equivocation"), "{err}");
}

#[test]
fn a_checkpoint_seen_before_that_is_not_a_prefix_is_a_fork() {
    let l = log();
    let seen = l.key.sign_checkpoint(3, tlog_tiles::Hash([1; 32])).unwrap();
    let err = run(&l, &[], 0, Some(&seen), None).unwrap_err();
    assert_eq!(err, AuditError::Inconsistent { seen: 3 });
    assert!(err.to_string().starts_with("fork"), "{err}");
}

#[test]
fn a_missing_cosignature_is_refused() {
    let l = log();
    let err = run(&l, &[l.witness.public().clone()], 1, None, None).unwrap_err();
    assert!(
        matches!(
            err,
            AuditError::Checkpoint(NoteCheckError::MissingCosignature {
                got: 0,
                need: 1,
                ..
            })
        ),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("missing witness cosignature"),
        "{err}"
    );
}

#[test]
fn a_cosignature_by_a_foreign_key_under_the_witness_name_is_refused() {
    let l = log();
    let mut rng = StdRng::seed_from_u64(99);
    let (impostor, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
    let cp = l.log.read_checkpoint().unwrap();
    l.log
        .write_checkpoint(&impostor.cosign(&cp, 100).unwrap())
        .unwrap();
    let err = run(&l, &[l.witness.public().clone()], 1, None, None).unwrap_err();
    assert!(
        matches!(
            err,
            AuditError::Checkpoint(NoteCheckError::ForeignCosignature { .. })
        ),
        "{err}"
    );
    assert!(err.to_string().contains("foreign key"), "{err}");
}

#[test]
fn a_stale_checkpoint_is_refused() {
    let l = log();
    let cp = l.log.read_checkpoint().unwrap();
    l.log
        .write_checkpoint(&l.witness.cosign(&cp, 1_000).unwrap())
        .unwrap();
    let w = [l.witness.public().clone()];
    assert!(run(&l, &w, 1, None, Some((1_500, 3_600))).is_ok());
    let err = run(&l, &w, 1, None, Some((10_000, 3_600))).unwrap_err();
    assert_eq!(
        err,
        AuditError::Stale {
            age: 9_000,
            max_age: 3_600
        }
    );
    assert!(err.to_string().starts_with("stale checkpoint"), "{err}");
    // Without any cosignature nothing dates it.
    let err = run(&log(), &[], 0, None, Some((10_000, 3_600))).unwrap_err();
    assert_eq!(err, AuditError::Undated);
}

#[test]
fn a_registry_with_a_non_subgroup_key_is_refused() {
    let l = log();
    // A + T, T the point of order 2: on the curve, 8·(A+T) = 8·A, not in
    // the prime-order subgroup.
    let a = issuer(3).point();
    let shifted = babyjubjub::pack(&babyjubjub::Point::new_unchecked(-a.x, -a.y));
    let mut bytes = added(3, 2, issuer(3)).to_bytes();
    bytes[12..44].copy_from_slice(&shifted);
    l.log.append_unchecked(&bytes).unwrap();
    l.log.checkpoint(&l.key).unwrap_err(); // the writer refuses to sign it
    resign(&l, 6);
    let err = plain(&l).unwrap_err();
    assert!(
        matches!(
            err,
            AuditError::Entry {
                index: 5,
                source: EntryError::Key(_)
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("invalid issuer key"), "{err}");
}

#[test]
fn a_registry_with_two_leaves_of_the_same_8a_is_refused() {
    let l = log();
    l.log
        .append_unchecked(&added(3, 2, issuer(1)).to_bytes())
        .unwrap();
    l.log.checkpoint(&l.key).unwrap_err(); // the writer refuses to sign it
    resign(&l, 6);
    let err = plain(&l).unwrap_err();
    assert!(
        matches!(
            err,
            AuditError::Replay(ReplayError::Registry {
                at: 5,
                source: RegistryFileError::DuplicateKey { .. }
            })
        ),
        "{err}"
    );
    assert!(err.to_string().contains("equal 8·A"), "{err}");
}

#[test]
fn a_published_root_that_is_not_the_registrys_is_refused() {
    let l = log();
    let bytes = LogEntry::RootPublished(zkstatus_verifier::v2::roots::PublishedRoot {
        epoch: 2,
        root: Fr::from(5u64),
        published_at: 10,
        activates_at: 20,
        end_date: 5_000,
    })
    .to_bytes();
    l.log.append_unchecked(&bytes).unwrap();
    resign(&l, 6);
    let err = plain(&l).unwrap_err();
    assert_eq!(
        err,
        AuditError::Replay(ReplayError::Root { at: 5, epoch: 2 })
    );
}

/// Sign a checkpoint of the first `size` entries whatever they hold, as a
/// dishonest log would.
fn resign(l: &Log, size: u64) {
    let store = FsStore::new(l.log.root());
    let mut h = zkstatus_log::tiles::StoredHashes::new();
    let mut n = 0;
    for (t, w) in zkstatus_log::tiles::bundles_for(size) {
        let p = zkstatus_log::tiles::entries_tile_path(t, w);
        let b = zkstatus_log::Store::get(&store, &p, 1 << 20)
            .unwrap()
            .unwrap();
        for e in zkstatus_log::tiles::decode_bundle(&b, w as usize, &p).unwrap() {
            h.push(n, e).unwrap();
            n += 1;
        }
    }
    let note = l
        .key
        .sign_checkpoint(size, h.tree_hash(size).unwrap())
        .unwrap();
    l.log.write_checkpoint(&note).unwrap();
}

const CHILD: &str = "ZKSTATUS_LOG_TEST_APPEND_INTO";

/// The child: append and checkpoint forever into the folder it is given.
fn child(dir: &Path) {
    let key = LogSigningKey::parse(&std::fs::read_to_string(dir.join("key")).unwrap()).unwrap();
    let log = LogDir::open(&dir.join("log")).unwrap();
    for i in 0.. {
        log.append(&ceremony(i)).unwrap();
        if i % 3 == 0 {
            log.checkpoint(&key).unwrap();
        }
    }
}

#[test]
fn a_log_append_killed_at_any_moment_leaves_a_log_the_audit_accepts() {
    if let Ok(dir) = std::env::var(CHILD) {
        child(Path::new(&dir));
        return;
    }
    let mut rng = StdRng::seed_from_u64(11);
    let dir = tempfile::tempdir().unwrap();
    let (key, skey) = LogSigningKey::generate(&mut rng, "example.org/kill").unwrap();
    std::fs::write(dir.path().join("key"), skey).unwrap();
    let log = LogDir::init(&dir.path().join("log"), &key).unwrap();
    let mut seen: Option<Vec<u8>> = None;
    let mut sizes = Vec::new();
    for round in 0..8 {
        let mut c = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_log_append_killed_at_any_moment_leaves_a_log_the_audit_accepts",
                "--nocapture",
            ])
            .env(CHILD, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(20..200)));
        c.kill().unwrap();
        c.wait().unwrap();
        let report = audit(
            &FsStore::new(log.root()),
            &AuditOptions {
                log_key: key.public(),
                witnesses: &[],
                min_cosignatures: 0,
                previous: seen.as_deref(),
                freshness: None,
                fmt_time: |t| t.to_string(),
            },
        )
        .unwrap_or_else(|e| panic!("round {round}: {e}"));
        // `previous` makes the audit refuse a checkpoint that lost or
        // changed anything the one read after the last kill covered.
        sizes.push(report.size);
        seen = Some(log.read_checkpoint().unwrap());
    }
    // The writer carries on from what survived.
    log.append(&ceremony(1_000_000)).unwrap();
    let (size, _) = log.checkpoint(&key).unwrap();
    assert!(size > sizes[sizes.len() - 1], "{sizes:?} then {size}");
    eprintln!("checkpoint sizes after each kill: {sizes:?}");
}
