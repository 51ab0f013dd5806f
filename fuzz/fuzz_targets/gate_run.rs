//! `zkstatus_gate::Gate::run` (the gate daemon: scanner lines in, one
//! verdict line out per line, passes recorded in its SQLite replay store,
//! `gate/src/lib.rs`) on the v2 fixture's key, roots, policy and operator,
//! at the fixture's time. One gate per fuzzing process, its store a fresh
//! file in the temporary folder, so the replay store persists across inputs
//! as it does across scans.
//!
//! Properties: exactly one verdict line per input line (as
//! `lines::Lines` splits them), each `ACCEPT` or `REJECT <reason>` on one
//! line (no reason can inject a line); an `ACCEPT` is only ever for a line
//! that decodes to the fixture's own one-scan pass, and at most one in the
//! process's life (its nullifier is then recorded: a repeat is refused).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::BufReader;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use zkstatus_fuzz::check;
use zkstatus_fuzz::v2::{NOW, OPERATOR, PAYLOAD_ONESCAN, POLICY, ROOTS, VK};
use zkstatus_gate::lines::{Line, Lines};
use zkstatus_gate::{Clock, Gate, GateConfig};
use zkstatus_verifier::config::policy_from_json;
use zkstatus_verifier::onescan::OperatorId;
use zkstatus_verifier::v2::keyfile::vk2_from_file;
use zkstatus_verifier::v2::payload::PayloadV2;
use zkstatus_verifier::v2::roots::AcceptedRoots;
use zkstatus_verifier::v2::Verifier;

static ACCEPTED: AtomicUsize = AtomicUsize::new(0);

fn gate() -> &'static Mutex<Gate> {
    static G: OnceLock<Mutex<Gate>> = OnceLock::new();
    G.get_or_init(|| {
        let built = (|| {
            let (vk, _) = vk2_from_file(VK).map_err(|e| e.to_string())?;
            let roots = AcceptedRoots::from_json(ROOTS).map_err(|e| e.to_string())?;
            let policy = policy_from_json(POLICY).map_err(|e| e.to_string())?;
            let operator = OperatorId::from_name(OPERATOR).map_err(|e| e.to_string())?;
            let path = std::env::temp_dir().join(format!(
                "zkstatus-fuzz-gate-run-{}.sqlite",
                std::process::id()
            ));
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
            let config = GateConfig {
                verifier: Verifier::new(&vk, roots, policy),
                operator,
                // A roots file, not a bundle: nothing ages out.
                roots_valid_until: None,
            };
            let (g, opened) = Gate::new(config, Clock::Fixed(NOW), path);
            opened.map_err(|e| e.to_string())?;
            Ok::<_, String>(Mutex::new(g))
        })();
        built.unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("fixture gate: {e}")))
    })
}

/// The fixture's one-scan pass, decoded once: decoding it checks its `B`
/// point's subgroup, which per input took about two thirds of an
/// execution's time (docs/security.md, "Fuzzing").
fn pass() -> &'static PayloadV2 {
    static P: OnceLock<PayloadV2> = OnceLock::new();
    P.get_or_init(|| {
        PayloadV2::from_bytes(PAYLOAD_ONESCAN)
            .unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("fixture pass: {e}")))
    })
}

fuzz_target!(|data: &[u8]| {
    let pass = pass();
    let mut out = Vec::new();
    let summary = {
        let mut g = gate()
            .lock()
            .unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("lock: {e}")));
        g.run(BufReader::with_capacity(16, data), &mut out, false, || {})
            .unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("run on a slice: {e}")))
    };
    let mut lines = Lines::new(data);
    let mut input = vec![];
    while let Ok(Some(l)) = lines.next_line() {
        input.push(l);
    }
    let Ok(out) = String::from_utf8(out) else {
        zkstatus_fuzz::fail("verdicts are not UTF-8");
    };
    let verdicts: Vec<&str> = out.lines().collect();
    check!(
        out.is_empty() || out.ends_with('\n'),
        "the last verdict is not a whole line"
    );
    check!(
        verdicts.len() == input.len() && summary.lines == input.len() as u64,
        "{} verdict lines, {} counted, for {} input lines",
        verdicts.len(),
        summary.lines,
        input.len()
    );
    for (v, l) in verdicts.iter().zip(&input) {
        if *v == "ACCEPT" {
            let n = ACCEPTED.fetch_add(1, Ordering::SeqCst) + 1;
            check!(n == 1, "ACCEPT number {n}: a replay was accepted");
            let decoded = match l {
                Line::Bytes(b) => core::str::from_utf8(b)
                    .ok()
                    .and_then(|t| PayloadV2::from_text(t).ok()),
                Line::TooLong => None,
            };
            check!(decoded.as_ref() == Some(pass), "accepted another line");
        } else {
            check!(
                v.starts_with("REJECT ") && !v.contains('\r'),
                "a verdict line is neither ACCEPT nor REJECT: {v:?}"
            );
        }
    }
    check!(
        summary.accepted == verdicts.iter().filter(|v| **v == "ACCEPT").count() as u64,
        "the summary counts another number of accepts"
    );
});
