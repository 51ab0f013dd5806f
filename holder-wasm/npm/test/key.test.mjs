// The proving key: pinned by the SHA-256 of its file, checked before any
// byte is parsed. A tampered (one byte flipped), truncated, foreign (another
// setup's) or unrelated file is refused with both fingerprints and a
// diagnosis read from its header; a version-1 (statement v1) key is named
// as such; a pin that names a bad file is refused by the parser, never
// trapping. fetchProvingKey fetches once, checks, caches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pkg, setFiles, demoFiles, V1_DIR } from './helpers.mjs';

let d; // the seeded statement-v2 set
let other; // a fresh demo: another setup's key
let loadMs;
let key; // d's key, loaded once

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const flipped = (bytes, at) => {
  const b = new Uint8Array(bytes);
  b[at] ^= 0x01;
  return b;
};
// The version-2 file layout (prover/src/keys.rs): magic 0..4, version 4,
// QAP reduction 5, circuit fingerprint 6..38, verifying key 38..614 (11
// input bases), beta/delta 614..678, counts 678..698, then the points.
const COUNTS = 678;
const HEADER = 698;

before(() => {
  d = setFiles();
  other = demoFiles();
  const t = performance.now();
  key = pkg.ProvingKey.load(d.pk, d.pin);
  loadMs = performance.now() - t;
});

test('the fingerprint is the SHA-256 of the file (sha256sum zkstatus.pk)', () => {
  assert.equal(d.pin, sha256(d.pk));
  assert.equal(pkg.provingKeyFingerprint(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.ok(d.pk.length <= 2_000_000, `proving key is ${d.pk.length} bytes, over the 2 MB download budget`);
});

const refused = (bytes, pin, re) => {
  const t = performance.now();
  assert.throws(() => pkg.ProvingKey.load(bytes, pin), (e) => {
    assert.equal(e.constructor, Error);
    assert.match(e.message, re);
    return true;
  });
  return performance.now() - t;
};

test('a tampered key (one byte flipped) is refused before parsing, saying where it differs', () => {
  const notPinned = (bytes) => new RegExp(`^proving key fingerprint ${sha256(bytes)} is not the pinned ${d.pin}: refused before use; `);
  const cases = [
    [0, /the file is not a zkstatus proving key \(no ZKPK magic bytes\)$/],
    [4, /the file is a zkstatus proving key of format version 3 \(this build reads 2\)$/],
    [10, /the file is a zkstatus proving key for another circuit \(wrong circuit: fingerprint [0-9a-f-]{19}, this build proves [0-9a-f-]{19}\)$/],
    [100, /the file is a zkstatus proving key for this circuit, but altered or from another setup \(its verifying key is [0-9a-f-]{19}\)$/],
    [COUNTS + 1, new RegExp(`the file is a zkstatus proving key for this circuit, truncated or extended \\(${d.pk.length} bytes, its header implies \\d+\\)$`)],
    [Math.floor(d.pk.length / 2), /altered or from another setup/],
    [d.pk.length - 1, /altered or from another setup/],
  ];
  for (const [at, diagnosis] of cases) {
    const bytes = flipped(d.pk, at);
    const ms = refused(bytes, d.pin, notPinned(bytes));
    refused(bytes, d.pin, diagnosis);
    // Refused by the hash, not by the (seconds-long) validating parser.
    assert.ok(ms < loadMs / 3, `refusing took ${ms} ms, loading takes ${loadMs} ms`);
  }
  // The diagnosis names the verifying key the file carries: ours when a
  // query point was flipped, another one when the verifying key was.
  const vkIn = (bytes) => {
    try {
      pkg.ProvingKey.load(bytes, d.pin);
    } catch (e) {
      return e.message.match(/its verifying key is ([0-9a-f-]{19})/)[1];
    }
    assert.fail('accepted');
  };
  assert.equal(vkIn(flipped(d.pk, 800_000)), key.vkFingerprint());
  assert.notEqual(vkIn(flipped(d.pk, 100)), key.vkFingerprint());
});

test('a statement-v1 key (file version 1) is named as such', () => {
  const v1 = new Uint8Array(d.pk);
  v1[4] = 1;
  refused(v1, d.pin, /the file is a version-1 zkstatus proving key \(statement v1\); this build proves statement v2 \(file version 2\)$/);
  // The statement-v1 verifying key is not a proving key either.
  refused(new Uint8Array(readFileSync(path.join(V1_DIR, 'zkstatus.vk'))), d.pin, /the file is a zkstatus verifying key \(ZKVK\), not a proving key$/);
});

test('truncated, extended, foreign, and unrelated files are refused by the pin', () => {
  const n = d.pk.length;
  refused(d.pk.subarray(0, n - 1), d.pin, new RegExp(`truncated or extended \\(${n - 1} bytes, its header implies ${n}\\)$`));
  refused(d.pk.subarray(0, 100), d.pin, new RegExp(`the file is a truncated zkstatus proving key \\(100 bytes, shorter than its ${HEADER}-byte header\\)$`));
  refused(new Uint8Array([...d.pk, 0]), d.pin, new RegExp(`truncated or extended \\(${n + 1} bytes, its header implies ${n}\\)$`));
  refused(new Uint8Array(0), d.pin, /^proving key fingerprint e3b0c442\w+ is not the pinned \w+: refused before use; the file is not a zkstatus proving key/);
  refused(d.vk, d.pin, /the file is a zkstatus verifying key \(ZKVK\), not a proving key$/);
  refused(new TextEncoder().encode('<!doctype html><title>404</title>'), d.pin, /not a zkstatus proving key \(no ZKPK magic bytes\)$/);
  // Another setup's key for the same circuit: named by its verifying key.
  const foreign = pkg.ProvingKey.load.bind(null, other.pk, d.pin);
  assert.throws(foreign, (e) => {
    assert.match(e.message, new RegExp(`^proving key fingerprint ${other.pin} is not the pinned ${d.pin}: refused before use; the file is a zkstatus proving key for this circuit, but altered or from another setup \\(its verifying key is [0-9a-f-]{19}\\)$`));
    return true;
  });
});

test('a pin that names a bad file: refused by the validating parser, no trap', () => {
  const withPin = (bytes, re) => refused(bytes, sha256(bytes), re);
  const prefix = '^proving key \\(it matches the pin, so the pin names a bad file\\): ';
  withPin(new Uint8Array(700), new RegExp(`${prefix}not a zkstatus proving-key file \\(bad magic bytes\\)$`));
  withPin(d.vk, new RegExp(`${prefix}not a zkstatus proving-key file \\(bad magic bytes\\)$`));
  withPin(flipped(d.pk, 10), new RegExp(`${prefix}this proving key is for another circuit \\(fingerprint [0-9a-f]{4}(-[0-9a-f]{4})+, expected [0-9a-f]{4}(-[0-9a-f]{4})+\\)$`));
  withPin(d.pk.subarray(0, 3), new RegExp(`${prefix}proving-key file is 3 bytes, its header implies ${HEADER}$`));
  // A well-formed header with no points at all: every prover step would
  // index an empty query; the shape check refuses it first.
  const empty = new Uint8Array(d.pk.subarray(0, HEADER));
  empty.fill(0, COUNTS, HEADER);
  withPin(empty, new RegExp(`${prefix}inconsistent query sizes \\(a 0, b_g1 0, b_g2 0, l 0 \\+ 11 input bases\\)$`));
  // A corrupted verifying key inside: the point decoder says which.
  const badVk = new Uint8Array(d.pk);
  badVk.fill(0xff, 38, 38 + 32); // the verifying key starts at 38
  withPin(badVk, new RegExp(`${prefix}invalid verifying key inside the proving key: `));
});

test('pins are 64 lowercase hex digits; bytes must be a Uint8Array', () => {
  refused(d.pk, d.pin.toUpperCase(), /^pinnedFingerprint: expected lowercase hexadecimal digits$/);
  refused(d.pk, d.pin.slice(1), /^pinnedFingerprint: expected 64 hex digits, got 63$/);
  refused(d.pk, '1a2b-3c4d-5e6f-7a8b', /^pinnedFingerprint: expected the full SHA-256 of the proving-key file \(64 hex digits\), not a short form$/);
  assert.throws(() => pkg.ProvingKey.load(d.pk), /pinnedFingerprint must be a string/);
  assert.throws(() => pkg.ProvingKey.load(Array.from(d.pk.subarray(0, 10)), d.pin), (e) => e instanceof TypeError && /bytes must be a Uint8Array/.test(e.message));
  assert.throws(() => pkg.ProvingKey.load(new Uint8Array(pkg.MAX_PROVING_KEY_BYTES + 1), d.pin), /^Error: proving key: the file is 8388609 bytes, at most 8388608 are accepted$/);
  assert.throws(() => pkg.ProvingKey.load(d.pk, 'f'.repeat(2000)), /^Error: pinnedFingerprint: expected 64 lowercase hex digits/);
});

// ----------------------------------------------------------- fetch + cache

class MemoryCache {
  entries = new Map();
  async match(key) {
    const v = this.entries.get(String(key));
    return v && new Response(v);
  }
  async put(key, res) {
    this.entries.set(String(key), new Uint8Array(await res.arrayBuffer()));
  }
  async delete(key) {
    return this.entries.delete(String(key));
  }
}
class MemoryCacheStorage {
  caches = new Map();
  async open(name) {
    if (!this.caches.has(name)) this.caches.set(name, new MemoryCache());
    return this.caches.get(name);
  }
}

let server;
let base;
let serve = () => d.pk;
let hits = 0;
before(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url !== '/zkstatus.pk') {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    const body = serve();
    // `connection: close`: no keep-alive socket for undici to reuse after
    // the server timed it out ("fetch failed" between slow tests).
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, connection: 'close' }).end(Buffer.from(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

test('fetchProvingKey: fetched once, checked, cached; a bad cached copy is replaced', async () => {
  const caches = new MemoryCacheStorage();
  const url = `${base}/zkstatus.pk`;
  hits = 0;
  const k1 = await pkg.fetchProvingKey(url, d.pin, { caches });
  assert.equal(k1.fingerprintHex(), d.pin);
  assert.equal(hits, 1);
  const cache = await caches.open('zkstatus-proving-key');
  assert.deepEqual(cache.entries.get(url), d.pk);
  const k2 = await pkg.fetchProvingKey(url, d.pin, { caches });
  assert.equal(k2.fingerprintHex(), d.pin);
  assert.equal(hits, 1, 'the second load came from the cache');
  // The cached bytes change (storage corruption, or a new pin): deleted, fetched again.
  cache.entries.set(url, flipped(d.pk, 1000));
  const k3 = await pkg.fetchProvingKey(url, d.pin, { caches });
  assert.equal(k3.fingerprintHex(), d.pin);
  assert.equal(hits, 2);
  assert.deepEqual(cache.entries.get(url), d.pk);
  for (const k of [k1, k2, k3]) k.free();
});

test('fetchProvingKey: a tampered or foreign key from the server is refused and never cached', async () => {
  const caches = new MemoryCacheStorage();
  const url = `${base}/zkstatus.pk`;
  const cache = await caches.open('zkstatus-proving-key');
  try {
    serve = () => flipped(d.pk, 123_456);
    await assert.rejects(pkg.fetchProvingKey(url, d.pin, { caches }), /^Error: proving key fingerprint \w{64} is not the pinned \w{64}: refused before use; the file is a zkstatus proving key for this circuit, but altered or from another setup/);
    serve = () => other.pk;
    await assert.rejects(pkg.fetchProvingKey(url, d.pin, { caches }), new RegExp(`proving key fingerprint ${other.pin} is not the pinned ${d.pin}`));
    assert.equal(cache.entries.size, 0);
  } finally {
    serve = () => d.pk;
  }
});

test('fetchProvingKey: HTTP errors, bad pins, bad options; works without a Cache API', async () => {
  hits = 0;
  await assert.rejects(pkg.fetchProvingKey(`${base}/missing.pk`, d.pin, { caches: null }), /^Error: proving key: HTTP 404 Not Found fetching http:\/\/127\.0\.0\.1:\d+\/missing\.pk$/);
  await assert.rejects(pkg.fetchProvingKey(`${base}/zkstatus.pk`, d.pin.toUpperCase()), /^Error: pinnedFingerprint: expected 64 lowercase hex digits/);
  await assert.rejects(pkg.fetchProvingKey(`${base}/zkstatus.pk`, d.pin, { cache: 'x' }), /^TypeError: options: unknown property "cache"/);
  await assert.rejects(pkg.fetchProvingKey(42, d.pin), /^TypeError: url must be a string or a URL/);
  assert.equal(hits, 1, 'only the 404 reached the server');
  // Node has no globalThis.caches: fetched each time.
  assert.equal(globalThis.caches, undefined);
  const k = await pkg.fetchProvingKey(new URL('/zkstatus.pk', base), d.pin);
  assert.equal(k.vkFingerprintHex().length, 64);
  k.free();
  assert.equal(hits, 2);
});
