#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts the local broker and
# every service as real processes, feeds them, and shows what they report.
#   scripts/demo.sh          run, show, stop everything
#   scripts/demo.sh --keep   leave the system running (stop: scripts/demo.sh --stop)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN_DIR="$ROOT/.demo"
KEEP=0
case "${1:-}" in
  --keep) KEEP=1 ;;
  --stop)
    [ -f "$RUN_DIR/pids" ] && xargs -r kill < "$RUN_DIR/pids" 2>/dev/null || true
    echo "stopped"; exit 0 ;;
  "") ;;
  *) echo "usage: scripts/demo.sh [--keep|--stop]"; exit 2 ;;
esac

step() { echo; echo "==> $*"; }
fail() { echo "!! step failed: $*"; echo "!! logs are in $RUN_DIR/"; exit 1; }

step "1/5 install and build"
scripts/setup.sh || fail "build (see build/build.log)"
BIN="$ROOT/build/bin"

# A previous --keep run is stopped first; state starts fresh each demo.
[ -f "$RUN_DIR/pids" ] && xargs -r kill < "$RUN_DIR/pids" 2>/dev/null || true
rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"
: > "$RUN_DIR/pids"
cleanup() {
  if [ "$KEEP" = 0 ]; then
    xargs -r kill < "$RUN_DIR/pids" 2>/dev/null || true
    sleep 1
  fi
}
trap cleanup EXIT

step "2/5 start devbroker (Kafka protocol on loopback)"
"$BIN/devbroker" --listen=127.0.0.1:0 --bootstrap_file="$RUN_DIR/bootstrap" \
  > "$RUN_DIR/devbroker.out" 2> "$RUN_DIR/devbroker.log" &
echo $! >> "$RUN_DIR/pids"
for _ in $(seq 100); do [ -s "$RUN_DIR/bootstrap" ] && break; sleep 0.1; done
[ -s "$RUN_DIR/bootstrap" ] || fail "devbroker did not start (devbroker.log)"
BOOTSTRAP=$(cat "$RUN_DIR/bootstrap")
echo "    bootstrap: $BOOTSTRAP"

step "3/5 start services"
start_service() {  # name binary args...
  local name=$1 bin=$2; shift 2
  "$BIN/$bin" --kafka_bootstrap="$BOOTSTRAP" --state_dir="$RUN_DIR/state" \
    --grpc_address=127.0.0.1:0 --metrics_address=127.0.0.1:0 \
    --ports_file="$RUN_DIR/$name.ports" "$@" 2> "$RUN_DIR/$name.log" &
  echo $! >> "$RUN_DIR/pids"
}
start_service ingest-crm ingest --source=crm
start_service ingest-calls ingest --source=calls
start_service ingest-calendar ingest --source=calendar
start_service ingest-org ingest --source=org
start_service metrics metrics
start_service coaching coaching
for name in ingest-crm ingest-calls ingest-calendar ingest-org metrics coaching; do
  for _ in $(seq 200); do [ -s "$RUN_DIR/$name.ports" ] && break; sleep 0.1; done
  [ -s "$RUN_DIR/$name.ports" ] || fail "$name did not start ($name.log)"
  grpc=$(awk '/^grpc/{print $2}' "$RUN_DIR/$name.ports")
  metrics=$(awk '/^metrics/{print $2}' "$RUN_DIR/$name.ports")
  status=$("$BIN/grpc-health" "127.0.0.1:$grpc" || true)
  printf "    %-16s grpc 127.0.0.1:%-6s metrics http://127.0.0.1:%s/metrics  %s\n" "$name" "$grpc" "$metrics" "$status"
done

step "4/5 topics on the broker"
kcat -b "$BOOTSTRAP" -L 2>/dev/null | grep -E '^  topic' | sed 's/^/  /'

step "5/5 feed a malformed record and watch it reach the dead-letter queue"
echo '{"truncated":' | kcat -b "$BOOTSTRAP" -P -t raw.calls.v1 -k demo-bad-record
for _ in $(seq 50); do
  out=$(kcat -b "$BOOTSTRAP" -C -t dlq.v1 -o beginning -e -q -f '%k %h\n' 2>/dev/null || true)
  [ -n "$out" ] && break; sleep 0.2
done
echo "    dlq.v1: ${out:-<nothing yet>}"

if [ "$KEEP" = 1 ]; then
  echo; echo "System left running (bootstrap $BOOTSTRAP, logs in $RUN_DIR). Stop it: scripts/demo.sh --stop"
else
  echo; echo "Done. Stopping everything (use --keep to leave it running)."
fi
