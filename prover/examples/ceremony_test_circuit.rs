//! Write the ceremony test circuit (`zkstatus_prover::ceremony::test_circuit`)
//! as a `.r1cs` file, with the same writer as `zkstatus ceremony
//! export-r1cs`: the input of `prover/tests/fixtures/ceremony/make.sh`.
//!
//! `cargo run -p zkstatus-prover --example ceremony_test_circuit -- OUT.r1cs [VARIANT]`
//!
//! `VARIANT` makes the fixtures' "other circuits", each one coefficient away
//! from the test circuit: `changed-a` (constraint 1's `A`, `w1 + 3·x2`,
//! becomes `2·w1 + 3·x2`; a native import refuses its zkey) and `changed-c` (constraint
//! 2's `C`: `w3` becomes `2·w3`; the zkey holds no `C` coefficients, so only
//! `snarkjs zkey verify` against our `.r1cs` tells it apart).

use std::process::ExitCode;
use zkstatus_prover::ceremony::{matrices_of, r1cs, test_circuit::TestCircuit};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out, variant) = match args.as_slice() {
        [out] => (out, None),
        [out, v] if v == "changed-a" || v == "changed-c" => (out, Some(v.as_str())),
        _ => {
            eprintln!("usage: ceremony_test_circuit OUT.r1cs [changed-a|changed-c]");
            return ExitCode::from(2);
        }
    };
    let bytes = match matrices_of(TestCircuit::default())
        .map_err(|e| e.to_string())
        .and_then(|mut m| {
            let term = match variant {
                Some("changed-a") => m.a.get_mut(1).and_then(|row| row.get_mut(1)),
                Some("changed-c") => m.c.get_mut(2).and_then(|row| row.get_mut(0)),
                _ => None,
            };
            if let Some((coeff, _)) = term {
                *coeff += ark_bn254::Fr::from(1u64);
            }
            r1cs::write(&m).map_err(|e| e.to_string())
        }) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ceremony_test_circuit: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(out, bytes) {
        eprintln!("ceremony_test_circuit: cannot write {out}: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
