// ChallengeBook: replay protection at the gate (docs/security.md, items 66–72), in the
// package. The Rust tests (prover/tests/gate.rs) cover every rule with real
// proofs; here the JavaScript surface: argument checks, issue/live/expiry,
// the reject codes, and one real proof from the CLI that is accepted once
// and then refused as a replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, fx, pkg, fixtureVerifier } from './helpers.mjs';

const { ChallengeBook, Verifier } = pkg;
const T0 = fx.now;

function book(options = {}) {
  return new ChallengeBook(fixtureVerifier(), { origin: 'https://venue.example/gate', ...options });
}

test('refuses bad arguments with precise errors', () => {
  const v = fixtureVerifier();
  assert.throws(() => new ChallengeBook({}, { origin: 'x' }), { name: 'TypeError', message: /verifier must be a Verifier/ });
  assert.throws(() => new ChallengeBook(v), { name: 'TypeError', message: /options must be an object/ });
  assert.throws(() => new ChallengeBook(v, {}), { name: 'TypeError', message: /origin must be a string/ });
  assert.throws(() => new ChallengeBook(v, { origin: '' }), /origin: name the verifier/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x'.repeat(257) }), /origin: at most 256 bytes, got 257/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x', ttl: 90n }), /unknown property "ttl"/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x', ttlSecs: 90 }), { name: 'TypeError', message: /not a number/ });
  assert.throws(() => new ChallengeBook(v, { origin: 'x', ttlSecs: '0' }), /ttlSecs: a challenge lives between 1 and 3600 seconds, got 0/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x', ttlSecs: 3601n }), /ttlSecs: .*got 3601/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x', maxLive: 0 }), /maxLive: between 1 and 16 live challenges, got 0/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x', maxLive: 17 }), /got 17/);
  assert.throws(() => new ChallengeBook(v, { origin: 'x', maxLive: 1.5 }), { name: 'TypeError' });
  const b = new ChallengeBook(v, { origin: 'x' });
  assert.throws(() => b.issue(Number(T0)), { name: 'TypeError', message: /not a number/ });
  assert.throws(() => b.issue(T0 * 1000n), /now: implausible time/);
  assert.throws(() => b.issue('-1'), /now: expected a non-negative decimal integer/);
  assert.throws(() => b.verify(fx.payload, 1), { name: 'TypeError' });
  assert.throws(() => b.verify({}, T0), { name: 'TypeError', message: /payload must be a string/ });
});

test('issues canonical challenges that expire after their TTL and are superseded beyond maxLive', () => {
  const b = book({ ttlSecs: 90n, maxLive: 2 });
  assert.deepEqual(b.live(T0), []);
  const c1 = b.issue(T0);
  assert.match(c1.challenge, /^[01][0-9a-f]{63}$/);
  assert.equal(c1.issuedAt, String(T0));
  assert.equal(c1.expiresAt, String(T0 + 90n));
  const c2 = b.issue(T0 + 1n);
  assert.notEqual(c2.challenge, c1.challenge);
  assert.deepEqual(b.live(T0 + 1n), [c1, c2]);
  const c3 = b.issue(T0 + 2n);
  assert.deepEqual(b.live(T0 + 2n), [c2, c3], 'the oldest is superseded');
  assert.deepEqual(b.live(T0 + 91n), [c3], 'c2 expired at issuedAt + 90');
  assert.deepEqual(b.live(T0 + 92n), []);
});

test('a clock that goes backwards retires every live challenge', () => {
  const b = book();
  b.issue(T0);
  assert.equal(b.live(T0 + 10n).length, 1);
  assert.deepEqual(b.live(T0 + 9n), []);
  assert.equal(b.issue(T0 + 9n).issuedAt, String(T0 + 9n), 'fresh challenges still work');
});

test('names the reject: no live challenge, a proof for another challenge, malformed input', () => {
  const b = book();
  // The fixture's proof is for the fixture's challenge, which this book never issued.
  let v = b.verify(fx.payload, T0);
  assert.equal(v.code, 'no-live-challenge');
  assert.equal(v.kind, 'reject');
  assert.equal(v.ok, false);
  assert.equal(v.challenge, null);
  assert.match(v.reason, /no live challenge/);
  b.issue(T0);
  v = b.verify(fx.text, T0);
  assert.equal(v.code, 'proof-invalid');
  v = b.verify(fx.payload.subarray(1), T0);
  assert.equal(v.kind, 'malformed');
  assert.equal(v.code, 'wrong-length');
  v = b.verify('x'.repeat(100000), T0);
  assert.equal(v.code, 'wrong-length');
  v = b.verify(fx.payload, T0 + 1000n);
  assert.equal(v.code, 'clock-skew');
  assert.equal(b.live(T0).length, 1, 'failed attempts consume nothing');
});

test('a freed verifier or book is an Error, not a trap', () => {
  const v = fixtureVerifier();
  const b = new ChallengeBook(v, { origin: 'x' });
  b.issue(T0);
  v.free();
  assert.throws(() => b.verify(fx.payload, T0), /Verifier was freed/);
  b.free();
  assert.throws(() => b.issue(T0), /ChallengeBook was freed/);
});

// The CLI: `cargo build --release -p zkstatus-cli` unless ZKSTATUS_CLI names it.
function cli() {
  if (process.env.ZKSTATUS_CLI) return process.env.ZKSTATUS_CLI;
  execFileSync('cargo', ['build', '-q', '--release', '-p', 'zkstatus-cli'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '-q', '--format-version', '1', '--no-deps'], { cwd: ROOT, maxBuffer: 64 << 20 }));
  return path.join(meta.target_directory, 'release', 'zkstatus');
}

test('a real proof for an issued challenge is accepted once, then refused as a replay', (t) => {
  const zk = cli();
  const dir = mkdtempSync(path.join(tmpdir(), 'zkstatus-gate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(zk, ['demo', '--dir', dir, '--force', '--no-qr', '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const file = (n) => path.join(dir, n);
  const read = (n) => readFileSync(file(n));
  const verifier = new Verifier(new Uint8Array(read('zkstatus.vk')), read('trust-list.json').toString(), read('policy.json').toString());
  const gate = new ChallengeBook(verifier, { origin: 'https://venue.example/gate' });
  const now = BigInt(Math.floor(Date.now() / 1000));
  const { challenge } = gate.issue(now);
  const prove = (c) =>
    execFileSync(zk, [
      'holder', 'prove', '--pk', file('zkstatus.pk'), '--credential', file('credential.json'), '--secret', file('holder.secret'),
      '--policy', file('policy.json'), '--challenge', c, '--now', String(now), '--text', '--out', '-',
    ]).toString().trim();
  const payload = prove(challenge);
  const accepted = gate.verify(payload, now);
  assert.equal(accepted.ok, true, JSON.stringify(accepted));
  assert.equal(accepted.challenge, challenge);
  assert.deepEqual(gate.live(now), [], 'consumed');
  const replay = gate.verify(payload, now);
  assert.equal(replay.code, 'challenge-used');
  assert.match(replay.reason, /already used/);
  // The stateless verifier, by contrast, accepts the same payload again.
  assert.equal(verifier.verify(payload, { now, challenge }).ok, true);
});
