//! The wasm-bindgen exports, wrapped by the npm package's `index.js`, which
//! is the public JavaScript API. Every export returns a value or a `Result`
//! whose error wasm-bindgen throws as a JavaScript `Error`; none panics on
//! any input.

use crate::verifier::{self, Gate, Options, PayloadInput, TrustedRoots};
use wasm_bindgen::prelude::*;

fn js_error(e: impl core::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serializing these plain structs cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// A statement-v2 gate (internal: use the package's `Gate`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmGate {
    inner: Gate,
}

#[wasm_bindgen]
impl WasmGate {
    /// Build from the version-2 verifying-key file, the registry bundle
    /// and its trust configuration (verified at `now`, decimal unix
    /// seconds: the roots come only from a bundle that verifies), the
    /// policy JSON, and the options (`ttl_secs` decimal seconds,
    /// `pinned_vk_fingerprint` 64 hex digits).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        vk_file: &[u8],
        bundle: &[u8],
        trust_json: &str,
        now: &str,
        policy_json: &str,
        origin: &str,
        operator: Option<String>,
        interactive: bool,
        one_scan: bool,
        ttl_secs: Option<String>,
        max_live: Option<u32>,
        pinned_vk_fingerprint: Option<String>,
    ) -> Result<WasmGate, JsError> {
        let options = Options {
            pinned_vk_fingerprint: pinned_vk_fingerprint.as_deref(),
            origin,
            operator: operator.as_deref(),
            interactive: Some(interactive),
            one_scan: Some(one_scan),
            ttl_secs: ttl_secs.as_deref(),
            max_live,
        };
        let registry = TrustedRoots::from_bundle(bundle, trust_json, now).map_err(js_error)?;
        Gate::new(vk_file, registry, policy_json, &options)
            .map(|inner| Self { inner })
            .map_err(js_error)
    }

    /// Issue a challenge at `now` from 32 random bytes; JSON
    /// `{offer, challenge, issuedAt, expiresAt}`.
    pub fn issue(&mut self, now: &str, random: &[u8]) -> Result<String, JsError> {
        let random: [u8; 32] = random
            .try_into()
            .map_err(|_| JsError::new("random: a challenge needs exactly 32 random bytes"))?;
        self.inner
            .issue(now, &random)
            .map(|c| to_json(&c))
            .map_err(js_error)
    }

    /// The live challenges at `now`, JSON, oldest first.
    pub fn live(&mut self, now: &str) -> Result<String, JsError> {
        self.inner.live(now).map(|l| to_json(&l)).map_err(js_error)
    }

    /// Verify a binary payload; the verdict as JSON.
    #[wasm_bindgen(js_name = verifyBytes)]
    pub fn verify_bytes(&mut self, payload: &[u8], now: &str) -> Result<String, JsError> {
        self.inner
            .verify_input(PayloadInput::Bytes(payload), now)
            .map(|v| v.to_json())
            .map_err(js_error)
    }

    /// Verify a text payload; the verdict as JSON.
    #[wasm_bindgen(js_name = verifyText)]
    pub fn verify_text(&mut self, payload: &str, now: &str) -> Result<String, JsError> {
        self.inner
            .verify_input(PayloadInput::Text(payload), now)
            .map(|v| v.to_json())
            .map_err(js_error)
    }

    /// The verdict for input over `maxPayloadInput()`, not copied in.
    #[wasm_bindgen(js_name = verifyTooLong)]
    pub fn verify_too_long(&self, len: f64, text: bool, now: &str) -> Result<String, JsError> {
        let now = verifier::parse_u64(now, "now").map_err(js_error)?;
        // Saturating float-to-int conversion; lengths are integers anyway.
        let len = len.max(0.0) as usize;
        Ok(self.inner.too_long(len, text, now).to_json())
    }

    /// Replace the registry from a refreshed bundle, verified at `now`
    /// (on any error the gate keeps what it had).
    #[wasm_bindgen(js_name = setRegistry)]
    pub fn set_registry(
        &mut self,
        bundle: &[u8],
        trust_json: &str,
        now: &str,
    ) -> Result<(), JsError> {
        let registry = TrustedRoots::from_bundle(bundle, trust_json, now).map_err(js_error)?;
        self.inner.set_registry(registry).map_err(js_error)
    }

    /// The held bundle's times, JSON `{cosignedAt, validUntil, maxAgeSecs,
    /// logSize}` (decimal strings).
    #[wasm_bindgen(js_name = registryJson)]
    pub fn registry_json(&self) -> String {
        to_json(&self.inner.bundle())
    }

    /// The accepted roots, JSON, in epoch order.
    #[wasm_bindgen(js_name = rootsJson)]
    pub fn roots_json(&self) -> String {
        to_json(&self.inner.roots())
    }

    /// The root active at `now`, JSON (`null` if none).
    #[wasm_bindgen(js_name = activeRootJson)]
    pub fn active_root_json(&self, now: &str) -> Result<String, JsError> {
        self.inner
            .active_root(now)
            .map(|r| to_json(&r))
            .map_err(js_error)
    }

    /// The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`.
    #[wasm_bindgen(js_name = shortFingerprint)]
    pub fn short_fingerprint(&self) -> String {
        self.inner.short_fingerprint()
    }

    /// The verifying key's fingerprint, 64 hex digits.
    #[wasm_bindgen(js_name = fingerprintHex)]
    pub fn fingerprint_hex(&self) -> String {
        self.inner.fingerprint_hex()
    }

    /// The policy, as JSON.
    #[wasm_bindgen(js_name = policyJson)]
    pub fn policy_json(&self) -> String {
        to_json(self.inner.policy())
    }

    /// The operator name one-scan passes are scoped to (`undefined`: the
    /// global scope).
    pub fn operator(&self) -> Option<String> {
        self.inner.operator().map(str::to_owned)
    }
}

/// The exact length of a version-2 verifying-key file.
#[wasm_bindgen(js_name = vkFileBytes)]
pub fn vk_file_bytes() -> usize {
    zkstatus_verifier::v2::keyfile::VK2_FILE_BYTES
}

/// The longest payload the wrapper copies into WASM memory.
#[wasm_bindgen(js_name = maxPayloadInput)]
pub fn max_payload_input() -> usize {
    verifier::MAX_PAYLOAD_INPUT
}

/// The longest challenge lifetime a gate accepts, seconds.
#[wasm_bindgen(js_name = maxTtlSecs)]
pub fn max_ttl_secs() -> f64 {
    zkstatus_verifier::v2::MAX_TTL_SECS as f64
}

/// Opt-in (`console-panic-hook` feature): report panics on the console.
#[cfg(feature = "console-panic-hook")]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
