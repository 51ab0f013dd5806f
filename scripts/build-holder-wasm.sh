#!/usr/bin/env bash
# Builds the holder's npm package (the prover in WebAssembly) into
# holder-wasm/pkg/ (gitignored) on a fresh machine:
#
#   1. rustup target add wasm32-unknown-unknown (a no-op when installed);
#   2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in
#      Cargo.lock, from crates.io, unless that version is already installed
#      (the CLI and the crate must match; the first install takes ~10 min);
#   3. cargo build --release --target wasm32-unknown-unknown, tuned for
#      speed (opt-level 3, fat LTO, one codegen unit): proving is the
#      holder's wait, the download is ~0.3 MB either way (see below);
#   4. wasm-bindgen --target web: an ES module for browsers and bundlers;
#      the package's node.js entry instantiates the same module
#      synchronously from the file system, so Node >= 20 imports it as is;
#   5. the package: glue, .wasm, the wrapper (index.js, node.js), the
#      TypeScript declarations, package.json and README.md from
#      holder-wasm/npm/; a smoke test in Node (the frozen fixture's
#      credential is green; a bogus key is refused; and, when the zkstatus
#      CLI is built, a proof from a fresh demo verifies natively);
#   6. wasm-opt, only if on PATH; kept only if the result still passes the
#      smoke test (see scripts/build-wasm.sh on binaryen versions);
#   7. prints the .wasm size, raw and gzipped.
#
# Environment: ZKSTATUS_WASM_FEATURES (cargo features, e.g.
# console-panic-hook); ZKSTATUS_WASM_SIMD=1 adds -C target-feature=+simd128
# (measured no faster: see holder-wasm/README.md); ZKSTATUS_WASM_OPT=0 to
# skip wasm-opt; ZKSTATUS_WASM_OPT_LEVEL (default -O3);
# CARGO_PROFILE_RELEASE_OPT_LEVEL / _LTO / _CODEGEN_UNITS override the speed
# tuning;
# ZKSTATUS_HOLDER_PKG_OUT another output directory (e.g. to compare two builds);
# CARGO_TARGET_DIR as usual (default: the workspace's target/; another
# build holding its lock just makes this one wait).
# Needs rustup/cargo, node >= 20 and gzip.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

crate=zkstatus-holder-wasm
lib=zkstatus_holder_wasm
name=zkstatus_holder
triple=wasm32-unknown-unknown
out="${ZKSTATUS_HOLDER_PKG_OUT:-$root/holder-wasm/pkg}"
src="$root/holder-wasm/npm"
fixture="$root/prover/tests/fixtures/v2"

me=build-holder-wasm
# shellcheck source=lib/wasm.sh
source "$root/scripts/lib/wasm.sh"
wasm_prepare
wasm_bindgen_ensure

echo "== cargo build --release --target $triple -p $crate"
# Speed-tuned release settings, for this target only (the wasm32 artifacts
# live in their own directory of the shared target dir, so host release
# builds are untouched; the verifier's size-tuned build shares the directory
# but not the profile, so each script rebuilds what the other tuned).
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-3}"
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-fat}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}"
if [[ "${ZKSTATUS_WASM_SIMD:-0}" == 1 ]]; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} -C target-feature=+simd128"
fi
wasm_build_and_bind

echo "== package"
cp "$src/index.js" "$src/index.d.ts" "$src/node.js" "$src/node.d.ts" "$src/prover.js" "$src/prover.d.ts" "$src/worker.js" "$src/README.md" "$out/"
for f in prover.js worker.js; do node --check "$out/$f" || { echo "build-holder-wasm: $f does not parse" >&2; exit 1; }; done
wasm_package_json "$src/package.json" "$out/package.json"

# A fresh demo (proving key, credential, holder secret, policy, registry,
# roots, verifying key) when the CLI is built; the proof check needs one.
cli="$target_dir/release/zkstatus"
demo=""
if [[ -x "$cli" ]]; then
  demo="$(mktemp -d)"
  trap 'rm -rf "$demo"' EXIT
  "$cli" demo --dir "$demo" --force --no-qr >/dev/null
fi

# The package's Node entry: the v2 fixture's credential is green at the
# fixture's time, a bogus key is refused by its fingerprint, and (with a
# demo) a one-scan pass proved for the current window verifies with
# `zkstatus verify`. `|| return 1`: wasm_opt_checked
# calls this in an `&&` list, where set -e is off, and a failing step must
# still fail the smoke test.
smoke() {
  FIXTURE="$fixture" DEMO="$demo" node --input-type=module -e '
    const { ProvingKey, Holder, Registries, provingKeyFingerprint } = await import(process.argv[1]);
    const { readFileSync, writeFileSync } = await import("node:fs");
    const f = (d, n) => readFileSync(d + "/" + n);
    const fx = (n) => f(process.env.FIXTURE, n);
    const h = new Holder(fx("credential.json").toString(), fx("holder-secret.json").toString());
    const s = h.status(fx("policy.json").toString(), fx("now.txt").toString().trim());
    if (!s.green) throw new Error("fixture not green: " + JSON.stringify(s));
    try {
      ProvingKey.load(new Uint8Array(64), "00".repeat(32));
      throw new Error("a bogus key was accepted");
    } catch (e) {
      if (!/is not the pinned .* not a zkstatus proving key/.test(e.message)) throw e;
    }
    if (process.env.DEMO) {
      const d = (n) => f(process.env.DEMO, n);
      const pkBytes = new Uint8Array(d("zkstatus.pk"));
      const pk = ProvingKey.load(pkBytes, provingKeyFingerprint(pkBytes));
      const holder = new Holder(d("credential.json").toString(), d("holder.secret").toString());
      const now = BigInt(Math.floor(Date.now() / 1000));
      const windowStart = now / 60n * 60n;
      const regs = new Registries(d("roots.json").toString(),
        (await import("node:fs")).readdirSync(process.env.DEMO).filter((n) => /^registry.*\.bin$/.test(n)).map((n) => new Uint8Array(d(n))));
      const t = performance.now();
      const p = holder.prove(pk, d("policy.json").toString(), regs, { windowStart, operator: "smoke.example" });
      console.log(`smoke: proved in ${Math.round(performance.now() - t)} ms`);
      writeFileSync(process.env.DEMO + "/smoke.txt", p.payloadText + "\n");
      writeFileSync(process.env.DEMO + "/smoke.now", String(now));
    } else {
      console.log("smoke: no zkstatus CLI built, so no proof check (cargo build --release -p zkstatus-cli)");
    }
  ' "$out/node.js" || return 1
  if [[ -n "$demo" ]]; then
    "$cli" verify --vk "$demo/zkstatus.vk" --bundle "$demo/registry.bundle" --trust "$demo/trust.json" \
      --policy "$demo/policy.json" --operator smoke.example \
      --now "$(cat "$demo/smoke.now")" "$demo/smoke.txt" >/dev/null || return 1
    echo "smoke: zkstatus verify accepts the proof"
  fi
}
echo "== smoke test"
smoke

wasm_out="$out/${name}_bg.wasm"
simd=()
[[ "${ZKSTATUS_WASM_SIMD:-0}" == 1 ]] && simd=(--enable-simd)
wasm_opt_checked "${ZKSTATUS_WASM_OPT_LEVEL:--O3}" "${simd[@]}"
wasm_report "$out"
