//! Shared by the fuzz targets in `fuzz_targets/`: the frozen fixture
//! (`prover/tests/fixtures/v1/`) that the `verify` and `verifier_config`
//! targets are configured with, and small helpers.
//!
//! Each target is a thin wrapper around one public decoder; the properties
//! it asserts are written out in the target itself (README.md here).

#![forbid(unsafe_code)]

use zkstatus_circuits::statement::Challenge;
use zkstatus_verifier::config::{challenge_from_hex, policy_from_json, trust_list_from_json};
use zkstatus_verifier::{vk_from_file, StatusVerifier};

/// The fixture's verifying-key file.
pub const FIXTURE_VK: &[u8] = include_bytes!("../../prover/tests/fixtures/v1/zkstatus.vk");
/// The fixture's trust list.
pub const FIXTURE_TRUST_LIST: &str = include_str!("../../prover/tests/fixtures/v1/trust-list.json");
/// The fixture's policy.
pub const FIXTURE_POLICY: &str = include_str!("../../prover/tests/fixtures/v1/policy.json");
/// The fixture's binary payload (valid for [`FIXTURE_NOW`] and the
/// fixture's challenge).
pub const FIXTURE_PAYLOAD: &[u8] = include_bytes!("../../prover/tests/fixtures/v1/payload.bin");
/// The fixture's text payload.
pub const FIXTURE_PAYLOAD_TEXT: &str = include_str!("../../prover/tests/fixtures/v1/payload.txt");
/// The fixture's challenge, hex (with a trailing newline).
pub const FIXTURE_CHALLENGE_HEX: &str =
    include_str!("../../prover/tests/fixtures/v1/challenge.txt");
/// The time the fixture's payload was made for.
pub const FIXTURE_NOW: u64 = 1_763_800_000;

/// The fixture's challenge.
pub fn fixture_challenge() -> Challenge {
    match challenge_from_hex(FIXTURE_CHALLENGE_HEX.trim()) {
        Ok(c) => c,
        Err(e) => fail(&format!("fixture challenge: {e}")),
    }
}

/// A verifier configured with the fixture's key, trust list and policy.
pub fn fixture_verifier() -> StatusVerifier {
    let built = (|| {
        let vk = vk_from_file(FIXTURE_VK).map_err(|e| e.to_string())?;
        let trusted = trust_list_from_json(FIXTURE_TRUST_LIST).map_err(|e| e.to_string())?;
        let policy = policy_from_json(FIXTURE_POLICY).map_err(|e| e.to_string())?;
        StatusVerifier::new(&vk, trusted.iter().map(|t| t.public_key).collect(), policy)
            .map_err(|e| e.to_string())
    })();
    match built {
        Ok(v) => v,
        Err(e) => fail(&format!("fixture verifier: {e}")),
    }
}

/// SHA-256.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}

/// A property failed: abort so that libFuzzer records the input as a crash.
#[allow(clippy::panic)]
pub fn fail(what: &str) -> ! {
    panic!("property violated: {what}")
}

/// Assert a property (a panic is what libFuzzer records as a finding).
#[macro_export]
macro_rules! check {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            $crate::fail(&format!($($msg)+));
        }
    };
}
