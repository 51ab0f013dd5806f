#!/usr/bin/env node
// Convert zkstatus files into the input JSON of circuits/status_v2.circom
// (statement v2, docs/circuit.md), interactive mode.
//
//   node input.mjs --dir DIR --challenge ZKC2:… --path PATH.json [--out FILE]
//        [--credential F] [--secret F] [--policy F] [--roots F] [--registry F]
//
// DIR holds what `zkstatus demo --dir DIR` writes: credential.json,
// holder.secret, policy.json, roots.json and registry.bin (any of them can be
// given explicitly instead). The challenge is a gate's `ZKC2:` text
// (`zkstatus challenge`); the statement's `now` is its issue time. PATH.json
// is the credential issuer's registry path as a holder computes it,
// `zkstatus --json registry path --registry registry.bin --public-key <issuer>`
// (this file has no Poseidon: the siblings come from zkstatus, and the
// circuit itself hashes the leaf and the path up to the public root).
//
// Everything else is read and checked here, independently of zkstatus's
// code: the record, signature and issuer key from the credential (points
// on the curve, S < l, canonical field elements, as zkstatus's parsers
// check them); the holder secret; the policy; the challenge and its time
// (base45, RFC 9285); the root active at that time from roots.json (the last
// with activates_at ≤ now); the issuer's leaf (key, not_before, not_after) and
// index from registry.bin (docs/formats.md, "Registry file"), which must be
// the path's index and epoch, with the path's root equal to the active root.
//
// The output's first ten keys are the public inputs in zkstatus's order
// (statement::v2::PUBLIC_INPUT_NAMES); the rest is the witness, named as in
// status_v2.circom. Decimal strings.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

// BN254 scalar field and BabyJubJub (circomlib's twisted Edwards form).
export const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const L = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;
const A = 168700n;
const D = 168696n;

const mod = (x) => ((x % P) + P) % P;
function pow(b, e) {
  let r = 1n;
  b = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}
const inv = (x) => pow(x, P - 2n);

// Tonelli–Shanks; null when x is not a square.
function sqrt(x) {
  x = mod(x);
  if (x === 0n) return 0n;
  if (pow(x, (P - 1n) / 2n) !== 1n) return null;
  let q = P - 1n;
  let s = 0n;
  while ((q & 1n) === 0n) {
    q >>= 1n;
    s += 1n;
  }
  let z = 2n;
  while (pow(z, (P - 1n) / 2n) !== P - 1n) z += 1n;
  let m = s;
  let c = pow(z, q);
  let t = pow(x, q);
  let r = pow(x, (q + 1n) / 2n);
  while (t !== 1n) {
    let i = 0n;
    let t2 = t;
    while (t2 !== 1n) {
      t2 = (t2 * t2) % P;
      i += 1n;
    }
    const b = pow(c, 1n << (m - i - 1n));
    m = i;
    c = (b * b) % P;
    t = (t * c) % P;
    r = (r * b) % P;
  }
  return r;
}

const onCurve = ([x, y]) => mod(A * x * x + y * y) === mod(1n + D * x * x * y * y);

function leToBigInt(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

function hexBytes(hex, n, what) {
  if (typeof hex !== "string" || !new RegExp(`^[0-9a-f]{${2 * n}}$`).test(hex)) {
    throw new Error(`${what}: expected ${2 * n} lowercase hex digits`);
  }
  return Uint8Array.from(hex.match(/../g), (b) => parseInt(b, 16));
}

// circomlib's unpackPoint: little-endian y, sign of x (x > (p−1)/2) in bit 255.
export function unpackPoint(bytes, what) {
  const b = Uint8Array.from(bytes);
  const sign = (b[31] & 0x80) !== 0;
  b[31] &= 0x7f;
  const y = leToBigInt(b);
  if (y >= P) throw new Error(`${what}: y is not below p`);
  const y2 = (y * y) % P;
  let x = sqrt(mod((1n - y2) * inv(mod(A - D * y2))));
  if (x === null) throw new Error(`${what}: not a curve point`);
  if (x > (P - 1n) / 2n !== sign) x = mod(-x);
  if (x === 0n && sign) throw new Error(`${what}: non-canonical encoding`);
  const pt = [x, y];
  if (!onCurve(pt)) throw new Error(`${what}: not on the curve`);
  return pt;
}

// A field element: exactly 64 lowercase hex digits, big-endian, below p.
export function frFromHex(hex, what) {
  const v = BigInt("0x" + Buffer.from(hexBytes(hex, 32, what)).toString("hex"));
  if (v >= P) throw new Error(`${what}: not below the field modulus`);
  return v;
}

function u64(v, what) {
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${what}: expected a unix time / duration in seconds`);
  return BigInt(v);
}

function expectFormat(obj, format) {
  if (obj?.format !== format || obj?.version !== 1) {
    throw new Error(`expected a ${format} version 1 file, found ${obj?.format} ${obj?.version}`);
  }
}

const TEST_RESULT = { negative: 0n, positive: 1n };
const TEST_TYPE = { pcr: 1n, rapid_antigen: 2n };

// RFC 9285 base45, strict (zkstatus_verifier::payload::base45_decode).
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
function base45Decode(text) {
  const d = [...text].map((c, i) => {
    const v = BASE45.indexOf(c);
    if (v < 0) throw new Error(`invalid base45 at character ${i}`);
    return v;
  });
  if (d.length % 3 === 1) throw new Error("invalid base45 length");
  const out = [];
  for (let i = 0; i < d.length; i += 3) {
    if (i + 2 < d.length) {
      const n = d[i] + 45 * d[i + 1] + 2025 * d[i + 2];
      if (n > 0xffff) throw new Error(`invalid base45 at character ${i + 2}`);
      out.push(n >> 8, n & 0xff);
    } else {
      const n = d[i] + 45 * d[i + 1];
      if (n > 0xff) throw new Error(`invalid base45 at character ${i + 1}`);
      out.push(n);
    }
  }
  return Uint8Array.from(out);
}

const beToBigInt = (bytes) => BigInt("0x" + (Buffer.from(bytes).toString("hex") || "0"));

/** A gate's challenge text `ZKC2:` + base45(issued_at u64 BE ‖ challenge 32 B BE). */
export function parseOffer(text) {
  const t = text.trim();
  if (!t.startsWith("ZKC2:")) throw new Error("challenge: expected ZKC2:… (statement v2)");
  const b = base45Decode(t.slice(5));
  if (b.length !== 40) throw new Error(`challenge: ${b.length} bytes, expected 40`);
  const now = beToBigInt(b.slice(0, 8));
  const challenge = beToBigInt(b.slice(8));
  if (challenge >= P) throw new Error("challenge: not below the field modulus");
  return { now, challenge };
}

/** registry.bin: ZKRG, version 1, epoch u64 LE, count u16 LE, entries (key 32, not_before u64, not_after u64, name). */
export function parseRegistry(buf) {
  const b = Uint8Array.from(buf);
  if (Buffer.from(b.slice(0, 4)).toString("latin1") !== "ZKRG" || b[4] !== 1) {
    throw new Error("registry: not a version 1 registry file (ZKRG)");
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const epoch = dv.getBigUint64(5, true);
  const count = dv.getUint16(13, true);
  let at = 15;
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (at + 49 > b.length) throw new Error("registry: truncated");
    const key = b.slice(at, at + 32);
    const notBefore = dv.getBigUint64(at + 32, true);
    const notAfter = dv.getBigUint64(at + 40, true);
    const nameLen = b[at + 48];
    if (nameLen < 1 || nameLen > 64 || at + 49 + nameLen > b.length) throw new Error(`registry: entry ${i}: bad name`);
    const name = Buffer.from(b.slice(at + 49, at + 49 + nameLen)).toString("utf8");
    if (notBefore > notAfter) throw new Error(`registry: entry ${i}: not_before > not_after`);
    entries.push({ key: unpackPoint(key, `registry entry ${i}`), notBefore, notAfter, name });
    at += 49 + nameLen;
  }
  if (at !== b.length) throw new Error("registry: trailing bytes");
  return { epoch, entries };
}

/** The root active at `now` in a zkstatus/registry-roots file: the last with activates_at ≤ now. */
export function activeRoot(roots, now) {
  expectFormat(roots, "zkstatus/registry-roots");
  let active = null;
  for (const r of roots.roots) if (BigInt(r.activates_at) <= now) active = r;
  if (!active) throw new Error(`roots: no root is active at ${now}`);
  return { epoch: BigInt(active.epoch), root: frFromHex(active.root, "roots: root") };
}

/** The circuit input (interactive mode) from zkstatus's files, the challenge and the issuer's path. */
export function circuitInput({ credential, holderSecret, policy, roots, registry, offer, path }) {
  expectFormat(credential, "zkstatus/credential");
  expectFormat(holderSecret, "zkstatus/holder-secret");
  expectFormat(policy, "zkstatus/policy");
  const [ax, ay] = unpackPoint(hexBytes(credential.issuer, 32, "issuer"), "issuer");
  const sig = hexBytes(credential.signature, 64, "signature");
  const [r8x, r8y] = unpackPoint(sig.slice(0, 32), "signature R8");
  const s = leToBigInt(sig.slice(32));
  if (s >= L) throw new Error("signature: S is not below the subgroup order");
  const r = credential.record;
  if (!(r.test_result in TEST_RESULT)) throw new Error(`unknown test_result ${r.test_result}`);
  if (!(r.test_type in TEST_TYPE)) throw new Error(`unknown test_type ${r.test_type}`);
  const pcr = policy.max_test_age?.pcr ?? null;
  const antigen = policy.max_test_age?.rapid_antigen ?? null;
  if (pcr === null && antigen === null) throw new Error("policy accepts no test type");
  const accepted = (pcr !== null ? 1n : 0n) + (antigen !== null ? 2n : 0n);

  const { now, challenge } = offer;
  const active = activeRoot(roots, now);
  if (registry.epoch !== active.epoch) {
    throw new Error(`registry: epoch ${registry.epoch}, but the root active at ${now} is epoch ${active.epoch}`);
  }
  const index = registry.entries.findIndex((e) => e.key[0] === ax && e.key[1] === ay);
  if (index < 0) throw new Error("registry: the credential's issuer is not in it");
  const leaf = registry.entries[index];
  if (BigInt(path.epoch) !== active.epoch || path.index !== index) {
    throw new Error(`path: epoch ${path.epoch} index ${path.index}, expected epoch ${active.epoch} index ${index}`);
  }
  if (frFromHex(path.root, "path: root") !== active.root) throw new Error("path: its root is not the active root");
  if (path.siblings.length !== 6 || path.siblings.some((l) => l.length !== 3)) {
    throw new Error("path: expected 6 levels of 3 siblings");
  }

  const input = {
    // public inputs, statement::v2::PUBLIC_INPUT_NAMES, in order
    registry_root: active.root,
    now,
    challenge,
    one_scan: 0n,
    scope: 0n,
    nullifier: 0n,
    accepted_test_types: accepted,
    max_age_pcr: pcr === null ? 0n : u64(pcr, "max_test_age.pcr"),
    max_age_rapid_antigen: antigen === null ? 0n : u64(antigen, "max_test_age.rapid_antigen"),
    min_exposure_gap: u64(policy.min_exposure_gap, "min_exposure_gap"),
    // witness: the record and signature (rules 1–7)
    holder_secret: frFromHex(holderSecret.secret, "holder secret"),
    test_result: TEST_RESULT[r.test_result],
    test_type: TEST_TYPE[r.test_type],
    test_time: u64(r.test_time, "test_time"),
    // `null` (no known exposure) is encoded as 0 (docs/formats.md)
    exposure_time: r.exposure_time === null ? 0n : u64(r.exposure_time, "exposure_time"),
    issued_at: u64(r.issued_at, "issued_at"),
    expires_at: u64(r.expires_at, "expires_at"),
    credential_id: frFromHex(r.credential_id, "credential_id"),
    r8x,
    r8y,
    s,
    // witness: the issuer's leaf and path (rules 8, 9)
    issuer_ax: ax,
    issuer_ay: ay,
    not_before: leaf.notBefore,
    not_after: leaf.notAfter,
    leaf_index: BigInt(index),
  };
  const out = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.toString()]));
  out.siblings = path.siblings.map((level) => level.map((h) => frFromHex(h, "path: sibling").toString()));
  return out;
}

/** The public signals the circuit exposes, in order (statement::v2::PUBLIC_INPUT_NAMES). */
export const PUBLIC_NAMES = [
  "registry_root", "now", "challenge", "one_scan", "scope", "nullifier",
  "accepted_test_types", "max_age_pcr", "max_age_rapid_antigen", "min_exposure_gap",
];

function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: "string" },
      credential: { type: "string" },
      secret: { type: "string" },
      policy: { type: "string" },
      roots: { type: "string" },
      registry: { type: "string" },
      path: { type: "string" },
      challenge: { type: "string" },
      out: { type: "string" },
    },
  });
  const dir = values.dir;
  const file = (explicit, name) => explicit ?? (dir ? join(dir, name) : null);
  const files = {
    credential: file(values.credential, "credential.json"),
    secret: file(values.secret, "holder.secret"),
    policy: file(values.policy, "policy.json"),
    roots: file(values.roots, "roots.json"),
    registry: file(values.registry, "registry.bin"),
  };
  for (const [k, v] of Object.entries(files)) if (!v) throw new Error(`--${k} or --dir is required`);
  if (!values.challenge || !values.path) throw new Error("--challenge ZKC2:… and --path PATH.json are required");
  const load = (f) => JSON.parse(readFileSync(f, "utf8"));
  const input = circuitInput({
    credential: load(files.credential),
    holderSecret: load(files.secret),
    policy: load(files.policy),
    roots: load(files.roots),
    registry: parseRegistry(readFileSync(files.registry)),
    offer: parseOffer(values.challenge),
    path: load(values.path),
  });
  const text = JSON.stringify(input, null, 2) + "\n";
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    console.error(`input.mjs: ${e.message}`);
    process.exit(2);
  }
}
