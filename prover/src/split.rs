//! Split proving: one Groth16 proof computed by two workers that share no
//! memory (two Web Workers, each with its own WebAssembly instance).
//!
//! A Groth16 proof is five multi-scalar multiplications (MSMs) over the
//! proving key's queries plus a little glue. Four of them (`A`, `B` in G1,
//! `B` in G2, `L`) need only the circuit's assignment, known as soon as the
//! circuit is synthesised; the fifth (`H`) needs the quotient polynomial,
//! known only after the R1CS-to-QAP witness map (seven FFTs). So:
//!
//! 1. **main**: [`ProofJob::begin`] checks the statement natively (exactly as
//!    [`crate::holder::prove_with_rng`] does, so a credential that is not
//!    green gives the same [`StatementError`](zkstatus_circuits::statement::StatementError)),
//!    draws `r` and `s` from the rng (as `Groth16::prove` does, so a seeded
//!    rng gives the same proof), synthesises the circuit and returns the job
//!    with a [`HelperTask`]: the assignment, for the MSMs of the helper's
//!    [`Share`].
//! 2. **helper**: [`HelperKey::compute`] turns the task into a [`HelperPart`]
//!    (one point per MSM of its share), with a key that holds only the
//!    queries of its share ([`HelperKey::from_pinned_file`]); by default
//!    ([`Share::DEFAULT`]) `B` in G1 and G2 and `L`.
//! 3. **main**, meanwhile: [`ProofJob::run_main`] finalises the constraint
//!    system, runs the witness map and the remaining MSMs.
//! 4. **main**: [`ProofJob::finish`] adds the helper's points, blinds with
//!    `r` and `s`, and verifies the proof under the key's own verifying key
//!    (the self-check of [`crate::holder::prove`]) before returning the
//!    [`Payload`].
//!
//! The helper never sees `r` or `s`; its part is a function of the witness
//! alone, so a task and a part are as secret as the witness: they stay on
//! the device (between two workers of one page), their `Debug` shows no
//! content, and no error quotes them.
//!
//! **Binding.** A task names the proving key it was made for (the SHA-256 of
//! the key file: a helper with another key refuses it) and a part carries
//! the SHA-256 of the task it answers, so a part from another proof is
//! refused. A part whose points are valid but wrong (a corrupted or
//! malicious helper) makes the self-check fail: [`ProofJob::finish`] never
//! returns a payload that does not verify.
//!
//! **Encodings** (little-endian; all lengths exact):
//!
//! - task: `ZKHT`, version `1`, share byte, the key file's SHA-256 (32
//!   bytes), `n` (`u32`), then `n` scalars of 32 bytes, each canonical
//!   (`< r`); `n` must be the key's assignment length.
//! - part: `ZKHP`, version `1`, share byte, the task's SHA-256 (32 bytes),
//!   then one compressed point per MSM of the share, in the order `A` (G1,
//!   32 bytes), `B` in G1 (32), `B` in G2 (64), `L` (32); each on its curve,
//!   in the prime-order subgroup and canonically encoded.
//!
//! What a split proof equals: with the same rng, the same payload, byte for
//! byte, as [`crate::holder::prove_with_rng`] (the MSMs are sums in a group;
//! the order of the additions does not change the affine result).

use crate::credential::Credential;
use crate::holder::{public_inputs, ProveError};
use crate::keys::{pk_file_fingerprint, KeyError, KeyFile, ProvingKey, Queries, MAX_QUERY_POINTS};
use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, PrimeField, UniformRand, Zero};
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_poly::GeneralEvaluationDomain;
use ark_relations::r1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal,
};
use ark_serialize::CanonicalSerialize;
use ark_std::rand::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use zkstatus_circuits::record::HolderSecret;
use zkstatus_circuits::statement::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::N_PUBLIC_INPUTS;
use zkstatus_circuits::statement::{check_statement, Challenge, PublicInputs, StatusPolicy};
use zkstatus_verifier::groth16::{
    decode_point, short_fingerprint, PreparedVerifyingKey, Proof, VerifyingKey, G1_BYTES, G2_BYTES,
};
use zkstatus_verifier::payload::Payload;

type BigInt = <Fr as PrimeField>::BigInt;

/// Magic bytes of a helper task.
pub const TASK_MAGIC: [u8; 4] = *b"ZKHT";
/// Version of the helper-task encoding.
pub const TASK_VERSION: u8 = 1;
/// Magic bytes of a helper part.
pub const PART_MAGIC: [u8; 4] = *b"ZKHP";
/// Version of the helper-part encoding.
pub const PART_VERSION: u8 = 1;
/// Bytes of one scalar in a task.
pub const SCALAR_BYTES: usize = 32;
const TASK_HEADER_BYTES: usize = 4 + 1 + 1 + 32 + 4;
const PART_HEADER_BYTES: usize = 4 + 1 + 1 + 32;

/// One of the multi-scalar multiplications a helper can take (the fifth,
/// `H`, needs the witness map's output and stays with the main worker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Msm {
    /// `A = a₀ + Σ aᵢ·zᵢ` (G1).
    A,
    /// `B = b₀ + Σ bᵢ·zᵢ` in G1.
    BG1,
    /// `B = b₀ + Σ bᵢ·zᵢ` in G2: the most expensive one.
    BG2,
    /// `L = Σ lᵢ·wᵢ` over the witness part of the assignment (G1).
    L,
}

impl Msm {
    /// All four, in their encoding order.
    pub const ALL: [Msm; 4] = [Msm::A, Msm::BG1, Msm::BG2, Msm::L];

    const fn bit(self) -> u8 {
        match self {
            Msm::A => 1,
            Msm::BG1 => 2,
            Msm::BG2 => 4,
            Msm::L => 8,
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Msm::A => "a",
            Msm::BG1 => "b_g1",
            Msm::BG2 => "b_g2",
            Msm::L => "l",
        }
    }

    const fn point_bytes(self) -> usize {
        match self {
            Msm::BG2 => G2_BYTES,
            _ => G1_BYTES,
        }
    }
}

/// Which MSMs the helper computes: a non-empty subset of
/// `{A, B in G1, B in G2, L}`; the main worker computes the others and `H`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share(u8);

impl Share {
    /// The split this build uses (measured in WebAssembly on two cores:
    /// holder-wasm/README.md): the helper takes `B` in G1 and G2 and `L`;
    /// the main worker the witness map, `H` and `A`.
    pub const DEFAULT: Share = Share(Msm::BG1.bit() | Msm::BG2.bit() | Msm::L.bit());

    /// The share of these MSMs; `None` if empty.
    pub fn of(msms: &[Msm]) -> Option<Share> {
        Share::from_bits(msms.iter().fold(0, |b, m| b | m.bit()))
    }

    /// The share whose encoding byte is `bits` (bit 0 `A`, 1 `B` in G1, 2 `B`
    /// in G2, 3 `L`); `None` if empty or with unknown bits.
    pub fn from_bits(bits: u8) -> Option<Share> {
        (bits != 0 && bits & !0x0f == 0).then_some(Share(bits))
    }

    /// The encoding byte.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether the helper computes `m`.
    pub fn contains(self, m: Msm) -> bool {
        self.0 & m.bit() != 0
    }

    /// The helper's MSMs, in encoding order.
    pub fn msms(self) -> impl Iterator<Item = Msm> {
        Msm::ALL.into_iter().filter(move |m| self.contains(*m))
    }

    fn part_len(self) -> usize {
        PART_HEADER_BYTES + self.msms().map(Msm::point_bytes).sum::<usize>()
    }
}

impl core::fmt::Display for Share {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<&str> = self.msms().map(Msm::name).collect();
        f.write_str(&names.join("+"))
    }
}

impl core::fmt::Debug for Share {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Share({self})")
    }
}

/// Why a task or a part could not be decoded. Positions and sizes only:
/// never the content (it is derived from the witness).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not the magic bytes of this kind of data.
    #[error("bad magic bytes")]
    Magic,
    /// A version this build cannot read.
    #[error("version {0} (this build reads {1})")]
    Version(u8, u8),
    /// The share byte names no share.
    #[error("unknown share byte {0:#04x}")]
    Share(u8),
    /// The scalar count is above [`MAX_QUERY_POINTS`].
    #[error("declares {0} scalars (at most {MAX_QUERY_POINTS})")]
    TooManyScalars(u32),
    /// The length is not the one the header implies.
    #[error("{got} bytes, expected {expected}")]
    Length {
        /// The implied length.
        expected: usize,
        /// The actual length.
        got: usize,
    },
    /// A scalar is not below the group order `r`.
    #[error("scalar {0} is not canonical (not below the group order r)")]
    NonCanonicalScalar(usize),
    /// A point is off its curve, outside the prime-order subgroup, or not
    /// canonically encoded.
    #[error("invalid point ({0})")]
    InvalidPoint(&'static str),
}

/// Why a split proof could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SplitError {
    /// As in [`crate::holder::prove`]: the statement does not hold (a
    /// [`ProveError::Statement`]), the prover failed, or the proof did not
    /// verify under the key's verifying key (a [`ProveError::SelfCheck`]).
    #[error(transparent)]
    Prove(#[from] ProveError),
    /// The proving-key file was refused.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Bytes that are not a helper task.
    #[error("helper task: {0}")]
    Task(DecodeError),
    /// Bytes that are not a helper part.
    #[error("helper part: {0}")]
    Part(DecodeError),
    /// The task or job was made with another proving key than this key.
    #[error("made with proving key {made_with}, but this key is {this} (the workers loaded different keys)")]
    KeyMismatch {
        /// Short fingerprint of the key file the task or job names.
        made_with: String,
        /// Short fingerprint of this key's file.
        this: String,
    },
    /// The key was loaded for another share than the task's or part's.
    #[error("share mismatch: expected the helper to compute {expected}, got {got}")]
    ShareMismatch {
        /// The share of the key or job.
        expected: Share,
        /// The share of the task or part.
        got: Share,
    },
    /// The part answers another task (another proof).
    #[error("helper part answers another task, not this proof's: refused")]
    WrongTask,
    /// The assignment's length is not the key's.
    #[error("the assignment has {got} scalars, the proving key expects {expected}")]
    AssignmentLength {
        /// What the key's queries need.
        expected: usize,
        /// What the task holds.
        got: usize,
    },
    /// [`ProofJob::finish`] or [`ProofJob::run_main`] after the job failed
    /// or was finished.
    #[error("this proof job already failed or finished")]
    Spent,
}

/// The queries of a proving key that a worker holds; the others are `None`.
#[derive(Clone)]
struct QuerySet {
    a: Option<Vec<G1Affine>>,
    b_g1: Option<Vec<G1Affine>>,
    b_g2: Option<Vec<G2Affine>>,
    h: Option<Vec<G1Affine>>,
    l: Option<Vec<G1Affine>>,
}

/// The MSM results one worker computed (`None`: the other worker's).
#[derive(Clone, Copy, Default)]
struct Sums {
    a: Option<G1Projective>,
    b_g1: Option<G1Projective>,
    b_g2: Option<G2Projective>,
    l: Option<G1Projective>,
}

/// Key-file facts both workers check and share.
#[derive(Clone, Copy)]
struct Shape {
    /// Assignment length: inputs without the constant, plus the witness.
    assignment: usize,
    /// Witness length (`l_query`).
    witness: usize,
    /// `h_query` length (the evaluation domain).
    h: usize,
}

fn shape(counts: [usize; 5]) -> Result<Shape, KeyError> {
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
    fn from_file(f: KeyFile, wanted: Queries) -> Self {
        Self {
            a: wanted.a.then_some(f.a_query),
            b_g1: wanted.b_g1.then_some(f.b_g1_query),
            b_g2: wanted.b_g2.then_some(f.b_g2_query),
            h: wanted.h.then_some(f.h_query),
            l: wanted.l.then_some(f.l_query),
        }
    }

    /// The MSMs of `msms` over `assignment` (length checked against `shape`
    /// by the caller). An MSM whose query this set lacks is a shape error;
    /// key loading makes that impossible.
    fn sums(
        &self,
        msms: impl Iterator<Item = Msm>,
        shape: Shape,
        assignment: &[BigInt],
    ) -> Result<Sums, SplitError> {
        let missing = |m: Msm| ProveError::Prover(format!("no {} query in this key", m.name()));
        let mut sums = Sums::default();
        for m in msms {
            match m {
                Msm::A => {
                    let q = self.a.as_deref().ok_or_else(|| missing(m))?;
                    sums.a = Some(first_plus_msm(q, assignment).ok_or_else(|| missing(m))?);
                }
                Msm::BG1 => {
                    let q = self.b_g1.as_deref().ok_or_else(|| missing(m))?;
                    sums.b_g1 = Some(first_plus_msm(q, assignment).ok_or_else(|| missing(m))?);
                }
                Msm::BG2 => {
                    let q = self.b_g2.as_deref().ok_or_else(|| missing(m))?;
                    sums.b_g2 = Some(first_plus_msm(q, assignment).ok_or_else(|| missing(m))?);
                }
                Msm::L => {
                    let q = self.l.as_deref().ok_or_else(|| missing(m))?;
                    let witness = assignment
                        .get(shape.assignment - shape.witness..)
                        .ok_or_else(|| missing(m))?;
                    sums.l = Some(G1Projective::msm_bigint(q, witness));
                }
            }
        }
        Ok(sums)
    }
}

/// `query[0] + Σ query[i+1]·assignment[i]`: ark-groth16's `calculate_coeff`
/// without the blinding and the verifying-key term. `None` if empty.
fn first_plus_msm<G: AffineRepr<ScalarField = Fr>>(
    query: &[G],
    assignment: &[BigInt],
) -> Option<G::Group>
where
    G::Group: VariableBaseMSM<MulBase = G>,
{
    let (first, rest) = query.split_first()?;
    Some(*first + G::Group::msm_bigint(rest, assignment))
}

/// The main worker's part of a proving key: everything but the helper's
/// queries (the verifying key, `β₁`, `δ₁`, `H`, and the queries of the MSMs
/// not in the share), with the verifying key prepared for the self-check.
#[derive(Clone)]
pub struct MainKey {
    fingerprint: [u8; 32],
    share: Share,
    shape: Shape,
    vk: VerifyingKey,
    pvk: PreparedVerifyingKey,
    beta_g1: G1Affine,
    delta_g1: G1Affine,
    queries: QuerySet,
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

fn main_queries(share: Share) -> Queries {
    Queries {
        a: !share.contains(Msm::A),
        b_g1: !share.contains(Msm::BG1),
        b_g2: !share.contains(Msm::BG2),
        h: true,
        l: !share.contains(Msm::L),
    }
}

fn helper_queries(share: Share) -> Queries {
    Queries {
        a: share.contains(Msm::A),
        b_g1: share.contains(Msm::BG1),
        b_g2: share.contains(Msm::BG2),
        h: false,
        l: share.contains(Msm::L),
    }
}

fn key_file_of(pk: &ProvingKey) -> KeyFile {
    let k = pk.as_ark();
    KeyFile {
        vk: pk.verifying_key(),
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
    /// [`ProvingKey::from_pinned_file`]). The header, the verifying key and
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
    pub fn from_proving_key(pk: &ProvingKey, share: Share) -> Result<Self, KeyError> {
        let fingerprint = pk_file_fingerprint(&pk.to_file());
        Self::new(key_file_of(pk), fingerprint, share, main_queries(share))
    }

    fn new(
        f: KeyFile,
        fingerprint: [u8; 32],
        share: Share,
        wanted: Queries,
    ) -> Result<Self, KeyError> {
        let shape = shape(f.counts)?;
        Ok(Self {
            fingerprint,
            share,
            shape,
            pvk: f.vk.prepare(),
            vk: f.vk.clone(),
            beta_g1: f.beta_g1,
            delta_g1: f.delta_g1,
            queries: QuerySet::from_file(f, wanted),
        })
    }

    /// The key file's fingerprint (SHA-256), equal to the pin.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// The verifying key inside.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.vk
    }

    /// What the helper computes for proofs made with this key.
    pub fn share(&self) -> Share {
        self.share
    }

    fn check_fingerprint(&self, made_with: &[u8; 32]) -> Result<(), SplitError> {
        if made_with != &self.fingerprint {
            return Err(SplitError::KeyMismatch {
                made_with: short_fingerprint(made_with),
                this: short_fingerprint(&self.fingerprint),
            });
        }
        Ok(())
    }
}

/// The helper worker's part of a proving key: only the queries of its share
/// (for the default share, `B` in G2 and `L`).
#[derive(Clone)]
pub struct HelperKey {
    fingerprint: [u8; 32],
    share: Share,
    shape: Shape,
    queries: QuerySet,
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
    pub fn from_proving_key(pk: &ProvingKey, share: Share) -> Result<Self, KeyError> {
        let fingerprint = pk_file_fingerprint(&pk.to_file());
        Self::new(key_file_of(pk), fingerprint, share, helper_queries(share))
    }

    fn new(
        f: KeyFile,
        fingerprint: [u8; 32],
        share: Share,
        wanted: Queries,
    ) -> Result<Self, KeyError> {
        Ok(Self {
            fingerprint,
            share,
            shape: shape(f.counts)?,
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
            return Err(SplitError::KeyMismatch {
                made_with: short_fingerprint(&task.key_fingerprint),
                this: short_fingerprint(&self.fingerprint),
            });
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

/// What the helper needs: the assignment (witness-derived: secret), the
/// share and the key it was made for.
#[derive(Clone, PartialEq, Eq)]
pub struct HelperTask {
    share: Share,
    key_fingerprint: [u8; 32],
    assignment: Vec<BigInt>,
    /// SHA-256 of the encoding.
    digest: [u8; 32],
}

impl core::fmt::Debug for HelperTask {
    /// The share, the key and the size; never the scalars.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HelperTask")
            .field("share", &self.share)
            .field("key", &short_fingerprint(&self.key_fingerprint))
            .field("scalars", &self.assignment.len())
            .finish_non_exhaustive()
    }
}

impl HelperTask {
    fn new(share: Share, key_fingerprint: [u8; 32], assignment: Vec<BigInt>) -> Self {
        let mut task = Self {
            share,
            key_fingerprint,
            assignment,
            digest: [0; 32],
        };
        task.digest = Sha256::digest(task.to_bytes()).into();
        task
    }

    /// The encoding (module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(TASK_HEADER_BYTES + SCALAR_BYTES * self.assignment.len());
        out.extend_from_slice(&TASK_MAGIC);
        out.push(TASK_VERSION);
        out.push(self.share.bits());
        out.extend_from_slice(&self.key_fingerprint);
        // At most MAX_QUERY_POINTS scalars (the key's shape), so this fits.
        out.extend_from_slice(&(self.assignment.len() as u32).to_le_bytes());
        for s in &self.assignment {
            out.extend_from_slice(&s.to_bytes_le());
        }
        out
    }

    /// Decode a task: magic, version, share, count (capped), exact length,
    /// every scalar canonical. Whether its size fits the key is checked by
    /// [`HelperKey::compute`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SplitError> {
        let err = SplitError::Task;
        if bytes.len() < TASK_HEADER_BYTES {
            return Err(err(DecodeError::Length {
                expected: TASK_HEADER_BYTES,
                got: bytes.len(),
            }));
        }
        if bytes[..4] != TASK_MAGIC {
            return Err(err(DecodeError::Magic));
        }
        if bytes[4] != TASK_VERSION {
            return Err(err(DecodeError::Version(bytes[4], TASK_VERSION)));
        }
        let share = Share::from_bits(bytes[5]).ok_or(err(DecodeError::Share(bytes[5])))?;
        let mut key_fingerprint = [0u8; 32];
        key_fingerprint.copy_from_slice(&bytes[6..38]);
        let mut n = [0u8; 4];
        n.copy_from_slice(&bytes[38..42]);
        let n = u32::from_le_bytes(n);
        if n > MAX_QUERY_POINTS {
            return Err(err(DecodeError::TooManyScalars(n)));
        }
        let expected = TASK_HEADER_BYTES + SCALAR_BYTES * n as usize;
        if bytes.len() != expected {
            return Err(err(DecodeError::Length {
                expected,
                got: bytes.len(),
            }));
        }
        let assignment = bytes[TASK_HEADER_BYTES..]
            .chunks_exact(SCALAR_BYTES)
            .enumerate()
            .map(|(i, c)| scalar(c).ok_or(err(DecodeError::NonCanonicalScalar(i))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            share,
            key_fingerprint,
            assignment,
            digest: Sha256::digest(bytes).into(),
        })
    }

    /// What the helper is to compute.
    pub fn share(&self) -> Share {
        self.share
    }
}

/// A canonical scalar (`< r`) from 32 little-endian bytes.
fn scalar(bytes: &[u8]) -> Option<BigInt> {
    let mut limbs = [0u64; 4];
    for (limb, c) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        *limb = u64::from_le_bytes(b);
    }
    let s = BigInt::new(limbs);
    Fr::from_bigint(s).map(|_| s)
}

/// The helper's answer: one point per MSM of its share (witness-derived:
/// secret), bound to its task.
#[derive(Clone, PartialEq, Eq)]
pub struct HelperPart {
    share: Share,
    task_digest: [u8; 32],
    a: Option<G1Affine>,
    b_g1: Option<G1Affine>,
    b_g2: Option<G2Affine>,
    l: Option<G1Affine>,
}

impl core::fmt::Debug for HelperPart {
    /// The share only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HelperPart")
            .field("share", &self.share)
            .finish_non_exhaustive()
    }
}

impl HelperPart {
    /// The encoding (module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.share.part_len());
        out.extend_from_slice(&PART_MAGIC);
        out.push(PART_VERSION);
        out.push(self.share.bits());
        out.extend_from_slice(&self.task_digest);
        // Writing into a Vec cannot fail.
        for p in [self.a, self.b_g1].into_iter().flatten() {
            let _ = p.serialize_compressed(&mut out);
        }
        if let Some(p) = self.b_g2 {
            let _ = p.serialize_compressed(&mut out);
        }
        if let Some(p) = self.l {
            let _ = p.serialize_compressed(&mut out);
        }
        out
    }

    /// Decode a part: magic, version, share, exact length for the share,
    /// every point validated (on its curve, in the prime-order subgroup,
    /// canonically encoded).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SplitError> {
        let err = SplitError::Part;
        if bytes.len() < PART_HEADER_BYTES {
            return Err(err(DecodeError::Length {
                expected: PART_HEADER_BYTES,
                got: bytes.len(),
            }));
        }
        if bytes[..4] != PART_MAGIC {
            return Err(err(DecodeError::Magic));
        }
        if bytes[4] != PART_VERSION {
            return Err(err(DecodeError::Version(bytes[4], PART_VERSION)));
        }
        let share = Share::from_bits(bytes[5]).ok_or(err(DecodeError::Share(bytes[5])))?;
        if bytes.len() != share.part_len() {
            return Err(err(DecodeError::Length {
                expected: share.part_len(),
                got: bytes.len(),
            }));
        }
        let mut task_digest = [0u8; 32];
        task_digest.copy_from_slice(&bytes[6..38]);
        let mut part = Self {
            share,
            task_digest,
            a: None,
            b_g1: None,
            b_g2: None,
            l: None,
        };
        let mut at = PART_HEADER_BYTES;
        for m in share.msms() {
            let chunk = &bytes[at..at + m.point_bytes()];
            at += m.point_bytes();
            let bad = |_| err(DecodeError::InvalidPoint(m.name()));
            match m {
                Msm::A => part.a = Some(decode_point(chunk, m.name()).map_err(bad)?),
                Msm::BG1 => part.b_g1 = Some(decode_point(chunk, m.name()).map_err(bad)?),
                Msm::BG2 => part.b_g2 = Some(decode_point(chunk, m.name()).map_err(bad)?),
                Msm::L => part.l = Some(decode_point(chunk, m.name()).map_err(bad)?),
            }
        }
        Ok(part)
    }

    /// What the helper computed.
    pub fn share(&self) -> Share {
        self.share
    }
}

/// Where a job is.
enum Stage {
    /// Synthesised: the constraint system (for the witness map) and the
    /// assignment (for the MSMs).
    Synthesized {
        cs: ConstraintSystemRef<Fr>,
        assignment: Vec<BigInt>,
    },
    /// The main worker's MSMs are done.
    MainDone { sums: Box<Sums>, h: G1Projective },
    /// Failed or finished.
    Spent,
}

/// One proof in progress on the main worker. Holds the witness and the
/// blinding scalars `r`, `s`: its `Debug` shows neither. Not `Send` (the
/// constraint system is reference-counted): one worker, one job.
pub struct ProofJob {
    key_fingerprint: [u8; 32],
    share: Share,
    task_digest: [u8; 32],
    public: PublicInputs,
    r: Fr,
    s: Fr,
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
    /// Start a proof: the native statement check, `r` and `s` from `rng`,
    /// then circuit synthesis. Returns the job and the helper's task. A
    /// credential that is not green is [`ProveError::Statement`], as in
    /// [`crate::holder::prove_with_rng`].
    #[allow(clippy::too_many_arguments)]
    pub fn begin<R: RngCore + CryptoRng>(
        key: &MainKey,
        credential: &Credential,
        secret: &HolderSecret,
        policy: &StatusPolicy,
        now: u64,
        challenge: &Challenge,
        rng: &mut R,
    ) -> Result<(Self, HelperTask), SplitError> {
        let public = public_inputs(credential, policy, now, challenge);
        check_statement(&public, &credential.record, secret, &credential.signature)
            .map_err(ProveError::from)?;
        // Groth16::prove draws r, then s, before synthesis.
        let r = Fr::rand(rng);
        let s = Fr::rand(rng);
        let witness = StatusWitness::new(&credential.record, secret, &credential.signature);
        let circuit = StatusCircuit::new(&public, witness);
        // As ark-groth16's create_proof_with_reduction sets it up.
        let cs = ConstraintSystem::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        circuit
            .generate_constraints(cs.clone())
            .map_err(|e| ProveError::Prover(e.to_string()))?;
        let assignment = {
            let b = cs
                .borrow()
                .ok_or_else(|| ProveError::Prover("constraint system taken".into()))?;
            let inputs = b.instance_assignment.get(1..).unwrap_or_default();
            inputs
                .iter()
                .chain(&b.witness_assignment)
                .map(|x| x.into_bigint())
                .collect::<Vec<_>>()
        };
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
            r,
            s,
            stage: Stage::Synthesized { cs, assignment },
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
        let Stage::Synthesized { cs, assignment } =
            core::mem::replace(&mut self.stage, Stage::Spent)
        else {
            return Err(SplitError::Spent);
        };
        let prover = |e: &dyn core::fmt::Display| ProveError::Prover(e.to_string());
        cs.finalize();
        let matrices = cs
            .to_matrices()
            .ok_or_else(|| prover(&"no constraint matrices"))?;
        let h = {
            let b = cs
                .borrow()
                .ok_or_else(|| prover(&"constraint system taken"))?;
            let full = [
                b.instance_assignment.as_slice(),
                b.witness_assignment.as_slice(),
            ]
            .concat();
            LibsnarkReduction::witness_map_from_matrices::<Fr, GeneralEvaluationDomain<Fr>>(
                &matrices,
                b.num_instance_variables,
                b.num_constraints,
                &full,
            )
            .map_err(|e| prover(&e))?
        };
        drop((matrices, cs));
        // The quotient has degree at most n - 2 over the domain of size n,
        // and the key's h query n - 1 points: ark-groth16's MSM pairs them
        // up to the shorter, and so does this one.
        if h.len() < key.shape.h {
            return Err(ProveError::Prover(format!(
                "the witness map has {} coefficients, fewer than the proving key's {} h points",
                h.len(),
                key.shape.h
            ))
            .into());
        }
        let h_scalars = h.iter().map(|x| x.into_bigint()).collect::<Vec<_>>();
        let h_query = key
            .queries
            .h
            .as_deref()
            .ok_or_else(|| prover(&"no h query in this key"))?;
        let h_acc = G1Projective::msm_bigint(h_query, &h_scalars);
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
    pub fn finish(&mut self, key: &MainKey, part: &HelperPart) -> Result<Payload, SplitError> {
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
        let missing = || ProveError::Prover("an MSM is missing from both parts".into());
        let a = sums.a.or(part.a.map(Into::into)).ok_or_else(missing)?;
        let b_g1 = sums
            .b_g1
            .or(part.b_g1.map(Into::into))
            .ok_or_else(missing)?;
        let b_g2 = sums
            .b_g2
            .or(part.b_g2.map(Into::into))
            .ok_or_else(missing)?;
        let l = sums.l.or(part.l.map(Into::into)).ok_or_else(missing)?;
        let (r, s) = (self.r, self.s);
        let vk = &key.vk;
        // ark-groth16 0.5's create_proof_with_assignment, term for term.
        let g_a = key.delta_g1 * r + a + vk.alpha_g1;
        let g1_b = if r.is_zero() {
            G1Projective::zero()
        } else {
            key.delta_g1 * s + b_g1 + key.beta_g1
        };
        let g2_b = vk.delta_g2 * s + b_g2 + vk.beta_g2;
        let g_c = g_a * s + g1_b * r - key.delta_g1 * (r * s) + l + h;
        let proof = Proof {
            a: g_a.into_affine(),
            b: g2_b.into_affine(),
            c: g_c.into_affine(),
        };
        // A proof that fails here would be rejected at the gate; say so now.
        if !key.pvk.verify(&self.public.to_field_elements(), &proof) {
            return Err(ProveError::SelfCheck.into());
        }
        Ok(Payload {
            proof,
            now: self.public.now,
            issuer: self.public.issuer,
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
    fn shares_encode_as_a_nonempty_subset_of_four_bits() {
        assert_eq!(Share::from_bits(0), None);
        assert_eq!(Share::from_bits(0x10), None);
        assert_eq!(Share::from_bits(0xff), None);
        for bits in 1..=15u8 {
            let s = Share::from_bits(bits).map(Share::bits);
            assert_eq!(s, Some(bits));
        }
        assert_eq!(Share::of(&[]), None);
        assert_eq!(
            Share::of(&[Msm::L, Msm::BG2, Msm::BG1]),
            Some(Share::DEFAULT)
        );
        assert_eq!(Share::DEFAULT.to_string(), "b_g1+b_g2+l");
        assert_eq!(
            Share::DEFAULT.part_len(),
            PART_HEADER_BYTES + G1_BYTES + G2_BYTES + G1_BYTES
        );
    }

    #[test]
    fn each_worker_decodes_only_its_own_queries() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let (pk, _) = crate::keys::setup_with_rng(&mut rng).unwrap_or_else(|e| panic!("{e}"));
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

    #[test]
    fn scalars_decode_only_below_r() {
        let r = Fr::MODULUS;
        assert_eq!(scalar(&r.to_bytes_le()), None);
        assert_eq!(scalar(&[0xff; 32]), None);
        let mut r_minus_1 = r;
        r_minus_1.sub_with_borrow(&BigInt::from(1u64));
        assert_eq!(scalar(&r_minus_1.to_bytes_le()), Some(r_minus_1));
        assert_eq!(scalar(&[0; 32]), Some(BigInt::from(0u64)));
    }
}
