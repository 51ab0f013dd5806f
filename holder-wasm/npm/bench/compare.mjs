// A/B comparison of builds of this package in one Node process: every build
// loads the same key, then proofs are interleaved (one per build per round),
// so load from other processes on a shared machine hits every build alike.
// Prints the median wall and CPU time per build and the ratio to the first.
//
//   node bench/compare.mjs N PKG_DIR [PKG_DIR …]
//
// ZKSTATUS_DEMO_DIR reuses a demo directory instead of making one.
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { demoDir } from '../test/helpers.mjs';

const [nArg, ...dirs] = process.argv.slice(2);
const n = Number(nArg);
if (!(n > 0) || dirs.length === 0) throw new Error('usage: node bench/compare.mjs N PKG_DIR [PKG_DIR …]');
const dir = process.env.ZKSTATUS_DEMO_DIR ?? demoDir();
const f = (name) => readFileSync(path.join(dir, name));
const pkBytes = new Uint8Array(f('zkstatus.pk'));
const policy = f('policy.json').toString();
// Statement v2: a one-scan pass for the current window (no gate needed), the
// demo's roots and whole registry files.
const windowStart = BigInt(Math.floor(Date.now() / 1000 / 60) * 60);
const presentation = { windowStart, operator: 'bench.example' };
const registryFiles = () => readdirSync(dir).filter((n) => /^registry-\d+\.bin$/.test(n)).map((n) => new Uint8Array(f(n)));

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const timed = (fn) => {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const u = process.cpuUsage(c);
  return [performance.now() - t, (u.user + u.system) / 1000];
};

const builds = [];
for (const d of dirs) {
  const pkg = await import(pathToFileURL(path.join(path.resolve(d), 'node.js')).href);
  let pk;
  const [loadMs, loadCpu] = timed(() => {
    pk = pkg.ProvingKey.load(pkBytes, pkg.provingKeyFingerprint(pkBytes));
  });
  const holder = new pkg.Holder(f('credential.json').toString(), f('holder.secret').toString());
  const regs = new pkg.Registries(f('roots.json').toString(), registryFiles());
  const prove = () => holder.prove(pk, policy, regs, presentation);
  prove(); // warm-up
  builds.push({ dir: d, prove, loadMs, loadCpu, wall: [], cpu: [] });
}
for (let i = 0; i < n; i++) {
  for (const b of builds) {
    const [w, c] = timed(b.prove);
    b.wall.push(w);
    b.cpu.push(c);
  }
}
const base = builds[0];
const rows = builds.map((b) => ({
  build: b.dir,
  loadMs: Math.round(b.loadMs),
  loadCpuMs: Math.round(b.loadCpu),
  proveMs: Math.round(median(b.wall)),
  proveCpuMs: Math.round(median(b.cpu)),
  cpuRatio: Number((median(b.cpu) / median(base.cpu)).toFixed(3)),
}));
console.table(rows);
console.log(JSON.stringify({ n, node: process.version, rows }));
