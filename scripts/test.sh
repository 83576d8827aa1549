#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs unit and
# integration tests (ctest), then short libFuzzer runs of every parser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR="${BUILD_DIR:-build}"
echo "==> unit and integration tests"
start=$(date +%s)
(cd "$BUILD_DIR" && ctest --output-on-failure -j 2 --timeout 300)
echo "==> ctest took $(( $(date +%s) - start ))s"
if [ -x scripts/fuzz.sh ]; then
  scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
fi
