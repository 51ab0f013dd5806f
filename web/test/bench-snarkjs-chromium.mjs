// The peer in the same runtime: snarkjs 0.7.6's groth16.verify in headless
// Chromium on the frozen statement-v2 fixture's snarkjs export
// (prover/tests/fixtures/v2/snarkjs/: zkstatus's verifying key and the
// fixture's interactive proof, payload.bin, with its ten public inputs; the
// same key and statement as bench-chromium.mjs verifies with the zkstatus
// package, which times the fixture's one-scan pass). RUNS timed calls after
// WARMUP untimed ones; prints median/min/max in ms.
//
//   (cd interop && npm ci)                        # snarkjs's browser build
//   node test/bench-snarkjs-chromium.mjs [RUNS]   (from web/; RUNS >= 50, default 50)

import path from 'node:path';
import { stat } from 'node:fs/promises';
import { FIXTURE_DIR, ROOT, launchChromium, serve } from './helpers.mjs';

const RUNS = Number(process.argv[2] ?? 50);
const WARMUP = 5;
if (!Number.isSafeInteger(RUNS) || RUNS < 50) {
  console.error('usage: node test/bench-snarkjs-chromium.mjs [RUNS >= 50]');
  process.exit(2);
}
const SNARKJS_BUILD = process.env.ZKSTATUS_SNARKJS_BUILD ?? path.join(ROOT, 'interop', 'node_modules', 'snarkjs', 'build');
try {
  await stat(path.join(SNARKJS_BUILD, 'snarkjs.min.js'));
} catch {
  console.error(`no ${SNARKJS_BUILD}/snarkjs.min.js: run (cd interop && npm ci) first`);
  process.exit(2);
}

// No CSP here: snarkjs's browser build starts its field arithmetic from blob
// URLs, which the venue page's policy would refuse.
const page = '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/snarkjs/snarkjs.min.js"></script>';
const server = await serve([['/snarkjs/', SNARKJS_BUILD], ['/fixture/', path.join(FIXTURE_DIR, 'snarkjs')]], { '/': page });
const browser = await launchChromium();
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.url}/`);
  await tab.waitForFunction(() => typeof globalThis.snarkjs === 'object');
  const result = await tab.evaluate(async ({ runs, warmup }) => {
    const get = async (n) => (await fetch(`/fixture/${n}`)).json();
    const [vk, pub, proof] = await Promise.all(['verification_key.json', 'public.json', 'proof.json'].map(get));
    const once = async () => {
      const t = performance.now();
      const ok = await globalThis.snarkjs.groth16.verify(vk, pub, proof);
      const ms = performance.now() - t;
      if (ok !== true) throw new Error('snarkjs did not accept the fixture');
      return ms;
    };
    for (let i = 0; i < warmup; i++) await once();
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    return { times, userAgent: navigator.userAgent };
  }, { runs: RUNS, warmup: WARMUP });
  const t = [...result.times].sort((a, b) => a - b);
  const median = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  console.log(`headless Chromium ${browser.version()}, snarkjs 0.7.6 groth16.verify, frozen fixture v2 (snarkjs export, interactive proof)`);
  console.log(`${RUNS} timed runs after ${WARMUP} warm-up runs`);
  console.log(`verify: median ${median.toFixed(2)} ms, min ${t[0].toFixed(2)} ms, max ${t[t.length - 1].toFixed(2)} ms`);
} finally {
  await browser.close();
  await server.close();
}
