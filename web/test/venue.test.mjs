// The venue page (web/dist/venue/, built by scripts/build-web.sh) in headless
// Chromium, against real statement-v2 payloads made by the zkstatus CLI for
// the page's live challenge: the ZKC2 offer as text and QR, ACCEPT for a
// fresh proof (pasted, payload.bin, a .txt file, a PNG of its QR code, the
// camera), REJECT for a replay, another proof for a used challenge, a
// tampered proof, garbage, a version-1 payload (named as such), an expired
// challenge, and configuration errors shown on the page; after all of it,
// no payload in the page's storage. Screenshots: test/artifacts/.
//
//   (cd web && npm test)      CHROMIUM=/path/to/chromium, ZKSTATUS_CLI=/path/to/zkstatus

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS_DIR, DIST_DIR, ROOT, V1_FIXTURE_DIR, launchChromium, serve, makeDemo, prove,
  base45Encode, base45Decode, qrMatrix, qrPng, qrY4m, pageStorage, registryInput,
} from './helpers.mjs';

const OFFER = /^ZKC2:[0-9A-Z $%*+\-./:]{60}$/;
const ISSUER_NAMES = ['Demo Clinic', 'North Lab', 'Harbour Lab'];
const VENUE = 'Test Venue, door 2';

let tmp;
let demo;
let server;
let browser;
let context;
let page;
const pageErrors = [];
const consoleMessages = [];

async function configDir(name, venue, { omit = [] } = {}) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [from, to] of [[demo.vk, 'zkstatus.vk'], [demo.bundle, 'registry.bundle'], [demo.trust, 'trust.json'], [demo.policy, 'policy.json']]) {
    if (!omit.includes(to)) await copyFile(from, path.join(dir, to));
  }
  if (venue !== undefined) await writeFile(path.join(dir, 'venue.json'), JSON.stringify(venue, null, 2));
  return dir;
}

async function openPage(urlPath, p = page) {
  await p.goto(`${server.url}${urlPath}`);
  await p.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 20000 });
  return p.evaluate(() => document.body.dataset.state);
}

function challengeOf(p = page) {
  return p.getAttribute('#challenge-text', 'data-challenge');
}

async function verdictSeq(p = page) {
  return Number(await p.getAttribute('#verdict', 'data-seq'));
}

async function readVerdict(p, seq) {
  await p.waitForFunction((s) => Number(document.getElementById('verdict').dataset.seq) > s, seq, { timeout: 20000 });
  return p.evaluate(() => {
    const v = document.getElementById('verdict');
    return {
      verdict: v.dataset.verdict,
      kind: v.dataset.kind,
      code: v.dataset.code,
      visible: !v.hidden,
      word: v.querySelector('.verdict-word').textContent,
      reason: v.querySelector('.verdict-reason').textContent,
      text: v.innerText,
    };
  });
}

/** Paste a payload into the page's input and press Enter; the verdict. */
async function submitText(text, p = page) {
  const seq = await verdictSeq(p);
  await p.fill('#payload-input', text);
  await p.press('#payload-input', 'Enter');
  return readVerdict(p, seq);
}

/** Choose a file in the page's file input; the verdict. */
async function submitFile(file, p = page) {
  const seq = await verdictSeq(p);
  await p.setInputFiles('#payload-file', file);
  return readVerdict(p, seq);
}

function assertAccepted(v, what) {
  assert.equal(v.verdict, 'accept', `${what}: ${JSON.stringify(v)}`);
  assert.equal(v.word, 'ACCEPT');
  assert.equal(v.visible, true);
  assert.ok(v.reason.length > 0);
}

function assertRejected(v, what, code) {
  assert.equal(v.verdict, 'reject', `${what}: ${JSON.stringify(v)}`);
  assert.equal(v.word, 'REJECT');
  assert.equal(v.visible, true);
  assert.ok(v.reason.length > 10, `${what}: a reason is shown: ${JSON.stringify(v)}`);
  if (code !== undefined) assert.equal(v.code, code, `${what}: ${JSON.stringify(v)}`);
}

// Nothing about the holder on screen: no issuer name or key, no proof time.
async function assertNothingAboutHolder(p = page) {
  const issuerKey = JSON.parse(await readFile(demo.issuerKey, 'utf8')).public_key;
  const text = await p.evaluate(() => document.body.innerText);
  for (const name of ISSUER_NAMES) assert.ok(!text.includes(name), `the issuer name ${name} is not shown`);
  assert.ok(!text.includes(issuerKey), 'the issuer key is not shown');
  assert.ok(!/\b1[7-9]\d{8}\b/.test(text), 'no unix time is shown');
}

// A proof made for the page's current challenge by the CLI.
async function freshPayload(options) {
  const offer = await challengeOf();
  assert.match(offer, OFFER);
  return prove(demo, offer, options);
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-venue-'));
  try {
    await stat(path.join(DIST_DIR, 'index.html'));
  } catch {
    throw new Error(`${DIST_DIR} is not built: bash scripts/build-web.sh`);
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  demo = await makeDemo(path.join(tmp, 'demo'));
  const main = await configDir('config', { format: 'zkstatus/venue', version: 1, name: VENUE, pinnedVkFingerprint: demo.vkFingerprint });
  const fast = await configDir('fast', { name: 'Fast Venue', rotateSecs: 2, ttlSecs: 60, maxLive: 16, verdictSecs: 1 });
  const expiry = await configDir('expiry', { rotateSecs: 2, ttlSecs: 3 });
  const missing = await configDir('missing', undefined, { omit: ['zkstatus.vk'] });
  const pinned = await configDir('pinned', { pinnedVkFingerprint: 'ab'.repeat(32) });
  const typo = await configDir('typo', { ttl: 90 });
  const skew = await configDir('skew', { maxSkewSecs: 300 });
  const v1vk = await configDir('v1vk', undefined);
  await copyFile(path.join(V1_FIXTURE_DIR, 'zkstatus.vk'), path.join(v1vk, 'zkstatus.vk'));
  const empty = path.join(tmp, 'empty');
  await mkdir(empty);
  server = await serve([
    ['/', DIST_DIR],
    ['/config/', main],
    ['/fast/', DIST_DIR], ['/fast/config/', fast],
    ['/expiry/', DIST_DIR], ['/expiry/config/', expiry],
    ['/missing/', DIST_DIR], ['/missing/config/', missing],
    ['/pinned/', DIST_DIR], ['/pinned/config/', pinned],
    ['/typo/', DIST_DIR], ['/typo/config/', typo],
    ['/skew/', DIST_DIR], ['/skew/config/', skew],
    ['/v1vk/', DIST_DIR], ['/v1vk/config/', v1vk],
    ['/nopkg/', DIST_DIR], ['/nopkg/config/', main], ['/nopkg/pkg/', empty], // a partial deployment
  ]);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('page', (p) => {
    p.on('pageerror', (e) => pageErrors.push(String(e)));
    p.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  });
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the page shows a ZKC2 offer as text and as a QR code that decodes to it; the registry epoch and end date', async () => {
  assert.equal(await openPage('/'), 'ready');
  const challenge = await challengeOf();
  assert.match(challenge, OFFER);
  assert.equal(await page.textContent('#challenge-text'), challenge);
  // The demo's active root is epoch 4; its end date in words, not a unix time.
  assert.equal(await page.textContent('#registry-epoch'), '4');
  assert.match(await page.textContent('#registry-end'), /\d{4}/);
  assert.ok(!/\b1[7-9]\d{8}\b/.test(await page.textContent('#registry-end')));
  assert.match(await page.evaluate(() => document.body.innerText), /accredited issuer/);
  assert.equal(await page.textContent('#venue-name'), VENUE);
  assert.match(await page.textContent('#vk-fingerprint'), /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  assert.ok(demo.vkFingerprint.startsWith((await page.textContent('#vk-fingerprint')).replaceAll('-', '')));
  const rules = await page.locator('#policy-rules li').allTextContents();
  assert.deepEqual(rules.slice(0, 3), [
    'PCR test taken at most 72 hours ago',
    'Rapid antigen test taken at most 24 hours ago',
    'No recorded exposure in the last 10 days',
  ]);
  // Decode what is on screen (a screenshot of the QR), not what was drawn.
  const png = await page.locator('#challenge-qr').screenshot();
  const decoded = await page.evaluate(async (b64) => {
    const { default: decodeQR } = await import(new URL('vendor/qr/decode.js', document.baseURI).href);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    return decodeQR(ctx.getImageData(0, 0, bitmap.width, bitmap.height));
  }, png.toString('base64'));
  assert.equal(decoded, challenge);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'ready.png') });
});

let accepted; // { challenge, payload } of the accepted presentation

test('a CLI payload for the live challenge, pasted: ACCEPT, and a new challenge', async () => {
  const challenge = await challengeOf();
  const payload = await freshPayload();
  assert.match(payload, /^ZKS2:/);
  const v = await submitText(payload);
  assertAccepted(v, 'fresh payload');
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'accept.png') });
  await assertNothingAboutHolder();
  assert.equal(await page.inputValue('#payload-input'), '', 'the input is cleared');
  const next = await challengeOf();
  assert.match(next, OFFER);
  assert.notEqual(next, challenge, 'the used challenge is replaced at once');
  accepted = { challenge, payload };
});

test('the same payload again: REJECT (a replay)', async () => {
  const v = await submitText(accepted.payload);
  assertRejected(v, 'replay', 'challenge-used');
  await assertNothingAboutHolder();
});

test('a reused challenge: another, valid proof for a challenge already used: REJECT', async () => {
  const offer = await challengeOf();
  const [first, second] = await Promise.all([prove(demo, offer), prove(demo, offer)]);
  assert.notEqual(first, second, 'proofs are randomized');
  assertAccepted(await submitText(first), 'first proof for the challenge');
  assertRejected(await submitText(second), 'second proof for the same challenge', 'challenge-used');
});

test('a statement-v1 payload (ZKS1:): REJECT as malformed, naming version 1', async () => {
  for (const [what, submit] of [
    ['text', async () => submitText((await readFile(path.join(V1_FIXTURE_DIR, 'payload.txt'), 'utf8')).trim())],
    ['payload.bin', async () => submitFile(path.join(V1_FIXTURE_DIR, 'payload.bin'))],
  ]) {
    const v = await submit();
    assertRejected(v, `v1 ${what}`);
    assert.equal(v.kind, 'malformed', what);
    assert.match(v.reason, /version 1/, `${what}: ${JSON.stringify(v)}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'reject-v1.png') });
});

test('a tampered payload: REJECT with a reason; the honest one still gets in', async () => {
  const payload = await freshPayload();
  const bytes = base45Decode(payload.slice('ZKS2:'.length));
  assert.equal(bytes.length, 146);
  assert.equal(base45Encode(bytes), payload.slice(5));
  // One proof bit flipped (the proof is bytes 18..146), choosing a bit whose
  // point still decodes, so the payload is well-formed and the pairing check
  // is what refuses it. Which bits decode is checked with the package in
  // Node: a gate there refuses the payload either as malformed (the point)
  // or, well-formed, for want of its challenge.
  const { Gate } = await import(path.join(ROOT, 'verifier-wasm', 'pkg', 'node.js'));
  const gate = new Gate(await readFile(demo.vk), await registryInput(demo), await readFile(demo.policy, 'utf8'), { origin: 'node' });
  const now = BigInt(Math.floor(Date.now() / 1000));
  let tampered;
  for (let bit = 8 * 18; bit < 8 * 146 && tampered === undefined; bit++) {
    const t = bytes.slice();
    t[bit >> 3] ^= 1 << (bit & 7);
    if (gate.verify(t, now).kind === 'reject') tampered = `ZKS2:${base45Encode(t)}`;
  }
  gate.free();
  assert.ok(tampered, 'some one-bit change of the proof is well-formed');
  const v = await submitText(tampered);
  assertRejected(v, 'tampered proof', 'proof-invalid');
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'reject.png') });

  // One base45 character changed: refused too (malformed or invalid).
  const i = 100;
  const flipped = payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1);
  assertRejected(await submitText(flipped), 'one base45 character changed');

  // Neither consumed the challenge: the honest payload is accepted.
  assertAccepted(await submitText(payload), 'honest payload after tampered ones');
});

test('garbage: REJECT as malformed with a reason, and the page keeps working', async () => {
  for (const [garbage, code] of [
    ['hello world', 'missing-prefix'],
    ['ZKS2:', 'wrong-length'],
    ['ZKS2:!!!!', 'wrong-length'],
    [`ZKS2:${'a'.repeat(219)}`, 'invalid-base45'],
    [`ZKS2:${'A'.repeat(100000)}`, undefined],
    ['\u0000\u{1F600}<script>alert(1)</script>', 'missing-prefix'],
  ]) {
    const v = await submitText(garbage);
    assertRejected(v, `garbage ${JSON.stringify(garbage.slice(0, 20))}`, code);
    assert.equal(v.kind, 'malformed');
  }
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  assert.equal(await page.locator('#verdict script').count(), 0, 'text is never parsed as HTML');
  // Bad files: empty, an image without a QR code, random bytes.
  const empty = path.join(tmp, 'empty.bin');
  await writeFile(empty, Buffer.alloc(0));
  assertRejected(await submitFile(empty), 'empty file', 'empty-file');
  const blank = path.join(tmp, 'blank.png');
  await writeFile(blank, qrPng(Array.from({ length: 40 }, () => Array(40).fill(false)), 4));
  assertRejected(await submitFile(blank), 'image without a QR code', 'no-qr-code');
  const noise = path.join(tmp, 'noise.bin');
  await writeFile(noise, Buffer.from(Array.from({ length: 146 }, (_, k) => (k * 37 + 11) & 0xff)));
  assertRejected(await submitFile(noise), 'random bytes');
});

test('file input: payload.bin (binary) and payload.txt (text) for fresh proofs: ACCEPT', async () => {
  const bin = await freshPayload({ out: path.join(tmp, 'payload.bin') });
  assert.equal((await readFile(bin)).length, 146);
  assertAccepted(await submitFile(bin), 'payload.bin');
  const txt = path.join(tmp, 'payload.txt');
  await writeFile(txt, `${await freshPayload()}\n`);
  assertAccepted(await submitFile(txt), 'payload.txt');
  // The text form in a file with no .txt name (told apart by its ZKS2: prefix).
  const noExt = path.join(tmp, 'payload');
  await writeFile(noExt, `\ufeff ${await freshPayload()}\r\n`);
  assertAccepted(await submitFile(noExt), 'text payload in a file without .txt');
});

test('file input: a PNG image of the payload QR code: ACCEPT', async () => {
  const payload = await freshPayload();
  const png = path.join(tmp, 'payload-qr.png');
  await writeFile(png, qrPng(qrMatrix(payload), 6));
  await copyFile(png, path.join(ARTIFACTS_DIR, 'payload-qr.png'));
  assertAccepted(await submitFile(png), 'PNG of the QR code');
});

test('camera: a fake camera showing the payload QR code: ACCEPT', async () => {
  // Chromium's fake capture device plays a Y4M file, read when the camera
  // starts: the page is opened first (for its challenge), then the video is
  // written, then the camera is switched on.
  const video = path.join(tmp, 'camera.y4m');
  await writeFile(video, qrY4m(qrMatrix('not yet'), { frames: 1 }));
  const camBrowser = await launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const camContext = await camBrowser.newContext({ viewport: { width: 1280, height: 900 } });
    await camContext.grantPermissions(['camera'], { origin: server.url });
    const cam = await camContext.newPage();
    cam.on('pageerror', (e) => pageErrors.push(String(e)));
    cam.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
    assert.equal(await openPage('/', cam), 'ready');
    const payload = await prove(demo, await challengeOf(cam));
    await writeFile(video, qrY4m(qrMatrix(payload)));
    const seq = await verdictSeq(cam);
    await cam.click('#camera-button');
    const v = await readVerdict(cam, seq);
    assertAccepted(v, 'camera');
    await cam.screenshot({ path: path.join(ARTIFACTS_DIR, 'camera-accept.png') });
    // The code stays in view: no second verdict (it would be a replay).
    await cam.waitForTimeout(1500);
    assert.equal(await verdictSeq(cam), seq + 1, 'a code in view is presented once');
    await cam.keyboard.press('Escape');
    assert.equal(await cam.isVisible('#camera-video'), true);
    await cam.screenshot({ path: path.join(ARTIFACTS_DIR, 'camera.png') });
    await cam.click('#camera-button');
    assert.equal(await cam.textContent('#camera-button'), 'Scan with camera');
  } finally {
    await camBrowser.close();
  }
});

test('rotation (venue.json rotateSecs 2): a new challenge every 2 s; earlier ones stay valid within their TTL', async () => {
  const p = await context.newPage();
  try {
    assert.equal(await openPage('/fast/', p), 'ready');
    const first = await challengeOf(p);
    const early = await prove(demo, first);
    await p.waitForFunction((c) => document.getElementById('challenge-text').dataset.challenge !== c, first, { timeout: 6000 });
    const second = await challengeOf(p);
    assert.match(second, OFFER);
    assert.notEqual(second, first);
    assert.match(await p.textContent('#countdown'), /^[0-2]$/);
    // A proof for an earlier challenge is still accepted (maxLive 16, TTL 60 s).
    assertAccepted(await submitText(early, p), 'proof for an earlier challenge');
    // verdictSecs 1: the verdict clears by itself.
    await p.waitForFunction(() => document.getElementById('verdict').hidden, null, { timeout: 4000 });
  } finally {
    await p.close();
  }
});

test('expiry (venue.json ttlSecs 3): a proof for an expired challenge: REJECT', async () => {
  const p = await context.newPage();
  try {
    assert.equal(await openPage('/expiry/', p), 'ready');
    const challenge = await challengeOf(p);
    const issued = Date.now();
    const late = await prove(demo, challenge);
    await p.waitForTimeout(Math.max(0, issued + 4500 - Date.now()));
    assertRejected(await submitText(late, p), 'proof for an expired challenge', 'challenge-expired');
  } finally {
    await p.close();
  }
});

test('configuration errors are shown on the page', async () => {
  const p = await context.newPage();
  try {
    for (const [where, expected] of [
      ['/missing/', /config\/zkstatus\.vk: HTTP 404/],
      ['/pinned/', /pinned/i],
      ['/typo/', /unknown setting "ttl"/],
      ['/skew/', /"maxSkewSecs" is gone/],
      ['/v1vk/', /version 1|statement v1/],
      ['/nopkg/', /files did not load/],
    ]) {
      assert.equal(await openPage(where, p), 'config-error', where);
      assert.equal(await p.isVisible('#config-error'), true);
      assert.equal(await p.isVisible('#main'), false);
      assert.match(await p.textContent('#config-error-message'), expected, where);
    }
    await p.screenshot({ path: path.join(ARTIFACTS_DIR, 'config-error.png') });
  } finally {
    await p.close();
  }
});

test('docs/security.md item 88: after verification the page keeps no payload in localStorage, sessionStorage, IndexedDB or the Cache API', async () => {
  // The main page verified every payload above (accepted, rejected, malformed).
  const stored = await pageStorage(page);
  assert.deepEqual(stored.localStorage, {}, 'localStorage is empty');
  assert.deepEqual(stored.sessionStorage, {}, 'sessionStorage is empty');
  assert.deepEqual(stored.indexedDB, [], 'no IndexedDB database');
  // The Cache API holds the service worker's copies of the page's own files
  // and of its config/ (web/common/sw.js), nothing else: no payload, no verdict.
  assert.ok(stored.caches.every((n) => /^zkstatus-(shell|data) /.test(n)), `only the service worker's caches: ${stored.caches}`);
  const cached = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) out.push({ cache: name, url: req.url, body: await (await cache.match(req)).text() });
    }
    return out;
  });
  for (const c of cached) {
    // Each cache is named after the page's folder (the worker's scope): "zkstatus-shell <scope> <version>".
    const scope = c.cache.split(' ')[1];
    assert.ok(scope.startsWith(`${server.url}/`) && c.url.startsWith(scope), `only the page's own files: ${c.url}`);
    const rel = c.url.slice(scope.length);
    if (c.cache.startsWith('zkstatus-shell ')) {
      // A file of the build, byte for byte (the page itself under its folder's URL).
      assert.equal(c.body, await readFile(path.join(DIST_DIR, rel === '' ? 'index.html' : rel), 'utf8'), rel);
    } else {
      assert.match(rel, /^config\/[\w.-]+$/);
      assert.ok(!/ZKS[12]:/.test(c.body), `no payload in ${rel}`);
    }
  }
  assert.ok(!/ZKS[12]:/.test(JSON.stringify(stored)), 'no payload anywhere');
  assert.ok(!/ZKS[12]:/.test(await page.inputValue('#payload-input')), 'the input holds no payload');
});

test('no page errors, no CSP violations, nothing logged about payloads', () => {
  assert.deepEqual(pageErrors, []);
  const bad = consoleMessages.filter((m) => /ZKS[12]:|Content Security Policy|Refused to/i.test(m) || m.startsWith('log:'));
  assert.deepEqual(bad, []);
});
