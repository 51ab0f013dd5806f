//! `Zkey::parse` and `zkey::import` (snarkjs Groth16 `.zkey`,
//! `prover/src/ceremony/zkey.rs`), on the test circuit of
//! `prover/tests/fixtures/ceremony/` (statement v2's eleven input bases).
//!
//! Properties: what parses has exactly the points its header's counts say
//! (`nPublic + 1` IC, `nVars` A, B1, B2, `nVars − nPublic − 1` C,
//! `domainSize` H, a power of two) and never more decoded values than the
//! file has bytes for (no allocation beyond the input); the consistency
//! check and the import do not panic; what the import accepts also passes
//! the proving key's own consistency check against its verifying key
//! (docs/security.md, item 77), as every key file must.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zkstatus_fuzz::check;
use zkstatus_prover::ceremony::matrices_of;
use zkstatus_prover::ceremony::test_circuit::TestCircuit;
use zkstatus_prover::ceremony::zkey::{self, Zkey, G1_LEM_BYTES, G2_LEM_BYTES, MAX_ZKEY_BYTES};

type Matrices = ark_relations::r1cs::ConstraintMatrices<ark_bn254::Fr>;

fn matrices() -> &'static Matrices {
    static M: OnceLock<Matrices> = OnceLock::new();
    M.get_or_init(|| {
        matrices_of(TestCircuit::default())
            .unwrap_or_else(|e| zkstatus_fuzz::fail(&format!("test circuit: {e}")))
    })
}

fuzz_target!(|data: &[u8]| {
    let m = matrices();
    let Ok(z) = Zkey::parse(data) else {
        return;
    };
    check!(
        data.len() <= MAX_ZKEY_BYTES,
        "accepted {} bytes",
        data.len()
    );
    check!(
        z.domain_size.is_power_of_two(),
        "domain {} not a power of two",
        z.domain_size
    );
    check!(
        z.n_public < z.n_vars,
        "nPublic {} ≥ nVars {}",
        z.n_public,
        z.n_vars
    );
    check!(z.ic.len() == z.n_public + 1, "IC count");
    check!(z.a.len() == z.n_vars, "A count");
    check!(z.b_g1.len() == z.n_vars, "B1 count");
    check!(z.b_g2.len() == z.n_vars, "B2 count");
    check!(z.c.len() == z.n_vars - z.n_public - 1, "C count");
    check!(z.h.len() == z.domain_size, "H count");
    let g1_points = z.ic.len() + z.a.len() + z.b_g1.len() + z.c.len() + z.h.len();
    let decoded = g1_points * G1_LEM_BYTES
        + z.b_g2.len() * G2_LEM_BYTES
        + z.coefficients.len() * 44
        + z.contributions.len() * (3 * G1_LEM_BYTES + G2_LEM_BYTES + 64 + 8);
    check!(
        decoded <= data.len(),
        "decoded {decoded} bytes' worth from {} bytes",
        data.len()
    );
    let consistent = z.check_consistency().is_ok();
    // The import parses again: only worth it for a zkey of this circuit
    // (it refuses any other at `check_circuit`).
    if z.check_circuit(m).is_err() {
        return;
    }
    if let Ok(imported) = zkey::import::<{ zkstatus_verifier::groth16::V2_BASES }>(data, m) {
        check!(consistent, "imported, but the zkey is inconsistent");
        check!(
            imported
                .proving_key
                .check_consistency(Some(&imported.verifying_key))
                .is_ok(),
            "imported keys fail the proving key's consistency check"
        );
    }
});
