//! The verifier's policy file and the encoding
//! rules every zkstatus JSON file shares (`docs/formats.md`). They live here,
//! beside the verifier, so the native and browser verifiers parse them with
//! the same code; `zkstatus_prover::files` re-exports them and adds the
//! holder's and issuer's files.
//!
//! Every file carries `"format"` and `"version"`. Parsing is strict: input
//! over [`MAX_JSON_BYTES`] is refused before parsing, unknown and duplicated
//! fields are errors, field elements are exactly 64 lowercase hex digits of
//! a canonical value (`< p`, big-endian), keys and signatures use circomlib's
//! packed encodings. Error messages for secret files never echo their content.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use serde::{Deserialize, Serialize};
use zkstatus_circuits::eddsa::PublicKey;
use zkstatus_circuits::statement::{Challenge, StatusPolicy};

/// Largest JSON file accepted.
pub const MAX_JSON_BYTES: usize = 64 * 1024;
/// The version of every JSON format defined here.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The input exceeds the size cap.
    #[error("{what} is {got} bytes; at most {max} are accepted")]
    TooLarge {
        /// What was being read.
        what: &'static str,
        /// Its size.
        got: usize,
        /// The cap.
        max: usize,
    },
    /// Not well-formed JSON of the expected shape.
    #[error("{what}: {detail}")]
    Json {
        /// What was being read.
        what: &'static str,
        /// What serde reported (for secret files: only the position).
        detail: String,
    },
    /// The `"format"` field names another kind of file.
    #[error("expected a {expected} file, found format {found:?}")]
    WrongFormat {
        /// Expected format name.
        expected: &'static str,
        /// Found format name.
        found: String,
    },
    /// A version this build cannot read.
    #[error("{format} version {version} is not supported (this build reads version {JSON_FORMAT_VERSION})")]
    UnsupportedVersion {
        /// Format name.
        format: &'static str,
        /// Found version.
        version: u32,
    },
    /// A field holds an invalid value.
    #[error("field {field}: {reason}")]
    InvalidField {
        /// Field name.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// A [`FormatError::InvalidField`].
pub fn invalid(field: &'static str, reason: impl Into<String>) -> FormatError {
    FormatError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// Longest untrusted value (a quoted string, a field name) echoed in an
/// error message, characters; longer ones end in `…`.
pub const MAX_ECHO_CHARS: usize = 64;

/// Parse JSON with the size cap. Errors name the field where one is
/// missing, unknown or duplicated (`record.holder` in nested objects) and
/// never echo more than [`MAX_ECHO_CHARS`] characters of a value
/// ([`json_error_detail`]); `secret` files never echo a value at all.
pub fn parse_json<T: for<'de> Deserialize<'de>>(
    text: &str,
    what: &'static str,
    secret: bool,
) -> Result<T, FormatError> {
    if text.len() > MAX_JSON_BYTES {
        return Err(FormatError::TooLarge {
            what,
            got: text.len(),
            max: MAX_JSON_BYTES,
        });
    }
    serde_json::from_str(text).map_err(|e| FormatError::Json {
        what,
        detail: json_error_detail(&e, what, secret),
    })
}

/// The one mapping of serde_json's errors for every JSON format: a field
/// name in a missing/unknown/duplicate-field error is kept (capped), any
/// quoted value is capped at [`MAX_ECHO_CHARS`] characters, control
/// characters are escaped; for `secret` files every other error is only
/// its position (serde would quote the secret value).
pub fn json_error_detail(e: &serde_json::Error, what: &str, secret: bool) -> String {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&at).unwrap_or(&full);
    let names_field = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .any(|p| msg.starts_with(p));
    if secret && !names_field {
        return format!(
            "not a valid {what} (line {}, column {})",
            e.line(),
            e.column()
        );
    }
    let msg = if secret {
        // Only the field name: `expected one of` lists are not needed.
        msg.split(", expected").next().unwrap_or(msg)
    } else {
        msg
    };
    if e.line() == 0 {
        cap_echo(msg)
    } else {
        format!("{}{at}", cap_echo(msg))
    }
}

/// `msg` with every `"…"` or `` `…` `` segment capped at
/// [`MAX_ECHO_CHARS`] characters (then `…`) and control or bidirectional
/// characters shown as `\u{XXXX}`.
pub fn cap_echo(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len().min(1024));
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        push_shown(&mut out, c);
        if c != '"' && c != '`' {
            continue;
        }
        let close = c;
        let mut n = 0usize;
        let mut escaped = false;
        for d in chars.by_ref() {
            let ends = d == close && !escaped;
            escaped = !escaped && d == '\\' && close == '"';
            if ends {
                if n > MAX_ECHO_CHARS {
                    out.push('…');
                }
                out.push(d);
                break;
            }
            n += 1;
            if n <= MAX_ECHO_CHARS {
                push_shown(&mut out, d);
            }
        }
    }
    out
}

fn push_shown(out: &mut String, c: char) {
    if is_unsafe_display_char(c) {
        out.push_str(&format!("\\u{{{:04X}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// For `#[serde(deserialize_with)]` on a nested object's field: its errors
/// name the nested field as `outer.field` (and lose the inner position,
/// which serde_json adds again).
pub fn nested<'de, D, T>(outer: &'static str, d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map_err(|e| {
        use serde::de::Error as _;
        D::Error::custom(nested_message(outer, &e.to_string()))
    })
}

fn nested_message(outer: &str, inner: &str) -> String {
    // Drop serde_json's " at line L column C".
    let inner = match inner.rfind(" at line ") {
        Some(i)
            if inner[i + 9..]
                .split(" column ")
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            &inner[..i]
        }
        _ => inner,
    };
    for p in ["missing field `", "unknown field `", "duplicate field `"] {
        if let Some(rest) = inner.strip_prefix(p) {
            return format!("{p}{outer}.{rest}");
        }
    }
    format!("{outer}: {inner}")
}

fn nested_max_test_age<'de, D: serde::Deserializer<'de>>(d: D) -> Result<MaxTestAge, D::Error> {
    nested("max_test_age", d)
}

/// Check a file's `"format"` and `"version"`.
pub fn check_header(format: &str, version: u32, expected: &'static str) -> Result<(), FormatError> {
    if format != expected {
        return Err(FormatError::WrongFormat {
            expected,
            found: format.chars().take(64).collect(),
        });
    }
    if version != JSON_FORMAT_VERSION {
        return Err(FormatError::UnsupportedVersion {
            format: expected,
            version,
        });
    }
    Ok(())
}

/// Strict lowercase hex of exactly `N` bytes.
pub fn bytes_from_hex<const N: usize>(
    s: &str,
    field: &'static str,
) -> Result<[u8; N], FormatError> {
    if s.len() != 2 * N {
        return Err(invalid(
            field,
            format!("expected {} hex digits, got {}", 2 * N, s.len()),
        ));
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return Err(invalid(field, "expected lowercase hexadecimal digits"));
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(s, &mut out).map_err(|_| invalid(field, "invalid hexadecimal"))?;
    Ok(out)
}

/// A field element as 64 lowercase hex digits, big-endian.
pub fn fr_to_hex(x: &Fr) -> String {
    hex::encode(x.into_bigint().to_bytes_be())
}

/// Parse a field element from 64 lowercase hex digits, refusing values `≥ p`
/// (never reduced: docs/security.md, V14).
pub fn fr_from_hex(s: &str, field: &'static str) -> Result<Fr, FormatError> {
    let mut be = bytes_from_hex::<32>(s, field)?;
    be.reverse();
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(be.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
    }
    Fr::from_bigint(ark_ff::BigInt(limbs))
        .ok_or_else(|| invalid(field, "value is not below the field modulus"))
}

/// A public key as circomlib's packed point in hex.
pub fn public_key_to_hex(k: &PublicKey) -> String {
    hex::encode(k.pack())
}

/// Parse a packed public key: canonical, on the curve, in the subgroup, not the identity.
pub fn public_key_from_hex(s: &str, field: &'static str) -> Result<PublicKey, FormatError> {
    PublicKey::unpack(&bytes_from_hex::<32>(s, field)?).map_err(|e| invalid(field, e.to_string()))
}

// ------------------------------------------------------------------ policy

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MaxTestAge {
    // `deserialize_with` makes the field required: `null` means "not
    // accepted", a missing field is an error (serde would default it to None).
    #[serde(deserialize_with = "Option::deserialize")]
    pcr: Option<u64>,
    #[serde(deserialize_with = "Option::deserialize")]
    rapid_antigen: Option<u64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyJson {
    format: String,
    version: u32,
    #[serde(deserialize_with = "nested_max_test_age")]
    max_test_age: MaxTestAge,
    min_exposure_gap: u64,
}

/// Format name of a policy file.
pub const POLICY_FORMAT: &str = "zkstatus/policy";

/// A policy as JSON.
pub fn policy_to_json(p: &StatusPolicy) -> String {
    use zkstatus_circuits::record::TestType;
    let j = PolicyJson {
        format: POLICY_FORMAT.into(),
        version: JSON_FORMAT_VERSION,
        max_test_age: MaxTestAge {
            pcr: p.max_test_age(TestType::Pcr),
            rapid_antigen: p.max_test_age(TestType::RapidAntigen),
        },
        min_exposure_gap: p.min_exposure_gap(),
    };
    to_pretty(&j)
}

/// Parse a policy file.
pub fn policy_from_json(text: &str) -> Result<StatusPolicy, FormatError> {
    let j: PolicyJson = parse_json(text, "policy", false)?;
    check_header(&j.format, j.version, POLICY_FORMAT)?;
    StatusPolicy::new(
        j.max_test_age.pcr,
        j.max_test_age.rapid_antigen,
        j.min_exposure_gap,
    )
    .map_err(|e| invalid("max_test_age", e.to_string()))
}

// ------------------------------------------------------------ display names

/// Whether `c` must not appear in a display name: a control character
/// (C0, DEL, C1: newlines, ANSI escapes, NUL), a bidirectional formatting
/// character (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) or a
/// line or paragraph separator (U+2028, U+2029). Printed raw, each can forge
/// or reorder what a terminal or a page shows.
pub fn is_unsafe_display_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Check a display name (an issuer's name): the first character that
/// [`is_unsafe_display_char`], as `character N (1-based) is U+XXXX (what)`.
pub fn check_display_name(name: &str) -> Result<(), String> {
    match name
        .chars()
        .enumerate()
        .find(|(_, c)| is_unsafe_display_char(*c))
    {
        None => Ok(()),
        Some((i, c)) => Err(format!(
            "character {} is U+{:04X} ({}); names may not contain control, bidirectional-formatting or line-separator characters",
            i + 1,
            c as u32,
            if c.is_control() {
                "a control character"
            } else if matches!(c, '\u{2028}' | '\u{2029}') {
                "a line separator"
            } else {
                "a bidirectional formatting character"
            }
        )),
    }
}

/// A challenge as 64 lowercase hex digits.
pub fn challenge_to_hex(c: &Challenge) -> String {
    fr_to_hex(&c.to_field())
}

/// Parse a challenge: 64 lowercase hex digits of a value below `p`.
pub fn challenge_from_hex(s: &str) -> Result<Challenge, FormatError> {
    fr_from_hex(s, "challenge").map(Challenge::from_field)
}

/// Pretty JSON with a trailing newline.
pub fn to_pretty<T: Serialize>(v: &T) -> String {
    // Serializing these plain structs cannot fail.
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    /// Finding F-2: names with a newline, an ANSI escape, NUL, DEL, a C1
    /// control, a bidirectional override or isolate, or a line separator
    /// are refused, naming the position and the code point (the registry's
    /// names, `registry::validate_name`, go through this check).
    #[test]
    fn f2_display_names_with_control_and_bidi_characters_are_refused() {
        assert!(check_display_name("Clinic A — Zürich ✓").is_ok());
        for (name, pos, code) in [
            ("Lab\nREJECT: spoofed line", 4, "U+000A"),
            ("Lab\r", 4, "U+000D"),
            ("\u{1b}[31mLab", 1, "U+001B"),
            ("Lab\0", 4, "U+0000"),
            ("Lab\u{7f}", 4, "U+007F"),
            ("Lab\u{85}", 4, "U+0085"),
            ("Lab\u{9b}31m", 4, "U+009B"),
            ("Lab\t", 4, "U+0009"),
            ("ab\u{202e}cd", 3, "U+202E"),
            ("ab\u{202a}", 3, "U+202A"),
            ("ab\u{2066}", 3, "U+2066"),
            ("ab\u{2069}", 3, "U+2069"),
            ("ab\u{200f}", 3, "U+200F"),
            ("ab\u{061c}", 3, "U+061C"),
            ("ab\u{2028}", 3, "U+2028"),
        ] {
            let msg = check_display_name(name).unwrap_err();
            assert!(msg.contains(&format!("character {pos} is {code}")), "{msg}");
            assert!(!msg.chars().any(is_unsafe_display_char), "{msg:?}");
        }
    }
}
