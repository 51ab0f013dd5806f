//! Helpers shared by the integration tests: strict parsing of the vector
//! files' decimal and hex strings.
//!
//! `Fr::from_str` reduces its input modulo the field order (and accepts a
//! leading minus), so it would silently accept a wrong vector. These
//! helpers parse to a `BigUint` and refuse anything not below the modulus.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_ff::{BigInteger, PrimeField};
use num_bigint::BigUint;
use serde_json::Value;
use zkstatus_circuits::babyjubjub::{Fq, Fs};

/// The Poseidon vector file.
pub const POSEIDON_JSON: &str = include_str!("../vectors/poseidon.json");
/// The EdDSA-Poseidon vector file.
pub const EDDSA_JSON: &str = include_str!("../vectors/eddsa_poseidon.json");

/// Parse a vector file.
pub fn load(text: &str) -> Value {
    serde_json::from_str(text).expect("vector file is valid JSON")
}

/// A JSON string field.
pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("missing string field {key}"))
}

/// A canonical decimal string (digits only, no leading zeros).
pub fn biguint(dec: &str) -> BigUint {
    assert!(
        !dec.is_empty() && dec.bytes().all(|b| b.is_ascii_digit()),
        "not a decimal: {dec}"
    );
    assert!(dec == "0" || !dec.starts_with('0'), "leading zero: {dec}");
    BigUint::parse_bytes(dec.as_bytes(), 10).unwrap()
}

/// A `BigUint` as an element of a prime field, panicking unless canonical.
pub fn field<F: PrimeField>(n: &BigUint) -> F {
    let modulus: BigUint = F::MODULUS.into();
    assert!(*n < modulus, "value not below the modulus: {n}");
    let big = F::BigInt::try_from(n.clone()).expect("fits in limbs");
    F::from_bigint(big).expect("canonical")
}

/// A canonical decimal string as an element of `Fq` (BN254 `Fr`).
pub fn fq(dec: &str) -> Fq {
    field(&biguint(dec))
}

/// A canonical decimal string as an element of `Fs` (mod `l`).
pub fn fs(dec: &str) -> Fs {
    field(&biguint(dec))
}

/// A field element as a `BigUint`.
pub fn to_biguint<F: PrimeField>(x: F) -> BigUint {
    x.into_bigint().into()
}

/// Lowercase hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes of a lowercase hex string of exactly `N` bytes.
pub fn hex_array<const N: usize>(s: &str) -> [u8; N] {
    assert_eq!(s.len(), 2 * N, "hex length of {s}");
    assert_eq!(s, s.to_ascii_lowercase(), "hex must be lowercase");
    let v = hex::decode(s).expect("valid hex");
    let mut out = [0u8; N];
    out.copy_from_slice(&v);
    out
}

/// A `BigUint` (below 2^256) as 32 little-endian bytes.
pub fn le32(n: &BigUint) -> [u8; 32] {
    let bytes = n.to_bytes_le();
    assert!(bytes.len() <= 32, "does not fit in 32 bytes");
    let mut out = [0u8; 32];
    out[..bytes.len()].copy_from_slice(&bytes);
    out
}

/// A field element's 32 little-endian bytes.
pub fn field_le32<F: PrimeField>(x: F) -> [u8; 32] {
    le32(&BigUint::from_bytes_le(&x.into_bigint().to_bytes_le()))
}
