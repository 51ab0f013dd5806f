// Proving in WebAssembly, end to end on statement v2: the seeded test set's
// proving key, registries and credential (fixture_v2), proofs made here for
// a gate's ZKC2 challenge and for a one-scan window, accepted by the browser
// verifier package's Gate and by `zkstatus verify`; the registry summary; a
// credential that is not green, or whose issuer's accreditation ended, gives
// reasons and no proof; missing or damaged registry material is named with
// the holder's codes; every malformed input is an Error naming the field,
// and the instance keeps working after each one.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkg, setFiles, fixtureMeta, run, nativeVerify, V1_DIR, VERIFIER_PKG_DIR, PKG_DIR } from './helpers.mjs';

const verifierPkg = await import(pathToFileURL(path.join(VERIFIER_PKG_DIR, 'node.js')).href);

let d; // the seeded set's files
let m; // its gate inputs
let pk; // the pinned proving key, loaded once (validation takes seconds)
let holder;
let regs; // both epochs' registries
const NONCE = new Uint8Array(32).fill(7);

before(() => {
  d = setFiles();
  m = fixtureMeta(d);
  pk = pkg.ProvingKey.load(d.pk, d.pin);
  holder = new pkg.Holder(d.credential, d.secret);
  regs = new pkg.Registries(d.roots, d.registries);
});

/** A gate for the set (both modes, the set's operator), with a challenge issued at `at`. */
function gateAt(at = m.now, options = {}) {
  const g = new verifierPkg.Gate(d.vk, d.registry, d.policy, { origin: m.origin, operator: m.operator, modes: ['interactive', 'one-scan'], ...options });
  return { gate: g, offer: g.issue(at, NONCE) };
}


test('an interactive proof made in WASM for a ZKC2 challenge is accepted by the Gate and by `zkstatus verify`', () => {
  const { gate, offer } = gateAt();
  assert.match(offer.offer, /^ZKC2:/);
  const p = holder.prove(pk, d.policy, regs, { challenge: offer.offer });
  assert.deepEqual(Object.keys(p).sort(), ['epoch', 'mode', 'now', 'payloadBytes', 'payloadText']);
  assert.match(p.payloadText, /^ZKS2:[0-9A-Z $%*+\-./:]+$/);
  assert.ok(p.payloadBytes instanceof Uint8Array);
  assert.equal(p.payloadBytes.length, 146);
  assert.equal(p.mode, 'interactive');
  // The gate fixed the time: the challenge's issue time, not a clock here.
  assert.equal(p.now, String(m.now));
  assert.equal(p.epoch, m.epochs[0]);
  // Nothing names the issuer.
  const issuerPub = JSON.parse(d.issuerKey).public_key;
  assert.ok(!JSON.stringify({ ...p, payloadBytes: [] }).includes(issuerPub));

  const v = gate.verify(p.payloadText, m.now + 3n);
  assert.equal(v.code, 'accepted', JSON.stringify(v));
  assert.equal(v.mode, 'interactive');
  assert.equal(v.epoch, m.epochs[0]);
  assert.equal(v.proofTime, String(m.now));
  assert.equal(v.issuer, undefined);
  // Accepted once: the same payload again is a replay.
  assert.equal(gate.verify(p.payloadBytes, m.now + 4n).code, 'challenge-used');
  // Another gate's challenge at the same second: not this proof's.
  const other = gateAt(m.now, { origin: 'https://other.example' });
  assert.equal(other.gate.verify(p.payloadBytes, m.now + 3n).code, 'proof-invalid');

  for (const [payload, form] of [[p.payloadText + '\n', 'text'], [p.payloadBytes, 'binary']]) {
    const { status, out } = nativeVerify(d.dir, payload, { now: m.now + 3n, challenge: offer.offer });
    assert.equal(status, 0, JSON.stringify(out));
    assert.equal(out.verdict, 'accept');
    assert.equal(out.issuer, 'an accredited issuer');
    assert.equal(out.payload_form, form);
    assert.equal(String(out.now), String(m.now));
    assert.equal(String(out.registry_epoch), m.epochs[0]);
  }
  const rejected = nativeVerify(d.dir, p.payloadBytes, { now: m.now + 3n, challenge: gateAt(m.now, { origin: 'x' }).offer.offer });
  assert.equal(rejected.status, 1);
  assert.equal(rejected.out.verdict, 'reject');
});

test('a one-scan pass for a window, in an operator\'s scope: accepted once by the Gate and by `zkstatus verify`', () => {
  const p = holder.prove(pk, d.policy, regs, { windowStart: m.windowStart, operator: m.operator });
  assert.equal(p.mode, 'one-scan');
  assert.equal(p.payloadBytes.length, 178);
  assert.equal(p.now, String(m.windowStart));
  const { gate } = gateAt();
  assert.equal(gate.verify(p.payloadBytes, m.now + 5n).code, 'accepted');
  assert.equal(gate.verify(p.payloadBytes, m.now + 6n).code, 'nullifier-used');
  const { status, out } = nativeVerify(d.dir, p.payloadText, { now: m.now + 5n, operator: m.operator });
  assert.equal(status, 0, JSON.stringify(out));
  assert.equal(out.mode, 'one-scan');
  // Another operator's gate: not in its scope.
  const g2 = new verifierPkg.Gate(d.vk, d.registry, d.policy, { origin: m.origin, operator: 'other.example', modes: ['one-scan'] });
  assert.notEqual(g2.verify(p.payloadBytes, m.now + 5n).code, 'accepted');
  // The global scope (no operator), as a string window start.
  const q = holder.prove(pk, d.policy, regs, { windowStart: String(m.windowStart) });
  const g3 = new verifierPkg.Gate(d.vk, d.registry, d.policy, { origin: m.origin, modes: ['one-scan'] });
  assert.equal(g3.verify(q.payloadBytes, m.now + 5n).code, 'accepted');
});

test('the key matches the set: fingerprints and the verifying-key file', () => {
  assert.equal(pk.fingerprintHex(), d.pin);
  assert.equal(pk.fingerprintHex(), d.meta.pkFingerprint);
  assert.deepEqual(pk.vkFile(), d.vk);
  const { gate } = gateAt();
  assert.equal(pk.vkFingerprintHex(), gate.vkFingerprintHex());
  assert.equal(pk.vkFingerprintHex(), d.meta.vkFingerprint);
  assert.equal(pk.vkFingerprint(), gate.vkFingerprint());
  assert.match(pk.vkFingerprint(), /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
});

test('proofs are randomized: two proofs of the same statement differ, both verify', () => {
  const { gate, offer } = gateAt();
  const g2 = gateAt().gate;
  const a = holder.prove(pk, d.policy, regs, { challenge: offer.offer });
  const b = holder.prove(pk, d.policy, regs, { challenge: offer.offer });
  assert.notEqual(a.payloadText, b.payloadText);
  assert.ok(gate.verify(a.payloadBytes, m.now).ok);
  assert.ok(g2.verify(b.payloadBytes, m.now).ok);
});

test('the registry summary: active epoch, end date, next activation, what is missing', () => {
  const s = regs.summary(m.now);
  assert.equal(s.now, String(m.now));
  assert.equal(s.activeEpoch, m.epochs[0]);
  assert.equal(s.endDate, m.endDate);
  assert.equal(s.nextActivation, String(m.nextActivation));
  assert.equal(s.nextEpoch, m.epochs[1]);
  assert.equal(s.ready, true);
  assert.deepEqual(s.missingEpochs, []);
  assert.deepEqual(s.registries.map((r) => [r.epoch, r.issuers]), [[m.epochs[0], 3], [m.epochs[1], 3]]);
  const later = regs.summary(m.nextActivation);
  assert.equal(later.activeEpoch, m.epochs[1]);
  assert.equal(later.nextActivation, null);
  const early = regs.summary(m.now - 601n);
  assert.equal(early.activeEpoch, null);
  assert.equal(early.ready, false);
  // Only the first epoch's file: the next one is missing (download it before its activation).
  const one = new pkg.Registries(d.roots, [d.registries[0]]);
  assert.deepEqual(one.summary(m.now).missingEpochs, [m.epochs[1]]);
  assert.equal(one.summary(m.now).ready, true);
  assert.equal(one.summary(m.nextActivation).ready, false);
  // addRegistry completes it.
  const info = one.addRegistry(d.registries[1]);
  assert.equal(info.epoch, m.epochs[1]);
  assert.deepEqual(one.summary(m.now).missingEpochs, []);
  one.free();
});

test('status: green with greenUntil; the credential summary', () => {
  const s = holder.status(d.policy, m.now);
  assert.deepEqual(Object.keys(s).sort(), ['green', 'greenUntil', 'now', 'reasons']);
  assert.equal(s.green, true);
  assert.deepEqual(s.reasons, []);
  assert.equal(s.now, String(m.now));
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
  // Green until the credential expires (NOW + 2 d), before the PCR test (NOW − 1 h) is 72 h old.
  const until = Math.min(cj.record.test_time + 72 * 3600 + 1, cj.record.expires_at);
  assert.equal(s.greenUntil, String(until));
  assert.equal(holder.status(d.policy, BigInt(until)).green, false);
  assert.equal(holder.status(d.policy, BigInt(until - 1)).green, true);
  // Same answer as the CLI.
  const cli = JSON.parse(run(['holder', 'status', '--json', '--credential', path.join(d.dir, 'credential.json'),
    '--secret', path.join(d.dir, 'holder.secret'), '--policy', path.join(d.dir, 'policy.json'), '--now', String(m.now)]));
  assert.equal(cli.green, true);
  assert.equal(String(cli.green_until), s.greenUntil);
});

// A credential signed by the set's issuer for the set's holder.
function issue(args) {
  const holderCommitment = JSON.parse(d.secret).holder;
  return run(['issuer', 'issue', '--key', path.join(d.dir, 'issuer.key'), '--holder', holderCommitment, '--out', '-', ...args]);
}

const notGreen = (fn, reasons) => assert.throws(fn, (e) => {
  assert.ok(e instanceof pkg.NotGreenError, `${e.name}: ${e.message}`);
  assert.equal(e.name, 'NotGreenError');
  assert.equal(e.code, 'not-green');
  if (reasons) assert.deepEqual(e.reasons, reasons);
  // The message carries no health data: it is the same for every reason.
  assert.equal(e.message, 'not green under this policy: no proof made (error.reasons says why; show it to the holder only)');
  return true;
});

test('not green at the gate\'s time: reasons for the holder, and no proof', () => {
  const cj = JSON.parse(d.credential).record;
  const now = m.now;
  const t = (x) => String(x);
  const cases = [
    ['expired', holder, BigInt(cj.expires_at), 'the credential has expired'],
    ['test-too-old', new pkg.Holder(issue(['--test-type', 'pcr', '--test-time', t(now - 73n * 3600n), '--issued-at', t(now - 3600n), '--valid-for', '30d']), d.secret), now, /the test is 262800 s old; the policy accepts at most 259200 s/],
    ['test-positive', new pkg.Holder(issue(['--test-type', 'pcr', '--result', 'positive', '--test-time', t(now - 3600n), '--issued-at', t(now - 60n), '--valid-for', '2d']), d.secret), now, 'the test result is positive'],
    ['exposure-too-recent', new pkg.Holder(issue(['--test-type', 'rapid_antigen', '--test-time', t(now - 3600n), '--exposure-time', t(now - 86400n), '--issued-at', t(now - 60n), '--valid-for', '2d']), d.secret), now, /the last exposure was 86400 s ago; the policy requires 864000 s/],
    ['not-yet-valid', new pkg.Holder(issue(['--test-type', 'pcr', '--test-time', t(now - 60n), '--issued-at', t(now + 60n), '--valid-for', '2d']), d.secret), now, 'the credential is not valid yet'],
  ];
  for (const [code, h, when, message] of cases) {
    const s = h.status(d.policy, when);
    assert.equal(s.green, false, code);
    assert.equal(s.greenUntil, null);
    assert.equal(s.reasons.length, 1);
    assert.equal(s.reasons[0].code, code);
    if (typeof message === 'string') assert.equal(s.reasons[0].message, message);
    else assert.match(s.reasons[0].message, message);
    const { offer } = gateAt(when);
    notGreen(() => h.prove(pk, d.policy, regs, { challenge: offer.offer }), s.reasons);
  }
  // A policy that refuses PCR tests.
  const noPcr = run(['policy', '--pcr-max-age', 'none', '--antigen-max-age', '24h', '--min-exposure-gap', '10d']);
  const s = holder.status(noPcr, m.now);
  assert.deepEqual(s.reasons, [{ code: 'test-type-not-accepted', message: 'the policy does not accept pcr tests' }]);
});

test('not green: a secret that is not the holder\'s, a signature that does not verify', () => {
  const otherFile = path.join(d.dir, `other-${process.pid}.secret`);
  run(['holder', 'keygen', '--out', otherFile, '--force']);
  const otherSecret = readFileSync(otherFile, 'utf8');
  const wrongSecret = new pkg.Holder(d.credential, otherSecret);
  assert.deepEqual(wrongSecret.status(d.policy, m.now).reasons.map((r) => r.code), ['holder-mismatch']);
  notGreen(() => wrongSecret.prove(pk, d.policy, regs, { challenge: m.offer }));

  const cj = JSON.parse(d.credential);
  cj.record.expires_at += 1; // the issuer signed another value
  const forged = new pkg.Holder(JSON.stringify(cj), d.secret);
  assert.equal(forged.status(d.policy, m.now).reasons[0].code, 'signature-invalid');
  notGreen(() => forged.prove(pk, d.policy, regs, { challenge: m.offer }));
});

test('missing or damaged registry material: the holder\'s own codes, naming what to download', () => {
  const coded = (fn, code, re) => assert.throws(fn, (e) => {
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (re) assert.match(e.message, re);
    return true;
  });
  // The active root's registry is not loaded.
  const onlyNext = new pkg.Registries(d.roots, [d.registries[1]]);
  coded(() => holder.prove(pk, d.policy, onlyNext, { challenge: m.offer }), 'registry-missing', /download/);
  // Before the first activation (NOW − 600).
  coded(() => holder.prove(pk, d.policy, regs, { challenge: gateAt(m.now - 601n).offer.offer }), 'no-active-root');
  // A registry file of one epoch offered as another's is refused on load.
  const swapped = new Uint8Array(d.registries[0]);
  coded(() => new pkg.Registries(d.roots.replace(/"root": "[0-9a-f]{64}"/, `"root": "${'1'.repeat(64)}"`), [swapped]), 'registry-root-mismatch');
  coded(() => onlyNext.addRegistry(new TextEncoder().encode('ZKRG')), 'bad-registry');
  coded(() => new pkg.Registries('{}'), 'bad-roots');
  coded(() => new pkg.Registries(readFileSync(path.join(d.dir, 'policy.json'), 'utf8')), 'bad-roots');
  // The instance still works.
  onlyNext.addRegistry(d.registries[0]);
  assert.equal(onlyNext.summary(m.now).ready, true);
  onlyNext.free();
});

test('a version-1 challenge, a misaligned window, a bad operator: bad input, naming the field', () => {
  const v1Challenge = readFileSync(path.join(V1_DIR, 'challenge.txt'), 'utf8').trim();
  const bad = (presentation, re) => assert.throws(() => holder.prove(pk, d.policy, regs, presentation), (e) => {
    assert.equal(e.code, 'bad-input', `${e.code}: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
  bad({ challenge: v1Challenge }, /^challenge: .*version 1/);
  bad({ challenge: m.offer.slice(0, -1) }, /^challenge: /);
  bad({ windowStart: m.windowStart + 1n }, /^windowStart: /);
  bad({ windowStart: m.windowStart, operator: ' x' }, /^operator: /);
});

test('malformed inputs are Errors with precise messages; the instance keeps working', () => {
  const now = m.now;
  const secretHex = JSON.parse(d.secret).secret;
  const throwsMsg = (fn, re, type = Error) => assert.throws(fn, (e) => {
    assert.ok(e instanceof type, `${e.name}: ${e.message}`);
    assert.match(e.message, re);
    assert.ok(!e.message.includes(secretHex), 'a message quotes the holder secret');
    return true;
  });
  const offer = { challenge: m.offer };
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
  throwsMsg(() => holder.status(d.policy, 1800000000), /now must be a BigInt or a decimal string, not a number.*1800000000n/, TypeError);
  throwsMsg(() => holder.status(d.policy, '-1'), /^now: expected a non-negative decimal integer/);
  throwsMsg(() => holder.status(d.policy, '18446744073709551616'), /^now: expected an integer of at most 18446744073709551615/);
  throwsMsg(() => holder.status(d.policy, '01'), /leading zeros/);
  throwsMsg(() => holder.status('{}', now), /^policy: /);
  throwsMsg(() => holder.status(d.roots, now), /^policy: /);
  throwsMsg(() => holder.status(d.policy.replace('zkstatus/policy', 'zkstatus/trust-list'), now), /^policy: expected a zkstatus\/policy file, found format "zkstatus\/trust-list"$/);
  throwsMsg(() => holder.prove(pk, d.policy, regs, { challenge: 'x'.repeat(5000) }), /^challenge: expected the gate's challenge/);
  throwsMsg(() => holder.prove(pk, d.policy, regs, { challenge: 42 }), /challenge must be a string/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, regs, m.offer), /presentation must be \{ challenge \}/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, regs, { challenge: m.offer, windowStart: m.windowStart }), /either challenge .* or windowStart/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, regs, { challenge: m.offer, operator: 'x' }), /operator is for one-scan passes only/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, regs, { challenge: m.offer, now: 1n }), /unknown property "now"/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, regs, { windowStart: 1800000000 }), /windowStart must be a BigInt or a decimal string/, TypeError);
  throwsMsg(() => holder.prove(pk, d.policy, d.roots, offer), /registries must be a Registries/, TypeError);
  throwsMsg(() => holder.prove({}, d.policy, regs, offer), /provingKey must be a ProvingKey/, TypeError);
  throwsMsg(() => holder.prove(d.pk, d.policy, regs, offer), /provingKey must be a ProvingKey/, TypeError);
  throwsMsg(() => new pkg.ProvingKey(), /use ProvingKey.load/, TypeError);
  throwsMsg(() => new pkg.Registries(d.roots, d.registries[0]), /registryFiles must be an array of Uint8Array/, TypeError);
  throwsMsg(() => new pkg.Registries(d.roots, ['x']), /registryFiles\[0\] must be a Uint8Array/, TypeError);
  throwsMsg(() => new pkg.Registries(d.roots, [new Uint8Array(pkg.MAX_REGISTRY_BYTES + 1)]), /registry: the file is \d+ bytes, at most \d+ are accepted/);
  throwsMsg(() => regs.summary(1), /now must be a BigInt or a decimal string/, TypeError);
  // Freed objects.
  const h2 = new pkg.Holder(d.credential, d.secret);
  h2.free();
  h2.free(); // idempotent
  throwsMsg(() => h2.status(d.policy, now), /this Holder was freed/);
  const r2 = new pkg.Registries(d.roots, d.registries);
  r2.free();
  throwsMsg(() => holder.prove(pk, d.policy, r2, offer), /this Registries was freed/);
  // After all of that, the same instances still prove, and the proof verifies.
  const { gate, offer: o } = gateAt();
  const p = holder.prove(pk, d.policy, regs, { challenge: o.offer });
  assert.ok(gate.verify(p.payloadText, now).ok);
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
    const regs = new pkg.Registries(f('roots.json').toString(), ${JSON.stringify(m.epochs)}.map((e) => new Uint8Array(f('registry-' + e + '.bin'))));
    try { h.prove(pk, f('policy.json').toString(), regs, { challenge: ${JSON.stringify(m.offer)} }); console.log('PROVED'); }
    catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    console.log(JSON.stringify(h.status(f('policy.json').toString(), ${JSON.stringify(String(m.now))}).green));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim().split('\n');
  assert.match(out[0], /^Error: no secure random source \(crypto.getRandomValues\): .+; no proof made$/);
  assert.equal(out[1], 'true'); // the module still works
});
