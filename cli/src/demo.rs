//! `demo`: the whole statement-v2 job end to end on embedded defaults, each
//! step timed: a registry of three accredited labs with a published
//! retirement, every act appended to the transparency log (then a
//! checkpoint, a witness's cosignature, the registry bundle the gate takes
//! its roots from, an audit), a proof from a hidden issuer, then the ways it must fail
//! (tampering, a replay, a retired issuer, a holder on a superseded root,
//! expiry) and a one-scan pass accepted once and refused as a repeat.

use crate::io::{print_json, write_new, Ctx};
use crate::registry;
use crate::text::{fmt_secs, fmt_span, policy_summary, unix_now};
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
use zkstatus_circuits::registry::{IssuerLeaf, Window};
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_log::audit::AuditOptions;
use zkstatus_log::fs::{FsStore, LogDir};
use zkstatus_log::{LogEntry, LogSigningKey, WitnessSigningKey};
use zkstatus_prover::credential::Credential;
use zkstatus_prover::files::{
    fr_to_hex, holder_secret_to_json, issuer_key_to_json, policy_to_json, public_key_to_hex,
};
use zkstatus_prover::holder::v2::{self as holder, Presentation};
use zkstatus_prover::holder::ProveError;
use zkstatus_prover::{issuer, keys};
use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};
use zkstatus_verifier::groth16::PROOF_BYTES;
use zkstatus_verifier::onescan::{self, OperatorId};
use zkstatus_verifier::registry::{Entry, Registry};
use zkstatus_verifier::v2::keyfile::vk2_to_file;
use zkstatus_verifier::v2::offer::ChallengeOffer;
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::AcceptedRoots;
use zkstatus_verifier::v2::{Accepted, Gate, Modes, Verifier};
use zkstatus_verifier::VerifyError;

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
const OTHER_LAB: &str = "North Lab";
const RETIRED_LAB: &str = "Harbour Lab";
const OPERATOR: &str = "Demo Metro";
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
const STEPS: usize = 17;

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

fn verdict(r: &Result<Accepted, VerifyError>) -> String {
    match r {
        Ok(a) => format!(
            "ACCEPT: green under this policy, issued by an accredited issuer (registry epoch {})",
            a.epoch
        ),
        Err(VerifyError::Rejected(r)) => format!("REJECT: {r}"),
        Err(e) => format!("REJECT: {e}"),
    }
}

/// A challenge the gate issues at `now` from 32 fresh random bytes.
fn fresh_offer(gate: &mut Gate, now: u64) -> Result<ChallengeOffer> {
    let mut nonce = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let issued = gate
        .challenges()
        .issue(now, &nonce)
        .map_err(|e| anyhow!("{e}"))?;
    Ok(ChallengeOffer::from(issued))
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
    // The proof starts after version, mode, epoch and time (18 bytes).
    const AT: usize = 18;
    for bit in 8 * AT..8 * (AT + PROOF_BYTES) {
        let mut t = bytes.to_vec();
        t[bit / 8] ^= 1 << (bit % 8);
        if PayloadV2::from_bytes(&t).is_ok() {
            return (t, bit - 8 * AT);
        }
    }
    let mut t = bytes.to_vec();
    t[AT] ^= 1;
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
            "zkstatus demo: issue, prove and verify a health status (statement v2) in {}",
            dir.display()
        );
        outln!();
    }
    let mut steps = Steps {
        json: ctx.json,
        n: 0,
        log: Vec::new(),
    };

    let labs = steps.run("issuer keys (three labs)", || {
        let labs = [ISSUER_NAME, OTHER_LAB, RETIRED_LAB]
            .map(|name| (name, PrivateKey::generate(&mut rand::rngs::OsRng)));
        write(
            "issuer.key",
            issuer_key_to_json(&labs[0].1).as_bytes(),
            "issuer key",
            true,
        )?;
        let d = vec![
            format!(
                "{ISSUER_NAME}, public key {}",
                public_key_to_hex(&labs[0].1.public_key())
            ),
            format!("{OTHER_LAB}, {RETIRED_LAB}"),
            "issuer.key (0600: the Demo Clinic's)".into(),
        ];
        Ok((labs, d))
    })?;

    // The authority's history, every act through the transparency log (the
    // same entries `zkstatus registry add|retire|publish --log` append):
    // three labs accredited (epoch 3, published 3 days ago, active since 2),
    // then Harbour Lab retired, published 7 h ago with the 6-hour overlap,
    // so active since 1 h ago (epoch 4). The registry files are the log's
    // replayed state.
    let retire_at = now - HOUR;
    let (log_key, _) = LogSigningKey::generate(&mut rand::rngs::OsRng, "demo.example/log")?;
    let log_dir = dir.join("log");
    let registries = steps.run("registry acts, appended to the log", || {
        if log_dir.exists() {
            if !force {
                bail!("the demo's log folder already exists; use --force to replace it ({})", log_dir.display());
            }
            std::fs::remove_dir_all(&log_dir)
                .map_err(|e| anyhow!("cannot remove {}: {e}", log_dir.display()))?;
        }
        let log = LogDir::init(&log_dir, &log_key)?;
        let state = || -> Result<Registry> {
            Ok(log.load(crate::text::fmt_time)?.replay.registry().clone())
        };
        for (name, key) in &labs {
            let entry = Entry {
                leaf: IssuerLeaf {
                    key: key.public_key(),
                    window: Window::new(now - 30 * DAY, now + 365 * DAY)
                        .map_err(|e| anyhow!("{e}"))?,
                },
                name: (*name).into(),
            };
            log.append(&registry::added(&state()?, entry)?.0)?;
        }
        let first = state()?;
        let root = registry::published(&first, now - 3 * DAY, Some(now - 2 * DAY), 6 * HOUR)?;
        log.append(&LogEntry::RootPublished(root))?;
        log.append(&registry::retired(&first, 2, retire_at)?.0)?;
        let reg = state()?;
        let root = registry::published(&reg, retire_at - 6 * HOUR, Some(retire_at), 6 * HOUR)?;
        log.append(&LogEntry::RootPublished(root))?;
        let loaded = log.load(crate::text::fmt_time)?;
        let roots =
            AcceptedRoots::new(loaded.replay.roots().to_vec()).map_err(|e| anyhow!("{e}"))?;
        for (name, r) in [
            (format!("registry-{}.bin", first.epoch()), &first),
            (format!("registry-{}.bin", reg.epoch()), &reg),
            ("registry.bin".to_string(), &reg),
        ] {
            write(&name, &r.to_bytes(), "registry", false)?;
        }
        // For holder pages that still read a roots file: the log's roots.
        write("roots.json", roots.to_json().as_bytes(), "registry roots", false)?;
        let d = vec![
            format!(
                "entries 0-3: {ISSUER_NAME}, {OTHER_LAB}, {RETIRED_LAB} accredited; the root of epoch {}, published {} ago, active since {} ago",
                first.epoch(),
                fmt_span(3 * DAY),
                fmt_span(2 * DAY)
            ),
            format!(
                "entries 4-5: {RETIRED_LAB} retired; the root of epoch {}, published {} ago, active since {} ago",
                reg.epoch(),
                fmt_span(7 * HOUR),
                fmt_span(HOUR)
            ),
            format!(
                "log/ ({} entries); registry.bin ({} bytes: the log's registry, which holders download whole), roots.json",
                loaded.raw.len(),
                reg.to_bytes().len()
            ),
        ];
        Ok((vec![first, reg], d))
    })?;

    // Checkpointed, cosigned by a witness, bundled; the gate takes its roots
    // from the bundle, checked offline against the log and witness keys.
    let roots = steps.run("log: checkpoint, cosign, bundle, audit", || {
        let (witness, _) = WitnessSigningKey::generate(&mut rand::rngs::OsRng, "witness.example")?;
        let log = LogDir::open(&log_dir)?;
        let (size, note) = log.checkpoint(&log_key)?;
        log.write_checkpoint(&witness.cosign(&note, now)?)?;
        let loaded = log.load(crate::text::fmt_time)?;
        let (bundle, _) = zkstatus_log::bundle::build(&loaded.raw, &log.read_checkpoint()?)?;
        let bytes = bundle.to_bytes()?;
        write("registry.bundle", &bytes, "registry bundle", false)?;
        let trust_json = BundleTrust::to_json(
            log_key.public().as_str(),
            &[witness.public().as_str().to_string()],
            1,
            DEFAULT_MAX_AGE_SECS,
        );
        write("trust.json", trust_json.as_bytes(), "registry trust", false)?;
        let verified = bundle.verify(&BundleTrust::from_json(&trust_json)?, now)?;
        if verified.roots.roots() != loaded.replay.roots() {
            bail!("the bundle's roots are not the published ones");
        }
        // Anyone's audit of the folder (`zkstatus log audit`): every tile and
        // signature, every published root recomputed from the entries.
        let report = zkstatus_log::audit::audit(
            &FsStore::new(&log_dir),
            &AuditOptions {
                log_key: log_key.public(),
                witnesses: std::slice::from_ref(witness.public()),
                min_cosignatures: 1,
                previous: None,
                freshness: Some((now, DEFAULT_MAX_AGE_SECS)),
                fmt_time: crate::text::fmt_time,
            },
        )
        .map_err(|e| anyhow!("the demo's log fails its own audit: {e}"))?;
        let d = vec![
            format!("checkpoint of {size} entries signed by the log, cosigned by witness.example"),
            format!(
                "registry.bundle ({} bytes: the checkpoint, its last entry the current root, the previous root), trust.json",
                bytes.len()
            ),
            format!(
                "audit passed: {} entries, every tile and signature checked, every published root recomputed (zkstatus log audit {})",
                report.size,
                log_dir.display()
            ),
        ];
        Ok((verified.roots, d))
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

    let issue =
        |key: &PrivateKey, test_time: u64, issued_at: u64, expires_at: u64| -> Result<Credential> {
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
            issuer::issue(key, &record).map_err(|e| anyhow!("cannot issue: {e}"))
        };

    let cred = steps.run("credential: negative PCR", || {
        let c = issue(&labs[0].1, now - 5 * HOUR, now - 4 * HOUR, now + 2 * DAY)?;
        write(
            "credential.json",
            c.to_json().as_bytes(),
            "credential",
            true,
        )?;
        let d = vec![
            format!(
                "from {ISSUER_NAME}: tested {} ago, expires in {}",
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
        let (pk, vk) = keys::setup_v2().map_err(|e| anyhow!("{e}"))?;
        write("zkstatus.pk", &pk.to_file(), "proving key", false)?;
        write(
            "zkstatus.vk",
            &vk2_to_file(&vk, pk.qap_reduction()),
            "verifying key",
            false,
        )?;
        let d = vec![
            format!("verifying key fingerprint {}", vk.short_fingerprint()),
            format!("warning: {SETUP_WARNING}"),
        ];
        Ok(((pk, vk), d))
    })?;

    let operator = OperatorId::from_name(OPERATOR).map_err(|e| anyhow!("{e}"))?;
    let new_gate = || -> Result<Gate> {
        Gate::new(
            Verifier::new(&vk, roots.clone(), policy),
            "https://venue.example",
            operator,
            Modes::BOTH,
            zkstatus_verifier::v2::DEFAULT_TTL_SECS,
            3,
        )
        .map_err(|e| anyhow!("{e}"))
    };
    let mut gate = new_gate()?;
    let prove_for = |c: &Credential, r: &[Registry], roots: &AcceptedRoots, p: &Presentation| {
        holder::prove(&pk, c, &secret, &policy, r, roots, p)
    };

    let offer = steps.run("venue challenge", || {
        let offer = fresh_offer(&mut gate, now)?;
        let d = vec![
            offer.to_text(),
            "the challenge carries its issue time: the holder proves for that time, not its own clock"
                .into(),
        ];
        Ok((offer, d))
    })?;

    let payload = steps.run("holder proves (issuer hidden)", || {
        let p = prove_for(
            &cred,
            &registries,
            &roots,
            &Presentation::Interactive(offer),
        )
        .map_err(|e| anyhow!("demo: proving failed: {e}"))?;
        write("payload.bin", &p.to_bytes(), "payload", false)?;
        write(
            "payload.txt",
            format!("{}\n", p.to_text()).as_bytes(),
            "payload",
            false,
        )?;
        let d = vec![
            format!(
                "the active root at the challenge's time: registry epoch {}",
                p.epoch
            ),
            "payload.bin, payload.txt".into(),
        ];
        Ok((p, d))
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
            "holds only: proof, registry epoch, time; never the issuer; the venue brings policy, challenge and roots"
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

    let accepted = steps.run("venue verifies", || {
        let r = gate.verify(&bytes, now + 2);
        Ok((r.is_ok(), vec![verdict(&r)]))
    })?;
    if !accepted {
        bail!("demo: the honest payload was not accepted");
    }

    let replay_rejected = steps.run("the same payload again (a replay)", || {
        let r = gate.verify(&bytes, now + 3);
        Ok((r.is_err(), vec![verdict(&r)]))
    })?;
    if !replay_rejected {
        bail!("demo: the replayed payload was accepted");
    }

    let tampered_rejected = steps.run("tampered payload (one bit flipped)", || {
        let mut g = new_gate()?;
        let o = fresh_offer(&mut g, now)?;
        let p = prove_for(&cred, &registries, &roots, &Presentation::Interactive(o))
            .map_err(|e| anyhow!("demo: proving failed: {e}"))?;
        let (t, bit) = tamper(&p.to_bytes());
        let r = g.verify(&t, now + 2);
        let d = vec![format!("flipped bit {bit} of the proof"), verdict(&r)];
        Ok((r.is_err(), d))
    })?;
    if !tampered_rejected {
        bail!("demo: the tampered payload was accepted");
    }

    let retired_refused = steps.run("credential from the retired lab", || {
        let c = issue(&labs[2].1, now - 5 * HOUR, now - 4 * HOUR, now + 2 * DAY)?;
        let o = fresh_offer(&mut new_gate()?, now)?;
        match prove_for(&c, &registries, &roots, &Presentation::Interactive(o)) {
            Err(ProveError::StatementV2(e)) => Ok((
                true,
                vec![
                    format!(
                        "{RETIRED_LAB}'s retirement is active since {} ago",
                        fmt_span(HOUR)
                    ),
                    format!("holder refuses to prove: {}", crate::holder::reason(&e)),
                ],
            )),
            Ok(_) => Ok((false, vec!["a proof was made".into()])),
            Err(e) => Err(anyhow!("demo: {e}")),
        }
    })?;
    if !retired_refused {
        bail!("demo: the holder proved with a retired issuer's credential");
    }

    let stale_root_rejected = steps.run("holder on the superseded root", || {
        // A holder whose roots file stops at epoch 3 proves under it; the
        // gate knows epoch 4 is active.
        let stale = AcceptedRoots::new(roots.roots()[..1].to_vec()).map_err(|e| anyhow!("{e}"))?;
        let mut g = new_gate()?;
        let o = fresh_offer(&mut g, now)?;
        let p = prove_for(&cred, &registries, &stale, &Presentation::Interactive(o))
            .map_err(|e| anyhow!("demo: proving failed: {e}"))?;
        let r = g.verify(&p.to_bytes(), now + 2);
        Ok((r.is_err(), vec![verdict(&r)]))
    })?;
    if !stale_root_rejected {
        bail!("demo: a proof under a superseded root was accepted");
    }

    let (one_scan_accepted, one_scan_repeat_rejected) =
        steps.run("one-scan pass, scanned twice", || {
            let start = onescan::window_start(now);
            let p = prove_for(
                &cred,
                &registries,
                &roots,
                &Presentation::OneScan {
                    operator,
                    window_start: start,
                },
            )
            .map_err(|e| anyhow!("demo: proving failed: {e}"))?;
            let pass = p.to_bytes();
            let first = gate.verify(&pass, now + 1);
            let second = gate.verify(&pass, now + 4);
            let d = vec![
                format!(
                    "{} bytes; {OPERATOR}'s scope for the window starting {}",
                    pass.len(),
                    crate::text::fmt_time_full(start)
                ),
                format!("first scan:  {}", verdict(&first)),
                format!("second scan: {}", verdict(&second)),
            ];
            Ok(((first.is_ok(), second.is_err()), d))
        })?;
    if !one_scan_accepted || !one_scan_repeat_rejected {
        bail!("demo: the one-scan pass was not accepted exactly once");
    }

    let refused = steps.run("expired credential", || {
        let old = issue(&labs[0].1, now - 50 * HOUR, now - 49 * HOUR, now - HOUR)?;
        match prove_for(&old, &registries, &roots, &Presentation::Interactive(offer)) {
            Err(ProveError::StatementV2(e)) => Ok((
                true,
                vec![
                    "expired 1 h ago".into(),
                    format!("holder refuses to prove: {}", crate::holder::reason(&e)),
                ],
            )),
            Ok(_) => Ok((false, vec!["a proof was made".into()])),
            Err(e) => Err(anyhow!("demo: {e}")),
        }
    })?;
    if !refused {
        bail!("demo: the holder proved an expired credential");
    }

    if ctx.json {
        print_json(&json!({
            "dir": a.dir.as_deref().map(Path::display).map(|d| d.to_string()),
            "statement_version": 2,
            "accepted": accepted,
            "replay_rejected": replay_rejected,
            "tampered_rejected": tampered_rejected,
            "retired_refused": retired_refused,
            "stale_root_rejected": stale_root_rejected,
            "one_scan_accepted": one_scan_accepted,
            "one_scan_repeat_rejected": one_scan_repeat_rejected,
            "expired_refused": refused,
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
