// Accessibility: axe-core (the npm package, injected into the page) finds no
// violation on either page, in English, on a phone, a tablet and a desktop: the
// venue page ready, with the offline and update notices, and showing a
// verdict; the holder page before any file, then GREEN with a proof shown. Runs every rule axe-core runs by default
// (WCAG 2.0-2.2 A and AA, and its best practices).
//
//   (cd web && npm test)      CHROMIUM=/path/to/chromium, ZKSTATUS_CLI=/path/to/zkstatus

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST_DIR, HOLDER_DIST_DIR, launchChromium, serve, makeDemo, sha256File } from './helpers.mjs';
import { violations } from './page-checks.mjs';


let tmp;
let demo;
let server;
let browser;

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-a11y-'));
  demo = await makeDemo(path.join(tmp, 'demo'));
  const venueCfg = path.join(tmp, 'venue-config');
  const holderCfg = path.join(tmp, 'holder-config');
  await mkdir(venueCfg);
  await mkdir(holderCfg);
  for (const [to, from] of [['zkstatus.vk', demo.vk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy]]) await copyFile(from, path.join(venueCfg, to));
  for (const [to, from] of [['zkstatus.pk', demo.pk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy],
    ...Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])]) await copyFile(from, path.join(holderCfg, to));
  await writeFile(path.join(holderCfg, 'holder.json'), JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: await sha256File(demo.pk) }));
  server = await serve([['/venue/', DIST_DIR], ['/venue/config/', venueCfg], ['/holder/', HOLDER_DIST_DIR], ['/holder/config/', holderCfg]]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function ready(p) {
  await p.waitForFunction(() => ['ready', 'key-error', 'config-error'].includes(document.body.dataset.state), null, { timeout: 60000 });
  return p.evaluate(() => document.body.dataset.state);
}

for (const [device, options] of [
  ['phone', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }],
  ['tablet', { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true }],
  ['desktop', { viewport: { width: 1280, height: 900 } }],
]) {
  test(`axe-core: no violations on either page in English (${device}): the venue page ready, with the offline notices, and with a verdict; the holder page empty, then GREEN with a proof`, async () => {
    // bypassCSP: only so that the test can inject axe-core as an inline script.
    const context = await browser.newContext({ ...options, bypassCSP: true, locale: 'en-US' });
    try {
      const vp = await context.newPage();
      await vp.goto(`${server.url}/venue/`);
      assert.equal(await ready(vp), 'ready');
      assert.deepEqual(await violations(vp), [], 'venue page, ready');
      // The notices of offline.js (web/common/), as its service worker would send them.
      await vp.evaluate(() => {
        for (const data of [{ type: 'zkstatus-offline', savedAt: Date.now() }, { type: 'zkstatus-app-updated' }]) {
          navigator.serviceWorker.dispatchEvent(new MessageEvent('message', { data }));
        }
      });
      assert.equal(await vp.isVisible('#offline-reload'), true);
      assert.deepEqual(await violations(vp), [], 'venue page, with the offline and update notices');

      const hp = await context.newPage();
      await hp.goto(`${server.url}/holder/`);
      assert.equal(await ready(hp), 'ready');
      assert.deepEqual(await violations(hp), [], 'holder page, no files yet');
      await hp.setInputFiles('#credential-file', demo.credential);
      await hp.setInputFiles('#secret-file', demo.secret);
      await hp.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
      await hp.fill('#challenge-input', await vp.getAttribute('#challenge-text', 'data-challenge'));
      await hp.click('#prove-button');
      await hp.waitForFunction(() => document.getElementById('payload-text').dataset.payload !== '', null, { timeout: 90000 });
      assert.deepEqual(await violations(hp), [], 'holder page, GREEN, a proof shown');

      await vp.fill('#payload-input', await hp.getAttribute('#payload-text', 'data-payload'));
      await vp.press('#payload-input', 'Enter');
      await vp.waitForFunction(() => !document.getElementById('verdict').hidden);
      assert.equal(await vp.getAttribute('#verdict', 'data-verdict'), 'accept');
      assert.deepEqual(await violations(vp), [], 'venue page, ACCEPT shown');
    } finally {
      await context.close();
    }
  });
}
