// Proving time in Node: key loading (pin check + validated parse) and
// proving (median, min, max of N after warm-up), on a fresh demo's files.
//
//   node bench/prove.mjs [N]            (N defaults to 10)
//
// BENCH_LOADS key loads are timed (default 3).
// ZKSTATUS_HOLDER_PKG selects another build of the package (default
// ../pkg); ZKSTATUS_DEMO_DIR reuses a demo directory instead of making one
// with target/release/zkstatus. Prints one JSON line at the end.
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { demoDir, PKG_DIR } from '../test/helpers.mjs';

const n = Number(process.argv[2] ?? 10);
const pkg = await import(pathToFileURL(path.join(PKG_DIR, 'node.js')).href);
const dir = process.env.ZKSTATUS_DEMO_DIR ?? demoDir();
const f = (name) => readFileSync(path.join(dir, name));

const pkBytes = new Uint8Array(f('zkstatus.pk'));
let t = performance.now();
const pin = pkg.provingKeyFingerprint(pkBytes);
const hashMs = performance.now() - t;
const loads = [];
let pk;
for (let i = 0; i < Number(process.env.BENCH_LOADS ?? 3); i++) {
  pk?.free();
  t = performance.now();
  pk = pkg.ProvingKey.load(pkBytes, pin);
  loads.push(performance.now() - t);
}
const holder = new pkg.Holder(f('credential.json').toString(), f('holder.secret').toString());
const policy = f('policy.json').toString();
// Statement v2: a one-scan pass for the current window (no gate needed), the
// demo's roots and whole registry files.
const windowStart = BigInt(Math.floor(Date.now() / 1000 / 60) * 60);
const presentation = { windowStart, operator: 'bench.example' };
const registryFiles = () => readdirSync(dir).filter((n) => /^registry-\d+\.bin$/.test(n)).map((n) => new Uint8Array(f(n)));
const regs = new pkg.Registries(f('roots.json').toString(), registryFiles());

// Wall time, and this process's CPU time (less inflated than wall time when
// other processes share the cores; Node's single thread does the proving).
const times = [];
const cpu = [];
for (let i = 0; i < n + 2; i++) {
  const c = process.cpuUsage();
  t = performance.now();
  holder.prove(pk, policy, regs, presentation);
  const ms = performance.now() - t;
  const used = process.cpuUsage(c);
  if (i >= 2) {
    times.push(ms); // after two warm-up proofs
    cpu.push((used.user + used.system) / 1000);
  }
}
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
times.sort((a, b) => a - b);
const round = (x) => Math.round(x);
const result = {
  wasm: path.join(PKG_DIR, 'zkstatus_holder_bg.wasm'),
  pkBytes: pkBytes.length,
  sha256Ms: Number(hashMs.toFixed(1)),
  loadMs: loads.map(round),
  proveMs: { n, median: round(median(times)), min: round(times[0]), max: round(times[times.length - 1]) },
  proveCpuMs: { median: round(median(cpu)), min: round(Math.min(...cpu)), max: round(Math.max(...cpu)) },
  node: process.version,
};
console.log(`proving key ${pkBytes.length} bytes: sha256 ${hashMs.toFixed(1)} ms; load (pin + validated parse) ${loads.map(round).join(', ')} ms`);
console.log(`prove: median ${round(median(times))} ms, min ${round(times[0])} ms, max ${round(times[times.length - 1])} ms over ${n} (after 2 warm-up); CPU time median ${round(median(cpu))} ms`);
console.log(JSON.stringify(result));
