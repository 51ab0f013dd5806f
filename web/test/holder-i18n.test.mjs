// The holder page in Chinese and English (web/dist/holder/, built by
// scripts/build-web.sh) in headless Chromium, as i18n.test.mjs does for the
// venue page:
//
//   - a browser whose language is Chinese (zh-CN) gets the holder page in
//     Chinese, <html lang="zh-Hans">, and a scan of everything on screen
//     (text, and aria-label, placeholder, title and alt) finds no English
//     left but i18n.test.mjs's allowlist, in the main states: not set up,
//     set up with its status (GREEN), an error (a bad venue code), the proof
//     made with its QR code, the "Show my pass" screen, and a credential
//     that is not green; the page that is not set up (config error) too;
//   - the Chinese text is drawn with a CJK font (document.fonts.check, and
//     the font Chromium used for the glyphs, over CDP);
//   - axe-core finds no violation in Chinese (a11y.test.mjs: English);
//   - the switch ("中文" / "English", ≥ 44 px) changes the language, redraws
//     what app.js wrote (the status, the policy, the registry lines), and the
//     choice survives a reload; an English browser gets English.
// Screenshots: test/artifacts/i18n-holder-zh*.png.
//
//   (cd web && node --test test/holder-i18n.test.mjs)   CHROMIUM=…, ZKSTATUS_CLI=…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, mkdir, copyFile, writeFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS_DIR, DIST_DIR, HOLDER_DIST_DIR, launchChromium, serve, makeDemo, sha256File, issueCredential } from './helpers.mjs';
import { ALLOWED_LATIN, assertChinese as checkChinese, platformFonts, violations } from './page-checks.mjs';

/** The family web/common/base.css puts first for :lang(zh). */
const CJK_FAMILY = 'Noto Sans CJK SC';
const OPERATOR = 'metro.example';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const shot = (name) => path.join(ARTIFACTS_DIR, `i18n-holder-zh${name ? `-${name}` : ''}.png`);

// i18n.test.mjs's allowlist: the product's name, the codes people compare or
// type, and abbreviations Chinese text uses as they are. Anything under
// translate="no" (file names, codes, fingerprints) and the switch (lang="en")
// is not scanned.
const ALLOWED = [...ALLOWED_LATIN, 'localStorage', OPERATOR];

/** The page is in Chinese (page-checks.mjs), with this page's allowed words and `extraAllowed`. */
function assertChinese(p, where, { extraAllowed = [], axe = true } = {}) {
  return checkChinese(p, where, [...ALLOWED, ...extraAllowed], { axe });
}

let tmp;
let demo;
let oldCredential; // a PCR test too old for the policy: NOT GREEN
let server;
let browser;
const pageErrors = [];

before(async () => {
  const { stdout } = await promisify(execFile)('fc-list', [':lang=zh', 'family']).catch(() => ({ stdout: '' }));
  if (!stdout.includes(CJK_FAMILY)) {
    throw new Error(`no "${CJK_FAMILY}" font (fc-list :lang=zh): install Debian's fonts-noto-cjk (scripts/test-browser.sh does)`);
  }
  for (const dir of [DIST_DIR, HOLDER_DIST_DIR]) {
    try {
      await stat(path.join(dir, 'i18n.js'));
    } catch {
      throw new Error(`${dir} is not built with i18n.js: bash scripts/build-web.sh`);
    }
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-holder-i18n-'));
  demo = await makeDemo(path.join(tmp, 'demo'));
  const pin = await sha256File(demo.pk);
  oldCredential = await issueCredential(demo, path.join(tmp, 'old.json'), { testTime: Math.floor(Date.now() / 1000) - 30 * 86400, validFor: '60d' });

  const venueCfg = path.join(tmp, 'venue-config');
  const holderCfg = path.join(tmp, 'holder-config');
  const brokenCfg = path.join(tmp, 'broken-config');
  for (const d of [venueCfg, holderCfg, brokenCfg]) await mkdir(d);
  for (const [to, from] of [['zkstatus.vk', demo.vk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy]]) await copyFile(from, path.join(venueCfg, to));
  for (const [to, from] of [['zkstatus.pk', demo.pk], ['registry.bundle', demo.bundle], ['trust.json', demo.trust], ['policy.json', demo.policy],
    ...Object.entries(demo.registries).map(([e, f]) => [`registry-${e}.bin`, f])]) await copyFile(from, path.join(holderCfg, to));
  await writeFile(path.join(holderCfg, 'holder.json'), JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: pin, operator: OPERATOR }));
  // Not set up: holder.json missing.
  await copyFile(demo.policy, path.join(brokenCfg, 'policy.json'));
  server = await serve([
    ['/venue/', DIST_DIR], ['/venue/config/', venueCfg],
    ['/holder/', HOLDER_DIST_DIR], ['/holder/config/', holderCfg],
    ['/broken/', HOLDER_DIST_DIR], ['/broken/config/', brokenCfg],
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

async function open(p, urlPath, until = ['ready', 'key-error', 'config-error']) {
  await p.goto(`${server.url}${urlPath}`);
  await p.waitForFunction((states) => states.includes(document.body.dataset.state), until, { timeout: 60000 });
  return p.evaluate(() => document.body.dataset.state);
}





async function load(p, selector, file, summary) {
  await p.setInputFiles(selector, file);
  await p.waitForFunction((id) => document.getElementById(id).dataset.loaded === 'true', summary);
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

test('a Chinese browser (zh-CN) gets the holder page in Chinese, drawn with a CJK font, no English left and no axe-core violation: not set up, set up, an error, the proof, the pass', async () => {
  const p = await newPage('zh-CN');
  try {
    assert.equal(await open(p, '/holder/'), 'ready');
    assert.equal(await p.title(), 'zkstatus · 我的通行码');
    assert.equal(await p.textContent('#page-name'), '我的 zkstatus 通行码');
    assert.equal(await p.textContent('#status-word'), '还没有检测凭证');
    assert.match(await p.textContent('#setup-title'), /^设置本页面/);
    assert.match(await p.textContent('#policy-rules'), /核酸（PCR）检测：采样在 \d+ 小时以内/);
    assert.equal(await p.textContent('label[for=credential-file]'), '打开文件，或它的二维码照片');
    // The step numbers inside translated headings stay the page's own elements.
    assert.equal(await p.textContent('#credential-heading .step'), '1');
    await assertChinese(p, 'not set up');

    // The glyphs are drawn with a CJK font, not as empty boxes.
    assert.equal(await p.evaluate((f) => document.fonts.check(`16px "${f}"`, '我的通行码'), CJK_FAMILY), true, `document.fonts.check("${CJK_FAMILY}")`);
    assert.match(await p.evaluate(() => getComputedStyle(document.body).fontFamily), new RegExp(`^"${CJK_FAMILY}"`));
    for (const selector of ['#page-name', '.tagline']) {
      const fonts = await platformFonts(p, selector);
      const cjk = fonts.filter((f) => /CJK/.test(f.familyName));
      assert.ok(cjk.length > 0 && cjk.reduce((n, f) => n + f.glyphCount, 0) >= 5, `${selector} is drawn with a CJK font: ${JSON.stringify(fonts)}`);
    }
    await p.screenshot({ path: shot('setup'), fullPage: true });

    // Set up: the credential and the holder secret; GREEN in Chinese.
    await load(p, '#credential-file', demo.credential, 'credential-summary');
    await load(p, '#secret-file', demo.secret, 'secret-summary');
    await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
    assert.equal(await p.textContent('#status-word'), '✓ 绿色');
    assert.match(await p.textContent('#status-until'), /^有效到 .*（还有 /);
    assert.equal(await p.textContent('#setup-title'), '你的检测凭证和个人密钥');
    await p.waitForFunction(() => document.getElementById('registry').dataset.ready === 'true', null, { timeout: 30000 });
    assert.match(await p.textContent('#registry-lines'), /登记册第 \d+ 期/);
    await p.waitForFunction(() => !document.getElementById('prove-button').disabled, null, { timeout: 60000 });
    await assertChinese(p, 'set up, GREEN');
    // The folded setup and the technical details, opened: Chinese too.
    await p.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    assert.match(await p.textContent('#prover-workers'), /^\d+ 个后台进程$/);
    assert.match(await p.textContent('#credential-summary'), /核酸（PCR）检测，结果阴性/);
    await assertChinese(p, 'set up, every disclosure open');
    await p.screenshot({ path: shot(), fullPage: true });
    await p.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = false; });

    // An error: a code that is not a venue's.
    await p.fill('#challenge-input', 'hello');
    await p.click('#prove-button');
    await p.waitForFunction(() => !document.getElementById('challenge-error').hidden);
    assert.match(await p.textContent('#challenge-error'), /^这不是场所码/);
    assert.equal(await p.getAttribute('#challenge-error', 'data-code'), 'challenge-format');
    await assertChinese(p, 'a bad venue code');

    // The proof, with its QR code.
    const code = await venueCode(p.context());
    await p.fill('#challenge-input', code);
    await p.click('#prove-button');
    await p.waitForFunction(() => document.getElementById('payload-text').dataset.payload !== '', null, { timeout: 120000 });
    assert.equal(await p.isVisible('#payload-qr'), true);
    assert.equal(await p.textContent('#payload-heading'), '请向场所出示');
    assert.match(await p.textContent('#payload-meta'), /对应场所码 …/);
    await assertChinese(p, 'the proof');
    await p.screenshot({ path: shot('proof') });

    // The pass screen.
    await p.tap('#pass-button');
    await p.waitForFunction(() => document.getElementById('pass').dataset.payload !== '', null, { timeout: 120000 });
    assert.equal(await p.textContent('#pass-title'), '我的通行码');
    assert.match(await p.textContent('#pass-meta'), /^现在有效。/);
    assert.match(await p.textContent('#pass-awake'), /屏幕/);
    await assertChinese(p, 'the pass screen');
    await p.screenshot({ path: shot('pass') });
    await p.tap('#pass-close');
  } finally {
    await p.context().close();
  }
});

test('in Chinese: a credential that is not green, its reasons in words; and a page that is not set up', async () => {
  const p = await newPage('zh-CN', { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true });
  try {
    assert.equal(await open(p, '/holder/'), 'ready');
    await load(p, '#credential-file', oldCredential, 'credential-summary');
    await load(p, '#secret-file', demo.secret, 'secret-summary');
    await p.waitForFunction(() => document.getElementById('status').dataset.green === 'false', null, { timeout: 30000 });
    assert.equal(await p.textContent('#status-word'), '✗ 不是绿色');
    assert.match(await p.textContent('#status-reasons'), /检测时间太久/);
    assert.equal(await p.textContent('#prove-hint'), '按这个规定不是绿色：无法生成证明。');
    await assertChinese(p, 'NOT GREEN');
    await p.screenshot({ path: shot('not-green') });

    assert.equal(await open(p, '/broken/'), 'config-error');
    assert.equal(await p.textContent('#config-error h2'), '本页面尚未设置好');
    // The deployer's message (config.js ConfigError) is in English, with the file's name: not scanned.
    await p.evaluate(() => document.getElementById('config-error-message').setAttribute('translate', 'no'));
    await assertChinese(p, 'not set up (config error)', { axe: false });
  } finally {
    await p.context().close();
  }
});

test('an English browser gets the holder page in English; the switch (≥ 44 px) changes the language, redraws app.js\'s words, and the choice survives a reload', async () => {
  const p = await newPage('en-US');
  try {
    assert.equal(await open(p, '/holder/'), 'ready');
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await p.textContent('#status-word'), 'No credential yet');
    await load(p, '#credential-file', demo.credential, 'credential-summary');
    await load(p, '#secret-file', demo.secret, 'secret-summary');
    await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
    assert.equal(await p.textContent('#status-word'), '✓ GREEN');
    const button = p.locator('#lang-switch');
    assert.equal(await button.textContent(), '中文');
    assert.equal(await button.getAttribute('lang'), 'zh-Hans');
    const box = await button.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `the switch is a 44 px target: ${JSON.stringify(box)}`);
    assert.equal(await p.evaluate(() => localStorage.getItem('zkstatus-lang')), null, 'nothing saved before a choice');

    await button.tap();
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'zh-Hans');
    assert.equal(await button.textContent(), 'English');
    assert.equal(await p.textContent('#status-word'), '✓ 绿色', 'the status, written by app.js, is redrawn');
    assert.match(await p.textContent('#policy-rules'), /核酸/, 'the policy is redrawn');
    assert.match(await p.textContent('#setup-title'), /个人密钥/);
    assert.equal(await p.title(), 'zkstatus · 我的通行码');
    await p.waitForFunction(() => document.getElementById('registry').dataset.ready === 'true', null, { timeout: 30000 });
    await assertChinese(p, 'after the switch');
    assert.equal(await p.evaluate(() => localStorage.getItem('zkstatus-lang')), 'zh');

    await p.reload();
    await p.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'zh-Hans', 'the choice survives a reload');
    await p.waitForFunction(() => document.getElementById('status').dataset.green === 'true', null, { timeout: 30000 });
    assert.equal(await p.textContent('#status-word'), '✓ 绿色');

    await p.locator('#lang-switch').tap();
    assert.equal(await p.textContent('#status-word'), '✓ GREEN');
    await p.reload();
    await p.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await p.textContent('#lang-switch'), '中文');
    assert.match(await p.textContent('#policy-rules'), /PCR test taken at most/);
    assert.deepEqual(await violations(p), [], 'English, after switching back');
  } finally {
    await p.context().close();
  }
});
