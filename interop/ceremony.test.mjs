// The ceremony's first step (issue [4/7]): snarkjs reads the statement's
// constraint system as `zkstatus ceremony export-r1cs` writes it, and finds
// our constraint and public-input counts (docs/circuit.md §12, §12.5).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
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

// The public phase 1, pinned (issue [4/7], docs/ceremony.md "Phase 1"):
// Hermez's powersOfTau28_hez_final_08.ptau (the Perpetual Powers of Tau's
// 54 contributions and a beacon, truncated to 2^8) as the crate ppot-rs
// 0.1.1 ships it on crates.io (its file `8.ptau`; scripts/interop.sh fetches
// the crate). The BLAKE2b-512 is the one the snarkjs README publishes for
// that file (README of snarkjs 0.7.6, "Prepared (phase2) Ptau files",
// power 8); SHA-256 is the same file's, recorded here.
const publicPtau = process.env.ZKSTATUS_PUBLIC_PTAU;
const PHASE1 = {
  name: "powersOfTau28_hez_final_08.ptau",
  blake2b512: "d6a8fb3a04feb600096c3b791f936a578c4e664d262e4aa24beed1b7a9a96aa5eb72864d628db247e9293384b74b36ffb52ca8d148d6e1b8b51e279fdf57b583",
  sha256: "f741f2ddee2875915c24db8aae90d021f51181533f1ee3b58baf64b042e91654",
};
const circuitBin = process.env.ZKSTATUS_CEREMONY_CIRCUIT_BIN;
const needPublic = publicPtau && circuitBin && proveBin && zkstatus ? false
  : "ZKSTATUS_PUBLIC_PTAU, ZKSTATUS_CEREMONY_CIRCUIT_BIN, ZKSTATUS_CEREMONY_PROOF_BIN or ZKSTATUS_BIN not set (run scripts/interop.sh)";

// A logger that keeps snarkjs's error lines: each refusal below is told
// apart by its own message, not by a bare `false`.
function recorder() {
  const errors = [];
  return { errors, logger: { info() {}, debug() {}, warn() {}, error(m) { errors.push(String(m)); } } };
}
const hex32 = () => randomBytes(32).toString("hex");

// Phase 2 as make.sh runs it: setup, two contributions, a beacon.
async function phase2(r1cs, ptau, dir, tag) {
  const z = (n) => join(dir, `${tag}_${n}.zkey`);
  await snarkjs.zKey.newZKey(r1cs, ptau, z(0), quiet);
  await snarkjs.zKey.contribute(z(0), z(1), "alice", hex32(), quiet);
  await snarkjs.zKey.contribute(z(1), z(2), "bob", hex32(), quiet);
  await snarkjs.zKey.beacon(z(2), z("final"), "final beacon",
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 10, quiet);
  return z("final");
}

test("the public phase 1 shipped in the crate ppot-rs 0.1.1 is Hermez's powersOfTau28_hez_final_08.ptau, by its published BLAKE2b-512",
  { skip: publicPtau ? false : "ZKSTATUS_PUBLIC_PTAU not set (run scripts/interop.sh)" }, () => {
    const bytes = readFileSync(publicPtau);
    const b2 = createHash("blake2b512").update(bytes).digest("hex");
    assert.equal(b2, PHASE1.blake2b512,
      `${publicPtau} is not ${PHASE1.name}: BLAKE2b-512 ${b2}, published ${PHASE1.blake2b512}`);
    assert.equal(createHash("sha256").update(bytes).digest("hex"), PHASE1.sha256);
  });

test("a ceremony on the PUBLIC power-8 phase 1: snarkjs zkey verify accepts it, our import proves, zkstatus and snarkjs groth16 verify accept the proof",
  { skip: needPublic }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkstatus-public-phase1-"));
    try {
      const r1cs = join(dir, "test.r1cs");
      execFileSync(circuitBin, [r1cs]);
      // The same circuit as the committed fixture.
      assert.deepEqual(readFileSync(r1cs), readFileSync(join(fixtures, "test.r1cs")));
      const final = await phase2(r1cs, publicPtau, dir, "test");
      const rec = recorder();
      assert.equal(await snarkjs.zKey.verifyFromR1cs(r1cs, publicPtau, final, rec.logger), true,
        rec.errors.join("; "));
      const vk = await snarkjs.zKey.exportVerificationKey(final, quiet);
      // ceremony_test_proof: zkey::import (what `zkstatus ceremony import`
      // runs, with the test circuit's matrices), prove, verify with
      // zkstatus's verifier, export for snarkjs.
      execFileSync(proveBin, [final, dir]);
      const read = (f) => JSON.parse(readFileSync(join(dir, f), "utf8"));
      assert.equal(await snarkjs.groth16.verify(vk, read("public.json"), read("proof.json"), quiet), true);
      // `zkstatus ceremony import` itself takes statement v2 only: this is
      // a zkey for another circuit, refused natively with its own message.
      let err = "";
      try {
        execFileSync(zkstatus, ["ceremony", "import", final, "--snarkjs-verified", "--out-dir", join(dir, "keys")],
          { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (e) { err = String(e.stderr); }
      assert.match(err, /variables/, err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test("refused, each with its own message: a zkey for another circuit, a truncated zkey, a zkey that does not chain from the pinned phase 1",
  { skip: needPublic }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkstatus-public-phase1-"));
    const nativeImport = (zkey) => {
      try {
        execFileSync(proveBin, [zkey, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return "";
      } catch (e) { return String(e.stderr); }
    };
    try {
      const r1cs = join(dir, "test.r1cs");
      const changedA = join(dir, "changed_a.r1cs");
      execFileSync(circuitBin, [r1cs]);
      execFileSync(circuitBin, [changedA, "changed-a"]);

      // (1) Another circuit, with an honest ceremony on the public phase 1.
      const other = await phase2(changedA, publicPtau, dir, "changed_a");
      let rec = recorder();
      assert.equal(await snarkjs.zKey.verifyFromR1cs(r1cs, publicPtau, other, rec.logger), false);
      assert.deepEqual(rec.errors, ["INVALID:  Circuit does not match"]);
      assert.match(nativeImport(other), /another circuit/);

      // (2) Truncated: the good ceremony's final zkey cut in half.
      const good = await phase2(r1cs, publicPtau, dir, "test");
      const cut = join(dir, "truncated.zkey");
      const bytes = readFileSync(good);
      writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
      let thrown = "";
      try {
        await snarkjs.zKey.verifyFromR1cs(r1cs, publicPtau, cut, quiet);
      } catch (e) { thrown = String(e); }
      assert.match(thrown, /Missing section/, "snarkjs zkey verify on a truncated zkey");
      assert.match(nativeImport(cut), /truncated|only \d+ remain/, "native import of a truncated zkey");

      // (3) Well-formed, this circuit, honest contributions, but set up from
      // another phase 1 (the fixtures' test-only local one): the native
      // import accepts it (it cannot see the phase 1); `snarkjs zkey verify`
      // against the pinned public file refuses it.
      const local = join(fixtures, "test.zkey");
      assert.equal(nativeImport(local), "");
      rec = recorder();
      assert.equal(await snarkjs.zKey.verifyFromR1cs(r1cs, publicPtau, local, rec.logger), false);
      // α comes from phase 1: the first thing that differs.
      assert.deepEqual(rec.errors, ["INVALID:  Invalid alpha1"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
