//! Command-line values and human output: durations, times, hex arguments.

use anyhow::{anyhow, Result};
use ark_bn254::Fr;
use zkstatus_circuits::record::TestType;
use zkstatus_circuits::statement::StatusPolicy;
use zkstatus_prover::files::{fr_from_hex, is_unsafe_display_char, FormatError};

/// Untrusted text (a registry entry's issuer name, a file's content in an error)
/// as printed: every control, bidirectional-formatting or line-separator
/// character ([`is_unsafe_display_char`]) written as `\u{XXXX}`, so what is
/// printed cannot add lines, colour the terminal or reorder the text around
/// it.
pub fn display_untrusted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe_display_char(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Parse `90s`, `45m`, `72h`, `10d` or plain seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let bad = || format!("expected a duration like 90s, 45m, 72h, 10d or plain seconds, got {s:?}");
    let (digits, unit) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&s[..i], c),
        _ => (s, 's'),
    };
    let unit = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(bad()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("duration {s:?} is too large"))
}

/// [`parse_duration`], or `none` for "not accepted".
pub fn parse_opt_duration(s: &str) -> Result<Option<u64>, String> {
    if s == "none" {
        Ok(None)
    } else {
        parse_duration(s).map(Some)
    }
}

/// Unix seconds (a plain non-negative integer).
pub fn parse_time(s: &str) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("expected unix seconds, got {s:?}"));
    }
    s.parse::<u64>()
        .map_err(|_| format!("time {s:?} does not fit in 64 bits"))
}

/// A duration in the largest whole unit: `72 h`, `10 d`, `90 s`.
pub fn fmt_duration(secs: u64) -> String {
    match secs {
        0 => "0 s".into(),
        s if s % 86_400 == 0 && s >= 4 * 86_400 => format!("{} d", s / 86_400),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// A rough span for people: `1 d 23 h`, `4 h 59 min`, `42 s`.
pub fn fmt_span(secs: u64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) => format!("{m} min"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        (_, 0, _) => format!("{d} d"),
        _ => format!("{d} d {h} h"),
    }
}

/// A measured time: `1.41 s`, `4.2 ms`.
pub fn fmt_secs(secs: f64) -> String {
    if secs >= 0.1 {
        format!("{secs:.2} s")
    } else {
        format!("{:.1} ms", secs * 1000.0)
    }
}

/// Unix seconds as `2025-11-22 08:26:40 UTC` (proleptic Gregorian).
pub fn fmt_time(t: u64) -> String {
    let days = t / 86_400;
    let rem = t % 86_400;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 ≥ 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `T (date)`.
pub fn fmt_time_full(t: u64) -> String {
    format!("{t} ({})", fmt_time(t))
}

/// A policy in one line.
pub fn policy_summary(p: &StatusPolicy) -> String {
    let age = |t| match p.max_test_age(t) {
        Some(s) => format!("at most {} old", fmt_duration(s)),
        None => "not accepted".into(),
    };
    format!(
        "PCR tests {}, rapid antigen tests {}, last exposure at least {} ago",
        age(TestType::Pcr),
        age(TestType::RapidAntigen),
        fmt_duration(p.min_exposure_gap())
    )
}

/// The system clock in unix seconds.
pub fn unix_now() -> Result<u64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| anyhow!("the system clock is before 1970; pass --now"))
}

/// `--now`, or the system clock.
pub fn now_or_clock(now: Option<u64>) -> Result<u64> {
    now.map_or_else(unix_now, Ok)
}

fn arg_error(flag: &str, e: FormatError) -> anyhow::Error {
    match e {
        FormatError::InvalidField { reason, .. } => anyhow!("invalid {flag}: {reason}"),
        other => anyhow!("invalid {flag}: {other}"),
    }
}

/// A field element given on the command line: 64 lowercase hex digits, `< p`.
pub fn fr_arg(s: &str, flag: &str) -> Result<Fr> {
    fr_from_hex(s, "value").map_err(|e| arg_error(flag, e))
}

/// `--challenge`.
pub fn challenge_arg(s: &str) -> Result<zkstatus_verifier::v2::offer::ChallengeOffer> {
    zkstatus_verifier::v2::offer::ChallengeOffer::from_text(s)
        .map_err(|e| anyhow::anyhow!("--challenge: {e}"))
}

/// 32 bytes of lowercase hex given on the command line.
pub fn bytes32_arg(s: &str, flag: &str) -> Result<[u8; 32]> {
    zkstatus_prover::files::bytes_from_hex::<32>(s, "value").map_err(|e| arg_error(flag, e))
}

/// clap's error as one line: its first paragraph, without the `error:` prefix.
pub fn clap_error_line(e: &clap::Error) -> String {
    let rendered = e.to_string();
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let line = first.join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line).to_string();
    format!("{line} (see 'zkstatus --help')")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding F-2: untrusted text prints on one line, uncoloured, in order.
    #[test]
    fn f2_display_untrusted_escapes_control_and_bidi_characters() {
        assert_eq!(display_untrusted("Clinic Zürich"), "Clinic Zürich");
        assert_eq!(
            display_untrusted("Lab\nREJECT: x\u{1b}[31m\u{202e}\0"),
            "Lab\\u{000A}REJECT: x\\u{001B}[31m\\u{202E}\\u{0000}"
        );
    }
    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("45m"), Ok(2700));
        assert_eq!(parse_duration("72h"), Ok(259_200));
        assert_eq!(parse_duration("10d"), Ok(864_000));
        assert_eq!(parse_duration("17"), Ok(17));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("5 h").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
        assert!(parse_duration("999999999999999999d").is_err());
        assert_eq!(parse_opt_duration("none"), Ok(None));
        assert_eq!(fmt_duration(259_200), "72 h");
        assert_eq!(fmt_duration(864_000), "10 d");
        assert_eq!(fmt_duration(90), "90 s");
        assert_eq!(fmt_duration(86_400), "24 h");
        assert_eq!(fmt_span(5 * 3600), "5 h");
        assert_eq!(fmt_span(2 * 86_400), "2 d");
        assert_eq!(fmt_span(2 * 86_400 + 3 * 3600 + 60), "2 d 3 h");
    }

    #[test]
    fn dates() {
        assert_eq!(fmt_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(fmt_time(1_577_836_800), "2020-01-01 00:00:00 UTC");
        assert_eq!(fmt_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(fmt_time(4_102_444_799), "2099-12-31 23:59:59 UTC");
        // No panic at the edge.
        let _ = fmt_time(u64::MAX);
    }
}
