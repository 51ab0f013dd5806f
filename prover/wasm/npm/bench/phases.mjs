// Where proving time goes in WebAssembly, and what the candidate speed-ups
// buy (src/experiment.rs). Needs a build with the measurement-only feature:
//
//   ZKSTATUS_WASM_FEATURES=unstable-bench ZKSTATUS_HOLDER_PKG_OUT=/tmp/pkg-bench \
//     bash scripts/build-holder-wasm.sh
//   ZKSTATUS_HOLDER_PKG=/tmp/pkg-bench node bench/phases.mjs [N]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { demoDir, PKG_DIR } from '../test/helpers.mjs';

const n = Number(process.argv[2] ?? 10);
const pkg = await import(pathToFileURL(path.join(PKG_DIR, 'node.js')).href);
const raw = await import(pathToFileURL(path.join(PKG_DIR, 'zkstatus_holder.js')).href);
if (!raw.BenchProver) throw new Error(`${PKG_DIR} was built without the unstable-bench feature`);
const dir = process.env.ZKSTATUS_DEMO_DIR ?? demoDir();
const f = (name) => readFileSync(path.join(dir, name));
const pkBytes = new Uint8Array(f('zkstatus.pk'));
const pin = pkg.provingKeyFingerprint(pkBytes);
const policy = f('policy.json').toString();
const challenge = '00'.repeat(31) + '2a';
const now = String(Math.floor(Date.now() / 1000));
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const timed = (fn) => {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = fn();
  const u = process.cpuUsage(c);
  return { r, ms: performance.now() - t, cpu: (u.user + u.system) / 1000 };
};
const r0 = (x) => Math.round(x);
const out = { n, node: process.version, wasm: path.join(PKG_DIR, 'zkstatus_holder_bg.wasm') };

// Key loading: validated (the package) and unchecked, alternated.
const loads = { validated: [], unchecked: [] };
let pk;
let bp;
for (let i = 0; i < 3; i++) {
  const v = timed(() => pkg.ProvingKey.load(pkBytes, pin));
  pk?.free();
  pk = v.r;
  loads.validated.push(v);
  const u = timed(() => raw.BenchProver.parseUnchecked(pkBytes));
  bp?.free();
  bp = u.r;
  loads.unchecked.push(u);
}
for (const [k, xs] of Object.entries(loads)) {
  out[`load ${k}`] = { ms: r0(median(xs.map((x) => x.ms))), cpu: r0(median(xs.map((x) => x.cpu))) };
  console.log(`load ${k}`, JSON.stringify(out[`load ${k}`]));
}
bp.preparedSelfCheck();
const m = timed(() => bp.precomputeMatrices());
out.matricesOnce = { ms: r0(m.ms), cpu: r0(m.cpu) };
console.log('matrices once', JSON.stringify(out.matricesOnce));
const perProof = raw.BenchProver.parseUnchecked(pkBytes);
perProof.preparedSelfCheck();
const noCheck = raw.BenchProver.parseUnchecked(pkBytes);
noCheck.precomputeMatrices();
const holder = new pkg.Holder(f('credential.json').toString(), f('holder.secret').toString());
const rawHolder = new raw.WasmHolder(f('credential.json').toString(), f('holder.secret').toString());

// Proofs interleaved, one per variant per round, after a warm-up round.
const variants = {
  'package prove (as shipped)': () => { holder.prove(pk, policy, challenge, BigInt(now)); },
  'phased, matrices per proof, self-check': () => perProof.prove(rawHolder, policy, challenge, now),
  'phased, matrices once, self-check': () => bp.prove(rawHolder, policy, challenge, now),
  'phased, matrices once, no self-check': () => noCheck.prove(rawHolder, policy, challenge, now),
};
const runs = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < n + 1; i++) {
  for (const [k, fn] of Object.entries(variants)) {
    const x = timed(fn);
    if (i > 0) runs[k].push({ ...x, phases: x.r ? JSON.parse(x.r) : undefined });
  }
}
for (const [label, rs] of Object.entries(runs)) {
  const res = { ms: r0(median(rs.map((x) => x.ms))), min: r0(Math.min(...rs.map((x) => x.ms))), max: r0(Math.max(...rs.map((x) => x.ms))), cpu: r0(median(rs.map((x) => x.cpu))) };
  if (rs[0].phases) {
    res.phases = {};
    for (const k of Object.keys(rs[0].phases)) res.phases[k] = r0(median(rs.map((x) => x.phases[k])));
  }
  out[label] = res;
  console.log(label, JSON.stringify(res));
}
console.log(JSON.stringify(out));
