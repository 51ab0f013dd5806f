//! `demo`: the whole job end to end on embedded defaults, each step timed,
//! then the three ways it must fail (tampering, expiry, a stale proof).

use crate::holder::reason;
use crate::io::{print_json, write_new, Ctx};
use crate::text::{fmt_duration, fmt_secs, fmt_span, policy_summary, unix_now};
use crate::venue::SETUP_WARNING;
use anyhow::{anyhow, bail, Result};
use ark_ff::UniformRand;
use clap::Args;
use serde_json::{json, Value};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{
    fr_to_hex, holder_secret_to_json, issuer_key_to_json, policy_to_json, public_key_to_hex,
    trust_list_to_json, TrustedIssuer,
};
use zkstatus_prover::holder::{self, ProveError};
use zkstatus_prover::{issuer, keys, Payload, StatusVerifier, VerifyError};
use zkstatus_verifier::groth16::PROOF_BYTES;
use zkstatus_verifier::vk_to_file;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo's files in DIR instead of a temporary directory.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Replace files of an earlier demo in DIR.
    #[arg(long)]
    force: bool,
    /// Do not print the payload as a QR code.
    #[arg(long)]
    no_qr: bool,
}

const ISSUER_NAME: &str = "Demo Clinic";
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
const STEPS: usize = 13;

/// Numbered, timed steps: `[ 5/13] setup keys ........ 1.41 s`.
struct Steps {
    json: bool,
    n: usize,
    log: Vec<Value>,
}

impl Steps {
    fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Result<(T, Vec<String>)>) -> Result<T> {
        let t = Instant::now();
        let (value, details) = f()?;
        let secs = t.elapsed().as_secs_f64();
        self.n += 1;
        if !self.json {
            let dots = ".".repeat(38usize.saturating_sub(name.chars().count()));
            outln!(
                "[{:>2}/{STEPS}] {name} {dots} {:>8}",
                self.n,
                fmt_secs(secs)
            );
            for d in &details {
                outln!("         {d}");
            }
        }
        self.log
            .push(json!({ "step": self.n, "name": name, "seconds": secs, "details": details }));
        Ok(value)
    }
}

fn verdict(r: &Result<zkstatus_verifier::Accepted, VerifyError>) -> String {
    match r {
        Ok(_) => format!("ACCEPT: green under this policy, issued by {ISSUER_NAME}"),
        Err(VerifyError::Rejected(r)) => format!("REJECT: {r}"),
        Err(e) => format!("REJECT: {e}"),
    }
}

fn qr(text: &str) -> Result<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L)
        .map_err(|e| anyhow!("cannot make a QR code: {e}"))?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Flip the first bit of the proof's `A` that still decodes, so the pairing
/// check (not the decoder) has to catch it. Returns the bit index.
fn tamper(bytes: &[u8]) -> (Vec<u8>, usize) {
    for bit in 8..8 * (1 + PROOF_BYTES) {
        let mut t = bytes.to_vec();
        t[bit / 8] ^= 1 << (bit % 8);
        if Payload::from_bytes(&t).is_ok() {
            return (t, bit - 8);
        }
    }
    let mut t = bytes.to_vec();
    t[1] ^= 1;
    (t, 0)
}

pub fn run(ctx: &Ctx, a: DemoArgs) -> Result<u8> {
    let tmp;
    let dir: PathBuf = match &a.dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| {
                anyhow!(
                    "cannot create the demo directory: {} ({})",
                    crate::io::io_reason(&e),
                    d.display()
                )
            })?;
            d.clone()
        }
        None => {
            tmp = tempfile::tempdir()
                .map_err(|e| anyhow!("cannot create a temporary directory: {e}"))?;
            tmp.path().to_path_buf()
        }
    };
    let show_qr = !a.no_qr && !ctx.json && std::io::stdout().is_terminal();
    let force = a.force;
    let write = |name: &str, bytes: &[u8], what: &str, secret: bool| -> Result<()> {
        write_new(&dir.join(name), bytes, what, force, secret)
    };
    let now = unix_now()?;
    let started = Instant::now();
    let mut rng = rand::rngs::OsRng;
    if !ctx.json {
        outln!(
            "zkstatus demo: issue, prove and verify a health status in {}",
            dir.display()
        );
        outln!();
    }
    let mut steps = Steps {
        json: ctx.json,
        n: 0,
        log: Vec::new(),
    };

    let key = steps.run("issuer key", || {
        let key = PrivateKey::generate(&mut rng);
        write(
            "issuer.key",
            issuer_key_to_json(&key).as_bytes(),
            "issuer key",
            true,
        )?;
        let list = [TrustedIssuer {
            name: ISSUER_NAME.into(),
            public_key: key.public_key(),
        }];
        write(
            "trust-list.json",
            trust_list_to_json(&list).as_bytes(),
            "trust list",
            false,
        )?;
        let d = vec![
            format!(
                "{ISSUER_NAME}, public key {}",
                public_key_to_hex(&key.public_key())
            ),
            "issuer.key (0600), trust-list.json".into(),
        ];
        Ok((key, d))
    })?;

    let secret = steps.run("holder secret", || {
        let s = HolderSecret::generate(&mut rng);
        write(
            "holder.secret",
            holder_secret_to_json(&s).as_bytes(),
            "holder secret",
            true,
        )?;
        let d = vec![
            format!("holder commitment {}", fr_to_hex(&s.commitment())),
            "holder.secret (0600)".into(),
        ];
        Ok((s, d))
    })?;

    let issue = |test_time: u64, issued_at: u64, expires_at: u64| -> Result<Credential> {
        let record = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time,
            exposure_time: NO_EXPOSURE,
            issued_at,
            expires_at,
            credential_id: ark_bn254::Fr::rand(&mut rand::rngs::OsRng),
        };
        issuer::issue(&key, &record).map_err(|e| anyhow!("cannot issue: {e}"))
    };

    let cred = steps.run("credential: negative PCR", || {
        let c = issue(now - 5 * HOUR, now - 4 * HOUR, now + 2 * DAY)?;
        write(
            "credential.json",
            c.to_json().as_bytes(),
            "credential",
            true,
        )?;
        let d = vec![
            format!(
                "tested {} ago, expires in {}",
                fmt_span(5 * HOUR),
                fmt_span(2 * DAY)
            ),
            "credential.json".into(),
        ];
        Ok((c, d))
    })?;

    let policy = steps.run("venue policy", || {
        let p = StatusPolicy::new(Some(72 * HOUR), Some(24 * HOUR), 10 * DAY)
            .map_err(|e| anyhow!("{e}"))?;
        write(
            "policy.json",
            policy_to_json(&p).as_bytes(),
            "policy",
            false,
        )?;
        Ok((p, vec![policy_summary(&p), "policy.json".into()]))
    })?;

    let (pk, vk) = steps.run("setup keys (Groth16, BN254)", || {
        let (pk, vk) = keys::setup().map_err(|e| anyhow!("{e}"))?;
        write("zkstatus.pk", &pk.to_file(), "proving key", false)?;
        write("zkstatus.vk", &vk_to_file(&vk), "verifying key", false)?;
        let d = vec![
            format!("verifying key fingerprint {}", vk.short_fingerprint()),
            format!("warning: {SETUP_WARNING}"),
        ];
        Ok(((pk, vk), d))
    })?;

    let challenge = steps.run("venue challenge", || {
        let c = Challenge::random(&mut rng);
        Ok((c, vec![fr_to_hex(&c.to_field())]))
    })?;

    steps.run("holder checks own status", || {
        holder::status(&cred, &secret, now, &policy)
            .map_err(|e| anyhow!("demo: the credential should be green: {}", reason(&e)))?;
        Ok(((), vec!["GREEN".into()]))
    })?;

    let payload = steps.run("holder proves", || {
        let p = holder::prove(&pk, &cred, &secret, &policy, now, &challenge)
            .map_err(|e| anyhow!("demo: proving failed: {e}"))?;
        write("payload.bin", &p.to_bytes(), "payload", false)?;
        write(
            "payload.txt",
            format!("{}\n", p.to_text()).as_bytes(),
            "payload",
            false,
        )?;
        Ok((p, vec!["payload.bin, payload.txt".into()]))
    })?;

    let bytes = payload.to_bytes();
    let text = payload.to_text();
    steps.run("payload", || {
        let mut d = vec![
            format!(
                "{} bytes binary, {} characters as text (QR alphanumeric)",
                bytes.len(),
                text.len()
            ),
            "holds only: proof, time, issuer key; the venue brings its own policy and challenge"
                .into(),
        ];
        if !show_qr && !ctx.json {
            d.push("(QR code skipped: stdout is not a terminal, or --no-qr)".into());
        }
        Ok(((), d))
    })?;
    if show_qr {
        outln!("{}", qr(&text)?);
    }

    let verifier =
        StatusVerifier::new(&vk, vec![key.public_key()], policy).map_err(|e| anyhow!("{e}"))?;

    let accepted = steps.run("venue verifies", || {
        let r = verifier.verify(&bytes, now, &challenge);
        Ok((r.is_ok(), vec![verdict(&r)]))
    })?;
    if !accepted {
        bail!("demo: the honest payload was not accepted");
    }

    let tampered_rejected = steps.run("tampered payload (one bit flipped)", || {
        let (t, bit) = tamper(&bytes);
        let r = verifier.verify(&t, now, &challenge);
        let d = vec![format!("flipped bit {bit} of the proof"), verdict(&r)];
        Ok((r.is_err(), d))
    })?;
    if !tampered_rejected {
        bail!("demo: the tampered payload was accepted");
    }

    let refused = steps.run("expired credential", || {
        let old = issue(now - 50 * HOUR, now - 49 * HOUR, now - HOUR)?;
        match holder::prove(&pk, &old, &secret, &policy, now, &challenge) {
            Err(ProveError::Statement(e)) => Ok((
                true,
                vec![
                    "expired 1 h ago".into(),
                    format!("holder refuses to prove: {}", reason(&e)),
                ],
            )),
            Ok(_) => Ok((false, vec!["a proof was made".into()])),
            Err(e) => Err(anyhow!("demo: {e}")),
        }
    })?;
    if !refused {
        bail!("demo: the holder proved an expired credential");
    }

    let stale_rejected = steps.run("stale proof (made 1 h ago)", || {
        let old = holder::prove(&pk, &cred, &secret, &policy, now - HOUR, &challenge)
            .map_err(|e| anyhow!("demo: proving failed: {e}"))?;
        let r = verifier.verify(&old.to_bytes(), now, &challenge);
        let d = vec![
            format!(
                "the venue allows {} of clock skew",
                fmt_duration(zkstatus_verifier::DEFAULT_MAX_SKEW_SECS)
            ),
            verdict(&r),
        ];
        Ok((r.is_err(), d))
    })?;
    if !stale_rejected {
        bail!("demo: the stale proof was accepted");
    }

    if ctx.json {
        print_json(&json!({
            "dir": a.dir.as_deref().map(Path::display).map(|d| d.to_string()),
            "accepted": accepted,
            "tampered_rejected": tampered_rejected,
            "expired_refused": refused,
            "stale_rejected": stale_rejected,
            "payload_bytes": bytes.len(),
            "payload_text_chars": text.len(),
            "steps": steps.log,
        }));
    } else {
        outln!();
        outln!(
            "all {STEPS} steps as expected in {}",
            fmt_secs(started.elapsed().as_secs_f64())
        );
        match &a.dir {
            Some(d) => outln!("files kept in {}", d.display()),
            None => outln!("(temporary files removed; use --dir DIR to keep them)"),
        }
    }
    Ok(0)
}
