#!/usr/bin/env bash
# The circom side of the peer benchmark (benches/peer/README.md): install the
# pinned npm packages, compile circuits/status.circom with circom2 (-O2), run a
# local powers-of-tau ceremony and a Groth16 setup with snarkjs, export the
# verifying key. Nothing is downloaded but the npm packages: the ceremony is
# generated here (development keys, not a real ceremony).
#
# Outputs go to benches/peer/build/; a step whose outputs exist (and were made
# from the same circuit and lockfile) is skipped. PEER_CLEAN=1 starts afresh.
# Prints each step's time and the constraint count.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

for tool in node npm sha256sum; do
  command -v "$tool" >/dev/null || { echo "setup: $tool not found" >&2; exit 1; }
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "setup: node >= 20 required, found $(node --version)" >&2
  exit 1
fi

[[ "${PEER_CLEAN:-0}" == 1 ]] && rm -rf build
mkdir -p build

step_start=0
step() { step_start="$EPOCHREALTIME"; printf '%-46s' "$*"; }
done_() { awk -v a="$step_start" -v b="$EPOCHREALTIME" -v m="${1:-}" 'BEGIN { printf "%8.2f s  %s\n", b - a, m }'; }
skip() { printf '%8s    %s\n' "-" "cached: $1"; }
# run LOG CMD...: run CMD with its output appended to LOG; on failure show LOG and stop.
run() {
  local log="$1"; shift
  "$@" >>"$log" 2>&1 || { echo; echo "setup: failed: $*" >&2; cat "$log" >&2; exit 1; }
}

# 1. npm packages, exactly as locked (no install scripts: none is needed).
stamp=node_modules/.zkstatus-lock-sha256
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
step "npm ci"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  skip "node_modules"
else
  run build/npm-ci.log npm ci --no-audit --no-fund --ignore-scripts
  echo "$want" >"$stamp"
  done_ "circom2 $(node -p 'require("./node_modules/circom2/package.json").version'), snarkjs $(node -p 'require("./node_modules/snarkjs/package.json").version'), circomlib $(node -p 'require("./node_modules/circomlib/package.json").version')"
fi
snarkjs=(node "$here/node_modules/snarkjs/build/cli.cjs")
circom2=(node "$here/node_modules/circom2/cli.js")

# Everything below depends on the circuit and on the locked packages.
circuit_id="$(cat circuits/status.circom "$stamp" | sha256sum | cut -d' ' -f1)"
if [[ "$(cat build/circuit.sha256 2>/dev/null)" != "$circuit_id" ]]; then
  rm -rf build/status.r1cs build/status.sym build/status_js build/status_*.zkey \
    build/status.zkey build/verification_key.json build/constraints.txt
fi

# 2. Compile. circom2 runs the compiler as WASM under WASI and only sees the
# current directory, so paths are relative.
step "compile (circom2 --O2 --r1cs --wasm --sym)"
if [[ -f build/status.r1cs && -f build/status_js/status.wasm && -f build/status.sym ]]; then
  skip "build/status.r1cs, build/status_js/status.wasm"
else
  run build/compile.log "${circom2[@]}" circuits/status.circom --O2 --r1cs --wasm --sym -o build
  echo "$circuit_id" >build/circuit.sha256
  done_ "$("${circom2[@]}" --version 2>/dev/null | tail -n1)"
fi

step "constraints (snarkjs r1cs info)"
rm -f build/r1cs-info.log
run build/r1cs-info.log "${snarkjs[@]}" r1cs info build/status.r1cs
constraints="$(sed -n 's/.*# of Constraints: \([0-9]*\).*/\1/p' build/r1cs-info.log)"
public="$(sed -n 's/.*# of Public Inputs: \([0-9]*\).*/\1/p' build/r1cs-info.log)"
[[ -n "$constraints" && -n "$public" ]] || { cat build/r1cs-info.log >&2; exit 1; }
echo "$constraints" >build/constraints.txt
done_ "$constraints constraints, $public public inputs"

# 3. Powers of tau, generated locally: the smallest power whose domain holds
# the constraints plus the public inputs plus one (snarkjs's Groth16 domain).
power=1
while (( (1 << power) < constraints + public + 1 )); do power=$((power + 1)); done
(( power >= 8 )) || power=8
ptau0=build/pot${power}_0000.ptau
ptau1=build/pot${power}_0001.ptau
ptau=build/pot${power}_final.ptau
entropy() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

step "powersoftau new bn128 $power"
if [[ -f "$ptau" || -f "$ptau0" ]]; then skip "$( [[ -f "$ptau" ]] && echo "$ptau" || echo "$ptau0")"; else
  run build/ptau.log "${snarkjs[@]}" powersoftau new bn128 "$power" "$ptau0.tmp"
  mv "$ptau0.tmp" "$ptau0"
  done_ "$ptau0"
fi
step "powersoftau contribute (random entropy)"
if [[ -f "$ptau" || -f "$ptau1" ]]; then skip "$( [[ -f "$ptau" ]] && echo "$ptau" || echo "$ptau1")"; else
  run build/ptau.log "${snarkjs[@]}" powersoftau contribute "$ptau0" "$ptau1.tmp" \
    --name="zkstatus peer bench" -e="$(entropy)"
  mv "$ptau1.tmp" "$ptau1"
  done_ "$ptau1"
fi
step "powersoftau prepare phase2"
if [[ -f "$ptau" ]]; then skip "$ptau"; else
  run build/ptau.log "${snarkjs[@]}" powersoftau prepare phase2 "$ptau1" "$ptau.tmp"
  mv "$ptau.tmp" "$ptau"
  rm -f "$ptau0" "$ptau1"
  done_ "$ptau"
fi

# 4. Groth16 circuit-specific setup, one contribution, verifying key.
step "groth16 setup"
if [[ -f build/status.zkey || -f build/status_0000.zkey ]]; then skip "$( [[ -f build/status.zkey ]] && echo build/status.zkey || echo build/status_0000.zkey)"; else
  run build/zkey.log "${snarkjs[@]}" groth16 setup build/status.r1cs "$ptau" build/status_0000.zkey.tmp
  mv build/status_0000.zkey.tmp build/status_0000.zkey
  done_ "build/status_0000.zkey"
fi
step "zkey contribute (random entropy)"
if [[ -f build/status.zkey ]]; then skip "build/status.zkey"; else
  run build/zkey.log "${snarkjs[@]}" zkey contribute build/status_0000.zkey build/status.zkey.tmp \
    --name="zkstatus peer bench" -e="$(entropy)"
  mv build/status.zkey.tmp build/status.zkey
  rm -f build/status_0000.zkey
  done_ "build/status.zkey ($(stat -c %s build/status.zkey) bytes)"
fi
step "zkey export verificationkey"
if [[ -f build/verification_key.json ]]; then skip "build/verification_key.json"; else
  run build/zkey.log "${snarkjs[@]}" zkey export verificationkey build/status.zkey build/verification_key.json
  done_ "build/verification_key.json"
fi
echo "setup: circom statement ready, $constraints constraints (build/)"
