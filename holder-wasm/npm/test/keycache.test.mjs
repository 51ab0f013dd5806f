// The proving key's fast forms (prover/src/split/cache.rs): what a repeat
// visit loads instead of the compressed key file. loadProvingKeyParts keeps
// one per worker part after a checked load; the next load takes them, and
// the keys prove (the proof verifies with `zkstatus verify`). A form with
// one byte flipped, for another pin, for another part or share, truncated or
// oversized is refused with code pk-cache-invalid (never a trap), deleted,
// and the checked load runs again and rewrites it. No wall time is asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { pkg, demoFiles, nativeVerify } from './helpers.mjs';

let d; // a fresh demo
let other; // another setup's key
let server;
let base;
let hits = 0;

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
    return this.entries.delete(String(key?.url ?? key));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
}
class MemoryCacheStorage {
  caches = new Map();
  async open(name) {
    if (!this.caches.has(name)) this.caches.set(name, new MemoryCache());
    return this.caches.get(name);
  }
}

const flipped = (bytes, at) => {
  const b = new Uint8Array(bytes);
  b[at] ^= 0x01;
  return b;
};

before(async () => {
  d = demoFiles();
  other = demoFiles();
  server = createServer((req, res) => {
    hits++;
    if (req.url !== '/zkstatus.pk') {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': d.pk.length, connection: 'close' }).end(Buffer.from(d.pk));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const url = () => `${base}/zkstatus.pk`;
const fastEntry = (part, pin = d.pin) => `${base}/zkstatus-fast-key/${pin}/${part}-14`; // Share::DEFAULT: b_g1, b_g2, l

/** A one-scan pass for the current window with a main and a helper key; its `zkstatus verify` verdict. */
function proveAndVerify(main, helper) {
  const holder = new pkg.Holder(d.credential, d.secret);
  const regs = new pkg.Registries(d.roots, d.registries);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const windowStart = (now / 60n) * 60n;
  const job = holder.beginProof(main, d.policy, regs, { windowStart, operator: 'keycache.example' });
  try {
    const part = helper.computePart(job.takeTask());
    job.runMain();
    const p = job.finish(part);
    return nativeVerify(d.dir, p.payloadText, { now: windowStart + 1n, operator: 'keycache.example' });
  } finally {
    job.free();
    holder.free();
    regs.free();
  }
}

function refusedFast(load, form, pin, re) {
  assert.throws(() => load(form, pin), (e) => {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `a trap: ${e}`);
    assert.equal(e.code, 'pk-cache-invalid', `${e.code}: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
}

test('a repeat load takes the fast forms (no fetch, no key file), and the keys prove a pass that verifies', async () => {
  const caches = new MemoryCacheStorage();
  hits = 0;
  const first = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'single', caches });
  assert.equal(first.source, 'network');
  assert.deepEqual(first.refused, []);
  await first.saved;
  assert.equal(hits, 1);
  const fast = await caches.open('zkstatus-proving-key-fast');
  assert.deepEqual([...fast.entries.keys()].sort(), [fastEntry('helper'), fastEntry('main')]);

  // The key file's cache is emptied: a repeat load must not need it.
  (await caches.open('zkstatus-proving-key')).entries.clear();
  let ready = 0;
  const second = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'single', caches, onBytesReady: () => ready++ });
  assert.equal(second.source, 'fast');
  assert.equal(hits, 1, 'nothing fetched');
  assert.equal(ready, 1);
  assert.equal(second.mainKey.fingerprintHex(), d.pin);
  assert.equal(second.helperKey.fingerprintHex(), d.pin);
  assert.equal(second.mainKey.vkFingerprintHex(), first.mainKey.vkFingerprintHex());
  assert.deepEqual(second.mainKey.vkFile(), d.vk);
  // The same key: a fast form loaded gives the same fast form again.
  assert.deepEqual(second.mainKey.toFastForm(), first.mainKey.toFastForm());
  assert.deepEqual(second.helperKey.toFastForm(), first.helperKey.toFastForm());

  const v = proveAndVerify(second.mainKey, second.helperKey);
  assert.equal(v.status, 0, JSON.stringify(v.out));
  // Mixed: a fast main part with a checked helper part.
  const v2 = proveAndVerify(second.mainKey, first.helperKey);
  assert.equal(v2.status, 0, JSON.stringify(v2.out));
  for (const k of [first.mainKey, first.helperKey, second.mainKey, second.helperKey]) k.free();
});

test('a fast form with one byte flipped is refused; the load falls back to the checked key file and rewrites it', async () => {
  const main = pkg.MainProvingKey.load(d.pk, d.pin);
  const form = main.toFastForm();
  const loadMain = (f, pin) => pkg.MainProvingKey.loadFast(f, pin);
  // The header (magic, version, part, share, reduction, pin, counts), the
  // verifying key, a point in the middle, the last point, the digest.
  for (const at of [0, 4, 5, 6, 7, 8, 39, 40, 60, 100, 700, form.length >> 1, form.length - 40, form.length - 1]) {
    refusedFast(loadMain, flipped(form, at), d.pin, /^cached proving key: its digest does not match its content/);
  }
  const caches = new MemoryCacheStorage();
  const fast = await caches.open('zkstatus-proving-key-fast');
  const bad = flipped(form, form.length >> 1);
  fast.entries.set(fastEntry('main'), bad);
  hits = 0;
  const r = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'main', caches });
  assert.equal(r.source, 'network');
  assert.equal(hits, 1);
  assert.equal(r.refused.length, 1);
  assert.match(r.refused[0], /digest does not match/);
  await r.saved;
  assert.deepEqual(fast.entries.get(fastEntry('main')), form, 'rewritten from the checked key');
  const again = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'main', caches });
  assert.equal(again.source, 'fast');
  for (const k of [main, r.mainKey, again.mainKey]) k.free();
});

test('a fast form for another pin, part or share is refused, and the checked load runs instead', async () => {
  const otherMain = pkg.MainProvingKey.load(other.pk, other.pin);
  const otherForm = otherMain.toFastForm();
  const loadMain = (f, pin) => pkg.MainProvingKey.loadFast(f, pin);
  refusedFast(loadMain, otherForm, d.pin, /^cached proving key: made for another pin$/);
  // It loads under its own pin.
  pkg.MainProvingKey.loadFast(otherForm, other.pin).free();

  const helper = pkg.HelperProvingKey.load(d.pk, d.pin);
  refusedFast(loadMain, helper.toFastForm(), d.pin, /another part or share/);
  refusedFast((f, pin) => pkg.HelperProvingKey.loadFast(f, pin, 12), helper.toFastForm(), d.pin, /another part or share/);

  // Stored under this pin's entry (as a page whose pin changed might find it).
  const caches = new MemoryCacheStorage();
  const fast = await caches.open('zkstatus-proving-key-fast');
  fast.entries.set(fastEntry('main'), otherForm);
  fast.entries.set(fastEntry('main', other.pin), otherForm);
  const r = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'main', caches });
  assert.equal(r.source, 'network');
  assert.match(r.refused.join('\n'), /made for another pin/);
  assert.equal(r.mainKey.fingerprintHex(), d.pin);
  await r.saved;
  assert.deepEqual([...fast.entries.keys()], [fastEntry('main')], "the other pin's entry is deleted");
  for (const k of [otherMain, helper, r.mainKey]) k.free();
});

test('a truncated or oversized fast form is refused without a trap, and the module keeps working', async () => {
  const helper = pkg.HelperProvingKey.load(d.pk, d.pin);
  const form = helper.toFastForm();
  const loadHelper = (f, pin) => pkg.HelperProvingKey.loadFast(f, pin);
  for (const n of [0, 1, 4, 40, 91, 92, 123, 124, 200, form.length >> 1, form.length - 32, form.length - 1]) {
    refusedFast(loadHelper, form.subarray(0, n), d.pin, /shorter than its|digest does not match/);
  }
  // A form with a recomputed digest but cut or extended by one point: the
  // length does not fit the counts.
  const { createHash } = await import('node:crypto');
  const reseal = (body) => {
    const out = new Uint8Array(body.length + 32);
    out.set(body);
    out.set(createHash('sha256').update(body).digest(), body.length);
    return out;
  };
  const body = form.subarray(0, form.length - 32);
  refusedFast(loadHelper, reseal(body.subarray(0, body.length - 64)), d.pin, /inconsistent sizes \(length\)/);
  refusedFast(loadHelper, reseal(new Uint8Array([...body, ...new Uint8Array(64)])), d.pin, /inconsistent sizes \(length\)/);
  // A count above the cap, resealed.
  const big = new Uint8Array(body);
  big.set([0, 0, 2, 0], 40);
  refusedFast(loadHelper, reseal(big), d.pin, /a count above the cap/);
  // Over the size cap: refused before it is copied into WebAssembly memory.
  assert.throws(() => pkg.HelperProvingKey.loadFast(new Uint8Array(pkg.MAX_FAST_KEY_BYTES + 1), d.pin), /at most 16777216/);

  // Still usable.
  const k = pkg.HelperProvingKey.loadFast(form, d.pin);
  assert.equal(k.fingerprintHex(), d.pin);
  k.free();

  const caches = new MemoryCacheStorage();
  (await caches.open('zkstatus-proving-key-fast')).entries.set(fastEntry('helper'), form.subarray(0, 1000));
  const r = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'helper', caches });
  assert.equal(r.source, 'network');
  assert.equal(r.refused.length, 1);
  await r.saved;
  const again = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'helper', caches });
  assert.equal(again.source, 'fast');
  for (const x of [helper, r.helperKey, again.helperKey]) x.free();
});

test('beforeFetch (the helper worker waiting for the main worker) is awaited before the key file is read, and not at all when the fast forms load', async () => {
  const caches = new MemoryCacheStorage();
  hits = 0;
  /** @type {() => void} */
  let release = () => {};
  let asked = 0;
  const beforeFetch = () => {
    asked++;
    return new Promise((ok) => {
      release = ok;
    });
  };
  const loading = pkg.loadProvingKeyParts(url(), d.pin, { role: 'helper', caches, beforeFetch });
  let settled = false;
  loading.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 20 && asked === 0; i++) await new Promise((ok) => setTimeout(ok, 10));
  assert.equal(asked, 1, 'no fast form: asked before the key file');
  await new Promise((ok) => setTimeout(ok, 50));
  assert.equal(hits, 0, 'nothing fetched before beforeFetch settles');
  assert.equal(settled, false);
  release();
  const first = await loading;
  assert.equal(first.source, 'network');
  assert.equal(hits, 1);
  await first.saved;

  asked = 0;
  const again = await pkg.loadProvingKeyParts(url(), d.pin, { role: 'helper', caches, beforeFetch });
  assert.equal(again.source, 'fast');
  assert.equal(asked, 0, 'the fast form needs no key file: not asked');
  assert.equal(hits, 1);
  await assert.rejects(pkg.loadProvingKeyParts(url(), d.pin, { role: 'helper', caches, beforeFetch: 1 }), (e) => e.code === 'bad-input' && /beforeFetch must be a function/.test(e.message));
  for (const k of [first.helperKey, again.helperKey]) k.free();
});
