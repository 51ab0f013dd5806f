// The venue page takes its registry roots only from a registry bundle
// (issue [3/7]), in headless Chromium against a local static HTTP server
// (127.0.0.1) that serves the page, the transparency log folder written by
// `zkstatus demo` (D/log) and the bundle and trust configuration
// (D/registry.bundle, D/trust.json) as the page's config:
//   - a bundle that verifies: the page is ready, shows the cosignature time,
//     and accepts a proof made by the CLI for its challenge;
//   - a tampered bundle (an edited entry) and a bundle whose cosignature is
//     from a foreign key under the witness's name: the page refuses to start
//     and shows the reason;
//   - an aged-out bundle (the page's clock past cosigned_at + max_age, by
//     Playwright's clock): at load, the "Registry data too old — connect to
//     refresh" state; on a page already open, every proof is refused with
//     that reason;
//   - the page fetches the bundle again when the device comes online and
//     says that new registry data arrived;
//   - the holder page checks the same bundle, and says "Registry data too
//     old — connect to refresh" once it has aged out.
//
//   (cd web && node --test test/bundle.test.mjs)   CHROMIUM=…, ZKSTATUS_CLI=…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, readFile, rm } from 'node:fs/promises';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST_DIR, HOLDER_DIST_DIR, ROOT, launchChromium, serve, makeDemo, prove, registryInput, sha256File } from './helpers.mjs';

let tmp;
let demo;
let other; // a second demo: another log, cosigned later
let server;
let browser;
let state; // the demo bundle's times, from the package in Node

async function configDir(name, files = {}) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  const base = { 'zkstatus.vk': demo.vk, 'registry.bundle': demo.bundle, 'trust.json': demo.trust, 'policy.json': demo.policy };
  for (const [to, from] of Object.entries({ ...base, ...files })) {
    if (typeof from === 'string' && from.startsWith('/')) await copyFile(from, path.join(dir, to));
    else await writeFile(path.join(dir, to), from);
  }
  return dir;
}

async function openPage(p, urlPath) {
  await p.goto(`${server.url}${urlPath}`);
  await p.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 20000 });
  return p.evaluate(() => document.body.dataset.state);
}

async function submit(p, text) {
  const seq = Number(await p.getAttribute('#verdict', 'data-seq'));
  await p.fill('#payload-input', text);
  await p.press('#payload-input', 'Enter');
  await p.waitForFunction((s) => Number(document.getElementById('verdict').dataset.seq) > s, seq, { timeout: 20000 });
  return p.evaluate(() => {
    const v = document.getElementById('verdict');
    return { verdict: v.dataset.verdict, code: v.dataset.code, reason: v.querySelector('.verdict-reason').textContent };
  });
}

/** A cosignature/v1 verifier key under `name` for a fresh Ed25519 key (c2sp.org/tlog-cosignature). */
function foreignWitnessKey(name) {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const typed = Buffer.concat([Buffer.from([0x04]), raw]);
  const id = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), typed])).digest().subarray(0, 4);
  return `${name}+${id.toString('hex')}+${typed.toString('base64')}`;
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-bundle-'));
  demo = await makeDemo(path.join(tmp, 'demo'));
  const { Gate } = await import(path.join(ROOT, 'verifier-wasm', 'pkg', 'node.js'));
  const g = new Gate(await readFile(demo.vk), await registryInput(demo), await readFile(demo.policy, 'utf8'), { origin: 'node' });
  state = g.registry();
  g.free();

  // An edited entry: one byte of the bundle's first entry (magic 4, version
  // 1, first index 8, count 1, the entry's length 2, then the entry).
  const edited = await readFile(demo.bundle);
  edited[4 + 1 + 8 + 1 + 2 + 20] ^= 0x01;
  // A trust configuration naming the demo's witness with another key: the
  // bundle's cosignature is then from a foreign key.
  const trust = JSON.parse(await readFile(demo.trust, 'utf8'));
  const name = trust.witnesses[0].split('+')[0];
  const foreignTrust = JSON.stringify({ ...trust, witnesses: [foreignWitnessKey(name)] }, null, 2);

  const dirs = {
    good: await configDir('good'),
    edited: await configDir('edited', { 'registry.bundle': edited }),
    foreign: await configDir('foreign', { 'trust.json': foreignTrust }),
    refresh: await configDir('refresh'),
  };
  const routes = [['/log/', demo.log]];
  for (const [n, dir] of Object.entries(dirs)) routes.push([`/${n}/config/`, dir], [`/${n}/`, DIST_DIR]);
  // The holder page, with the same bundle.
  const holder = await configDir('holder', {
    'holder.json': JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: await sha256File(demo.pk) }),
    'zkstatus.pk': demo.pk,
    ...Object.fromEntries(Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])),
  });
  routes.push(['/holder/config/', holder], ['/holder/', HOLDER_DIST_DIR]);
  server = await serve(routes);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the log folder written by zkstatus demo is served as static files, with the checkpoint the bundle carries', async () => {
  const res = await fetch(`${server.url}/log/checkpoint`);
  assert.equal(res.status, 200);
  const checkpoint = await res.text();
  const bundle = await readFile(demo.bundle);
  // The bundle carries the checkpoint the log serves (its signed text).
  const body = checkpoint.split('\n\n')[0];
  assert.ok(body.split('\n').length >= 3, checkpoint);
  assert.ok(bundle.toString('latin1').includes(body), 'the bundle carries the served checkpoint');
  assert.ok(bundle.length <= 2048, `bundle of ${bundle.length} bytes`);
  assert.equal(Number(state.logSize), Number(checkpoint.split('\n')[1]));
});

test('a bundle that verifies: the page starts, shows its cosignature time, and accepts a proof', async () => {
  const p = await browser.newPage();
  try {
    assert.equal(await openPage(p, '/good/'), 'ready');
    assert.equal(await p.evaluate(() => document.body.dataset.registry), 'fresh');
    assert.equal(await p.isVisible('#registry-stale'), false);
    const shown = new Date(Number(state.cosignedAt) * 1000).toISOString().slice(0, 16).replace('T', ' ');
    assert.match(await p.textContent('#registry-cosigned'), new RegExp(shown));
    const offer = await p.getAttribute('#challenge-text', 'data-challenge');
    const v = await submit(p, await prove(demo, offer));
    assert.equal(v.verdict, 'accept', JSON.stringify(v));
  } finally {
    await p.close();
  }
});

test('a tampered bundle (an edited entry, a cosignature by a foreign key) is refused: the page does not start and says why', async () => {
  for (const [where, reason] of [
    ['/edited/', /inclusion proof does not lead to the checkpoint's root hash|bundle entry/],
    ['/foreign/', /foreign cosignature/],
  ]) {
    const p = await browser.newPage();
    try {
      assert.equal(await openPage(p, where), 'registry-error', where);
      assert.equal(await p.isVisible('#registry-problem'), true);
      assert.equal(await p.isVisible('#main'), false, `${where}: nothing to scan into`);
      assert.match(await p.textContent('#registry-problem-heading'), /registry data is refused/);
      assert.match(await p.textContent('#registry-problem-message'), reason, where);
    } finally {
      await p.close();
    }
  }
});

test('an aged-out bundle: at load the page shows "Registry data too old — connect to refresh" and starts nothing', async () => {
  const p = await browser.newPage();
  try {
    await p.clock.setFixedTime((Number(state.validUntil) + 60) * 1000);
    assert.equal(await openPage(p, '/good/'), 'registry-stale');
    assert.equal(await p.isVisible('#registry-problem'), true);
    assert.equal(await p.textContent('#registry-problem-heading'), 'Registry data too old — connect to refresh');
    assert.match(await p.textContent('#registry-problem-message'), /registry data too old — connect to refresh/);
    assert.equal(await p.isVisible('#main'), false);
  } finally {
    await p.close();
  }
});

test('a page left open past the bundle\'s age-out refuses every proof with "Registry data too old", and says so on screen', async () => {
  const p = await browser.newPage();
  try {
    assert.equal(await openPage(p, '/good/'), 'ready');
    const offer = await p.getAttribute('#challenge-text', 'data-challenge');
    const payload = await prove(demo, offer);
    // The page's clock jumps past cosigned_at + max_age (no network change).
    await p.clock.setFixedTime((Number(state.validUntil) + 1) * 1000);
    const v = await submit(p, payload);
    assert.equal(v.verdict, 'reject', JSON.stringify(v));
    assert.equal(v.code, 'registry-data-too-old');
    assert.match(v.reason, /^Registry data too old — connect to refresh/);
    await p.waitForFunction(() => document.body.dataset.registry === 'stale', null, { timeout: 5000 });
    assert.equal(await p.isVisible('#registry-stale'), true);
  } finally {
    await p.close();
  }
});

test('online again: the page fetches the bundle, uses the new one, and says new registry data arrived', async () => {
  other = await makeDemo(path.join(tmp, 'other'));
  const p = await browser.newPage();
  try {
    assert.equal(await openPage(p, '/refresh/'), 'ready');
    const before = await p.textContent('#registry-cosigned');
    // The authority's new bundle (here another demo's log, cosigned later).
    await copyFile(other.bundle, path.join(tmp, 'refresh', 'registry.bundle'));
    await copyFile(other.trust, path.join(tmp, 'refresh', 'trust.json'));
    await p.evaluate(() => window.dispatchEvent(new Event('online')));
    await p.waitForFunction(() => document.body.dataset.registryUpdates === '1', null, { timeout: 10000 });
    assert.match(await p.textContent('#offline-notice-text'), /New issuer registry data arrived/);
    assert.ok(before.length > 0);
    // In use at once: a proof against the old bundle's root (the same epoch,
    // another root) is now refused.
    const offer = await p.getAttribute('#challenge-text', 'data-challenge');
    const v = await submit(p, await prove(demo, offer));
    assert.equal(v.verdict, 'reject', JSON.stringify(v));
    assert.match(v.code, /^(proof-invalid|unknown-root|root-not-active)$/);
    assert.notEqual(await p.textContent('#registry-cosigned'), '', 'the new cosignature time is shown');
  } finally {
    await p.close();
  }
});

test('the holder page checks the same bundle: its roots when it verifies, "Registry data too old — connect to refresh" once aged out', async () => {
  const waitRegistry = (p) => p.waitForFunction(() => {
    const r = document.getElementById('registry');
    return r && (r.dataset.ready === 'true' || r.dataset.code !== '');
  }, null, { timeout: 30000 });
  const fresh = await browser.newPage();
  try {
    await fresh.goto(`${server.url}/holder/`);
    await waitRegistry(fresh);
    assert.equal(await fresh.getAttribute('#registry', 'data-ready'), 'true');
    assert.match(await fresh.textContent('#registry-lines'), /Registry data checked against its log and witnesses/);
  } finally {
    await fresh.close();
  }
  const late = await browser.newPage();
  try {
    await late.clock.setFixedTime((Number(state.validUntil) + 60) * 1000);
    await late.goto(`${server.url}/holder/`);
    await waitRegistry(late);
    assert.equal(await late.getAttribute('#registry', 'data-code'), 'registry-too-old');
    assert.equal(await late.getAttribute('#registry', 'data-ready'), 'false');
    assert.match(await late.getAttribute('#registry', 'data-notices'), /\btoo-old\b/);
    assert.match(await late.textContent('#registry-lines'), /^Registry data too old — connect to refresh: /);
  } finally {
    await late.close();
  }
});
