#!/usr/bin/env bash
# Assembles the static pages, each self-contained (no CDN), into web/dist/:
#
#   web/dist/venue/    the venue's verifier page (web/venue/)
#     index.html app.js gate.js style.css README.md
#     manifest.webmanifest                             the page
#     scan.js qr.js policy-words.js base.css icon.svg
#     offline.js offline-data.js                       shared (web/common/)
#     i18n.js strings-en.js strings-zh.js              the words (web/common/)
#     sw.js      the service worker (web/common/sw.js with this build's
#                file list and version: a hash of the files)
#     pkg/       the zkstatus-verifier package (verifier-wasm/pkg/): index.js,
#                the wasm-bindgen glue and the .wasm
#     vendor/    the QR libraries, each with its LICENSE files
#                (uqr: encoder; qr: decoder), and VERSIONS.txt
#
#   web/dist/holder/   the holder's page (web/holder/)
#     index.html app.js config.js store.js prover.js
#     style.css README.md manifest.webmanifest        the page
#     scan.js qr.js policy-words.js base.css icon.svg
#     offline.js offline-data.js sw.js                 shared, as above
#     i18n.js strings-en.js strings-zh.js
#     pkg/       the zkstatus-holder package (holder-wasm/pkg/): the files its
#                package.json lists for browsers (index.js, the glue, the .wasm)
#     vendor/    as above
#
# A venue adds its own config/ folder next to each index.html
# (web/venue/README.md, web/holder/README.md).
#
#   1. verifier-wasm/pkg/ must exist and be current (its index.js the same as
#      verifier-wasm/npm/index.js, and exporting Gate); otherwise
#      scripts/build-wasm.sh builds it; likewise holder-wasm/pkg/ (its
#      index.js, prover.js and worker.js the same as in holder-wasm/npm/), otherwise
#      scripts/build-holder-wasm.sh builds it;
#   2. npm ci in web/, skipped when web/node_modules was installed from the
#      same package-lock.json;
#   3. each page, its package and the vendored files are copied into a fresh
#      directory that then replaces web/dist/<page>/ (idempotent); every
#      module a page imports (and the holder's worker) must be in its folder.
# Needs node >= 20 and npm; no network beyond the npm registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/web"
pkg="$root/verifier-wasm/pkg"
holder_pkg="$root/holder-wasm/pkg"

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
if ! grep -q 'export class Gate' "$pkg/index.js"; then
  echo "build-web: $pkg/index.js has no Gate; the venue page needs it (zkstatus-verifier for statement v2)" >&2
  exit 1
fi

echo "== holder package (holder-wasm/pkg)"
holder_pkg_ok() {
  [[ -f "$holder_pkg/index.js" && -f "$holder_pkg/zkstatus_holder.js" && -f "$holder_pkg/zkstatus_holder_bg.wasm" &&
    -f "$holder_pkg/package.json" ]] &&
    for f in index.js prover.js worker.js; do cmp -s "$holder_pkg/$f" "$root/holder-wasm/npm/$f" || return 1; done
}
if holder_pkg_ok; then
  echo "up to date"
else
  echo "missing or older than holder-wasm/npm/{index,prover,worker}.js: running scripts/build-holder-wasm.sh"
  bash "$root/scripts/build-holder-wasm.sh"
  holder_pkg_ok || { echo "build-web: scripts/build-holder-wasm.sh did not produce $holder_pkg" >&2; exit 1; }
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

mods="$web/node_modules"
mkdir -p "$web/dist"
tmps=()
cleanup() { rm -rf "${tmps[@]}"; }
trap cleanup EXIT

version() { node -p "require('$mods/$1/package.json').version"; }
license() { node -p "require('$mods/$1/package.json').license"; }

# vendor/ of a page: the QR libraries, with their licenses.
vendor() {
  local dir="$1"
  mkdir -p "$dir/vendor/uqr" "$dir/vendor/qr"
  # uqr (MIT): the QR encoder, one ES module.
  cp "$mods/uqr/dist/index.mjs" "$mods/uqr/LICENSE" "$dir/vendor/uqr/"
  # qr (MIT OR Apache-2.0): the QR decoder; decode.js imports index.js.
  cp "$mods/qr/decode.js" "$mods/qr/index.js" "$mods/qr/LICENSE" "$mods/qr/LICENSE-MIT" "$dir/vendor/qr/"
  {
    echo "Third-party files in vendor/, copied unmodified from their npm packages:"
    echo "uqr $(version uqr) ($(license uqr)): vendor/uqr/index.mjs = dist/index.mjs"
    echo "qr $(version qr) ($(license qr)): vendor/qr/decode.js, vendor/qr/index.js"
    echo "pkg/: $(node -p "require('$dir/pkg/package.json').name") $(node -p "require('$dir/pkg/package.json').version") ($(node -p "require('$dir/pkg/package.json').license")), built by $2"
  } >"$dir/vendor/VERSIONS.txt"
}

# Every module a page imports must be in its folder (same origin, no CDN),
# and so must every worker it starts (new Worker(new URL("…", import.meta.url))).
check_imports() {
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
    // imports, dynamic imports of a literal, and workers.
    const re = /(?:^|[;\n])\s*(?:import|export)\s*(?:[\w\s{},*$]*?\bfrom\s*)?["\x27]([^"\x27]+)["\x27]|\bimport\s*\(\s*["\x27]([^"\x27]+)["\x27]\s*\)|\bnew\s+(?:Shared)?Worker\s*\(\s*new\s+URL\s*\(\s*["\x27]([^"\x27]+)["\x27]\s*,\s*import\.meta\.url/g;
    let bad = 0;
    for (const f of files) {
      // Comments that start a line (JSDoc mentions import("…") types) are not code.
      const code = readFileSync(f, "utf8").replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/^\s*\/\/.*$/gm, "");
      for (const m of code.matchAll(re)) {
        const spec = m[1] ?? m[2] ?? m[3];
        const target = path.resolve(path.dirname(f), spec);
        if (!/^\.\.?\//.test(spec) || !target.startsWith(dir + path.sep) || !existsSync(target)) {
          console.error(`build-web: ${path.relative(dir, f)} imports "${spec}", which is not a file in the bundle`);
          bad++;
        }
      }
    }
    if (bad) process.exit(1);
  ' "$1"
}

# The service worker of a page (web/common/sw.js): its BUILD line gets the
# page's name, the list of the page's files (every file of the folder but
# sw.js) and their version, a SHA-256 over each file's path and SHA-256 and
# over web/common/sw.js itself, so that a new build is a new sw.js and a new
# cache (web/common/sw.js).
service_worker() {
  local dir="$1" page="$2"
  node -e '
    const fs = require("node:fs"), path = require("node:path"), crypto = require("node:crypto");
    const [dir, page, src] = process.argv.slice(1);
    const files = [];
    const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else files.push(path.relative(dir, p).split(path.sep).join("/"));
    } };
    walk(dir);
    files.sort();
    const h = crypto.createHash("sha256");
    const text = fs.readFileSync(src, "utf8");
    const sha = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
    for (const f of files) h.update(`${f}\0${sha(fs.readFileSync(path.join(dir, f)))}\n`);
    h.update(`sw.js\0${sha(text)}\n`); // sw.js itself (its code), before its BUILD line is written
    const build = { page, version: h.digest("hex").slice(0, 16), files };
    const line = /^const BUILD = .*\/\/ build-web\.sh: BUILD$/m;
    if (!line.test(text)) { console.error("build-web: web/common/sw.js has no BUILD line"); process.exit(1); }
    fs.writeFileSync(path.join(dir, "sw.js"), text.replace(line, () => `const BUILD = ${JSON.stringify(build)}; // build-web.sh: BUILD`));
    console.log(`service worker: ${files.length} files, version ${build.version}`);
  ' "$dir" "$page" "$web/common/sw.js"
}

# Replace web/dist/<page>/ with the assembled directory.
install_page() {
  local tmp="$1" dist="$web/dist/$2"
  service_worker "$tmp" "$2"
  check_imports "$tmp"
  chmod 755 "$tmp"
  rm -rf "$dist"
  mv "$tmp" "$dist"
  echo "built $dist ($(du -sk "$dist" | cut -f1) KB):"
  (cd "$dist" && find . -type f | sort | sed 's/^\.\//  /')
}

common=("$web/common/scan.js" "$web/common/qr.js" "$web/common/policy-words.js" "$web/common/base.css" "$web/common/icon.svg"
  "$web/common/offline.js" "$web/common/offline-data.js"
  "$web/common/i18n.js" "$web/common/strings-en.js" "$web/common/strings-zh.js")

echo "== assemble web/dist/venue"
tmp="$(mktemp -d "$web/dist/.venue.XXXXXX")"
tmps+=("$tmp")
cp "$web/venue/index.html" "$web/venue/app.js" "$web/venue/gate.js" \
  "$web/venue/style.css" "$web/venue/README.md" "$web/venue/manifest.webmanifest" "${common[@]}" "$tmp/"
mkdir -p "$tmp/pkg"
cp "$pkg/index.js" "$pkg/zkstatus_verifier.js" "$pkg/zkstatus_verifier_bg.wasm" "$pkg/package.json" \
  "$pkg/README.md" "$tmp/pkg/"
vendor "$tmp" scripts/build-wasm.sh
install_page "$tmp" venue

echo "== assemble web/dist/holder"
tmp="$(mktemp -d "$web/dist/.holder.XXXXXX")"
tmps+=("$tmp")
cp "$web/holder/index.html" "$web/holder/app.js" "$web/holder/config.js" "$web/holder/store.js" \
  "$web/holder/prover.js" "$web/holder/style.css" "$web/holder/README.md" \
  "$web/holder/manifest.webmanifest" "${common[@]}" "$tmp/"
mkdir -p "$tmp/pkg"
# The package's own list of files, for browsers: not its Node entry
# (node.js) nor the TypeScript declarations.
node -e '
  const pkg = require(process.argv[1] + "/package.json");
  for (const f of pkg.files ?? []) if (!/^node\.|\.d\.ts$/.test(f)) console.log(f);
' "$holder_pkg" | while read -r f; do
  [[ "$f" != */* && -f "$holder_pkg/$f" ]] || { echo "build-web: holder-wasm/pkg/$f (in its package.json) is missing" >&2; exit 1; }
  cp "$holder_pkg/$f" "$tmp/pkg/"
done
cp "$holder_pkg/package.json" "$tmp/pkg/"
vendor "$tmp" scripts/build-holder-wasm.sh
install_page "$tmp" holder
