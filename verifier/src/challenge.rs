//! Challenges a gate issues and consumes: replay protection.
//!
//! A proof is bound to the verifier's challenge (a public input), so a gate
//! that accepts each challenge at most once and only for a short time
//! refuses replays, including re-randomised copies of a proof (Groth16
//! proofs are malleable into fresh-looking bytes; the challenge is not).
//! The pairing check is stateless; a [`ChallengeBook`] is the state a gate
//! keeps beside it ([`crate::v2::Gate`] holds one):
//!
//! - **issued here only**: a payload verifies only against a challenge this
//!   book issued and still holds;
//! - **single use**: the challenge an accepted proof was made for is consumed
//!   at once (`&mut self`: there is no window between check and use);
//! - **short-lived**: a challenge expires `ttl` seconds after it was issued,
//!   and a book holds at most `max_live` challenges (issuing more supersedes
//!   the oldest);
//! - **bound to the verifier**: the challenge is derived from the gate's
//!   `origin` (its name or URL), the issue time and 32 fresh random bytes, so
//!   two gates never share challenges even with a shared random source;
//! - **monotonic**: the book never moves its clock back. If the caller's
//!   clock goes backwards, every live challenge is retired as expired (it
//!   cannot be aged any more), so no clock jump makes an expired challenge
//!   live again.
//!
//! Payloads do not carry the challenge (the verifier knows what it issued)
//! but its issue time, the proof's `now` ([`ChallengeBook::consume_at`]):
//! the book tries only the challenges issued in that second, normally one
//! pairing check. Only after they fail does it try the few challenges of
//! that second it retired last, to tell a replay or a late proof from a
//! forgery.

use super::Rejection;
use super::{MAX_PLAUSIBLE_TIME, MIN_PLAUSIBLE_TIME};
use ark_bn254::Fr;
use ark_ff::PrimeField;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use zkstatus_circuits::statement::Challenge;

/// Domain separation of challenge derivation.
pub const CHALLENGE_DOMAIN: &[u8] = b"zkstatus.challenge.v1";
/// Default lifetime of a challenge, seconds.
pub const DEFAULT_TTL_SECS: u64 = 90;
/// Longest lifetime a book accepts, seconds.
pub const MAX_TTL_SECS: u64 = 3600;
/// Default number of challenges live at once.
pub const DEFAULT_MAX_LIVE: usize = 3;
/// Most challenges a book keeps live (each costs a pairing check per
/// rejected payload).
pub const MAX_LIVE: usize = 16;
/// Longest origin, bytes.
pub const MAX_ORIGIN_BYTES: usize = 256;
/// Retired challenges remembered, to name replays and late proofs.
pub const RETIRED_KEPT: usize = 8;
/// Issued challenges remembered to refuse issuing one twice (a repeated
/// nonce at the same second): 32 bytes each.
pub const ISSUED_KEPT: usize = 1024;

/// Why a book cannot be made or cannot issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChallengeBookError {
    /// The origin is empty.
    #[error("origin: name the verifier (e.g. the venue's URL); it is bound into every challenge")]
    EmptyOrigin,
    /// The origin is too long.
    #[error("origin: at most {MAX_ORIGIN_BYTES} bytes, got {0}")]
    OriginTooLong(usize),
    /// The lifetime is zero or too long.
    #[error("ttlSecs: a challenge lives between 1 and {MAX_TTL_SECS} seconds, got {0}")]
    Ttl(u64),
    /// `max_live` is zero or too large.
    #[error("maxLive: between 1 and {MAX_LIVE} live challenges, got {0}")]
    MaxLive(usize),
    /// The clock reads a time outside 2020–2100.
    #[error("now: implausible time {0}: expected unix seconds between 2020 and 2100")]
    ImplausibleTime(u64),
    /// The nonce repeats one already used at the same time: the challenge
    /// would equal one issued before (and so accept one payload twice).
    #[error("nonce: repeats a nonce this book already used at time {0}; draw 32 fresh random bytes for every challenge")]
    RepeatedNonce(u64),
    /// A challenge put back with an issue time after the clock: it would
    /// live past `now + ttl`, longer than any challenge this gate issues.
    #[error("challenge: issued at {issued_at}, after the gate's clock {now}; a gate's challenge is never issued in the future")]
    IssuedInFuture {
        /// The claimed issue time, unix seconds.
        issued_at: u64,
        /// The gate's clock, unix seconds.
        now: u64,
    },
}

/// A challenge as the book issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedChallenge {
    /// The challenge, to show to holders.
    pub challenge: Challenge,
    /// When it was issued, unix seconds.
    pub issued_at: u64,
    /// When it expires, unix seconds (`issued_at + ttl`): live while the
    /// clock is below this.
    pub expires_at: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retired {
    Used,
    Expired,
}

/// The challenges a gate has issued and not yet used or expired.
#[derive(Debug, Clone)]
pub struct ChallengeBook {
    origin: String,
    ttl: u64,
    max_live: usize,
    /// Oldest first.
    live: Vec<IssuedChallenge>,
    /// Newest first.
    retired: VecDeque<(IssuedChallenge, Retired)>,
    /// The latest time the book has seen.
    clock: u64,
    /// The last [`ISSUED_KEPT`] challenges issued, newest first.
    issued: VecDeque<Challenge>,
}

impl ChallengeBook {
    /// A book for the verifier named `origin`, whose challenges live
    /// `ttl_secs` seconds, at most `max_live` at once.
    pub fn new(origin: &str, ttl_secs: u64, max_live: usize) -> Result<Self, ChallengeBookError> {
        if origin.is_empty() {
            return Err(ChallengeBookError::EmptyOrigin);
        }
        if origin.len() > MAX_ORIGIN_BYTES {
            return Err(ChallengeBookError::OriginTooLong(origin.len()));
        }
        if !(1..=MAX_TTL_SECS).contains(&ttl_secs) {
            return Err(ChallengeBookError::Ttl(ttl_secs));
        }
        if !(1..=MAX_LIVE).contains(&max_live) {
            return Err(ChallengeBookError::MaxLive(max_live));
        }
        Ok(Self {
            origin: origin.into(),
            ttl: ttl_secs,
            max_live,
            live: Vec::new(),
            retired: VecDeque::new(),
            clock: 0,
            issued: VecDeque::new(),
        })
    }

    /// The verifier's name bound into its challenges.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// A challenge's lifetime, seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl
    }

    /// The challenge for `origin`, issued at `issued_at` with `nonce`:
    /// SHA-256 of the domain tag, the origin (length-prefixed), the time and
    /// the nonce, top three bits cleared (a canonical field element).
    pub fn derive(origin: &str, issued_at: u64, nonce: &[u8; 32]) -> Challenge {
        let mut h = Sha256::new();
        h.update(CHALLENGE_DOMAIN);
        h.update((origin.len() as u64).to_le_bytes());
        h.update(origin.as_bytes());
        h.update(issued_at.to_le_bytes());
        h.update(nonce);
        let mut bytes: [u8; 32] = h.finalize().into();
        // Below 2^253 < p: the conversion never reduces.
        bytes[0] &= 0x1f;
        Challenge::from_field(Fr::from_be_bytes_mod_order(&bytes))
    }

    /// Issue a fresh challenge at `now` from 32 bytes of a cryptographically
    /// secure random source. It becomes the newest live challenge; the
    /// oldest is superseded when more than `max_live` would be live.
    ///
    /// A nonce used before at the same time would derive a challenge equal to
    /// an earlier one, live or consumed, so one payload could be accepted
    /// twice: such a nonce is refused ([`ChallengeBookError::RepeatedNonce`])
    /// while the book remembers the earlier challenge (its last
    /// [`ISSUED_KEPT`]).
    pub fn issue(
        &mut self,
        now: u64,
        nonce: &[u8; 32],
    ) -> Result<IssuedChallenge, ChallengeBookError> {
        if !(MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&now) {
            return Err(ChallengeBookError::ImplausibleTime(now));
        }
        let challenge = Self::derive(&self.origin, now, nonce);
        if self.issued.contains(&challenge)
            || self.live.iter().any(|c| c.challenge == challenge)
            || self.retired.iter().any(|(c, _)| c.challenge == challenge)
        {
            return Err(ChallengeBookError::RepeatedNonce(now));
        }
        self.advance(now);
        let issued = IssuedChallenge {
            challenge,
            issued_at: now,
            expires_at: now.saturating_add(self.ttl),
        };
        self.issued.push_front(challenge);
        self.issued.truncate(ISSUED_KEPT);
        self.live.push(issued);
        while self.live.len() > self.max_live {
            let oldest = self.live.remove(0);
            self.retire(oldest, Retired::Expired);
        }
        Ok(issued)
    }

    /// Put back a challenge this gate issued at `issued_at` and kept
    /// outside the book (a stateless tool given its own challenge back, a
    /// gate restarting from its store), at the clock `now`. It lives until
    /// `issued_at + ttl` like any other; one already expired is retired at
    /// once, so a payload for it is refused as late. A challenge the book
    /// already holds or retired is not added twice. One issued after `now`
    /// is refused ([`ChallengeBookError::IssuedInFuture`]): it would outlive
    /// the lifetime the gate gives its challenges.
    pub fn restore(
        &mut self,
        challenge: Challenge,
        issued_at: u64,
        now: u64,
    ) -> Result<IssuedChallenge, ChallengeBookError> {
        for t in [issued_at, now] {
            if !(MIN_PLAUSIBLE_TIME..=MAX_PLAUSIBLE_TIME).contains(&t) {
                return Err(ChallengeBookError::ImplausibleTime(t));
            }
        }
        if issued_at > now {
            return Err(ChallengeBookError::IssuedInFuture { issued_at, now });
        }
        let issued = IssuedChallenge {
            challenge,
            issued_at,
            expires_at: issued_at.saturating_add(self.ttl),
        };
        let known = self.live.iter().any(|c| c.challenge == challenge)
            || self.retired.iter().any(|(c, _)| c.challenge == challenge);
        if !known {
            self.live.push(issued);
            while self.live.len() > self.max_live {
                let oldest = self.live.remove(0);
                self.retire(oldest, Retired::Expired);
            }
        }
        self.advance(now.max(self.clock));
        Ok(issued)
    }

    /// The live challenges at `now`, oldest first.
    pub fn live(&mut self, now: u64) -> &[IssuedChallenge] {
        self.advance(now);
        &self.live
    }

    /// The newest live challenge at `now`, if any.
    pub fn current(&mut self, now: u64) -> Option<IssuedChallenge> {
        self.live(now).last().copied()
    }

    /// Move the book's clock to `now`: expire what is due; if `now` is
    /// before a time already seen, retire every live challenge.
    fn advance(&mut self, now: u64) {
        if now < self.clock {
            for issued in core::mem::take(&mut self.live) {
                self.retire(issued, Retired::Expired);
            }
        }
        self.clock = now;
        let (expired, live): (Vec<_>, Vec<_>) = core::mem::take(&mut self.live)
            .into_iter()
            .partition(|c| now >= c.expires_at);
        self.live = live;
        for issued in expired {
            self.retire(issued, Retired::Expired);
        }
    }

    /// Statement v2: consume the live challenge issued at `issued_at` for
    /// which `verifies` holds, at the gate's clock `now`. The payload names
    /// its challenge by the issue time (the proof's `now`), so only the
    /// challenges issued in that second are tried (normally one), never
    /// every live one. When none matches, the retired challenges of that
    /// second tell a replay or a late proof from a forgery.
    pub fn consume_at(
        &mut self,
        issued_at: u64,
        now: u64,
        verifies: impl Fn(&Challenge) -> bool,
    ) -> Result<IssuedChallenge, Rejection> {
        self.advance(now);
        let matching = (0..self.live.len())
            .rev()
            .filter(|&i| self.live[i].issued_at == issued_at)
            .find(|&i| verifies(&self.live[i].challenge));
        if let Some(i) = matching {
            // Rule: single use — consumed before the acceptance is returned.
            let issued = self.live.remove(i);
            self.retire(issued, Retired::Used);
            return Ok(issued);
        }
        let retired = self
            .retired
            .iter()
            .filter(|(c, _)| c.issued_at == issued_at)
            .find(|(c, _)| verifies(&c.challenge))
            .map(|(_, why)| *why);
        let any_at = self.live.iter().any(|c| c.issued_at == issued_at);
        Err(match retired {
            Some(Retired::Used) => Rejection::ChallengeUsed,
            Some(Retired::Expired) => Rejection::ChallengeExpired,
            None if self.live.is_empty() => Rejection::NoLiveChallenge,
            None if !any_at => Rejection::NoChallengeAt(issued_at),
            None => Rejection::ProofInvalid,
        })
    }

    fn retire(&mut self, challenge: IssuedChallenge, why: Retired) {
        self.retired.push_front((challenge, why));
        self.retired.truncate(RETIRED_KEPT);
    }
}
