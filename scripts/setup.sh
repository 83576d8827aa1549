#!/usr/bin/env bash
# Installs the Debian packages coachstream needs (idempotent: a fast no-op
# when everything is present), then configures and builds.
#   scripts/setup.sh            packages + build (build/)
#   scripts/setup.sh --no-build packages only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config tzdata
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  librdkafka-dev librocksdb-dev prometheus-cpp-dev libgtest-dev libgmock-dev
  nlohmann-json3-dev libsimdjson-dev rapidjson-dev libjemalloc-dev kcat
  clang libclang-rt-14-dev python3
  chromium fonts-dejavu-core
)

scripts/apt-install.sh "${PACKAGES[@]}"

[ "${1:-}" = "--no-build" ] && exit 0

BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-$(nproc)}"
echo "==> configuring ${BUILD_DIR}/"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "==> building (${JOBS} jobs)"
start=$(date +%s)
mkdir -p "$BUILD_DIR"
# CS_BUILD_TARGETS="ingest metrics" builds only those targets (default: everything).
# shellcheck disable=SC2086
if ! ninja -C "$BUILD_DIR" -j "$JOBS" ${CS_BUILD_TARGETS:-} > "$BUILD_DIR/build.log" 2>&1; then
  grep -E -A8 "FAILED|error:" "$BUILD_DIR/build.log" | head -60
  echo "==> build FAILED (full log: $BUILD_DIR/build.log)"
  exit 1
fi
echo "==> built in $(( $(date +%s) - start ))s"
