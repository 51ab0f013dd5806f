// Proving time in headless Chromium, zkstatus next to snarkjs, in one tab of
// one browser, proofs interleaved (zkstatus, snarkjs, zkstatus, …) so both
// see the same machine load:
//
//   zkstatus: the holder package (holder-wasm/pkg/, or ZKSTATUS_HOLDER_PKG),
//     `Holder.prove` on the page's thread, and, when the package has
//     `prover.js`, `startProver` with 1 and with 2 Web Workers; the key is
//     loaded once (pinned), each proof checked by the verifier package;
//   snarkjs 0.7.6: `groth16.fullProve` (witness calculation + prove, its
//     field arithmetic on navigator.hardwareConcurrency workers) on the circom
//     port of the statement (benches/peer/build/: status_js/status.wasm and
//     status.zkey, made by benches/peer/setup.sh), same credential, policy,
//     time and challenge (benches/peer/input.mjs); the proof checked with
//     snarkjs's groth16.verify.
//
//   node test/bench-prove-chromium.mjs [RUNS]   (from web/; RUNS >= 10, default 10)
//
// Needs: target/release/zkstatus, holder-wasm/pkg (scripts/build-holder-wasm.sh),
// verifier-wasm/pkg (scripts/build-wasm.sh), interop/node_modules/snarkjs
// ((cd interop && npm ci)), benches/peer/build (bash benches/peer/setup.sh).
// Prints a table and one JSON line.

import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { ROOT, launchChromium, makeDemo, serve } from './helpers.mjs';

const RUNS = Number(process.argv[2] ?? 10);
const WARMUP = 2;
if (!Number.isSafeInteger(RUNS) || RUNS < 10) {
  console.error('usage: node test/bench-prove-chromium.mjs [RUNS >= 10]');
  process.exit(2);
}
const HOLDER_PKG = process.env.ZKSTATUS_HOLDER_PKG ?? path.join(ROOT, 'prover', 'wasm', 'pkg');
const VERIFIER_PKG = path.join(ROOT, 'verifier-wasm', 'pkg');
const SNARKJS_BUILD = path.join(ROOT, 'interop', 'node_modules', 'snarkjs', 'build');
const PEER = path.join(ROOT, 'benches', 'peer');
const need = [
  [path.join(HOLDER_PKG, 'index.js'), 'bash scripts/build-holder-wasm.sh'],
  [path.join(VERIFIER_PKG, 'index.js'), 'bash scripts/build-wasm.sh'],
  [path.join(SNARKJS_BUILD, 'snarkjs.min.js'), '(cd interop && npm ci)'],
  [path.join(PEER, 'build', 'status.zkey'), 'bash benches/peer/setup.sh'],
  [path.join(PEER, 'build', 'status_js', 'status.wasm'), 'bash benches/peer/setup.sh'],
];
for (const [file, fix] of need) {
  try {
    await stat(file);
  } catch {
    console.error(`missing ${path.relative(ROOT, file)}: run ${fix} first`);
    process.exit(2);
  }
}
const hasWorkers = await stat(path.join(HOLDER_PKG, 'prover.js')).then(() => true, () => false);

const demoDir = await mkdtemp(path.join(os.tmpdir(), 'zkstatus-bench-prove-'));
const demo = await makeDemo(demoDir);
const pin = createHash('sha256').update(await readFile(demo.pk)).digest('hex');
const now = Math.floor(Date.now() / 1000);
const challenge = `0${createHash('sha256').update(String(now)).digest('hex').slice(1)}`;
const inputFile = path.join(demoDir, 'circom-input.json');
await promisify(execFile)('node', [path.join(PEER, 'input.mjs'), '--dir', demoDir, '--now', String(now),
  '--challenge', challenge, '--out', inputFile]);
const page = '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/snarkjs/snarkjs.min.js"></script>';
const server = await serve([
  ['/snarkjs/', SNARKJS_BUILD],
  ['/peer/', path.join(PEER, 'build')],
  ['/holder/', HOLDER_PKG],
  ['/verifier/', VERIFIER_PKG],
  ['/demo/', demoDir],
], { '/': page });
const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');
const browser = await launchChromium();
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.url}/`);
  await tab.waitForFunction(() => typeof globalThis.snarkjs === 'object');
  const result = await tab.evaluate(async ({ runs, warmup, pin, now, challenge, hasWorkers }) => {
    const holderPkg = await import('/holder/index.js');
    const verifierPkg = await import('/verifier/index.js');
    await Promise.all([holderPkg.default(), verifierPkg.default()]);
    const text = async (n) => (await fetch(n)).text();
    const bytes = async (n) => new Uint8Array(await (await fetch(n)).arrayBuffer());
    const [credential, secret, policy, trust, input, vkJson] = await Promise.all([
      '/demo/credential.json', '/demo/holder.secret', '/demo/policy.json', '/demo/trust-list.json',
      '/demo/circom-input.json', '/peer/verification_key.json'].map(text));
    const [pkBytes, vk, circuitWasm, zkey] = await Promise.all(['/demo/zkstatus.pk', '/demo/zkstatus.vk',
      '/peer/status_js/status.wasm', '/peer/status.zkey'].map(bytes));
    let t = performance.now();
    const pk = holderPkg.ProvingKey.load(pkBytes, pin);
    const keyLoadMs = performance.now() - t;
    const holder = new holderPkg.Holder(credential, secret);
    const verifier = new verifierPkg.Verifier(vk, trust, policy);
    const check = (payloadText) => {
      const v = verifier.verify(payloadText, { now: BigInt(now), challenge });
      if (!v.ok) throw new Error(`zkstatus proof rejected: ${v.code}`);
    };
    const snarkInput = JSON.parse(input);
    const snarkVk = JSON.parse(vkJson);

    const contenders = {
      'zkstatus, page thread': async () => {
        const t0 = performance.now();
        const p = holder.prove(pk, policy, challenge, BigInt(now));
        const ms = performance.now() - t0;
        check(p.payloadText);
        return ms;
      },
      'snarkjs fullProve': async () => {
        const t0 = performance.now();
        const { proof, publicSignals } = await globalThis.snarkjs.groth16.fullProve(snarkInput, circuitWasm, zkey);
        const ms = performance.now() - t0;
        if (!(await globalThis.snarkjs.groth16.verify(snarkVk, publicSignals, proof))) throw new Error('snarkjs proof rejected');
        return ms;
      },
    };
    const provers = [];
    if (hasWorkers) {
      const { startProver } = await import('/holder/prover.js');
      for (const workers of [1, 2]) {
        t = performance.now();
        const prover = await startProver({ keyUrl: '/demo/zkstatus.pk', pin, workers });
        const startMs = performance.now() - t;
        provers.push(prover);
        contenders[`zkstatus, ${prover.workers} worker${prover.workers > 1 ? 's' : ''}`] = async () => {
          const t0 = performance.now();
          const p = await prover.prove({ credentialJson: credential, holderSecretJson: secret, policyJson: policy, challengeHex: challenge, now: String(now) });
          const ms = performance.now() - t0;
          check(p.payloadText);
          return ms;
        };
        contenders[`zkstatus, ${prover.workers} worker${prover.workers > 1 ? 's' : ''}`].startMs = startMs;
      }
    }
    const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    for (let i = 0; i < warmup + runs; i++) {
      for (const [name, run] of Object.entries(contenders)) {
        const ms = await run();
        if (i >= warmup) times[name].push(ms);
      }
    }
    for (const p of provers) p.close();
    const startMs = Object.fromEntries(Object.entries(contenders).filter(([, f]) => f.startMs).map(([k, f]) => [k, f.startMs]));
    return { times, keyLoadMs, startMs, userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency };
  }, { runs: RUNS, warmup: WARMUP, pin, now, challenge, hasWorkers });
  const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const stats = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return { median: Math.round(median), min: Math.round(v[0]), max: Math.round(v[v.length - 1]) };
  };
  console.log(`headless Chromium ${browser.version()}, ${result.hardwareConcurrency} hardware threads, ${os.cpus()[0]?.model}`);
  console.log(`${RUNS} timed proofs each after ${WARMUP} warm-up, interleaved; load average ${loadBefore} before, ${loadAfter} after`);
  console.log(`zkstatus key load on the page thread (pin + parse): ${Math.round(result.keyLoadMs)} ms`);
  for (const [k, ms] of Object.entries(result.startMs)) console.log(`startProver (${k}): ${Math.round(ms)} ms`);
  console.log('| prover | median | min | max |\n|---|---:|---:|---:|');
  const out = {};
  for (const [name, xs] of Object.entries(result.times)) {
    const s = stats(xs);
    out[name] = s;
    console.log(`| ${name} | ${s.median} ms | ${s.min} ms | ${s.max} ms |`);
  }
  const line = { chromium: browser.version(), runs: RUNS, loadBefore, loadAfter, keyLoadMs: Math.round(result.keyLoadMs), startMs: result.startMs, prove: out };
  console.log(JSON.stringify(line));
  await writeFile(path.join(demoDir, 'bench-prove.json'), JSON.stringify(line));
} finally {
  await browser.close();
  await server.close();
}
