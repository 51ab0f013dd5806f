//! The `zkstatus` binary end to end (statement v2): every subcommand's
//! happy path, every bad-input class of docs/security.md, section C (exit 2,
//! one line on stderr), and the protocol checks of section D (exit 1, the
//! reason).
//!
//! Setup runs once, and one interactive payload and one one-scan pass are
//! proved once per test binary ([`fixture`]); tests copy and damage those
//! files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use zkstatus_verifier::v2::offer::ChallengeOffer;

const BIN: &str = env!("CARGO_BIN_EXE_zkstatus");
/// The fixture's clock: 2025-11-22 08:26:40 UTC.
const NOW: u64 = 1_763_800_000;
const NOW_STR: &str = "1763800000";
/// The one-scan window `NOW` lies in (`NOW` is 40 s into it).
const WINDOW: u64 = NOW - NOW % 60;
/// When the fixture's root (epoch 2) was published, and when it activates.
const PUBLISHED_AT: u64 = NOW - 86_400;
const ACTIVATES_AT: u64 = NOW - 3600;
/// The accredited issuers' window.
const NOT_BEFORE: u64 = NOW - 30 * 86_400;
const NOT_AFTER: u64 = NOW + 365 * 86_400;
/// The fixture registry's epoch: two issuers added.
const EPOCH: u64 = 2;
const ISSUER_NAME: &str = "Clinic A";
const OTHER_NAME: &str = "Clinic B";
const OPERATOR: &str = "Fixture Metro";
/// The interactive challenge's lifetime in `verify` (`v2::MAX_TTL_SECS`).
const TTL: u64 = 120;

struct Out {
    code: i32,
    stdout: String,
    /// stderr without the `--unlogged-roots` warning (the fixture's
    /// verifier reads a plain roots file, to test the roots' own rules:
    /// activation, superseded roots); `raw_stderr` keeps it.
    stderr: String,
    raw_stderr: String,
    raw_stdout: Vec<u8>,
}

/// The start of the warning `--unlogged-roots` prints on stderr.
const UNLOGGED_WARNING: &str =
    "zkstatus: warning: the registry roots from --unlogged-roots were not checked against the transparency log";

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zkstatus");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // The binary may stop reading early (size cap): ignore EPIPE.
        let _ = pipe.write_all(input);
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| !l.starts_with(UNLOGGED_WARNING))
            .map(|l| format!("{l}\n"))
            .collect(),
        raw_stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

fn zk(args: &[&str]) -> Out {
    run_with(args, None)
}

fn zk_stdin(args: &[&str], input: &[u8]) -> Out {
    run_with(args, Some(input))
}

/// `zk` with `--json` first.
fn zk_json(args: &[&str]) -> Out {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    zk(&all)
}

/// Exit 0.
#[track_caller]
fn ok(out: Out) -> Out {
    assert_eq!(out.code, 0, "{out:?}");
    out
}

/// The given exit code and exactly one stderr line,
/// `zkstatus: error: ...` containing `needle`.
#[track_caller]
fn assert_error(out: &Out, code: i32, needle: &str) {
    assert_eq!(out.code, code, "{out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one stderr line: {out:?}");
    assert!(
        lines[0].starts_with("zkstatus: error: "),
        "not an error line: {out:?}"
    );
    assert!(lines[0].contains(needle), "missing {needle:?}: {out:?}");
}

/// Exit 1 and `REJECT: <reason>` on stdout, nothing on stderr.
#[track_caller]
fn assert_reject(out: &Out, needle: &str) {
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.starts_with("REJECT: "), "{out:?}");
    assert!(out.stdout.contains(needle), "missing {needle:?}: {out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
}

/// `args` run with `--json`: exit 1, a reject verdict with this code.
#[track_caller]
fn assert_reject_code(args: &[&str], code: &str) -> serde_json::Value {
    let out = zk_json(args);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let v = json(&out);
    assert_eq!(v["verdict"], "reject", "{out:?}");
    assert_eq!(v["code"], code, "{out:?}");
    v
}

/// Exit 1, `zkstatus: NOT GREEN: <reason>; no proof made` as the one stderr
/// line, nothing on stdout.
#[track_caller]
fn assert_not_proved(out: &Out, reason: &str) {
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stderr.trim(),
        format!("zkstatus: NOT GREEN: {reason}; no proof made"),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn t(x: u64) -> String {
    x.to_string()
}

/// Files made once per test binary.
struct Fixture {
    dir: PathBuf,
    pk: PathBuf,
    vk: PathBuf,
    issuer_key: PathBuf,
    registry: PathBuf,
    roots: PathBuf,
    secret: PathBuf,
    holder: String,
    credential: PathBuf,
    policy: PathBuf,
    /// `ZKC2:…`, issued at `NOW`.
    challenge: String,
    /// Interactive, for `challenge`.
    payload: PathBuf,
    /// One-scan, for `OPERATOR` and the window starting at `WINDOW`.
    one_scan: PathBuf,
    setup_out: Out,
}

impl Fixture {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A scratch directory for one test (emptied first).
    fn scratch(&self, test: &str) -> PathBuf {
        let d = self.dir.join("scratch").join(test);
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    /// Arguments of an interactive `verify` at `NOW`, with the payload last:
    /// `[2]` vk, `[4]` roots, `[6]` policy, `[8]` challenge, `[10]` now.
    fn verify_args<'a>(&'a self, payload: &'a str) -> Vec<&'a str> {
        vec![
            "verify",
            "--vk",
            s(&self.vk),
            "--unlogged-roots",
            s(&self.roots),
            "--policy",
            s(&self.policy),
            "--challenge",
            &self.challenge,
            "--now",
            NOW_STR,
            payload,
        ]
    }

    /// Arguments of a one-scan `verify` for `operator` at the gate's clock
    /// `now` (`[8]` operator, `[10]` now).
    fn verify_one_scan_args<'a>(
        &'a self,
        operator: &'a str,
        now: &'a str,
        payload: &'a str,
    ) -> Vec<&'a str> {
        vec![
            "verify",
            "--vk",
            s(&self.vk),
            "--unlogged-roots",
            s(&self.roots),
            "--policy",
            s(&self.policy),
            "--operator",
            operator,
            "--now",
            now,
            payload,
        ]
    }

    /// Arguments of an interactive `holder prove` writing to `out`: `[3]`
    /// pk, `[5]` credential, `[7]` secret, `[9]` policy, `[11]` registry,
    /// `[13]` roots, `[15]` challenge, `[17]` out.
    fn prove_args<'a>(&'a self, out: &'a str) -> Vec<&'a str> {
        vec![
            "holder",
            "prove",
            "--pk",
            s(&self.pk),
            "--credential",
            s(&self.credential),
            "--secret",
            s(&self.secret),
            "--policy",
            s(&self.policy),
            "--registry",
            s(&self.registry),
            "--unlogged-roots",
            s(&self.roots),
            "--challenge",
            &self.challenge,
            "--out",
            out,
        ]
    }
}

/// Remove fixture directories of test runs that have ended.
fn clean_stale(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("zkstatus-cli-") {
            if !Path::new("/proc").join(pid).exists() {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

/// The transparency log every change of `registry` is appended to: the
/// folder `<registry>.log` beside it.
fn log_of(registry: &Path) -> PathBuf {
    registry.with_extension("log")
}

/// A new log (`<registry>.log`, its key `<registry>.logkey`) and its empty
/// registry file.
fn create_registry(registry: &Path) {
    ok(zk(&[
        "log",
        "init",
        s(&log_of(registry)),
        "--origin",
        "example.org/zkstatus-log",
        "--key-out",
        s(&registry.with_extension("logkey")),
    ]));
    ok(zk(&[
        "registry",
        "create",
        "--log",
        s(&log_of(registry)),
        "--out",
        s(registry),
    ]));
}

/// A copy of a registry file with its log, to change without touching the
/// original.
fn copy_registry(from: &Path, to: &Path) {
    fs::copy(from, to).unwrap();
    let (src, dst) = (log_of(from), log_of(to));
    for e in walk(&src) {
        let rel = e.strip_prefix(&src).unwrap();
        fs::create_dir_all(dst.join(rel).parent().unwrap()).unwrap();
        fs::copy(&e, dst.join(rel)).unwrap();
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = vec![];
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

/// A new registry with the fixture's two issuers (the same registry, so
/// the same epoch-2 root, in another log).
fn fixture_registry_again(registry: &Path) {
    let f = fixture();
    create_registry(registry);
    registry_add(registry, &f.issuer_key, ISSUER_NAME);
    registry_add(registry, &f.path("other.key"), OTHER_NAME);
}

/// Keep only the last root of a roots file (the log's roots file holds
/// them all).
fn keep_last_root(roots: &Path) {
    let mut v: serde_json::Value = serde_json::from_slice(&fs::read(roots).unwrap()).unwrap();
    let r = v["roots"].as_array_mut().unwrap();
    let last = r.pop().unwrap();
    *r = vec![last];
    fs::write(roots, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// `registry add` of `key` under `name` with the fixture's window.
fn registry_add(registry: &Path, key: &Path, name: &str) {
    ok(zk(&[
        "registry",
        "add",
        "--registry",
        s(registry),
        "--log",
        s(&log_of(registry)),
        "--key",
        s(key),
        "--name",
        name,
        "--not-before",
        &t(NOT_BEFORE),
        "--not-after",
        &t(NOT_AFTER),
    ]));
}

/// `registry publish` of `registry` (appended to its log) with the log's
/// roots written to `roots`, published at `PUBLISHED_AT` with a 6-hour
/// overlap, active from `activates_at`.
fn publish(registry: &Path, roots: &Path, activates_at: u64) {
    ok(zk(&[
        "registry",
        "publish",
        "--registry",
        s(registry),
        "--log",
        s(&log_of(registry)),
        "--roots",
        s(roots),
        "--now",
        &t(PUBLISHED_AT),
        "--activates-at",
        &t(activates_at),
        "--overlap",
        "6h",
    ]));
}

/// A fresh challenge issued at `at`.
fn challenge_at(at: u64) -> String {
    ok(zk(&["challenge", "--now", &t(at)]))
        .stdout
        .trim()
        .to_string()
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        clean_stale(root);
        let dir = root.join(format!("zkstatus-cli-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let p = |n: &str| dir.join(n);

        let setup_out = ok(zk(&["setup", "--out-dir", s(&dir)]));
        ok(zk(&["issuer", "keygen", "--out", s(&p("issuer.key"))]));
        ok(zk(&["issuer", "keygen", "--out", s(&p("other.key"))]));
        // The registry: the credential's issuer and another one (epoch 2),
        // published a day before the fixture clock, active an hour before.
        create_registry(&p("registry.bin"));
        registry_add(&p("registry.bin"), &p("issuer.key"), ISSUER_NAME);
        registry_add(&p("registry.bin"), &p("other.key"), OTHER_NAME);
        publish(&p("registry.bin"), &p("roots.json"), ACTIVATES_AT);
        let hk = ok(zk_json(&[
            "holder",
            "keygen",
            "--out",
            s(&p("holder.secret")),
        ]));
        let holder = json(&hk)["holder"].as_str().unwrap().to_string();
        ok(zk(&[
            "issuer",
            "issue",
            "--key",
            s(&p("issuer.key")),
            "--holder",
            &holder,
            "--test-type",
            "pcr",
            "--test-time",
            &t(NOW - 3600),
            "--issued-at",
            &t(NOW - 3000),
            "--expires-at",
            &t(NOW + 86_400),
            "--out",
            s(&p("credential.json")),
        ]));
        ok(zk(&[
            "policy",
            "--pcr-max-age",
            "72h",
            "--antigen-max-age",
            "24h",
            "--min-exposure-gap",
            "10d",
            "--out",
            s(&p("policy.json")),
        ]));
        let challenge = challenge_at(NOW);
        let f = Fixture {
            pk: p("zkstatus.pk"),
            vk: p("zkstatus.vk"),
            issuer_key: p("issuer.key"),
            registry: p("registry.bin"),
            roots: p("roots.json"),
            secret: p("holder.secret"),
            holder,
            credential: p("credential.json"),
            policy: p("policy.json"),
            challenge,
            payload: p("payload.bin"),
            one_scan: p("one-scan.bin"),
            setup_out,
            dir,
        };
        ok(zk(&f.prove_args(s(&f.payload))));
        let mut args = f.prove_args(s(&f.one_scan));
        let window = t(WINDOW);
        args.splice(14..16, ["--operator", OPERATOR, "--window", &window]);
        ok(zk(&args));
        f
    })
}

fn payload_bytes() -> Vec<u8> {
    fs::read(&fixture().payload).unwrap()
}

fn one_scan_bytes() -> Vec<u8> {
    fs::read(&fixture().one_scan).unwrap()
}

/// Write `bytes` to a file in a test's scratch directory (emptied first:
/// one file per `test`).
fn scratch_file(test: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let p = fixture().scratch(test).join(name);
    fs::write(&p, bytes).unwrap();
    p
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn json(out: &Out) -> serde_json::Value {
    serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

/// The position of a statement-v2 public input.
fn input_index(name: &str) -> usize {
    zkstatus_circuits::statement::v2::PUBLIC_INPUT_NAMES
        .iter()
        .position(|n| *n == name)
        .unwrap()
}

/// A `ZKC2:` text for any 40 bytes (time, then challenge), valid or not.
fn offer_text(issued_at: u64, challenge: &[u8; 32]) -> String {
    let mut b = issued_at.to_be_bytes().to_vec();
    b.extend_from_slice(challenge);
    format!("ZKC2:{}", zkstatus_verifier::payload::base45_encode(&b))
}

/// The field modulus, big-endian.
const MODULUS_HEX: &str = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";

// ------------------------------------------------------------ happy paths

#[test]
fn help_documents_exit_codes() {
    let out = ok(zk(&["--help"]));
    assert!(out.stdout.contains("Exit codes:"), "{out:?}");
    for line in ["  0  success", "  1  verify: REJECT", "  2  bad input"] {
        assert!(out.stdout.contains(line), "{line}: {out:?}");
    }
    // In statement-v2 terms: no trust list, no clock skew.
    assert!(out.stdout.contains("registry root"), "{out:?}");
    assert!(!out.stdout.contains("untrusted issuer"), "{out:?}");
    assert!(!out.stdout.contains("clock skew"), "{out:?}");
}

#[test]
fn setup_writes_v2_keys_prints_fingerprint_and_refuses_overwrite() {
    let f = fixture();
    let out = &f.setup_out;
    assert!(
        out.stdout.contains("verifying key fingerprint: "),
        "{out:?}"
    );
    assert!(out.stderr.contains("development only"), "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    let pk = fs::read(&f.pk).unwrap();
    let vk = fs::read(&f.vk).unwrap();
    // Version 2, QAP reduction 2 (snarkjs, the project's one), the v2
    // circuit at bytes 6..38.
    assert_eq!(&pk[..6], b"ZKPK\x02\x02");
    assert_eq!(&vk[..6], b"ZKVK\x02\x02");
    let circuit = zkstatus_verifier::v2::keyfile::CIRCUIT_FINGERPRINT_V2;
    assert_eq!(pk[6..38], circuit);
    assert_eq!(vk[6..38], circuit);
    assert_eq!(vk.len(), zkstatus_verifier::v2::keyfile::VK2_FILE_BYTES);
    assert_eq!(vk.len(), 614);
    let again = zk(&["setup", "--out-dir", s(&f.dir)]);
    assert_error(&again, 2, "already exists; use --force");
    // The refusal comes before the setup: the keys are untouched.
    assert_eq!(fs::read(&f.pk).unwrap(), pk);
}

#[test]
fn challenge_is_a_zkc2_offer_carrying_its_issue_time() {
    let a = challenge_at(NOW);
    let v = json(&ok(zk(&["--json", "challenge", "--now", NOW_STR])));
    let b = v["challenge"].as_str().unwrap().to_string();
    for c in [&a, &b] {
        assert!(c.starts_with("ZKC2:"), "{c}");
        assert_eq!(c.len(), zkstatus_verifier::v2::offer::OFFER_CHARS);
        assert_eq!(c.len(), 65);
        // base45: QR alphanumeric characters only.
        assert!(c[5..]
            .bytes()
            .all(|x| x.is_ascii_digit() || x.is_ascii_uppercase() || b" $%*+-./:".contains(&x)));
        assert_eq!(ChallengeOffer::from_text(c).unwrap().issued_at, NOW);
    }
    // Fresh: the same second gives another challenge.
    assert_ne!(a, b);
    assert_eq!(v["issued_at"], NOW);
    assert_eq!(v["expires_at"], NOW + 90);
    let hex = v["challenge_hex"].as_str().unwrap();
    assert_eq!(
        hex,
        zkstatus_prover::files::fr_to_hex(
            &ChallengeOffer::from_text(&b).unwrap().challenge.to_field()
        )
    );
    assert_eq!(hex.len(), 64);
    assert!(hex
        .bytes()
        .all(|x| x.is_ascii_digit() || (b'a'..=b'f').contains(&x)));
    // Without --now: the system clock.
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let v = json(&ok(zk(&["--json", "challenge", "--origin", "gate 7"])));
    let issued = v["issued_at"].as_u64().unwrap();
    assert!(issued.abs_diff(clock) < 60, "{v}");
    // A time in milliseconds is refused.
    let out = zk(&["challenge", "--now", &t(NOW * 1000)]);
    assert_error(&out, 2, "implausible time");
}

#[test]
fn policy_parses_durations_and_none() {
    let out = ok(zk(&[
        "policy",
        "--pcr-max-age",
        "none",
        "--antigen-max-age",
        "45m",
        "--min-exposure-gap",
        "90s",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["format"], "zkstatus/policy");
    assert_eq!(v["max_test_age"]["pcr"], serde_json::Value::Null);
    assert_eq!(v["max_test_age"]["rapid_antigen"], 2700);
    assert_eq!(v["min_exposure_gap"], 90);

    let file = fixture().scratch("policy").join("p.json");
    let out = ok(zk(&[
        "policy",
        "--pcr-max-age",
        "72h",
        "--antigen-max-age",
        "1d",
        "--min-exposure-gap",
        "864000",
        "--out",
        s(&file),
    ]));
    assert!(out.stdout.contains("PCR tests at most 72 h old"), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["max_test_age"]["pcr"], 259_200);
    assert_eq!(v["min_exposure_gap"], 864_000);

    let bad = zk(&[
        "policy",
        "--pcr-max-age",
        "5x",
        "--antigen-max-age",
        "none",
        "--min-exposure-gap",
        "0",
    ]);
    assert_error(&bad, 2, "expected a duration like 90s, 45m, 72h, 10d");
    let none = zk(&[
        "policy",
        "--pcr-max-age",
        "none",
        "--antigen-max-age",
        "none",
        "--min-exposure-gap",
        "0",
    ]);
    assert_error(&none, 2, "must accept at least one test type");
}

/// Issuer keys: generated, imported, their public key printed. (Statement
/// v1's `--trust-list` option is gone: the registry accredits issuers.)
#[test]
fn issuer_keygen_import_and_public() {
    let d = fixture().scratch("issuer_keys");
    let key = d.join("a.key");
    let out = ok(zk(&["issuer", "keygen", "--out", s(&key)]));
    assert_eq!(mode(&key), 0o600);
    let public_a = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("public key: "))
        .unwrap()
        .to_string();
    assert_eq!(public_a.len(), 64);
    let out = zk(&[
        "issuer",
        "keygen",
        "--out",
        s(&d.join("c.key")),
        "--trust-list",
        s(&d.join("trust.json")),
    ]);
    assert_error(&out, 2, "--trust-list");
    let again = zk(&["issuer", "keygen", "--out", s(&key)]);
    assert_error(&again, 2, "already exists; use --force");
    ok(zk(&["issuer", "keygen", "--out", s(&key), "--force"]));
    assert_eq!(mode(&key), 0o600);

    // An existing iden3 private key; `public` agrees with `import`.
    let imported = d.join("b.key");
    let hex = "0001020304050607080900010203040506070809000102030405060708090001";
    let out = ok(zk(&[
        "--json",
        "issuer",
        "import",
        "--private-key-hex",
        hex,
        "--out",
        s(&imported),
    ]));
    assert!(!out.stdout.contains(hex), "{out:?}");
    assert_eq!(mode(&imported), 0o600);
    let public_b = json(&out)["public_key"].as_str().unwrap().to_string();
    let out = ok(zk(&["issuer", "public", "--key", s(&imported)]));
    assert_eq!(out.stdout.trim(), format!("public key: {public_b}"));
    // circomlibjs 0.1.7 `packPoint(prv2pub(key))` (shared/vectors/eddsa_poseidon.json).
    assert_eq!(
        public_b,
        "c433f7a696b7aa3a5224efb3993baf0ccd9e92eecee0c29a3f6c8208a9e81d9e"
    );

    // A secret key never goes to stdout; a bad hex is refused without echoing it.
    let out = zk(&["issuer", "keygen", "--out", "-"]);
    assert_error(&out, 2, "refusing to write the issuer key to stdout");
    let bad = "0001020304050607080900010203040506070809000102030405060708090G01";
    let out = zk(&[
        "issuer",
        "import",
        "--private-key-hex",
        bad,
        "--out",
        s(&d.join("c.key")),
    ]);
    assert_error(
        &out,
        2,
        "invalid --private-key-hex: expected lowercase hexadecimal digits",
    );
    assert!(!out.stderr.contains(bad));
}

#[test]
fn issuer_issue_writes_an_owner_only_credential() {
    let f = fixture();
    assert_eq!(mode(&f.credential), 0o600);
    let c = json(&ok(zk(&["--json", "inspect", s(&f.credential)])));
    assert_eq!(c["kind"], "credential");
    assert_eq!(c["signature"], "valid");
    assert_eq!(c["test_type"], "pcr");
    assert_eq!(c["test_result"], "negative");
    assert_eq!(c["test_time"], NOW - 3600);
    assert_eq!(c["issued_at"], NOW - 3000);
    assert_eq!(c["expires_at"], NOW + 86_400);
    assert_eq!(c["exposure_time"], serde_json::Value::Null);

    // To stdout, with --valid-for, an exposure and a positive result.
    let holder = c["holder"].as_str().unwrap();
    let issue = |extra: &[&str]| {
        let mut args = vec![
            "issuer",
            "issue",
            "--key",
            s(&f.issuer_key),
            "--holder",
            holder,
            "--test-type",
            "rapid_antigen",
            "--result",
            "positive",
            "--test-time",
            "1763700000",
            "--exposure-time",
            "1763600000",
            "--issued-at",
            "1763750000",
        ];
        args.extend_from_slice(extra);
        zk(&args)
    };
    let out = ok(issue(&["--valid-for", "2d"]));
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["format"], "zkstatus/credential");
    assert_eq!(v["record"]["expires_at"], 1_763_750_000u64 + 172_800);
    assert_eq!(v["record"]["exposure_time"], 1_763_600_000u64);
    assert_eq!(v["record"]["test_result"], "positive");
    assert_eq!(v["record"]["test_type"], "rapid_antigen");
    // Two credentials never share an id.
    let w: serde_json::Value =
        serde_json::from_str(&ok(issue(&["--valid-for", "2d"])).stdout).unwrap();
    assert_ne!(v["record"]["credential_id"], w["record"]["credential_id"]);

    assert_error(
        &issue(&["--expires-at", "1763750000"]),
        2,
        "expires_at must be after issued_at",
    );
    let both = issue(&["--expires-at", "1763800000", "--valid-for", "1d"]);
    assert_eq!(both.code, 2, "{both:?}");
    assert_error(
        &issue(&["--expires-at", "1763750000000"]),
        2,
        "not milliseconds",
    );
}

#[test]
fn holder_keygen_prints_the_commitment_and_is_owner_only() {
    let d = fixture().scratch("holder_keygen");
    let file = d.join("me.secret");
    let out = ok(zk(&["holder", "keygen", "--out", s(&file)]));
    assert_eq!(mode(&file), 0o600);
    let commitment = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("holder commitment (give this to the issuer): "))
        .unwrap();
    assert_eq!(commitment.len(), 64);
    let stored: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(stored["holder"], commitment);
    assert!(!out.stdout.contains(stored["secret"].as_str().unwrap()));
    assert_error(
        &zk(&["holder", "keygen", "--out", s(&file)]),
        2,
        "already exists; use --force",
    );
    assert_error(
        &zk(&["holder", "keygen", "--out", "-"]),
        2,
        "refusing to write the holder secret to stdout",
    );
}

#[test]
fn holder_status_green_and_not_green() {
    let f = fixture();
    let status = |policy: &Path, now: &str| {
        zk(&[
            "holder",
            "status",
            "--credential",
            s(&f.credential),
            "--secret",
            s(&f.secret),
            "--policy",
            s(policy),
            "--now",
            now,
        ])
    };
    let out = ok(status(&f.policy, NOW_STR));
    assert!(out.stdout.starts_with("GREEN\n"), "{out:?}");

    let out = status(&f.policy, &t(NOW + 86_400));
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout.trim(), "NOT GREEN: the credential has expired");

    let strict = fixture().scratch("holder_status").join("strict.json");
    ok(zk(&[
        "policy",
        "--pcr-max-age",
        "30m",
        "--antigen-max-age",
        "none",
        "--min-exposure-gap",
        "0",
        "--out",
        s(&strict),
    ]));
    let out = status(&strict, NOW_STR);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stdout.trim(),
        "NOT GREEN: the test is 3600 s old; the policy accepts at most 1800 s"
    );
    let antigen_only = fixture().scratch("holder_status_2").join("antigen.json");
    ok(zk(&[
        "policy",
        "--pcr-max-age",
        "none",
        "--antigen-max-age",
        "1d",
        "--min-exposure-gap",
        "0",
        "--out",
        s(&antigen_only),
    ]));
    let out = zk(&[
        "--json",
        "holder",
        "status",
        "--credential",
        s(&f.credential),
        "--secret",
        s(&f.secret),
        "--policy",
        s(&antigen_only),
        "--now",
        NOW_STR,
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let v = json(&out);
    assert_eq!(v["green"], false);
    assert_eq!(v["reason"], "the policy does not accept pcr tests");

    // Another holder's secret.
    let other = fixture().scratch("holder_status_3").join("other.secret");
    ok(zk(&["holder", "keygen", "--out", s(&other)]));
    let out = zk(&[
        "holder",
        "status",
        "--credential",
        s(&f.credential),
        "--secret",
        s(&other),
        "--policy",
        s(&f.policy),
        "--now",
        NOW_STR,
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stdout.trim(),
        "NOT GREEN: the holder secret does not match the record"
    );
}

#[test]
fn registry_publish_appends_the_root_with_its_activation_time() {
    let f = fixture();
    let reg = json(&ok(zk(&[
        "--json",
        "registry",
        "root",
        "--registry",
        s(&f.registry),
    ])));
    assert_eq!(reg["epoch"], EPOCH);
    assert_eq!(reg["end_date"], NOT_AFTER);
    assert_eq!(reg["issuers"][0]["name"], ISSUER_NAME);
    assert_eq!(reg["issuers"][1]["name"], OTHER_NAME);
    let roots = json(&ok(zk(&["--json", "inspect", s(&f.roots)])));
    assert_eq!(roots["kind"], "registry_roots");
    let r = &roots["roots"];
    assert_eq!(r.as_array().unwrap().len(), 1);
    assert_eq!(r[0]["epoch"], EPOCH);
    assert_eq!(r[0]["root"], reg["root"]);
    assert_eq!(r[0]["published_at"], PUBLISHED_AT);
    assert_eq!(r[0]["activates_at"], ACTIVATES_AT);
    assert_eq!(r[0]["end_date"], NOT_AFTER);

    // A later epoch is appended; by default it activates one overlap after
    // its publication.
    let d = f.scratch("publish_append");
    let (reg3, roots2) = (d.join("registry.bin"), d.join("roots.json"));
    copy_registry(&f.registry, &reg3);
    fs::copy(&f.roots, &roots2).unwrap();
    ok(zk(&["issuer", "keygen", "--out", s(&d.join("third.key"))]));
    registry_add(&reg3, &d.join("third.key"), "Clinic C");
    let out = ok(zk(&[
        "--json",
        "registry",
        "publish",
        "--registry",
        s(&reg3),
        "--log",
        s(&log_of(&reg3)),
        "--roots",
        s(&roots2),
        "--now",
        NOW_STR,
        "--overlap",
        "2h",
    ]));
    let v = json(&out);
    assert_eq!(v["epoch"], EPOCH + 1);
    assert_eq!(v["activates_at"], NOW + 7200);
    let roots = json(&ok(zk(&["--json", "inspect", s(&roots2)])));
    assert_eq!(roots["roots"][0]["epoch"], EPOCH);
    assert_eq!(roots["roots"][1]["epoch"], EPOCH + 1);
    // The same epoch again is refused, and the file is left as it was.
    let before = fs::read(&roots2).unwrap();
    let again = zk(&[
        "registry",
        "publish",
        "--registry",
        s(&reg3),
        "--log",
        s(&log_of(&reg3)),
        "--roots",
        s(&roots2),
        "--now",
        NOW_STR,
    ]);
    assert_error(&again, 2, "epochs and activation times must both increase");
    assert_eq!(fs::read(&roots2).unwrap(), before);
    // An empty registry has nothing to publish.
    let empty = d.join("empty.bin");
    create_registry(&empty);
    let out = zk(&[
        "registry",
        "publish",
        "--registry",
        s(&empty),
        "--log",
        s(&log_of(&empty)),
        "--roots",
        s(&d.join("new.json")),
        "--now",
        NOW_STR,
    ]);
    assert_error(&out, 2, "the registry has no issuers: nothing to publish");
    assert!(!d.join("new.json").exists());
}

#[test]
fn registry_publish_refuses_an_activation_closer_than_the_overlap() {
    let f = fixture();
    let d = f.scratch("publish_overlap");
    let (reg3, roots) = (d.join("registry.bin"), d.join("roots.json"));
    copy_registry(&f.registry, &reg3);
    fs::copy(&f.roots, &roots).unwrap();
    ok(zk(&["issuer", "keygen", "--out", s(&d.join("third.key"))]));
    registry_add(&reg3, &d.join("third.key"), "Clinic C");
    let before = fs::read(&roots).unwrap();
    let publish_at = |activates_at: u64, overlap: Option<&str>| {
        let activates_at = t(activates_at);
        let log = log_of(&reg3);
        let mut args = vec![
            "registry",
            "publish",
            "--registry",
            s(&reg3),
            "--log",
            s(&log),
            "--roots",
            s(&roots),
            "--now",
            NOW_STR,
            "--activates-at",
            &activates_at,
        ];
        if let Some(o) = overlap {
            args.extend(["--overlap", o]);
        }
        zk(&args)
    };
    // The default overlap is 6 h: an hour is too close.
    let out = publish_at(NOW + 3600, None);
    assert_error(
        &out,
        2,
        &format!(
            "--activates-at {} is less than the overlap (21600 s) after publication at {NOW}",
            NOW + 3600
        ),
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    // So is one second less than a given overlap; and a past activation.
    assert_error(
        &publish_at(NOW + 1799, Some("30m")),
        2,
        "less than the overlap (1800 s)",
    );
    assert_error(
        &publish_at(NOW - 1, Some("0")),
        2,
        "less than the overlap (0 s)",
    );
    assert_eq!(fs::read(&roots).unwrap(), before, "nothing appended");
    // Exactly the overlap is enough.
    ok(publish_at(NOW + 1800, Some("30m")));
    let v = json(&ok(zk(&["--json", "inspect", s(&roots)])));
    assert_eq!(v["roots"][1]["activates_at"], NOW + 1800);
}

#[test]
fn verify_accepts_the_shared_payload_and_never_names_the_issuer() {
    let f = fixture();
    assert_eq!(payload_bytes().len(), 146);
    let out = ok(zk(&f.verify_args(s(&f.payload))));
    assert!(
        out.stdout
            .starts_with("ACCEPT: green under this policy, issued by an accredited issuer\n"),
        "{out:?}"
    );
    assert!(
        out.stdout
            .contains(&format!("under registry epoch {EPOCH} (interactive)")),
        "{out:?}"
    );
    let v = json(&ok(zk_json(&f.verify_args(s(&f.payload)))));
    assert_eq!(v["verdict"], "accept");
    assert_eq!(v["code"], "accepted");
    assert_eq!(v["issuer"], "an accredited issuer");
    assert_eq!(v["reason"], serde_json::Value::Null);
    assert_eq!(v["now"], NOW);
    assert_eq!(v["registry_epoch"], EPOCH);
    assert_eq!(v["mode"], "interactive");
    assert_eq!(v["nullifier"], serde_json::Value::Null);
    // Neither the issuer's name nor its key appears anywhere.
    let key = json(&ok(zk(&["--json", "inspect", s(&f.issuer_key)])));
    let key = key["public_key"].as_str().unwrap();
    for text in [&out.stdout, &v.to_string()] {
        assert!(!text.contains(ISSUER_NAME) && !text.contains(key), "{text}");
    }
    let shown = ok(zk(&["--json", "inspect", s(&f.payload)])).stdout;
    assert!(!shown.contains(key), "{shown}");
}

/// What of a payload must never reappear in a verifier's output
/// (docs/security.md, item 88): each 16-byte piece of its proof, in
/// binary and in hex, and each 20-character piece of its text form.
fn payload_traces(payload: &[u8]) -> Vec<Vec<u8>> {
    let p = zkstatus_verifier::v2::payload::PayloadV2::from_bytes(payload).unwrap();
    let proof = p.proof.to_bytes();
    let text = p.to_text();
    let body = text.strip_prefix("ZKS2:").unwrap().as_bytes();
    let mut traces = vec![];
    for piece in proof.chunks(16) {
        traces.push(piece.to_vec());
        traces.push(hex_of(piece).into_bytes());
    }
    for start in (0..body.len() - 20).step_by(10) {
        traces.push(body[start..start + 20].to_vec());
    }
    // Each trace is a piece of the payload's binary or text form.
    let forms = [payload, text.as_bytes()];
    assert!(traces.iter().all(|t| forms
        .iter()
        .any(|f| f.windows(t.len()).any(|w| w == t.as_slice()))
        || t.len() == 32));
    traces
}

fn assert_no_trace(out: &Out, traces: &[Vec<u8>], what: &str) {
    for haystack in [&out.raw_stdout, out.raw_stderr.as_bytes()] {
        for t in traces {
            assert!(
                !haystack.windows(t.len()).any(|w| w == t.as_slice()),
                "{what} shows {:?}: {out:?}",
                String::from_utf8_lossy(t)
            );
        }
    }
}

/// docs/security.md, item 88: `verify` and `holder prove` print no piece of
/// a proof and no secret (the issuer's key, the holder's secret, the
/// credential's signature and id), plain or `--json`, accepted or refused.
#[test]
fn docs_security_item_88_verify_and_prove_print_no_piece_of_a_proof_and_no_secret() {
    let f = fixture();
    let field = |path: &Path, pointer: &str| -> Vec<u8> {
        let v: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
        v.pointer(pointer)
            .unwrap()
            .as_str()
            .unwrap()
            .as_bytes()
            .to_vec()
    };
    let secrets = [
        field(&f.issuer_key, "/private_key"),
        field(&f.secret, "/secret"),
        field(&f.credential, "/signature"),
        field(&f.credential, "/record/credential_id"),
    ];
    let mut traces = payload_traces(&payload_bytes());
    traces.extend(payload_traces(&one_scan_bytes()));
    traces.extend(secrets.iter().cloned());
    let mut tampered = payload_bytes();
    tampered[60] ^= 1;
    let tampered = scratch_file("item_88", "tampered.bin", &tampered);
    let window = t(WINDOW + 10);
    for json_flag in [false, true] {
        let run = |args: Vec<&str>| {
            let mut a = vec![];
            if json_flag {
                a.push("--json");
            }
            a.extend(args);
            zk(&a)
        };
        let accepted = ok(run(f.verify_args(s(&f.payload))));
        assert_no_trace(&accepted, &traces, "an accepting verify");
        let one_scan = ok(run(f.verify_one_scan_args(
            OPERATOR,
            &window,
            s(&f.one_scan),
        )));
        assert_no_trace(&one_scan, &traces, "an accepting one-scan verify");
        let refused = run(f.verify_args(s(&tampered)));
        assert_ne!(refused.code, 0, "{refused:?}");
        assert_no_trace(&refused, &traces, "a refusing verify");
        let other_gate = run(f.verify_one_scan_args("Another Metro", &window, s(&f.one_scan)));
        assert_ne!(other_gate.code, 0, "{other_gate:?}");
        assert_no_trace(&other_gate, &traces, "a verify for another operator");
        // A new proof: its own pieces are not printed either (it goes
        // to the file), nor are the holder's secrets.
        let out = f
            .scratch(&format!("item_88_prove_{json_flag}"))
            .join("p.bin");
        let proved = ok(run(f.prove_args(s(&out))));
        let mut own = payload_traces(&fs::read(&out).unwrap());
        own.extend(secrets.iter().cloned());
        assert_no_trace(&proved, &own, "holder prove");
    }
}

#[test]
fn prove_text_to_stdout_and_verify_it_from_stdin() {
    let f = fixture();
    let mut args = f.prove_args("-");
    args.push("--text");
    let out = ok(zk(&args));
    let text = out.stdout.trim();
    assert!(text.starts_with("ZKS2:"), "{out:?}");
    assert_eq!(text.len(), 5 + 219);
    // Surrounding whitespace is fine; the text form is auto-detected.
    let input = format!("\n  {text}\n");
    let out = ok(zk_stdin(&f.verify_args("-"), input.as_bytes()));
    assert!(out.stdout.starts_with("ACCEPT"), "{out:?}");
    let shown = json(&ok(zk_stdin(&["--json", "inspect", "-"], text.as_bytes())));
    assert_eq!(shown["form"], "text");
    assert_eq!(shown["now"], NOW);
    assert_eq!(shown["mode"], "interactive");
    assert_eq!(shown["registry_epoch"], EPOCH);

    // Binary to a pipe is allowed (stdout is not a terminal).
    let out = ok(zk(&["--json", "inspect", s(&f.payload)]));
    let v = json(&out);
    assert_eq!(v["kind"], "payload");
    assert_eq!(v["size"], 146);
    assert_eq!(v["text_chars"], 224);
    assert_eq!(v["version"], 2);
    assert_eq!(v["proof"], 128);
    assert_eq!(v["issuer"], serde_json::Value::Null);
}

#[test]
fn one_scan_pass_is_accepted_for_its_operator_only() {
    let f = fixture();
    let pass = one_scan_bytes();
    assert_eq!(pass.len(), 178);
    assert_eq!(pass[1], 1, "mode byte: one-scan");
    let args = f.verify_one_scan_args(OPERATOR, NOW_STR, s(&f.one_scan));
    let out = ok(zk(&args));
    assert!(
        out.stdout
            .starts_with("ACCEPT: green under this policy, issued by an accredited issuer\n"),
        "{out:?}"
    );
    assert!(out.stdout.contains("(one-scan)"), "{out:?}");
    let v = json(&ok(zk_json(&args)));
    assert_eq!(v["mode"], "one-scan");
    assert_eq!(v["now"], WINDOW);
    assert_eq!(v["registry_epoch"], EPOCH);
    let nullifier = v["nullifier"].as_str().unwrap();
    assert_eq!(nullifier.len(), 64);
    let shown = json(&ok(zk(&["--json", "inspect", s(&f.one_scan)])));
    assert_eq!(shown["mode"], "one-scan");
    assert_eq!(shown["size"], 178);
    assert_eq!(shown["now"], WINDOW);
    assert_eq!(shown["nullifier"], nullifier);
    // Another operator's gate, or the global scope: the scope differs, so
    // the proof does not verify.
    for other in ["Other Metro", "global"] {
        let args = f.verify_one_scan_args(other, NOW_STR, s(&f.one_scan));
        assert_reject(&zk(&args), "the proof does not verify");
        assert_reject_code(&args, "proof-invalid");
    }
    // The operator name is checked.
    let args = f.verify_one_scan_args(" padded", NOW_STR, s(&f.one_scan));
    assert_error(
        &zk(&args),
        2,
        "--operator: an operator name must not start or end with a space",
    );
}

#[test]
fn one_scan_window_outside_the_accepted_ones_rejects() {
    let f = fixture();
    let at = |gate_now: u64| {
        let now = t(gate_now);
        zk_json(&f.verify_one_scan_args(OPERATOR, &now, s(&f.one_scan)))
    };
    // The current window; the previous one for 15 s after a boundary; the
    // next one from 5 s before it.
    for ok_at in [WINDOW, WINDOW + 59, WINDOW + 60 + 15, WINDOW - 5] {
        let out = ok(at(ok_at));
        assert_eq!(json(&out)["verdict"], "accept", "{ok_at}");
    }
    let old = t(WINDOW + 60 + 16);
    let args = f.verify_one_scan_args(OPERATOR, &old, s(&f.one_scan));
    assert_reject(&zk(&args), "is too old");
    assert_reject_code(&args, "window-too-old");
    let early = t(WINDOW - 6);
    let args = f.verify_one_scan_args(OPERATOR, &early, s(&f.one_scan));
    assert_reject(&zk(&args), "is in the future");
    assert_reject_code(&args, "window-in-future");
    // A pass whose time is not a window start is malformed.
    let mut p = one_scan_bytes();
    p[17] ^= 1;
    let misaligned = scratch_file("one_scan_misaligned", "p.bin", &p);
    let out = zk(&f.verify_one_scan_args(OPERATOR, NOW_STR, s(&misaligned)));
    assert_error(
        &out,
        2,
        &format!(
            "malformed payload: one-scan time {} is not the start of a 60-second window",
            WINDOW ^ 1
        ),
    );
    // The holder's window must be aligned too.
    let d = f.scratch("one_scan_prove_misaligned");
    let never = d.join("never.bin");
    let mut args = f.prove_args(s(&never));
    let w = t(WINDOW + 1);
    args.splice(14..16, ["--operator", OPERATOR, "--window", &w]);
    assert_error(
        &zk(&args),
        2,
        "is not aligned to the 60-second window length",
    );
    assert!(!d.join("never.bin").exists());
}

#[test]
fn a_presentation_in_the_other_mode_rejects() {
    let f = fixture();
    let args = f.verify_args(s(&f.one_scan));
    assert_reject(
        &zk(&args),
        "this gate does not accept one-scan presentations",
    );
    assert_reject_code(&args, "mode-not-accepted");
    let args = f.verify_one_scan_args(OPERATOR, NOW_STR, s(&f.payload));
    assert_reject(
        &zk(&args),
        "this gate does not accept interactive presentations",
    );
    assert_reject_code(&args, "mode-not-accepted");
}

#[test]
fn inspect_describes_each_kind_and_never_a_secret() {
    let f = fixture();
    let key: serde_json::Value = serde_json::from_slice(&fs::read(&f.issuer_key).unwrap()).unwrap();
    let private = key["private_key"].as_str().unwrap();
    let secret: serde_json::Value = serde_json::from_slice(&fs::read(&f.secret).unwrap()).unwrap();
    let secret_hex = secret["secret"].as_str().unwrap();
    for json_flag in [false, true] {
        let run = |p: &Path| {
            let mut a = vec![];
            if json_flag {
                a.push("--json");
            }
            a.extend(["inspect", s(p)]);
            ok(zk(&a))
        };
        let out = run(&f.issuer_key);
        assert!(!out.stdout.contains(private) && !out.stderr.contains(private));
        assert!(
            out.stdout.contains(key["public_key"].as_str().unwrap()),
            "{out:?}"
        );
        let out = run(&f.secret);
        assert!(!out.stdout.contains(secret_hex) && !out.stderr.contains(secret_hex));
        assert!(
            out.stdout.contains(secret["holder"].as_str().unwrap()),
            "{out:?}"
        );
        // Nor via stdin.
        let mut a = vec![];
        if json_flag {
            a.push("--json");
        }
        a.extend(["inspect", "-"]);
        let out = ok(zk_stdin(&a, &fs::read(&f.secret).unwrap()));
        assert!(!out.stdout.contains(secret_hex));
    }
    let out = ok(zk(&["inspect", s(&f.policy)]));
    assert!(
        out.stdout
            .contains("pcr max age            72 h (259200 s)"),
        "{out:?}"
    );
    let out = ok(zk(&["inspect", s(&f.roots)]));
    assert!(
        out.stdout.starts_with("registry roots: 1 published"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains(&format!("epoch {EPOCH}: root ")),
        "{out:?}"
    );
    let reg = json(&ok(zk(&["--json", "inspect", s(&f.registry)])));
    assert_eq!(reg["kind"], "registry");
    assert_eq!(reg["epoch"], EPOCH);
    assert_eq!(reg["issuers"], 2);
    assert_eq!(reg["end_date"], NOT_AFTER);
    let vk = json(&ok(zk(&["--json", "inspect", s(&f.vk)])));
    let pk = json(&ok(zk(&["--json", "inspect", s(&f.pk)])));
    assert_eq!(vk["kind"], "verifying_key");
    assert_eq!(pk["kind"], "proving_key");
    for k in [&vk, &pk] {
        assert_eq!(k["format_version"], 2);
        assert_eq!(k["qap_reduction"], "snarkjs (circom)");
    }
    assert_eq!(vk["vk_fingerprint"], pk["vk_fingerprint"]);
    let circuit = hex_of(&zkstatus_verifier::v2::keyfile::CIRCUIT_FINGERPRINT_V2);
    assert_eq!(vk["circuit_fingerprint"], circuit.as_str());
    assert_eq!(pk["circuit_fingerprint"], circuit.as_str());
    assert!(f
        .setup_out
        .stdout
        .contains(vk["vk_fingerprint"].as_str().unwrap()));
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn inspect_circuit_prints_shape_inputs_and_fingerprint() {
    let v = json(&ok(zk(&["inspect", "circuit", "--json"])));
    let fp = hex_of(&zkstatus_verifier::v2::keyfile::CIRCUIT_FINGERPRINT_V2);
    assert_eq!(v["statement_version"], 2);
    assert_eq!(v["circuit_fingerprint"], fp.as_str());
    assert_eq!(v["matches_key_files"], true);
    let names = zkstatus_circuits::statement::v2::PUBLIC_INPUT_NAMES;
    assert_eq!(v["public_inputs"], serde_json::json!(names));
    // The registry root and the nullifier are public; no issuer key is.
    assert_eq!(names[0], "registry_root");
    assert!(names.contains(&"nullifier"), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("issuer")), "{names:?}");
    // The budget: constraints + instance variables within the 2^13 domain.
    let constraints = v["constraints"].as_u64().unwrap();
    let instance = v["instance_variables"].as_u64().unwrap();
    assert!(constraints > 5169, "more than v1's: {v}");
    assert_eq!(v["constraints_plus_instance"], constraints + instance);
    assert_eq!(v["budget"], 8192);
    assert!(constraints + instance <= 8192, "{v}");
    assert_eq!(instance, names.len() as u64 + 1);
    let short = v["circuit_fingerprint_short"].as_str().unwrap();
    assert_eq!(short.len(), 19);
    assert!(fp.starts_with(&short.replace('-', "")));
    // `inspect` alone describes the circuit too (as README and docs use it).
    let out = ok(zk(&["inspect"]));
    assert!(
        out.stdout.contains(&format!("circuit fingerprint:  {fp}")),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("statement:            version 2"),
        "{out:?}"
    );
    for name in ["registry_root", "challenge", "nullifier"] {
        let line = format!("  {}  {name}\n", input_index(name));
        assert!(out.stdout.contains(&line), "{line}: {out:?}");
    }
}

#[test]
fn demo_runs_the_v2_flow_and_prints_each_verdict() {
    let d = fixture().scratch("demo");
    let out = ok(zk(&["demo", "--dir", s(&d)]));
    for needle in [
        "statement v2",
        "[ 7/17] setup keys",
        "registry acts, appended to the log",
        "log: checkpoint, cosign, bundle, audit",
        "audit passed: 6 entries",
        "ACCEPT: green under this policy, issued by an accredited issuer",
        "REJECT: the proof is for a challenge that was already used: a replay",
        "REJECT: the proof does not verify",
        "holder refuses to prove: the issuer's accreditation has ended",
        "but at time",
        "second scan: REJECT: already used in this window",
        "holder refuses to prove: the credential has expired",
        "QR code skipped",
        "all 17 steps as expected",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {out:?}");
    }
    // The hidden issuer is never in a verdict.
    for line in out.stdout.lines().filter(|l| l.contains("ACCEPT")) {
        assert!(!line.contains("Demo Clinic"), "{line}");
    }
    for secret in ["issuer.key", "holder.secret", "credential.json"] {
        assert_eq!(mode(&d.join(secret)), 0o600, "{secret}");
    }
    // The demo's files work with the other subcommands.
    let shown = json(&ok(zk(&["--json", "inspect", s(&d.join("payload.txt"))])));
    assert_eq!(shown["kind"], "payload");
    assert_eq!(shown["version"], 2);
    let roots = json(&ok(zk(&["--json", "inspect", s(&d.join("roots.json"))])));
    assert_eq!(roots["roots"].as_array().unwrap().len(), 2);
    for (file, epoch) in [
        ("registry-3.bin", 3),
        ("registry-4.bin", 4),
        ("registry.bin", 4),
    ] {
        let reg = json(&ok(zk(&[
            "--json",
            "registry",
            "root",
            "--registry",
            s(&d.join(file)),
        ])));
        assert_eq!(reg["epoch"], epoch, "{file}");
        assert_eq!(reg["issuers"].as_array().unwrap().len(), 3, "{file}");
    }
    // The registry file is the log's registry: a change through the log is
    // accepted.
    let out = ok(zk(&[
        "--json",
        "registry",
        "create",
        "--log",
        s(&d.join("log")),
        "--out",
        s(&d.join("from-log.bin")),
    ]));
    assert_eq!(json(&out)["epoch"], 4);
    assert_eq!(
        fs::read(d.join("from-log.bin")).unwrap(),
        fs::read(d.join("registry.bin")).unwrap()
    );
    // A second run into the same directory needs --force.
    assert_error(
        &zk(&["demo", "--dir", s(&d)]),
        2,
        "already exists; use --force",
    );
}

#[test]
fn demo_json_reports_every_outcome() {
    let v = json(&ok(zk(&["--json", "demo"])));
    assert_eq!(v["statement_version"], 2);
    for key in [
        "accepted",
        "replay_rejected",
        "tampered_rejected",
        "retired_refused",
        "stale_root_rejected",
        "one_scan_accepted",
        "one_scan_repeat_rejected",
        "expired_refused",
    ] {
        assert_eq!(v[key], true, "{key}: {v}");
    }
    assert_eq!(v["payload_bytes"], 146);
    assert_eq!(v["payload_text_chars"], 224);
    assert_eq!(v["steps"].as_array().unwrap().len(), 17);
    assert_eq!(v["dir"], serde_json::Value::Null);
}

#[test]
fn secret_files_are_owner_only() {
    let f = fixture();
    assert_eq!(mode(&f.issuer_key), 0o600);
    assert_eq!(mode(&f.secret), 0o600);
    assert_eq!(mode(&f.credential), 0o600);
}

#[test]
fn usage_errors_are_one_line_and_exit_2() {
    let f = fixture();
    let out = zk(&["verify", "--vk", "x"]);
    assert_error(&out, 2, "required arguments were not provided");
    let out = zk(&["frobnicate"]);
    assert_error(&out, 2, "unrecognized subcommand");
    let out = zk(&["--json", "holder", "status", "--now", "soon"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(json(&out)["error"].is_string());
    // The holder no longer chooses the time.
    let mut args = f.prove_args("-");
    args.extend(["--now", NOW_STR]);
    assert_error(&zk(&args), 2, "unexpected argument '--now'");
    // One mode at a time, for the holder and for the venue.
    let mut args = f.prove_args("-");
    args.extend(["--operator", OPERATOR]);
    assert_error(&zk(&args), 2, "cannot be used with");
    let mut args = f.verify_args(s(&f.payload));
    args.splice(9..9, ["--operator", OPERATOR]);
    assert_error(&zk(&args), 2, "cannot be used with");
    let mut args = f.verify_args(s(&f.payload));
    args.drain(7..9);
    assert_error(&zk(&args), 2, "required arguments were not provided");
    // A window is for one-scan passes only (it was silently ignored with a
    // challenge).
    let w = t(WINDOW);
    let mut args = f.prove_args("-");
    args.extend(["--window", &w]);
    let out = zk(&args);
    assert_error(&out, 2, "cannot be used with");
    assert!(out.raw_stdout.is_empty(), "no payload: {out:?}");
}

// ------------------------------------------- bad input (checklist C): exit 2

#[test]
fn truncated_and_corrupted_proving_key() {
    let f = fixture();
    let pk = fs::read(&f.pk).unwrap();
    let prove_with = |pk_file: &Path| {
        let mut args = f.prove_args("-");
        args[3] = s(pk_file);
        zk(&args)
    };
    let truncated = scratch_file("pk_truncated", "short.pk", &pk[..pk.len() - 100]);
    let out = prove_with(&truncated);
    assert_error(&out, 2, "proving-key file is");
    assert!(out.stderr.contains("its header implies"), "{out:?}");
    assert!(out.raw_stdout.is_empty());
    let header_only = scratch_file("pk_header", "header.pk", &pk[..40]);
    assert_error(&prove_with(&header_only), 2, "proving-key file is 40 bytes");

    // beta_g1, right after the header (magic, version, QAP reduction,
    // circuit) and the verifying-key body, replaced by junk.
    let mut bad = pk.clone();
    let at = 4 + 1 + 1 + 32 + 576;
    bad[at..at + 32].fill(0xff);
    let corrupted = scratch_file("pk_corrupted", "bad.pk", &bad);
    assert_error(
        &prove_with(&corrupted),
        2,
        "proving-key file holds an invalid point (beta_g1)",
    );
    assert_error(
        &zk(&["inspect", s(&corrupted)]),
        2,
        "invalid point (beta_g1)",
    );

    let mut other = pk.clone();
    other[6] ^= 1;
    let other = scratch_file("pk_other", "other.pk", &other);
    assert_error(
        &prove_with(&other),
        2,
        "this proving key is for another circuit",
    );
    // An unknown QAP reduction, and a version-1 key file.
    let mut qap = pk.clone();
    qap[5] = 9;
    let qap = scratch_file("pk_qap", "qap.pk", &qap);
    assert_error(&prove_with(&qap), 2, "unknown QAP reduction 9");
    let mut v1 = pk.clone();
    v1[4] = 1;
    let v1 = scratch_file("pk_v1", "v1.pk", &v1);
    assert_error(
        &prove_with(&v1),
        2,
        "unsupported proving-key file version 1",
    );
}

#[test]
fn truncated_and_corrupted_verifying_key() {
    let f = fixture();
    let vk = fs::read(&f.vk).unwrap();
    let verify_with = |vk_file: &Path| {
        let mut args = f.verify_args(s(&f.payload));
        args[2] = s(vk_file);
        zk(&args)
    };
    let truncated = scratch_file("vk_truncated", "short.vk", &vk[..500]);
    assert_error(
        &verify_with(&truncated),
        2,
        "a verifying-key file has exactly 614 bytes, got 500",
    );
    let mut bad = vk.clone();
    bad[38..38 + 32].fill(0xff); // alpha_g1
    let corrupted = scratch_file("vk_corrupted", "bad.vk", &bad);
    assert_error(
        &verify_with(&corrupted),
        2,
        "invalid verifying key: vk alpha is not a valid curve point",
    );
    let mut long = vk.clone();
    long.push(0);
    let long = scratch_file("vk_long", "long.vk", &long);
    assert_error(&verify_with(&long), 2, "exactly 614 bytes, got 615");
    let mut qap = vk.clone();
    qap[5] = 0;
    let qap = scratch_file("vk_qap", "qap.vk", &qap);
    assert_error(&verify_with(&qap), 2, "unknown QAP reduction 0");
    // A version-1 key file is named as such.
    let mut v1 = vk.clone();
    v1[4] = 1;
    let v1 = scratch_file("vk_v1", "v1.vk", &v1);
    let out = verify_with(&v1);
    assert_error(
        &out,
        2,
        "verifying-key file version 1: this build reads version 2",
    );
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[test]
fn verifying_key_for_another_circuit() {
    let f = fixture();
    let mut vk = fs::read(&f.vk).unwrap();
    vk[6..10].copy_from_slice(b"\xde\xad\xbe\xef");
    let other = scratch_file("vk_other_circuit", "other.vk", &vk);
    let mut args = f.verify_args(s(&f.payload));
    args[2] = s(&other);
    let out = zk(&args);
    assert_error(
        &out,
        2,
        "this verifying key is for another circuit (fingerprint dead-beef-",
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_error(&zk(&["inspect", s(&other)]), 2, "another circuit");
    // The v1 circuit's fingerprint in a version-2 file, likewise.
    let mut vk = fs::read(&f.vk).unwrap();
    // Statement v1's circuit fingerprint (its matrix hash).
    let v1_fingerprint =
        hex::decode("a969db896593075bfc3a93662a64a838530c3a4f27d1b8dc97bbc0fd474d1a7a").unwrap();
    vk[6..38].copy_from_slice(&v1_fingerprint);
    let v1_circuit = scratch_file("vk_v1_circuit", "v1c.vk", &vk);
    args[2] = s(&v1_circuit);
    assert_error(&zk(&args), 2, "this verifying key is for another circuit");
}

#[test]
fn truncated_and_corrupted_credential() {
    let f = fixture();
    let cred = fs::read_to_string(&f.credential).unwrap();
    let status_with = |c: &Path| {
        zk(&[
            "holder",
            "status",
            "--credential",
            s(c),
            "--secret",
            s(&f.secret),
            "--policy",
            s(&f.policy),
            "--now",
            NOW_STR,
        ])
    };
    let truncated = scratch_file(
        "cred_truncated",
        "c.json",
        &cred.as_bytes()[..cred.len() / 2],
    );
    assert_error(
        &status_with(&truncated),
        2,
        "credential: not a valid credential (line",
    );
    // One signed field changed: the signature no longer verifies, for the
    // holder's status and for a proof.
    let t0 = t(NOW - 3600);
    let changed = cred.replace(&t0, &t(NOW - 3599));
    assert_ne!(changed, cred);
    let corrupted = scratch_file("cred_corrupted", "c.json", changed.as_bytes());
    assert_error(&status_with(&corrupted), 2, "signature does not verify");
    assert_error(
        &zk(&["inspect", s(&corrupted)]),
        2,
        "signature does not verify",
    );
    let mut args = f.prove_args("-");
    args[5] = s(&corrupted);
    let out = zk(&args);
    assert_error(&out, 2, "signature does not verify");
    assert!(out.raw_stdout.is_empty());
    // A non-canonical signature encoding.
    let v: serde_json::Value = serde_json::from_str(&cred).unwrap();
    let sig = v["signature"].as_str().unwrap();
    let bad_sig = format!("{}{}", &sig[..64], "f".repeat(64));
    let bad = scratch_file("cred_sig", "c.json", cred.replace(sig, &bad_sig).as_bytes());
    assert_error(&status_with(&bad), 2, "field signature:");
}

#[test]
fn truncated_and_corrupted_payload() {
    let f = fixture();
    let p = payload_bytes();
    let verify = |file: &Path| zk(&f.verify_args(s(file)));
    let truncated = scratch_file("payload_truncated", "p.bin", &p[..100]);
    let out = verify(&truncated);
    assert_error(
        &out,
        2,
        "malformed payload: a payload has exactly 146 bytes, got 100",
    );
    assert_eq!(
        out.stdout.trim(),
        "REJECT: malformed payload: a payload has exactly 146 bytes, got 100"
    );
    let mut bad = p.clone();
    bad[18..50].fill(0xff); // proof point A, after version, mode, epoch, time
    let corrupted = scratch_file("payload_corrupted", "p.bin", &bad);
    assert_error(
        &verify(&corrupted),
        2,
        "malformed payload: invalid proof encoding",
    );
    let mut bad = p.clone();
    bad[1] = 7;
    let bad_mode = scratch_file("payload_mode", "p.bin", &bad);
    assert_error(
        &verify(&bad_mode),
        2,
        "malformed payload: unknown presentation mode 7",
    );
    // An interactive payload marked one-scan is 32 bytes short.
    let mut bad = p.clone();
    bad[1] = 1;
    let as_one_scan = scratch_file("payload_as_one_scan", "p.bin", &bad);
    assert_error(
        &verify(&as_one_scan),
        2,
        "malformed payload: a payload has exactly 178 bytes, got 146",
    );

    // Text: a short text is refused.
    let text = json(&ok(zk(&["--json", "inspect", s(&f.payload)])));
    assert_eq!(text["text_chars"], 224);
    let empty_text = scratch_file("payload_text_short", "p.txt", b"ZKS2:ABC\n");
    assert_error(
        &verify(&empty_text),
        2,
        "malformed payload: a payload has exactly 146 bytes",
    );
    let out = zk_json(&f.verify_args(s(&empty_text)));
    assert_eq!(out.code, 2);
    assert_eq!(json(&out)["verdict"], "reject");
    assert_eq!(json(&out)["code"], "wrong-length");
    // A lowercase character is not base45.
    let good = ok(zk(&["--json", "inspect", s(&f.payload)]));
    assert_eq!(json(&good)["form"], "binary");
    let mut args = f.prove_args("-");
    args.push("--text");
    let text = ok(zk(&args)).stdout.trim().to_string();
    let lower = format!("{}a{}", &text[..10], &text[11..]);
    let lower = scratch_file("payload_text_lower", "p.txt", lower.as_bytes());
    assert_error(
        &verify(&lower),
        2,
        "malformed payload: invalid base45 at character 10",
    );
}

/// Finding F-3: a text payload with another case's prefix is named as a
/// wrong prefix, not as a binary payload of 224 bytes.
#[test]
fn f3_text_payload_with_a_wrong_prefix_is_named() {
    let f = fixture();
    let body = "A".repeat(219);
    for prefix in ["zks2:", "Zks2:"] {
        let text = format!("{prefix}{body}\n");
        let file = scratch_file("f3_wrong_prefix", "p.txt", text.as_bytes());
        let out = zk(&f.verify_args(s(&file)));
        assert_error(&out, 2, "malformed payload: wrong prefix");
        assert!(out.stderr.contains("ZKS2:"), "{out:?}");
        assert!(!out.stderr.contains("bytes"), "{out:?}");
        let out = zk_json(&f.verify_args(s(&file)));
        assert_eq!(out.code, 2);
        assert_eq!(json(&out)["code"], "wrong-prefix");
    }
}

/// A version-1 payload (a holder app that was not updated), binary or text,
/// is refused as malformed naming version 1; other versions and trailing
/// bytes likewise.
#[test]
fn version_1_payload_is_refused_naming_its_version() {
    let f = fixture();
    let mut v1 = payload_bytes();
    v1[0] = 1;
    // Version 1's length: version, proof, time, packed issuer key.
    v1.resize(1 + 128 + 8 + 32, 0);
    assert_eq!(v1.len(), 169);
    let bin = scratch_file("payload_v1_bin", "p.bin", &v1);
    let text = format!("ZKS1:{}\n", zkstatus_verifier::payload::base45_encode(&v1));
    let txt = scratch_file("payload_v1_text", "p.txt", text.as_bytes());
    for file in [&bin, &txt] {
        let out = zk(&f.verify_args(s(file)));
        assert_error(
            &out,
            2,
            "malformed payload: payload version 1: this verifier reads version 2",
        );
        assert!(
            out.stdout
                .starts_with("REJECT: malformed payload: payload version 1"),
            "{out:?}"
        );
        let out = zk_json(&f.verify_args(s(file)));
        assert_eq!(out.code, 2, "{out:?}");
        assert_eq!(json(&out)["code"], "unsupported-version");
        assert_error(&zk(&["inspect", s(file)]), 2, "payload version 1");
    }
    let mut p = payload_bytes();
    p[0] = 3;
    let v3 = scratch_file("payload_v3", "p.bin", &p);
    assert_error(
        &zk(&f.verify_args(s(&v3))),
        2,
        "malformed payload: payload version 3",
    );
    for (bytes, n) in [(payload_bytes(), 146), (one_scan_bytes(), 178)] {
        let mut long = bytes;
        long.push(0);
        let file = scratch_file("payload_trailing", "p.bin", &long);
        assert_error(
            &zk(&f.verify_args(s(&file))),
            2,
            &format!(
                "malformed payload: a payload has exactly {n} bytes, got {}",
                n + 1
            ),
        );
    }
}

/// Finding F-2: a display name with a newline (or another control or
/// bidirectional-formatting character) is refused, so it cannot print a
/// forged verdict line: in a registry file (every command that reads one),
/// in `registry add --name` and in `issuer keygen --name`.
#[test]
fn f2_registry_names_with_control_characters_are_refused() {
    let f = fixture();
    for (name, char_at) in [
        ("Lab\nREJECT: spoofed line", "U+000A"),
        ("Lab\u{1b}[2K\rREJECT", "U+001B"),
        ("Lab\u{202e}TCEJER", "U+202E"),
        ("Lab\0", "U+0000"),
    ] {
        // A registry file with the name, made from one with a harmless name
        // of the same length.
        let d = f.scratch("f2_names");
        let placeholder: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_graphic() || b == b' ' {
                    b as char
                } else {
                    'X'
                }
            })
            .collect();
        let reg = d.join("registry.bin");
        create_registry(&reg);
        registry_add(&reg, &f.issuer_key, &placeholder);
        let bytes = fs::read(&reg).unwrap();
        let at = bytes
            .windows(placeholder.len())
            .position(|w| w == placeholder.as_bytes())
            .unwrap();
        let mut bad = bytes.clone();
        bad[at..at + name.len()].copy_from_slice(name.as_bytes());
        fs::write(&reg, &bad).unwrap();
        let never = d.join("never.bin");
        let mut prove = f.prove_args(s(&never));
        prove[11] = s(&reg);
        for out in [
            zk(&["registry", "root", "--registry", s(&reg)]),
            zk(&["inspect", s(&reg)]),
            zk(&prove),
        ] {
            assert_error(&out, 2, char_at);
            assert!(out.stderr.contains("display name"), "{out:?}");
            let lines = out.stdout.lines().chain(out.stderr.lines()).count();
            assert_eq!(lines, 1, "exactly one line, the error: {out:?}");
            assert!(!out.stdout.contains("REJECT") && !out.stderr.contains("REJECT"));
        }
        assert!(!d.join("never.bin").exists());

        if name.contains('\0') {
            continue; // not a possible argument
        }
        let before = fs::read(&f.registry).unwrap();
        let copy = d.join("copy.bin");
        fs::write(&copy, &before).unwrap();
        let out = zk(&[
            "registry",
            "add",
            "--registry",
            s(&copy),
            "--log",
            s(&log_of(&f.registry)),
            "--public-key",
            "c433f7a696b7aa3a5224efb3993baf0ccd9e92eecee0c29a3f6c8208a9e81d9e",
            "--name",
            name,
            "--valid-for",
            "1d",
        ]);
        assert_error(&out, 2, char_at);
        assert_eq!(fs::read(&copy).unwrap(), before);
    }
}

/// A policy file with `edit` applied to its text.
fn policy_with(test: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = fs::read_to_string(&fixture().policy).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text);
    scratch_file(test, "policy.json", edited.as_bytes())
}

fn verify_with_policy(policy: &Path) -> Out {
    let f = fixture();
    let mut args = f.verify_args(s(&f.payload));
    args[6] = s(policy);
    zk(&args)
}

/// A roots file with `edit` applied to the fixture's.
fn roots_with(test: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = fs::read_to_string(&fixture().roots).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text);
    scratch_file(test, "roots.json", edited.as_bytes())
}

fn verify_with_roots(roots: &Path) -> Out {
    let f = fixture();
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(roots);
    zk(&args)
}

#[test]
fn json_with_an_unknown_field() {
    let p = policy_with("json_unknown", |t| {
        t.replacen("\"version\": 1,", "\"version\": 1, \"note\": 1,", 1)
    });
    assert_error(&verify_with_policy(&p), 2, "policy: unknown field `note`");
    let r = roots_with("json_unknown_roots", |t| {
        t.replacen("\"version\": 1,", "\"version\": 1, \"note\": 1,", 1)
    });
    assert_error(
        &verify_with_roots(&r),
        2,
        "registry roots: unknown field `note`",
    );
    let r = roots_with("json_unknown_root", |t| {
        t.replacen("\"epoch\":", "\"issuer\": \"Clinic A\", \"epoch\":", 1)
    });
    assert_error(&verify_with_roots(&r), 2, "unknown field `roots[].issuer`");
}

#[test]
fn json_with_a_duplicated_field() {
    let p = policy_with("json_duplicate", |t| {
        t.replacen("\"version\": 1,", "\"version\": 1, \"version\": 1,", 1)
    });
    assert_error(
        &verify_with_policy(&p),
        2,
        "policy: duplicate field `version`",
    );
    // In a roots file, at the top and in a root: a second epoch or
    // activation time must not be read past.
    let r = roots_with("json_duplicate_roots", |t| {
        t.replacen("\"version\": 1,", "\"version\": 1, \"version\": 1,", 1)
    });
    assert_error(
        &verify_with_roots(&r),
        2,
        "registry roots: duplicate field `version`",
    );
    let r = roots_with("json_duplicate_activation", |t| {
        t.replacen(
            "\"activates_at\":",
            &format!("\"activates_at\": {NOW}, \"activates_at\":"),
            1,
        )
    });
    assert_error(
        &verify_with_roots(&r),
        2,
        "duplicate field `roots[].activates_at`",
    );
}

#[test]
fn field_element_not_below_the_modulus() {
    let f = fixture();
    let ff = "f".repeat(64);
    let out = zk(&[
        "issuer",
        "issue",
        "--key",
        s(&f.issuer_key),
        "--holder",
        &ff,
        "--test-type",
        "pcr",
        "--test-time",
        "1763700000",
        "--valid-for",
        "1d",
    ]);
    assert_error(
        &out,
        2,
        "invalid --holder: value is not below the field modulus",
    );
    // A challenge offer whose challenge is ≥ p, or p itself (never reduced),
    // for the venue and for the holder.
    let modulus: [u8; 32] = hex::decode(MODULUS_HEX).unwrap().try_into().unwrap();
    for bad in [offer_text(NOW, &[0xff; 32]), offer_text(NOW, &modulus)] {
        let mut args = f.verify_args(s(&f.payload));
        args[8] = &bad;
        assert_error(
            &zk(&args),
            2,
            "--challenge: the challenge is not a canonical field element",
        );
        let mut args = f.prove_args("-");
        args[15] = &bad;
        assert_error(
            &zk(&args),
            2,
            "--challenge: the challenge is not a canonical",
        );
    }
    // p - 1 is canonical: only the proof fails.
    let mut below = modulus;
    below[31] -= 1;
    let below = offer_text(NOW, &below);
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &below;
    assert_reject(&zk(&args), "the proof does not verify");
    // In a holder secret file: refused, and the value is not echoed.
    let text = fs::read_to_string(&f.secret).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let secret = v["secret"].as_str().unwrap();
    let bad = scratch_file("fr_secret", "s.json", text.replace(secret, &ff).as_bytes());
    let out = zk(&["inspect", s(&bad)]);
    assert_error(
        &out,
        2,
        "field secret: value is not below the field modulus",
    );
    // A registry root in a roots file.
    let roots = fs::read_to_string(&f.roots).unwrap();
    let root = json(&ok(zk(&["--json", "inspect", s(&f.roots)])))["roots"][0]["root"]
        .as_str()
        .unwrap()
        .to_string();
    let r = scratch_file(
        "fr_root",
        "roots.json",
        roots.replace(&root, MODULUS_HEX).as_bytes(),
    );
    assert_error(
        &verify_with_roots(&r),
        2,
        "field roots[].root: value is not below the field modulus",
    );
    // A one-scan nullifier.
    let mut p = one_scan_bytes();
    p[146..].copy_from_slice(&modulus);
    let p = scratch_file("fr_nullifier", "p.bin", &p);
    let out = zk(&f.verify_one_scan_args(OPERATOR, NOW_STR, s(&p)));
    assert_error(
        &out,
        2,
        "malformed payload: the nullifier is not a canonical field element",
    );
}

#[test]
fn uppercase_hex_is_refused() {
    let f = fixture();
    // The pinned key fingerprint.
    let info = json(&ok(zk(&["--json", "inspect", s(&f.vk)])));
    let upper = info["vk_fingerprint_full"].as_str().unwrap().to_uppercase();
    let mut args = f.verify_args(s(&f.payload));
    let payload = args.pop().unwrap();
    args.extend(["--vk-fingerprint", &upper, payload]);
    assert_error(
        &zk(&args),
        2,
        "--vk-fingerprint: expected lowercase hexadecimal digits",
    );
    // A root in a roots file.
    let root = json(&ok(zk(&["--json", "inspect", s(&f.roots)])))["roots"][0]["root"]
        .as_str()
        .unwrap()
        .to_string();
    let r = roots_with("upper_root", |t| t.replace(&root, &root.to_uppercase()));
    assert_error(
        &verify_with_roots(&r),
        2,
        "field roots[].root: expected lowercase hexadecimal digits",
    );
    // An issuer key in a credential, and given to the registry.
    let cred = fs::read_to_string(&f.credential).unwrap();
    let v: serde_json::Value = serde_json::from_str(&cred).unwrap();
    let issuer = v["issuer"].as_str().unwrap();
    let upper_issuer = issuer.to_uppercase();
    let bad = scratch_file(
        "upper_cred",
        "c.json",
        cred.replace(issuer, &upper_issuer).as_bytes(),
    );
    assert_error(
        &zk(&["inspect", s(&bad)]),
        2,
        "field issuer: expected lowercase hexadecimal digits",
    );
    let d = f.scratch("upper_registry");
    let copy = d.join("registry.bin");
    copy_registry(&f.registry, &copy);
    let out = zk(&[
        "registry",
        "add",
        "--registry",
        s(&copy),
        "--log",
        s(&log_of(&copy)),
        "--public-key",
        &upper_issuer,
        "--name",
        "Upper",
        "--valid-for",
        "1d",
    ]);
    assert_error(
        &out,
        2,
        "--public-key: expected lowercase hexadecimal digits",
    );
    // The challenge is base45 (uppercase by design): its prefix is exact,
    // and a version-1 challenge (64 hex digits) is named as such.
    let lower = f.challenge.to_lowercase();
    let v1 = "ab".repeat(32);
    for c in [&lower, &v1] {
        let mut args = f.verify_args(s(&f.payload));
        args[8] = c;
        assert_error(&zk(&args), 2, "--challenge: a challenge starts with ZKC2:");
    }
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &v1;
    assert!(zk(&args).stderr.contains("version 1"));
}

#[test]
fn oversize_input_is_refused_before_parsing() {
    let f = fixture();
    let mut big = fs::read(&f.policy).unwrap();
    big.resize(70 * 1024, b' ');
    let p = scratch_file("oversize_policy", "policy.json", &big);
    assert_error(
        &verify_with_policy(&p),
        2,
        "the policy is larger than 65536 bytes, the most accepted",
    );
    let mut big = fs::read(&f.roots).unwrap();
    big.resize(70 * 1024, b' ');
    let r = scratch_file("oversize_roots", "roots.json", &big);
    assert_error(
        &verify_with_roots(&r),
        2,
        "the registry roots is larger than 65536 bytes, the most accepted",
    );
    let mut big = payload_bytes();
    big.resize(5000, 0);
    let p = scratch_file("oversize_payload", "p.bin", &big);
    assert_error(
        &zk(&f.verify_args(s(&p))),
        2,
        "the payload is larger than 4096 bytes",
    );
    // A registry file over its cap (a full tree with the longest names).
    let cap = zkstatus_verifier::registry::MAX_REGISTRY_FILE_BYTES;
    let mut big = fs::read(&f.registry).unwrap();
    big.resize(cap + 1000, 0);
    let r = scratch_file("oversize_registry", "registry.bin", &big);
    let mut args = f.prove_args("-");
    args[11] = s(&r);
    let out = zk(&args);
    assert_error(&out, 2, &format!("the registry is larger than {cap} bytes"));
    assert!(out.raw_stdout.is_empty());
    // Through stdin as well (the reader stops at the cap).
    let out = zk_stdin(&f.verify_args("-"), &vec![b'Z'; 1 << 20]);
    assert_error(
        &out,
        2,
        "the payload is larger than 4096 bytes, the most accepted (stdin)",
    );
    let out = zk_stdin(&["inspect", "-"], &vec![b'{'; 9 << 20]);
    assert_error(&out, 2, "the file is larger than 8388608 bytes");
}

#[test]
fn wrong_kind_of_file() {
    let f = fixture();
    assert_error(
        &verify_with_policy(&f.credential),
        2,
        &format!(
            "expected a policy file, got a credential file ({})",
            s(&f.credential)
        ),
    );
    assert_error(
        &verify_with_policy(&f.registry),
        2,
        "expected a policy file, got a registry file",
    );
    let mut args = f.prove_args("-");
    args[3] = s(&f.vk);
    assert_error(
        &zk(&args),
        2,
        "expected a proving-key file, got a verifying-key file",
    );
    let mut args = f.verify_args(s(&f.policy));
    assert_error(&zk(&args), 2, "expected a payload, got a policy file");
    args = f.verify_args(s(&f.registry));
    assert_error(&zk(&args), 2, "expected a payload, got a registry file");
    args = f.verify_args(s(&f.payload));
    args[2] = s(&f.pk);
    assert_error(
        &zk(&args),
        2,
        "expected a verifying-key file, got a proving-key file",
    );
    // The roots: not an issuer key, not a registry, and not a version-1
    // trust list.
    args = f.verify_args(s(&f.payload));
    args[4] = s(&f.issuer_key);
    assert_error(
        &zk(&args),
        2,
        "expected a registry-roots file, got an issuer key file",
    );
    args[4] = s(&f.registry);
    assert_error(
        &zk(&args),
        2,
        "expected a registry-roots file, got a registry file",
    );
    let d = f.scratch("wrong_kind_trust");
    let trust = d.join("trust.json");
    fs::write(
        &trust,
        r#"{"format": "zkstatus/trust-list", "version": 1, "issuers": []}"#,
    )
    .unwrap();
    args[4] = s(&trust);
    assert_error(
        &zk(&args),
        2,
        "expected a registry-roots file, got a trust list (statement v1)",
    );
    // `inspect` names it as statement v1's and points to the roots.
    assert_error(
        &zk(&["inspect", s(&trust)]),
        2,
        "a trust list of issuer keys is statement v1's",
    );
    // The registry: not the roots, not a key.
    let mut args = f.prove_args("-");
    args[11] = s(&f.roots);
    assert_error(
        &zk(&args),
        2,
        "expected a registry file, got a registry-roots file",
    );
    args[11] = s(&f.vk);
    assert_error(
        &zk(&args),
        2,
        "expected a registry file, got a verifying-key file",
    );
    assert_error(
        &zk(&["registry", "root", "--registry", s(&f.policy)]),
        2,
        "expected a registry file, got a policy file",
    );
    assert_error(
        &zk(&[
            "holder",
            "status",
            "--credential",
            s(&f.secret),
            "--secret",
            s(&f.credential),
            "--policy",
            s(&f.policy),
        ]),
        2,
        "expected a credential file, got a holder secret file",
    );
    let missing = f.path("no-such-file.json");
    assert_error(
        &verify_with_policy(&missing),
        2,
        "cannot open the policy: no such file or directory",
    );
    let junk = scratch_file("wrong_kind_junk", "junk", b"hello");
    assert_error(&zk(&["inspect", s(&junk)]), 2, "not a zkstatus file");
    let two_stdin = zk_stdin(
        &[
            "holder",
            "status",
            "--credential",
            "-",
            "--secret",
            "-",
            "--policy",
            s(&f.policy),
        ],
        b"",
    );
    assert_error(&two_stdin, 2, "only one input can be read from stdin");
    let mut args = f.prove_args("-");
    args[13] = "-";
    args[11] = "-";
    assert_error(
        &zk_stdin(&args, b""),
        2,
        "only one input can be read from stdin",
    );
}

#[test]
fn expired_credential_is_not_proved() {
    // The statement is checked at the challenge's issue time, which the
    // gate fixes: at the expiry, and 299 s after it (the holder cannot pick
    // an earlier time).
    let f = fixture();
    let d = f.scratch("expired_prove");
    let out_file = d.join("never.bin");
    for at in [NOW + 86_400, NOW + 86_400 + 299] {
        let late = challenge_at(at);
        let mut args = f.prove_args(s(&out_file));
        args[15] = &late;
        assert_not_proved(&zk(&args), "the credential has expired");
        assert!(!out_file.exists());
        let out = zk_json(&args);
        assert_eq!(out.code, 1);
        let v = json(&out);
        assert_eq!(v["reason"], "the credential has expired");
        assert_eq!(v["proved"], false);
    }
}

#[test]
fn verifying_key_of_another_setup_rejects() {
    let f = fixture();
    let d = f.scratch("second_setup");
    ok(zk(&["setup", "--out-dir", s(&d)]));
    let mut args = f.verify_args(s(&f.payload));
    let vk2 = d.join("zkstatus.vk");
    args[2] = s(&vk2);
    assert_reject(
        &zk(&args),
        "the proof does not verify for this venue's challenge and policy",
    );
    assert_reject_code(&args, "proof-invalid");
    assert_ne!(fs::read(&vk2).unwrap(), fs::read(&f.vk).unwrap());
    // The one-scan pass too.
    let mut args = f.verify_one_scan_args(OPERATOR, NOW_STR, s(&f.one_scan));
    args[2] = s(&vk2);
    assert_reject_code(&args, "proof-invalid");
}

#[test]
fn inspect_prints_the_proving_key_pin_after_validating_it() {
    let f = fixture();
    let info = ok(zk(&["--json", "inspect", s(&f.pk)])).stdout;
    let pin = serde_json::from_str::<serde_json::Value>(&info).unwrap()["pk_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let file = fs::read(&f.pk).unwrap();
    assert_eq!(
        pin,
        hex::encode(zkstatus_prover::keys::pk_file_fingerprint(&file))
    );
    // A damaged key gets no pin: the last point's bytes all 0xff (x ≥ p,
    // contradictory flags).
    let mut bad = file.clone();
    let n = bad.len();
    bad[n - 32..].fill(0xff);
    let bad_pk = scratch_file("inspect_bad_pk", "bad.pk", &bad);
    let out = zk(&["--json", "inspect", s(&bad_pk)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!out.stdout.contains("pk_sha256"), "{out:?}");
}

#[test]
fn verify_with_a_pinned_vk_fingerprint() {
    // The verifying key is trust configuration: pinned, a different key is
    // refused before any payload is looked at (docs/security.md, item 58).
    let f = fixture();
    let info = ok(zk(&["--json", "inspect", s(&f.vk)])).stdout;
    let full = serde_json::from_str::<serde_json::Value>(&info).unwrap()["vk_fingerprint_full"]
        .as_str()
        .unwrap()
        .to_string();
    let mut wrong = full.clone().into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).unwrap();
    for (pin, code) in [(&full, 0), (&wrong, 2)] {
        let mut args = f.verify_args(s(&f.payload));
        let payload = args.pop().unwrap();
        args.extend(["--vk-fingerprint", pin.as_str(), payload]);
        let out = zk(&args);
        assert_eq!(out.code, code, "{out:?}");
        if code == 2 {
            assert_error(&out, 2, "not the pinned one");
        }
    }
}

#[test]
fn implausible_verifier_clock_is_refused_in_both_modes() {
    // A clock in milliseconds is the venue's configuration error, not the
    // holder's: exit 2, naming the time (it was blamed on --challenge).
    let f = fixture();
    let ms = t(NOW * 1000);
    let mut args = f.verify_args(s(&f.payload));
    args[10] = &ms;
    let out = zk(&args);
    assert_error(
        &out,
        2,
        &format!("implausible verifier time {ms} (--now or the system clock)"),
    );
    assert!(!out.stderr.contains("--challenge"), "{out:?}");
    let args = f.verify_one_scan_args(OPERATOR, &ms, s(&f.one_scan));
    assert_error(&zk(&args), 2, "implausible verifier time");
}

// ------------------------------------------------ protocol (checklist D): exit 1

#[test]
fn proof_under_another_challenge_rejects() {
    // Issued in the same second: the gate finds it by the time, and the
    // pairing check fails.
    let f = fixture();
    let other = challenge_at(NOW);
    assert_ne!(other, f.challenge);
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &other;
    assert_reject(&zk(&args), "the proof does not verify");
    assert_reject_code(&args, "proof-invalid");
}

#[test]
fn payload_time_other_than_the_challenges_rejects() {
    let f = fixture();
    // The payload's time changed: no challenge was issued then.
    let mut p = payload_bytes();
    p[17] ^= 1; // last byte of the big-endian `now`: now ± 1
    let changed = scratch_file("now_changed", "p.bin", &p);
    let shown = json(&ok(zk(&["--json", "inspect", s(&changed)])));
    assert_eq!(shown["now"], NOW ^ 1);
    let args = f.verify_args(s(&changed));
    assert_reject(
        &zk(&args),
        &format!("this verifier issued no live challenge at time {}", NOW ^ 1),
    );
    assert_reject_code(&args, "no-challenge-at-time");
    // A challenge issued at another time than the proof's.
    let later = challenge_at(NOW + 1);
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &later;
    let now = t(NOW + 1);
    args[10] = &now;
    assert_reject(&zk(&args), &format!("no live challenge at time {NOW}"));
    assert_reject_code(&args, "no-challenge-at-time");
}

#[test]
fn challenge_past_its_lifetime_rejects() {
    let f = fixture();
    let at = |gate_now: u64| {
        let now = t(gate_now);
        let mut args = f.verify_args(s(&f.payload));
        args[10] = &now;
        zk_json(&args)
    };
    // Live for 120 s from its issue time.
    let out = ok(at(NOW + TTL - 1));
    assert_eq!(json(&out)["verdict"], "accept");
    for late in [NOW + TTL, NOW + 1000] {
        let now = t(late);
        let mut args = f.verify_args(s(&f.payload));
        args[10] = &now;
        assert_reject(&zk(&args), "the proof is for a challenge that expired");
        assert_reject_code(&args, "challenge-expired");
    }
}

#[test]
fn stricter_verifier_policy_than_proved_rejects() {
    let p = policy_with("stricter_policy", |t| t.replace("259200", "259199"));
    assert_reject(&verify_with_policy(&p), "the proof does not verify");
    let p = policy_with("stricter_gap", |t| t.replace("864000", "864001"));
    assert_reject(&verify_with_policy(&p), "the proof does not verify");
}

#[test]
fn credential_from_an_issuer_not_in_the_registry_is_not_proved() {
    // The v2 form of an untrusted issuer: the holder cannot prove, and says
    // why (its material does not fit: exit 2).
    let f = fixture();
    let d = f.scratch("unregistered_issuer");
    let key = d.join("stranger.key");
    ok(zk(&["issuer", "keygen", "--out", s(&key)]));
    let cred = d.join("credential.json");
    ok(zk(&[
        "issuer",
        "issue",
        "--key",
        s(&key),
        "--holder",
        &f.holder,
        "--test-type",
        "pcr",
        "--test-time",
        &t(NOW - 3600),
        "--valid-for",
        "1d",
        "--issued-at",
        &t(NOW - 3000),
        "--out",
        s(&cred),
    ]));
    let out_file = d.join("never.bin");
    let mut args = f.prove_args(s(&out_file));
    args[5] = s(&cred);
    let out = zk(&args);
    assert_error(
        &out,
        2,
        &format!("the credential's issuer is not in the registry of epoch {EPOCH}"),
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(!out_file.exists());
    let out = zk_json(&args);
    assert_eq!(out.code, 2);
    assert!(json(&out)["error"]
        .as_str()
        .unwrap()
        .contains("not in the registry"));
}

#[test]
fn retired_issuer_is_not_proved_once_the_retirement_is_active() {
    let f = fixture();
    let d = f.scratch("retired_issuer");
    let (reg, roots) = (d.join("registry.bin"), d.join("roots.json"));
    copy_registry(&f.registry, &reg);
    fs::copy(&f.roots, &roots).unwrap();
    // Retired at NOW - 60, published with the overlap, active from then.
    ok(zk(&[
        "registry",
        "retire",
        "--registry",
        s(&reg),
        "--log",
        s(&log_of(&reg)),
        "--key",
        s(&f.issuer_key),
        "--at",
        &t(NOW - 60),
    ]));
    publish(&reg, &roots, NOW - 60);
    let out_file = d.join("never.bin");
    let mut args = f.prove_args(s(&out_file));
    args[11] = s(&reg);
    args[13] = s(&roots);
    let reason = "the issuer's accreditation has ended (retired, or the registry's sunset)";
    assert_not_proved(&zk(&args), reason);
    assert!(!out_file.exists());
    let out = zk_json(&args);
    assert_eq!(out.code, 1);
    assert_eq!(json(&out)["reason"], reason);
    // The proof made before the retirement is not accepted under the new
    // root either: its epoch is superseded.
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(&roots);
    assert_reject_code(&args, "root-not-active");
}

#[test]
fn holder_without_the_material_for_the_active_root_is_refused() {
    let f = fixture();
    let d = f.scratch("material");
    let never = d.join("never.bin");
    // No root is active yet at the challenge's time.
    let early = challenge_at(ACTIVATES_AT - 1);
    let mut args = f.prove_args(s(&never));
    args[15] = &early;
    assert_error(
        &zk(&args),
        2,
        &format!(
            "no registry root is active at time {}: update the roots file",
            ACTIVATES_AT - 1
        ),
    );
    // Epoch 3 is active, but the holder has only the registry of epoch 2.
    let (reg3, roots) = (d.join("registry-3.bin"), d.join("roots.json"));
    copy_registry(&f.registry, &reg3);
    fs::copy(&f.roots, &roots).unwrap();
    ok(zk(&["issuer", "keygen", "--out", s(&d.join("third.key"))]));
    registry_add(&reg3, &d.join("third.key"), "Clinic C");
    publish(&reg3, &roots, NOW - 60);
    let mut args = f.prove_args(s(&never));
    args[13] = s(&roots);
    assert_error(
        &zk(&args),
        2,
        &format!(
            "the registry of epoch 3 (active at time {NOW}) is not among those given: download it"
        ),
    );
    // A registry file that does not give its published root.
    let mut args = f.prove_args(s(&never));
    args[11] = s(&reg3);
    let roots_other = roots_with("material_other_root", |t| {
        t.replacen("\"epoch\": 2", "\"epoch\": 3", 1)
    });
    args[13] = s(&roots_other);
    assert_error(&zk(&args), 2, "does not give its published root");
    assert!(!d.join("never.bin").exists());
}

#[test]
fn holder_proves_under_the_root_active_at_the_challenge_time() {
    // Given both registries, the holder uses the one whose root is active
    // at the challenge's time; a gate with only the old roots does not know
    // that epoch.
    let f = fixture();
    let d = f.scratch("active_root");
    let (reg3, roots) = (d.join("registry-3.bin"), d.join("roots.json"));
    copy_registry(&f.registry, &reg3);
    fs::copy(&f.roots, &roots).unwrap();
    ok(zk(&["issuer", "keygen", "--out", s(&d.join("third.key"))]));
    registry_add(&reg3, &d.join("third.key"), "Clinic C");
    publish(&reg3, &roots, NOW - 60);
    let payload = d.join("payload.bin");
    let mut args = f.prove_args(s(&payload));
    args[13] = s(&roots);
    args.splice(12..12, ["--registry", s(&reg3)]);
    let out = ok(zk(&args));
    assert!(out.stdout.contains("under registry epoch 3"), "{out:?}");
    let mut args = f.verify_args(s(&payload));
    args[4] = s(&roots);
    let v = json(&ok(zk_json(&args)));
    assert_eq!(v["registry_epoch"], 3);
    assert_eq!(v["verdict"], "accept");
    let args = f.verify_args(s(&payload));
    assert_reject(
        &zk(&args),
        "the proof is for registry epoch 3, which this verifier does not accept",
    );
    assert_reject_code(&args, "unknown-root");
}

#[test]
fn payload_under_an_unknown_root_epoch_rejects() {
    // A venue whose roots do not include the payload's epoch.
    let f = fixture();
    let d = f.scratch("unknown_root");
    let (reg3, roots) = (d.join("registry-3.bin"), d.join("roots.json"));
    copy_registry(&f.registry, &reg3);
    ok(zk(&["issuer", "keygen", "--out", s(&d.join("third.key"))]));
    registry_add(&reg3, &d.join("third.key"), "Clinic C");
    // (The log needs activations to increase from root to root.)
    publish(&reg3, &roots, ACTIVATES_AT + 1);
    keep_last_root(&roots);
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(&roots);
    assert_reject(
        &zk(&args),
        &format!("the proof is for registry epoch {EPOCH}, which this verifier does not accept"),
    );
    let v = assert_reject_code(&args, "unknown-root");
    assert_eq!(v["registry_epoch"], EPOCH);
}

#[test]
fn payload_under_a_root_not_active_at_its_time_rejects() {
    let f = fixture();
    let d = f.scratch("root_not_active");
    // Superseded: epoch 3 is active from NOW - 60.
    let (reg3, superseded) = (d.join("registry-3.bin"), d.join("superseded.json"));
    copy_registry(&f.registry, &reg3);
    fs::copy(&f.roots, &superseded).unwrap();
    ok(zk(&["issuer", "keygen", "--out", s(&d.join("third.key"))]));
    registry_add(&reg3, &d.join("third.key"), "Clinic C");
    publish(&reg3, &superseded, NOW - 60);
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(&superseded);
    assert_reject(
        &zk(&args),
        &format!("the proof is for registry epoch {EPOCH}, but at time {NOW} the active registry epoch is 3"),
    );
    assert_reject_code(&args, "root-not-active");
    // Not active yet: epoch 2 activates at NOW + 60, epoch 1 is active.
    let (reg1, early) = (d.join("registry-1.bin"), d.join("early.json"));
    create_registry(&reg1);
    registry_add(&reg1, &f.issuer_key, ISSUER_NAME);
    publish(&reg1, &early, NOW - 7200);
    registry_add(&reg1, &f.path("other.key"), OTHER_NAME);
    publish(&reg1, &early, NOW + 60);
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(&early);
    assert_reject(
        &zk(&args),
        &format!("the proof is for registry epoch {EPOCH}, but at time {NOW} the active registry epoch is 1"),
    );
    assert_reject_code(&args, "root-not-active");
    // No root active at all at the proof's time.
    let (reg2, late) = (d.join("registry-2.bin"), d.join("late.json"));
    fixture_registry_again(&reg2);
    publish(&reg2, &late, NOW + 60);
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(&late);
    assert_reject(
        &zk(&args),
        &format!("no accepted registry root is active at time {NOW}"),
    );
    assert_reject_code(&args, "no-active-root");
}

#[test]
fn snarkjs_export_writes_the_three_files() {
    let f = fixture();
    let d = f.scratch("snarkjs");
    let args = |mode: [&str; 2], out: &str, payload: &Path| -> Vec<String> {
        [
            "export",
            "snarkjs",
            "--vk",
            s(&f.vk),
            "--policy",
            s(&f.policy),
            "--unlogged-roots",
            s(&f.roots),
            mode[0],
            mode[1],
            "--out-dir",
            out,
            s(payload),
        ]
        .map(String::from)
        .to_vec()
    };
    let interactive = ["--challenge", f.challenge.as_str()];
    let run = |a: Vec<String>| zk(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let out = ok(run(args(interactive, s(&d), &f.payload)));
    assert!(out.stdout.contains("snarkjs groth16 verify"), "{out:?}");
    let read = |n: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(d.join(n)).unwrap()).unwrap()
    };
    let n = zkstatus_circuits::statement::v2::PUBLIC_INPUT_NAMES.len();
    let vk = read("verification_key.json");
    assert_eq!(vk["protocol"], "groth16");
    assert_eq!(vk["curve"], "bn128");
    assert_eq!(vk["nPublic"], n);
    assert_eq!(vk["IC"].as_array().unwrap().len(), n + 1);
    let public = read("public.json");
    assert_eq!(public.as_array().unwrap().len(), n);
    assert_eq!(public[input_index("now")], NOW.to_string());
    assert_eq!(public[input_index("one_scan")], "0");
    assert_eq!(public[input_index("nullifier")], "0");
    let proof = read("proof.json");
    assert_eq!(proof["pi_a"].as_array().unwrap().len(), 3);
    assert_error(
        &run(args(interactive, s(&d), &f.payload)),
        2,
        "already exists; use --force",
    );
    let all = json(&ok(run(args(interactive, "-", &f.payload))));
    assert_eq!(all["public"], public);
    assert_eq!(all["proof"], proof);
    // The one-scan pass, for its operator.
    let all = json(&ok(run(args(["--operator", OPERATOR], "-", &f.one_scan))));
    assert_eq!(all["public"][input_index("now")], WINDOW.to_string());
    assert_eq!(all["public"][input_index("one_scan")], "1");
    assert_ne!(all["public"][input_index("nullifier")], "0");
    // A payload of the other mode is refused.
    assert_error(
        &run(args(["--operator", OPERATOR], "-", &f.payload)),
        2,
        "the payload is interactive; give --challenge for interactive, --operator for one-scan",
    );
}

/// Finding F-6: `export snarkjs` with another challenge than the proof's
/// refuses (exit 1, one error line) and writes nothing.
#[test]
fn f6_snarkjs_export_refuses_a_proof_that_does_not_verify() {
    let f = fixture();
    let d = f.scratch("f6_snarkjs");
    let other = challenge_at(NOW);
    assert_ne!(other, f.challenge);
    let out_dir = d.join("out");
    let export = |challenge: &str, out: &str, json: bool| {
        let mut args = vec![];
        if json {
            args.push("--json");
        }
        args.extend([
            "export",
            "snarkjs",
            "--vk",
            s(&f.vk),
            "--policy",
            s(&f.policy),
            "--unlogged-roots",
            s(&f.roots),
            "--challenge",
            challenge,
            "--out-dir",
            out,
            s(&f.payload),
        ]);
        zk(&args)
    };
    let out = export(&other, s(&out_dir), false);
    assert_error(&out, 1, "not exported: the proof does not verify");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(!out_dir.exists(), "nothing written");
    let out = export(&other, "-", true);
    assert_eq!(out.code, 1, "{out:?}");
    let v = json(&out);
    assert!(v["error"].as_str().unwrap().contains("does not verify"));
    assert!(v.get("proof").is_none());
    // A challenge issued at another time than the payload's.
    let later = challenge_at(NOW + 1);
    let out = export(&later, s(&out_dir), false);
    assert_error(
        &out,
        2,
        &format!(
            "the payload is for time {NOW}, the challenge was issued at {}",
            NOW + 1
        ),
    );
    assert!(!out_dir.exists(), "nothing written");
}

/// Issue [4/7]: `ceremony export-r1cs` writes statement v2 as a `.r1cs`
/// file (iden3 r1csfile version 1) with our counts in its header, and says
/// so; interop/ceremony.test.mjs has snarkjs read it.
#[test]
fn ceremony_export_r1cs_writes_the_statement_with_its_counts_in_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("statement.r1cs");
    let report = json(&ok(zk_json(&["ceremony", "export-r1cs", s(&out)])));
    assert_eq!(report["constraints"], 7846);
    assert_eq!(report["public_inputs"], 10);
    assert_eq!(
        report["circuit_fingerprint"],
        "574a3479f96e4b85618e92a57e590380bebcf38e7ee2277a3ea4ca367c279258"
    );
    let f = fs::read(&out).unwrap();
    assert_eq!(report["bytes"], f.len());
    let u32_at = |at: usize| u32::from_le_bytes(f[at..at + 4].try_into().unwrap());
    assert_eq!(&f[..4], b"r1cs");
    assert_eq!((u32_at(4), u32_at(8)), (1, 3), "version 1, three sections");
    assert_eq!(u32_at(12), 1, "the header section first");
    // header: fs, prime (32), nWires, nPubOut, nPubIn, nPrvIn, nLabels, m
    let h = 12 + 12;
    assert_eq!(u32_at(h), 32);
    assert_eq!(u32_at(h + 36), report["wires"].as_u64().unwrap() as u32);
    assert_eq!(
        (u32_at(h + 40), u32_at(h + 44)),
        (0, 10),
        "no outputs, 10 public inputs"
    );
    assert_eq!(u32_at(h + 60), 7846);
}

/// Issue [4/7]: `ceremony import` refuses without `--snarkjs-verified`
/// (only `snarkjs zkey verify` sees the phase-1 chain and the C matrix),
/// and with it refuses a zkey for another circuit (the prover's committed
/// test-circuit ceremony) and a truncated zkey, writing nothing.
#[test]
fn ceremony_import_needs_snarkjs_verification_and_refuses_another_circuit() {
    let dir = tempfile::tempdir().unwrap();
    let zkey =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../prover/tests/fixtures/ceremony/test.zkey");
    let out_dir = dir.path().join("keys");
    let out = zk(&["ceremony", "import", s(&zkey), "--out-dir", s(&out_dir)]);
    assert_error(&out, 2, "refusing to import without --snarkjs-verified");
    let verified = ["--snarkjs-verified", "--out-dir", s(&out_dir)];
    let out = zk(&[&["ceremony", "import", s(&zkey)][..], &verified].concat());
    assert_error(
        &out,
        2,
        "the zkey is for another circuit: it has 16 variables, this circuit 7566",
    );
    let bytes = fs::read(&zkey).unwrap();
    let cut = dir.path().join("cut.zkey");
    fs::write(&cut, &bytes[..bytes.len() - 1]).unwrap();
    let out = zk(&[&["ceremony", "import", s(&cut)][..], &verified].concat());
    assert_error(&out, 2, "section declares");
    assert!(!out_dir.exists(), "nothing written");
}

// ------------------------------------------------------- registry bundle

/// The fixture's registry acts through the log, published, checkpointed
/// and cosigned at `cosigned_at`; returns the bundle and trust files.
fn bundle_files(test: &str, cosigned_at: u64) -> (PathBuf, PathBuf) {
    let f = fixture();
    let d = f.scratch(test);
    let p = |n: &str| d.join(n);
    // The fixture's registry acts, through a log of this test's own.
    let reg = p("registry.bin");
    fixture_registry_again(&reg);
    let log = log_of(&reg);
    publish(&reg, &p("roots.json"), ACTIVATES_AT);
    ok(zk(&[
        "log",
        "checkpoint",
        s(&log),
        "--key",
        s(&reg.with_extension("logkey")),
    ]));
    ok(zk(&[
        "log",
        "witness",
        "keygen",
        "--name",
        "witness.example",
        "--out",
        s(&p("w.key")),
        "--public-out",
        s(&p("w.pub")),
    ]));
    ok(zk(&[
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
    ]));
    let out = ok(zk(&[
        "log",
        "bundle",
        s(&log),
        "--out",
        s(&p("registry.bundle")),
    ]));
    assert!(out.stdout.contains("no earlier root in the log"), "{out:?}");
    let size = fs::metadata(p("registry.bundle")).unwrap().len();
    assert!(size <= 2048, "{size} bytes");
    ok(zk(&[
        "log",
        "trust",
        "--log-key",
        s(&log.join("log.pub")),
        "--witness",
        s(&p("w.pub")),
        "--out",
        s(&p("trust.json")),
    ]));
    (p("registry.bundle"), p("trust.json"))
}

#[test]
fn a_proof_verifies_against_a_cosigned_registry_bundle_of_the_log() {
    let f = fixture();
    let (bundle, trust) = bundle_files("bundle_accept", NOW - 60);
    let mut args = f.verify_args(s(&f.payload));
    args.splice(3..5, ["--bundle", s(&bundle), "--trust", s(&trust)]);
    let out = ok(zk(&args));
    assert!(out.stdout.starts_with("ACCEPT"), "{out:?}");
    // Checked against the log: no development warning.
    assert!(out.raw_stderr.is_empty(), "{out:?}");
    // --unlogged-roots and --bundle are exclusive; --bundle needs --trust.
    let mut both = args.clone();
    both.splice(3..3, ["--unlogged-roots", s(&f.roots)]);
    assert_eq!(zk(&both).code, 2);
    let mut alone = args.clone();
    alone.drain(5..7);
    assert_eq!(zk(&alone).code, 2);
}

/// Issue [3/7]: the holder takes its roots from the same bundle, checked at
/// its own clock (here cosigned just now), and proves without a warning;
/// an aged-out bundle is refused before any proving.
#[test]
fn holder_prove_takes_its_roots_from_a_registry_bundle() {
    let f = fixture();
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (bundle, trust) = bundle_files("bundle_prove", clock);
    let d = f.scratch("bundle_prove_out");
    let payload = d.join("p.bin");
    let mut args = f.prove_args(s(&payload));
    assert_eq!(args[12], "--unlogged-roots");
    args.splice(12..14, ["--bundle", s(&bundle), "--trust", s(&trust)]);
    let out = ok(zk(&args));
    assert!(out.raw_stderr.is_empty(), "{out:?}");
    let mut verify = f.verify_args(s(&payload));
    verify[4] = s(&f.roots);
    assert!(ok(zk(&verify)).stdout.starts_with("ACCEPT"));
    let (old_bundle, old_trust) = bundle_files("bundle_prove_old", clock - 48 * 3600 - 60);
    args.splice(
        12..16,
        ["--bundle", s(&old_bundle), "--trust", s(&old_trust)],
    );
    fs::remove_file(&payload).unwrap();
    assert_error(&zk(&args), 2, "registry data too old — connect to refresh");
    assert!(!payload.exists());
}

/// Issue [3/7]: a plain roots file reaches a native verifier only through
/// the development flag `--unlogged-roots`, with a warning on stderr that
/// the roots were not checked against the transparency log; `--roots` is
/// gone, and a verifier given no roots at all is refused.
#[test]
fn verify_with_unlogged_roots_warns_that_they_were_not_checked_against_the_log() {
    let f = fixture();
    let args = f.verify_args(s(&f.payload));
    assert_eq!(args[3], "--unlogged-roots");
    let out = ok(zk(&args));
    assert!(out.stdout.starts_with("ACCEPT"), "{out:?}");
    assert_eq!(out.raw_stderr.lines().count(), 1, "{out:?}");
    assert!(out.raw_stderr.starts_with(UNLOGGED_WARNING), "{out:?}");
    assert!(out.raw_stderr.contains("development only"), "{out:?}");
    // The holder's prove warns the same way.
    let d = f.scratch("unlogged_prove");
    let out = ok(zk(&f.prove_args(s(&d.join("p.bin")))));
    assert!(out.raw_stderr.contains(UNLOGGED_WARNING), "{out:?}");
    // The old flag is gone; no roots at all is refused.
    let mut old = args.clone();
    old[3] = "--roots";
    let out = zk(&old);
    assert_eq!(out.code, 2, "{out:?}");
    let mut none = args.clone();
    none.drain(3..5);
    let out = zk(&none);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--bundle <FILE>"), "{out:?}");
}

#[test]
fn an_aged_out_registry_bundle_is_refused_connect_to_refresh() {
    let f = fixture();
    // Cosigned 48 h and 1 s before the verifier's clock (max_age 48 h).
    let (bundle, trust) = bundle_files("bundle_stale", NOW - 48 * 3600 - 1);
    let mut args = f.verify_args(s(&f.payload));
    args.splice(3..5, ["--bundle", s(&bundle), "--trust", s(&trust)]);
    let out = zk(&args);
    assert_error(&out, 2, "registry data too old — connect to refresh");
    assert!(!out.stdout.contains("ACCEPT"), "{out:?}");
    // A bundle edited by one byte is refused too.
    let mut b = fs::read(&bundle).unwrap();
    let n = b.len();
    b[n - 10] ^= 1;
    fs::write(&bundle, b).unwrap();
    let out = zk(&args);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("registry bundle refused"), "{out:?}");
}
