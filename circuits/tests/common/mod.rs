//! Shared fixtures for the statement tests: the record, keys and policy of
//! the honest baseline, the raw record witness's commitment and signature,
//! synthesis with constraint traces so failures name their rule, the
//! mutation sweeps and the generated tables. The statement's baseline (the
//! issuer in a registry) is in [`v2`].
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::Fr;
use ark_ff::{BigInteger, Field, PrimeField};
use ark_relations::r1cs::{
    ConstraintLayer, ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, TracingMode,
};
use tracing_subscriber::layer::SubscriberExt;
use zkstatus_circuits::babyjubjub::Point;
use zkstatus_circuits::eddsa::{PrivateKey, PublicKey, Signature};
use zkstatus_circuits::poseidon;
use zkstatus_circuits::record::{
    HolderSecret, Record, TestResult, TestType, DOMAIN_TAG, FORMAT_VERSION, NO_EXPOSURE,
};
// The raw record witness (rules 1–6).
use zkstatus_circuits::statement::constraints::RecordWitness;
use zkstatus_circuits::statement::StatusPolicy;

pub mod v2;

pub const NOW: u64 = 1_763_800_000; // 2025-11-22
pub const HOUR: u64 = 3600;
pub const DAY: u64 = 24 * HOUR;
pub const MAX_AGE_PCR: u64 = 72 * HOUR;
pub const MAX_AGE_ANTIGEN: u64 = 24 * HOUR;
pub const MIN_GAP: u64 = 10 * DAY;

pub fn issuer_key() -> PrivateKey {
    PrivateKey::from_bytes([7u8; 32])
}

pub fn other_key() -> PrivateKey {
    PrivateKey::from_bytes([9u8; 32])
}

pub fn holder_secret() -> HolderSecret {
    HolderSecret::from_field(Fr::from(0x5ec2e7u64))
}

pub fn policy() -> StatusPolicy {
    StatusPolicy::new(Some(MAX_AGE_PCR), Some(MAX_AGE_ANTIGEN), MIN_GAP).unwrap()
}

pub fn record() -> Record {
    Record {
        holder: holder_secret().commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: NOW - 5 * HOUR,
        exposure_time: NO_EXPOSURE,
        issued_at: NOW - 4 * HOUR,
        expires_at: NOW + 2 * DAY,
        credential_id: Fr::from(0xc0ffeeu64),
    }
}

/// The commitment of a raw witness, exactly as the circuit computes it.
pub fn raw_commitment(w: &RecordWitness) -> Fr {
    let holder = poseidon::hash(&[w.holder_secret]).unwrap();
    poseidon::hash(&[
        DOMAIN_TAG,
        Fr::from(FORMAT_VERSION),
        holder,
        w.test_result,
        w.test_type,
        w.test_time,
        w.exposure_time,
        w.issued_at,
        w.expires_at,
        w.credential_id,
    ])
    .unwrap()
}

/// Store a signature in a raw witness.
pub fn set_signature(w: &mut RecordWitness, sig: &Signature) {
    w.r8 = sig.r8();
    w.s = Fr::from_le_bytes_mod_order(&sig.s().into_bigint().to_bytes_le());
}

/// Have `key` sign the raw witness's commitment (a possibly non-green or
/// malformed record that the issuer nevertheless signed).
pub fn resign_with(w: &mut RecordWitness, key: &PrivateKey) {
    let sig = key.sign(raw_commitment(w));
    set_signature(w, &sig);
}

pub fn resign(w: &mut RecordWitness) {
    resign_with(w, &issuer_key());
}

/// Synthesize with constraint traces on.
pub fn synthesize(c: impl ConstraintSynthesizer<Fr>) -> ConstraintSystemRef<Fr> {
    let mut layer = ConstraintLayer::default();
    layer.mode = TracingMode::OnlyConstraints;
    let subscriber = tracing_subscriber::Registry::default().with(layer);
    let _guard = tracing::subscriber::set_default(subscriber);
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).unwrap();
    cs
}

/// The trace of the first unsatisfied constraint, `None` if satisfied.
pub fn first_failure(c: impl ConstraintSynthesizer<Fr>) -> Option<String> {
    synthesize(c).which_is_unsatisfied().unwrap()
}

pub fn point(x: Fr, y: Fr) -> Point {
    Point::new_unchecked(x, y)
}

pub fn pk(k: &PrivateKey) -> PublicKey {
    k.public_key()
}

/// Which variables a mutation sweep bumps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vars {
    /// The public inputs (not the constant 1).
    Instance,
    /// The witness variables.
    Witness,
}

/// Synthesize `c` (which must be satisfied), bump each variable of `which`
/// by one, and return the indices (within `which`) that the constraint
/// system did not notice.
pub fn undetected_mutations_of(c: impl ConstraintSynthesizer<Fr>, which: Vars) -> Vec<usize> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).unwrap();
    // Inline every linear combination first: is_satisfied caches the values
    // of symbolic linear combinations, which a mutation would make stale.
    cs.finalize();
    assert!(cs.is_satisfied().unwrap());
    // Bumping one variable only changes the rows it appears in, so checking
    // those rows is the same as re-running is_satisfied, and far cheaper.
    let m = cs.to_matrices().unwrap();
    let cs = cs.borrow().unwrap();
    let mut z = vec![Fr::ONE];
    z.extend_from_slice(&cs.instance_assignment[1..]);
    z.extend_from_slice(&cs.witness_assignment);
    let mut rows_of = vec![Vec::new(); z.len()];
    for matrix in [&m.a, &m.b, &m.c] {
        for (r, row) in matrix.iter().enumerate() {
            for (_, col) in row {
                rows_of[*col].push(r);
            }
        }
    }
    let eval = |row: &[(Fr, usize)], z: &[Fr]| row.iter().map(|(c, i)| *c * z[*i]).sum::<Fr>();
    let row_ok = |r: usize, z: &[Fr]| eval(&m.a[r], z) * eval(&m.b[r], z) == eval(&m.c[r], z);
    assert!((0..m.num_constraints).all(|r| row_ok(r, &z)));
    let (first, n) = match which {
        Vars::Instance => (1, m.num_instance_variables - 1),
        Vars::Witness => (m.num_instance_variables, m.num_witness_variables),
    };
    let mut free = Vec::new();
    for i in 0..n {
        let col = first + i;
        z[col] += Fr::ONE;
        if rows_of[col].iter().all(|r| row_ok(*r, &z)) {
            free.push(i);
        }
        z[col] -= Fr::ONE;
    }
    free
}

/// Constraints per top-level rule namespace (`statement::…` or
/// `statement::v2::…`, with the EdDSA sub-namespace where there is one), in
/// synthesis order.
pub fn constraints_per_namespace_of(c: impl ConstraintSynthesizer<Fr>) -> Vec<(String, usize)> {
    let names = synthesize(c).constraint_names().unwrap();
    let mut table: Vec<(String, usize)> = Vec::new();
    for trace in names {
        // Paths look like "/statement::rule1_issuer_signature/eddsa::eddsa_s_below…/…":
        // the statement namespace, plus the EdDSA sub-namespace if any.
        let parts: Vec<&str> = trace.split('/').collect();
        let top = parts
            .iter()
            .find_map(|p| p.strip_prefix("statement::"))
            .map(|p| p.strip_prefix("v2::").unwrap_or(p))
            .unwrap_or("(unlabelled)");
        let sub = parts
            .iter()
            .filter_map(|p| p.split_once("::").map(|(_, name)| name))
            .find(|name| name.starts_with("eddsa_"));
        let key = match sub {
            Some(s) => format!("{top} / {s}"),
            None => top.to_string(),
        };
        match table.last_mut() {
            Some((k, n)) if *k == key => *n += 1,
            _ => table.push((key, 1)),
        }
    }
    assert!(
        table.iter().all(|(k, _)| !k.contains("unlabelled")),
        "{table:?}"
    );
    table
}

/// The namespace table as markdown, with its total.
pub fn render_table(rows: &[(String, usize)]) -> String {
    let mut out = String::from("| namespace | constraints |\n|---|---:|\n");
    for (k, n) in rows {
        out.push_str(&format!("| `{k}` | {n} |\n"));
    }
    let total: usize = rows.iter().map(|(_, n)| n).sum();
    out.push_str(&format!("| **total** | **{total}** |\n"));
    out
}

/// docs/circuit.md carries `rows` between `<!-- {marker}:begin -->` and
/// `<!-- {marker}:end -->`; with ZKSTATUS_REGENERATE_DOCS set, rewrite it.
pub fn check_generated_table(rows: &[(String, usize)], marker: &str) {
    let table = render_table(rows);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/circuit.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (begin, end) = (
        format!("<!-- {marker}:begin -->\n"),
        format!("<!-- {marker}:end -->"),
    );
    let start = doc.find(&begin).expect("begin marker") + begin.len();
    let stop = doc.find(&end).expect("end marker");
    if std::env::var_os("ZKSTATUS_REGENERATE_DOCS").is_some() {
        let new = format!("{}{}{}", &doc[..start], table, &doc[stop..]);
        std::fs::write(path, new).unwrap();
    } else {
        assert_eq!(&doc[start..stop], table, "docs/circuit.md is stale");
    }
}
