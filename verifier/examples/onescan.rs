//! Cross-implementation test tool for [`zkstatus_verifier::onescan`]: a JSON
//! request on stdin, a JSON answer on stdout. Driven by
//! `interop/registry.test.mjs`, which checks the one-scan scope against
//! circomlibjs 0.1.7.
//!
//! Requests (`{"mode": ..., "cases": [...]}`); decimal strings must be
//! canonical (digits only, no leading zero):
//!
//! - `tags`: cases `{}`; answers `{"scope_tag": dec}`.
//! - `scope`: cases `{"operator": name | null, "window_start": dec}` (`null`
//!   is the global scope); answers `{"operator_id": dec, "window_index":
//!   dec, "scope": dec}`, or `{"error": message}` when the name or the
//!   window start is refused (a verdict, not a protocol error).
//!
//! A malformed request is an error (message on stderr, exit status 2).

use ark_ff::PrimeField;
use serde_json::{json, Value};
use std::io::Read;
use std::process::ExitCode;
use zkstatus_verifier::onescan::{scope, window_index, OperatorId, SCOPE_TAG};

type Res<T> = Result<T, String>;

fn dec<F: PrimeField>(x: F) -> String {
    x.into_bigint().to_string()
}

/// A canonical decimal `u64`.
fn u64_dec(s: &str) -> Res<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s != "0" && s.starts_with('0')) {
        return Err(format!("not a canonical decimal: {s:?}"));
    }
    s.parse().map_err(|e| format!("{s:?}: {e}"))
}

fn scope_case(case: &Value) -> Res<Value> {
    let start = case
        .get("window_start")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field \"window_start\" in {case}"))?;
    let start = u64_dec(start)?;
    let operator = match case.get("operator") {
        Some(Value::Null) => Ok(OperatorId::GLOBAL),
        Some(Value::String(name)) => OperatorId::from_name(name),
        _ => return Err(format!("\"operator\" must be a string or null in {case}")),
    };
    let answer = operator
        .map_err(|e| e.to_string())
        .and_then(|op| {
            let s = scope(&op, start).map_err(|e| e.to_string())?;
            Ok(json!({
                "operator_id": dec(op.to_field()),
                "window_index": window_index(start).to_string(),
                "scope": dec(s.to_field()),
            }))
        })
        .unwrap_or_else(|e| json!({ "error": e }));
    Ok(answer)
}

fn run(input: &str) -> Res<Value> {
    let req: Value = serde_json::from_str(input).map_err(|e| format!("bad JSON: {e}"))?;
    let mode = req
        .get("mode")
        .and_then(Value::as_str)
        .ok_or("missing string field \"mode\"")?;
    let cases = req
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("missing array field \"cases\"")?;
    let answers = match mode {
        "tags" => cases
            .iter()
            .map(|_| Ok(json!({ "scope_tag": dec(SCOPE_TAG) })))
            .collect::<Res<Vec<Value>>>()?,
        "scope" => cases
            .iter()
            .enumerate()
            .map(|(i, c)| scope_case(c).map_err(|e| format!("case {i}: {e}")))
            .collect::<Res<Vec<Value>>>()?,
        other => return Err(format!("unknown mode {other:?}")),
    };
    Ok(json!({ "mode": mode, "cases": answers }))
}

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("onescan: reading stdin: {e}");
        return ExitCode::from(2);
    }
    match run(&input) {
        Ok(answer) => {
            println!("{answer}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("onescan: {e}");
            ExitCode::from(2)
        }
    }
}
