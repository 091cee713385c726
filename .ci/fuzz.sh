#!/usr/bin/env bash
# Fuzzing for a bounded time (issue 8): the three targets — normalize_match, lexicon_load,
# jsonrpc — for FUZZ_SECS seconds each (default 60; three targets stay under 5 minutes of
# fuzzing, plus the build).
#
#   FUZZ_ENGINE=proptest   (default) time-bounded property runs on the stable toolchain:
#                          `LEXLS_FUZZ_SECS=N cargo test --test reliability fuzz_`. In the
#                          debug profile it reuses the build of `cargo test`; set
#                          FUZZ_PROFILE=release for about ten times the inputs per second.
#   FUZZ_ENGINE=cargo-fuzz libFuzzer, coverage-guided, on nightly (installs cargo-fuzz when
#                          missing). Corpora are seeded from lexicon/, tests/fixtures/articles
#                          and tests/fuzz/seeds/jsonrpc. A crash is left in tests/fuzz/artifacts/<target>/:
#                          add it to tests/reliability/regressions.rs before fixing it.
#
# Exit status: 0 when no target failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR=never

SECS="${FUZZ_SECS:-60}"
ENGINE="${FUZZ_ENGINE:-proptest}"
TARGETS=(normalize_match lexicon_load jsonrpc)

step() { printf '\n==> %s\n' "$*"; }

case "$ENGINE" in
  proptest)
    profile=()
    [ "${FUZZ_PROFILE:-debug}" = release ] && profile=(--release)
    step "build (${FUZZ_PROFILE:-debug})"
    cargo test "${profile[@]}" --locked --test reliability --no-run
    for t in "${TARGETS[@]}"; do
      step "fuzz $t for ${SECS}s (proptest, stable)"
      LEXLS_FUZZ_SECS="$SECS" cargo test "${profile[@]}" --locked --test reliability \
        "fuzz::fuzz_$t" -- --exact --nocapture --test-threads 1
    done
    ;;
  cargo-fuzz)
    rustup run nightly rustc --version >/dev/null 2>&1 || {
      echo "cargo-fuzz needs the nightly toolchain (rustup toolchain install nightly)" >&2
      exit 2
    }
    command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
    mkdir -p tests/fuzz/corpus/normalize_match tests/fuzz/corpus/lexicon_load tests/fuzz/corpus/jsonrpc
    cp -n tests/fixtures/articles/*.txt tests/fuzz/corpus/normalize_match/ 2>/dev/null || true
    cp -n lexicon/*.toml tests/fuzz/corpus/lexicon_load/ 2>/dev/null || true
    cp -n tests/fuzz/seeds/jsonrpc/* tests/fuzz/corpus/jsonrpc/ 2>/dev/null || true
    step "build (nightly, libFuzzer with address sanitizer)"
    (cd tests/fuzz && cargo +nightly fuzz build -O)
    for t in "${TARGETS[@]}"; do
      step "fuzz $t for ${SECS}s (cargo-fuzz)"
      (cd tests/fuzz && cargo +nightly fuzz run -O "$t" -- \
        -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1)
    done
    ;;
  *)
    echo "FUZZ_ENGINE must be proptest or cargo-fuzz, not $ENGINE" >&2
    exit 2
    ;;
esac
