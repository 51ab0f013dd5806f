//! The `zkstatus` binary end to end: every subcommand's happy path, every
//! bad-input class of docs/security.md, section C (exit 2, one line on
//! stderr), and the protocol checks of section D (exit 1, the reason).
//!
//! Setup runs once and one payload is proved once per test binary
//! ([`fixture`]); tests copy and damage those files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const BIN: &str = env!("CARGO_BIN_EXE_zkstatus");
/// The fixture's clock: 2025-11-22.
const NOW: u64 = 1_763_800_000;
const ISSUER_NAME: &str = "Clinic A";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
    raw_stdout: Vec<u8>,
}

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
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

fn zk(args: &[&str]) -> Out {
    run_with(args, None)
}

fn zk_stdin(args: &[&str], input: &[u8]) -> Out {
    run_with(args, Some(input))
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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Files made once per test binary.
struct Fixture {
    dir: PathBuf,
    pk: PathBuf,
    vk: PathBuf,
    issuer_key: PathBuf,
    trust_list: PathBuf,
    secret: PathBuf,
    credential: PathBuf,
    policy: PathBuf,
    challenge: String,
    payload: PathBuf,
    setup_out: Out,
}

impl Fixture {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A scratch directory for one test.
    fn scratch(&self, test: &str) -> PathBuf {
        let d = self.dir.join("scratch").join(test);
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    /// Arguments of `verify`, with the payload last.
    fn verify_args<'a>(&'a self, payload: &'a str) -> Vec<&'a str> {
        vec![
            "verify",
            "--vk",
            s(&self.vk),
            "--trust-list",
            s(&self.trust_list),
            "--policy",
            s(&self.policy),
            "--challenge",
            &self.challenge,
            "--now",
            NOW_STR,
            payload,
        ]
    }

    /// Arguments of `holder prove` writing to `out`.
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
            "--challenge",
            &self.challenge,
            "--now",
            NOW_STR,
            "--out",
            out,
        ]
    }
}

const NOW_STR: &str = "1763800000";

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
        let trust = p("trust.json");
        ok(zk(&[
            "issuer",
            "keygen",
            "--out",
            s(&p("issuer.key")),
            "--trust-list",
            s(&trust),
            "--name",
            ISSUER_NAME,
        ]));
        let hk = ok(zk(&[
            "--json",
            "holder",
            "keygen",
            "--out",
            s(&p("holder.secret")),
        ]));
        let holder: serde_json::Value = serde_json::from_str(&hk.stdout).unwrap();
        let holder = holder["holder"].as_str().unwrap().to_string();
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
            &(NOW - 3600).to_string(),
            "--issued-at",
            &(NOW - 3000).to_string(),
            "--expires-at",
            &(NOW + 86_400).to_string(),
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
        let challenge = ok(zk(&["challenge"])).stdout.trim().to_string();
        let f = Fixture {
            pk: p("zkstatus.pk"),
            vk: p("zkstatus.vk"),
            issuer_key: p("issuer.key"),
            trust_list: trust,
            secret: p("holder.secret"),
            credential: p("credential.json"),
            policy: p("policy.json"),
            challenge,
            payload: p("payload.bin"),
            setup_out,
            dir,
        };
        ok(zk(&f.prove_args(s(&f.payload))));
        f
    })
}

fn payload_bytes() -> Vec<u8> {
    fs::read(&fixture().payload).unwrap()
}

/// Write `bytes` to a file in a test's scratch directory.
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

// ------------------------------------------------------------ happy paths

#[test]
fn help_documents_exit_codes() {
    let out = ok(zk(&["--help"]));
    assert!(out.stdout.contains("Exit codes:"), "{out:?}");
    for line in ["  0  success", "  1  verify: REJECT", "  2  bad input"] {
        assert!(out.stdout.contains(line), "{line}: {out:?}");
    }
}

#[test]
fn setup_writes_keys_prints_fingerprint_and_refuses_overwrite() {
    let f = fixture();
    let out = &f.setup_out;
    assert!(
        out.stdout.contains("verifying key fingerprint: "),
        "{out:?}"
    );
    assert!(out.stderr.contains("development only"), "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    assert!(fs::read(&f.pk).unwrap().starts_with(b"ZKPK"));
    assert_eq!(fs::read(&f.vk).unwrap().len(), 549);
    let again = zk(&["setup", "--out-dir", s(&f.dir)]);
    assert_error(&again, 2, "already exists; use --force");
    // The refusal comes before the setup: the keys are untouched.
    assert!(fs::read(&f.pk).unwrap().starts_with(b"ZKPK"));
}

#[test]
fn challenge_is_64_lowercase_hex_and_fresh() {
    let a = ok(zk(&["challenge"])).stdout.trim().to_string();
    let b = json(&ok(zk(&["--json", "challenge"])))["challenge"]
        .as_str()
        .unwrap()
        .to_string();
    for c in [&a, &b] {
        assert_eq!(c.len(), 64);
        assert!(c
            .bytes()
            .all(|x| x.is_ascii_digit() || (b'a'..=b'f').contains(&x)));
    }
    assert_ne!(a, b);
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

#[test]
fn issuer_keygen_import_public_and_trust_list() {
    let d = fixture().scratch("issuer_keys");
    let key = d.join("a.key");
    let trust = d.join("trust.json");
    let out = ok(zk(&[
        "issuer",
        "keygen",
        "--out",
        s(&key),
        "--trust-list",
        s(&trust),
        "--name",
        "A",
    ]));
    assert_eq!(mode(&key), 0o600);
    let public_a = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("public key: "))
        .unwrap()
        .to_string();
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
        "--trust-list",
        s(&trust),
        "--name",
        "B",
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

    // The trust list holds both, in order (the --force keygen did not touch it).
    let list = json(&ok(zk(&["--json", "inspect", s(&trust)])));
    assert_eq!(list["issuers"][0]["name"], "A");
    assert_eq!(list["issuers"][0]["public_key"], public_a.as_str());
    assert_eq!(list["issuers"][1]["name"], "B");
    assert_eq!(list["issuers"][1]["public_key"], public_b.as_str());
    // `public` adds a key too, and refuses one already listed under another name.
    let out = zk(&[
        "issuer",
        "public",
        "--key",
        s(&imported),
        "--trust-list",
        s(&trust),
        "--name",
        "C",
    ]);
    assert_error(&out, 2, "already in the trust list as \"B\"");
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

    let out = status(&f.policy, &(NOW + 86_400).to_string());
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
fn verify_accepts_the_shared_payload() {
    let f = fixture();
    assert_eq!(payload_bytes().len(), 169);
    let out = ok(zk(&f.verify_args(s(&f.payload))));
    assert!(
        out.stdout.starts_with(&format!(
            "ACCEPT: green under this policy, issued by {ISSUER_NAME}\n"
        )),
        "{out:?}"
    );
    let mut args = vec!["--json"];
    args.extend(f.verify_args(s(&f.payload)));
    let v = json(&ok(zk(&args)));
    assert_eq!(v["verdict"], "accept");
    assert_eq!(v["code"], "accepted");
    assert_eq!(v["issuer"], ISSUER_NAME);
    assert_eq!(v["reason"], serde_json::Value::Null);
    assert_eq!(v["now"], NOW);
}

#[test]
fn prove_text_to_stdout_and_verify_it_from_stdin() {
    let f = fixture();
    let mut args = f.prove_args("-");
    args.push("--text");
    let out = ok(zk(&args));
    let text = out.stdout.trim();
    assert!(text.starts_with("ZKS1:"), "{out:?}");
    assert_eq!(text.len(), 5 + 254);
    // Surrounding whitespace is fine; the text form is auto-detected.
    let input = format!("\n  {text}\n");
    let out = ok(zk_stdin(&f.verify_args("-"), input.as_bytes()));
    assert!(out.stdout.starts_with("ACCEPT"), "{out:?}");
    // A fresh proof: not the shared payload's bytes.
    let shown = json(&ok(zk_stdin(&["--json", "inspect", "-"], text.as_bytes())));
    assert_eq!(shown["form"], "text");
    assert_eq!(shown["now"], NOW);

    // Binary to a pipe is allowed (stdout is not a terminal).
    let out = ok(zk(&["--json", "inspect", s(&f.payload)]));
    let v = json(&out);
    assert_eq!(v["kind"], "payload");
    assert_eq!(v["size"], 169);
    assert_eq!(v["version"], 1);
    assert_eq!(v["proof"], 128);
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
    let out = ok(zk(&["inspect", s(&f.trust_list)]));
    assert!(out.stdout.contains(ISSUER_NAME), "{out:?}");
    let vk = json(&ok(zk(&["--json", "inspect", s(&f.vk)])));
    let pk = json(&ok(zk(&["--json", "inspect", s(&f.pk)])));
    assert_eq!(vk["kind"], "verifying_key");
    assert_eq!(pk["kind"], "proving_key");
    assert_eq!(vk["vk_fingerprint"], pk["vk_fingerprint"]);
    let circuit = hex_of(&zkstatus_verifier::CIRCUIT_FINGERPRINT);
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
    let fp = hex_of(&zkstatus_verifier::CIRCUIT_FINGERPRINT);
    assert_eq!(v["circuit_fingerprint"], fp.as_str());
    assert_eq!(v["matches_key_files"], true);
    assert_eq!(
        v["public_inputs"],
        serde_json::json!(zkstatus_circuits::statement::PUBLIC_INPUT_NAMES)
    );
    assert!(v["constraints"].as_u64().unwrap() > 1000);
    let short = v["circuit_fingerprint_short"].as_str().unwrap();
    assert_eq!(short.len(), 19);
    assert!(fp.starts_with(&short.replace('-', "")));
    // `inspect` alone describes the circuit too (as README and docs use it).
    let out = ok(zk(&["inspect"]));
    assert!(
        out.stdout.contains(&format!("circuit fingerprint:  {fp}")),
        "{out:?}"
    );
    assert!(out.stdout.contains("  3  challenge"), "{out:?}");
}

#[test]
fn demo_runs_and_prints_accept_and_reject() {
    let d = fixture().scratch("demo");
    let out = ok(zk(&["demo", "--dir", s(&d)]));
    for needle in [
        "[ 5/13] setup keys",
        "ACCEPT: green under this policy, issued by Demo Clinic",
        "REJECT: the proof does not verify",
        "holder refuses to prove: the credential has expired",
        "REJECT: the proof's time is 3600 s from this verifier's clock",
        "QR code skipped",
        "all 13 steps as expected",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {out:?}");
    }
    assert_eq!(mode(&d.join("issuer.key")), 0o600);
    assert_eq!(mode(&d.join("holder.secret")), 0o600);
    // The demo's files work with the other subcommands.
    let shown = json(&ok(zk(&["--json", "inspect", s(&d.join("payload.txt"))])));
    assert_eq!(shown["kind"], "payload");
    // A second run into the same directory needs --force.
    assert_error(
        &zk(&["demo", "--dir", s(&d)]),
        2,
        "already exists; use --force",
    );
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
    let out = zk(&["verify", "--vk", "x"]);
    assert_error(&out, 2, "required arguments were not provided");
    let out = zk(&["frobnicate"]);
    assert_error(&out, 2, "unrecognized subcommand");
    let out = zk(&["--json", "holder", "status", "--now", "soon"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(json(&out)["error"].is_string());
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

    // beta_g1, right after the verifying-key body, replaced by junk.
    let mut bad = pk.clone();
    let at = 4 + 1 + 32 + 512;
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
    other[5] ^= 1;
    let other = scratch_file("pk_other", "other.pk", &other);
    assert_error(
        &prove_with(&other),
        2,
        "this proving key is for another circuit",
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
        "a verifying-key file has exactly 549 bytes, got 500",
    );
    let mut bad = vk.clone();
    bad[37..37 + 32].fill(0xff); // alpha_g1
    let corrupted = scratch_file("vk_corrupted", "bad.vk", &bad);
    assert_error(
        &verify_with(&corrupted),
        2,
        "invalid verifying key: vk alpha is not a valid curve point",
    );
    let mut long = vk.clone();
    long.push(0);
    let long = scratch_file("vk_long", "long.vk", &long);
    assert_error(&verify_with(&long), 2, "exactly 549 bytes, got 550");
}

#[test]
fn verifying_key_for_another_circuit() {
    let f = fixture();
    let mut vk = fs::read(&f.vk).unwrap();
    vk[5..9].copy_from_slice(b"\xde\xad\xbe\xef");
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
    // One signed field changed: the signature no longer verifies.
    let t = (NOW - 3600).to_string();
    let changed = cred.replace(&t, &(NOW - 3599).to_string());
    assert_ne!(changed, cred);
    let corrupted = scratch_file("cred_corrupted", "c.json", changed.as_bytes());
    assert_error(&status_with(&corrupted), 2, "signature does not verify");
    assert_error(
        &zk(&["inspect", s(&corrupted)]),
        2,
        "signature does not verify",
    );
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
        "malformed payload: a payload has exactly 169 bytes, got 100",
    );
    assert_eq!(
        out.stdout.trim(),
        "REJECT: malformed payload: a payload has exactly 169 bytes, got 100"
    );
    let mut bad = p.clone();
    bad[1..33].fill(0xff); // proof point A
    let corrupted = scratch_file("payload_corrupted", "p.bin", &bad);
    assert_error(
        &verify(&corrupted),
        2,
        "malformed payload: invalid proof encoding",
    );
    let mut bad = p.clone();
    bad[137..169].fill(0); // issuer key: the identity's packed form is not this, but 0 is not valid
    let bad_issuer = scratch_file("payload_issuer", "p.bin", &bad);
    assert_error(
        &verify(&bad_issuer),
        2,
        "malformed payload: invalid issuer key",
    );

    // Text: a lowercase character is not base45; a short text is refused.
    let text = json(&ok(zk(&["--json", "inspect", s(&f.payload)])));
    assert_eq!(text["text_chars"], 259);
    let empty_text = scratch_file("payload_text_short", "p.txt", b"ZKS1:ABC\n");
    assert_error(
        &verify(&empty_text),
        2,
        "malformed payload: a payload has exactly 169 bytes",
    );
    let mut args = vec!["--json"];
    args.extend(f.verify_args(s(&empty_text)));
    let out = zk(&args);
    assert_eq!(out.code, 2);
    assert_eq!(json(&out)["verdict"], "reject");
    assert_eq!(json(&out)["code"], "wrong-length");
}

/// Finding F-3: a text payload with another version's or another case's
/// prefix is named as a wrong prefix, not as a binary payload of 260 bytes.
#[test]
fn f3_text_payload_with_a_wrong_prefix_is_named() {
    let f = fixture();
    let body = "A".repeat(254);
    for prefix in ["ZKS2:", "zks1:"] {
        let text = format!("{prefix}{body}\n");
        let file = scratch_file("f3_wrong_prefix", "p.txt", text.as_bytes());
        let out = zk(&f.verify_args(s(&file)));
        assert_error(&out, 2, "malformed payload: wrong prefix");
        assert!(out.stderr.contains("ZKS1:"), "{out:?}");
        assert!(!out.stderr.contains("169 bytes"), "{out:?}");
        let mut args = vec!["--json"];
        args.extend(f.verify_args(s(&file)));
        let out = zk(&args);
        assert_eq!(out.code, 2);
        assert_eq!(json(&out)["code"], "wrong-prefix");
    }
}

/// Finding F-2: a trust-list name with a newline (or another control or
/// bidirectional-formatting character) is refused, so it cannot print a
/// forged verdict line after the real one; `issuer keygen --name` refuses
/// it too.
#[test]
fn f2_trust_list_names_with_control_characters_are_refused() {
    let f = fixture();
    let mut list: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&f.trust_list).unwrap()).unwrap();
    for (name, needle) in [
        ("Lab\nREJECT: spoofed line", "character 4 is U+000A"),
        ("Lab\u{1b}[2K\rREJECT", "character 4 is U+001B"),
        ("Lab\u{202e}TCEJER", "character 4 is U+202E"),
        ("Lab\0", "character 4 is U+0000"),
    ] {
        list["issuers"][0]["name"] = name.into();
        let file = scratch_file("f2_names", "trust.json", list.to_string().as_bytes());
        let mut args = f.verify_args(s(&f.payload));
        args[4] = s(&file);
        let out = zk(&args);
        assert_error(&out, 2, needle);
        assert!(out.stderr.contains("field name"), "{out:?}");
        let lines = out.stdout.lines().chain(out.stderr.lines()).count();
        assert_eq!(lines, 1, "exactly one line, the verdict: {out:?}");
        assert!(!out.stdout.contains("ACCEPT") && !out.stderr.contains("REJECT"));

        if name.contains('\0') {
            continue; // not a possible argument
        }
        let d = f.scratch("f2_keygen");
        let key = d.join("issuer.key");
        let out = zk(&[
            "issuer",
            "keygen",
            "--out",
            s(&key),
            "--trust-list",
            s(&d.join("trust.json")),
            "--name",
            name,
        ]);
        assert_error(&out, 2, &format!("--name: {needle}"));
        assert!(!key.exists() && !d.join("trust.json").exists());
    }
}

#[test]
fn payload_version_2_and_trailing_bytes() {
    let f = fixture();
    let mut p = payload_bytes();
    p[0] = 2;
    let v2 = scratch_file("payload_v2", "p.bin", &p);
    assert_error(
        &zk(&f.verify_args(s(&v2))),
        2,
        "malformed payload: unknown payload version 2",
    );
    assert_error(&zk(&["inspect", s(&v2)]), 2, "unknown payload version 2");
    let mut p = payload_bytes();
    p.push(0);
    let long = scratch_file("payload_trailing", "p.bin", &p);
    assert_error(
        &zk(&f.verify_args(s(&long))),
        2,
        "malformed payload: a payload has exactly 169 bytes, got 170",
    );
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

#[test]
fn json_with_an_unknown_field() {
    let p = policy_with("json_unknown", |t| {
        t.replacen("\"version\": 1,", "\"version\": 1, \"note\": 1,", 1)
    });
    assert_error(&verify_with_policy(&p), 2, "policy: unknown field `note`");
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
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &ff;
    assert_error(
        &zk(&args),
        2,
        "invalid --challenge: value is not below the field modulus",
    );
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
    // The modulus itself is refused too (never reduced).
    let p = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";
    args = f.verify_args(s(&f.payload));
    args[8] = p;
    assert_error(&zk(&args), 2, "not below the field modulus");
}

#[test]
fn uppercase_hex_is_refused() {
    let f = fixture();
    let upper = f.challenge.to_uppercase();
    assert_ne!(upper, f.challenge);
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &upper;
    assert_error(
        &zk(&args),
        2,
        "invalid --challenge: expected lowercase hexadecimal digits",
    );
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
    let mut big = payload_bytes();
    big.resize(5000, 0);
    let p = scratch_file("oversize_payload", "p.bin", &big);
    assert_error(
        &zk(&f.verify_args(s(&p))),
        2,
        "the payload is larger than 4096 bytes",
    );
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
    let mut args = f.prove_args("-");
    args[3] = s(&f.vk);
    assert_error(
        &zk(&args),
        2,
        "expected a proving-key file, got a verifying-key file",
    );
    let mut args = f.verify_args(s(&f.policy));
    assert_error(&zk(&args), 2, "expected a payload, got a policy file");
    args = f.verify_args(s(&f.payload));
    args[2] = s(&f.pk);
    assert_error(
        &zk(&args),
        2,
        "expected a verifying-key file, got a proving-key file",
    );
    args = f.verify_args(s(&f.payload));
    args[4] = s(&f.issuer_key);
    assert_error(
        &zk(&args),
        2,
        "expected a trust list, got an issuer key file",
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
}

#[test]
fn expired_credential_is_not_proved() {
    let f = fixture();
    let d = f.scratch("expired_prove");
    let out_file = d.join("never.bin");
    let mut args = f.prove_args(s(&out_file));
    let later = (NOW + 86_400).to_string();
    args[13] = &later;
    let out = zk(&args);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stderr.trim(),
        "zkstatus: NOT GREEN: the credential has expired; no proof made"
    );
    assert_eq!(out.stderr.lines().count(), 1);
    assert!(!out_file.exists());
    args.insert(0, "--json");
    let out = zk(&args);
    assert_eq!(out.code, 1);
    assert_eq!(json(&out)["reason"], "the credential has expired");
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
    assert_ne!(fs::read(&vk2).unwrap(), fs::read(&f.vk).unwrap());
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
            assert!(out.stderr.contains("not the pinned one"), "{out:?}");
        }
    }
}

// ------------------------------------------------ protocol (checklist D): exit 1

#[test]
fn proof_under_another_challenge_rejects() {
    let f = fixture();
    let other = ok(zk(&["challenge"])).stdout.trim().to_string();
    let mut args = f.verify_args(s(&f.payload));
    args[8] = &other;
    assert_reject(&zk(&args), "the proof does not verify");
}

#[test]
fn changed_now_bytes_reject() {
    let f = fixture();
    let mut p = payload_bytes();
    p[168 - 32] ^= 1; // last byte of the big-endian `now`: now ± 1
    let changed = scratch_file("now_changed", "p.bin", &p);
    let shown = json(&ok(zk(&["--json", "inspect", s(&changed)])));
    assert_eq!(shown["now"], NOW ^ 1);
    assert_reject(
        &zk(&f.verify_args(s(&changed))),
        "the proof does not verify",
    );
}

#[test]
fn verifier_clock_outside_the_skew_rejects() {
    let f = fixture();
    let mut args = f.verify_args(s(&f.payload));
    let late = (NOW + 1000).to_string();
    args[10] = &late;
    assert_reject(
        &zk(&args),
        "the proof's time is 1000 s from this verifier's clock (tolerance 300 s)",
    );
    let early = (NOW - 301).to_string();
    args[10] = &early;
    assert_reject(&zk(&args), "301 s from this verifier's clock");
    // A wider tolerance accepts the same payload.
    args[10] = &late;
    args.splice(1..1, ["--max-skew", "20m"]);
    let out = ok(zk(&args));
    assert!(out.stdout.starts_with("ACCEPT"), "{out:?}");
    // A clock in milliseconds is implausible.
    let ms = (NOW * 1000).to_string();
    let mut args = f.verify_args(s(&f.payload));
    args[10] = &ms;
    assert_reject(&zk(&args), "implausible time");
}

#[test]
fn stricter_verifier_policy_than_proved_rejects() {
    let p = policy_with("stricter_policy", |t| t.replace("259200", "259199"));
    assert_reject(&verify_with_policy(&p), "the proof does not verify");
    let p = policy_with("stricter_gap", |t| t.replace("864000", "864001"));
    assert_reject(&verify_with_policy(&p), "the proof does not verify");
}

#[test]
fn untrusted_issuer_rejects() {
    let f = fixture();
    let d = f.scratch("untrusted");
    let trust = d.join("trust.json");
    ok(zk(&[
        "issuer",
        "keygen",
        "--out",
        s(&d.join("other.key")),
        "--trust-list",
        s(&trust),
        "--name",
        "Someone else",
    ]));
    let mut args = f.verify_args(s(&f.payload));
    args[4] = s(&trust);
    assert_reject(
        &zk(&args),
        "the credential's issuer is not trusted by this verifier",
    );
    args.insert(0, "--json");
    let out = zk(&args);
    assert_eq!(out.code, 1);
    let v = json(&out);
    assert_eq!(v["verdict"], "reject");
    assert_eq!(v["code"], "untrusted-issuer");
    assert_eq!(v["issuer"], serde_json::Value::Null);
}

#[test]
fn snarkjs_export_writes_the_three_files() {
    let f = fixture();
    let d = f.scratch("snarkjs");
    let args = |out: &str| -> Vec<String> {
        [
            "export",
            "snarkjs",
            "--vk",
            s(&f.vk),
            "--policy",
            s(&f.policy),
            "--challenge",
            &f.challenge,
            "--out-dir",
            out,
            s(&f.payload),
        ]
        .map(String::from)
        .to_vec()
    };
    let run = |a: Vec<String>| zk(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let out = ok(run(args(s(&d))));
    assert!(out.stdout.contains("snarkjs groth16 verify"), "{out:?}");
    let read = |n: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(d.join(n)).unwrap()).unwrap()
    };
    let vk = read("verification_key.json");
    assert_eq!(vk["protocol"], "groth16");
    assert_eq!(vk["curve"], "bn128");
    assert_eq!(vk["nPublic"], 8);
    assert_eq!(vk["IC"].as_array().unwrap().len(), 9);
    let public = read("public.json");
    assert_eq!(public.as_array().unwrap().len(), 8);
    assert_eq!(public[2], NOW.to_string());
    let proof = read("proof.json");
    assert_eq!(proof["pi_a"].as_array().unwrap().len(), 3);
    assert_error(&run(args(s(&d))), 2, "already exists; use --force");
    let all = json(&ok(run(args("-"))));
    assert_eq!(all["public"], public);
    assert_eq!(all["proof"], proof);
}

/// Finding F-6: `export snarkjs` with another challenge than the proof's
/// refuses (exit 1, one error line) and writes nothing.
#[test]
fn f6_snarkjs_export_refuses_a_proof_that_does_not_verify() {
    let f = fixture();
    let d = f.scratch("f6_snarkjs");
    let other = ok(zk(&["challenge"])).stdout.trim().to_string();
    assert_ne!(other, f.challenge);
    let out_dir = d.join("out");
    let out = zk(&[
        "export",
        "snarkjs",
        "--vk",
        s(&f.vk),
        "--policy",
        s(&f.policy),
        "--challenge",
        &other,
        "--out-dir",
        s(&out_dir),
        s(&f.payload),
    ]);
    assert_error(&out, 1, "not exported: the proof does not verify");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(!out_dir.exists(), "nothing written");
    let out = zk(&[
        "--json",
        "export",
        "snarkjs",
        "--vk",
        s(&f.vk),
        "--policy",
        s(&f.policy),
        "--challenge",
        &other,
        "--out-dir",
        "-",
        s(&f.payload),
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let v = json(&out);
    assert!(v["error"].as_str().unwrap().contains("does not verify"));
    assert!(v.get("proof").is_none());
}
