//! The main worker's proof ([`ProofJob`]): begin (statement check, `r` and
//! `s`, synthesis, the helper's task), run its share of the MSMs with the
//! witness map, finish (the helper's part, [`groth16::assemble`], the
//! self-check).

use super::keys::PartialSums;
use super::{HelperPart, HelperTask, MainKey, Msm, Share, SplitError};
use crate::credential::Credential;
use crate::groth16::{self, BigInt, Blinding, Sums, Synthesis};
use crate::holder::v2::{prepare, Prepared, Presentation};
use crate::holder::ProveError;
use ark_bn254::G1Projective;
use ark_std::rand::{CryptoRng, RngCore};
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::v2::constraints::StatusCircuit;
use zkstatus_circuits::statement::v2::PublicInputs;
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_verifier::groth16::short_fingerprint;
use zkstatus_verifier::registry::Registry;
use zkstatus_verifier::v2::payload::{PayloadV2, PresentedMode};
use zkstatus_verifier::v2::roots::AcceptedRoots;

/// Where a job is.
enum Stage {
    /// Synthesised: the values (and, on the key's first proof, the
    /// constraint system to build the matrices from) for the witness map,
    /// and the assignment (for the MSMs).
    Synthesized {
        synthesis: Synthesis,
        assignment: Vec<BigInt>,
    },
    /// The main worker's MSMs are done.
    MainDone {
        sums: Box<PartialSums>,
        h: G1Projective,
    },
    /// Failed or finished.
    Spent,
}

/// One proof in progress on the main worker. Holds the witness and the
/// blinding scalars `r`, `s`: its `Debug` shows neither. Not `Send` (the
/// first proof's constraint system is reference-counted): one worker, one
/// job.
pub struct ProofJob {
    key_fingerprint: [u8; 32],
    share: Share,
    task_digest: [u8; 32],
    public: PublicInputs,
    epoch: u64,
    presented: PresentedMode,
    blinding: Blinding,
    stage: Stage,
}

impl core::fmt::Debug for ProofJob {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let stage = match self.stage {
            Stage::Synthesized { .. } => "synthesized",
            Stage::MainDone { .. } => "main done",
            Stage::Spent => "spent",
        };
        f.debug_struct("ProofJob")
            .field("key", &short_fingerprint(&self.key_fingerprint))
            .field("share", &self.share)
            .field("stage", &stage)
            .finish_non_exhaustive()
    }
}

impl ProofJob {
    /// Start a proof: the native statement check and the registry material
    /// ([`crate::holder::v2::prepare`]), `r` and `s` from `rng`, then
    /// circuit synthesis. Returns the job and the helper's task. A
    /// credential that is not green is [`ProveError::StatementV2`], as in
    /// [`crate::holder::v2::prove_with_rng`]. As there, a seeded `rng` is for
    /// tests and benchmarks only (docs/security.md, item 82).
    #[allow(clippy::too_many_arguments)]
    pub fn begin<R: RngCore + CryptoRng>(
        key: &MainKey,
        credential: &Credential,
        secret: &HolderSecret,
        policy: &StatusPolicy,
        registries: &[Registry],
        roots: &AcceptedRoots,
        presentation: &Presentation,
        rng: &mut R,
    ) -> Result<(Self, HelperTask), SplitError> {
        let Prepared {
            public,
            witness,
            epoch,
            presented,
        } = prepare(credential, secret, policy, registries, roots, presentation)?;
        // As groth16::prove: a key for another QAP reduction is refused
        // before the rng is touched.
        groth16::check_reduction(key.qap).map_err(ProveError::from)?;
        // Groth16::prove draws r, then s, before synthesis.
        let blinding = Blinding::draw(rng);
        let circuit = StatusCircuit::new(&public, witness);
        // The values only, once the key holds the matrices (the first proof
        // with the key synthesises the constraints too, and `run_main`
        // builds the matrices from them). Neither checks the witness
        // against the constraints: `prepare` checked the statement
        // natively above, and `finish` verifies the proof.
        let synthesis =
            groth16::synthesize_for(key.matrix_cache(), circuit).map_err(ProveError::from)?;
        let assignment = synthesis.values().assignment();
        if assignment.len() != key.shape.assignment {
            return Err(SplitError::AssignmentLength {
                expected: key.shape.assignment,
                got: assignment.len(),
            });
        }
        let task = HelperTask::new(key.share, key.fingerprint, assignment.clone());
        let job = Self {
            key_fingerprint: key.fingerprint,
            share: key.share,
            task_digest: task.digest,
            public,
            epoch,
            presented,
            blinding,
            stage: Stage::Synthesized {
                synthesis,
                assignment,
            },
        };
        Ok((job, task))
    }

    /// The main worker's share of the work, to run while the helper computes
    /// its part: inline the linear combinations, the R1CS-to-QAP witness map
    /// (`H`'s scalars), the `H` MSM and the MSMs not in the helper's share.
    /// [`ProofJob::finish`] runs it if it has not run.
    pub fn run_main(&mut self, key: &MainKey) -> Result<(), SplitError> {
        key.check_fingerprint(&self.key_fingerprint)?;
        if matches!(self.stage, Stage::MainDone { .. }) {
            return Ok(());
        }
        let Stage::Synthesized {
            synthesis,
            assignment,
        } = core::mem::replace(&mut self.stage, Stage::Spent)
        else {
            return Err(SplitError::Spent);
        };
        // groth16::prove's phases, on this worker: the key's matrices
        // (built and cached on its first proof), the witness map, H, and
        // the MSMs not in the helper's share.
        let (matrices, values) = synthesis
            .matrices(key.matrix_cache(), &key.key_shape())
            .map_err(ProveError::from)?;
        let h = groth16::witness_map(matrices.as_ark(), &values).map_err(ProveError::from)?;
        drop(values);
        // One value per domain point, and the key's h query one point per
        // domain point (snarkjs's reduction; `begin` refused any other).
        if h.len() != key.shape.h {
            return Err(SplitError::WitnessMapLength {
                coefficients: h.len(),
                h_points: key.shape.h,
            });
        }
        let h_acc = key.queries.h_sum(&groth16::h_scalars(&h))?;
        let main_msms = Msm::ALL.into_iter().filter(|m| !self.share.contains(*m));
        let sums = key.queries.sums(main_msms, key.shape, &assignment)?;
        self.stage = Stage::MainDone {
            sums: Box::new(sums),
            h: h_acc,
        };
        Ok(())
    }

    /// Add the helper's part, blind, and check the proof against the key's
    /// verifying key.
    ///
    /// A part for another task (another assignment), another share, or a
    /// job made with another key is refused and the job left as it was, so
    /// a stray message does not cost the proof. Otherwise the job is spent,
    /// whatever the outcome: a part with wrong points fails the self-check
    /// ([`ProveError::SelfCheck`]), and `r`, `s` are never used for a
    /// second proof. Runs [`ProofJob::run_main`] first if it has not run.
    pub fn finish(&mut self, key: &MainKey, part: &HelperPart) -> Result<PayloadV2, SplitError> {
        key.check_fingerprint(&self.key_fingerprint)?;
        if part.share != self.share {
            return Err(SplitError::ShareMismatch {
                expected: self.share,
                got: part.share,
            });
        }
        if part.task_digest != self.task_digest {
            return Err(SplitError::WrongTask);
        }
        self.run_main(key)?;
        let Stage::MainDone { sums, h } = core::mem::replace(&mut self.stage, Stage::Spent) else {
            return Err(SplitError::Spent);
        };
        let missing = |m: Msm| SplitError::MissingMsm(m.name());
        let sums = Sums {
            a: sums.a.or(part.a.map(Into::into)).ok_or(missing(Msm::A))?,
            b_g1: sums
                .b_g1
                .or(part.b_g1.map(Into::into))
                .ok_or(missing(Msm::BG1))?,
            b_g2: sums
                .b_g2
                .or(part.b_g2.map(Into::into))
                .ok_or(missing(Msm::BG2))?,
            h,
            l: sums.l.or(part.l.map(Into::into)).ok_or(missing(Msm::L))?,
        };
        let proof = groth16::assemble(&key.bases, &sums, &self.blinding);
        // A proof that fails here would be rejected at the gate; say so now.
        if !key
            .prepared()
            .verify(&self.public.to_field_elements(), &proof)
        {
            return Err(ProveError::SelfCheck.into());
        }
        Ok(PayloadV2 {
            epoch: self.epoch,
            now: self.public.now,
            mode: self.presented,
            proof,
        })
    }
}
