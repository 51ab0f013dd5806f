// The package verifies the frozen fixture (prover/tests/fixtures/v1) and
// rejects it, with the right reason, under another challenge, clock,
// policy or trust list; configuration errors throw precise Errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fx, ctx, fixtureVerifier, hex, hex64, le32, R } from './helpers.mjs';

const FIXTURE_FINGERPRINT = '15f13220d863048e19fa627327ea519fc074eca3c1e4d93015155b19db819303';

test('accepts the fixture, binary and text', () => {
  const v = fixtureVerifier();
  for (const payload of [fx.payload, fx.text, Buffer.from(fx.payload)]) {
    const r = v.verify(payload, ctx());
    assert.deepEqual(r, {
      ok: true,
      kind: 'accept',
      code: 'accepted',
      reason: null,
      issuer: 'Fixture Lab',
      issuerKey: fx.issuerKey,
      proofTime: String(fx.now),
      checkedAt: String(fx.now),
      policy: { maxTestAge: { pcr: '259200', rapidAntigen: '86400' }, minExposureGap: '864000' },
      challenge: fx.challenge,
    });
  }
  // now as a decimal string, the same verdict
  assert.equal(v.verify(fx.payload, ctx({ now: String(fx.now) })).ok, true);
});

test('accepts the text form with surrounding whitespace', async () => {
  const { ACCEPTED_TEXT } = await import('./cases.mjs');
  const v = fixtureVerifier();
  for (const t of ACCEPTED_TEXT) assert.equal(v.verify(t, ctx()).code, 'accepted', JSON.stringify(t));
});

test('rejects the fixture under another challenge', () => {
  const v = fixtureVerifier();
  for (const challenge of [hex64(0n), hex64(BigInt(`0x${fx.challenge}`) + 1n), hex64(R - 1n)]) {
    const r = v.verify(fx.payload, ctx({ challenge }));
    assert.equal(r.ok, false);
    assert.equal(r.kind, 'reject');
    assert.equal(r.code, 'proof-invalid');
    assert.match(r.reason, /does not verify/);
    assert.equal(r.issuer, null);
    assert.equal(r.issuerKey, null);
  }
});

test('clock: within the skew accepted, beyond it rejected, implausible clocks rejected', () => {
  const v = fixtureVerifier();
  for (const d of [-300n, 300n]) assert.equal(v.verify(fx.payload, ctx({ now: fx.now + d })).ok, true, `${d}`);
  for (const d of [-301n, 301n, 86400n]) {
    const r = v.verify(fx.payload, ctx({ now: fx.now + d }));
    assert.equal(r.code, 'clock-skew', `${d}`);
    assert.equal(r.kind, 'reject');
    assert.equal(r.checkedAt, String(fx.now + d));
    assert.match(r.reason, new RegExp(`${d < 0n ? -d : d} s from this verifier's clock \\(tolerance 300 s\\)`));
  }
  // milliseconds, zero, and u64::MAX: the library's plausibility check
  for (const now of [fx.now * 1000n, 0n, (1n << 64n) - 1n]) {
    const r = v.verify(fx.payload, ctx({ now }));
    assert.equal(r.code, 'implausible-time', `${now}`);
  }
  // a custom tolerance
  const strict = fixtureVerifier({ options: { maxSkewSecs: 10n } });
  assert.equal(strict.verify(fx.payload, ctx({ now: fx.now + 10n })).ok, true);
  assert.equal(strict.verify(fx.payload, ctx({ now: fx.now + 11n })).code, 'clock-skew');
  const lax = fixtureVerifier({ options: { maxSkewSecs: '86400' } });
  assert.equal(lax.verify(fx.payload, ctx({ now: fx.now + 86400n })).ok, true);
});

test('rejects the fixture under a stricter (or laxer) policy', () => {
  const policy = (pcr, rat, gap) => JSON.stringify({
    format: 'zkstatus/policy', version: 1, max_test_age: { pcr, rapid_antigen: rat }, min_exposure_gap: gap,
  });
  for (const p of [
    policy(259199, 86400, 864000), // PCR window one second shorter
    policy(259200, 86400, 864001), // exposure gap one second longer
    policy(259200, null, 864000), // rapid antigen no longer accepted
    policy(null, 86400, 864000), // PCR not accepted: the fixture's test type
    policy(259201, 86400, 864000), // laxer: also another statement (item 74)
  ]) {
    const r = fixtureVerifier({ policy: p }).verify(fx.payload, ctx());
    assert.equal(r.code, 'proof-invalid', p);
    assert.equal(r.kind, 'reject');
    assert.deepEqual(r.policy.maxTestAge.pcr, JSON.parse(p).max_test_age.pcr?.toString() ?? null);
  }
  // the same policy written differently is the same policy
  assert.equal(fixtureVerifier({ policy: policy(259200, 86400, 864000) }).verify(fx.payload, ctx()).ok, true);
});

test('rejects an issuer the trust list does not name', () => {
  const trust = (issuers) => JSON.stringify({ format: 'zkstatus/trust-list', version: 1, issuers });
  // circomlib's Base8, packed: a valid key in the subgroup, not the fixture's issuer.
  const base8Packed = hex(le32(16950150798460657717958625567821834550301663161624707787222815936182638968203n));
  const v = fixtureVerifier({ trust: trust([{ name: 'Another Lab', public_key: base8Packed }]) });
  const r = v.verify(fx.payload, ctx());
  assert.equal(r.code, 'untrusted-issuer');
  assert.equal(r.kind, 'reject');
  assert.match(r.reason, /not trusted/);
  // with both keys trusted, the fixture is accepted under the fixture's name
  const both = fixtureVerifier({
    trust: trust([{ name: 'Another Lab', public_key: base8Packed }, { name: 'Fixture Lab 2', public_key: fx.issuerKey }]),
  });
  const ok = both.verify(fx.payload, ctx());
  assert.equal(ok.ok, true);
  assert.equal(ok.issuer, 'Fixture Lab 2');
  assert.deepEqual(both.trustedIssuers(), [
    { name: 'Another Lab', publicKey: base8Packed },
    { name: 'Fixture Lab 2', publicKey: fx.issuerKey },
  ]);
});

test('fingerprints, and pinning the verifying key', () => {
  const v = fixtureVerifier();
  assert.equal(v.vkFingerprintHex(), FIXTURE_FINGERPRINT);
  assert.equal(v.vkFingerprint(), '15f1-3220-d863-048e');
  assert.equal(fixtureVerifier({ options: { pinnedVkFingerprint: FIXTURE_FINGERPRINT } }).verify(fx.payload, ctx()).ok, true);
  const wrong = FIXTURE_FINGERPRINT.replace(/^15/, '16');
  assert.throws(() => fixtureVerifier({ options: { pinnedVkFingerprint: wrong } }), {
    name: 'Error',
    message: `pinnedVkFingerprint: the verifying key's fingerprint is ${FIXTURE_FINGERPRINT}, not the pinned one`,
  });
  assert.throws(() => fixtureVerifier({ options: { pinnedVkFingerprint: '15f1-3220-d863-048e' } }), /not the short form/);
  assert.throws(() => fixtureVerifier({ options: { pinnedVkFingerprint: FIXTURE_FINGERPRINT.toUpperCase() } }), /lowercase/);
  assert.throws(() => fixtureVerifier({ options: { pinnedVkFingerprint: 42 } }), TypeError);
});

test('a bad verifying-key file throws a precise Error (items 57, 58, 75)', () => {
  const vk = fx.vk;
  const cases = [
    [vk.slice(0, 548), /exactly 549 bytes, got 548/],
    [Uint8Array.from([...vk, 0]), /exactly 549 bytes, got 550/],
    [new Uint8Array(0), /exactly 549 bytes, got 0/],
    [new Uint8Array(2 << 20), /exactly 549 bytes, got 2097152/], // not copied in
    [(() => { const b = new Uint8Array(vk); b[0] = 0x58; return b; })(), /bad magic/],
    [(() => { const b = new Uint8Array(vk); b[4] = 2; return b; })(), /unsupported verifying-key file version 2/],
    [(() => { const b = new Uint8Array(vk); b[5] ^= 1; return b; })(), /for another circuit/],
    // body bytes all 0xff: no length prefix is read, every point refused
    [(() => { const b = new Uint8Array(vk); b.fill(0xff, 37); return b; })(), /invalid verifying key: vk alpha/],
    // an identity point in the key (γ = O)
    [(() => { const b = new Uint8Array(vk); b.fill(0, 133, 197); b[196] = 0x40; return b; })(), /vk gamma is the identity point/],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => fixtureVerifier({ vk: bytes }), (e) => e instanceof Error && re.test(e.message) && /^verifying key: /.test(e.message), String(re));
  }
  assert.throws(() => fixtureVerifier({ vk: Array.from(vk) }), TypeError);
  assert.throws(() => fixtureVerifier({ vk: vk.buffer }), TypeError);
});

test('a bad trust list or policy throws a precise Error (item 60)', () => {
  const key = fx.issuerKey;
  const trust = fx.trust;
  const policy = fx.policy;
  const cases = [
    ['trust', trust.replace('"version": 1,', '"version": 1, "extra": 0,'), /^trust list: unknown field `extra`/],
    ['trust', trust.replace('"version": 1,', '"version": 1, "version": 1,'), /^trust list: duplicate field `version`/],
    ['trust', trust.replace('"version": 1', '"version": 2'), /^trust list: zkstatus\/trust-list version 2 is not supported/],
    ['trust', trust.replace('zkstatus/trust-list', 'zkstatus/policy'), /^trust list: expected a zkstatus\/trust-list file, found format "zkstatus\/policy"/],
    ['trust', trust.replace(key, key.toUpperCase()), /^trust list: field public_key: expected lowercase hexadecimal digits/],
    ['trust', trust.replace(key, key.slice(1)), /^trust list: field public_key: expected 64 hex digits, got 63/],
    ['trust', trust.replace(key, `${key.slice(2)}zz`), /lowercase hexadecimal/],
    ['trust', trust.replace(key, `01${'0'.repeat(62)}`), /^trust list: field public_key: public key is the identity point/],
    ['trust', trust.replace('"Fixture Lab"', JSON.stringify('x'.repeat(129))), /longer than 128 characters/],
    ['trust', '{"format":"zkstatus/trust-list","version":1,"issuers":[]}', /expected 1 to 256 issuers, got 0/],
    ['trust', '{"format":"zkstatus/trust-list","version":1}', /missing field `issuers`/],
    ['trust', '', /^trust list: EOF while parsing/],
    ['trust', `${trust}x`, /^trust list: trailing characters/],
    ['trust', `{"format":"${'x'.repeat(70000)}"}`, /^trust list is 70013 bytes; at most 65536 are accepted/],
    ['trust', 'x'.repeat(300000), /^trust list is over 65536 bytes/],
    ['policy', policy.replace('"min_exposure_gap": 864000', '"min_exposure_gap": -1'), /^policy: invalid value: integer `-1`/],
    ['policy', policy.replace('"min_exposure_gap": 864000', '"min_exposure_gap": 1.5'), /^policy: invalid type: floating point/],
    ['policy', policy.replace('"min_exposure_gap": 864000', '"min_exposure_gap": "864000"'), /^policy: invalid type: string/],
    ['policy', policy.replace('"pcr": 259200', '"pcr": null').replace('"rapid_antigen": 86400', '"rapid_antigen": null'), /^policy: field max_test_age: a status policy must accept at least one test type/],
    ['policy', policy.replace('"pcr": 259200', '"pcr": 259200, "lamp": 1'), /unknown field `max_test_age\.lamp`/],
    ['policy', trust, /^policy: unknown field `issuers`|^policy: missing field/],
  ];
  for (const [which, text, re] of cases) {
    const args = which === 'trust' ? { trust: text } : { policy: text };
    assert.throws(() => fixtureVerifier(args), (e) => e instanceof Error && re.test(e.message), `${which}: ${re} vs ${(() => { try { fixtureVerifier(args); return 'no error'; } catch (e) { return e.message; } })()}`);
  }
  assert.throws(() => fixtureVerifier({ trust: JSON.parse(trust) }), TypeError);
  assert.throws(() => fixtureVerifier({ policy: Buffer.from(policy) }), TypeError);
});

test('options are checked: types, unknown names, values', () => {
  assert.throws(() => fixtureVerifier({ options: { maxSkewSecs: 300 } }), { name: 'TypeError', message: /maxSkewSecs must be a BigInt or a decimal string, not a number/ });
  assert.throws(() => fixtureVerifier({ options: { maxSkewSecs: -1n } }), /maxSkewSecs: expected a non-negative decimal integer/);
  assert.throws(() => fixtureVerifier({ options: { maxSkewSecs: 1n << 64n } }), /maxSkewSecs: expected an integer of at most 18446744073709551615/);
  assert.throws(() => fixtureVerifier({ options: { maxSkew: 300n } }), { name: 'TypeError', message: /unknown property "maxSkew"/ });
  assert.throws(() => fixtureVerifier({ options: 'strict' }), TypeError);
  assert.equal(fixtureVerifier({ options: {} }).verify(fx.payload, ctx()).ok, true);
  assert.equal(fixtureVerifier({ options: null }).verify(fx.payload, ctx()).ok, true);
  assert.equal(fixtureVerifier({ options: { maxSkewSecs: undefined } }).verify(fx.payload, ctx()).ok, true);
});

test('policy() reports the configured policy', () => {
  assert.deepEqual(fixtureVerifier().policy(), {
    maxTestAge: { pcr: '259200', rapidAntigen: '86400' },
    minExposureGap: '864000',
  });
});

test('a freed verifier throws an Error, and free() is idempotent', () => {
  const v = fixtureVerifier();
  v.free();
  v.free();
  assert.throws(() => v.verify(fx.payload, ctx()), /freed/);
  assert.throws(() => v.vkFingerprint(), /freed/);
  // other instances are unaffected
  assert.equal(fixtureVerifier().verify(fx.payload, ctx()).ok, true);
});
