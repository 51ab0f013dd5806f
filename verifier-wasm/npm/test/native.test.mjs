// Native and WASM verdicts agree: the same `Gate` code (verifier-wasm's
// src/verifier.rs over the shared zkstatus_verifier::v2::Gate), compiled for
// the host by the `verdicts` example and for wasm32 in this package, gives
// identical offers and verdicts — every field — for one sequence of
// operations: the test set's payloads in both forms, their repeats, every
// single-bit flip of the interactive payload, a version-1 payload, and
// identical error messages on bad clocks.
//
// The native side runs live (not precomputed), so a change on either side
// is caught: the example is built with `cargo build --release` unless
// ZKSTATUS_NATIVE_VERDICTS names a prebuilt binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, FIXTURE_DIR, fx, fixtureGate, gateOptions, flipBit, hex } from './helpers.mjs';

function nativeBinary() {
  if (process.env.ZKSTATUS_NATIVE_VERDICTS) return process.env.ZKSTATUS_NATIVE_VERDICTS;
  execFileSync('cargo', ['build', '-q', '--release', '-p', 'zkstatus-verifier-wasm', '--example', 'verdicts'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '-q', '--format-version', '1', '--no-deps'], { cwd: ROOT, maxBuffer: 64 << 20 }));
  return path.join(meta.target_directory, 'release', 'examples', process.platform === 'win32' ? 'verdicts.exe' : 'verdicts');
}

function operations() {
  const ops = [];
  const verify = (p, now) => ops.push({ verify: { ...(typeof p === 'string' ? { text: p } : { bytes: hex(p) }), now: String(now) } });
  ops.push({ issue: { now: String(fx.now), random: hex(fx.nonce) } });
  for (let i = 0; i < fx.interactive.length * 8; i += 3) verify(flipBit(i), fx.now + 1n);
  verify(fx.interactive, fx.now + 2n);
  verify(fx.interactiveText, fx.now + 3n);
  verify(fx.oneScan, fx.windowStart + 10n);
  verify(fx.oneScanText, fx.windowStart + 11n);
  verify(fx.v1Payload, fx.now);
  verify(fx.v1Text, fx.now);
  verify('ZKS2:', fx.now);
  verify('', fx.now);
  verify(new Uint8Array(0), fx.now);
  verify(fx.interactive, '1e9');
  verify(fx.interactive, '01');
  ops.push({ issue: { now: String(fx.now), random: hex(fx.nonce) } });
  ops.push({ issue: { now: '5', random: hex(fx.nonce) } });
  return ops;
}

/** The WASM side of one operation, as JSON text (an error as `{error}`). */
function wasm(gate, op) {
  try {
    if (op.issue) return JSON.stringify(gate.issue(op.issue.now, new Uint8Array(Buffer.from(op.issue.random, 'hex'))));
    const p = op.verify.text ?? new Uint8Array(Buffer.from(op.verify.bytes, 'hex'));
    return JSON.stringify(gate.verify(p, op.verify.now));
  } catch (e) {
    return JSON.stringify({ error: e.message });
  }
}

test('native and WASM offers and verdicts agree, operation by operation', (t) => {
  const ops = operations();
  const options = gateOptions();
  const native = execFileSync(
    nativeBinary(),
    [path.join(FIXTURE_DIR, 'zkstatus.vk'), path.join(FIXTURE_DIR, 'registry.bundle'), path.join(FIXTURE_DIR, 'trust.json'),
      String(fx.now), path.join(FIXTURE_DIR, 'policy.json'),
      JSON.stringify({ origin: options.origin, operator: options.operator, interactive: true, oneScan: true })],
    { input: ops.map((o) => JSON.stringify(o)).join('\n'), maxBuffer: 64 << 20 },
  ).toString().trim().split('\n');
  const gate = fixtureGate();
  const results = ops.map((op) => wasm(gate, op));
  assert.equal(native.length, ops.length);
  let accepted = 0;
  for (let i = 0; i < ops.length; i++) {
    assert.deepEqual(JSON.parse(results[i]), JSON.parse(native[i]), `operation ${i}: ${JSON.stringify(ops[i]).slice(0, 120)}`);
    if (JSON.parse(results[i]).ok) accepted += 1;
  }
  // The interactive payload and the one-scan pass, once each.
  assert.equal(accepted, 2);
  t.diagnostic(`${ops.length} operations agree`);
});
