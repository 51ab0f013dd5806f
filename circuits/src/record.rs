//! A credential's record and its commitment.
//!
//! The issuer signs the commitment
//! `C = Poseidon(DOMAIN_TAG, FORMAT_VERSION, holder, test_result, test_type,
//! test_time, exposure_time, issued_at, expires_at, credential_id)`,
//! ten inputs (width 11) in exactly this order ([`Record::to_field_elements`]).
//! The domain tag and version make `C` distinct from every other Poseidon
//! use of the same key, and the fixed arity rules out length games
//! (docs/security.md, V1, item 80).

use crate::poseidon;
use ark_bn254::Fr;
use ark_ff::{MontFp, UniformRand};
use ark_std::rand::{CryptoRng, RngCore};

/// `"zkstatus.credential"` read as a big-endian integer.
pub const DOMAIN_TAG: Fr = MontFp!("2730051215984092648765858315769139577894822252");
/// The record format version committed in `C`.
pub const FORMAT_VERSION: u64 = 1;
/// Number of field elements hashed into `C`.
pub const COMMITMENT_ARITY: usize = 10;
/// `exposure_time` value meaning "no known exposure".
pub const NO_EXPOSURE: u64 = 0;

/// A test outcome. Only [`TestResult::Negative`] can be proven green.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TestResult {
    /// Encoded as 0.
    Negative,
    /// Encoded as 1.
    Positive,
}

impl TestResult {
    /// The field encoding.
    pub fn code(self) -> u64 {
        match self {
            Self::Negative => 0,
            Self::Positive => 1,
        }
    }

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Negative => "negative",
            Self::Positive => "positive",
        }
    }

    /// Decode, `None` for an unknown code.
    pub fn from_code(code: u64) -> Option<Self> {
        match code {
            0 => Some(Self::Negative),
            1 => Some(Self::Positive),
            _ => None,
        }
    }
}

/// A kind of test. The statement knows exactly these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TestType {
    /// PCR, encoded as 1.
    Pcr,
    /// Rapid antigen, encoded as 2.
    RapidAntigen,
}

impl TestType {
    /// Every test type, in code order.
    pub const ALL: [TestType; 2] = [TestType::Pcr, TestType::RapidAntigen];

    /// The field encoding.
    pub fn code(self) -> u64 {
        match self {
            Self::Pcr => 1,
            Self::RapidAntigen => 2,
        }
    }

    /// Decode, `None` for an unknown code.
    pub fn from_code(code: u64) -> Option<Self> {
        match code {
            1 => Some(Self::Pcr),
            2 => Some(Self::RapidAntigen),
            _ => None,
        }
    }

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pcr => "pcr",
            Self::RapidAntigen => "rapid_antigen",
        }
    }

    /// Bit of this type in a policy's accepted-types mask (`1 << (code − 1)`).
    pub fn mask_bit(self) -> u64 {
        1 << (self.code() - 1)
    }
}

/// The holder's secret; the record carries only `Poseidon(secret)`.
#[derive(Clone, PartialEq, Eq)]
pub struct HolderSecret(Fr);

impl core::fmt::Debug for HolderSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HolderSecret(..)")
    }
}

impl HolderSecret {
    /// A fresh secret from a cryptographic RNG.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self(Fr::rand(rng))
    }

    /// Wrap a field element (already validated as canonical by the caller).
    pub fn from_field(x: Fr) -> Self {
        Self(x)
    }

    /// The secret as a field element.
    pub fn to_field(&self) -> Fr {
        self.0
    }

    /// The holder commitment `Poseidon(secret)` that goes into the record.
    pub fn commitment(&self) -> Fr {
        poseidon::hash_fixed([self.0])
    }
}

/// A credential's record: what the issuer attests about one holder.
///
/// Times are unix seconds. The record never leaves the holder's device
/// except as the issuer's signature on its commitment.
#[derive(Clone, PartialEq, Eq)]
pub struct Record {
    /// `Poseidon(holder_secret)`.
    pub holder: Fr,
    /// Test outcome.
    pub test_result: TestResult,
    /// Test kind.
    pub test_type: TestType,
    /// When the sample was taken.
    pub test_time: u64,
    /// Time of the last known exposure, or [`NO_EXPOSURE`].
    pub exposure_time: u64,
    /// When the credential was issued.
    pub issued_at: u64,
    /// First second at which the credential is expired.
    pub expires_at: u64,
    /// Random identifier, for later revocation.
    pub credential_id: Fr,
}

impl core::fmt::Debug for Record {
    /// Prints nothing of the record: it is the holder's private data.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Record").finish_non_exhaustive()
    }
}

impl Record {
    /// The ten field elements hashed into the commitment, in order.
    pub fn to_field_elements(&self) -> [Fr; COMMITMENT_ARITY] {
        [
            DOMAIN_TAG,
            Fr::from(FORMAT_VERSION),
            self.holder,
            Fr::from(self.test_result.code()),
            Fr::from(self.test_type.code()),
            Fr::from(self.test_time),
            Fr::from(self.exposure_time),
            Fr::from(self.issued_at),
            Fr::from(self.expires_at),
            self.credential_id,
        ]
    }

    /// The commitment `C` the issuer signs.
    pub fn commitment(&self) -> Fr {
        poseidon::hash_fixed(self.to_field_elements())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use ark_ff::{BigInteger, PrimeField};

    #[test]
    fn domain_tag_spells_zkstatus_credential() {
        let be = DOMAIN_TAG.into_bigint().to_bytes_be();
        let text: Vec<u8> = be.into_iter().skip_while(|b| *b == 0).collect();
        assert_eq!(text, b"zkstatus.credential");
    }

    /// docs/security.md, item 85: records identical but for `credential_id`,
    /// or for the holder secret behind `holder`, commit differently; so do
    /// the holder commitments of different secrets. 64 random values each
    /// (as the issuer and the holder draw them: uniform field elements),
    /// plus neighbours differing by one: all commitments distinct.
    #[test]
    fn records_differing_only_in_blinding_commit_differently() {
        use ark_std::UniformRand;
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(85);
        let secret = HolderSecret::from_field(Fr::from(0x85u64));
        let base = Record {
            holder: secret.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: 1_700_000_000,
            exposure_time: NO_EXPOSURE,
            issued_at: 1_700_000_100,
            expires_at: 1_700_086_400,
            credential_id: Fr::from(1u64),
        };
        let mut ids: Vec<Fr> = (0..64).map(|_| Fr::rand(&mut rng)).collect();
        ids.extend([
            Fr::from(0u64),
            Fr::from(1u64),
            Fr::from(2u64),
            -Fr::from(1u64),
        ]);
        let mut seen = std::collections::BTreeSet::new();
        for id in &ids {
            let r = Record {
                credential_id: *id,
                ..base.clone()
            };
            assert!(
                seen.insert(r.commitment()),
                "credential_id {id}: repeated commitment"
            );
        }
        let mut holders = std::collections::BTreeSet::new();
        let mut secrets: Vec<HolderSecret> =
            (0..64).map(|_| HolderSecret::generate(&mut rng)).collect();
        secrets.extend([0u64, 1, 2].map(|v| HolderSecret::from_field(Fr::from(v))));
        for s in &secrets {
            assert!(holders.insert(s.commitment()), "holder commitment repeated");
            let r = Record {
                holder: s.commitment(),
                ..base.clone()
            };
            assert!(
                seen.insert(r.commitment()),
                "holder secret: repeated commitment"
            );
        }
    }

    #[test]
    fn debug_output_reveals_nothing() {
        let s = HolderSecret::from_field(Fr::from(123456789u64));
        assert_eq!(format!("{s:?}"), "HolderSecret(..)");
        let r = Record {
            holder: s.commitment(),
            test_result: TestResult::Negative,
            test_type: TestType::Pcr,
            test_time: 1_700_000_000,
            exposure_time: NO_EXPOSURE,
            issued_at: 1_700_000_100,
            expires_at: 1_700_086_400,
            credential_id: Fr::from(42u64),
        };
        let d = format!("{r:?}");
        assert!(!d.contains("1700000000") && !d.contains("42"), "{d}");
    }
}
