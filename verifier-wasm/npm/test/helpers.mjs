// Shared by the tests: the built package and a statement-v2 test set (keys,
// registry roots and their registry bundle, policy, and a payload of each mode for a known gate),
// made by `cargo run --release -p zkstatus-holder-wasm --example fixture_v2`
// (seeded keys: tests only) at a fixed time, once per machine, or taken
// from ZKSTATUS_V2_FIXTURE (a directory that example wrote).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = path.resolve(here, '../../..');
/** The assembled package (scripts/build-wasm.sh), or ZKSTATUS_WASM_PKG. */
export const PKG_DIR = path.resolve(process.env.ZKSTATUS_WASM_PKG ?? path.join(ROOT, 'verifier-wasm/pkg'));
/** Statement v1's files, kept only to be refused, naming version 1 (prover/tests/fixtures/legacy-v1/README.md). */
export const V1_DIR = path.join(ROOT, 'prover/tests/fixtures/legacy-v1');

/** The base time of the test set: a window start in 2027. */
export const NOW = 1800000000n;

/** A statement-v2 test set at `now` (made once per key format, then reused). */
export function fixtureSet(now = NOW) {
  if (process.env.ZKSTATUS_V2_FIXTURE) return process.env.ZKSTATUS_V2_FIXTURE;
  // Keyed on the frozen verifying key too, so a set made by older code (another
  // key format or QAP reduction) is never reused after the format changes.
  const key = createHash('sha256').update(readFileSync(path.join(ROOT, 'prover/tests/fixtures/v2/zkstatus.vk'))).digest('hex').slice(0, 12);
  // "-bundle": sets made before the fixture had its registry bundle are not reused.
  const dir = path.join(os.tmpdir(), `zkstatus-fixture-v2-${now}-${key}-bundle`);
  if (existsSync(path.join(dir, 'fixture.json'))) return dir;
  const tmp = mkdtempSync(`${dir}.tmp-`);
  execFileSync('cargo', ['run', '-q', '--release', '-p', 'zkstatus-holder-wasm', '--example', 'fixture_v2', '--', tmp, String(now)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another test file made it first
  }
  return dir;
}

export const FIXTURE_DIR = fixtureSet();

/** The package, through its Node entry (initialized on import). */
export const pkg = await import(pathToFileURL(path.join(PKG_DIR, 'node.js')).href);
/** The raw wasm-bindgen module (for its memory, in the leak test). */
export const raw = await import(pathToFileURL(path.join(PKG_DIR, 'zkstatus_verifier.js')).href);

const bytes = (dir, name) => new Uint8Array(readFileSync(path.join(dir, name)));
const text = (dir, name) => readFileSync(path.join(dir, name), 'utf8');
const meta = JSON.parse(text(FIXTURE_DIR, 'fixture.json'));

export const fx = {
  vk: bytes(FIXTURE_DIR, 'zkstatus.vk'),
  roots: text(FIXTURE_DIR, 'roots.json'),
  bundle: bytes(FIXTURE_DIR, 'registry.bundle'),
  trust: text(FIXTURE_DIR, 'trust.json'),
  policy: text(FIXTURE_DIR, 'policy.json'),
  interactive: bytes(FIXTURE_DIR, 'interactive.bin'),
  interactiveText: text(FIXTURE_DIR, 'interactive.txt').trim(),
  oneScan: bytes(FIXTURE_DIR, 'onescan.bin'),
  oneScanText: text(FIXTURE_DIR, 'onescan.txt').trim(),
  now: BigInt(meta.now),
  origin: meta.origin,
  nonce: new Uint8Array(Buffer.from(meta.nonce, 'hex')),
  offer: meta.offer,
  operator: meta.operator,
  windowStart: BigInt(meta.windowStart),
  epochs: meta.epochs,
  vkFingerprint: meta.vkFingerprint,
  v1Payload: bytes(V1_DIR, 'payload.bin'),
  v1Text: text(V1_DIR, 'payload.txt').trim(),
  v1Vk: bytes(V1_DIR, 'zkstatus.vk'),
};

/** The options of the fixture's gate (both modes), with overrides. */
export const gateOptions = (over = {}) => ({
  origin: fx.origin,
  operator: fx.operator,
  modes: ['interactive', 'one-scan'],
  ...over,
});

/** The gate's `registry` argument: the test set's bundle, checked at `now`. */
export const registry = (over = {}) => ({ bundle: fx.bundle, trust: fx.trust, now: fx.now, ...over });

/** A gate for the test set, or with other files or options. */
export function fixtureGate({ vk = fx.vk, reg = registry(), policy = fx.policy, options = gateOptions() } = {}) {
  return new pkg.Gate(vk, reg, policy, options);
}

/** A gate that issued the interactive payload's challenge. */
export function issuedGate(over = {}) {
  const g = fixtureGate(over);
  g.issue(fx.now, fx.nonce);
  return g;
}

export const hex = (b) => Buffer.from(b).toString('hex');

/** The interactive payload with bit `i` flipped. */
export function flipBit(i, payload = fx.interactive) {
  const b = new Uint8Array(payload);
  b[i >> 3] ^= 1 << (i & 7);
  return b;
}
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
export const toText = (bytes) => `ZKS2:${base45(bytes)}`;
