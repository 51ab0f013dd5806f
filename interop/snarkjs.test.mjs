// snarkjs, an independent Groth16 implementation, checks zkstatus proofs:
// the frozen fixture's export (prover/tests/fixtures/v1/snarkjs/) verifies
// with `snarkjs groth16 verify`, and tampered copies do not.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as snarkjs from "snarkjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "..", "prover", "tests", "fixtures", "v1", "snarkjs");
const load = (name) => JSON.parse(readFileSync(join(fixture, name), "utf8"));
const quiet = { info() {}, debug() {}, warn() {}, error() {} };

// snarkjs keeps the BN254 curve (and its worker threads) in a global; end them
// so the test process can exit.
after(async () => {
  if (globalThis.curve_bn128) await globalThis.curve_bn128.terminate();
});

test("snarkjs accepts the exported fixture proof", async () => {
  const ok = await snarkjs.groth16.verify(load("verification_key.json"), load("public.json"), load("proof.json"), quiet);
  assert.equal(ok, true);
});

test("snarkjs rejects the export with one public input changed", async () => {
  for (let i = 0; i < 8; i++) {
    const pub = load("public.json");
    pub[i] = (BigInt(pub[i]) + 1n).toString();
    const ok = await snarkjs.groth16.verify(load("verification_key.json"), pub, load("proof.json"), quiet);
    assert.equal(ok, false, `public input ${i}`);
  }
});

test("snarkjs rejects the export with a tampered proof", async () => {
  const vk = load("verification_key.json");
  const proof = load("proof.json");
  // Swap A and C: both valid G1 points, wrong proof.
  const swapped = { ...proof, pi_a: proof.pi_c, pi_c: proof.pi_a };
  assert.equal(await snarkjs.groth16.verify(vk, load("public.json"), swapped, quiet), false);
});
