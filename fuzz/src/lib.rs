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

/// A transparency log of four entries (`zkstatus-log`), built in memory
/// the way `zkstatus_log::fs::LogDir` writes one (entry bundles, hash tiles,
/// a checkpoint signed by the log and cosigned by one witness), with keys
/// from a fixed seed: the `log_checkpoint` and `log_audit` targets fuzz
/// what an auditor reads. Test keys only, public on purpose.
pub mod log {
    use std::collections::HashMap;
    use zkstatus_circuits::eddsa::PrivateKey;
    use zkstatus_circuits::registry::{IssuerLeaf, Window};
    use zkstatus_log::tiles::{
        bundles_for, encode_bundle, entries_tile_path, hash_tile_path, StoredHashes,
    };
    use zkstatus_log::{
        LogEntry, LogPublicKey, LogSigningKey, Store, WitnessPublicKey, WitnessSigningKey,
    };
    use zkstatus_verifier::registry::Entry;

    /// The log's origin.
    pub const ORIGIN: &str = "fuzz.example/log";
    /// The witness's name.
    pub const WITNESS: &str = "witness.example";
    /// The cosignature's time.
    pub const COSIGNED_AT: u64 = 1_800_000_000;

    /// A deterministic byte stream (SplitMix64) for the test keys: the
    /// fuzz targets need the same keys in every run. Not a secure RNG; it
    /// is marked `CryptoRng` only to call the key generators.
    #[derive(Debug)]
    pub struct FixedRng(u64);

    impl rand_core::RngCore for FixedRng {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            rand_core::impls::fill_bytes_via_next(self, dest)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl rand_core::CryptoRng for FixedRng {}

    /// The log: its keys, entries and files.
    #[derive(Debug)]
    pub struct Fixture {
        /// The log's public key.
        pub log_key: LogPublicKey,
        /// The witness's public key.
        pub witness: WitnessPublicKey,
        /// The entries.
        pub entries: Vec<LogEntry>,
        /// The files, by tlog-tiles path (`checkpoint`, `tile/...`).
        pub files: HashMap<String, Vec<u8>>,
        /// The checkpoint signed by the log only.
        pub signed: Vec<u8>,
        /// The same checkpoint cosigned by the witness (the `checkpoint` file).
        pub cosigned: Vec<u8>,
        /// The checkpoint's text (the note without its signatures).
        pub text: Vec<u8>,
    }

    fn added(epoch: u64, index: u16, seed: u8) -> LogEntry {
        LogEntry::IssuerAdded {
            epoch,
            index,
            entry: Entry {
                leaf: IssuerLeaf {
                    key: PrivateKey::from_bytes([seed; 32]).public_key(),
                    window: Window::new(1_000, 5_000)
                        .unwrap_or_else(|e| super::fail(&e.to_string())),
                },
                name: format!("Lab {index}"),
            },
        }
    }

    /// Build the log.
    pub fn fixture() -> Fixture {
        let built = (|| {
            let mut rng = FixedRng(64);
            let (key, _) = LogSigningKey::generate(&mut rng, ORIGIN).map_err(|e| e.to_string())?;
            let (witness, _) =
                WitnessSigningKey::generate(&mut rng, WITNESS).map_err(|e| e.to_string())?;
            let entries = vec![
                added(1, 0, 1),
                added(2, 1, 2),
                LogEntry::IssuerRetired {
                    epoch: 3,
                    index: 0,
                    key: PrivateKey::from_bytes([1; 32]).public_key(),
                    at: 2_000,
                },
                LogEntry::CeremonyResult {
                    at: 7,
                    transcript_hash: [1; 32],
                    vk_fingerprint: [2; 32],
                },
            ];
            let raw: Vec<Vec<u8>> = entries.iter().map(LogEntry::to_bytes).collect();
            let size = raw.len() as u64;
            let mut files = HashMap::new();
            let mut at = 0usize;
            for (n, w) in bundles_for(size) {
                let chunk = &raw[at..at + w as usize];
                at += w as usize;
                files.insert(
                    entries_tile_path(n, w),
                    encode_bundle(chunk.iter().map(Vec::as_slice)),
                );
            }
            let mut hashes = StoredHashes::new();
            for (i, e) in raw.iter().enumerate() {
                hashes.push(i as u64, e).map_err(|e| e.to_string())?;
            }
            for (tile, data) in hashes.tiles(0, size).map_err(|e| e.to_string())? {
                files.insert(hash_tile_path(&tile), data);
            }
            let root = hashes.tree_hash(size).map_err(|e| e.to_string())?;
            let signed = key.sign_checkpoint(size, root).map_err(|e| e.to_string())?;
            let cosigned = witness
                .cosign(&signed, COSIGNED_AT)
                .map_err(|e| e.to_string())?;
            files.insert("checkpoint".to_string(), cosigned.clone());
            // A note's text ends at the blank line before its signatures.
            let split = signed
                .windows(2)
                .position(|w| w == b"\n\n")
                .ok_or("no blank line in the note")?;
            Ok::<_, String>(Fixture {
                log_key: key.public().clone(),
                witness: witness.public().clone(),
                entries,
                files,
                text: signed[..split + 1].to_vec(),
                signed,
                cosigned,
            })
        })();
        built.unwrap_or_else(|e| super::fail(&format!("log fixture: {e}")))
    }

    /// A registry bundle of a log that published two roots: its bytes,
    /// the trust configuration that accepts it, and the roots it gives.
    #[derive(Debug)]
    pub struct BundleFixture {
        /// The bundle (`ZKRB` v1).
        pub bytes: Vec<u8>,
        /// The trust configuration's JSON (the log key, the witness, k = 1,
        /// [`BUNDLE_MAX_AGE`]).
        pub trust_json: String,
        /// The roots the log published, in order.
        pub roots: Vec<zkstatus_verifier::v2::roots::PublishedRoot>,
    }

    /// The bundle fixture's `max_age`.
    pub const BUNDLE_MAX_AGE: u64 = 3_600;

    /// Build the bundle fixture: an issuer, a root, a second issuer, a
    /// second root; checkpointed and cosigned at [`COSIGNED_AT`].
    pub fn bundle_fixture() -> BundleFixture {
        use ark_ff::PrimeField as _;
        use zkstatus_verifier::bundle::BundleTrust;
        use zkstatus_verifier::v2::roots::PublishedRoot;
        let built = (|| {
            let mut rng = FixedRng(65);
            let (key, _) = LogSigningKey::generate(&mut rng, ORIGIN).map_err(|e| e.to_string())?;
            let (witness, _) =
                WitnessSigningKey::generate(&mut rng, WITNESS).map_err(|e| e.to_string())?;
            let root = |epoch: u64, at: u64| PublishedRoot {
                epoch,
                root: ark_bn254::Fr::from_le_bytes_mod_order(&[epoch as u8; 32]),
                published_at: at,
                activates_at: at + 600,
                end_date: 5_000,
            };
            let roots = vec![root(1, 1_100), root(2, 1_200)];
            let entries = [
                added(1, 0, 1),
                LogEntry::RootPublished(roots[0]),
                added(2, 1, 2),
                LogEntry::RootPublished(roots[1]),
            ];
            let raw: Vec<Vec<u8>> = entries.iter().map(LogEntry::to_bytes).collect();
            let mut hashes = StoredHashes::new();
            for (i, e) in raw.iter().enumerate() {
                hashes.push(i as u64, e).map_err(|e| e.to_string())?;
            }
            let size = raw.len() as u64;
            let tree = hashes.tree_hash(size).map_err(|e| e.to_string())?;
            let signed = key.sign_checkpoint(size, tree).map_err(|e| e.to_string())?;
            let cosigned = witness
                .cosign(&signed, COSIGNED_AT)
                .map_err(|e| e.to_string())?;
            let (bundle, _) =
                zkstatus_log::bundle::build(&raw, &cosigned).map_err(|e| e.to_string())?;
            let bytes = bundle.to_bytes().map_err(|e| e.to_string())?;
            let trust_json = BundleTrust::to_json(
                key.public().as_str(),
                &[witness.public().as_str().to_string()],
                1,
                BUNDLE_MAX_AGE,
            );
            Ok::<_, String>(BundleFixture {
                bytes,
                trust_json,
                roots,
            })
        })();
        built.unwrap_or_else(|e| super::fail(&format!("bundle fixture: {e}")))
    }

    /// The files of a log, in memory.
    #[derive(Debug, Clone)]
    pub struct MemStore(pub HashMap<String, Vec<u8>>);

    impl Store for MemStore {
        fn get(&self, path: &str, cap: usize) -> Result<Option<Vec<u8>>, String> {
            match self.0.get(path) {
                Some(b) if b.len() > cap => Err(format!("over {cap} bytes")),
                Some(b) => Ok(Some(b.clone())),
                None => Ok(None),
            }
        }
    }
}
