//! The proving key as a holder's device receives it: a file fetched from the
//! page's origin, accepted only if its fingerprint is the pinned one.
//!
//! **Fingerprint.** The proving key's fingerprint is the SHA-256 of the whole
//! file, as `sha256sum zkstatus.pk` prints it ([`pk_fingerprint`]). It is not
//! the verifying key's fingerprint (`zkstatus inspect` prints that one as
//! `vk_fingerprint_full`: the SHA-256 of the verifying-key body only), which
//! would leave the rest of the file (every proving query) unpinned.
//!
//! **Order of checks.** [`PinnedProvingKey::load`] refuses oversized input,
//! then hashes the file and compares it with the pin *before any byte is
//! parsed*; a file that differs is refused with a diagnosis read from its
//! fixed header only (magic, version, circuit fingerprint, declared point
//! counts): not a proving key, another circuit, truncated, or altered /
//! another setup. Only the pinned bytes reach the parser,
//! [`ProvingKeyV2::from_pinned_file`], which checks the pin again and decodes
//! the points without the subgroup checks (a pin is made by `zkstatus
//! inspect` only after it validated every point, so the checks would
//! re-establish facts about exactly these bytes; they were 60% of loading,
//! 4–6 s in a browser); then the query
//! sizes are checked against each other, so that no key, even a pinned bad
//! one, can make ark-groth16 index out of bounds (a trap in WebAssembly).

use sha2::{Digest, Sha256};
use zkstatus_prover::keys::{
    KeyError, ProvingKeyV2, MAX_QUERY_POINTS, PK2_FILE_VERSION, PK_FILE_MAGIC,
};
use zkstatus_prover::split::{FastFormError, HelperKey, MainKey, Share};
use zkstatus_verifier::groth16::{
    distinct_fingerprints, short_fingerprint, G1_BYTES, G2_BYTES, VK2_BYTES,
};
use zkstatus_verifier::v2::keyfile::{vk2_to_file, CIRCUIT_FINGERPRINT_V2};
use zkstatus_verifier::VK_FILE_MAGIC;

/// Largest proving-key file accepted, bytes: the native tools' cap. Ours is
/// about 1.04 MB.
pub const MAX_PK_FILE_BYTES: usize = 8 << 20;

// The fixed header of a version-2 proving-key file (prover/src/keys.rs):
// magic, version, QAP reduction, circuit fingerprint, verifying-key body, β₁,
// δ₁, five u32 counts.
const FINGERPRINT_AT: usize = 4 + 1 + 1;
const VK_AT: usize = FINGERPRINT_AT + 32;
const COUNTS_AT: usize = VK_AT + VK2_BYTES + 2 * G1_BYTES;
const HEADER_BYTES: usize = COUNTS_AT + 5 * 4;

/// The proving key's fingerprint: SHA-256 of the whole file.
pub fn pk_fingerprint(file: &[u8]) -> [u8; 32] {
    zkstatus_prover::keys::pk_file_fingerprint(file)
}

/// What a file whose fingerprint is not the pinned one looks like, from its
/// header alone (no point is decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Diagnosis {
    /// No `ZKPK` magic bytes.
    NotAProvingKey,
    /// A verifying-key file (`ZKVK`), not a proving key.
    VerifyingKey,
    /// A proving-key format version this build cannot read.
    UnsupportedVersion(u8),
    /// A proving key for another circuit.
    OtherCircuit {
        /// The file's circuit fingerprint, as many groups as differ from
        /// `expected` (`distinct_fingerprints`).
        found: String,
        /// This build's circuit fingerprint, likewise.
        expected: String,
    },
    /// A proving key for this circuit whose length is not the one its header
    /// declares.
    Truncated {
        /// The file's length.
        got: usize,
        /// The length its header implies (`None`: the header itself is cut).
        expected: Option<usize>,
    },
    /// A well-formed proving key for this circuit: altered, or another
    /// setup's key.
    OtherKey {
        /// Short fingerprint of the verifying key it carries.
        vk: String,
    },
}

impl core::fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotAProvingKey => {
                write!(f, "the file is not a zkstatus proving key (no ZKPK magic bytes)")
            }
            Self::VerifyingKey => write!(
                f,
                "the file is a zkstatus verifying key (ZKVK), not a proving key"
            ),
            Self::UnsupportedVersion(1) => write!(
                f,
                "the file is a version-1 zkstatus proving key (statement v1); this build proves statement v2 (file version {PK2_FILE_VERSION})"
            ),
            Self::UnsupportedVersion(v) => write!(
                f,
                "the file is a zkstatus proving key of format version {v} (this build reads {PK2_FILE_VERSION})"
            ),
            Self::OtherCircuit { found, expected } => write!(
                f,
                "the file is a zkstatus proving key for another circuit (wrong circuit: fingerprint {found}, this build proves {expected})"
            ),
            Self::Truncated {
                got,
                expected: Some(expected),
            } => write!(
                f,
                "the file is a zkstatus proving key for this circuit, truncated or extended ({got} bytes, its header implies {expected})"
            ),
            Self::Truncated {
                got,
                expected: None,
            } => write!(
                f,
                "the file is a truncated zkstatus proving key ({got} bytes, shorter than its {HEADER_BYTES}-byte header)"
            ),
            Self::OtherKey { vk } => write!(
                f,
                "the file is a zkstatus proving key for this circuit, but altered or from another setup (its verifying key is {vk})"
            ),
        }
    }
}

/// Read what a file is from its fixed header, without decoding any point.
pub fn diagnose(file: &[u8]) -> Diagnosis {
    if file.len() >= 4 && file[..4] == VK_FILE_MAGIC {
        return Diagnosis::VerifyingKey;
    }
    if file.len() < 4 || file[..4] != PK_FILE_MAGIC {
        return Diagnosis::NotAProvingKey;
    }
    if file.len() < HEADER_BYTES {
        return Diagnosis::Truncated {
            got: file.len(),
            expected: None,
        };
    }
    if file[4] != PK2_FILE_VERSION {
        return Diagnosis::UnsupportedVersion(file[4]);
    }
    if file[FINGERPRINT_AT..VK_AT] != CIRCUIT_FINGERPRINT_V2 {
        let mut found = [0u8; 32];
        found.copy_from_slice(&file[FINGERPRINT_AT..VK_AT]);
        let (found, expected) = distinct_fingerprints(&found, &CIRCUIT_FINGERPRINT_V2);
        return Diagnosis::OtherCircuit { found, expected };
    }
    // Counts above the cap make the file invalid anyway; saturate.
    let mut counts = [0usize; 5];
    for (i, c) in counts.iter_mut().enumerate() {
        let at = COUNTS_AT + 4 * i;
        let mut b = [0u8; 4];
        b.copy_from_slice(&file[at..at + 4]);
        *c = u32::from_le_bytes(b).min(MAX_QUERY_POINTS.saturating_add(1)) as usize;
    }
    let [na, nb1, nb2, nh, nl] = counts;
    let expected = HEADER_BYTES + (na + nb1 + nh + nl) * G1_BYTES + nb2 * G2_BYTES;
    if file.len() != expected {
        return Diagnosis::Truncated {
            got: file.len(),
            expected: Some(expected),
        };
    }
    let vk: [u8; 32] = Sha256::digest(&file[VK_AT..VK_AT + VK2_BYTES]).into();
    Diagnosis::OtherKey {
        vk: short_fingerprint(&vk),
    }
}

/// Why a proving key was refused. Nothing here is secret: fingerprints and
/// sizes of a public file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyLoadError {
    /// The file exceeds [`MAX_PK_FILE_BYTES`]; it was not read.
    #[error("proving key: the file is {got} bytes, at most {max} are accepted")]
    TooLarge {
        /// Its size.
        got: usize,
        /// The cap.
        max: usize,
    },
    /// The file's fingerprint is not the pinned one; it was not parsed.
    #[error(
        "proving key fingerprint {} is not the pinned {}: refused before use; {diagnosis}",
        hex::encode(.actual),
        hex::encode(.pinned)
    )]
    NotPinned {
        /// SHA-256 of the file.
        actual: [u8; 32],
        /// The pinned fingerprint.
        pinned: [u8; 32],
        /// What the file looks like instead.
        diagnosis: Diagnosis,
    },
    /// The pinned file itself is not a usable proving key (the pin names
    /// the wrong file).
    #[error("proving key (it matches the pin, so the pin names a bad file): {0}")]
    Invalid(#[from] KeyError),
    /// The pinned key's query sizes do not fit together.
    #[error(
        "proving key (it matches the pin, so the pin names a bad file): inconsistent query sizes \
         (a {a}, b_g1 {b_g1}, b_g2 {b_g2}, l {l} + {inputs} input bases)"
    )]
    Shape {
        /// `a_query` length.
        a: usize,
        /// `b_g1_query` length.
        b_g1: usize,
        /// `b_g2_query` length.
        b_g2: usize,
        /// `l_query` length.
        l: usize,
        /// Input bases in the verifying key.
        inputs: usize,
    },
    /// A kept fast form of the key was refused (altered, truncated, for
    /// another pin or part); the page falls back to the pinned file.
    #[error(transparent)]
    Cache(#[from] FastFormError),
}

/// A proving key whose file matched the pinned fingerprint and whose every
/// point was validated.
#[derive(Clone)]
pub struct PinnedProvingKey {
    pk: ProvingKeyV2,
    fingerprint: [u8; 32],
    vk_fingerprint: [u8; 32],
}

impl core::fmt::Debug for PinnedProvingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PinnedProvingKey")
            .field("fingerprint", &hex::encode(self.fingerprint))
            .field("vk", &short_fingerprint(&self.vk_fingerprint))
            .finish()
    }
}

impl PinnedProvingKey {
    /// Accept `file` only if its SHA-256 is `pinned`, then parse it (see the
    /// module documentation for the order and why the points are not
    /// re-validated).
    pub fn load(file: &[u8], pinned: &[u8; 32]) -> Result<Self, KeyLoadError> {
        let fingerprint = check_pin(file, pinned)?;
        let pk = ProvingKeyV2::from_pinned_file(file, pinned)?;
        check_shape(&pk)?;
        let vk_fingerprint = pk.verifying_key().fingerprint();
        Ok(Self {
            pk,
            fingerprint,
            vk_fingerprint,
        })
    }

    /// The file's fingerprint (SHA-256), equal to the pin.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// The fingerprint of the verifying key inside, as the verifiers and
    /// `zkstatus inspect` show it.
    pub fn vk_fingerprint(&self) -> [u8; 32] {
        self.vk_fingerprint
    }

    /// The version-2 verifying-key file (`zkstatus.vk`) of this key.
    pub fn vk_file(&self) -> Vec<u8> {
        vk2_to_file(&self.pk.verifying_key(), self.pk.qap_reduction())
    }

    /// The key, for proving.
    pub fn proving_key(&self) -> &ProvingKeyV2 {
        &self.pk
    }
}

/// The size cap, then the file's SHA-256 against the pin, before any byte
/// is parsed; a file that is not the pinned one is diagnosed from its header.
fn check_pin(file: &[u8], pinned: &[u8; 32]) -> Result<[u8; 32], KeyLoadError> {
    if file.len() > MAX_PK_FILE_BYTES {
        return Err(KeyLoadError::TooLarge {
            got: file.len(),
            max: MAX_PK_FILE_BYTES,
        });
    }
    let fingerprint = pk_fingerprint(file);
    if &fingerprint != pinned {
        return Err(KeyLoadError::NotPinned {
            actual: fingerprint,
            pinned: *pinned,
            diagnosis: diagnose(file),
        });
    }
    Ok(fingerprint)
}

/// The main worker's part of the pinned proving key for split proving
/// (`zkstatus_prover::split`): the same order of checks as
/// [`PinnedProvingKey::load`] (size cap, pin, diagnosis), then
/// [`MainKey::from_pinned_file`], which checks the header, the verifying key
/// and the query sizes in full and skips the helper's queries.
pub fn load_main_key(
    file: &[u8],
    pinned: &[u8; 32],
    share: Share,
) -> Result<MainKey, KeyLoadError> {
    check_pin(file, pinned)?;
    Ok(MainKey::from_pinned_file(file, pinned, share)?)
}

/// The helper worker's part of the pinned proving key (only its share's
/// queries are decoded); checks as [`load_main_key`].
pub fn load_helper_key(
    file: &[u8],
    pinned: &[u8; 32],
    share: Share,
) -> Result<HelperKey, KeyLoadError> {
    check_pin(file, pinned)?;
    Ok(HelperKey::from_pinned_file(file, pinned, share)?)
}

/// The main worker's part of the pinned key from its fast form
/// ([`MainKey::to_fast_form`], kept by the page after a checked load): no
/// SHA-256 of the key file, no decompression. Refused with
/// [`KeyLoadError::Cache`] unless the form's digest, pin, part and share
/// match (`zkstatus_prover::split`'s `cache` module says why its points need
/// no re-validation).
pub fn load_main_fast(
    form: &[u8],
    pinned: &[u8; 32],
    share: Share,
) -> Result<MainKey, KeyLoadError> {
    Ok(MainKey::from_fast_form(form, pinned, share)?)
}

/// The helper's part from its fast form; as [`load_main_fast`].
pub fn load_helper_fast(
    form: &[u8],
    pinned: &[u8; 32],
    share: Share,
) -> Result<HelperKey, KeyLoadError> {
    Ok(HelperKey::from_fast_form(form, pinned, share)?)
}

impl KeyLoadError {
    /// A stable code for the JavaScript API: `pk-too-large`,
    /// `pk-pin-mismatch`, `pk-cache-invalid` or `pk-invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "pk-too-large",
            Self::NotPinned { .. } => "pk-pin-mismatch",
            Self::Cache(_) => "pk-cache-invalid",
            _ => "pk-invalid",
        }
    }
}

/// ark-groth16 indexes `query[0]` of `a`, `b_g1` and `b_g2` and multiplies
/// the rest against the assignment (truncating to the shorter); consistent,
/// non-empty sizes make every prover step total. A key too small for the
/// circuit then yields a proof the self-check rejects, never a trap.
fn check_shape(pk: &ProvingKeyV2) -> Result<(), KeyLoadError> {
    let k = pk.as_ark();
    let (a, b_g1, b_g2, l, inputs) = (
        k.a_query.len(),
        k.b_g1_query.len(),
        k.b_g2_query.len(),
        k.l_query.len(),
        k.vk.gamma_abc_g1.len(),
    );
    if a == 0 || b_g1 != a || b_g2 != a || inputs.checked_add(l) != Some(a) {
        return Err(KeyLoadError::Shape {
            a,
            b_g1,
            b_g2,
            l,
            inputs,
        });
    }
    Ok(())
}
