// Verification time of the WASM build in Node, on the statement-v2 test set
// (fixture_v2; each interactive check on a gate that just issued the
// payload's challenge, made outside the timed part):
// `npm run bench [-- N]` (default N = 200; the first 10 runs are warm-up).
// Compare with the native build:
// `cargo run --release -p zkstatus-verifier-wasm --example bench -- N`.
import { fx, fixtureGate, issuedGate, PKG_DIR } from '../test/helpers.mjs';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const n = Number(process.argv[2] ?? 200);
if (!Number.isInteger(n) || n < 1) throw new Error('usage: node bench/verify.mjs [N]');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
// Wall time, and CPU time (user + system of this process), which is less
// disturbed by other load on a shared machine.
const cpu = [];
const time = (f) => {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  return wall;
};

const setup = [];
for (let i = 0; i < 10; i++) setup.push(time(() => fixtureGate().free()));
const run = (payload) => {
  const once = () => {
    const g = issuedGate();
    const ms = time(() => {
      if (!g.verify(payload, fx.now).ok) throw new Error('the fixture did not verify');
    });
    g.free();
    return ms;
  };
  for (let i = 0; i < 10; i++) once();
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(once());
  return xs;
};
cpu.length = 0;
const bin = run(fx.interactive);
const binCpu = cpu.slice(-n);
const txt = run(fx.interactiveText);
const bad = new Uint8Array(fx.interactive);
bad[1] ^= 0x80; // an unknown mode: refused before any curve arithmetic
const v = fixtureGate();
const malformed = [];
for (let i = 0; i < n; i++) malformed.push(time(() => v.verify(bad, fx.now)));
const wasm = readFileSync(path.join(PKG_DIR, 'zkstatus_verifier_bg.wasm'));
console.log(JSON.stringify({
  target: 'wasm (node ' + process.version + ')',
  runs: n,
  verify_median_ms: +median(bin).toFixed(3),
  verify_mean_ms: +(bin.reduce((a, b) => a + b, 0) / n).toFixed(3),
  verify_cpu_median_ms: +median(binCpu).toFixed(3),
  verify_text_median_ms: +median(txt).toFixed(3),
  bit_flipped_median_ms: +median(malformed).toFixed(3),
  setup_median_ms: +median(setup).toFixed(3),
  wasm_bytes: wasm.length,
  wasm_gzip_bytes: gzipSync(wasm, { level: 9 }).length,
}));
