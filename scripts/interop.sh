#!/usr/bin/env bash
# Cross-implementation tests against circomlibjs 0.1.7 (interop/README.md):
# installs the pinned npm dependencies if node_modules is missing or stale,
# builds the zkstatus `interop` example once (release), runs `npm test`.
# Needs node >= 20 and npm, and the npm registry on first run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/interop"

for tool in node npm cargo; do
  command -v "$tool" >/dev/null || { echo "interop: $tool not found" >&2; exit 1; }
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "interop: node >= 20 required, found $(node --version)" >&2
  exit 1
fi

# node_modules is current iff it was installed from this exact lockfile.
stamp=node_modules/.zkstatus-lock-sha256
want="$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "== npm ci"
  # No install scripts: blake-hash ships prebuilds and falls back to pure JS.
  npm ci --no-audit --no-fund --ignore-scripts
  echo "$want" >"$stamp"
fi

echo "== cargo build --release --example interop, onescan, ceremony_test_proof and ceremony_test_circuit, and the zkstatus CLI"
cargo build -q --release -p zkstatus-circuits --example interop
cargo build -q --release -p zkstatus-verifier --example onescan
cargo build -q --release -p zkstatus-cli
cargo build -q --release -p zkstatus-prover --example ceremony_test_proof
cargo build -q --release -p zkstatus-prover --example ceremony_test_circuit
target_dir="$(cargo metadata -q --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
export ZKSTATUS_INTEROP_BIN="$target_dir/release/examples/interop"
[[ -x "$ZKSTATUS_INTEROP_BIN" ]] || { echo "interop: no binary at $ZKSTATUS_INTEROP_BIN" >&2; exit 1; }
export ZKSTATUS_ONESCAN_BIN="$target_dir/release/examples/onescan"
[[ -x "$ZKSTATUS_ONESCAN_BIN" ]] || { echo "interop: no binary at $ZKSTATUS_ONESCAN_BIN" >&2; exit 1; }
export ZKSTATUS_BIN="$target_dir/release/zkstatus"
[[ -x "$ZKSTATUS_BIN" ]] || { echo "interop: no binary at $ZKSTATUS_BIN" >&2; exit 1; }

export ZKSTATUS_CEREMONY_PROOF_BIN="$target_dir/release/examples/ceremony_test_proof"
[[ -x "$ZKSTATUS_CEREMONY_PROOF_BIN" ]] || { echo "interop: no binary at $ZKSTATUS_CEREMONY_PROOF_BIN" >&2; exit 1; }

export ZKSTATUS_CEREMONY_CIRCUIT_BIN="$target_dir/release/examples/ceremony_test_circuit"
[[ -x "$ZKSTATUS_CEREMONY_CIRCUIT_BIN" ]] || { echo "interop: no binary at $ZKSTATUS_CEREMONY_CIRCUIT_BIN" >&2; exit 1; }

# The public phase 1 (Hermez powersOfTau28_hez_final_08.ptau) as the crate
# ppot-rs 0.1.1 ships it on crates.io: fetched (not built) through
# interop/phase1/Cargo.toml; ceremony.test.mjs checks its published hash.
echo "== cargo fetch: the public power-8 phase 1 (crate ppot-rs 0.1.1)"
cargo fetch -q --locked --manifest-path "$root/interop/phase1/Cargo.toml"
ZKSTATUS_PUBLIC_PTAU="$(cargo metadata -q --locked --format-version 1 --manifest-path "$root/interop/phase1/Cargo.toml" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="ppot-rs");console.log(require("path").dirname(p.manifest_path)+"/8.ptau")})')"
[[ -f "$ZKSTATUS_PUBLIC_PTAU" ]] || { echo "interop: no 8.ptau in the ppot-rs crate ($ZKSTATUS_PUBLIC_PTAU)" >&2; exit 1; }
export ZKSTATUS_PUBLIC_PTAU

echo "== npm test"
npm test
