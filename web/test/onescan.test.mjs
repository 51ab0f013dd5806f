// One-scan passes across the two pages (web/dist/holder/ and web/dist/venue/,
// built by scripts/build-web.sh) in headless Chromium, on a phone (390×844,
// touch) and a tablet (820×1180, touch): the holder page's "Show my pass"
// screen shows a pass (statement v2, one-scan, for the operator in its
// holder.json); the venue page in one-scan mode (venue.json "mode":
// "one-scan", the same operator) scans it through Chromium's fake camera:
// ACCEPT; the same QR code shown again: REJECT, already used in this window.
// The pass renews at the turn of the window with no gap (the next window's
// pass is made before it). And the holder page's proof QR code is fully in
// view after proving on a phone. Screenshots: test/artifacts/onescan-*.png.
//
//   (cd web && node --test test/onescan.test.mjs)   CHROMIUM=…, ZKSTATUS_CLI=…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS_DIR, DIST_DIR, HOLDER_DIST_DIR, launchChromium, serve, makeDemo, prove,
  sha256File, qrMatrix, qrY4mSequence,
} from './helpers.mjs';

const OPERATOR = 'metro.example';
const PASS = /^ZKS2:[0-9A-Z $%*+\-./:]{267}$/; // 178 bytes: 272 characters
const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  tablet: { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const shot = (name) => path.join(ARTIFACTS_DIR, `onescan-${name}.png`);

let tmp;
let demo;
let server;
let browser; // the holder's phone or tablet (no camera)
let credentialText;
let secretText;
const pageErrors = [];
const consoleMessages = [];

function watch(p) {
  p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e}`));
  p.on('console', (m) => consoleMessages.push(`${p.url()}: ${m.type()}: ${m.text()}`));
}

async function writeConfig(name, files) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [to, from] of Object.entries(files)) {
    if (typeof from === 'string' && from.startsWith('/')) await copyFile(from, path.join(dir, to));
    else await writeFile(path.join(dir, to), JSON.stringify(from, null, 2));
  }
  return dir;
}

async function openPage(p, urlPath, until = ['ready', 'key-error', 'config-error']) {
  await p.goto(`${server.url}${urlPath}`);
  await p.waitForFunction((states) => states.includes(document.body.dataset.state), until, { timeout: 30000 });
  return p.evaluate(() => document.body.dataset.state);
}

/** A holder page on `device` with the demo's credential and secret kept from an earlier visit, ready and green. */
async function holderPage(device) {
  const ctx = await browser.newContext(DEVICES[device]);
  await ctx.addInitScript(([c, s]) => {
    if (localStorage.getItem('zkstatus-holder/credential') === null) {
      localStorage.setItem('zkstatus-holder/credential', c);
      localStorage.setItem('zkstatus-holder/holder-secret', s);
    }
  }, [credentialText, secretText]);
  const p = await ctx.newPage();
  watch(p);
  assert.equal(await openPage(p, '/holder/'), 'ready');
  await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 20000 });
  await p.waitForFunction(() => !document.getElementById('pass-button').disabled, null, { timeout: 30000 });
  return p;
}

/** Decode the QR code in a PNG (a screenshot) with the page's own decoder. */
function decodePng(p, png) {
  return p.evaluate(async (b64) => {
    const { default: decodeQR } = await import(new URL('vendor/qr/decode.js', document.baseURI).href);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    return decodeQR(ctx.getImageData(0, 0, bitmap.width, bitmap.height));
  }, png.toString('base64'));
}

async function assertInViewport(p, selector, what) {
  const box = await p.locator(selector).boundingBox();
  const { width, height } = p.viewportSize();
  assert.ok(box !== null, `${what}: visible`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5,
    `${what}: ${JSON.stringify(box)} inside ${width}×${height}`);
  return box;
}

/** Open "Show my pass"; the pass shown (its text, read from the screen). */
async function showPass(p, device) {
  await p.tap('#pass-button');
  await p.waitForFunction(() => document.getElementById('pass').dataset.payload !== '', null, { timeout: 60000 });
  assert.equal(await p.isVisible('#pass-qr'), true);
  assert.equal(await p.isVisible('#pass-preparing'), false);
  await assertInViewport(p, '#pass-qr', `${device}: the pass's QR code`);
  const text = await p.getAttribute('#pass', 'data-payload');
  assert.match(text, PASS);
  const windowStart = Number(await p.getAttribute('#pass', 'data-window-start'));
  assert.equal(windowStart % 60, 0);
  // What is on the screen decodes to the pass.
  assert.equal(await decodePng(p, await p.locator('#pass-qr').screenshot()), text);
  // The screen is kept awake where the browser lets it (feature-detected).
  assert.ok(['on', 'refused', 'unsupported'].includes(await p.getAttribute('#pass', 'data-wake-lock')));
  assert.match(await p.textContent('#pass'), /brightness/);
  return { text, windowStart };
}

/** The venue's verdict after `seq`. */
async function readVerdict(p, seq) {
  await p.waitForFunction((s) => Number(document.getElementById('verdict').dataset.seq) > s, seq, { timeout: 30000 });
  return p.evaluate(() => {
    const v = document.getElementById('verdict');
    return { verdict: v.dataset.verdict, code: v.dataset.code, seq: Number(v.dataset.seq), word: v.querySelector('.verdict-word').textContent, reason: v.querySelector('.verdict-reason').textContent };
  });
}

async function pasteAtGate(p, text) {
  const seq = Number(await p.getAttribute('#verdict', 'data-seq'));
  await p.fill('#payload-input', text);
  await p.press('#payload-input', 'Enter');
  return readVerdict(p, seq);
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-onescan-'));
  for (const dir of [DIST_DIR, HOLDER_DIST_DIR]) {
    try {
      await stat(path.join(dir, 'index.html'));
    } catch {
      throw new Error(`${dir} is not built: bash scripts/build-web.sh`);
    }
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  demo = await makeDemo(path.join(tmp, 'demo'));
  credentialText = await readFile(demo.credential, 'utf8');
  secretText = await readFile(demo.secret, 'utf8');
  const pin = await sha256File(demo.pk);
  const registry = { 'registry.bundle': demo.bundle, 'trust.json': demo.trust, ...Object.fromEntries(Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])) };
  const venueFiles = (venue) => ({ 'zkstatus.vk': demo.vk, 'registry.bundle': demo.bundle, 'trust.json': demo.trust, 'policy.json': demo.policy, 'venue.json': venue });
  const holderJson = { format: 'zkstatus/holder-page', version: 1, name: 'Metro pass', pinnedPkSha256: pin, operator: OPERATOR };
  const cfg = {
    holder: await writeConfig('holder', { 'holder.json': holderJson, 'zkstatus.pk': demo.pk, 'policy.json': demo.policy, ...registry }),
    badholder: await writeConfig('badholder', { 'holder.json': { ...holderJson, operator: ' metro' }, 'zkstatus.pk': demo.pk, 'policy.json': demo.policy, ...registry }),
    gate: await writeConfig('gate', venueFiles({ format: 'zkstatus/venue', version: 1, name: 'Metro, gate 3', mode: 'one-scan', operator: OPERATOR, pinnedVkFingerprint: demo.vkFingerprint, verdictSecs: 2 })),
    venue: await writeConfig('venue', venueFiles({ name: 'Test Venue' })),
    badmode: await writeConfig('badmode', venueFiles({ mode: 'two-scan' })),
    badop: await writeConfig('badop', venueFiles({ mode: 'one-scan', operator: 'métro' })),
    oponly: await writeConfig('oponly', venueFiles({ operator: OPERATOR })),
  };
  const routes = [['/holder/', HOLDER_DIST_DIR], ['/holder/config/', cfg.holder], ['/badholder/', HOLDER_DIST_DIR], ['/badholder/config/', cfg.badholder]];
  for (const name of ['gate', 'venue', 'badmode', 'badop', 'oponly']) routes.push([`/${name}/`, DIST_DIR], [`/${name}/config/`, cfg[name]]);
  server = await serve(routes);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

for (const device of Object.keys(DEVICES)) {
  test(`${device}: a pass shown by the holder page is accepted by the one-scan venue page through the camera; shown again: already used`, async () => {
    const hp = await holderPage(device);
    try {
      assert.match(await hp.textContent('#pass-operator'), /metro\.example/);
      // Late in a window, use the next one's pass (a door accepts the
      // previous window's for 15 s only, and the venue page takes a few
      // seconds to open).
      let pass = await showPass(hp, device);
      if (Math.floor(Date.now() / 1000) - pass.windowStart > 35) {
        await hp.waitForFunction((w) => document.getElementById('pass').dataset.windowStart !== w, String(pass.windowStart), { timeout: 40000 });
        pass = { text: await hp.getAttribute('#pass', 'data-payload'), windowStart: Number(await hp.getAttribute('#pass', 'data-window-start')) };
      }
      await hp.screenshot({ path: shot(`pass-${device}`) });

      // The venue's device: its camera sees the pass for 2 s, then nothing
      // for 3 s, then the same pass again (a screenshot handed back), in a loop.
      const video = path.join(tmp, `camera-${device}.y4m`);
      const matrix = qrMatrix(pass.text);
      await writeFile(video, qrY4mSequence([[matrix, 10], [null, 15]], { fps: 5 }));
      const camBrowser = await launchChromium([
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ]);
      try {
        const ctx = await camBrowser.newContext(DEVICES[device]);
        await ctx.grantPermissions(['camera'], { origin: server.url });
        const vp = await ctx.newPage();
        watch(vp);
        assert.equal(await openPage(vp, '/gate/'), 'ready');
        assert.equal(await vp.evaluate(() => document.body.dataset.mode), 'one-scan');
        // No venue code in one-scan mode; the camera runs from the start.
        assert.equal(await vp.isVisible('#challenge-qr'), false);
        assert.match(await vp.textContent('#operator-name'), /metro\.example/);
        const accept = await readVerdict(vp, 0);
        assert.equal(accept.verdict, 'accept', JSON.stringify(accept));
        assert.equal(accept.word, 'ACCEPT');
        assert.equal(await vp.isVisible('#camera-video'), true);
        await vp.screenshot({ path: shot(`accept-${device}`) });
        const again = await readVerdict(vp, accept.seq);
        assert.equal(again.verdict, 'reject', JSON.stringify(again));
        assert.equal(again.word, 'REJECT');
        assert.equal(again.code, 'nullifier-used');
        assert.match(again.reason, /already used in this window/i);
        await vp.screenshot({ path: shot(`reject-${device}`) });
        // The verdict in large type, inside the screen.
        const word = await vp.locator('.verdict-word').boundingBox();
        assert.ok(word.height >= 60, `the word is large: ${JSON.stringify(word)}`);
        await assertInViewport(vp, '.verdict-word', `${device}: the verdict`);
      } finally {
        await camBrowser.close();
      }

      if (device === 'phone') {
        // The turn of the window: the next window's pass was made before it,
        // and the new code replaces the old one with no gap and no spinner.
        await hp.evaluate(() => {
          const el = document.getElementById('pass');
          window.passLog = { gaps: 0, turns: [] };
          new MutationObserver(() => {
            if (el.dataset.payload === '' || document.getElementById('pass-qr').hidden || !document.getElementById('pass-preparing').hidden) window.passLog.gaps += 1;
          }).observe(el, { attributes: true, subtree: true });
          let last = el.dataset.windowStart;
          let nextReady = el.dataset.nextReady;
          (function watchTurn() {
            if (el.dataset.windowStart !== last) {
              window.passLog.turns.push({ from: last, to: el.dataset.windowStart, nextReadyBefore: nextReady });
              last = el.dataset.windowStart;
            }
            nextReady = el.dataset.nextReady;
            requestAnimationFrame(watchTurn);
          }());
        });
        await hp.waitForFunction(() => window.passLog.turns.length > 0, null, { timeout: 75000 });
        const log = await hp.evaluate(() => window.passLog);
        assert.equal(log.gaps, 0, JSON.stringify(log));
        assert.equal(Number(log.turns[0].to) - Number(log.turns[0].from), 60, JSON.stringify(log));
        assert.equal(log.turns[0].nextReadyBefore, 'true', `the next pass was ready before the turn: ${JSON.stringify(log)}`);
        assert.notEqual(await hp.getAttribute('#pass', 'data-payload'), pass.text);
        await assertInViewport(hp, '#pass-qr', 'the renewed pass');
      }
      await hp.tap('#pass-close');
      assert.equal(await hp.isVisible('#pass'), false);
      assert.equal(await hp.getAttribute('#pass', 'data-payload'), '');
    } finally {
      await hp.context().close();
    }
  });
}

test('one-scan venue page, pasted: a pass for this operator ACCEPT, again already used; another operator\'s, an interactive proof and garbage refused in plain words', async () => {
  const ctx = await browser.newContext(DEVICES.tablet);
  const vp = await ctx.newPage();
  watch(vp);
  try {
    // No camera in this browser: the page says so and still takes pastes.
    assert.equal(await openPage(vp, '/gate/'), 'ready');
    const ours = await prove(demo, undefined, { operator: OPERATOR });
    assert.match(ours, PASS);
    assert.equal((await pasteAtGate(vp, ours)).verdict, 'accept');
    const again = await pasteAtGate(vp, ours);
    assert.equal(again.code, 'nullifier-used');
    assert.match(again.reason, /already used in this window/i);
    const theirs = await pasteAtGate(vp, await prove(demo, undefined, { operator: 'bus.example' }));
    assert.equal(theirs.code, 'proof-invalid');
    assert.match(theirs.reason, /another operator/);
    const garbage = await pasteAtGate(vp, 'HELLO');
    assert.equal(garbage.verdict, 'reject');
    assert.match(garbage.reason, /not a pass.*Show my pass/);
    // An interactive proof (for the other venue page's code) is not a pass.
    const ip = await ctx.newPage();
    assert.equal(await openPage(ip, '/venue/'), 'ready');
    const offer = await ip.getAttribute('#challenge-text', 'data-challenge');
    await ip.close();
    const interactive = await pasteAtGate(vp, await prove(demo, offer));
    assert.equal(interactive.code, 'mode-not-accepted');
    assert.match(interactive.reason, /not a pass/);
  } finally {
    await ctx.close();
  }
});

test('configuration: a bad mode, a bad operator name, an operator without one-scan: the page says so', async () => {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  try {
    for (const [where, re] of [['/badmode/', /"mode" must be "interactive" or "one-scan"/], ['/badop/', /"operator" must be/], ['/oponly/', /"operator" is for "mode": "one-scan"/]]) {
      assert.equal(await openPage(p, where), 'config-error', where);
      assert.match(await p.textContent('#config-error-message'), re, where);
    }
    assert.equal(await openPage(p, '/badholder/'), 'config-error');
    assert.match(await p.textContent('#config-error-message'), /"operator" must be/);
  } finally {
    await ctx.close();
  }
});

test('phone (390×844): after proving, the proof\'s QR code is fully in view', async () => {
  const hp = await holderPage('phone');
  const vctx = await browser.newContext();
  try {
    const vp = await vctx.newPage();
    assert.equal(await openPage(vp, '/venue/'), 'ready');
    const offer = await vp.getAttribute('#challenge-text', 'data-challenge');
    await hp.fill('#challenge-input', offer);
    await hp.waitForFunction(() => !document.getElementById('prove-button').disabled);
    await hp.tap('#prove-button');
    await hp.waitForFunction(() => document.getElementById('payload-text').dataset.payload !== '', null, { timeout: 60000 });
    await hp.waitForFunction(() => document.getElementById('progress').hidden);
    await hp.waitForTimeout(300); // nothing moves after the scroll
    const box = await assertInViewport(hp, '#payload-qr', 'the proof\'s QR code');
    await hp.waitForTimeout(500);
    assert.deepEqual(await hp.locator('#payload-qr').boundingBox(), box, 'the QR code stays put');
    await hp.screenshot({ path: shot('proof-phone') });
    // And the venue accepts what is on the screen.
    const text = await decodePng(hp, await hp.locator('#payload-qr').screenshot());
    assert.equal(text, await hp.getAttribute('#payload-text', 'data-payload'));
    assert.equal((await pasteAtGate(vp, text)).verdict, 'accept');
  } finally {
    await vctx.close();
    await hp.context().close();
  }
});

test('no page error and nothing logged', () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleMessages.filter((m) => !/Failed to load resource.*404/.test(m)), []);
});
