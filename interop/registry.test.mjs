// Statement v2 against circomlibjs 0.1.7, with fresh random data on every run:
//
//   - the issuer registry: every leaf H5(ISSUER_LEAF_TAG, Ax, Ay, not_before,
//     not_after), the whole 4-ary tree (depth 6, empty leaf 0) and its root,
//     and every path's recomputed root, computed with circomlibjs'
//     buildPoseidon only, equal zkstatus' (circuits::registry);
//   - nullifiers H3(NULLIFIER_TAG, secret, scope) equal
//     statement::v2::Nullifier::new;
//   - one-scan scopes H3(SCOPE_TAG, operator_id, window_index), operator_id
//     the first 31 bytes of SHA-256 of the operator's name (or 0, global),
//     equal zkstatus_verifier::onescan.
//
// The tags are read from the Rust constants through the interop tool and
// checked against the ASCII strings read big-endian. Controls: a swapped
// sibling order or a wrong tag gives another root (or nullifier).
//
// ZKSTATUS_INTEROP_BIN: the circuits' `interop` example; ZKSTATUS_ONESCAN_BIN:
// the verifier's `onescan` example (scripts/interop.sh sets both). Without
// them each is run through `cargo run -q --release`.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildEddsa, buildPoseidon } from "circomlibjs";

/** BN254 scalar field modulus p. */
const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const ARITY = 4;
const DEPTH = 6;
const CAPACITY = ARITY ** DEPTH;
const SIZES = [1, 2, 5, 17, 300];
const U64_MAX = (1n << 64n) - 1n;
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** An ASCII string read as a big-endian integer. */
const asciiBE = (s) => BigInt("0x" + Buffer.from(s, "ascii").toString("hex"));

/** A uniformly random element of [0, P). */
function randomField() {
  for (;;) {
    const b = randomBytes(32);
    b[0] &= 0x3f;
    const x = BigInt("0x" + b.toString("hex"));
    if (x < P) return x;
  }
}

/** Run a zkstatus JSON-over-stdio tool on one request and return its answers. */
function runTool(envVar, pkg, example, mode, cases) {
  const bin = process.env[envVar];
  const [cmd, args] = bin
    ? [resolve(bin), []]
    : ["cargo", ["run", "-q", "--release", "-p", pkg, "--example", example]];
  const r = spawnSync(cmd, args, {
    cwd: REPO_ROOT,
    input: JSON.stringify({ mode, cases }),
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  const answer = JSON.parse(r.stdout);
  assert.equal(answer.mode, mode);
  assert.equal(answer.cases.length, cases.length, "one answer per case");
  return answer.cases;
}
const zkstatus = (mode, cases) =>
  runTool("ZKSTATUS_INTEROP_BIN", "zkstatus-circuits", "interop", mode, cases);
const onescan = (mode, cases) =>
  runTool("ZKSTATUS_ONESCAN_BIN", "zkstatus-verifier", "onescan", mode, cases);

let poseidon;
let eddsa;
let TAGS;

before(async () => {
  poseidon = await buildPoseidon();
  eddsa = await buildEddsa();
  const [t] = zkstatus("tags", [{}]);
  TAGS = { leaf: BigInt(t.issuer_leaf_tag), nullifier: BigInt(t.nullifier_tag) };
});

/** circomlibjs Poseidon of bigints, as a bigint. */
const H = (xs) => poseidon.F.toObject(poseidon(xs));

/** Fail with every mismatch listed, each with its exact inputs. */
function assertNoMismatches(what, mismatches) {
  assert.deepEqual(
    mismatches,
    [],
    `${what}: ${mismatches.length} disagreement(s) between circomlibjs and zkstatus:\n` +
      mismatches.map((m) => JSON.stringify(m, null, 1)).join("\n"),
  );
}

/** A random issuer: a key from prv2pub and a random non-empty window. */
function randomIssuer() {
  const A = eddsa.prv2pub(randomBytes(32));
  const F = eddsa.babyJub.F;
  const nb = BigInt(randomInt(1_577_836_800, 4_000_000_000));
  const na = nb + 1n + BigInt(randomInt(0, 3 * 365 * 86_400));
  return { Ax: F.toObject(A[0]).toString(), Ay: F.toObject(A[1]).toString(), not_before: nb.toString(), not_after: na.toString() };
}

/** circomlibjs' leaf hash (tag overridable for the control). */
const jsLeaf = (l, tag = TAGS.leaf) =>
  H([tag, BigInt(l.Ax), BigInt(l.Ay), BigInt(l.not_before), BigInt(l.not_after)]);

/** The whole tree, every level, every slot (no empty-subtree shortcut). */
function jsTree(leafHashes) {
  const levels = [Array.from({ length: CAPACITY }, (_, i) => leafHashes[i] ?? 0n)];
  for (let k = 0; k < DEPTH; k++) {
    const below = levels[k];
    const above = [];
    for (let i = 0; i < below.length; i += ARITY) above.push(H(below.slice(i, i + ARITY)));
    levels.push(above);
  }
  return levels;
}

/** The root a path gives: at level k the node sits at (index >> 2k) & 3 among its siblings. */
function jsPathRoot(leaf, index, siblings) {
  let node = leaf;
  for (let k = 0; k < DEPTH; k++) {
    const pos = (index >> (2 * k)) & 3;
    const children = [...siblings[k]];
    children.splice(pos, 0, node);
    node = H(children);
  }
  return node;
}

/** The siblings of leaf `index` from a full tree, in position order skipping its own. */
function jsSiblings(levels, index) {
  const out = [];
  let i = index;
  for (let k = 0; k < DEPTH; k++) {
    const first = i - (i % ARITY);
    const sib = [];
    for (let j = first; j < first + ARITY; j++) if (j !== i) sib.push(levels[k][j]);
    out.push(sib);
    i = Math.floor(i / ARITY);
  }
  return out;
}

const str = (xs) => xs.map((x) => x.toString());

// ---------------------------------------------------------------- tests

test("the tags are the Rust constants and the ASCII strings read big-endian", () => {
  assert.equal(TAGS.leaf, asciiBE("zkstatus.issuer"));
  assert.equal(TAGS.nullifier, asciiBE("zkstatus.nullifier"));
  assert.equal(TAGS.leaf, 635639581825605744674309778359805298n);
  assert.equal(TAGS.nullifier, 10664262562437861909241837178309932369929586n);
});

test(`registry of ${SIZES.join(", ")} random issuers: circomlibjs computes the same leaves, tree, root and paths`, () => {
  const registries = SIZES.map((n) => Array.from({ length: n }, randomIssuer));
  // Edge windows: the widest (0, 2^64 − 1) and the narrowest.
  registries[2][0] = { ...registries[2][0], not_before: "0", not_after: U64_MAX.toString() };
  registries[2][1] = { ...registries[2][1], not_before: "1700000000", not_after: "1700000001" };
  const answers = zkstatus("registry", registries.map((leaves) => ({ leaves })));
  const mismatches = [];
  registries.forEach((leaves, r) => {
    const z = answers[r];
    const hashes = leaves.map((l) => jsLeaf(l));
    leaves.forEach((l, i) => {
      if (hashes[i].toString() !== z.leaves[i]) mismatches.push({ leaf: l, circomlibjs: hashes[i].toString(), zkstatus: z.leaves[i] });
    });
    const levels = jsTree(hashes);
    const root = levels[DEPTH][0];
    if (root.toString() !== z.root) mismatches.push({ registry: r, size: leaves.length, root: root.toString(), zkstatus: z.root });
    assert.equal(z.paths.length, leaves.length);
    z.paths.forEach((p, i) => {
      const problems = [];
      if (p.index !== i) problems.push({ index: p.index });
      const sib = str(jsSiblings(levels, i).flat());
      if (JSON.stringify(sib) !== JSON.stringify(p.siblings.flat())) problems.push("siblings differ");
      // The path as zkstatus gave it, folded by circomlibjs.
      const folded = jsPathRoot(hashes[i], p.index, p.siblings.map((s) => s.map(BigInt)));
      if (folded !== root) problems.push({ foldedRoot: folded.toString() });
      if (p.root !== root.toString()) problems.push({ zkstatusPathRoot: p.root });
      if (problems.length) mismatches.push({ registry: r, leaf: i, problems });
    });
  });
  assertNoMismatches("registry", mismatches);
  assert.equal(answers.length, SIZES.length);
});

test("controls: a swapped sibling order or a wrong tag gives another root", () => {
  const leaves = Array.from({ length: 17 }, randomIssuer);
  const [z] = zkstatus("registry", [{ leaves }]);
  const root = BigInt(z.root);
  for (const i of [0, 5, 16]) {
    const p = z.paths[i];
    const sib = p.siblings.map((s) => s.map(BigInt));
    const leaf = BigInt(z.leaves[i]);
    assert.equal(jsPathRoot(leaf, p.index, sib), root);
    // Swap two siblings that differ, at the lowest level that has such a
    // pair (leaf 16's leaf-level and level-1 siblings are all empty
    // subtrees, so its pair is at level 2).
    const level = sib.findIndex((s) => s[0] !== s[1] || s[1] !== s[2]);
    assert.ok(level >= 0, `leaf ${i} has two different siblings somewhere`);
    const [a, b] = sib[level][0] !== sib[level][1] ? [0, 1] : [1, 2];
    const swapped = sib.map((s) => [...s]);
    [swapped[level][a], swapped[level][b]] = [swapped[level][b], swapped[level][a]];
    assert.notEqual(swapped[level][a], swapped[level][b], "the control swaps different values");
    assert.notEqual(jsPathRoot(leaf, p.index, swapped), root, `swapped siblings, leaf ${i}`);
    // The leaf at the wrong position (another index, same siblings).
    assert.notEqual(jsPathRoot(leaf, p.index ^ 1, sib), root, `wrong position, leaf ${i}`);
  }
  // A wrong tag: tag + 1, and no tag (Poseidon(4) of the bare fields).
  const wrongTag = leaves.map((l) => jsLeaf(l, TAGS.leaf + 1n));
  assert.notEqual(jsTree(wrongTag)[DEPTH][0], root);
  assert.notEqual(jsLeaf(leaves[0], TAGS.nullifier).toString(), z.leaves[0]);
  const untagged = H([BigInt(leaves[0].Ax), BigInt(leaves[0].Ay), BigInt(leaves[0].not_before), BigInt(leaves[0].not_after)]);
  assert.notEqual(untagged.toString(), z.leaves[0]);
});

test("nullifiers: circomlibjs computes H3(NULLIFIER_TAG, secret, scope) as zkstatus", () => {
  const cases = Array.from({ length: 24 }, () => ({ secret: randomField().toString(), scope: randomField().toString() }));
  for (const e of [0n, 1n, P - 1n]) {
    cases.push({ secret: e.toString(), scope: randomField().toString() });
    cases.push({ secret: randomField().toString(), scope: e.toString() });
  }
  const answers = zkstatus("nullifier", cases);
  const mismatches = [];
  cases.forEach((c, i) => {
    const js = H([TAGS.nullifier, BigInt(c.secret), BigInt(c.scope)]).toString();
    if (js !== answers[i].nullifier) mismatches.push({ input: c, circomlibjs: js, zkstatus: answers[i].nullifier });
    // Controls: another tag, or secret and scope swapped.
    assert.notEqual(H([TAGS.leaf, BigInt(c.secret), BigInt(c.scope)]).toString(), answers[i].nullifier);
    if (c.secret !== c.scope) {
      assert.notEqual(H([TAGS.nullifier, BigInt(c.scope), BigInt(c.secret)]).toString(), answers[i].nullifier);
    }
  });
  assertNoMismatches("nullifier", mismatches);
});

test("one-scan scopes: circomlibjs computes H3(SCOPE_TAG, operator_id, window_index) as zkstatus_verifier::onescan", () => {
  const [t] = onescan("tags", [{}]);
  const SCOPE_TAG = BigInt(t.scope_tag);
  assert.equal(SCOPE_TAG, asciiBE("zkstatus.scope"));
  assert.equal(SCOPE_TAG, 2482967116506272440134065252692069n);

  /** A random name: 1..64 bytes of printable ASCII, no space at either end. */
  const randomName = () => {
    const n = randomInt(1, 65);
    const chars = Array.from({ length: n }, () => String.fromCharCode(randomInt(0x20, 0x7f)));
    if (chars[0] === " ") chars[0] = "a";
    if (chars[n - 1] === " ") chars[n - 1] = "z";
    return chars.join("");
  };
  const randomStart = () => BigInt(randomInt(26_297_280, 68_373_408)) * 60n; // 2020..2100
  const cases = Array.from({ length: 24 }, () => ({ operator: randomName(), window_start: randomStart().toString() }));
  cases.push({ operator: null, window_start: randomStart().toString() });
  cases.push({ operator: "x".repeat(64), window_start: "0" });
  cases.push({ operator: "~", window_start: (((1n << 64n) - 1n) / 60n * 60n).toString() });
  const answers = onescan("scope", cases);
  const mismatches = [];
  cases.forEach((c, i) => {
    const z = answers[i];
    const id =
      c.operator === null
        ? 0n
        : BigInt("0x" + createHash("sha256").update(Buffer.from(c.operator, "ascii")).digest().subarray(0, 31).toString("hex"));
    const index = BigInt(c.window_start) / 60n;
    const scope = H([SCOPE_TAG, id, index]);
    if (z.error || z.operator_id !== id.toString() || z.window_index !== index.toString() || z.scope !== scope.toString()) {
      mismatches.push({ input: c, circomlibjs: { operator_id: id.toString(), scope: scope.toString() }, zkstatus: z });
    }
    // Controls: the next window, and another operator, give other scopes.
    assert.notEqual(H([SCOPE_TAG, id, index + 1n]).toString(), z.scope);
    assert.notEqual(H([SCOPE_TAG, id + 1n, index]).toString(), z.scope);
  });
  assertNoMismatches("scope", mismatches);

  // Refused: names zkstatus must not hash, and a misaligned start.
  const refused = [
    { operator: "", window_start: "60" },
    { operator: "x".repeat(65), window_start: "60" },
    { operator: "a\nb", window_start: "60" },
    { operator: "a\u007fb", window_start: "60" },
    { operator: "café", window_start: "60" },
    { operator: " a", window_start: "60" },
    { operator: "a ", window_start: "60" },
    { operator: "a", window_start: "61" },
  ];
  onescan("scope", refused).forEach((z, i) => assert.ok(z.error, `refused: ${JSON.stringify(refused[i])} → ${JSON.stringify(z)}`));
});
