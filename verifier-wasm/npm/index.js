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
  WasmGate,
  maxPayloadInput,
  vkFileBytes,
} from './zkstatus_verifier.js';

// The declared class (index.d.ts), which this implements.
/** @typedef {import('./index.d.ts').Gate} DeclaredGate */

/** Largest trust or policy JSON accepted, bytes (docs/formats.md). */
export const MAX_JSON_BYTES = 64 * 1024;
/** Longest challenge lifetime a gate accepts, seconds (the statement is checked at the challenge's issue time). */
export const MAX_TTL_SECS = 120;
// Strings longer than this (UTF-16 units) are refused here without being
// copied into WASM memory; shorter ones are checked exactly by the Rust side.
const MAX_JSON_COPY = 4 * MAX_JSON_BYTES;
// Verifying-key files longer than this are refused here without a copy.
const MAX_VK_COPY = 1 << 20;
// Registry bundles longer than this are refused here without a copy (the
// Rust side's cap, MAX_BUNDLE_BYTES, is 4096; this only bounds the copy).
const MAX_BUNDLE_COPY = 1 << 16;
// Symbol.dispose where the engine has it (`using`); elsewhere a symbol of
// our own, so that no method is keyed "undefined".
/** @type {typeof Symbol.dispose} */
const DISPOSE = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : /** @type {any} */ (Symbol('Symbol.dispose'));

let ready = false;

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
 * The registry argument: `{ bundle, trust, now }`, checked and copied.
 * @param {unknown} registry
 * @returns {[Uint8Array, string, string]}
 */
function registryInput(registry) {
  if (registry === null || typeof registry !== 'object' || registry instanceof Uint8Array) {
    throw new TypeError(`registry must be an object { bundle, trust, now } (the registry bundle's bytes, the trust configuration's text, the clock to check it at), got ${describe(registry)}`);
  }
  const r = /** @type {Record<string, unknown>} */ (registry);
  requireKnownKeys(r, ['bundle', 'trust', 'now'], 'registry');
  const bundle = requireBytes(r.bundle, 'registry.bundle', 'the registry bundle file, registry.bundle');
  if (bundle.length > MAX_BUNDLE_COPY) {
    throw new Error(`registry bundle: a registry bundle is at most 4096 bytes, got ${bundle.length}`);
  }
  const trust = jsonInput(r.trust, 'registry.trust', 'registry trust');
  const now = boundedU64(r.now, 'registry.now');
  return [copyBytes(bundle), trust, now];
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

// Verify `payload` with the WASM call for its type.
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
      `payload must be a string (the ZKS2: text form) or a Uint8Array (the binary form), got ${describe(payload)}`,
    );
  }
  return JSON.parse(json);
}

const MODES = ['interactive', 'one-scan'];

/**
 * @param {unknown} modes
 * @returns {[boolean, boolean]}
 */
function parseModes(modes) {
  if (modes === undefined) return [true, false];
  if (!Array.isArray(modes)) {
    throw new TypeError(`modes must be an array of "interactive" and/or "one-scan", got ${describe(modes)}`);
  }
  if (modes.length > MODES.length) throw new TypeError(`modes: at most ${MODES.length} entries, got ${modes.length}`);
  for (const m of modes) {
    if (typeof m !== 'string' || !MODES.includes(m)) {
      throw new TypeError(`modes: each entry is "interactive" or "one-scan", got ${typeof m === 'string' ? JSON.stringify(m.slice(0, 40)) : describe(m)}`);
    }
  }
  return [modes.includes('interactive'), modes.includes('one-scan')];
}

/**
 * A statement-v2 gate: the verifying key, the registry roots it accepts
 * (with their activation times), its policy, and its replay state. In
 * interactive mode it issues challenges (`issue`: a `ZKC2:` offer to show
 * as a QR code) and accepts each at most once, at the challenge's issue
 * time (the holder never chooses the time); in one-scan mode it accepts a
 * holder's pass for the current window once (a repeat is
 * `nullifier-used`). It never learns which issuer signed a credential,
 * only that an accredited one did.
 * @implements {DeclaredGate}
 */
export class Gate {
  /** @type {WasmGate | undefined} */
  #g;

  /**
   * @param {Uint8Array} vkBytes the version-2 verifying-key file (`zkstatus.vk`)
   * @param {import('./index.d.ts').RegistryInput} registry the registry bundle
   *   (`registry.bundle`), its trust configuration (`trust.json`) and the
   *   clock to verify it at: the gate's roots come only from a bundle that
   *   verifies (signed by the log, cosigned by enough witnesses, fresh)
   * @param {string} policyJson the policy (`zkstatus/policy`)
   * @param {import('./index.d.ts').GateOptions} options
   */
  constructor(vkBytes, registry, policyJson, options) {
    requireReady();
    requireBytes(vkBytes, 'vkBytes', 'the verifying-key file');
    if (vkBytes.length > MAX_VK_COPY) {
      throw new Error(`verifying key: a verifying-key file has exactly ${vkFileBytes()} bytes, got ${vkBytes.length}`);
    }
    const vk = copyBytes(vkBytes);
    const [bundle, trust, registryNow] = registryInput(registry);
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`options must be an object { origin, operator?, modes?, ttlSecs?, maxLive?, pinnedVkFingerprint? }, got ${describe(options)}`);
    }
    requireKnownKeys(options, ['origin', 'operator', 'modes', 'ttlSecs', 'maxLive', 'pinnedVkFingerprint'], 'options');
    const origin = requireString(options.origin, 'origin', "the gate's name or URL");
    if (origin.length > 1024) throw new Error(`origin: at most 256 bytes, got ${origin.length} characters`);
    let operator;
    if (options.operator !== undefined) {
      operator = requireString(options.operator, 'operator', 'the operator name one-scan passes are scoped to');
      if (operator.length > 1024) throw new Error(`operator: at most 64 bytes, got ${operator.length} characters`);
    }
    const [interactive, oneScan] = parseModes(options.modes);
    const ttl = options.ttlSecs === undefined ? undefined : boundedU64(options.ttlSecs, 'ttlSecs');
    let maxLive;
    if (options.maxLive !== undefined) {
      if (!Number.isSafeInteger(options.maxLive) || options.maxLive < 0 || options.maxLive > 0xffffffff) {
        throw new TypeError(`maxLive must be a small positive integer, got ${describe(options.maxLive)} ${String(options.maxLive)}`);
      }
      maxLive = options.maxLive;
    }
    let pinned;
    if (options.pinnedVkFingerprint !== undefined) {
      pinned = requireString(options.pinnedVkFingerprint, 'pinnedVkFingerprint', '64 lowercase hex digits');
      if (pinned.length > 1024) throw new Error('pinnedVkFingerprint: expected 64 hex digits');
    }
    this.#g = new WasmGate(vk, bundle, trust, registryNow, policy, origin, operator, interactive, oneScan, ttl, maxLive, pinned);
  }

  #inner() {
    if (this.#g === undefined) throw new Error('this Gate was freed');
    return this.#g;
  }

  /**
   * Issue a fresh challenge at `now` (interactive mode): show `offer` (the
   * `ZKC2:` text, 65 characters) to the holder as a QR code. Proofs made for
   * it are checked at `issuedAt`, until `expiresAt`.
   * @param {bigint|string} now the gate's clock, unix seconds
   * @param {Uint8Array} [random] 32 random bytes (default: Web Crypto); for tests
   * @returns {import('./index.d.ts').IssuedOffer}
   */
  issue(now, random) {
    const g = this.#inner();
    const t = boundedU64(now, 'now');
    let r;
    if (random === undefined) {
      r = randomBytes32('Gate.issue');
    } else {
      requireBytes(random, 'random', '32 random bytes');
      if (random.length !== 32) throw new Error(`random: a challenge needs exactly 32 random bytes, got ${random.length}`);
      r = copyBytes(random);
    }
    return JSON.parse(g.issue(t, r));
  }

  /**
   * The live challenges at `now`, oldest first (the last is the current one).
   * @param {bigint|string} now unix seconds
   * @returns {import('./index.d.ts').IssuedOffer[]}
   */
  live(now) {
    return JSON.parse(this.#inner().live(boundedU64(now, 'now')));
  }

  /**
   * Verify a payload at the gate's clock `now`: an interactive proof is
   * accepted for a live challenge of this gate, at that challenge's issue
   * time, and consumes it; a one-scan pass is accepted for a window the gate
   * accepts now, once.
   * @param {string|Uint8Array} payload the text form (`ZKS2:…`) or the binary form
   * @param {bigint|string} now the gate's clock, unix seconds
   * @returns {import('./index.d.ts').Verdict}
   */
  verify(payload, now) {
    const g = this.#inner();
    const t = boundedU64(now, 'now');
    return verifyPayload(payload, {
      text: (p) => g.verifyText(p, t),
      bytes: (p) => g.verifyBytes(p, t),
      tooLong: (len, text) => g.verifyTooLong(len, text, t),
    });
  }

  /**
   * Replace the registry from a refreshed bundle (a newly published root,
   * or the same one cosigned again), verified at `registry.now`. Live
   * challenges and used passes are kept. Throws, and keeps the registry it
   * had, if the bundle fails or is of a smaller log (rolled back).
   * @param {import('./index.d.ts').RegistryInput} registry
   * @returns {import('./index.d.ts').RegistryState}
   */
  setRegistry(registry) {
    const g = this.#inner();
    const [bundle, trust, now] = registryInput(registry);
    g.setRegistry(bundle, trust, now);
    return this.registry();
  }

  /**
   * The held bundle's times: `cosignedAt` (the witnesses' clock),
   * `validUntil` (after it every payload is refused with
   * `registry-data-too-old`), `maxAgeSecs`, `logSize`.
   * @returns {import('./index.d.ts').RegistryState}
   */
  registry() {
    return JSON.parse(this.#inner().registryJson());
  }

  /**
   * The accepted roots, in epoch order.
   * @returns {import('./index.d.ts').RegistryRoot[]}
   */
  roots() {
    return JSON.parse(this.#inner().rootsJson());
  }

  /**
   * The root active at `now` (the one proofs at that time must use), or `null`.
   * @param {bigint|string} now unix seconds
   * @returns {import('./index.d.ts').RegistryRoot | null}
   */
  activeRoot(now) {
    return JSON.parse(this.#inner().activeRootJson(boundedU64(now, 'now')));
  }

  /** The operator name one-scan passes are scoped to, or `null` (the global scope). */
  operator() {
    return this.#inner().operator() ?? null;
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

  /** Release the WASM memory now (otherwise the garbage collector does). */
  free() {
    if (this.#g !== undefined) {
      const g = this.#g;
      this.#g = undefined;
      g.free();
    }
  }

  /** `free()`: `using gate = new Gate(…)` frees at the end of the block. */
  [DISPOSE]() {
    this.free();
  }
}

// Every export matches its declaration in index.d.ts (checked by tsc,
// scripts/check-types.sh; types only, nothing runs): functions and
// constants here, the class's instances by its @implements, its
// constructor by its parameters (the declared arguments are accepted).
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
 *   Matches<typeof MAX_TTL_SECS, typeof import('./index.d.ts').MAX_TTL_SECS>,
 *   Matches<ConstructorParameters<typeof import('./index.d.ts').Gate>, ConstructorParameters<typeof Gate>>,
 * ]} Conformance
 */
