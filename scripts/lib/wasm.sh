# Shared steps of scripts/build-wasm.sh (the verifier package) and
# scripts/build-holder-wasm.sh (the holder package). Source it after setting
#   me      the calling script's name, for messages
#   triple  the Rust target (wasm32-unknown-unknown)
# and `cd` to the repository root.

# node, cargo, rustup and gzip are on PATH; the Rust target is installed.
wasm_prepare() {
  local tool
  for tool in cargo rustup node gzip; do
    command -v "$tool" >/dev/null || { echo "$me: $tool not found" >&2; exit 1; }
  done
  echo "== rustup target add $triple"
  rustup target add "$triple"
}

# Sets `bindgen` to a wasm-bindgen CLI of exactly the version of the
# wasm-bindgen crate in Cargo.lock (they must match), installing it with
# cargo when none is on PATH or in ~/.cargo/bin (about 10 minutes on 2 cores).
wasm_bindgen_ensure() {
  echo "== wasm-bindgen-cli"
  local want cargo_bin candidate
  want="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)"
  [[ "$want" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "$me: no wasm-bindgen version in Cargo.lock" >&2; exit 1; }
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  bindgen=""
  for candidate in "$(command -v wasm-bindgen || true)" "$cargo_bin/wasm-bindgen"; do
    if [[ -n "$candidate" && -x "$candidate" && "$("$candidate" --version 2>/dev/null)" == "wasm-bindgen $want" ]]; then
      bindgen="$candidate"
      break
    fi
  done
  if [[ -z "$bindgen" ]]; then
    echo "installing wasm-bindgen-cli $want (cargo install; about 10 minutes on 2 cores)"
    cargo install wasm-bindgen-cli --version "$want" --force
    bindgen="$cargo_bin/wasm-bindgen"
  fi
  "$bindgen" --version
}

# cargo build of $crate for $triple (features from ZKSTATUS_WASM_FEATURES),
# then wasm-bindgen --target web into a fresh $out as $name; sets
# `target_dir` and `wasm` (the cargo output).
wasm_build_and_bind() {
  local features=()
  if [[ -n "${ZKSTATUS_WASM_FEATURES:-}" ]]; then
    features=(--features "$ZKSTATUS_WASM_FEATURES")
  fi
  cargo build --release --target "$triple" -p "$crate" "${features[@]}"
  target_dir="$(wasm_target_dir)"
  wasm="$target_dir/$triple/release/$lib.wasm"
  [[ -f "$wasm" ]] || { echo "$me: no $wasm" >&2; exit 1; }

  echo "== wasm-bindgen --target web"
  rm -rf "$out"
  mkdir -p "$out"
  "$bindgen" --target web --out-dir "$out" --out-name "$name" "$wasm"
}

# The workspace's target directory (honours CARGO_TARGET_DIR).
wasm_target_dir() {
  cargo metadata -q --format-version 1 --no-deps |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))'
}

# The published package.json: the template's ($1), without the test scripts, into $2.
wasm_package_json() {
  node -e '
    const fs = require("fs");
    const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete p.scripts; delete p.private; delete p.devDependencies;
    fs.writeFileSync(process.argv[2], JSON.stringify(p, null, 2) + "\n");
  ' "$1" "$2"
}

# wasm-opt $1 (a level) [extra flags…] on $wasm_out, only if wasm-opt is on
# PATH and ZKSTATUS_WASM_OPT is not 0; the result is kept only if the
# caller's `smoke` function still passes with it. Debian's binaryen 108
# breaks wasm-bindgen's externref table (binaryen 123 works): then the
# unoptimized .wasm is kept, with a warning.
wasm_opt_checked() {
  local level="$1"
  shift
  if [[ "${ZKSTATUS_WASM_OPT:-1}" == 0 ]] || ! command -v wasm-opt >/dev/null; then
    echo "== wasm-opt: skipped (not on PATH, or ZKSTATUS_WASM_OPT=0)"
    return 0
  fi
  echo "== wasm-opt $level ($(wasm-opt --version))"
  local unopt errors
  unopt="$(mktemp)"
  errors="$(mktemp)"
  cp "$wasm_out" "$unopt"
  # The features rustc enables by default for wasm32; wasm-bindgen strips
  # the custom section that would announce them to wasm-opt.
  if wasm-opt "$level" --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
       --enable-mutable-globals --enable-multivalue --enable-reference-types "$@" \
       -o "$wasm_out" "$unopt" 2>"$errors" && smoke 2>>"$errors"; then
    echo "wasm-opt: $(wc -c <"$unopt") -> $(wc -c <"$wasm_out") bytes"
  else
    echo "$me: WARNING: this wasm-opt produced a module that does not work; keeping the unoptimized .wasm:" >&2
    grep -m1 -E 'Error|error' "$errors" >&2 || true
    cp "$unopt" "$wasm_out"
    smoke
  fi
  rm -f "$unopt" "$errors"
}

# The package directory's listing and $wasm_out's size, raw and gzipped.
wasm_report() {
  local raw gz
  raw=$(wc -c <"$wasm_out")
  gz=$(gzip -9 -c "$wasm_out" | wc -c)
  echo "== built $1"
  ls -l "$1"
  printf 'wasm size: %d bytes raw, %d bytes gzipped (gzip -9)\n' "$raw" "$gz"
}
