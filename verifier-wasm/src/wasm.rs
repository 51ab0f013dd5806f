//! The wasm-bindgen exports, wrapped by the npm package's `index.js`, which
//! is the public JavaScript API. Every export returns a value or a `Result`
//! whose error wasm-bindgen throws as a JavaScript `Error`; none panics on
//! any input.

use crate::verifier::{self, Gate, Options, PayloadInput, Verifier};
use wasm_bindgen::prelude::*;

fn js_error(e: impl core::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A configured verifier (internal: use the package's `Verifier`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmVerifier {
    inner: Verifier,
}

#[wasm_bindgen]
impl WasmVerifier {
    /// Build from the verifying-key file, the trust-list and policy JSON,
    /// and the options as strings (`maxSkewSecs` decimal seconds,
    /// `pinnedVkFingerprint` 64 hex digits).
    #[wasm_bindgen(constructor)]
    pub fn new(
        vk_file: &[u8],
        trust_list_json: &str,
        policy_json: &str,
        max_skew_secs: Option<String>,
        pinned_vk_fingerprint: Option<String>,
    ) -> Result<WasmVerifier, JsError> {
        let options = Options {
            max_skew_secs: max_skew_secs
                .as_deref()
                .map(|s| verifier::parse_u64(s, "maxSkewSecs"))
                .transpose()
                .map_err(js_error)?,
            pinned_vk_fingerprint: pinned_vk_fingerprint
                .as_deref()
                .map(verifier::parse_fingerprint)
                .transpose()
                .map_err(js_error)?,
        };
        Verifier::new(vk_file, trust_list_json, policy_json, &options)
            .map(|inner| Self { inner })
            .map_err(js_error)
    }

    /// Verify a binary payload; the verdict as JSON.
    #[wasm_bindgen(js_name = verifyBytes)]
    pub fn verify_bytes(
        &self,
        payload: &[u8],
        now: &str,
        challenge: &str,
    ) -> Result<String, JsError> {
        self.inner
            .verify_input(PayloadInput::Bytes(payload), now, challenge)
            .map(|v| v.to_json())
            .map_err(js_error)
    }

    /// Verify a text payload; the verdict as JSON.
    #[wasm_bindgen(js_name = verifyText)]
    pub fn verify_text(
        &self,
        payload: &str,
        now: &str,
        challenge: &str,
    ) -> Result<String, JsError> {
        self.inner
            .verify_input(PayloadInput::Text(payload), now, challenge)
            .map(|v| v.to_json())
            .map_err(js_error)
    }

    /// The verdict for a payload of `len` bytes (or UTF-16 units of text)
    /// over `maxPayloadInput()`, which the wrapper does not copy in.
    #[wasm_bindgen(js_name = verifyTooLong)]
    pub fn verify_too_long(
        &self,
        len: f64,
        text: bool,
        now: &str,
        challenge: &str,
    ) -> Result<String, JsError> {
        let now = verifier::parse_u64(now, "now").map_err(js_error)?;
        verifier::parse_challenge(challenge).map_err(js_error)?;
        // Saturating float-to-int conversion; lengths are integers anyway.
        let len = len.max(0.0) as usize;
        Ok(self.inner.too_long(len, text, now).to_json())
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
        serde_json::to_string(self.inner.policy()).unwrap_or_default()
    }

    /// The trusted issuers, as JSON `[{name, publicKey}]`.
    #[wasm_bindgen(js_name = issuersJson)]
    pub fn issuers_json(&self) -> String {
        let list: Vec<serde_json::Value> = self
            .inner
            .issuers()
            .iter()
            .map(|i| {
                serde_json::json!({
                    "name": i.name,
                    "publicKey": zkstatus_verifier::config::public_key_to_hex(&i.public_key),
                })
            })
            .collect();
        serde_json::to_string(&list).unwrap_or_default()
    }
}

/// A gate's challenge book (internal: use the package's `ChallengeBook`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmGate {
    inner: Gate,
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serializing these plain structs cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

fn nonce(bytes: &[u8]) -> Result<[u8; 32], JsError> {
    bytes
        .try_into()
        .map_err(|_| JsError::new("a challenge needs exactly 32 random bytes"))
}

#[wasm_bindgen]
impl WasmGate {
    /// A gate named `origin`; `ttl_secs` decimal seconds.
    #[wasm_bindgen(constructor)]
    pub fn new(
        origin: &str,
        ttl_secs: Option<String>,
        max_live: Option<u32>,
    ) -> Result<WasmGate, JsError> {
        Gate::new(origin, ttl_secs.as_deref(), max_live)
            .map(|inner| Self { inner })
            .map_err(js_error)
    }

    /// Issue a challenge at `now` from 32 random bytes; JSON
    /// `{challenge, issuedAt, expiresAt}`.
    pub fn issue(&mut self, now: &str, random: &[u8]) -> Result<String, JsError> {
        let random = nonce(random)?;
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
    pub fn verify_bytes(
        &mut self,
        verifier: &WasmVerifier,
        payload: &[u8],
        now: &str,
    ) -> Result<String, JsError> {
        self.inner
            .verify_input(&verifier.inner, PayloadInput::Bytes(payload), now)
            .map(|v| v.to_json())
            .map_err(js_error)
    }

    /// Verify a text payload; the verdict as JSON.
    #[wasm_bindgen(js_name = verifyText)]
    pub fn verify_text(
        &mut self,
        verifier: &WasmVerifier,
        payload: &str,
        now: &str,
    ) -> Result<String, JsError> {
        self.inner
            .verify_input(&verifier.inner, PayloadInput::Text(payload), now)
            .map(|v| v.to_json())
            .map_err(js_error)
    }

    /// The verdict for input over `maxPayloadInput()`, not copied in.
    #[wasm_bindgen(js_name = verifyTooLong)]
    pub fn verify_too_long(
        &self,
        verifier: &WasmVerifier,
        len: f64,
        text: bool,
        now: &str,
    ) -> Result<String, JsError> {
        let now = verifier::parse_u64(now, "now").map_err(js_error)?;
        let len = len.max(0.0) as usize;
        Ok(verifier.inner.too_long(len, text, now).to_json())
    }
}

/// A challenge (64 hex digits) from 32 random bytes, or `undefined` if the
/// draw is out of range and the caller must draw again (rejection sampling;
/// see `verifier::challenge_from_random`). Any other length is an `Error`.
#[wasm_bindgen(js_name = challengeFromRandom)]
pub fn challenge_from_random(bytes: &[u8]) -> Result<Option<String>, JsError> {
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| JsError::new("challengeFromRandom needs exactly 32 random bytes"))?;
    Ok(verifier::challenge_from_random(bytes))
}

/// The exact length of a verifying-key file.
#[wasm_bindgen(js_name = vkFileBytes)]
pub fn vk_file_bytes() -> usize {
    zkstatus_verifier::VK_FILE_BYTES
}

/// The longest payload the wrapper copies into WASM memory.
#[wasm_bindgen(js_name = maxPayloadInput)]
pub fn max_payload_input() -> usize {
    verifier::MAX_PAYLOAD_INPUT
}

/// Opt-in (`console-panic-hook` feature): report panics on the console.
#[cfg(feature = "console-panic-hook")]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
