// Verify time in headless Chromium, zkstatus next to snarkjs, in one tab,
// calls interleaved (zkstatus, snarkjs, zkstatus, …) so both see the same
// machine load. Both verify the frozen statement-v2 fixture
// (prover/tests/fixtures/v2/) with the same verifying key and ten public
// inputs:
//
//   zkstatus: the verifier package's `Gate.verify` on the fixture's one-scan
//     pass (payload-onescan.bin); each timed call on a fresh Gate (a pass is
//     accepted once per gate), made outside the timing, so the verifying key
//     is decoded and prepared once per Gate, as on the venue page;
//   snarkjs 0.7.6: `groth16.verify` on the fixture's snarkjs export
//     (fixtures/v2/snarkjs/: zkstatus's verifying key, the interactive
//     proof). Its curve (ffjavascript's bn128, with its workers) is built by
//     the first, untimed call and cached in `globalThis.curve_bn128`; every
//     timed call is checked to have reused that same curve object, so the
//     snarkjs figure never includes building the curve.
//
// Used by bench-prove-chromium.mjs (after the prover's ready time, and alone
// with `--verify [RUNS]`). Serves nothing itself: `url` must serve a page at
// / that loads snarkjs's browser build, the verifier package at /verifier/,
// the fixture at /fixture/, and the fixture's roots as a registry bundle at
// /bundle/ (helpers.mjs `bundleForRoots`).

import os from 'node:os';

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const stats = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  const r = (x) => Number(x.toFixed(2));
  return { median: r(median), min: r(v[0]), max: r(v[v.length - 1]), n: v.length };
};

export async function verifyBench({ browser, url, runs, warmup = 10, verifier = '/verifier' }) {
  const loadBefore = load();
  const page = await browser.newPage();
  try {
    await page.goto(`${url}/`);
    await page.waitForFunction(() => typeof globalThis.snarkjs === 'object');
    const r = await page.evaluate(async ({ runs, warmup, verifier }) => {
      const { default: init, Gate } = await import(`${verifier}/index.js`);
      await init();
      const bytes = async (n) => new Uint8Array(await (await fetch(n)).arrayBuffer());
      const text = async (n) => (await fetch(n)).text();
      const [vk, payload, bundle] = await Promise.all(
        ['/fixture/zkstatus.vk', '/fixture/payload-onescan.bin', '/bundle/registry.bundle'].map(bytes));
      const [policy, nowText, operatorText, trust, snarkVk, snarkPublic, snarkProof] = await Promise.all(
        ['/fixture/policy.json', '/fixture/now.txt', '/fixture/operator.txt', '/bundle/trust.json',
          '/fixture/snarkjs/verification_key.json', '/fixture/snarkjs/public.json', '/fixture/snarkjs/proof.json'].map(text));
      const now = nowText.trim();
      const registry = { bundle, trust, now };
      const options = { origin: 'bench', operator: operatorText.trim(), modes: ['one-scan'] };
      const zkstatus = () => {
        const gate = new Gate(vk, registry, policy, options);
        const t = performance.now();
        const v = gate.verify(payload, now);
        const ms = performance.now() - t;
        gate.free();
        if (!v.ok) throw new Error(`zkstatus did not accept the fixture: ${v.code}`);
        return ms;
      };
      const [sVk, sPublic, sProof] = [snarkVk, snarkPublic, snarkProof].map((s) => JSON.parse(s));
      // The untimed first call builds snarkjs's curve; it must be reused.
      if ((await globalThis.snarkjs.groth16.verify(sVk, sPublic, sProof)) !== true) throw new Error('snarkjs did not accept the fixture');
      const curve = globalThis.curve_bn128;
      if (!curve) throw new Error('snarkjs did not cache its curve in globalThis.curve_bn128');
      const snarkjs = async () => {
        const t = performance.now();
        const ok = await globalThis.snarkjs.groth16.verify(sVk, sPublic, sProof);
        const ms = performance.now() - t;
        if (ok !== true) throw new Error('snarkjs did not accept the fixture');
        if (globalThis.curve_bn128 !== curve) throw new Error('snarkjs built its curve again');
        return ms;
      };
      const times = { zkstatus: [], snarkjs: [] };
      for (let i = 0; i < warmup + runs; i++) {
        const z = zkstatus();
        const s = await snarkjs();
        if (i >= warmup) {
          times.zkstatus.push(z);
          times.snarkjs.push(s);
        }
      }
      return times;
    }, { runs, warmup, verifier });
    const zkstatus = stats(r.zkstatus);
    const snarkjs = stats(r.snarkjs);
    return { runs, warmup, loadBefore, loadAfter: load(), zkstatus, snarkjs, ratio: Number((zkstatus.median / snarkjs.median).toFixed(3)) };
  } finally {
    await page.close();
  }
}

export function printVerify({ runs, warmup, loadBefore, loadAfter, zkstatus, snarkjs, ratio }) {
  console.log(`verify, frozen fixture v2 (same key, ten public inputs), ${runs} calls each after ${warmup} warm-up, interleaved; load average ${loadBefore} before, ${loadAfter} after`);
  console.log('| verifier | median | min | max |\n|---|---:|---:|---:|');
  console.log(`| zkstatus \`Gate.verify\` (one-scan pass; key prepared once per Gate) | ${zkstatus.median} ms | ${zkstatus.min} ms | ${zkstatus.max} ms |`);
  console.log(`| snarkjs 0.7.6 \`groth16.verify\` (curve built once, before the timing) | ${snarkjs.median} ms | ${snarkjs.min} ms | ${snarkjs.max} ms |`);
  console.log(`zkstatus / snarkjs (medians): ${ratio.toFixed(2)}`);
}
