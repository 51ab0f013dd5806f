//! `zkstatus registry`: the authority's commands on the accredited-issuer
//! registry of statement v2, end to end through the binary.
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

fn ok(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    serde_json::from_str(o.stdout.trim()).unwrap()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for k in ["a.key", "b.key", "c.key"] {
        assert_eq!(run(dir.path(), &["issuer", "keygen", "--out", k]).code, 0);
    }
    let d = dir.path();
    let o = run(
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
    assert_eq!(o.code, 0, "{}", o.stderr);
    ok(d, &["registry", "create", "--log", "log", "--out", "r.zkr"]);
    dir
}

fn add(dir: &Path, key: &str, name: &str) -> serde_json::Value {
    ok(
        dir,
        &[
            "registry",
            "add",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--key",
            key,
            "--name",
            name,
            "--not-before",
            "1800000000",
            "--not-after",
            "1900000000",
        ],
    )
}

#[test]
fn each_change_is_an_event_with_the_next_epoch_and_moves_the_root() {
    let dir = setup();
    let d = dir.path();
    let r0 = ok(d, &["registry", "root", "--registry", "r.zkr"]);
    assert_eq!(r0["epoch"], 0);
    assert_eq!(r0["end_date"], serde_json::Value::Null);
    let e = add(d, "a.key", "City Lab");
    assert_eq!(
        (e["event"].as_str(), e["epoch"].as_u64()),
        (Some("added"), Some(1))
    );
    add(d, "b.key", "Harbour Lab");
    let r2 = ok(d, &["registry", "root", "--registry", "r.zkr"]);
    assert_eq!(r2["epoch"], 2);
    assert_eq!(r2["end_date"], 1_900_000_000u64);
    let e = ok(
        d,
        &[
            "registry",
            "retire",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--key",
            "b.key",
            "--at",
            "1850000000",
        ],
    );
    assert_eq!(
        (
            e["event"].as_str(),
            e["epoch"].as_u64(),
            e["index"].as_u64()
        ),
        (Some("retired"), Some(3), Some(1))
    );
    let r3 = ok(d, &["registry", "root", "--registry", "r.zkr"]);
    assert_ne!(r3["root"], r2["root"]);
    assert_eq!(r3["issuers"][1]["not_after"], 1_850_000_000u64);
    // inspect shows the same epoch, root and computed end date.
    let i = ok(d, &["inspect", "r.zkr"]);
    let text = i.to_string();
    assert!(text.contains(r3["root"].as_str().unwrap()), "{text}");
    assert!(text.contains("1900000000"), "{text}");
}

#[test]
fn a_holders_path_opens_to_the_printed_root() {
    let dir = setup();
    let d = dir.path();
    for (k, n) in [("a.key", "A"), ("b.key", "B"), ("c.key", "C")] {
        add(d, k, n);
    }
    let root = ok(d, &["registry", "root", "--registry", "r.zkr"])["root"].clone();
    let p = ok(
        d,
        &["registry", "path", "--registry", "r.zkr", "--key", "c.key"],
    );
    assert_eq!(p["index"], 2);
    assert_eq!(p["root"], root);
    assert_eq!(p["siblings"].as_array().unwrap().len(), 6);
}

/// docs/security.md, items 23, 24, 59: a key the authority adds is decoded
/// strictly (circomlib packing, on the curve, in the prime-order subgroup);
/// the identity, the point of order 2, a key plus that point (mixed order),
/// `y = p` and a point off the curve are refused
/// with one error line, and the registry file is left as it was.
#[test]
fn registry_add_refuses_identity_small_order_and_malformed_keys() {
    let dir = setup();
    let d = dir.path();
    add(d, "a.key", "City Lab");
    let before = std::fs::read(d.join("r.zkr")).unwrap();
    let p_le = "010000f093f5e1439170b97948e833285d588181b64550b829a031e1724e6430";
    let p_minus_1_le = "000000f093f5e1439170b97948e833285d588181b64550b829a031e1724e6430";
    let identity = format!("01{}", "00".repeat(31));
    // y = 2: (1 − y²)/(a − d·y²) is not a square, so no x exists.
    let off_curve = format!("02{}", "00".repeat(31));
    // A real key plus the point of order 2: (x, y) + (0, −1) = (−x, −y).
    let a = zkstatus_circuits::eddsa::PrivateKey::from_bytes([0x33; 32]).public_key();
    let mixed = zkstatus_circuits::babyjubjub::point_on_curve(-a.x(), -a.y()).unwrap();
    let mixed = hex::encode(zkstatus_circuits::babyjubjub::pack(&mixed));
    for (what, hex, says) in [
        ("identity", identity.as_str(), "identity"),
        ("order 2", p_minus_1_le, "prime-order subgroup"),
        ("mixed order", mixed.as_str(), "prime-order subgroup"),
        ("y = p", p_le, "canonical"),
        ("off the curve", off_curve.as_str(), "curve"),
    ] {
        let o = run(
            d,
            &[
                "registry",
                "add",
                "--registry",
                "r.zkr",
                "--log",
                "log",
                "--public-key",
                hex,
                "--name",
                "Bad Lab",
                "--valid-for",
                "1d",
            ],
        );
        assert_ne!(o.code, 0, "{what}: {}", o.stdout);
        assert_eq!(o.stderr.lines().count(), 1, "{what}: {}", o.stderr);
        assert!(o.stderr.contains("--public-key"), "{what}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{what}: {}", o.stderr);
        assert_eq!(std::fs::read(d.join("r.zkr")).unwrap(), before, "{what}");
    }
}

#[test]
fn refuses_a_second_leaf_for_one_issuer_and_names_with_control_characters() {
    let dir = setup();
    let d = dir.path();
    add(d, "a.key", "City Lab");
    let before = std::fs::read(d.join("r.zkr")).unwrap();
    let o = run(
        d,
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
            "--valid-for",
            "1d",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("same issuer key"), "{}", o.stderr);
    let o = run(
        d,
        &[
            "registry",
            "add",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--key",
            "b.key",
            "--name",
            "Lab\nREJECT: spoofed",
            "--valid-for",
            "1d",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("U+000A"), "{}", o.stderr);
    assert_eq!(o.stderr.lines().count(), 1, "one error line: {}", o.stderr);
    // A refused change leaves the file as it was.
    assert_eq!(std::fs::read(d.join("r.zkr")).unwrap(), before);
}

#[test]
fn a_retirement_cannot_extend_a_window_and_a_damaged_file_is_refused() {
    let dir = setup();
    let d = dir.path();
    add(d, "a.key", "City Lab");
    let o = run(
        d,
        &[
            "registry",
            "retire",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--index",
            "0",
            "--at",
            "1950000000",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot extend"), "{}", o.stderr);
    let mut bytes = std::fs::read(d.join("r.zkr")).unwrap();
    bytes.push(0);
    std::fs::write(d.join("bad.zkr"), &bytes).unwrap();
    let o = run(d, &["registry", "root", "--registry", "bad.zkr"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("after its last entry"), "{}", o.stderr);
    std::fs::write(d.join("bad.zkr"), b"ZKXX\x01").unwrap();
    let o = run(d, &["registry", "root", "--registry", "bad.zkr"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("magic"), "{}", o.stderr);
    // Another kind of zkstatus file is named as such.
    std::fs::write(d.join("bad.zkr"), b"ZKVK").unwrap();
    let o = run(d, &["registry", "root", "--registry", "bad.zkr"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("expected a registry file, got a verifying-key file"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_registry_change_killed_at_any_moment_leaves_the_old_file_or_the_new_one_and_never_a_file_ahead_of_the_log(
) {
    // SIGKILL at a spread of moments (before the append, during it, between
    // the append and the file's rewrite, after the rename): the file always
    // decodes, at the old epoch or the new one, and never ahead of the log.
    // A file left behind the log is refused by the next change and
    // rewritten from the log by `registry create --force`.
    use zkstatus_verifier::registry::Registry;
    let dir = setup();
    let d = dir.path();
    add(d, "a.key", "City Lab");
    let (mut old, mut new, mut behind) = (0, 0, 0);
    for i in 0..40u64 {
        let before = Registry::from_bytes(&std::fs::read(d.join("r.zkr")).unwrap()).unwrap();
        let at = (1_899_000_000 - i).to_string();
        let mut child = Command::new(BIN)
            .args([
                "registry",
                "retire",
                "--registry",
                "r.zkr",
                "--log",
                "log",
                "--index",
                "0",
                "--at",
                &at,
            ])
            .current_dir(d)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(i * 1200));
        let _ = child.kill();
        let _ = child.wait();
        let after = Registry::from_bytes(&std::fs::read(d.join("r.zkr")).unwrap())
            .expect("the registry decodes after a kill");
        if after.epoch() == before.epoch() {
            assert_eq!(after, before);
            old += 1;
        } else {
            assert_eq!(after.epoch(), before.epoch() + 1);
            assert_eq!(
                after.entries()[0].leaf.window.not_after(),
                1_899_000_000 - i
            );
            new += 1;
        }
        // The log's registry: never behind the file.
        let o = run(
            d,
            &[
                "registry", "create", "--log", "log", "--out", "log.zkr", "--force",
            ],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        let logged = Registry::from_bytes(&std::fs::read(d.join("log.zkr")).unwrap()).unwrap();
        assert!(logged.epoch() >= after.epoch());
        if logged != after {
            behind += 1;
            assert_eq!(logged.epoch(), after.epoch() + 1);
            let o = run(
                d,
                &[
                    "registry",
                    "retire",
                    "--registry",
                    "r.zkr",
                    "--log",
                    "log",
                    "--index",
                    "0",
                    "--at",
                    "1800000000",
                ],
            );
            assert_eq!(o.code, 2);
            assert!(
                o.stderr.contains("but the log's registry is at epoch"),
                "{}",
                o.stderr
            );
            ok(
                d,
                &[
                    "registry", "create", "--log", "log", "--out", "r.zkr", "--force",
                ],
            );
        }
    }
    eprintln!(
        "file left at the old epoch: {old} (the log one act ahead, killed between the append and the rewrite: {behind}), at the new epoch: {new}"
    );
    assert_eq!(old + new, 40);
}

/// Issue [3/7]: "every `zkstatus registry` change writes its log entry":
/// without `--log` a change is refused by the argument parser, and the
/// registry file is left as it was.
#[test]
fn a_registry_change_without_a_log_is_refused() {
    let dir = setup();
    let d = dir.path();
    add(d, "a.key", "City Lab");
    let before = std::fs::read(d.join("r.zkr")).unwrap();
    for args in [
        &[
            "registry",
            "add",
            "--registry",
            "r.zkr",
            "--key",
            "b.key",
            "--name",
            "B",
            "--valid-for",
            "1d",
        ][..],
        &["registry", "retire", "--registry", "r.zkr", "--index", "0"][..],
        &[
            "registry",
            "publish",
            "--registry",
            "r.zkr",
            "--roots",
            "roots.json",
        ][..],
        &["registry", "create", "--out", "new.zkr"][..],
    ] {
        let o = run(d, args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stdout);
        assert!(o.stderr.contains("--log <DIR>"), "{args:?}: {}", o.stderr);
    }
    assert_eq!(std::fs::read(d.join("r.zkr")).unwrap(), before);
    assert!(!d.join("roots.json").exists());
    assert!(!d.join("new.zkr").exists());
    // A missing log folder is refused, saying how a log starts.
    let o = run(
        d,
        &["registry", "create", "--log", "missing", "--out", "new.zkr"],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("zkstatus log init missing"),
        "{}",
        o.stderr
    );
    assert!(!d.join("new.zkr").exists());
    // A folder that is not a log is refused too.
    std::fs::create_dir(d.join("empty")).unwrap();
    let o = run(
        d,
        &[
            "registry",
            "retire",
            "--registry",
            "r.zkr",
            "--log",
            "empty",
            "--index",
            "0",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("r.zkr")).unwrap(), before);
}

/// Issue [3/7]: the registry file is what the log's entries replay to; a
/// file ahead of the log, behind it, or of another log at the same epoch
/// is refused with the two epochs, and nothing is appended.
#[test]
fn a_registry_file_that_disagrees_with_the_log_is_refused() {
    let dir = setup();
    let d = dir.path();
    let empty = std::fs::read(d.join("r.zkr")).unwrap();
    add(d, "a.key", "City Lab");
    let retire = |file: &str| {
        run(
            d,
            &[
                "registry",
                "retire",
                "--registry",
                file,
                "--log",
                "log",
                "--index",
                "0",
                "--at",
                "1850000000",
            ],
        )
    };
    // Behind: the epoch-0 file against the log at epoch 1.
    std::fs::write(d.join("behind.zkr"), &empty).unwrap();
    let o = retire("behind.zkr");
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(
        o.stderr
            .contains("the registry file is at epoch 0 but the log's registry is at epoch 1"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("registry create --log"), "{}", o.stderr);
    // Ahead, and another registry at the same epoch: made through a second log.
    let o = run(
        d,
        &[
            "log",
            "init",
            "log2",
            "--origin",
            "example.org/log2",
            "--key-out",
            "log2.key",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    ok(
        d,
        &["registry", "create", "--log", "log2", "--out", "other.zkr"],
    );
    for (k, n) in [("b.key", "B"), ("c.key", "C")] {
        ok(
            d,
            &[
                "registry",
                "add",
                "--registry",
                "other.zkr",
                "--log",
                "log2",
                "--key",
                k,
                "--name",
                n,
                "--valid-for",
                "1d",
            ],
        );
    }
    let o = retire("other.zkr");
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("the registry file is at epoch 2 but the log's registry is at epoch 1"),
        "{}",
        o.stderr
    );
    // Both at epoch 2, different issuers: another log's registry.
    add(d, "b.key", "Harbour Lab");
    let o = retire("other.zkr");
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("both at epoch 2 but differ"),
        "{}",
        o.stderr
    );
    // Nothing was appended by a refused change: the log is at epoch 2.
    ok(
        d,
        &["registry", "create", "--log", "log", "--out", "check.zkr"],
    );
    let r = ok(d, &["registry", "root", "--registry", "check.zkr"]);
    assert_eq!(r["epoch"], 2);
    // The file that fell behind is rewritten from the log, then accepted.
    ok(
        d,
        &[
            "registry",
            "create",
            "--log",
            "log",
            "--out",
            "behind.zkr",
            "--force",
        ],
    );
    let o = retire("behind.zkr");
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// Issue [3/7]: after `registry add`, `retire` and `publish` the log holds
/// each act's entry, the roots file is the log's roots, and `log audit`
/// (after a checkpoint and a witness's cosignature) passes and prints them.
#[test]
fn after_add_retire_and_publish_the_log_has_each_entry_and_log_audit_passes() {
    let dir = setup();
    let d = dir.path();
    let e = add(d, "a.key", "City Lab");
    assert_eq!(e["log_index"], 0);
    add(d, "b.key", "Harbour Lab");
    let publish = |now: &str, at: &str| {
        ok(
            d,
            &[
                "registry",
                "publish",
                "--registry",
                "r.zkr",
                "--log",
                "log",
                "--roots",
                "roots.json",
                "--now",
                now,
                "--activates-at",
                at,
            ],
        )
    };
    let p = publish("1800000100", "1800021700");
    assert_eq!(
        (p["epoch"].as_u64(), p["log_index"].as_u64()),
        (Some(2), Some(2))
    );
    let e = ok(
        d,
        &[
            "registry",
            "retire",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--key",
            "b.key",
            "--at",
            "1850000000",
        ],
    );
    assert_eq!(
        (e["epoch"].as_u64(), e["log_index"].as_u64()),
        (Some(3), Some(3))
    );
    let p2 = publish("1800100000", "1800121600");
    assert_eq!(p2["log_index"], 4);
    // The roots file: both roots, from the log.
    let roots = ok(d, &["inspect", "roots.json"]).to_string();
    for p in [&p, &p2] {
        assert!(roots.contains(p["root"].as_str().unwrap()), "{roots}");
    }
    // A refused publication (activation inside the overlap) appends nothing.
    let o = run(
        d,
        &[
            "registry",
            "publish",
            "--registry",
            "r.zkr",
            "--log",
            "log",
            "--now",
            "1800200000",
            "--activates-at",
            "1800200001",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("less than the overlap"), "{}", o.stderr);
    assert_eq!(
        run(d, &["log", "checkpoint", "log", "--key", "log.key"]).code,
        0
    );
    let o = run(
        d,
        &[
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
    assert_eq!(o.code, 0, "{}", o.stderr);
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
            "--now",
            "1800100001",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(d, &["log", "audit", "log", "--witness", "w.pub"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("5 entries, audit passed"), "{}", o.stdout);
    for line in [
        "[0] epoch 1: accredited 'City Lab'",
        "[1] epoch 2: accredited 'Harbour Lab'",
        "[2] root of epoch 2 published",
        "[3] epoch 3: retired 'Harbour Lab' (leaf 1)",
        "[4] root of epoch 3 published",
    ] {
        assert!(o.stdout.contains(line), "{line}: {}", o.stdout);
    }
    assert!(!o.stdout.contains("[5]"), "{}", o.stdout);
}
