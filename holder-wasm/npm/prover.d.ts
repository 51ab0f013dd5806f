// Type declarations of prover.js: a prover in module Web Workers.
import type { NotGreenError, Status, Reason, PresentationRequest, RegistriesSummary } from './index.js';

export type { NotGreenError, Status, Reason };

/** The `code` of every Error startProver and a Prover reject with. */
export type ProverErrorCode =
  | 'pk-pin-mismatch'
  | 'pk-fetch'
  | 'pk-too-large'
  | 'pk-invalid'
  | 'not-green'
  | 'bad-input'
  | 'bad-credential'
  | 'bad-holder-secret'
  | 'bad-policy'
  | 'no-randomness'
  | 'self-check-failed'
  | 'prove-failed'
  | 'helper-part-invalid'
  | 'helper-task-invalid'
  | 'key-mismatch'
  | 'worker-failed'
  | 'timeout'
  | 'closed'
  | 'internal';

/** An Error from startProver or a Prover; `message` is for a person. */
export interface ProverError extends Error {
  code: ProverErrorCode;
  /** `pk-pin-mismatch` only: the file's SHA-256, the pin, what the file is. */
  actual?: string;
  pinned?: string;
  diagnosis?: string;
}

export interface Progress {
  phase: 'key' | 'prove';
  step: string;
  done: number;
  total: number;
}

export interface StartProverOptions {
  /** Where the page's origin serves `zkstatus.pk`. */
  keyUrl: string | URL;
  /** Its SHA-256, 64 lowercase hex digits (`pk_sha256` of `zkstatus inspect`). */
  pin: string;
  /** 1 or 2; default `min(2, navigator.hardwareConcurrency || 1)`. */
  workers?: 1 | 2;
  onProgress?: (p: Progress) => void;
  /**
   * Measurements only: the helper's MSMs (bits 0 a, 1 b_g1, 2 b_g2, 3 l;
   * 1–15). Default: this build's (b_g1 + b_g2 + l).
   */
  helperShare?: number;
}

export interface HolderInput {
  /** The credential file's text (`zkstatus/credential`). */
  credentialJson: string;
  /** The holder-secret file's text (`zkstatus/holder-secret`). */
  holderSecretJson: string;
  /** The venue's policy (`zkstatus/policy`). */
  policyJson: string;
  /** Unix seconds: a BigInt or a decimal string (a number is refused). */
  now: bigint | string;
}

/** The registry material: the published roots and the registry files (downloaded whole). */
export interface RegistriesInput {
  /** The published roots (`zkstatus/registry-roots`). */
  rootsJson: string;
  /** Registry files (ZKRG): the active root's and, during an overlap, the next one's. */
  registries: Uint8Array[];
}

export interface ProveInput extends Omit<HolderInput, 'now'>, RegistriesInput {
  /** What the gate asks for: its `ZKC2:` challenge, or a one-scan window. The gate fixes the time. */
  presentation: PresentationRequest;
}

export interface ProofResult {
  /** `ZKS2:` + base45 (QR alphanumeric mode). */
  payloadText: string;
  /** The binary form: 146 bytes (interactive) or 178 (one-scan). */
  payloadBytes: Uint8Array;
  /** The statement's time (fixed by the gate), unix seconds. */
  now: string;
  /** The registry epoch proved against. */
  epoch: string;
  mode: 'interactive' | 'one-scan';
  /** Wall time of this proof, milliseconds. */
  ms: number;
}

export interface Prover {
  /** SHA-256 of the proving-key file (equal to the pin). */
  readonly fingerprintHex: string;
  /** The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`. */
  readonly vkFingerprint: string;
  /** The verifying key's fingerprint, 64 hex digits. */
  readonly vkFingerprintHex: string;
  /** The number of workers actually used (1 or 2). */
  readonly workers: number;
  /**
   * Where each worker's key part came from (main worker first): `fast` (its
   * fast form, kept by an earlier visit), `cache` (the key file from Cache
   * Storage) or `network`.
   */
  readonly keySources: readonly ('fast' | 'cache' | 'network')[];
  /** As `Holder.status`: local only. */
  status(input: HolderInput): Promise<Status>;
  /** As `Registries.summary`: the active epoch, the end date, the next activation, what is missing. */
  registries(input: RegistriesInput & { now: bigint | string }): Promise<RegistriesSummary>;
  /**
   * Prove; rejects with a {@link NotGreenError} (code `not-green`, reasons,
   * status) or a {@link ProverError}. Proofs run one at a time.
   */
  prove(input: ProveInput, options?: { onProgress?: (p: Progress) => void }): Promise<ProofResult>;
  /** A new holder-secret file (`zkstatus/holder-secret` v1 JSON text). */
  generateHolderSecret(): Promise<string>;
  /** Terminate the workers; later calls reject with code `closed`. */
  close(): void;
}

/**
 * Load the package and the pinned proving key in module Web Worker(s).
 * Rejects with a {@link ProverError} (`pk-pin-mismatch`, `pk-fetch`, …).
 */
export function startProver(options: StartProverOptions): Promise<Prover>;
