//! Inputs for the circom port of statement v2 (`benches/peer/circuits/status_v2.circom`),
//! made and judged by zkstatus.
//!
//! Builds a registry of five issuers (at leaves 0, 1, 5, 313 and 4095, the
//! rest empty: 313 is base-4 digits 1, 2, 3, 0, 1, 0 and 4095 is all 3s, so
//! every position of `insert_at` occurs), a negative PCR credential from the
//! issuer at 313, a holder secret and a policy (PCR 72 h, antigen 24 h,
//! exposure gap 10 d), at a fixed `now`. From these it makes the honest
//! interactive and one-scan inputs, and changed inputs (rules 6, 7, 8, 9, 10):
//! for every one it records zkstatus's verdicts, `check_statement` (natively;
//! `null` where `statement::v2::PublicInputs` cannot express the input) and
//! the v2 `StatusCircuit`'s `is_satisfied`, and stops if either disagrees
//! with the verdict this file expects.
//!
//! Output, one JSON object on stdout (decimal strings throughout):
//! `{"statement": "v2", "public_input_names": [...], "cases": [{"name",
//! "accept", "native", "circuit", "public": [10 values], "input": {...}}]}`,
//! where `input` is the circom input (the ten public inputs in zkstatus's
//! order, then the witness) and `public` is
//! `PublicInputs::to_field_elements` (or the changed vector). The first two
//! cases are the honest interactive and one-scan inputs. With `--dir DIR` it
//! also writes `DIR/input-interactive.json`, `DIR/public-interactive.json`,
//! `DIR/input-one-scan.json` and `DIR/public-one-scan.json`, for snarkjs
//! (`wtns calculate`, `groth16 fullprove`, `groth16 verify`).
//!
//! Keys, secret and times are fixed so that the output is the same on every
//! run (a benchmark fixture, never key material).
//!
//! ```sh
//! cargo run -p zkstatus-benches --example peer_input_v2 -- [--dir DIR] > cases.json
//! ```

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem};
use std::fmt::Write as _;
use std::path::PathBuf;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::poseidon::hash_fixed;
use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
use zkstatus_circuits::registry::{
    IssuerLeaf, RegistryTree, Window, CAPACITY, EMPTY_LEAF, ISSUER_LEAF_TAG,
};
use zkstatus_circuits::statement::constraints::RecordWitness;
use zkstatus_circuits::statement::v2::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{
    check_statement, Mode, Nullifier, PublicInputs, Scope, CHALLENGE, NOW as NOW_IDX, NULLIFIER,
    N_PUBLIC_INPUTS, ONE_SCAN, PUBLIC_INPUT_NAMES, SCOPE,
};
use zkstatus_circuits::statement::{Challenge, StatusPolicy};

type Result<T> = std::result::Result<T, String>;

const NOW: u64 = 1_763_800_000; // 2025-11-22
const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;
/// Our issuer's leaf: base-4 digits 1, 2, 3, 0, 1, 0 (little-endian).
const OURS: usize = 1 + 2 * 4 + 3 * 16 + 256;
/// Another issuer's leaf: every digit 3.
const LAST: usize = CAPACITY - 1;
/// The other leaves that hold an issuer.
const OTHERS: [usize; 3] = [0, 1, 5];

fn key(seed: u8) -> PrivateKey {
    PrivateKey::from_bytes([seed; 32])
}
fn our_key() -> PrivateKey {
    key(7)
}
fn last_key() -> PrivateKey {
    key(11)
}
fn window() -> Result<Window> {
    Window::new(NOW - 30 * DAY, NOW + 365 * DAY).map_err(|e| e.to_string())
}
fn secret() -> HolderSecret {
    HolderSecret::from_field(Fr::from(0x5ec2e7u64))
}
fn challenge() -> Challenge {
    Challenge::from_field(Fr::from(0xc4a11e49eu64))
}
fn scope() -> Scope {
    Scope::from_field(Fr::from(0x5c09eu64))
}
fn policy() -> Result<StatusPolicy> {
    StatusPolicy::new(Some(72 * HOUR), Some(24 * HOUR), 10 * DAY).map_err(|e| e.to_string())
}
fn record() -> Record {
    Record {
        holder: secret().commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: NOW - 5 * HOUR,
        exposure_time: NO_EXPOSURE,
        issued_at: NOW - 4 * HOUR,
        expires_at: NOW + 2 * DAY,
        credential_id: Fr::from(0xc0ffeeu64),
    }
}

/// The registry with `ours` at [`OURS`] and the same other issuers.
fn registry(ours: Fr) -> Result<RegistryTree> {
    let mut leaves = vec![EMPTY_LEAF; CAPACITY];
    for (i, &at) in OTHERS.iter().enumerate() {
        let w = window()?;
        leaves[at] = IssuerLeaf {
            key: key(20 + i as u8).public_key(),
            window: w,
        }
        .hash();
    }
    leaves[LAST] = IssuerLeaf {
        key: last_key().public_key(),
        window: window()?,
    }
    .hash();
    leaves[OURS] = ours;
    RegistryTree::new(&leaves).map_err(|e| e.to_string())
}

/// One honest setting: an issuer (key, window, index in a tree), the
/// credential and the public inputs.
struct Setting {
    key: PrivateKey,
    leaf: IssuerLeaf,
    tree: RegistryTree,
    index: usize,
    public: PublicInputs,
}

impl Setting {
    /// Our issuer with window `w`, in the registry holding that leaf at [`OURS`].
    fn ours(w: Window, now: u64, mode: Mode) -> Result<Self> {
        let leaf = IssuerLeaf {
            key: our_key().public_key(),
            window: w,
        };
        let tree = registry(leaf.hash())?;
        Ok(Self {
            key: our_key(),
            leaf,
            public: PublicInputs {
                registry_root: tree.root(),
                now,
                policy: policy()?,
                mode,
            },
            tree,
            index: OURS,
        })
    }

    fn native(&self) -> Result<String> {
        let r = record();
        let sig = self.key.sign(r.commitment());
        let path = self.tree.path(self.index).map_err(|e| e.to_string())?;
        Ok(
            match check_statement(&self.public, &r, &secret(), &sig, &self.leaf, &path) {
                Ok(()) => "ok".to_owned(),
                Err(e) => e.to_string(),
            },
        )
    }

    fn witness(&self) -> Result<StatusWitness> {
        let r = record();
        let sig = self.key.sign(r.commitment());
        let path = self.tree.path(self.index).map_err(|e| e.to_string())?;
        Ok(StatusWitness::new(&r, &secret(), &sig, &self.leaf, &path))
    }
}

fn interactive() -> Mode {
    Mode::Interactive {
        challenge: challenge(),
    }
}
fn one_scan() -> Mode {
    Mode::OneScan {
        scope: scope(),
        nullifier: Nullifier::new(&secret(), &scope()),
    }
}

/// One input and zkstatus's verdicts on it.
struct Case {
    name: &'static str,
    /// The verdict this file expects (docs/circuit.md).
    accept: bool,
    /// `check_statement`'s verdict, when the input is a `PublicInputs`.
    native: Option<String>,
    public: [Fr; N_PUBLIC_INPUTS],
    witness: StatusWitness,
}

impl Case {
    /// A case from an honest setting (possibly failing natively: a moved `now`).
    fn of(name: &'static str, accept: bool, s: &Setting) -> Result<Self> {
        Ok(Self {
            name,
            accept,
            native: Some(s.native()?),
            public: s.public.to_field_elements(),
            witness: s.witness()?,
        })
    }

    /// The same case with a raw change that `PublicInputs` / `check_statement`
    /// cannot express.
    fn raw(
        mut self,
        name: &'static str,
        accept: bool,
        change: impl FnOnce(&mut [Fr; N_PUBLIC_INPUTS], &mut StatusWitness),
    ) -> Self {
        change(&mut self.public, &mut self.witness);
        self.name = name;
        self.accept = accept;
        self.native = None;
        self
    }

    /// The v2 circuit's verdict: synthesized with these values, satisfied?
    fn circuit(&self) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let c = StatusCircuit {
            public: Some(self.public),
            witness: Some(self.witness.clone()),
        };
        if c.generate_constraints(cs.clone()).is_err() {
            return false;
        }
        // Every A·z ∘ B·z = C·z, evaluated here rather than with
        // `is_satisfied` (which prints a line per call without a tracing
        // layer).
        cs.finalize();
        let (Some(m), Some(cs)) = (cs.to_matrices(), cs.borrow()) else {
            return false;
        };
        let z: Vec<Fr> = cs
            .instance_assignment
            .iter()
            .chain(&cs.witness_assignment)
            .copied()
            .collect();
        let row = |r: &Vec<(Fr, usize)>| -> Fr { r.iter().map(|(c, i)| *c * z[*i]).sum() };
        m.a.iter()
            .zip(&m.b)
            .zip(&m.c)
            .all(|((a, b), c)| row(a) * row(b) == row(c))
    }
}

fn cases() -> Result<Vec<Case>> {
    let w = window()?;
    let honest_i = Setting::ours(w, NOW, interactive())?;
    let honest_o = Setting::ours(w, NOW, one_scan())?;
    let base_i = || Case::of("interactive: honest", true, &honest_i);
    let base_o = || Case::of("one-scan: honest", true, &honest_o);
    let at = |nb: u64, na: u64| -> Result<Setting> {
        Setting::ours(
            Window::new(nb, na).map_err(|e| e.to_string())?,
            NOW,
            interactive(),
        )
    };
    let holder_nullifier = Nullifier::new(&secret(), &scope()).to_field();

    let mut out = vec![base_i()?, base_o()?];

    // Another issuer, at the leaf whose every position digit is 3.
    let last = |mode: Mode| -> Result<Setting> {
        Ok(Setting {
            key: last_key(),
            leaf: IssuerLeaf {
                key: last_key().public_key(),
                window: w,
            },
            index: LAST,
            ..Setting::ours(w, NOW, mode)?
        })
    };
    out.push(Case::of(
        "rule 8: another issuer, at leaf 4095 (every position 3)",
        true,
        &last(interactive())?,
    )?);
    out.push(Case::of(
        "rule 8: the issuer at leaf 4095, one-scan",
        true,
        &last(one_scan())?,
    )?);

    // Rule 8: leaves not in the registry.
    let stranger = key(99);
    out.push(Case::of(
        "rule 8: an issuer not in the registry (record signed by it, our path)",
        false,
        &Setting {
            key: stranger.clone(),
            leaf: IssuerLeaf {
                key: stranger.public_key(),
                window: w,
            },
            ..Setting::ours(w, NOW, interactive())?
        },
    )?);
    out.push(Case::of(
        "rule 8: our key with not_after + 1 (that leaf is not in the registry)",
        false,
        &Setting {
            leaf: IssuerLeaf {
                key: our_key().public_key(),
                window: Window::new(w.not_before(), w.not_after() + 1)
                    .map_err(|e| e.to_string())?,
            },
            ..Setting::ours(w, NOW, interactive())?
        },
    )?);
    out.push(Case::of(
        "rule 8: our leaf with the path of leaf 312",
        false,
        &Setting {
            index: OURS - 1,
            ..Setting::ours(w, NOW, interactive())?
        },
    )?);
    out.push(base_i()?.raw(
        "rule 8: index 317 (level 1 digit 2 → 3), our siblings",
        false,
        |_, w| w.index_bits[2] = !w.index_bits[2],
    ));
    out.push(base_i()?.raw(
        "rule 8: a sibling changed (level 3, first)",
        false,
        |_, w| w.siblings[3][0] += Fr::ONE,
    ));
    out.push(base_i()?.raw(
        "rule 8: siblings of level 4 in another order",
        false,
        |_, w| w.siblings[4].swap(0, 1),
    ));
    out.push(base_i()?.raw("rule 8: registry_root + 1", false, |p, _| p[0] += Fr::ONE));

    // Rule 9: the window's boundaries (each in its own registry).
    out.push(Case::of(
        "rule 9: now = not_before",
        true,
        &at(NOW, NOW + DAY)?,
    )?);
    out.push(Case::of(
        "rule 9: now = not_before − 1 (not accredited yet)",
        false,
        &at(NOW + 1, NOW + DAY)?,
    )?);
    out.push(Case::of(
        "rule 9: now = not_after − 1",
        true,
        &at(NOW - DAY, NOW + 1)?,
    )?);
    out.push(Case::of(
        "rule 9: now = not_after (window closed)",
        false,
        &at(NOW - DAY, NOW)?,
    )?);
    // A leaf whose not_after is not a u64 (no Window can hold it): hashed
    // raw into a registry; refused by rule9_window_in_range.
    {
        let pk = our_key().public_key();
        let nb = Fr::from(NOW - DAY);
        let na = Fr::from(NOW) + Fr::from(u64::MAX) + Fr::ONE; // now + 2^64
        let tree = registry(hash_fixed([ISSUER_LEAF_TAG, pk.x(), pk.y(), nb, na]))?;
        let path = tree.path(OURS).map_err(|e| e.to_string())?;
        let r = record();
        let sig = our_key().sign(r.commitment());
        let mut public = honest_i.public.to_field_elements();
        public[0] = tree.root();
        out.push(Case {
            name: "rule 9: not_after = now + 2^64 (in the registry, not a u64)",
            accept: false,
            native: None,
            public,
            witness: StatusWitness {
                record: RecordWitness::new(&r, &secret(), &sig),
                issuer_ax: pk.x(),
                issuer_ay: pk.y(),
                not_before: nb,
                not_after: na,
                index_bits: path.index_bits(),
                siblings: *path.siblings(),
            },
        });
    }

    // Rule 10: the nullifier and the mode.
    out.push(
        base_o()?.raw("rule 10: one-scan, nullifier + 1", false, |p, _| {
            p[NULLIFIER] += Fr::ONE
        }),
    );
    let other_scope = Nullifier::new(&secret(), &Scope::from_field(Fr::from(0x5c09fu64)));
    out.push(Case::of(
        "rule 10: one-scan, the holder's nullifier of another scope",
        false,
        &Setting::ours(
            w,
            NOW,
            Mode::OneScan {
                scope: scope(),
                nullifier: other_scope,
            },
        )?,
    )?);
    let other_holder = Nullifier::new(&HolderSecret::from_field(Fr::from(0x5ec2e8u64)), &scope());
    out.push(Case::of(
        "rule 10: one-scan, another holder's nullifier",
        false,
        &Setting::ours(
            w,
            NOW,
            Mode::OneScan {
                scope: scope(),
                nullifier: other_holder,
            },
        )?,
    )?);
    out.push(base_i()?.raw(
        "rule 10: interactive (one_scan = 0) with the holder's nullifier",
        false,
        |p, _| p[NULLIFIER] = holder_nullifier,
    ));
    out.push(base_i()?.raw(
        "rule 10: interactive (one_scan = 0), nullifier 1",
        false,
        |p, _| p[NULLIFIER] = Fr::ONE,
    ));
    out.push(
        base_o()?.raw("rule 10: one-scan, nullifier 0", false, |p, _| {
            p[NULLIFIER] = Fr::ZERO
        }),
    );
    out.push(
        base_o()?.raw("rule 10: one_scan = 2 (nullifier 2·H)", false, |p, _| {
            p[ONE_SCAN] = Fr::from(2u64);
            p[NULLIFIER] = holder_nullifier.double();
        }),
    );
    out.push(
        base_o()?.raw("rule 10: one-scan with a challenge", false, |p, _| {
            p[CHALLENGE] = challenge().to_field()
        }),
    );
    out.push(
        base_i()?.raw("rule 10: interactive with a scope", false, |p, _| {
            p[SCOPE] = scope().to_field()
        }),
    );
    out.push(base_i()?.raw(
        "rule 10: interactive with a scope and the holder's nullifier, one_scan = 0",
        false,
        |p, _| {
            p[SCOPE] = scope().to_field();
            p[NULLIFIER] = holder_nullifier;
        },
    ));
    out.push(Case::of(
        "rule 10: one-scan, scope 0 (nullifier H(tag, secret, 0))",
        true,
        &Setting::ours(
            w,
            NOW,
            Mode::OneScan {
                scope: Scope::from_field(Fr::ZERO),
                nullifier: Nullifier::new(&secret(), &Scope::from_field(Fr::ZERO)),
            },
        )?,
    )?);

    // Rules 1–7 stay (a few; statement-check.mjs covers v1's in depth).
    out.push(Case::of(
        "rule 6: now = expires_at − 1",
        true,
        &Setting::ours(w, record().expires_at - 1, interactive())?,
    )?);
    out.push(Case::of(
        "rule 6: now = expires_at (expired)",
        false,
        &Setting::ours(w, record().expires_at, interactive())?,
    )?);
    out.push(Case::of(
        "rule 7: challenge = p − 1",
        true,
        &Setting::ours(
            w,
            NOW,
            Mode::Interactive {
                challenge: Challenge::from_field(-Fr::ONE),
            },
        )?,
    )?);
    out.push(base_i()?.raw(
        "rule 1: issuer key Ay + 1 (off the curve; no such leaf either)",
        false,
        |_, w| w.issuer_ay += Fr::ONE,
    ));
    out.push(base_i()?.raw("rule 2: holder_secret + 1", false, |_, w| {
        w.record.holder_secret += Fr::ONE
    }));
    out.push(base_i()?.raw("range: now + 2^64", false, |p, _| {
        p[NOW_IDX] += Fr::from(u64::MAX) + Fr::ONE
    }));
    Ok(out)
}

/// A JSON string literal (names are ASCII and Unicode text, no control characters).
fn js(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The circom input: public inputs in zkstatus's order, then the witness.
fn circom_input(public: &[Fr; N_PUBLIC_INPUTS], w: &StatusWitness) -> String {
    let mut fields: Vec<(String, String)> = PUBLIC_INPUT_NAMES
        .iter()
        .zip(public)
        .map(|(n, v)| ((*n).to_owned(), js(&v.to_string())))
        .collect();
    let r = &w.record;
    let index = w
        .index_bits
        .iter()
        .enumerate()
        .fold(0usize, |acc, (i, &b)| acc | (usize::from(b) << i));
    let siblings = w
        .siblings
        .iter()
        .map(|level| {
            let v: Vec<String> = level.iter().map(|s| js(&s.to_string())).collect();
            format!("[{}]", v.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    for (k, v) in [
        ("holder_secret", r.holder_secret),
        ("test_result", r.test_result),
        ("test_type", r.test_type),
        ("test_time", r.test_time),
        ("exposure_time", r.exposure_time),
        ("issued_at", r.issued_at),
        ("expires_at", r.expires_at),
        ("credential_id", r.credential_id),
        ("r8x", r.r8.x),
        ("r8y", r.r8.y),
        ("s", r.s),
        ("issuer_ax", w.issuer_ax),
        ("issuer_ay", w.issuer_ay),
        ("not_before", w.not_before),
        ("not_after", w.not_after),
    ] {
        fields.push((k.to_owned(), js(&v.to_string())));
    }
    fields.push(("leaf_index".to_owned(), js(&index.to_string())));
    fields.push(("siblings".to_owned(), format!("[{siblings}]")));
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {v}", js(k)))
        .collect();
    format!("{{{}}}", body.join(", "))
}

fn public_json(public: &[Fr; N_PUBLIC_INPUTS]) -> String {
    let v: Vec<String> = public.iter().map(|x| js(&x.to_string())).collect();
    format!("[{}]", v.join(", "))
}

fn run() -> Result<()> {
    let mut dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = Some(args.next().ok_or("--dir needs a value")?.into()),
            other => return Err(format!("unknown argument {other:?} (usage: [--dir DIR])")),
        }
    }
    let cases = cases()?;
    let mut json = String::new();
    let names: Vec<String> = PUBLIC_INPUT_NAMES.iter().map(|n| js(n)).collect();
    let _ = write!(
        json,
        "{{\"statement\": \"v2\", \"public_input_names\": [{}], \"cases\": [",
        names.join(", ")
    );
    for (i, c) in cases.iter().enumerate() {
        let circuit = c.circuit();
        // zkstatus must say what docs/circuit.md says, natively and in the circuit.
        if circuit != c.accept || c.native.as_deref().is_some_and(|n| (n == "ok") != c.accept) {
            return Err(format!(
                "{}: expected {}, zkstatus says native {:?}, circuit {}",
                c.name,
                if c.accept { "accept" } else { "refuse" },
                c.native,
                circuit
            ));
        }
        let native = c.native.as_deref().map_or("null".to_owned(), js);
        let _ = write!(
            json,
            "{}\n  {{\"name\": {}, \"accept\": {}, \"native\": {native}, \"circuit\": {circuit}, \"public\": {}, \"input\": {}}}",
            if i == 0 { "" } else { "," },
            js(c.name),
            c.accept,
            public_json(&c.public),
            circom_input(&c.public, &c.witness)
        );
    }
    json.push_str("\n]}");
    println!("{json}");
    if let Some(dir) = dir {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (c, mode) in cases.iter().take(2).zip(["interactive", "one-scan"]) {
            for (file, text) in [
                (
                    format!("input-{mode}.json"),
                    circom_input(&c.public, &c.witness),
                ),
                (format!("public-{mode}.json"), public_json(&c.public)),
            ] {
                let path = dir.join(file);
                std::fs::write(&path, text + "\n")
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peer_input_v2: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
