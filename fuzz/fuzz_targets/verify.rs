//! `StatusVerifier::verify` and `verify_text`, configured with the frozen
//! fixture's key, trust list and policy.
//!
//! Input: 1 flag byte (bit 0: text form; bit 1: the fixture's challenge,
//! else a challenge derived from the next byte; bit 2: the verifier's clock
//! is the fixture's time plus a signed offset from the next 2 bytes, else
//! those 8 bytes as a raw clock), then the payload.
//!
//! Properties: only the fixture's own payload (binary, or its text form),
//! for the fixture's challenge, within the clock tolerance, is accepted:
//! nothing the fuzzer makes verifies (a forged or malleated proof would);
//! binary and text give the same verdict on the same payload; an accepted
//! payload reports the payload's issuer and time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zkstatus_circuits::statement::Challenge;
use zkstatus_fuzz::{check, fixture_challenge, fixture_verifier, FIXTURE_NOW, FIXTURE_PAYLOAD};
use zkstatus_verifier::payload::Payload;
use zkstatus_verifier::{StatusVerifier, DEFAULT_MAX_SKEW_SECS};

fn setup() -> &'static (StatusVerifier, Challenge) {
    static S: OnceLock<(StatusVerifier, Challenge)> = OnceLock::new();
    S.get_or_init(|| (fixture_verifier(), fixture_challenge()))
}

fuzz_target!(|data: &[u8]| {
    let (verifier, fixture_challenge) = setup();
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = flags & 1 != 0;
    let (challenge, rest) = if flags & 2 != 0 {
        (*fixture_challenge, rest)
    } else {
        let Some((&c, rest)) = rest.split_first() else {
            return;
        };
        let mut f = fixture_challenge.to_field();
        f += ark_bn254::Fr::from(u64::from(c) + 1);
        (Challenge::from_field(f), rest)
    };
    let (now, payload) = if flags & 4 != 0 {
        let Some((off, rest)) = rest.split_first_chunk::<2>() else {
            return;
        };
        let off = i64::from(i16::from_le_bytes(*off));
        (FIXTURE_NOW.saturating_add_signed(off), rest)
    } else {
        let Some((raw, rest)) = rest.split_first_chunk::<8>() else {
            return;
        };
        (u64::from_le_bytes(*raw), rest)
    };
    let result = if text {
        let Ok(s) = core::str::from_utf8(payload) else {
            return;
        };
        let r = verifier.verify_text(s, now, &challenge);
        // Same verdict for the binary form of a text that decodes.
        if let Ok(p) = Payload::from_text(s) {
            let b = verifier.verify(&p.to_bytes(), now, &challenge);
            check!(b == r, "text verdict {r:?}, binary verdict {b:?}");
        }
        r
    } else {
        verifier.verify(payload, now, &challenge)
    };
    if let Ok(accepted) = result {
        let p = if text {
            core::str::from_utf8(payload)
                .ok()
                .and_then(|s| Payload::from_text(s).ok())
        } else {
            Payload::from_bytes(payload).ok()
        };
        let is_fixture =
            p.as_ref().map(|p| p.to_bytes().to_vec()) == Some(FIXTURE_PAYLOAD.to_vec());
        check!(
            is_fixture
                && challenge == *fixture_challenge
                && now.abs_diff(FIXTURE_NOW) <= DEFAULT_MAX_SKEW_SECS,
            "accepted a payload that is not the fixture's (or at another challenge or time)"
        );
        check!(
            p.is_some_and(|p| p.issuer == accepted.issuer && p.now == accepted.now),
            "accepted with another issuer or time"
        );
    }
});
