//! Each worker's part of the proving key ([`MainKey`], [`HelperKey`]): the
//! queries of its MSMs only, decoded from the pinned key file, and the MSMs
//! themselves (by [`crate::groth16`]'s functions).

use super::{HelperPart, HelperTask, Msm, Share, SplitError};
use crate::groth16::{self, Bases, BigInt, KeyShape, MatrixCache};
use crate::holder::ProveError;
use crate::keys::{pk_file_fingerprint, KeyError, KeyFile, ProvingKeyV2, Queries};
use ark_bn254::{G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::CurveGroup;
use zkstatus_circuits::statement::v2::N_PUBLIC_INPUTS;
use zkstatus_verifier::groth16::{
    distinct_fingerprints, PreparedVerifyingKeyV2, VerifyingKeyV2, V2_BASES,
};
use zkstatus_verifier::v2::keyfile::QapReduction;

/// The queries of a proving key that a worker holds; the others are `None`.
#[derive(Clone)]
pub(super) struct QuerySet {
    pub(super) a: Option<Vec<G1Affine>>,
    pub(super) b_g1: Option<Vec<G1Affine>>,
    pub(super) b_g2: Option<Vec<G2Affine>>,
    pub(super) h: Option<Vec<G1Affine>>,
    pub(super) l: Option<Vec<G1Affine>>,
}

/// The MSMs of the share one worker computed (`None`: the other worker's).
#[derive(Clone, Copy, Default)]
pub(super) struct PartialSums {
    pub(super) a: Option<G1Projective>,
    pub(super) b_g1: Option<G1Projective>,
    pub(super) b_g2: Option<G2Projective>,
    pub(super) l: Option<G1Projective>,
}

/// Key-file facts both workers check and share.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shape {
    /// Assignment length: inputs without the constant, plus the witness.
    pub(super) assignment: usize,
    /// Witness length (`l_query`).
    pub(super) witness: usize,
    /// `h_query` length (the evaluation domain).
    pub(super) h: usize,
}

pub(super) fn shape(counts: [usize; 5]) -> Result<Shape, KeyError> {
    let [a, b_g1, b_g2, h, l] = counts;
    let inputs = N_PUBLIC_INPUTS + 1;
    if a == 0 || b_g1 != a || b_g2 != a || inputs.checked_add(l) != Some(a) || h == 0 {
        return Err(KeyError::InconsistentQueries {
            a,
            b_g1,
            b_g2,
            h,
            l,
            inputs,
        });
    }
    Ok(Shape {
        assignment: a - 1,
        witness: l,
        h,
    })
}

impl QuerySet {
    fn from_file(f: KeyFile<V2_BASES>, wanted: Queries) -> Self {
        Self {
            a: wanted.a.then_some(f.a_query),
            b_g1: wanted.b_g1.then_some(f.b_g1_query),
            b_g2: wanted.b_g2.then_some(f.b_g2_query),
            h: wanted.h.then_some(f.h_query),
            l: wanted.l.then_some(f.l_query),
        }
    }

    /// The MSMs of `msms` over `assignment` (length checked against `shape`
    /// by the caller), each by its [`groth16`] function. An MSM whose query
    /// this set lacks is [`SplitError::MissingQuery`]; key loading makes
    /// that impossible.
    pub(super) fn sums(
        &self,
        msms: impl Iterator<Item = Msm>,
        shape: Shape,
        assignment: &[BigInt],
    ) -> Result<PartialSums, SplitError> {
        let mut sums = PartialSums::default();
        for m in msms {
            let missing = SplitError::MissingQuery(m.name());
            match m {
                Msm::A => {
                    let q = self.a.as_deref().ok_or(missing)?;
                    sums.a = Some(groth16::a_msm(q, assignment).map_err(ProveError::from)?);
                }
                Msm::BG1 => {
                    let q = self.b_g1.as_deref().ok_or(missing)?;
                    sums.b_g1 = Some(groth16::b_g1_msm(q, assignment).map_err(ProveError::from)?);
                }
                Msm::BG2 => {
                    let q = self.b_g2.as_deref().ok_or(missing)?;
                    sums.b_g2 = Some(groth16::b_g2_msm(q, assignment).map_err(ProveError::from)?);
                }
                Msm::L => {
                    let q = self.l.as_deref().ok_or(missing)?;
                    let witness = assignment.get(shape.assignment - shape.witness..).ok_or(
                        SplitError::AssignmentLength {
                            expected: shape.assignment,
                            got: assignment.len(),
                        },
                    )?;
                    sums.l = Some(groth16::l_msm(q, witness));
                }
            }
        }
        Ok(sums)
    }

    /// The `H` MSM over the witness map's scalars (the main worker's).
    pub(super) fn h_sum(&self, h: &[BigInt]) -> Result<G1Projective, SplitError> {
        let q = self.h.as_deref().ok_or(SplitError::MissingQuery("h"))?;
        Ok(groth16::h_msm(q, h))
    }
}

/// The main worker's part of a proving key: everything but the helper's
/// queries (the verifying key, `β₁`, `δ₁`, `H`, and the queries of the MSMs
/// not in the share), with the verifying key prepared for the self-check.
#[derive(Clone)]
pub struct MainKey {
    pub(super) fingerprint: [u8; 32],
    pub(super) share: Share,
    pub(super) shape: Shape,
    /// Declared counts of `a`, `b_g1`, `b_g2`, `h`, `l` (for the fast form).
    pub(super) counts: [usize; 5],
    pub(super) vk: VerifyingKeyV2,
    /// Prepared on first use ([`MainKey::prepared`]): one pairing, kept off
    /// the key's load.
    pub(super) pvk: std::sync::OnceLock<PreparedVerifyingKeyV2>,
    /// The circuit's constraint matrices, built by the first proof with
    /// this key and kept for the next ones (the worker keeps the key across
    /// proofs): later proofs synthesise the witness only.
    pub(super) matrices: MatrixCache,
    pub(super) bases: Bases,
    pub(super) queries: QuerySet,
    /// The file's QAP reduction: [`ProofJob::begin`](super::ProofJob::begin)
    /// refuses any but snarkjs's.
    pub(super) qap: QapReduction,
}

impl core::fmt::Debug for MainKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MainKey")
            .field("fingerprint", &hex::encode(self.fingerprint))
            .field("vk", &self.vk.short_fingerprint())
            .field("share", &self.share)
            .finish()
    }
}

pub(super) fn main_queries(share: Share) -> Queries {
    Queries {
        a: !share.contains(Msm::A),
        b_g1: !share.contains(Msm::BG1),
        b_g2: !share.contains(Msm::BG2),
        h: true,
        l: !share.contains(Msm::L),
    }
}

pub(super) fn helper_queries(share: Share) -> Queries {
    Queries {
        a: share.contains(Msm::A),
        b_g1: share.contains(Msm::BG1),
        b_g2: share.contains(Msm::BG2),
        h: false,
        l: share.contains(Msm::L),
    }
}

fn key_file_of(pk: &ProvingKeyV2) -> KeyFile<V2_BASES> {
    let k = pk.as_ark();
    KeyFile {
        vk: pk.verifying_key(),
        qap: pk.qap_reduction(),
        beta_g1: k.beta_g1,
        delta_g1: k.delta_g1,
        counts: [
            k.a_query.len(),
            k.b_g1_query.len(),
            k.b_g2_query.len(),
            k.h_query.len(),
            k.l_query.len(),
        ],
        a_query: k.a_query.clone(),
        b_g1_query: k.b_g1_query.clone(),
        b_g2_query: k.b_g2_query.clone(),
        h_query: k.h_query.clone(),
        l_query: k.l_query.clone(),
    }
}

impl MainKey {
    /// Load the main worker's part of the proving-key file whose SHA-256
    /// must be `pin` (checked first, as in
    /// [`crate::keys::ProvingKeyOf::from_pinned_file`]). The header, the verifying key and
    /// the exact length are checked in full and the query sizes against each
    /// other; the points of the helper's queries are skipped, not decoded
    /// (for the default share that is the whole G2 query, most of the cost
    /// of loading).
    pub fn from_pinned_file(bytes: &[u8], pin: &[u8; 32], share: Share) -> Result<Self, KeyError> {
        let wanted = main_queries(share);
        let f = crate::keys::parse_pinned_file(bytes, pin, wanted)?;
        Self::new(f, *pin, share, wanted)
    }

    /// The main part of an in-memory key (native tools and tests).
    pub fn from_proving_key(pk: &ProvingKeyV2, share: Share) -> Result<Self, KeyError> {
        let fingerprint = pk_file_fingerprint(&pk.to_file());
        Self::new(key_file_of(pk), fingerprint, share, main_queries(share))
    }

    fn new(
        f: KeyFile<V2_BASES>,
        fingerprint: [u8; 32],
        share: Share,
        wanted: Queries,
    ) -> Result<Self, KeyError> {
        let shape = shape(f.counts)?;
        Ok(Self {
            fingerprint,
            share,
            shape,
            counts: f.counts,
            qap: f.qap,
            pvk: std::sync::OnceLock::new(),
            matrices: MatrixCache::new(),
            bases: Bases::new(&f.vk, f.beta_g1, f.delta_g1),
            vk: f.vk.clone(),
            queries: QuerySet::from_file(f, wanted),
        })
    }

    /// The key file's fingerprint (SHA-256), equal to the pin.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// The verifying key inside.
    pub fn verifying_key(&self) -> &VerifyingKeyV2 {
        &self.vk
    }

    /// The QAP reduction the key file names (its `h` query's).
    pub fn qap_reduction(&self) -> QapReduction {
        self.qap
    }

    /// The verifying key prepared for the self-check (one pairing, computed
    /// on the first call: a page calls it once the key is loaded, while the
    /// holder is not yet proving).
    pub fn prepared(&self) -> &PreparedVerifyingKeyV2 {
        self.pvk.get_or_init(|| self.vk.prepare())
    }

    /// What the helper computes for proofs made with this key.
    pub fn share(&self) -> Share {
        self.share
    }

    /// The constraint matrices, once the first proof with this key has
    /// built them.
    pub fn matrix_cache(&self) -> &MatrixCache {
        &self.matrices
    }

    /// The sizes the circuit's constraint matrices must have
    /// ([`groth16::Matrices::new`]).
    pub fn key_shape(&self) -> KeyShape {
        KeyShape {
            inputs: N_PUBLIC_INPUTS + 1,
            witness: self.shape.witness,
            variables: self.shape.assignment + 1,
            domain: self.shape.h,
        }
    }

    pub(super) fn check_fingerprint(&self, made_with: &[u8; 32]) -> Result<(), SplitError> {
        if made_with != &self.fingerprint {
            let (made_with, this) = distinct_fingerprints(made_with, &self.fingerprint);
            return Err(SplitError::KeyMismatch { made_with, this });
        }
        Ok(())
    }
}

/// The helper worker's part of a proving key: only the queries of its share
/// (for the default share, `B` in G2 and `L`).
#[derive(Clone)]
pub struct HelperKey {
    pub(super) fingerprint: [u8; 32],
    pub(super) share: Share,
    pub(super) shape: Shape,
    /// Declared counts of `a`, `b_g1`, `b_g2`, `h`, `l` (for the fast form).
    pub(super) counts: [usize; 5],
    /// The file's QAP reduction (for the fast form).
    pub(super) qap: QapReduction,
    pub(super) queries: QuerySet,
}

impl core::fmt::Debug for HelperKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HelperKey")
            .field("fingerprint", &hex::encode(self.fingerprint))
            .field("share", &self.share)
            .finish()
    }
}

impl HelperKey {
    /// Load the helper's queries from the proving-key file whose SHA-256
    /// must be `pin` (checked first). The header and the exact length are
    /// checked in full; only the share's queries are decoded.
    pub fn from_pinned_file(bytes: &[u8], pin: &[u8; 32], share: Share) -> Result<Self, KeyError> {
        let wanted = helper_queries(share);
        let f = crate::keys::parse_pinned_file(bytes, pin, wanted)?;
        Self::new(f, *pin, share, wanted)
    }

    /// The helper part of an in-memory key (native tools and tests).
    pub fn from_proving_key(pk: &ProvingKeyV2, share: Share) -> Result<Self, KeyError> {
        let fingerprint = pk_file_fingerprint(&pk.to_file());
        Self::new(key_file_of(pk), fingerprint, share, helper_queries(share))
    }

    fn new(
        f: KeyFile<V2_BASES>,
        fingerprint: [u8; 32],
        share: Share,
        wanted: Queries,
    ) -> Result<Self, KeyError> {
        Ok(Self {
            fingerprint,
            share,
            shape: shape(f.counts)?,
            counts: f.counts,
            qap: f.qap,
            queries: QuerySet::from_file(f, wanted),
        })
    }

    /// The key file's fingerprint (SHA-256), equal to the pin.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// What this helper computes.
    pub fn share(&self) -> Share {
        self.share
    }

    /// The helper's MSMs over the task's assignment. Refuses a task made
    /// with another key or for another share.
    pub fn compute(&self, task: &HelperTask) -> Result<HelperPart, SplitError> {
        if task.key_fingerprint != self.fingerprint {
            let (made_with, this) = distinct_fingerprints(&task.key_fingerprint, &self.fingerprint);
            return Err(SplitError::KeyMismatch { made_with, this });
        }
        if task.share != self.share {
            return Err(SplitError::ShareMismatch {
                expected: self.share,
                got: task.share,
            });
        }
        if task.assignment.len() != self.shape.assignment {
            return Err(SplitError::AssignmentLength {
                expected: self.shape.assignment,
                got: task.assignment.len(),
            });
        }
        let sums = self
            .queries
            .sums(self.share.msms(), self.shape, &task.assignment)?;
        Ok(HelperPart {
            share: self.share,
            task_digest: task.digest,
            a: sums.a.map(|p| p.into_affine()),
            b_g1: sums.b_g1.map(|p| p.into_affine()),
            b_g2: sums.b_g2.map(|p| p.into_affine()),
            l: sums.l.map(|p| p.into_affine()),
        })
    }
}

/// Compute a part from task bytes and encode it: what the helper worker
/// runs per proof.
pub fn helper_part_bytes(key: &HelperKey, task: &[u8]) -> Result<Vec<u8>, SplitError> {
    Ok(key.compute(&HelperTask::from_bytes(task)?)?.to_bytes())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn each_worker_decodes_only_its_own_queries() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let (pk, _) = crate::keys::setup_v2_with_rng(&mut rng).unwrap_or_else(|e| panic!("{e}"));
        let file = pk.to_file();
        let pin = pk_file_fingerprint(&file);
        let held = |q: &QuerySet| {
            [
                q.a.is_some(),
                q.b_g1.is_some(),
                q.b_g2.is_some(),
                q.h.is_some(),
                q.l.is_some(),
            ]
        };
        let main = MainKey::from_pinned_file(&file, &pin, Share::DEFAULT);
        let main = main.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(held(&main.queries), [true, false, false, true, false]);
        let helper = HelperKey::from_pinned_file(&file, &pin, Share::DEFAULT);
        let helper = helper.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(held(&helper.queries), [false, true, true, false, true]);
        let all = Share::of(&Msm::ALL).unwrap_or(Share::DEFAULT);
        let main = MainKey::from_pinned_file(&file, &pin, all).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(held(&main.queries), [false, false, false, true, false]);
        // What is held is what the file holds.
        let k = pk.as_ark();
        assert_eq!(helper.queries.b_g2.as_deref(), Some(&k.b_g2_query[..]));
        assert_eq!(main.queries.h.as_deref(), Some(&k.h_query[..]));
    }
}
