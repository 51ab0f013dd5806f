#!/usr/bin/env node
// Print the side-by-side table from the JSON that run.sh collected.
//
//   node report.mjs --zk1 z1.json --zkall zall.json --sj1 s1.json --sjall sall.json
//        [--machine machine.json] [--json out.json]
//
// Ratios are zkstatus / snarkjs: below 1 means zkstatus is faster or smaller.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    zk1: { type: "string" },
    zkall: { type: "string" },
    sj1: { type: "string" },
    sjall: { type: "string" },
    machine: { type: "string" },
    json: { type: "string" },
  },
});
const load = (f) => (f ? JSON.parse(readFileSync(f, "utf8")) : null);
const zk1 = load(opt.zk1);
const zkAll = load(opt.zkall);
const sj1 = load(opt.sj1);
const sjAll = load(opt.sjall);
const machine = load(opt.machine) ?? {};
const zk = zk1 ?? zkAll;
const sj = sj1 ?? sjAll;
if (!zk || !sj) throw new Error("need at least one zkstatus and one snarkjs result");

const int = (x) => (x == null ? "–" : Math.round(x).toLocaleString("en-US"));
const msf = (x) => (x == null ? "–" : `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`);
const bytes = (x) => (x == null ? "–" : `${int(x)} B`);
const ratio = (a, b) => (a == null || b == null ? "–" : (a / b).toFixed(2));

const rows = [];
const row = (label, a, b, fmt, note = "") => rows.push([label, fmt(a), fmt(b), ratio(a, b), note]);

row("constraints", zk.constraints, sj.constraints, int);
const zkThreads = (r) => (r?.rayon_num_threads ? `RAYON_NUM_THREADS=${r.rayon_num_threads}` : "");
const sjThreads = (r) => (r ? (r.ffjavascript_workers ? `${r.ffjavascript_workers} worker threads` : "main thread only") : "");
if (zk1 || sj1) {
  row("prove, 1 thread", zk1?.prove_ms_median, sj1?.prove_ms_median, msf, "snarkjs: groth16.prove");
  row("  snarkjs incl. witness", zk1?.prove_ms_median, sj1?.full_prove_ms_median, msf, "snarkjs: groth16.fullProve");
}
if (zkAll || sjAll) {
  row("prove, all threads", zkAll?.prove_ms_median, sjAll?.prove_ms_median, msf, "snarkjs: groth16.prove");
  row("  snarkjs incl. witness", zkAll?.prove_ms_median, sjAll?.full_prove_ms_median, msf, "snarkjs: groth16.fullProve");
}
const zkv = zkAll ?? zk1;
const sjv = sjAll ?? sj1;
row("verify", zkv.verify_ms_median, sjv.verify_ms_median, msf, "zkstatus: v2 gate path (decoding, root, challenge, pairing)");
row("  pairing check alone", zkv.verify_core_ms_median, sjv.verify_ms_median, msf, "zkstatus: decoded proof, inputs formed");
row("proving key", zk.pk_bytes, sj.zkey_bytes, bytes, "zkstatus.pk vs status_v2.zkey");
row("verifying key", zk.vk_bytes, sj.vk_json_bytes, bytes, "zkstatus.vk vs verification_key.json");
row("proof", zk.proof_bytes, sj.proof_raw_bytes, bytes, "compressed vs uncompressed points");
row("  proof as shipped", zk.payload_bytes, sj.proof_json_bytes, bytes, `${zk.payload_bytes}-byte v2 payload vs proof.json`);

const head = ["", "zkstatus", "snarkjs", "zk/snarkjs", ""];
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) =>
  r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(width[i]) : c.padStart(width[i]))).join("  ").trimEnd();

const out = [];
out.push(`zkstatus vs snarkjs ${sj.snarkjs_version}, the same statement (${zk.statement ?? "?"}, ${zk.mode ?? "?"}), one machine`);
if (machine.cpu) out.push(`machine: ${machine.cpu}, ${machine.cpus} CPUs; load average ${machine.load_before} before, ${machine.load_after} after`);
out.push(`medians of ${zk.prove_runs} proofs and ${zk.verify_runs} verifications per side (zkstatus) / ${sj.prove_runs} and ${sj.verify_runs} (snarkjs), after warm-up`);
out.push("");
out.push(line(head));
for (const r of rows) out.push(line(r));
out.push("");
out.push("threads:");
const par = (r) =>
  r.parallel === true ? " (arkworks `parallel` on)" : r.parallel === false ? " (arkworks without `parallel`: one thread whatever the setting)" : "";
if (zk1) out.push(`  zkstatus 1 thread:    ${zkThreads(zk1)}${par(zk1)}`);
if (zkAll) out.push(`  zkstatus all threads: ${zkThreads(zkAll)}${par(zkAll)}`);
if (sj1) out.push(`  snarkjs 1 thread:     ffjavascript single-thread mode (${sjThreads(sj1)})`);
if (sjAll) out.push(`  snarkjs all threads:  ffjavascript default (${sjThreads(sjAll)})`);
out.push(`public signals equal zkstatus's public inputs: ${sj.public_signals_match_zkstatus ? "yes" : "NOT CHECKED"}`);
out.push("zkstatus prove = holder::v2::prove with the key loaded (active root and registry path, statement check, witness, synthesis, Groth16, self-check)");
out.push(`snarkjs witness calculation alone: ${msf(sj1?.witness_ms_median ?? null)} (1 thread), ${msf(sjAll?.witness_ms_median ?? null)} (all threads)`);
const spread = (r) => (r ? `${msf(Math.min(...r.prove_ms_all))}–${msf(Math.max(...r.prove_ms_all))}` : "–");
out.push(`prove spread (min–max): zkstatus ${spread(zk1)} / ${spread(zkAll)}, snarkjs groth16.prove ${spread(sj1)} / ${spread(sjAll)} (1 thread / all threads)`);
console.log(out.join("\n"));

if (opt.json) {
  writeFileSync(opt.json, JSON.stringify({ machine, zkstatus_1: zk1, zkstatus_all: zkAll, snarkjs_1: sj1, snarkjs_all: sjAll }, null, 2) + "\n");
}
