// The holder page's configuration (config/ next to index.html) and the
// checks of the files a holder brings (credential, holder secret, a venue's
// policy). Pure JavaScript, no WebAssembly: the prover's strict parsers run
// later, in the worker; these checks catch the wrong file early with words
// for people, and never put a file's content in a message.
//
// The holder's messages (InputError, normaliseOffer's errors) are in the
// page's language (i18n.js, keys holder.input.* and holder.challenge.*), with
// their key and variables, so that the page can redraw them; the messages for
// whoever deploys the page (ConfigError) are in English.

import { t } from './i18n.js';

/** A configuration problem, with a message meant for whoever deploys the page. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A file the holder chose that is not what it should be: `code` and a message for people (the words of `key` with `vars`). */
export class InputError extends Error {
  constructor(code, key, vars = {}) {
    super(t(key, vars));
    this.name = 'InputError';
    this.code = code;
    this.key = key;
    this.vars = vars;
  }
}

/** A venue-code error, `{ code, key, message }` (normaliseOffer). */
const offerError = (code, key, vars = {}) => ({ error: { code, key, vars, message: t(key, vars) } });

const HOLDER_KEYS = ['format', 'version', 'name', 'pinnedPkSha256', 'provingKey', 'operator'];

// The operator-name rule of docs/formats.md ("One-scan windows and scopes";
// zkstatus_verifier::onescan::OperatorId::from_name): 1 to 64 bytes of
// printable ASCII, no space at either end. The package checks it again.
const OPERATOR_NAME = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** Largest credential, holder-secret or policy file read, bytes (the prover's own limit). */
export const MAX_JSON_BYTES = 64 * 1024;

/** The clock, unix seconds, as a BigInt. */
export function nowSecs() {
  return BigInt(Math.floor(Date.now() / 1000));
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Check config/holder.json (already parsed): `{ format: "zkstatus/holder-page",
 * version: 1, pinnedPkSha256, provingKey?, name?, operator? }`. `configBase`
 * is the URL of config/ (ending in `/`), `origin` the page's origin. Returns
 * `{ name, pin, keyUrl, operator }` (keyUrl: an absolute URL on `origin`;
 * operator: the public name whose scope one-scan passes are made for, or
 * undefined for the global scope).
 */
export function holderSettings(config, configBase, origin) {
  const where = 'config/holder.json';
  if (!isObject(config)) throw new ConfigError(`${where}: expected a JSON object`);
  for (const key of Object.keys(config)) {
    if (!HOLDER_KEYS.includes(key)) {
      throw new ConfigError(`${where}: unknown setting "${key}" (known: ${HOLDER_KEYS.join(', ')})`);
    }
  }
  if (config.format !== 'zkstatus/holder-page') {
    throw new ConfigError(`${where}: "format" must be "zkstatus/holder-page", got ${JSON.stringify(config.format) ?? 'nothing'}`);
  }
  if (config.version !== 1) {
    throw new ConfigError(`${where}: this page reads version 1, got ${JSON.stringify(config.version) ?? 'nothing'}`);
  }
  const pin = config.pinnedPkSha256;
  if (typeof pin !== 'string' || !HEX64.test(pin)) {
    throw new ConfigError(`${where}: "pinnedPkSha256" must be 64 lowercase hex digits: the SHA-256 of the proving key (sha256sum zkstatus.pk, or "pk_sha256" of zkstatus inspect zkstatus.pk)`);
  }
  let name;
  if (config.name !== undefined) {
    if (typeof config.name !== 'string' || config.name.trim() === '' || config.name.length > 120) {
      throw new ConfigError(`${where}: "name" must be a non-empty string of at most 120 characters`);
    }
    name = config.name.trim();
  }
  const key = config.provingKey ?? 'zkstatus.pk';
  if (typeof key !== 'string' || key.trim() === '' || key.length > 512) {
    throw new ConfigError(`${where}: "provingKey" must be a path relative to config/, such as "zkstatus.pk"`);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(key) || key.startsWith('//') || key.startsWith('\\')) {
    throw new ConfigError(`${where}: "provingKey" must be a path relative to config/ on this page's own server, not a URL (got ${JSON.stringify(key.slice(0, 80))})`);
  }
  const keyUrl = new URL(key, configBase);
  if (keyUrl.origin !== origin) {
    throw new ConfigError(`${where}: "provingKey" must stay on this page's origin`);
  }
  const operator = config.operator;
  if (operator !== undefined && (typeof operator !== 'string' || !OPERATOR_NAME.test(operator))) {
    throw new ConfigError(`${where}: "operator" must be the operator's public name, exactly as in its venues' venue.json: 1 to 64 printable ASCII characters, no space at either end`);
  }
  return { name, pin, keyUrl: keyUrl.href, operator };
}

function parseJson(text, where, wrongCode) {
  if (typeof text !== 'string' || text.trim() === '') throw new InputError(wrongCode, 'holder.input.empty', { where });
  if (text.length > 4 * MAX_JSON_BYTES || new TextEncoder().encode(text).length > MAX_JSON_BYTES) {
    throw new InputError(wrongCode, 'holder.input.tooLarge', { where, max: MAX_JSON_BYTES });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(wrongCode, 'holder.input.notJson', { where });
  }
}

// A file's kind, in words (holder.kind.*).
const KIND_NAMES = {
  'zkstatus/credential': 'holder.kind.credential',
  'zkstatus/holder-secret': 'holder.kind.holderSecret',
  'zkstatus/policy': 'holder.kind.policy',
  'zkstatus/trust-list': 'holder.kind.trustList',
  'zkstatus/registry-roots': 'holder.kind.roots',
  'zkstatus/issuer-key': 'holder.kind.issuerKey',
  'zkstatus/holder-page': 'holder.kind.holderPage',
  'zkstatus/venue': 'holder.kind.venue',
};

function kindOf(obj) {
  return isObject(obj) && typeof obj.format === 'string' && Object.hasOwn(KIND_NAMES, obj.format) ? t(KIND_NAMES[obj.format]) : undefined;
}

const thisFile = () => t('holder.input.thisFile');

const unixTime = (v) => Number.isSafeInteger(v) && v >= 0;

/**
 * Check the text of a credential file (`zkstatus/credential`). Returns a
 * summary `{ issuer, holder, testType, testResult, testTime, exposureTime,
 * issuedAt, expiresAt }` (times as numbers) or throws an InputError.
 */
export function checkCredential(text) {
  const obj = parseJson(text, thisFile(), 'credential-format');
  if (!isObject(obj) || obj.format !== 'zkstatus/credential') {
    const kind = kindOf(obj);
    if (obj?.format === 'zkstatus/holder-secret') throw new InputError('credential-format', 'holder.input.credentialIsSecret');
    throw new InputError('credential-format', kind ? 'holder.input.notCredentialKind' : 'holder.input.notCredential', { kind });
  }
  if (obj.version !== 1) throw new InputError('credential-format', 'holder.input.credentialVersion', { version: JSON.stringify(obj.version) });
  const r = obj.record;
  const ok = isObject(r) && HEX64.test(obj.issuer ?? '') && /^[0-9a-f]{128}$/.test(obj.signature ?? '')
    && HEX64.test(r.holder ?? '') && typeof r.test_type === 'string' && typeof r.test_result === 'string'
    && unixTime(r.test_time) && unixTime(r.issued_at) && unixTime(r.expires_at)
    && (r.exposure_time === null || r.exposure_time === undefined || unixTime(r.exposure_time));
  if (!ok) throw new InputError('credential-format', 'holder.input.credentialDamaged');
  return {
    issuer: obj.issuer,
    holder: r.holder,
    testType: r.test_type,
    testResult: r.test_result,
    testTime: r.test_time,
    exposureTime: r.exposure_time ?? null,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
  };
}

/**
 * Check the text of a holder-secret file (`zkstatus/holder-secret`).
 * Returns `{ holder }` (the public commitment; never the secret) or throws
 * an InputError.
 */
export function checkHolderSecret(text) {
  const obj = parseJson(text, thisFile(), 'secret-format');
  if (!isObject(obj) || obj.format !== 'zkstatus/holder-secret') {
    const kind = kindOf(obj);
    if (obj?.format === 'zkstatus/credential') throw new InputError('secret-format', 'holder.input.secretIsCredential');
    throw new InputError('secret-format', kind ? 'holder.input.notSecretKind' : 'holder.input.notSecret', { kind });
  }
  if (obj.version !== 1) throw new InputError('secret-format', 'holder.input.secretVersion', { version: JSON.stringify(obj.version) });
  if (!HEX64.test(obj.secret ?? '') || !HEX64.test(obj.holder ?? '')) {
    throw new InputError('secret-format', 'holder.input.secretDamaged');
  }
  return { holder: obj.holder };
}

const maxAge = (v) => v === null || unixTime(v);

/**
 * Check the text of a policy file (`zkstatus/policy`). Returns the policy
 * in the shape policyInWords reads (`{ maxTestAge: { pcr, rapidAntigen },
 * minExposureGap }`, seconds as strings) or throws an InputError. The
 * prover checks it again, exactly.
 */
export function checkPolicy(text, where = thisFile()) {
  const obj = parseJson(text, where, 'policy-format');
  if (!isObject(obj) || obj.format !== 'zkstatus/policy') {
    const kind = kindOf(obj);
    throw new InputError('policy-format', kind ? 'holder.input.notPolicyKind' : 'holder.input.notPolicy', { where, kind });
  }
  if (obj.version !== 1) throw new InputError('policy-format', 'holder.input.policyVersion', { where, version: JSON.stringify(obj.version) });
  const ages = obj.max_test_age;
  if (!isObject(ages) || !maxAge(ages.pcr) || !maxAge(ages.rapid_antigen) || !unixTime(obj.min_exposure_gap)) {
    throw new InputError('policy-format', 'holder.input.policyDamaged', { where });
  }
  if (ages.pcr === null && ages.rapid_antigen === null) {
    throw new InputError('policy-format', 'holder.input.policyNoTest', { where });
  }
  const str = (v) => (v === null ? null : String(v));
  return {
    maxTestAge: { pcr: str(ages.pcr), rapidAntigen: str(ages.rapid_antigen) },
    minExposureGap: String(obj.min_exposure_gap),
  };
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

/**
 * Fetch and check the configuration under `base` (the URL of config/,
 * ending in `/`): holder.json, policy.json, and registry.bundle with
 * trust.json (the registry bundle, whose roots the page takes once the
 * holder package has verified it: prover.js, `rootsFromBundle`). The
 * proving key is fetched by the prover, the registry files by
 * {@link fetchRegistry}. Throws a ConfigError with a message for people.
 */
export async function loadConfig(base, origin) {
  const [holderText, policyJson, registry] = await Promise.all([
    fetchConfig(base, 'holder.json'),
    fetchConfig(base, 'policy.json'),
    fetchRegistryBundle(base),
  ]);
  let holder;
  try {
    holder = JSON.parse(holderText);
  } catch (e) {
    throw new ConfigError(`config/holder.json: not valid JSON (${e.message})`);
  }
  const settings = holderSettings(holder, base, origin);
  let policy;
  try {
    policy = checkPolicy(policyJson, 'config/policy.json');
  } catch (e) {
    throw new ConfigError(e.message);
  }
  return { settings, policyJson, policy, registry };
}

/**
 * Check a roots file's text (`zkstatus/registry-roots`: the roots of a
 * verified bundle, or a file the holder opened) enough to name the registry
 * files to download; the prover checks it exactly. Returns the epochs, as
 * decimal strings, in file order.
 */
export function checkRoots(text, where = 'the registry bundle\'s roots') {
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid JSON (${e.message})`);
  }
  if (!isObject(obj) || obj.format !== 'zkstatus/registry-roots') {
    const kind = kindOf(obj);
    throw new ConfigError(`${where}: expected the published registry roots (format "zkstatus/registry-roots")${kind ? `, found ${kind}` : ''}: zkstatus registry publish writes it`);
  }
  if (!Array.isArray(obj.roots) || obj.roots.length === 0) throw new ConfigError(`${where}: "roots" must be a non-empty list`);
  if (obj.roots.length > 64) throw new ConfigError(`${where}: "roots" has ${obj.roots.length} entries; at most 64 are read`);
  return obj.roots.map((r, i) => {
    if (!isObject(r) || !unixTime(r.epoch)) throw new ConfigError(`${where}: roots[${i}].epoch must be a whole number`);
    return String(r.epoch);
  });
}

/**
 * Fetch config/registry.bundle and config/trust.json (again: a newly
 * published root, or the same root cosigned again). Returns `{ bundle,
 * trust }`, unverified; throws a ConfigError.
 */
export async function fetchRegistryBundle(base) {
  // Both fetched at once; when both fail, the bundle's error is the one
  // reported, whichever answer came first.
  const [bundle, trust] = await Promise.allSettled([
    fetchConfig(base, 'registry.bundle', { binary: true }),
    fetchConfig(base, 'trust.json'),
  ]);
  for (const r of [bundle, trust]) if (r.status === 'rejected') throw r.reason;
  return { bundle: bundle.value, trust: trust.value };
}

/** Largest registry file fetched, bytes (the prover's own limit). */
export const MAX_REGISTRY_BYTES = 462863;

/**
 * The registry file of `epoch`, `registry-<epoch>.bin` under `base`
 * (config/): the whole file, never one issuer's entry, so that the server
 * does not learn which issuer the holder needs. Throws a ConfigError.
 */
export async function fetchRegistry(base, epoch) {
  const name = `registry-${epoch}.bin`;
  const url = new URL(name, base);
  let res;
  try {
    res = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
  } catch (e) {
    throw new ConfigError(`config/${name}: cannot be fetched (${e.message})`);
  }
  if (!res.ok) {
    const hint = res.status === 404 ? ': the file is missing' : '';
    throw new ConfigError(`config/${name}: HTTP ${res.status} ${res.statusText}${hint}`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_REGISTRY_BYTES) throw new ConfigError(`config/${name}: ${bytes.length} bytes, larger than any registry (${MAX_REGISTRY_BYTES})`);
  return bytes;
}

// The BN254 scalar field's modulus r: a challenge is a field element below it.
const FIELD_MODULUS = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;

// RFC 9285 base45 (QR alphanumeric characters).
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const OFFER_PREFIX = 'ZKC2:';
// 40 bytes (issue time, challenge) in base45.
const OFFER_B45_CHARS = 60;
// The issue times a gate may use (docs/formats.md): 2020 to 2100.
const MIN_ISSUE = 1577836800n;
const MAX_ISSUE = 4102444800n;

function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = [...text.slice(i, i + 3)].map((c) => B45.indexOf(c));
    if (chunk.length === 1 || chunk.some((d) => d < 0)) return undefined;
    const n = chunk.reduce((acc, d, k) => acc + d * 45 ** k, 0);
    if (chunk.length === 3) {
      if (n > 0xffff) return undefined;
      out.push(n >> 8, n & 0xff);
    } else {
      if (n > 0xff) return undefined;
      out.push(n);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Read a venue's code (a statement-v2 challenge offer, `ZKC2:` and 60 base45
 * characters) as typed, pasted or scanned: surrounding whitespace and line
 * breaks removed, letters uppercased. Returns `{ offer, issuedAt, challenge }`
 * (issuedAt: unix seconds as a BigInt; challenge: 64 hex digits) or
 * `{ error: { code, message } }`. The prover checks it again, exactly.
 */
export function normaliseOffer(input) {
  const s = String(input ?? '').replace(/[\r\n\t]+/g, '').trim().toUpperCase();
  if (s === '') return offerError('challenge-missing', 'holder.challenge.missing');
  if (/^(0X)?[0-9A-F]{64}$/.test(s)) return offerError('challenge-v1', 'holder.challenge.v1');
  if (!s.startsWith(OFFER_PREFIX)) return offerError('challenge-format', 'holder.challenge.notCode');
  const body = s.slice(OFFER_PREFIX.length);
  if (body.length !== OFFER_B45_CHARS) {
    return offerError('challenge-length', 'holder.challenge.length', { want: OFFER_PREFIX.length + OFFER_B45_CHARS, got: s.length });
  }
  const bytes = base45Decode(body);
  if (!bytes || bytes.length !== 40) return offerError('challenge-format', 'holder.challenge.damaged');
  let issuedAt = 0n;
  for (let i = 0; i < 8; i++) issuedAt = (issuedAt << 8n) | BigInt(bytes[i]);
  if (issuedAt < MIN_ISSUE || issuedAt > MAX_ISSUE) {
    return offerError('challenge-range', 'holder.challenge.timeRange');
  }
  const challenge = [...bytes.subarray(8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (BigInt(`0x${challenge}`) >= FIELD_MODULUS) {
    return offerError('challenge-range', 'holder.challenge.numberRange');
  }
  return { offer: s, issuedAt, challenge };
}
