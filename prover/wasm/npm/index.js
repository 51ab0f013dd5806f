// zkstatus-holder: check and prove a zkstatus health status on the holder's
// device, with the same Rust prover as the native tools, compiled to
// WebAssembly.
//
// The public API over the wasm-bindgen exports of zkstatus-holder-wasm.
// This wrapper checks every JavaScript type and size *before* it calls into
// WebAssembly, and hands the WASM side only strings and fresh Uint8Array
// copies, so no caller-supplied object (a getter, a Proxy, a huge buffer)
// ever runs or allocates while WASM code is on the stack. Every failure is a
// thrown Error with a precise message; nothing traps, and nothing secret is
// ever put in a message.
//
// Browsers: `await init()` once (it fetches zkstatus_holder_bg.wasm next to
// this file), then use the API. Node >= 20: import the package; its `node`
// entry (node.js) initializes synchronously from the file system.

import initWasm, {
  initSync as initWasmSync,
  WasmHolder,
  WasmProvingKey,
  provingKeyFingerprint as wasmFingerprint,
} from './zkstatus_holder.js';

/** Largest credential, holder-secret or policy JSON accepted, bytes. */
export const MAX_JSON_BYTES = 64 * 1024;
/** Largest proving-key file accepted, bytes (ours is about 1.04 MB). */
export const MAX_PROVING_KEY_BYTES = 8 << 20;
// Strings longer than this (UTF-16 units) are refused here without being
// copied into WASM memory; shorter ones are checked exactly by the Rust side.
const MAX_JSON_COPY = 4 * MAX_JSON_BYTES;
const HEX64 = /^[0-9a-f]{64}$/;

let ready = false;

/**
 * Load and instantiate the WebAssembly module (browsers; Node's entry does
 * it on import). With no argument it fetches `zkstatus_holder_bg.wasm` next
 * to this file; or pass `{ module_or_path }` (a URL, a Response, bytes or a
 * WebAssembly.Module). Calling it again is a no-op.
 */
export default async function init(moduleOrPath) {
  await initWasm(moduleOrPath);
  ready = true;
}

/** Instantiate synchronously from `{ module }` (bytes or a WebAssembly.Module). */
export function initSync(module) {
  initWasmSync(module);
  ready = true;
}

function requireReady() {
  if (!ready) {
    throw new Error(
      'zkstatus-holder is not initialized: `await init()` first (Node: import the package, which initializes it)',
    );
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  return `a ${typeof v}`;
}

// Unix seconds: a BigInt or a decimal string, never a number (a JS number
// cannot hold every u64). The Rust side checks the digits.
function u64String(value, field) {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    if (value.length > 1024) throw new Error(`${field}: expected a decimal integer of at most 18446744073709551615`);
    return value;
  }
  if (typeof value === 'number') {
    const hint = Number.isSafeInteger(value) && value >= 0 ? `${value}n or "${value}"` : 'a BigInt such as 1763800000n or a string such as "1763800000"';
    throw new TypeError(
      `${field} must be a BigInt or a decimal string, not a number (JS numbers cannot hold every 64-bit time exactly): write ${hint}`,
    );
  }
  throw new TypeError(`${field} must be a BigInt or a decimal string, got ${describe(value)}`);
}

function requireString(value, field, what) {
  if (typeof value !== 'string') throw new TypeError(`${field} must be a string (${what}), got ${describe(value)}`);
  return value;
}

function requireBytes(value, field, what) {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${field} must be a Uint8Array (${what}), got ${describe(value)}`);
  }
  return value;
}

function jsonInput(value, field, what) {
  requireString(value, field, `the ${what} JSON file's text`);
  if (value.length > MAX_JSON_COPY) {
    throw new Error(`${what} is over ${MAX_JSON_BYTES} bytes (${value.length} UTF-16 code units); at most ${MAX_JSON_BYTES} are accepted`);
  }
  return value;
}

function boundedString(value, field, what) {
  requireString(value, field, what);
  if (value.length > 1024) throw new Error(`${field}: expected ${what}, got ${value.length} characters`);
  return value;
}

// A fresh, plain copy of at most `max` bytes: reads the source's own bytes
// (not its getters) and yields a Uint8Array whose length nobody else controls.
function copyBytes(bytes, max, what) {
  if (bytes.length > max) throw new Error(`${what}: the file is ${bytes.length} bytes, at most ${max} are accepted`);
  const copy = new Uint8Array(bytes);
  if (copy.length > max) throw new Error(`${what}: the file is ${copy.length} bytes, at most ${max} are accepted`);
  return copy;
}

const fromHex = (h) => {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};

/**
 * The fingerprint of a proving-key file: its SHA-256, 64 lowercase hex
 * digits (what `sha256sum zkstatus.pk` prints). Pin this value in the page.
 */
export function provingKeyFingerprint(bytes) {
  requireReady();
  requireBytes(bytes, 'bytes', 'the proving-key file');
  return wasmFingerprint(copyBytes(bytes, MAX_PROVING_KEY_BYTES, 'proving key'));
}

/**
 * The credential is not green under the policy: `prove` made no proof.
 * `reasons` (`[{ code, message }]`) and `status` are the holder's own
 * explanation: show them to the holder, never send or log them. The message
 * itself carries no health data.
 */
export class NotGreenError extends Error {
  constructor(status) {
    super('not green under this policy: no proof made (error.reasons says why; show it to the holder only)');
    this.name = 'NotGreenError';
    this.code = 'not-green';
    this.reasons = status.reasons;
    this.status = status;
  }
}

const TOKEN = Symbol('zkstatus-holder ProvingKey');
let keyInner;

/**
 * A proving key whose file matched its pinned fingerprint and whose every
 * point was validated. Make one with `ProvingKey.load` or `fetchProvingKey`
 * and reuse it for every proof: loading validates about 28,000 curve points.
 */
export class ProvingKey {
  #w;

  /** Internal: use `ProvingKey.load` or `fetchProvingKey`. */
  constructor(token, w) {
    if (token !== TOKEN) {
      throw new TypeError('use ProvingKey.load(bytes, pinnedFingerprintHex) or fetchProvingKey(url, pinnedFingerprintHex)');
    }
    this.#w = w;
  }

  static {
    keyInner = (k) => {
      if (!(k instanceof ProvingKey)) {
        throw new TypeError(`provingKey must be a ProvingKey (ProvingKey.load or fetchProvingKey), got ${describe(k)}`);
      }
      return k.#inner();
    };
  }

  /**
   * Accept the proving-key file only if its SHA-256 is `pinnedFingerprintHex`
   * (64 lowercase hex digits), checked before any byte is parsed; then parse
   * it, validating every point. A tampered, truncated or foreign file throws
   * an Error saying which fingerprint it has and what it looks like instead.
   * @param {Uint8Array} bytes the proving-key file (`zkstatus.pk`)
   * @param {string} pinnedFingerprintHex its expected SHA-256
   */
  static load(bytes, pinnedFingerprintHex) {
    requireReady();
    requireBytes(bytes, 'bytes', 'the proving-key file');
    const pin = boundedString(pinnedFingerprintHex, 'pinnedFingerprint', '64 lowercase hex digits (the SHA-256 of the proving-key file)');
    const copy = copyBytes(bytes, MAX_PROVING_KEY_BYTES, 'proving key');
    return new ProvingKey(TOKEN, WasmProvingKey.load(copy, pin));
  }

  #inner() {
    if (this.#w === undefined) throw new Error('this ProvingKey was freed');
    return this.#w;
  }

  /** The file's SHA-256, 64 hex digits (equal to the pin). */
  fingerprintHex() {
    return this.#inner().fingerprintHex();
  }

  /** The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`, as venues' verifiers show it. */
  vkFingerprint() {
    return this.#inner().vkShortFingerprint();
  }

  /** The verifying key's fingerprint, 64 hex digits (what verifiers pin). */
  vkFingerprintHex() {
    return this.#inner().vkFingerprintHex();
  }

  /** The verifying-key file (`zkstatus.vk`) matching this key. */
  vkFile() {
    return this.#inner().vkFile();
  }

  /** Release the WASM memory now (otherwise the garbage collector does). */
  free() {
    if (this.#w !== undefined) {
      const w = this.#w;
      this.#w = undefined;
      w.free();
    }
  }
}

/**
 * A holder's credential with its holder secret. Both stay on the device:
 * nothing here sends anything anywhere.
 */
export class Holder {
  #w;

  /**
   * @param {string} credentialJson the credential file (`zkstatus/credential`)
   * @param {string} holderSecretJson the holder-secret file (`zkstatus/holder-secret`)
   */
  constructor(credentialJson, holderSecretJson) {
    requireReady();
    const cred = jsonInput(credentialJson, 'credentialJson', 'credential');
    const secret = jsonInput(holderSecretJson, 'holderSecretJson', 'holder secret');
    this.#w = new WasmHolder(cred, secret);
  }

  #inner() {
    if (this.#w === undefined) throw new Error('this Holder was freed');
    return this.#w;
  }

  /**
   * What the credential says: `{ issuer, testType, testResult, testTime,
   * exposureTime, issuedAt, expiresAt }`, times as decimal strings.
   */
  credential() {
    return JSON.parse(this.#inner().summaryJson());
  }

  /**
   * Whether a proof can be made under `policyJson` at `now` (local only):
   * `{ green, reasons: [{ code, message }], now, greenUntil }`.
   * @param {string} policyJson the venue's policy (`zkstatus/policy`)
   * @param {bigint|string} now unix seconds
   */
  status(policyJson, now) {
    const w = this.#inner();
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    const t = u64String(now, 'now');
    return JSON.parse(w.statusJson(policy, t));
  }

  /**
   * Prove the status for a venue: its policy, its challenge, the time.
   * Throws a `NotGreenError` (with `reasons`) if the credential is not
   * green, an `Error` on bad input; never sends anything.
   * @param {ProvingKey} provingKey a pinned proving key
   * @param {string} policyJson the venue's policy (`zkstatus/policy`)
   * @param {string} challengeHex the venue's challenge, 64 lowercase hex digits
   * @param {bigint|string} now unix seconds (the venue checks it against its clock)
   * @returns {{payloadText: string, payloadBytes: Uint8Array, now: string, issuer: string}}
   */
  prove(provingKey, policyJson, challengeHex, now) {
    const w = this.#inner();
    const pk = keyInner(provingKey);
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    const challenge = boundedString(challengeHex, 'challenge', '64 lowercase hex digits');
    const t = u64String(now, 'now');
    const out = JSON.parse(w.proveJson(pk, policy, challenge, t));
    if (!out.proved) throw new NotGreenError(out.status);
    return {
      payloadText: out.payloadText,
      payloadBytes: fromHex(out.payloadHex),
      now: out.now,
      issuer: out.issuer,
    };
  }

  /** Release the WASM memory now (otherwise the garbage collector does). */
  free() {
    if (this.#w !== undefined) {
      const w = this.#w;
      this.#w = undefined;
      w.free();
    }
  }
}

if (typeof Symbol.dispose === 'symbol') {
  ProvingKey.prototype[Symbol.dispose] = function dispose() {
    this.free();
  };
  Holder.prototype[Symbol.dispose] = function dispose() {
    this.free();
  };
}

/**
 * Fetch the proving key once, check it against its pin, and cache it.
 *
 * With the Cache API (browsers; `options.caches` to inject one), a cached
 * copy is used when its SHA-256 is the pin; a cached copy that is not (a
 * new key was pinned, or the stored bytes changed) is deleted and the key
 * fetched again. A fetched file is cached only after it matched the pin and
 * parsed. Without the Cache API the key is fetched each time (the browser's
 * HTTP cache still applies).
 *
 * @param {string|URL} url where the page's origin serves `zkstatus.pk`
 * @param {string} pinnedFingerprintHex its SHA-256, 64 lowercase hex digits
 * @param {{cacheName?: string, caches?: CacheStorage|null, fetch?: typeof fetch}} [options]
 * @returns {Promise<ProvingKey>}
 */
export async function fetchProvingKey(url, pinnedFingerprintHex, options = {}) {
  requireReady();
  if (typeof url !== 'string' && !(url instanceof URL)) throw new TypeError(`url must be a string or a URL, got ${describe(url)}`);
  const pin = boundedString(pinnedFingerprintHex, 'pinnedFingerprint', '64 lowercase hex digits (the SHA-256 of the proving-key file)');
  if (!HEX64.test(pin)) {
    throw new Error(`pinnedFingerprint: expected 64 lowercase hex digits (the SHA-256 of the proving-key file), got ${JSON.stringify(pin.slice(0, 80))}`);
  }
  if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object, got ${describe(options)}`);
  for (const k of Object.keys(options)) {
    if (!['cacheName', 'caches', 'fetch'].includes(k)) throw new TypeError(`options: unknown property ${JSON.stringify(k)} (known: cacheName, caches, fetch)`);
  }
  const cacheName = options.cacheName ?? 'zkstatus-proving-key';
  const storage = 'caches' in options ? options.caches : globalThis.caches;
  const doFetch = options.fetch ?? globalThis.fetch;
  const key = String(url);

  let cache = null;
  if (storage) {
    try {
      cache = await storage.open(cacheName);
    } catch {
      cache = null; // private browsing, quota, or no Cache API: fetch instead
    }
  }
  if (cache) {
    const hit = await cache.match(key).catch(() => undefined);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      if (bytes.length <= MAX_PROVING_KEY_BYTES && wasmFingerprint(bytes) === pin) {
        return ProvingKey.load(bytes, pin);
      }
      await cache.delete(key).catch(() => false);
    }
  }

  if (typeof doFetch !== 'function') throw new Error('fetchProvingKey needs fetch (or options.fetch)');
  const res = await doFetch(key, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`proving key: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} fetching ${key}`);
  const declared = Number(res.headers?.get?.('content-length'));
  if (Number.isFinite(declared) && declared > MAX_PROVING_KEY_BYTES) {
    throw new Error(`proving key: the file is ${declared} bytes, at most ${MAX_PROVING_KEY_BYTES} are accepted`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const pk = ProvingKey.load(bytes, pin); // throws before caching anything unpinned
  if (cache) {
    const stored = new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
    await cache.put(key, stored).catch(() => undefined); // a full quota only costs a refetch
  }
  return pk;
}
