//! Our strict base45 (verifier/src/payload.rs, hand-written for its
//! character-index errors and its strict final pair) checked against the
//! maintained `base45` crate (RFC 9285): both encode every byte string
//! alike, each decodes the other's encodings, and every text we accept the
//! crate accepts with the same bytes. Where they differ, it is only the
//! crate accepting a non-canonical final pair that we refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkstatus_verifier::payload::{base45_decode, base45_encode};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

#[test]
fn encodes_every_byte_string_as_the_base45_crate_does() {
    let mut rng = ChaCha20Rng::seed_from_u64(45);
    for len in 0..=200 {
        let mut bytes = vec![0u8; len];
        rng.fill_bytes(&mut bytes);
        let ours = base45_encode(&bytes);
        assert_eq!(ours, base45::encode(&bytes), "len {len}");
        assert_eq!(base45_decode(&ours).unwrap(), bytes, "len {len}");
        assert_eq!(base45::decode(&ours).unwrap(), bytes, "len {len}");
    }
}

#[test]
fn every_text_we_accept_the_base45_crate_decodes_to_the_same_bytes() {
    let mut rng = ChaCha20Rng::seed_from_u64(9285);
    let mut accepted = 0;
    for _ in 0..20_000 {
        let len = rng.gen_range(0..12);
        let text: String = (0..len)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();
        match base45_decode(&text) {
            Ok(bytes) => {
                accepted += 1;
                assert_eq!(base45::decode(&text).unwrap(), bytes, "{text:?}");
                // Ours is canonical: the text is the encoding of its bytes.
                assert_eq!(base45_encode(&bytes), text);
            }
            Err(i) => {
                assert!(i < text.len(), "{text:?}: index {i}");
                // Where the crate accepts what we refuse, it decodes to
                // bytes whose encoding is another text (non-canonical).
                if let Ok(bytes) = base45::decode(&text) {
                    assert_ne!(base45::encode(&bytes), text, "{text:?}");
                }
            }
        }
    }
    assert!(accepted > 1_000, "only {accepted} texts accepted");
}
