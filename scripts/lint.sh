#!/usr/bin/env bash
# Lints and API docs, all with warnings denied (part of scripts/test.sh;
# runs alone too):
#
#   1. clippy on the host, every target (tests, examples, benches), with the
#      default features and with --all-features (console-panic-hook,
#      parallel, …: code behind a feature is linted too);
#   2. clippy on wasm32-unknown-unknown for both WASM crates, with their
#      default features (as scripts/build-*wasm.sh build them) and with
#      --all-features (their `cfg(target_family = "wasm")` code, src/wasm.rs,
#      only exists there);
#   3. cargo doc --no-deps for the workspace, and for wasm32 for both WASM
#      crates: broken intra-doc links and every other rustdoc warning fail.
#
# Needs rustup (the wasm32 target, from rust-toolchain.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo clippy -D warnings (default features)"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo clippy -D warnings (--all-features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

# A no-op when rustup installed it with the toolchain (rust-toolchain.toml),
# needed when the toolchain was installed before the file named the target.
rustup target add wasm32-unknown-unknown
wasm=(--target wasm32-unknown-unknown -p zkstatus-verifier-wasm -p zkstatus-holder-wasm)
echo "== cargo clippy -D warnings (wasm32-unknown-unknown: both WASM crates, as built and --all-features)"
cargo clippy "${wasm[@]}" --all-targets -- -D warnings
cargo clippy "${wasm[@]}" --all-targets --all-features -- -D warnings

echo "== cargo doc --no-deps -D warnings (broken intra-doc links denied)"
RUSTDOCFLAGS="${RUSTDOCFLAGS:-} -D warnings" cargo doc --no-deps --workspace --all-features

echo "== cargo doc --no-deps -D warnings (wasm32-unknown-unknown: both WASM crates' src/wasm.rs)"
RUSTDOCFLAGS="${RUSTDOCFLAGS:-} -D warnings" cargo doc --no-deps "${wasm[@]}" --all-features
