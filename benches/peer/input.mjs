#!/usr/bin/env node
// Convert zkstatus files into the input JSON of circuits/status.circom.
//
//   node input.mjs --dir DIR --now T --challenge HEX [--out FILE]
//   node input.mjs --credential F --secret F --policy F --now T --challenge HEX
//
// With --dir, the files are the ones `zkstatus demo --dir DIR` writes:
// credential.json, holder.secret (format zkstatus/holder-secret) and
// policy.json. Formats: docs/formats.md. Every value is checked the way the
// zkstatus parsers check it (field elements canonical, points on the curve,
// S < l), so a file zkstatus would refuse is refused here too.
//
// The output's first eight keys are the public inputs in zkstatus's order
// (docs/circuit.md §3); the rest is the witness (§4). Decimal strings.
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

/** The circuit input for zkstatus's credential, holder secret, policy, challenge and now. */
export function circuitInput({ credential, holderSecret, policy, challengeHex, now }) {
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
  const input = {
    // public inputs, docs/circuit.md §3, in order
    issuer_ax: ax,
    issuer_ay: ay,
    now: u64(now, "now"),
    challenge: frFromHex(challengeHex, "challenge"),
    accepted_test_types: accepted,
    max_age_pcr: pcr === null ? 0n : u64(pcr, "max_test_age.pcr"),
    max_age_rapid_antigen: antigen === null ? 0n : u64(antigen, "max_test_age.rapid_antigen"),
    min_exposure_gap: u64(policy.min_exposure_gap, "min_exposure_gap"),
    // witness, docs/circuit.md §4
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
  };
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.toString()]));
}

/** The public signals the circuit exposes, in order. */
export const PUBLIC_NAMES = [
  "issuer_ax", "issuer_ay", "now", "challenge",
  "accepted_test_types", "max_age_pcr", "max_age_rapid_antigen", "min_exposure_gap",
];

function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: "string" },
      credential: { type: "string" },
      secret: { type: "string" },
      policy: { type: "string" },
      challenge: { type: "string" },
      now: { type: "string" },
      out: { type: "string" },
    },
  });
  const dir = values.dir;
  const path = (explicit, name) => explicit ?? (dir ? join(dir, name) : null);
  const files = {
    credential: path(values.credential, "credential.json"),
    secret: path(values.secret, "holder.secret"),
    policy: path(values.policy, "policy.json"),
  };
  for (const [k, v] of Object.entries(files)) if (!v) throw new Error(`--${k} or --dir is required`);
  if (!values.challenge || !values.now) throw new Error("--challenge HEX and --now T are required");
  if (!/^[0-9]+$/.test(values.now)) throw new Error("--now: unix seconds");
  const load = (f) => JSON.parse(readFileSync(f, "utf8"));
  const input = circuitInput({
    credential: load(files.credential),
    holderSecret: load(files.secret),
    policy: load(files.policy),
    challengeHex: values.challenge.trim(),
    now: Number(values.now),
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
