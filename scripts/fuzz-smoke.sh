#!/usr/bin/env bash
# Fuzz smoke run: every target in fuzz/ for a few seconds, starting from its
# committed seeds (fuzz/seeds/<target>/), on the pinned stable toolchain
# (cargo-fuzz with --sanitizer none; no nightly). A target that crashes or
# breaks one of its properties fails the run; the input is kept in
# fuzz/artifacts/<target>/. Long runs: fuzz/README.md.
#
#   bash scripts/fuzz-smoke.sh                  # every target, 15 s each
#   FUZZ_SECS=60 bash scripts/fuzz-smoke.sh gate_v2 payload_v2
#   # a long run: 10 million executions or an hour, whichever comes first,
#   # keeping libFuzzer's whole output
#   FUZZ_RUNS=10000000 FUZZ_SECS=3600 FUZZ_LOG_DIR=/tmp/fuzz-logs \
#     bash scripts/fuzz-smoke.sh payload_v2
#
# Installs cargo-fuzz from crates.io (`cargo install`, built from source:
# about a minute cold) unless it is already there.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

CARGO_FUZZ_VERSION=0.13.2
secs=${FUZZ_SECS:-15}
runs=${FUZZ_RUNS:--1}
logdir=${FUZZ_LOG_DIR:-}

if cargo fuzz --version 2>/dev/null | grep -q "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  echo "== cargo-fuzz $CARGO_FUZZ_VERSION already installed"
else
  echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install, from source)"
  t0=$(date +%s)
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
  echo "   installed in $(( $(date +%s) - t0 )) s"
fi

# Stable toolchain: no sanitizer (ASan needs nightly's -Zsanitizer). Rust's
# own checks stay on: cargo-fuzz builds with debug assertions and overflow
# checks, and every target asserts its properties by panicking.
fuzz=(cargo fuzz)
flags=(--sanitizer none)

# The fuzz crate is outside the root workspace, so scripts/test.sh's
# `cargo fmt --all` does not see it (clippy: fuzz/README.md).
echo "== cargo fmt --check (fuzz/)"
cargo fmt --check

echo "== building the fuzz targets"
"${fuzz[@]}" build "${flags[@]}"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <("${fuzz[@]}" list)
fi

passed=0
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ -n "$logdir" ]; then
    mkdir -p "$logdir"
    log="$logdir/$t.log"
  else
    log=$(mktemp)
  fi
  # Inputs up to 4 KiB, or the largest seed (the zkey seed is 9.5 KB):
  # libFuzzer cuts every input, seeds included, to -max_len.
  max_len=4096
  for f in "seeds/$t"/*; do
    [ -f "$f" ] || continue
    n=$(wc -c <"$f")
    [ "$n" -le "$max_len" ] || max_len=$n
  done
  echo "== $t (${secs} s$([ "$runs" -ge 0 ] && echo ", at most $runs executions"), inputs up to $max_len bytes)"
  if "${fuzz[@]}" run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -runs="$runs" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    passed=$((passed + 1))
    # The last status line (executions, coverage, features, corpus).
    grep -E '^#[0-9]+' "$log" | tail -n 1 || true
    grep -E 'stat::number_of_executed_units' "$log" || true
  else
    failed=$((failed + 1))
    tail -n 40 "$log"
    echo "!! $t failed (a crash or a broken property keeps its input in fuzz/artifacts/$t/)"
  fi
  [ -n "$logdir" ] || rm -f "$log"
done

echo "fuzz-smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
