// Type declarations of the public API (index.js). The wasm-bindgen
// declarations of the internal module are in zkstatus_verifier.d.ts.
import type { InitInput, SyncInitInput } from './zkstatus_verifier.js';

export type { InitInput, SyncInitInput };

/** Largest trust or policy JSON accepted, bytes. */
export const MAX_JSON_BYTES: number;

/** Longest challenge lifetime a gate accepts, seconds (120). */
export const MAX_TTL_SECS: number;

/** A presentation mode a {@link Gate} accepts. */
export type Mode = 'interactive' | 'one-scan';

/** Options of a {@link Gate}. */
export interface GateOptions {
  /** The gate's name or URL (1–256 bytes), bound into every challenge. */
  origin: string;
  /**
   * The operator one-scan passes are scoped to: a public, fixed name
   * (printable ASCII, 1–64 bytes). Omitted: the global scope.
   */
  operator?: string;
  /** The modes accepted (default `["interactive"]`). */
  modes?: Mode[];
  /** Lifetime of a challenge, seconds (1–120, default 90): the most by which a credential may have expired before an accepted proof. */
  ttlSecs?: bigint | string;
  /** Challenges live at once, 1–16 (default 3); issuing more supersedes the oldest. */
  maxLive?: number;
  /** Refuse the verifying key unless its full fingerprint (64 hex digits) is this one. */
  pinnedVkFingerprint?: string;
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
  // kind "reject": a well-formed payload that does not verify, or a repeat
  | 'implausible-time'
  | 'proof-invalid'
  | 'no-live-challenge'
  | 'no-challenge-at-time'
  | 'challenge-used'
  | 'challenge-expired'
  | 'unknown-root'
  | 'root-not-active'
  | 'no-active-root'
  | 'window-misaligned'
  | 'window-too-old'
  | 'window-in-future'
  | 'nullifier-used'
  | 'mode-not-accepted'
  | 'replay-store-full'
  // the gate's registry bundle has aged out: every payload is refused
  | 'registry-data-too-old'
  // kind "malformed": not a version-2 payload
  | 'unsupported-version'
  | 'wrong-length'
  | 'unknown-mode'
  | 'misaligned-window'
  | 'non-canonical-nullifier'
  | 'invalid-proof-encoding'
  | 'missing-prefix'
  | 'wrong-prefix'
  | 'invalid-base45'
  | 'malformed';

/** The outcome of {@link Gate.verify}: a plain object. It never names the issuer. */
export interface Verdict {
  /** `kind === "accept"`. */
  ok: boolean;
  kind: VerdictKind;
  code: VerdictCode;
  /** Why it is not accepted, for people; `null` when accepted. */
  reason: string | null;
  /** The presentation's mode; only when accepted. */
  mode: Mode | null;
  /** The registry epoch of the root the proof is for; only when accepted. */
  epoch: string | null;
  /** The statement's time (the challenge's issue time, or the window's start), unix seconds; only when accepted. */
  proofTime: string | null;
  /** The gate's clock the payload was checked at, unix seconds. */
  checkedAt: string;
  policy: VerdictPolicy;
  /** The challenge an accepted interactive proof used, 64 hex digits. */
  challenge: string | null;
  /** The window an accepted one-scan pass used, unix seconds. */
  windowStart: string | null;
}

/** A challenge as a {@link Gate} issued it; times in unix seconds. */
export interface IssuedOffer {
  /** What to show the holder: `ZKC2:` + base45 of the issue time and the challenge (65 characters). */
  offer: string;
  /** The challenge alone, 64 lowercase hex digits. */
  challenge: string;
  /** The statement's time for proofs made for it. */
  issuedAt: string;
  /** Live while the clock is below this. */
  expiresAt: string;
}

/** An accepted registry root; epochs and times as decimal strings. */
export interface RegistryRoot {
  epoch: string;
  /** 64 hex digits. */
  root: string;
  publishedAt: string;
  /** When gates and holders switch to it. */
  activatesAt: string;
  /** The registry's end date under this root (its sunset). */
  endDate: string;
}

/** Where a gate's roots come from: a registry bundle checked at `now`. */
export interface RegistryInput {
  /** The registry bundle file (`registry.bundle`, at most 4096 bytes). */
  bundle: Uint8Array;
  /** The trust configuration's text (`trust.json`, `zkstatus/registry-trust`). */
  trust: string;
  /** The clock to verify the bundle at, unix seconds. */
  now: bigint | string;
}

/** A held bundle's times, unix seconds as decimal strings. */
export interface RegistryState {
  /** The witnesses' cosignature time (the `k`-th newest): the trusted clock. */
  cosignedAt: string;
  /** `cosignedAt + maxAgeSecs`: after it every payload is refused (`registry-data-too-old`). */
  validUntil: string;
  maxAgeSecs: string;
  /** The log's size at the bundle's checkpoint. */
  logSize: string;
}

/**
 * A statement-v2 gate: verifying key, accepted registry roots, policy, and
 * replay state. The constructor throws an `Error` (a `TypeError` for wrong
 * JS types) whose message names the field at fault; `verify` returns a
 * {@link Verdict} for every payload and throws only on bad arguments.
 */
export class Gate {
  constructor(vkBytes: Uint8Array, registry: RegistryInput, policyJson: string, options: GateOptions);
  /** Issue a fresh challenge (Web Crypto randomness unless `random` is given); it becomes the current one. */
  issue(now: bigint | string, random?: Uint8Array): IssuedOffer;
  /** The live challenges, oldest first. */
  live(now: bigint | string): IssuedOffer[];
  verify(payload: string | Uint8Array, now: bigint | string): Verdict;
  /** Replace the registry from a refreshed bundle; throws (keeping the old one) if it fails or is rolled back. */
  setRegistry(registry: RegistryInput): RegistryState;
  /** The held bundle's times. */
  registry(): RegistryState;
  roots(): RegistryRoot[];
  /** The root active at `now`, or `null`. */
  activeRoot(now: bigint | string): RegistryRoot | null;
  /** The operator one-scan passes are scoped to, or `null` (global). */
  operator(): string | null;
  /** Short fingerprint of the verifying key, `xxxx-xxxx-xxxx-xxxx`, to compare by eye. */
  vkFingerprint(): string;
  /** Full fingerprint of the verifying key, 64 hex digits, to pin. */
  vkFingerprintHex(): string;
  policy(): VerdictPolicy;
  /** Release the WASM memory now (otherwise the garbage collector does). */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Instantiate the WebAssembly module (browsers). With no argument it fetches
 * `zkstatus_verifier_bg.wasm` next to the module. A no-op once initialized.
 */
export default function init(moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> }): Promise<void>;

/** Instantiate synchronously (bytes or a compiled module). */
export function initSync(module: { module: SyncInitInput }): void;
