// The prover's Web Worker (a module worker started by prover.js): the
// zkstatus-holder package (./pkg/, WebAssembly) with the pinned proving key,
// off the page's thread, so the page stays responsive while a proof is made.
//
// Messages in: { id, op: 'start' | 'status' | 'prove', args }.
// Messages out: { id, type: 'progress', phase, step, done, total },
//               { id, type: 'result', result } or { id, type: 'error', error }
//               (an error is a plain object: name, code, message, and for a
//               not-green credential reasons and status).
// Nothing is logged, and the credential and secret never leave this worker
// and the page.

import init, { fetchProvingKey, Holder, NotGreenError } from './pkg/index.js';

let provingKey;
let holder; // { credentialJson, holderSecretJson, h }

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

class WorkerError extends Error {
  constructor(code, message, detail) {
    super(message);
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

function plainError(e) {
  if (e instanceof NotGreenError) {
    return { name: 'NotGreenError', code: 'not-green', message: e.message, reasons: e.reasons, status: e.status };
  }
  const plain = {
    name: 'Error',
    code: typeof e?.code === 'string' ? e.code : 'bad-input',
    message: String(e?.message ?? e),
  };
  if (typeof e?.detail === 'string') plain.detail = e.detail;
  return plain;
}

// What went wrong with the proving key, from the package's error.
function keyError(e) {
  const detail = String(e?.message ?? e);
  if (/ is not the pinned /.test(detail)) {
    return new WorkerError('pk-pin-mismatch', `This page's proving key does not match its pinned fingerprint: it was altered or is from another setup, so no proof can be made (${detail}).`, detail);
  }
  if (e instanceof TypeError || /^proving key: HTTP /.test(detail) || /fetch/i.test(detail)) {
    return new WorkerError('pk-fetch', `The proving key could not be downloaded (${detail}).`, detail);
  }
  return new WorkerError('pk-invalid', `The page's proving key cannot be used (${detail}).`, detail);
}

function holderFor(credentialJson, holderSecretJson) {
  if (holder && holder.credentialJson === credentialJson && holder.holderSecretJson === holderSecretJson) return holder.h;
  holder?.h.free();
  holder = undefined;
  const h = new Holder(credentialJson, holderSecretJson);
  holder = { credentialJson, holderSecretJson, h };
  return h;
}

const ops = {
  async start(id, { keyUrl, pin }) {
    const progress = (step, done) => post({ id, type: 'progress', phase: 'key', step, done, total: 2 });
    progress('prover', 0);
    try {
      await init();
    } catch (e) {
      throw new WorkerError('worker', `The prover (WebAssembly) did not load: ${e?.message ?? e}`, String(e?.message ?? e));
    }
    progress('key', 1);
    try {
      provingKey = await fetchProvingKey(keyUrl, pin);
    } catch (e) {
      throw keyError(e);
    }
    progress('ready', 2);
    return {
      fingerprintHex: provingKey.fingerprintHex(),
      vkFingerprint: provingKey.vkFingerprint(),
      vkFingerprintHex: provingKey.vkFingerprintHex(),
    };
  },

  status(id, { credentialJson, holderSecretJson, policyJson, now }) {
    return holderFor(credentialJson, holderSecretJson).status(policyJson, now);
  },

  prove(id, { credentialJson, holderSecretJson, policyJson, challengeHex, now }) {
    if (!provingKey) throw new WorkerError('worker', 'The prover has no proving key (start it first).');
    const h = holderFor(credentialJson, holderSecretJson);
    // The proof itself is one synchronous call: the page estimates its progress from here.
    post({ id, type: 'progress', phase: 'prove', step: 'proving', done: 0, total: 1 });
    const t0 = performance.now();
    const out = h.prove(provingKey, policyJson, challengeHex, now);
    const ms = performance.now() - t0;
    return { payloadText: out.payloadText, payloadBytes: out.payloadBytes, now: out.now, issuer: out.issuer, ms };
  },
};

self.onmessage = async (event) => {
  const { id, op, args } = event.data ?? {};
  if (!Object.hasOwn(ops, op)) {
    post({ id, type: 'error', error: { name: 'Error', code: 'worker', message: `unknown operation ${JSON.stringify(op)}` } });
    return;
  }
  try {
    const result = await ops[op](id, args ?? {});
    const transfer = result?.payloadBytes instanceof Uint8Array ? [result.payloadBytes.buffer] : [];
    post({ id, type: 'result', result }, transfer);
  } catch (e) {
    post({ id, type: 'error', error: plainError(e) });
  }
};
