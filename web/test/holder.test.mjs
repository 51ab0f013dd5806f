// The holder page (web/dist/holder/, built by scripts/build-web.sh) in
// headless Chromium, next to the venue page (web/dist/venue/) on the same
// server, with keys, credentials, a policy and the issuer registry (roots
// and registry files, statement v2) made by the zkstatus CLI: the pinned
// proving key loads; the registry downloaded whole, its epoch and end date
// shown; a credential (by file, and by a PNG of its QR code) and the holder
// secret imported; GREEN and until when; the venue's ZKC2 code typed, read
// from a photo, and scanned with Chromium's fake camera; the proof made on
// the page and accepted by the venue page, as pasted text and as a PNG of
// the on-screen QR code (the acceptance point); a version-1 venue code
// refused; missing registry files named; a tampered and a
// foreign proving key refused; NOT GREEN with reasons and no proof; the
// files kept across a reload and forgotten; bad challenges; configuration
// errors; only same-origin requests, the key fetched once; nothing logged.
// Screenshots: test/artifacts/holder-*.png.
//
//   (cd web && npm test)      CHROMIUM=/path/to/chromium, ZKSTATUS_CLI=/path/to/zkstatus

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS_DIR, DIST_DIR, HOLDER_DIST_DIR, FIXTURE_DIR, launchChromium, serve, makeDemo, setupKeys, issueCredential,
  sha256File, base45Encode, qrMatrix, qrPng, qrY4m, bundleForRoots,
} from './helpers.mjs';

const HEX64 = /^[0-9a-f]{64}$/;
const OFFER = /^ZKC2:[0-9A-Z $%*+\-./:]{60}$/;
const PAGE_NAME = 'Test Pass';
const shot = (name) => path.join(ARTIFACTS_DIR, `holder-${name}.png`);
const now = () => Math.floor(Date.now() / 1000);

let tmp;
let demo;
let futureActivation; // of epoch 4 in /future/'s roots
let pin;
let secret; // the demo's holder-secret file, parsed
let server;
let browser;
let context; // the holder's browser
let venueContext; // the venue's: another device, so that each page is in the foreground
let hp; // the holder page
let vp; // the venue page
const pageErrors = [];
const consoleMessages = []; // { url, type, text }
const requests = []; // URLs requested by the holder's main context
const otherRequests = []; // URLs requested by the other contexts (venue, camera, bad keys)

async function writeConfig(name, files) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [to, from] of Object.entries(files)) {
    if (typeof from === 'string' && from.startsWith('/')) await copyFile(from, path.join(dir, to));
    else await writeFile(path.join(dir, to), typeof from === 'string' ? from : JSON.stringify(from, null, 2));
  }
  return dir;
}

function watch(p) {
  p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e}`));
  p.on('console', (m) => consoleMessages.push({ url: p.url(), type: m.type(), text: m.text() }));
}

/** Open a holder (or venue) page and wait until it is set up (or failed). */
async function openPage(p, urlPath, { until = ['ready', 'key-error', 'config-error'] } = {}) {
  await p.goto(`${server.url}${urlPath}`);
  await p.waitForFunction((states) => states.includes(document.body.dataset.state), until, { timeout: 30000 });
  return p.evaluate(() => document.body.dataset.state);
}

async function waitGreen(p, green) {
  await p.waitForFunction((g) => document.getElementById('status').dataset.green === g, green, { timeout: 20000 });
}

async function loadFiles(p, { credential = demo.credential, holderSecret = demo.secret } = {}) {
  await p.setInputFiles('#credential-file', credential);
  await p.waitForFunction(() => document.getElementById('credential-summary').dataset.loaded === 'true');
  await p.setInputFiles('#secret-file', holderSecret);
  await p.waitForFunction(() => document.getElementById('secret-summary').dataset.loaded === 'true');
}

const challengeOf = (p = vp) => p.getAttribute('#challenge-text', 'data-challenge');

/** Prove on the holder page for the challenge in its input; the payload text. */
async function proveOnPage(p = hp) {
  const before = await p.getAttribute('#payload-text', 'data-payload');
  assert.equal(await p.isEnabled('#prove-button'), true, 'Prove is enabled');
  await p.click('#prove-button');
  await p.waitForFunction((b) => {
    const t = document.getElementById('payload-text').dataset.payload;
    return t !== '' && t !== b;
  }, before, { timeout: 60000 });
  const payload = await p.getAttribute('#payload-text', 'data-payload');
  assert.match(payload, /^ZKS2:[0-9A-Z $%*+\-./:]{219}$/);
  return payload;
}

async function verdictSeq(p = vp) {
  return Number(await p.getAttribute('#verdict', 'data-seq'));
}

async function readVerdict(seq, p = vp) {
  await p.waitForFunction((s) => Number(document.getElementById('verdict').dataset.seq) > s, seq, { timeout: 20000 });
  return p.evaluate(() => {
    const v = document.getElementById('verdict');
    return { verdict: v.dataset.verdict, code: v.dataset.code, word: v.querySelector('.verdict-word').textContent, reason: v.querySelector('.verdict-reason').textContent };
  });
}

async function venuePaste(payload) {
  const seq = await verdictSeq();
  await vp.fill('#payload-input', payload);
  await vp.press('#payload-input', 'Enter');
  return readVerdict(seq);
}

async function venueFile(file) {
  const seq = await verdictSeq();
  await vp.setInputFiles('#payload-file', file);
  return readVerdict(seq);
}

function assertAccepted(v, what) {
  assert.equal(v.verdict, 'accept', `${what}: ${JSON.stringify(v)}`);
  assert.equal(v.word, 'ACCEPT');
}

async function clearVerdict() {
  await vp.keyboard.press('Escape');
  await vp.waitForFunction(() => document.getElementById('verdict').hidden);
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

async function pageHtml(p) {
  return p.evaluate(() => document.documentElement.outerHTML);
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-holder-'));
  for (const dir of [DIST_DIR, HOLDER_DIST_DIR]) {
    try {
      await stat(path.join(dir, 'index.html'));
    } catch {
      throw new Error(`${dir} is not built: bash scripts/build-web.sh`);
    }
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  demo = await makeDemo(path.join(tmp, 'demo'));
  pin = await sha256File(demo.pk);
  secret = JSON.parse(await readFile(demo.secret, 'utf8'));

  // Another setup's key, and the demo's key with one byte flipped.
  const foreign = await setupKeys(path.join(tmp, 'foreign-keys'));
  const tamperedPk = path.join(tmp, 'tampered.pk');
  const bytes = await readFile(demo.pk);
  bytes[bytes.length >> 1] ^= 0x01;
  await writeFile(tamperedPk, bytes);

  const holderJson = { format: 'zkstatus/holder-page', version: 1, name: PAGE_NAME, pinnedPkSha256: pin };
  const futureRoots = JSON.parse(await readFile(demo.roots, 'utf8'));
  futureActivation = now() + 3600;
  futureRoots.roots[1].activates_at = futureActivation;
  // Roots the demo's log never published: a test log's bundle of them.
  await mkdir(path.join(tmp, 'future-bundle'));
  await writeFile(path.join(tmp, 'future-bundle', 'roots.json'), JSON.stringify(futureRoots, null, 2));
  const futureBundle = await bundleForRoots(path.join(tmp, 'future-bundle', 'roots.json'), now(), path.join(tmp, 'future-bundle'));
  const bundleFiles = { 'registry.bundle': demo.bundle, 'trust.json': demo.trust };
  const registry = { ...bundleFiles, ...Object.fromEntries(Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])) };
  const page = (extra = {}, files = {}) => ({ 'holder.json': { ...holderJson, ...extra }, 'zkstatus.pk': demo.pk, 'policy.json': demo.policy, ...registry, ...files });
  const cfg = {
    holder: await writeConfig('holder', page()),
    tampered: await writeConfig('tampered', page({}, { 'zkstatus.pk': tamperedPk })),
    foreign: await writeConfig('foreign', page({}, { 'zkstatus.pk': foreign.pk })),
    nokey: await writeConfig('nokey', { 'holder.json': holderJson, 'policy.json': demo.policy, ...registry }),
    noroots: await writeConfig('noroots', { 'holder.json': holderJson, 'policy.json': demo.policy, 'zkstatus.pk': demo.pk }),
    // The roots without the active epoch's registry file (only epoch 3's).
    noreg: await writeConfig('noreg', { 'holder.json': holderJson, 'policy.json': demo.policy, 'zkstatus.pk': demo.pk, ...bundleFiles, 'registry-3.bin': demo.registries['3'] }),
    typo: await writeConfig('typo', page({ pinnedPk: pin })),
    badpin: await writeConfig('badpin', page({ pinnedPkSha256: pin.toUpperCase() })),
    farkey: await writeConfig('farkey', page({ provingKey: 'https://cdn.example/zkstatus.pk' })),
    // Epoch 4's root published but not yet in force (it activates in an hour).
    future: await writeConfig('future', page({}, { 'registry.bundle': futureBundle.bundle, 'trust.json': futureBundle.trust })),
    nopolicy: await writeConfig('nopolicy', { 'holder.json': holderJson, 'zkstatus.pk': demo.pk, ...registry }),
    venue: await writeConfig('venue', {
      'zkstatus.vk': demo.vk, ...bundleFiles, 'policy.json': demo.policy,
      'venue.json': { format: 'zkstatus/venue', version: 1, name: 'Test Venue', pinnedVkFingerprint: demo.vkFingerprint },
    }),
  };
  const empty = path.join(tmp, 'empty');
  await mkdir(empty);
  const routes = [['/venue/', DIST_DIR], ['/venue/config/', cfg.venue]];
  for (const name of ['holder', 'future', 'tampered', 'foreign', 'nokey', 'noroots', 'noreg', 'typo', 'badpin', 'farkey', 'nopolicy']) {
    routes.push([`/${name}/`, HOLDER_DIST_DIR], [`/${name}/config/`, cfg[name]]);
  }
  routes.push(['/nopkg/', HOLDER_DIST_DIR], ['/nopkg/config/', cfg.holder], ['/nopkg/pkg/', empty]); // a partial deployment
  server = await serve(routes);

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  context.on('page', watch);
  context.on('request', (r) => requests.push(r.url()));
  hp = await context.newPage();
  venueContext = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  venueContext.on('page', watch);
  venueContext.on('request', (r) => otherRequests.push(r.url()));
  vp = await venueContext.newPage();
});

after(async () => {
  await venueContext?.close();
  await context?.close();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the pinned proving key loads; with no files the page asks for them and Prove is disabled', async () => {
  assert.equal(await openPage(hp, '/holder/'), 'ready');
  assert.equal(await hp.textContent('#page-name'), PAGE_NAME);
  assert.equal(await hp.getAttribute('#vk-fingerprint', 'data-full'), demo.vkFingerprint);
  assert.match(await hp.textContent('#vk-fingerprint'), /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  assert.ok(pin.startsWith((await hp.textContent('#pk-fingerprint')).replace('…', '')));
  assert.equal(await hp.getAttribute('#status', 'data-green'), '');
  assert.match(await hp.textContent('#status-note'), /Load your credential/);
  assert.equal(await hp.isDisabled('#prove-button'), true);
  assert.match(await hp.textContent('#prove-hint'), /credential/);
  assert.equal(await hp.isVisible('#key-error'), false);
  assert.equal(await hp.isVisible('#progress'), false);
  // A holder secret can be made here, or imported.
  assert.equal(await hp.isVisible('#generate'), true);
  const rules = await hp.locator('#policy-rules li').allTextContents();
  assert.deepEqual(rules.slice(0, 3), [
    'PCR test taken at most 72 hours ago',
    'Rapid antigen test taken at most 24 hours ago',
    'No recorded exposure in the last 10 days',
  ]);
  await hp.screenshot({ path: shot('empty'), fullPage: true });
});

test('the registry: downloaded whole (the registry bundle and each epoch\'s file); its active epoch and end date shown', async () => {
  await hp.waitForFunction(() => document.getElementById('registry').dataset.ready === 'true', null, { timeout: 20000 });
  const roots = JSON.parse(await readFile(demo.roots, 'utf8')).roots;
  const active = roots.filter((r) => r.activates_at <= now()).at(-1);
  assert.equal(await hp.getAttribute('#registry', 'data-active-epoch'), String(active.epoch));
  assert.equal(await hp.getAttribute('#registry', 'data-end-date'), String(active.end_date));
  assert.equal(await hp.getAttribute('#registry', 'data-code'), '');
  const text = await hp.textContent('#registry-lines');
  assert.match(text, new RegExp(`Registry epoch ${active.epoch}\\.`));
  assert.match(text, /Its end date: .*\d{4}/);
  assert.ok(!/\b1[7-9]\d{8}\b/.test(text), 'dates in words, not unix times');
  // The bundle's roots, checked: when it was cosigned is shown.
  assert.match(text, /Registry data checked against its log and witnesses \(cosigned .+, usable until .+\)/);
  // Only whole files: the bundle and registry-<epoch>.bin, never a per-issuer request.
  const fetched = requests.filter((u) => /\/holder\/config\/(roots|registry|trust)/.test(u)).map((u) => new URL(u).pathname);
  assert.ok(fetched.includes('/holder/config/registry.bundle'), fetched.join(' '));
  assert.ok(fetched.includes('/holder/config/trust.json'), fetched.join(' '));
  assert.ok(fetched.includes(`/holder/config/registry-${active.epoch}.bin`), fetched.join(' '));
  assert.ok(fetched.every((u) => /^\/holder\/config\/(registry\.bundle|trust\.json|registry-\d+\.bin)$/.test(u)), fetched.join(' '));
});

test('a root that activates later: its registry file is downloaded ahead, and the page says when it takes effect', async () => {
  const p = await context.newPage();
  try {
    assert.equal(await openPage(p, '/future/'), 'ready');
    await p.waitForFunction(() => document.getElementById('registry').dataset.ready === 'true', null, { timeout: 20000 });
    assert.equal(await p.getAttribute('#registry', 'data-active-epoch'), '3');
    assert.equal(await p.getAttribute('#registry', 'data-next-activation'), String(futureActivation));
    assert.match(await p.textContent('#registry-lines'), /Next registry: epoch 4, in force from .+ \(already downloaded\)/);
    // Requested by the page, and again by its service worker for the offline
    // copy (web/common/sw.js): the same whole files, no others.
    const fetched = requests.filter((u) => u.startsWith(`${server.url}/future/config/registry-`)).map((u) => new URL(u).pathname);
    assert.deepEqual([...new Set(fetched)].sort(), ['/future/config/registry-3.bin', '/future/config/registry-4.bin']);
    await p.screenshot({ path: shot('registry-next'), fullPage: true });
  } finally {
    await p.close();
  }
});

test('credential by file, holder secret imported: GREEN until when; the secret is never shown, its commitment is', async () => {
  await loadFiles(hp);
  await waitGreen(hp, 'true');
  const cred = JSON.parse(await readFile(demo.credential, 'utf8'));
  const policy = JSON.parse(await readFile(demo.policy, 'utf8'));
  const until = Math.min(cred.record.expires_at, cred.record.test_time + policy.max_test_age[cred.record.test_type]);
  assert.equal(await hp.getAttribute('#status', 'data-green-until'), String(until));
  assert.match(await hp.textContent('#status-word'), /GREEN/);
  assert.match(await hp.textContent('#status-until'), /^until .+ \(for another \d+ (day|hour)s?( \d+ (hour|minute)s?)?\)$/);
  assert.equal(await hp.locator('#status-reasons li').count(), 0);
  assert.match(await hp.textContent('#credential-summary'), /PCR test, negative/);
  // Set up: the setup steps folded away (holder-ux.test.mjs); opened again,
  // the commitment, as text and as a QR code that decodes to it.
  assert.equal(await hp.isVisible('#commitment-qr'), false);
  await hp.click('#setup-summary');
  assert.equal(await hp.getAttribute('#commitment-text', 'data-holder'), secret.holder);
  assert.equal(await decodePng(hp, await hp.locator('#commitment-qr').screenshot()), secret.holder);
  // The secret: in storage, never in the page.
  assert.ok(!(await pageHtml(hp)).includes(secret.secret), 'the secret is not in the page');
  const stored = await hp.evaluate(() => ({ c: localStorage.getItem('zkstatus-holder/credential'), s: localStorage.getItem('zkstatus-holder/holder-secret') }));
  assert.equal(stored.c, await readFile(demo.credential, 'utf8'));
  assert.equal(JSON.parse(stored.s).holder, secret.holder);
  assert.equal(await hp.isEnabled('#prove-button'), true);
  assert.equal(await hp.textContent('#prove-hint'), '');
  await hp.screenshot({ path: shot('green'), fullPage: true });
});

let firstPayload;

test('the venue page\'s ZKC2 code typed in (lower case, blanks around it), proved with progress; the text pasted into the venue: ACCEPT (the acceptance point); the same proof again: REJECT', async () => {
  assert.equal(await openPage(vp, '/venue/'), 'ready');
  const challenge = await challengeOf();
  assert.match(challenge, OFFER);
  // Typed in lower case, with blanks around it.
  await hp.fill('#challenge-input', `  ${challenge.toLowerCase()}\t`);
  // Record the progress bar as the page updates it.
  await hp.evaluate(() => {
    window.progressLog = [];
    const el = document.getElementById('progress');
    new MutationObserver(() => {
      window.progressLog.push({ phase: el.dataset.phase, now: Number(el.getAttribute('aria-valuenow')), hidden: el.hidden, payload: document.getElementById('payload-text').dataset.payload !== '' });
    }).observe(el, { attributes: true });
  });
  const payload = await proveOnPage();
  assert.equal(await hp.inputValue('#challenge-input'), challenge, 'the code is normalised');
  const log = await hp.evaluate(() => window.progressLog);
  const shown = log.filter((e) => !e.hidden && e.phase === 'prove');
  assert.ok(shown.length >= 2, `progress shown while proving: ${JSON.stringify(log)}`);
  const values = shown.map((e) => e.now);
  assert.deepEqual(values, [...values].sort((a, b) => a - b), 'progress never goes back');
  assert.ok(values.slice(0, -1).every((v) => v < 100), 'no 100 % before the result');
  assert.ok(shown.every((e) => !e.payload), 'the payload appears after the progress ends');
  assert.equal(await hp.getAttribute('#progress', 'role'), 'progressbar');
  assert.equal(await hp.isVisible('#progress'), false);
  assert.match(await hp.textContent('#payload-meta'), /in \d+\.\d s/);
  assert.ok(Number(await hp.getAttribute('#payload-meta', 'data-ms')) > 0);
  await hp.screenshot({ path: shot('payload'), fullPage: true });

  assertAccepted(await venuePaste(payload), 'holder page proof, pasted');
  await vp.screenshot({ path: shot('venue-accept') });
  assert.notEqual(await challengeOf(), challenge, 'the venue moved on to a new challenge');

  // "Copy the text" puts exactly the payload on the clipboard.
  await hp.click('#copy-payload');
  await hp.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
  assert.equal(await hp.evaluate(() => navigator.clipboard.readText()), payload);
  // "Save payload.bin": the same proof, 146 bytes.
  const [download] = await Promise.all([hp.waitForEvent('download'), hp.click('#download-payload')]);
  assert.equal(download.suggestedFilename(), 'payload.bin');
  const bin = await readFile(await download.path());
  assert.equal(bin.length, 146);
  assert.equal(`ZKS2:${base45Encode(bin)}`, payload);
  assert.equal(await hp.getAttribute('#payload-meta', 'data-epoch'), await hp.getAttribute('#registry', 'data-active-epoch'));
  // The same proof again at the venue: its challenge was used.
  await clearVerdict();
  const replay = await venuePaste(payload);
  assert.equal(replay.verdict, 'reject');
  assert.equal(replay.code, 'challenge-used');
  firstPayload = payload;
});

test('the venue\'s challenge from a photo of its QR code; the on-screen proof QR code, as a PNG, opened by the venue: ACCEPT', async () => {
  await clearVerdict();
  const challenge = await challengeOf();
  const photo = path.join(tmp, 'venue-challenge.png');
  await writeFile(photo, await vp.locator('#challenge-qr').screenshot());
  await hp.fill('#challenge-input', '');
  await hp.setInputFiles('#challenge-file', photo);
  await hp.waitForFunction((c) => document.getElementById('challenge-input').value === c, challenge);
  assert.match(await hp.textContent('#challenge-note'), /read from the photo/);
  const payload = await proveOnPage();
  assert.notEqual(payload, firstPayload);
  // A QR code for a screen: quiet zone of 4 modules, whole-pixel modules, ecc M.
  const qr = await hp.evaluate(() => ({ ...document.getElementById('payload-qr').dataset, width: document.getElementById('payload-qr').width }));
  assert.equal(qr.border, '4');
  assert.ok(['M', 'L'].includes(qr.ecc));
  assert.ok(Number(qr.scale) >= 6, `module size ${qr.scale} px`);
  assert.equal(qr.width, (Number(qr.modules) + 8) * Number(qr.scale));
  const box = await hp.locator('#payload-qr').boundingBox();
  assert.ok(box.width >= 300, `the QR code is large on screen (${box.width} px)`);
  const png = path.join(tmp, 'holder-payload-qr.png');
  await writeFile(png, await hp.locator('#payload-qr').screenshot());
  await copyFile(png, shot('payload-qr'));
  // On a phone's screen too: as wide as the screen allows, never clipped.
  await hp.setViewportSize({ width: 360, height: 740 });
  try {
    const [qrBox, panel] = await Promise.all([hp.locator('#payload-qr').boundingBox(), hp.locator('#payload').boundingBox()]);
    assert.ok(qrBox.x >= panel.x && qrBox.x + qrBox.width <= panel.x + panel.width && qrBox.x + qrBox.width <= 360, `inside its panel: ${JSON.stringify([qrBox, panel])}`);
    assert.ok(qrBox.width >= 320, `${qrBox.width} px wide on a 360 px screen`);
    await hp.locator('#payload').screenshot({ path: shot('payload-phone') });
  } finally {
    await hp.setViewportSize({ width: 1100, height: 1000 });
  }
  assertAccepted(await venueFile(png), 'PNG of the holder page\'s QR code');
});

test('bad venue codes: a clear error each, and no proof', async () => {
  const payloadBefore = await hp.getAttribute('#payload-text', 'data-payload');
  for (const [input, code] of [
    ['', 'challenge-missing'],
    ['hello venue', 'challenge-format'],
    ['ZKC2:ABC123', 'challenge-length'],
    [`ZKC2:${'0'.repeat(61)}`, 'challenge-length'],
    ['ab'.repeat(32), 'challenge-v1'],
    [`ZKC2:${':'.repeat(60)}`, 'challenge-format'],
    [`ZKC2:${'0'.repeat(60)}`, 'challenge-range'],
    ['<script>alert(1)</script>', 'challenge-format'],
  ]) {
    await hp.evaluate(() => { document.getElementById('challenge-error').dataset.code = ''; });
    await hp.fill('#challenge-input', input);
    await hp.press('#challenge-input', 'Enter'); // submits the form, as Prove does
    await hp.waitForFunction((c) => document.getElementById('challenge-error').dataset.code === c, code, { timeout: 5000 });
    assert.equal(await hp.isVisible('#challenge-error'), true, input);
    assert.ok((await hp.textContent('#challenge-error')).length > 30, `a sentence for ${JSON.stringify(input)}`);
    assert.equal(await hp.evaluate(() => document.body.dataset.proving), 'false');
  }
  await hp.screenshot({ path: shot('bad-challenge') });
  assert.equal(await hp.locator('#challenge-error script').count(), 0, 'input is never parsed as HTML');
  // Leaving the field with a bad code reports it too; a good one clears it.
  await hp.fill('#challenge-input', 'xyz');
  await hp.press('#challenge-input', 'Tab');
  await hp.waitForFunction(() => document.getElementById('challenge-error').dataset.code === 'challenge-format');
  await hp.fill('#challenge-input', (await readFile(path.join(FIXTURE_DIR, 'challenge.txt'), 'utf8')).trim());
  await hp.waitForFunction(() => document.getElementById('challenge-error').hidden);
  assert.equal(await hp.getAttribute('#payload-text', 'data-payload'), payloadBefore, 'no proof was made');
});

test('camera: the venue\'s challenge QR code through Chromium\'s fake camera; proved; ACCEPT', async () => {
  await clearVerdict();
  const challenge = await challengeOf();
  const video = path.join(tmp, 'camera.y4m');
  await writeFile(video, qrY4m(qrMatrix(challenge), { scale: 6 }));
  const camBrowser = await launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const camContext = await camBrowser.newContext({ viewport: { width: 900, height: 1000 } });
    await camContext.grantPermissions(['camera'], { origin: server.url });
    const cam = await camContext.newPage();
    watch(cam);
    camContext.on('request', (r) => otherRequests.push(r.url()));
    assert.equal(await openPage(cam, '/holder/'), 'ready');
    await loadFiles(cam);
    await waitGreen(cam, 'true');
    await cam.click('#challenge-camera');
    await cam.waitForFunction((c) => document.getElementById('challenge-input').value === c, challenge, { timeout: 20000 });
    assert.equal(await cam.isVisible('#scanner'), false, 'the camera stops once it has the code');
    assert.match(await cam.textContent('#challenge-note'), /scanned/);
    const payload = await proveOnPage(cam);
    await cam.screenshot({ path: shot('camera'), fullPage: true });
    assertAccepted(await venuePaste(payload), 'proof for the scanned challenge');
  } finally {
    await camBrowser.close();
  }
});

test('not green (a PCR test too old, by a PNG of the credential\'s QR code; an expired credential): the reasons in words, no proof', async () => {
  const t = now();
  const old = await issueCredential(demo, path.join(tmp, 'old.json'), { testTime: t - 100 * 3600, validFor: '10d' });
  const png = path.join(tmp, 'old-credential-qr.png');
  await writeFile(png, qrPng(qrMatrix(await readFile(old, 'utf8')), 4));
  await hp.setInputFiles('#credential-file', png);
  await waitGreen(hp, 'false');
  assert.equal(await hp.getAttribute('#credential-summary', 'data-source'), 'qr-image');
  assert.equal(await hp.getAttribute('#status', 'data-reasons'), 'test-too-old');
  assert.match(await hp.textContent('#status-word'), /NOT GREEN/);
  const reasons = await hp.locator('#status-reasons li').allTextContents();
  assert.equal(reasons.length, 1);
  assert.match(reasons[0], /^The test is 4 days 4 hours old; the policy accepts at most 3 days\.$/);
  assert.equal(await hp.isDisabled('#prove-button'), true);
  assert.match(await hp.textContent('#prove-hint'), /Not green/);
  assert.equal(await hp.isVisible('#payload'), false, 'the earlier proof is gone');
  assert.equal(await hp.getAttribute('#payload-text', 'data-payload'), '');
  await hp.screenshot({ path: shot('not-green'), fullPage: true });

  const expired = await issueCredential(demo, path.join(tmp, 'expired.json'), { testTime: t - 20 * 3600, expiresAt: t - 3600 });
  await hp.setInputFiles('#credential-file', expired);
  await hp.waitForFunction(() => document.getElementById('status').dataset.reasons === 'expired');
  assert.equal(await hp.getAttribute('#status', 'data-green'), 'false');
  assert.match(await hp.textContent('#status-reasons'), /expired/i);
  assert.equal(await hp.isDisabled('#prove-button'), true);
});

test('the status turns NOT GREEN while the page is open, when it said it would', async () => {
  const t = now();
  const policy = JSON.parse(await readFile(demo.policy, 'utf8'));
  // Green while the test is at most 72 h old: greenUntil is the first second it is not.
  const until = t + 4;
  const soon = await issueCredential(demo, path.join(tmp, 'soon.json'), { testTime: until - 1 - policy.max_test_age.pcr, validFor: '10d' });
  await hp.setInputFiles('#credential-file', soon);
  await waitGreen(hp, 'true');
  assert.equal(await hp.getAttribute('#status', 'data-green-until'), String(until));
  assert.match(await hp.textContent('#status-until'), /for another \d+ seconds?\)/);
  await hp.waitForFunction(() => document.getElementById('status').dataset.green === 'false', null, { timeout: 15000 });
  assert.ok(now() >= until, 'not before the time');
  assert.equal(await hp.getAttribute('#status', 'data-reasons'), 'test-too-old');
  // Back to the demo credential.
  await hp.setInputFiles('#credential-file', demo.credential);
  await waitGreen(hp, 'true');
});

test('the credential and secret are kept across a reload; "Forget" removes them', async () => {
  assert.equal(await openPage(hp, '/holder/'), 'ready');
  await waitGreen(hp, 'true');
  assert.equal(await hp.getAttribute('#commitment-text', 'data-holder'), secret.holder);
  assert.equal(await hp.getAttribute('#credential-summary', 'data-loaded'), 'true');
  await hp.click('#forget');
  assert.equal(await hp.isVisible('#forget-confirm'), true, 'forgetting asks first');
  await hp.click('#forget-cancel');
  assert.equal(await hp.getAttribute('#status', 'data-green'), 'true', 'cancel keeps them');
  await hp.click('#forget');
  await hp.click('#forget-confirm');
  await hp.waitForFunction(() => document.getElementById('status').dataset.green === '');
  assert.match(await hp.textContent('#forget-status'), /Forgotten/);
  assert.deepEqual(await hp.evaluate(() => [localStorage.getItem('zkstatus-holder/credential'), localStorage.getItem('zkstatus-holder/holder-secret')]), [null, null]);
  assert.equal(await hp.isVisible('#commitment'), false);
  assert.equal(await hp.getAttribute('#credential-summary', 'data-loaded'), 'false');
  assert.equal(await hp.isDisabled('#prove-button'), true);
  assert.equal(await hp.isDisabled('#forget'), true);
  await openPage(hp, '/holder/', { until: ['key-loading', 'ready'] }); // the files are read before the key
  assert.equal(await hp.getAttribute('#credential-summary', 'data-loaded'), 'false', 'still forgotten after a reload');
  assert.equal(await hp.getAttribute('#secret-summary', 'data-loaded'), 'false');
  await hp.screenshot({ path: shot('forgotten'), fullPage: true });
});

test('the wrong files in the wrong places: clear errors', async () => {
  await hp.setInputFiles('#credential-file', demo.secret);
  await hp.waitForFunction(() => document.getElementById('credential-error').dataset.code === 'credential-format');
  assert.match(await hp.textContent('#credential-error'), /holder secret/);
  assert.ok(!(await pageHtml(hp)).includes(secret.secret), 'the secret is not echoed');
  await hp.setInputFiles('#secret-file', demo.credential);
  await hp.waitForFunction(() => document.getElementById('secret-error').dataset.code === 'secret-format');
  assert.match(await hp.textContent('#secret-error'), /credential/);
  const blank = path.join(tmp, 'blank.png');
  await writeFile(blank, qrPng(Array.from({ length: 40 }, () => Array(40).fill(false)), 4));
  await hp.setInputFiles('#credential-file', blank);
  await hp.waitForFunction(() => document.getElementById('credential-error').dataset.code === 'no-qr-code');
  await hp.setInputFiles('#policy-file', demo.roots);
  await hp.waitForFunction(() => document.getElementById('policy-error').dataset.code === 'policy-format');
  assert.match(await hp.textContent('#policy-error'), /not a zkstatus policy \(it is the registry roots\)/);
  assert.equal(await hp.getAttribute('#credential-summary', 'data-loaded'), 'false');
});

test('a venue\'s own policy file: the status follows it', async () => {
  await loadFiles(hp);
  await waitGreen(hp, 'true');
  const strict = path.join(tmp, 'strict-policy.json');
  await writeFile(strict, JSON.stringify({ format: 'zkstatus/policy', version: 1, max_test_age: { pcr: 3600, rapid_antigen: null }, min_exposure_gap: 0 }));
  await hp.setInputFiles('#policy-file', strict);
  await waitGreen(hp, 'false');
  assert.equal(await hp.getAttribute('#status', 'data-reasons'), 'test-too-old');
  assert.match(await hp.textContent('#policy-source'), /strict-policy\.json/);
  assert.deepEqual((await hp.locator('#policy-rules li').allTextContents()).slice(0, 3), [
    'PCR test taken at most 1 hour ago', 'Rapid antigen tests: not accepted', 'Recorded exposures: not considered',
  ]);
  await hp.click('#policy-reset');
  await waitGreen(hp, 'true');
});

test('"Make a new holder secret here": made in the page, only its holder code shown; a credential the lab issues for that code is GREEN', async () => {
  const genContext = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  genContext.on('page', watch);
  genContext.on('request', (r) => otherRequests.push(r.url()));
  try {
    const p = await genContext.newPage();
    assert.equal(await openPage(p, '/holder/'), 'ready');
    assert.equal(await p.isVisible('#generate-secret'), true);
    await p.click('#generate-secret');
    await p.waitForFunction(() => document.getElementById('secret-summary').dataset.loaded === 'true');
    const holder = await p.getAttribute('#commitment-text', 'data-holder');
    assert.match(holder, HEX64);
    assert.notEqual(holder, secret.holder, 'a fresh secret');
    assert.equal(await decodePng(p, await p.locator('#commitment-qr').screenshot()), holder);
    const kept = JSON.parse(await p.evaluate(() => localStorage.getItem('zkstatus-holder/holder-secret')));
    assert.equal(kept.format, 'zkstatus/holder-secret');
    assert.equal(kept.holder, holder);
    assert.match(kept.secret, HEX64);
    assert.ok(!(await pageHtml(p)).includes(kept.secret), 'the secret is not shown');
    // The lab issues a credential for that code (zkstatus issuer issue); the holder is green.
    const t = now() - 3600;
    const issued = await issueCredential(demo, path.join(tmp, 'for-generated.json'), { holder, testTime: t, issuedAt: t });
    await p.setInputFiles('#credential-file', issued);
    await waitGreen(p, 'true');
    await p.screenshot({ path: shot('generated-secret'), fullPage: true });
    // The demo's credential is for another holder: not green with this secret.
    await p.setInputFiles('#credential-file', demo.credential);
    await p.waitForFunction(() => document.getElementById('status').dataset.green !== 'true', undefined, { timeout: 20000 });
    // Replacing an existing secret asks first.
    await p.click('#generate-secret');
    assert.match(await p.textContent('#generate-secret'), /press again/);
    assert.equal(await p.getAttribute('#commitment-text', 'data-holder'), holder);
  } finally {
    await genContext.close();
  }
});

test('a tampered proving key and a foreign one (another setup): "does not match its pinned fingerprint", Prove disabled', async () => {
  const keyContext = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  keyContext.on('page', watch);
  keyContext.on('request', (r) => otherRequests.push(r.url()));
  try {
    const p = await keyContext.newPage();
    for (const where of ['/tampered/', '/foreign/']) {
      assert.equal(await openPage(p, where), 'key-error', where);
      assert.equal(await p.getAttribute('#key-error', 'data-code'), 'pk-pin-mismatch', where);
      assert.equal(await p.isVisible('#key-error'), true);
      const text = await p.textContent('#key-error');
      assert.match(text, /does not match its pinned fingerprint/, where);
      assert.match(text, /No proof can be made/, where);
      assert.match(text, new RegExp(`the page pins ${pin}`), where);
      assert.equal(await p.isDisabled('#prove-button'), true);
      // The holder's files still load and the status (which needs no
      // proving key) is shown, but no proof can be made.
      await loadFiles(p);
      await waitGreen(p, 'true');
      assert.match(await p.textContent('#status-note'), /cannot make proofs/);
      assert.equal(await p.isDisabled('#prove-button'), true);
      await p.fill('#challenge-input', 'ab'.repeat(32));
      await p.press('#challenge-input', 'Enter');
      assert.equal(await p.getAttribute('#payload-text', 'data-payload'), '');
      await p.screenshot({ path: shot(`key-${where.slice(1, -1)}`), fullPage: true });
    }
  } finally {
    await keyContext.close();
  }
});

test('configuration and deployment errors are shown on the page', async () => {
  const p = await context.newPage();
  try {
    for (const [where, state, expected, code] of [
      ['/typo/', 'config-error', /unknown setting "pinnedPk"/],
      ['/badpin/', 'config-error', /"pinnedPkSha256" must be 64 lowercase hex digits/],
      ['/farkey/', 'config-error', /"provingKey" must be a path relative to config\//],
      ['/nopolicy/', 'config-error', /config\/policy\.json: HTTP 404/],
      ['/noroots/', 'config-error', /config\/registry\.bundle: HTTP 404/],
      ['/nokey/', 'key-error', /could not be downloaded/, 'pk-fetch'],
      ['/nopkg/', 'config-error', /the page's files did not load/],
    ]) {
      assert.equal(await openPage(p, where), state, where);
      if (state === 'config-error') {
        assert.equal(await p.isVisible('#config-error'), true);
        assert.equal(await p.isVisible('#main'), false);
        assert.match(await p.textContent('#config-error-message'), expected, where);
      } else {
        assert.equal(await p.getAttribute('#key-error', 'data-code'), code, where);
        assert.match(await p.textContent('#key-error'), expected, where);
        assert.equal(await p.isDisabled('#prove-button'), true);
      }
    }
    await openPage(p, '/typo/');
    await p.screenshot({ path: shot('config-error') });
    // The active epoch's registry file is missing: named, and no proof can be made.
    assert.equal(await openPage(p, '/noreg/'), 'ready');
    await p.waitForFunction(() => document.getElementById('registry').dataset.code !== '', null, { timeout: 20000 });
    assert.equal(await p.getAttribute('#registry', 'data-ready'), 'false');
    assert.equal(await p.getAttribute('#registry', 'data-code'), 'registry-fetch');
    assert.match(await p.textContent('#registry-lines'), /registry of epoch 4 could not be downloaded \(config\/registry-4\.bin: HTTP 404/);
    await loadFiles(p);
    await waitGreen(p, 'true');
    assert.equal(await p.isDisabled('#prove-button'), true);
    assert.match(await p.textContent('#prove-hint'), /issuer registry is not loaded/);
    assert.match(await p.textContent('#status-note'), /issuer registry is not loaded/);
    await p.screenshot({ path: shot('registry-missing'), fullPage: true });
  } finally {
    await p.close();
  }
});

test('privacy: only the page\'s own files, the proving key fetched once; nothing logged; no page errors', () => {
  const off = [...requests, ...otherRequests].filter((u) => !u.startsWith(`${server.url}/`));
  assert.deepEqual(off, [], 'no request leaves the origin');
  const keyFetches = requests.filter((u) => u === `${server.url}/holder/config/zkstatus.pk`);
  assert.equal(keyFetches.length, 1, `the key is fetched once, then comes from the Cache API (page loaded 3 times): ${keyFetches.length}`);
  assert.deepEqual(pageErrors, []);
  const secrets = [secret.secret, 'ZKS2:', 'ZKS1:'];
  const leaked = consoleMessages.filter((m) => secrets.some((s) => m.text.includes(s)));
  assert.deepEqual(leaked, [], 'no secret or proof in the console');
  const csp = consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
  assert.deepEqual(csp, [], 'no CSP violation');
  // Holder pages log nothing; only the browser itself reports the deliberate
  // 404s of the broken deployments. (The venue page's console is venue.test.mjs's.)
  const expected404 = /^\/(nokey|nopolicy|noroots|noreg|nopkg)\//;
  const other = consoleMessages.filter((m) => !new URL(m.url).pathname.startsWith('/venue/'))
    .filter((m) => !(expected404.test(new URL(m.url).pathname) && /status of 404/.test(m.text)));
  assert.deepEqual(other, [], 'nothing logged');
});
