// What the pages do with the registry bundle over time (issues [3/7] and
// [5/7]), in headless Chromium against a local static HTTP server
// (127.0.0.1), with registries built here by the zkstatus CLI (`log init`,
// `registry add|retire|publish --log`, `log checkpoint`, `log witness
// cosign --now`, `log bundle`, `log trust`):
//   - the holder page tells the holder, in #registry's data-notices and in
//     plain words, when the bundle it loads has retired its lab
//     ('issuer-retired'), retires it as of a date before the credential
//     expires ('issuer-retiring'), or ends within 14 days ('ending'); the
//     page's clock is set by Playwright's page.clock;
//   - a running venue page fetches the registry bundle again every 10
//     minutes (REGISTRY_REFRESH_MS; Playwright's clock fast-forwarded, the
//     page's requests counted) and says when new registry data arrived;
//   - a venue page whose bundle has aged out at load shows "Registry data
//     too old — connect to refresh" and refuses (nothing to scan into);
//     once a fresh bundle is served it retries (on `online`, and on its
//     10-minute timer), starts, and accepts a proof made by the CLI.
//
//   (cd web && node --test test/registry-refresh.test.mjs)   CHROMIUM=…, ZKSTATUS_CLI=…

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DIST_DIR, HOLDER_DIST_DIR, launchChromium, serve, makeDemo, prove, zkstatus, issueCredential, sha256File,
} from './helpers.mjs';
import en from '../common/strings-en.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

let tmp;
let demo;
let server;
let browser;
let t0; // unix seconds when the registries were built
let credential; // the demo holder's credential: tested an hour before t0, expires 2 days after the test
let credentialExpiresAt;
const regs = {}; // name → registry built by makeRegistry
const configs = {}; // name → served config folder

const json = async (args) => JSON.parse(await zkstatus([...args, '--json']));

/**
 * A registry authority's log and registry in `tmp/name`, built with the CLI:
 * the demo's lab ("Test Lab", accredited from a week before t0 for
 * `validFor`) and the `others` (each a lab of its own key, accredited for a
 * year); root 1 published, active at once. `retire`: `{ at, activatesAt }`,
 * the Test Lab retired at `at`, in root 2, active from `activatesAt`. Then a
 * checkpoint, a witness's cosignature at `cosignAt` (default: now) and the
 * bundle. Returns { dir, registries (epoch → file), bundle, trust,
 * recosign(at) } (recosign: the same checkpoint cosigned again at `at`, the
 * bundle rewritten).
 */
async function makeRegistry(name, { validFor = '365d', others = [], retire, cosignAt } = {}) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  const f = (n) => path.join(dir, n);
  const log = f('log');
  const registry = f('registry.bin');
  const registries = {};
  const keep = async () => {
    const { epoch } = await json(['registry', 'root', '--registry', registry]);
    await copyFile(registry, f(`registry-${epoch}.bin`));
    registries[String(epoch)] = f(`registry-${epoch}.bin`);
  };
  await zkstatus(['log', 'init', log, '--origin', `${name}.test.example/log`, '--key-out', f('log.key')]);
  await zkstatus(['registry', 'create', '--log', log, '--out', registry]);
  await zkstatus(['registry', 'add', '--registry', registry, '--log', log, '--key', demo.issuerKey, '--name', 'Test Lab',
    '--not-before', String(t0 - 7 * DAY), '--valid-for', validFor]);
  for (const other of others) {
    await zkstatus(['issuer', 'keygen', '--out', f(`${other}.key`)]);
    await zkstatus(['registry', 'add', '--registry', registry, '--log', log, '--key', f(`${other}.key`), '--name', other,
      '--not-before', String(t0 - 7 * DAY), '--valid-for', '365d']);
  }
  await zkstatus(['registry', 'publish', '--registry', registry, '--log', log, '--overlap', '0s']);
  await keep();
  if (retire) {
    await zkstatus(['registry', 'retire', '--registry', registry, '--log', log, '--key', demo.issuerKey, '--at', String(retire.at)]);
    await zkstatus(['registry', 'publish', '--registry', registry, '--log', log, '--overlap', '0s', '--activates-at', String(retire.activatesAt)]);
    await keep();
  }
  await zkstatus(['log', 'checkpoint', log, '--key', f('log.key')]);
  await zkstatus(['log', 'witness', 'keygen', '--name', 'witness.test.example', '--out', f('w.key'), '--public-out', f('w.pub')]);
  const cosign = async (at) => {
    await zkstatus(['log', 'witness', 'cosign', log, '--key', f('w.key'), '--log-key', path.join(log, 'log.pub'),
      '--state', f('w.state'), ...(at === undefined ? [] : ['--now', String(at)])]);
    await zkstatus(['log', 'bundle', log, '--out', f('registry.bundle'), '--force']);
  };
  await cosign(cosignAt);
  await zkstatus(['log', 'trust', '--log-key', path.join(log, 'log.pub'), '--witness', f('w.pub'), '--out', f('trust.json')]);
  return { dir, registries, bundle: f('registry.bundle'), trust: f('trust.json'), recosign: cosign };
}

/** A page's config folder: the registry's bundle, trust and files, the demo's keys and policy. */
async function configFor(name, reg) {
  const dir = path.join(tmp, 'config', name);
  await mkdir(dir, { recursive: true });
  const files = {
    'zkstatus.vk': demo.vk,
    'zkstatus.pk': demo.pk,
    'policy.json': demo.policy,
    'registry.bundle': reg.bundle,
    'trust.json': reg.trust,
    ...Object.fromEntries(Object.entries(reg.registries).map(([e, file]) => [`registry-${e}.bin`, file])),
  };
  for (const [to, from] of Object.entries(files)) await copyFile(from, path.join(dir, to));
  return dir;
}

/** Serve `reg`'s (new) bundle and trust to the page of config `name`. */
async function publishTo(name, reg) {
  await copyFile(reg.bundle, path.join(configs[name], 'registry.bundle'));
  await copyFile(reg.trust, path.join(configs[name], 'trust.json'));
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkstatus-refresh-'));
  demo = await makeDemo(path.join(tmp, 'demo'));
  t0 = Math.floor(Date.now() / 1000);
  credential = await issueCredential(demo, path.join(tmp, 'credential.json'), { testTime: t0 - HOUR, validFor: '2d' });
  credentialExpiresAt = t0 - HOUR + 2 * DAY;

  // The holder's registries (the page's clock is then t0 + 1 h):
  //   retired: the lab retired at t0 + 10 min, in the root active from then;
  //   retiring: the lab retired as of t0 + 1 d (before the credential
  //     expires), in the root active from t0 + 10 min;
  //   ending: the lab (the only one) accredited for 10 days from t0 - 7 d: the
  //     registry ends at t0 + 3 d.
  // Another lab keeps the first two registries' end date a year away.
  regs.retired = await makeRegistry('retired', { others: ['Other Lab'], retire: { at: t0 + 600, activatesAt: t0 + 600 } });
  regs.retiring = await makeRegistry('retiring', { others: ['Other Lab'], retire: { at: t0 + DAY, activatesAt: t0 + 600 } });
  regs.ending = await makeRegistry('ending', { validFor: '10d' });
  // The venue's: one fresh now; one cosigned 3 days ago (aged out under the
  // default max_age of 48 h) and cosigned again when a test says so.
  regs.venue = await makeRegistry('venue');
  regs.stale = await makeRegistry('stale', { cosignAt: t0 - 3 * DAY });

  const holderJson = JSON.stringify({ format: 'zkstatus/holder-page', version: 1, pinnedPkSha256: await sha256File(demo.pk) });
  const routes = [];
  for (const name of ['retired', 'retiring', 'ending']) {
    configs[name] = await configFor(name, regs[name]);
    await writeFile(path.join(configs[name], 'holder.json'), holderJson);
    routes.push([`/holder-${name}/config/`, configs[name]], [`/holder-${name}/`, HOLDER_DIST_DIR]);
  }
  for (const name of ['venue', 'stale-online', 'stale-timer']) {
    configs[name] = await configFor(name, name === 'venue' ? regs.venue : regs.stale);
    routes.push([`/${name}/config/`, configs[name]], [`/${name}/`, DIST_DIR]);
  }
  server = await serve(routes);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- holder

/**
 * The holder page of config `name` at the clock `now` (unix seconds), with
 * the demo holder's credential loaded; resolves to #registry's data-notices
 * once the registry is checked and the notice `expect` is shown (or, none
 * expected, after a while), its data-code and its lines.
 */
async function holderNotices(name, now, expect = undefined) {
  const p = await browser.newPage();
  try {
    await p.clock.setFixedTime(now * 1000);
    await p.goto(`${server.url}/holder-${name}/`);
    await p.waitForFunction(() => document.getElementById('registry')?.dataset.ready === 'true', null, { timeout: 30000 });
    await p.setInputFiles('#credential-file', credential);
    await p.waitForFunction(() => document.getElementById('credential-summary').dataset.loaded === 'true', null, { timeout: 10000 });
    // The notices are drawn once the lab's window in the registry is known
    // (none expected: give the page as long to draw a wrong one).
    if (expect === undefined) await p.waitForTimeout(3000);
    else {
      await p.waitForFunction((code) => (document.getElementById('registry').dataset.notices ?? '').split(' ').includes(code),
        expect, { timeout: 20000 }).catch(() => {});
    }
    return {
      notices: (await p.getAttribute('#registry', 'data-notices')).split(' ').filter(Boolean),
      code: await p.getAttribute('#registry', 'data-code'),
      lines: await p.$$eval('#registry-lines li', (lis) => lis.map((li) => li.textContent)),
    };
  } finally {
    await p.close();
  }
}

test('holder: the registry bundle the page loads has retired the lab → "issuer-retired", in plain words', async () => {
  const r = await holderNotices('retired', t0 + HOUR, 'issuer-retired');
  assert.deepEqual(r.notices, ['issuer-retired'], JSON.stringify(r));
  assert.equal(r.code, '');
  const line = r.lines.find((l) => /retired/.test(l));
  assert.ok(line, JSON.stringify(r.lines));
  assert.match(line, /^Your lab has been retired from the registry \(accredited until .*\): proofs from its credentials are no longer accepted\. Ask an accredited lab for a new test\.$/);
  assert.equal(r.lines[0], line, 'the notice comes first');
});

test('holder: the lab retired as of a date before the credential expires → "issuer-retiring", not before that root is in force', async () => {
  assert.ok(t0 + DAY < credentialExpiresAt);
  const r = await holderNotices('retiring', t0 + HOUR, 'issuer-retiring');
  assert.deepEqual(r.notices, ['issuer-retiring'], JSON.stringify(r));
  const line = r.lines.find((l) => /retired/.test(l));
  assert.match(line, /^Your lab has been retired from the registry as of .*, before your credential expires: after that date it cannot be used\. Ask an accredited lab for a new test\.$/);
  // Before the retirement's activation the notice is not there yet (root 1 is in force).
  const early = await holderNotices('retiring', t0 + 60);
  assert.deepEqual(early.notices, [], JSON.stringify(early));
});

test('holder: the registry ends within 14 days → "ending" (its end date and how long); a registry of a year has no notice', async () => {
  const r = await holderNotices('ending', t0 + HOUR, 'ending');
  assert.deepEqual(r.notices, ['ending'], JSON.stringify(r));
  const line = r.lines.find((l) => /^The issuer registry ends on/.test(l));
  assert.ok(line, JSON.stringify(r.lines));
  assert.match(line, /, in .*: after that no proof can be made unless the authority publishes a new one\.$/);
  // A registry that ends in a year (before its lab's retirement is in force): no notice at all.
  const year = await holderNotices('retired', t0 + 60);
  assert.deepEqual(year.notices, [], JSON.stringify(year));
});

// ----------------------------------------------------------------- venue

async function openVenue(p, where) {
  await p.goto(`${server.url}/${where}/`);
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
    return { verdict: v.dataset.verdict, code: v.dataset.code };
  });
}

/** A browser context whose requests for `name`'s bundle are counted (no service worker: each fetch is the page's own). */
async function countingPage(name) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const p = await context.newPage();
  const counter = { n: 0 };
  p.on('request', (req) => { if (new URL(req.url()).pathname === `/${name}/config/registry.bundle`) counter.n += 1; });
  return { context, p, counter };
}

test('venue: a running page fetches the bundle again after 10 minutes (not before), and says new registry data arrived', async () => {
  const { context, p, counter } = await countingPage('venue');
  try {
    await p.clock.install();
    assert.equal(await openVenue(p, 'venue'), 'ready');
    assert.equal(await p.evaluate(() => document.body.dataset.registry), 'fresh');
    assert.equal(counter.n, 1, 'fetched once at load');
    const cosignedBefore = await p.textContent('#registry-cosigned');
    // The witness cosigns the checkpoint again, 5 minutes after it did (newer registry data).
    await regs.venue.recosign(t0 + 300);
    await publishTo('venue', regs.venue);
    await p.clock.fastForward('09:00');
    await p.waitForTimeout(500);
    assert.equal(counter.n, 1, 'no fetch before 10 minutes');
    assert.equal(await p.evaluate(() => document.body.dataset.registryUpdates), undefined);
    await p.clock.fastForward('01:01');
    await p.waitForFunction(() => document.body.dataset.registryUpdates === '1', null, { timeout: 10000 });
    assert.equal(counter.n, 2, 'fetched again at 10 minutes');
    assert.equal(await p.textContent('#offline-notice-text'), en['offline.registry.now']);
    assert.notEqual(await p.textContent('#registry-cosigned'), cosignedBefore, 'the new cosignature time is shown');
    assert.match(await p.textContent('#registry-cosigned'), new RegExp(new Date((t0 + 300) * 1000).toISOString().slice(0, 16).replace('T', ' ')));
    // And again 10 minutes later (the same data: nothing new to say).
    await p.clock.fastForward('10:00');
    for (let i = 0; i < 50 && counter.n < 3; i++) await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(counter.n, 3, 'every 10 minutes');
    assert.equal(await p.evaluate(() => document.body.dataset.registryUpdates), '1');
  } finally {
    await context.close();
  }
});

test('venue: a bundle aged out at load → "Registry data too old — connect to refresh", refused; a fresh bundle served → it retries on `online` and accepts a proof', async () => {
  const p = await browser.newPage();
  try {
    assert.equal(await openVenue(p, 'stale-online'), 'registry-stale');
    assert.equal(await p.isVisible('#registry-problem'), true);
    assert.equal(await p.textContent('#registry-problem-heading'), en['registry.tooOld']);
    assert.equal(await p.isVisible('#main'), false, 'nothing to scan into');
    assert.equal(await p.isVisible('#payload-input'), false);
    // Still offline as far as the page knows (the same bundle): `online` changes nothing.
    await p.evaluate(() => window.dispatchEvent(new Event('online')));
    await p.waitForTimeout(1000);
    assert.equal(await p.evaluate(() => document.body.dataset.state), 'registry-stale');
    // The witness cosigns again now: the served bundle is fresh.
    await regs.stale.recosign(Math.floor(Date.now() / 1000));
    await publishTo('stale-online', regs.stale);
    await Promise.all([
      p.waitForEvent('load', { timeout: 20000 }),
      p.evaluate(() => window.dispatchEvent(new Event('online'))),
    ]);
    await p.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 20000 });
    assert.equal(await p.evaluate(() => document.body.dataset.state), 'ready');
    assert.equal(await p.evaluate(() => document.body.dataset.registry), 'fresh');
    const offer = await p.getAttribute('#challenge-text', 'data-challenge');
    const v = await submit(p, await prove({ ...demo, dir: regs.stale.dir, registries: regs.stale.registries }, offer));
    assert.equal(v.verdict, 'accept', JSON.stringify(v));
  } finally {
    await p.close();
  }
});

test('venue: a bundle aged out at load; a fresh bundle served → it retries on its 10-minute timer and starts', async () => {
  // regs.stale has been cosigned again by the test above; this page's config
  // still has the old (aged-out) bundle.
  const { context, p, counter } = await countingPage('stale-timer');
  try {
    await p.clock.install();
    assert.equal(await openVenue(p, 'stale-timer'), 'registry-stale');
    assert.equal(await p.textContent('#registry-problem-heading'), en['registry.tooOld']);
    const atLoad = counter.n;
    await publishTo('stale-timer', regs.stale);
    await p.clock.fastForward('09:00');
    await p.waitForTimeout(500);
    assert.equal(counter.n, atLoad, 'no retry before 10 minutes');
    assert.equal(await p.evaluate(() => document.body.dataset.state), 'registry-stale');
    await Promise.all([
      p.waitForEvent('load', { timeout: 20000 }),
      p.clock.fastForward('01:01'),
    ]);
    await p.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 20000 });
    assert.equal(await p.evaluate(() => document.body.dataset.state), 'ready');
    assert.equal(await p.evaluate(() => document.body.dataset.registry), 'fresh');
  } finally {
    await context.close();
  }
});
