//! `zkstatus ceremony`: the statement out to snarkjs for a multi-party
//! phase 2, and the ceremony's final zkey back in as key files (issue
//! [4/7]; `docs/ceremony.md`).

use crate::io::{
    check_new, output_name, print_json, read_capped, write_new, write_output, Ctx, Spinner,
};
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;
use zkstatus_prover::ceremony;

/// `zkstatus ceremony …`.
#[derive(Debug, Subcommand)]
pub enum CeremonyCommand {
    /// Write statement v2's constraint system as a circom `.r1cs` file, for
    /// `snarkjs groth16 setup` and `snarkjs zkey verify`. Written from the
    /// matrices proving uses, after checking their hash against the pinned
    /// circuit fingerprint.
    #[command(name = "export-r1cs")]
    ExportR1cs(ExportR1csArgs),
    /// Read a ceremony's final snarkjs `.zkey` and write zkstatus.pk and
    /// zkstatus.vk. Checks natively that it is statement v2's key (header,
    /// domain, public inputs, every A and B coefficient) and consistent;
    /// whether it chains from the public phase 1 only `snarkjs zkey verify`
    /// shows, so the import refuses unless told that it passed.
    Import(ImportArgs),
}

/// Arguments of `zkstatus ceremony import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The ceremony's final zkey (after the beacon).
    #[arg(value_name = "FINAL.zkey")]
    zkey: PathBuf,
    /// State that `snarkjs zkey verify statement.r1cs PHASE1.ptau FINAL.zkey`
    /// passed on this very file, with our exported `.r1cs` and the pinned
    /// phase-1 file (docs/ceremony.md). Required: the native checks cannot
    /// see a changed C row or a phase 1 other than the public one.
    #[arg(long)]
    snarkjs_verified: bool,
    /// Directory for zkstatus.pk and zkstatus.vk (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out_dir: PathBuf,
    /// Replace existing key files.
    #[arg(long)]
    force: bool,
}

/// Arguments of `zkstatus ceremony export-r1cs`.
#[derive(Debug, Args)]
pub struct ExportR1csArgs {
    /// Where to write the `.r1cs` file (`-`: stdout); an existing file is
    /// replaced.
    #[arg(value_name = "OUT.r1cs")]
    out: PathBuf,
}

/// Run a `ceremony` subcommand.
pub fn run(ctx: &Ctx, c: CeremonyCommand) -> Result<u8> {
    match c {
        CeremonyCommand::ExportR1cs(a) => export_r1cs(ctx, a),
        CeremonyCommand::Import(a) => import(ctx, a),
    }
}

fn export_r1cs(ctx: &Ctx, a: ExportR1csArgs) -> Result<u8> {
    let (bytes, m) = {
        let _spin = Spinner::start("synthesizing the circuit");
        let m = ceremony::statement_v2_matrices().map_err(|e| anyhow!("{e}"))?;
        let bytes = ceremony::r1cs::write(&m).map_err(|e| anyhow!("{e}"))?;
        (bytes, m)
    };
    write_output(&a.out, &bytes, "r1cs file", false)?;
    let public = m.num_instance_variables - 1;
    let wires = ceremony::r1cs::num_wires(&m);
    let fingerprint = hex::encode(zkstatus_verifier::v2::keyfile::CIRCUIT_FINGERPRINT_V2);
    if ctx.json {
        print_json(&json!({
            "r1cs": output_name(&a.out),
            "bytes": bytes.len(),
            "constraints": m.num_constraints,
            "public_inputs": public,
            "wires": wires,
            "circuit_fingerprint": fingerprint,
        }));
    } else if !crate::io::is_stdio(&a.out) {
        outln!(
            "wrote {} ({} bytes): {} constraints, {public} public inputs, {wires} wires",
            output_name(&a.out),
            bytes.len(),
            m.num_constraints
        );
        outln!("circuit fingerprint {fingerprint}");
    }
    Ok(0)
}

/// Why `import` needs `--snarkjs-verified`.
const NOT_VERIFIED: &str = "refusing to import without --snarkjs-verified: the native checks \
cannot see a changed C row or a phase 1 other than the public one; run `snarkjs zkey verify \
statement.r1cs PHASE1.ptau FINAL.zkey` (statement.r1cs from `zkstatus ceremony export-r1cs`, \
PHASE1.ptau the pinned public file) and import only a zkey it accepts (docs/ceremony.md)";

fn import(ctx: &Ctx, a: ImportArgs) -> Result<u8> {
    // The default path is public verification with snarkjs (docs/ceremony.md,
    // "Why import does not run snarkjs itself").
    if !a.snarkjs_verified {
        bail!("{NOT_VERIFIED}");
    }
    let pk_path = a.out_dir.join("zkstatus.pk");
    let vk_path = a.out_dir.join("zkstatus.vk");
    check_new(&pk_path, "proving key", a.force)?;
    check_new(&vk_path, "verifying key", a.force)?;
    let bytes = read_capped(&a.zkey, ceremony::zkey::MAX_ZKEY_BYTES, "zkey")?;
    let t = std::time::Instant::now();
    let imported = {
        let _spin = Spinner::start("checking the zkey against statement v2");
        ceremony::import_statement_v2(&bytes).map_err(|e| anyhow!("{e}"))?
    };
    let secs = t.elapsed().as_secs_f64();
    let (pk, vk) = (&imported.proving_key, &imported.verifying_key);
    std::fs::create_dir_all(&a.out_dir).map_err(|e| {
        anyhow!(
            "cannot create the output directory: {} ({})",
            crate::io::io_reason(&e),
            a.out_dir.display()
        )
    })?;
    let pk_bytes = pk.to_file();
    let vk_bytes = zkstatus_verifier::v2::keyfile::vk2_to_file(vk, pk.qap_reduction());
    write_new(&pk_path, &pk_bytes, "proving key", a.force, false)?;
    write_new(&vk_path, &vk_bytes, "verifying key", a.force, false)?;
    let names: Vec<String> = imported
        .contributions
        .iter()
        .map(|c| c.name.clone().unwrap_or_default())
        .collect();
    if ctx.json {
        print_json(&json!({
            "proving_key": pk_path.display().to_string(),
            "verifying_key": vk_path.display().to_string(),
            "vk_fingerprint": vk.short_fingerprint(),
            "vk_fingerprint_full": hex::encode(vk.fingerprint()),
            "zkey_circuit_hash": hex::encode(imported.cs_hash),
            "contributions": names,
            "test_proof": "verified",
            "seconds": secs,
        }));
    } else {
        outln!(
            "wrote {} and {} from {} ({} contributions) in {secs:.2} s",
            pk_path.display(),
            vk_path.display(),
            a.zkey.display(),
            names.len()
        );
        outln!("a test proof of statement v2 with the imported proving key verified under the imported verifying key");
        outln!("verifying key fingerprint: {}", vk.short_fingerprint());
    }
    Ok(0)
}
