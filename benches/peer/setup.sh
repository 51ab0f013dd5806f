#!/usr/bin/env bash
# The circom side of the peer benchmark (benches/peer/README.md): install the
# pinned npm packages, compile circuits/status_v2.circom (statement v2,
# docs/circuit.md §12) with circom2 (-O2), run a local powers-of-tau ceremony
# and a Groth16 setup with snarkjs, export the verifying key. Nothing is
# downloaded but the npm packages: the ceremony is generated here
# (development keys, not a real ceremony).
#
# Outputs go to benches/peer/build/v2/ (status_v2.r1cs, status_v2_js/,
# status_v2.zkey, verification_key.json); the powers-of-tau files stay in
# build/ (the power is chosen from the constraint count: 2^14). A step whose
# outputs exist (and were made from the same circuit and lockfile) is
# skipped. PEER_CLEAN=1 starts afresh (build/v2 only; the ptau is kept).
# Prints each step's time and the constraint count.
#
# Statement v1's port (circuits/status.circom, PEER_STATEMENT=v1) is gone
# with statement v1; PEER_STATEMENT=v2 is accepted and is the only choice.
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

# The statement: its circuit, its output directory and file names.
case "${PEER_STATEMENT:-v2}" in
  v2) name=status_v2; out=build/v2 ;;
  *) echo "setup: only statement v2 is benchmarked (PEER_STATEMENT=v2; v1's port was removed)" >&2; exit 2 ;;
esac

[[ "${PEER_CLEAN:-0}" == 1 ]] && rm -rf "$out"
mkdir -p build "$out"

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
circuit_id="$(cat "circuits/$name.circom" "$stamp" | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$out/circuit.sha256" 2>/dev/null)" != "$circuit_id" ]]; then
  rm -rf "$out/$name.r1cs" "$out/$name.sym" "$out/${name}_js" "$out/${name}"_*.zkey \
    "$out/$name.zkey" "$out/verification_key.json" "$out/constraints.txt"
fi

# 2. Compile. circom2 runs the compiler as WASM under WASI and only sees the
# current directory, so paths are relative.
step "compile (circom2 --O2 --r1cs --wasm --sym)"
if [[ -f "$out/$name.r1cs" && -f "$out/${name}_js/$name.wasm" && -f "$out/$name.sym" ]]; then
  skip "$out/$name.r1cs, $out/${name}_js/$name.wasm"
else
  run "$out/compile.log" "${circom2[@]}" "circuits/$name.circom" --O2 --r1cs --wasm --sym -o "$out"
  echo "$circuit_id" >"$out/circuit.sha256"
  done_ "$("${circom2[@]}" --version 2>/dev/null | tail -n1)"
fi

step "constraints (snarkjs r1cs info)"
rm -f "$out/r1cs-info.log"
run "$out/r1cs-info.log" "${snarkjs[@]}" r1cs info "$out/$name.r1cs"
constraints="$(sed -n 's/.*# of Constraints: \([0-9]*\).*/\1/p' "$out/r1cs-info.log")"
public="$(sed -n 's/.*# of Public Inputs: \([0-9]*\).*/\1/p' "$out/r1cs-info.log")"
[[ -n "$constraints" && -n "$public" ]] || { cat "$out/r1cs-info.log" >&2; exit 1; }
echo "$constraints" >"$out/constraints.txt"
done_ "$constraints constraints, $public public inputs"

# 3. Powers of tau, generated locally: the smallest power whose domain holds
# the constraints plus the public inputs plus one (snarkjs's Groth16 domain):
# 2^14 for v2 (8,390 + 10 + 1 > 8,192).
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
zkey="$out/$name.zkey"
zkey0="$out/${name}_0000.zkey"
step "groth16 setup"
if [[ -f "$zkey" || -f "$zkey0" ]]; then skip "$( [[ -f "$zkey" ]] && echo "$zkey" || echo "$zkey0")"; else
  run "$out/zkey.log" "${snarkjs[@]}" groth16 setup "$out/$name.r1cs" "$ptau" "$zkey0.tmp"
  mv "$zkey0.tmp" "$zkey0"
  done_ "$zkey0"
fi
step "zkey contribute (random entropy)"
if [[ -f "$zkey" ]]; then skip "$zkey"; else
  run "$out/zkey.log" "${snarkjs[@]}" zkey contribute "$zkey0" "$zkey.tmp" \
    --name="zkstatus peer bench" -e="$(entropy)"
  mv "$zkey.tmp" "$zkey"
  rm -f "$zkey0"
  done_ "$zkey ($(stat -c %s "$zkey") bytes)"
fi
step "zkey export verificationkey"
if [[ -f "$out/verification_key.json" ]]; then skip "$out/verification_key.json"; else
  run "$out/zkey.log" "${snarkjs[@]}" zkey export verificationkey "$zkey" "$out/verification_key.json"
  done_ "$out/verification_key.json"
fi
echo "setup: circom statement v2 ready, $constraints constraints ($out/)"
