//! Loading a proving key: fully validated, or fast behind a pin (the
//! file's SHA-256), which is checked before anything is parsed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkstatus_prover::keys::{self, pk_file_fingerprint, KeyError, ProvingKey};

#[test]
fn loads_a_pinned_key_file_identical_to_the_validated_load() {
    let (pk, _) = keys::setup_with_rng(&mut ChaCha20Rng::seed_from_u64(77)).unwrap();
    let file = pk.to_file();
    let pin = pk_file_fingerprint(&file);
    let validated = ProvingKey::from_file(&file).unwrap();
    let pinned = ProvingKey::from_pinned_file(&file, &pin).unwrap();
    assert!(validated == pinned);
    assert!(pinned == pk);
}

#[test]
fn refuses_a_key_file_that_is_not_the_pinned_one_before_parsing() {
    let (pk, _) = keys::setup_with_rng(&mut ChaCha20Rng::seed_from_u64(78)).unwrap();
    let file = pk.to_file();
    let pin = pk_file_fingerprint(&file);
    // One bit in the last point, and a truncated copy: both refused by
    // the pin, whatever the parser would have said.
    let mut flipped = file.clone();
    *flipped.last_mut().unwrap() ^= 1;
    for bad in [flipped, file[..file.len() - 1].to_vec(), Vec::new()] {
        match ProvingKey::from_pinned_file(&bad, &pin) {
            Err(KeyError::NotPinned { found, expected }) => {
                assert_eq!(expected, hex::encode(pin));
                assert_eq!(found, hex::encode(pk_file_fingerprint(&bad)));
            }
            other => panic!("expected NotPinned, got {other:?}"),
        }
    }
}
