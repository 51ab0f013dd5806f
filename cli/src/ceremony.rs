//! `zkstatus ceremony`: the statement out to snarkjs for a multi-party
//! phase 2 (issue [4/7]; `docs/ceremony.md`).

use crate::io::{output_name, print_json, write_output, Ctx, Spinner};
use anyhow::{anyhow, Result};
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
