// Shared by the tests: the built package, the frozen fixture, and the
// field and curve constants needed to hand-craft malformed inputs.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = path.resolve(here, '../../..');
/** The assembled package (scripts/build-wasm.sh), or ZKSTATUS_WASM_PKG. */
export const PKG_DIR = path.resolve(process.env.ZKSTATUS_WASM_PKG ?? path.join(ROOT, 'verifier-wasm/pkg'));
export const FIXTURE_DIR = path.join(ROOT, 'prover/tests/fixtures/v1');

/** The package, through its Node entry (initialized on import). */
export const pkg = await import(pathToFileURL(path.join(PKG_DIR, 'node.js')).href);
/** The raw wasm-bindgen module (for its memory, in the leak test). */
export const raw = await import(pathToFileURL(path.join(PKG_DIR, 'zkstatus_verifier.js')).href);

export const fixtureBytes = (name) => new Uint8Array(readFileSync(path.join(FIXTURE_DIR, name)));
export const fixtureText = (name) => readFileSync(path.join(FIXTURE_DIR, name), 'utf8');

export const fx = {
  vk: fixtureBytes('zkstatus.vk'),
  trust: fixtureText('trust-list.json'),
  policy: fixtureText('policy.json'),
  payload: fixtureBytes('payload.bin'),
  text: fixtureText('payload.txt').trim(),
  now: BigInt(fixtureText('now.txt').trim()),
  challenge: fixtureText('challenge.txt').trim(),
  issuerKey: '323a1772ccd2bf78ca0f82e4de1d4d48ded87f6f26d92d6a99e5998ac88901a6',
};

/** The fixture's verification context. */
export const ctx = (over = {}) => ({ now: fx.now, challenge: fx.challenge, ...over });

/** A verifier for the fixture, or with other files or options. */
export function fixtureVerifier({ vk = fx.vk, trust = fx.trust, policy = fx.policy, options } = {}) {
  return new pkg.Verifier(vk, trust, policy, options);
}

/** BN254 scalar field modulus r (the circuit's field, BabyJubJub's base field). */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254 base field modulus q (coordinates of G1 and G2 points). */
export const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

export const hex = (bytes) => Buffer.from(bytes).toString('hex');
export const fromHex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
export const hex64 = (n) => n.toString(16).padStart(64, '0');

/** 32 little-endian bytes of n < 2^256. */
export function le32(n) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

export function modpow(b, e, m) {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
const mod = (a, m) => ((a % m) + m) % m;
export const inv = (a, m) => modpow(mod(a, m), m - 2n, m);
/** Euler's criterion: is a a nonzero square mod the odd prime m? */
export const isSquare = (a, m) => modpow(mod(a, m), (m - 1n) / 2n, m) === 1n;

/** BN254 G2 twist coefficient b' = 3 / (9 + u) in Fq2 = Fq[u]/(u² + 1). */
export const TWIST_B = (() => {
  // 1 / (9 + u) = (9 − u) / 82
  const d = inv(82n, Q);
  return [mod(27n * d, Q), mod(-3n * d, Q)];
})();

/** Fq2 multiplication. */
export function f2mul([a0, a1], [b0, b1]) {
  return [mod(a0 * b0 - a1 * b1, Q), mod(a0 * b1 + a1 * b0, Q)];
}

/**
 * The fixture payload with bytes [at, at + replacement.length) replaced.
 * Offsets: 0 version, 1..33 A (G1), 33..97 B (G2), 97..129 C (G1),
 * 129..137 now (big-endian), 137..169 issuer key (packPoint).
 */
export function patched(at, replacement, base = fx.payload) {
  const p = new Uint8Array(base);
  p.set(replacement, at);
  return p;
}
export const OFF = { A: 1, B: 33, C: 97, NOW: 129, KEY: 137, END: 169 };

/** A small deterministic PRNG (mulberry32), for reproducible fuzzing. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
  };
}

/** The payload with bit `i` (0 = the most significant bit of byte 0) flipped. */
export function flipBit(i, base = fx.payload) {
  const p = new Uint8Array(base);
  p[i >> 3] ^= 0x80 >> (i & 7);
  return p;
}

/** RFC 9285 base45, as the payload's text form uses it. */
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
export function base45(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      for (let k = 0; k < 3; k++) {
        s += B45[n % 45];
        n = Math.floor(n / 45);
      }
    } else {
      const n = bytes[i];
      s += B45[n % 45] + B45[Math.floor(n / 45)];
    }
  }
  return s;
}
export const toText = (bytes) => `ZKS1:${base45(bytes)}`;
