// Split proving through the package's synchronous pieces (what
// startProver's two workers run): MainProvingKey / HelperProvingKey loaded
// by pin, Holder.beginProof → ProofJob.takeTask → HelperProvingKey.computePart
// → ProofJob.runMain → ProofJob.finish, for a gate's ZKC2 challenge or a
// one-scan window (statement v2, the seeded fixture_v2 set), accepted by the
// browser verifier package's Gate and by `zkstatus verify`; corrupted
// tasks and parts refused with codes and plain messages, and the same instances keep working; a wrong
// pin refused before parsing; fetchProvingKeyBytes' refusals;
// generateHolderSecret.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkg, setFiles, fixtureMeta, zkstatusCli, VERIFIER_PKG_DIR } from './helpers.mjs';

const verifierPkg = await import(pathToFileURL(path.join(VERIFIER_PKG_DIR, 'node.js')).href);

let d;
let main;
let helper;
let holder;
let regs;
let m;
let nonce = 0;

before(() => {
  d = setFiles();
  m = fixtureMeta(d);
  main = pkg.MainProvingKey.load(d.pk, d.pin);
  helper = pkg.HelperProvingKey.load(d.pk, d.pin);
  holder = new pkg.Holder(d.credential, d.secret);
  regs = new pkg.Registries(d.roots, d.registries);
});

/** A gate for the set, pinned to the key, with a fresh challenge issued at `at`. */
function gateAt(at = m.now, origin = m.origin) {
  const gate = new verifierPkg.Gate(d.vk, d.registry, d.policy, {
    origin, operator: m.operator, modes: ['interactive', 'one-scan'], maxLive: 16, pinnedVkFingerprint: main.vkFingerprintHex(),
  });
  const offer = gate.issue(at, new Uint8Array(32).fill(++nonce & 0xff));
  return { gate, offer: offer.offer };
}

/** One split proof. */
function splitProve({ presentation, h = helper } = {}) {
  const job = holder.beginProof(main, d.policy, regs, presentation);
  try {
    const task = job.takeTask();
    assert.equal(job.takeTask(), undefined, 'the task is handed out once');
    const part = h.computePart(task);
    job.runMain();
    return job.finish(part);
  } finally {
    job.free();
  }
}

function codeAndMessage(fn, code, re) {
  assert.throws(fn, (e) => {
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
}

test('a split proof (main key + helper key, task → part) is accepted by the Gate and by `zkstatus verify`', () => {
  const { gate, offer } = gateAt();
  const p = splitProve({ presentation: { challenge: offer } });
  assert.match(p.payloadText, /^ZKS2:/);
  assert.equal(p.payloadBytes.length, 146);
  assert.equal(p.now, String(m.now));
  assert.equal(p.epoch, m.epochs[0]);
  assert.equal(p.mode, 'interactive');
  assert.equal(gate.verify(p.payloadText, m.now + 2n).code, 'accepted');
  assert.equal(gate.verify(p.payloadBytes, m.now + 2n).code, 'challenge-used');
  assert.equal(gateAt(m.now, 'https://other.example').gate.verify(p.payloadBytes, m.now + 2n).code, 'proof-invalid');
  const file = path.join(d.dir, `split-payload-${process.pid}.txt`);
  writeFileSync(file, `${p.payloadText}\n`);
  const r = spawnSync(zkstatusCli(), [
    'verify', '--json', '--vk', path.join(d.dir, 'zkstatus.vk'), '--unlogged-roots', path.join(d.dir, 'roots.json'),
    '--policy', path.join(d.dir, 'policy.json'), '--challenge', offer, '--now', String(m.now + 2n), file,
  ], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).verdict, 'accept');
  // A one-scan pass, split too.
  const pass = splitProve({ presentation: { windowStart: m.windowStart, operator: m.operator } });
  assert.equal(pass.mode, 'one-scan');
  assert.equal(pass.payloadBytes.length, 178);
  assert.equal(gate.verify(pass.payloadBytes, m.now + 2n).code, 'accepted');
});

test('the split keys: fingerprints equal the full key\'s; the default share is b_g1 + b_g2 + l', () => {
  const full = pkg.ProvingKey.load(d.pk, d.pin);
  assert.equal(main.fingerprintHex(), d.pin);
  assert.equal(helper.fingerprintHex(), d.pin);
  assert.equal(main.vkFingerprintHex(), full.vkFingerprintHex());
  assert.equal(main.vkFingerprint(), full.vkFingerprint());
  assert.deepEqual(main.vkFile(), d.vk);
  assert.equal(main.share(), 0b1110);
  assert.equal(helper.share(), 0b1110);
  full.free();
});

test('every helper share gives proofs the verifier accepts', () => {
  for (const share of [1, 4, 8, 13, 15]) {
    const mk = pkg.MainProvingKey.load(d.pk, d.pin, share);
    const h = pkg.HelperProvingKey.load(d.pk, d.pin, share);
    const { gate, offer } = gateAt();
    const job = holder.beginProof(mk, d.policy, regs, { challenge: offer });
    const p = job.finish(h.computePart(job.takeTask()));
    assert.equal(gate.verify(p.payloadBytes, m.now).code, 'accepted', `share ${share}`);
    job.free();
    mk.free();
    h.free();
  }
  assert.throws(() => pkg.MainProvingKey.load(d.pk, d.pin, 0), /share must be an integer from 1 to 15/);
  assert.throws(() => pkg.HelperProvingKey.load(d.pk, d.pin, 16), /share must be an integer from 1 to 15/);
});

test('not green: beginProof throws a NotGreenError with the reasons, no job', () => {
  // At the credential's expiry (NOW + 2 d), under the second root.
  assert.throws(() => holder.beginProof(main, d.policy, regs, { challenge: gateAt(m.now + 2n * 86400n).offer }), (e) => {
    assert.ok(e instanceof pkg.NotGreenError);
    assert.equal(e.code, 'not-green');
    assert.equal(e.reasons[0].code, 'expired');
    return true;
  });
  // Registry material missing: the holder's code, no job.
  const onlyNext = new pkg.Registries(d.roots, [d.registries[1]]);
  assert.throws(() => holder.beginProof(main, d.policy, onlyNext, { challenge: gateAt().offer }), (e) => e.code === 'registry-missing');
  onlyNext.free();
});

test('corrupted or foreign tasks are refused with a code and a plain message; the helper keeps working', () => {
  const job = holder.beginProof(main, d.policy, regs, { challenge: gateAt().offer });
  const task = job.takeTask();
  const edit = (f) => {
    const t = task.slice();
    f(t);
    return t;
  };
  codeAndMessage(() => helper.computePart(task.slice(0, 41)), 'helper-task-invalid', /^helper task: 41 bytes, expected 42$/);
  codeAndMessage(() => helper.computePart(task.slice(0, -1)), 'helper-task-invalid', /^helper task: \d+ bytes, expected \d+$/);
  codeAndMessage(() => helper.computePart(new Uint8Array([...task, 0])), 'helper-task-invalid', /^helper task: \d+ bytes, expected \d+$/);
  codeAndMessage(() => helper.computePart(edit((t) => { t[0] = 0; })), 'helper-task-invalid', /^helper task: bad magic bytes$/);
  codeAndMessage(() => helper.computePart(edit((t) => { t[4] = 2; })), 'helper-task-invalid', /^helper task: version 2 \(this build reads 1\)$/);
  codeAndMessage(() => helper.computePart(edit((t) => { t[5] = 0; })), 'helper-task-invalid', /^helper task: unknown share byte 0x00$/);
  codeAndMessage(() => helper.computePart(edit((t) => { t.fill(0xff, 42 + 32 * 3, 42 + 32 * 4); })), 'helper-task-invalid', /^helper task: scalar 3 is not canonical \(not below the group order r\)$/);
  codeAndMessage(() => helper.computePart(edit((t) => { t[10] ^= 1; })), 'key-mismatch', /^made with proving key [0-9a-f-]{19}, but this key is [0-9a-f-]{19} \(the workers loaded different keys\)$/);
  const other = pkg.HelperProvingKey.load(d.pk, d.pin, 4);
  codeAndMessage(() => other.computePart(task), 'key-mismatch', /^share mismatch: expected the helper to compute b_g2, got b_g1\+b_g2\+l$/);
  other.free();
  assert.throws(() => helper.computePart([1, 2, 3]), TypeError);
  // Still works, and the job still finishes.
  const p = job.finish(helper.computePart(task));
  assert.match(p.payloadText, /^ZKS2:/);
  job.free();
});

test('a part for another proof is refused and the job kept; a wrong part fails the self-check; never a wrong payload', () => {
  const { gate, offer } = gateAt();
  const job = holder.beginProof(main, d.policy, regs, { challenge: offer });
  const part = helper.computePart(job.takeTask());
  const otherJob = holder.beginProof(main, d.policy, regs, { challenge: gateAt().offer });
  const stray = helper.computePart(otherJob.takeTask());
  otherJob.free();
  job.runMain();
  codeAndMessage(() => job.finish(stray), 'helper-part-invalid', /^helper part answers another task, not this proof's: refused$/);
  const edit = (f) => {
    const t = part.slice();
    f(t);
    return t;
  };
  codeAndMessage(() => job.finish(part.slice(0, 37)), 'helper-part-invalid', /^helper part: 37 bytes, expected 38$/);
  codeAndMessage(() => job.finish(part.slice(0, -1)), 'helper-part-invalid', /^helper part: \d+ bytes, expected \d+$/);
  codeAndMessage(() => job.finish(edit((t) => { t[1] = 0; })), 'helper-part-invalid', /^helper part: bad magic bytes$/);
  codeAndMessage(() => job.finish(edit((t) => { t[4] = 9; })), 'helper-part-invalid', /^helper part: version 9 \(this build reads 1\)$/);
  codeAndMessage(() => job.finish(edit((t) => { t.fill(0xff, 38, 69); t[69] = 0x3f; })), 'helper-part-invalid', /^helper part: invalid point \(b_g1\)$/);
  codeAndMessage(() => job.finish(edit((t) => { t[6] ^= 1; })), 'helper-part-invalid', /another task/);
  assert.throws(() => job.finish('part'), TypeError);
  // The job survived every refusal: the right part finishes it.
  const p = job.finish(part);
  assert.equal(gate.verify(p.payloadBytes, m.now).code, 'accepted');
  codeAndMessage(() => job.finish(part), 'prove-failed', /finished/);
  job.free();

  // A part with a valid but wrong point (y negated: the top bit of B in G1):
  // refused by the self-check, and the job is spent.
  const job2 = holder.beginProof(main, d.policy, regs, { challenge: offer });
  const part2 = helper.computePart(job2.takeTask());
  part2[69] ^= 0x80;
  codeAndMessage(() => job2.finish(part2), 'self-check-failed', /did not verify/);
  codeAndMessage(() => job2.finish(part2), 'prove-failed', /finished/);
  job2.free();
  // The same instances still prove.
  const fresh = gateAt();
  const again = splitProve({ presentation: { challenge: fresh.offer } });
  assert.equal(fresh.gate.verify(again.payloadBytes, m.now).code, 'accepted');
});

test('split keys: a wrong pin is refused before parsing, with the file\'s diagnosis', () => {
  for (const K of [pkg.MainProvingKey, pkg.HelperProvingKey]) {
    assert.throws(() => K.load(d.pk, 'ab'.repeat(32)), (e) => {
      assert.equal(e.code, 'pk-pin-mismatch');
      assert.match(e.message, /^proving key fingerprint [0-9a-f]{64} is not the pinned (ab){32}: refused before use; the file is a zkstatus proving key for this circuit, but altered or from another setup/);
      assert.equal(e.actual, d.pin);
      assert.equal(e.pinned, 'ab'.repeat(32));
      assert.match(e.diagnosis, /altered or from another setup/);
      return true;
    });
    const cut = d.pk.slice(0, 1000);
    assert.throws(() => K.load(cut, pkg.provingKeyFingerprint(cut)), (e) => e.code === 'pk-invalid' && /the pin names a bad file/.test(e.message));
    assert.throws(() => K.load(d.pk, 'AB'.repeat(32)), (e) => e.code === 'bad-input' && /pinnedFingerprint/.test(e.message));
  }
  // The full key's errors carry codes too.
  assert.throws(() => pkg.ProvingKey.load(d.pk, 'ab'.repeat(32)), (e) => e.code === 'pk-pin-mismatch');
});

test('fetchProvingKeyBytes: pin first, refusals coded and plain, cached once pinned', async () => {
  const response = (bytes, status = 200) => ({
    ok: status === 200,
    status,
    statusText: status === 200 ? 'OK' : 'Not Found',
    headers: new Map([['content-length', String(bytes.length)]]),
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  });
  const store = new Map();
  const cache = {
    match: async (k) => store.get(k),
    put: async (k, r) => {
      const body = await r.arrayBuffer();
      store.set(k, { arrayBuffer: async () => body.slice(0) });
    },
    delete: async (k) => store.delete(k),
  };
  const caches = { open: async () => cache };
  let fetches = 0;
  const fetchOk = async () => { fetches++; return response(d.pk); };
  const got = await pkg.fetchProvingKeyBytes('https://x/zkstatus.pk', d.pin, { caches, fetch: fetchOk });
  assert.equal(got.source, 'network');
  assert.deepEqual(got.bytes, d.pk);
  const steps = [];
  const again = await pkg.fetchProvingKeyBytes('https://x/zkstatus.pk', d.pin, { caches, fetch: fetchOk, onStep: (s) => steps.push(s) });
  assert.equal(again.source, 'cache');
  assert.equal(fetches, 1);
  assert.deepEqual(steps, ['read from the cache; fingerprint matches the pin']);

  const wrongPin = 'cd'.repeat(32);
  await assert.rejects(pkg.fetchProvingKeyBytes('https://x/zkstatus.pk', wrongPin, { caches, fetch: fetchOk }), (e) => {
    assert.equal(e.code, 'pk-pin-mismatch');
    assert.match(e.message, /^the proving key does not match its pinned fingerprint \(it is [0-9a-f]{64}, the page pins (cd){32}\): tampered or foreign; no proof can be made with it\. The file is a zkstatus proving key for this circuit, but altered or from another setup/);
    assert.equal(e.actual, d.pin);
    return true;
  });
  // The cached copy did not match that pin: dropped, not served.
  assert.equal(store.size, 0);
  const junk = new Uint8Array(100);
  await assert.rejects(pkg.fetchProvingKeyBytes('https://x/k', d.pin, { caches: null, fetch: async () => response(junk) }),
    (e) => e.code === 'pk-pin-mismatch' && /not a zkstatus proving key/.test(e.message));
  await assert.rejects(pkg.fetchProvingKeyBytes('https://x/k', d.pin, { caches: null, fetch: async () => response(junk, 404) }),
    (e) => e.code === 'pk-fetch' && e.message === 'the proving key could not be fetched from https://x/k: HTTP 404 Not Found');
  await assert.rejects(pkg.fetchProvingKeyBytes('https://x/k', d.pin, { caches: null, fetch: async () => { throw new TypeError('Failed to fetch'); } }),
    (e) => e.code === 'pk-fetch' && /Failed to fetch$/.test(e.message));
  await assert.rejects(pkg.fetchProvingKeyBytes('https://x/k', d.pin, { caches: null, fetch: async () => ({ ...response(junk), headers: new Map([['content-length', String(9 << 20)]]) }) }),
    (e) => e.code === 'pk-too-large');
  await assert.rejects(pkg.fetchProvingKeyBytes('https://x/k', 'xyz', { caches: null, fetch: fetchOk }), (e) => e.code === 'bad-input' && e instanceof TypeError);
});

test('generateHolderSecret: a fresh zkstatus/holder-secret v1 file the holder parser accepts', () => {
  const a = pkg.generateHolderSecret();
  const b = pkg.generateHolderSecret();
  assert.notEqual(a, b);
  const j = JSON.parse(a);
  assert.equal(j.format, 'zkstatus/holder-secret');
  assert.equal(j.version, 1);
  assert.match(j.secret, /^[0-9a-f]{64}$/);
  assert.match(j.holder, /^[0-9a-f]{64}$/);
  // Parsed strictly (its commitment checked); it is not this credential's holder.
  const h = new pkg.Holder(d.credential, a);
  assert.equal(h.status(d.policy, m.now).reasons[0].code, 'holder-mismatch');
  h.free();
});

test('startProver checks its options first, and refuses plainly where there are no Web Workers (Node)', async () => {
  const pin = d.pin;
  const refused = (options, code, re, Type = Error) => assert.rejects(pkg.startProver(options), (e) => {
    assert.ok(e instanceof Type, e.name);
    assert.equal(e.code, code);
    assert.match(e.message, re);
    return true;
  });
  await refused({ keyUrl: '/zkstatus.pk', pin: 'AB'.repeat(32) }, 'bad-input', /^pin must be 64 lowercase hex digits/, TypeError);
  await refused({ keyUrl: 42, pin }, 'bad-input', /^keyUrl must be a string or a URL/, TypeError);
  await refused({ keyUrl: '/zkstatus.pk', pin, workers: 3 }, 'bad-input', /^workers must be 1 or 2, got 3$/, TypeError);
  await refused({ keyUrl: '/zkstatus.pk', pin, helperShare: 0 }, 'bad-input', /^helperShare must be an integer from 1 to 15/, TypeError);
  await refused(null, 'bad-input', /options object/, TypeError);
  assert.equal(typeof globalThis.Worker, 'undefined');
  await refused({ keyUrl: '/zkstatus.pk', pin }, 'worker-failed', /no Web Workers/);
});
