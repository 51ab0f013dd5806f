// The assembled package: its entry points load in Node by package name
// (node entry) and by file (browser entry, refusing to work before init),
// the files package.json lists exist, the declarations cover the exports,
// the module exports no test-only functions, and the sizes stay in budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PKG_DIR, FIXTURE_DIR, pkg, raw } from './helpers.mjs';

const runModule = (code) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: PKG_DIR, env: { ...process.env, FIXTURE_DIR } })
    .toString()
    .trim();

const statusOfFixture = `
import { readFileSync } from 'node:fs';
const f = (n) => readFileSync(process.env.FIXTURE_DIR + '/' + n, 'utf8');
const h = new Holder(f('credential.json'), f('holder-secret.json'));
const s = h.status(f('policy.json'), f('now.txt').trim());
console.log(s.green + ' ' + s.greenUntil + ' ' + provingKeyFingerprint(new Uint8Array(0)).slice(0, 8));
`;

test('Node: import by package name (exports → node entry) works at once', () => {
  const name = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')).name;
  assert.equal(name, 'zkstatus-holder');
  const out = runModule(`import init, { Holder, provingKeyFingerprint } from '${name}'; await init();\n${statusOfFixture}`);
  // The v2 fixture expires at NOW + 2 d, before its PCR test (NOW - 5 h) is 72 h old.
  assert.equal(out, `true ${1768464000 + 2 * 86400} e3b0c442`);
});

test('browser entry: refuses to work before init, works after init with the .wasm bytes', () => {
  const out = runModule(`
import init, { Holder, ProvingKey, provingKeyFingerprint, fetchProvingKey } from './index.js';
import { readFileSync as rf } from 'node:fs';
const errors = [];
try { new Holder('', ''); } catch (e) { errors.push(e.message); }
try { ProvingKey.load(new Uint8Array(1), '00'); } catch (e) { errors.push(e.message); }
try { provingKeyFingerprint(new Uint8Array(1)); } catch (e) { errors.push(e.message); }
try { await fetchProvingKey('/x', '00'); } catch (e) { errors.push(e.message); }
await init({ module_or_path: rf('./zkstatus_holder_bg.wasm') });
await init(); // a no-op once initialized
console.log(JSON.stringify(errors));
${statusOfFixture}`);
  const [errors, status] = out.split('\n');
  const msgs = JSON.parse(errors);
  assert.equal(msgs.length, 4);
  for (const m of msgs) assert.match(m, /not initialized: `await init\(\)` first/);
  assert.match(status, /^true \d+ e3b0c442$/);
});

test('package.json lists files that exist; the declarations name every export', async () => {
  const p = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  for (const f of p.files) assert.ok(existsSync(path.join(PKG_DIR, f)), f);
  assert.equal(p.scripts, undefined);
  assert.equal(p.private, undefined);
  const dts = readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8');
  for (const name of Object.keys(pkg)) {
    if (name === 'default') continue;
    assert.match(dts, new RegExp(`\\b(class|function|const) ${name}\\b`), `index.d.ts misses ${name}`);
  }
  assert.deepEqual(Object.keys(pkg).sort(), [
    'HelperProvingKey', 'Holder', 'MAX_FAST_KEY_BYTES', 'MAX_JSON_BYTES', 'MAX_PROVING_KEY_BYTES', 'MAX_REGISTRY_BYTES', 'MainProvingKey', 'NotGreenError',
    'ProofJob', 'ProvingKey', 'Registries', 'default', 'fetchProvingKey', 'fetchProvingKeyBytes', 'generateHolderSecret',
    'initSync', 'loadProvingKeyParts', 'provingKeyFingerprint', 'startProver', 'verifyRegistryBundle',
  ]);
  // The Web Worker prover: exported by path (and re-exported), declared, and startProver only.
  assert.equal(pkg.startProver, (await import(pathToFileURL(path.join(PKG_DIR, 'prover.js')).href)).startProver);
  assert.equal(p.exports['./prover.js'].default, './prover.js');
  assert.equal(p.exports['./worker.js'], './worker.js');
  const proverDts = readFileSync(path.join(PKG_DIR, 'prover.d.ts'), 'utf8');
  assert.match(proverDts, /export function startProver\(options: StartProverOptions\): Promise<Prover>;/);
  const prover = readFileSync(path.join(PKG_DIR, 'prover.js'), 'utf8');
  assert.deepEqual([...prover.matchAll(/^export (?:async )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]), ['startProver']);
  assert.match(prover, /new Worker\(new URL\('\.\/worker\.js', import\.meta\.url\), \{ type: 'module'/);
  // The wrapper's constants match the Rust side.
  assert.equal(pkg.MAX_JSON_BYTES, raw.maxJsonBytes());
  assert.equal(pkg.MAX_PROVING_KEY_BYTES, raw.maxProvingKeyBytes());
});

test('the WASM module exports no measurement-only code', () => {
  assert.equal(raw.BenchProver, undefined);
  const wasm = new WebAssembly.Module(readFileSync(path.join(PKG_DIR, 'zkstatus_holder_bg.wasm')));
  const exports = WebAssembly.Module.exports(wasm).map((e) => e.name);
  assert.ok(!exports.some((n) => /bench/i.test(n)), exports.join(', '));
});

test('sizes: the .wasm and the proving key stay within the download budget', () => {
  const wasm = readFileSync(path.join(PKG_DIR, 'zkstatus_holder_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  // 0.54 MB gzipped as built (statement v2, no wasm-opt: 553,925 B at
  // 50f3ea5). What raised it: the proving key's fast forms (~9 KB), the
  // 29-bit Fq multiplication of the MSMs (~5 KB, −21–23% proving CPU) and the
  // verifier's prepared lines and input tables, which the self-check links
  // (~3 KB). The budget is 2 MB for the proving key, and a holder
  // page downloads both once.
  assert.ok(gz < 560 * 1024, `the .wasm is ${gz} bytes gzipped`);
  assert.ok(existsSync(FIXTURE_DIR));
});
