//! The strict parsers of the browser packages' string inputs
//! (verifier/src/input.rs): times (`parse_u64`), challenges
//! (`parse_challenge`) and SHA-256 pins (`parse_sha256_pin`). The first
//! byte picks the parser.
//!
//! Properties: each accepts one spelling per value (what it accepts is
//! what its value prints as: decimal without leading zeros, 64 lowercase
//! hex digits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkstatus_fuzz::check;
use zkstatus_verifier::config::challenge_to_hex;
use zkstatus_verifier::input::{parse_challenge, parse_sha256_pin, parse_u64};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(s) = core::str::from_utf8(rest) else {
        return;
    };
    match which % 3 {
        0 => {
            if let Ok(n) = parse_u64(s, "now") {
                check!(n.to_string() == s, "{s:?} parsed as {n}");
            }
        }
        1 => {
            if let Ok(c) = parse_challenge(s) {
                check!(challenge_to_hex(&c) == s, "challenge {s:?} not canonical");
            }
        }
        _ => {
            if let Ok(p) = parse_sha256_pin(s, "pin", "use the full fingerprint") {
                check!(
                    p.iter().map(|b| format!("{b:02x}")).collect::<String>() == s,
                    "pin {s:?}"
                );
            }
        }
    }
});
