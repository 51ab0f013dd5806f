//! A registry bundle for a roots file, for smoke tests and benches that
//! start from a frozen roots file (`scripts/build-wasm.sh`,
//! `web/test/bench-chromium.mjs`): a transparency log whose entries publish
//! the roots in order, its checkpoint signed by a seeded log key and
//! cosigned by a seeded witness at NOW.
//!
//! `bundle_for_roots ROOTS_JSON NOW OUT_DIR` writes OUT_DIR/registry.bundle
//! and OUT_DIR/trust.json.
//!
//! **Tests only**: the keys are seeded, so anyone can sign such a bundle.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// Host only: the log writer and the seeded generator are host
// dev-dependencies (the crate's wasm32 build lints its examples too).
#[cfg(not(target_family = "wasm"))]
mod native {
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    use zkstatus_log::{LogSigningKey, WitnessSigningKey};
    use zkstatus_verifier::bundle::{BundleTrust, DEFAULT_MAX_AGE_SECS};
    use zkstatus_verifier::v2::roots::AcceptedRoots;

    pub fn main() {
        let args: Vec<String> = std::env::args().collect();
        if args.len() != 4 {
            eprintln!("usage: bundle_for_roots ROOTS_JSON NOW OUT_DIR");
            std::process::exit(2);
        }
        let roots =
            AcceptedRoots::from_json(&std::fs::read_to_string(&args[1]).expect("read the roots"))
                .expect("a roots file");
        let now: u64 = args[2].parse().expect("NOW: unix seconds");
        let out = std::path::Path::new(&args[3]);
        let mut rng = ChaCha20Rng::seed_from_u64(0x106);
        let (log, _) = LogSigningKey::generate(&mut rng, "test.example/log").unwrap();
        let (witness, _) = WitnessSigningKey::generate(&mut rng, "witness.example").unwrap();
        let bundle = zkstatus_log::bundle::of_roots(&log, &witness, roots.roots(), now)
            .expect("a bundle of the roots");
        std::fs::write(out.join("registry.bundle"), bundle.to_bytes().unwrap()).expect("write");
        let trust = BundleTrust::to_json(
            log.public().as_str(),
            &[witness.public().as_str().to_string()],
            1,
            DEFAULT_MAX_AGE_SECS,
        );
        std::fs::write(out.join("trust.json"), trust).expect("write");
    }
}

fn main() {
    #[cfg(not(target_family = "wasm"))]
    native::main();
}
