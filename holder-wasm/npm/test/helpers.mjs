// Shared by the tests and the bench: the built packages (this one and the
// browser verifier), the zkstatus CLI, and demo files made by it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
export const FIXTURE_DIR = path.join(ROOT, 'prover/tests/fixtures/v1');

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

/**
 * A fresh demo directory (proving key, credential, holder.secret, policy,
 * trust list, vk), removed when the process exits.
 */
export function demoDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'zks-holder-'));
  made.push(dir);
  run(['demo', '--dir', dir, '--force', '--no-qr']);
  return dir;
}

/** A demo's files, read once. */
export function demoFiles(dir = demoDir()) {
  const f = (n) => readFileSync(path.join(dir, n));
  const pk = new Uint8Array(f('zkstatus.pk'));
  return {
    dir,
    pk,
    pin: pkg.provingKeyFingerprint(pk),
    vk: new Uint8Array(f('zkstatus.vk')),
    credential: f('credential.json').toString(),
    secret: f('holder.secret').toString(),
    policy: f('policy.json').toString(),
    trust: f('trust-list.json').toString(),
    issuerKey: f('issuer.key').toString(),
  };
}

export const fixtureText = (name) => readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
export const nowSecs = () => BigInt(Math.floor(Date.now() / 1000));
export const hex64 = (n) => n.toString(16).padStart(64, '0');
/** BN254 scalar field modulus r. */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
