#!/usr/bin/env bash
# Benchmarks: installs the bench-only Debian packages (idempotent, like
# setup.sh: a fast no-op when present), builds the benchmark targets and
# runs them all, printing the machine first.
#   scripts/bench.sh
#   BENCH_METRICS_ARGS="--events=100000 --reps=1000" scripts/bench.sh   (a quicker bench_metrics)
#   BENCH_INGEST_E2E_ARGS="--n=10000" scripts/bench.sh                   (a quicker bench_ingest_e2e)
# bench_ingest_e2e starts its own devbroker and `ingest` processes.
# bench_metrics starts its own devbroker, metrics process and throwaway
# PostgreSQL cluster (as the `postgres` user when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(postgresql libpq-dev)
scripts/apt-install.sh "${PACKAGES[@]}"
scripts/setup.sh --no-build

BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-$(nproc)}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "==> building benchmarks"
ninja -C "$BUILD_DIR" -j "$JOBS" devbroker ingest metrics bench_metrics bench_metrics_replay \
  bench_ingest_parse bench_ingest_e2e \
  > "$BUILD_DIR/bench-build.log" 2>&1 || { tail -40 "$BUILD_DIR/bench-build.log"; exit 1; }

echo "==> $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "==> bench_ingest_parse"
"$BUILD_DIR/bin/bench_ingest_parse"
echo "==> bench_ingest_e2e (real ingest per source through devbroker)"
# The benchmark's own Kafka clients log JSON lines on stderr; keep the table.
# shellcheck disable=SC2086
"$BUILD_DIR/bin/bench_ingest_e2e" ${BENCH_INGEST_E2E_ARGS:-} 2>&1 | grep -v '^{"'
echo "==> bench_metrics_replay (the metrics service's write path in-process, thread CPU time)"
"$BUILD_DIR/bin/bench_metrics_replay"
echo "==> bench_metrics"
# The benchmark's own Kafka client logs JSON lines on stderr; keep the table.
# shellcheck disable=SC2086
"$BUILD_DIR/bin/bench_metrics" ${BENCH_METRICS_ARGS:-} 2>&1 | grep -v '^{"'
