//! The wasm-bindgen exports, wrapped by the npm package's `index.js`, which
//! is the public JavaScript API. Every export returns a value or a `Result`
//! whose error wasm-bindgen throws as a JavaScript `Error`; none panics on
//! any input (a panic would be a trap that leaves the module unusable).
//!
//! Errors carry a stable `code` property (`bad-input`, `bad-credential`,
//! `pk-pin-mismatch`, …: [`HolderError::code`], [`KeyLoadError::code`]); a
//! refused pin also carries `actual`, `pinned` (hex) and `diagnosis` (what
//! the file looks like, from its header).

use crate::holder::{
    generate_holder_secret_json, outcome_json, verify_registry_bundle, BeginOutcome, Holder,
    HolderError, Material, PresentationInput,
};
use crate::input::{parse_pk_fingerprint, InputError};
use crate::key::{
    diagnose, load_helper_fast, load_helper_key, load_main_fast, load_main_key, pk_fingerprint,
    KeyLoadError, PinnedProvingKey, MAX_PK_FILE_BYTES,
};
use wasm_bindgen::prelude::*;
use zkstatus_prover::split::{
    helper_part_bytes, HelperKey, HelperPart, MainKey, ProofJob, Share, SplitError,
};
use zkstatus_verifier::groth16::short_fingerprint;
use zkstatus_verifier::v2::keyfile::QapReduction;

/// A JavaScript `Error` with `message` and a `code` property.
fn coded(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    // Setting a property on a fresh Error cannot fail; if it did, the
    // message alone still describes the error.
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

fn holder_error(e: HolderError) -> JsValue {
    coded(e.code(), &e.to_string())
}

fn input_error(e: InputError) -> JsValue {
    coded("bad-input", &e.to_string())
}

fn key_error(e: KeyLoadError) -> JsValue {
    let err = coded(e.code(), &e.to_string());
    if let KeyLoadError::NotPinned {
        actual,
        pinned,
        diagnosis,
    } = &e
    {
        for (k, v) in [
            ("actual", hex::encode(actual)),
            ("pinned", hex::encode(pinned)),
            ("diagnosis", diagnosis.to_string()),
        ] {
            let _ = js_sys::Reflect::set(&err, &k.into(), &v.into());
        }
    }
    err
}

fn split_error(e: SplitError) -> JsValue {
    holder_error(HolderError::Split(e))
}

fn share_of(bits: u8) -> Result<Share, JsValue> {
    Share::from_bits(bits).ok_or_else(|| {
        coded(
            "bad-input",
            &format!("share: {bits} is not a helper share (1 to 15: bit 0 a, 1 b_g1, 2 b_g2, 3 l)"),
        )
    })
}

/// The presentation from the wrapper's fields: a challenge, or a window.
fn presentation<'a>(
    challenge: &'a Option<String>,
    operator: &'a Option<String>,
    window_start: &'a Option<String>,
) -> Result<PresentationInput<'a>, JsValue> {
    match (challenge, window_start) {
        (Some(c), None) => Ok(PresentationInput::Challenge(c)),
        (None, Some(w)) => Ok(PresentationInput::OneScan {
            operator: operator.as_deref(),
            window_start: w,
        }),
        _ => Err(coded(
            "bad-input",
            "presentation: give either challenge (interactive) or windowStart (one-scan)",
        )),
    }
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
    pub fn load(file: &[u8], pinned: &str) -> Result<WasmProvingKey, JsValue> {
        let pinned = parse_pk_fingerprint(pinned).map_err(input_error)?;
        PinnedProvingKey::load(file, &pinned)
            .map(|inner| Self { inner })
            .map_err(key_error)
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
    pub fn new(credential_json: &str, secret_json: &str) -> Result<WasmHolder, JsValue> {
        Holder::from_json(credential_json, secret_json)
            .map(|inner| Self { inner })
            .map_err(holder_error)
    }

    /// The credential's record, as JSON.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> String {
        serde_json::to_string(&self.inner.summary()).unwrap_or_default()
    }

    /// The status under a policy at `now` (decimal unix seconds), as JSON.
    #[wasm_bindgen(js_name = statusJson)]
    pub fn status_json(&self, policy_json: &str, now: &str) -> Result<String, JsValue> {
        self.inner
            .status_input(policy_json, now)
            .map(|s| serde_json::to_string(&s).unwrap_or_default())
            .map_err(holder_error)
    }

    /// Prove statement v2 for a gate's challenge (`challenge`, `ZKC2:`
    /// text: interactive) or, when `challenge` is `undefined`, for the
    /// one-scan window starting at `window_start` in `operator`'s scope
    /// (`undefined`: global); the outcome as JSON (a payload, or the
    /// not-green status).
    #[wasm_bindgen(js_name = proveJson)]
    pub fn prove_json(
        &self,
        key: &WasmProvingKey,
        policy_json: &str,
        material: &WasmMaterial,
        challenge: Option<String>,
        operator: Option<String>,
        window_start: Option<String>,
    ) -> Result<String, JsValue> {
        let presentation = presentation(&challenge, &operator, &window_start)?;
        self.inner
            .prove_input(&key.inner, policy_json, &material.inner, &presentation)
            .map(|o| outcome_json(&o))
            .map_err(holder_error)
    }

    /// Start a split proof with the main worker's key, for a challenge or
    /// a one-scan window (as `proveJson`): a job that is either not green
    /// (`notGreenJson`) or holds the helper's task (`takeTask`).
    #[wasm_bindgen(js_name = beginProof)]
    pub fn begin_proof(
        &self,
        key: &WasmMainKey,
        policy_json: &str,
        material: &WasmMaterial,
        challenge: Option<String>,
        operator: Option<String>,
        window_start: Option<String>,
    ) -> Result<WasmProofJob, JsValue> {
        let presentation = presentation(&challenge, &operator, &window_start)?;
        match self
            .inner
            .begin_proof_input(&key.inner, policy_json, &material.inner, &presentation)
            .map_err(holder_error)?
        {
            BeginOutcome::Started(job, task) => Ok(WasmProofJob {
                job: Some(job),
                task: Some(task.to_bytes()),
                not_green: None,
            }),
            BeginOutcome::NotGreen(status) => Ok(WasmProofJob {
                job: None,
                task: None,
                not_green: Some(
                    serde_json::json!({ "proved": false, "status": status }).to_string(),
                ),
            }),
        }
    }
}

/// Check a registry bundle against a trust configuration at `now`
/// (decimal unix seconds); JSON `{rootsJson, cosignedAt, validUntil,
/// maxAgeSecs, logSize}`. Errors: `bad-registry-bundle`,
/// `registry-too-old`, `bad-registry-trust`, `bad-input`.
#[wasm_bindgen(js_name = verifyRegistryBundle)]
pub fn verify_registry_bundle_json(
    bundle: &[u8],
    trust_json: &str,
    now: &str,
) -> Result<String, JsValue> {
    verify_registry_bundle(bundle, trust_json, now)
        .map(|r| serde_json::to_string(&r).unwrap_or_default())
        .map_err(holder_error)
}

/// The registry material (internal: use the package's `Registries`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmMaterial {
    inner: Material,
}

#[wasm_bindgen]
impl WasmMaterial {
    /// Parse a roots file (`zkstatus/registry-roots`).
    #[wasm_bindgen(constructor)]
    pub fn new(roots_json: &str) -> Result<WasmMaterial, JsValue> {
        Material::new(roots_json)
            .map(|inner| Self { inner })
            .map_err(holder_error)
    }

    /// Add a registry file (ZKRG); JSON `{epoch, issuers, endDate}`.
    #[wasm_bindgen(js_name = addRegistry)]
    pub fn add_registry(&mut self, file: &[u8]) -> Result<String, JsValue> {
        self.inner
            .add_registry(file)
            .map(|i| serde_json::to_string(&i).unwrap_or_default())
            .map_err(holder_error)
    }

    /// Replace the roots.
    #[wasm_bindgen(js_name = setRoots)]
    pub fn set_roots(&mut self, roots_json: &str) -> Result<(), JsValue> {
        self.inner.set_roots(roots_json).map_err(holder_error)
    }

    /// The window of an issuer (packed key, 64 hex digits) in the registry
    /// of the root active at `now`, JSON `{epoch, notBefore, notAfter}` or
    /// `null`.
    #[wasm_bindgen(js_name = issuerWindowJson)]
    pub fn issuer_window_json(&self, issuer_hex: &str, now: &str) -> Result<String, JsValue> {
        self.inner
            .issuer_window(issuer_hex, now)
            .map(|w| serde_json::to_string(&w).unwrap_or_default())
            .map_err(holder_error)
    }

    /// The material at `now` (decimal unix seconds), as JSON.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self, now: &str) -> Result<String, JsValue> {
        self.inner
            .summary_input(now)
            .map(|s| serde_json::to_string(&s).unwrap_or_default())
            .map_err(input_error)
    }
}

/// The main worker's part of a pinned proving key, for split proving
/// (internal: use the package's `MainProvingKey`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmMainKey {
    inner: MainKey,
    /// The file's QAP-reduction byte (checked by the key's parser).
    qap: QapReduction,
}

#[wasm_bindgen]
impl WasmMainKey {
    /// Accept the file only if its SHA-256 is `pinned`, then decode all but
    /// the helper's queries (`share`: the helper's MSMs, bits 0–3).
    pub fn load(file: &[u8], pinned: &str, share: u8) -> Result<WasmMainKey, JsValue> {
        let pinned = parse_pk_fingerprint(pinned).map_err(input_error)?;
        let share = share_of(share)?;
        let inner = load_main_key(file, &pinned, share).map_err(key_error)?;
        // The reduction byte the key file's parser read.
        let qap = inner.qap_reduction();
        Ok(Self { inner, qap })
    }

    /// Load from a fast form this build made (`toFastForm`) for `pinned`
    /// and `share`; refused (code `pk-cache-invalid`) if its digest, pin,
    /// part or share differ.
    #[wasm_bindgen(js_name = loadFast)]
    pub fn load_fast(form: &[u8], pinned: &str, share: u8) -> Result<WasmMainKey, JsValue> {
        let pinned = parse_pk_fingerprint(pinned).map_err(input_error)?;
        let share = share_of(share)?;
        let inner = load_main_fast(form, &pinned, share).map_err(key_error)?;
        let qap = inner.qap_reduction();
        Ok(Self { inner, qap })
    }

    /// This part's fast form, to keep for the next load.
    #[wasm_bindgen(js_name = toFastForm)]
    pub fn to_fast_form(&self) -> Vec<u8> {
        self.inner.to_fast_form()
    }

    /// Prepare the verifying key for the self-check now (one pairing;
    /// otherwise the first proof does it).
    pub fn prepare(&self) {
        let _ = self.inner.prepared();
    }

    /// The file's fingerprint (SHA-256), 64 hex digits.
    #[wasm_bindgen(js_name = fingerprintHex)]
    pub fn fingerprint_hex(&self) -> String {
        hex::encode(self.inner.fingerprint())
    }

    /// The verifying key's fingerprint, 64 hex digits (what verifiers pin).
    #[wasm_bindgen(js_name = vkFingerprintHex)]
    pub fn vk_fingerprint_hex(&self) -> String {
        hex::encode(self.inner.verifying_key().fingerprint())
    }

    /// The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`.
    #[wasm_bindgen(js_name = vkShortFingerprint)]
    pub fn vk_short_fingerprint(&self) -> String {
        self.inner.verifying_key().short_fingerprint()
    }

    /// The verifying-key file (`zkstatus.vk`) of this key.
    #[wasm_bindgen(js_name = vkFile)]
    pub fn vk_file(&self) -> Vec<u8> {
        zkstatus_verifier::v2::keyfile::vk2_to_file(self.inner.verifying_key(), self.qap)
    }

    /// The helper's share, bits 0–3.
    pub fn share(&self) -> u8 {
        self.inner.share().bits()
    }
}

/// The helper worker's part of a pinned proving key (internal: use the
/// package's `HelperProvingKey`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmHelperKey {
    inner: HelperKey,
}

#[wasm_bindgen]
impl WasmHelperKey {
    /// Accept the file only if its SHA-256 is `pinned`, then decode only the
    /// queries of `share`.
    pub fn load(file: &[u8], pinned: &str, share: u8) -> Result<WasmHelperKey, JsValue> {
        let pinned = parse_pk_fingerprint(pinned).map_err(input_error)?;
        let share = share_of(share)?;
        load_helper_key(file, &pinned, share)
            .map(|inner| Self { inner })
            .map_err(key_error)
    }

    /// Load from a fast form this build made (`toFastForm`); as
    /// `WasmMainKey.loadFast`.
    #[wasm_bindgen(js_name = loadFast)]
    pub fn load_fast(form: &[u8], pinned: &str, share: u8) -> Result<WasmHelperKey, JsValue> {
        let pinned = parse_pk_fingerprint(pinned).map_err(input_error)?;
        let share = share_of(share)?;
        load_helper_fast(form, &pinned, share)
            .map(|inner| Self { inner })
            .map_err(key_error)
    }

    /// This part's fast form, to keep for the next load.
    #[wasm_bindgen(js_name = toFastForm)]
    pub fn to_fast_form(&self) -> Vec<u8> {
        self.inner.to_fast_form()
    }

    /// The file's fingerprint (SHA-256), 64 hex digits.
    #[wasm_bindgen(js_name = fingerprintHex)]
    pub fn fingerprint_hex(&self) -> String {
        hex::encode(self.inner.fingerprint())
    }

    /// The helper's share, bits 0–3.
    pub fn share(&self) -> u8 {
        self.inner.share().bits()
    }

    /// The helper's part for a task (both encoded; both secret).
    #[wasm_bindgen(js_name = computePart)]
    pub fn compute_part(&self, task: &[u8]) -> Result<Vec<u8>, JsValue> {
        helper_part_bytes(&self.inner, task).map_err(split_error)
    }
}

/// A split proof in progress on the main worker (internal: use the
/// package's `ProofJob`).
#[wasm_bindgen]
pub struct WasmProofJob {
    job: Option<Box<ProofJob>>,
    task: Option<Vec<u8>>,
    not_green: Option<String>,
}

impl core::fmt::Debug for WasmProofJob {
    /// The job's own redacted `Debug`; never the task.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WasmProofJob")
            .field("job", &self.job)
            .field("task_taken", &self.task.is_none())
            .finish_non_exhaustive()
    }
}

#[wasm_bindgen]
impl WasmProofJob {
    /// `{"proved":false,"status":{…}}` when the credential is not green
    /// (then there is no task and no job), else `undefined`.
    #[wasm_bindgen(js_name = notGreenJson)]
    pub fn not_green_json(&self) -> Option<String> {
        self.not_green.clone()
    }

    /// The helper's task, once (`undefined` afterwards or when not green).
    #[wasm_bindgen(js_name = takeTask)]
    pub fn take_task(&mut self) -> Option<Vec<u8>> {
        self.task.take()
    }

    /// The main worker's share of the work (witness map, `H` and the MSMs
    /// not in the helper's share), while the helper computes its part.
    #[wasm_bindgen(js_name = runMain)]
    pub fn run_main(&mut self, key: &WasmMainKey) -> Result<(), JsValue> {
        self.job_mut()?.run_main(&key.inner).map_err(split_error)
    }

    /// Finish with the helper's part: the outcome JSON (`proved: true`, as
    /// `proveJson`). A part for another task is refused and the job kept;
    /// otherwise the job is spent.
    pub fn finish(&mut self, key: &WasmMainKey, part: &[u8]) -> Result<String, JsValue> {
        let part = HelperPart::from_bytes(part).map_err(split_error)?;
        let payload = self
            .job_mut()?
            .finish(&key.inner, &part)
            .map_err(split_error)?;
        self.job = None;
        Ok(outcome_json(&crate::holder::ProveOutcome::Proved(
            Box::new(payload),
        )))
    }

    fn job_mut(&mut self) -> Result<&mut ProofJob, JsValue> {
        self.job.as_deref_mut().ok_or_else(|| {
            coded(
                "prove-failed",
                "this proof job is finished, failed or was never started (not green)",
            )
        })
    }
}

/// The helper share this build uses (bits: 0 a, 1 b_g1, 2 b_g2, 3 l).
#[wasm_bindgen(js_name = defaultHelperShare)]
pub fn default_helper_share() -> u8 {
    Share::DEFAULT.bits()
}

/// A new holder-secret file (`zkstatus/holder-secret` v1) from the
/// platform's random source, as `zkstatus holder keygen` makes it.
#[wasm_bindgen(js_name = generateHolderSecretJson)]
pub fn generate_holder_secret() -> Result<String, JsValue> {
    generate_holder_secret_json().map_err(holder_error)
}

/// What a proving-key file is, from its header alone (for a refused pin).
#[wasm_bindgen(js_name = diagnoseProvingKey)]
pub fn diagnose_proving_key(file: &[u8]) -> String {
    diagnose(file).to_string()
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
