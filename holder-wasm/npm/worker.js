// zkstatus-holder: the module Web Worker behind startProver (prover.js).
// Not an API of its own: prover.js starts it with
//   new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
// and speaks the protocol below. Each worker has its own instance of the
// WebAssembly module and its own part of the proving key:
//
//   role 'main'   MainProvingKey: begins proofs (statement check, synthesis),
//                 posts the helper's task, runs the main share, finishes;
//                 also status and holder-secret generation.
//   role 'helper' HelperProvingKey: turns tasks into parts.
//   role 'single' both keys: the whole split protocol in this one worker.
//
// Requests {op, id, ...} → replies {id, type: 'result', value} or
// {id, type: 'error', error: {name, code, message, ...}}, plus
// {id, type: 'progress', step} and, for proofs, {id, type: 'task', task}
// (main → orchestrator → helper as op 'task', whose result is {part};
// orchestrator → main as op 'part'). Nothing here logs or posts anything
// but to its own page; tasks and parts (witness-derived) are transferred,
// not copied.

import init, {
  Holder,
  Registries,
  MainProvingKey,
  HelperProvingKey,
  NotGreenError,
  loadProvingKeyParts,
  generateHolderSecret,
} from './index.js';

/**
 * The requests prover.js sends (times as decimal strings).
 * @typedef {{op: 'init', id: number, role: 'main' | 'helper' | 'single', module?: WebAssembly.Module | null}
 *   | {op: 'load', id: number, keyUrl: string, pin: string, share: number | undefined, waitForBytes?: boolean}
 *   | {op: 'bytes-ready', id: number}
 *   | {op: 'status', id: number, credentialJson: string, holderSecretJson: string, policyJson: string, now: string}
 *   | {op: 'registries', id: number, rootsJson: string, registries: Uint8Array[], now: string}
 *   | {op: 'prove', id: number, credentialJson: string, holderSecretJson: string, policyJson: string, rootsJson: string, registries: Uint8Array[], presentation: import('./index.d.ts').PresentationRequest}
 *   | {op: 'task', id: number, task: Uint8Array}
 *   | {op: 'part', id: number, part: Uint8Array}
 *   | {op: 'cancel', id: number, code?: string, message?: string}
 *   | {op: 'keygen', id: number}} Request
 */

/** @type {'main' | 'helper' | 'single' | null} */
let role = null;
/** @type {MainProvingKey | null} */
let mainKey = null;
/** @type {HelperProvingKey | null} */
let helperKey = null;
/** @type {Promise<void> | null} */
let ready = null;
/** @type {() => void} */
let bytesReady = () => {};
/**
 * Settles when the orchestrator says the key file's bytes are in Cache
 * Storage (op `bytes-ready`): a helper that must read the file waits for it.
 * @type {Promise<void>}
 */
const bytesAvailable = new Promise((ok) => {
  bytesReady = ok;
});
/**
 * Proofs waiting for their helper part: id → { resolve, reject }.
 * @type {Map<number, {resolve: (part: Uint8Array) => void, reject: (e: Error) => void}>}
 */
const waiting = new Map();

// This module's worker scope, typed here (the package is typed with the DOM
// library, whose `self` is a Window).
/** @type {{postMessage(message: unknown, transfer: Transferable[]): void, onmessage: ((ev: MessageEvent) => unknown) | null}} */
const scope = /** @type {any} */ (self);

/**
 * @param {object} msg
 * @param {Transferable[]} [transfer]
 */
const post = (msg, transfer = []) => scope.postMessage(msg, transfer);
/**
 * @param {number} id
 * @param {string} step
 */
const progress = (id, step) => post({ id, type: 'progress', step });

/**
 * The key this worker's role loaded (`load` before `prove` or `task`).
 * @template K
 * @param {K | null} key
 * @param {string} what
 * @returns {K}
 */
function loaded(key, what) {
  if (key === null) throw Object.assign(new Error(`no ${what} is loaded in this worker (role ${role})`), { code: 'internal' });
  return key;
}

/** @param {unknown} e */
function plainError(e) {
  if (e instanceof NotGreenError) {
    return { name: 'NotGreenError', code: 'not-green', message: e.message, reasons: e.reasons, status: e.status };
  }
  /** @type {{code?: unknown, message?: unknown, actual?: unknown, pinned?: unknown, diagnosis?: unknown}} */
  const f = e !== null && typeof e === 'object' ? e : {};
  /** @type {{name: string, code: string, message: string, actual?: string, pinned?: string, diagnosis?: string}} */
  const out = {
    name: e instanceof TypeError ? 'TypeError' : 'Error',
    code: typeof f.code === 'string' ? f.code : e instanceof TypeError ? 'bad-input' : 'internal',
    message: String(f.message ?? e),
  };
  // A trap leaves this instance unusable: the orchestrator gives up on it.
  if (e instanceof WebAssembly.RuntimeError) {
    out.code = 'worker-failed';
    out.message = `the proving worker's WebAssembly instance failed (${out.message}); start a new prover`;
  }
  for (const k of /** @type {const} */ (['actual', 'pinned', 'diagnosis'])) {
    const v = f[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * @param {WebAssembly.Module | null} [module] compiled by prover.js, else fetched here
 * @returns {Promise<void>}
 */
function initOnce(module) {
  ready ??= init(module ? { module_or_path: module } : undefined);
  return ready;
}

/** @param {Extract<Request, {op: 'load'}>} m */
async function load({ id, keyUrl, pin, share, waitForBytes }) {
  await initOnce();
  progress(id, 'module ready');
  // Each part from its fast form kept by an earlier visit (digest and pin
  // checked), else from the pinned file (fingerprint checked, then parsed),
  // after which the fast form is kept for the next visit.
  const parts = await loadProvingKeyParts(keyUrl, pin, {
    role: loaded(role, 'role'),
    share,
    onStep: (step) => progress(id, step),
    // Tells the orchestrator that the helper can load now: the key file is
    // in Cache Storage (so it is fetched once), or no file was needed.
    onBytesReady: () => post({ id, type: 'key-bytes-ready' }),
    // A helper whose fast form is missing or refused reads the key file
    // only once the main worker has put it in Cache Storage.
    ...(waitForBytes ? { beforeFetch: () => bytesAvailable } : {}),
  });
  mainKey = parts.mainKey;
  helperKey = parts.helperKey;
  progress(id, role === 'main' ? 'key decoded (all but the helper\'s queries)' : role === 'helper' ? 'key decoded (the helper\'s queries only)' : 'key decoded');
  const key = loaded(mainKey ?? helperKey, 'proving key');
  // The self-check's pairing, once the prover is ready and before the
  // first proof asks for it (a proof queued meanwhile waits for it).
  if (mainKey) {
    const k = mainKey;
    setTimeout(() => {
      try {
        k.prepare();
      } catch {
        // freed or failed: the first proof prepares (and reports) instead
      }
    }, 0);
  }
  return {
    fingerprintHex: key.fingerprintHex(),
    share: key.share(),
    keySource: parts.source,
    ...(mainKey ? { vkFingerprint: mainKey.vkFingerprint(), vkFingerprintHex: mainKey.vkFingerprintHex() } : {}),
  };
}

/**
 * @template T
 * @param {{credentialJson: string, holderSecretJson: string}} m
 * @param {(h: Holder) => T} fn
 * @returns {T}
 */
function withHolder(m, fn) {
  const holder = new Holder(m.credentialJson, m.holderSecretJson);
  try {
    return fn(holder);
  } finally {
    holder.free();
  }
}

/**
 * @template T
 * @param {{rootsJson: string, registries: Uint8Array[]}} m
 * @param {(r: Registries) => T} fn
 * @returns {T}
 */
function withRegistries(m, fn) {
  const r = new Registries(m.rootsJson, m.registries);
  try {
    return fn(r);
  } finally {
    r.free();
  }
}

/** @param {Extract<Request, {op: 'prove'}>} m */
async function prove(m) {
  const { id } = m;
  const key = loaded(mainKey, 'main proving key');
  const job = withHolder(m, (h) => withRegistries(m, (r) => h.beginProof(key, m.policyJson, r, m.presentation)));
  try {
    progress(id, 'statement checked, circuit synthesised');
    const task = job.takeTask();
    if (task === undefined) throw Object.assign(new Error('a new proof job has no helper task'), { code: 'internal' });
    if (role === 'single') {
      progress(id, 'helper share started (in this worker)');
      const part = loaded(helperKey, 'helper proving key').computePart(task);
      job.runMain();
      progress(id, 'main MSMs done');
      progress(id, 'helper part computed');
      const out = job.finish(part);
      progress(id, 'proof finished and self-checked');
      return out;
    }
    /** @type {Promise<Uint8Array>} */
    const partArrives = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    post({ id, type: 'task', task }, [task.buffer]);
    job.runMain();
    progress(id, 'main MSMs done');
    // The part may already be queued: it is delivered as soon as this
    // worker returns to its event loop.
    const part = await partArrives;
    const out = job.finish(part);
    progress(id, 'proof finished and self-checked');
    return out;
  } finally {
    waiting.delete(id);
    job.free();
  }
}

/**
 * @param {Request} m
 * @returns {Promise<unknown>}
 */
async function handle(m) {
  switch (m.op) {
    case 'init':
      role = m.role;
      await initOnce(m.module);
      return true;
    case 'load':
      return load(m);
    case 'status':
      return withHolder(m, (h) => h.status(m.policyJson, m.now));
    case 'registries':
      await initOnce();
      return withRegistries(m, (r) => r.summary(m.now));
    case 'prove':
      return prove(m);
    case 'task':
      return { part: loaded(helperKey, 'helper proving key').computePart(m.task) };
    case 'part':
      waiting.get(m.id)?.resolve(m.part);
      return undefined;
    case 'bytes-ready':
      bytesReady();
      return undefined;
    case 'cancel':
      waiting.get(m.id)?.reject(Object.assign(new Error(m.message ?? 'cancelled'), { code: m.code ?? 'cancelled' }));
      return undefined;
    case 'keygen':
      await initOnce();
      return generateHolderSecret();
    default:
      throw Object.assign(new Error(`unknown request ${JSON.stringify(/** @type {{op?: unknown}} */ (m).op)}`), { code: 'internal' });
  }
}

scope.onmessage = async (ev) => {
  const m = ev.data ?? {};
  try {
    const value = /** @type {{payloadBytes?: unknown, part?: unknown} | null | undefined} */ (await handle(m));
    if (m.op === 'part' || m.op === 'cancel' || m.op === 'bytes-ready') return;
    const transfer = [value?.payloadBytes, value?.part].filter((b) => b instanceof Uint8Array).map((b) => b.buffer);
    post({ id: m.id, type: 'result', value }, transfer);
  } catch (e) {
    if (m.op === 'part' || m.op === 'cancel' || m.op === 'bytes-ready') return;
    post({ id: m.id, type: 'error', error: plainError(e) });
  }
};
