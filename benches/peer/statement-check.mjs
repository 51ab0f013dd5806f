#!/usr/bin/env node
// Is circuits/status_v2.circom the zkstatus statement? A quick check on real
// zkstatus credentials, in depth on rules 1–7 (statement-check-v2.mjs covers
// rules 8–10 with zkstatus's own verdicts): the honest input must give a
// witness, and each change below must be accepted or refused exactly as
// docs/circuit.md says zkstatus accepts or refuses it (the pinned boundaries
// of §5, the ranges, the signature checks, and a few of §12's registry and
// mode rules). Only inputs that leave the issuer's signature intact are moved
// across a boundary (now and the policy are public and unsigned; `now` stays
// inside the issuer's registry window, which in the demo spans a year);
// record changes are refused by the signature in both circuits. A refusal
// must be a failed constraint (`Assert Failed`), not a malformed input.
//
//   node statement-check.mjs --input input.json [--exposed exposed-input.json]
//
// --input: the demo's credential (negative PCR, no exposure), interactive
// mode, made by input.mjs.
// --exposed: a negative rapid-antigen credential with an exposure on record
// (run.sh issues one with `zkstatus issuer issue --exposure-time`), for rule 5
// and the antigen branch of rules 3 and 4.
//
// Prints one line per case and "N passed, M failed"; exits 1 on a failure.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as snarkjs from "snarkjs";
import { L, P } from "./input.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    input: { type: "string" },
    exposed: { type: "string" },
    wasm: { type: "string", default: join(here, "build", "v2", "status_v2_js", "status_v2.wasm") },
  },
});
if (!opt.input) throw new Error("--input FILE is required");
const base = JSON.parse(readFileSync(opt.input, "utf8"));
const wasm = new Uint8Array(readFileSync(opt.wasm));
const n = (k) => BigInt(base[k]);
const exposedBase = opt.exposed ? JSON.parse(readFileSync(opt.exposed, "utf8")) : null;
const TWO64 = 1n << 64n;
// BabyJubJub's Base8, a valid point that is not the issuer's key.
const BASE8 = [
  5299619240641551281634865583518297030282874472190772894086521144482721001553n,
  16950150798460657717958625567821834550301663161624707787222815936182638968203n,
];

if (base.test_type !== "1" || base.exposure_time !== "0" || base.one_scan !== "0") {
  throw new Error("expects the demo credential, interactive: a PCR test and no exposure");
}
const now = n("now");
const age = now - n("test_time");

// [name, changes, accepted?]
const cases = [
  ["honest input", {}, true],
  ["rule 6: now = expires_at − 1", { now: n("expires_at") - 1n, max_age_pcr: n("expires_at") - n("test_time") }, true],
  ["rule 6: now = expires_at (expired)", { now: n("expires_at"), max_age_pcr: n("expires_at") - n("test_time") }, false],
  ["rule 6: now = issued_at", { now: n("issued_at") }, true],
  ["rule 6: now = issued_at − 1 (not yet valid)", { now: n("issued_at") - 1n }, false],
  ["rule 4: now − test_time = max_age_pcr", { max_age_pcr: age }, true],
  ["rule 4: now − test_time = max_age_pcr + 1", { max_age_pcr: age - 1n }, false],
  ["rule 4: now = test_time − 1 (future test)", { now: n("test_time") - 1n }, false],
  ["rule 3: PCR only accepted (mask 1, antigen age 0)", { accepted_test_types: 1n, max_age_rapid_antigen: 0n }, true],
  ["rule 3: antigen only accepted (mask 2, PCR age 0)", { accepted_test_types: 2n, max_age_pcr: 0n }, false],
  ["rule 3: nothing accepted (mask 0)", { accepted_test_types: 0n }, false],
  ["range: accepted_test_types = 4 (not 2 bits)", { accepted_test_types: 4n }, false],
  ["range: accepted_test_types = 7", { accepted_test_types: 7n }, false],
  ["range: min_exposure_gap = 2^64 − 1", { min_exposure_gap: TWO64 - 1n }, true],
  ["range: min_exposure_gap = 2^64", { min_exposure_gap: TWO64 }, false],
  ["range: max_age_rapid_antigen = 2^64", { max_age_rapid_antigen: TWO64 }, false],
  ["range: now + 2^64", { now: now + TWO64 }, false],
  ["rule 7: challenge = 0", { challenge: 0n }, true],
  ["rule 7: challenge = p − 1", { challenge: P - 1n }, true],
  ["rule 1: S + l (non-canonical S, same point)", { s: n("s") + L }, false],
  ["rule 1: S + 1", { s: n("s") + 1n }, false],
  ["rule 1: another issuer key (Base8)", { issuer_ax: BASE8[0], issuer_ay: BASE8[1] }, false],
  ["rule 1: issuer key off the curve (Ay + 1)", { issuer_ay: n("issuer_ay") + 1n }, false],
  ["rule 1: R8 = identity (0, 1)", { r8x: 0n, r8y: 1n }, false],
  ["rule 1: record changed (credential_id + 1)", { credential_id: n("credential_id") + 1n }, false],
  ["rule 2: holder_secret + 1", { holder_secret: n("holder_secret") + 1n }, false],
  ["rule 3: test_result = 1 (positive; signature fails too)", { test_result: 1n }, false],
  ["rule 8: registry_root + 1", { registry_root: n("registry_root") + 1n }, false],
  ["rule 8: the neighbouring leaf index", { leaf_index: n("leaf_index") ^ 1n }, false],
  ["rule 9: not_after = now (window closed; leaf changed too)", { not_after: now }, false],
  ["rule 10: interactive with nullifier 1", { nullifier: 1n }, false],
  ["rule 10: interactive with a scope", { scope: 1n }, false],
  ["rule 10: one_scan = 1 with the challenge", { one_scan: 1n }, false],
].map(([name, changes, ok]) => [name, base, changes, ok]);

if (exposedBase) {
  const e = (k) => BigInt(exposedBase[k]);
  if (exposedBase.test_type !== "2" || exposedBase.exposure_time === "0") {
    throw new Error("--exposed expects a rapid-antigen credential with an exposure");
  }
  const since = e("now") - e("exposure_time");
  const agAge = e("now") - e("test_time");
  cases.push(...[
    ["exposed: honest input (antigen, exposure on record)", {}, true],
    ["rule 5: now − exposure_time = min_exposure_gap", { min_exposure_gap: since }, true],
    ["rule 5: now − exposure_time = min_exposure_gap − 1", { min_exposure_gap: since + 1n }, false],
    ["rule 5: min_exposure_gap = 0", { min_exposure_gap: 0n }, true],
    ["rule 5: min_exposure_gap = now (gap reaches before 0)", { min_exposure_gap: e("now") }, false],
    ["rule 4: now − test_time = max_age_rapid_antigen", { max_age_rapid_antigen: agAge }, true],
    ["rule 4: now − test_time = max_age_rapid_antigen + 1", { max_age_rapid_antigen: agAge - 1n }, false],
    ["rule 4: PCR age irrelevant to an antigen test", { max_age_pcr: 0n, max_age_rapid_antigen: agAge, accepted_test_types: 3n }, true],
    ["rule 3: antigen only accepted (mask 2)", { accepted_test_types: 2n, max_age_pcr: 0n }, true],
    ["rule 3: PCR only accepted (mask 1)", { accepted_test_types: 1n, max_age_rapid_antigen: 0n }, false],
    ["rule 5: exposure_time = 0 (record changed)", { exposure_time: 0n }, false],
  ].map(([name, changes, ok]) => [name, exposedBase, changes, ok]));
}

async function satisfiable(input) {
  // The witness calculator reports the failing assertion on stderr; keep the
  // output to one line per case.
  const log = console.log;
  const err = console.error;
  console.log = console.error = () => {};
  try {
    await snarkjs.wtns.calculate(input, wasm, { type: "mem" });
    return true;
  } catch (e) {
    // Only a failed constraint counts as a refusal, not a malformed input.
    if (!String(e.message).includes("Assert Failed")) throw e;
    return false;
  } finally {
    console.log = log;
    console.error = err;
  }
}

let passed = 0;
let failed = 0;
for (const [name, from, changes, expected] of cases) {
  const input = { ...from };
  for (const [k, v] of Object.entries(changes)) input[k] = (((v % P) + P) % P).toString();
  const got = await satisfiable(input);
  const ok = got === expected;
  ok ? passed++ : failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${expected ? "accept" : "refuse"}  ${name}${ok ? "" : ` (circom ${got ? "accepted" : "refused"})`}`);
}
console.log(`statement-check: ${passed} passed, ${failed} failed`);
if (globalThis.curve_bn128) await globalThis.curve_bn128.terminate();
process.exit(failed ? 1 : 0);
