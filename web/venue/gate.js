// The venue's gate: configuration, challenges and verdicts, and nothing
// about the page. It is the only module that talks to the zkstatus-verifier
// package. Verification and replay protection live in the package's Gate
// (statement v2: each challenge is accepted once, at the time it was
// issued, until its TTL, at most `maxLive` live; the registry root active at
// that time is the only one accepted); this module only decides *when* to
// issue a challenge and turns verdicts into words for the person at the door.
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

/** The words of the aged-out state (the native verifier's, capitalized). */
export const REGISTRY_TOO_OLD = 'Registry data too old — connect to refresh';

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
    throw new ConfigError(`config/${name}: cannot be fetched (${e.message})`);
  }
  if (optional && res.status === 404) return undefined;
  if (!res.ok) {
    const hint = res.status === 404 ? ': the file is missing' : '';
    throw new ConfigError(`config/${name}: HTTP ${res.status} ${res.statusText}${hint}`);
  }
  return binary ? new Uint8Array(await res.arrayBuffer()) : res.text();
}

function integer(venue, key, min, max) {
  const v = venue[key];
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new ConfigError(`config/venue.json: "${key}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function text(venue, key, maxLength) {
  const v = venue[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '' || v.length > maxLength) {
    throw new ConfigError(`config/venue.json: "${key}" must be a non-empty string of at most ${maxLength} characters`);
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
    throw new ConfigError('config/venue.json: expected a JSON object');
  }
  for (const key of Object.keys(venue)) {
    if (key === 'maxSkewSecs') {
      throw new ConfigError('config/venue.json: "maxSkewSecs" is gone: the gate fixes the proof\'s time (its challenge\'s issue time), so there is no clock tolerance; remove it');
    }
    if (!VENUE_KEYS.includes(key)) {
      throw new ConfigError(`config/venue.json: unknown setting "${key}" (known: ${VENUE_KEYS.join(', ')})`);
    }
  }
  if (venue.format !== undefined && venue.format !== 'zkstatus/venue') {
    throw new ConfigError(`config/venue.json: "format" must be "zkstatus/venue", got ${JSON.stringify(venue.format)}`);
  }
  if (venue.version !== undefined && venue.version !== 1) {
    throw new ConfigError(`config/venue.json: this page reads version 1, got ${JSON.stringify(venue.version)}`);
  }
  const ttlSecs = integer(venue, 'ttlSecs', 2, MAX_TTL_SECS) ?? DEFAULTS.ttlSecs;
  const rotateSecs = integer(venue, 'rotateSecs', 1, ttlSecs - 1) ?? Math.max(1, Math.floor((ttlSecs * 5) / 6));
  const pinned = venue.pinnedVkFingerprint;
  if (pinned !== undefined && (typeof pinned !== 'string' || !/^[0-9a-f]{64}$/.test(pinned))) {
    throw new ConfigError('config/venue.json: "pinnedVkFingerprint" must be 64 lowercase hex digits (zkstatus inspect zkstatus.vk: "vk fingerprint full")');
  }
  const mode = venue.mode ?? DEFAULTS.mode;
  if (!MODES.includes(mode)) {
    throw new ConfigError(`config/venue.json: "mode" must be "interactive" or "one-scan", got ${JSON.stringify(mode)}`);
  }
  const operator = venue.operator;
  if (operator !== undefined) {
    if (mode !== 'one-scan') {
      throw new ConfigError('config/venue.json: "operator" is for "mode": "one-scan" (the scope of one-scan passes); remove it, or set the mode');
    }
    if (typeof operator !== 'string' || !OPERATOR_NAME.test(operator)) {
      throw new ConfigError('config/venue.json: "operator" must be the operator\'s public name: 1 to 64 printable ASCII characters, no space at either end (the same name as in the holder pages\' holder.json)');
    }
  }
  const name = text(venue, 'name', 120);
  const origin = text(venue, 'origin', 256) ?? name ?? defaultOrigin;
  if (new TextEncoder().encode(origin).length > 256) {
    throw new ConfigError('config/venue.json: the gate\'s "origin" (by default its "name") is over 256 bytes: set a shorter "origin"');
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

// What the person at the door reads, per verdict code. The verifier's own
// reason is shown only for malformed input (it says what is wrong with the
// bytes); rejection reasons can carry times, so they get fixed words here.
const MESSAGES = {
  accepted: 'Green under this venue\'s policy, issued by an accredited issuer.',
  'implausible-time': 'A clock is wrong (the phone\'s or this device\'s). Check the time and prove again.',
  'proof-invalid': 'The proof does not hold for this venue\'s challenge and policy (not green, another venue, or altered).',
  rejected: 'The proof is not valid for this venue.',
  'no-live-challenge': 'No challenge is live: wait for the new code and prove again.',
  'no-challenge-at-time': 'Made for a code this venue did not show (or no longer holds): scan the current code and prove again.',
  'challenge-used': 'Already used: this proof was accepted before (a replay). Prove again for the current code.',
  'challenge-expired': 'Made for an expired challenge: scan the current code and prove again.',
  'unknown-root': 'Made with a registry this venue does not know: one of the two needs the newest registry.',
  'root-not-active': 'Made with a registry that is not the current one: update the registry and prove again.',
  'no-active-root': 'This venue has no current registry of accredited issuers: its configuration needs updating.',
  'nullifier-used': 'Already used in this window: this pass was shown here before (a screenshot or a shared code). Ask the visitor to open their own pass screen.',
  'window-too-old': 'This pass is too old: ask the visitor to open their pass screen again (it renews every minute).',
  'window-in-future': 'This pass is for a later time: a clock is wrong (the phone\'s or this device\'s).',
  'window-misaligned': 'This is not a valid pass: ask the visitor to open their pass screen again.',
  'mode-not-accepted': 'This is a pass for one-scan doors: ask the visitor to scan this venue\'s code and prove for it.',
  'replay-store-full': 'This venue cannot record more passes right now: try again shortly.',
  'registry-data-too-old': `${REGISTRY_TOO_OLD}. This device has had no fresh registry data for too long, so it refuses every proof until it gets some.`,
};

// The same codes, worded for a one-scan door (staff read them; a visitor
// there shows a pass, never a proof for a code).
const ONE_SCAN_MESSAGES = {
  accepted: 'Green under this venue\'s policy.',
  'proof-invalid': 'Not valid here: not green under this venue\'s policy, a pass for another operator, or altered.',
  rejected: 'Not valid here: ask the visitor to open their pass screen again.',
  'mode-not-accepted': 'This is a proof for a venue\'s code, not a pass: ask the visitor to open their pass screen ("Show my pass").',
  'unknown-root': 'Made with a registry this door does not know: the visitor\'s page or this door needs the newest registry.',
  'root-not-active': 'Made with a registry that is not the current one: the visitor should reopen their pass page.',
};

/**
 * Reduce a package verdict to what the page may show, in the words of the
 * page's mode (`interactive` or `one-scan`).
 */
export function describeVerdict(verdict, mode = 'interactive') {
  const { ok, kind, code } = verdict;
  let reason = (mode === 'one-scan' ? ONE_SCAN_MESSAGES[code] : undefined) ?? MESSAGES[code];
  if (kind === 'malformed' && mode === 'one-scan') {
    reason = 'This is not a pass: ask the visitor to open their pass screen ("Show my pass").';
  } else if (kind === 'malformed') {
    reason = `Not a zkstatus proof: ${verdict.reason ?? code}.`;
  } else if (reason === undefined) {
    reason = typeof verdict.reason === 'string' ? verdict.reason : 'Not accepted.';
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
        throw new ConfigError(`config/venue.json: not valid JSON (${e.message})`);
      }
    }
    const settings = venueSettings(venue, defaultOrigin);
    try {
      await init();
    } catch (e) {
      throw new ConfigError(`the verifier (WebAssembly) did not load: ${e.message}`);
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
        throw new RegistryError(isStale(e.message)
          ? `${REGISTRY_TOO_OLD}: ${e.message}`
          : `config/registry.bundle and config/trust.json: the registry bundle is refused, so no proof can be accepted: ${e.message}`, { stale: isStale(e.message) });
      }
      throw new ConfigError(`config (zkstatus.vk, registry.bundle, trust.json, policy.json, venue.json): ${e.message}`);
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
    if (this.#base === undefined) return { error: 'no config folder to refresh from' };
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
      return localReject('error', `The verifier could not check this input: ${e.message}`);
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
