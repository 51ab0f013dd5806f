#!/usr/bin/env bash
# The project's test command (README): formatting, lints and docs
# (scripts/lint.sh), the whole test suite, and a check that no test
# rewrote a frozen fixture or doc.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

# clippy (host, default and all features; wasm32 for the WASM crates) and
# cargo doc, warnings denied.
bash scripts/lint.sh

echo "== the verifier crates link no proving code"
for crate in zkstatus-verifier zkstatus-verifier-wasm; do
  if cargo tree -p "$crate" -e normal --prefix none | grep -E '^(ark-r1cs-std|ark-relations|ark-groth16|ark-snark|rayon|ark-crypto-primitives) '; then
    echo "$crate depends on the proving stack (above)" >&2
    exit 1
  fi
done

echo "== cargo test"
cargo test --workspace

echo "== frozen fixtures and generated docs unchanged"
git diff --exit-code -- . ':(exclude)Cargo.lock'
