//! `inspect`: what a file holds, never its secrets; and the circuit itself.

use crate::io::{
    input_name, print_json, read_capped, Ctx, Spinner, MAX_FILE_BYTES, MAX_PAYLOAD_BYTES,
    MAX_PK_BYTES,
};
use crate::load::{self, describe, detect, Kind, PayloadForm, V1_TRUST_LIST_FORMAT};
use crate::text::{fmt_duration, fmt_time_full, policy_summary};
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use std::path::Path;
use zkstatus_circuits::record::{TestType, NO_EXPOSURE};
use zkstatus_circuits::statement::v2::constraints::circuit_shape;
use zkstatus_circuits::statement::v2::PUBLIC_INPUT_NAMES;
use zkstatus_prover::credential::{
    test_result_name, test_type_name, Credential, CREDENTIAL_FORMAT,
};
use zkstatus_prover::files::{
    fr_to_hex, holder_secret_from_json, issuer_key_from_json, policy_from_json, public_key_to_hex,
    HOLDER_SECRET_FORMAT, ISSUER_KEY_FORMAT, POLICY_FORMAT,
};
use zkstatus_prover::keys::ProvingKeyV2;
use zkstatus_verifier::groth16::{short_fingerprint, PROOF_BYTES};
use zkstatus_verifier::v2::keyfile::{vk2_from_file, CIRCUIT_FINGERPRINT_V2};
use zkstatus_verifier::v2::payload::{PresentedMode, PAYLOAD_V2_VERSION};
use zkstatus_verifier::v2::roots::{AcceptedRoots, ROOTS_FORMAT};

/// What `inspect` prints: a title and labelled fields, each with its JSON twin.
struct Report {
    kind: &'static str,
    title: String,
    fields: Vec<(&'static str, String, Value)>,
}

impl Report {
    fn new(kind: &'static str, title: impl Into<String>) -> Self {
        Self {
            kind,
            title: title.into(),
            fields: Vec::new(),
        }
    }

    /// A field: JSON key (also the human label, with `_` as spaces), the
    /// human text and the JSON value.
    fn field(&mut self, key: &'static str, human: impl Into<String>, value: Value) -> &mut Self {
        self.fields.push((key, human.into(), value));
        self
    }

    fn time(&mut self, key: &'static str, t: u64) -> &mut Self {
        self.field(key, fmt_time_full(t), json!(t))
    }

    fn print(&self, ctx: &Ctx) {
        if ctx.json {
            let mut m = serde_json::Map::new();
            m.insert("kind".into(), json!(self.kind));
            for (k, _, v) in &self.fields {
                m.insert((*k).into(), v.clone());
            }
            print_json(&Value::Object(m));
        } else {
            outln!("{}", self.title);
            let width = self
                .fields
                .iter()
                .map(|(k, _, _)| k.len())
                .max()
                .unwrap_or(0);
            for (k, h, _) in &self.fields {
                let label = k.replace('_', " ");
                outln!("  {label:<width$}  {h}");
            }
        }
    }
}

fn circuit_fields(r: &mut Report, fingerprint: &[u8]) {
    let ok = fingerprint == CIRCUIT_FINGERPRINT_V2;
    let hex = hex::encode(fingerprint);
    r.field(
        "circuit_fingerprint",
        if ok {
            format!("{hex} (this build's circuit)")
        } else {
            format!("{hex} (ANOTHER circuit)")
        },
        json!(hex),
    );
}

/// Describe the file at `path`.
pub fn file(ctx: &Ctx, path: &Path) -> Result<u8> {
    let name = input_name(path);
    let bytes = read_capped(path, MAX_PK_BYTES, "file")?;
    let kind = detect(&bytes);
    let cap = match kind {
        Kind::ProvingKey => MAX_PK_BYTES,
        Kind::Registry => zkstatus_verifier::registry::MAX_REGISTRY_FILE_BYTES,
        Kind::PayloadText | Kind::Other => MAX_PAYLOAD_BYTES,
        _ => MAX_FILE_BYTES,
    };
    if bytes.len() > cap {
        bail!(
            "{} is larger than {cap} bytes, the most accepted ({name})",
            describe(&kind)
        );
    }
    let report = match &kind {
        Kind::ProvingKey => {
            let pk = {
                let _spin = Spinner::start("checking every point of the proving key");
                ProvingKeyV2::from_file(&bytes).map_err(|e| anyhow!("{e} ({name})"))?
            };
            let vk = pk.verifying_key();
            // Loading ran the pairing check already (docs/security.md, item 77).
            pk.check_consistency(Some(&vk))
                .map_err(|e| anyhow!("{e} ({name})"))?;
            let mut r = Report::new("proving_key", "proving key (ZKPK), all points valid");
            r.field("size", format!("{} bytes", bytes.len()), json!(bytes.len()))
                .field("format_version", bytes[4].to_string(), json!(bytes[4]))
                .field(
                    "qap_reduction",
                    pk.qap_reduction().name(),
                    json!(pk.qap_reduction().name()),
                );
            circuit_fields(&mut r, &bytes[6..38]);
            r.field(
                "vk_fingerprint",
                vk.short_fingerprint(),
                json!(vk.short_fingerprint()),
            )
            .field(
                "vk_fingerprint_full",
                hex::encode(vk.fingerprint()),
                json!(hex::encode(vk.fingerprint())),
            );
            // The holder's pin: printed only after every point was checked.
            let pin = hex::encode(zkstatus_prover::keys::pk_file_fingerprint(&bytes));
            r.field("pk_sha256", pin.clone(), json!(pin));
            r
        }
        Kind::VerifyingKey => {
            let (vk, qap) = vk2_from_file(&bytes).map_err(|e| anyhow!("{e} ({name})"))?;
            let mut r = Report::new("verifying_key", "verifying key (ZKVK, statement v2)");
            r.field("size", format!("{} bytes", bytes.len()), json!(bytes.len()))
                .field("format_version", bytes[4].to_string(), json!(bytes[4]))
                .field("qap_reduction", qap.name(), json!(qap.name()));
            circuit_fields(&mut r, &bytes[6..38]);
            r.field(
                "vk_fingerprint",
                vk.short_fingerprint(),
                json!(vk.short_fingerprint()),
            )
            .field(
                "vk_fingerprint_full",
                hex::encode(vk.fingerprint()),
                json!(hex::encode(vk.fingerprint())),
            );
            r
        }
        Kind::Registry => {
            let reg = zkstatus_verifier::registry::Registry::from_bytes(&bytes)
                .map_err(|e| anyhow!("{e} ({name})"))?;
            let root = zkstatus_prover::files::fr_to_hex(&reg.root()?);
            let mut r = Report::new("registry", "accredited-issuer registry (ZKRG)");
            r.field("size", format!("{} bytes", bytes.len()), json!(bytes.len()))
                .field("format_version", bytes[4].to_string(), json!(bytes[4]))
                .field("epoch", reg.epoch().to_string(), json!(reg.epoch()))
                .field("root", root.clone(), json!(root))
                .field(
                    "issuers",
                    reg.entries().len().to_string(),
                    json!(reg.entries().len()),
                )
                .field(
                    "end_date",
                    match reg.end_date() {
                        Some(t) => crate::text::fmt_time_full(t),
                        None => "none (no issuers)".into(),
                    },
                    json!(reg.end_date()),
                );
            r
        }
        Kind::Json(format) => {
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                anyhow!("not a zkstatus file: JSON that is not UTF-8 text ({name})")
            })?;
            json_report(text, format.as_deref(), &name)?
        }
        Kind::PayloadText | Kind::Other => {
            // A version-1 payload (statement v1) is decoded too, to be
            // refused naming its version.
            let version = bytes.first().copied();
            if kind == Kind::Other && version != Some(PAYLOAD_V2_VERSION) && version != Some(1) {
                bail!("not a zkstatus file: no key magic bytes, no ZKS2: text prefix, not JSON ({name})");
            }
            let (decoded, form) = load::payload_from_bytes(&bytes, &name)?;
            let p = decoded.map_err(|e| anyhow!("malformed payload: {e} ({name})"))?;
            let bin = p.to_bytes();
            let text = p.to_text();
            let form = match form {
                PayloadForm::Binary => "binary",
                PayloadForm::Text => "text",
            };
            let mut r = Report::new("payload", format!("payload ({form})"));
            r.field("form", form, json!(form))
                .field(
                    "size",
                    format!(
                        "{} bytes binary, {} characters as text",
                        bin.len(),
                        text.len()
                    ),
                    json!(bin.len()),
                )
                .field("text_chars", text.len().to_string(), json!(text.len()))
                .field("version", bin[0].to_string(), json!(bin[0]))
                .field("mode", p.mode.name(), json!(p.mode.name()))
                .field("registry_epoch", p.epoch.to_string(), json!(p.epoch))
                .time("now", p.now)
                .field("issuer", "hidden (an issuer in the registry)", Value::Null);
            if let PresentedMode::OneScan { nullifier } = p.mode {
                let n = fr_to_hex(&nullifier.to_field());
                r.field("nullifier", n.clone(), json!(n));
            }
            r.field(
                "proof",
                format!("{PROOF_BYTES} bytes (Groth16 over BN254, compressed A, B, C)"),
                json!(PROOF_BYTES),
            );
            r
        }
    };
    report.print(ctx);
    Ok(0)
}

fn json_report(text: &str, format: Option<&str>, name: &str) -> Result<Report> {
    let fail = |e: zkstatus_prover::files::FormatError| anyhow!("{e} ({name})");
    Ok(match format {
        Some(CREDENTIAL_FORMAT) => {
            let c = Credential::from_json(text).map_err(fail)?;
            c.verify_signature().map_err(|e| {
                anyhow!("credential: the issuer's signature does not verify on this record ({e}): the file is damaged or was not signed by its issuer ({name})")
            })?;
            let rec = &c.record;
            let mut r = Report::new("credential", "credential (the holder's own record)");
            r.field(
                "issuer",
                public_key_to_hex(&c.issuer),
                json!(public_key_to_hex(&c.issuer)),
            )
            .field("signature", "valid", json!("valid"))
            .field(
                "holder",
                fr_to_hex(&rec.holder),
                json!(fr_to_hex(&rec.holder)),
            )
            .field(
                "test_type",
                test_type_name(rec.test_type),
                json!(test_type_name(rec.test_type)),
            )
            .field(
                "test_result",
                test_result_name(rec.test_result),
                json!(test_result_name(rec.test_result)),
            )
            .time("test_time", rec.test_time);
            if rec.exposure_time == NO_EXPOSURE {
                r.field("exposure_time", "none recorded", Value::Null);
            } else {
                r.time("exposure_time", rec.exposure_time);
            }
            r.time("issued_at", rec.issued_at)
                .time("expires_at", rec.expires_at)
                .field(
                    "credential_id",
                    fr_to_hex(&rec.credential_id),
                    json!(fr_to_hex(&rec.credential_id)),
                );
            r
        }
        Some(POLICY_FORMAT) => {
            let p = policy_from_json(text).map_err(fail)?;
            let mut r = Report::new("policy", format!("policy: {}", policy_summary(&p)));
            for (key, t) in [
                ("pcr_max_age", TestType::Pcr),
                ("rapid_antigen_max_age", TestType::RapidAntigen),
            ] {
                match p.max_test_age(t) {
                    Some(s) => r.field(key, format!("{} ({s} s)", fmt_duration(s)), json!(s)),
                    None => r.field(key, "not accepted", Value::Null),
                };
            }
            let gap = p.min_exposure_gap();
            r.field(
                "min_exposure_gap",
                format!("{} ({gap} s)", fmt_duration(gap)),
                json!(gap),
            );
            r
        }
        Some(ROOTS_FORMAT) => {
            let roots = AcceptedRoots::from_json(text).map_err(fail)?;
            let mut r = Report::new(
                "registry_roots",
                format!("registry roots: {} published", roots.roots().len()),
            );
            let human = roots
                .roots()
                .iter()
                .map(|p| {
                    format!(
                        "epoch {}: root {}…, active from {}, registry ends {}",
                        p.epoch,
                        &fr_to_hex(&p.root)[..16],
                        fmt_time_full(p.activates_at),
                        fmt_time_full(p.end_date)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n             ");
            let value: Vec<Value> = roots
                .roots()
                .iter()
                .map(|p| {
                    json!({
                        "epoch": p.epoch,
                        "root": fr_to_hex(&p.root),
                        "published_at": p.published_at,
                        "activates_at": p.activates_at,
                        "end_date": p.end_date,
                    })
                })
                .collect();
            r.field("roots", human, json!(value));
            r
        }
        Some(V1_TRUST_LIST_FORMAT) => bail!(
            "a trust list of issuer keys is statement v1's, which this build no longer reads: \
             statement v2 verifiers accept registry roots instead, from a registry bundle \
             (zkstatus registry publish --log, then zkstatus log bundle) ({name})"
        ),
        Some(ISSUER_KEY_FORMAT) => {
            let k = issuer_key_from_json(text).map_err(fail)?;
            let public = public_key_to_hex(&k.public_key());
            let mut r = Report::new(
                "issuer_key",
                "issuer key (secret: the private key is not shown)",
            );
            r.field("public_key", public.clone(), json!(public));
            r
        }
        Some(HOLDER_SECRET_FORMAT) => {
            let s = holder_secret_from_json(text).map_err(fail)?;
            let holder = fr_to_hex(&s.commitment());
            let mut r = Report::new("holder_secret", "holder secret (secret: not shown)");
            r.field("holder_commitment", holder.clone(), json!(holder));
            r
        }
        Some(other) => bail!(
            "not a zkstatus file: unknown format {:?} ({name})",
            other.chars().take(64).collect::<String>()
        ),
        None => bail!("not a zkstatus file: JSON without a valid \"format\" field ({name})"),
    })
}

/// `inspect circuit`: constraint count, public inputs, fingerprint.
pub fn circuit(ctx: &Ctx) -> Result<u8> {
    let shape = {
        let _spin = Spinner::start("synthesizing the circuit");
        circuit_shape().map_err(|e| anyhow!("synthesizing the circuit failed: {e}"))?
    };
    let hex = hex::encode(shape.matrix_hash);
    let short = short_fingerprint(&shape.matrix_hash);
    let matches = shape.matrix_hash == CIRCUIT_FINGERPRINT_V2;
    if ctx.json {
        print_json(&json!({
            "statement_version": 2,
            "constraints": shape.num_constraints,
            "constraints_plus_instance": shape.num_constraints + shape.num_instance_variables,
            "budget": 8192,
            "instance_variables": shape.num_instance_variables,
            "witness_variables": shape.num_witness_variables,
            "public_inputs": PUBLIC_INPUT_NAMES,
            "circuit_fingerprint": hex,
            "circuit_fingerprint_short": short,
            "matches_key_files": matches,
        }));
    } else {
        outln!("statement:            version 2");
        outln!(
            "constraints:          {} (+ {} instance = {} of the 8,192 that keep the FFT domain at 2^13)",
            shape.num_constraints,
            shape.num_instance_variables,
            shape.num_constraints + shape.num_instance_variables
        );
        outln!(
            "variables:            {} instance (with the constant 1), {} witness",
            shape.num_instance_variables,
            shape.num_witness_variables
        );
        outln!("public inputs:");
        for (i, n) in PUBLIC_INPUT_NAMES.iter().enumerate() {
            outln!("  {i}  {n}");
        }
        outln!("circuit fingerprint:  {hex}");
        outln!("short form:           {short}");
        if !matches {
            outln!(
                "warning: this differs from the fingerprint written into key files ({})",
                short_fingerprint(&CIRCUIT_FINGERPRINT_V2)
            );
        }
    }
    Ok(0)
}
