//! Write the ceremony test circuit (`zkstatus_prover::ceremony::test_circuit`)
//! as a `.r1cs` file, with the same writer as `zkstatus ceremony
//! export-r1cs`: the input of `prover/tests/fixtures/ceremony/make.sh`.
//!
//! `cargo run -p zkstatus-prover --example ceremony_test_circuit -- OUT.r1cs`

use std::process::ExitCode;
use zkstatus_prover::ceremony::{matrices_of, r1cs, test_circuit::TestCircuit};

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: ceremony_test_circuit OUT.r1cs");
        return ExitCode::from(2);
    };
    let bytes = match matrices_of(TestCircuit::default())
        .map_err(|e| e.to_string())
        .and_then(|m| r1cs::write(&m).map_err(|e| e.to_string()))
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ceremony_test_circuit: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(&out, bytes) {
        eprintln!("ceremony_test_circuit: cannot write {out}: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
