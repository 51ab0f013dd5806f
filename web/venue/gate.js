// The venue's gate: configuration, challenges and verdicts, and nothing
// about the page. It is the only module that talks to the zkstatus-verifier
// package. Verification and replay protection live in the package's Gate
// (statement v2: each challenge is accepted once, at the time it was
// issued, until its TTL, at most `maxLive` live; the registry root active at
// that time is the only one accepted); this module only decides *when* to
// issue a challenge and turns verdicts into words for the person at the door,
// in the page's language (i18n.js: the words are in strings-en.js and strings-zh.js).
//
// The registry roots come only from a registry bundle (config/registry.bundle)
// that verifies against the venue's trust configuration (config/trust.json:
// the log's key, the witnesses' keys, k, max_age), checked by the package at
// the page's clock. Once the witnesses' newest cosignature is older than
// max_age the package refuses every payload ("registry-data-too-old"), until
// a fresh bundle is fetched (`refreshRegistry`).
//
// Nothing about the holder leaves this module: a verdict is reduced to
// { ok, kind, code, reason }. The package never learns the issuer either:
// an accepted proof says "issued by an accredited issuer", never which.

import init, { Gate as VerifierGate, MAX_TTL_SECS } from './pkg/index.js';
import { policyInWords } from './policy-words.js';
import { t } from './i18n.js';

export { policyInWords };

/** Defaults of venue.json (all optional). */
export const DEFAULTS = Object.freeze({
  mode: 'interactive', // or 'one-scan'
  ttlSecs: 90, // how long a challenge stays valid (at most 120)
  maxLive: 3, // how many challenges are live at once (the newest ones)
  verdictSecs: 6, // how long ACCEPT/REJECT stays on screen
  oneScanVerdictSecs: 3, // the same in one-scan mode (the next visitor is already there)
});

/** The page's modes: interactive (the venue's code, then the visitor's proof) or one-scan (the visitor's pass only). */
export const MODES = ['interactive', 'one-scan'];

const VENUE_KEYS = [
  'format', 'version', 'name', 'origin', 'mode', 'operator', 'ttlSecs', 'rotateSecs', 'maxLive',
  'pinnedVkFingerprint', 'verdictSecs',
];

// The operator-name rule of docs/formats.md ("One-scan windows and scopes";
// zkstatus_verifier::onescan::OperatorId::from_name): 1 to 64 bytes of
// printable ASCII, no space at either end. The package checks it again.
const OPERATOR_NAME = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;

/** A configuration problem, with a message meant for the venue's staff. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * The registry bundle has aged out (or fails) at the page's clock: the page
 * refuses everything and keeps trying to fetch a fresh one.
 */
export class RegistryError extends ConfigError {
  constructor(message, { stale = false } = {}) {
    super(message);
    this.name = 'RegistryError';
    this.stale = stale;
  }
}

const isStale = (message) => /registry data too old/i.test(message);

/** Fetch config/registry.bundle and config/trust.json. */
async function fetchRegistry(base) {
  const [bundle, trust] = await Promise.all([
    fetchConfig(base, 'registry.bundle', { binary: true }),
    fetchConfig(base, 'trust.json'),
  ]);
  return { bundle, trust };
}

/** The clock, unix seconds, as the package wants it (a BigInt). */
export function nowSecs() {
  return BigInt(Math.floor(Date.now() / 1000));
}

async function fetchConfig(base, name, { optional = false, binary = false } = {}) {
  const url = new URL(name, base);
  let res;
  try {
    res = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
  } catch (e) {
    throw new ConfigError(t('config.fetchFailed', { name, detail: e.message }));
  }
  if (optional && res.status === 404) return undefined;
  if (!res.ok) {
    throw new ConfigError(t(res.status === 404 ? 'config.httpMissing' : 'config.http', { name, status: res.status, statusText: res.statusText }));
  }
  return binary ? new Uint8Array(await res.arrayBuffer()) : res.text();
}

function integer(venue, key, min, max) {
  const v = venue[key];
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new ConfigError(t('config.integer', { key, min, max, got: JSON.stringify(v) }));
  }
  return v;
}

function text(venue, key, maxLength) {
  const v = venue[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '' || v.length > maxLength) {
    throw new ConfigError(t('config.text', { key, max: maxLength }));
  }
  return v.trim();
}

/**
 * Check venue.json (already parsed) and fill in the defaults.
 * `rotateSecs` defaults to 5/6 of the TTL (75 s for 90 s), so a holder who
 * scanned the previous challenge still has time to present.
 */
export function venueSettings(venue, defaultOrigin) {
  if (venue === null || typeof venue !== 'object' || Array.isArray(venue)) {
    throw new ConfigError(t('config.notObject'));
  }
  for (const key of Object.keys(venue)) {
    if (key === 'maxSkewSecs') {
      throw new ConfigError(t('config.maxSkew'));
    }
    if (!VENUE_KEYS.includes(key)) {
      throw new ConfigError(t('config.unknownKey', { key, known: VENUE_KEYS.join(', ') }));
    }
  }
  if (venue.format !== undefined && venue.format !== 'zkstatus/venue') {
    throw new ConfigError(t('config.format', { got: JSON.stringify(venue.format) }));
  }
  if (venue.version !== undefined && venue.version !== 1) {
    throw new ConfigError(t('config.version', { got: JSON.stringify(venue.version) }));
  }
  const ttlSecs = integer(venue, 'ttlSecs', 2, MAX_TTL_SECS) ?? DEFAULTS.ttlSecs;
  const rotateSecs = integer(venue, 'rotateSecs', 1, ttlSecs - 1) ?? Math.max(1, Math.floor((ttlSecs * 5) / 6));
  const pinned = venue.pinnedVkFingerprint;
  if (pinned !== undefined && (typeof pinned !== 'string' || !/^[0-9a-f]{64}$/.test(pinned))) {
    throw new ConfigError(t('config.pinned'));
  }
  const mode = venue.mode ?? DEFAULTS.mode;
  if (!MODES.includes(mode)) {
    throw new ConfigError(t('config.mode', { got: JSON.stringify(mode) }));
  }
  const operator = venue.operator;
  if (operator !== undefined) {
    if (mode !== 'one-scan') {
      throw new ConfigError(t('config.operatorMode'));
    }
    if (typeof operator !== 'string' || !OPERATOR_NAME.test(operator)) {
      throw new ConfigError(t('config.operatorName'));
    }
  }
  const name = text(venue, 'name', 120);
  const origin = text(venue, 'origin', 256) ?? name ?? defaultOrigin;
  if (new TextEncoder().encode(origin).length > 256) {
    throw new ConfigError(t('config.originTooLong'));
  }
  return {
    name,
    mode,
    operator,
    origin,
    ttlSecs,
    rotateSecs,
    maxLive: integer(venue, 'maxLive', 1, 16) ?? DEFAULTS.maxLive,
    pinnedVkFingerprint: pinned,
    verdictSecs: integer(venue, 'verdictSecs', 1, 60)
      ?? (mode === 'one-scan' ? DEFAULTS.oneScanVerdictSecs : DEFAULTS.verdictSecs),
  };
}

// What the person at the door reads, per verdict code: the key
// `verdict.<code>` (strings-*.js), or `verdict.oneScan.<code>` at a one-scan
// door (staff read them; a visitor there shows a pass, never a proof for a
// code), falling back to `verdict.<code>`. The verifier's own reason is
// shown only for a code the page has no words for; rejection reasons can
// carry times, so they get fixed words here. Malformed input gets plain
// words too (its code is shown beside them): people at a door cannot act
// on "a text payload starts with ZKS2:".

/** The verdict codes the page has its own words for (a test checks both languages have them). */
export const VERDICT_CODES = [
  'accepted', 'implausible-time', 'proof-invalid', 'rejected', 'no-live-challenge', 'no-challenge-at-time',
  'challenge-used', 'challenge-expired', 'unknown-root', 'root-not-active', 'no-active-root', 'nullifier-used',
  'window-too-old', 'window-in-future', 'window-misaligned', 'mode-not-accepted', 'replay-store-full',
  'registry-data-too-old',
];
/** The codes with their own words at a one-scan door. */
export const ONE_SCAN_CODES = ['accepted', 'proof-invalid', 'rejected', 'mode-not-accepted', 'unknown-root', 'root-not-active'];

/**
 * Reduce a package verdict to what the page may show, in the words of the
 * page's mode (`interactive` or `one-scan`) and language.
 */
export function describeVerdict(verdict, mode = 'interactive') {
  const { ok, kind, code } = verdict;
  let reason;
  if (kind === 'malformed' && mode === 'one-scan') {
    reason = t('verdict.oneScan.malformed');
  } else if (kind === 'malformed') {
    reason = t(code === 'unsupported-version' ? 'verdict.malformed.unsupported-version' : 'verdict.malformed');
  } else if (mode === 'one-scan' && ONE_SCAN_CODES.includes(code)) {
    reason = t(`verdict.oneScan.${code}`);
  } else if (VERDICT_CODES.includes(code)) {
    reason = t(`verdict.${code}`);
  } else {
    reason = typeof verdict.reason === 'string' ? verdict.reason : t('verdict.other');
  }
  return { ok: ok === true, kind, code, reason };
}

/** A verdict for input that never reached the verifier (an unreadable file, …). */
export function localReject(code, reason) {
  return { ok: false, kind: 'malformed', code, reason };
}

/**
 * The gate: one package Gate. After an ACCEPT the used challenge is consumed
 * and a new one is issued at once; otherwise `tick` issues a new one every
 * `rotateSecs`, or at once if the current one is no longer live.
 */
export class Gate {
  #gate;
  #current;
  #nextRotation = 0n;

  #base;

  /**
   * Fetch and check the configuration under `base` (a URL ending in `/`):
   * zkstatus.vk, registry.bundle and trust.json (the registry bundle, whose
   * roots this venue accepts once it verifies), policy.json, and
   * venue.json (optional).
   * Throws a ConfigError with a message for people (a RegistryError, with
   * `stale` when it has aged out, if the bundle fails).
   */
  static async open(base, defaultOrigin, now = nowSecs()) {
    const [vk, registry, policy, venueText] = await Promise.all([
      fetchConfig(base, 'zkstatus.vk', { binary: true }),
      fetchRegistry(base),
      fetchConfig(base, 'policy.json'),
      fetchConfig(base, 'venue.json', { optional: true }),
    ]);
    let venue = {};
    if (venueText !== undefined) {
      try {
        venue = JSON.parse(venueText);
      } catch (e) {
        throw new ConfigError(t('config.venueJson', { detail: e.message }));
      }
    }
    const settings = venueSettings(venue, defaultOrigin);
    try {
      await init();
    } catch (e) {
      throw new ConfigError(t('config.wasm', { detail: e.message }));
    }
    const gate = new Gate(vk, { ...registry, now }, policy, settings);
    gate.#base = base;
    return gate;
  }

  constructor(vk, registry, policyJson, settings) {
    this.settings = settings;
    const options = { origin: settings.origin, ttlSecs: String(settings.ttlSecs), maxLive: settings.maxLive, modes: [settings.mode] };
    if (settings.operator !== undefined) options.operator = settings.operator;
    if (settings.pinnedVkFingerprint !== undefined) options.pinnedVkFingerprint = settings.pinnedVkFingerprint;
    try {
      this.#gate = new VerifierGate(vk, registry, policyJson, options);
    } catch (e) {
      if (/^registry (bundle|trust)/.test(e.message)) {
        throw new RegistryError(t(isStale(e.message) ? 'config.registryTooOld' : 'config.registryRefused', { detail: e.message }), { stale: isStale(e.message) });
      }
      throw new ConfigError(t('config.other', { detail: e.message }));
    }
  }

  /**
   * The held bundle's state at `now`: `{ cosignedAt, validUntil, logSize,
   * stale }` (times as unix seconds, numbers). `stale`: it has aged out,
   * and every payload is refused until a fresh bundle arrives.
   */
  registryState(now = nowSecs()) {
    const r = this.#gate.registry();
    return {
      cosignedAt: Number(r.cosignedAt),
      validUntil: Number(r.validUntil),
      logSize: Number(r.logSize),
      stale: now > BigInt(r.validUntil),
    };
  }

  /**
   * Fetch the bundle again and use it if it verifies at `now`. Returns
   * `{ updated, newRoot, state }` (`updated`: newer registry data, a larger
   * log or a later cosignature; `newRoot`: the active root changed), or
   * `{ error }` with the reason (offline, or the new bundle is refused: the
   * gate keeps the one it had).
   */
  async refreshRegistry(now = nowSecs()) {
    if (this.#base === undefined) return { error: t('config.noFolder') };
    const before = this.registryState(now);
    const rootBefore = this.activeRoot(now)?.root;
    let registry;
    try {
      registry = await fetchRegistry(this.#base);
    } catch (e) {
      return { error: e.message };
    }
    try {
      this.#gate.setRegistry({ ...registry, now });
    } catch (e) {
      return { error: e.message, stale: isStale(e.message) };
    }
    const state = this.registryState(now);
    return {
      updated: state.logSize !== before.logSize || state.cosignedAt !== before.cosignedAt,
      newRoot: this.activeRoot(now)?.root !== rootBefore,
      state,
    };
  }

  /** The registry root active now (`{ epoch, activatesAt, endDate, … }`), or null. */
  activeRoot(now = nowSecs()) {
    return this.#gate.activeRoot(now);
  }

  /** The verifying key's short fingerprint, `xxxx-xxxx-xxxx-xxxx`. */
  get fingerprint() {
    return this.#gate.vkFingerprint();
  }

  /** The policy in plain words. */
  get policyWords() {
    return policyInWords(this.#gate.policy());
  }

  /** One-scan mode: visitors show a pass, the page issues no challenge. */
  get oneScan() {
    return this.settings.mode === 'one-scan';
  }

  /** The challenge to show: `{ offer, challenge, issuedAt, expiresAt }` (strings; `offer` is the ZKC2: text). */
  get current() {
    return this.#current;
  }

  /** Seconds until the next rotation (for a countdown), at least 0. */
  secondsToRotation(now = nowSecs()) {
    const left = this.#nextRotation - now;
    return left > 0n ? Number(left) : 0;
  }

  /** Issue a new current challenge. */
  issue(now = nowSecs()) {
    this.#current = this.#gate.issue(now);
    this.#nextRotation = now + BigInt(this.settings.rotateSecs);
    return this.#current;
  }

  /**
   * Issue a new challenge if it is time, or if the current one is no longer
   * live (used, expired, or the tab slept). Returns true if it did.
   */
  tick(now = nowSecs()) {
    if (this.oneScan) return false; // a one-scan door issues no challenge
    const live = this.#current !== undefined
      && this.#gate.live(now).some((c) => c.challenge === this.#current.challenge);
    if (live && now < this.#nextRotation) return false;
    this.issue(now);
    return true;
  }

  /**
   * Verify a payload (the text form as a string, or the binary form as a
   * Uint8Array) against the live challenges. Never throws. On ACCEPT the
   * gate has consumed the matching challenge; if that was the current one,
   * a new one is issued here at once.
   */
  check(payload, now = nowSecs()) {
    let verdict;
    try {
      verdict = describeVerdict(this.#gate.verify(payload, now), this.settings.mode);
    } catch (e) {
      return localReject('error', t('verdict.error', { detail: e.message }));
    }
    if (verdict.ok) {
      try {
        this.tick(now); // the current challenge was consumed: a new one at once
      } catch {
        // The next tick tries again.
      }
    }
    return verdict;
  }
}
