#!/usr/bin/env bash
# The browser tests of the venue and holder pages, on a fresh machine:
#
#   1. Debian's chromium at /usr/bin/chromium (apt-get install -y chromium if
#      it is missing; sudo only when not root), and the Chinese font
#      fonts-noto-cjk if fontconfig has no "Noto Sans CJK SC". No browser is
#      downloaded any other way: the test drives it with playwright-core,
#      never `playwright`;
#   2. the zkstatus CLI (cargo build --release -p zkstatus-cli, a no-op when
#      current), which makes the test's keys, credential and payloads;
#   3. scripts/build-web.sh: the WASM packages if needed, npm ci, web/dist/venue/
#      and web/dist/holder/;
#   4. (cd web && npm test): node:test + playwright-core in headless Chromium.
#
# Environment: CHROMIUM (another browser binary: skips step 1),
# ZKSTATUS_CLI (a built zkstatus binary: skips step 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

echo "== chromium"
# Debian packages to install: chromium (with a font that has the pages' ✓ ✗
# glyphs) when no browser is given, and a Chinese font (fonts-noto-cjk,
# whose "Noto Sans CJK SC" base.css asks for; web/test/i18n.test.mjs fails
# without it) when fontconfig knows none.
need=()
if [[ -z "${CHROMIUM:-}" ]]; then
  export CHROMIUM=/usr/bin/chromium
  [[ -x "$CHROMIUM" ]] || need+=(chromium fonts-dejavu-core)
fi
if ! fc-list 2>/dev/null | grep -q 'Noto Sans CJK SC'; then need+=(fonts-noto-cjk); fi
if ((${#need[@]})); then
  echo "installing Debian's ${need[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "test-browser: not root and no sudo: install ${need[*]} first" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}"
fi
[[ -x "$CHROMIUM" ]] || { echo "test-browser: $CHROMIUM is not an executable" >&2; exit 1; }
"$CHROMIUM" --version 2>/dev/null || true

echo "== zkstatus CLI"
if [[ -z "${ZKSTATUS_CLI:-}" ]]; then
  cargo build -q --release -p zkstatus-cli
  target_dir="$(cargo metadata -q --format-version 1 --no-deps |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
  export ZKSTATUS_CLI="$target_dir/release/zkstatus"
fi
[[ -x "$ZKSTATUS_CLI" ]] || { echo "test-browser: no zkstatus CLI at $ZKSTATUS_CLI" >&2; exit 1; }
echo "$ZKSTATUS_CLI"

echo "== scripts/build-web.sh"
bash "$root/scripts/build-web.sh"

echo "== web: npm test (headless Chromium)"
cd "$root/web"
npm test
echo "screenshots: $root/web/test/artifacts/"
