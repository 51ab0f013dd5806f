//! The original BLAKE-512 hash (Aumasson, Henzen, Meier, Phan; SHA-3
//! finalist, final-round version with 16 rounds), as implemented by the npm
//! package `blake-hash` that circomlibjs uses to derive EdDSA keys and
//! nonces.
//!
//! This is **not** BLAKE2b: the compression function uses the sixteen
//! constants `c0..c15` (digits of π) in every `G`, runs 16 rounds, and the
//! padding is `1 0* 1 ‖ len128` with a bit counter that is zero for a block
//! holding no message bits.
//!
//! Only the unsalted, one-shot form is provided; that is all circomlibjs
//! needs. The function is total: it accepts any input length and never
//! panics.
//!
//! # Why this is hand-written (checked 2026-12)
//!
//! The only pure-Rust crate for the original BLAKE-512 is `blake-hash`
//! (cryptocorrosion). We keep our own because, at its latest release
//! (0.4.1, 2021-12-30):
//!
//! - its `Blake512` does not compute BLAKE-512: it fails every circomlibjs
//!   vector in `tests/vectors/eddsa_poseidon.json` (it gives
//!   `BLAKE-512("") = 076579fb…` instead of `a8cfbbd7…`) and disagrees with
//!   this module on every input length from 0 to 1000, with ppv-lite86
//!   0.2.16, 0.2.17 and 0.2.21 alike. Its own test suite has the
//!   BLAKE-384/512 known-answer tests commented out; only its `Blake256`
//!   matches the reference;
//! - it does not build with `default-features = false` (it names the
//!   optional `simd` dependency unconditionally), so it cannot follow our
//!   no-default-features rule;
//! - it is on `digest`/`block-buffer` 0.9 while we use 0.10 (via `sha2`),
//!   and has had no release for five years.
//!
//! So switching would break EdDSA key derivation, not simplify it. The
//! circomlibjs vectors (`tests/eddsa_vectors.rs`) and the official and
//! padding-boundary answers below pin this implementation.

/// Digest size in bytes.
pub const OUTPUT_LEN: usize = 64;

/// Block size in bytes.
const BLOCK_LEN: usize = 128;

/// Number of rounds of the final (SHA-3 round 3) BLAKE-512.
const ROUNDS: usize = 16;

/// Position of the trailing `1` padding bit's byte inside the last block
/// (just before the 16-byte length).
const LAST_PAD_BYTE: usize = BLOCK_LEN - 17;

/// Initial chaining value (the same as SHA-512's).
const IV: [u64; 8] = [
    0x6A09_E667_F3BC_C908,
    0xBB67_AE85_84CA_A73B,
    0x3C6E_F372_FE94_F82B,
    0xA54F_F53A_5F1D_36F1,
    0x510E_527F_ADE6_82D1,
    0x9B05_688C_2B3E_6C1F,
    0x1F83_D9AB_FB41_BD6B,
    0x5BE0_CD19_137E_2179,
];

/// The constants `c0..c15`: the first 1024 bits of the fractional part of π.
const C: [u64; 16] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
    0x4528_21E6_38D0_1377,
    0xBE54_66CF_34E9_0C6C,
    0xC0AC_29B7_C97C_50DD,
    0x3F84_D5B5_B547_0917,
    0x9216_D5D9_8979_FB1B,
    0xD131_0BA6_98DF_B5AC,
    0x2FFD_72DB_D01A_DFB7,
    0xB8E1_AFED_6A26_7E96,
    0xBA7C_9045_F12C_7F99,
    0x24A1_9947_B391_6CF7,
    0x0801_F2E2_858E_FC16,
    0x6369_20D8_7157_4E69,
];

/// The message-word permutations `σ_0..σ_9`; round `r` uses `σ_{r mod 10}`.
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// The state indices `(a, b, c, d)` of the eight `G` applications of a
/// round: four on the columns, then four on the diagonals.
const G_INDICES: [(usize, usize, usize, usize); 8] = [
    (0, 4, 8, 12),
    (1, 5, 9, 13),
    (2, 6, 10, 14),
    (3, 7, 11, 15),
    (0, 5, 10, 15),
    (1, 6, 11, 12),
    (2, 7, 8, 13),
    (3, 4, 9, 14),
];

/// BLAKE-512 of `data` (any length), as npm `blake-hash`'s `blake512`.
///
/// ```
/// use zkstatus_circuits::eddsa::blake512::blake512;
/// let d = blake512(b"");
/// assert_eq!(d[..4], [0xa8, 0xcf, 0xbb, 0xd7]);
/// ```
pub fn blake512(data: &[u8]) -> [u8; OUTPUT_LEN] {
    let mut h = IV;
    // Message length in bits. `usize` is at most 64 bits, so `8·len`
    // fits in the 128-bit counter without overflow.
    let total_bits = (data.len() as u128) << 3;

    let mut blocks = data.chunks_exact(BLOCK_LEN);
    let mut counter: u128 = 0;
    for block in &mut blocks {
        counter += (BLOCK_LEN as u128) << 3;
        compress(&mut h, block, counter);
    }

    // Padding: the remaining bytes, a `1` bit, zeros, a `1` bit at bit
    // 895 mod 1024, and the 128-bit big-endian bit length. One block if
    // at most 111 bytes remain, two otherwise.
    let rem = blocks.remainder();
    let mut tail = [[0u8; BLOCK_LEN]; 2];
    let two_blocks = rem.len() > LAST_PAD_BYTE;
    for (dst, src) in tail[0].iter_mut().zip(rem) {
        *dst = *src;
    }
    if let Some(b) = tail[0].get_mut(rem.len()) {
        *b |= 0x80;
    }
    let last = usize::from(two_blocks);
    tail[last][LAST_PAD_BYTE] |= 0x01;
    for (dst, src) in tail[last][BLOCK_LEN - 16..]
        .iter_mut()
        .zip(total_bits.to_be_bytes())
    {
        *dst = src;
    }

    // The counter is the number of message bits hashed up to the end of the
    // block, or zero for a block that carries no message bits.
    let first_counter = if rem.is_empty() { 0 } else { total_bits };
    compress(&mut h, &tail[0], first_counter);
    if two_blocks {
        compress(&mut h, &tail[1], 0);
    }

    let mut out = [0u8; OUTPUT_LEN];
    for (chunk, word) in out.chunks_exact_mut(8).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The BLAKE-512 compression function with a zero salt. `block` is one
/// 128-byte block (big-endian words), `counter` the bit counter `t`.
fn compress(h: &mut [u64; 8], block: &[u8], counter: u128) {
    let mut m = [0u64; 16];
    for (word, bytes) in m.iter_mut().zip(block.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        *word = u64::from_be_bytes(b);
    }
    // Truncation is intended: the counter is split into two 64-bit words.
    let t0 = counter as u64;
    let t1 = (counter >> 64) as u64;

    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&C[..8]);
    v[12] ^= t0;
    v[13] ^= t0;
    v[14] ^= t1;
    v[15] ^= t1;

    for round in 0..ROUNDS {
        let s = &SIGMA[round % SIGMA.len()];
        for (i, &(a, b, c, d)) in G_INDICES.iter().enumerate() {
            let (x, y) = (s[2 * i], s[2 * i + 1]);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(m[x] ^ C[y]);
            v[d] = (v[d] ^ v[a]).rotate_right(32);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(25);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(m[y] ^ C[x]);
            v[d] = (v[d] ^ v[a]).rotate_right(16);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(11);
        }
    }

    for (i, hi) in h.iter_mut().enumerate() {
        *hi ^= v[i] ^ v[i + 8];
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Official known answers of the BLAKE submission (v1.3, appendix:
    /// one zero byte, and 144 zero bytes spanning two blocks), and the
    /// `""` / `"abc"` values that circomlibjs' `blake-hash` produces.
    #[test]
    fn official_known_answers() {
        assert_eq!(
            hex(&blake512(&[0u8])),
            "97961587f6d970faba6d2478045de6d1fabd09b61ae50932054d52bc29d31be4\
             ff9102b9f69e2bbdb83be13d4b9c06091e5fa0b48bd081b634058be0ec49beb3"
        );
        assert_eq!(
            hex(&blake512(&[0u8; 144])),
            "313717d608e9cf758dcb1eb0f0c3cf9fc150b2d500fb33f51c52afc99d358a2f\
             1374b8a38bba7974e7f6ef79cab16f22ce1e649d6e01ad9589c213045d545dde"
        );
        assert_eq!(
            hex(&blake512(b"")),
            "a8cfbbd73726062df0c6864dda65defe58ef0cc52a5625090fa17601e1eecd1b\
             628e94f396ae402a00acc9eab77b4d4c2e852aaaa25a636d80af3fc7913ef5b8"
        );
        assert_eq!(
            hex(&blake512(b"abc")),
            "14266c7c704a3b58fb421ee69fd005fcc6eeff742136be67435df995b7c986e7\
             cbde4dbde135e7689c354d2bc5b8d260536c554b4f84c118e61efc576fed7cd3"
        );
    }

    /// Padding edge cases: 111 bytes (the two padding bits share one byte,
    /// `0x81`), 112 bytes (padding spills into a second, counter-zero
    /// block), and longer multi-block texts. Values as published with
    /// several independent BLAKE-512 implementations (dchest/blake512, the
    /// bugbee `blake.py` test suite, Wikipedia).
    #[test]
    fn padding_boundaries_and_multi_block() {
        let cases: [(&[u8], &str); 5] = [
            (
                &[0u8; 111],
                "125695c5cc01de48d8b107c101778fc447a55ad3440a17dc153c6c652faecdbf\
                 017aed68f4f48826b9dfc413ef8f14ae7dfd8b74a0afcf47b61ce7dcb1058976",
            ),
            (
                &[0u8; 112],
                "aa42836448c9db34e0e45a49f916b54c25c9eefe3f9f65db0c13654bcbd9a938\
                 c24251f3bedb7105fa4ea54292ce9ebf5adea15ce530fb71cdf409387a78c6ff",
            ),
            (
                b"BLAKE",
                "7bf805d0d8de36802b882e65d0515aa7682a2be97a9d9ec1399f4be2eff7de07\
                 684d7099124c8ac81c1c7c200d24ba68c6222e75062e04feb0e9dd589aa6e3b7",
            ),
            (
                b"The quick brown fox jumps over the lazy dog",
                "1f7e26f63b6ad25a0896fd978fd050a1766391d2fd0471a77afb975e5034b7ad\
                 2d9ccf8dfb47abbbe656e1b82fbc634ba42ce186e8dc5e1ce09a885d41f43451",
            ),
            (
                b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. Donec a diam lectus. Sed sit amet ipsum mauris. Maecenas congue ligula ac quam viverra nec consectetur ante hendrerit. Donec et mollis dolor. Praesent et diam eget libero egestas mat",
                "c805573523a7f386732329b6c001e6fe1e1d1842b8152d8f205b86078e571afb\
                 aaf4c560cf084fe297e05aac14ae4ded7fdfa2db461fb05d3add28de3f2293c3",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(hex(&blake512(input)), expected, "len {}", input.len());
        }
    }

    /// Every length around the block and padding boundaries hashes without
    /// panicking and gives distinct digests.
    #[test]
    fn all_lengths_up_to_three_blocks_are_total_and_distinct() {
        let data = [0u8; 3 * BLOCK_LEN + 1];
        let mut seen = std::collections::HashSet::new();
        for len in 0..=data.len() {
            assert!(seen.insert(blake512(&data[..len])), "collision at {len}");
        }
    }
}
