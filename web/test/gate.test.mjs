// gate.js's pure parts in Node (no browser): venue.json settings (statement
// v2: ttlSecs at most 120, maxSkewSecs gone; the mode and the one-scan
// operator), the policy in words, and what a verdict is reduced to, in the
// words of each mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST_DIR } from './helpers.mjs';

const { venueSettings, policyInWords, describeVerdict, ConfigError, DEFAULTS, VERDICT_CODES, ONE_SCAN_CODES } = await import(
  pathToFileURL(path.join(DIST_DIR, 'gate.js')).href
);
// The same module instance as gate.js's (same URL): its language is the gate's.
const { setLang } = await import(pathToFileURL(path.join(DIST_DIR, 'i18n.js')).href);

test('venue.json defaults: TTL 90 s, a new challenge every 75 s, 3 live', () => {
  const s = venueSettings({}, 'https://venue.example');
  assert.deepEqual(s, {
    name: undefined,
    mode: 'interactive',
    operator: undefined,
    origin: 'https://venue.example',
    ttlSecs: 90,
    rotateSecs: 75,
    maxLive: 3,
    pinnedVkFingerprint: undefined,
    verdictSecs: DEFAULTS.verdictSecs,
  });
  assert.equal(venueSettings({ ttlSecs: 60 }, 'o').rotateSecs, 50);
  assert.equal(venueSettings({ name: 'Hall' }, 'o').origin, 'Hall');
  assert.equal(venueSettings({ name: 'Hall', origin: 'hall-door-2' }, 'o').origin, 'hall-door-2');
});

test('venue.json mistakes are ConfigErrors that name the setting', () => {
  for (const [venue, message] of [
    [[], /expected a JSON object/],
    [{ ttl: 90 }, /unknown setting "ttl"/],
    [{ format: 'zkstatus/policy' }, /"format"/],
    [{ version: 2 }, /version 1/],
    [{ ttlSecs: 0 }, /"ttlSecs" must be a whole number from 2 to 120/],
    [{ ttlSecs: 121 }, /"ttlSecs" must be a whole number from 2 to 120/],
    [{ maxSkewSecs: 300 }, /"maxSkewSecs" is gone: the gate fixes the proof's time/],
    [{ ttlSecs: '90' }, /"ttlSecs"/],
    [{ rotateSecs: 90 }, /"rotateSecs" must be a whole number from 1 to 89/],
    [{ maxLive: 17 }, /"maxLive"/],
    [{ verdictSecs: 0.5 }, /"verdictSecs"/],
    [{ pinnedVkFingerprint: 'ABCD' }, /64 lowercase hex/],
    [{ name: '' }, /"name"/],
    [{ origin: 'é'.repeat(200) }, /over 256 bytes/],
    [{ mode: 'two-scan' }, /"mode" must be "interactive" or "one-scan"/],
    [{ mode: 'one-scan', operator: '' }, /"operator" must be/],
    [{ mode: 'one-scan', operator: ' Metro' }, /"operator" must be/],
    [{ mode: 'one-scan', operator: 'Métro' }, /"operator" must be/],
    [{ mode: 'one-scan', operator: 'x'.repeat(65) }, /"operator" must be/],
    [{ mode: 'one-scan', operator: 7 }, /"operator" must be/],
    [{ operator: 'City Metro' }, /"operator" is for "mode": "one-scan"/],
  ]) {
    assert.throws(() => venueSettings(venue, 'o'), (e) => e instanceof ConfigError && message.test(e.message), JSON.stringify(venue));
  }
});

test('venue.json one-scan mode: the operator\'s name as given, a shorter verdict', () => {
  const s = venueSettings({ mode: 'one-scan', operator: 'City Metro' }, 'o');
  assert.equal(s.mode, 'one-scan');
  assert.equal(s.operator, 'City Metro');
  assert.equal(s.verdictSecs, DEFAULTS.oneScanVerdictSecs);
  assert.equal(venueSettings({ mode: 'one-scan' }, 'o').operator, undefined, 'the global scope');
  assert.equal(venueSettings({ mode: 'one-scan', operator: 'x'.repeat(64) }, 'o').operator.length, 64);
  assert.equal(venueSettings({ mode: 'one-scan', operator: 'A', verdictSecs: 9 }, 'o').verdictSecs, 9);
});

test('the policy in plain words', () => {
  assert.deepEqual(policyInWords({ maxTestAge: { pcr: '259200', rapidAntigen: '86400' }, minExposureGap: '864000' }).slice(0, 3), [
    'PCR test taken at most 72 hours ago',
    'Rapid antigen test taken at most 24 hours ago',
    'No recorded exposure in the last 10 days',
  ]);
  assert.deepEqual(policyInWords({ maxTestAge: { pcr: '5400', rapidAntigen: null }, minExposureGap: '0' }).slice(0, 3), [
    'PCR test taken at most 90 minutes ago',
    'Rapid antigen tests: not accepted',
    'Recorded exposures: not considered',
  ]);
  assert.equal(policyInWords({ maxTestAge: { pcr: '604800', rapidAntigen: '3600' }, minExposureGap: '61' })[0], 'PCR test taken at most 7 days ago');
});

test('a verdict is reduced to ok, kind, code and reason: nothing about the holder', () => {
  const accepted = describeVerdict({
    ok: true, kind: 'accept', code: 'accepted', reason: null, mode: 'interactive', epoch: '4',
    proofTime: '1800000000', checkedAt: '1800000001', challenge: 'cd'.repeat(32), windowStart: null, policy: {},
  });
  assert.deepEqual(Object.keys(accepted).sort(), ['code', 'kind', 'ok', 'reason']);
  assert.equal(accepted.ok, true);
  assert.match(accepted.reason, /accredited issuer/);
  assert.ok(!/1800000000/.test(JSON.stringify(accepted)), 'no proof time');
  const old = describeVerdict({ ok: false, kind: 'reject', code: 'challenge-expired', reason: 'the challenge issued at 1800000000 expired at 1800000090' });
  assert.ok(!/\d/.test(old.reason), 'no times in the words');
  const malformed = describeVerdict({ ok: false, kind: 'malformed', code: 'wrong-length', reason: 'a payload has exactly 146 bytes (interactive) or 178 (one-scan), got 2' });
  // Plain words for the person at the door; the code says what is wrong with the bytes.
  assert.match(malformed.reason, /^Not a zkstatus proof: ask the visitor to show the proof their phone made/);
  assert.ok(!/bytes|ZKS/.test(malformed.reason), 'no format words for staff');
  const v1 = describeVerdict({ ok: false, kind: 'malformed', code: 'unsupported-version', reason: 'a version-1 payload' });
  assert.match(v1.reason, /old version of the app \(version 1\)/);
  assert.equal(describeVerdict({ ok: false, kind: 'reject', code: 'something-new', reason: 'new reason' }).reason, 'new reason');
  for (const code of ['challenge-used', 'challenge-expired', 'no-live-challenge', 'no-challenge-at-time', 'proof-invalid', 'unknown-root',
    'root-not-active', 'no-active-root', 'nullifier-used', 'window-too-old', 'window-in-future', 'mode-not-accepted']) {
    assert.ok(describeVerdict({ ok: false, kind: 'reject', code, reason: 'x' }).reason.length > 20, code);
  }
});

test('one-scan words for staff: a repeat is "already used in this window"; a non-pass says what to ask for', () => {
  const used = describeVerdict({ ok: false, kind: 'reject', code: 'nullifier-used', reason: 'x' }, 'one-scan');
  assert.match(used.reason, /^Already used in this window/);
  const garbage = describeVerdict({ ok: false, kind: 'malformed', code: 'missing-prefix', reason: 'a text payload starts with ZKS2:' }, 'one-scan');
  assert.match(garbage.reason, /^This is not a pass: ask the visitor to open their pass screen/);
  assert.ok(!/ZKS/.test(garbage.reason), 'no format words for staff');
  assert.match(describeVerdict({ ok: false, kind: 'reject', code: 'mode-not-accepted', reason: 'x' }, 'one-scan').reason, /not a pass/);
  assert.match(describeVerdict({ ok: false, kind: 'reject', code: 'mode-not-accepted', reason: 'x' }).reason, /pass for one-scan doors/);
  assert.match(describeVerdict({ ok: false, kind: 'reject', code: 'proof-invalid', reason: 'x' }, 'one-scan').reason, /another operator/);
  assert.equal(describeVerdict({ ok: true, kind: 'accept', code: 'accepted' }, 'one-scan').ok, true);
});

test('an aged-out registry bundle: "Registry data too old — connect to refresh", in both modes', () => {
  for (const mode of ['interactive', 'one-scan']) {
    const v = describeVerdict({ ok: false, kind: 'reject', code: 'registry-data-too-old', reason: 'registry data too old — connect to refresh (cosigned at 1800000000, …)' }, mode);
    assert.equal(v.ok, false);
    assert.match(v.reason, /^Registry data too old — connect to refresh\. /, mode);
    assert.ok(!/\d/.test(v.reason), 'no times in the words');
  }
});

test('in Chinese: every verdict, the policy and a configuration mistake are worded in Chinese; English again after', () => {
  setLang('zh');
  try {
    const cjk = /[\u3400-\u9fff]/;
    for (const mode of ['interactive', 'one-scan']) {
      for (const code of [...VERDICT_CODES, ...ONE_SCAN_CODES]) {
        const v = describeVerdict({ ok: code === 'accepted', kind: code === 'accepted' ? 'accept' : 'reject', code, reason: 'English reason' }, mode);
        assert.match(v.reason, cjk, `${mode} ${code}: ${v.reason}`);
      }
      for (const code of ['missing-prefix', 'wrong-length', 'unsupported-version']) {
        assert.match(describeVerdict({ ok: false, kind: 'malformed', code, reason: 'a text payload starts with ZKS2:' }, mode).reason, cjk, `${mode} ${code}`);
      }
    }
    assert.deepEqual(policyInWords({ maxTestAge: { pcr: '259200', rapidAntigen: null }, minExposureGap: '864000' }), [
      '核酸（PCR）检测：采样在 72 小时以内',
      '抗原快速检测：不接受',
      '最近 10 天内没有接触记录',
      '结果为阴性，凭证未过期，由本场所信任的检测机构签发',
    ]);
    assert.throws(() => venueSettings({ ttl: 90 }, 'o'), (e) => e instanceof ConfigError && /未知的设置 “ttl”/.test(e.message));
  } finally {
    setLang('en');
  }
  assert.match(describeVerdict({ ok: true, kind: 'accept', code: 'accepted' }).reason, /^Green under this venue's policy/);
});
