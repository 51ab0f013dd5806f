//! Keys from a multi-party ceremony run with snarkjs (issue [4/7]).
//!
//! zkstatus does not run its own ceremony: the Groth16 community's audited
//! tool is snarkjs (`groth16 setup`, `zkey contribute`, `zkey beacon`,
//! `zkey verify`). This module connects the two:
//!
//! - [`r1cs`]: the statement's constraint system out, in iden3's binary
//!   `.r1cs` format, written from the same finalized matrices that proving
//!   uses and pinned by their hash ([`statement_v2_r1cs`]).
//! - [`zkey`]: a snarkjs Groth16 `.zkey` in, parsed strictly and checked
//!   natively against our matrices, as arkworks keys tagged
//!   `QapReduction::Snarkjs`.
//! - [`test_circuit`]: a five-constraint circuit with statement v2's ten
//!   public inputs, so that the key types fit; the tests and the fixture
//!   script put it through the same export and import code.
//!
//! What a native check can and cannot see is said in [`zkey`]: only
//! `snarkjs zkey verify` against our `.r1cs` and the pinned phase-1 file
//! proves that a zkey is for this circuit and chains from the public phase 1.

pub mod r1cs;
pub mod test_circuit;
pub mod zkey;

use crate::groth16;
use crate::keys::ProvingKeyV2;
use ark_bn254::Fr;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSynthesizer, SynthesisMode};
use zkstatus_circuits::statement::constraints::matrix_hash;
use zkstatus_circuits::statement::v2::constraints::StatusCircuit as StatusCircuitV2;
use zkstatus_verifier::groth16::V2_BASES;
use zkstatus_verifier::v2::keyfile::CIRCUIT_FINGERPRINT_V2;

/// Why the statement's constraint system could not be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Synthesis or the matrices failed (arkworks' error kind).
    #[error("synthesizing the circuit failed: {0}")]
    Proving(#[from] groth16::ProvingError),
    /// The synthesized matrices are not the pinned statement: this build's
    /// circuit differs from `CIRCUIT_FINGERPRINT_V2`, and a ceremony for it
    /// would give keys no verifier accepts.
    #[error(
        "the circuit's matrix hash {found} is not the pinned statement-v2 fingerprint {expected}"
    )]
    WrongCircuit {
        /// The synthesized matrices' hash, hex.
        found: String,
        /// The pin, hex.
        expected: String,
    },
    /// The matrices do not fit the `.r1cs` format.
    #[error(transparent)]
    R1cs(#[from] r1cs::R1csError),
}

/// The finalized constraint matrices of `circuit` without values, built as
/// ark-groth16's setup builds them ([`groth16::constraint_system`] in setup
/// mode, then [`groth16::finalize`] and [`groth16::matrices`]): the matrices
/// proving uses, since neither the mode nor the values change them.
pub fn matrices_of<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
) -> Result<ConstraintMatrices<Fr>, groth16::ProvingError> {
    let cs = groth16::constraint_system();
    cs.set_mode(SynthesisMode::Setup);
    circuit.generate_constraints(cs.clone())?;
    groth16::finalize(&cs);
    groth16::matrices(&cs)
}

/// Statement v2's matrices, checked against the pinned
/// [`CIRCUIT_FINGERPRINT_V2`] (the hash every key file carries).
pub fn statement_v2_matrices() -> Result<ConstraintMatrices<Fr>, ExportError> {
    let m = matrices_of(StatusCircuitV2::blank())?;
    let found = matrix_hash(&m);
    if found != CIRCUIT_FINGERPRINT_V2 {
        return Err(ExportError::WrongCircuit {
            found: hex::encode(found),
            expected: hex::encode(CIRCUIT_FINGERPRINT_V2),
        });
    }
    Ok(m)
}

/// Statement v2 as a `.r1cs` file: what `zkstatus ceremony export-r1cs`
/// writes and `snarkjs groth16 setup` reads.
pub fn statement_v2_r1cs() -> Result<Vec<u8>, ExportError> {
    Ok(r1cs::write(&statement_v2_matrices()?)?)
}

/// Why a ceremony's zkey was not imported as statement v2's keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Our own matrices could not be built or are not the pinned statement.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The zkey was refused (malformed, another circuit, inconsistent).
    #[error(transparent)]
    Zkey(#[from] zkey::ZkeyError),
    /// The keys fail the consistency checks every key file passes
    /// (docs/security.md, item 77).
    #[error("the imported keys are inconsistent: {0}")]
    Keys(String),
    /// A test proof of statement v2 with the imported proving key does not
    /// verify under the imported verifying key.
    #[error("a test proof of statement v2 made with the imported proving key {0}")]
    TestProof(String),
}

/// Import a ceremony's final zkey as statement v2's keys: parsed strictly,
/// compared with the pinned statement's matrices, checked against itself
/// ([`zkey::import`]), and the proving key checked against its verifying key
/// as `zkstatus setup`'s keys are. The native checks only: that the zkey
/// chains from the public phase 1 is for `snarkjs zkey verify`
/// (`docs/ceremony.md`).
pub fn import_statement_v2(bytes: &[u8]) -> Result<zkey::Imported<V2_BASES>, ImportError> {
    let m = statement_v2_matrices()?;
    let imported = zkey::import::<V2_BASES>(bytes, &m)?;
    check_keys(&imported.proving_key, &imported.verifying_key)?;
    test_proof(&imported.proving_key, &imported.verifying_key)?;
    Ok(imported)
}

/// Make a one-scan proof of a throwaway statement-v2 instance with `pk`
/// (fresh randomness) and verify it with `vk`. The instance is public test
/// data: an issuer key from a fixed seed, a registry of that issuer alone,
/// its root, a negative PCR test, a holder secret; none of it is anyone's.
pub fn test_proof(
    pk: &ProvingKeyV2,
    vk: &zkstatus_verifier::groth16::VerifyingKeyV2,
) -> Result<(), ImportError> {
    use crate::holder::v2::{prepare, Presentation};
    use zkstatus_circuits::eddsa::PrivateKey;
    use zkstatus_circuits::record::{HolderSecret, Record, TestResult, TestType, NO_EXPOSURE};
    use zkstatus_circuits::registry::{IssuerLeaf, Window};
    use zkstatus_circuits::statement::StatusPolicy;
    use zkstatus_verifier::onescan::OperatorId;
    use zkstatus_verifier::registry::{Entry, Registry};
    use zkstatus_verifier::v2::roots::{AcceptedRoots, PublishedRoot};
    let fail =
        |e: &dyn core::fmt::Display| ImportError::TestProof(format!("could not be made: {e}"));
    // 2026-01-15T08:00:00Z, a window start; everything is relative to it.
    const NOW: u64 = 1_768_464_000;
    let lab = PrivateKey::from_bytes([0x7e; 32]);
    let mut reg = Registry::new();
    let window = Window::new(NOW - 86_400, NOW + 86_400).map_err(|e| fail(&e))?;
    reg.add(Entry {
        leaf: IssuerLeaf {
            key: lab.public_key(),
            window,
        },
        name: "Ceremony test lab".into(),
    })
    .map_err(|e| fail(&e))?;
    let root = PublishedRoot {
        epoch: reg.epoch(),
        root: reg.root().map_err(|e| fail(&e))?,
        published_at: NOW - 7_200,
        activates_at: NOW - 3_600,
        end_date: NOW + 86_400,
    };
    let roots = AcceptedRoots::new(vec![root]).map_err(|e| fail(&e))?;
    let secret = HolderSecret::from_field(Fr::from(0x7e57_u64));
    let record = Record {
        holder: secret.commitment(),
        test_result: TestResult::Negative,
        test_type: TestType::Pcr,
        test_time: NOW - 3_600,
        exposure_time: NO_EXPOSURE,
        issued_at: NOW - 3_000,
        expires_at: NOW + 3_600,
        credential_id: Fr::from(0x7e57_c0de_u64),
    };
    let credential = crate::issuer::issue(&lab, &record).map_err(|e| fail(&e))?;
    let policy =
        StatusPolicy::new(Some(72 * 3600), Some(24 * 3600), 10 * 86_400).map_err(|e| fail(&e))?;
    let operator = OperatorId::from_name("ceremony.test").map_err(|e| fail(&e))?;
    let prepared = prepare(
        &credential,
        &secret,
        &policy,
        &[reg],
        &roots,
        &Presentation::OneScan {
            operator,
            window_start: NOW,
        },
    )
    .map_err(|e| fail(&e))?;
    let circuit = StatusCircuitV2::new(&prepared.public, prepared.witness.clone());
    let proof = groth16::prove(pk, circuit, &mut rand::rngs::OsRng).map_err(|e| fail(&e))?;
    if !vk
        .prepare()
        .verify(&prepared.public.to_field_elements(), &proof)
    {
        return Err(ImportError::TestProof(
            "does not verify under the imported verifying key".into(),
        ));
    }
    Ok(())
}

fn check_keys(
    pk: &ProvingKeyV2,
    vk: &zkstatus_verifier::groth16::VerifyingKeyV2,
) -> Result<(), ImportError> {
    pk.check_consistency(Some(vk))
        .map_err(|e| ImportError::Keys(e.to_string()))
}
