// The holder page's prover: a stand-in, with one Web Worker
// (prover-worker.js), for the zkstatus-holder package's own `startProver`.
// The page uses only this interface, so that this file can become a
// re-export of the package's:
//
//   const prover = await startProver({ keyUrl, pin, onProgress })
//     onProgress({ phase: 'key' | 'prove', step, done, total })
//     rejects with an Error for people, error.code: 'pk-pin-mismatch'
//     (tampered or foreign key) | 'pk-fetch' | 'pk-invalid' | 'worker'
//   prover.fingerprintHex, .vkFingerprint (xxxx-xxxx-xxxx-xxxx),
//     .vkFingerprintHex, .workers
//   await prover.status({ credentialJson, holderSecretJson, policyJson, now })
//     -> { green, reasons, now, greenUntil }
//   await prover.prove({ credentialJson, holderSecretJson, policyJson, challengeHex, now }, { onProgress })
//     -> { payloadText, payloadBytes, now, issuer, ms }; rejects with an
//     Error named 'NotGreenError' (code 'not-green', reasons, status) or
//     an Error with a code
//   await prover.generateHolderSecret() -> holder-secret JSON text
//     (this stand-in: rejects with code 'unsupported')
//   prover.close()
//
// `now`: a BigInt or a decimal string (sent to the worker as a string).
// Errors cross postMessage as plain objects and are rebuilt here.
//
// One synchronous WebAssembly proof reports no progress of its own: while
// it runs, this stand-in reports an estimate from the previous proof's
// duration (or FIRST_PROOF_ESTIMATE_MS) that slows down as it nears the end
// and never reaches `total` before the result is in.

/** The first proof's estimated duration, ms (a mid-range phone; ~2 s on a laptop). */
export const FIRST_PROOF_ESTIMATE_MS = 4000;
const PROGRESS_STEPS = 100;
const PROGRESS_INTERVAL_MS = 100;

function proverError(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

function rebuildError(o) {
  const e = new Error(typeof o?.message === 'string' ? o.message : 'the prover failed');
  e.name = typeof o?.name === 'string' ? o.name : 'Error';
  e.code = typeof o?.code === 'string' ? o.code : 'worker';
  if (typeof o?.detail === 'string') e.detail = o.detail; // the package's own words, for the curious
  if (o?.reasons !== undefined) e.reasons = o.reasons;
  if (o?.status !== undefined) e.status = o.status;
  return e;
}

function timeString(now, field) {
  if (typeof now === 'bigint') return now.toString();
  if (typeof now === 'string') return now;
  throw new TypeError(`${field} must be a BigInt or a decimal string, got ${now === null ? 'null' : typeof now}`);
}

/**
 * The estimated fraction of a proof done after `elapsed` ms when it is
 * expected to take `estimate` ms: linear to 80 %, then ever slower, below 99 %.
 */
export function estimatedFraction(elapsed, estimate) {
  const t = Math.max(0, elapsed) / Math.max(1, estimate);
  const f = t < 0.8 ? t : 0.8 + 0.19 * (1 - Math.exp(-3 * (t - 0.8)));
  return Math.min(0.99, f);
}

// Calls into the worker: one promise per request id; progress messages go to
// that request's onProgress. If the worker dies, every pending call fails.
class Channel {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #dead;

  constructor(worker) {
    this.#worker = worker;
    worker.onmessage = (event) => this.#receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#fail(proverError('worker', 'The prover could not run in this browser (its worker failed to load or crashed): reload the page; if that does not help, the page\'s files are incomplete.'));
    };
    worker.onmessageerror = () => {
      this.#fail(proverError('worker', 'The prover sent a message this page cannot read.'));
    };
  }

  #receive(msg) {
    const call = this.#pending.get(msg?.id);
    if (!call) return;
    if (msg.type === 'progress') {
      call.onMessage?.(msg);
      return;
    }
    this.#pending.delete(msg.id);
    if (msg.type === 'result') call.resolve(msg.result);
    else call.reject(rebuildError(msg.error));
  }

  #fail(error) {
    this.#dead ??= error;
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }

  call(op, args, onMessage) {
    if (this.#dead) return Promise.reject(this.#dead);
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject, onMessage });
      try {
        this.#worker.postMessage({ id, op, args });
      } catch (e) {
        this.#pending.delete(id);
        reject(proverError('worker', `The prover could not be reached: ${e.message}`));
      }
    });
  }

  close() {
    this.#fail(proverError('worker', 'The prover was closed.'));
    this.#worker.terminate();
  }
}

class Prover {
  #channel;
  #onProgress;
  #lastProofMs;

  constructor(channel, info, onProgress) {
    this.#channel = channel;
    this.#onProgress = onProgress;
    this.fingerprintHex = info.fingerprintHex;
    this.vkFingerprint = info.vkFingerprint;
    this.vkFingerprintHex = info.vkFingerprintHex;
    this.workers = 1;
  }

  /** The holder's status under a policy at `now`: `{ green, reasons, now, greenUntil }`. */
  status({ credentialJson, holderSecretJson, policyJson, now }) {
    return this.#channel.call('status', {
      credentialJson, holderSecretJson, policyJson, now: timeString(now, 'now'),
    });
  }

  /** Prove for a venue's challenge: `{ payloadText, payloadBytes, now, issuer, ms }`. */
  async prove({ credentialJson, holderSecretJson, policyJson, challengeHex, now }, { onProgress } = {}) {
    const report = onProgress ?? this.#onProgress;
    const emit = (step, done) => {
      try {
        report?.({ phase: 'prove', step, done, total: PROGRESS_STEPS });
      } catch {
        // A failing progress callback does not stop the proof.
      }
    };
    const estimate = this.#lastProofMs ?? FIRST_PROOF_ESTIMATE_MS;
    let timer;
    let last = -1;
    emit('preparing', 0);
    try {
      const result = await this.#channel.call('prove', {
        credentialJson, holderSecretJson, policyJson, challengeHex, now: timeString(now, 'now'),
      }, (msg) => {
        if (msg.step !== 'proving' || timer !== undefined) return;
        const started = performance.now();
        const tick = () => {
          const done = Math.min(PROGRESS_STEPS - 1, Math.floor(estimatedFraction(performance.now() - started, estimate) * PROGRESS_STEPS));
          if (done !== last) {
            last = done;
            emit('proving', done);
          }
        };
        tick();
        timer = setInterval(tick, PROGRESS_INTERVAL_MS);
      });
      clearInterval(timer);
      timer = undefined;
      this.#lastProofMs = result.ms;
      emit('done', PROGRESS_STEPS);
      return result;
    } finally {
      clearInterval(timer);
    }
  }

  /** This stand-in cannot make a holder secret (the package exposes no way yet). */
  async generateHolderSecret() {
    throw proverError('unsupported', 'This page\'s prover cannot make a holder secret: import a holder.secret file (made by zkstatus holder keygen).');
  }

  close() {
    this.#channel.close();
  }
}

/**
 * Start the prover: a worker loads the WebAssembly package and the proving
 * key at `keyUrl` (same origin; fetched once, then from the Cache API),
 * accepted only if its SHA-256 is `pin`.
 */
export async function startProver({ keyUrl, pin, onProgress } = {}) {
  if (typeof pin !== 'string' || !/^[0-9a-f]{64}$/.test(pin)) {
    throw proverError('pk-invalid', 'The pinned proving-key fingerprint must be 64 lowercase hex digits.');
  }
  let url;
  try {
    url = new URL(keyUrl, globalThis.location?.href).href;
  } catch {
    throw proverError('pk-fetch', 'The proving key\'s address is not a URL.');
  }
  let worker;
  try {
    worker = new Worker(new URL('./prover-worker.js', import.meta.url), { type: 'module', name: 'zkstatus-prover' });
  } catch (e) {
    throw proverError('worker', `This browser cannot start the prover (module workers): ${e.message}`);
  }
  const channel = new Channel(worker);
  const report = (msg) => {
    try {
      onProgress?.({ phase: msg.phase, step: msg.step, done: msg.done, total: msg.total });
    } catch {
      // Ignored, as for proofs.
    }
  };
  let info;
  try {
    info = await channel.call('start', { keyUrl: url, pin }, report);
  } catch (e) {
    channel.close();
    throw e;
  }
  return new Prover(channel, info, onProgress);
}
