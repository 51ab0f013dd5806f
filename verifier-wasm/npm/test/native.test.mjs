// Native and WASM verdicts agree: the same `Verifier` code (verifier-wasm's
// src/verifier.rs over the shared StatusVerifier), compiled for the host by
// the `verdicts` example and for wasm32 in this package, gives identical
// verdicts — every field — on the fixture, on every single-bit flip of the
// fixture payload, on the hand-made malformed cases, and identical error
// messages on bad challenges and clocks.
//
// The native side runs live (not precomputed), so a change on either side
// is caught: the example is built with `cargo build --release` unless
// ZKSTATUS_NATIVE_VERDICTS names a prebuilt binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, FIXTURE_DIR, fx, ctx, fixtureVerifier, flipBit, hex, hex64, R, toText } from './helpers.mjs';
import { CASES } from './cases.mjs';

function nativeBinary() {
  if (process.env.ZKSTATUS_NATIVE_VERDICTS) return process.env.ZKSTATUS_NATIVE_VERDICTS;
  execFileSync('cargo', ['build', '-q', '--release', '-p', 'zkstatus-verifier-wasm', '--example', 'verdicts'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '-q', '--format-version', '1', '--no-deps'], { cwd: ROOT, maxBuffer: 64 << 20 }));
  return path.join(meta.target_directory, 'release', 'examples', process.platform === 'win32' ? 'verdicts.exe' : 'verdicts');
}

function allCases() {
  const cases = [];
  const add = (name, input, over = {}) => cases.push({ name, input, now: String(over.now ?? fx.now), challenge: over.challenge ?? fx.challenge });
  add('fixture (binary)', fx.payload);
  add('fixture (text)', fx.text);
  add('fixture, another challenge', fx.payload, { challenge: hex64(1n) });
  add('fixture, now + 301', fx.payload, { now: fx.now + 301n });
  add('fixture, now in ms', fx.payload, { now: fx.now * 1000n });
  for (let i = 0; i < 169 * 8; i++) add(`bit ${i} flipped`, flipBit(i));
  for (let i = 0; i < 169 * 8; i += 7) add(`bit ${i} flipped (text)`, toText(flipBit(i)));
  for (const c of CASES) add(c.name, c.input);
  // inputs the API throws on: the messages must agree too
  add('challenge = r', fx.payload, { challenge: hex64(R) });
  add('uppercase challenge', fx.payload, { challenge: fx.challenge.toUpperCase() });
  add('short challenge', fx.payload, { challenge: fx.challenge.slice(2) });
  add('negative now', fx.payload, { now: '-1' });
  add('now with leading zero', fx.payload, { now: `0${fx.now}` });
  add('now over u64', fx.payload, { now: '18446744073709551616' });
  return cases;
}

test('native and WASM verdicts agree on the fixture and every single-bit flip', (t) => {
  const cases = allCases();
  const bin = nativeBinary();
  const stdin = cases
    .map((c) => JSON.stringify({
      ...(typeof c.input === 'string' ? { text: c.input } : { bytes: hex(c.input) }),
      now: c.now,
      challenge: c.challenge,
    }))
    .join('\n');
  const native = execFileSync(bin, [path.join(FIXTURE_DIR, 'zkstatus.vk'), path.join(FIXTURE_DIR, 'trust-list.json'), path.join(FIXTURE_DIR, 'policy.json')], {
    input: stdin,
    maxBuffer: 64 << 20,
  })
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(native.length, cases.length);

  const v = fixtureVerifier();
  const counts = {};
  cases.forEach((c, i) => {
    let wasm;
    try {
      wasm = v.verify(c.input, ctx({ now: c.now, challenge: c.challenge }));
    } catch (e) {
      wasm = { error: e.message };
    }
    assert.deepEqual(wasm, native[i], `case ${i}: ${c.name}`);
    const key = wasm.error ? 'error' : `${wasm.kind}/${wasm.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  });
  t.diagnostic(`${cases.length} cases agree: ${JSON.stringify(counts)}`);
  // sanity: the corpus exercises every outcome, and no flip is accepted
  assert.equal(counts['accept/accepted'], 2);
  for (const k of ['reject/proof-invalid', 'reject/clock-skew', 'malformed/invalid-proof-encoding', 'malformed/invalid-issuer-key', 'error']) {
    assert.ok(counts[k] > 0, k);
  }
});
