// The assembled package: its entry points load in Node by package name
// (node entry) and by file (browser entry, after init), mintChallenge is
// canonical and uniform, the files package.json lists exist, and the .wasm
// stays within its size budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { PKG_DIR, FIXTURE_DIR, pkg, R } from './helpers.mjs';

const runModule = (code, cwd = PKG_DIR) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd, env: { ...process.env, FIXTURE_DIR } })
    .toString()
    .trim();

const verifyFixtureJs = (importLine) => `
${importLine}
import { readFileSync } from 'node:fs';
const f = (n) => readFileSync(process.env.FIXTURE_DIR + '/' + n);
const v = new Verifier(new Uint8Array(f('zkstatus.vk')), f('trust-list.json').toString(), f('policy.json').toString());
const r = v.verify(f('payload.txt').toString(), { now: f('now.txt').toString().trim(), challenge: f('challenge.txt').toString().trim() });
console.log(r.code + ' ' + r.issuer + ' ' + mintChallenge().length);
`;

test('Node: import by package name (exports → node entry) verifies the fixture', () => {
  const name = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')).name;
  const out = runModule(verifyFixtureJs(`import init, { Verifier, mintChallenge } from '${name}'; await init();`));
  assert.equal(out, 'accepted Fixture Lab 64');
});

test('browser entry: refuses to work before init, works after init with the .wasm bytes', () => {
  const out = runModule(`
import init, { Verifier, mintChallenge } from './index.js';
import { readFileSync } from 'node:fs';
const errors = [];
try { new Verifier(new Uint8Array(549), '', ''); } catch (e) { errors.push(e.message); }
try { mintChallenge(); } catch (e) { errors.push(e.message); }
await init({ module_or_path: readFileSync('./zkstatus_verifier_bg.wasm') });
await init(); // a no-op once initialized
console.log(JSON.stringify(errors));
${verifyFixtureJs('').replace(/^\s*import \{ readFileSync \} from 'node:fs';$/m, '')}
`);
  const [errors, verdict] = out.split('\n');
  const msgs = JSON.parse(errors);
  assert.equal(msgs.length, 2);
  for (const m of msgs) assert.match(m, /not initialized: `await init\(\)` first/);
  assert.equal(verdict, 'accepted Fixture Lab 64');
});

test('mintChallenge: 64 lowercase hex digits, canonical, distinct, uniform over the field', () => {
  const n = 3000;
  const seen = new Set();
  const firstDigit = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = pkg.mintChallenge();
    assert.match(c, /^[0-9a-f]{64}$/);
    assert.ok(BigInt(`0x${c}`) < R);
    seen.add(c);
    firstDigit[parseInt(c[0], 16)]++;
  }
  assert.equal(seen.size, n);
  // Uniform on [0, r), r ≈ 0x3064…: the leading hex digit is 0, 1, 2 with
  // probability ≈ 0.331 each and 3 with probability ≈ 0.008 (a biased
  // "mask to 254 bits and reduce" would put ≈ 0.17 on 0 and 1 extra).
  for (const d of [0, 1, 2]) assert.ok(firstDigit[d] / n > 0.28 && firstDigit[d] / n < 0.38, JSON.stringify(firstDigit));
  assert.ok(firstDigit[3] / n < 0.03, JSON.stringify(firstDigit));
});

test('mintChallenge: a broken or missing random source is an Error', () => {
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const fake = (getRandomValues) => Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues }, configurable: true, writable: true });
  try {
    let calls = 0;
    fake((buf) => { calls++; buf.fill(0xff); return buf; });
    assert.throws(() => pkg.mintChallenge(), /64 out-of-range draws in a row/);
    assert.equal(calls, 64);
    fake(() => { throw new Error('no entropy'); });
    assert.throws(() => pkg.mintChallenge(), /no entropy/);
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    assert.throws(() => pkg.mintChallenge(), /needs the Web Crypto API/);
    // rejection sampling: out-of-range draws are redrawn, not reduced
    let k = 0;
    fake((buf) => { buf.fill(k++ < 3 ? 0xff : 0x07); return buf; });
    assert.equal(pkg.mintChallenge(), '07'.repeat(32));
    assert.equal(k, 4);
  } finally {
    Object.defineProperty(globalThis, 'crypto', desc);
  }
  assert.match(pkg.mintChallenge(), /^[0-9a-f]{64}$/);
});

test('the package is complete and the .wasm is within budget', (t) => {
  const meta = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  assert.equal(meta.type, 'module');
  assert.equal(meta.scripts, undefined);
  for (const f of meta.files) assert.ok(existsSync(path.join(PKG_DIR, f)), f);
  for (const target of Object.values(meta.exports['.'])) assert.ok(existsSync(path.join(PKG_DIR, target)), target);
  const dts = readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8');
  for (const name of ['class Verifier', 'function mintChallenge', 'interface Verdict', 'export default function init']) assert.ok(dts.includes(name), name);
  const wasm = readFileSync(path.join(PKG_DIR, 'zkstatus_verifier_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`zkstatus_verifier_bg.wasm: ${wasm.length} bytes raw, ${gz} bytes gzipped`);
  assert.ok(gz <= 250 * 1024, `gzipped .wasm is ${gz} bytes, over the 250 KB budget`);
});
