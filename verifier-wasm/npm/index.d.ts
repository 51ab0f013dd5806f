// Type declarations of the public API (index.js). The wasm-bindgen
// declarations of the internal module are in zkstatus_verifier.d.ts.
import type { InitInput, SyncInitInput } from './zkstatus_verifier.js';

export type { InitInput, SyncInitInput };

/** Largest trust-list or policy JSON accepted, bytes. */
export const MAX_JSON_BYTES: number;

/** Options of a {@link Verifier}. */
export interface VerifierOptions {
  /** Tolerance between the proof's time and the verifier's clock, seconds (default 300). */
  maxSkewSecs?: bigint | string;
  /** Refuse the verifying key unless its full fingerprint (64 hex digits) is this one. */
  pinnedVkFingerprint?: string;
}

/** What the verifier knows itself: its clock and the challenge it issued. */
export interface VerifyContext {
  /** The verifier's clock, unix seconds: a BigInt or a decimal string, never a number. */
  now: bigint | string;
  /** The challenge this verifier issued, 64 lowercase hex digits (see {@link mintChallenge}). */
  challenge: string;
}

/** The policy a verdict was reached under; seconds as decimal strings. */
export interface VerdictPolicy {
  /** Maximum test age per test type; `null`: that test type is not accepted. */
  maxTestAge: { pcr: string | null; rapidAntigen: string | null };
  /** Minimum time since a recorded exposure. */
  minExposureGap: string;
}

export type VerdictKind = 'accept' | 'reject' | 'malformed';

/** A stable, machine-readable reason code. */
export type VerdictCode =
  | 'accepted'
  // kind "reject": a well-formed payload that does not verify
  | 'untrusted-issuer'
  | 'clock-skew'
  | 'implausible-time'
  | 'proof-invalid'
  // kind "reject", from a ChallengeBook only
  | 'no-live-challenge'
  | 'challenge-used'
  | 'challenge-expired'
  | 'rejected'
  // kind "malformed": not a payload
  | 'wrong-length'
  | 'unknown-version'
  | 'invalid-proof-encoding'
  | 'invalid-issuer-key'
  | 'missing-prefix'
  | 'wrong-prefix'
  | 'invalid-base45'
  | 'malformed';

/** The outcome of {@link Verifier.verify}: a plain object. */
export interface Verdict {
  /** `kind === "accept"`. */
  ok: boolean;
  kind: VerdictKind;
  code: VerdictCode;
  /** Why it is not accepted, for people; `null` when accepted. */
  reason: string | null;
  /** The trust list's name for the issuer; only when accepted. */
  issuer: string | null;
  /** The issuer's packed public key, 64 hex digits; only when accepted. */
  issuerKey: string | null;
  /** The time the proof was made for, unix seconds; only when accepted. */
  proofTime: string | null;
  /** The verifier's clock the payload was checked against, unix seconds. */
  checkedAt: string;
  policy: VerdictPolicy;
  /** The challenge the proof was accepted for (from a {@link ChallengeBook}: the one now used); only when accepted. */
  challenge: string | null;
}

/** A trusted issuer as the trust list names it. */
export interface TrustedIssuer {
  name: string;
  /** Packed public key, 64 hex digits. */
  publicKey: string;
}

/**
 * A verifier configured with a verifying key, a trust list and a policy.
 * The constructor throws an `Error` (a `TypeError` for wrong JS types) with a
 * precise message on bad configuration; `verify` returns a {@link Verdict}
 * for every payload and throws only on bad arguments (a number for `now`,
 * a non-canonical challenge, a payload that is neither string nor bytes).
 */
export class Verifier {
  constructor(vkBytes: Uint8Array, trustListJson: string, policyJson: string, options?: VerifierOptions);
  verify(payload: string | Uint8Array, context: VerifyContext): Verdict;
  /** Short fingerprint of the verifying key, `xxxx-xxxx-xxxx-xxxx`, to compare by eye. */
  vkFingerprint(): string;
  /** Full fingerprint of the verifying key, 64 hex digits, to pin. */
  vkFingerprintHex(): string;
  policy(): VerdictPolicy;
  trustedIssuers(): TrustedIssuer[];
  /** Release the WASM memory now (otherwise the garbage collector does). */
  free(): void;
  [Symbol.dispose](): void;
}

/** Options of a {@link ChallengeBook}. */
export interface ChallengeBookOptions {
  /** The gate's name or URL (1–256 bytes), bound into every challenge. */
  origin: string;
  /** Lifetime of a challenge, seconds (1–3600, default 90). */
  ttlSecs?: bigint | string;
  /** Challenges live at once, 1–16 (default 3); issuing more supersedes the oldest. */
  maxLive?: number;
}

/** A challenge as a {@link ChallengeBook} issued it; times in unix seconds. */
export interface IssuedChallenge {
  /** 64 lowercase hex digits, to show to holders. */
  challenge: string;
  issuedAt: string;
  /** Live while the clock is below this. */
  expiresAt: string;
}

/**
 * Replay protection for a gate: the challenges it issued, each accepted at
 * most once and only while live. `verify` returns a {@link Verdict}; on
 * acceptance the challenge is consumed (show a new one). Extra reject codes:
 * `no-live-challenge`, `challenge-used` (a replay), `challenge-expired`.
 * A clock that goes backwards retires every live challenge.
 */
export class ChallengeBook {
  constructor(verifier: Verifier, options: ChallengeBookOptions);
  /** Issue a fresh challenge (Web Crypto randomness); it becomes the current one. */
  issue(now: bigint | string): IssuedChallenge;
  /** The live challenges, oldest first. */
  live(now: bigint | string): IssuedChallenge[];
  verify(payload: string | Uint8Array, now: bigint | string): Verdict;
  free(): void;
  [Symbol.dispose](): void;
}

/** A fresh uniformly random challenge, 64 lowercase hex digits (Web Crypto). */
export function mintChallenge(): string;

/**
 * Instantiate the WebAssembly module (browsers). With no argument it fetches
 * `zkstatus_verifier_bg.wasm` next to the module. A no-op once initialized.
 */
export default function init(moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> }): Promise<void>;

/** Instantiate synchronously (bytes or a compiled module). */
export function initSync(module: { module: SyncInitInput }): void;
