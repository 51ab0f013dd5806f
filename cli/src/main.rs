//! `zkstatus`: issue, prove and verify health-status proofs.
//!
//! This first version only describes the circuit; the issuer, holder and
//! verifier subcommands arrive with the prover crate.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "zkstatus",
    version,
    about = "Zero-knowledge health-status proofs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Describe the statement circuit: constraint count, public inputs, fingerprint.
    Inspect,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect => {
            let shape = zkstatus_circuits::statement::constraints::circuit_shape()
                .map_err(|e| anyhow::anyhow!("synthesizing the circuit failed: {e}"))?;
            println!("constraints:     {}", shape.num_constraints);
            println!(
                "public inputs:   {}",
                zkstatus_circuits::statement::PUBLIC_INPUT_NAMES.join(", ")
            );
            let hash: String = shape
                .matrix_hash
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            println!("circuit hash:    {hash}");
        }
    }
    Ok(())
}
