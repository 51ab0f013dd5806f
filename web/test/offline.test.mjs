// The pages offline and installed as apps (web/common/sw.js, offline.js,
// offline-data.js; each page's manifest.webmanifest), in headless Chromium:
// a first visit online; then the network cut and the server stopped, both
// pages reload from their service workers' caches, a proof is made on the
// holder page and accepted by the venue page; back online, a new pinned
// proving key and new registry roots reach the holder page, which uses them
// and says so; a new build replaces the old cache, and the page says so; a
// page left open is told of new data and offered a reload, and registry files
// no longer listed are dropped.
// Screenshots: test/artifacts/offline-*.png.
//
//   (cd web && npm test)      CHROMIUM=/path/to/chromium, ZKSTATUS_CLI=/path/to/zkstatus

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, readFile, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS_DIR, DIST_DIR, HOLDER_DIST_DIR, launchChromium, serve, makeDemo, setupKeys, sha256File, bundleForRoots,
} from './helpers.mjs';

const shot = (name) => path.join(ARTIFACTS_DIR, `offline-${name}.png`);
const now = () => Math.floor(Date.now() / 1000);

let tmp;
let demo;
let site; // copies of web/dist/{venue,holder}, so that a test can make a "new build"
let holderCfg;
let routes;
let server;
let browser;
let hctx; // the holder's phone
let vctx; // the venue's device
let hp;
let vp;
const pageErrors = [];

async function openPage(p, urlPath) {
  await p.goto(`${server.url}${urlPath}`);
  return ready(p);
}

async function ready(p) {
  await p.waitForFunction(() => ['ready', 'key-error', 'config-error'].includes(document.body.dataset.state), null, { timeout: 60000 });
  return p.evaluate(() => document.body.dataset.state);
}

/** Wait until the page is controlled by its (installed, activated) service worker. */
async function controlled(p) {
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
}

async function cacheNames(p) {
  return p.evaluate(() => caches.keys());
}

async function prove() {
  const challenge = await vp.getAttribute('#challenge-text', 'data-challenge');
  await hp.fill('#challenge-input', challenge);
  await hp.click('#prove-button');
  await hp.waitForFunction(() => document.getElementById('payload-text').dataset.payload !== '', null, { timeout: 90000 });
  return hp.getAttribute('#payload-text', 'data-payload');
}

async function venuePaste(payload) {
  const seq = Number(await vp.getAttribute('#verdict', 'data-seq'));
  await vp.fill('#payload-input', payload);
  await vp.press('#payload-input', 'Enter');
  await vp.waitForFunction((s) => Number(document.getElementById('verdict').dataset.seq) > s, seq, { timeout: 20000 });
  return vp.evaluate(() => ({ verdict: document.getElementById('verdict').dataset.verdict, code: document.getElementById('verdict').dataset.code }));
}

/** The notice's text once it has a line about `what` (and, if given, its text contains `words`). */
async function noticeOf(p, what, words = '') {
  await p.waitForFunction(([w, t]) => {
    const el = document.getElementById('offline-notice');
    return el && !el.hidden && (el.dataset.what ?? '').split(' ').includes(w) && el.textContent.includes(t);
  }, [what, words], { timeout: 30000 });
  return p.textContent('#offline-notice-text');
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-offline-'));
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  site = { venue: path.join(tmp, 'site', 'venue'), holder: path.join(tmp, 'site', 'holder') };
  await cp(DIST_DIR, site.venue, { recursive: true });
  await cp(HOLDER_DIST_DIR, site.holder, { recursive: true });
  demo = await makeDemo(path.join(tmp, 'demo'));
  const venueCfg = path.join(tmp, 'venue-config');
  holderCfg = path.join(tmp, 'holder-config');
  await mkdir(venueCfg);
  await mkdir(holderCfg);
  for (const [to, from] of [['zkstatus.vk', demo.vk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy]]) await copyFile(from, path.join(venueCfg, to));
  // No venue.json: an optional file that is absent is kept as absent.
  for (const [to, from] of [['zkstatus.pk', demo.pk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy],
    ...Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])]) await copyFile(from, path.join(holderCfg, to));
  await writeFile(path.join(holderCfg, 'holder.json'), JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: await sha256File(demo.pk) }));
  routes = [['/venue/', site.venue], ['/venue/config/', venueCfg], ['/holder/', site.holder], ['/holder/config/', holderCfg]];
  server = await serve(routes);

  browser = await launchChromium();
  hctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  vctx = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  hp = await hctx.newPage();
  vp = await vctx.newPage();
  for (const p of [hp, vp]) p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e}`));
});

after(async () => {
  await hctx?.close();
  await vctx?.close();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('both pages link a web app manifest (name, icon, theme colour, start_url, standalone) and register a service worker', async () => {
  for (const [p, urlPath] of [[vp, '/venue/'], [hp, '/holder/']]) {
    assert.equal(await openPage(p, urlPath), 'ready', urlPath);
    const href = await p.getAttribute('link[rel="manifest"]', 'href');
    const manifest = await p.evaluate(async (h) => (await fetch(h)).json(), href);
    assert.ok(manifest.name && manifest.short_name, urlPath);
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, './');
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/);
    assert.ok(manifest.icons.some((i) => i.type === 'image/svg+xml' && i.sizes === 'any'), 'a scalable icon');
    const icon = await p.evaluate(async (src) => (await fetch(src)).status, new URL(manifest.icons[0].src, new URL(href, `${server.url}${urlPath}`)).href);
    assert.equal(icon, 200);
    await controlled(p);
  }
});

test('first visit online; then the network cut and the server stopped: both pages reload from their service workers, a proof is made and accepted', async () => {
  // The holder's files, kept in this browser (localStorage) since the first visit.
  await hp.setInputFiles('#credential-file', demo.credential);
  await hp.setInputFiles('#secret-file', demo.secret);
  await hp.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
  const names = [...await cacheNames(hp), ...await cacheNames(vp)];
  for (const scope of ['/venue/', '/holder/']) {
    assert.ok(names.some((n) => n.startsWith(`zkstatus-shell ${server.url}${scope} `)), `the shell of ${scope} is cached: ${names}`);
    assert.ok(names.some((n) => n === `zkstatus-data ${server.url}${scope}`), `the data of ${scope} is kept: ${names}`);
  }
  assert.ok(names.includes('zkstatus-proving-key'), 'the prover keeps the pinned key');
  // The data kept: the files of web/common/offline-data.js, the registry files
  // of the roots in the bundle, a missing optional file as missing; not the
  // proving key.
  const kept = async (p, scope) => p.evaluate(async (name) => {
    const cache = await caches.open(name);
    const out = [];
    for (const r of await cache.keys()) out.push(`${new URL(r.url).pathname} ${(await cache.match(r)).status}`);
    return out.sort();
  }, `zkstatus-data ${server.url}${scope}`);
  assert.deepEqual(await kept(hp, '/holder/'), ['holder.json', 'policy.json', 'registry-3.bin', 'registry-4.bin', 'registry.bundle', 'trust.json'].map((f) => `/holder/config/${f} 200`));
  assert.deepEqual(await kept(vp, '/venue/'), ['policy.json 200', 'registry.bundle 200', 'trust.json 200', 'venue.json 404', 'zkstatus.vk 200'].map((f) => `/venue/config/${f}`));

  await hctx.setOffline(true);
  await vctx.setOffline(true);
  await server.close();

  await vp.reload();
  assert.equal(await ready(vp), 'ready', 'the venue page opens offline');
  assert.match(await noticeOf(vp, 'offline'), /No connection: this page is using the copy kept on this device \(saved /);
  await hp.reload();
  assert.equal(await ready(hp), 'ready', 'the holder page opens offline, its key from the cache');
  await hp.waitForFunction(() => document.getElementById('registry').dataset.ready === 'true', null, { timeout: 30000 });
  assert.equal(await hp.getAttribute('#status', 'data-green'), 'true');
  assert.match(await noticeOf(hp, 'offline'), /No connection/);

  const payload = await prove();
  assert.match(payload, /^ZKS2:/);
  await hp.screenshot({ path: shot('holder-proof'), fullPage: true });
  const v = await venuePaste(payload);
  assert.equal(v.verdict, 'accept', JSON.stringify(v));
  await vp.screenshot({ path: shot('venue-accept') });
});

// The authority republishes `roots` (a test log's bundle of them, cosigned now).
let republished = 0;
async function republish(roots) {
  const dir = path.join(tmp, `republished-${republished++}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'roots.json'), JSON.stringify(roots, null, 2));
  const b = await bundleForRoots(path.join(dir, 'roots.json'), now(), dir);
  await copyFile(b.bundle, path.join(holderCfg, 'registry.bundle'));
  await copyFile(b.trust, path.join(holderCfg, 'trust.json'));
}

test('back online: a new pinned proving key and new registry roots reach the holder page, which uses them and says so', async () => {
  server = await serve(routes, {}, { port: server.port });
  await hctx.setOffline(false);
  await vctx.setOffline(false);
  // A new setup's key, pinned by a new holder.json; the roots republished
  // (epoch 4 now activates in an hour, so epoch 3's registry is in force).
  const keys = await setupKeys(path.join(tmp, 'new-keys'));
  const newPin = await sha256File(keys.pk);
  await copyFile(keys.pk, path.join(holderCfg, 'zkstatus.pk'));
  await writeFile(path.join(holderCfg, 'holder.json'), JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: newPin }));
  const roots = JSON.parse(await readFile(demo.roots, 'utf8'));
  roots.roots[1].activates_at = now() + 3600;
  await republish(roots);

  await hp.reload();
  assert.equal(await ready(hp), 'ready');
  assert.match(await noticeOf(hp, 'data-key'), /This page has a new key, pinned by its settings\. It is in use now\./);
  const text = await noticeOf(hp, 'data-registry');
  assert.match(text, /New issuer registry data arrived\. This page uses it now\./);
  assert.doesNotMatch(text, /No connection/, 'online again: the offline line is gone');
  assert.equal(await hp.getAttribute('#pk-fingerprint', 'title'), newPin, 'the new pinned key is loaded');
  await hp.waitForFunction(() => document.getElementById('registry').dataset.activeEpoch === '3', null, { timeout: 30000 });
  await hp.screenshot({ path: shot('holder-updated') });
});

test('a new build: the service worker installs it, the old cache is deleted, and the page says so', async () => {
  const sw = path.join(site.venue, 'sw.js');
  const text = await readFile(sw, 'utf8');
  const old = text.match(/"version":"([0-9a-f]{16})"/)[1];
  const fresh = 'f'.repeat(16) === old ? '0'.repeat(16) : 'f'.repeat(16);
  await writeFile(sw, text.replace(`"version":"${old}"`, `"version":"${fresh}"`));
  await vp.reload();
  assert.equal(await ready(vp), 'ready');
  assert.match(await noticeOf(vp, 'app'), /A new version of this page was installed\. Reload the page to use it\./);
  assert.equal(await vp.isVisible('#offline-reload'), true);
  const shells = (await cacheNames(vp)).filter((n) => n.startsWith(`zkstatus-shell ${server.url}/venue/ `));
  assert.deepEqual(shells, [`zkstatus-shell ${server.url}/venue/ ${fresh}`], 'only the new build is cached');
  await vp.screenshot({ path: shot('venue-updated') });
  await Promise.all([vp.waitForNavigation(), vp.click('#offline-reload')]);
  assert.equal(await ready(vp), 'ready');
  assert.equal(await vp.isVisible('#offline-notice'), false, 'after the reload, nothing to say');
});

test('a page left open: a new registry bundle found by the worker\'s refresh is announced with a Reload button, and the registry file no longer in it is dropped', async () => {
  const roots = JSON.parse(await readFile(demo.roots, 'utf8'));
  roots.roots = roots.roots.filter((r) => r.epoch === 4);
  await republish(roots);
  // What offline.js does every 30 minutes and when the connection comes back.
  await hp.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: 'zkstatus-refresh-data' }));
  const text = await noticeOf(hp, 'data-registry', 'was downloaded');
  assert.match(text, /New issuer registry data was downloaded\. Reload the page to use it\./);
  assert.doesNotMatch(text, /registry data arrived/, 'the registry line is replaced, not repeated');
  assert.equal(await hp.isVisible('#offline-reload'), true);
  const scope = `zkstatus-data ${server.url}/holder/`;
  await hp.waitForFunction(async (name) => {
    const urls = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    return urls.includes('/holder/config/registry-4.bin') && !urls.includes('/holder/config/registry-3.bin');
  }, scope, { timeout: 20000 });
});

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
