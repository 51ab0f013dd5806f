// The ceremony's first step (issue [4/7]): snarkjs reads the statement's
// constraint system as `zkstatus ceremony export-r1cs` writes it, and finds
// our constraint and public-input counts (docs/circuit.md §12, §12.5).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";

const zkstatus = process.env.ZKSTATUS_BIN;
const quiet = { info() {}, debug() {}, warn() {}, error() {} };
const bn128r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

after(async () => {
  if (globalThis.curve_bn128) await globalThis.curve_bn128.terminate();
});

test("`snarkjs r1cs info` reads the exported statement: 7,846 constraints, 10 public inputs, no outputs",
  { skip: zkstatus ? false : "ZKSTATUS_BIN not set (run scripts/interop.sh)" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "zkstatus-r1cs-"));
  try {
    const out = join(dir, "statement.r1cs");
    const report = JSON.parse(execFileSync(zkstatus, ["--json", "ceremony", "export-r1cs", out],
      { encoding: "utf8" }));
    assert.equal(report.constraints, 7846);
    assert.equal(report.public_inputs, 10);
    assert.equal(report.circuit_fingerprint,
      "574a3479f96e4b85618e92a57e590380bebcf38e7ee2277a3ea4ca367c279258");
    assert.equal(report.bytes, statSync(out).size);

    const cir = await snarkjs.r1cs.info(out, quiet);
    assert.equal(BigInt(cir.prime), bn128r);
    assert.equal(cir.nConstraints, 7846);
    assert.equal(cir.nPubInputs, 10);
    // Every instance variable is a public input, so snarkjs' public signals
    // (wires 1..=10) are ours, in our order.
    assert.equal(cir.nOutputs, 0);
    assert.equal(cir.nVars, report.wires);
    assert.equal(Number(cir.nLabels), report.wires);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// What the native zkey import cannot see (prover/src/ceremony/zkey.rs,
// module docs): `snarkjs zkey verify` against our exported .r1cs and the
// phase-1 file accepts the fixtures' ceremony and refuses a zkey for a
// circuit with a changed C row, and one set up from another phase 1, both
// of which pass every native check (prover/tests/ceremony.rs).
const fixtures = new URL("../prover/tests/fixtures/ceremony/", import.meta.url).pathname;
for (const [zkey, ok] of [
  ["test.zkey", true],
  ["changed_a.zkey", false],
  ["changed_c.zkey", false],
  ["other_phase1.zkey", false],
]) {
  test(`\`snarkjs zkey verify\` ${ok ? "accepts" : "refuses"} fixtures/ceremony/${zkey} for test.r1cs and phase1.ptau`,
    async () => {
      const verdict = await snarkjs.zKey.verifyFromR1cs(join(fixtures, "test.r1cs"),
        join(fixtures, "phase1.ptau"), join(fixtures, zkey), quiet);
      assert.equal(verdict, ok);
    });
}

// A proof by our prover (snarkjs's QAP reduction) with the keys imported
// from the fixtures' ceremony: snarkjs verifies it with the ceremony's own
// verification_key.json (from `snarkjs zkey export verificationkey`).
const proveBin = process.env.ZKSTATUS_CEREMONY_PROOF_BIN;
test("`snarkjs groth16 verify` accepts our proof with the key imported from the ceremony",
  { skip: proveBin ? false : "ZKSTATUS_CEREMONY_PROOF_BIN not set (run scripts/interop.sh)" },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkstatus-ceremony-"));
    try {
      execFileSync(proveBin, [join(fixtures, "test.zkey"), dir]);
      const read = (f) => JSON.parse(readFileSync(f, "utf8"));
      const vk = read(join(fixtures, "verification_key.json"));
      const proof = read(join(dir, "proof.json"));
      const pub = read(join(dir, "public.json"));
      assert.equal(await snarkjs.groth16.verify(vk, pub, proof, quiet), true);
      const other = [...pub];
      other[9] = (BigInt(other[9]) + 1n).toString();
      assert.equal(await snarkjs.groth16.verify(vk, other, proof, quiet), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
