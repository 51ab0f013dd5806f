//! Import a snarkjs zkey for the ceremony test circuit
//! (`zkstatus_prover::ceremony::test_circuit`), prove with our prover
//! (snarkjs's QAP reduction), verify with zkstatus's verifier and the
//! imported verifying key (and refuse the proof for other public inputs),
//! then write snarkjs's `proof.json` and `public.json`, so that
//! `snarkjs groth16 verify` can check a proof made with an imported key
//! (interop/ceremony.test.mjs). Exit 2 with the import's error on a zkey
//! it refuses.
//!
//! `cargo run -p zkstatus-prover --example ceremony_test_proof -- TEST.zkey OUT_DIR`

use ark_bn254::Fr;
use std::process::ExitCode;
use zkstatus_prover::ceremony::test_circuit::{TestCircuit, N_PUBLIC};
use zkstatus_prover::ceremony::{matrices_of, zkey};
use zkstatus_verifier::groth16::V2_BASES;

fn run(zkey_path: &str, out_dir: &str) -> Result<(), String> {
    let bytes = std::fs::read(zkey_path).map_err(|e| format!("cannot read {zkey_path}: {e}"))?;
    let m = matrices_of(TestCircuit::default()).map_err(|e| e.to_string())?;
    let imported = zkey::import::<V2_BASES>(&bytes, &m).map_err(|e| e.to_string())?;
    let x: [Fr; N_PUBLIC] = core::array::from_fn(|i| Fr::from(i as u64 * 7 + 3));
    let proof = zkstatus_prover::groth16::prove(
        &imported.proving_key,
        TestCircuit { public: Some(x) },
        &mut rand::rngs::OsRng,
    )
    .map_err(|e| e.to_string())?;
    let pvk = imported.verifying_key.prepare();
    if !pvk.verify(&x, &proof) {
        return Err("zkstatus's verifier refuses the proof made with the imported key".into());
    }
    let mut other = x;
    other[N_PUBLIC - 1] += Fr::from(1u64);
    if pvk.verify(&other, &proof) {
        return Err("zkstatus's verifier accepts the proof for other public inputs".into());
    }
    let files = zkstatus_prover::snarkjs::export_public(&imported.verifying_key, &proof, &x)
        .map_err(|e| e.to_string())?;
    let dir = std::path::Path::new(out_dir);
    for (name, text) in [("proof.json", &files.proof), ("public.json", &files.public)] {
        std::fs::write(dir.join(name), text).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [zkey_path, out_dir] = args.as_slice() else {
        eprintln!("usage: ceremony_test_proof TEST.zkey OUT_DIR");
        return ExitCode::from(2);
    };
    match run(zkey_path, out_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ceremony_test_proof: {e}");
            ExitCode::from(2)
        }
    }
}
