// The venue page in Chinese and English (web/dist/venue/, built by
// scripts/build-web.sh) in headless Chromium:
//
//   - a browser whose language is Chinese (zh-CN) gets the page in Chinese,
//     <html lang="zh-Hans">, and a scan of everything on screen (text, and
//     aria-label, placeholder, title and alt) finds no English left but an
//     explicit allowlist (the product name, codes such as ZKS2:, a few
//     abbreviations): ready, with the offline notices, with ACCEPT and
//     REJECT, in one-scan mode, and when the page is not set up;
//   - the Chinese text is drawn with a CJK font (document.fonts.check for
//     the family base.css asks for, and the font Chromium used for the
//     glyphs, asked over CDP): a screenshot of empty boxes cannot pass;
//   - axe-core finds no violation in Chinese (a11y.test.mjs: English);
//   - the switch ("中文" / "English", ≥ 44 px) changes the language, redraws
//     what the page wrote, and the choice survives a reload; an English
//     browser gets English.
// Screenshots: test/artifacts/i18n-venue-zh*.png.
//
//   (cd web && node --test test/i18n.test.mjs)   CHROMIUM=…, ZKSTATUS_CLI=…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, mkdir, copyFile, writeFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS_DIR, DIST_DIR, launchChromium, serve, makeDemo, prove } from './helpers.mjs';
import { ALLOWED_LATIN, assertChinese as checkChinese, platformFonts, violations } from './page-checks.mjs';

/** The family web/common/base.css puts first for :lang(zh). */
const CJK_FAMILY = 'Noto Sans CJK SC';
const OPERATOR = 'metro.example';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

// Latin words allowed on a Chinese page: the product's name, the codes
// people compare or type, file formats, and abbreviations Chinese text uses
// as they are. Anything under translate="no" (file names, the venue's code,
// the key's fingerprint, a verdict's code) and the switch (lang="en") is not
// scanned: it is meant as it is.
const ALLOWED = [...ALLOWED_LATIN, OPERATOR];

/** The page is in Chinese (page-checks.mjs), with this page's allowed words and `extraAllowed`. */
function assertChinese(p, where, { extraAllowed = [], axe = true } = {}) {
  return checkChinese(p, where, [...ALLOWED, ...extraAllowed], { axe });
}

let tmp;
let demo;
let server;
let browser;
const pageErrors = [];

async function configDir(name, venue) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [from, to] of [[demo.vk, 'zkstatus.vk'], [demo.bundle, 'registry.bundle'], [demo.trust, 'trust.json'], [demo.policy, 'policy.json']]) {
    await copyFile(from, path.join(dir, to));
  }
  if (venue !== undefined) await writeFile(path.join(dir, 'venue.json'), JSON.stringify(venue));
  return dir;
}

before(async () => {
  // The font first: without it every other check here would fail less clearly.
  const { stdout } = await promisify(execFile)('fc-list', [':lang=zh', 'family']).catch((e) => ({ stdout: '', error: e }));
  if (!stdout.includes(CJK_FAMILY)) {
    throw new Error(`no "${CJK_FAMILY}" font (fc-list :lang=zh): install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk; scripts/test-browser.sh does), or the Chinese page is drawn as empty boxes`);
  }
  try {
    await stat(path.join(DIST_DIR, 'i18n.js'));
  } catch {
    throw new Error(`${DIST_DIR} is not built with i18n.js: bash scripts/build-web.sh`);
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-i18n-'));
  demo = await makeDemo(path.join(tmp, 'demo'));
  server = await serve([
    ['/venue/', DIST_DIR], ['/venue/config/', await configDir('config', { name: '城东体育馆' })],
    ['/gate/', DIST_DIR], ['/gate/config/', await configDir('gate', { mode: 'one-scan', operator: OPERATOR })],
    ['/broken/', DIST_DIR], ['/broken/config/', await configDir('broken', { ttl: 90 })],
  ]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

async function newPage(locale, options = PHONE) {
  // bypassCSP: only so that the test can inject axe-core as an inline script.
  const context = await browser.newContext({ ...options, locale, bypassCSP: true });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e}`));
  return p;
}

async function open(p, urlPath, until = ['ready', 'config-error']) {
  await p.goto(`${server.url}${urlPath}`);
  await p.waitForFunction((states) => states.includes(document.body.dataset.state), until, { timeout: 30000 });
  return p.evaluate(() => document.body.dataset.state);
}





async function verdict(p, text) {
  const seq = Number(await p.getAttribute('#verdict', 'data-seq'));
  await p.fill('#payload-input', text);
  await p.press('#payload-input', 'Enter');
  await p.waitForFunction((s) => Number(document.getElementById('verdict').dataset.seq) > s, seq, { timeout: 20000 });
  return p.evaluate(() => {
    const v = document.getElementById('verdict');
    return { verdict: v.dataset.verdict, code: v.dataset.code, word: v.querySelector('.verdict-word').textContent, reason: v.querySelector('.verdict-reason').textContent };
  });
}

test('a Chinese browser (zh-CN) gets the venue page in Chinese, drawn with a CJK font, no English left, no axe-core violation; ACCEPT and REJECT in Chinese', async () => {
  const p = await newPage('zh-CN');
  try {
    assert.equal(await open(p, '/venue/'), 'ready');
    assert.equal(await p.textContent('#venue-name'), '城东体育馆');
    assert.equal(await p.title(), '城东体育馆 · zkstatus 场所查验');
    assert.equal(await p.textContent('#policy-heading'), '本场所接纳符合以下条件的访客');
    assert.match(await p.textContent('#policy-rules'), /核酸（PCR）检测：采样在 \d+ 小时以内/);
    assert.match(await p.textContent('#camera-button'), /^用摄像头扫描$/);
    // The elements inside translated sentences are still the page's own (the countdown runs).
    assert.match(await p.textContent('#countdown'), /^\d+$/);
    assert.match(await p.getAttribute('#challenge-text', 'data-challenge'), /^ZKC2:/);
    await assertChinese(p, 'ready');
    // No bare file input: its button's words would be the browser's, not the page's.
    assert.equal(await p.evaluate(() => [...document.querySelectorAll('input[type=file]')].some((i) => i.getBoundingClientRect().width > 1)), false);
    assert.equal(await p.textContent('label[for=payload-file]'), '打开文件…');

    // The glyphs are drawn with a CJK font, not as empty boxes.
    assert.equal(await p.evaluate((f) => document.fonts.check(`16px "${f}"`, '场所查验'), CJK_FAMILY), true, `document.fonts.check("${CJK_FAMILY}")`);
    assert.match(await p.evaluate(() => getComputedStyle(document.body).fontFamily), new RegExp(`^"${CJK_FAMILY}"`));
    for (const selector of ['#policy-heading', '.tagline']) {
      const fonts = await platformFonts(p, selector);
      const cjk = fonts.filter((f) => /CJK/.test(f.familyName));
      assert.ok(cjk.length > 0 && cjk.reduce((n, f) => n + f.glyphCount, 0) >= 10, `${selector} is drawn with a CJK font: ${JSON.stringify(fonts)}`);
    }
    await p.screenshot({ path: path.join(ARTIFACTS_DIR, 'i18n-venue-zh.png'), fullPage: true });

    // The offline and update notices (offline.js), as its service worker sends them.
    await p.evaluate(() => {
      for (const data of [{ type: 'zkstatus-offline', savedAt: Date.now() }, { type: 'zkstatus-app-updated' }]) {
        navigator.serviceWorker.dispatchEvent(new MessageEvent('message', { data }));
      }
    });
    assert.match(await p.textContent('#offline-notice-text'), /^没有网络连接/);
    assert.equal(await p.textContent('#offline-reload'), '重新加载');
    await assertChinese(p, 'with the offline notices');

    // REJECT for garbage and for a v1-like text, ACCEPT for a proof: in Chinese.
    const garbage = await verdict(p, 'hello world');
    assert.deepEqual([garbage.verdict, garbage.word, garbage.code], ['reject', '拒绝', 'missing-prefix']);
    assert.match(garbage.reason, /^这不是 zkstatus 证明/);
    await assertChinese(p, 'REJECT');
    await p.screenshot({ path: path.join(ARTIFACTS_DIR, 'i18n-venue-zh-reject.png') });
    const offer = await p.getAttribute('#challenge-text', 'data-challenge');
    const ok = await verdict(p, await prove(demo, offer));
    assert.deepEqual([ok.verdict, ok.word], ['accept', '通过'], JSON.stringify(ok));
    assert.match(ok.reason, /认可的签发机构/);
    await assertChinese(p, 'ACCEPT');
  } finally {
    await p.context().close();
  }
});

test('in Chinese: the one-scan door, and a page that is not set up', async () => {
  const p = await newPage('zh-CN', { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true });
  try {
    assert.equal(await open(p, '/gate/'), 'ready');
    assert.equal(await p.textContent('#present-heading'), '扫描访客的通行码');
    assert.match(await p.textContent('#onescan-note'), new RegExp(`^一扫通行.*${OPERATOR.replace('.', '\\.')}`));
    await assertChinese(p, 'one-scan');
    const v = await verdict(p, 'HELLO');
    assert.match(v.reason, /^这不是通行码/);
    await assertChinese(p, 'one-scan REJECT');
    await p.screenshot({ path: path.join(ARTIFACTS_DIR, 'i18n-venue-zh-onescan.png') });

    assert.equal(await open(p, '/broken/'), 'config-error');
    assert.equal(await p.textContent('#config-error h2'), '本页面尚未设置好');
    assert.match(await p.textContent('#config-error-message'), /未知的设置 “ttl”/);
    // The settings' names are what the venue's staff type in venue.json: they stay as they are.
    const settings = ['format', 'version', 'name', 'origin', 'mode', 'operator', 'ttlSecs', 'rotateSecs', 'maxLive', 'pinnedVkFingerprint', 'verdictSecs', 'ttl'];
    // axe-core is not run here: the page that is not set up hides its <main>
    // in either language (landmark-one-main); a11y.test.mjs covers the states
    // with a <main>.
    await assertChinese(p, 'not set up', { extraAllowed: settings, axe: false });
    await p.screenshot({ path: path.join(ARTIFACTS_DIR, 'i18n-venue-zh-config-error.png') });
  } finally {
    await p.context().close();
  }
});

test('an English browser gets English; the switch (≥ 44 px) changes the language, redraws the page\'s own text, and the choice survives a reload', async () => {
  const p = await newPage('en-US');
  try {
    assert.equal(await open(p, '/venue/'), 'ready');
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await p.textContent('#policy-heading'), 'This venue admits visitors with');
    const button = p.locator('#lang-switch');
    assert.equal(await button.textContent(), '中文');
    assert.equal(await button.getAttribute('lang'), 'zh-Hans');
    const box = await button.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `the switch is a 44 px target: ${JSON.stringify(box)}`);
    assert.equal(await p.evaluate(() => localStorage.getItem('zkstatus-lang')), null, 'nothing saved before a choice');

    await button.tap();
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'zh-Hans');
    assert.equal(await button.textContent(), 'English');
    assert.match(await p.textContent('#policy-rules'), /核酸/, 'the policy, written by app.js, is redrawn');
    assert.equal(await p.title(), '城东体育馆 · zkstatus 场所查验');
    assert.match(await p.textContent('#countdown'), /^\d+$/);
    await assertChinese(p, 'after the switch');
    assert.equal(await p.evaluate(() => localStorage.getItem('zkstatus-lang')), 'zh');

    await p.reload();
    await p.waitForFunction(() => document.body.dataset.state === 'ready');
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'zh-Hans', 'the choice survives a reload');
    assert.equal(await p.textContent('#policy-heading'), '本场所接纳符合以下条件的访客');

    await p.locator('#lang-switch').tap();
    assert.equal(await p.textContent('#policy-heading'), 'This venue admits visitors with');
    await p.reload();
    await p.waitForFunction(() => document.body.dataset.state === 'ready');
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await p.textContent('#lang-switch'), '中文');
    assert.match(await p.textContent('#policy-rules'), /PCR test taken at most/);
    assert.deepEqual(await violations(p), [], 'English, after switching back');
  } finally {
    await p.context().close();
  }
});
