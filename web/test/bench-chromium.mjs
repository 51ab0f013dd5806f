// Verify time in headless Chromium: the frozen fixture
// (prover/tests/fixtures/v1/) verified through the zkstatus-verifier package
// (web/dist/venue/pkg/, as the venue page loads it), one Verifier, RUNS
// timed calls after WARMUP untimed ones. Prints median/min/max in ms.
//
//   node test/bench-chromium.mjs [RUNS]     (from web/; RUNS >= 50, default 200)
//   CHROMIUM=/path/to/chromium to use another browser.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DIST_DIR, FIXTURE_DIR, launchChromium, serve } from './helpers.mjs';

const RUNS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
if (!Number.isSafeInteger(RUNS) || RUNS < 50) {
  console.error('usage: node test/bench-chromium.mjs [RUNS >= 50]');
  process.exit(2);
}

// The venue page's CSP, so the numbers are for the same WebAssembly mode.
const csp = (await readFile(path.join(DIST_DIR, 'index.html'), 'utf8')).match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
const page = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>bench</title>`;
const server = await serve([['/pkg/', path.join(DIST_DIR, 'pkg')], ['/fixture/', FIXTURE_DIR]], { '/': page });
const browser = await launchChromium();
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.url}/`);
  const result = await tab.evaluate(async ({ runs, warmup }) => {
    const { default: init, Verifier } = await import('/pkg/index.js');
    await init();
    const get = (n) => fetch(`/fixture/${n}`);
    const vk = new Uint8Array(await (await get('zkstatus.vk')).arrayBuffer());
    const payload = new Uint8Array(await (await get('payload.bin')).arrayBuffer());
    const [trust, policy, now, challenge, text] = await Promise.all(
      ['trust-list.json', 'policy.json', 'now.txt', 'challenge.txt', 'payload.txt'].map(async (n) => (await get(n)).text()));
    const t0 = performance.now();
    const verifier = new Verifier(vk, trust, policy);
    const setupMs = performance.now() - t0;
    const ctx = { now: now.trim(), challenge: challenge.trim() };
    const time = (p) => {
      for (let i = 0; i < warmup; i++) {
        if (!verifier.verify(p, ctx).ok) throw new Error('the fixture was not accepted');
      }
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const v = verifier.verify(p, ctx);
        times.push(performance.now() - t);
        if (!v.ok) throw new Error('the fixture was not accepted');
      }
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
  console.log(`headless Chromium ${browser.version()}, WebAssembly verifier (web/dist/venue/pkg), frozen fixture v1`);
  console.log(`${RUNS} timed runs each, after ${WARMUP} warm-up runs (performance.now(), 0.1 ms resolution)`);
  console.log(`verify, binary payload:        ${stats(result.binary)}`);
  console.log(`verify, text payload (ZKS1:):  ${stats(result.text)}`);
  console.log(`new Verifier (prepare the key, once): ${ms(result.setupMs)} ms`);
} finally {
  await browser.close();
  await server.close();
}
