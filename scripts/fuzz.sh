#!/usr/bin/env bash
# Short libFuzzer runs (clang, AddressSanitizer) of every ingest parser
# family, seeded from the vendor fixtures. Part of scripts/test.sh.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 10)
# A crash leaves its input in build-fuzz/findings/<family>/ and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER="${1:-10}"
BUILD_DIR="${FUZZ_BUILD_DIR:-build-fuzz}"
FAMILIES=(salesforce hubspot gong dialers google microsoft hr envelope)
FIXTURES="${CS_FIXTURES_DIR:-$(pwd)/tests/fixtures/vendor}"

echo "==> fuzz: building ${#FAMILIES[@]} libFuzzer targets with clang (${BUILD_DIR}/)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCOACHSTREAM_FUZZ=ON >/dev/null
targets=()
for f in "${FAMILIES[@]}"; do targets+=("fuzz_ingest_$f"); done
if ! ninja -C "$BUILD_DIR" -j "${JOBS:-$(nproc)}" "${targets[@]}" > "$BUILD_DIR/build.log" 2>&1; then
  grep -E -A8 "FAILED|error:" "$BUILD_DIR/build.log" | head -40
  echo "==> fuzz build FAILED (log: $BUILD_DIR/build.log)"
  exit 1
fi

rm -rf "$BUILD_DIR/corpus" "$BUILD_DIR/findings"
python3 services/ingest/fuzz/make_corpus.py "$BUILD_DIR/corpus" "$FIXTURES"
failed=0
for f in "${FAMILIES[@]}"; do
  mkdir -p "$BUILD_DIR/findings/$f"
  log="$BUILD_DIR/findings/$f.log"
  if "$BUILD_DIR/bin/fuzz_ingest_$f" -max_total_time="$SECONDS_PER" -timeout=5 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$BUILD_DIR/findings/$f/" "$BUILD_DIR/corpus/$f" > "$log" 2>&1; then
    echo "    fuzz_ingest_$f: $(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1), no crash"
  else
    echo "    fuzz_ingest_$f: FAILED (input in $BUILD_DIR/findings/$f/, log $log)"
    tail -30 "$log"
    failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "==> fuzz: every parser survived" || { echo "==> fuzz FAILED"; exit 1; }
