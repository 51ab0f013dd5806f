#!/usr/bin/env node
// Is circuits/status_v2.circom zkstatus's statement v2? Every input that
// benches/examples/peer_input_v2.rs writes (the honest interactive and
// one-scan inputs, and changed ones for rules 1, 2, 6–10 and the ranges)
// comes with zkstatus's verdicts: `check_statement` natively (null where the
// input is not a `PublicInputs` at all) and the v2 R1CS circuit. For each
// one this checks that circom agrees:
//
//   - circom's verdict is `snarkjs.wtns.calculate` through the compiled WASM
//     (circom's witness calculator evaluates every `===` and refuses an
//     unsatisfiable input); it must equal zkstatus's circuit verdict, and
//     the native one where there is one;
//   - for an accepted input, `snarkjs.wtns.check` against the R1CS must hold
//     (every constraint of the compiled circuit, not only the asserts), and
//     the witness's public signals (wires 1..10: the main component has no
//     outputs) must equal zkstatus's public-input vector, value by value;
//   - with --zkey and --vk (PEER_STATEMENT=v2 setup.sh makes them): the two
//     honest inputs are proved with `groth16.fullProve`; each proof must
//     verify, its public signals must equal zkstatus's, and it must fail to
//     verify with `now` + 1 and with the nullifier + 1.
//
//   cargo run -p zkstatus-benches --example peer_input_v2 -- --dir build/v2 > build/v2/cases.json
//   node statement-check-v2.mjs --cases build/v2/cases.json [--zkey build/v2/status_v2.zkey --vk build/v2/verification_key.json]
//
// Prints one line per case and "N passed, M failed"; exits 1 on a failure.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as snarkjs from "snarkjs";
import { buildBn128 } from "ffjavascript";
import { P } from "./input.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const build = join(here, "build", "v2");
const { values: opt } = parseArgs({
  options: {
    cases: { type: "string", default: join(build, "cases.json") },
    wasm: { type: "string", default: join(build, "status_v2_js", "status_v2.wasm") },
    r1cs: { type: "string", default: join(build, "status_v2.r1cs") },
    zkey: { type: "string" },
    vk: { type: "string" },
  },
});
if ((opt.zkey === undefined) !== (opt.vk === undefined)) throw new Error("--zkey and --vk go together");
for (const f of [opt.cases, opt.wasm, opt.r1cs, opt.zkey, opt.vk].filter(Boolean)) {
  if (!existsSync(f)) throw new Error(`${f}: not found (PEER_STATEMENT=v2 bash setup.sh; peer_input_v2 > cases.json)`);
}
const doc = JSON.parse(readFileSync(opt.cases, "utf8"));
const wasm = new Uint8Array(readFileSync(opt.wasm));
const quiet = { info() {}, debug() {}, warn() {}, error() {} };
// One single-threaded curve for snarkjs (no worker threads to shut down).
globalThis.curve_bn128 = await buildBn128(true);

const NAMES = [
  "registry_root", "now", "challenge", "one_scan", "scope", "nullifier",
  "accepted_test_types", "max_age_pcr", "max_age_rapid_antigen", "min_exposure_gap",
];
if (doc.statement !== "v2" || JSON.stringify(doc.public_input_names) !== JSON.stringify(NAMES)) {
  throw new Error("cases: not statement v2's public-input layout");
}
const canonical = (s) => typeof s === "string" && /^(0|[1-9][0-9]*)$/.test(s) && BigInt(s) < P;
for (const c of doc.cases) {
  const keys = Object.keys(c.input);
  if (JSON.stringify(keys.slice(0, 10)) !== JSON.stringify(NAMES)) {
    throw new Error(`${c.name}: the input does not start with the public inputs in order`);
  }
  const values = Object.values(c.input).flat(2);
  if (!values.every(canonical) || !c.public.every(canonical)) {
    throw new Error(`${c.name}: a value is not a canonical field element`);
  }
  if (NAMES.some((n, i) => c.input[n] !== c.public[i])) {
    throw new Error(`${c.name}: the input's public inputs differ from the case's vector`);
  }
}

// Where circom refuses: the failing line of status_v2.circom, named by the
// nearest namespace-like word in the comments above it (rule8_issuer_in_registry, …).
const source = readFileSync(join(here, "circuits", "status_v2.circom"), "utf8").split("\n");
function where(message) {
  const lines = [...message.matchAll(/Error in template ZkStatusV2_\d+ line: (\d+)/g)];
  if (!lines.length) return "?";
  const line = Number(lines[lines.length - 1][1]);
  for (let i = line - 1; i >= 0; i--) {
    const m = source[i].match(/\/\/.*?\b(rule\d+_\w+|\w+_in_range|\w+_on_curve|eddsa_\w+|Rule [\d.]+(?:, [\d.]+)*)/);
    if (m) return `${m[1]}, line ${line}`;
  }
  return `line ${line}`;
}

/** { data } with the witness, or { refused } with where circom refused the input. */
async function witness(input) {
  // The witness calculator reports the failing assertion on stderr; keep the
  // output to one line per case.
  const log = console.log;
  const err = console.error;
  console.log = console.error = () => {};
  try {
    const out = { type: "mem" };
    await snarkjs.wtns.calculate(input, wasm, out);
    return { data: out.data };
  } catch (e) {
    // Only a failed constraint counts as a refusal, not a malformed input.
    if (!String(e.message).includes("Assert Failed")) throw e;
    return { refused: where(String(e.message)) };
  } finally {
    console.log = log;
    console.error = err;
  }
}

let passed = 0;
let failed = 0;
function report(ok, line) {
  ok ? passed++ : failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${line}`);
}

for (const c of doc.cases) {
  const { data: w, refused } = await witness(c.input);
  const circom = w !== undefined;
  const problems = [];
  if (circom !== c.circuit) problems.push(`circom ${circom ? "accepts" : "refuses"}, zkstatus's circuit ${c.circuit ? "accepts" : "refuses"}`);
  if (c.native !== null && circom !== (c.native === "ok")) problems.push(`zkstatus natively: ${c.native}`);
  if (circom) {
    if (!(await snarkjs.wtns.check(opt.r1cs, { type: "mem", data: w }, quiet))) {
      problems.push("wtns check: the witness does not satisfy the R1CS");
    }
    const wires = await snarkjs.wtns.exportJson({ type: "mem", data: w });
    const signals = wires.slice(1, 11).map(String);
    if (JSON.stringify(signals) !== JSON.stringify(c.public)) {
      problems.push(`public signals ${JSON.stringify(signals)} ≠ zkstatus's ${JSON.stringify(c.public)}`);
    }
  }
  const native = c.native === null ? "" : c.native === "ok" ? "; native ok" : `; native: ${c.native}`;
  const at = refused ? ` [circom: ${refused}${native}]` : native ? ` [${native.slice(2)}]` : "";
  report(problems.length === 0, `${c.circuit ? "accept" : "refuse"}  ${c.name}${at}${problems.length ? ": " + problems.join("; ") : ""}`);
}

if (opt.zkey) {
  const zkey = new Uint8Array(readFileSync(opt.zkey));
  const vk = JSON.parse(readFileSync(opt.vk, "utf8"));
  if (vk.nPublic !== 10) throw new Error(`vk: ${vk.nPublic} public inputs, expected 10`);
  for (const c of doc.cases.slice(0, 2)) {
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(c.input, wasm, zkey, quiet);
    const problems = [];
    if (!(await snarkjs.groth16.verify(vk, publicSignals, proof, quiet))) problems.push("does not verify");
    if (JSON.stringify(publicSignals) !== JSON.stringify(c.public)) problems.push("public signals differ from zkstatus's");
    for (const [i, what] of [[1, "now"], [5, "nullifier"]]) {
      const tampered = [...publicSignals];
      tampered[i] = ((BigInt(tampered[i]) + 1n) % P).toString();
      if (await snarkjs.groth16.verify(vk, tampered, proof, quiet)) problems.push(`verifies with ${what} + 1`);
    }
    report(problems.length === 0, `prove   ${c.name}: groth16 fullProve, verify, public signals = zkstatus's, refused with now + 1 and nullifier + 1${problems.length ? ": " + problems.join("; ") : ""}`);
  }
}

console.log(`statement-check-v2: ${passed} passed, ${failed} failed`);
await globalThis.curve_bn128.terminate();
process.exit(failed ? 1 : 0);
