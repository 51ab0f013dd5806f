// docs/security.md, item 37 (in WASM): random valid records inside the
// policy are proved by this package and verified. A seeded PRNG picks, per
// record, the proof time (a gate's challenge time, or a one-scan window
// start, in the seeded set's first registry epoch), the test time within the
// test type's maximum age, the issue time between the test and the proof,
// the expiry after the proof, and an exposure at least the policy's gap
// before the proof; the test type, whether there was an exposure, and the
// mode cycle so that all four type/exposure combinations and both modes occur. The seeded set's accredited issuer signs
// each record (`zkstatus issuer issue`) for the set's holder; each proof is
// accepted by the verifier package's Gate and by `zkstatus verify`.
// Kept to a handful of proofs: each takes one to three seconds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkg, setFiles, fixtureMeta, run, nativeVerify, VERIFIER_PKG_DIR } from './helpers.mjs';

const verifierPkg = await import(pathToFileURL(path.join(VERIFIER_PKG_DIR, 'node.js')).href);

const PROOFS = 6;
const SEED = 0x37;
const WINDOW_SECS = 60n; // docs/formats.md: one-scan windows
const DAY = 86400n;

let d; // the seeded set's files
let m; // its gate inputs
let policy; // its policy, parsed
let pk; // the pinned proving key, loaded once (validation takes seconds)
let regs; // both epochs' registries

before(() => {
  d = setFiles();
  m = fixtureMeta(d);
  policy = JSON.parse(d.policy);
  pk = pkg.ProvingKey.load(d.pk, d.pin);
  regs = new pkg.Registries(d.roots, d.registries);
});

/** A seeded PRNG (mulberry32): `big(n)` is a BigInt in [0, n]. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    big: (n) => BigInt(Math.floor(next() * (Number(n) + 1))),
  };
}

/** A random record valid at `at` under the set's policy (times as BigInts). */
function randomRecord(rng, at, testType, exposed) {
  const maxAge = BigInt(policy.max_test_age[testType]);
  const gap = BigInt(policy.min_exposure_gap);
  // Rule 4: at − maxAge ≤ test_time ≤ at (both bounds reachable).
  const testTime = at - rng.big(maxAge);
  // Rule 6: issued_at ≤ at (and not before the test, as an issuer would).
  const issuedAt = testTime + rng.big(at - testTime);
  // Rule 6: at < expires_at.
  const expiresAt = at + 1n + rng.big(7n * DAY);
  // Rule 5: exposure_time + gap ≤ at (0 means none, so at least 1).
  const exposureTime = exposed ? at - gap - rng.big(30n * DAY) : undefined;
  return { testType, testTime, issuedAt, expiresAt, exposureTime };
}

/** The set's issuer signs `r` for the set's holder: the credential JSON. */
function issue(r) {
  const args = ['issuer', 'issue', '--key', path.join(d.dir, 'issuer.key'), '--holder', JSON.parse(d.secret).holder,
    '--test-type', r.testType, '--result', 'negative', '--test-time', String(r.testTime),
    '--issued-at', String(r.issuedAt), '--expires-at', String(r.expiresAt), '--out', '-'];
  if (r.exposureTime !== undefined) args.push('--exposure-time', String(r.exposureTime));
  return run(args);
}


test('random valid records (both test types, with and without exposure, both modes) are proved in WASM and accepted by the Gate and `zkstatus verify`', (t) => {
  const rng = prng(SEED);
  // The first epoch's root is active until the next activation: keep the
  // proof time before it, so the epoch is known.
  const span = m.nextActivation - m.now - 600n;
  const seen = new Set();
  for (let i = 0; i < PROOFS; i++) {
    const testType = i % 2 ? 'rapid_antigen' : 'pcr';
    const exposed = (i >> 1) % 2 === 1;
    const oneScan = i % 3 !== 0; // interactive for records 0 and 3
    // The proof time: a challenge's issue time, or a one-scan window start.
    const at = oneScan ? m.windowStart + WINDOW_SECS * rng.big(span / WINDOW_SECS) : m.now + rng.big(span);
    const r = randomRecord(rng, at, testType, exposed);
    const label = JSON.stringify({ i, oneScan, at: String(at), ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])) });
    seen.add(`${testType}/${exposed}/${oneScan}`);

    const holder = new pkg.Holder(issue(r), d.secret);
    const gate = new verifierPkg.Gate(d.vk, d.registry, d.policy, { origin: m.origin, operator: m.operator, modes: ['interactive', 'one-scan'] });
    let p;
    let native;
    if (oneScan) {
      p = holder.prove(pk, d.policy, regs, { windowStart: at, operator: m.operator });
      assert.equal(p.mode, 'one-scan', label);
      native = { now: at + 5n, operator: m.operator };
    } else {
      const offer = gate.issue(at, Uint8Array.from({ length: 32 }, () => rng.int(256)));
      p = holder.prove(pk, d.policy, regs, { challenge: offer.offer });
      assert.equal(p.mode, 'interactive', label);
      native = { now: at + 5n, challenge: offer.offer };
    }
    assert.equal(p.now, String(at), label);
    assert.equal(p.epoch, m.epochs[0], label);

    const v = gate.verify(p.payloadBytes, at + 3n);
    assert.equal(v.code, 'accepted', `${label}: ${JSON.stringify(v)}`);
    assert.equal(v.proofTime, String(at), label);
    const { status, out } = nativeVerify(d.dir, p.payloadText, native);
    assert.equal(status, 0, `${label}: ${JSON.stringify(out)}`);
    assert.equal(out.verdict, 'accept', label);
    t.diagnostic(label);
    holder.free?.();
  }
  // Both test types with and without an exposure were proved.
  assert.equal(new Set([...seen].map((s) => s.split('/').slice(0, 2).join('/'))).size, 4);
  // And both modes.
  assert.equal(new Set([...seen].map((s) => s.split('/')[2])).size, 2);
});
