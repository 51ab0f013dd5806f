// The assembled package: its entry points load in Node by package name
// (node entry) and by file (browser entry, after init), the files
// package.json lists exist, and the .wasm stays within its size budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { PKG_DIR, FIXTURE_DIR } from './helpers.mjs';

const runModule = (code, cwd = PKG_DIR) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd, env: { ...process.env, FIXTURE_DIR } })
    .toString()
    .trim();

const verifyFixtureJs = (importLine) => `
${importLine}
import { readFileSync } from 'node:fs';
const f = (n) => readFileSync(process.env.FIXTURE_DIR + '/' + n);
const fx = JSON.parse(f('fixture.json').toString());
const registry = { bundle: new Uint8Array(f('registry.bundle')), trust: f('trust.json').toString(), now: BigInt(fx.now) };
const g = new Gate(new Uint8Array(f('zkstatus.vk')), registry, f('policy.json').toString(), { origin: fx.origin });
const o = g.issue(fx.now, new Uint8Array(Buffer.from(fx.nonce, 'hex')));
const r = g.verify(f('interactive.txt').toString(), BigInt(fx.now) + 1n);
console.log(r.code + ' ' + r.mode + ' ' + (o.offer === fx.offer));
`;

test('Node: import by package name (exports → node entry) verifies the test set', () => {
  const name = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')).name;
  const out = runModule(verifyFixtureJs(`import init, { Gate } from '${name}'; await init();`));
  assert.equal(out, 'accepted interactive true');
});

test('browser entry: refuses to work before init, works after init with the .wasm bytes', () => {
  const out = runModule(`
import init, { Gate } from './index.js';
import { readFileSync } from 'node:fs';
const errors = [];
try { new Gate(new Uint8Array(646), { bundle: new Uint8Array(0), trust: '', now: 0n }, '', { origin: 'x' }); } catch (e) { errors.push(e.message); }
await init({ module_or_path: readFileSync('./zkstatus_verifier_bg.wasm') });
await init(); // a no-op once initialized
console.log(JSON.stringify(errors));
${verifyFixtureJs('').replace(/^\s*import \{ readFileSync \} from 'node:fs';$/m, '')}
`);
  const [errors, verdict] = out.split('\n');
  const msgs = JSON.parse(errors);
  assert.equal(msgs.length, 1);
  for (const m of msgs) assert.match(m, /not initialized: `await init\(\)` first/);
  assert.equal(verdict, 'accepted interactive true');
});

test('the package is complete and the .wasm is within budget', (t) => {
  const meta = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  assert.equal(meta.type, 'module');
  assert.equal(meta.scripts, undefined);
  for (const f of meta.files) assert.ok(existsSync(path.join(PKG_DIR, f)), f);
  for (const target of Object.values(meta.exports['.'])) assert.ok(existsSync(path.join(PKG_DIR, target)), target);
  const dts = readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8');
  for (const name of ['class Gate', 'interface GateOptions', 'interface Verdict', 'export default function init']) assert.ok(dts.includes(name), name);
  const wasm = readFileSync(path.join(PKG_DIR, 'zkstatus_verifier_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`zkstatus_verifier_bg.wasm: ${wasm.length} bytes raw, ${gz} bytes gzipped`);
  assert.ok(gz <= 250 * 1024, `gzipped .wasm is ${gz} bytes, over the 250 KB budget`);
});
