//! `zkstatus log`: the transparency log through the binary — a log built,
//! checkpointed, cosigned and audited, and the audit's exit 1 with the
//! tamper class named.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_zkstatus");

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let o = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn ok(dir: &Path, args: &[&str]) -> Out {
    let o = run(dir, args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o
}

/// A log with two issuers, a root and a retirement, checkpointed and
/// cosigned by one witness.
fn built() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for k in ["a.key", "b.key"] {
        ok(d, &["issuer", "keygen", "--out", k]);
    }
    let init = ok(
        d,
        &[
            "log",
            "init",
            "log",
            "--origin",
            "example.org/log",
            "--key-out",
            "log.key",
        ],
    );
    assert!(init.stdout.contains("example.org/log+"), "{}", init.stdout);
    let secret = std::fs::read_to_string(d.join("log.key")).unwrap();
    assert!(
        !init.stdout.contains(secret.trim()),
        "the secret key is printed"
    );
    // The registry acts, each appended by its `zkstatus registry` command.
    ok(d, &["registry", "create", "--log", "log", "--out", "r.zkr"]);
    for (k, name) in [("a.key", "City Lab"), ("b.key", "Clinic")] {
        ok(
            d,
            &[
                "registry",
                "add",
                "--registry",
                "r.zkr",
                "--log",
                "log",
                "--key",
                k,
                "--name",
                name,
                "--not-before",
                "1800000000",
                "--not-after",
                "1900000000",
            ],
        );
    }
    publish(d, "1800000100");
    ok(
        d,
        &[
            "registry",
            "retire",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--index",
            "1",
            "--at",
            "1850000000",
        ],
    );
    ok(d, &["log", "checkpoint", "log", "--key", "log.key"]);
    ok(
        d,
        &[
            "log",
            "witness",
            "keygen",
            "--name",
            "witness.example",
            "--out",
            "w.key",
            "--public-out",
            "w.pub",
        ],
    );
    ok(
        d,
        &[
            "log",
            "witness",
            "cosign",
            "log",
            "--key",
            "w.key",
            "--log-key",
            "log/log.pub",
            "--state",
            "w.state",
            "--now",
            "1800000200",
        ],
    );
    dir
}

/// `registry publish` at `now` with the default 6-hour overlap.
fn publish(d: &Path, now: &str) {
    ok(
        d,
        &[
            "registry",
            "publish",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--now",
            now,
        ],
    );
}

fn audit(d: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["log", "audit", "log", "--witness", "w.pub"];
    args.extend_from_slice(extra);
    run(d, &args)
}

#[test]
fn a_log_built_by_the_cli_passes_the_audit_with_its_history() {
    let dir = built();
    let o = audit(dir.path(), &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("4 entries, audit passed"), "{}", o.stdout);
    assert!(
        o.stdout.contains("cosigned by witness.example"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("accredited 'City Lab'"), "{}", o.stdout);
    assert!(o.stdout.contains("retired 'Clinic'"), "{}", o.stdout);
}

#[test]
fn an_edited_entry_exits_1_naming_it() {
    let dir = built();
    let p = dir.path().join("log/tile/entries/000.p/4");
    let mut b = std::fs::read(&p).unwrap();
    let last = b.len() - 1;
    b[last] ^= 1;
    std::fs::write(&p, b).unwrap();
    let o = audit(dir.path(), &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("edited entry: entry 3"), "{}", o.stderr);
}

#[test]
fn a_rolled_back_log_exits_1_and_the_witness_refuses_to_cosign_it() {
    let dir = built();
    let d = dir.path();
    std::fs::copy(d.join("log/checkpoint"), d.join("seen")).unwrap();
    // Back to an earlier folder: a fresh log of one entry under the same key.
    std::fs::rename(d.join("log"), d.join("log.old")).unwrap();
    std::fs::create_dir(d.join("log")).unwrap();
    std::fs::copy(d.join("log.old/log.pub"), d.join("log/log.pub")).unwrap();
    std::fs::write(
        d.join("log/.zkstatus-log-state"),
        "zkstatus-log-state 1\nsize 0\n",
    )
    .unwrap();
    ok(d, &["log", "checkpoint", "log", "--key", "log.key"]);
    let o = run(d, &["log", "audit", "log", "--previous", "seen"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("rolled-back checkpoint"), "{}", o.stderr);
    let o = run(
        d,
        &[
            "log",
            "witness",
            "cosign",
            "log",
            "--key",
            "w.key",
            "--log-key",
            "log/log.pub",
            "--state",
            "w.state",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("not cosigned: rolled-back"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_stale_or_uncosigned_checkpoint_exits_1() {
    let dir = built();
    let d = dir.path();
    let o = audit(d, &["--max-age", "1h", "--now", "1900000000"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("stale checkpoint"), "{}", o.stderr);
    ok(d, &["log", "checkpoint", "log", "--key", "log.key"]);
    let o = audit(d, &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("missing witness cosignature"),
        "{}",
        o.stderr
    );
}

#[test]
fn an_act_that_breaks_the_registry_rules_is_not_appended() {
    let dir = built();
    let o = run(
        dir.path(),
        &[
            "registry",
            "add",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--key",
            "a.key",
            "--name",
            "Again",
            "--not-before",
            "1800000000",
            "--not-after",
            "1900000000",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("equal 8·A"), "{}", o.stderr);
}

#[test]
fn log_bundle_needs_a_root_as_the_checkpoints_last_entry_then_writes_a_small_bundle() {
    let dir = built();
    let d = dir.path();
    // The checkpoint's last entry is a retirement: no bundle.
    let o = run(d, &["log", "bundle", "log", "--out", "b.bin"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("does not publish a root"), "{}", o.stderr);
    assert!(!d.join("b.bin").exists());
    publish(d, "1800000300");
    ok(d, &["log", "checkpoint", "log", "--key", "log.key"]);
    ok(
        d,
        &[
            "log",
            "witness",
            "cosign",
            "log",
            "--key",
            "w.key",
            "--log-key",
            "log/log.pub",
            "--state",
            "w.state",
            "--now",
            "1800000400",
        ],
    );
    let o = ok(d, &["log", "bundle", "log", "--out", "b.bin"]);
    assert!(
        o.stdout.contains("the previous root included"),
        "{}",
        o.stdout
    );
    let bytes = std::fs::read(d.join("b.bin")).unwrap();
    assert!(
        bytes.starts_with(b"ZKRB\x01") && bytes.len() <= 2048,
        "{}",
        bytes.len()
    );
    // Refreshing needs --force.
    assert_eq!(run(d, &["log", "bundle", "log", "--out", "b.bin"]).code, 2);
    ok(d, &["log", "bundle", "log", "--out", "b.bin", "--force"]);
    ok(
        d,
        &[
            "log",
            "trust",
            "--log-key",
            "log/log.pub",
            "--witness",
            "w.pub",
            "--max-age",
            "1h",
            "--out",
            "trust.json",
        ],
    );
    let trust = std::fs::read_to_string(d.join("trust.json")).unwrap();
    let trust = zkstatus_verifier::bundle::BundleTrust::from_json(&trust).unwrap();
    let b = zkstatus_verifier::bundle::RegistryBundle::from_bytes(&bytes).unwrap();
    let v = b.verify(&trust, 1_800_000_400 + 3600).unwrap();
    assert_eq!(v.roots.roots().len(), 2);
    assert!(matches!(
        b.verify(&trust, 1_800_000_400 + 3601),
        Err(zkstatus_verifier::bundle::BundleError::Stale { .. })
    ));
}

/// A static file server on 127.0.0.1 for the folder `root`, on a thread
/// that lives as long as the test process (a few lines of std, so the test
/// needs no server crate). `oversized` paths answer 1 MB of zeros.
fn serve(root: &Path, oversized: &'static [&'static str]) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut line = String::new();
            let mut r = BufReader::new(s.try_clone().unwrap());
            if r.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                    break;
                }
            }
            let path = line
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let body = if oversized.contains(&path) {
                Some(vec![0u8; 1 << 20])
            } else {
                std::fs::read(root.join(path)).ok()
            };
            let (status, body) = match body {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", Vec::new()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    format!("http://{addr}/log")
}

#[test]
fn the_audit_reads_a_log_served_over_http_with_the_same_checks() {
    let dir = built();
    let d = dir.path();
    let url = serve(d, &[]);
    // The log's key is pinned out of band, never taken from the log.
    let o = run(d, &["log", "audit", &url, "--witness", "w.pub"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("needs --log-key"), "{}", o.stderr);
    let args = [
        "log",
        "audit",
        &url,
        "--log-key",
        "log/log.pub",
        "--witness",
        "w.pub",
    ];
    let o = run(d, &args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("4 entries, audit passed"), "{}", o.stdout);
    assert!(o.stdout.contains("retired 'Clinic'"), "{}", o.stdout);
    // The same tamper, detected the same way over HTTP.
    let p = d.join("log/tile/entries/000.p/4");
    let mut b = std::fs::read(&p).unwrap();
    let last = b.len() - 1;
    b[last] ^= 1;
    std::fs::write(&p, b).unwrap();
    let o = run(d, &args);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("edited entry: entry 3"), "{}", o.stderr);
}

#[test]
fn a_log_server_sending_an_oversized_file_is_refused_without_reading_it_all() {
    let dir = built();
    let d = dir.path();
    let url = serve(d, &["log/checkpoint"]);
    let o = run(
        d,
        &[
            "log",
            "audit",
            &url,
            "--log-key",
            "log/log.pub",
            "--witness",
            "w.pub",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("larger than"), "{}", o.stderr);
    // A URL with nothing behind it: a clear error, not a pass.
    let o = run(
        d,
        &[
            "log",
            "audit",
            &format!("{url}/nothing-here"),
            "--log-key",
            "log/log.pub",
        ],
    );
    assert_ne!(o.code, 0, "{}", o.stdout);
}

#[test]
fn witness_keygen_and_trust_print_one_json_object_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "log",
            "init",
            "log",
            "--origin",
            "example.org/log",
            "--key-out",
            "log.key",
        ],
    );
    let o = ok(
        d,
        &[
            "--json",
            "log",
            "witness",
            "keygen",
            "--name",
            "w.example",
            "--out",
            "w.key",
            "--public-out",
            "w.pub",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let public = std::fs::read_to_string(d.join("w.pub")).unwrap();
    assert_eq!(v["witness_public_key"].as_str(), Some(public.trim()));
    let o = ok(
        d,
        &[
            "--json",
            "log",
            "trust",
            "--log-key",
            "log/log.pub",
            "--witness",
            "w.pub",
            "--out",
            "trust.json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["witnesses"], 1);
    assert_eq!(v["min_cosignatures"], 1);
    assert!(v["trust"].as_str().unwrap().ends_with("trust.json"));
    assert!(d.join("trust.json").is_file());
}
