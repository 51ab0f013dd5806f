//! Cross-implementation test tool: a JSON request on stdin, a JSON answer on
//! stdout. Driven by `interop/circomlibjs.test.mjs`, which checks zkstatus
//! against circomlibjs 0.1.7 with fresh random data.
//!
//! Requests (`{"mode": ..., "cases": [...]}`); every decimal string must be
//! canonical (digits only, no leading zero, below the field's modulus) and
//! every hex string lowercase, so that nothing is silently reduced:
//!
//! - `sign`: cases `{"prv": hex32, "msg": dec}`; answers
//!   `{"Ax", "Ay", "R8x", "R8y", "S", "packed_pub", "packed_sig"}`.
//! - `verify`: cases `{"Ax", "Ay", "msg", "R8x", "R8y", "S"}`; answers
//!   `{"native": "ok" | error, "circuit": bool}`, the verdicts of
//!   `PublicKey::verify` and of the R1CS gadget (`cs.is_satisfied()`).
//! - `poseidon`: cases `{"inputs": [dec, ...]}`; answers `{"output": dec}`.
//! - `tags`: cases `{}`; answers the domain tags as the Rust constants hold
//!   them, `{"issuer_leaf_tag": dec, "nullifier_tag": dec}`.
//! - `registry`: cases `{"leaves": [{"Ax", "Ay", "not_before", "not_after"},
//!   ...]}` (a key must be a valid BabyJubJub key; the window bounds are
//!   decimal `u64` with `not_before < not_after`); answers
//!   `{"leaves": [dec, ...], "root": dec, "paths": [{"index": n,
//!   "siblings": [[dec, dec, dec]; 6], "root": dec}, ...]}` from
//!   `IssuerLeaf::hash`, `RegistryTree::root`, `RegistryTree::path` and
//!   `MerklePath::root` (one path per given leaf, in order).
//! - `nullifier`: cases `{"secret": dec, "scope": dec}`; answers
//!   `{"nullifier": dec}` from `statement::v2::Nullifier::new`.
//!
//! A malformed request is an error (message on stderr, exit status 2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::{AllocVar, AllocationMode},
    fields::fp::FpVar,
};
use ark_relations::r1cs::{ConstraintSystem, SynthesisError};
use num_bigint::BigUint;
use serde_json::{json, Map, Value};
use std::io::Read;
use std::process::ExitCode;
use zkstatus_circuits::babyjubjub::{constraints::PointVar, Fq, Point};
use zkstatus_circuits::eddsa::constraints::{verify, SignatureVar};
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey, Signature};
use zkstatus_circuits::poseidon;
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::registry::{IssuerLeaf, RegistryTree, Window, ISSUER_LEAF_TAG};
use zkstatus_circuits::statement::v2::{Nullifier, Scope, NULLIFIER_TAG};

/// A protocol error: the request is malformed.
type Res<T> = Result<T, String>;

/// A JSON string field of a case.
fn str_field<'a>(case: &'a Value, key: &str) -> Res<&'a str> {
    case.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field {key:?} in {case}"))
}

/// A canonical decimal string (digits only, no leading zeros).
fn biguint(dec: &str) -> Res<BigUint> {
    if dec.is_empty() || !dec.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("not a decimal: {dec:?}"));
    }
    if dec != "0" && dec.starts_with('0') {
        return Err(format!("leading zero: {dec:?}"));
    }
    BigUint::parse_bytes(dec.as_bytes(), 10).ok_or_else(|| format!("not a decimal: {dec:?}"))
}

/// A `BigUint` as a field element, refusing anything not below the modulus
/// (no silent reduction, unlike `Fr::from_str`).
fn field<F: PrimeField>(n: &BigUint) -> Res<F> {
    let modulus: BigUint = F::MODULUS.into();
    if *n >= modulus {
        return Err(format!("value not below the modulus: {n}"));
    }
    let big = F::BigInt::try_from(n.clone()).map_err(|_| format!("does not fit: {n}"))?;
    F::from_bigint(big).ok_or_else(|| format!("not canonical: {n}"))
}

/// A decimal field of a case as an element of `Fq` (BN254 `Fr`).
fn fq_field(case: &Value, key: &str) -> Res<Fq> {
    field(&biguint(str_field(case, key)?)?)
}

/// A field element as a canonical decimal string.
fn dec<F: PrimeField>(x: F) -> String {
    BigUint::from_bytes_le(&x.into_bigint().to_bytes_le()).to_string()
}

/// Lowercase hex of bytes.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Exactly 32 bytes from a lowercase hex string.
fn hex32(s: &str) -> Res<[u8; 32]> {
    if s.len() != 64 || s != s.to_ascii_lowercase() {
        return Err(format!("expected 64 lowercase hex digits: {s:?}"));
    }
    let v = hex::decode(s).map_err(|e| format!("bad hex {s:?}: {e}"))?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&v);
    Ok(out)
}

/// `sign`: zkstatus' public key and signature for a key and a message.
fn sign(case: &Value) -> Res<Value> {
    let key = PrivateKey::from_bytes(hex32(str_field(case, "prv")?)?);
    let msg = fq_field(case, "msg")?;
    let pk = key.public_key();
    let sig = key.sign(msg);
    Ok(json!({
        "Ax": dec(pk.x()),
        "Ay": dec(pk.y()),
        "R8x": dec(sig.r8().x),
        "R8y": dec(sig.r8().y),
        "S": dec(sig.s()),
        "packed_pub": to_hex(&pk.pack()),
        "packed_sig": to_hex(&sig.pack()),
    }))
}

/// The native verdict: `"ok"`, or the first check that failed.
fn verify_native(a: (Fq, Fq), msg: Fq, r8: (Fq, Fq), s: &BigUint) -> String {
    let s_le = {
        let bytes = s.to_bytes_le();
        let mut out = [0u8; 32];
        out[..bytes.len()].copy_from_slice(&bytes);
        out
    };
    let verdict = PublicKey::from_coordinates(a.0, a.1).and_then(|pk| {
        let sig = Signature::from_parts_canonical(r8.0, r8.1, s_le)?;
        pk.verify(msg, &sig)
    });
    match verdict {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    }
}

/// The gadget's verdict: `A` as a public input, the message and the
/// signature as witnesses, then `cs.is_satisfied()`.
///
/// A signature that the native parser accepts is allocated with
/// `SignatureVar::new_variable`; any other one (`S ≥ l`, `R8` off the curve
/// or the identity) from its raw parts, as a malicious prover would.
fn verify_circuit(a: (Fq, Fq), msg: Fq, r8: (Fq, Fq), s: Fq) -> Result<bool, SynthesisError> {
    let cs = ConstraintSystem::<Fq>::new_ref();
    let a = PointVar::new_input(cs.clone(), || Ok(Point::new_unchecked(a.0, a.1)))?;
    let m = FpVar::new_witness(cs.clone(), || Ok(msg))?;
    let s_le = s.into_bigint().to_bytes_le();
    let mut s_arr = [0u8; 32];
    s_arr[..s_le.len()].copy_from_slice(&s_le);
    let sig_var = match Signature::from_parts_canonical(r8.0, r8.1, s_arr) {
        Ok(sig) => SignatureVar::new_variable(cs.clone(), || Ok(sig), AllocationMode::Witness)?,
        Err(_) => SignatureVar::new_witness_from_parts(
            cs.clone(),
            || Ok(Point::new_unchecked(r8.0, r8.1)),
            || Ok(s),
        )?,
    };
    verify(&a, &m, &sig_var)?;
    cs.is_satisfied()
}

/// `verify`: the native and in-circuit verdicts for one case.
fn verify_case(case: &Value) -> Res<Value> {
    let a = (fq_field(case, "Ax")?, fq_field(case, "Ay")?);
    let msg = fq_field(case, "msg")?;
    let r8 = (fq_field(case, "R8x")?, fq_field(case, "R8y")?);
    let s_big = biguint(str_field(case, "S")?)?;
    // S must at least be a circuit field element; S ≥ l is a verdict, not a
    // protocol error.
    let s_fq: Fq = field(&s_big)?;
    let native = verify_native(a, msg, r8, &s_big);
    let circuit = verify_circuit(a, msg, r8, s_fq).map_err(|e| format!("synthesis: {e}"))?;
    Ok(json!({ "native": native, "circuit": circuit }))
}

/// `poseidon`: circomlib `Poseidon(n)` of the inputs.
fn poseidon_case(case: &Value) -> Res<Value> {
    let inputs = case
        .get("inputs")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("missing array field \"inputs\" in {case}"))?;
    let inputs = inputs
        .iter()
        .map(|v| {
            let s = v
                .as_str()
                .ok_or_else(|| format!("input is not a string: {v}"))?;
            field::<Fq>(&biguint(s)?)
        })
        .collect::<Res<Vec<Fq>>>()?;
    let out = poseidon::hash(&inputs).map_err(|e| e.to_string())?;
    Ok(json!({ "output": dec(out) }))
}

/// A decimal field of a case as a `u64` (strict: canonical, no overflow).
fn u64_field(case: &Value, key: &str) -> Res<u64> {
    let n = biguint(str_field(case, key)?)?;
    u64::try_from(&n).map_err(|_| format!("{key} does not fit in u64: {n}"))
}

/// `tags`: the domain tags of statement v2, as the Rust constants hold them.
fn tags_case(_case: &Value) -> Res<Value> {
    Ok(json!({
        "issuer_leaf_tag": dec(ISSUER_LEAF_TAG),
        "nullifier_tag": dec(NULLIFIER_TAG),
    }))
}

/// `registry`: every leaf hash, the root, and every leaf's path.
fn registry_case(case: &Value) -> Res<Value> {
    let leaves = case
        .get("leaves")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("missing array field \"leaves\" in {case}"))?;
    let hashes = leaves
        .iter()
        .map(|l| {
            let key = PublicKey::from_coordinates(fq_field(l, "Ax")?, fq_field(l, "Ay")?)
                .map_err(|e| format!("bad issuer key: {e}"))?;
            let window = Window::new(u64_field(l, "not_before")?, u64_field(l, "not_after")?)
                .map_err(|e| e.to_string())?;
            Ok(IssuerLeaf { key, window }.hash())
        })
        .collect::<Res<Vec<Fq>>>()?;
    let tree = RegistryTree::new(&hashes).map_err(|e| e.to_string())?;
    let paths = hashes
        .iter()
        .enumerate()
        .map(|(i, leaf)| {
            let path = tree.path(i).map_err(|e| e.to_string())?;
            let siblings: Vec<Vec<String>> = path
                .siblings()
                .iter()
                .map(|level| level.iter().map(|s| dec(*s)).collect())
                .collect();
            Ok(json!({
                "index": path.index(),
                "siblings": siblings,
                "root": dec(path.root(*leaf)),
            }))
        })
        .collect::<Res<Vec<Value>>>()?;
    Ok(json!({
        "leaves": hashes.iter().map(|h| dec(*h)).collect::<Vec<_>>(),
        "root": dec(tree.root()),
        "paths": paths,
    }))
}

/// `nullifier`: `H_3(NULLIFIER_TAG, secret, scope)` through `Nullifier::new`.
fn nullifier_case(case: &Value) -> Res<Value> {
    let secret = HolderSecret::from_field(fq_field(case, "secret")?);
    let scope = Scope::from_field(fq_field(case, "scope")?);
    Ok(json!({ "nullifier": dec(Nullifier::new(&secret, &scope).to_field()) }))
}

/// Answer one request.
fn run(input: &str) -> Res<Value> {
    let req: Value = serde_json::from_str(input).map_err(|e| format!("bad JSON: {e}"))?;
    let mode = str_field(&req, "mode")?;
    let cases = req
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("missing array field \"cases\"")?;
    let handler: fn(&Value) -> Res<Value> = match mode {
        "sign" => sign,
        "verify" => verify_case,
        "poseidon" => poseidon_case,
        "tags" => tags_case,
        "registry" => registry_case,
        "nullifier" => nullifier_case,
        other => return Err(format!("unknown mode {other:?}")),
    };
    let answers = cases
        .iter()
        .enumerate()
        .map(|(i, c)| handler(c).map_err(|e| format!("case {i}: {e}")))
        .collect::<Res<Vec<Value>>>()?;
    let mut out = Map::new();
    out.insert("mode".to_owned(), Value::from(mode));
    out.insert("cases".to_owned(), Value::Array(answers));
    Ok(Value::Object(out))
}

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("interop: reading stdin: {e}");
        return ExitCode::from(2);
    }
    match run(&input) {
        Ok(answer) => {
            println!("{answer}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("interop: {e}");
            ExitCode::from(2)
        }
    }
}
