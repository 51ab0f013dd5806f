//! `zkstatus gate` end to end: a long mixed stream, crashes at each step of
//! the accept path, a failing replay store, and the line-to-verdict time
//! (issue [5/7], "Gate daemon tests").
//!
//! The fixture (setup, a registry, three holders' one-scan passes, a second
//! proof of the first holder's pass, an interactive proof) is made once per
//! test binary; the gate's clock is fixed with `--now`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_zkstatus");
/// The gate's clock: 40 s into the window starting at `WINDOW`.
const NOW: u64 = 1_763_800_000;
const WINDOW: u64 = NOW - NOW % 60;
const OPERATOR: &str = "Fixture Metro";

struct Fixture {
    dir: PathBuf,
    vk: PathBuf,
    roots: PathBuf,
    policy: PathBuf,
    /// Text one-scan passes of three holders for `OPERATOR` and `WINDOW`.
    passes: Vec<String>,
    /// Another proof of `passes[0]`'s holder and window: same nullifier.
    reproved: String,
    /// A pass for another operator.
    other_operator: String,
    /// An interactive (two-scan) proof.
    interactive: String,
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn zk(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("zkstatus-gate-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let p = |n: &str| dir.join(n);
        let t = |x: u64| x.to_string();
        zk(&["setup", "--out-dir", s(&dir)]);
        zk(&["issuer", "keygen", "--out", s(&p("issuer.key"))]);
        zk(&[
            "log",
            "init",
            s(&p("log")),
            "--origin",
            "example.org/log",
            "--key-out",
            s(&p("log.key")),
        ]);
        zk(&[
            "registry",
            "create",
            "--log",
            s(&p("log")),
            "--out",
            s(&p("registry.bin")),
        ]);
        zk(&[
            "registry",
            "add",
            "--registry",
            s(&p("registry.bin")),
            "--log",
            s(&p("log")),
            "--key",
            s(&p("issuer.key")),
            "--name",
            "Clinic A",
            "--not-before",
            &t(NOW - 30 * 86_400),
            "--not-after",
            &t(NOW + 365 * 86_400),
        ]);
        zk(&[
            "registry",
            "publish",
            "--registry",
            s(&p("registry.bin")),
            "--log",
            s(&p("log")),
            "--roots",
            s(&p("roots.json")),
            "--now",
            &t(NOW - 86_400),
            "--activates-at",
            &t(NOW - 3600),
            "--overlap",
            "6h",
        ]);
        zk(&[
            "policy",
            "--pcr-max-age",
            "72h",
            "--antigen-max-age",
            "24h",
            "--min-exposure-gap",
            "10d",
            "--out",
            s(&p("policy.json")),
        ]);
        let prove = |h: usize, mode: &[&str]| -> String {
            let files: Vec<String> = [
                "zkstatus.pk".to_string(),
                format!("cred{h}.json"),
                format!("holder{h}.secret"),
                "policy.json".to_string(),
                "registry.bin".to_string(),
                "roots.json".to_string(),
            ]
            .iter()
            .map(|n| s(&dir.join(n)).to_string())
            .collect();
            let mut args = vec!["holder", "prove", "--text"];
            for (flag, file) in [
                "--pk",
                "--credential",
                "--secret",
                "--policy",
                "--registry",
                "--unlogged-roots",
            ]
            .iter()
            .zip(&files)
            {
                args.extend([*flag, file.as_str()]);
            }
            args.extend_from_slice(mode);
            zk(&args).trim().to_string()
        };
        let w = t(WINDOW);
        let one_scan = ["--operator", OPERATOR, "--window", &w];
        let mut passes = vec![];
        for h in 0..3 {
            let secret = p(&format!("holder{h}.secret"));
            let hk: serde_json::Value =
                serde_json::from_str(&zk(&["--json", "holder", "keygen", "--out", s(&secret)]))
                    .unwrap();
            zk(&[
                "issuer",
                "issue",
                "--key",
                s(&p("issuer.key")),
                "--holder",
                hk["holder"].as_str().unwrap(),
                "--test-type",
                "pcr",
                "--test-time",
                &t(NOW - 3600),
                "--issued-at",
                &t(NOW - 3000),
                "--expires-at",
                &t(NOW + 86_400),
                "--out",
                s(&p(&format!("cred{h}.json"))),
            ]);
            passes.push(prove(h, &one_scan));
        }
        let reproved = prove(0, &one_scan);
        let other_operator = prove(1, &["--operator", "Another Metro", "--window", &w]);
        let challenge = zk(&["challenge", "--now", &t(NOW)]).trim().to_string();
        let interactive = prove(2, &["--challenge", &challenge]);
        assert!(passes.iter().all(|p| p.starts_with("ZKS2:")));
        assert_ne!(reproved, passes[0]);
        Fixture {
            vk: p("zkstatus.vk"),
            roots: p("roots.json"),
            policy: p("policy.json"),
            dir,
            passes,
            reproved,
            other_operator,
            interactive,
        }
    })
}

impl Fixture {
    /// A scratch directory for one test (emptied first).
    fn scratch(&self, test: &str) -> PathBuf {
        let d = self.dir.join("scratch").join(test);
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn gate(&self, db: &Path, extra: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args([
            "--json",
            "gate",
            "--vk",
            s(&self.vk),
            "--unlogged-roots",
            s(&self.roots),
            "--policy",
            s(&self.policy),
            "--operator",
            OPERATOR,
            "--now",
            &NOW.to_string(),
            "--db",
            s(db),
        ]);
        c.args(extra);
        c.env_remove("ZKSTATUS_GATE_CRASH_AT");
        c
    }
}

/// Run `cmd` with `input` on stdin to its end.
fn feed(mut cmd: Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from a thread: the gate answers while it reads.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn verdicts(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn codes(out: &Output) -> Vec<String> {
    verdicts(out)
        .iter()
        .map(|v| v["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_stream_of_ten_thousand_mixed_lines_gets_the_right_verdict_for_each() {
    let f = fixture();
    let dir = f.scratch("stream");
    let mut input: Vec<u8> = vec![];
    let mut expected: Vec<&str> = vec![];
    let mut used = [false; 3];
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut long_lines = 0;
    for i in 0..9_999 {
        let r = next();
        match r % 13 {
            0..=2 => {
                // A pass (LF or CR LF): the first time accepted, then used.
                let h = (r / 13 % 3) as usize;
                input.extend_from_slice(f.passes[h].as_bytes());
                input.extend_from_slice(if r / 39 % 2 == 0 { b"\n" } else { b"\r\n" });
                expected.push(if used[h] {
                    "nullifier-used"
                } else {
                    "accepted"
                });
                used[h] = true;
            }
            3 => {
                // Another proof of a used pass: same nullifier.
                input.extend_from_slice(f.reproved.as_bytes());
                input.push(b'\n');
                expected.push(if used[0] {
                    "nullifier-used"
                } else {
                    "accepted"
                });
                used[0] = true;
            }
            4 => {
                input.push(b'\n');
                expected.push("empty-line");
            }
            5 => {
                // Binary noise, not UTF-8 (no newline inside).
                // 0xFF never occurs in UTF-8.
                input.push(0xff);
                let n = (r >> 8) % 200;
                for k in 0..n {
                    input.push(0x80 | ((r >> (k % 50)) as u8 & 0x7f));
                }
                input.push(b'\n');
                expected.push("not-utf8");
            }
            6 => {
                input.extend_from_slice(format!("hello {i} https://example.invalid/\n").as_bytes());
                expected.push("not-a-pass");
            }
            7 => {
                input.extend_from_slice(f.interactive.as_bytes());
                input.push(b'\n');
                expected.push("interactive-not-accepted");
            }
            8 if i % 50 == 8 => {
                // A pass for another operator: a pairing, refused.
                input.extend_from_slice(f.other_operator.as_bytes());
                input.push(b'\n');
                expected.push("proof-invalid");
            }
            9 if long_lines < 3 => {
                // A 10 MB line, never buffered whole.
                long_lines += 1;
                input.extend(std::iter::repeat_n(b'Z', 10 << 20));
                input.push(b'\n');
                expected.push("line-too-long");
            }
            10 => {
                // A truncated pass.
                let p = &f.passes[1];
                input.extend_from_slice(&p.as_bytes()[..p.len() - 3]);
                input.push(b'\n');
                expected.push("*");
            }
            _ => {
                input.extend_from_slice(b"ZKS2:not base45 at all\n");
                expected.push("*malformed");
            }
        }
    }
    // A partial last line: still a line.
    input.extend_from_slice(f.passes[2].as_bytes());
    expected.push(if used[2] {
        "nullifier-used"
    } else {
        "accepted"
    });
    let out = feed(f.gate(&dir.join("gate.db"), &[]), &input);
    assert!(
        out.status.success(),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = verdicts(&out);
    assert_eq!(got.len(), 10_000);
    let mut accepted = 0;
    for (i, (v, want)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(v["line"], i as u64 + 1);
        let code = v["code"].as_str().unwrap();
        match *want {
            "*" | "*malformed" => assert_eq!(v["verdict"], "reject", "line {}: {v}", i + 1),
            w => assert_eq!(code, w, "line {}: {v}", i + 1),
        }
        if code == "accepted" {
            accepted += 1;
            assert_eq!(v["window_start"], WINDOW);
        } else {
            assert!(!v["reason"].as_str().unwrap().is_empty());
        }
    }
    assert_eq!(accepted, 3, "each holder accepted once");
    // Nothing of a payload is echoed on stderr.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("ZKS2:") && !err.contains("ZZZZ"), "{err}");
}

#[test]
fn plain_verdict_lines_use_plain_english() {
    let f = fixture();
    let dir = f.scratch("plain");
    let mut cmd = f.gate(&dir.join("gate.db"), &[]);
    cmd.env_remove("X");
    let args: Vec<String> = cmd
        .get_args()
        .filter(|a| *a != "--json")
        .map(|a| a.to_str().unwrap().to_string())
        .collect();
    let mut plain = Command::new(BIN);
    plain.args(&args);
    let input = format!("{p}\n{p}\nhello\n{i}\n", p = f.passes[0], i = f.interactive);
    let out = feed(plain, input.as_bytes());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "ACCEPT\nREJECT already used in this window\nREJECT not a pass: ask the visitor to open their pass screen\n\
         REJECT this is a two-scan proof, not a pass: ask the visitor to open their pass screen\n"
    );
}

#[test]
fn the_relay_runs_once_per_accept_and_its_failure_does_not_change_the_verdict() {
    let f = fixture();
    let dir = f.scratch("relay");
    let mark = dir.join("opened");
    let cmd = format!("echo x >> {}", s(&mark));
    let input = format!("{}\n{}\n{}\n", f.passes[0], f.passes[0], f.passes[1]);
    let out = feed(
        f.gate(&dir.join("gate.db"), &["--on-accept", &cmd]),
        input.as_bytes(),
    );
    assert_eq!(codes(&out), ["accepted", "nullifier-used", "accepted"]);
    assert_eq!(fs::read_to_string(&mark).unwrap(), "x\nx\n");
    // A failing and a hanging relay: logged, the verdict stands.
    let input = format!("{}\n", f.passes[2]);
    let out = feed(
        f.gate(&dir.join("gate.db"), &["--on-accept", "exit 3"]),
        input.as_bytes(),
    );
    assert_eq!(codes(&out), ["accepted"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("the relay command failed"));
    let out = feed(
        f.gate(
            &dir.join("gate2.db"),
            &["--on-accept", "sleep 30", "--relay-timeout", "1"],
        ),
        input.as_bytes(),
    );
    assert_eq!(codes(&out), ["accepted"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("was killed"));
}

/// Each crash point: what the first run printed, then what a restart on the
/// same store says to the same pass twice.
#[test]
fn a_crash_at_each_step_of_the_accept_path_never_lets_a_pass_through_twice() {
    let f = fixture();
    for (point, first, after) in [
        ("before-write", vec![], ["accepted", "nullifier-used"]),
        ("after-write", vec![], ["nullifier-used", "nullifier-used"]),
        (
            "after-verdict",
            vec!["accepted"],
            ["nullifier-used", "nullifier-used"],
        ),
    ] {
        let dir = f.scratch(&format!("crash-{point}"));
        let db = dir.join("gate.db");
        let mut cmd = f.gate(&db, &[]);
        cmd.env("ZKSTATUS_GATE_CRASH_AT", point);
        let input = format!("hello\n{p}\n{p}\n", p = f.passes[0]);
        let out = feed(cmd, input.as_bytes());
        assert!(!out.status.success(), "{point}: aborted");
        let mut want = vec!["not-a-pass"];
        want.extend(first.iter());
        assert_eq!(codes(&out), want, "{point}");
        let input = format!("{p}\n{p}\n", p = f.passes[0]);
        let out = feed(f.gate(&db, &[]), input.as_bytes());
        assert!(out.status.success());
        assert_eq!(codes(&out), after, "{point} then restart");
    }
}

#[test]
fn a_gate_killed_with_sigkill_after_an_accept_refuses_the_pass_after_restart() {
    let f = fixture();
    let dir = f.scratch("sigkill");
    let db = dir.join("gate.db");
    let mut child = f
        .gate(&db, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "{}", f.passes[1]).unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains("\"accepted\""), "{line}");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let out = feed(f.gate(&db, &[]), format!("{}\n", f.passes[1]).as_bytes());
    assert_eq!(codes(&out), ["nullifier-used"]);
}

#[test]
fn a_failing_replay_store_makes_the_gate_reject_never_accept() {
    let f = fixture();
    let dir = f.scratch("failing");
    let input = format!("{}\n{}\n", f.passes[0], f.passes[1]);
    // A store that cannot be created (its directory is a file), and a
    // store path that is a directory.
    fs::write(dir.join("file"), b"x").unwrap();
    fs::create_dir_all(dir.join("a-directory")).unwrap();
    for db in [dir.join("file").join("gate.db"), dir.join("a-directory")] {
        let out = feed(f.gate(&db, &[]), input.as_bytes());
        assert!(out.status.success());
        assert_eq!(
            codes(&out),
            ["store-failed", "store-failed"],
            "{}",
            db.display()
        );
        let v = verdicts(&out);
        assert!(v[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("the gate cannot record passes"));
        assert!(String::from_utf8_lossy(&out.stderr).contains("every pass will be refused"));
    }
    // A store whose writes fail (a trigger standing in for a full disk or
    // an I/O error): the insert fails with a constraint code other than
    // UNIQUE, and the pass is refused.
    let db = dir.join("gate.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE nullifiers (window_start INTEGER NOT NULL, nullifier BLOB NOT NULL CHECK (length(nullifier) = 32), accepted_at INTEGER NOT NULL, UNIQUE (window_start, nullifier));
         CREATE TRIGGER full BEFORE INSERT ON nullifiers BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .unwrap();
    drop(conn);
    let out = feed(f.gate(&db, &[]), input.as_bytes());
    assert_eq!(codes(&out), ["store-failed", "store-failed"]);
    assert!(verdicts(&out)[0]["reason"]
        .as_str()
        .unwrap()
        .contains("disk is full"));
}

/// Line-to-verdict time, printed (run with `--nocapture`; not asserted).
#[test]
fn line_to_verdict_latency_is_measured() {
    let f = fixture();
    let dir = f.scratch("latency");
    let mut child = f
        .gate(&dir.join("gate.db"), &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut time = |line: &str| {
        let t = Instant::now();
        writeln!(stdin, "{line}").unwrap();
        let mut v = String::new();
        stdout.read_line(&mut v).unwrap();
        (t.elapsed().as_secs_f64() * 1000.0, v)
    };
    let median = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let mut accept = vec![];
    for p in &f.passes {
        let (ms, v) = time(p);
        assert!(v.contains("\"accepted\""));
        accept.push(ms);
    }
    // A pairing and no write (another operator's pass), a repeat (a store
    // read), garbage.
    let invalid: Vec<f64> = (0..50).map(|_| time(&f.other_operator).0).collect();
    let repeat: Vec<f64> = (0..200).map(|_| time(&f.passes[0]).0).collect();
    let garbage: Vec<f64> = (0..200).map(|_| time("hello").0).collect();
    drop(stdin);
    child.wait().unwrap();
    println!(
        "gate line-to-verdict, ms (median): accept (pairing + synced commit) {:.2} of {}, invalid proof (pairing) {:.2}, repeat {:.3}, garbage {:.3}",
        median(accept.clone()),
        accept.len(),
        median(invalid),
        median(repeat),
        median(garbage)
    );
}

/// A log with one issuer and its root, checkpointed, cosigned at
/// `cosigned_at`, bundled; its bundle and a trust file with `max_age`.
fn bundle_files(dir: &Path, cosigned_at: u64, max_age: &str) -> (PathBuf, PathBuf) {
    let p = |n: &str| dir.join(n);
    let t = |x: u64| x.to_string();
    let log = p("log");
    zk(&["issuer", "keygen", "--out", s(&p("i.key"))]);
    zk(&[
        "log",
        "init",
        s(&log),
        "--origin",
        "example.org/log",
        "--key-out",
        s(&p("log.key")),
    ]);
    zk(&[
        "registry",
        "create",
        "--log",
        s(&log),
        "--out",
        s(&p("registry.bin")),
    ]);
    zk(&[
        "registry",
        "add",
        "--registry",
        s(&p("registry.bin")),
        "--log",
        s(&log),
        "--key",
        s(&p("i.key")),
        "--name",
        "Clinic A",
        "--not-before",
        &t(NOW - 86_400),
        "--not-after",
        &t(NOW + 365 * 86_400),
    ]);
    zk(&[
        "registry",
        "publish",
        "--registry",
        s(&p("registry.bin")),
        "--log",
        s(&log),
        "--overlap",
        "1h",
        "--now",
        &t(NOW - 3600),
        "--activates-at",
        &t(NOW),
    ]);
    zk(&["log", "checkpoint", s(&log), "--key", s(&p("log.key"))]);
    zk(&[
        "log",
        "witness",
        "keygen",
        "--name",
        "w.example",
        "--out",
        s(&p("w.key")),
        "--public-out",
        s(&p("w.pub")),
    ]);
    zk(&[
        "log",
        "witness",
        "cosign",
        s(&log),
        "--key",
        s(&p("w.key")),
        "--log-key",
        s(&log.join("log.pub")),
        "--state",
        s(&p("w.state")),
        "--now",
        &t(cosigned_at),
    ]);
    zk(&["log", "bundle", s(&log), "--out", s(&p("registry.bundle"))]);
    zk(&[
        "log",
        "trust",
        "--log-key",
        s(&log.join("log.pub")),
        "--witness",
        s(&p("w.pub")),
        "--max-age",
        max_age,
        "--out",
        s(&p("trust.json")),
    ]);
    (p("registry.bundle"), p("trust.json"))
}

/// The fixture's gate arguments with `--unlogged-roots` replaced by a bundle, and
/// `--now` dropped when `clock` is `None` (the system clock).
fn bundle_gate(f: &Fixture, db: &Path, bundle: &Path, trust: &Path, clock: Option<u64>) -> Command {
    let mut args: Vec<String> = f
        .gate(db, &[])
        .get_args()
        .map(|a| a.to_str().unwrap().to_string())
        .collect();
    let i = args.iter().position(|a| a == "--unlogged-roots").unwrap();
    args.splice(
        i..i + 2,
        [
            "--bundle".into(),
            s(bundle).into(),
            "--trust".into(),
            s(trust).into(),
        ],
    );
    let n = args.iter().position(|a| a == "--now").unwrap();
    match clock {
        Some(t) => args[n + 1] = t.to_string(),
        None => {
            args.drain(n..n + 2);
        }
    }
    let mut c = Command::new(BIN);
    c.args(args);
    c.env_remove("ZKSTATUS_GATE_CRASH_AT");
    c
}

#[test]
fn a_gate_with_an_aged_out_bundle_refuses_to_start_and_a_running_one_refuses_every_pass_once_it_ages_out(
) {
    let f = fixture();
    let dir = f.scratch("bundle-aged");
    let (bundle, trust) = bundle_files(&dir, NOW - 3600, "1h");
    // At the gate's clock NOW the bundle is exactly max_age old: it starts.
    let out = feed(
        bundle_gate(f, &dir.join("a.db"), &bundle, &trust, Some(NOW)),
        b"",
    );
    assert!(out.status.success(), "{out:?}");
    // One second later it has aged out: the gate refuses to start.
    let out = feed(
        bundle_gate(f, &dir.join("b.db"), &bundle, &trust, Some(NOW + 1)),
        b"",
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("registry data too old — connect to refresh"),
        "{err}"
    );

    // On the system clock: fresh for 20 more seconds when the gate starts,
    // aged out when the pass comes 25 seconds later.
    let live = f.scratch("bundle-live");
    let real_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (bundle, trust) = bundle_files(&live, real_now - 3600 + 20, "1h");
    let mut child = bundle_gate(f, &live.join("g.db"), &bundle, &trust, None)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(25));
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{}\n", f.passes[0]).as_bytes())
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(codes(&out), ["registry-data-too-old"], "{out:?}");
}

#[test]
fn a_running_gate_takes_a_refreshed_bundle_and_keeps_its_own_when_the_new_one_fails() {
    let f = fixture();
    let dir = f.scratch("bundle-refresh");
    let p = |n: &str| dir.join(n);
    let real_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Fresh for FRESH_FOR more seconds when the gate starts: room for a
    // slow start on a loaded machine, short enough to wait out.
    const FRESH_FOR: u64 = 15;
    let (made, trust) = bundle_files(&dir, real_now - 3600 + FRESH_FOR, "1h");
    let live = p("live.bundle");
    fs::copy(&made, &live).unwrap();
    let mut child = bundle_gate(f, &p("g.db"), &live, &trust, None)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut verdicts = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut pass = |line: &str| -> String {
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        let line = verdicts.next().unwrap().unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        v["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{line}"))
            .to_string()
    };
    // The gate is up and has taken the first bundle before anything
    // replaces it (a garbage line gets its verdict only after start-up).
    assert_eq!(pass("hello"), "not-a-pass");
    // The witness cosigns the same checkpoint again, now.
    zk(&[
        "log",
        "witness",
        "cosign",
        s(&p("log")),
        "--key",
        s(&p("w.key")),
        "--log-key",
        s(&p("log/log.pub")),
        "--state",
        s(&p("w.state")),
        "--now",
        &real_now.to_string(),
    ]);
    zk(&[
        "log",
        "bundle",
        s(&p("log")),
        "--out",
        s(&p("fresh.bundle")),
    ]);
    // A half-written download replaces the bundle: refused, the old one
    // stays in use (and is still fresh).
    let bytes = fs::read(p("fresh.bundle")).unwrap();
    fs::write(p("partial"), &bytes[..bytes.len() / 2]).unwrap();
    fs::rename(p("partial"), &live).unwrap();
    let first = pass(&f.passes[0]);
    assert_ne!(first, "registry-data-too-old");
    // The fresh bundle arrives (written beside, renamed over).
    fs::copy(p("fresh.bundle"), p("next")).unwrap();
    fs::rename(p("next"), &live).unwrap();
    // Past the first bundle's age-out: the refreshed one is in use.
    let wait = (real_now + FRESH_FOR + 1).saturating_sub(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    std::thread::sleep(std::time::Duration::from_secs(wait + 1));
    let second = pass(&f.passes[1]);
    assert_ne!(second, "registry-data-too-old");
    // The first bundle again (a rollback): it has aged out, so it is
    // refused with the reason, and the fresh one stays in use.
    fs::copy(&made, p("old")).unwrap();
    fs::rename(p("old"), &live).unwrap();
    let third = pass(&f.passes[2]);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("the new registry bundle was refused, keeping the one in use: registry bundle refused: the registry bundle is truncated"),
        "{err}"
    );
    assert!(
        err.contains("registry bundle refreshed (a log of 2 entries"),
        "{err}"
    );
    assert!(
        err.contains("registry data too old — connect to refresh"),
        "{err}"
    );
    assert_ne!(third, "registry-data-too-old", "{err}");
}

#[test]
fn a_gate_whose_store_saw_a_clock_far_ahead_says_so_and_reopens_after_reset_clock() {
    let f = fixture();
    let dir = f.scratch("clock-ahead");
    let db = dir.join("gate.db");
    // The store once accepted a pass with the clock a day ahead.
    {
        let mut store = zkstatus_gate::store::ReplayStore::open(&db).unwrap();
        let ahead = NOW + 86_400;
        let n = zkstatus_circuits::statement::v2::Nullifier::from_field(ark_bn254::Fr::from(7u64));
        store.record(ahead - ahead % 60, &n, ahead).unwrap();
    }
    let out = feed(f.gate(&db, &[]), format!("{}\n", f.passes[1]).as_bytes());
    assert_eq!(codes(&out), ["clock-behind-store"]);
    assert!(
        verdicts(&out)[0]["reason"]
            .as_str()
            .unwrap()
            .contains("--reset-clock"),
        "{out:?}"
    );
    // After the reset, passes of the windows current at the reset stay
    // refused (their nullifiers may have been pruned), with that reason.
    let out = feed(
        f.gate(&db, &["--reset-clock"]),
        format!("{}\n", f.passes[1]).as_bytes(),
    );
    assert_eq!(codes(&out), ["after-clock-reset"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("clock reset"), "{stderr}");
}

/// docs/security.md, item 88: the gate prints no piece of a pass (plain or
/// `--json`, accepted, repeated, tampered, for another operator, two-scan)
/// and its store keeps only window starts, nullifiers and accept times:
/// no proof bytes, no text of a pass, in the database or its journal.
#[test]
fn docs_security_item_88_the_gate_prints_and_stores_no_piece_of_a_pass() {
    use zkstatus_verifier::v2::payload::{PayloadV2, PresentedMode};
    let f = fixture();
    let dir = f.scratch("item-88");
    // Each 16-byte piece of each proof, in binary and hex, and each
    // 20-character piece of each pass's text.
    let all = [
        &f.passes[..],
        &[
            f.reproved.clone(),
            f.other_operator.clone(),
            f.interactive.clone(),
        ],
    ]
    .concat();
    let mut traces: Vec<Vec<u8>> = vec![];
    for pass in &all {
        let proof = PayloadV2::from_text(pass).unwrap().proof.to_bytes();
        for piece in proof.chunks(16) {
            traces.push(piece.to_vec());
            traces.push(
                piece
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
                    .into_bytes(),
            );
        }
        let body = pass.strip_prefix("ZKS2:").unwrap().as_bytes();
        for start in (0..body.len() - 20).step_by(10) {
            traces.push(body[start..start + 20].to_vec());
        }
    }
    let mut tampered = f.passes[1].clone().into_bytes();
    let mid = tampered.len() / 2;
    tampered[mid] = if tampered[mid] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let input = [
        &f.passes[0],
        &f.reproved,
        &tampered,
        &f.other_operator,
        &f.interactive,
        &f.passes[2],
        &f.passes[2],
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect::<String>();
    let check = |haystack: &[u8], what: &str| {
        for t in &traces {
            assert!(
                !haystack.windows(t.len()).any(|w| w == t.as_slice()),
                "{what} holds {:?}",
                String::from_utf8_lossy(t)
            );
        }
    };
    for json_flag in [true, false] {
        let db = dir.join(format!("gate-{json_flag}.db"));
        let json_cmd = f.gate(&db, &[]);
        let mut cmd = Command::new(BIN);
        cmd.args(json_cmd.get_args().filter(|a| json_flag || *a != "--json"));
        cmd.env_remove("ZKSTATUS_GATE_CRASH_AT");
        let out = feed(cmd, input.as_bytes());
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8(out.stdout.clone()).unwrap();
        assert_eq!(stdout.lines().count(), 7, "{stdout}");
        if json_flag {
            assert_eq!(
                codes(&out)[..2],
                ["accepted".to_string(), "nullifier-used".to_string()]
            );
        } else {
            assert!(stdout.starts_with("ACCEPT"), "{stdout}");
        }
        check(&out.stdout, "the gate's stdout");
        check(&out.stderr, "the gate's stderr");
        // The store: its two tables with their columns, one row per
        // ACCEPT, each a pass's nullifier; and no piece of a pass in any
        // file of the database.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let columns = |table: &str| -> Vec<String> {
            let mut st = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        tables.sort();
        assert_eq!(tables, ["clock", "nullifiers"]);
        assert_eq!(
            columns("nullifiers"),
            ["window_start", "nullifier", "accepted_at"]
        );
        assert_eq!(columns("clock"), ["id", "high_water", "min_window"]);
        let stored: Vec<Vec<u8>> = conn
            .prepare("SELECT nullifier FROM nullifiers ORDER BY nullifier")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut expected: Vec<Vec<u8>> = [&f.passes[0], &f.passes[2]]
            .iter()
            .map(|p| match PayloadV2::from_text(p).unwrap().mode {
                PresentedMode::OneScan { nullifier } => {
                    use ark_ff::{BigInteger, PrimeField};
                    nullifier.to_field().into_bigint().to_bytes_be()
                }
                PresentedMode::Interactive => unreachable!(),
            })
            .collect();
        expected.sort();
        assert_eq!(stored, expected);
        drop(conn);
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            check(&fs::read(&path).unwrap(), &path.display().to_string());
        }
    }
}
