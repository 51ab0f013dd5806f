// The statement-v2 gate through the package API, with real proofs: both
// modes accepted once and refused as repeats, the gate fixes the time, a
// version-1 payload is refused naming its version, roots are replaced, and
// every option and argument is checked with a message naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pkg, fx, fixtureGate, issuedGate, gateOptions, registry } from './helpers.mjs';

test('an interactive proof for the gate\'s challenge is accepted, then refused as a replay', () => {
  const g = fixtureGate();
  const issued = g.issue(fx.now, fx.nonce);
  assert.equal(issued.offer, fx.offer);
  assert.match(issued.offer, /^ZKC2:[0-9A-Z $%*+\-./:]{60}$/);
  assert.equal(issued.issuedAt, String(fx.now));
  assert.equal(issued.expiresAt, String(fx.now + 90n));
  assert.deepEqual(g.live(fx.now + 1n).map((c) => c.offer), [fx.offer]);
  const r = g.verify(fx.interactiveText, fx.now + 3n);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(
    { kind: r.kind, code: r.code, mode: r.mode, proofTime: r.proofTime, checkedAt: r.checkedAt, challenge: r.challenge, epoch: r.epoch },
    { kind: 'accept', code: 'accepted', mode: 'interactive', proofTime: String(fx.now), checkedAt: String(fx.now + 3n), challenge: issued.challenge, epoch: fx.epochs[0] },
  );
  assert.equal('issuer' in r, false, 'a verdict never names the issuer');
  // The same proof (binary) again: the challenge was consumed.
  const again = g.verify(fx.interactive, fx.now + 4n);
  assert.deepEqual([again.kind, again.code], ['reject', 'challenge-used']);
  assert.match(again.reason, /already used/);
});

test('a proof is checked at the challenge\'s issue time: another challenge, none, or an expired one is refused', () => {
  const other = fixtureGate();
  other.issue(fx.now, new Uint8Array(32).fill(7));
  assert.equal(other.verify(fx.interactive, fx.now + 3n).code, 'proof-invalid');
  assert.equal(fixtureGate().verify(fx.interactive, fx.now + 3n).kind, 'reject');
  const late = issuedGate();
  assert.equal(late.verify(fx.interactive, fx.now + 91n).kind, 'reject');
  // Another origin derives another challenge from the same nonce.
  const elsewhere = fixtureGate({ options: gateOptions({ origin: 'https://other.example' }) });
  elsewhere.issue(fx.now, fx.nonce);
  assert.equal(elsewhere.verify(fx.interactive, fx.now + 3n).code, 'proof-invalid');
});

test('a one-scan pass is accepted once, then refused as already used in this window', () => {
  const g = fixtureGate();
  const r = g.verify(fx.oneScan, fx.windowStart + 10n);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.mode, 'one-scan');
  assert.equal(r.windowStart, String(fx.windowStart));
  assert.equal(r.challenge, null);
  const again = g.verify(fx.oneScanText, fx.windowStart + 20n);
  assert.deepEqual([again.kind, again.code], ['reject', 'nullifier-used']);
  assert.match(again.reason, /already used in this window/);
  // Another operator's gate: another scope.
  const other = fixtureGate({ options: gateOptions({ operator: 'other.example' }) });
  assert.equal(other.verify(fx.oneScan, fx.windowStart + 10n).code, 'proof-invalid');
  // A global-scope gate: likewise.
  const global = fixtureGate({ options: gateOptions({ operator: undefined }) });
  assert.equal(global.operator(), null);
  assert.equal(global.verify(fx.oneScan, fx.windowStart + 10n).code, 'proof-invalid');
  // Too late for its window.
  assert.equal(fixtureGate().verify(fx.oneScan, fx.windowStart + 600n).code, 'window-too-old');
});

test('modes: a gate refuses the mode it does not accept; interactive only by default', () => {
  const interactiveOnly = fixtureGate({ options: { origin: fx.origin, operator: fx.operator } });
  assert.equal(interactiveOnly.verify(fx.oneScan, fx.windowStart + 10n).code, 'mode-not-accepted');
  const oneScanOnly = issuedGate({ options: gateOptions({ modes: ['one-scan'] }) });
  assert.equal(oneScanOnly.verify(fx.interactive, fx.now + 3n).code, 'mode-not-accepted');
  assert.throws(() => fixtureGate({ options: gateOptions({ modes: [] }) }), /^Error: modes: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ modes: ['both'] }) }), /modes: each entry/);
  assert.throws(() => fixtureGate({ options: gateOptions({ modes: 'interactive' }) }), /modes must be an array/);
});

test('a version-1 payload is refused, naming version 1', () => {
  const g = issuedGate();
  for (const p of [fx.v1Text, fx.v1Payload]) {
    const r = g.verify(p, fx.now);
    assert.deepEqual([r.kind, r.code], ['malformed', 'unsupported-version']);
    assert.match(r.reason, /payload version 1: this verifier reads version 2/);
  }
  assert.throws(() => fixtureGate({ vk: fx.v1Vk }), /^Error: verifying key: file version 1; this gate reads version 2/);
});

test('roots come from the registry bundle: the active one is the only one accepted', () => {
  const g = fixtureGate();
  const roots = g.roots();
  assert.deepEqual(roots.map((r) => r.epoch), fx.epochs);
  assert.equal(g.activeRoot(fx.now).epoch, fx.epochs[0]);
  assert.equal(g.activeRoot(fx.now - 601n), null);
  assert.equal(g.activeRoot(BigInt(roots[1].activatesAt)).epoch, fx.epochs[1]);
  const state = g.registry();
  assert.equal(state.cosignedAt, String(fx.now));
  assert.equal(BigInt(state.validUntil), fx.now + BigInt(state.maxAgeSecs));
  assert.equal(state.logSize, '2');
  // A refreshed bundle is taken (the same one here); a refused one leaves the gate as it was.
  assert.deepEqual(g.setRegistry(registry({ now: fx.now + 5n })), state);
  const edited = fx.bundle.slice();
  edited[4 + 1 + 8 + 1 + 2 + 20] ^= 1;
  assert.throws(() => g.setRegistry(registry({ bundle: edited })), /^Error: registry bundle: /);
  assert.throws(() => g.setRegistry(registry({ trust: '{}' })), /registry trust/);
  assert.throws(() => g.setRegistry({ bundle: fx.bundle, trust: fx.trust }), /registry\.now/);
  assert.throws(() => g.setRegistry(fx.roots), /registry must be an object \{ bundle, trust, now \}/);
  assert.throws(() => g.setRegistry(registry({ roots: fx.roots })), /registry: unknown property "roots"/);
  assert.equal(g.verify(fx.oneScan, fx.windowStart + 10n).ok, true);
});

test('a bundle that fails is refused with its reason; an aged-out one refuses every payload', () => {
  const edited = fx.bundle.slice();
  edited[4 + 1 + 8 + 1 + 2 + 20] ^= 1;
  assert.throws(() => fixtureGate({ reg: registry({ bundle: edited }) }), /^Error: registry bundle: /);
  assert.throws(() => fixtureGate({ reg: registry({ bundle: new Uint8Array(5000) }) }), /at most 4096 bytes/);
  const g = fixtureGate();
  const late = BigInt(g.registry().validUntil) + 1n;
  assert.throws(() => fixtureGate({ reg: registry({ now: late }) }), /^Error: registry bundle: registry data too old — connect to refresh/);
  const v = g.verify(fx.oneScan, late);
  assert.equal(v.ok, false);
  assert.equal(v.code, 'registry-data-too-old');
  assert.match(v.reason, /^registry data too old — connect to refresh/);
});

test('options are checked, each error naming its field; ttlSecs is capped at 120', () => {
  assert.equal(pkg.MAX_TTL_SECS, 120);
  assert.throws(() => fixtureGate({ options: gateOptions({ ttlSecs: 121n }) }), /^Error: ttlSecs: a v2 challenge lives at most 120 s/);
  assert.throws(() => fixtureGate({ options: gateOptions({ ttlSecs: '3600' }) }), /^Error: ttlSecs: /);
  assert.equal(fixtureGate({ options: gateOptions({ ttlSecs: 120n }) }).issue(fx.now).expiresAt, String(fx.now + 120n));
  assert.throws(() => fixtureGate({ options: gateOptions({ ttlSecs: 0n }) }), /^Error: ttlSecs: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ ttlSecs: 90 }) }), /^TypeError: ttlSecs must be a BigInt or a decimal string, not a number/);
  assert.throws(() => fixtureGate({ options: gateOptions({ origin: '' }) }), /^Error: origin: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ maxLive: 0 }) }), /^Error: maxLive: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ operator: ' x' }) }), /^Error: operator: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ pinnedVkFingerprint: '00'.repeat(32) }) }), /^Error: pinnedVkFingerprint: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ pinnedVkFingerprint: fx.vkFingerprint.slice(0, 19) }) }), /^Error: pinnedVkFingerprint: /);
  assert.throws(() => fixtureGate({ options: gateOptions({ maxSkewSecs: 300n }) }), /options: unknown property "maxSkewSecs"/);
  assert.throws(() => fixtureGate({ options: gateOptions({ trustList: '' }) }), /options: unknown property "trustList"/);
  assert.throws(() => new pkg.Gate(fx.vk, registry(), fx.policy), /options must be an object/);
  assert.throws(() => fixtureGate({ reg: fx.roots }), /registry must be an object/);
  assert.throws(() => fixtureGate({ policy: '{' }), /policy/);
  const pinned = fixtureGate({ options: gateOptions({ pinnedVkFingerprint: fx.vkFingerprint }) });
  assert.equal(pinned.vkFingerprintHex(), fx.vkFingerprint);
  assert.match(pinned.vkFingerprint(), /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  assert.equal(pinned.policy().maxTestAge.pcr, '259200');
});

test('issue and verify check their arguments; a freed gate is an Error, not a trap', () => {
  const g = fixtureGate();
  assert.throws(() => g.issue(1800000000), /^TypeError: now must be a BigInt or a decimal string, not a number/);
  assert.throws(() => g.issue('1e9'), /^Error: now: /);
  assert.throws(() => g.issue(1000n), /^Error: now: implausible time/);
  assert.throws(() => g.issue(fx.now, new Uint8Array(31)), /^Error: random: /);
  g.issue(fx.now, fx.nonce);
  assert.throws(() => g.issue(fx.now, fx.nonce), /^Error: random: repeats a nonce/);
  assert.throws(() => g.verify({}, fx.now), /^TypeError: payload must be a string \(the ZKS2: text form\)/);
  assert.throws(() => g.verify(fx.interactive, 5), /^TypeError: now must be/);
  const r = g.verify('x'.repeat(5000), fx.now);
  assert.deepEqual([r.kind, r.code], ['malformed', 'wrong-length']);
  g.free();
  g.free();
  assert.throws(() => g.verify(fx.interactive, fx.now), /this Gate was freed/);
  assert.throws(() => g.issue(fx.now), /this Gate was freed/);
});
