//! A strict reader for snarkjs's Groth16 `.zkey` files (snarkjs 0.7,
//! `src/zkey_new.js` writes them, `src/zkey_utils.js` reads them; the
//! container is `@iden3/binfileutils`).
//!
//! **Written by hand**, because no maintained crate meets the project's
//! rules for untrusted input: ark-circom's reader panics on bad input
//! (`unwrap`s and slice indexing), decodes points without the curve and
//! subgroup checks, does not check field elements are canonical, allocates
//! what a length field says, and pulls wasmer into the build.
//!
//! # Layout
//!
//! All integers little-endian. The container: magic `zkey`, version
//! (`u32`, 1), section count (`u32`), then sections, each a type (`u32`), a
//! size (`u64`) and its content. A Groth16 zkey has exactly the ten
//! sections below, each once, in any order; nothing may follow the last.
//!
//! | type | section | content |
//! |---|---|---|
//! | 1 | header | protocol (`u32`): 1 = Groth16 |
//! | 2 | Groth16 header | `n8q` (32), `q`, `n8r` (32), `r`, `nVars`, `nPublic`, `domainSize` (`u32`), `α₁`, `β₁`, `β₂`, `γ₂`, `δ₁`, `δ₂` |
//! | 3 | IC | `nPublic + 1` G1 points: the verifying key's input bases |
//! | 4 | coefficients | count (`u32`), then `(matrix, constraint, signal: u32, value: 32 bytes)` |
//! | 5 | A | `nVars` G1 points |
//! | 6 | B1 | `nVars` G1 points |
//! | 7 | B2 | `nVars` G2 points |
//! | 8 | C | `nVars − nPublic − 1` G1 points: the witness part, ark-groth16's `l_query` |
//! | 9 | H | `domainSize` G1 points: `τ`-powers in the odd-coset Lagrange basis (snarkjs's QAP reduction) |
//! | 10 | contributions | the circuit hash (64 bytes), a count (`u32`), the contributions |
//!
//! **Field elements.** Point coordinates are in Montgomery form, 32 bytes
//! little-endian: the stored `x̃ = x·R mod q` with `R = 2^256`; `x` is
//! `x̃·R⁻¹`. A G2 coordinate is `c0` then `c1`. The identity is 64 (G1) or
//! 128 (G2) zero bytes. Every stored value must be below its modulus
//! (canonical); a point that is not the identity must be on its curve and
//! in the prime-order subgroup (G2's cofactor is not 1).
//!
//! **Coefficients** hold the `A` (matrix 0) and `B` (matrix 1) matrices
//! only, never `C`. Each value is stored with an **extra Montgomery
//! factor**: `zkey_new.js` writes `v·R² mod r` in standard form (so that
//! its prover, reading it as a Montgomery number, gets `v·R`), and
//! `zkey_utils.js` reads it back as `stored·R⁻²`; so do we. As in
//! ark-groth16, after the circuit's constraints come one `A` row per
//! instance variable, the constant one included: `A[m + s][s] = 1` for
//! `s = 0..=nPublic`.
//!
//! A contribution is `δ` after it (G1), its proof of knowledge (`g1_s`,
//! `g1_sx` in G1, `g2_spx` in G2), a 64-byte transcript hash, a type
//! (`u32`: 0 a contribution, 1 a beacon) and its parameters (length `u32`,
//! then entries with strictly increasing tags: 1 a name, length `u8` and
//! UTF-8 bytes; 2 the beacon's iteration exponent, 1 byte; 3 the beacon
//! hash, length `u8` and bytes).
//!
//! # What this reader can and cannot see
//!
//! [`Zkey::check_circuit`] compares the header, the domain, the public
//! count and every `A`/`B` coefficient with our matrices, and
//! [`Zkey::check_consistency`] checks the key against itself (`β`, `δ` and
//! the `B` queries agree across G1 and G2; `δ` is the last contribution's).
//! Neither can tell a zkey with a changed `C` row, or one made from a known
//! `τ`, from an honest one: such keys pass and even make proofs that
//! verify. Only `snarkjs zkey verify` against our exported `.r1cs` and the
//! pinned phase-1 file shows that the zkey is for this circuit and that its
//! contributions chain from the public phase 1 (`docs/ceremony.md`).
//!
//! # Bounds
//!
//! The file is at most [`MAX_ZKEY_BYTES`]. Every section's declared size is
//! checked against what remains of the file before it is read, and every
//! count against its section's size before anything is allocated, so no
//! field can make the reader allocate more than the file holds. No input
//! panics.

use super::super::keys::{vk_from_ark, ProvingKeyOf};
use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, Field, PrimeField, UniformRand};
use ark_relations::r1cs::ConstraintMatrices;
use zkstatus_verifier::groth16::VerifyingKeyOf;
use zkstatus_verifier::v2::keyfile::QapReduction;

/// Magic bytes of a zkey file.
pub const MAGIC: [u8; 4] = *b"zkey";
/// The container version read.
pub const VERSION: u32 = 1;
/// The header's protocol number for Groth16.
pub const GROTH16: u32 = 1;
/// Largest zkey read: statement v2's is about 4 MB.
pub const MAX_ZKEY_BYTES: usize = 64 << 20;
/// Bytes of one field element (`n8q = n8r = 32` for BN254).
const N8: usize = 32;
/// Bytes of a G1 point (uncompressed, Montgomery form).
pub const G1_LEM_BYTES: usize = 2 * N8;
/// Bytes of a G2 point.
pub const G2_LEM_BYTES: usize = 4 * N8;
/// Bytes of one coefficient entry.
const COEFFICIENT_BYTES: usize = 12 + N8;
/// Bytes of the Groth16 header section.
const GROTH_HEADER_BYTES: usize = 4 + N8 + 4 + N8 + 3 * 4 + 3 * G1_LEM_BYTES + 3 * G2_LEM_BYTES;
/// Fixed bytes of a contribution (before its parameters).
const CONTRIBUTION_FIXED_BYTES: usize = 3 * G1_LEM_BYTES + G2_LEM_BYTES + 64 + 4 + 4;
/// The largest domain: BN254's `Fr` has two-adicity 28.
const MAX_DOMAIN_LOG: u32 = 28;

/// The ten sections of a Groth16 zkey, by type number.
const SECTIONS: [&str; 10] = [
    "header",
    "Groth16 header",
    "IC",
    "coefficients",
    "A",
    "B1",
    "B2",
    "C",
    "H",
    "contributions",
];

fn section_name(kind: u32) -> &'static str {
    kind.checked_sub(1)
        .and_then(|i| SECTIONS.get(i as usize))
        .copied()
        .unwrap_or("unknown")
}

/// Why a zkey was refused. Each variant names what was wrong and where; no
/// variant carries key material beyond positions and counts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZkeyError {
    /// The file is larger than [`MAX_ZKEY_BYTES`].
    #[error("the zkey is {got} bytes, more than the {max} accepted")]
    TooLarge {
        /// The file's length.
        got: usize,
        /// The cap.
        max: usize,
    },
    /// Not a zkey file.
    #[error("not a snarkjs zkey file (bad magic bytes)")]
    BadMagic,
    /// Another container version.
    #[error("unsupported zkey container version {0} (this reader takes version 1)")]
    UnsupportedVersion(u32),
    /// The file ends before the named field: a truncated file.
    #[error("the zkey is truncated: it ends inside {0}")]
    Truncated(&'static str),
    /// A section declares more bytes than the file has left: its size lies
    /// (or the file is truncated inside it).
    #[error("the zkey's {section} section declares {declared} bytes, but only {left} remain in the file")]
    SectionOverrun {
        /// The section.
        section: &'static str,
        /// Its declared size.
        declared: u64,
        /// The bytes left in the file after its header.
        left: usize,
    },
    /// A section's size is not the one its header fields imply.
    #[error("the zkey's {section} section is {declared} bytes, its counts imply {expected}")]
    SectionSize {
        /// The section.
        section: &'static str,
        /// Its declared size.
        declared: u64,
        /// The size its counts imply.
        expected: u64,
    },
    /// A section type this reader does not know (a Groth16 zkey has
    /// exactly types 1 to 10).
    #[error("the zkey has a section of unknown type {0}")]
    UnknownSection(u32),
    /// A section appears twice.
    #[error("the zkey's {0} section appears twice")]
    DuplicateSection(&'static str),
    /// A section is missing.
    #[error("the zkey has no {0} section")]
    MissingSection(&'static str),
    /// Bytes after the last section.
    #[error("the zkey has {0} bytes after its last section")]
    TrailingBytes(usize),
    /// Not a Groth16 key (PLONK is 2, FFLONK 10).
    #[error("the zkey is for protocol {0}, not Groth16 (1)")]
    NotGroth16(u32),
    /// Not BN254 (snarkjs's `bn128`): another field size or prime.
    #[error("the zkey is not for BN254: its {0} differs")]
    NotBn254(&'static str),
    /// The header's counts do not fit together.
    #[error("the zkey's header is inconsistent: {0}")]
    BadHeader(&'static str),
    /// A stored field element is not below its modulus.
    #[error(
        "the zkey's {what} #{index} holds a non-canonical field element (not below the modulus)"
    )]
    NonCanonical {
        /// Which value (section or header field).
        what: &'static str,
        /// Its position in the section.
        index: usize,
    },
    /// A point is not on its curve.
    #[error("the zkey's {what} #{index} is not on the curve")]
    NotOnCurve {
        /// Which point.
        what: &'static str,
        /// Its position.
        index: usize,
    },
    /// A point is on the curve but outside the prime-order subgroup.
    #[error("the zkey's {what} #{index} is not in the prime-order subgroup")]
    NotInSubgroup {
        /// Which point.
        what: &'static str,
        /// Its position.
        index: usize,
    },
    /// A point that cannot be the identity is.
    #[error("the zkey's {0} is the identity point")]
    Identity(&'static str),
    /// A coefficient names a matrix other than A (0) or B (1), or a
    /// constraint or signal outside the key.
    #[error("the zkey's coefficient #{index} is malformed: {reason}")]
    BadCoefficient {
        /// Its position.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A contribution's fields are malformed.
    #[error("the zkey's contribution #{index} is malformed: {reason}")]
    BadContribution {
        /// Its position.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The zkey is for another circuit: a count differs.
    #[error("the zkey is for another circuit: it has {zkey} {what}, this circuit {ours}")]
    WrongCircuit {
        /// Which count.
        what: &'static str,
        /// The zkey's.
        zkey: usize,
        /// Ours.
        ours: usize,
    },
    /// The zkey is for another circuit: an A or B coefficient differs.
    #[error(
        "the zkey is for another circuit: its {matrix} matrix differs from ours at constraint \
         {constraint}, signal {signal}"
    )]
    CoefficientMismatch {
        /// `"A"` or `"B"`.
        matrix: &'static str,
        /// The first constraint (row) that differs.
        constraint: usize,
        /// The signal (column) there.
        signal: usize,
    },
    /// The key disagrees with itself.
    #[error("the zkey is inconsistent: {0}")]
    Inconsistent(&'static str),
}

/// A matrix of the coefficient section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Matrix {
    /// `A` (0).
    A,
    /// `B` (1).
    B,
}

impl Matrix {
    fn name(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
        }
    }
}

/// One entry of the coefficient section, decoded (the extra Montgomery
/// factor removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coefficient {
    /// Which matrix.
    pub matrix: Matrix,
    /// The row: a constraint, or `m + s` for instance variable `s`.
    pub constraint: u32,
    /// The column (wire).
    pub signal: u32,
    /// The value.
    pub value: Fr,
}

/// What kind of phase-2 contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContributionKind {
    /// A party's contribution from its own randomness.
    Contribution,
    /// A random beacon: public randomness, iterated.
    Beacon {
        /// `log₂` of the hash iterations, if recorded.
        iterations_exp: Option<u8>,
        /// The beacon's value, if recorded.
        hash: Option<Vec<u8>>,
    },
}

/// One phase-2 contribution as the zkey records it (public values only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// `δ` in G1 after this contribution.
    pub delta_after: G1Affine,
    /// The proof of knowledge: `g1_s`.
    pub g1_s: G1Affine,
    /// The proof of knowledge: `g1_sx`.
    pub g1_sx: G1Affine,
    /// The proof of knowledge: `g2_spx`.
    pub g2_spx: G2Affine,
    /// The transcript hash (BLAKE2b-512).
    pub transcript: [u8; 64],
    /// Contribution or beacon.
    pub kind: ContributionKind,
    /// The contributor's name, if given.
    pub name: Option<String>,
}

/// A parsed Groth16 zkey: every point validated, every field element
/// canonical, every count consistent with the sections. Not yet compared
/// with any circuit ([`Zkey::check_circuit`]).
#[derive(Clone, PartialEq)]
pub struct Zkey {
    /// Variables, the constant one included (`nVars`).
    pub n_vars: usize,
    /// Public inputs, without the constant one (`nPublic`).
    pub n_public: usize,
    /// The evaluation domain's size (a power of two).
    pub domain_size: usize,
    /// `α` in G1.
    pub alpha_g1: G1Affine,
    /// `β` in G1.
    pub beta_g1: G1Affine,
    /// `β` in G2.
    pub beta_g2: G2Affine,
    /// `γ` in G2 (snarkjs: the generator).
    pub gamma_g2: G2Affine,
    /// `δ` in G1.
    pub delta_g1: G1Affine,
    /// `δ` in G2.
    pub delta_g2: G2Affine,
    /// The verifying key's input bases (`nPublic + 1`).
    pub ic: Vec<G1Affine>,
    /// The A and B coefficients, in file order.
    pub coefficients: Vec<Coefficient>,
    /// The A query (`nVars`).
    pub a: Vec<G1Affine>,
    /// The B query in G1 (`nVars`).
    pub b_g1: Vec<G1Affine>,
    /// The B query in G2 (`nVars`).
    pub b_g2: Vec<G2Affine>,
    /// The witness query (`nVars − nPublic − 1`).
    pub c: Vec<G1Affine>,
    /// The H query (`domainSize`).
    pub h: Vec<G1Affine>,
    /// snarkjs's circuit hash (BLAKE2b-512 of the initial key).
    pub cs_hash: [u8; 64],
    /// The phase-2 contributions, oldest first.
    pub contributions: Vec<Contribution>,
}

impl core::fmt::Debug for Zkey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Zkey")
            .field("n_vars", &self.n_vars)
            .field("n_public", &self.n_public)
            .field("domain_size", &self.domain_size)
            .field("coefficients", &self.coefficients.len())
            .field("contributions", &self.contributions.len())
            .finish_non_exhaustive()
    }
}

/// `R⁻¹ mod q` and `R⁻² mod r`, `R = 2^256`: undo snarkjs's Montgomery
/// forms.
struct Montgomery {
    r_inv_q: Fq,
    r_inv2_r: Fr,
}

impl Montgomery {
    fn new() -> Self {
        let r_q = Fq::from(2u64).pow([256u64]);
        let r_r = Fr::from(2u64).pow([256u64]);
        Self {
            // 2 is invertible in both prime fields.
            r_inv_q: r_q.inverse().unwrap_or_default(),
            r_inv2_r: r_r.square().inverse().unwrap_or_default(),
        }
    }
}

/// The little-endian integer in exactly 32 bytes.
fn bigint(bytes: &[u8]) -> BigInt<4> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
    }
    BigInt::new(limbs)
}

/// A canonical 32-byte little-endian element of `F`.
fn canonical<F: PrimeField<BigInt = BigInt<4>>>(
    bytes: &[u8],
    what: &'static str,
    index: usize,
) -> Result<F, ZkeyError> {
    F::from_bigint(bigint(bytes)).ok_or(ZkeyError::NonCanonical { what, index })
}

/// A coordinate field, read from Montgomery form.
trait LemCoordinate: Field {
    /// Bytes of one coordinate.
    const BYTES: usize;
    fn decode(
        bytes: &[u8],
        m: &Montgomery,
        what: &'static str,
        index: usize,
    ) -> Result<Self, ZkeyError>;
}

impl LemCoordinate for Fq {
    const BYTES: usize = N8;
    fn decode(
        bytes: &[u8],
        m: &Montgomery,
        what: &'static str,
        index: usize,
    ) -> Result<Fq, ZkeyError> {
        let x: Fq = canonical(bytes, what, index)?;
        Ok(x * m.r_inv_q)
    }
}

impl LemCoordinate for Fq2 {
    const BYTES: usize = 2 * N8;
    fn decode(
        bytes: &[u8],
        m: &Montgomery,
        what: &'static str,
        index: usize,
    ) -> Result<Fq2, ZkeyError> {
        let c0 = Fq::decode(&bytes[..N8], m, what, index)?;
        let c1 = Fq::decode(&bytes[N8..2 * N8], m, what, index)?;
        Ok(Fq2::new(c0, c1))
    }
}

/// The prime-order subgroup check of each BN254 group: arkworks' for `G1`
/// (cofactor 1, so it is free), the verifier's ψ check for `G2`
/// (`zkstatus_verifier::groth16::g2_in_subgroup`: one 63-bit scalar
/// multiplication, where arkworks' needs a 127-bit one). The `G2` checks
/// are most of a zkey's parsing time.
trait Subgroup: SWCurveConfig {
    fn in_subgroup(p: &Affine<Self>) -> bool;
}

impl Subgroup for ark_bn254::g1::Config {
    fn in_subgroup(p: &Affine<Self>) -> bool {
        p.is_in_correct_subgroup_assuming_on_curve()
    }
}

impl Subgroup for ark_bn254::g2::Config {
    fn in_subgroup(p: &Affine<Self>) -> bool {
        zkstatus_verifier::groth16::g2_in_subgroup(p)
    }
}

/// One point (`2·BYTES` bytes): the identity (all zero bytes), or canonical
/// coordinates of a point on the curve and in the prime-order subgroup.
fn point<P: Subgroup>(
    bytes: &[u8],
    m: &Montgomery,
    what: &'static str,
    index: usize,
) -> Result<Affine<P>, ZkeyError>
where
    P::BaseField: LemCoordinate,
{
    if bytes.iter().all(|b| *b == 0) {
        return Ok(Affine::identity());
    }
    let n = <P::BaseField as LemCoordinate>::BYTES;
    let x = P::BaseField::decode(&bytes[..n], m, what, index)?;
    let y = P::BaseField::decode(&bytes[n..2 * n], m, what, index)?;
    let p = Affine::<P>::new_unchecked(x, y);
    if !p.is_on_curve() {
        return Err(ZkeyError::NotOnCurve { what, index });
    }
    if !P::in_subgroup(&p) {
        return Err(ZkeyError::NotInSubgroup { what, index });
    }
    Ok(p)
}

/// A point that must not be the identity (the key's fixed points).
fn nonzero_point<P: Subgroup>(
    bytes: &[u8],
    m: &Montgomery,
    what: &'static str,
) -> Result<Affine<P>, ZkeyError>
where
    P::BaseField: LemCoordinate,
{
    let p = point::<P>(bytes, m, what, 0)?;
    if p.is_zero() {
        return Err(ZkeyError::Identity(what));
    }
    Ok(p)
}

/// `n` points filling a whole section; the caller checked its size. With
/// `parallel`, decoded on every core (the subgroup checks dominate).
fn points<P: Subgroup>(
    bytes: &[u8],
    m: &Montgomery,
    what: &'static str,
) -> Result<Vec<Affine<P>>, ZkeyError>
where
    P::BaseField: LemCoordinate,
{
    let size = 2 * <P::BaseField as LemCoordinate>::BYTES;
    #[cfg(feature = "parallel")]
    use rayon::prelude::*;
    #[cfg(feature = "parallel")]
    let chunks = bytes.par_chunks_exact(size).enumerate();
    #[cfg(not(feature = "parallel"))]
    let chunks = bytes.chunks_exact(size).enumerate();
    chunks.map(|(i, c)| point(c, m, what, i)).collect()
}

/// A cursor over a byte slice that never reads past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ZkeyError> {
        if n > self.left() {
            return Err(ZkeyError::Truncated(what));
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, ZkeyError> {
        Ok(self.take(1, what)?[0])
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ZkeyError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4, what)?);
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, ZkeyError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8, what)?);
        Ok(u64::from_le_bytes(b))
    }
}

/// The sections' byte ranges, by type, after the container was checked.
fn sections(bytes: &[u8]) -> Result<[&[u8]; 10], ZkeyError> {
    let mut r = Reader::new(bytes);
    if r.take(4, "the magic bytes")? != MAGIC {
        return Err(ZkeyError::BadMagic);
    }
    let version = r.u32("the version")?;
    if version != VERSION {
        return Err(ZkeyError::UnsupportedVersion(version));
    }
    let count = r.u32("the section count")?;
    let mut found: [Option<&[u8]>; 10] = [None; 10];
    // Each iteration consumes at least 12 bytes or fails: a large count
    // costs no memory and ends at the file's end.
    for _ in 0..count {
        let kind = r.u32("a section header")?;
        let size = r.u64("a section header")?;
        let slot = kind
            .checked_sub(1)
            .and_then(|i| found.get_mut(i as usize))
            .ok_or(ZkeyError::UnknownSection(kind))?;
        if slot.is_some() {
            return Err(ZkeyError::DuplicateSection(section_name(kind)));
        }
        let left = r.left();
        let n =
            usize::try_from(size)
                .ok()
                .filter(|n| *n <= left)
                .ok_or(ZkeyError::SectionOverrun {
                    section: section_name(kind),
                    declared: size,
                    left,
                })?;
        *slot = Some(r.take(n, "a section")?);
    }
    if r.left() != 0 {
        return Err(ZkeyError::TrailingBytes(r.left()));
    }
    let mut out: [&[u8]; 10] = [&[]; 10];
    for (i, (o, f)) in out.iter_mut().zip(found).enumerate() {
        *o = f.ok_or(ZkeyError::MissingSection(SECTIONS[i]))?;
    }
    Ok(out)
}

/// A section's size must be `expected` exactly.
fn sized(section: &[u8], kind: u32, expected: u64) -> Result<&[u8], ZkeyError> {
    if section.len() as u64 != expected {
        return Err(ZkeyError::SectionSize {
            section: section_name(kind),
            declared: section.len() as u64,
            expected,
        });
    }
    Ok(section)
}

impl Zkey {
    /// Parse and validate a zkey: the container, the header (BN254, the
    /// counts), every section's size against its counts, every field
    /// element canonical, every point on its curve and in its subgroup,
    /// the contributions. Compares nothing with a circuit.
    pub fn parse(bytes: &[u8]) -> Result<Self, ZkeyError> {
        if bytes.len() > MAX_ZKEY_BYTES {
            return Err(ZkeyError::TooLarge {
                got: bytes.len(),
                max: MAX_ZKEY_BYTES,
            });
        }
        let s = sections(bytes)?;
        let m = Montgomery::new();

        let mut r = Reader::new(sized(s[0], 1, 4)?);
        let protocol = r.u32("the header")?;
        if protocol != GROTH16 {
            return Err(ZkeyError::NotGroth16(protocol));
        }

        let mut r = Reader::new(sized(s[1], 2, GROTH_HEADER_BYTES as u64)?);
        if r.u32("n8q")? != N8 as u32 {
            return Err(ZkeyError::NotBn254("base-field size"));
        }
        if bigint(r.take(N8, "q")?) != Fq::MODULUS {
            return Err(ZkeyError::NotBn254("base-field prime q"));
        }
        if r.u32("n8r")? != N8 as u32 {
            return Err(ZkeyError::NotBn254("scalar-field size"));
        }
        if bigint(r.take(N8, "r")?) != Fr::MODULUS {
            return Err(ZkeyError::NotBn254("scalar-field prime r"));
        }
        let n_vars = r.u32("nVars")? as usize;
        let n_public = r.u32("nPublic")? as usize;
        let domain_size = r.u32("domainSize")? as usize;
        if n_public >= n_vars {
            return Err(ZkeyError::BadHeader("nPublic + 1 exceeds nVars"));
        }
        if !domain_size.is_power_of_two() || domain_size > 1 << MAX_DOMAIN_LOG {
            return Err(ZkeyError::BadHeader(
                "domainSize is not a power of two up to 2^28",
            ));
        }
        let alpha_g1 = nonzero_point(r.take(G1_LEM_BYTES, "alpha1")?, &m, "alpha1")?;
        let beta_g1 = nonzero_point(r.take(G1_LEM_BYTES, "beta1")?, &m, "beta1")?;
        let beta_g2 = nonzero_point(r.take(G2_LEM_BYTES, "beta2")?, &m, "beta2")?;
        let gamma_g2 = nonzero_point(r.take(G2_LEM_BYTES, "gamma2")?, &m, "gamma2")?;
        let delta_g1 = nonzero_point(r.take(G1_LEM_BYTES, "delta1")?, &m, "delta1")?;
        let delta_g2 = nonzero_point(r.take(G2_LEM_BYTES, "delta2")?, &m, "delta2")?;

        let g1 = G1_LEM_BYTES as u64;
        let g2 = G2_LEM_BYTES as u64;
        let (nv, np, nd) = (n_vars as u64, n_public as u64, domain_size as u64);
        let ic = points(sized(s[2], 3, (np + 1) * g1)?, &m, "IC point")?;
        let coefficients = coefficients(s[3], &m, n_vars, domain_size)?;
        let a = points(sized(s[4], 5, nv * g1)?, &m, "A point")?;
        let b_g1 = points(sized(s[5], 6, nv * g1)?, &m, "B1 point")?;
        let b_g2 = points(sized(s[6], 7, nv * g2)?, &m, "B2 point")?;
        let c = points(sized(s[7], 8, (nv - np - 1) * g1)?, &m, "C point")?;
        let h = points(sized(s[8], 9, nd * g1)?, &m, "H point")?;
        let (cs_hash, contributions) = contributions(s[9], &m)?;
        Ok(Self {
            n_vars,
            n_public,
            domain_size,
            alpha_g1,
            beta_g1,
            beta_g2,
            gamma_g2,
            delta_g1,
            delta_g2,
            ic,
            coefficients,
            a,
            b_g1,
            b_g2,
            c,
            h,
            cs_hash,
            contributions,
        })
    }

    /// Compare the zkey with our finalized matrices `m`: the variable,
    /// public-input and domain sizes, then every `A` and `B` coefficient,
    /// the `nPublic + 1` rows ark-groth16 and snarkjs both append included.
    /// Cannot see `C` (module docs).
    pub fn check_circuit(&self, m: &ConstraintMatrices<Fr>) -> Result<(), ZkeyError> {
        let ours_vars = m.num_instance_variables + m.num_witness_variables;
        let counts = [
            ("variables", self.n_vars, ours_vars),
            (
                "public inputs",
                self.n_public,
                m.num_instance_variables.saturating_sub(1),
            ),
            ("domain points", self.domain_size, domain_size(m)),
        ];
        for (what, zkey, ours) in counts {
            if zkey != ours {
                return Err(ZkeyError::WrongCircuit { what, zkey, ours });
            }
        }
        let mut expected =
            Vec::with_capacity(m.a_num_non_zero + m.b_num_non_zero + m.num_instance_variables);
        for (matrix, rows) in [(Matrix::A, &m.a), (Matrix::B, &m.b)] {
            for (c, row) in rows.iter().enumerate() {
                for (value, s) in row {
                    expected.push(Coefficient {
                        matrix,
                        constraint: c as u32,
                        signal: *s as u32,
                        value: *value,
                    });
                }
            }
        }
        for s in 0..m.num_instance_variables {
            expected.push(Coefficient {
                matrix: Matrix::A,
                constraint: (m.num_constraints + s) as u32,
                signal: s as u32,
                value: Fr::from(1u64),
            });
        }
        let mut got = self.coefficients.clone();
        expected.sort();
        got.sort();
        let first_difference = expected
            .iter()
            .zip(&got)
            .find(|(e, g)| e != g)
            .map(|(e, g)| core::cmp::min(*e, *g))
            .or_else(|| match expected.len().cmp(&got.len()) {
                core::cmp::Ordering::Less => got.get(expected.len()).copied(),
                core::cmp::Ordering::Greater => expected.get(got.len()).copied(),
                core::cmp::Ordering::Equal => None,
            });
        match first_difference {
            Some(c) => Err(ZkeyError::CoefficientMismatch {
                matrix: c.matrix.name(),
                constraint: c.constraint as usize,
                signal: c.signal as usize,
            }),
            None => Ok(()),
        }
    }

    /// Check the key against itself, as far as pairings can without `τ`:
    /// `γ₂` is the generator (snarkjs never changes it);
    /// `e(β₁, g₂) = e(g₁, β₂)` and `e(δ₁, g₂) = e(g₁, δ₂)`; `δ₁` is the last
    /// contribution's `δ` (the generator with no contribution); and the `B`
    /// queries agree across the groups, `e(Σρᵢ·B1ᵢ, g₂) = e(g₁, Σρᵢ·B2ᵢ)`
    /// for random `ρ`.
    pub fn check_consistency(&self) -> Result<(), ZkeyError> {
        let g1 = G1Affine::generator();
        let g2 = G2Affine::generator();
        if self.gamma_g2 != g2 {
            return Err(ZkeyError::Inconsistent("gamma2 is not the generator"));
        }
        if !same_pairing((self.beta_g1, g2), (g1, self.beta_g2)) {
            return Err(ZkeyError::Inconsistent("beta1 and beta2 differ"));
        }
        if !same_pairing((self.delta_g1, g2), (g1, self.delta_g2)) {
            return Err(ZkeyError::Inconsistent("delta1 and delta2 differ"));
        }
        let last_delta = self.contributions.last().map_or(g1, |c| c.delta_after);
        if last_delta != self.delta_g1 {
            return Err(ZkeyError::Inconsistent(
                "delta1 is not the delta of the last contribution",
            ));
        }
        let rho: Vec<_> = (0..self.n_vars)
            .map(|_| Fr::rand(&mut rand::rngs::OsRng).into_bigint())
            .collect();
        let b1 = crate::msm::msm_bigint(&self.b_g1, &rho);
        let b2 = crate::msm::msm_bigint(&self.b_g2, &rho);
        use ark_ec::CurveGroup;
        if !same_pairing((b1.into_affine(), g2), (g1, b2.into_affine())) {
            return Err(ZkeyError::Inconsistent("the B queries in G1 and G2 differ"));
        }
        Ok(())
    }

    /// The arkworks keys, tagged [`QapReduction::Snarkjs`]: `IC` is
    /// `γ_abc`, `A`, `B1`, `B2` the queries over every variable, `C` the
    /// witness query (`l_query`), `H` the `h_query` (`domainSize` points,
    /// for snarkjs's reduction). The verifying key must have `BASES` input
    /// bases, none the identity (as every verifying-key file requires).
    pub fn into_keys<const BASES: usize>(
        self,
    ) -> Result<(ProvingKeyOf<BASES>, VerifyingKeyOf<BASES>), ZkeyError> {
        if self.ic.len() != BASES {
            return Err(ZkeyError::WrongCircuit {
                what: "input bases",
                zkey: self.ic.len(),
                ours: BASES,
            });
        }
        if self.ic.iter().any(|p| p.is_zero()) {
            return Err(ZkeyError::Identity("IC point"));
        }
        let vk = ark_groth16::VerifyingKey {
            alpha_g1: self.alpha_g1,
            beta_g2: self.beta_g2,
            gamma_g2: self.gamma_g2,
            delta_g2: self.delta_g2,
            gamma_abc_g1: self.ic,
        };
        let ours = vk_from_ark::<BASES>(&vk).ok_or(ZkeyError::Inconsistent("input count"))?;
        let pk = ark_groth16::ProvingKey {
            vk,
            beta_g1: self.beta_g1,
            delta_g1: self.delta_g1,
            a_query: self.a,
            b_g1_query: self.b_g1,
            b_g2_query: self.b_g2,
            h_query: self.h,
            l_query: self.c,
        };
        Ok((
            ProvingKeyOf(pk, QapReduction::Snarkjs, Default::default()),
            ours,
        ))
    }
}

/// The domain both snarkjs and ark-groth16 use: the smallest power of two
/// holding the constraints and one row per instance variable.
pub fn domain_size(m: &ConstraintMatrices<Fr>) -> usize {
    (m.num_constraints + m.num_instance_variables).next_power_of_two()
}

/// `e(p.0, p.1) = e(q.0, q.1)`.
fn same_pairing(p: (G1Affine, G2Affine), q: (G1Affine, G2Affine)) -> bool {
    use ark_bn254::Bn254;
    use ark_ec::pairing::Pairing;
    use ark_std::One;
    Bn254::multi_pairing([p.0, -q.0], [p.1, q.1]).0.is_one()
}

fn coefficients(
    section: &[u8],
    m: &Montgomery,
    n_vars: usize,
    domain_size: usize,
) -> Result<Vec<Coefficient>, ZkeyError> {
    let mut r = Reader::new(section);
    let n = r.u32("the coefficient count")? as u64;
    sized(section, 4, 4 + n * COEFFICIENT_BYTES as u64)?;
    // The size check bounds `n` by the file.
    let mut out = Vec::with_capacity(n as usize);
    for index in 0..n as usize {
        let matrix = match r.u32("a coefficient")? {
            0 => Matrix::A,
            1 => Matrix::B,
            _ => {
                return Err(ZkeyError::BadCoefficient {
                    index,
                    reason: "matrix is neither A (0) nor B (1)",
                })
            }
        };
        let constraint = r.u32("a coefficient")?;
        let signal = r.u32("a coefficient")?;
        if constraint as usize >= domain_size {
            return Err(ZkeyError::BadCoefficient {
                index,
                reason: "constraint beyond the domain",
            });
        }
        if signal as usize >= n_vars {
            return Err(ZkeyError::BadCoefficient {
                index,
                reason: "signal beyond nVars",
            });
        }
        let stored: Fr = canonical(r.take(N8, "a coefficient")?, "coefficient", index)?;
        out.push(Coefficient {
            matrix,
            constraint,
            signal,
            value: stored * m.r_inv2_r,
        });
    }
    Ok(out)
}

fn contributions(
    section: &[u8],
    m: &Montgomery,
) -> Result<([u8; 64], Vec<Contribution>), ZkeyError> {
    let mut r = Reader::new(section);
    let mut cs_hash = [0u8; 64];
    cs_hash.copy_from_slice(r.take(64, "the circuit hash")?);
    let n = r.u32("the contribution count")?;
    if (n as usize).saturating_mul(CONTRIBUTION_FIXED_BYTES) > r.left() {
        return Err(ZkeyError::SectionSize {
            section: "contributions",
            declared: section.len() as u64,
            expected: 68 + n as u64 * CONTRIBUTION_FIXED_BYTES as u64,
        });
    }
    let mut out = Vec::with_capacity(n as usize);
    for index in 0..n as usize {
        let bad = |reason| ZkeyError::BadContribution { index, reason };
        let mut pt = |len, what| r.take(len, what).map(|b| b.to_vec());
        let delta_after = nonzero_point(
            &pt(G1_LEM_BYTES, "a contribution")?,
            m,
            "contribution delta",
        )?;
        let g1_s = point(
            &pt(G1_LEM_BYTES, "a contribution")?,
            m,
            "contribution g1_s",
            index,
        )?;
        let g1_sx = point(
            &pt(G1_LEM_BYTES, "a contribution")?,
            m,
            "contribution g1_sx",
            index,
        )?;
        let g2_spx = point(
            &pt(G2_LEM_BYTES, "a contribution")?,
            m,
            "contribution g2_spx",
            index,
        )?;
        let mut transcript = [0u8; 64];
        transcript.copy_from_slice(r.take(64, "a contribution")?);
        let kind = r.u32("a contribution")?;
        if kind > 1 {
            return Err(bad("type is neither a contribution (0) nor a beacon (1)"));
        }
        let params_len = r.u32("a contribution")? as usize;
        let mut p = Reader::new(r.take(params_len, "a contribution's parameters")?);
        let (mut name, mut iterations_exp, mut hash) = (None, None, None);
        let mut last_tag = 0u8;
        while p.left() > 0 {
            let tag = p.u8("a contribution parameter")?;
            // snarkjs: "Parameters in the contribution must be sorted".
            if tag <= last_tag {
                return Err(bad("parameters out of order or repeated"));
            }
            last_tag = tag;
            match tag {
                1 => {
                    let len = p.u8("a contribution's name")? as usize;
                    let bytes = p.take(len, "a contribution's name")?;
                    let s = core::str::from_utf8(bytes).map_err(|_| bad("name is not UTF-8"))?;
                    name = Some(s.to_owned());
                }
                2 => iterations_exp = Some(p.u8("a beacon's iteration count")?),
                3 => {
                    let len = p.u8("a beacon's hash")? as usize;
                    hash = Some(p.take(len, "a beacon's hash")?.to_vec());
                }
                _ => return Err(bad("unknown parameter")),
            }
        }
        let kind = if kind == 1 {
            ContributionKind::Beacon {
                iterations_exp,
                hash,
            }
        } else if iterations_exp.is_some() || hash.is_some() {
            return Err(bad("a contribution with beacon parameters"));
        } else {
            ContributionKind::Contribution
        };
        out.push(Contribution {
            delta_after,
            g1_s,
            g1_sx,
            g2_spx,
            transcript,
            kind,
            name,
        });
    }
    if r.left() != 0 {
        return Err(ZkeyError::SectionSize {
            section: "contributions",
            declared: section.len() as u64,
            expected: (section.len() - r.left()) as u64,
        });
    }
    Ok((cs_hash, out))
}

/// A zkey imported for a circuit: the keys, and the ceremony's record.
#[derive(Debug, Clone)]
pub struct Imported<const BASES: usize> {
    /// The proving key ([`QapReduction::Snarkjs`]).
    pub proving_key: ProvingKeyOf<BASES>,
    /// Its verifying key.
    pub verifying_key: VerifyingKeyOf<BASES>,
    /// snarkjs's circuit hash.
    pub cs_hash: [u8; 64],
    /// The phase-2 contributions, oldest first.
    pub contributions: Vec<Contribution>,
}

/// Parse `bytes` ([`Zkey::parse`]), compare it with the matrices `m`
/// ([`Zkey::check_circuit`]), check it against itself
/// ([`Zkey::check_consistency`]) and return its keys. The native checks
/// only: whether the zkey chains from the pinned phase 1 is for
/// `snarkjs zkey verify` (module docs).
pub fn import<const BASES: usize>(
    bytes: &[u8],
    m: &ConstraintMatrices<Fr>,
) -> Result<Imported<BASES>, ZkeyError> {
    let z = Zkey::parse(bytes)?;
    z.check_circuit(m)?;
    z.check_consistency()?;
    let cs_hash = z.cs_hash;
    let contributions = z.contributions.clone();
    let (proving_key, verifying_key) = z.into_keys()?;
    Ok(Imported {
        proving_key,
        verifying_key,
        cs_hash,
        contributions,
    })
}

/// Tampered copies of the committed test-circuit zkey
/// (`tests/fixtures/ceremony/make.sh`): each broken rule has its own error.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;

    const ZKEY: &[u8] = include_bytes!("../../tests/fixtures/ceremony/test.zkey");

    /// `(position of the section's header, of its content, its size)`.
    fn section(z: &[u8], kind: u32) -> (usize, usize, usize) {
        let mut at = 12;
        while at < z.len() {
            let k = u32::from_le_bytes(z[at..at + 4].try_into().unwrap());
            let size = u64::from_le_bytes(z[at + 4..at + 12].try_into().unwrap()) as usize;
            if k == kind {
                return (at, at + 12, size);
            }
            at += 12 + size;
        }
        panic!("no section {kind}");
    }

    /// The last section's type (snarkjs writes them in order, but any
    /// order is read).
    fn last_section(z: &[u8]) -> u32 {
        (1..=10).max_by_key(|k| section(z, *k).0).unwrap()
    }

    fn tampered(f: impl FnOnce(&mut Vec<u8>)) -> Result<Zkey, ZkeyError> {
        let mut z = ZKEY.to_vec();
        f(&mut z);
        Zkey::parse(&z)
    }

    fn put_u32(z: &mut [u8], at: usize, v: u32) {
        z[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    /// The stored (Montgomery) bytes of a base-field element.
    fn lem(x: Fq) -> Vec<u8> {
        use ark_ff::BigInteger;
        (x * Fq::from(2u64).pow([256u64]))
            .into_bigint()
            .to_bytes_le()
    }

    /// Offsets in the Groth16 header's content: `nVars` (then `nPublic`,
    /// `domainSize`), `alpha1`, `delta1`.
    const N_VARS_AT: usize = 4 + N8 + 4 + N8;
    const ALPHA1_AT: usize = N_VARS_AT + 12;
    const DELTA1_AT: usize = ALPHA1_AT + 2 * G1_LEM_BYTES + 2 * G2_LEM_BYTES;

    #[test]
    fn the_committed_zkey_parses() {
        let z = Zkey::parse(ZKEY).unwrap();
        assert_eq!((z.n_vars, z.n_public, z.domain_size), (16, 10, 16));
        z.check_consistency().unwrap();
    }

    #[test]
    fn every_truncation_is_refused_without_panic() {
        for len in 0..ZKEY.len() {
            assert!(Zkey::parse(&ZKEY[..len]).is_err(), "prefix of {len} bytes");
        }
        let last = last_section(ZKEY);
        assert_eq!(
            Zkey::parse(&ZKEY[..ZKEY.len() - 1]).unwrap_err(),
            ZkeyError::SectionOverrun {
                section: section_name(last),
                declared: section(ZKEY, last).2 as u64,
                left: section(ZKEY, last).2 - 1,
            }
        );
        assert_eq!(
            Zkey::parse(&ZKEY[..18]).unwrap_err(),
            ZkeyError::Truncated("a section header")
        );
    }

    #[test]
    fn a_non_canonical_field_element_is_refused() {
        let (_, ic, _) = section(ZKEY, 3);
        let q = Fq::MODULUS;
        let err = tampered(|z| {
            z[ic + G1_LEM_BYTES..ic + G1_LEM_BYTES + N8]
                .copy_from_slice(&ark_ff::BigInteger::to_bytes_le(&q))
        })
        .unwrap_err();
        assert_eq!(
            err,
            ZkeyError::NonCanonical {
                what: "IC point",
                index: 1
            }
        );
        // A coefficient's value must be below r.
        let (_, co, _) = section(ZKEY, 4);
        let r = Fr::MODULUS;
        let err = tampered(|z| {
            z[co + 4 + 12..co + 4 + 12 + N8].copy_from_slice(&ark_ff::BigInteger::to_bytes_le(&r))
        })
        .unwrap_err();
        assert_eq!(
            err,
            ZkeyError::NonCanonical {
                what: "coefficient",
                index: 0
            }
        );
    }

    #[test]
    fn a_point_off_the_curve_is_refused() {
        let z = Zkey::parse(ZKEY).unwrap();
        let i = z.a.iter().position(|p| !p.is_zero()).unwrap();
        let (_, a, _) = section(ZKEY, 5);
        let y = a + i * G1_LEM_BYTES + N8;
        let err = tampered(|z| {
            z[y..y + N8].fill(0);
            z[y] = 1;
        })
        .unwrap_err();
        assert_eq!(
            err,
            ZkeyError::NotOnCurve {
                what: "A point",
                index: i
            }
        );
    }

    #[test]
    fn a_g2_point_outside_the_subgroup_is_refused() {
        // A point of the twist that is not in the prime-order subgroup:
        // the twist's cofactor is about 2^254, so the first x on the curve
        // gives one.
        let mut x = Fq2::new(Fq::from(1u64), Fq::from(1u64));
        let p = loop {
            if let Some(p) = G2Affine::get_point_from_x_unchecked(x, false) {
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    break p;
                }
            }
            x += Fq2::new(Fq::from(1u64), Fq::from(0u64));
        };
        let bytes: Vec<u8> = [p.x.c0, p.x.c1, p.y.c0, p.y.c1]
            .into_iter()
            .flat_map(lem)
            .collect();
        let (_, b2, _) = section(ZKEY, 7);
        let at = b2 + 3 * G2_LEM_BYTES;
        let err = tampered(|z| z[at..at + G2_LEM_BYTES].copy_from_slice(&bytes)).unwrap_err();
        assert_eq!(
            err,
            ZkeyError::NotInSubgroup {
                what: "B2 point",
                index: 3
            }
        );
        // The same point as beta2 in the header.
        let (_, h, _) = section(ZKEY, 2);
        let at = h + ALPHA1_AT + 2 * G1_LEM_BYTES;
        let err = tampered(|z| z[at..at + G2_LEM_BYTES].copy_from_slice(&bytes)).unwrap_err();
        assert_eq!(
            err,
            ZkeyError::NotInSubgroup {
                what: "beta2",
                index: 0
            }
        );
    }

    #[test]
    fn section_sizes_that_lie_are_refused() {
        // The last section claims a byte more than the file holds.
        let last = last_section(ZKEY);
        let (at, _, size) = section(ZKEY, last);
        let err =
            tampered(|z| z[at + 4..at + 12].copy_from_slice(&(size as u64 + 1).to_le_bytes()))
                .unwrap_err();
        assert!(
            matches!(err, ZkeyError::SectionOverrun { declared, .. } if declared == size as u64 + 1)
        );
        // A huge size.
        let err =
            tampered(|z| z[at + 4..at + 12].copy_from_slice(&u64::MAX.to_le_bytes())).unwrap_err();
        assert!(
            matches!(
                err,
                ZkeyError::SectionOverrun {
                    declared: u64::MAX,
                    ..
                }
            ),
            "{err}"
        );
        // nVars one more than the A section holds.
        let (_, h, _) = section(ZKEY, 2);
        let err = tampered(|z| put_u32(z, h + N_VARS_AT, 17)).unwrap_err();
        assert_eq!(
            err,
            ZkeyError::SectionSize {
                section: "A",
                declared: 16 * 64,
                expected: 17 * 64
            }
        );
        // nPublic one more: the IC section is too short.
        let err = tampered(|z| put_u32(z, h + N_VARS_AT + 4, 11)).unwrap_err();
        assert_eq!(
            err,
            ZkeyError::SectionSize {
                section: "IC",
                declared: 11 * 64,
                expected: 12 * 64
            }
        );
        // A coefficient count that is too large, even u32::MAX, allocates nothing.
        let (_, co, size) = section(ZKEY, 4);
        for n in [
            u32::from_le_bytes(ZKEY[co..co + 4].try_into().unwrap()) + 1,
            u32::MAX,
        ] {
            let err = tampered(|z| put_u32(z, co, n)).unwrap_err();
            assert_eq!(
                err,
                ZkeyError::SectionSize {
                    section: "coefficients",
                    declared: size as u64,
                    expected: 4 + u64::from(n) * COEFFICIENT_BYTES as u64,
                }
            );
        }
        // A contribution count of u32::MAX.
        let (_, c, _) = section(ZKEY, 10);
        let err = tampered(|z| put_u32(z, c + 64, u32::MAX)).unwrap_err();
        assert!(
            matches!(
                err,
                ZkeyError::SectionSize {
                    section: "contributions",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn the_container_is_strict() {
        assert_eq!(tampered(|z| z[0] = b'Z').unwrap_err(), ZkeyError::BadMagic);
        assert_eq!(
            tampered(|z| put_u32(z, 4, 2)).unwrap_err(),
            ZkeyError::UnsupportedVersion(2)
        );
        assert_eq!(
            tampered(|z| put_u32(z, 8, 11)).unwrap_err(),
            ZkeyError::Truncated("a section header")
        );
        assert_eq!(tampered(|z| put_u32(z, 8, 9)).unwrap_err(), {
            ZkeyError::TrailingBytes(ZKEY.len() - section(ZKEY, last_section(ZKEY)).0)
        });
        assert_eq!(
            tampered(|z| z.push(0)).unwrap_err(),
            ZkeyError::TrailingBytes(1)
        );
        let (c, _, _) = section(ZKEY, 8);
        assert_eq!(
            tampered(|z| put_u32(z, c, 9)).unwrap_err(),
            ZkeyError::DuplicateSection("H")
        );
        assert_eq!(
            tampered(|z| put_u32(z, c, 11)).unwrap_err(),
            ZkeyError::UnknownSection(11)
        );
        assert_eq!(
            tampered(|z| put_u32(z, c, 0)).unwrap_err(),
            ZkeyError::UnknownSection(0)
        );
        let big = vec![0u8; MAX_ZKEY_BYTES + 1];
        assert_eq!(
            Zkey::parse(&big).unwrap_err(),
            ZkeyError::TooLarge {
                got: MAX_ZKEY_BYTES + 1,
                max: MAX_ZKEY_BYTES
            }
        );
    }

    #[test]
    fn the_header_is_strict() {
        let (_, p, _) = section(ZKEY, 1);
        assert_eq!(
            tampered(|z| put_u32(z, p, 2)).unwrap_err(),
            ZkeyError::NotGroth16(2)
        );
        let (_, h, _) = section(ZKEY, 2);
        assert_eq!(
            tampered(|z| z[h + 4] ^= 1).unwrap_err(),
            ZkeyError::NotBn254("base-field prime q")
        );
        assert_eq!(
            tampered(|z| z[h + 4 + N8 + 4] ^= 1).unwrap_err(),
            ZkeyError::NotBn254("scalar-field prime r")
        );
        assert_eq!(
            tampered(|z| put_u32(z, h + N_VARS_AT + 8, 24)).unwrap_err(),
            ZkeyError::BadHeader("domainSize is not a power of two up to 2^28")
        );
        assert_eq!(
            tampered(|z| put_u32(z, h + N_VARS_AT + 4, 16)).unwrap_err(),
            ZkeyError::BadHeader("nPublic + 1 exceeds nVars")
        );
        let at = h + ALPHA1_AT;
        assert_eq!(
            tampered(|z| z[at..at + G1_LEM_BYTES].fill(0)).unwrap_err(),
            ZkeyError::Identity("alpha1")
        );
    }

    #[test]
    fn malformed_coefficients_and_contributions_are_refused() {
        let (_, co, _) = section(ZKEY, 4);
        let err = tampered(|z| put_u32(z, co + 4, 2)).unwrap_err();
        assert!(
            matches!(err, ZkeyError::BadCoefficient { index: 0, .. }),
            "{err}"
        );
        let err = tampered(|z| put_u32(z, co + 4 + 8, 16)).unwrap_err();
        assert_eq!(
            err,
            ZkeyError::BadCoefficient {
                index: 0,
                reason: "signal beyond nVars"
            }
        );
        // The first contribution's type, then its parameters' tag.
        let (_, c, _) = section(ZKEY, 10);
        let ty = c + 68 + CONTRIBUTION_FIXED_BYTES - 8;
        let err = tampered(|z| put_u32(z, ty, 2)).unwrap_err();
        assert!(
            matches!(err, ZkeyError::BadContribution { index: 0, .. }),
            "{err}"
        );
        let err = tampered(|z| z[ty + 8] = 9).unwrap_err();
        assert_eq!(
            err,
            ZkeyError::BadContribution {
                index: 0,
                reason: "unknown parameter"
            }
        );
    }

    #[test]
    fn a_key_that_disagrees_with_itself_fails_the_consistency_check() {
        let (_, h, _) = section(ZKEY, 2);
        // delta1 := alpha1: a valid point, but not delta2's partner.
        let z = tampered(|z| {
            let alpha = z[h + ALPHA1_AT..h + ALPHA1_AT + G1_LEM_BYTES].to_vec();
            z[h + DELTA1_AT..h + DELTA1_AT + G1_LEM_BYTES].copy_from_slice(&alpha);
        })
        .unwrap();
        assert_eq!(
            z.check_consistency().unwrap_err(),
            ZkeyError::Inconsistent("delta1 and delta2 differ")
        );
        // One B1 point swapped for another: the B queries differ.
        let (_, b1, _) = section(ZKEY, 6);
        let z = tampered(|z| {
            let (p, q) = (b1 + G1_LEM_BYTES, b1 + 2 * G1_LEM_BYTES);
            let first = z[p..q].to_vec();
            let second = z[q..q + G1_LEM_BYTES].to_vec();
            z[p..q].copy_from_slice(&second);
            z[q..q + G1_LEM_BYTES].copy_from_slice(&first);
        })
        .unwrap();
        assert_eq!(
            z.check_consistency().unwrap_err(),
            ZkeyError::Inconsistent("the B queries in G1 and G2 differ")
        );
    }

    /// Any single flipped byte gives an error or a key, never a panic.
    #[test]
    fn flipped_bytes_never_panic() {
        for i in (0..ZKEY.len()).step_by(13) {
            if let Ok(z) = tampered(|z| z[i] ^= 0xa5) {
                let _ = z.check_consistency();
            }
        }
    }
}
