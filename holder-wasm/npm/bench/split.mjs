// Split proving in WebAssembly, one thread (Node): what each piece costs,
// to choose the helper's share (the MSMs the second worker takes).
//
//   node bench/split.mjs [N]
//
// For every single-MSM share it times the helper's part (that MSM alone);
// with the share of all four it times the main worker's fixed work (witness
// map and H); it also times begin (statement check and synthesis), finish
// (assembly and self-check), and the key loads of each worker for the
// default share. Then it predicts, for every share, the wall time on two
// cores: begin + max(main, helper) + finish. Medians of N (default 7).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { demoDir, pkg } from '../test/helpers.mjs';

const n = Number(process.argv[2] ?? 7);
const dir = process.env.ZKSTATUS_DEMO_DIR ?? demoDir();
const f = (name) => readFileSync(path.join(dir, name));
const pkBytes = new Uint8Array(f('zkstatus.pk'));
const pin = pkg.provingKeyFingerprint(pkBytes);
const policy = f('policy.json').toString();
const holder = new pkg.Holder(f('credential.json').toString(), f('holder.secret').toString());
// Statement v2: a one-scan pass for the current window (no gate needed), the
// demo's roots and whole registry files.
const windowStart = BigInt(Math.floor(Date.now() / 1000 / 60) * 60);
const presentation = { windowStart, operator: 'bench.example' };
const registryFiles = () => readdirSync(dir).filter((n) => /^registry-\d+\.bin$/.test(n)).map((n) => new Uint8Array(f(n)));
const regs = new pkg.Registries(f('roots.json').toString(), registryFiles());
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const time = (fn) => {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
};
const NAMES = ['a', 'b_g1', 'b_g2', 'l'];
const shareName = (bits) => NAMES.filter((_, i) => bits & (1 << i)).join('+');

const loads = { full: [], main: [], helper: [] };
for (let i = 0; i < 3; i++) {
  loads.full.push(time(() => pkg.ProvingKey.load(pkBytes, pin).free())[1]);
  loads.main.push(time(() => pkg.MainProvingKey.load(pkBytes, pin).free())[1]);
  loads.helper.push(time(() => pkg.HelperProvingKey.load(pkBytes, pin).free())[1]);
}

const all = 15;
const keys = new Map();
for (const bits of [1, 2, 4, 8, all]) {
  keys.set(bits, { main: pkg.MainProvingKey.load(pkBytes, pin, bits), helper: pkg.HelperProvingKey.load(pkBytes, pin, bits) });
}
const t = { begin: [], finish: [], fixed: [], whole: [], 1: [], 2: [], 4: [], 8: [] };
for (let i = 0; i < n + 1; i++) {
  const keep = i > 0; // one warm-up round
  for (const bits of [1, 2, 4, 8]) {
    const { main, helper } = keys.get(bits);
    const job = holder.beginProof(main, policy, regs, presentation);
    const task = job.takeTask();
    const [part, ms] = time(() => helper.computePart(task));
    if (keep) t[bits].push(ms);
    job.finish(part);
    job.free();
  }
  const { main, helper } = keys.get(all);
  const [job, b] = time(() => holder.beginProof(main, policy, regs, presentation));
  const task = job.takeTask();
  const part = helper.computePart(task);
  const [, fixed] = time(() => job.runMain());
  const [, fin] = time(() => job.finish(part));
  job.free();
  const pk = pkg.ProvingKey.load(pkBytes, pin);
  const [, whole] = time(() => holder.prove(pk, policy, regs, presentation));
  pk.free();
  if (keep) {
    t.begin.push(b);
    t.fixed.push(fixed);
    t.finish.push(fin);
    t.whole.push(whole);
  }
}
const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(median(v))]));
const predictions = [];
for (let bits = 1; bits <= 15; bits++) {
  const helper = [1, 2, 4, 8].filter((b) => bits & b).reduce((s, b) => s + m[b], 0);
  const main = m.fixed + [1, 2, 4, 8].filter((b) => !(bits & b)).reduce((s, b) => s + m[b], 0);
  predictions.push({ share: shareName(bits), bits, main, helper, predictedWallMs: m.begin + Math.max(main, helper) + m.finish });
}
predictions.sort((x, y) => x.predictedWallMs - y.predictedWallMs);
console.log(JSON.stringify({
  n,
  node: process.version,
  keyLoadMs: Object.fromEntries(Object.entries(loads).map(([k, v]) => [k, Math.round(median(v))])),
  medianMs: {
    begin: m.begin,
    'main fixed (finalize, witness map, H)': m.fixed,
    a: m[1],
    b_g1: m[2],
    b_g2: m[4],
    l: m[8],
    finish: m.finish,
    'holder.prove (one thread)': m.whole,
  },
  best: predictions.slice(0, 6),
}, null, 2));
