// Proving in WebAssembly, end to end: a fresh demo's proving key and
// credential (made by the native CLI), a proof made here, accepted by the
// browser verifier package and by `zkstatus verify`; a credential that is
// not green gives reasons and no proof; every malformed input is an Error,
// and the instance keeps working after each one.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkg, demoFiles, run, zkstatusCli, nowSecs, hex64, R, VERIFIER_PKG_DIR, PKG_DIR } from './helpers.mjs';

const verifierPkg = await import(pathToFileURL(path.join(VERIFIER_PKG_DIR, 'node.js')).href);

let d; // demo files
let pk; // the pinned proving key, loaded once (validation takes seconds)
let holder;
const CHALLENGE = hex64(0x5eed_c4a1_1e49en);

before(() => {
  d = demoFiles();
  pk = pkg.ProvingKey.load(d.pk, d.pin);
  holder = new pkg.Holder(d.credential, d.secret);
});

function nativeVerify(payload, { now, challenge = CHALLENGE, policyFile = 'policy.json' } = {}) {
  const file = path.join(d.dir, `payload-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, payload);
  const r = spawnSync(zkstatusCli(), [
    'verify', '--json', '--vk', path.join(d.dir, 'zkstatus.vk'), '--trust-list', path.join(d.dir, 'trust-list.json'),
    '--policy', path.join(d.dir, policyFile), '--challenge', challenge, '--now', String(now), file,
  ], { encoding: 'utf8' });
  return { status: r.status, out: JSON.parse(r.stdout) };
}

test('a proof made in WASM is accepted by the browser verifier and by `zkstatus verify`', () => {
  const now = nowSecs();
  const p = holder.prove(pk, d.policy, CHALLENGE, now);
  assert.match(p.payloadText, /^ZKS1:[0-9A-Z $%*+\-./:]+$/);
  assert.ok(p.payloadBytes instanceof Uint8Array);
  assert.equal(p.payloadBytes.length, 169);
  assert.equal(p.now, String(now));
  assert.equal(p.issuer, JSON.parse(d.credential).issuer);

  const v = new verifierPkg.Verifier(d.vk, d.trust, d.policy, { pinnedVkFingerprint: pk.vkFingerprintHex() });
  for (const payload of [p.payloadText, p.payloadBytes]) {
    const verdict = v.verify(payload, { now, challenge: CHALLENGE });
    assert.equal(verdict.code, 'accepted', JSON.stringify(verdict));
    assert.equal(verdict.issuer, 'Demo Clinic');
  }
  // Bound to the challenge: another venue's challenge rejects it.
  assert.equal(v.verify(p.payloadBytes, { now, challenge: hex64(1n) }).code, 'proof-invalid');

  for (const [payload, form] of [[p.payloadText + '\n', 'text'], [p.payloadBytes, 'binary']]) {
    const { status, out } = nativeVerify(payload, { now });
    assert.equal(status, 0, JSON.stringify(out));
    assert.equal(out.verdict, 'accept');
    assert.equal(out.issuer, 'Demo Clinic');
    assert.equal(out.payload_form, form);
    assert.equal(String(out.now), String(now));
  }
  const rejected = nativeVerify(p.payloadBytes, { now, challenge: hex64(1n) });
  assert.equal(rejected.status, 1);
  assert.equal(rejected.out.verdict, 'reject');
});

test('the key matches the demo: fingerprints and the verifying-key file', () => {
  assert.equal(pk.fingerprintHex(), d.pin);
  assert.deepEqual(pk.vkFile(), d.vk);
  const v = new verifierPkg.Verifier(d.vk, d.trust, d.policy);
  assert.equal(pk.vkFingerprintHex(), v.vkFingerprintHex());
  assert.equal(pk.vkFingerprint(), v.vkFingerprint());
  assert.match(pk.vkFingerprint(), /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
});

test('proofs are randomized: two proofs of the same statement differ, both verify', () => {
  const now = nowSecs();
  const a = holder.prove(pk, d.policy, CHALLENGE, now);
  const b = holder.prove(pk, d.policy, CHALLENGE, now);
  assert.notEqual(a.payloadText, b.payloadText);
  const v = new verifierPkg.Verifier(d.vk, d.trust, d.policy);
  assert.ok(v.verify(a.payloadBytes, { now, challenge: CHALLENGE }).ok);
  assert.ok(v.verify(b.payloadBytes, { now, challenge: CHALLENGE }).ok);
});

test('status: green with greenUntil; the credential summary', () => {
  const now = nowSecs();
  const s = holder.status(d.policy, now);
  assert.deepEqual(Object.keys(s).sort(), ['green', 'greenUntil', 'now', 'reasons']);
  assert.equal(s.green, true);
  assert.deepEqual(s.reasons, []);
  assert.equal(s.now, String(now));
  const c = holder.credential();
  const cj = JSON.parse(d.credential);
  assert.deepEqual(c, {
    issuer: cj.issuer,
    testType: 'pcr',
    testResult: 'negative',
    testTime: String(cj.record.test_time),
    exposureTime: null,
    issuedAt: String(cj.record.issued_at),
    expiresAt: String(cj.record.expires_at),
  });
  // Green until the test ages out (72 h) or the credential expires, whichever is first.
  const until = Math.min(cj.record.test_time + 72 * 3600 + 1, cj.record.expires_at);
  assert.equal(s.greenUntil, String(until));
  assert.equal(holder.status(d.policy, BigInt(until)).green, false);
  assert.equal(holder.status(d.policy, BigInt(until - 1)).green, true);
  // Same answer as the CLI.
  const cli = JSON.parse(run(['holder', 'status', '--json', '--credential', path.join(d.dir, 'credential.json'),
    '--secret', path.join(d.dir, 'holder.secret'), '--policy', path.join(d.dir, 'policy.json'), '--now', String(now)]));
  assert.equal(cli.green, true);
  assert.equal(String(cli.green_until), s.greenUntil);
});

// A credential signed by the demo's issuer for the demo's holder.
function issue(args) {
  const holderCommitment = JSON.parse(d.secret).holder;
  return run(['issuer', 'issue', '--key', path.join(d.dir, 'issuer.key'), '--holder', holderCommitment, '--out', '-', ...args]);
}

test('not green: reasons for the holder, and no proof', () => {
  const cj = JSON.parse(d.credential).record;
  const now = BigInt(cj.issued_at) + 3600n;
  const t = (x) => String(x);
  const cases = [
    ['expired', holder, BigInt(cj.expires_at), 'the credential has expired'],
    ['not-yet-valid', holder, BigInt(cj.issued_at) - 1n, 'the credential is not valid yet'],
    ['test-too-old', new pkg.Holder(issue(['--test-type', 'pcr', '--test-time', t(now - 73n * 3600n), '--issued-at', t(now - 3600n), '--valid-for', '30d']), d.secret), now, /the test is 262800 s old; the policy accepts at most 259200 s/],
    ['test-positive', new pkg.Holder(issue(['--test-type', 'pcr', '--result', 'positive', '--test-time', t(now - 3600n), '--issued-at', t(now - 60n), '--valid-for', '2d']), d.secret), now, 'the test result is positive'],
    ['exposure-too-recent', new pkg.Holder(issue(['--test-type', 'rapid_antigen', '--test-time', t(now - 3600n), '--exposure-time', t(now - 86400n), '--issued-at', t(now - 60n), '--valid-for', '2d']), d.secret), now, /the last exposure was 86400 s ago; the policy requires 864000 s/],
    // (Issuers refuse a test after the issue time, so this is a clock before the test.)
    ['test-in-future', holder, BigInt(cj.test_time) - 1n, 'the test is dated in the future'],
  ];
  for (const [code, h, when, message] of cases) {
    const s = h.status(d.policy, when);
    assert.equal(s.green, false, code);
    assert.equal(s.greenUntil, null);
    assert.equal(s.reasons.length, 1);
    assert.equal(s.reasons[0].code, code);
    if (typeof message === 'string') assert.equal(s.reasons[0].message, message);
    else assert.match(s.reasons[0].message, message);
    assert.throws(() => h.prove(pk, d.policy, CHALLENGE, when), (e) => {
      assert.ok(e instanceof pkg.NotGreenError);
      assert.equal(e.name, 'NotGreenError');
      assert.equal(e.code, 'not-green');
      assert.deepEqual(e.reasons, s.reasons);
      // The message carries no health data: it is the same for every reason.
      assert.equal(e.message, 'not green under this policy: no proof made (error.reasons says why; show it to the holder only)');
      return true;
    });
  }
  // A policy that refuses PCR tests.
  const noPcr = run(['policy', '--pcr-max-age', 'none', '--antigen-max-age', '24h', '--min-exposure-gap', '10d']);
  const s = holder.status(noPcr, nowSecs());
  assert.deepEqual(s.reasons, [{ code: 'test-type-not-accepted', message: 'the policy does not accept pcr tests' }]);
});

test('not green: a secret that is not the holder\'s, a signature that does not verify', () => {
  const otherFile = path.join(d.dir, 'other.secret');
  run(['holder', 'keygen', '--out', otherFile, '--force']);
  const otherSecret = readFileSync(otherFile, 'utf8');
  const wrongSecret = new pkg.Holder(d.credential, otherSecret);
  assert.deepEqual(wrongSecret.status(d.policy, nowSecs()).reasons.map((r) => r.code), ['holder-mismatch']);
  assert.throws(() => wrongSecret.prove(pk, d.policy, CHALLENGE, nowSecs()), pkg.NotGreenError);

  const cj = JSON.parse(d.credential);
  cj.record.expires_at += 1; // the issuer signed another value
  const forged = new pkg.Holder(JSON.stringify(cj), d.secret);
  const s = forged.status(d.policy, nowSecs());
  assert.equal(s.reasons[0].code, 'signature-invalid');
  assert.throws(() => forged.prove(pk, d.policy, CHALLENGE, nowSecs()), pkg.NotGreenError);
});

test('malformed inputs are Errors with precise messages; the instance keeps working', () => {
  const now = nowSecs();
  const secretHex = JSON.parse(d.secret).secret;
  const throwsMsg = (fn, re, type = Error) => assert.throws(fn, (e) => {
    assert.ok(e instanceof type, `${e.name}: ${e.message}`);
    assert.match(e.message, re);
    assert.ok(!e.message.includes(secretHex), 'a message quotes the holder secret');
    return true;
  });
  // Holder construction.
  throwsMsg(() => new pkg.Holder('{', d.secret), /^credential: not a valid credential \(line 1, column 1\)$/);
  throwsMsg(() => new pkg.Holder(d.credential, d.secret.replace(secretHex, secretHex.replace(/.$/, (c) => (c === '0' ? '1' : '0')))), /^holder secret: field holder: does not match the secret$/);
  throwsMsg(() => new pkg.Holder(d.credential, d.secret.replace('"secret"', '"secret2"')), /^holder secret: unknown field `secret2` at line \d+ column \d+$/);
  throwsMsg(() => new pkg.Holder(d.secret, d.secret), /credential/);
  throwsMsg(() => new pkg.Holder(d.credential, d.credential), /holder secret/);
  throwsMsg(() => new pkg.Holder(d.credential), /holderSecretJson must be a string/, TypeError);
  throwsMsg(() => new pkg.Holder(new Uint8Array(3), d.secret), /credentialJson must be a string/, TypeError);
  throwsMsg(() => new pkg.Holder(' '.repeat(300_000), d.secret), /credential is over 65536 bytes/);
  throwsMsg(() => new pkg.Holder(' '.repeat(70_000), d.secret), /credential is 70000 bytes; at most 65536 are accepted/);
  // Status and prove arguments.
  throwsMsg(() => holder.status(d.policy, 1763800000), /now must be a BigInt or a decimal string, not a number.*1763800000n/, TypeError);
  throwsMsg(() => holder.status(d.policy, '-1'), /^now: expected a non-negative decimal integer/);
  throwsMsg(() => holder.status(d.policy, '18446744073709551616'), /^now: expected an integer of at most 18446744073709551615/);
  throwsMsg(() => holder.status(d.policy, '01'), /leading zeros/);
  throwsMsg(() => holder.status('{}', now), /^policy: /);
  throwsMsg(() => holder.status(d.trust, now), /^policy: unknown field `issuers`, expected one of `format`, `version`, `max_test_age`, `min_exposure_gap` at line 4 column 11$/);
  throwsMsg(() => holder.status(d.policy.replace('zkstatus/policy', 'zkstatus/trust-list'), now), /^policy: expected a zkstatus\/policy file, found format "zkstatus\/trust-list"$/);
  throwsMsg(() => holder.prove(pk, d.policy, CHALLENGE.toUpperCase(), now), /^challenge: expected lowercase hexadecimal digits$/);
  throwsMsg(() => holder.prove(pk, d.policy, CHALLENGE.slice(2), now), /^challenge: expected 64 hex digits, got 62$/);
  throwsMsg(() => holder.prove(pk, d.policy, hex64(R), now), /^challenge: /);
  throwsMsg(() => holder.prove(pk, d.policy, 'x'.repeat(5000), now), /^challenge: expected 64 lowercase hex digits, got 5000 characters$/);
  throwsMsg(() => holder.prove(pk, d.policy, 42, now), /challenge must be a string/, TypeError);
  throwsMsg(() => holder.prove({}, d.policy, CHALLENGE, now), /provingKey must be a ProvingKey/, TypeError);
  throwsMsg(() => holder.prove(d.pk, d.policy, CHALLENGE, now), /provingKey must be a ProvingKey/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, CHALLENGE, undefined), /now must be a BigInt or a decimal string, got a undefined/, TypeError);
  throwsMsg(() => new pkg.ProvingKey(), /use ProvingKey.load/, TypeError);
  // Freed objects.
  const h2 = new pkg.Holder(d.credential, d.secret);
  h2.free();
  h2.free(); // idempotent
  throwsMsg(() => h2.status(d.policy, now), /this Holder was freed/);
  // After all of that, the same instances still prove, and the proof verifies.
  const p = holder.prove(pk, d.policy, CHALLENGE, now);
  const v = new verifierPkg.Verifier(d.vk, d.trust, d.policy);
  assert.ok(v.verify(p.payloadText, { now, challenge: CHALLENGE }).ok);
});

test('no secure random source: an Error, not a trap', () => {
  // A fresh process without crypto.getRandomValues: getrandom's JS backend
  // finds no source, and proving is refused before it starts.
  const code = `
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    const pkg = await import(${JSON.stringify(pathToFileURL(path.join(PKG_DIR, 'node.js')).href)});
    const { readFileSync } = await import('node:fs');
    const f = (n) => readFileSync(${JSON.stringify(d.dir)} + '/' + n);
    const bytes = new Uint8Array(f('zkstatus.pk'));
    const pk = pkg.ProvingKey.load(bytes, ${JSON.stringify(d.pin)});
    const h = new pkg.Holder(f('credential.json').toString(), f('holder.secret').toString());
    const now = BigInt(Math.floor(Date.now() / 1000));
    try { h.prove(pk, f('policy.json').toString(), ${JSON.stringify(CHALLENGE)}, now); console.log('PROVED'); }
    catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    console.log(JSON.stringify(h.status(f('policy.json').toString(), now).green));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim().split('\n');
  assert.match(out[0], /^Error: no secure random source \(crypto.getRandomValues\): .+; no proof made$/);
  assert.equal(out[1], 'true'); // the module still works
});
