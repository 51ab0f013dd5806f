#!/usr/bin/env bash
# Type-checks both npm packages as built (run scripts/build-wasm.sh and
# scripts/build-holder-wasm.sh first): tsc --strict --noEmit over
#
#   - the packages' own JavaScript (index.js, node.js; prover.js and
#     worker.js of the holder's) with checkJs, against their JSDoc, the
#     wasm-bindgen declarations and the packages' .d.ts files;
#   - types-check/consumer.ts, which imports both packages by name and
#     calls every export as their .d.ts files declare it,
#
# so a declaration that disagrees with the code fails here. TypeScript comes
# from the npm registry, pinned by types-check/package-lock.json (npm ci).
# Errors are reported in verifier-wasm/pkg/ and holder-wasm/pkg/: fix the
# sources in verifier-wasm/npm/ and holder-wasm/npm/ and rebuild.
# Needs node >= 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

for pkg in verifier-wasm/pkg holder-wasm/pkg; do
  [[ -f "$pkg/package.json" ]] || {
    echo "check-types: no $pkg: build the packages first (scripts/build-wasm.sh, scripts/build-holder-wasm.sh)" >&2
    exit 1
  }
done

cd types-check
echo "== npm ci (types-check/: typescript, @types/node, both packages linked)"
npm ci --no-audit --no-fund
echo "== tsc --strict --noEmit ($(npx --no-install tsc --version))"
npx --no-install tsc -p tsconfig.json
echo "check-types: both packages' JavaScript, declarations and consumer.ts agree"
