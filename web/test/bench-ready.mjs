// The holder prover's ready time in headless Chromium: `startProver` from
// the call until it resolves (workers started, the module instantiated in
// each, the key parts loaded), for 2 workers and for 1, on three kinds of
// visit, each a fresh load of a blank page in one browser profile (so Cache
// Storage persists from one visit to the next), interleaved round by round:
//
//   first visit       both caches emptied: the key fetched, its SHA-256
//                     checked, parsed, cached, and the fast forms written;
//   repeat, key file  the fast forms deleted, the key file in Cache Storage:
//                     what every visit did before the fast forms (SHA-256
//                     of the file, then decompressing every point);
//   repeat, fast      the fast forms an earlier visit kept (their SHA-256,
//                     pin, part and share checked, uncompressed points).
//
// The server of these three sends `cache-control: no-store`, so every visit
// also fetches the package's scripts and `.wasm` again and compiles the
// module from scratch: a worst case. With `cachedUrl` (another origin, so
// its own Cache Storage, whose server lets the browser keep /holder/ for an
// hour: helpers.mjs `serve`'s `cacheable`), each round adds a fourth kind:
//
//   repeat, fast, app cached
//                     as `repeat, fast`, with the package's files from the
//                     browser's HTTP cache and the module from Chromium's
//                     WebAssembly code cache: what a repeat visit to the
//                     holder page is, whose service worker serves the page's
//                     files, the WASM included, from its cache first
//                     (web/common/sw.js). Two visits with 2 workers and two
//                     with 1 warm that origin first (the key fetched, the fast forms written, the
//                     files and the compiled code cached).
//
// Used by bench-prove-chromium.mjs (after its table, and alone with
// `--ready [ROUNDS]`), whose targets table reads two of the summary's names:
// '2 workers, repeat, fast' (a repeat visit, the key in cache) and
// '2 workers, first visit' (the key served by the local server). Serves nothing itself: `url` must serve the holder
// package at /holder/ and the demo's zkstatus.pk at /demo/, and a page at /.

import os from 'node:os';

const KINDS = ['first visit', 'repeat, key file', 'repeat, fast'];

export async function readyBench({ browser, url, cachedUrl, pin, rounds, holder = '/holder' }) {
  const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const context = await browser.newContext();
  const page = await context.newPage();
  const times = {};
  const sources = {};
  const visit = async (base, workers) => {
    await page.goto(`${base}/`);
    return page.evaluate(async ({ pin, workers, holder }) => {
      const { startProver } = await import(`${holder}/prover.js`);
      const t = performance.now();
      const prover = await startProver({ keyUrl: '/demo/zkstatus.pk', pin, workers });
      const ms = performance.now() - t;
      const keySources = [...prover.keySources];
      // Let the fast forms be stored before the page goes away.
      const want = 2;
      for (let i = 0; i < 200; i++) {
        const c = await caches.open('zkstatus-proving-key-fast');
        if ((await c.keys()).length >= want) break;
        await new Promise((ok) => setTimeout(ok, 25));
      }
      prover.close();
      return { ms, keySources };
    }, { pin, workers, holder });
  };
  const record = (workers, kind, r) => {
    const name = `${workers} worker${workers > 1 ? 's' : ''}, ${kind}`;
    (times[name] ??= []).push(r.ms);
    (sources[name] ??= new Set()).add(r.keySources.join('+'));
  };
  try {
    if (cachedUrl) for (const workers of [2, 1, 2, 1]) await visit(cachedUrl, workers);
    for (let round = 0; round < rounds; round++) {
      for (const workers of [2, 1]) {
        for (const kind of KINDS) {
          if (kind !== 'repeat, fast') {
            await page.goto(`${url}/`);
            await page.evaluate(async (k) => {
              await caches.delete('zkstatus-proving-key-fast');
              if (k === 'first visit') await caches.delete('zkstatus-proving-key');
            }, kind);
          }
          record(workers, kind, await visit(url, workers));
        }
        if (cachedUrl) record(workers, 'repeat, fast, app cached', await visit(cachedUrl, workers));
      }
    }
  } finally {
    await context.close();
  }
  const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const summary = Object.fromEntries(Object.entries(times).map(([name, xs]) => {
    const v = [...xs].sort((a, b) => a - b);
    const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return [name, { median: Math.round(median), min: Math.round(v[0]), max: Math.round(v[v.length - 1]), n: v.length, keySources: [...sources[name]] }];
  }));
  return { rounds, loadBefore, loadAfter, summary };
}

export function printReady({ rounds, loadBefore, loadAfter, summary }) {
  console.log(`prover ready (startProver), ${rounds} rounds interleaved; load average ${loadBefore} before, ${loadAfter} after`);
  console.log('| workers, visit | median | min | max | key parts from |\n|---|---:|---:|---:|---|');
  for (const [name, s] of Object.entries(summary)) {
    console.log(`| ${name} | ${s.median} ms | ${s.min} ms | ${s.max} ms | ${s.keySources.join(', ')} |`);
  }
  console.log(JSON.stringify({ ready: summary, loadBefore, loadAfter }));
}
