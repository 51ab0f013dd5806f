// Shared by the tests and the benches: the built packages (this one and the
// browser verifier), the zkstatus CLI, and statement-v2 test sets:
//
//   - the seeded set of `cargo run --release -p zkstatus-holder-wasm
//     --example fixture_v2 DIR NOW` (keys, registry files of two epochs,
//     roots, credential, holder secret, policy, issuer key, and the gate's
//     inputs in fixture.json), made once per machine at a fixed time, or
//     taken from ZKSTATUS_V2_FIXTURE; the verifier package's tests use the
//     same set;
//   - a fresh `zkstatus demo` directory (another setup's keys; the clock's
//     time), removed when the process exits.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = path.resolve(here, '../../..');
/** This package, assembled by scripts/build-holder-wasm.sh, or ZKSTATUS_HOLDER_PKG. */
export const PKG_DIR = path.resolve(process.env.ZKSTATUS_HOLDER_PKG ?? path.join(ROOT, 'holder-wasm/pkg'));
/** The verifier package, assembled by scripts/build-wasm.sh, or ZKSTATUS_WASM_PKG. */
export const VERIFIER_PKG_DIR = path.resolve(process.env.ZKSTATUS_WASM_PKG ?? path.join(ROOT, 'verifier-wasm/pkg'));
/** The frozen statement-v2 fixture (credential, holder secret, policy, now.txt). */
export const FIXTURE_DIR = path.join(ROOT, 'prover/tests/fixtures/v2');
/** The frozen statement-v1 fixture (its payloads and keys are refused, naming version 1). */
// Statement v1's files, kept only to be refused (prover/tests/fixtures/legacy-v1/README.md).
export const V1_DIR = path.join(ROOT, 'prover/tests/fixtures/legacy-v1');

/** The base time of the seeded set: a window start in 2027 (as the verifier package's tests). */
export const NOW = 1800000000n;

/** This package, through its Node entry (initialized on import). */
export const pkg = await import(pathToFileURL(path.join(PKG_DIR, 'node.js')).href);
/** The raw wasm-bindgen module (for its memory). */
export const raw = await import(pathToFileURL(path.join(PKG_DIR, 'zkstatus_holder.js')).href);

let cli;
/** The zkstatus CLI: ZKSTATUS_CLI, or target/release/zkstatus (built if missing). */
export function zkstatusCli() {
  if (cli) return cli;
  if (process.env.ZKSTATUS_CLI) return (cli = process.env.ZKSTATUS_CLI);
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '-q', '--format-version', '1', '--no-deps'], { cwd: ROOT, maxBuffer: 64 << 20 }));
  const bin = path.join(meta.target_directory, 'release', process.platform === 'win32' ? 'zkstatus.exe' : 'zkstatus');
  if (!existsSync(bin)) {
    execFileSync('cargo', ['build', '-q', '--release', '-p', 'zkstatus-cli'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return (cli = bin);
}

/** Run the CLI; stdout as text. */
export const run = (args, opts = {}) => execFileSync(zkstatusCli(), args, { encoding: 'utf8', ...opts });

const made = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The seeded statement-v2 set at `now` (made once per machine and key format, then reused). */
export function fixtureSet(now = NOW) {
  if (process.env.ZKSTATUS_V2_FIXTURE) return process.env.ZKSTATUS_V2_FIXTURE;
  // Keyed on the frozen verifying key too, so a set made by older code (another
  // key format or QAP reduction) is never reused after the format changes.
  const key = createHash('sha256').update(readFileSync(path.join(ROOT, 'prover/tests/fixtures/v2/zkstatus.vk'))).digest('hex').slice(0, 12);
  // "-bundle": sets made before the fixture had its registry bundle are not reused.
  const dir = path.join(tmpdir(), `zkstatus-fixture-v2-${now}-${key}-bundle`);
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

/**
 * A fresh demo directory (`zkstatus demo`: v2 proving and verifying keys,
 * issuer key, credential, holder.secret, policy, registry files, roots),
 * removed when the process exits.
 */
export function demoDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'zks-holder-'));
  made.push(dir);
  run(['demo', '--dir', dir, '--force', '--no-qr']);
  return dir;
}

/** The registry files of a set, epoch order (`registry-<epoch>.bin`). */
export function registryFiles(dir) {
  return readdirSync(dir)
    .map((n) => n.match(/^registry-(\d+)\.bin$/))
    .filter(Boolean)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => new Uint8Array(readFileSync(path.join(dir, m[0]))));
}

/** A set's files, read once (the seeded set by default). */
export function setFiles(dir = fixtureSet()) {
  const f = (n) => readFileSync(path.join(dir, n));
  const pk = new Uint8Array(f('zkstatus.pk'));
  const meta = existsSync(path.join(dir, 'fixture.json')) ? JSON.parse(f('fixture.json').toString()) : null;
  return {
    dir,
    pk,
    pin: pkg.provingKeyFingerprint(pk),
    vk: new Uint8Array(f('zkstatus.vk')),
    credential: f('credential.json').toString(),
    secret: f('holder.secret').toString(),
    policy: f('policy.json').toString(),
    roots: f('roots.json').toString(),
    // The verifier package's `registry` argument: the set's bundle, checked
    // at the set's time (or now, for a demo made now).
    registry: {
      bundle: new Uint8Array(f('registry.bundle')),
      trust: f('trust.json').toString(),
      now: meta ? BigInt(meta.now) : BigInt(Math.floor(Date.now() / 1000)),
    },
    registries: registryFiles(dir),
    issuerKey: f('issuer.key').toString(),
    meta,
  };
}

/** A fresh demo's files. */
export const demoFiles = () => setFiles(demoDir());

/** The seeded set's gate inputs (fixture.json), times as BigInts. */
export function fixtureMeta(s) {
  const m = s.meta;
  return {
    now: BigInt(m.now),
    origin: m.origin,
    nonce: new Uint8Array(Buffer.from(m.nonce, 'hex')),
    offer: m.offer,
    operator: m.operator,
    windowStart: BigInt(m.windowStart),
    epochs: m.epochs,
    nextActivation: BigInt(m.nextActivation),
    endDate: m.endDate,
  };
}

export const fixtureText = (name) => readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
export const nowSecs = () => BigInt(Math.floor(Date.now() / 1000));
export const hex64 = (n) => n.toString(16).padStart(64, '0');
/** BN254 scalar field modulus r. */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * `zkstatus verify --json` of `payload` (bytes) against the set in `dir`
 * (its key, roots and policy) at `now`, for an interactive `challenge` or a
 * one-scan `operator`: the exit status and the parsed verdict.
 */
export function nativeVerify(dir, payload, { now, challenge, operator }) {
  const file = path.join(dir, `payload-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, payload);
  const mode = challenge !== undefined ? ['--challenge', challenge] : ['--operator', operator];
  const r = spawnSync(zkstatusCli(), [
    'verify', '--json', '--vk', path.join(dir, 'zkstatus.vk'), '--unlogged-roots', path.join(dir, 'roots.json'),
    '--policy', path.join(dir, 'policy.json'), ...mode, '--now', String(now), file,
  ], { encoding: 'utf8' });
  return { status: r.status, out: JSON.parse(r.stdout) };
}
