// The holder page as a new user finds it (issue 15, "The holder page, fixed as
// a new user found it"), in headless Chromium on a phone (390×844, touch) and
// a tablet (820×1180, touch), with files made by the zkstatus CLI:
// - until a credential and the holder secret it was issued for are loaded,
//   the setup steps (1, 2) come first, above the status, the pass and the
//   proof; then they fold away below them, and open again;
// - every control is a touch target of at least 44×44 CSS px, and no bare
//   file input shows (each is visually hidden behind a label that looks like
//   a button, and still takes the keyboard focus);
// - the progress text says what happens, in order: starting, fetching the
//   proving key, checking it; then checking the credential, proving,
//   finishing and checking the proof;
// - a credential issued for another holder secret is not called NOT GREEN:
//   the page says whose it is, and that it is not a health result;
// - the key fingerprints and the storage names are behind a closed
//   "Technical details" disclosure;
// and axe-core finds no violation in these states.
// Screenshots: test/artifacts/holder-ux-*.png.
//
//   (cd web && node --test test/holder-ux.test.mjs)   CHROMIUM=…, ZKSTATUS_CLI=…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS_DIR, DIST_DIR, HOLDER_DIST_DIR, launchChromium, serve, makeDemo, sha256File, issueCredential, zkstatus,
} from './helpers.mjs';
import { violations } from './page-checks.mjs';

const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  tablet: { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true },
};
const MIN = 44; // CSS px: WCAG 2.5.5's target size
const shot = (name) => path.join(ARTIFACTS_DIR, `holder-ux-${name}.png`);
const now = () => Math.floor(Date.now() / 1000);

let tmp;
let demo;
let pin;
let otherCredential; // issued by the demo's lab for another holder secret
let server;
let browser;
const pageErrors = [];

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-holder-ux-'));
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
  await zkstatus(['holder', 'keygen', '--out', path.join(tmp, 'other.secret')]);
  const otherHolder = JSON.parse(await readFile(path.join(tmp, 'other.secret'), 'utf8')).holder;
  const t = now() - 3600;
  otherCredential = await issueCredential(demo, path.join(tmp, 'other-credential.json'), { holder: otherHolder, testTime: t });

  const venueCfg = path.join(tmp, 'venue-config');
  const holderCfg = path.join(tmp, 'holder-config');
  await mkdir(venueCfg);
  await mkdir(holderCfg);
  for (const [to, from] of [['zkstatus.vk', demo.vk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy]]) await copyFile(from, path.join(venueCfg, to));
  await writeFile(path.join(venueCfg, 'venue.json'), JSON.stringify({ format: 'zkstatus/venue', version: 1, name: 'Test Venue', pinnedVkFingerprint: demo.vkFingerprint }));
  for (const [to, from] of [['zkstatus.pk', demo.pk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy],
    ...Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])]) await copyFile(from, path.join(holderCfg, to));
  await writeFile(path.join(holderCfg, 'holder.json'), JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: pin }));
  server = await serve([['/venue/', DIST_DIR], ['/venue/config/', venueCfg], ['/holder/', HOLDER_DIST_DIR], ['/holder/config/', holderCfg]]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A fresh device (its own storage); bypassCSP only to inject axe-core. */
async function device(name) {
  const ctx = await browser.newContext({ ...DEVICES[name], bypassCSP: true, locale: 'en-US' });
  ctx.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e}`)));
  return ctx;
}

async function openHolder(p) {
  await p.goto(`${server.url}/holder/`);
  await p.waitForFunction(() => ['ready', 'key-error', 'config-error'].includes(document.body.dataset.state), null, { timeout: 60000 });
  return p.evaluate(() => document.body.dataset.state);
}

/** The top of each element (document coordinates), by id. */
function tops(p, ids) {
  return p.evaluate((list) => Object.fromEntries(list.map((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return [id, { top: r.top + scrollY, bottom: r.bottom + scrollY }];
  })), ids);
}

/** The panels, as the holder meets them: the setup, then the status, the pass, the proof. */
async function assertSetupFirst(p, what) {
  assert.equal(await p.getAttribute('#setup', 'data-setup'), 'false', what);
  assert.equal(await p.evaluate(() => document.getElementById('setup').open), true, `${what}: the setup steps are open`);
  assert.equal(await p.isVisible('#credential-summary'), true, what);
  assert.equal(await p.isVisible('#secret-summary'), true, what);
  const t = await tops(p, ['setup', 'status', 'pass-heading', 'prove-heading', 'about']);
  assert.ok(t.setup.bottom <= t.status.top, `${what}: the setup steps above the status ${JSON.stringify(t)}`);
  assert.ok(t.status.top < t['pass-heading'].top && t.status.top < t['prove-heading'].top, `${what}: ${JSON.stringify(t)}`);
  // First in the document too, so the keyboard and screen readers meet them first.
  assert.equal(await p.evaluate(() => document.getElementById('main').firstElementChild.id), 'setup', what);
}

async function assertSetupFolded(p, what) {
  assert.equal(await p.getAttribute('#setup', 'data-setup'), 'true', what);
  assert.equal(await p.evaluate(() => document.getElementById('setup').open), false, `${what}: folded`);
  assert.equal(await p.isVisible('#setup-summary'), true, what);
  assert.match(await p.textContent('#setup-summary'), /Your credential and holder secret/, what);
  for (const id of ['#credential-summary', '#secret-summary', '#credential-camera', '#commitment']) {
    assert.equal(await p.isVisible(id), false, `${what}: ${id} folded away`);
  }
  const t = await tops(p, ['status', 'pass-heading', 'prove-heading', 'setup', 'about']);
  assert.ok(t.setup.top >= t['prove-heading'].top && t.setup.top >= t['pass-heading'].top && t.setup.top >= t.status.bottom,
    `${what}: below the status, the pass and the proof ${JSON.stringify(t)}`);
  assert.ok(t.setup.bottom <= t.about.top, `${what}: above "This device" ${JSON.stringify(t)}`);
}

async function setInput(p, selector, file) {
  await p.setInputFiles(selector, file);
}

async function loadCredential(p, file = demo.credential) {
  await setInput(p, '#credential-file', file);
  await p.waitForFunction(() => document.getElementById('credential-summary').dataset.loaded === 'true');
}

async function loadSecret(p, file = demo.secret) {
  await setInput(p, '#secret-file', file);
  await p.waitForFunction(() => document.getElementById('secret-summary').dataset.loaded === 'true');
}

/**
 * Every control the page shows now: its size, and the file inputs with
 * their labels. Controls in closed disclosures and hidden blocks have no box
 * and are not counted; open every disclosure first to see them all.
 */
function controls(p) {
  return p.evaluate(() => {
    const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.htmlFor ? `[for=${el.htmlFor}]` : ''} "${el.textContent.trim().slice(0, 40)}"`;
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height };
    };
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const list = [...document.querySelectorAll('button, a[href], label.file-button, summary, input, select, textarea')]
      .filter((el) => shown(el) && el.type !== 'file')
      .map((el) => ({ what: describe(el), ...box(el), buttonLike: el.matches('button, a[href], label.file-button, input[type=button], input[type=submit]') }));
    const files = [...document.querySelectorAll('input[type=file]')].map((el) => {
      const label = document.querySelector(`label[for="${el.id}"]`);
      const s = getComputedStyle(el);
      return {
        id: el.id,
        ...box(el),
        clipped: s.clipPath === 'inset(50%)' || s.clip === 'rect(0px, 0px, 0px, 0px)',
        tabbable: el.tabIndex >= 0 && !el.disabled,
        label: label ? { what: describe(label), shown: shown(label), ...box(label), isButton: label.classList.contains('file-button') } : null,
        inRenderedPart: el.closest('details:not([open])') === null && el.closest('[hidden]') === null,
      };
    });
    return { list, files };
  });
}

async function assertTouchTargets(p, what) {
  const { list, files } = await controls(p);
  assert.ok(list.length >= 8, `${what}: controls found ${JSON.stringify(list)}`);
  const small = list.filter((c) => c.height < 44 - 0.01 || (c.buttonLike && c.width < 44 - 0.01));
  assert.deepEqual(small, [], `${what}: touch targets under ${MIN}×${MIN} px`);
  // The four file inputs: never a bare native control; a label that looks
  // like a button (≥ 44×44) where the input would be.
  assert.deepEqual(files.map((f) => f.id).sort(), ['challenge-file', 'credential-file', 'policy-file', 'secret-file']);
  for (const f of files) {
    assert.ok(f.width <= 1 && f.height <= 1 && f.clipped, `${what}: #${f.id} is visually hidden ${JSON.stringify(f)}`);
    assert.ok(f.tabbable, `${what}: #${f.id} takes the keyboard focus`);
    assert.ok(f.label?.isButton, `${what}: #${f.id} has a label styled as a button ${JSON.stringify(f)}`);
    if (f.inRenderedPart) {
      assert.ok(f.label.shown && f.label.width >= MIN && f.label.height >= MIN, `${what}: #${f.id}'s label ${JSON.stringify(f.label)}`);
    }
  }
  return list.length;
}

async function openAllDisclosures(p) {
  await p.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
}

/** A fresh venue code (ZKC2:…) from the venue page. */
async function venueCode(ctx) {
  const vp = await ctx.newPage();
  await vp.goto(`${server.url}/venue/`);
  await vp.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
  const code = await vp.getAttribute('#challenge-text', 'data-challenge');
  await vp.close();
  return code;
}

/** Record every text the progress block shows, with its phase, from the start of the page. */
const RECORD_PROGRESS = () => {
  window.progressTexts = [];
  document.addEventListener('DOMContentLoaded', () => {
    const el = document.getElementById('progress');
    const text = document.getElementById('progress-text');
    if (!el || !text) return; // not the holder page
    new MutationObserver(() => {
      const last = window.progressTexts.at(-1);
      const entry = { phase: el.dataset.phase, text: text.textContent };
      if (entry.text !== '' && (!last || last.text !== entry.text || last.phase !== entry.phase)) window.progressTexts.push(entry);
    }).observe(text, { childList: true, characterData: true, subtree: true });
  });
};

function assertInOrder(seen, expected, what) {
  assert.equal(seen.length, expected.length, `${what}: ${JSON.stringify(seen)}`);
  seen.forEach((s, i) => assert.match(s, expected[i], `${what}, step ${i + 1}: ${JSON.stringify(seen)}`));
}

const KEY_WORDS = [/^Starting the prover/, /^Fetching the proving key/, /^Checking the proving key/];
const PROVE_WORDS = [/^Checking your credential/, /^Proving: making your proof/, /^Finishing the proof and checking it/, /^Done\.$/];

for (const name of Object.keys(DEVICES)) {
  test(`${name}: the setup steps come first until the holder is set up, then fold away below the pass and the proof, and open again`, async () => {
    const ctx = await device(name);
    try {
      const p = await ctx.newPage();
      assert.equal(await openHolder(p), 'ready');
      await assertSetupFirst(p, 'no files');
      assert.deepEqual(await violations(p), [], 'no files');
      await p.screenshot({ path: shot(`${name}-setup-first`) });
      await loadCredential(p);
      await assertSetupFirst(p, 'a credential, no holder secret');
      await loadSecret(p);
      await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
      await assertSetupFolded(p, 'set up');
      // The status is what the holder sees next.
      const status = await p.locator('#status').boundingBox();
      assert.ok(status.y >= -1 && status.y < DEVICES[name].viewport.height / 2, `the status in view: ${JSON.stringify(status)}`);
      await p.screenshot({ path: shot(`${name}-set-up`) });
      // Opened again by touch, and folded again.
      await p.tap('#setup-summary');
      await p.waitForFunction(() => document.getElementById('setup').open);
      assert.equal(await p.isVisible('#credential-summary'), true);
      assert.equal(await p.isVisible('#commitment'), true);
      assert.deepEqual(await violations(p), [], 'set up, the setup steps opened again');
      await p.tap('#setup-summary');
      await p.waitForFunction(() => !document.getElementById('setup').open);
      // Kept files: folded from the start on the next visit.
      assert.equal(await openHolder(p), 'ready');
      await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
      await assertSetupFolded(p, 'reloaded with the kept files');
      // Forgotten: the setup steps come first again.
      await p.tap('#forget');
      await p.tap('#forget-confirm');
      await p.waitForFunction(() => document.getElementById('status').dataset.green === '');
      await assertSetupFirst(p, 'forgotten');
    } finally {
      await ctx.close();
    }
  });

  test(`${name}: every control is at least ${MIN}×${MIN} px; no bare file input; the hidden file inputs take the keyboard focus`, async () => {
    const ctx = await device(name);
    try {
      const p = await ctx.newPage();
      assert.equal(await openHolder(p), 'ready');
      await openAllDisclosures(p);
      const before = await assertTouchTargets(p, 'no files, every disclosure open');
      assert.equal(await p.locator('input[type=file]:visible').evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().width > 1).length), 0);
      // The keyboard reaches a hidden file input, and its label shows the focus.
      await p.bringToFront(); // the page in the foreground: Enter opens a file chooser
      await p.focus('#setup-summary');
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement.id), 'credential-file');
      assert.equal(await p.evaluate(() => getComputedStyle(document.querySelector('label[for="credential-file"]')).outlineStyle), 'solid');
      // The file itself is set directly: waiting for the chooser that Enter
      // opens on the focused native input was flaky in a loaded full run
      // (no chooser within 30 s, while focus and visibility were right).
      await p.setInputFiles('#credential-file', demo.credential);
      await p.waitForFunction(() => document.getElementById('credential-summary').dataset.loaded === 'true');

      // Set up, a proof shown, every disclosure open (the setup steps, the
      // policy, the proof as text, the technical details).
      await loadSecret(p);
      await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
      await p.fill('#challenge-input', await venueCode(ctx));
      await p.tap('#prove-button');
      await p.waitForFunction(() => document.getElementById('payload-text').dataset.payload !== '', null, { timeout: 90000 });
      await openAllDisclosures(p);
      const after = await assertTouchTargets(p, 'set up, a proof shown, every disclosure open');
      assert.ok(after > before, `more controls with a proof shown (${before} → ${after})`);
      await p.screenshot({ path: shot(`${name}-everything-open`), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  test(`${name}: the progress says what is happening, in order: the proving key fetched and checked, then the proof`, async () => {
    const ctx = await device(name);
    try {
      await ctx.addInitScript(RECORD_PROGRESS);
      const p = await ctx.newPage();
      assert.equal(await openHolder(p), 'ready');
      const keyTexts = await p.evaluate(() => window.progressTexts);
      assert.ok(keyTexts.every((e) => e.phase === 'key'), JSON.stringify(keyTexts));
      assertInOrder(keyTexts.map((e) => e.text), KEY_WORDS, 'getting the prover ready');
      assert.equal(await p.isVisible('#progress'), false, 'gone once ready');
      await loadCredential(p);
      await loadSecret(p);
      await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
      await p.fill('#challenge-input', await venueCode(ctx));
      await p.evaluate(() => { window.progressTexts = []; });
      await p.tap('#prove-button');
      await p.waitForFunction(() => document.getElementById('payload-text').dataset.payload !== '', null, { timeout: 90000 });
      const proveTexts = await p.evaluate(() => window.progressTexts);
      assert.ok(proveTexts.every((e) => e.phase === 'prove'), JSON.stringify(proveTexts));
      assertInOrder(proveTexts.map((e) => e.text), PROVE_WORDS, 'proving');
      // Plain words: no worker names or jargon.
      for (const { text } of [...keyTexts, ...proveTexts]) assert.doesNotMatch(text, /MSM|worker|synthesi|helper|circuit|witness/i, text);
    } finally {
      await ctx.close();
    }
  });

  test(`${name}: a credential issued for another holder secret is not called NOT GREEN: the page says whose it is, not a health result`, async () => {
    const ctx = await device(name);
    try {
      const p = await ctx.newPage();
      assert.equal(await openHolder(p), 'ready');
      await loadSecret(p);
      await loadCredential(p, otherCredential);
      await p.waitForFunction(() => document.getElementById('status').dataset.reasons === 'holder-mismatch', null, { timeout: 30000 });
      assert.equal(await p.getAttribute('#status', 'data-green'), '', 'neither green nor not green');
      const status = await p.textContent('#status');
      assert.doesNotMatch(status, /NOT GREEN/i);
      assert.match(await p.textContent('#status-word'), /belongs to another holder secret/);
      assert.match(status, /not a health result/);
      assert.match(await p.textContent('#credential-summary'), /belongs to another holder secret/);
      assert.equal(await p.isDisabled('#prove-button'), true);
      assert.match(await p.textContent('#prove-hint'), /another holder secret/);
      assert.doesNotMatch(await p.textContent('#prove-hint'), /not green/i);
      // Not set up: the setup steps stay first, to fix it.
      await assertSetupFirst(p, 'the credential of another holder secret');
      assert.deepEqual(await violations(p), [], 'another holder secret\'s credential');
      await p.screenshot({ path: shot(`${name}-other-holder`), fullPage: true });
      // The right credential: green.
      await loadCredential(p);
      await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
    } finally {
      await ctx.close();
    }
  });

  test(`${name}: key fingerprints and storage names only behind "Technical details"`, async () => {
    const ctx = await device(name);
    try {
      const p = await ctx.newPage();
      assert.equal(await openHolder(p), 'ready');
      await loadCredential(p);
      await loadSecret(p);
      await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
      const vkShort = await p.textContent('#vk-fingerprint');
      assert.match(vkShort, /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
      const hidden = ['#pk-fingerprint', '#vk-fingerprint', '#storage-names', '#credential-issuer'];
      // What the page shows (innerText: what is rendered) names none of them.
      const secrets = [vkShort, pin.slice(0, 16), 'zkstatus-holder/', (await p.textContent('#credential-issuer')).slice(0, 8)];
      const check = async (what) => {
        for (const id of hidden) assert.equal(await p.isVisible(id), false, `${what}: ${id}`);
        const text = await p.evaluate(() => document.body.innerText);
        for (const s of secrets) assert.ok(!text.includes(s), `${what}: "${s}" shown`);
      };
      await check('set up');
      await p.tap('#setup-summary');
      await p.waitForFunction(() => document.getElementById('setup').open);
      await check('the setup steps open');
      await p.locator('#tech-details summary').tap();
      await p.waitForFunction(() => document.getElementById('tech-details').open);
      for (const id of hidden) assert.equal(await p.isVisible(id), true, `opened: ${id}`);
      assert.match(await p.textContent('#storage-names'), /zkstatus-holder\/credential and zkstatus-holder\/holder-secret/);
      assert.ok(pin.startsWith((await p.textContent('#pk-fingerprint')).replace('…', '')));
      assert.deepEqual(await violations(p), [], 'technical details open');
      await p.locator('#tech-details').screenshot({ path: shot(`${name}-technical-details`) });
    } finally {
      await ctx.close();
    }
  });
}

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
