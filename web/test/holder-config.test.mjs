// The holder page's config.js in Node (no browser): reading a venue's ZKC2
// code as typed or scanned, and the roots file's epochs (which registry
// files to download).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURE_DIR, HOLDER_DIST_DIR, V1_FIXTURE_DIR } from './helpers.mjs';

const { normaliseOffer, checkRoots, checkPolicy, ConfigError, InputError } = await import(
  pathToFileURL(path.join(HOLDER_DIST_DIR, 'config.js')).href
);

const fixture = async (name, dir = FIXTURE_DIR) => (await readFile(path.join(dir, name), 'utf8')).trim();

test('a venue code (ZKC2:): its issue time and challenge, as typed, pasted or scanned', async () => {
  const offer = await fixture('challenge.txt');
  const r = normaliseOffer(offer);
  assert.equal(r.offer, offer);
  assert.equal(typeof r.issuedAt, 'bigint');
  assert.ok(r.issuedAt >= 1577836800n && r.issuedAt < 4102444800n);
  assert.match(r.challenge, /^[0-9a-f]{64}$/);
  // Lower case, blanks and line breaks around it: the same code.
  assert.deepEqual(normaliseOffer(`  ${offer.toLowerCase()}\r\n`), r);
  // Broken across lines when pasted: the line breaks are dropped.
  assert.deepEqual(normaliseOffer(`${offer.slice(0, 30)}\n${offer.slice(30)}`), r);
});

test('a bad venue code: a code for the page and no offer', async () => {
  const v1 = await fixture('challenge.txt', V1_FIXTURE_DIR);
  for (const [input, code] of [
    ['', 'challenge-missing'],
    ['   ', 'challenge-missing'],
    [v1, 'challenge-v1'],
    [`0x${v1}`, 'challenge-v1'],
    ['ZKS2:ABC', 'challenge-format'],
    ['ZKC2:ABC', 'challenge-length'],
    [`ZKC2:${':'.repeat(60)}`, 'challenge-format'],
    [`ZKC2:${'0'.repeat(60)}`, 'challenge-range'],
    [`ZKC2:${'a'.repeat(59)}é`, 'challenge-format'],
  ]) {
    const r = normaliseOffer(input);
    assert.equal(r.offer, undefined, input);
    assert.equal(r.error.code, code, `${JSON.stringify(input)}: ${r.error.message}`);
    assert.ok(r.error.message.length > 30);
  }
  assert.match(normaliseOffer(v1).error.message, /version 1/);
});

test('roots.json: the epochs to download; the wrong file or a damaged one is a ConfigError', async () => {
  assert.deepEqual(checkRoots(await fixture('roots.json')), ['3', '4']);
  for (const [text, re] of [
    ['{', /not valid JSON/],
    [await fixture('policy.json'), /expected the published registry roots.*found a policy/],
    [JSON.stringify({ format: 'zkstatus/registry-roots', version: 1, roots: [] }), /non-empty list/],
    [JSON.stringify({ format: 'zkstatus/registry-roots', version: 1, roots: [{ epoch: -1 }] }), /roots\[0\]\.epoch/],
  ]) {
    assert.throws(() => checkRoots(text), (e) => e instanceof ConfigError && re.test(e.message), text.slice(0, 40));
  }
  // And a roots file opened as a policy is named.
  const roots = await fixture('roots.json');
  assert.throws(() => checkPolicy(roots), (e) => e instanceof InputError && /it is the registry roots/.test(e.message));
});
