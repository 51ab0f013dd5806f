#!/usr/bin/env bash
# zkstatus and snarkjs side by side on this machine, in one run, on the same
# statement (v2, docs/circuit.md §12) and the same inputs (benches/peer/README.md):
#
#   1. setup.sh: circuits/status_v2.circom compiled and set up (cached in build/);
#   2. `zkstatus demo` makes a registry of issuers with its roots, a holder, a
#      credential, a policy and the zkstatus v2 keys; `zkstatus challenge`
#      a gate's challenge (ZKC2:…, its issue time is the statement's `now`);
#      `zkstatus registry path` the credential issuer's registry path;
#      input.mjs turns these files into the circom input;
#   3. statement-check.mjs (rules 1–7 in depth, on the demo's credential and
#      an exposed one) and statement-check-v2.mjs (peer_input_v2's 33 inputs
#      with zkstatus's verdicts, rules 8–10, and two proofs): the circom
#      statement accepts and refuses what zkstatus accepts and refuses;
#   4. zkstatus proves and verifies (examples/peer.rs, release), with 1 thread
#      and with all threads;
#   5. snarkjs proves and verifies in one Node process (snarkjs-bench.mjs),
#      single-threaded and with its worker threads, checking that its proof
#      verifies and that its public signals equal zkstatus's public inputs;
#   6. report.mjs prints the table and the ratios zkstatus/snarkjs.
#
# Environment: PEER_PROVE_RUNS (10), PEER_VERIFY_RUNS (50), PEER_WARMUP (2),
# PEER_THREADS ("1 all": which thread settings to run), PEER_CHECK (1; 0 skips
# step 3), PEER_KEEP (0; 1 keeps the temporary directory), ZKSTATUS_PEER_BIN
# (a prebuilt peer example to use instead of building one).
# Not part of the default test run: nothing in scripts/test.sh or .ci/run calls it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prove_runs="${PEER_PROVE_RUNS:-10}"
verify_runs="${PEER_VERIFY_RUNS:-50}"
warmup="${PEER_WARMUP:-2}"
threads="${PEER_THREADS:-1 all}"
for v in "$prove_runs" "$verify_runs" "$warmup"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "run: PEER_PROVE_RUNS, PEER_VERIFY_RUNS, PEER_WARMUP must be numbers" >&2; exit 2; }
done
for tool in node npm cargo; do
  command -v "$tool" >/dev/null || { echo "run: $tool not found" >&2; exit 1; }
done

echo "== setup (benches/peer/setup.sh)"
bash "$here/setup.sh"

echo
echo "== build: zkstatus CLI and the peer example (release)"
cd "$root"
target_dir="$(cargo metadata -q --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
cargo build -q --release -p zkstatus-cli
zkstatus="$target_dir/release/zkstatus"
if [[ -n "${ZKSTATUS_PEER_BIN:-}" ]]; then
  peer="$ZKSTATUS_PEER_BIN"
else
  cargo build -q --release -p zkstatus-benches --example peer
  peer="$target_dir/release/examples/peer"
fi
[[ -x "$peer" ]] || { echo "run: no peer example at $peer" >&2; exit 1; }
# Is arkworks built multi-threaded for the example? (benches' `parallel` feature)
if cargo tree -q -p zkstatus-benches -e features -i ark-ec 2>/dev/null | grep -q 'ark-ec feature "parallel"'; then
  zk_parallel=true
else
  zk_parallel=false
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/zkstatus-peer.XXXXXX")"
if [[ "${PEER_KEEP:-0}" == 1 ]]; then
  echo "(keeping $work)"
else
  trap 'rm -rf "$work"' EXIT
fi

echo
echo "== the same inputs for both: zkstatus demo --dir <tmp>, a challenge, the issuer's registry path"
"$zkstatus" demo --dir "$work" --force --no-qr >"$work/demo.log" || { cat "$work/demo.log" >&2; exit 1; }
json() { node -p "JSON.parse(require('fs').readFileSync(0, 'utf8'))$1"; }
# A gate's challenge: the statement's `now` is its issue time.
challenge="$("$zkstatus" --json challenge --origin https://venue.example | json .challenge)"
now="$(node -e 'import("'"$here"'/input.mjs").then(m => console.log(String(m.parseOffer(process.argv[1]).now)))' "$challenge")"
issuer="$(json .issuer <"$work/credential.json")"
# The holder's path to its issuer's leaf, in the registry active now.
"$zkstatus" --json registry path --registry "$work/registry.bin" --public-key "$issuer" >"$work/path.json"
node "$here/input.mjs" --dir "$work" --challenge "$challenge" --path "$work/path.json" --out "$work/input.json"
echo "credential, holder secret, policy, registry (epoch $(json .epoch <"$work/path.json"), issuer at leaf $(json .index <"$work/path.json")), roots and keys in $work"
echo "challenge $challenge, now $now"

if [[ "${PEER_CHECK:-1}" != 0 ]]; then
  echo
  echo "== is it the same statement? (statement-check.mjs, statement-check-v2.mjs)"
  # A second credential with an exposure on record, rapid antigen, same issuer and holder.
  holder="$(json .holder <"$work/holder.secret")"
  "$zkstatus" issuer issue --key "$work/issuer.key" --holder "$holder" --test-type rapid_antigen \
    --test-time $((now - 2 * 3600)) --exposure-time $((now - 20 * 86400)) --issued-at $((now - 3600)) \
    --valid-for 1d --out "$work/exposed.json" >/dev/null
  node "$here/input.mjs" --dir "$work" --credential "$work/exposed.json" --challenge "$challenge" \
    --path "$work/path.json" --out "$work/exposed-input.json"
  node "$here/statement-check.mjs" --input "$work/input.json" --exposed "$work/exposed-input.json" >"$work/check.log" ||
    { cat "$work/check.log"; exit 1; }
  tail -n1 "$work/check.log"
  cargo build -q --release -p zkstatus-benches --example peer_input_v2
  "$target_dir/release/examples/peer_input_v2" >"$work/cases.json"
  node "$here/statement-check-v2.mjs" --cases "$work/cases.json" \
    --zkey "$here/build/v2/status_v2.zkey" --vk "$here/build/v2/verification_key.json" >"$work/check-v2.log" ||
    { cat "$work/check-v2.log"; exit 1; }
  tail -n1 "$work/check-v2.log"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
ncpu="$(nproc)"
load_before="$(load)"
echo
echo "== timing: $prove_runs proofs and $verify_runs verifications per side and thread setting (load average $load_before)"
zk() { # zk THREADS OUT
  RAYON_NUM_THREADS="$1" "$peer" --dir "$work" --challenge "$challenge" \
    --prove-runs "$prove_runs" --verify-runs "$verify_runs" --warmup "$warmup" >"$2"
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));r.parallel=process.argv[2]==="true";require("fs").writeFileSync(process.argv[1],JSON.stringify(r))' "$2" "$zk_parallel"
  node -p 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));`zkstatus RAYON_NUM_THREADS=${r.rayon_num_threads}: prove ${r.prove_ms_median} ms, verify ${r.verify_ms_median} ms`' "$2"
}
sj() { # sj THREADS OUT
  node "$here/snarkjs-bench.mjs" --input "$work/input.json" --expect-public "$work/public.json" --threads "$1" \
    --prove-runs "$prove_runs" --verify-runs "$verify_runs" --warmup "$warmup" >"$2"
  node -p 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));`snarkjs threads=${r.threads} (${r.ffjavascript_workers} workers): prove ${r.prove_ms_median} ms, fullProve ${r.full_prove_ms_median} ms, verify ${r.verify_ms_median} ms`' "$2"
}
args=()
for t in $threads; do
  case "$t" in
    1)   zk 1 "$work/zk-1.json"; args+=(--zk1 "$work/zk-1.json") ;;
    all) zk "$ncpu" "$work/zk-all.json"; args+=(--zkall "$work/zk-all.json") ;;
    *)   echo "run: PEER_THREADS takes 1 and/or all" >&2; exit 2 ;;
  esac
  if [[ ! -f "$work/public.json" ]]; then
    node -p 'JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1])).public_signals)' \
      "${args[1]}" >"$work/public.json"
  fi
  case "$t" in
    1)   sj 1 "$work/sj-1.json"; args+=(--sj1 "$work/sj-1.json") ;;
    all) sj all "$work/sj-all.json"; args+=(--sjall "$work/sj-all.json") ;;
  esac
done
load_after="$(load)"
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({cpu: process.argv[2], cpus: Number(process.argv[3]), load_before: process.argv[4], load_after: process.argv[5]}))' \
  "$work/machine.json" "$cpu" "$ncpu" "$load_before" "$load_after"

echo
node "$here/report.mjs" "${args[@]}" --machine "$work/machine.json" --json "$here/build/last-run.json"
echo "(all numbers also in benches/peer/build/last-run.json)"
