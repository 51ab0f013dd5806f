// Cross-implementation tests: zkstatus against circomlibjs 0.1.7, with fresh
// random keys, messages and Poseidon inputs on every run (node's crypto).
//
//   (a) zkstatus signs → circomlibjs prv2pub / signPoseidon / packSignature
//       agree byte for byte, and verifyPoseidon accepts;
//   (b) circomlibjs signs → zkstatus accepts natively (PublicKey::verify) and
//       in the R1CS gadget (cs.is_satisfied());
//   (c) Poseidon of arities 1..16: circomlibjs buildPoseidon (and the
//       reference and optimised builds) agree with zkstatus poseidon::hash.
//
// circomlibjs accepts forgeries under the identity and small-order keys, so it
// is an acceptance oracle only: it says "these valid signatures verify", never
// "zkstatus should accept what circomlibjs accepts" (see the last test).
//
// The zkstatus side is the `interop` example of zkstatus-circuits: set
// ZKSTATUS_INTEROP_BIN to a prebuilt binary (scripts/interop.sh does), or it is
// run through `cargo run -q --release`.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildEddsa,
  buildPoseidon,
  buildPoseidonReference,
  buildPoseidonOpt,
} from "circomlibjs";

const CIRCOMLIBJS_VERSION = "0.1.7";
/** BN254 scalar field modulus p (BabyJubJub's base field). */
const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BabyJubJub prime subgroup order l. */
const L = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;
/** Fresh random cases per direction, on top of the edge cases. */
const RANDOM_CASES = 24;
/** Messages every direction must cover. */
const EDGE_MESSAGES = [0n, 1n, 2n, P - 2n, P - 1n, L - 1n, L, 1n << 253n];

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

// ---------------------------------------------------------------- helpers

/** A uniformly random element of [0, P) by rejection sampling. */
function randomField() {
  for (;;) {
    const b = randomBytes(32);
    b[0] &= 0x3f; // 254 bits; P > 2^253, so at most 4 tries expected
    const x = BigInt("0x" + b.toString("hex"));
    if (x < P) return x;
  }
}

/** Run the zkstatus interop tool on one request and return its answers. */
function zkstatus(mode, cases) {
  const bin = process.env.ZKSTATUS_INTEROP_BIN;
  const [cmd, args] = bin
    ? [resolve(bin), []] // relative to where the test was started
    : ["cargo", ["run", "-q", "--release", "-p", "zkstatus-circuits", "--example", "interop"]];
  const r = spawnSync(cmd, args, {
    cwd: REPO_ROOT,
    input: JSON.stringify({ mode, cases }),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  }
  const answer = JSON.parse(r.stdout);
  assert.equal(answer.mode, mode);
  assert.equal(answer.cases.length, cases.length, "one answer per case");
  return answer.cases;
}

/** Fail with every mismatch listed, each with the exact inputs. */
function assertNoMismatches(what, mismatches) {
  assert.deepEqual(
    mismatches,
    [],
    `${what}: ${mismatches.length} disagreement(s) between circomlibjs and zkstatus:\n` +
      mismatches.map((m) => JSON.stringify(m, null, 1)).join("\n"),
  );
}

const hex = (u8) => Buffer.from(u8).toString("hex");

let eddsa;
let babyJub;
let F;

before(async () => {
  eddsa = await buildEddsa();
  babyJub = eddsa.babyJub;
  F = babyJub.F;
});

const dec = (fe) => F.toObject(fe).toString();

/** circomlibjs' signature from decimal strings. */
function jsSig(c) {
  return { R8: [F.e(BigInt(c.R8x)), F.e(BigInt(c.R8y))], S: BigInt(c.S) };
}

/** The key and message cases: random ones plus every edge message and key. */
function signingCases() {
  const cases = [];
  for (let i = 0; i < RANDOM_CASES; i++) {
    cases.push({ prv: randomBytes(32).toString("hex"), msg: randomField().toString() });
  }
  for (const m of EDGE_MESSAGES) {
    cases.push({ prv: randomBytes(32).toString("hex"), msg: m.toString() });
  }
  for (const k of ["00".repeat(32), "ff".repeat(32)]) {
    cases.push({ prv: k, msg: randomField().toString() });
    cases.push({ prv: k, msg: (P - 1n).toString() });
  }
  return cases;
}

// ---------------------------------------------------------------- tests

test(`circomlibjs is version ${CIRCOMLIBJS_VERSION}`, () => {
  const pkg = JSON.parse(
    readFileSync(new URL("./node_modules/circomlibjs/package.json", import.meta.url), "utf8"),
  );
  assert.equal(pkg.version, CIRCOMLIBJS_VERSION);
});

test("(a) zkstatus signatures: circomlibjs derives the same key, the same signature bytes, and verifies", () => {
  const cases = signingCases();
  const answers = zkstatus("sign", cases);
  const mismatches = [];
  cases.forEach((c, i) => {
    const z = answers[i];
    const prv = Buffer.from(c.prv, "hex");
    const msg = F.e(BigInt(c.msg));
    const problems = [];

    const A = eddsa.prv2pub(prv);
    if (dec(A[0]) !== z.Ax || dec(A[1]) !== z.Ay) {
      problems.push({ prv2pub: [dec(A[0]), dec(A[1])] });
    }
    if (hex(babyJub.packPoint(A)) !== z.packed_pub) {
      problems.push({ packPoint: hex(babyJub.packPoint(A)) });
    }

    const sig = eddsa.signPoseidon(prv, msg);
    const js = { R8x: dec(sig.R8[0]), R8y: dec(sig.R8[1]), S: sig.S.toString() };
    if (js.R8x !== z.R8x || js.R8y !== z.R8y || js.S !== z.S) {
      problems.push({ signPoseidon: js });
    }
    const packed = hex(eddsa.packSignature(sig));
    if (packed !== z.packed_sig) problems.push({ packSignature: packed });

    // zkstatus' own values, independent of circomlibjs' signature above.
    const zA = [F.e(BigInt(z.Ax)), F.e(BigInt(z.Ay))];
    if (!eddsa.verifyPoseidon(msg, jsSig(z), zA)) problems.push("verifyPoseidon rejected");
    const zUnpacked = eddsa.unpackSignature(Buffer.from(z.packed_sig, "hex"));
    if (!eddsa.verifyPoseidon(msg, zUnpacked, babyJub.unpackPoint(Buffer.from(z.packed_pub, "hex")))) {
      problems.push("verifyPoseidon rejected the unpacked encodings");
    }
    // Negative control: the oracle must not accept everything.
    if (eddsa.verifyPoseidon(F.e((BigInt(c.msg) + 1n) % P), jsSig(z), zA)) {
      problems.push("verifyPoseidon accepted the signature for msg + 1");
    }

    if (problems.length) mismatches.push({ input: c, zkstatus: z, problems });
  });
  assertNoMismatches("zkstatus → circomlibjs", mismatches);
  assert.ok(cases.length >= 20 + EDGE_MESSAGES.length);
});

test("(b) circomlibjs signatures verify in zkstatus, natively and in the circuit", () => {
  const inputs = signingCases();
  const cases = inputs.map(({ prv, msg }) => {
    const key = Buffer.from(prv, "hex");
    const A = eddsa.prv2pub(key);
    const sig = eddsa.signPoseidon(key, F.e(BigInt(msg)));
    assert.ok(eddsa.verifyPoseidon(F.e(BigInt(msg)), sig, A), "circomlibjs verifies its own signature");
    return {
      prv,
      Ax: dec(A[0]),
      Ay: dec(A[1]),
      msg,
      R8x: dec(sig.R8[0]),
      R8y: dec(sig.R8[1]),
      S: sig.S.toString(),
    };
  });
  // Negative controls, each rejected by circomlibjs too: another message,
  // S + l (the same point, a non-canonical scalar), S + 1 mod l.
  const controls = cases.flatMap((c) => {
    const S = BigInt(c.S);
    return [
      { ...c, msg: ((BigInt(c.msg) + 1n) % P).toString(), control: "msg + 1" },
      { ...c, S: (S + L).toString(), control: "S + l" },
      { ...c, S: ((S + 1n) % L).toString(), control: "S + 1 mod l" },
    ];
  });
  for (const c of controls) {
    const A = [F.e(BigInt(c.Ax)), F.e(BigInt(c.Ay))];
    assert.equal(eddsa.verifyPoseidon(F.e(BigInt(c.msg)), jsSig(c), A), false, `oracle control ${c.control}`);
  }

  const strip = ({ prv: _prv, control: _control, ...rest }) => rest;
  const answers = zkstatus("verify", [...cases, ...controls].map(strip));
  const mismatches = [];
  cases.forEach((c, i) => {
    const z = answers[i];
    if (z.native !== "ok" || z.circuit !== true) mismatches.push({ input: c, zkstatus: z });
  });
  controls.forEach((c, j) => {
    const z = answers[cases.length + j];
    if (z.native === "ok" || z.circuit !== false) mismatches.push({ control: c, zkstatus: z });
  });
  assertNoMismatches("circomlibjs → zkstatus", mismatches);
  assert.ok(cases.length >= 20 + EDGE_MESSAGES.length);
});

test("(c) Poseidon, arities 1..16: circomlibjs and zkstatus agree", async () => {
  const builds = {
    buildPoseidon: await buildPoseidon(),
    buildPoseidonReference: await buildPoseidonReference(),
    buildPoseidonOpt: await buildPoseidonOpt(),
  };
  const cases = [];
  for (let n = 1; n <= 16; n++) {
    for (let i = 0; i < 4; i++) {
      cases.push({ inputs: Array.from({ length: n }, () => randomField().toString()) });
    }
    cases.push({ inputs: Array(n).fill("0") });
    cases.push({ inputs: Array(n).fill((P - 1n).toString()) });
    cases.push({ inputs: Array.from({ length: n }, (_, k) => (k % 2 ? P - 1n : 1n).toString()) });
  }
  const answers = zkstatus("poseidon", cases);
  const mismatches = [];
  cases.forEach((c, i) => {
    const z = answers[i].output;
    const js = {};
    for (const [name, h] of Object.entries(builds)) {
      js[name] = h.F.toObject(h(c.inputs.map(BigInt))).toString();
    }
    if (Object.values(js).some((v) => v !== z)) {
      mismatches.push({ arity: c.inputs.length, inputs: c.inputs, zkstatus: z, circomlibjs: js });
    }
  });
  assertNoMismatches("Poseidon", mismatches);
  assert.equal(cases.length, 16 * 7);
});

test("circomlibjs is an acceptance oracle only: it accepts identity/small-order key forgeries, zkstatus does not", () => {
  // A = (0, 1) (identity) and (0, -1) (order 2): 8·hm·A = O, so
  // (R8, S) = (S·Base8, S) "verifies" for any message in circomlibjs.
  const keys = { identity: [0n, 1n], order2: [0n, P - 1n] };
  const cases = [];
  for (const [name, [ax, ay]] of Object.entries(keys)) {
    const msg = randomField();
    const S = 1n + (randomField() % (L - 1n));
    const R8 = babyJub.mulPointEscalar(babyJub.Base8, S);
    const A = [F.e(ax), F.e(ay)];
    assert.ok(eddsa.verifyPoseidon(F.e(msg), { R8, S }, A), `circomlibjs accepts the ${name} forgery`);
    cases.push({
      name,
      Ax: ax.toString(),
      Ay: ay.toString(),
      msg: msg.toString(),
      R8x: dec(R8[0]),
      R8y: dec(R8[1]),
      S: S.toString(),
    });
  }
  const answers = zkstatus("verify", cases.map(({ name: _n, ...c }) => c));
  cases.forEach((c, i) => {
    assert.notEqual(answers[i].native, "ok", `native rejects ${JSON.stringify(c)}`);
    assert.equal(answers[i].circuit, false, `circuit rejects ${JSON.stringify(c)}`);
  });
  assert.match(answers[0].native, /identity/);
  assert.match(answers[1].native, /subgroup/);
});
