//! `zkstatus`: issue, prove and verify zero-knowledge health-status proofs.
//!
//! Every subcommand is a thin layer over `zkstatus-prover` and
//! `zkstatus-circuits`: it reads files with a size cap, tells the wrong kind
//! of file from a damaged one, and maps each outcome to an exit code
//! (0 success, 1 rejected or not green, 2 bad input). Errors are one line on
//! stderr; `--json` gives one JSON object on stdout instead of the human
//! output.

/// `println!` that does not panic when stdout is closed (`| head`): output
/// to a closed pipe is dropped.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that does not panic when stderr is closed.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod ceremony;
mod demo;
mod gate;
mod holder;
mod http;
mod inspect;
mod io;
mod issuer;
mod load;
mod log;
mod registry;
mod text;
mod venue;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Exit codes:
  0  success; verify: ACCEPT; holder status: GREEN
  1  verify: REJECT (unknown or inactive registry root, expired or unknown
     challenge, one-scan window not accepted, proof does not verify);
     holder status / holder prove: the credential is not green, or its
     issuer's accreditation has ended
  2  bad input or usage: malformed, truncated or corrupted files, non-canonical
     encodings, the wrong kind of file, a key for another circuit version,
     a version-1 payload or key; holder prove: registry material that does
     not fit (no root active, the registry of its epoch missing, the issuer
     not in it); I/O errors

A FILE argument of '-' means stdin (input) or stdout (output); secret keys are
never written to stdout. Times are unix seconds; durations accept 90s, 45m,
72h, 10d or plain seconds.";

/// Zero-knowledge health-status proofs (Groth16 over BN254, EdDSA-Poseidon).
#[derive(Debug, Parser)]
#[command(name = "zkstatus", version, after_help = AFTER_HELP)]
struct Cli {
    /// Machine-readable output: one JSON object on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the proving and verifying keys (single-party: development only).
    Setup(venue::SetupArgs),
    /// Print a fresh verifier challenge with its issue time (`ZKC2:…`).
    Challenge(venue::ChallengeArgs),
    /// Write a venue policy file.
    Policy(venue::PolicyArgs),
    /// Issuer keys and credentials.
    #[command(subcommand)]
    Issuer(issuer::IssuerCommand),
    /// Holder secret, status and proofs.
    #[command(subcommand)]
    Holder(holder::HolderCommand),
    /// The accredited-issuer registry (statement v2): create, add, retire,
    /// publish (each appended to the transparency log, `--log DIR`), root,
    /// a holder's path.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// The registry authority's transparency log: init, a ceremony result,
    /// checkpoint, witness cosign, bundle, trust, audit (registry acts are
    /// appended by `zkstatus registry add|retire|publish --log DIR`).
    #[command(subcommand)]
    Log(log::LogCommand),
    /// Verify a payload: ACCEPT or REJECT.
    Verify(venue::VerifyArgs),
    /// Turnstile daemon: verify one-scan passes line by line (a scanner on
    /// stdin or a device), one verdict per line, replay store on disk.
    Gate(gate::GateArgs),
    /// Export a payload for another implementation.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Describe a file (never its secrets), or `circuit` for the statement circuit.
    Inspect(InspectArgs),
    /// Run issue → prove → verify end to end, with tampering and expiry.
    Demo(demo::DemoArgs),
    /// Keys from a multi-party ceremony with snarkjs: export the circuit.
    #[command(subcommand)]
    Ceremony(ceremony::CeremonyCommand),
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Write verification_key.json, proof.json and public.json for
    /// `snarkjs groth16 verify`, an independent verifier.
    Snarkjs(venue::SnarkjsArgs),
}

#[derive(Debug, Args)]
struct InspectArgs {
    /// A zkstatus file, `-` for stdin, or `circuit` (the default) for the
    /// statement circuit; a file named circuit is `./circuit`.
    target: Option<PathBuf>,
}

/// Exit code for a rejection or a credential that is not green.
const EXIT_REJECTED: u8 = 1;
/// Exit code for bad input, usage and I/O errors.
const EXIT_BAD_INPUT: u8 = 2;

fn run(cli: Cli) -> anyhow::Result<u8> {
    let ctx = io::Ctx { json: cli.json };
    match cli.command {
        Command::Setup(a) => venue::setup(&ctx, a),
        Command::Challenge(a) => venue::challenge(&ctx, a),
        Command::Policy(a) => venue::policy(&ctx, a),
        Command::Issuer(c) => issuer::run(&ctx, c),
        Command::Holder(c) => holder::run(&ctx, c),
        Command::Registry(c) => registry::run(&ctx, c),
        Command::Log(c) => log::run(&ctx, c),
        Command::Verify(a) => venue::verify(&ctx, a),
        Command::Gate(a) => gate::run(ctx.json, a),
        Command::Export(ExportCommand::Snarkjs(a)) => venue::snarkjs(&ctx, a),
        Command::Inspect(a) => match a.target {
            Some(t) if t.as_os_str() != "circuit" => inspect::file(&ctx, &t),
            _ => inspect::circuit(&ctx),
        },
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Ceremony(c) => ceremony::run(&ctx, c),
    }
}

fn main() -> ExitCode {
    let json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
                || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            {
                let _ = e.print();
                return ExitCode::from(if e.use_stderr() { EXIT_BAD_INPUT } else { 0 });
            }
            report_error(json, &text::clap_error_line(&e));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(json, &format!("{e}"));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// One line on stderr; with `--json` also `{"error": ...}` on stdout.
pub(crate) fn report_error(json: bool, msg: &str) {
    let line: String = msg.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = text::display_untrusted(&line);
    errln!("zkstatus: error: {line}");
    if json {
        io::print_json(&serde_json::json!({ "error": line }));
    }
}
