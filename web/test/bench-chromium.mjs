// Verify time in headless Chromium: the frozen statement-v2 fixture's
// one-scan pass (prover/tests/fixtures/v2/payload-onescan.*) verified
// through the zkstatus-verifier package (web/dist/venue/pkg/, as the venue
// page loads it): each timed call on a fresh Gate (a pass is accepted once
// per gate), made outside the timing; RUNS timed calls after WARMUP untimed
// ones. Prints median/min/max in ms.
//
//   node test/bench-chromium.mjs [RUNS]     (from web/; RUNS >= 50, default 200)
//   CHROMIUM=/path/to/chromium to use another browser.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DIST_DIR, FIXTURE_DIR, bundleForRoots, launchChromium, serve } from './helpers.mjs';

const RUNS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
if (!Number.isSafeInteger(RUNS) || RUNS < 50) {
  console.error('usage: node test/bench-chromium.mjs [RUNS >= 50]');
  process.exit(2);
}

// The venue page's CSP, so the numbers are for the same WebAssembly mode.
const csp = (await readFile(path.join(DIST_DIR, 'index.html'), 'utf8')).match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
const page = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>bench</title>`;
// The frozen roots as a registry bundle (the package takes roots only from
// one), cosigned at the fixture's time by a test log.
const bundleDir = await mkdtemp(path.join(os.tmpdir(), 'zkstatus-bench-bundle-'));
await bundleForRoots(path.join(FIXTURE_DIR, 'roots.json'), (await readFile(path.join(FIXTURE_DIR, 'now.txt'), 'utf8')).trim(), bundleDir);
const server = await serve([['/pkg/', path.join(DIST_DIR, 'pkg')], ['/fixture/', FIXTURE_DIR], ['/bundle/', bundleDir]], { '/': page });
const browser = await launchChromium();
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.url}/`);
  const result = await tab.evaluate(async ({ runs, warmup }) => {
    const { default: init, Gate } = await import('/pkg/index.js');
    await init();
    const get = (n) => fetch(`/fixture/${n}`);
    const vk = new Uint8Array(await (await get('zkstatus.vk')).arrayBuffer());
    const payload = new Uint8Array(await (await get('payload-onescan.bin')).arrayBuffer());
    const [policy, now, operator, text] = await Promise.all(
      ['policy.json', 'now.txt', 'operator.txt', 'payload-onescan.txt'].map(async (n) => (await get(n)).text()));
    const registry = {
      bundle: new Uint8Array(await (await fetch('/bundle/registry.bundle')).arrayBuffer()),
      trust: await (await fetch('/bundle/trust.json')).text(),
      now: now.trim(),
    };
    const gate = () => new Gate(vk, registry, policy, { origin: 'bench', operator: operator.trim(), modes: ['one-scan'] });
    const t0 = performance.now();
    gate().free();
    const setupMs = performance.now() - t0;
    const once = (p) => {
      const g = gate();
      const t = performance.now();
      const v = g.verify(p, now.trim());
      const ms = performance.now() - t;
      g.free();
      if (!v.ok) throw new Error(`the fixture was not accepted: ${v.code}`);
      return ms;
    };
    const time = (p) => {
      for (let i = 0; i < warmup; i++) once(p);
      const times = [];
      for (let i = 0; i < runs; i++) times.push(once(p));
      return times;
    };
    return { binary: time(payload), text: time(text.trim()), setupMs, userAgent: navigator.userAgent };
  }, { runs: RUNS, warmup: WARMUP });
  const ms = (x) => x.toFixed(2);
  const stats = (times) => {
    const t = [...times].sort((a, b) => a - b);
    const median = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    return `median ${ms(median)} ms, min ${ms(t[0])} ms, max ${ms(t[t.length - 1])} ms`;
  };
  console.log(`headless Chromium ${browser.version()}, WebAssembly verifier (web/dist/venue/pkg), frozen fixture v2 (one-scan pass)`);
  console.log(`${RUNS} timed runs each, after ${WARMUP} warm-up runs (performance.now(), 0.1 ms resolution)`);
  console.log(`verify, binary payload:        ${stats(result.binary)}`);
  console.log(`verify, text payload (ZKS2:):  ${stats(result.text)}`);
  console.log(`new Gate (prepare the key): ${ms(result.setupMs)} ms`);
} finally {
  await browser.close();
  await server.close();
  await rm(bundleDir, { recursive: true, force: true });
}
