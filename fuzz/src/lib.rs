//! Shared by the fuzz targets in `fuzz_targets/`: the frozen statement-v2
//! fixture (`prover/tests/fixtures/v2/`) that the `gate_v2` and
//! `verifier_config` targets are configured with, and small helpers.
//!
//! Each target is a thin wrapper around one public decoder; the properties
//! it asserts are written out in the target itself (README.md here).

#![forbid(unsafe_code)]

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

/// The frozen statement-v2 fixture (`prover/tests/fixtures/v2/`) and a gate
/// configured with it, for the `gate_v2` target.
pub mod v2 {
    use zkstatus_verifier::config::policy_from_json;
    use zkstatus_verifier::onescan::OperatorId;
    use zkstatus_verifier::v2::keyfile::vk2_from_file;
    use zkstatus_verifier::v2::offer::ChallengeOffer;
    use zkstatus_verifier::v2::roots::AcceptedRoots;
    use zkstatus_verifier::v2::{Gate, Modes, Verifier};

    /// The verifying-key file.
    pub const VK: &[u8] = include_bytes!("../../prover/tests/fixtures/v2/zkstatus.vk");
    /// The roots.
    pub const ROOTS: &str = include_str!("../../prover/tests/fixtures/v2/roots.json");
    /// The policy.
    pub const POLICY: &str = include_str!("../../prover/tests/fixtures/v2/policy.json");
    /// The challenge offer.
    pub const OFFER: &str = include_str!("../../prover/tests/fixtures/v2/challenge.txt");
    /// The interactive payload.
    pub const PAYLOAD: &[u8] = include_bytes!("../../prover/tests/fixtures/v2/payload.bin");
    /// The one-scan payload.
    pub const PAYLOAD_ONESCAN: &[u8] =
        include_bytes!("../../prover/tests/fixtures/v2/payload-onescan.bin");
    /// The fixture's time (the challenge's issue time, a window start).
    pub const NOW: u64 = 1_768_464_000;
    /// The one-scan operator.
    pub const OPERATOR: &str = "metro.example";

    /// A fresh gate holding the fixture's challenge.
    pub fn gate() -> Gate {
        let built = (|| {
            let (vk, _) = vk2_from_file(VK).map_err(|e| e.to_string())?;
            let roots = AcceptedRoots::from_json(ROOTS).map_err(|e| e.to_string())?;
            let policy = policy_from_json(POLICY).map_err(|e| e.to_string())?;
            let offer = ChallengeOffer::from_text(OFFER).map_err(|e| e.to_string())?;
            let operator = OperatorId::from_name(OPERATOR).map_err(|e| e.to_string())?;
            let mut g = Gate::new(
                Verifier::new(&vk, roots, policy),
                "fuzz",
                operator,
                Modes::BOTH,
                90,
                3,
            )
            .map_err(|e| e.to_string())?;
            g.challenges()
                .restore(offer.challenge, offer.issued_at, NOW)
                .map_err(|e| e.to_string())?;
            Ok::<_, String>(g)
        })();
        match built {
            Ok(g) => g,
            Err(e) => super::fail(&format!("fixture gate: {e}")),
        }
    }
}
