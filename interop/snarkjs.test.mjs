// snarkjs, an independent Groth16 implementation, checks zkstatus proofs:
// the frozen statement-v2 fixture's export (prover/tests/fixtures/v2/snarkjs/) verifies
// with `snarkjs groth16 verify`, and tampered copies do not; and a fresh
// `zkstatus export snarkjs` of the fixture payload verifies with snarkjs's
// own command line.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as snarkjs from "snarkjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "..", "prover", "tests", "fixtures", "v2", "snarkjs");
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
  // registry_root, now, challenge, one_scan, scope, nullifier, policy (4).
  for (let i = 0; i < 10; i++) {
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

const fixtureDir = join(here, "..", "prover", "tests", "fixtures", "v2");
const snarkjsCli = join(here, "node_modules", "snarkjs", "build", "cli.cjs");
const zkstatus = process.env.ZKSTATUS_BIN;

function snarkjsVerify(dir) {
  // `snarkjs groth16 verify vk public proof`: exit 0 and "OK!" when valid.
  const r = spawnSync(process.execPath, [snarkjsCli, "groth16", "verify",
    join(dir, "verification_key.json"), join(dir, "public.json"), join(dir, "proof.json")],
    { encoding: "utf8" });
  return { ok: r.status === 0 && /OK/.test(r.stdout), out: r.stdout + r.stderr };
}

test("`zkstatus export snarkjs` output verifies with `snarkjs groth16 verify`; a tampered export does not",
  { skip: zkstatus ? false : "ZKSTATUS_BIN not set (run scripts/interop.sh)" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "zkstatus-snarkjs-"));
  try {
    const challenge = readFileSync(join(fixtureDir, "challenge.txt"), "utf8").trim();
    execFileSync(zkstatus, ["export", "snarkjs",
      "--vk", join(fixtureDir, "zkstatus.vk"),
      "--policy", join(fixtureDir, "policy.json"),
      "--unlogged-roots", join(fixtureDir, "roots.json"),
      "--challenge", challenge,
      "--out-dir", dir,
      join(fixtureDir, "payload.txt")], { stdio: "pipe" });
    // The CLI writes exactly the frozen export.
    for (const f of ["verification_key.json", "proof.json", "public.json"]) {
      assert.equal(readFileSync(join(dir, f), "utf8"), readFileSync(join(fixture, f), "utf8"), f);
    }
    const good = snarkjsVerify(dir);
    assert.equal(good.ok, true, good.out);
    // Tamper: claim a later `now` (public input 1).
    const pub = JSON.parse(readFileSync(join(dir, "public.json"), "utf8"));
    pub[1] = (BigInt(pub[1]) + 1n).toString();
    writeFileSync(join(dir, "public.json"), JSON.stringify(pub));
    const bad = snarkjsVerify(dir);
    assert.equal(bad.ok, false, bad.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
