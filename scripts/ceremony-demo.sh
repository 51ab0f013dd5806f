#!/usr/bin/env bash
# A three-contributor Groth16 ceremony for statement v2, end to end
# (issue [4/7], docs/ceremony.md):
#
#   export-r1cs -> phase 1 -> groth16 setup -> 3 x zkey contribute -> zkey beacon
#   -> zkey verify -> zkstatus ceremony import --snarkjs-verified
#   -> zkstatus holder prove -> zkstatus verify + snarkjs groth16 verify
#   -> zkstatus log ceremony (transcript hash + verifying-key fingerprint)
#   -> with --browser: the venue page in headless Chromium accepts proofs made
#      with the imported key (web/test/venue.test.mjs and bundle.test.mjs
#      with ZKSTATUS_TEST_KEYS_DIR=WORK/keys)
#
#   bash scripts/ceremony-demo.sh [--work-dir DIR] [--ptau FILE] [--beacon HEX]
#                                 [--zkstatus BIN] [--power N] [--browser]
#
#   --work-dir DIR  where every file goes (default: target/ceremony-demo);
#                   a rerun skips the steps whose output is already there
#                   (delete a file to redo its step and the steps after it)
#   --ptau FILE     a phase-1 file already prepared for phase 2
#                   (`powersoftau prepare phase2`), power >= 13, instead of
#                   making the local test-only one; e.g. the public Perpetual
#                   Powers of Tau file the runbook pins (check its hash first)
#   --beacon HEX    the beacon's public random value (the runbook: announced in
#                   advance, e.g. a future block hash); default: a fixed demo value
#   --zkstatus BIN  a built zkstatus (default: cargo build --release -p zkstatus-cli)
#   --power N       the local phase 1's power (default 13; statement v2 needs 2^13)
#   --browser       also run the venue page's Chromium tests with the imported
#                   keys (needs the built pages, bash scripts/build-web.sh, web/'s
#                   npm packages and Debian's chromium, as scripts/test-browser.sh)
#
# Needs node >= 20 and snarkjs 0.7.6 in interop/node_modules (bash
# scripts/interop.sh installs it). SLOW: the local powers of tau at 2^13
# dominates (tens of minutes on two shared cores; docs/ceremony.md has the
# measured times). Every step's wall time goes to WORK/timings.tsv.
#
# TEST ONLY: without --ptau, phase 1 is a LOCAL powers of tau made by one
# beacon with a public value, so anyone can recompute its trapdoor and forge
# proofs for these keys. It stands in for the public Perpetual Powers of Tau
# file (name and published hash pinned in docs/ceremony.md). The three
# "contributors" here are one machine. Never deploy keys from this script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

work="$root/target/ceremony-demo"
ptau_in=""
beacon="7f1c2a6b0e9d8c3b5a4f6e7d8c9b0a1f2e3d4c5b6a7988776655443322110000"
beacon_iter=10
# The local phase 1's beacon: public, so its trapdoor is public (TEST ONLY).
ptau_beacon="00000000000000000000000000000000000000000000000000000000000000a1"
zkstatus=""
power=13
browser=""
while (($#)); do
  case "$1" in
    --work-dir) work="$2"; shift 2 ;;
    --ptau) ptau_in="$2"; shift 2 ;;
    --beacon) beacon="$2"; shift 2 ;;
    --zkstatus) zkstatus="$2"; shift 2 ;;
    --power) power="$2"; shift 2 ;;
    --browser) browser=1; shift ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "ceremony-demo: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$beacon" =~ ^[0-9a-fA-F]{64}$ ]] || { echo "ceremony-demo: --beacon wants 64 hex digits" >&2; exit 2; }
(( power >= 13 )) || { echo "ceremony-demo: statement v2 needs power >= 13" >&2; exit 2; }

snarkjs_cli="$root/interop/node_modules/snarkjs/build/cli.cjs"
[[ -f "$snarkjs_cli" ]] ||
  { echo "ceremony-demo: no interop/node_modules/snarkjs; run bash scripts/interop.sh first" >&2; exit 1; }
snarkjs() { node "$snarkjs_cli" "$@"; }

mkdir -p "$work"
work="$(cd "$work" && pwd)"
timings="$work/timings.tsv"
[[ -f "$timings" ]] || printf 'step\tseconds\tload_before\tload_after\tfinished_utc\n' >"$timings"
load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { echo "[ceremony-demo $(date -u +%H:%M:%S)] $*"; }

# step NAME OUTPUT CMD...: run CMD unless OUTPUT exists; CMD writes OUTPUT.tmp,
# which becomes OUTPUT only on success (an interrupted run leaves no output,
# so a rerun redoes the step). Progress: a line when the step starts, one
# every minute while it runs, and its time when it ends.
step() {
  local name="$1" out="$2"; shift 2
  if [[ -e "$out" ]]; then say "$name: done before ($(basename "$out")), skipped"; return; fi
  local t0 l0; t0=$(date +%s); l0="$(load)"
  say "$name: started (load $l0)"
  # (sleep's output goes nowhere, so that a killed ticker leaves no process
  # holding a pipe the caller reads.)
  ( while sleep 60 >/dev/null 2>&1; do say "$name: still running, $(( $(date +%s) - t0 ))s (load $(load))"; done ) &
  local ticker=$!
  if ! "$@" >"$work/logs/$name.log" 2>&1; then
    kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
    say "$name: FAILED, see $work/logs/$name.log"; tail -20 "$work/logs/$name.log" >&2; exit 1
  fi
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  [[ -e "$out.tmp" ]] && mv "$out.tmp" "$out"
  [[ -e "$out" ]] || { say "$name: no $out written"; exit 1; }
  local secs=$(( $(date +%s) - t0 ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$secs" "$l0" "$(load)" "$(date -u +%FT%TZ)" >>"$timings"
  say "$name: done in ${secs}s"
}
mkdir -p "$work/logs"
entropy() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# 1. Phase 1 (first: it does not depend on the circuit, and it is the slow part).
if [[ -n "$ptau_in" ]]; then
  [[ -f "$ptau_in" ]] || { echo "ceremony-demo: no $ptau_in" >&2; exit 1; }
  ptau="$(cd "$(dirname "$ptau_in")" && pwd)/$(basename "$ptau_in")"
  say "phase 1: $ptau (given; sha256 $(sha256sum "$ptau" | cut -d' ' -f1))"
else
  say "phase 1: LOCAL TEST-ONLY powers of tau, power $power (stand-in for the public Perpetual Powers of Tau file)"
  step ptau-new "$work/pot_0000.ptau" snarkjs powersoftau new bn128 "$power" "$work/pot_0000.ptau.tmp"
  step ptau-beacon "$work/pot_beacon.ptau" snarkjs powersoftau beacon "$work/pot_0000.ptau" \
    "$work/pot_beacon.ptau.tmp" "$ptau_beacon" "$beacon_iter" -n="TEST-ONLY local phase 1 beacon"
  step ptau-prepare "$work/pot_final_TEST_ONLY.ptau" snarkjs powersoftau prepare phase2 \
    "$work/pot_beacon.ptau" "$work/pot_final_TEST_ONLY.ptau.tmp"
  ptau="$work/pot_final_TEST_ONLY.ptau"
fi

# 2. The CLI, and the circuit from the matrices proving uses (refused unless
#    they hash to the pinned circuit fingerprint).
if [[ -z "$zkstatus" ]]; then
  say "building zkstatus (release)"
  (cd "$root" && cargo build -q --release -p zkstatus-cli)
  target_dir="$(cd "$root" && cargo metadata -q --format-version 1 --no-deps |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
  zkstatus="$target_dir/release/zkstatus"
fi
[[ -x "$zkstatus" ]] || { echo "ceremony-demo: no zkstatus at $zkstatus" >&2; exit 1; }
zk() { "$zkstatus" "$@"; }

step export-r1cs "$work/statement.r1cs" zk ceremony export-r1cs "$work/statement.r1cs.tmp"
step r1cs-info "$work/r1cs-info.txt" bash -o pipefail -c \
  "node '$snarkjs_cli' r1cs info '$work/statement.r1cs' | sed 's/\x1b\[[0-9;]*m//g' >'$work/r1cs-info.txt.tmp'"

# 3. Phase 2: setup, three contributions (each with fresh entropy), the beacon.
step groth16-setup "$work/c0.zkey" snarkjs groth16 setup "$work/statement.r1cs" "$ptau" "$work/c0.zkey.tmp"
prev="$work/c0.zkey"
i=1
for who in alice bob carol; do
  step "contribute-$who" "$work/c$i.zkey" snarkjs zkey contribute "$prev" "$work/c$i.zkey.tmp" \
    --name="$who" -e="$(entropy)"
  prev="$work/c$i.zkey"; i=$((i + 1))
done
step zkey-beacon "$work/final.zkey" snarkjs zkey beacon "$prev" "$work/final.zkey.tmp" \
  "$beacon" "$beacon_iter" -n="final beacon"

# 4. Public verification: our r1cs, the phase 1, the final zkey. Its output
#    (contribution hashes, names, the beacon) is the transcript's core.
verify_zkey() {
  node "$snarkjs_cli" zkey verify "$work/statement.r1cs" "$ptau" "$work/final.zkey" >"$work/zkey-verify.raw" 2>&1 ||
    { cat "$work/zkey-verify.raw"; return 1; }
  grep -q "ZKey Ok!" "$work/zkey-verify.raw" || { cat "$work/zkey-verify.raw"; return 1; }
  sed 's/\x1b\[[0-9;]*m//g' "$work/zkey-verify.raw" >"$work/zkey-verify.txt.tmp"
}
step zkey-verify "$work/zkey-verify.txt" verify_zkey
step zkey-export-vk "$work/verification_key.json" snarkjs zkey export verificationkey \
  "$work/final.zkey" "$work/verification_key.json.tmp"

# 5. Import (only because step 4 passed on this very file).
import_keys() {
  mkdir -p "$work/keys"
  zk --json ceremony import "$work/final.zkey" --snarkjs-verified --out-dir "$work/keys" --force \
    >"$work/import.json.tmp"
}
step import "$work/import.json" import_keys
vk_fp="$(node -p 'require(process.argv[1]).vk_fingerprint_full' "$work/import.json")"

# 6. The transcript: what anyone can recompute from the published files. Its
#    SHA-256 and the verifying-key fingerprint go into the transparency log.
make_transcript() {
  {
    echo "zkstatus ceremony transcript v1 (docs/ceremony.md)"
    echo "statement.r1cs sha256 $(sha256sum "$work/statement.r1cs" | cut -d' ' -f1)"
    if [[ -n "$ptau_in" ]]; then
      echo "phase1 $(basename "$ptau") sha256 $(sha256sum "$ptau" | cut -d' ' -f1)"
    else
      echo "phase1 $(basename "$ptau") sha256 $(sha256sum "$ptau" | cut -d' ' -f1) TEST-ONLY local powers of tau"
    fi
    echo "final.zkey sha256 $(sha256sum "$work/final.zkey" | cut -d' ' -f1)"
    echo "beacon $beacon iterations 2^$beacon_iter"
    echo "vk fingerprint $vk_fp"
    echo "snarkjs zkey verify:"
    sed 's/^\[INFO\]  snarkJS: //' "$work/zkey-verify.txt"
  } >"$work/transcript.txt.tmp"
}
step transcript "$work/transcript.txt" make_transcript
transcript_hash="$(sha256sum "$work/transcript.txt" | cut -d' ' -f1)"

# 7. Prove with the imported key and verify it twice. Redone on every run:
#    a challenge expires, and this part takes seconds.
demo_prove() {
  local d="$work/proof"
  rm -rf "$d"; mkdir -p "$d"
  zk issuer keygen --out "$d/lab.key"
  # The registry's acts through its transparency log, then the bundle the
  # holder and the verifier take the root from.
  zk log init "$d/log" --origin demo.example/zkstatus-log --key-out "$d/log.key"
  zk registry create --log "$d/log" --out "$d/registry.bin"
  zk registry add --registry "$d/registry.bin" --log "$d/log" --key "$d/lab.key" --name "Demo Lab" --valid-for 365d
  zk registry publish --registry "$d/registry.bin" --log "$d/log" --overlap 0s
  zk log checkpoint "$d/log" --key "$d/log.key"
  zk log witness keygen --name witness.example --out "$d/w.key" --public-out "$d/w.pub"
  zk log witness cosign "$d/log" --key "$d/w.key" --log-key "$d/log/log.pub" --state "$d/w.state"
  zk log bundle "$d/log" --out "$d/registry.bundle"
  zk log trust --log-key "$d/log/log.pub" --witness "$d/w.pub" --out "$d/trust.json"
  local holder
  holder="$(zk --json holder keygen --out "$d/me.secret" | node -p 'JSON.parse(require("fs").readFileSync(0)).holder')"
  zk issuer issue --key "$d/lab.key" --holder "$holder" --test-type pcr \
    --test-time $(($(date +%s) - 18000)) --valid-for 2d --out "$d/me.credential"
  zk policy --pcr-max-age 72h --antigen-max-age 24h --min-exposure-gap 10d --out "$d/venue.policy"
  local challenge
  challenge="$(zk --json challenge | node -p 'JSON.parse(require("fs").readFileSync(0)).challenge')"
  zk holder prove --pk "$work/keys/zkstatus.pk" --credential "$d/me.credential" --secret "$d/me.secret" \
    --policy "$d/venue.policy" --registry "$d/registry.bin" --bundle "$d/registry.bundle" --trust "$d/trust.json" \
    --challenge "$challenge" --out "$d/payload.bin"
  zk verify --vk "$work/keys/zkstatus.vk" --bundle "$d/registry.bundle" --trust "$d/trust.json" --policy "$d/venue.policy" \
    --challenge "$challenge" "$d/payload.bin"
  zk export snarkjs --vk "$work/keys/zkstatus.vk" --policy "$d/venue.policy" --bundle "$d/registry.bundle" --trust "$d/trust.json" \
    --challenge "$challenge" --out-dir "$d/snarkjs" "$d/payload.bin"
  # The ceremony's own verification key (from the zkey, not from our import).
  node "$snarkjs_cli" groth16 verify "$work/verification_key.json" "$d/snarkjs/public.json" \
    "$d/snarkjs/proof.json" | tee "$d/snarkjs-verify.txt"
  grep -q "OK!" "$d/snarkjs-verify.txt"
  touch "$d/done.tmp"
}
rm -f "$work/proof/done"
step prove-and-verify "$work/proof/done" demo_prove

# 8. The transparency log: the ceremony's result, once.
log_result() {
  if [[ ! -d "$work/log" ]]; then
    zk log init "$work/log" --origin "demo.invalid/zkstatus-ceremony-log" --key-out "$work/log.key"
  fi
  zk log ceremony "$work/log" --transcript-hash "$transcript_hash" --vk-fingerprint "$vk_fp"
  echo "$transcript_hash $vk_fp" >"$work/logged.tmp"
}
step log-ceremony "$work/logged" log_result

# 9. The venue page in headless Chromium, with the imported keys: every test
#    of the venue page and of the registry bundle, on proofs the CLI makes
#    with the imported proving key. Redone on every run with --browser.
browser_tests() {
  [[ -f "$root/web/dist/venue/index.html" ]] ||
    { echo "no web/dist/venue: run bash scripts/build-web.sh first" >&2; return 1; }
  [[ -d "$root/web/node_modules/playwright-core" ]] ||
    (cd "$root/web" && npm ci --no-audit --no-fund)
  # (errexit is off inside step's `if`, so each failure returns by hand.)
  (cd "$root/web" && ZKSTATUS_TEST_KEYS_DIR="$work/keys" ZKSTATUS_CLI="$zkstatus" \
    node --test --test-reporter=spec test/venue.test.mjs test/bundle.test.mjs) \
    | tee "$work/browser.txt" || return 1
  touch "$work/browser.tmp"
}
if [[ -n "$browser" ]]; then
  rm -f "$work/browser"
  step venue-page-chromium "$work/browser" browser_tests
fi

say "ceremony done (TEST-ONLY phase 1 unless --ptau was the public file)"
say "  transcript    $work/transcript.txt  sha256 $transcript_hash"
say "  vk fingerprint $vk_fp"
say "  keys          $work/keys/zkstatus.pk, $work/keys/zkstatus.vk"
say "  timings       $timings"
column -t -s $'\t' "$timings" 2>/dev/null || cat "$timings"
