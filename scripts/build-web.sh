#!/usr/bin/env bash
# Assembles the static venue page into web/dist/venue/, self-contained:
#
#   web/dist/venue/
#     index.html app.js gate.js scan.js style.css README.md   the page (web/venue/)
#     pkg/       the zkstatus-verifier package (verifier-wasm/pkg/): index.js,
#                the wasm-bindgen glue and the .wasm
#     vendor/    the QR libraries, each with its LICENSE files
#                (uqr: encoder; qr: decoder), and VERSIONS.txt
#
# A venue adds its own config/ folder next to index.html (web/venue/README.md).
#
#   1. verifier-wasm/pkg/ must exist and be current (its index.js the same as
#      verifier-wasm/npm/index.js, and exporting ChallengeBook); otherwise
#      scripts/build-wasm.sh builds it;
#   2. npm ci in web/, skipped when web/node_modules was installed from the
#      same package-lock.json;
#   3. the page, the package and the vendored files are copied into a fresh
#      directory that then replaces web/dist/venue/ (idempotent).
# Needs node >= 20 and npm; no network beyond the npm registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/web"
pkg="$root/verifier-wasm/pkg"
dist="$web/dist/venue"

for tool in node npm sha256sum; do
  command -v "$tool" >/dev/null || { echo "build-web: $tool not found" >&2; exit 1; }
done

echo "== verifier package (verifier-wasm/pkg)"
pkg_ok() {
  [[ -f "$pkg/index.js" && -f "$pkg/zkstatus_verifier.js" && -f "$pkg/zkstatus_verifier_bg.wasm" ]] &&
    cmp -s "$pkg/index.js" "$root/verifier-wasm/npm/index.js"
}
if pkg_ok; then
  echo "up to date"
else
  echo "missing or older than verifier-wasm/npm/index.js: running scripts/build-wasm.sh"
  bash "$root/scripts/build-wasm.sh"
  pkg_ok || { echo "build-web: scripts/build-wasm.sh did not produce $pkg" >&2; exit 1; }
fi
if ! grep -q 'export class ChallengeBook' "$pkg/index.js"; then
  echo "build-web: $pkg/index.js has no ChallengeBook; the venue page needs it (zkstatus-verifier with challenge books)" >&2
  exit 1
fi

echo "== npm ci (web/)"
stamp="$web/node_modules/.zkstatus-lock.sha256"
want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "node_modules matches package-lock.json: skipped"
else
  (cd "$web" && npm ci --no-audit --no-fund)
  echo "$want" >"$stamp"
fi

echo "== assemble web/dist/venue"
mods="$web/node_modules"
mkdir -p "$web/dist"
tmp="$(mktemp -d "$web/dist/.venue.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cp "$web/venue/index.html" "$web/venue/app.js" "$web/venue/gate.js" "$web/venue/scan.js" \
  "$web/venue/style.css" "$web/venue/README.md" "$tmp/"
mkdir -p "$tmp/pkg" "$tmp/vendor/uqr" "$tmp/vendor/qr"
cp "$pkg/index.js" "$pkg/zkstatus_verifier.js" "$pkg/zkstatus_verifier_bg.wasm" "$pkg/package.json" \
  "$pkg/README.md" "$tmp/pkg/"
# uqr (MIT): the QR encoder, one ES module.
cp "$mods/uqr/dist/index.mjs" "$mods/uqr/LICENSE" "$tmp/vendor/uqr/"
# qr (MIT OR Apache-2.0): the QR decoder; decode.js imports index.js.
cp "$mods/qr/decode.js" "$mods/qr/index.js" "$mods/qr/LICENSE" "$mods/qr/LICENSE-MIT" "$tmp/vendor/qr/"
version() { node -p "require('$mods/$1/package.json').version"; }
license() { node -p "require('$mods/$1/package.json').license"; }
{
  echo "Third-party files in vendor/, copied unmodified from their npm packages:"
  echo "uqr $(version uqr) ($(license uqr)): vendor/uqr/index.mjs = dist/index.mjs"
  echo "qr $(version qr) ($(license qr)): vendor/qr/decode.js, vendor/qr/index.js"
  echo "pkg/: zkstatus-verifier $(node -p "require('$pkg/package.json').version") ($(node -p "require('$pkg/package.json').license")), built by scripts/build-wasm.sh"
} >"$tmp/vendor/VERSIONS.txt"
# Every module the page imports must be in the bundle (same origin, no CDN).
node --input-type=module -e '
  import { readFileSync, existsSync, readdirSync } from "node:fs";
  import path from "node:path";
  const dir = process.argv[1];
  const files = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (/\.m?js$/.test(e.name)) files.push(p);
  } };
  walk(dir);
  // Static imports and re-exports (also over several lines), side-effect
  // imports, and dynamic imports of a literal.
  const re = /(?:^|[;\n])\s*(?:import|export)\s*(?:[\w\s{},*$]*?\bfrom\s*)?["\x27]([^"\x27]+)["\x27]|\bimport\s*\(\s*["\x27]([^"\x27]+)["\x27]\s*\)/g;
  let bad = 0;
  for (const f of files) {
    // Comments that start a line (JSDoc mentions import("…") types) are not code.
    const code = readFileSync(f, "utf8").replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of code.matchAll(re)) {
      const spec = m[1] ?? m[2];
      const target = path.resolve(path.dirname(f), spec);
      if (!/^\.\.?\//.test(spec) || !target.startsWith(dir + path.sep) || !existsSync(target)) {
        console.error(`build-web: ${path.relative(dir, f)} imports "${spec}", which is not a file in the bundle`);
        bad++;
      }
    }
  }
  if (bad) process.exit(1);
' "$tmp"
chmod 755 "$tmp"
rm -rf "$dist"
mv "$tmp" "$dist"
trap - EXIT
echo "built $dist ($(du -sk "$dist" | cut -f1) KB):"
(cd "$dist" && find . -type f | sort | sed 's/^\.\//  /')
