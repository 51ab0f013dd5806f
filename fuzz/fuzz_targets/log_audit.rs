//! `zkstatus_log::audit` (checkpoint, entry bundles, hash tiles, entries,
//! registry replay, a previous checkpoint: `log/src/audit.rs`) on the
//! fixture log of `zkstatus_fuzz::log` (four entries, one witness), with
//! one of its files replaced by the input, or removed, or the input given
//! as the checkpoint seen before.
//!
//! Input: one byte picks the file (in path order; past the last file, the
//! previous checkpoint), one flag byte (bit 0: remove the file instead),
//! then the file's new contents.
//!
//! Properties: the untouched log passes; an audit that passes reports
//! exactly the fixture's size, root hash, cosignature and entries (a
//! tampered file either changes nothing the audit reads, or is refused);
//! a previous checkpoint that passes is the fixture's own (consistent at
//! its size).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zkstatus_fuzz::check;
use zkstatus_fuzz::log::{fixture, Fixture, MemStore, COSIGNED_AT, WITNESS};
use zkstatus_log::{audit, AuditOptions};

struct Setup {
    log: Fixture,
    paths: Vec<String>,
    /// The fixture's root hash.
    hash: [u8; 32],
}

fn options<'a>(f: &'a Fixture, previous: Option<&'a [u8]>) -> AuditOptions<'a> {
    AuditOptions {
        log_key: &f.log_key,
        witnesses: std::slice::from_ref(&f.witness),
        min_cosignatures: 1,
        previous,
        freshness: None,
        fmt_time: |t| t.to_string(),
    }
}

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let log = fixture();
        let mut paths: Vec<String> = log.files.keys().cloned().collect();
        paths.sort();
        let store = MemStore(log.files.clone());
        let report = audit(&store, &options(&log, Some(&log.signed)))
            .unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("the fixture log fails: {e}")));
        Setup {
            hash: report.hash.0,
            log,
            paths,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let [pick, flags, contents @ ..] = data else {
        return;
    };
    let s = setup();
    let f = &s.log;
    let mut files = f.files.clone();
    let mut previous = None;
    match s.paths.get(usize::from(*pick)) {
        Some(path) if flags & 1 == 1 => {
            files.remove(path);
        }
        Some(path) => {
            files.insert(path.clone(), contents.to_vec());
        }
        None => previous = Some(contents),
    }
    let Ok(r) = audit(&MemStore(files), &options(f, previous)) else {
        return;
    };
    check!(r.size == f.entries.len() as u64, "size {}", r.size);
    check!(r.hash.0 == s.hash, "another root hash");
    check!(
        r.cosignatures == vec![(WITNESS.to_string(), COSIGNED_AT)],
        "cosignatures {:?}",
        r.cosignatures
    );
    check!(r.entries == f.entries, "other entries");
    if previous.is_some() {
        check!(
            r.consistent_with == Some(r.size),
            "consistent with {:?}",
            r.consistent_with
        );
    }
});
