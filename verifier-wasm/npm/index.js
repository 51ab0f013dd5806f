// zkstatus-verifier: verify zkstatus health-status proofs in the browser.
//
// The public API over the wasm-bindgen exports of zkstatus-verifier-wasm.
// This wrapper checks every JavaScript type and size *before* it calls into
// WebAssembly, and hands the WASM side only strings and fresh Uint8Array
// copies, so no caller-supplied object (a getter, a Proxy, a huge buffer)
// ever runs or allocates while WASM code is on the stack. Every failure is
// a returned verdict or a thrown Error; nothing traps.
//
// Browsers: `await init()` once (it fetches zkstatus_verifier_bg.wasm next to
// this file), then use the API. Node >= 20: import the package; its `node`
// entry (node.js) initializes synchronously from the file system.

import initWasm, {
  initSync as initWasmSync,
  WasmVerifier,
  WasmGate,
  challengeFromRandom,
  maxPayloadInput,
  vkFileBytes,
} from './zkstatus_verifier.js';

// The declared classes (index.d.ts), which these implement.
/** @typedef {import('./index.d.ts').Verifier} DeclaredVerifier */
/** @typedef {import('./index.d.ts').ChallengeBook} DeclaredChallengeBook */

/** Largest trust-list or policy JSON accepted, bytes (docs/formats.md). */
export const MAX_JSON_BYTES = 64 * 1024;
// Strings longer than this (UTF-16 units) are refused here without being
// copied into WASM memory; shorter ones are checked exactly by the Rust side.
const MAX_JSON_COPY = 4 * MAX_JSON_BYTES;
// Verifying-key files longer than this are refused here without a copy.
const MAX_VK_COPY = 1 << 20;
const MINT_ATTEMPTS = 64;
// Symbol.dispose where the engine has it (`using`); elsewhere a symbol of
// our own, so that no method is keyed "undefined".
/** @type {typeof Symbol.dispose} */
const DISPOSE = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : /** @type {any} */ (Symbol('Symbol.dispose'));

let ready = false;
// Verifier → its WasmVerifier, for ChallengeBook (not reachable by callers).
/** @type {WeakMap<Verifier, WasmVerifier>} */
const wasmOf = new WeakMap();

/**
 * Load and instantiate the WebAssembly module (browsers; Node's entry does
 * it on import). With no argument it fetches `zkstatus_verifier_bg.wasm`
 * next to this file; or pass `{ module_or_path }` (a URL, a Response, bytes
 * or a WebAssembly.Module). Calling it again is a no-op.
 * @param {{module_or_path: import('./zkstatus_verifier.js').InitInput | Promise<import('./zkstatus_verifier.js').InitInput>}} [moduleOrPath]
 * @returns {Promise<void>}
 */
export default async function init(moduleOrPath) {
  await initWasm(moduleOrPath);
  ready = true;
}

/**
 * Instantiate synchronously from `{ module }` (bytes or a WebAssembly.Module).
 * @param {{module: import('./zkstatus_verifier.js').SyncInitInput}} module
 */
export function initSync(module) {
  initWasmSync(module);
  ready = true;
}

function requireReady() {
  if (!ready) {
    throw new Error(
      'zkstatus-verifier is not initialized: `await init()` first (Node: import the package, which initializes it)',
    );
  }
}

/** @param {unknown} v */
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  return `a ${typeof v}`;
}

// Unix seconds or a duration: a BigInt or a decimal string, never a number
// (a JS number cannot hold every u64). The Rust side checks the digits.
/**
 * @param {unknown} value
 * @param {string} field
 * @returns {string}
 */
function u64String(value, field) {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const hint = Number.isSafeInteger(value) && value >= 0 ? `${value}n or "${value}"` : 'a BigInt such as 1763800000n or a string such as "1763800000"';
    throw new TypeError(
      `${field} must be a BigInt or a decimal string, not a number (JS numbers cannot hold every 64-bit time exactly): write ${hint}`,
    );
  }
  throw new TypeError(`${field} must be a BigInt or a decimal string, got ${describe(value)}`);
}

/**
 * @param {unknown} value
 * @param {string} field
 * @param {string} what
 * @returns {string}
 */
function requireString(value, field, what) {
  if (typeof value !== 'string') throw new TypeError(`${field} must be a string (${what}), got ${describe(value)}`);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} field
 * @param {string} what
 * @returns {Uint8Array}
 */
function requireBytes(value, field, what) {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${field} must be a Uint8Array (${what}), got ${describe(value)}`);
  }
  return value;
}

// A fresh, plain copy: reads the source's own bytes (not its getters) and
// yields a Uint8Array whose length nobody else controls.
/** @param {Uint8Array} bytes */
function copyBytes(bytes) {
  return new Uint8Array(bytes);
}

/**
 * @param {object} obj
 * @param {string[]} known
 * @param {string} field
 */
function requireKnownKeys(obj, known, field) {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      throw new TypeError(`${field}: unknown property ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
  }
}

/**
 * @param {unknown} value
 * @param {string} field
 * @param {string} what
 * @returns {string}
 */
function jsonInput(value, field, what) {
  const text = requireString(value, field, `the ${what} JSON file's text`);
  if (text.length > MAX_JSON_COPY) {
    throw new Error(`${what} is over ${MAX_JSON_BYTES} bytes (${text.length} UTF-16 code units); at most ${MAX_JSON_BYTES} are accepted`);
  }
  return text;
}

/**
 * A verifier configured with a verifying key, a trust list and a policy.
 * Build one per configuration and reuse it: the constructor prepares the
 * key (one pairing), `verify` is one multi-pairing check.
 * @implements {DeclaredVerifier}
 */
export class Verifier {
  /** @type {WasmVerifier | undefined} */
  #w;

  /**
   * @param {Uint8Array} vkBytes the verifying-key file (`zkstatus.vk`)
   * @param {string} trustListJson the trust list (`zkstatus/trust-list`)
   * @param {string} policyJson the policy (`zkstatus/policy`)
   * @param {{maxSkewSecs?: bigint|string, pinnedVkFingerprint?: string}} [options]
   */
  constructor(vkBytes, trustListJson, policyJson, options) {
    requireReady();
    requireBytes(vkBytes, 'vkBytes', 'the verifying-key file');
    if (vkBytes.length > MAX_VK_COPY) {
      throw new Error(`verifying key: a verifying-key file has exactly ${vkFileBytes()} bytes, got ${vkBytes.length}`);
    }
    const vk = copyBytes(vkBytes);
    const trust = jsonInput(trustListJson, 'trustListJson', 'trust list');
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    let maxSkew;
    let pinned;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw new TypeError(`options must be an object, got ${describe(options)}`);
      requireKnownKeys(options, ['maxSkewSecs', 'pinnedVkFingerprint'], 'options');
      const { maxSkewSecs, pinnedVkFingerprint } = options;
      if (maxSkewSecs !== undefined) maxSkew = u64String(maxSkewSecs, 'maxSkewSecs');
      if (pinnedVkFingerprint !== undefined) {
        pinned = requireString(pinnedVkFingerprint, 'pinnedVkFingerprint', '64 lowercase hex digits');
        if (pinned.length > 1024) throw new Error('pinnedVkFingerprint: expected 64 hex digits');
      }
    }
    if (maxSkew !== undefined && maxSkew.length > 1024) throw new Error('maxSkewSecs: expected a decimal integer');
    this.#w = new WasmVerifier(vk, trust, policy, maxSkew, pinned);
    wasmOf.set(this, this.#w);
  }

  #inner() {
    if (this.#w === undefined) throw new Error('this Verifier was freed');
    return this.#w;
  }

  /**
   * Verify a payload as the holder presented it.
   * @param {string|Uint8Array} payload the text form (`ZKS1:…`) or the binary form
   * @param {{now: bigint|string, challenge: string}} context the verifier's clock
   *   (unix seconds) and the challenge it issued (64 lowercase hex digits)
   * @returns {import('./index.d.ts').Verdict}
   */
  verify(payload, context) {
    const w = this.#inner();
    if (context === null || typeof context !== 'object') {
      throw new TypeError(`verify(payload, { now, challenge }): the context must be an object, got ${describe(context)}`);
    }
    requireKnownKeys(context, ['now', 'challenge'], 'context');
    const { now: nowValue, challenge: challengeValue } = context;
    if (nowValue === undefined) throw new TypeError('now is required: the verifier\'s clock, unix seconds, as a BigInt or a decimal string');
    const now = u64String(nowValue, 'now');
    const challenge = requireString(challengeValue, 'challenge', '64 lowercase hex digits');
    // Bounded before the copy: the Rust side refuses them precisely.
    if (now.length > 1024) throw new Error('now: expected a decimal integer of at most 18446744073709551615');
    if (challenge.length > 1024) throw new Error(`challenge: expected 64 hex digits, got ${challenge.length}`);
    return verifyPayload(payload, {
      text: (p) => w.verifyText(p, now, challenge),
      bytes: (p) => w.verifyBytes(p, now, challenge),
      tooLong: (len, text) => w.verifyTooLong(len, text, now, challenge),
    });
  }

  /** The verifying key's fingerprint, short form `xxxx-xxxx-xxxx-xxxx` (to compare by eye). */
  vkFingerprint() {
    return this.#inner().shortFingerprint();
  }

  /** The verifying key's full fingerprint, 64 hex digits (to pin). */
  vkFingerprintHex() {
    return this.#inner().fingerprintHex();
  }

  /**
   * The policy, seconds as decimal strings.
   * @returns {import('./index.d.ts').VerdictPolicy}
   */
  policy() {
    return JSON.parse(this.#inner().policyJson());
  }

  /**
   * The trusted issuers, `[{ name, publicKey }]`.
   * @returns {import('./index.d.ts').TrustedIssuer[]}
   */
  trustedIssuers() {
    return JSON.parse(this.#inner().issuersJson());
  }

  /** Release the WASM memory now (otherwise the garbage collector does). */
  free() {
    if (this.#w !== undefined) {
      const w = this.#w;
      this.#w = undefined;
      wasmOf.delete(this);
      w.free();
    }
  }

  /** `free()`: `using v = new Verifier(…)` frees at the end of the block. */
  [DISPOSE]() {
    this.free();
  }
}

/** @param {string} what */
function randomBytes32(what) {
  const c = globalThis.crypto;
  if (c === undefined || c === null || typeof c.getRandomValues !== 'function') {
    throw new Error(`${what} needs the Web Crypto API (globalThis.crypto.getRandomValues)`);
  }
  return c.getRandomValues(new Uint8Array(32));
}

/**
 * @param {unknown} value
 * @param {string} field
 */
function boundedU64(value, field) {
  const s = u64String(value, field);
  if (s.length > 1024) throw new Error(`${field}: expected a decimal integer of at most 18446744073709551615`);
  return s;
}

// Verify `payload` with the WASM call for its type; shared by Verifier and
// ChallengeBook (which differ in how they pass the challenge).
/**
 * @param {unknown} payload
 * @param {{text: (p: string) => string, bytes: (p: Uint8Array) => string, tooLong: (len: number, text: boolean) => string}} call
 * @returns {import('./index.d.ts').Verdict}
 */
function verifyPayload(payload, call) {
  const max = maxPayloadInput();
  let json;
  if (typeof payload === 'string') {
    json = payload.length > max ? call.tooLong(payload.length, true) : call.text(payload);
  } else if (payload instanceof Uint8Array) {
    const bytes = payload.length > max ? undefined : copyBytes(payload);
    json = bytes === undefined || bytes.length > max
      ? call.tooLong(bytes === undefined ? payload.length : bytes.length, false)
      : call.bytes(bytes);
  } else {
    throw new TypeError(
      `payload must be a string (the ZKS1: text form) or a Uint8Array (the binary form), got ${describe(payload)}`,
    );
  }
  return JSON.parse(json);
}

/**
 * The challenges a gate issues and consumes: replay protection. Each
 * challenge is derived from the gate's `origin`, the time and fresh random
 * bytes; it is live for `ttlSecs` (default 90) and at most `maxLive`
 * (default 3) are live at once. `verify` tries the live challenges, newest
 * first, and consumes the one an accepted proof was made for, so the same
 * proof (or a re-randomised copy) is refused the second time
 * (`challenge-used`). Show a fresh challenge after each acceptance.
 * @implements {DeclaredChallengeBook}
 */
export class ChallengeBook {
  /** @type {WasmGate | undefined} */
  #g;
  /** @type {Verifier} */
  #verifier;

  /**
   * @param {DeclaredVerifier} verifier the verifier to check proofs with
   * @param {{origin: string, ttlSecs?: bigint|string, maxLive?: number}} options
   */
  constructor(verifier, options) {
    requireReady();
    if (!(verifier instanceof Verifier)) throw new TypeError(`verifier must be a Verifier, got ${describe(verifier)}`);
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`options must be an object { origin, ttlSecs?, maxLive? }, got ${describe(options)}`);
    }
    requireKnownKeys(options, ['origin', 'ttlSecs', 'maxLive'], 'options');
    const origin = requireString(options.origin, 'origin', "the gate's name or URL");
    if (origin.length > 1024) throw new Error(`origin: at most 256 bytes, got ${origin.length} characters`);
    const ttl = options.ttlSecs === undefined ? undefined : boundedU64(options.ttlSecs, 'ttlSecs');
    let maxLive;
    if (options.maxLive !== undefined) {
      if (!Number.isSafeInteger(options.maxLive) || options.maxLive < 0 || options.maxLive > 0xffffffff) {
        throw new TypeError(`maxLive must be a small positive integer, got ${describe(options.maxLive)} ${String(options.maxLive)}`);
      }
      maxLive = options.maxLive;
    }
    this.#g = new WasmGate(origin, ttl, maxLive);
    this.#verifier = verifier;
  }

  #inner() {
    if (this.#g === undefined) throw new Error('this ChallengeBook was freed');
    return this.#g;
  }

  /**
   * Issue a fresh challenge at `now`; it becomes the current one.
   * @param {bigint|string} now unix seconds
   * @returns {import('./index.d.ts').IssuedChallenge}
   */
  issue(now) {
    const g = this.#inner();
    const t = boundedU64(now, 'now');
    return JSON.parse(g.issue(t, randomBytes32('ChallengeBook.issue')));
  }

  /**
   * The live challenges at `now`, oldest first (the last is the current one).
   * @param {bigint|string} now unix seconds
   * @returns {import('./index.d.ts').IssuedChallenge[]}
   */
  live(now) {
    return JSON.parse(this.#inner().live(boundedU64(now, 'now')));
  }

  /**
   * Verify a payload against the live challenges at `now`; on acceptance
   * the challenge is consumed (`verdict.challenge` names it).
   * @param {string|Uint8Array} payload
   * @param {bigint|string} now the verifier's clock, unix seconds
   * @returns {import('./index.d.ts').Verdict}
   */
  verify(payload, now) {
    const g = this.#inner();
    const w = wasmOf.get(this.#verifier);
    if (w === undefined) throw new Error("this ChallengeBook's Verifier was freed");
    const t = boundedU64(now, 'now');
    return verifyPayload(payload, {
      text: (p) => g.verifyText(w, p, t),
      bytes: (p) => g.verifyBytes(w, p, t),
      tooLong: (len, text) => g.verifyTooLong(w, len, text, t),
    });
  }

  /** Release the WASM memory now (otherwise the garbage collector does). */
  free() {
    if (this.#g !== undefined) {
      const g = this.#g;
      this.#g = undefined;
      g.free();
    }
  }

  /** `free()`: `using book = new ChallengeBook(…)` frees at the end of the block. */
  [DISPOSE]() {
    this.free();
  }
}


/**
 * A fresh challenge, 64 lowercase hex digits: uniform over the BN254 scalar
 * field, from `crypto.getRandomValues` by rejection sampling (32 random
 * bytes, top two bits cleared, redrawn while the value is not below the
 * field modulus, about one draw in four).
 */
export function mintChallenge() {
  requireReady();
  const c = globalThis.crypto;
  if (c === undefined || c === null || typeof c.getRandomValues !== 'function') {
    throw new Error('mintChallenge needs the Web Crypto API (globalThis.crypto.getRandomValues)');
  }
  const buf = new Uint8Array(32);
  for (let i = 0; i < MINT_ATTEMPTS; i++) {
    c.getRandomValues(buf);
    const challenge = challengeFromRandom(buf);
    if (typeof challenge === 'string') return challenge;
  }
  throw new Error(`crypto.getRandomValues gave ${MINT_ATTEMPTS} out-of-range draws in a row: the random source is broken`);
}

// Every export matches its declaration in index.d.ts (checked by tsc,
// scripts/check-types.sh; types only, nothing runs): functions and
// constants here, the classes' instances by their @implements, their
// constructors by their parameters (the declared arguments are accepted).
/**
 * @template {Declared} Actual
 * @template Declared
 * @typedef {Actual} Matches
 */
/**
 * @typedef {[
 *   Matches<typeof init, typeof import('./index.d.ts').default>,
 *   Matches<typeof initSync, typeof import('./index.d.ts').initSync>,
 *   Matches<typeof MAX_JSON_BYTES, typeof import('./index.d.ts').MAX_JSON_BYTES>,
 *   Matches<ConstructorParameters<typeof import('./index.d.ts').Verifier>, ConstructorParameters<typeof Verifier>>,
 *   Matches<ConstructorParameters<typeof import('./index.d.ts').ChallengeBook>, ConstructorParameters<typeof ChallengeBook>>,
 *   Matches<typeof mintChallenge, typeof import('./index.d.ts').mintChallenge>,
 * ]} Conformance
 */
