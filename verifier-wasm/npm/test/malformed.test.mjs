// Malformed input of every class in docs/security.md, section C (items
// 49–61) gives a verdict or throws an Error — never a trap — and ONE
// verifier instance still accepts the valid fixture after each of them and
// after hundreds of random and bit-flipped payloads (item 63), without
// growing its memory (item 65).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fx, ctx, fixtureVerifier, raw, hex64, R, prng, flipBit, toText } from './helpers.mjs';
import { CASES } from './cases.mjs';

// One instance for the whole file (item 63).
const v = fixtureVerifier();
const stillAccepts = (after) => {
  const r = v.verify(fx.payload, ctx());
  assert.equal(r.ok, true, `the instance no longer accepts the fixture after: ${after}`);
};

test('every hand-made malformed payload gets its verdict (items 49–53, 59, text)', () => {
  for (const c of CASES) {
    const r = v.verify(c.input, ctx());
    assert.equal(r.ok, false, c.name);
    assert.equal(r.kind, c.kind, `${c.name}: ${r.reason}`);
    assert.equal(r.code, c.code, `${c.name}: ${r.reason}`);
    assert.equal(typeof r.reason, 'string');
    assert.equal(r.issuer, null);
    stillAccepts(c.name);
  }
});

test('huge payloads are refused without being copied in (item 49)', () => {
  const mib = new Uint8Array(1 << 20);
  let r = v.verify(mib, ctx());
  assert.deepEqual([r.kind, r.code, r.reason], ['malformed', 'wrong-length', 'a payload has exactly 169 bytes, got 1048576']);
  r = v.verify(new Uint8Array(4097), ctx());
  assert.equal(r.reason, 'a payload has exactly 169 bytes, got 4097');
  r = v.verify('Z'.repeat(1 << 20), ctx());
  assert.deepEqual([r.kind, r.code], ['malformed', 'wrong-length']);
  assert.match(r.reason, /a text payload has 259 characters, got 1048576/);
  // a Uint8Array that lies about its length is copied by its real length
  const liar = new Uint8Array(fx.payload);
  Object.defineProperty(liar, 'length', { value: 1 << 30 });
  r = v.verify(liar, ctx());
  assert.equal(r.code, 'wrong-length');
  const liar2 = new Uint8Array(1 << 16);
  Object.defineProperty(liar2, 'length', { value: 169 });
  assert.equal(v.verify(liar2, ctx()).reason, 'a payload has exactly 169 bytes, got 65536');
  stillAccepts('huge payloads');
});

test('challenges must be canonical: 64 lowercase hex digits below p (items 55, 56)', () => {
  const c = fx.challenge;
  const bad = [
    [c.toUpperCase(), /challenge: expected lowercase hexadecimal digits/],
    [c.replace('e', 'E'), /lowercase/],
    [c.slice(1), /challenge: expected 64 hex digits, got 63/],
    [`${c}0`, /expected 64 hex digits, got 65/],
    [`0x${c.slice(2)}`, /lowercase/],
    ['', /expected 64 hex digits, got 0/],
    [` ${c.slice(1)}`, /lowercase/],
    [hex64(R), /challenge: value is not below the field modulus/], // r
    [hex64(R + 5n), /not below the field modulus/], // r + 5
    [hex64(BigInt(`0x${c}`) + R), /not below the field modulus/], // an alias of the fixture's challenge
    ['f'.repeat(64), /not below the field modulus/], // 2^256 − 1
    ['0'.repeat(100000), /challenge: expected 64 hex digits, got 100000/],
  ];
  for (const [challenge, re] of bad) {
    assert.throws(() => v.verify(fx.payload, ctx({ challenge })), (e) => e instanceof Error && re.test(e.message), `${challenge.slice(0, 70)}: ${re}`);
    stillAccepts(`challenge ${challenge.slice(0, 70)}`);
  }
  for (const challenge of [BigInt(`0x${c}`), 0x4a11e49e, null, undefined, fromHexBytes(c)]) {
    assert.throws(() => v.verify(fx.payload, ctx({ challenge })), TypeError);
  }
  // the canonical form of r − 1 is a valid challenge (the proof just does not verify)
  assert.equal(v.verify(fx.payload, ctx({ challenge: hex64(R - 1n) })).code, 'proof-invalid');
  stillAccepts('challenges');
});

function fromHexBytes(h) {
  return new Uint8Array(Buffer.from(h, 'hex'));
}

test('times are BigInt or decimal strings; JS numbers throw (item 61)', () => {
  const numbers = [Number(fx.now), 2 ** 53 + 2, 1.5, NaN, Infinity, -1, 0];
  for (const now of numbers) {
    assert.throws(() => v.verify(fx.payload, ctx({ now })), { name: 'TypeError', message: /now must be a BigInt or a decimal string, not a number/ }, String(now));
  }
  const bad = [
    ['-1', /now: expected a non-negative decimal integer/],
    [-1n, /now: expected a non-negative decimal integer/],
    [1n << 64n, /now: expected an integer of at most 18446744073709551615/],
    ['18446744073709551616', /at most 18446744073709551615/],
    ['', /now: expected a decimal integer/],
    [' 1763800000', /digits only/],
    ['1763800000 ', /digits only/],
    ['1.7638e9', /digits only/],
    ['0x6921c6c0', /digits only/],
    ['01763800000', /leading zeros/],
    ['1'.repeat(100000), /now: expected a decimal integer/],
    [10n ** 5000n, /now: expected a decimal integer/],
  ];
  for (const [now, re] of bad) {
    assert.throws(() => v.verify(fx.payload, ctx({ now })), (e) => e instanceof Error && re.test(e.message), `${String(now).slice(0, 40)}: ${re}`);
  }
  for (const now of [undefined, null, true, {}, [], Symbol('now'), new Date()]) {
    assert.throws(() => v.verify(fx.payload, ctx({ now })), TypeError, String(typeof now));
  }
  stillAccepts('times');
});

test('wrong argument shapes throw TypeErrors', () => {
  for (const payload of [undefined, null, 42, {}, [1, 2, 3], Array.from(fx.payload), fx.payload.buffer, new Uint16Array(169), new DataView(fx.payload.buffer)]) {
    assert.throws(() => v.verify(payload, ctx()), { name: 'TypeError', message: /payload must be a string .* or a Uint8Array/ });
  }
  for (const context of [undefined, null, 'now', 1763800000n]) {
    assert.throws(() => v.verify(fx.payload, context), TypeError);
  }
  assert.throws(() => v.verify(fx.payload, { ...ctx(), nonce: 1 }), { name: 'TypeError', message: /unknown property "nonce"/ });
  stillAccepts('argument shapes');
});

test('hostile objects (throwing getters, proxies) throw in JS and do not poison the instance', () => {
  const throwing = { get now() { throw new Error('boom'); }, challenge: fx.challenge };
  assert.throws(() => v.verify(fx.payload, throwing), /boom/);
  const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  assert.throws(() => v.verify(fx.payload, proxy), /trap/);
  const payloadProxy = new Proxy(fx.payload, { getPrototypeOf() { throw new Error('proto trap'); } });
  assert.throws(() => v.verify(payloadProxy, ctx()), /proto trap/);
  const badToString = { toString() { throw new Error('toString'); } };
  assert.throws(() => v.verify(fx.payload, ctx({ now: badToString })), TypeError);
  stillAccepts('hostile objects');
});

test('hundreds of random and bit-flipped payloads, then the fixture still verifies (item 63)', (t) => {
  const seed = 0x5eed;
  const rng = prng(seed);
  const counts = {};
  const tally = (r) => {
    assert.equal(r.ok, false);
    counts[`${r.kind}/${r.code}`] = (counts[`${r.kind}/${r.code}`] ?? 0) + 1;
  };
  for (let i = 0; i < 200; i++) {
    const len = [169, 169, 169, rng.int(400)][rng.int(4)];
    const p = rng.bytes(len);
    if (len === 169 && rng.int(2)) p[0] = 1; // get past the version byte
    tally(v.verify(p, ctx()));
  }
  for (let i = 0; i < 400; i++) {
    // one to three bit flips anywhere in the fixture payload
    let p = fx.payload;
    for (let k = 0, n = 1 + rng.int(3); k < n; k++) p = flipBit(rng.int(169 * 8), p);
    tally(v.verify(p, ctx()));
  }
  for (let i = 0; i < 100; i++) {
    // the text form of a bit-flipped payload, and random QR-alphabet text
    tally(v.verify(toText(flipBit(rng.int(169 * 8))), ctx()));
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    tally(v.verify(`ZKS1:${Array.from({ length: 254 }, () => alphabet[rng.int(45)]).join('')}`, ctx()));
  }
  t.diagnostic(`fuzz seed ${seed}: ${JSON.stringify(counts)}`);
  stillAccepts('random and bit-flipped payloads');
  assert.equal(v.verify(fx.text, ctx()).ok, true);
});

test('10,000 invalid payloads do not grow WASM memory (item 65)', () => {
  const memory = raw.initSync().memory; // already initialized: returns the exports
  const rng = prng(65);
  // warm up, so that allocator pools exist before measuring
  for (let i = 0; i < 200; i++) v.verify(rng.bytes(169), ctx());
  const before = memory.buffer.byteLength;
  for (let i = 0; i < 10000; i++) {
    const p = rng.bytes(169);
    p[0] = 1;
    const r = v.verify(i % 2 ? p : toText(p), ctx());
    assert.equal(r.ok, false);
  }
  assert.equal(memory.buffer.byteLength, before, 'WASM memory grew');
  stillAccepts('10,000 invalid payloads');
});
