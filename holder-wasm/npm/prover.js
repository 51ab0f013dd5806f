// zkstatus-holder: a prover in module Web Workers for a browser page.
//
//   import { startProver } from 'zkstatus-holder/prover.js';
//   const prover = await startProver({ keyUrl: '/zkstatus.pk', pin: PK_SHA256 });
//   const status = await prover.status({ credentialJson, holderSecretJson, policyJson, now });
//   const p = await prover.prove({ credentialJson, holderSecretJson, policyJson, rootsJson, registries,
//                                  presentation: { challenge: 'ZKC2:…' } });
//   // p.payloadText → QR code; NotGreenError (code 'not-green', reasons) → show the reasons
//   prover.close();
//
// Nothing runs on the page's thread but this coordination: each worker
// loads its own instance of the WebAssembly module and its part of the
// pinned proving key (Cache API, SHA-256 pin checked before any parsing).
// With two workers one proof is split between them (zkstatus_prover::split):
// the main worker checks the statement, synthesises the circuit and posts
// the helper's task (the assignment) through this thread; the helper
// computes its multi-scalar multiplications (B in G1 and G2, L) while the
// main worker runs the witness map and the rest; the main worker finishes
// with the helper's part and verifies the proof before returning it. The
// task and the part are derived from the witness: they only ever travel
// between this page's own workers (transferred, never logged).
//
// Every failure is an Error with a `code` (the `message` is for a person):
//   pk-pin-mismatch  the key file is not the pinned one (tampered or foreign)
//   pk-fetch         the key could not be fetched (network, HTTP status)
//   pk-too-large     the key file is over the size cap
//   pk-invalid       the pinned file itself is not a usable key
//   not-green        (a NotGreenError) the credential is not green: .reasons, .status
//   bad-input, bad-credential, bad-holder-secret, bad-policy   a caller's input
//   no-randomness    no crypto.getRandomValues
//   self-check-failed, prove-failed, helper-part-invalid, helper-task-invalid, key-mismatch
//   worker-failed    a worker crashed or could not start
//   timeout          a worker did not answer in time
//   closed           prover.close() was called

import { NotGreenError } from './index.js';

/** @typedef {import('./prover.d.ts').Progress} Progress */
/** @typedef {import('./prover.d.ts').HolderInput} HolderInput */
/** @typedef {import('./prover.d.ts').ProveInput} ProveInput */
/** @typedef {import('./prover.d.ts').RegistriesInput} RegistriesInput */
/** @typedef {import('./index.d.ts').RegistriesSummary} RegistriesSummary */
/** @typedef {import('./prover.d.ts').ProofResult} ProofResult */
/** @typedef {import('./prover.d.ts').StartProverOptions} StartProverOptions */
/** @typedef {import('./prover.d.ts').Prover} DeclaredProver */
/** @typedef {import('./index.d.ts').Status} Status */
/**
 * An error as a worker posts it (worker.js `plainError`).
 * @typedef {{name?: string, code?: string, message?: string, status?: Status, actual?: string, pinned?: string, diagnosis?: string}} WireError
 */
/**
 * A message from a worker (worker.js): a result, an error, a progress
 * step, the helper's task, or `key-bytes-ready`.
 * @typedef {{id?: number, type?: string, value?: any, error?: WireError, step?: string, task?: Uint8Array}} WorkerMessage
 */
/**
 * A request to a worker (worker.js `handle`).
 * @typedef {{op: string, id: number, [field: string]: unknown}} Request
 */
/** @typedef {Error & {code: string, actual?: string, pinned?: string, diagnosis?: string}} CodedError */

// A presentation request as a worker message: a BigInt window start as a
// decimal string (the worker's package checks everything else).
/**
 * @param {unknown} p
 * @returns {unknown}
 */
function presentationMessage(p) {
  if (p !== null && typeof p === 'object' && 'windowStart' in p && typeof p.windowStart === 'bigint') {
    return { ...p, windowStart: p.windowStart.toString() };
  }
  return p;
}

const TIMEOUT_MS = { load: 120_000, prove: 120_000, status: 30_000, keygen: 30_000, init: 60_000 };
const HEX64 = /^[0-9a-f]{64}$/;
const PROVE_STEPS = 5;
const KEY_STEPS_PER_WORKER = 3;

/**
 * @param {string} code
 * @param {string} message
 * @param {ErrorConstructor | TypeErrorConstructor} [Type]
 * @returns {CodedError}
 */
function codedError(code, message, Type = Error) {
  return Object.assign(new Type(message), { code });
}

/** @param {unknown} v */
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

// Unix seconds: a BigInt or a decimal string, never a number; the worker
// checks the digits.
/**
 * @param {unknown} now
 * @returns {string}
 */
function nowString(now) {
  if (typeof now === 'bigint') return now.toString();
  if (typeof now === 'string') return now;
  if (typeof now === 'number') {
    const hint = Number.isSafeInteger(now) && now >= 0 ? `${now}n or "${now}"` : 'a BigInt such as 1763800000n or a string such as "1763800000"';
    throw codedError('bad-input', `now must be a BigInt or a decimal string, not a number (JS numbers cannot hold every 64-bit time exactly): write ${hint}`, TypeError);
  }
  throw codedError('bad-input', `now must be a BigInt or a decimal string, got ${describe(now)}`, TypeError);
}

/**
 * @param {WireError | undefined} p
 * @returns {Error}
 */
function rebuild(p) {
  if (p && p.code === 'not-green' && p.status) return new NotGreenError(p.status);
  const e = codedError(p?.code ?? 'internal', p?.message ?? 'unknown error', p?.name === 'TypeError' ? TypeError : Error);
  for (const k of /** @type {const} */ (['actual', 'pinned', 'diagnosis'])) {
    const v = p?.[k];
    if (typeof v === 'string') e[k] = v;
  }
  return e;
}

/**
 * @template T
 * @param {((arg: T) => void) | undefined} fn
 * @param {T} arg
 */
function safely(fn, arg) {
  try {
    fn?.(arg);
  } catch {
    // a throwing progress callback must not break the proof
  }
}

/** One worker and its pending requests. */
class Channel {
  /**
   * @param {string} name
   * @param {(e: Error) => void} onFatal
   */
  constructor(name, onFatal) {
    this.name = name;
    /** @type {Map<number | undefined, {resolve: (value: any) => void, reject: (e: unknown) => void, timer: ReturnType<typeof setTimeout>}>} */
    this.pending = new Map();
    this.onFatal = onFatal;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: `zkstatus-${name}` });
    this.worker.onmessage = (ev) => this.#receive(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault?.();
      this.onFatal(codedError('worker-failed', `the ${name} proving worker failed${ev.message ? `: ${ev.message}` : ''} (it could not start, or crashed)`));
    };
    this.worker.onmessageerror = () => this.onFatal(codedError('worker-failed', `the ${name} proving worker sent a message that could not be read`));
    /**
     * Messages of other types, by id: id → handler(msg).
     * @type {Map<number | undefined, (msg: WorkerMessage) => void>}
     */
    this.listeners = new Map();
  }

  /** @param {WorkerMessage | null | undefined} msg */
  #receive(msg) {
    if (!msg || typeof msg !== 'object') return;
    const p = this.pending.get(msg.id);
    if (msg.type === 'result' || msg.type === 'error') {
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.type === 'result') p.resolve(msg.value);
      else p.reject(rebuild(msg.error));
      return;
    }
    this.listeners.get(msg.id)?.(msg);
  }

  /**
   * Send a request; the promise settles on its result or error, or times out.
   * @param {Request} msg
   * @param {{timeout: number, transfer?: Transferable[], listener?: (msg: WorkerMessage) => void}} options
   * @returns {Promise<any>}
   */
  request(msg, { timeout, transfer = [], listener }) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msg.id);
        this.listeners.delete(msg.id);
        const e = codedError('timeout', `the ${this.name} proving worker did not answer within ${Math.round(timeout / 1000)} s (${msg.op}); start a new prover`);
        reject(e);
        this.onFatal(e);
      }, timeout);
      this.pending.set(msg.id, { resolve, reject, timer });
      if (listener) this.listeners.set(msg.id, listener);
      try {
        this.worker.postMessage(msg, transfer);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(msg.id);
        this.listeners.delete(msg.id);
        reject(codedError('bad-input', `the request could not be sent to the worker: ${e instanceof Error ? e.message : String(e)}`));
      }
    }).finally(() => this.listeners.delete(msg.id));
  }

  /**
   * @param {Request} msg
   * @param {Transferable[]} [transfer]
   */
  send(msg, transfer = []) {
    this.worker.postMessage(msg, transfer);
  }

  /** @param {unknown} error */
  fail(error) {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
    this.listeners.clear();
  }

  /** @param {unknown} error */
  terminate(error) {
    this.fail(error);
    this.worker.terminate();
  }
}

let nextId = 1;

/** @type {Promise<WebAssembly.Module | null> | null} */
let compiling = null;

/**
 * The package's WebAssembly module, compiled once per page (null if it
 * cannot be compiled here: the workers then load it themselves).
 * @returns {Promise<WebAssembly.Module | null>}
 */
function compiledModule() {
  compiling ??= (async () => {
    try {
      const url = new URL('./zkstatus_holder_bg.wasm', import.meta.url);
      return await WebAssembly.compileStreaming(fetch(url));
    } catch {
      return null;
    }
  })();
  return compiling;
}

/** @implements {DeclaredProver} */
class Prover {
  #main;
  #helper;
  #channels;
  /** @type {Error | null} */
  #broken = null;
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();

  /**
   * @param {Channel} main
   * @param {Channel | null} helper
   * @param {{fingerprintHex: string, vkFingerprint: string, vkFingerprintHex: string, keySources: ('fast'|'cache'|'network')[]}} info
   */
  constructor(main, helper, info) {
    this.#main = main;
    this.#helper = helper;
    this.#channels = helper ? [main, helper] : [main];
    /** SHA-256 of the proving-key file (equal to the pin). */
    this.fingerprintHex = info.fingerprintHex;
    /** The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`. */
    this.vkFingerprint = info.vkFingerprint;
    /** The verifying key's fingerprint, 64 hex digits. */
    this.vkFingerprintHex = info.vkFingerprintHex;
    /** How many workers prove (1 or 2). */
    this.workers = this.#channels.length;
    /**
     * Where each worker's key part came from: `fast` (its fast form, kept by
     * an earlier visit), `cache` (the key file from Cache Storage) or
     * `network`. Main worker first.
     */
    this.keySources = Object.freeze([...info.keySources]);
    Object.freeze(this);
  }

  /**
   * Internal: a worker failed; every later call rejects with this error.
   * @param {Error} error
   */
  _fatal(error) {
    if (this.#broken) return;
    this.#broken = error;
    for (const c of this.#channels) c.terminate(error);
  }

  #check() {
    if (this.#broken) throw this.#broken;
  }

  /**
   * `{ green, reasons, now, greenUntil }`, as `Holder.status`.
   * @param {Partial<HolderInput>} [input]
   * @returns {Promise<Status>}
   */
  async status({ credentialJson, holderSecretJson, policyJson, now } = {}) {
    this.#check();
    const id = nextId++;
    return this.#main.request({ op: 'status', id, credentialJson, holderSecretJson, policyJson, now: nowString(now) }, { timeout: TIMEOUT_MS.status });
  }

  /**
   * The registry material at `now`, as `Registries.summary`.
   * @param {Partial<RegistriesInput> & {now?: bigint|string}} [input]
   * @returns {Promise<RegistriesSummary>}
   */
  async registries({ rootsJson, registries, now } = {}) {
    this.#check();
    const id = nextId++;
    return this.#main.request({ op: 'registries', id, rootsJson, registries, now: nowString(now) }, { timeout: TIMEOUT_MS.status });
  }

  /**
   * A new holder secret file (JSON text); keep it on the device.
   * @returns {Promise<string>}
   */
  async generateHolderSecret() {
    this.#check();
    return this.#main.request({ op: 'keygen', id: nextId++ }, { timeout: TIMEOUT_MS.keygen });
  }

  /**
   * Prove: `{ payloadText, payloadBytes, now, epoch, mode, ms }`. Rejects with a
   * NotGreenError (code 'not-green', reasons, status) or an Error (code).
   * Proofs run one at a time, in call order.
   * @param {Partial<ProveInput>} [input]
   * @param {{onProgress?: (p: Progress) => void}} [options]
   * @returns {Promise<ProofResult>}
   */
  prove(input = {}, { onProgress } = {}) {
    const run = () => this.#prove(input, onProgress);
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  /**
   * @param {Partial<ProveInput>} input
   * @param {((p: Progress) => void) | undefined} onProgress
   * @returns {Promise<ProofResult>}
   */
  async #prove({ credentialJson, holderSecretJson, policyJson, rootsJson, registries, presentation } = {}, onProgress) {
    this.#check();
    const t0 = performance.now();
    const id = nextId++;
    let done = 0;
    /** @param {string} s */
    const step = (s) => {
      done = Math.min(done + 1, PROVE_STEPS);
      safely(onProgress, { phase: 'prove', step: s, done, total: PROVE_STEPS });
    };
    const main = this.#main;
    const helper = this.#helper;
    const msg = { op: 'prove', id, credentialJson, holderSecretJson, policyJson, rootsJson, registries, presentation: presentationMessage(presentation) };
    /** @param {WorkerMessage} m */
    const listener = (m) => {
      if (m.type === 'progress') step(String(m.step));
      else if (m.type === 'task' && helper && m.task) {
        step('helper started');
        helper.request({ op: 'task', id, task: m.task }, { timeout: TIMEOUT_MS.prove, transfer: [m.task.buffer] }).then(
          /** @param {{part: Uint8Array}} result */
          ({ part }) => {
            step('helper part received');
            main.send({ op: 'part', id, part }, [part.buffer]);
          },
          // The main worker is waiting for this part: tell it why none comes.
          /** @param {CodedError} e */
          (e) => main.send({ op: 'cancel', id, code: e.code, message: `the helper worker failed: ${e.message}` }),
        );
      }
    };
    const value = await main.request(msg, { timeout: TIMEOUT_MS.prove, listener });
    return { ...value, ms: Math.round(performance.now() - t0) };
  }

  /** Terminate the workers; pending and later calls reject (code 'closed'). */
  close() {
    this._fatal(codedError('closed', 'this prover was closed'));
  }
}

/**
 * Start a prover in module Web Workers.
 * @param {Partial<StartProverOptions>} [options] (checked here: a missing `keyUrl` or `pin` rejects with code `bad-input`)
 * @returns {Promise<Prover>}
 */
export async function startProver(options = {}) {
  if (options === null || typeof options !== 'object') throw codedError('bad-input', `startProver needs an options object, got ${describe(options)}`, TypeError);
  const { keyUrl, pin, onProgress, helperShare } = options;
  if (typeof keyUrl !== 'string' && !(keyUrl instanceof URL)) throw codedError('bad-input', `keyUrl must be a string or a URL, got ${describe(keyUrl)}`, TypeError);
  if (typeof pin !== 'string' || !HEX64.test(pin)) {
    throw codedError('bad-input', `pin must be 64 lowercase hex digits (the SHA-256 of the proving-key file, as \`zkstatus inspect\` prints pk_sha256), got ${typeof pin === 'string' ? JSON.stringify(pin.slice(0, 80)) : describe(pin)}`, TypeError);
  }
  const cores = Number(globalThis.navigator?.hardwareConcurrency) || 1;
  const workers = options.workers ?? Math.min(2, cores);
  if (workers !== 1 && workers !== 2) throw codedError('bad-input', `workers must be 1 or 2, got ${String(workers)}`, TypeError);
  if (helperShare !== undefined && (!Number.isInteger(helperShare) || helperShare < 1 || helperShare > 15)) {
    throw codedError('bad-input', `helperShare must be an integer from 1 to 15, got ${String(helperShare)}`, TypeError);
  }
  if (typeof Worker !== 'function') throw codedError('worker-failed', 'this environment has no Web Workers');
  // Absolute, so that the workers (whose base URL is worker.js) fetch the same URL.
  const url = new URL(String(keyUrl), globalThis.location?.href).href;

  /** @type {(e: Error) => void} */
  let fatal = () => {};
  /** @type {Promise<never>} */
  const failed = new Promise((_, reject) => {
    fatal = reject;
  });
  failed.catch(() => undefined);
  /** @type {Prover | null} */
  let prover = null;
  /** @param {Error} e */
  const onFatal = (e) => (prover ? prover._fatal(e) : fatal(e));
  const main = new Channel(workers === 2 ? 'main' : 'single', onFatal);
  const helper = workers === 2 ? new Channel('helper', onFatal) : null;
  const channels = helper ? [main, helper] : [main];
  const total = KEY_STEPS_PER_WORKER * workers;
  let done = 0;
  /** @param {string} who */
  const progress = (who) => /** @param {WorkerMessage} m */ (m) => {
    if (m.type !== 'progress') return;
    done = Math.min(done + 1, total);
    safely(onProgress, { phase: 'key', step: workers === 2 ? `${who}: ${m.step}` : String(m.step), done, total });
  };

  try {
    const ready = (async () => {
      // The module is compiled once, here (streaming, off this thread), and
      // the compiled module posted to each worker (shared, not copied);
      // if that fails, each worker fetches and compiles it itself.
      const module = await compiledModule();
      // Each worker gets its module and, right behind it, its load (a
      // worker handles them in order: the load waits for the instance).
      const inits = channels.map((c) => c.request({ op: 'init', id: nextId++, role: c === main ? (helper ? 'main' : 'single') : 'helper', module }, { timeout: TIMEOUT_MS.init }));
      const loadMsg = () => ({ op: 'load', id: nextId++, keyUrl: url, pin, share: helperShare });
      // Both workers load at once; the helper reads the key file only once
      // the main worker has it (from the cache, or fetched and cached), so a
      // first visit fetches the key once. On a repeat visit the helper's
      // fast form needs no file and the helper does not wait.
      const helperMsg = helper ? { ...loadMsg(), waitForBytes: true } : null;
      const mainLoad = main.request(loadMsg(), {
        timeout: TIMEOUT_MS.load,
        listener: (m) => {
          if (m.type === 'key-bytes-ready') {
            if (helper && helperMsg) helper.send({ op: 'bytes-ready', id: helperMsg.id });
          } else progress('main')(m);
        },
      });
      // If the main worker fails, Promise.all rejects at once (a helper
      // waiting for the key bytes is then terminated with it).
      const helperLoad = helper && helperMsg ? helper.request(helperMsg, { timeout: TIMEOUT_MS.load, listener: progress('helper') }) : Promise.resolve(null);
      const [info, helperInfo] = await Promise.all([mainLoad, helperLoad, ...inits]);
      if (helperInfo && helperInfo.fingerprintHex !== info.fingerprintHex) {
        throw codedError('key-mismatch', 'the two proving workers loaded different keys');
      }
      return { ...info, keySources: helperInfo ? [info.keySource, helperInfo.keySource] : [info.keySource] };
    })();
    const info = await Promise.race([ready, failed]);
    prover = new Prover(main, helper, info);
    return prover;
  } catch (e) {
    for (const c of channels) c.terminate(e);
    throw e;
  }
}

// startProver matches its declaration in prover.d.ts (checked by tsc,
// scripts/check-types.sh; types only); Prover by its @implements.
/**
 * @template {Declared} Actual
 * @template Declared
 * @typedef {Actual} Matches
 */
/** @typedef {Matches<typeof startProver, typeof import('./prover.d.ts').startProver>} Conformance */
