// A TypeScript consumer of both npm packages, as a user writes one: it
// imports them by name (their built pkg/ folders, linked by package.json)
// and calls every export with the types their .d.ts files declare. Compiled
// with `tsc --strict --noEmit` (scripts/check-types.sh), never run: a
// declaration that drifts from the API (a renamed method, a changed
// parameter, a missing export) stops this file from compiling.

import initVerifier, {
  initSync as initVerifierSync,
  MAX_JSON_BYTES as VERIFIER_MAX_JSON_BYTES,
  MAX_TTL_SECS,
  Gate,
  type InitInput as VerifierInitInput,
  type SyncInitInput as VerifierSyncInitInput,
  type GateOptions,
  type Mode,
  type Verdict,
  type VerdictKind,
  type VerdictCode,
  type VerdictPolicy,
  type IssuedOffer,
  type RegistryRoot,
  type RegistryInput,
  type RegistryState,
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
  MAX_REGISTRY_BYTES,
  NotGreenError,
  ProvingKey,
  Holder,
  Registries,
  MainProvingKey,
  HelperProvingKey,
  ProofJob,
  generateHolderSecret,
  fetchProvingKeyBytes,
  provingKeyFingerprint,
  fetchProvingKey,
  verifyRegistryBundle,
  type RegistryBundleReport,
  type IssuerWindow,
  type InitInput as HolderInitInput,
  type SyncInitInput as HolderSyncInitInput,
  type ReasonCode,
  type Reason,
  type Status,
  type CredentialSummary,
  type Presentation,
  type PresentationRequest,
  type RegistryInfo,
  type RegistriesSummary,
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
import { startProver as startProverSubpath, type RegistriesInput } from 'zkstatus-holder/prover.js';
import * as holderNode from '../holder-wasm/pkg/node.js';

// `T` and `U` are the same type (not merely assignable one way).
type Equal<T, U> = (<V>() => V extends T ? 1 : 2) extends <V>() => V extends U ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

const bytes = new Uint8Array(32);
const text = 'text';
const now = 1800000000n;
const offerText = 'ZKC2:000000TEDV1K000000000000000000000000000000000000000C00GG9Q+S';

// ------------------------------------------------------------ zkstatus-verifier

export async function verifierApi(wasm: VerifierInitInput, wasmSync: VerifierSyncInitInput): Promise<void> {
  await initVerifier();
  await initVerifier({ module_or_path: wasm });
  await initVerifier({ module_or_path: Promise.resolve(wasm) });
  initVerifierSync({ module: wasmSync });
  const maxes: number[] = [VERIFIER_MAX_JSON_BYTES, MAX_TTL_SECS];

  const modes: Mode[] = ['interactive', 'one-scan'];
  const options: GateOptions = { origin: 'https://venue.example/gate', operator: 'metro.example', modes, ttlSecs: 90n, maxLive: 3, pinnedVkFingerprint: '00'.repeat(32) };
  const registry: RegistryInput = { bundle: bytes, trust: text, now };
  const gate = new Gate(bytes, registry, text, options);
  new Gate(bytes, { bundle: bytes, trust: text, now: '1800000000' }, text, { origin: 'gate', ttlSecs: '90' }).free();
  const issued: IssuedOffer = gate.issue(now);
  const seeded: IssuedOffer = gate.issue('1800000000', bytes);
  const issuedFields: string[] = [issued.offer, issued.challenge, issued.issuedAt, issued.expiresAt, seeded.offer];
  const live: IssuedOffer[] = gate.live(now);
  const verdicts: Verdict[] = [gate.verify('ZKS2:…', now), gate.verify(bytes, '1800000000')];
  for (const verdict of verdicts) {
    const ok: boolean = verdict.ok;
    const kind: VerdictKind = verdict.kind;
    const code: VerdictCode = verdict.code;
    const mode: Mode | null = verdict.mode;
    const optional: (string | null)[] = [verdict.reason, verdict.epoch, verdict.proofTime, verdict.challenge, verdict.windowStart];
    const checkedAt: string = verdict.checkedAt;
    const policy: VerdictPolicy = verdict.policy;
    const ages: (string | null)[] = [policy.maxTestAge.pcr, policy.maxTestAge.rapidAntigen];
    const gap: string = policy.minExposureGap;
    void [ok, kind, code, mode, optional, checkedAt, ages, gap];
  }
  const refreshed: RegistryState = gate.setRegistry(registry);
  const state: RegistryState = gate.registry();
  const stateFields: string[] = [state.cosignedAt, state.validUntil, state.maxAgeSecs, state.logSize, refreshed.logSize];
  void stateFields;
  const tooOld: VerdictCode = 'registry-data-too-old';
  void tooOld;
  const roots: RegistryRoot[] = gate.roots();
  const active: RegistryRoot | null = gate.activeRoot(now);
  const rootFields: string[] = roots.flatMap((r) => [r.epoch, r.root, r.publishedAt, r.activatesAt, r.endDate]);
  const operator: string | null = gate.operator();
  const fingerprints: string[] = [gate.vkFingerprint(), gate.vkFingerprintHex()];
  const policy: VerdictPolicy = gate.policy();
  {
    using scoped = new Gate(bytes, registry, text, { origin: 'gate' });
    scoped.vkFingerprint();
  }
  gate.free();
  gate[Symbol.dispose]();

  // The Node entry: the same classes and functions.
  assertType<Equal<typeof verifierNode.Gate, typeof Gate>>(true);
  assertType<Equal<typeof verifierNode.default, typeof initVerifier>>(true);
  assertType<Equal<typeof verifierNode.initSync, typeof initVerifierSync>>(true);
  const nodeMax: number = verifierNode.MAX_JSON_BYTES;

  void [maxes, issuedFields, live, active, rootFields, operator, fingerprints, policy, nodeMax];
}

// ------------------------------------------------------------ zkstatus-holder

export async function holderApi(wasm: HolderInitInput, wasmSync: HolderSyncInitInput): Promise<void> {
  await initHolder();
  await initHolder({ module_or_path: wasm });
  initHolderSync({ module: wasmSync });
  const maxes: number[] = [HOLDER_MAX_JSON_BYTES, MAX_PROVING_KEY_BYTES, MAX_REGISTRY_BYTES];

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
  const reasons: Reason[] = holder.status(text, '1800000000').reasons;
  const codes: ReasonCode[] = reasons.map((r) => r.code);
  const messages: string[] = reasons.map((r) => r.message);
  const notGreen: NotGreenError = new NotGreenError(status);
  // The registry material: roots and whole registry files.
  const registries = new Registries(text, [bytes]);
  new Registries(text).free();
  const info: RegistryInfo = registries.addRegistry(bytes);
  const infoFields: [string, number, string | null] = [info.epoch, info.issuers, info.endDate];
  registries.setRoots(text);
  const report: RegistryBundleReport = verifyRegistryBundle({ bundle: bytes, trust: text, now });
  const reportFields: string[] = [report.rootsJson, report.cosignedAt, report.validUntil, report.maxAgeSecs, report.logSize];
  const window: IssuerWindow | null = registries.issuerWindow('00'.repeat(32), now);
  void [reportFields, window?.epoch, window?.notBefore, window?.notAfter];
  const regSummary: RegistriesSummary = registries.summary(now);
  const regFields: [string, string | null, string | null, string | null, string | null, boolean, string[], RegistryInfo[]] = [
    regSummary.now, regSummary.activeEpoch, regSummary.endDate, regSummary.nextActivation, regSummary.nextEpoch,
    regSummary.ready, regSummary.missingEpochs, regSummary.registries,
  ];
  registries.summary('1800000000');
  const requests: PresentationRequest[] = [{ challenge: offerText }, { windowStart: now }, { windowStart: '1800000000', operator: 'metro.example' }];
  try {
    const p: Presentation = holder.prove(pk, text, registries, requests[0]);
    const out: [string, Uint8Array, string, string, 'interactive' | 'one-scan'] = [p.payloadText, p.payloadBytes, p.now, p.epoch, p.mode];
    holder.prove(pk, text, registries, { windowStart: now, operator: 'metro.example' });
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
  const job: ProofJob = holder.beginProof(mainKey, text, registries, { challenge: offerText });
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
  registries.free();
  registries[Symbol.dispose]();
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
  const registriesInput: RegistriesInput = { rootsJson: text, registries: [bytes] };
  const proverSummary: RegistriesSummary = await prover.registries({ ...registriesInput, now: '1800000000' });
  const { now: _unused, ...files } = holderInput;
  const proveInput: ProveInput = { ...files, ...registriesInput, presentation: { challenge: offerText } };
  try {
    const result: ProofResult = await prover.prove(proveInput, { onProgress });
    const out: [string, Uint8Array, string, string, 'interactive' | 'one-scan', number] = [result.payloadText, result.payloadBytes, result.now, result.epoch, result.mode, result.ms];
    await prover.prove({ ...proveInput, presentation: { windowStart: now } });
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
  assertType<Equal<typeof holderNode.Registries, typeof Registries>>(true);
  assertType<Equal<typeof holderNode.default, typeof initHolder>>(true);
  assertType<Equal<typeof holderNode.initSync, typeof initHolderSync>>(true);
  assertType<Equal<typeof holderNode.startProver, typeof startProver>>(true);
  const nodeMaxes: number[] = [holderNode.MAX_JSON_BYTES, holderNode.MAX_PROVING_KEY_BYTES, holderNode.MAX_REGISTRY_BYTES];

  void [maxes, pkInfo, vk, testType, testResult, times, statusFields, codes, messages, notGreen, mainInfo, helperInfo];
  void [fetched, fetchedInfo, proverInfo, proverStatus, nodeMaxes, infoFields, regFields, proverSummary, _unused];
}
