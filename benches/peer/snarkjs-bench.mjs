#!/usr/bin/env node
// snarkjs 0.7.6 proving and verifying circuits/status_v2.circom (statement
// v2) in one Node process: witness calculation, `groth16.prove`, `groth16.fullProve` and
// `groth16.verify`, each after warm-up, median of N. Prints one JSON object.
//
//   node snarkjs-bench.mjs --input input.json [--expect-public public.json]
//        [--threads all|1] [--prove-runs 10] [--verify-runs 50] [--warmup 2]
//
// --threads all: snarkjs as it comes, ffjavascript with one worker thread per
//   CPU (os.cpus().length).
// --threads 1: ffjavascript's single-thread mode (the BN254 curve built with
//   buildBn128(true) and installed where snarkjs looks for it, before any
//   snarkjs call), so every multi-exponentiation and FFT runs on the main thread.
//
// The zkey and the witness-calculator WASM are read into memory once; snarkjs
// still parses the zkey inside every `groth16.prove` call (it has no API to
// keep a parsed key), which is part of what is measured.
// Checks, before anything is timed: the proof verifies, a proof with one public
// signal (`now`) changed does not, and (with --expect-public) the public signals equal
// zkstatus's public inputs, in order.
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as snarkjs from "snarkjs";
import { buildBn128 } from "ffjavascript";

const here = dirname(fileURLToPath(import.meta.url));
const build = join(here, "build", "v2");
const quiet = { info() {}, debug() {}, warn() {}, error() {} };

const { values: opt } = parseArgs({
  options: {
    input: { type: "string" },
    "expect-public": { type: "string" },
    threads: { type: "string", default: "all" },
    "prove-runs": { type: "string", default: "10" },
    "verify-runs": { type: "string", default: "50" },
    warmup: { type: "string", default: "2" },
    zkey: { type: "string", default: join(build, "status_v2.zkey") },
    wasm: { type: "string", default: join(build, "status_v2_js", "status_v2.wasm") },
    vk: { type: "string", default: join(build, "verification_key.json") },
    r1cs: { type: "string", default: join(build, "status_v2.r1cs") },
  },
});
if (!opt.input) throw new Error("--input FILE is required");
if (!["all", "1"].includes(opt.threads)) throw new Error("--threads: all or 1");
const int = (s, what) => {
  if (!/^[0-9]+$/.test(s) || Number(s) < 1) throw new Error(`${what}: a positive integer`);
  return Number(s);
};
const proveRuns = int(opt["prove-runs"], "--prove-runs");
const verifyRuns = int(opt["verify-runs"], "--verify-runs");
const warmup = int(opt.warmup, "--warmup");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 1000) / 1000;
async function timed(f) {
  const t = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

let curve;
if (opt.threads === "1") {
  // snarkjs calls buildBn128() without arguments, which returns
  // globalThis.curve_bn128 when it is set.
  curve = await buildBn128(true);
  globalThis.curve_bn128 = curve;
} else {
  curve = await buildBn128();
}

const input = JSON.parse(readFileSync(opt.input, "utf8"));
const zkey = new Uint8Array(readFileSync(opt.zkey));
const wasm = new Uint8Array(readFileSync(opt.wasm));
const vk = JSON.parse(readFileSync(opt.vk, "utf8"));

async function witness() {
  const out = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, out);
  return out.data;
}

// Correctness first.
const wtns = await witness();
const { proof, publicSignals } = await snarkjs.groth16.prove(zkey, wtns, quiet);
if (!(await snarkjs.groth16.verify(vk, publicSignals, proof, quiet))) {
  throw new Error("snarkjs: the proof does not verify");
}
// Public signals in statement v2's order: `now` is the second.
const tampered = [...publicSignals];
tampered[1] = (BigInt(tampered[1]) + 1n).toString();
if (await snarkjs.groth16.verify(vk, tampered, proof, quiet)) {
  throw new Error("snarkjs: a proof verified with `now` changed");
}
let publicMatches = null;
if (opt["expect-public"]) {
  const expected = JSON.parse(readFileSync(opt["expect-public"], "utf8"));
  publicMatches = JSON.stringify(expected) === JSON.stringify(publicSignals);
  if (!publicMatches) {
    throw new Error(`public signals differ from zkstatus's public inputs:\n snarkjs  ${JSON.stringify(publicSignals)}\n zkstatus ${JSON.stringify(expected)}`);
  }
}

// Timings: warm-up, then N runs of each.
for (let i = 0; i < warmup; i++) {
  await snarkjs.groth16.prove(zkey, await witness(), quiet);
}
const witnessMs = [];
for (let i = 0; i < proveRuns; i++) witnessMs.push((await timed(witness))[0]);
const proveMs = [];
for (let i = 0; i < proveRuns; i++) {
  const w = await witness();
  proveMs.push((await timed(() => snarkjs.groth16.prove(zkey, w, quiet)))[0]);
}
const fullMs = [];
for (let i = 0; i < proveRuns; i++) {
  fullMs.push((await timed(() => snarkjs.groth16.fullProve(input, wasm, zkey, quiet)))[0]);
}
for (let i = 0; i < Math.min(warmup, verifyRuns); i++) {
  await snarkjs.groth16.verify(vk, publicSignals, proof, quiet);
}
const verifyMs = [];
for (let i = 0; i < verifyRuns; i++) {
  const [ms, ok] = await timed(() => snarkjs.groth16.verify(vk, publicSignals, proof, quiet));
  if (!ok) throw new Error("snarkjs: verification failed during timing");
  verifyMs.push(ms);
}

// Read after timing: r1csfile carries its own ffjavascript (0.3.0).
const r1cs = await snarkjs.r1cs.info(opt.r1cs, quiet);
const result = {
  tool: "snarkjs",
  snarkjs_version: JSON.parse(readFileSync(join(here, "node_modules", "snarkjs", "package.json"), "utf8")).version,
  node_version: process.versions.node,
  threads: opt.threads,
  ffjavascript_workers: curve.tm.singleThread ? 0 : curve.tm.concurrency,
  constraints: r1cs.nConstraints,
  public_inputs: r1cs.nPubInputs + r1cs.nOutputs,
  public_signals_match_zkstatus: publicMatches,
  prove_runs: proveRuns,
  verify_runs: verifyRuns,
  witness_ms_median: round(median(witnessMs)),
  prove_ms_median: round(median(proveMs)),
  prove_ms_all: proveMs.map(round),
  full_prove_ms_median: round(median(fullMs)),
  full_prove_ms_all: fullMs.map(round),
  verify_ms_median: round(median(verifyMs)),
  zkey_bytes: statSync(opt.zkey).size,
  vk_json_bytes: statSync(opt.vk).size,
  proof_json_bytes: Buffer.byteLength(JSON.stringify(proof)),
  // A, B, C as uncompressed affine points: 64 + 128 + 64 bytes.
  proof_raw_bytes: 256,
  wasm_bytes: wasm.length,
};
console.log(JSON.stringify(result));
await curve.terminate();
