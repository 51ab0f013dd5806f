// Type declarations of the public API (index.js). The wasm-bindgen
// declarations of the internal module are in zkstatus_holder.d.ts.
import type { InitInput, SyncInitInput } from './zkstatus_holder.js';

export type { InitInput, SyncInitInput };

import type { StartProverOptions, Prover, ProverError, ProverErrorCode, Progress, HolderInput, ProveInput, ProofResult } from './prover.js';
export type { StartProverOptions, Prover, ProverError, ProverErrorCode, Progress, HolderInput, ProveInput, ProofResult };

/**
 * Browsers: load this package and the pinned proving key in module Web
 * Worker(s) and prove there, one proof split across two workers (prover.js;
 * also `import { startProver } from 'zkstatus-holder/prover.js'`). Rejects
 * with a {@link ProverError} (`pk-pin-mismatch`, `pk-fetch`, `pk-invalid`, …).
 */
export function startProver(options: StartProverOptions): Promise<Prover>;

/** Largest credential, holder-secret or policy JSON accepted, bytes. */
export const MAX_JSON_BYTES: number;
/** Largest proving-key file accepted, bytes. */
export const MAX_PROVING_KEY_BYTES: number;
/** Largest fast form of a key part accepted, bytes. */
export const MAX_FAST_KEY_BYTES: number;
/** Largest registry file accepted, bytes. */
export const MAX_REGISTRY_BYTES: number;

/** A stable, machine-readable reason a credential is not green. */
export type ReasonCode =
  | 'signature-invalid'
  | 'holder-mismatch'
  | 'test-positive'
  | 'test-type-not-accepted'
  | 'test-in-future'
  | 'test-too-old'
  | 'exposure-in-future'
  | 'exposure-too-recent'
  | 'not-yet-valid'
  | 'expired'
  | 'not-green';

/** One reason, for the holder's eyes only. */
export interface Reason {
  code: ReasonCode;
  /** Plain words, e.g. "the credential has expired". */
  message: string;
}

/** The holder's own status screen (local only; never send it). */
export interface Status {
  green: boolean;
  /** Empty when green; otherwise the first rule that fails (one reason today). */
  reasons: Reason[];
  /** The time checked, unix seconds. */
  now: string;
  /** When green: the first second it no longer is, unix seconds; else null. */
  greenUntil: string | null;
}

/** What the credential says (the holder's own data). Times: unix seconds. */
export interface CredentialSummary {
  /** The issuer's packed public key, 64 hex digits (as in trust lists). */
  issuer: string;
  testType: 'pcr' | 'rapid_antigen';
  testResult: 'negative' | 'positive';
  testTime: string;
  /** null: no known exposure. */
  exposureTime: string | null;
  issuedAt: string;
  expiresAt: string;
}

/** A presentation, ready to show as a QR code (`payloadText`) or send as bytes. */
export interface Presentation {
  /** `ZKS2:` + base45 (QR alphanumeric mode). */
  payloadText: string;
  /** The binary form: 146 bytes (interactive) or 178 (one-scan). */
  payloadBytes: Uint8Array;
  /** The statement's time (the challenge's issue time, or the window's start), unix seconds. */
  now: string;
  /** The registry epoch of the root proved against. */
  epoch: string;
  mode: 'interactive' | 'one-scan';
}

/**
 * What a gate asks for: its challenge (`ZKC2:` text, interactive), or a
 * one-scan pass for the window starting at `windowStart` (a multiple of 60
 * s) in `operator`'s public scope (omitted: the global scope).
 */
export type PresentationRequest =
  | { challenge: string }
  | { windowStart: bigint | string; operator?: string };

/** A registry file as loaded. */
export interface RegistryInfo {
  epoch: string;
  /** How many issuers it holds. */
  issuers: number;
  /** Its end date (the largest `not_after`), unix seconds; `null` when empty. */
  endDate: string | null;
}

/** The registry material at a time; times and epochs as decimal strings. */
export interface RegistriesSummary {
  now: string;
  /** The epoch of the root active now; `null` before the first activation. */
  activeEpoch: string | null;
  /** The registry's end date (sunset) under the active root. */
  endDate: string | null;
  /** The next root's activation: have its registry (and the new roots) before then. */
  nextActivation: string | null;
  nextEpoch: string | null;
  /** Whether the active root's registry is loaded. */
  ready: boolean;
  /** Epochs of the active and later roots whose registry is missing: download them. */
  missingEpochs: string[];
  registries: RegistryInfo[];
}

/**
 * The registry material: the published roots and the registry files,
 * downloaded whole so that nobody learns which issuer the holder needs.
 * Throws an `Error` with a `code` (`bad-roots`, `bad-registry`,
 * `registry-root-mismatch`) on a bad file.
 */
export class Registries {
  constructor(rootsJson: string, registryFiles?: Uint8Array[]);
  addRegistry(file: Uint8Array): RegistryInfo;
  setRoots(rootsJson: string): void;
  summary(now: bigint | string): RegistriesSummary;
  /** The issuer's window in the registry of the root active at `now`, or `null`. */
  issuerWindow(issuerHex: string, now: bigint | string): IssuerWindow | null;
  free(): void;
  [Symbol.dispose](): void;
}

/** Thrown by {@link Holder.prove} when the credential is not green; no proof was made. */
export class NotGreenError extends Error {
  /** The status `Holder.status` returned: `status.reasons` says why. */
  constructor(status: Status);
  name: 'NotGreenError';
  code: 'not-green';
  /** Why, for the holder's eyes only (never send or log). */
  reasons: Reason[];
  status: Status;
}

/**
 * A proving key whose file matched its pinned fingerprint (SHA-256 of the
 * file) and whose every point was validated.
 */
export class ProvingKey {
  private constructor();
  /**
   * Accept `bytes` only if their SHA-256 is `pinnedFingerprintHex`, checked
   * before parsing; throws an `Error` naming both fingerprints and what the
   * file looks like (not a proving key, another circuit, truncated,
   * altered or another setup's) otherwise.
   */
  static load(bytes: Uint8Array, pinnedFingerprintHex: string): ProvingKey;
  /** The file's SHA-256, 64 hex digits. */
  fingerprintHex(): string;
  /** The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`. */
  vkFingerprint(): string;
  /** The verifying key's fingerprint, 64 hex digits. */
  vkFingerprintHex(): string;
  /** The matching verifying-key file (`zkstatus.vk`). */
  vkFile(): Uint8Array;
  /** Release the WASM memory now (otherwise the garbage collector does). */
  free(): void;
  [Symbol.dispose](): void;
}

/** A credential with its holder secret; nothing leaves the device. */
export class Holder {
  /** Throws an `Error` (positions only, never content) on a malformed file. */
  constructor(credentialJson: string, holderSecretJson: string);
  credential(): CredentialSummary;
  status(policyJson: string, now: bigint | string): Status;
  /**
   * Prove for a venue's policy and challenge at `now`. Throws a
   * {@link NotGreenError} if not green, an `Error` on bad input.
   */
  prove(provingKey: ProvingKey, policyJson: string, registries: Registries, presentation: PresentationRequest): Presentation;
  /**
   * Start a split proof (two workers) with the main worker's key. Throws a
   * {@link NotGreenError} if not green, an `Error` on bad input.
   */
  beginProof(mainKey: MainProvingKey, policyJson: string, registries: Registries, presentation: PresentationRequest): ProofJob;
  /** Release the WASM memory now (otherwise the garbage collector does). */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Split proving, the pieces `startProver` (prover.js) runs in two Web
 * Workers. The main worker's part of a pinned proving key: all but the
 * helper's queries.
 */
export class MainProvingKey {
  private constructor();
  /** As {@link ProvingKey.load}; `share` (1–15) for measurements only. */
  static load(bytes: Uint8Array, pinnedFingerprintHex: string, share?: number): MainProvingKey;
  /** From a fast form made by {@link MainProvingKey.toFastForm}; code `pk-cache-invalid` if refused. */
  static loadFast(form: Uint8Array, pinnedFingerprintHex: string, share?: number): MainProvingKey;
  /** This part's fast form: uncompressed points and their SHA-256. */
  toFastForm(): Uint8Array;
  /** Prepare the verifying key for the self-check now (otherwise the first proof does). */
  prepare(): void;
  fingerprintHex(): string;
  vkFingerprint(): string;
  vkFingerprintHex(): string;
  vkFile(): Uint8Array;
  /** The helper's share: bits 0 a, 1 b_g1, 2 b_g2, 3 l. */
  share(): number;
  free(): void;
  [Symbol.dispose](): void;
}

/** The helper worker's part of a pinned proving key: only its share's queries. */
export class HelperProvingKey {
  private constructor();
  static load(bytes: Uint8Array, pinnedFingerprintHex: string, share?: number): HelperProvingKey;
  /** From a fast form made by {@link HelperProvingKey.toFastForm}; code `pk-cache-invalid` if refused. */
  static loadFast(form: Uint8Array, pinnedFingerprintHex: string, share?: number): HelperProvingKey;
  /** This part's fast form: uncompressed points and their SHA-256. */
  toFastForm(): Uint8Array;
  fingerprintHex(): string;
  share(): number;
  /** The helper's part for a task (both secret: witness-derived). */
  computePart(task: Uint8Array): Uint8Array;
  free(): void;
  [Symbol.dispose](): void;
}

/** A split proof in progress on the main worker ({@link Holder.beginProof}). */
export class ProofJob {
  private constructor();
  /** The helper's task, once (then `undefined`). */
  takeTask(): Uint8Array | undefined;
  /** The witness map and the MSMs the helper does not compute. */
  runMain(): void;
  /** Finish with the helper's part; the proof is verified before it is returned. */
  finish(part: Uint8Array): Presentation;
  free(): void;
  [Symbol.dispose](): void;
}

/** A new holder-secret file (`zkstatus/holder-secret` v1 JSON text), from `crypto.getRandomValues`. */
export function generateHolderSecret(): string;

/** Options of {@link fetchProvingKeyBytes}. */
export interface FetchProvingKeyBytesOptions extends FetchProvingKeyOptions {
  /** Called after the bytes are read and their fingerprint matched. */
  onStep?: (step: string) => void;
}

/**
 * The pinned proving-key file's bytes (Cache API, else the network), its
 * SHA-256 checked against the pin first; cached once it matched. Errors
 * carry a `code`: `pk-pin-mismatch`, `pk-fetch`, `pk-too-large`, `bad-input`.
 */
export function fetchProvingKeyBytes(
  url: string | URL,
  pinnedFingerprintHex: string,
  options?: FetchProvingKeyBytesOptions,
): Promise<{ bytes: Uint8Array; source: 'cache' | 'network' }>;

/** Options of {@link loadProvingKeyParts}. */
export interface LoadProvingKeyPartsOptions extends FetchProvingKeyOptions {
  /** Which part(s): `main`, `helper`, or `single` (both). */
  role: 'main' | 'helper' | 'single';
  /** The helper's share (1–15), as in {@link MainProvingKey.load}. */
  share?: number;
  /** Cache Storage name of the fast forms (default `zkstatus-proving-key-fast`). */
  fastCacheName?: string;
  onStep?: (step: string) => void;
  /** Called once, when the key file is in Cache Storage or no part needs it. */
  onBytesReady?: () => void;
  /** Awaited after the fast forms were tried, before the key file is read or fetched (only if a part needs it). */
  beforeFetch?: () => Promise<void>;
}

/**
 * A worker's part(s) of the pinned key: from the fast forms an earlier
 * visit kept (their SHA-256, pin, part and share checked before any point is
 * read), else from the pinned file, after which the fast forms are kept.
 */
export function loadProvingKeyParts(
  url: string | URL,
  pinnedFingerprintHex: string,
  options: LoadProvingKeyPartsOptions,
): Promise<{
  mainKey: MainProvingKey | null;
  helperKey: HelperProvingKey | null;
  source: 'fast' | 'cache' | 'network';
  /** Messages of the fast forms that were refused (then deleted). */
  refused: string[];
  /** Settles once the fast forms are stored (failures only cost the next visit a checked load). */
  saved: Promise<void>;
}>;

/** The SHA-256 of a proving-key file, 64 lowercase hex digits (what to pin). */
export function provingKeyFingerprint(bytes: Uint8Array): string;

/** An issuer's window in a registry (unix seconds, decimal strings). */
export interface IssuerWindow {
  epoch: string;
  notBefore: string;
  /** Its end: a retirement sets it. */
  notAfter: string;
}

/** A registry bundle that verified: its roots (a roots file's text) and times (unix seconds, decimal strings). */
export interface RegistryBundleReport {
  /** The roots the bundle vouches for (`zkstatus/registry-roots`), for `Registries` and the prover. */
  rootsJson: string;
  /** The witnesses' cosignature time (the `k`-th newest). */
  cosignedAt: string;
  /** `cosignedAt + maxAgeSecs`: after it the data has aged out. */
  validUntil: string;
  maxAgeSecs: string;
  logSize: string;
}

/**
 * Check a registry bundle against its trust configuration at `now` (the
 * gates' check). Throws an Error with `code` `bad-registry-bundle`,
 * `registry-too-old`, `bad-registry-trust` or `bad-input`.
 */
export function verifyRegistryBundle(registry: { bundle: Uint8Array; trust: string; now: bigint | string }): RegistryBundleReport;

/** Options of {@link fetchProvingKey}. */
export interface FetchProvingKeyOptions {
  /** Cache Storage name (default `zkstatus-proving-key`). */
  cacheName?: string;
  /** A CacheStorage (default `globalThis.caches`); `null` disables caching. */
  caches?: CacheStorage | null;
  /** A fetch function (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** Fetch once, check against the pin before use, cache (Cache API). */
export function fetchProvingKey(url: string | URL, pinnedFingerprintHex: string, options?: FetchProvingKeyOptions): Promise<ProvingKey>;

/**
 * Instantiate the WebAssembly module (browsers). With no argument it fetches
 * `zkstatus_holder_bg.wasm` next to the module. A no-op once initialized.
 */
export default function init(moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> }): Promise<void>;

/** Instantiate synchronously (bytes or a compiled module). */
export function initSync(module: { module: SyncInitInput }): void;
