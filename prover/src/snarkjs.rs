//! Export a proof in snarkjs's JSON formats, so that an independent
//! implementation (`snarkjs groth16 verify`) can check zkstatus proofs.
//!
//! snarkjs writes field elements as decimal strings, G1 points as
//! `[x, y, "1"]` and G2 points as `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`
//! (projective with `z = 1`), the curve as `"bn128"`.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use serde_json::{json, Value};
use zkstatus_verifier::groth16::{Proof, VerifyingKeyOf};

/// The three snarkjs files, as JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnarkjsFiles {
    /// `verification_key.json`.
    pub verification_key: String,
    /// `proof.json`.
    pub proof: String,
    /// `public.json`.
    pub public: String,
}

fn fq(x: &Fq) -> Value {
    Value::String(x.to_string())
}

fn fq2(x: &Fq2) -> Value {
    json!([fq(&x.c0), fq(&x.c1)])
}

fn g1(p: &G1Affine) -> Value {
    json!([fq(&p.x), fq(&p.y), "1"])
}

fn g2(p: &G2Affine) -> Value {
    json!([fq2(&p.x), fq2(&p.y), ["1", "0"]])
}

fn fr(x: &Fr) -> Value {
    Value::String(x.to_string())
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Why a payload is not exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SnarkjsError {
    /// The proof does not verify with this key and these public inputs, so
    /// `snarkjs groth16 verify` would reject the files too.
    #[error("the proof does not verify with this verifying key and these public inputs (snarkjs would reject it too); nothing is exported")]
    ProofInvalid,
}

/// snarkjs files for `proof` with the public-input vector `public`
/// (`statement::v2::PublicInputs::to_field_elements`, the order snarkjs
/// reads `public.json` in). The proof is verified first: files that snarkjs
/// would reject are never produced.
pub fn export_public<const BASES: usize>(
    vk: &VerifyingKeyOf<BASES>,
    proof: &Proof,
    public: &[Fr],
) -> Result<SnarkjsFiles, SnarkjsError> {
    if !vk.prepare().verify(public, proof) {
        return Err(SnarkjsError::ProofInvalid);
    }
    let vk_json = json!({
        "protocol": "groth16",
        "curve": "bn128",
        "nPublic": public.len(),
        "vk_alpha_1": g1(&vk.alpha_g1),
        "vk_beta_2": g2(&vk.beta_g2),
        "vk_gamma_2": g2(&vk.gamma_g2),
        "vk_delta_2": g2(&vk.delta_g2),
        "IC": vk.gamma_abc_g1.iter().map(g1).collect::<Vec<_>>(),
    });
    let proof_json = json!({
        "pi_a": g1(&proof.a),
        "pi_b": g2(&proof.b),
        "pi_c": g1(&proof.c),
        "protocol": "groth16",
        "curve": "bn128",
    });
    let public_json = Value::Array(public.iter().map(fr).collect());
    Ok(SnarkjsFiles {
        verification_key: pretty(&vk_json),
        proof: pretty(&proof_json),
        public: pretty(&public_json),
    })
}
