//! The wasm-bindgen exports, wrapped by the npm package's `index.js`, which
//! is the public JavaScript API. Every export returns a value or a `Result`
//! whose error wasm-bindgen throws as a JavaScript `Error`; none panics on
//! any input (a panic would be a trap that leaves the module unusable).

use crate::holder::{outcome_json, Holder};
use crate::input::parse_pk_fingerprint;
use crate::key::{pk_fingerprint, PinnedProvingKey, MAX_PK_FILE_BYTES};
use wasm_bindgen::prelude::*;
use zkstatus_prover::circuits::verifier::groth16::short_fingerprint;

fn js_error(e: impl core::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A proving key that matched its pin (internal: use the package's
/// `ProvingKey`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmProvingKey {
    inner: PinnedProvingKey,
}

#[wasm_bindgen]
impl WasmProvingKey {
    /// Accept the proving-key file only if its SHA-256 is `pinned` (64
    /// lowercase hex digits), then parse and validate it.
    pub fn load(file: &[u8], pinned: &str) -> Result<WasmProvingKey, JsError> {
        let pinned = parse_pk_fingerprint(pinned).map_err(js_error)?;
        PinnedProvingKey::load(file, &pinned)
            .map(|inner| Self { inner })
            .map_err(js_error)
    }

    /// The file's fingerprint (SHA-256), 64 hex digits.
    #[wasm_bindgen(js_name = fingerprintHex)]
    pub fn fingerprint_hex(&self) -> String {
        hex::encode(self.inner.fingerprint())
    }

    /// The verifying key's fingerprint, 64 hex digits (what verifiers pin).
    #[wasm_bindgen(js_name = vkFingerprintHex)]
    pub fn vk_fingerprint_hex(&self) -> String {
        hex::encode(self.inner.vk_fingerprint())
    }

    /// The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`.
    #[wasm_bindgen(js_name = vkShortFingerprint)]
    pub fn vk_short_fingerprint(&self) -> String {
        short_fingerprint(&self.inner.vk_fingerprint())
    }

    /// The verifying-key file (`zkstatus.vk`) of this key.
    #[wasm_bindgen(js_name = vkFile)]
    pub fn vk_file(&self) -> Vec<u8> {
        self.inner.vk_file()
    }
}

/// A credential with its holder secret (internal: use the package's
/// `Holder`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmHolder {
    inner: Holder,
}

#[wasm_bindgen]
impl WasmHolder {
    /// Parse the credential and holder-secret files.
    #[wasm_bindgen(constructor)]
    pub fn new(credential_json: &str, secret_json: &str) -> Result<WasmHolder, JsError> {
        Holder::from_json(credential_json, secret_json)
            .map(|inner| Self { inner })
            .map_err(js_error)
    }

    /// The credential's record, as JSON.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> String {
        serde_json::to_string(&self.inner.summary()).unwrap_or_default()
    }

    /// The status under a policy at `now` (decimal unix seconds), as JSON.
    #[wasm_bindgen(js_name = statusJson)]
    pub fn status_json(&self, policy_json: &str, now: &str) -> Result<String, JsError> {
        self.inner
            .status_input(policy_json, now)
            .map(|s| serde_json::to_string(&s).unwrap_or_default())
            .map_err(js_error)
    }

    /// Prove; the outcome as JSON (a payload, or the not-green status).
    #[wasm_bindgen(js_name = proveJson)]
    pub fn prove_json(
        &self,
        key: &WasmProvingKey,
        policy_json: &str,
        challenge: &str,
        now: &str,
    ) -> Result<String, JsError> {
        self.inner
            .prove_input(&key.inner, policy_json, challenge, now)
            .map(|o| outcome_json(&o))
            .map_err(js_error)
    }
}

/// The fingerprint of a proving-key file: SHA-256, 64 hex digits.
#[wasm_bindgen(js_name = provingKeyFingerprint)]
pub fn proving_key_fingerprint(file: &[u8]) -> String {
    hex::encode(pk_fingerprint(file))
}

/// The largest proving-key file accepted, bytes.
#[wasm_bindgen(js_name = maxProvingKeyBytes)]
pub fn max_proving_key_bytes() -> usize {
    MAX_PK_FILE_BYTES
}

/// The largest JSON file accepted, bytes.
#[wasm_bindgen(js_name = maxJsonBytes)]
pub fn max_json_bytes() -> usize {
    zkstatus_prover::files::MAX_JSON_BYTES
}

/// Opt-in (`console-panic-hook` feature): report panics on the console.
#[cfg(feature = "console-panic-hook")]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Measurement only (feature `unstable-bench`): see `src/experiment.rs`.
#[cfg(feature = "unstable-bench")]
mod bench {
    use super::{js_error, WasmHolder};
    use crate::experiment;
    use crate::input::{parse_challenge, parse_u64};
    use wasm_bindgen::prelude::*;
    use zkstatus_prover::circuits::verifier::groth16::PreparedVerifyingKey;

    /// A proving key parsed without validation, with optional precomputed
    /// matrices and prepared verifying key.
    #[wasm_bindgen]
    #[derive(Debug)]
    pub struct BenchProver {
        pk: ark_groth16::ProvingKey<ark_bn254::Bn254>,
        matrices: Option<ark_relations::r1cs::ConstraintMatrices<ark_bn254::Fr>>,
        pvk: Option<PreparedVerifyingKey>,
    }

    #[wasm_bindgen]
    impl BenchProver {
        /// Parse with `Validate::No` (no pin check here: measurement only).
        #[wasm_bindgen(js_name = parseUnchecked)]
        pub fn parse_unchecked(file: &[u8]) -> Result<BenchProver, JsError> {
            Ok(Self {
                pk: experiment::parse_unchecked(file).map_err(js_error)?,
                matrices: None,
                pvk: None,
            })
        }

        /// Synthesize and keep the constraint matrices.
        #[wasm_bindgen(js_name = precomputeMatrices)]
        pub fn precompute_matrices(&mut self) -> Result<(), JsError> {
            self.matrices = Some(experiment::matrices().map_err(js_error)?);
            Ok(())
        }

        /// Prepare and keep the verifying key (for the self-check).
        #[wasm_bindgen(js_name = preparedSelfCheck)]
        pub fn prepared_self_check(&mut self) -> Result<(), JsError> {
            let vk = zkstatus_prover::keys::vk_from_ark(&self.pk.vk)
                .ok_or_else(|| JsError::new("input count"))?;
            self.pvk = Some(vk.prepare());
            Ok(())
        }

        /// One proof; the phase times as JSON.
        pub fn prove(
            &self,
            holder: &WasmHolder,
            policy_json: &str,
            challenge: &str,
            now: &str,
        ) -> Result<String, JsError> {
            let policy = zkstatus_prover::files::policy_from_json(policy_json).map_err(js_error)?;
            let challenge = parse_challenge(challenge).map_err(js_error)?;
            let now = parse_u64(now, "now").map_err(js_error)?;
            let mut rng = crate::holder::platform_rng().map_err(js_error)?;
            let (credential, secret) = holder.inner.parts();
            let (_, phases) = experiment::prove_phased(
                &self.pk,
                self.matrices.as_ref(),
                self.pvk.as_ref(),
                credential,
                secret,
                &policy,
                now,
                &challenge,
                &mut rng,
            )
            .map_err(js_error)?;
            Ok(serde_json::to_string(&phases).unwrap_or_default())
        }
    }
}
