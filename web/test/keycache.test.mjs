// The holder page's second visit (web/dist/holder/, headless Chromium):
// the first visit fetches the pinned proving key, checks it and keeps each
// worker's part in its fast form (Cache Storage); the second visit loads
// those instead (body[data-key-source] "fast fast"), fetches no key, and
// still proves: `zkstatus verify` accepts the proof for a `zkstatus
// challenge`. A fast form corrupted in storage is refused and the page falls
// back to the checked load, then proves as well. No wall time is asserted
// (bench-prove-chromium.mjs --ready measures them).
//
//   (cd web && node --test test/keycache.test.mjs)   CHROMIUM, ZKSTATUS_CLI as for the other tests

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOLDER_DIST_DIR, launchChromium, serve, makeDemo, sha256File, zkstatus } from './helpers.mjs';

let tmp;
let demo;
let server;
let browser;
let context;
let page;
const keyRequests = [];
const pageErrors = [];

before(async () => {
  try {
    await stat(path.join(HOLDER_DIST_DIR, 'index.html'));
  } catch {
    throw new Error(`${HOLDER_DIST_DIR} is not built: bash scripts/build-web.sh`);
  }
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-keycache-'));
  demo = await makeDemo(path.join(tmp, 'demo'));
  const pin = await sha256File(demo.pk);
  const cfg = path.join(tmp, 'config');
  await mkdir(cfg);
  await writeFile(path.join(cfg, 'holder.json'), JSON.stringify({ format: 'zkstatus/holder-page', version: 1, name: 'Cache Test', pinnedPkSha256: pin }));
  const files = { 'zkstatus.pk': demo.pk, 'policy.json': demo.policy, 'registry.bundle': demo.bundle, 'trust.json': demo.trust };
  for (const [e, f] of Object.entries(demo.registries)) files[`registry-${e}.bin`] = f;
  for (const [to, from] of Object.entries(files)) await copyFile(from, path.join(cfg, to));
  server = await serve([['/holder/', HOLDER_DIST_DIR], ['/holder/config/', cfg]]);
  browser = await launchChromium();
  // One context: its Cache Storage persists across the visits.
  context = await browser.newContext();
  context.on('request', (r) => {
    if (r.url().endsWith('.pk')) keyRequests.push(r.url());
  });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function visit() {
  await page.goto(`${server.url}/holder/`);
  await page.waitForFunction(() => ['ready', 'key-error', 'config-error'].includes(document.body.dataset.state), null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  return page.evaluate(() => document.body.dataset.keySource);
}

/** The fast forms in Cache Storage, once both workers stored theirs. */
async function fastEntries(n = 2) {
  await page.waitForFunction(async (want) => {
    const c = await caches.open('zkstatus-proving-key-fast');
    return (await c.keys()).length === want;
  }, n, { timeout: 30000, polling: 100 });
  return page.evaluate(async () => (await (await caches.open('zkstatus-proving-key-fast')).keys()).map((r) => new URL(r.url).pathname));
}

/** Prove for a fresh `zkstatus challenge` on the page; `zkstatus verify`'s exit status. */
async function proveAndVerify() {
  if ((await page.getAttribute('#credential-summary', 'data-loaded')) !== 'true') {
    await page.setInputFiles('#credential-file', demo.credential);
    await page.waitForFunction(() => document.getElementById('credential-summary').dataset.loaded === 'true');
    await page.setInputFiles('#secret-file', demo.secret);
    await page.waitForFunction(() => document.getElementById('secret-summary').dataset.loaded === 'true');
  }
  await page.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 20000 });
  const { challenge } = JSON.parse(await zkstatus(['challenge', '--json']));
  await page.fill('#challenge-input', challenge);
  const before = await page.getAttribute('#payload-text', 'data-payload');
  await page.click('#prove-button');
  await page.waitForFunction((b) => {
    const t = document.getElementById('payload-text').dataset.payload;
    return t !== '' && t !== b;
  }, before, { timeout: 60000 });
  const payload = await page.getAttribute('#payload-text', 'data-payload');
  const file = path.join(tmp, `payload-${Date.now()}.txt`);
  await writeFile(file, `${payload}\n`);
  await zkstatus(['verify', '--vk', demo.vk, '--bundle', demo.bundle, '--trust', demo.trust, '--policy', demo.policy, '--challenge', challenge, file]);
  return payload;
}

test('first visit: the key is fetched, checked, and each worker keeps its fast form', async () => {
  const sources = await visit();
  assert.match(sources, /^network( cache)?$/, `first visit: ${sources}`);
  assert.equal(keyRequests.length, 1, 'the key fetched once');
  const entries = await fastEntries(sources.split(' ').length);
  for (const e of entries) assert.match(e, /^\/holder\/config\/zkstatus-fast-key\/[0-9a-f]{64}\/(main|helper)-\d+$/);
});

test('second visit: the prover loads the fast forms (no key fetched) and still proves; `zkstatus verify` accepts', async () => {
  const sources = await visit();
  assert.ok(sources.split(' ').every((s) => s === 'fast'), `second visit: ${sources}`);
  assert.equal(keyRequests.length, 1, 'no second fetch of the key');
  const payload = await proveAndVerify();
  assert.match(payload, /^ZKS2:/);
});

test('a fast form corrupted in storage is refused; the page falls back to the checked key and proves', async () => {
  // Flip one byte in the middle of the main worker's fast form.
  await page.evaluate(async () => {
    const c = await caches.open('zkstatus-proving-key-fast');
    const req = (await c.keys()).find((r) => /\/main-\d+$/.test(r.url));
    const bytes = new Uint8Array(await (await c.match(req)).arrayBuffer());
    bytes[bytes.length >> 1] ^= 1;
    await c.put(req, new Response(bytes));
  });
  const sources = await visit();
  assert.match(sources, /^(cache|network) /, `after corruption: ${sources}`);
  await proveAndVerify();
  // Rewritten: the next visit is fast again.
  await fastEntries();
  const again = await visit();
  assert.ok(again.split(' ').every((s) => s === 'fast'), `after the rewrite: ${again}`);
  assert.deepEqual(pageErrors, []);
});
