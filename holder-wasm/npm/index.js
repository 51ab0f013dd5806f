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
  WasmMainKey,
  WasmHelperKey,
  WasmMaterial,
  provingKeyFingerprint as wasmFingerprint,
  diagnoseProvingKey,
  defaultHelperShare,
  generateHolderSecretJson,
  verifyRegistryBundle as wasmVerifyRegistryBundle,
} from './zkstatus_holder.js';

/** @typedef {import('./zkstatus_holder.js').WasmProofJob} WasmProofJob */
// The declared classes (index.d.ts), which these implement.
/** @typedef {import('./index.d.ts').NotGreenError} DeclaredNotGreenError */
/** @typedef {import('./index.d.ts').ProvingKey} DeclaredProvingKey */
/** @typedef {import('./index.d.ts').Holder} DeclaredHolder */
/** @typedef {import('./index.d.ts').MainProvingKey} DeclaredMainProvingKey */
/** @typedef {import('./index.d.ts').HelperProvingKey} DeclaredHelperProvingKey */
/** @typedef {import('./index.d.ts').ProofJob} DeclaredProofJob */
/** @typedef {import('./index.d.ts').Status} Status */
/** @typedef {import('./index.d.ts').Presentation} Presentation */
/** @typedef {import('./index.d.ts').PresentationRequest} PresentationRequest */
/** @typedef {import('./index.d.ts').Registries} DeclaredRegistries */

// The Web Worker prover for pages (prover.js; browsers only: it needs
// `Worker`). Re-exported here for convenience; `zkstatus-holder/prover.js`
// is the same function.
export { startProver } from './prover.js';

/** Largest credential, holder-secret or policy JSON accepted, bytes. */
export const MAX_JSON_BYTES = 64 * 1024;
/** Largest proving-key file accepted, bytes (ours is about 1.3 MB). */
export const MAX_PROVING_KEY_BYTES = 8 << 20;
/** Largest fast form of a key part accepted (prover/src/split/cache.rs). */
export const MAX_FAST_KEY_BYTES = 16 << 20;
/** Largest registry file accepted, bytes (a full registry of 4,096 issuers with the longest names). */
export const MAX_REGISTRY_BYTES = 462863;
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
 * @param {{module_or_path: import('./zkstatus_holder.js').InitInput | Promise<import('./zkstatus_holder.js').InitInput>}} [moduleOrPath]
 * @returns {Promise<void>}
 */
export default async function init(moduleOrPath) {
  await initWasm(moduleOrPath);
  ready = true;
}

/**
 * Instantiate synchronously from `{ module }` (bytes or a WebAssembly.Module).
 * @param {{module: import('./zkstatus_holder.js').SyncInitInput}} module
 */
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

/** @param {unknown} v */
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  return `a ${typeof v}`;
}

// Unix seconds: a BigInt or a decimal string, never a number (a JS number
// cannot hold every u64). The Rust side checks the digits.
/**
 * @param {unknown} value
 * @param {string} field
 * @returns {string}
 */
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
 * @param {unknown} value
 * @param {string} field
 * @param {string} what
 * @returns {string}
 */
function boundedString(value, field, what) {
  const text = requireString(value, field, what);
  if (text.length > 1024) throw new Error(`${field}: expected ${what}, got ${text.length} characters`);
  return text;
}

// A fresh, plain copy of at most `max` bytes: reads the source's own bytes
// (not its getters) and yields a Uint8Array whose length nobody else controls.
/**
 * @param {Uint8Array} bytes
 * @param {number} max
 * @param {string} what
 */
function copyBytes(bytes, max, what) {
  if (bytes.length > max) throw new Error(`${what}: the file is ${bytes.length} bytes, at most ${max} are accepted`);
  const copy = new Uint8Array(bytes);
  if (copy.length > max) throw new Error(`${what}: the file is ${copy.length} bytes, at most ${max} are accepted`);
  return copy;
}

/** @param {string} h */
const fromHex = (h) => {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};

/**
 * Check a registry bundle (`registry.bundle`) against its trust
 * configuration (`trust.json`: the log's key, the witnesses' keys, k,
 * max_age) at `now`, with the verifier crate's check (the one gates make).
 * Returns the roots it vouches for, as a roots file's text for
 * {@link Registries} and the prover, and its times. Throws an Error with a
 * `code`: `bad-registry-bundle` (forged, foreign, edited),
 * `registry-too-old` ("registry data too old — connect to refresh"),
 * `bad-registry-trust`, `bad-input`.
 * @param {{bundle: Uint8Array, trust: string, now: bigint | string}} registry
 * @returns {import('./index.d.ts').RegistryBundleReport}
 */
export function verifyRegistryBundle(registry) {
  requireReady();
  if (registry === null || typeof registry !== 'object') {
    throw new TypeError(`registry must be an object { bundle, trust, now }, got ${describe(registry)}`);
  }
  const r = /** @type {Record<string, unknown>} */ (registry);
  for (const key of Object.keys(r)) {
    if (!['bundle', 'trust', 'now'].includes(key)) throw new TypeError(`registry: unknown property ${JSON.stringify(key)} (known: bundle, trust, now)`);
  }
  // 4096: the verifier's MAX_BUNDLE_BYTES (checked again there).
  const bundle = copyBytes(requireBytes(r.bundle, 'registry.bundle', 'the registry bundle file'), 4096, 'registry bundle');
  const trust = jsonInput(r.trust, 'registry.trust', 'registry trust');
  const now = u64String(r.now, 'registry.now');
  return JSON.parse(wasmVerifyRegistryBundle(bundle, trust, now));
}

/**
 * The fingerprint of a proving-key file: its SHA-256, 64 lowercase hex
 * digits (what `sha256sum zkstatus.pk` prints). Pin this value in the page.
 * @param {Uint8Array} bytes the proving-key file
 * @returns {string}
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
/** @implements {DeclaredNotGreenError} */
export class NotGreenError extends Error {
  /** @param {import('./index.d.ts').Status} status */
  constructor(status) {
    super('not green under this policy: no proof made (error.reasons says why; show it to the holder only)');
    /** @type {'NotGreenError'} */
    this.name = 'NotGreenError';
    /** @type {'not-green'} */
    this.code = 'not-green';
    this.reasons = status.reasons;
    this.status = status;
  }
}

const TOKEN = Symbol('zkstatus-holder ProvingKey');
// Symbol.dispose where the engine has it (`using`); elsewhere a symbol of
// our own, so that no method is keyed "undefined".
/** @type {typeof Symbol.dispose} */
const DISPOSE = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : /** @type {any} */ (Symbol('Symbol.dispose'));
/** @type {<W extends {free(): void}>(h: Handle<W>) => W} */
let handleOf;

// A JavaScript object that owns one WebAssembly object: `handleOf(h)` gives
// this module the WASM side (throwing once freed), `free()` releases it.
/** @template {{free(): void}} W */
class Handle {
  /** @type {W | undefined} */
  #w;
  /** @type {string} */
  #name;

  /**
   * @param {W} w
   * @param {string} name
   */
  constructor(w, name) {
    this.#w = w;
    this.#name = name;
  }

  static {
    handleOf = (h) => {
      if (h.#w === undefined) throw new Error(`this ${h.#name} was freed`);
      return h.#w;
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

  /** `free()`: `using h = new Holder(…)` frees at the end of the block. */
  [DISPOSE]() {
    this.free();
  }
}


// The proving-key file and its pin, checked and copied for WASM (the pin's
// digits are checked by the Rust side, before it reads the file).
/**
 * @param {unknown} bytes
 * @param {unknown} pinnedFingerprintHex
 * @returns {[Uint8Array, string]}
 */
function pinnedFile(bytes, pinnedFingerprintHex) {
  requireReady();
  const file = requireBytes(bytes, 'bytes', 'the proving-key file');
  const pin = boundedString(pinnedFingerprintHex, 'pinnedFingerprint', '64 lowercase hex digits (the SHA-256 of the proving-key file)');
  return [copyBytes(file, MAX_PROVING_KEY_BYTES, 'proving key'), pin];
}

// A proving key (whole, or the main worker's part) that matched its pin.
/**
 * @template {WasmProvingKey | WasmMainKey} W
 * @extends {Handle<W>}
 */
class PinnedKey extends Handle {
  /** The file's SHA-256, 64 hex digits (equal to the pin). */
  fingerprintHex() {
    return handleOf(this).fingerprintHex();
  }

  /** The verifying key's fingerprint, `xxxx-xxxx-xxxx-xxxx`, as venues' verifiers show it. */
  vkFingerprint() {
    return handleOf(this).vkShortFingerprint();
  }

  /** The verifying key's fingerprint, 64 hex digits (what verifiers pin). */
  vkFingerprintHex() {
    return handleOf(this).vkFingerprintHex();
  }

  /** The verifying-key file (`zkstatus.vk`) matching this key. */
  vkFile() {
    return handleOf(this).vkFile();
  }
}

/** @param {unknown} k */
function keyInner(k) {
  if (!(k instanceof ProvingKey)) {
    throw new TypeError(`provingKey must be a ProvingKey (ProvingKey.load or fetchProvingKey), got ${describe(k)}`);
  }
  return handleOf(k);
}

/** @param {unknown} k */
function mainKeyInner(k) {
  if (!(k instanceof MainProvingKey)) {
    throw new TypeError(`mainKey must be a MainProvingKey (MainProvingKey.load), got ${describe(k)}`);
  }
  return handleOf(k);
}

// What a proof returns to the caller.
/**
 * @param {{payloadText: string, payloadHex: string, now: string, epoch: string, mode: 'interactive'|'one-scan'}} out
 * @returns {Presentation}
 */
function payloadOut(out) {
  return {
    payloadText: out.payloadText,
    payloadBytes: fromHex(out.payloadHex),
    now: out.now,
    epoch: out.epoch,
    mode: out.mode,
  };
}

/** @param {unknown} r */
function materialInner(r) {
  if (!(r instanceof Registries)) {
    throw new TypeError(`registries must be a Registries (new Registries(rootsJson, [registryBytes])), got ${describe(r)}`);
  }
  return handleOf(r);
}

// A presentation request as the WASM side takes it: [challenge, operator, windowStart].
/**
 * @param {unknown} p
 * @returns {[string|undefined, string|undefined, string|undefined]}
 */
function presentationArgs(p) {
  if (p === null || typeof p !== 'object') {
    throw new TypeError(`presentation must be { challenge } (interactive) or { windowStart, operator? } (one-scan), got ${describe(p)}`);
  }
  for (const k of Object.keys(p)) {
    if (!['challenge', 'windowStart', 'operator'].includes(k)) {
      throw new TypeError(`presentation: unknown property ${JSON.stringify(k)} (known: challenge, windowStart, operator)`);
    }
  }
  const { challenge, windowStart, operator } = /** @type {{challenge?: unknown, windowStart?: unknown, operator?: unknown}} */ (p);
  if ((challenge === undefined) === (windowStart === undefined)) {
    throw new TypeError('presentation: give either challenge (the gate\'s ZKC2: text) or windowStart (a one-scan window), not both or neither');
  }
  if (challenge !== undefined) {
    if (operator !== undefined) throw new TypeError('presentation: operator is for one-scan passes only');
    return [boundedString(challenge, 'challenge', 'the gate\'s challenge, ZKC2: and 60 base45 characters'), undefined, undefined];
  }
  const op = operator === undefined ? undefined : boundedString(operator, 'operator', 'the operator name (printable ASCII, 1–64 bytes)');
  return [undefined, op, u64String(windowStart, 'windowStart')];
}

/**
 * A proving key whose file matched its pinned fingerprint and whose every
 * point was validated. Make one with `ProvingKey.load` or `fetchProvingKey`
 * and reuse it for every proof: loading validates about 28,000 curve points.
 * @extends {PinnedKey<WasmProvingKey>}
 * @implements {DeclaredProvingKey}
 */
export class ProvingKey extends PinnedKey {
  /**
   * Internal: use `ProvingKey.load` or `fetchProvingKey`.
   * @param {symbol} token
   * @param {WasmProvingKey} w
   */
  constructor(token, w) {
    if (token !== TOKEN) {
      throw new TypeError('use ProvingKey.load(bytes, pinnedFingerprintHex) or fetchProvingKey(url, pinnedFingerprintHex)');
    }
    super(w, 'ProvingKey');
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
    const [copy, pin] = pinnedFile(bytes, pinnedFingerprintHex);
    return new ProvingKey(TOKEN, WasmProvingKey.load(copy, pin));
  }
}

/**
 * A holder's credential with its holder secret. Both stay on the device:
 * nothing here sends anything anywhere.
 * @extends {Handle<WasmHolder>}
 * @implements {DeclaredHolder}
 */
export class Holder extends Handle {
  /**
   * @param {string} credentialJson the credential file (`zkstatus/credential`)
   * @param {string} holderSecretJson the holder-secret file (`zkstatus/holder-secret`)
   */
  constructor(credentialJson, holderSecretJson) {
    requireReady();
    const cred = jsonInput(credentialJson, 'credentialJson', 'credential');
    const secret = jsonInput(holderSecretJson, 'holderSecretJson', 'holder secret');
    super(new WasmHolder(cred, secret), 'Holder');
  }

  /**
   * What the credential says: `{ issuer, testType, testResult, testTime,
   * exposureTime, issuedAt, expiresAt }`, times as decimal strings.
   * @returns {import('./index.d.ts').CredentialSummary}
   */
  credential() {
    return JSON.parse(handleOf(this).summaryJson());
  }

  /**
   * Whether a proof can be made under `policyJson` at `now` (local only):
   * `{ green, reasons: [{ code, message }], now, greenUntil }`.
   * @param {string} policyJson the venue's policy (`zkstatus/policy`)
   * @param {bigint|string} now unix seconds
   * @returns {Status}
   */
  status(policyJson, now) {
    const w = handleOf(this);
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    const t = u64String(now, 'now');
    return JSON.parse(w.statusJson(policy, t));
  }

  /**
   * Prove the status (statement v2) for a gate: its policy and either its
   * challenge (`{ challenge: 'ZKC2:…' }`, interactive: the statement is
   * checked at the time the gate issued it) or a one-scan window
   * (`{ windowStart, operator? }`). The registry material gives the root
   * active at that time and the holder's path in it; the issuer stays
   * hidden. Throws a `NotGreenError` (with `reasons`) if the credential is
   * not green or its issuer not accredited then, an `Error` with a `code`
   * (`registry-missing`, `no-active-root`, `issuer-not-in-registry`,
   * `bad-input`, …) otherwise; never sends anything.
   * @param {DeclaredProvingKey} provingKey a pinned proving key
   * @param {string} policyJson the venue's policy (`zkstatus/policy`)
   * @param {DeclaredRegistries} registries the roots and registry files
   * @param {PresentationRequest} presentation what the gate asks for
   * @returns {Presentation}
   */
  prove(provingKey, policyJson, registries, presentation) {
    const w = handleOf(this);
    const pk = keyInner(provingKey);
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    const m = materialInner(registries);
    const [challenge, operator, windowStart] = presentationArgs(presentation);
    const out = JSON.parse(w.proveJson(pk, policy, m, challenge, operator, windowStart));
    if (!out.proved) throw new NotGreenError(out.status);
    return payloadOut(out);
  }

  /**
   * Start a split proof (two workers; see `ProofJob`) with the main
   * worker's key, for the same inputs as `prove`: the statement check, then
   * circuit synthesis. Throws a `NotGreenError` if the credential is not
   * green, an `Error` on bad input or missing registry material.
   * @param {DeclaredMainProvingKey} mainKey the main worker's part of the pinned key
   * @param {string} policyJson the venue's policy (`zkstatus/policy`)
   * @param {DeclaredRegistries} registries the roots and registry files
   * @param {PresentationRequest} presentation what the gate asks for
   * @returns {ProofJob}
   */
  beginProof(mainKey, policyJson, registries, presentation) {
    const w = handleOf(this);
    const key = mainKeyInner(mainKey);
    const policy = jsonInput(policyJson, 'policyJson', 'policy');
    const m = materialInner(registries);
    const [challenge, operator, windowStart] = presentationArgs(presentation);
    const job = w.beginProof(key, policy, m, challenge, operator, windowStart);
    const notGreen = job.notGreenJson();
    if (notGreen !== undefined) {
      job.free();
      throw new NotGreenError(JSON.parse(notGreen).status);
    }
    return new ProofJob(TOKEN, job, mainKey);
  }

}

/**
 * The registry material a holder proves with: the published roots (with
 * their activation times) and the registry files, each downloaded whole so
 * that nobody learns which issuer the holder needs. Before a root's
 * activation time the holder must have that root's registry
 * (`summary(now).nextActivation`, `missingEpochs`).
 * @extends {Handle<WasmMaterial>}
 * @implements {DeclaredRegistries}
 */
export class Registries extends Handle {
  /**
   * @param {string} rootsJson the roots, taken as given: pass the `rootsJson`
   *   of {@link verifyRegistryBundle} (a bundle that verified), never a file
   *   fetched as is
   * @param {Uint8Array[]} [registryFiles] registry files (ZKRG): the active root's, and the next one's during an overlap
   */
  constructor(rootsJson, registryFiles = []) {
    requireReady();
    const roots = jsonInput(rootsJson, 'rootsJson', 'registry roots');
    if (!Array.isArray(registryFiles)) throw new TypeError(`registryFiles must be an array of Uint8Array, got ${describe(registryFiles)}`);
    if (registryFiles.length > 256) throw new Error(`registryFiles: at most 256 files, got ${registryFiles.length}`);
    const files = registryFiles.map((f, i) => copyBytes(requireBytes(f, `registryFiles[${i}]`, 'a registry file'), MAX_REGISTRY_BYTES, 'registry'));
    const w = new WasmMaterial(roots);
    try {
      for (const f of files) w.addRegistry(f);
    } catch (e) {
      w.free();
      throw e;
    }
    super(w, 'Registries');
  }

  /**
   * Add a registry file (replacing one of the same epoch); its tree must
   * give its epoch's published root.
   * @param {Uint8Array} file a registry file (ZKRG)
   * @returns {import('./index.d.ts').RegistryInfo}
   */
  addRegistry(file) {
    const w = handleOf(this);
    const copy = copyBytes(requireBytes(file, 'file', 'a registry file'), MAX_REGISTRY_BYTES, 'registry');
    return JSON.parse(w.addRegistry(copy));
  }

  /**
   * Replace the roots (a newly published roots file); registries are kept.
   * @param {string} rootsJson
   */
  setRoots(rootsJson) {
    handleOf(this).setRoots(jsonInput(rootsJson, 'rootsJson', 'registry roots'));
  }

  /**
   * The material at `now`: the active epoch, the registry's end date
   * (sunset) under it, the next activation (refresh before it), what is
   * missing.
   * @param {bigint|string} now unix seconds
   * @returns {import('./index.d.ts').RegistriesSummary}
   */
  summary(now) {
    return JSON.parse(handleOf(this).summaryJson(u64String(now, 'now')));
  }

  /**
   * The window of the issuer with packed key `issuerHex` (a credential's
   * `issuer`) in the registry of the root active at `now`, or `null` (that
   * registry not loaded, or the issuer not in it): a window that ends
   * before the credential expires means the issuer has been retired.
   * @param {string} issuerHex 64 hex digits
   * @param {bigint|string} now unix seconds
   * @returns {import('./index.d.ts').IssuerWindow | null}
   */
  issuerWindow(issuerHex, now) {
    const key = boundedString(issuerHex, 'issuerHex', "the issuer's packed key, 64 hex digits");
    return JSON.parse(handleOf(this).issuerWindowJson(key, u64String(now, 'now')));
  }
}

// ------------------------------------------------------------ split proving
//
// One proof computed by two workers that share no memory (two Web Workers,
// each with its own instance of this module): the main worker begins the
// proof (statement check, synthesis) and posts the helper's task; the helper
// computes its multi-scalar multiplications (B in G2 and L by default) while
// the main worker computes the rest; the main worker finishes with the
// helper's part, verifying the proof before returning it. Tasks and parts
// are derived from the witness: keep them between the page's own workers.
// `startProver` (prover.js) runs all of this for a page.

/**
 * The main worker's part of a pinned proving key: everything but the
 * helper's queries (for the default split, the G2 query, the slowest part of
 * loading). Same pin rules as `ProvingKey.load`.
 * @extends {PinnedKey<WasmMainKey>}
 * @implements {DeclaredMainProvingKey}
 */
export class MainProvingKey extends PinnedKey {
  /**
   * Internal: use `MainProvingKey.load`.
   * @param {symbol} token
   * @param {WasmMainKey} w
   */
  constructor(token, w) {
    if (token !== TOKEN) throw new TypeError('use MainProvingKey.load(bytes, pinnedFingerprintHex)');
    super(w, 'MainProvingKey');
  }

  /**
   * Accept the proving-key file only if its SHA-256 is `pinnedFingerprintHex`
   * (checked before any byte is parsed), then decode all but the helper's
   * queries. `share` (the helper's MSMs: bits 0 a, 1 b_g1, 2 b_g2, 3 l) is
   * for measurements; both workers must use the same.
   * @param {Uint8Array} bytes
   * @param {string} pinnedFingerprintHex
   * @param {number} [share]
   */
  static load(bytes, pinnedFingerprintHex, share) {
    const [copy, pin] = pinnedFile(bytes, pinnedFingerprintHex);
    return new MainProvingKey(TOKEN, WasmMainKey.load(copy, pin, shareBits(share)));
  }

  /**
   * Load from a fast form made by `toFastForm` for the same pin and share
   * (uncompressed points, a SHA-256 over them checked first; see
   * `loadProvingKeyParts`). Throws an Error with code `pk-cache-invalid`
   * when the form is altered, truncated, or for another pin, part or share.
   * @param {Uint8Array} form
   * @param {string} pinnedFingerprintHex
   * @param {number} [share]
   */
  static loadFast(form, pinnedFingerprintHex, share) {
    requireReady();
    const bytes = requireBytes(form, 'form', 'a fast form of the main key part');
    const pin = boundedString(pinnedFingerprintHex, 'pinnedFingerprint', '64 lowercase hex digits (the SHA-256 of the proving-key file)');
    return new MainProvingKey(TOKEN, WasmMainKey.loadFast(copyBytes(bytes, MAX_FAST_KEY_BYTES, 'fast form'), pin, shareBits(share)));
  }

  /** This part's fast form (to keep for `loadFast`). @returns {Uint8Array} */
  toFastForm() {
    return handleOf(this).toFastForm();
  }

  /** Prepare the verifying key for the self-check now (one pairing; otherwise the first proof does it). */
  prepare() {
    handleOf(this).prepare();
  }

  /** The helper's share (bits 0 a, 1 b_g1, 2 b_g2, 3 l). */
  share() {
    return handleOf(this).share();
  }
}

/**
 * The helper worker's part of a pinned proving key: only the queries of its
 * share. Same pin rules as `ProvingKey.load`.
 * @extends {Handle<WasmHelperKey>}
 * @implements {DeclaredHelperProvingKey}
 */
export class HelperProvingKey extends Handle {
  /**
   * Internal: use `HelperProvingKey.load`.
   * @param {symbol} token
   * @param {WasmHelperKey} w
   */
  constructor(token, w) {
    if (token !== TOKEN) throw new TypeError('use HelperProvingKey.load(bytes, pinnedFingerprintHex)');
    super(w, 'HelperProvingKey');
  }

  /**
   * @param {Uint8Array} bytes the proving-key file
   * @param {string} pinnedFingerprintHex its SHA-256, checked before parsing
   * @param {number} [share] as in `MainProvingKey.load`
   */
  static load(bytes, pinnedFingerprintHex, share) {
    const [copy, pin] = pinnedFile(bytes, pinnedFingerprintHex);
    return new HelperProvingKey(TOKEN, WasmHelperKey.load(copy, pin, shareBits(share)));
  }

  /**
   * Load from a fast form made by `toFastForm`; as `MainProvingKey.loadFast`.
   * @param {Uint8Array} form
   * @param {string} pinnedFingerprintHex
   * @param {number} [share]
   */
  static loadFast(form, pinnedFingerprintHex, share) {
    requireReady();
    const bytes = requireBytes(form, 'form', 'a fast form of the helper key part');
    const pin = boundedString(pinnedFingerprintHex, 'pinnedFingerprint', '64 lowercase hex digits (the SHA-256 of the proving-key file)');
    return new HelperProvingKey(TOKEN, WasmHelperKey.loadFast(copyBytes(bytes, MAX_FAST_KEY_BYTES, 'fast form'), pin, shareBits(share)));
  }

  /** This part's fast form (to keep for `loadFast`). @returns {Uint8Array} */
  toFastForm() {
    return handleOf(this).toFastForm();
  }

  /** The file's SHA-256, 64 hex digits (equal to the pin). */
  fingerprintHex() {
    return handleOf(this).fingerprintHex();
  }

  /** The helper's share (bits 0 a, 1 b_g1, 2 b_g2, 3 l). */
  share() {
    return handleOf(this).share();
  }

  /**
   * The helper's part for a task (`ProofJob.takeTask()` on the main
   * worker). Throws an `Error` (code `helper-task-invalid`, or
   * `key-mismatch` for a task made with another key) on a task it refuses.
   * @param {Uint8Array} task
   * @returns {Uint8Array}
   */
  computePart(task) {
    const w = handleOf(this);
    requireBytes(task, 'task', 'a helper task');
    return w.computePart(copyBytes(task, MAX_TASK_BYTES, 'helper task'));
  }

}

// A task holds one 32-byte scalar per variable (about 156 KB here); the
// Rust side checks the exact length against the key.
const MAX_TASK_BYTES = 42 + 32 * 65536;
const MAX_PART_BYTES = 1024;

/**
 * @param {unknown} share
 * @returns {number}
 */
function shareBits(share) {
  if (share === undefined) return defaultHelperShare();
  if (typeof share !== 'number' || !Number.isInteger(share) || share < 1 || share > 15) {
    throw new TypeError(`share must be an integer from 1 to 15 (bits: 0 a, 1 b_g1, 2 b_g2, 3 l), got ${describe(share)}`);
  }
  return share;
}

/**
 * A split proof in progress on the main worker (`Holder.beginProof`): take
 * the task for the helper, run the main share, finish with the helper's
 * part. Holds the witness and the blinding scalars (in WASM memory).
 * @extends {Handle<WasmProofJob>}
 * @implements {DeclaredProofJob}
 */
export class ProofJob extends Handle {
  /** @type {DeclaredMainProvingKey} */
  #key;

  /**
   * Internal: use `Holder.beginProof`.
   * @param {symbol} token
   * @param {WasmProofJob} w
   * @param {DeclaredMainProvingKey} key
   */
  constructor(token, w, key) {
    if (token !== TOKEN) throw new TypeError('use holder.beginProof(mainKey, policyJson, registries, presentation)');
    super(w, 'ProofJob');
    this.#key = key;
  }

  /** The helper's task, once (then `undefined`). Secret: post it only to the page's own helper worker. */
  takeTask() {
    return handleOf(this).takeTask();
  }

  /** The main share: the witness map and the MSMs the helper does not compute. */
  runMain() {
    handleOf(this).runMain(mainKeyInner(this.#key));
  }

  /**
   * Finish with the helper's part (runs `runMain` first if needed): the
   * proof, verified under the key's verifying key before it is returned.
   * A part for another proof throws (code `helper-part-invalid`) and keeps
   * the job; a wrong part throws (code `self-check-failed`) and spends it.
   * @param {Uint8Array} part
   * @returns {Presentation}
   */
  finish(part) {
    const w = handleOf(this);
    requireBytes(part, 'part', 'a helper part');
    const out = JSON.parse(w.finish(mainKeyInner(this.#key), copyBytes(part, MAX_PART_BYTES, 'helper part')));
    return payloadOut(out);
  }

}

/**
 * A new holder secret (`zkstatus/holder-secret` v1 JSON text, as `zkstatus
 * holder keygen` writes it), from `crypto.getRandomValues`. The text is the
 * secret: store it on the device only; its `holder` field is the public
 * commitment to give the issuer.
 * @returns {string}
 */
export function generateHolderSecret() {
  requireReady();
  return generateHolderSecretJson();
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

/**
 * A caught value's message (an Error's, or the value as a string).
 * @param {unknown} e
 */
function messageOf(e) {
  const m = e !== null && typeof e === 'object' && 'message' in e ? e.message : undefined;
  return m ? String(m) : String(e);
}

/**
 * @param {string} code
 * @param {string} message
 * @returns {Error & {code: string}}
 */
function codedError(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * The pinned proving-key file's bytes, from Cache Storage or the network,
 * with its SHA-256 checked against the pin before anything else reads them
 * (what `startProver`'s workers use; `fetchProvingKey` is the one-call
 * form). A fetched file is cached once it matched the pin; a cached copy
 * that does not match is deleted and the file fetched again. Errors carry a
 * `code`: `pk-pin-mismatch` (the file is not the pinned one: message for a
 * person, with `actual`, `pinned` and `diagnosis`), `pk-fetch` (network or
 * HTTP), `pk-too-large`, `bad-input`.
 * @param {string|URL} url
 * @param {string} pinnedFingerprintHex
 * @param {{cacheName?: string, caches?: CacheStorage|null, fetch?: typeof fetch, onStep?: (step: string) => void}} [options]
 * @returns {Promise<{bytes: Uint8Array, source: 'cache'|'network'}>}
 */
export async function fetchProvingKeyBytes(url, pinnedFingerprintHex, options = {}) {
  requireReady();
  if (typeof url !== 'string' && !(url instanceof URL)) throw Object.assign(new TypeError(`keyUrl must be a string or a URL, got ${describe(url)}`), { code: 'bad-input' });
  const pin = pinnedFingerprintHex;
  if (typeof pin !== 'string' || !HEX64.test(pin)) {
    throw Object.assign(new TypeError(`pin: expected 64 lowercase hex digits (the SHA-256 of the proving-key file), got ${typeof pin === 'string' ? JSON.stringify(pin.slice(0, 80)) : describe(pin)}`), { code: 'bad-input' });
  }
  if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object, got ${describe(options)}`);
  const cacheName = options.cacheName ?? 'zkstatus-proving-key';
  const storage = 'caches' in options ? options.caches : globalThis.caches;
  const doFetch = options.fetch ?? globalThis.fetch;
  const step = typeof options.onStep === 'function' ? options.onStep : () => {};
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
        step('read from the cache; fingerprint matches the pin');
        return { bytes, source: 'cache' };
      }
      await cache.delete(key).catch(() => false);
    }
  }

  if (typeof doFetch !== 'function') throw codedError('pk-fetch', 'the proving key cannot be fetched: no fetch function here');
  let res;
  try {
    res = await doFetch(key, { credentials: 'same-origin' });
  } catch (e) {
    throw codedError('pk-fetch', `the proving key could not be fetched from ${key}: ${messageOf(e)}`);
  }
  if (!res.ok) throw codedError('pk-fetch', `the proving key could not be fetched from ${key}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  const declared = Number(res.headers?.get?.('content-length'));
  if (Number.isFinite(declared) && declared > MAX_PROVING_KEY_BYTES) {
    throw codedError('pk-too-large', `the proving key at ${key} is ${declared} bytes, at most ${MAX_PROVING_KEY_BYTES} are accepted: not the pinned file; no proof can be made with it`);
  }
  let bytes;
  try {
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw codedError('pk-fetch', `the proving key could not be read from ${key}: ${messageOf(e)}`);
  }
  if (bytes.length > MAX_PROVING_KEY_BYTES) {
    throw codedError('pk-too-large', `the proving key at ${key} is ${bytes.length} bytes, at most ${MAX_PROVING_KEY_BYTES} are accepted: not the pinned file; no proof can be made with it`);
  }
  const actual = wasmFingerprint(bytes);
  if (actual !== pin) {
    const diagnosis = diagnoseProvingKey(bytes);
    const e = codedError(
      'pk-pin-mismatch',
      `the proving key does not match its pinned fingerprint (it is ${actual}, the page pins ${pin}): tampered or foreign; no proof can be made with it. ${diagnosis.charAt(0).toUpperCase()}${diagnosis.slice(1)}.`,
    );
    Object.assign(e, { actual, pinned: pin, diagnosis });
    throw e;
  }
  step('fetched; fingerprint matches the pin');
  if (cache) {
    const stored = new Response(bytes.slice(), { headers: { 'content-type': 'application/octet-stream' } });
    await cache.put(key, stored).catch(() => undefined); // a full quota only costs a refetch
  }
  return { bytes, source: 'network' };
}

/**
 * A worker's part(s) of the pinned proving key, as fast as the device
 * allows (what `startProver`'s workers use). On a repeat visit each part is
 * loaded from its *fast form* in Cache Storage (`fastCacheName`, an entry
 * per pin, part and share): uncompressed points, accepted only if the SHA-256
 * stored with them matches and the form names this pin, part and share
 * (checked in Rust before any point is read). A missing or refused form
 * falls back to the checked load (`fetchProvingKeyBytes`: the file's SHA-256
 * against the pin, then the parser), after which the part's fast form is
 * written for the next visit (`saved` settles when it is; failures to store
 * only cost the next visit a checked load). Entries for other pins are
 * deleted then.
 *
 * `role`: `main` (a MainProvingKey), `helper` (a HelperProvingKey) or
 * `single` (both). `onBytesReady` is called once, when the key file's bytes
 * are in Cache Storage or no part needs them; `beforeFetch`, if given, is
 * awaited after the fast forms were tried and before the key file is read or
 * fetched (the helper worker waits there for the main worker to cache it).
 * Result: `{ mainKey, helperKey, source, refused, saved }`, `source` `fast`
 * (every part from its fast form), `cache` or `network` (the file's), and
 * `refused` the messages of fast forms that were refused.
 * @param {string|URL} url
 * @param {string} pinnedFingerprintHex
 * @param {{role: 'main'|'helper'|'single', share?: number, cacheName?: string, fastCacheName?: string, caches?: CacheStorage|null, fetch?: typeof fetch, onStep?: (step: string) => void, onBytesReady?: () => void, beforeFetch?: () => Promise<void>}} options
 * @returns {Promise<{mainKey: MainProvingKey | null, helperKey: HelperProvingKey | null, source: 'fast'|'cache'|'network', refused: string[], saved: Promise<void>}>}
 */
export async function loadProvingKeyParts(url, pinnedFingerprintHex, options) {
  requireReady();
  if (options === null || typeof options !== 'object') throw Object.assign(new TypeError(`options must be an object, got ${describe(options)}`), { code: 'bad-input' });
  const { role, cacheName, fastCacheName = 'zkstatus-proving-key-fast', fetch: doFetch, onStep, onBytesReady, beforeFetch } = options;
  if (beforeFetch !== undefined && typeof beforeFetch !== 'function') throw Object.assign(new TypeError(`beforeFetch must be a function, got ${describe(beforeFetch)}`), { code: 'bad-input' });
  if (role !== 'main' && role !== 'helper' && role !== 'single') throw Object.assign(new TypeError(`role must be 'main', 'helper' or 'single', got ${describe(role)}`), { code: 'bad-input' });
  const pin = pinnedFingerprintHex;
  if (typeof pin !== 'string' || !HEX64.test(pin)) {
    throw Object.assign(new TypeError(`pin: expected 64 lowercase hex digits (the SHA-256 of the proving-key file), got ${typeof pin === 'string' ? JSON.stringify(pin.slice(0, 80)) : describe(pin)}`), { code: 'bad-input' });
  }
  const share = shareBits(options.share);
  const storage = 'caches' in options ? options.caches : globalThis.caches;
  const step = typeof onStep === 'function' ? onStep : () => {};
  let told = false;
  const bytesReady = () => {
    if (told) return;
    told = true;
    if (typeof onBytesReady === 'function') onBytesReady();
  };
  // An http(s) URL on the key's origin (Cache Storage keys must be), never fetched.
  /** @param {'main'|'helper'} part */
  const entry = (part) => new URL(`zkstatus-fast-key/${pin}/${part}-${share}`, new URL(String(url), globalThis.location?.href)).href;
  const wantMain = role !== 'helper';
  const wantHelper = role !== 'main';

  /** @type {Cache | null} */
  let fast = null;
  if (storage) {
    try {
      fast = await storage.open(fastCacheName);
    } catch {
      fast = null; // private browsing, quota, or no Cache API: the checked load each time
    }
  }
  /**
   * A stored fast form, or null.
   * @param {'main'|'helper'} part
   */
  const readForm = async (part) => {
    if (!fast) return null;
    const hit = await fast.match(entry(part)).catch(() => undefined);
    const form = hit ? await hit.arrayBuffer().catch(() => null) : null;
    return form ? new Uint8Array(form) : null;
  };
  /** @type {string[]} */
  const refused = [];
  /**
   * A refused form: noted and deleted.
   * @param {'main'|'helper'} part
   * @param {unknown} e
   */
  const drop = async (part, e) => {
    refused.push(messageOf(e));
    await fast?.delete(entry(part)).catch(() => false);
  };
  const mainForm = wantMain ? await readForm('main') : null;
  const helperForm = wantHelper ? await readForm('helper') : null;
  if ((!wantMain || mainForm) && (!wantHelper || helperForm)) bytesReady();
  /** @type {MainProvingKey | null} */
  let mainKey = null;
  /** @type {HelperProvingKey | null} */
  let helperKey = null;
  if (mainForm) {
    try {
      mainKey = MainProvingKey.loadFast(mainForm, pin, share);
    } catch (e) {
      await drop('main', e);
    }
  }
  if (helperForm) {
    try {
      helperKey = HelperProvingKey.loadFast(helperForm, pin, share);
    } catch (e) {
      await drop('helper', e);
    }
  }
  const needMain = wantMain && mainKey === null;
  const needHelper = wantHelper && helperKey === null;
  if (!needMain && !needHelper) {
    step('read from the fast cache (digest and pin match)');
    return { mainKey, helperKey, source: 'fast', refused, saved: Promise.resolve() };
  }
  if (beforeFetch) await beforeFetch();
  const { bytes, source } = await fetchProvingKeyBytes(url, pin, { caches: storage, ...(cacheName ? { cacheName } : {}), ...(doFetch ? { fetch: doFetch } : {}) });
  step(source === 'cache' ? 'key read from the cache (fingerprint matches the pin)' : 'key fetched (fingerprint matches the pin)');
  bytesReady();
  /** @type {['main'|'helper', Uint8Array][]} */
  const made = [];
  if (needMain) {
    mainKey = MainProvingKey.load(bytes, pin, share);
    made.push(['main', mainKey.toFastForm()]);
  }
  if (needHelper) {
    helperKey = HelperProvingKey.load(bytes, pin, share);
    made.push(['helper', helperKey.toFastForm()]);
  }
  const saved = (async () => {
    if (!fast) return;
    for (const [part, form] of made) {
      await fast.put(entry(part), new Response(form.slice(), { headers: { 'content-type': 'application/octet-stream' } })).catch(() => undefined);
    }
    try {
      for (const req of await fast.keys()) {
        if (!req.url.includes(`/zkstatus-fast-key/${pin}/`)) await fast.delete(req);
      }
    } catch {
      // stale entries only cost storage
    }
  })();
  return { mainKey, helperKey, source, refused, saved };
}

// Every export matches its declaration in index.d.ts (checked by tsc,
// scripts/check-types.sh; types only, nothing runs): functions, constants
// and static methods here, the classes' instances by their @implements,
// the public constructors by their parameters (the declared arguments are
// accepted). `[Symbol.dispose]` is defined at run time (on Handle).
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
 *   Matches<typeof MAX_PROVING_KEY_BYTES, typeof import('./index.d.ts').MAX_PROVING_KEY_BYTES>,
 *   Matches<typeof MAX_REGISTRY_BYTES, typeof import('./index.d.ts').MAX_REGISTRY_BYTES>,
 *   Matches<ConstructorParameters<typeof import('./index.d.ts').Registries>, ConstructorParameters<typeof Registries>>,
 *   Matches<typeof provingKeyFingerprint, typeof import('./index.d.ts').provingKeyFingerprint>,
 *   Matches<ConstructorParameters<typeof import('./index.d.ts').NotGreenError>, ConstructorParameters<typeof NotGreenError>>,
 *   Matches<typeof ProvingKey.load, typeof import('./index.d.ts').ProvingKey.load>,
 *   Matches<ConstructorParameters<typeof import('./index.d.ts').Holder>, ConstructorParameters<typeof Holder>>,
 *   Matches<typeof MainProvingKey.load, typeof import('./index.d.ts').MainProvingKey.load>,
 *   Matches<typeof HelperProvingKey.load, typeof import('./index.d.ts').HelperProvingKey.load>,
 *   Matches<typeof generateHolderSecret, typeof import('./index.d.ts').generateHolderSecret>,
 *   Matches<typeof fetchProvingKey, typeof import('./index.d.ts').fetchProvingKey>,
 *   Matches<typeof fetchProvingKeyBytes, typeof import('./index.d.ts').fetchProvingKeyBytes>,
 *   Matches<typeof loadProvingKeyParts, typeof import('./index.d.ts').loadProvingKeyParts>,
 *   Matches<typeof MainProvingKey.loadFast, typeof import('./index.d.ts').MainProvingKey.loadFast>,
 *   Matches<typeof HelperProvingKey.loadFast, typeof import('./index.d.ts').HelperProvingKey.loadFast>,
 *   Matches<typeof MAX_FAST_KEY_BYTES, typeof import('./index.d.ts').MAX_FAST_KEY_BYTES>,
 * ]} Conformance
 */
