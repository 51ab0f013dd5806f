// A TypeScript consumer of both npm packages, as a user writes one: it
// imports them by name (their built pkg/ folders, linked by package.json)
// and calls every export with the types their .d.ts files declare. Compiled
// with `tsc --strict --noEmit` (scripts/check-types.sh), never run: a
// declaration that drifts from the API (a renamed method, a changed
// parameter, a missing export) stops this file from compiling.

import initVerifier, {
  initSync as initVerifierSync,
  MAX_JSON_BYTES as VERIFIER_MAX_JSON_BYTES,
  Verifier,
  ChallengeBook,
  mintChallenge,
  type InitInput as VerifierInitInput,
  type SyncInitInput as VerifierSyncInitInput,
  type VerifierOptions,
  type VerifyContext,
  type Verdict,
  type VerdictKind,
  type VerdictCode,
  type VerdictPolicy,
  type TrustedIssuer,
  type ChallengeBookOptions,
  type IssuedChallenge,
} from 'zkstatus-verifier';
// The Node entry (node.js, the "node" condition of the package's exports;
// TypeScript resolves the "types" condition first, so it is imported by path
// to check node.d.ts): the same API, initialized on import.
import * as verifierNode from '../verifier-wasm/pkg/node.js';

import initHolder, {
  initSync as initHolderSync,
  startProver,
  MAX_JSON_BYTES as HOLDER_MAX_JSON_BYTES,
  MAX_PROVING_KEY_BYTES,
  NotGreenError,
  ProvingKey,
  Holder,
  MainProvingKey,
  HelperProvingKey,
  ProofJob,
  generateHolderSecret,
  fetchProvingKeyBytes,
  provingKeyFingerprint,
  fetchProvingKey,
  type InitInput as HolderInitInput,
  type SyncInitInput as HolderSyncInitInput,
  type ReasonCode,
  type Reason,
  type Status,
  type CredentialSummary,
  type Presentation,
  type FetchProvingKeyOptions,
  type FetchProvingKeyBytesOptions,
  type StartProverOptions,
  type Prover,
  type ProverError,
  type ProverErrorCode,
  type Progress,
  type HolderInput,
  type ProveInput,
  type ProofResult,
} from 'zkstatus-holder';
import { startProver as startProverSubpath } from 'zkstatus-holder/prover.js';
import * as holderNode from '../holder-wasm/pkg/node.js';

// `T` and `U` are the same type (not merely assignable one way).
type Equal<T, U> = (<V>() => V extends T ? 1 : 2) extends <V>() => V extends U ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

const bytes = new Uint8Array(32);
const text = 'text';
const now = 1763800000n;

// ------------------------------------------------------------ zkstatus-verifier

export async function verifierApi(wasm: VerifierInitInput, wasmSync: VerifierSyncInitInput): Promise<void> {
  await initVerifier();
  await initVerifier({ module_or_path: wasm });
  await initVerifier({ module_or_path: Promise.resolve(wasm) });
  initVerifierSync({ module: wasmSync });
  const max: number = VERIFIER_MAX_JSON_BYTES;

  const options: VerifierOptions = { maxSkewSecs: 300n, pinnedVkFingerprint: '00'.repeat(32) };
  const v = new Verifier(bytes, text, text);
  const pinned = new Verifier(bytes, text, text, { ...options, maxSkewSecs: '300' });
  const context: VerifyContext = { now, challenge: mintChallenge() };
  const verdicts: Verdict[] = [v.verify('ZKS1:…', context), v.verify(bytes, { now: '1763800000', challenge: text })];
  for (const verdict of verdicts) {
    const ok: boolean = verdict.ok;
    const kind: VerdictKind = verdict.kind;
    const code: VerdictCode = verdict.code;
    const optional: (string | null)[] = [verdict.reason, verdict.issuer, verdict.issuerKey, verdict.proofTime, verdict.challenge];
    const checkedAt: string = verdict.checkedAt;
    const policy: VerdictPolicy = verdict.policy;
    const ages: (string | null)[] = [policy.maxTestAge.pcr, policy.maxTestAge.rapidAntigen];
    const gap: string = policy.minExposureGap;
    void [ok, kind, code, optional, checkedAt, ages, gap];
  }
  const fingerprints: string[] = [v.vkFingerprint(), v.vkFingerprintHex()];
  const policy: VerdictPolicy = v.policy();
  const issuers: TrustedIssuer[] = v.trustedIssuers();
  const issuerFields: string[] = issuers.flatMap((i) => [i.name, i.publicKey]);

  const bookOptions: ChallengeBookOptions = { origin: 'https://venue.example/gate', ttlSecs: 90n, maxLive: 3 };
  const book = new ChallengeBook(v, bookOptions);
  new ChallengeBook(v, { origin: 'gate', ttlSecs: '90' }).free();
  const issued: IssuedChallenge = book.issue(now);
  const issuedFields: string[] = [issued.challenge, issued.issuedAt, issued.expiresAt];
  const live: IssuedChallenge[] = book.live('1763800000');
  const bookVerdicts: Verdict[] = [book.verify(text, now), book.verify(bytes, '1763800000')];
  book.free();
  book[Symbol.dispose]();
  {
    using scoped = new Verifier(bytes, text, text);
    scoped.vkFingerprint();
  }
  v.free();
  pinned[Symbol.dispose]();

  // The Node entry: the same classes and functions.
  assertType<Equal<typeof verifierNode.Verifier, typeof Verifier>>(true);
  assertType<Equal<typeof verifierNode.ChallengeBook, typeof ChallengeBook>>(true);
  assertType<Equal<typeof verifierNode.default, typeof initVerifier>>(true);
  assertType<Equal<typeof verifierNode.initSync, typeof initVerifierSync>>(true);
  assertType<Equal<typeof verifierNode.mintChallenge, typeof mintChallenge>>(true);
  const nodeMax: number = verifierNode.MAX_JSON_BYTES;

  void [max, fingerprints, policy, issuerFields, issuedFields, live, bookVerdicts, nodeMax];
}

// ------------------------------------------------------------ zkstatus-holder

export async function holderApi(wasm: HolderInitInput, wasmSync: HolderSyncInitInput): Promise<void> {
  await initHolder();
  await initHolder({ module_or_path: wasm });
  initHolderSync({ module: wasmSync });
  const maxes: number[] = [HOLDER_MAX_JSON_BYTES, MAX_PROVING_KEY_BYTES];

  const pin: string = provingKeyFingerprint(bytes);
  const pk: ProvingKey = ProvingKey.load(bytes, pin);
  const pkInfo: string[] = [pk.fingerprintHex(), pk.vkFingerprint(), pk.vkFingerprintHex()];
  const vk: Uint8Array = pk.vkFile();

  const holder = new Holder(text, generateHolderSecret());
  const summary: CredentialSummary = holder.credential();
  const testType: 'pcr' | 'rapid_antigen' = summary.testType;
  const testResult: 'negative' | 'positive' = summary.testResult;
  const times: (string | null)[] = [summary.issuer, summary.testTime, summary.exposureTime, summary.issuedAt, summary.expiresAt];
  const status: Status = holder.status(text, now);
  const statusFields: [boolean, string, string | null] = [status.green, status.now, status.greenUntil];
  const reasons: Reason[] = holder.status(text, '1763800000').reasons;
  const codes: ReasonCode[] = reasons.map((r) => r.code);
  const messages: string[] = reasons.map((r) => r.message);
  const notGreen: NotGreenError = new NotGreenError(status);
  try {
    const p: Presentation = holder.prove(pk, text, '00'.repeat(32), now);
    const out: [string, Uint8Array, string, string] = [p.payloadText, p.payloadBytes, p.now, p.issuer];
    void out;
  } catch (e) {
    if (e instanceof NotGreenError) {
      const fields: [string, 'NotGreenError', 'not-green', Reason[], Status] = [e.message, e.name, e.code, e.reasons, e.status];
      void fields;
    }
  }

  // Split proving, by hand (what startProver's workers do).
  const mainKey: MainProvingKey = MainProvingKey.load(bytes, pin);
  const mainKeyShared = MainProvingKey.load(bytes, pin, 14);
  const mainInfo: (string | number | Uint8Array)[] = [
    mainKey.fingerprintHex(),
    mainKey.vkFingerprint(),
    mainKey.vkFingerprintHex(),
    mainKey.vkFile(),
    mainKey.share(),
  ];
  const helperKey: HelperProvingKey = HelperProvingKey.load(bytes, pin, mainKeyShared.share());
  HelperProvingKey.load(bytes, pin).free();
  const helperInfo: [string, number] = [helperKey.fingerprintHex(), helperKey.share()];
  const job: ProofJob = holder.beginProof(mainKey, text, '00'.repeat(32), '1763800000');
  const task: Uint8Array | undefined = job.takeTask();
  if (task !== undefined) {
    const part: Uint8Array = helperKey.computePart(task);
    job.runMain();
    const p: Presentation = job.finish(part);
    void p;
  }
  job.free();
  job[Symbol.dispose]();
  helperKey.free();
  helperKey[Symbol.dispose]();
  mainKey.free();
  mainKeyShared[Symbol.dispose]();
  holder.free();
  holder[Symbol.dispose]();
  pk.free();
  pk[Symbol.dispose]();

  // Fetching the pinned key.
  const fetchOptions: FetchProvingKeyOptions = { cacheName: 'zkstatus-proving-key', caches: null, fetch: globalThis.fetch };
  const fetched: ProvingKey = await fetchProvingKey('/zkstatus.pk', pin);
  await fetchProvingKey(new URL('https://venue.example/zkstatus.pk'), pin, fetchOptions);
  const bytesOptions: FetchProvingKeyBytesOptions = { ...fetchOptions, caches: globalThis.caches, onStep: (step: string) => void step };
  const { bytes: keyBytes, source } = await fetchProvingKeyBytes('/zkstatus.pk', pin, bytesOptions);
  const fetchedInfo: [Uint8Array, 'cache' | 'network'] = [keyBytes, source];
  await fetchProvingKeyBytes(new URL('https://venue.example/zkstatus.pk'), pin);

  // The Web Worker prover (prover.js), from the package root and its subpath.
  assertType<Equal<typeof startProverSubpath, typeof startProver>>(true);
  const onProgress = (p: Progress): void => {
    const fields: ['key' | 'prove', string, number, number] = [p.phase, p.step, p.done, p.total];
    void fields;
  };
  const proverOptions: StartProverOptions = { keyUrl: '/zkstatus.pk', pin, workers: 2, onProgress, helperShare: 14 };
  const prover: Prover = await startProver(proverOptions);
  await startProverSubpath({ keyUrl: new URL('https://venue.example/zkstatus.pk'), pin, workers: 1 });
  const proverInfo: [string, string, string, number] = [prover.fingerprintHex, prover.vkFingerprint, prover.vkFingerprintHex, prover.workers];
  const holderInput: HolderInput = { credentialJson: text, holderSecretJson: await prover.generateHolderSecret(), policyJson: text, now };
  const proverStatus: Status = await prover.status(holderInput);
  const proveInput: ProveInput = { ...holderInput, now: '1763800000', challengeHex: '00'.repeat(32) };
  try {
    const result: ProofResult = await prover.prove(proveInput, { onProgress });
    const out: [string, Uint8Array, string, string, number] = [result.payloadText, result.payloadBytes, result.now, result.issuer, result.ms];
    await prover.prove(proveInput);
    void out;
  } catch (e) {
    if (e instanceof NotGreenError) {
      void e.reasons;
    } else {
      const err = e as ProverError;
      const code: ProverErrorCode = err.code;
      const pinMismatch: (string | undefined)[] = [err.actual, err.pinned, err.diagnosis];
      void [code, pinMismatch];
    }
  }
  prover.close();

  // The Node entry: the same classes and functions.
  assertType<Equal<typeof holderNode.Holder, typeof Holder>>(true);
  assertType<Equal<typeof holderNode.ProvingKey, typeof ProvingKey>>(true);
  assertType<Equal<typeof holderNode.default, typeof initHolder>>(true);
  assertType<Equal<typeof holderNode.initSync, typeof initHolderSync>>(true);
  assertType<Equal<typeof holderNode.startProver, typeof startProver>>(true);
  const nodeMaxes: number[] = [holderNode.MAX_JSON_BYTES, holderNode.MAX_PROVING_KEY_BYTES];

  void [maxes, pkInfo, vk, testType, testResult, times, statusFields, codes, messages, notGreen, mainInfo, helperInfo];
  void [fetched, fetchedInfo, proverInfo, proverStatus, nodeMaxes];
}
