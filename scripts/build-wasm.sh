#!/usr/bin/env bash
# Builds the browser verifier's npm package into verifier-wasm/pkg/
# (gitignored) on a fresh machine:
#
#   1. rustup target add wasm32-unknown-unknown (a no-op when installed);
#   2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in
#      Cargo.lock, from crates.io, unless that version is already installed
#      (the CLI and the crate must match; the first install takes ~10 min);
#   3. cargo build --release --target wasm32-unknown-unknown, size-tuned;
#   4. wasm-bindgen --target web: an ES module for browsers and bundlers;
#      the package's node.js entry instantiates the same module
#      synchronously from the file system (initSync + readFileSync), so
#      Node >= 20 imports it as is (no fetch of file: URLs needed);
#   5. the package: glue, .wasm, the wrapper (index.js, node.js), the
#      TypeScript declarations (wasm-bindgen's and the wrapper's),
#      package.json and README.md from verifier-wasm/npm/; a smoke test
#      (Node verifies the frozen fixture);
#   6. wasm-opt, only if on PATH; kept only if the result still passes the
#      smoke test (Debian bookworm's binaryen 108 breaks wasm-bindgen's
#      externref table; binaryen 123 works);
#   7. prints the .wasm size, raw and gzipped.
#
# Environment: ZKSTATUS_WASM_FEATURES (cargo features, e.g.
# console-panic-hook); ZKSTATUS_WASM_OPT=0 to skip wasm-opt;
# ZKSTATUS_WASM_OPT_LEVEL (default -Oz); CARGO_PROFILE_RELEASE_OPT_LEVEL and
# CARGO_PROFILE_RELEASE_LTO override the size tuning.
# Needs rustup/cargo, node >= 20 and gzip.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

crate=zkstatus-verifier-wasm
lib=zkstatus_verifier_wasm
name=zkstatus_verifier
triple=wasm32-unknown-unknown
out="$root/verifier-wasm/pkg"
src="$root/verifier-wasm/npm"
fixture="$root/prover/tests/fixtures/v2"

me=build-wasm
# shellcheck source=lib/wasm.sh
source "$root/scripts/lib/wasm.sh"
wasm_prepare
wasm_bindgen_ensure

echo "== cargo build --release --target $triple -p $crate"
# Size-tuned release settings, for this target only (the wasm32 artifacts
# live in their own directory of the shared target dir, so host release
# builds are untouched): opt-level "s" with fat LTO makes the .wasm 40%
# smaller than the workspace's opt-level 3 / thin LTO (113 KB against
# 188 KB gzipped) for about 15% more verify time (~9 ms against ~8 ms in
# Node 20).
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-s}"
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-fat}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
wasm_build_and_bind

echo "== package"
cp "$src/index.js" "$src/index.d.ts" "$src/node.js" "$src/node.d.ts" "$src/README.md" "$out/"
wasm_package_json "$src/package.json" "$out/package.json"

# The package's Node entry: a gate for the frozen v2 fixture's operator
# accepts its one-scan pass once (no challenge needed), then refuses it.
smoke() {
  FIXTURE="$fixture" node --input-type=module -e '
    const { Gate } = await import(process.argv[1]);
    const { readFileSync } = await import("node:fs");
    const f = (n) => readFileSync(process.env.FIXTURE + "/" + n);
    const b = (n) => readFileSync(process.env.BUNDLE_DIR + "/" + n);
    const now = BigInt(f("now.txt").toString().trim()) + 5n;
    const registry = { bundle: b("registry.bundle"), trust: b("trust.json").toString(), now };
    const g = new Gate(f("zkstatus.vk"), registry, f("policy.json").toString(),
      { origin: "smoke", operator: f("operator.txt").toString().trim(), modes: ["one-scan"] });
    const r = g.verify(f("payload-onescan.bin"), now);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const again = g.verify(f("payload-onescan.txt").toString(), now);
    if (again.code !== "nullifier-used") throw new Error(JSON.stringify(again));
  ' "$out/node.js"
}
echo "== smoke test"
# The frozen fixture's roots as a registry bundle (the package takes roots
# only from a bundle): a test log with seeded keys, cosigned at the
# fixture's time; built for the host with the workspace's release settings.
bundle_dir="$(mktemp -d)"
trap 'rm -rf "$bundle_dir"' EXIT
env -u CARGO_PROFILE_RELEASE_OPT_LEVEL -u CARGO_PROFILE_RELEASE_LTO -u CARGO_PROFILE_RELEASE_CODEGEN_UNITS \
  cargo run -q --release -p "$crate" --example bundle_for_roots -- \
  "$fixture/roots.json" "$(cat "$fixture/now.txt")" "$bundle_dir"
export BUNDLE_DIR="$bundle_dir"
smoke

wasm_out="$out/${name}_bg.wasm"
wasm_opt_checked "${ZKSTATUS_WASM_OPT_LEVEL:--Oz}"
wasm_report "$out"
