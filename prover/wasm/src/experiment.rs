//! **Measurement only** (feature `unstable-bench`, never in the package):
//! the proving pipeline split into timed phases, and the two candidate
//! speed-ups measured in `prover/wasm/README.md`:
//!
//! 1. key parsing without point validation (`Validate::No`: points are still
//!    decompressed, so on the curve, but the G2 subgroup check and the
//!    canonical re-encoding check are skipped), for use only after the
//!    file's SHA-256 matched the pin;
//! 2. proving with the constraint matrices computed once per key (setup-mode
//!    synthesis, inlined, checked against `CIRCUIT_FINGERPRINT`) and a
//!    witness-only synthesis per proof (`construct_matrices: false`), which
//!    removes ark-relations' per-proof linear-combination inlining (since the
//!    circuits build their linear combinations once, little is left to gain).
//!
//! The first belongs in `zkstatus-prover` if adopted (see the README); this
//! module exists to measure them in WebAssembly and natively.

use ark_bn254::{Bn254, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_groth16::Groth16;
use ark_poly::GeneralEvaluationDomain;
use ark_relations::r1cs::{
    ConstraintMatrices, ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode,
};
use ark_serialize::{CanonicalDeserialize, Compress, Validate};
use ark_std::UniformRand;
use rand_chacha::rand_core::{CryptoRng, RngCore};
use zkstatus_prover::circuits::record::HolderSecret;
use zkstatus_prover::circuits::statement::constraints::{
    matrix_hash, StatusCircuit, StatusWitness,
};
use zkstatus_prover::circuits::statement::{
    check_statement, Challenge, PublicInputs, StatusPolicy,
};
use zkstatus_prover::circuits::verifier::groth16::{
    Proof, VerifyingKey, G1_BYTES, G2_BYTES, VK_BYTES,
};
use zkstatus_prover::circuits::verifier::CIRCUIT_FINGERPRINT;
use zkstatus_prover::credential::Credential;

/// Milliseconds from a monotonic-enough clock (`Date.now()` in WASM).
pub fn now_ms() -> f64 {
    #[cfg(target_family = "wasm")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_family = "wasm"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    }
}

fn err(e: impl core::fmt::Display) -> String {
    e.to_string()
}

/// Parse a proving-key file with `Validate::No` (after a pin check only).
pub fn parse_unchecked(file: &[u8]) -> Result<ark_groth16::ProvingKey<Bn254>, String> {
    const HEADER: usize = 37 + VK_BYTES + 2 * G1_BYTES + 20;
    if file.len() < HEADER || file[..4] != *b"ZKPK" || file[5..37] != CIRCUIT_FINGERPRINT {
        return Err("not a proving key for this circuit".into());
    }
    fn one<P: CanonicalDeserialize>(b: &[u8]) -> Result<P, String> {
        P::deserialize_with_mode(b, Compress::Yes, Validate::No).map_err(err)
    }
    fn many<P: CanonicalDeserialize + AffineRepr>(
        file: &[u8],
        at: &mut usize,
        n: usize,
        size: usize,
    ) -> Result<Vec<P>, String> {
        let end = at
            .checked_add(n.checked_mul(size).ok_or("overflow")?)
            .ok_or("overflow")?;
        let v = file
            .get(*at..end)
            .ok_or("short file")?
            .chunks_exact(size)
            .map(one)
            .collect();
        *at = end;
        v
    }
    let vk = VerifyingKey::from_bytes(&file[37..37 + VK_BYTES]).map_err(err)?;
    let mut at = 37 + VK_BYTES;
    let beta_g1: G1Affine = one(&file[at..at + G1_BYTES])?;
    let delta_g1: G1Affine = one(&file[at + G1_BYTES..at + 2 * G1_BYTES])?;
    at += 2 * G1_BYTES;
    let mut counts = [0usize; 5];
    for c in counts.iter_mut() {
        let mut b = [0u8; 4];
        b.copy_from_slice(&file[at..at + 4]);
        *c = u32::from_le_bytes(b) as usize;
        at += 4;
    }
    let [na, nb1, nb2, nh, nl] = counts;
    Ok(ark_groth16::ProvingKey {
        vk: ark_groth16::VerifyingKey {
            alpha_g1: vk.alpha_g1,
            beta_g2: vk.beta_g2,
            gamma_g2: vk.gamma_g2,
            delta_g2: vk.delta_g2,
            gamma_abc_g1: vk.gamma_abc_g1.to_vec(),
        },
        beta_g1,
        delta_g1,
        a_query: many(file, &mut at, na, G1_BYTES)?,
        b_g1_query: many(file, &mut at, nb1, G1_BYTES)?,
        b_g2_query: many::<G2Affine>(file, &mut at, nb2, G2_BYTES)?,
        h_query: many(file, &mut at, nh, G1_BYTES)?,
        l_query: many(file, &mut at, nl, G1_BYTES)?,
    })
}

/// The constraint matrices, synthesized once in setup mode and checked
/// against the circuit fingerprint every key carries.
pub fn matrices() -> Result<ConstraintMatrices<Fr>, String> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    StatusCircuit::blank()
        .generate_constraints(cs.clone())
        .map_err(err)?;
    cs.finalize();
    let m = cs.to_matrices().ok_or("no matrices")?;
    if matrix_hash(&m) != CIRCUIT_FINGERPRINT {
        return Err("the synthesized matrices are not the pinned circuit".into());
    }
    Ok(m)
}

/// Phase times of one proof, milliseconds.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Phases {
    /// Native statement check (signature, holder, rules).
    pub check: f64,
    /// Circuit synthesis (witness only when matrices are precomputed).
    pub synthesis: f64,
    /// LC inlining and matrix extraction (zero with precomputed matrices).
    pub inline: f64,
    /// R1CS-to-QAP witness map (7 FFTs of 8192).
    pub witness_map: f64,
    /// The five MSMs and the rest of Groth16.
    pub msm: f64,
    /// Self-check verification (0 if skipped).
    pub self_check: f64,
    /// Total.
    pub total: f64,
}

/// Prove with the pipeline split into phases. With `matrices`, synthesis is
/// witness-only; without, it records and inlines the constraints per proof
/// (what `Groth16::prove` does). `pvk` is reused across proofs when given.
#[allow(clippy::too_many_arguments)]
pub fn prove_phased<R: RngCore + CryptoRng>(
    pk: &ark_groth16::ProvingKey<Bn254>,
    matrices: Option<&ConstraintMatrices<Fr>>,
    pvk: Option<&zkstatus_prover::circuits::verifier::groth16::PreparedVerifyingKey>,
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    now: u64,
    challenge: &Challenge,
    rng: &mut R,
) -> Result<(Proof, Phases), String> {
    let mut ph = Phases::default();
    let t0 = now_ms();
    let public = PublicInputs {
        issuer: credential.issuer,
        now,
        policy: *policy,
        challenge: *challenge,
    };
    check_statement(&public, &credential.record, secret, &credential.signature).map_err(err)?;
    let t1 = now_ms();
    ph.check = t1 - t0;
    let circuit = StatusCircuit::new(
        &public,
        StatusWitness::new(&credential.record, secret, &credential.signature),
    );
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: matrices.is_none(),
    });
    circuit.generate_constraints(cs.clone()).map_err(err)?;
    let t2 = now_ms();
    ph.synthesis = t2 - t1;
    let owned;
    let m = match matrices {
        Some(m) => m,
        None => {
            cs.finalize();
            owned = cs.to_matrices().ok_or("no matrices")?;
            &owned
        }
    };
    let assignment: Vec<Fr> = {
        let inner = cs.borrow().ok_or("no cs")?;
        inner
            .instance_assignment
            .iter()
            .chain(&inner.witness_assignment)
            .copied()
            .collect()
    };
    let t3 = now_ms();
    ph.inline = t3 - t2;
    // Timed separately (computed again inside the proof below).
    let _h = LibsnarkReduction::witness_map_from_matrices::<Fr, GeneralEvaluationDomain<Fr>>(
        m,
        m.num_instance_variables,
        m.num_constraints,
        &assignment,
    )
    .map_err(err)?;
    let t4 = now_ms();
    ph.witness_map = t4 - t3;
    let r = Fr::rand(rng);
    let s = Fr::rand(rng);
    let proof = Groth16::<Bn254>::create_proof_with_reduction_and_matrices(
        pk,
        r,
        s,
        m,
        m.num_instance_variables,
        m.num_constraints,
        &assignment,
    )
    .map_err(err)?;
    let t5 = now_ms();
    ph.msm = (t5 - t4) - ph.witness_map;
    let proof = Proof {
        a: proof.a,
        b: proof.b,
        c: proof.c,
    };
    if let Some(pvk) = pvk {
        if !pvk.verify(&public.to_field_elements(), &proof) {
            return Err("self-check failed".into());
        }
    }
    let t6 = now_ms();
    ph.self_check = t6 - t5;
    ph.total = t6 - t0 - ph.witness_map;
    Ok((proof, ph))
}

/// How many entries of the full assignment (instance then witness) are 0,
/// 1, below 2⁶⁴ (other than 0 and 1), or larger: what a bit-aware MSM
/// could skip or shorten.
pub fn assignment_stats(
    credential: &Credential,
    secret: &HolderSecret,
    policy: &StatusPolicy,
    now: u64,
    challenge: &Challenge,
) -> Result<[usize; 4], String> {
    use ark_ff::{BigInteger, PrimeField};
    let public = PublicInputs {
        issuer: credential.issuer,
        now,
        policy: *policy,
        challenge: *challenge,
    };
    let circuit = StatusCircuit::new(
        &public,
        StatusWitness::new(&credential.record, secret, &credential.signature),
    );
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
    });
    circuit.generate_constraints(cs.clone()).map_err(err)?;
    let inner = cs.borrow().ok_or("no cs")?;
    let mut stats = [0usize; 4];
    for x in inner
        .instance_assignment
        .iter()
        .chain(&inner.witness_assignment)
    {
        let b = x.into_bigint();
        let i = if b.is_zero() {
            0
        } else if *x == Fr::from(1u64) {
            1
        } else if b.num_bits() <= 64 {
            2
        } else {
            3
        };
        stats[i] += 1;
    }
    Ok(stats)
}
