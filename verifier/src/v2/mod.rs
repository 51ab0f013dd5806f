//! Verifying statement-v2 presentations (`docs/circuit.md` §12, "At the
//! gate").
//!
//! - [`keyfile`]: the version-2 verifying-key file and its QAP-reduction field;
//! - [`payload`]: the version-2 payload (root epoch, time, mode, proof,
//!   nullifier), at most 178 bytes;
//! - [`offer`]: the challenge a gate shows, with its issue time;
//! - [`roots`]: the registry roots a verifier accepts, with activation times;
//! - [`nullifiers`]: a gate's one-scan replay state;
//! - this module: [`Verifier`] (stateless checks) and [`Gate`] (a verifier
//!   with its challenge book and nullifier book).
//!
//! What a gate checks, in order (each refusal names its reason):
//!
//! 1. the payload decodes (version 2, mode, exact length, canonical values);
//! 2. the mode is one the gate accepts; both times are plausible;
//! 3. interactive: `now` is the issue time of a live challenge of this gate
//!    (the holder never chooses `now`); one-scan: `now` is the start of a
//!    window the gate accepts at its clock (`onescan::check_window`);
//! 4. the payload's registry epoch is the root active at `now`
//!    ([`roots::AcceptedRoots::check`]);
//! 5. the pairing check on `[root, now, challenge, one_scan, scope,
//!    nullifier, policy…]` (`statement::v2::PublicInputs`, the one layout);
//! 6. the challenge is consumed, or the nullifier recorded for the window,
//!    before the verdict is returned (a repeat is refused).

pub mod keyfile;
pub mod nullifiers;
pub mod offer;
pub mod payload;
pub mod roots;

use crate::challenge::{ChallengeBook, ChallengeBookError, IssuedChallenge};
use crate::groth16::{PreparedVerifyingKeyV2, VerifyingKeyV2};
use crate::onescan::{self, OperatorId};
use crate::{ConfigError, Rejection, VerifyError, MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME};
use ark_bn254::Fr;
use nullifiers::NullifierBook;
use payload::{PayloadV2, PresentedMode};
use roots::AcceptedRoots;
use zkstatus_circuits::statement::v2::{Mode, Nullifier, PublicInputs};
use zkstatus_circuits::statement::StatusPolicy;

/// Longest challenge lifetime a v2 gate accepts, seconds. In interactive
/// mode the statement is checked at the challenge's issue time, so this is
/// the most by which a credential (or an issuer's window) may have ended
/// before an accepted presentation: the only tolerance left (one-scan's is
/// `onescan::MAX_EXPIRY_SLACK_SECS`, 75 s).
pub const MAX_TTL_SECS: u64 = 120;
/// Default challenge lifetime of a v2 gate, seconds.
pub const DEFAULT_TTL_SECS: u64 = 90;

/// An accepted v2 presentation: all the gate learns. Never the issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The registry epoch of the root the proof is for.
    pub epoch: u64,
    /// The statement's time.
    pub now: u64,
    /// What the mode consumed.
    pub mode: AcceptedMode,
}

/// What an accepted presentation used up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptedMode {
    /// The gate's challenge, now consumed.
    Interactive {
        /// The challenge.
        challenge: IssuedChallenge,
    },
    /// The pass's window and nullifier, now recorded.
    OneScan {
        /// The window's start.
        window_start: u64,
        /// The nullifier.
        nullifier: Nullifier,
    },
}

/// Which presentations a gate takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    /// Two scans: the gate shows a challenge.
    pub interactive: bool,
    /// One scan: the holder shows a pass for the current window.
    pub one_scan: bool,
}

impl Modes {
    /// Both modes.
    pub const BOTH: Self = Self {
        interactive: true,
        one_scan: true,
    };
}

/// The stateless part of a v2 gate: key, accepted roots, policy.
#[derive(Debug, Clone)]
pub struct Verifier {
    pvk: PreparedVerifyingKeyV2,
    roots: AcceptedRoots,
    policy: StatusPolicy,
}

fn plausible(t: u64) -> Result<(), Rejection> {
    if (MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&t) {
        Ok(())
    } else {
        Err(Rejection::ImplausibleTime(t))
    }
}

impl Verifier {
    /// A verifier for `policy` accepting `roots`; the key's pairing is
    /// precomputed here.
    pub fn new(vk: &VerifyingKeyV2, roots: AcceptedRoots, policy: StatusPolicy) -> Self {
        Self {
            pvk: vk.prepare(),
            roots,
            policy,
        }
    }

    /// Refuse to run unless the verifying key's fingerprint is `expected`.
    pub fn with_pinned_key(self, expected: &[u8; 32]) -> Result<Self, ConfigError> {
        if &self.pvk.vk().fingerprint() == expected {
            Ok(self)
        } else {
            Err(ConfigError::UnpinnedKey)
        }
    }

    /// The policy.
    pub fn policy(&self) -> &StatusPolicy {
        &self.policy
    }

    /// The accepted roots.
    pub fn roots(&self) -> &AcceptedRoots {
        &self.roots
    }

    /// Replace the accepted roots (a newly published root).
    pub fn set_roots(&mut self, roots: AcceptedRoots) {
        self.roots = roots;
    }

    /// The verifying key.
    pub fn verifying_key(&self) -> &VerifyingKeyV2 {
        self.pvk.vk()
    }

    /// The pairing check for `payload` with the given root and mode values.
    fn pairing(&self, payload: &PayloadV2, root: Fr, mode: Mode) -> bool {
        let public = PublicInputs {
            registry_root: root,
            now: payload.now,
            policy: self.policy,
            mode,
        };
        self.pvk.verify(&public.to_field_elements(), &payload.proof)
    }

    /// Verify an interactive payload at the gate's clock `gate_now` against
    /// `book`'s live challenges; on acceptance the challenge is consumed.
    pub fn verify_interactive(
        &self,
        payload: &PayloadV2,
        gate_now: u64,
        book: &mut ChallengeBook,
    ) -> Result<Accepted, Rejection> {
        if payload.mode != PresentedMode::Interactive {
            return Err(Rejection::ModeNotAccepted("one-scan"));
        }
        plausible(gate_now)?;
        plausible(payload.now)?;
        let root = self.roots.check(payload.epoch, payload.now)?;
        let challenge = book.consume_at(payload.now, gate_now, |c| {
            self.pairing(payload, root, Mode::Interactive { challenge: *c })
        })?;
        Ok(Accepted {
            epoch: payload.epoch,
            now: payload.now,
            mode: AcceptedMode::Interactive { challenge },
        })
    }

    /// Verify a one-scan pass at the gate's clock `gate_now` for the gate's
    /// `operator`; on acceptance the nullifier is recorded in `book` for
    /// the pass's window (a repeat is refused).
    pub fn verify_one_scan(
        &self,
        payload: &PayloadV2,
        gate_now: u64,
        operator: &OperatorId,
        book: &mut NullifierBook,
    ) -> Result<Accepted, Rejection> {
        let PresentedMode::OneScan { nullifier } = payload.mode else {
            return Err(Rejection::ModeNotAccepted("interactive"));
        };
        plausible(gate_now)?;
        plausible(payload.now)?;
        onescan::check_window(payload.now, gate_now)?;
        let root = self.roots.check(payload.epoch, payload.now)?;
        // A known repeat costs no pairing.
        if book.contains(payload.now, &nullifier) {
            return Err(Rejection::NullifierUsed);
        }
        let scope = onescan::scope(operator, payload.now)?;
        if !self.pairing(payload, root, Mode::OneScan { scope, nullifier }) {
            return Err(Rejection::ProofInvalid);
        }
        book.record(payload.now, nullifier, gate_now)?;
        Ok(Accepted {
            epoch: payload.epoch,
            now: payload.now,
            mode: AcceptedMode::OneScan {
                window_start: payload.now,
                nullifier,
            },
        })
    }
}

/// A v2 gate: a [`Verifier`] with the state replay protection needs, for
/// one operator.
#[derive(Debug, Clone)]
pub struct Gate {
    verifier: Verifier,
    operator: OperatorId,
    modes: Modes,
    challenges: ChallengeBook,
    nullifiers: NullifierBook,
}

/// Why a gate cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GateError {
    /// The challenge book's settings.
    #[error("{0}")]
    Book(#[from] ChallengeBookError),
    /// A challenge lifetime above [`MAX_TTL_SECS`].
    #[error("ttlSecs: a v2 challenge lives at most {MAX_TTL_SECS} s (the statement is checked at its issue time), got {0}")]
    Ttl(u64),
    /// Neither mode.
    #[error("modes: accept interactive, one-scan or both")]
    NoMode,
}

impl Gate {
    /// A gate named `origin` (bound into its challenges) for `operator`,
    /// whose challenges live `ttl_secs` (at most [`MAX_TTL_SECS`]), at most
    /// `max_live` at once.
    pub fn new(
        verifier: Verifier,
        origin: &str,
        operator: OperatorId,
        modes: Modes,
        ttl_secs: u64,
        max_live: usize,
    ) -> Result<Self, GateError> {
        if ttl_secs > MAX_TTL_SECS {
            return Err(GateError::Ttl(ttl_secs));
        }
        if !modes.interactive && !modes.one_scan {
            return Err(GateError::NoMode);
        }
        Ok(Self {
            verifier,
            operator,
            modes,
            challenges: ChallengeBook::new(origin, ttl_secs, max_live)?,
            nullifiers: NullifierBook::default(),
        })
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The verifier, to update its roots.
    pub fn verifier_mut(&mut self) -> &mut Verifier {
        &mut self.verifier
    }

    /// The operator whose scope one-scan passes are for.
    pub fn operator(&self) -> &OperatorId {
        &self.operator
    }

    /// The challenge book (interactive mode).
    pub fn challenges(&mut self) -> &mut ChallengeBook {
        &mut self.challenges
    }

    /// Verify payload bytes at the gate's clock.
    pub fn verify(&mut self, bytes: &[u8], gate_now: u64) -> Result<Accepted, VerifyError> {
        let payload = PayloadV2::from_bytes(bytes)?;
        Ok(self.verify_payload(&payload, gate_now)?)
    }

    /// Verify a text payload (`ZKS2:` + base45) at the gate's clock.
    pub fn verify_text(&mut self, text: &str, gate_now: u64) -> Result<Accepted, VerifyError> {
        let payload = PayloadV2::from_text(text)?;
        Ok(self.verify_payload(&payload, gate_now)?)
    }

    fn verify_payload(
        &mut self,
        payload: &PayloadV2,
        gate_now: u64,
    ) -> Result<Accepted, Rejection> {
        match payload.mode {
            PresentedMode::Interactive if self.modes.interactive => self
                .verifier
                .verify_interactive(payload, gate_now, &mut self.challenges),
            PresentedMode::OneScan { .. } if self.modes.one_scan => self.verifier.verify_one_scan(
                payload,
                gate_now,
                &self.operator,
                &mut self.nullifiers,
            ),
            other => Err(Rejection::ModeNotAccepted(other.name())),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::config::policy_from_json;
    use crate::groth16::PREPARED_IN_THIS_THREAD;
    use keyfile::vk2_from_file;

    // The frozen statement-v2 fixture (prover/tests/fixture_v2.rs).
    const VK: &[u8] = include_bytes!("../../../prover/tests/fixtures/v2/zkstatus.vk");
    const ROOTS: &str = include_str!("../../../prover/tests/fixtures/v2/roots.json");
    const POLICY: &str = include_str!("../../../prover/tests/fixtures/v2/policy.json");
    const ONE_SCAN: &[u8] = include_bytes!("../../../prover/tests/fixtures/v2/payload-onescan.bin");
    const NOW: u64 = 1_768_464_000;

    fn prepared() -> usize {
        PREPARED_IN_THIS_THREAD.with(|n| n.get())
    }

    /// docs/security.md, item 65: the verifying key's pairing is computed
    /// once, when the `Verifier` is made; gates clone the prepared key, and
    /// verifications (including ones that reach the pairing and fail) never
    /// prepare it again.
    #[test]
    fn the_key_is_prepared_once_when_the_verifier_is_made_not_per_verification() {
        let (vk, _) = vk2_from_file(VK).unwrap();
        let roots = AcceptedRoots::from_json(ROOTS).unwrap();
        let policy = policy_from_json(POLICY).unwrap();
        let start = prepared();
        let verifier = Verifier::new(&vk, roots, policy);
        assert_eq!(prepared(), start + 1, "Verifier::new prepares the key");
        let gate = |operator: &str| {
            let op = OperatorId::from_name(operator).unwrap();
            Gate::new(verifier.clone(), "test", op, Modes::BOTH, 90, 3).unwrap()
        };
        // Another operator's gate: the pass is out of its scope, so every
        // verification reaches the pairing and fails there (nothing is
        // recorded, so none is refused earlier as a repeat).
        let mut other = gate("other.example");
        for i in 0..50 {
            assert_eq!(
                other.verify(ONE_SCAN, NOW + 5 + i),
                Err(VerifyError::Rejected(Rejection::ProofInvalid))
            );
        }
        // Malformed payloads, refused before the pairing.
        for len in [0, 1, 145, 177, 179] {
            assert!(matches!(
                other.verify(&vec![2; len], NOW + 5),
                Err(VerifyError::Malformed(_))
            ));
        }
        // The operator's gate, and a clone of it, accept the pass.
        let mut metro = gate("metro.example");
        let mut copy = metro.clone();
        assert!(metro.verify(ONE_SCAN, NOW + 5).is_ok());
        assert!(copy.verify(ONE_SCAN, NOW + 6).is_ok());
        assert_eq!(
            prepared(),
            start + 1,
            "no verification or clone prepared the key again"
        );
    }

    /// docs/security.md, item 88: a gate keeps challenges and nullifiers,
    /// never a payload or a piece of its proof, and neither its `Debug`
    /// form nor a verdict shows one, after an accept, a replay and a
    /// tampered copy.
    #[test]
    fn docs_security_item_88_a_gate_keeps_and_shows_no_piece_of_a_proof() {
        use ark_ff::{BigInteger, PrimeField};
        let (vk, _) = vk2_from_file(VK).unwrap();
        let verifier = Verifier::new(
            &vk,
            AcceptedRoots::from_json(ROOTS).unwrap(),
            policy_from_json(POLICY).unwrap(),
        );
        let op = OperatorId::from_name("metro.example").unwrap();
        let mut gate = Gate::new(verifier, "test", op, Modes::BOTH, 90, 3).unwrap();
        let proof = payload::PayloadV2::from_bytes(ONE_SCAN).unwrap().proof;
        // Every coordinate, in decimal (how arkworks prints a field
        // element) and in hex, and every 16-byte piece of the proof bytes.
        let mut traces: Vec<String> = [
            proof.a.x,
            proof.a.y,
            proof.b.x.c0,
            proof.b.x.c1,
            proof.b.y.c0,
            proof.b.y.c1,
            proof.c.x,
            proof.c.y,
        ]
        .iter()
        .flat_map(|x| {
            let n = x.into_bigint();
            [n.to_string(), hex::encode(n.to_bytes_be())]
        })
        .collect();
        traces.extend(proof.to_bytes().chunks(16).map(hex::encode));
        // The traces are what arkworks would print of the proof.
        let printed = format!("{} {} {}", proof.a, proof.b, proof.c);
        assert!(
            traces
                .iter()
                .filter(|t| printed.contains(t.as_str()))
                .count()
                >= 8
        );
        let mut tampered = ONE_SCAN.to_vec();
        tampered[ONE_SCAN.len() - 40] ^= 1;
        let results = [
            format!("{:?}", gate.verify(ONE_SCAN, NOW + 5)),
            format!("{:?}", gate.verify(ONE_SCAN, NOW + 6)),
            format!("{:?}", gate.verify(&tampered, NOW + 7)),
        ];
        assert!(results[0].starts_with("Ok("), "{}", results[0]);
        assert!(results[1].starts_with("Err("), "{}", results[1]);
        let shown = format!("{gate:?}");
        assert!(shown.contains("NullifierBook"), "{shown}");
        for text in results.iter().chain([&shown]) {
            for t in &traces {
                assert!(!text.contains(t.as_str()), "{t} appears in {text}");
            }
        }
    }
}
