#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts the local broker and
# every service as real processes, streams a simulated sales org through
# them, and prints each manager's coaching board and the escalations.
#   scripts/demo.sh          run, show, stop everything
#   scripts/demo.sh --keep   leave the system running to explore with coachctl
#                            (stop it: scripts/demo.sh --stop)
# Environment: DEMO_SEED (42), DEMO_REPS (40), DEMO_MONTHS (4).
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
TENANT=acme
METRICS_GRPC=127.0.0.1:50052
COACHING_GRPC=127.0.0.1:50053

CURRENT_STEP=""
step() { CURRENT_STEP="$*"; echo; echo "==> $*"; }
fail() { echo "!! step failed: ${CURRENT_STEP}: $*"; echo "!! logs are in $RUN_DIR/"; exit 1; }

step "1/7 install and build"
CS_BUILD_TARGETS="${CS_BUILD_TARGETS:-devbroker ingest metrics coaching simulate coachctl grpc-health}" \
  scripts/setup.sh || fail "build (see build/build.log)"
BIN="$ROOT/build/bin"
export COACHCTL_TENANT=$TENANT COACHCTL_COACHING=$COACHING_GRPC COACHCTL_METRICS=$METRICS_GRPC

# A previous --keep run is stopped first; state starts fresh each demo.
if [ -f "$RUN_DIR/pids" ]; then xargs -r kill < "$RUN_DIR/pids" 2>/dev/null || true; sleep 1; fi
rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"
: > "$RUN_DIR/pids"
cleanup() {
  if [ "$KEEP" = 0 ]; then
    xargs -r kill < "$RUN_DIR/pids" 2>/dev/null || true
    sleep 1
  fi
}
trap cleanup EXIT

# Prometheus text from a service's /metrics (bash's /dev/tcp: no curl needed).
scrape() {
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  cat <&3; exec 3>&-
}
# Sum of every sample of a metric family on a port, except samples whose
# line matches the optional regex $3 (e.g. a label value).
metric_sum() {
  scrape "$1" 2>/dev/null | awk -v f="$2" -v skip="${3:-}" '
    index($0, f) == 1 && substr($0, length(f) + 1, 1) ~ /[{ ]/ && (skip == "" || $0 !~ skip) {s += $NF}
    END {printf "%d", s}'
}
port_of() { awk -v k="$2" '$1 == k {print $2}' "$RUN_DIR/$1.ports"; }
# Records read = final outcomes + records parked right now: a record parked
# until its person appears is counted under "parked" and again under its
# final outcome once released.
ingest_read() {  # metrics port
  echo $(( $(metric_sum "$1" coachstream_ingest_records_total 'outcome="parked"') + \
           $(metric_sum "$1" coachstream_ingest_parked_records) ))
}
topic_size() { kcat -b "$BOOTSTRAP" -C -t "$1" -o beginning -e -q -f '.\n' 2>/dev/null | wc -l; }

step "2/7 start devbroker (Kafka protocol on loopback)"
"$BIN/devbroker" --listen=127.0.0.1:0 --bootstrap_file="$RUN_DIR/bootstrap" \
  > "$RUN_DIR/devbroker.out" 2> "$RUN_DIR/devbroker.log" &
echo $! >> "$RUN_DIR/pids"
for _ in $(seq 100); do [ -s "$RUN_DIR/bootstrap" ] && break; sleep 0.1; done
[ -s "$RUN_DIR/bootstrap" ] || fail "devbroker did not start (devbroker.log)"
BOOTSTRAP=$(cat "$RUN_DIR/bootstrap")
echo "    bootstrap: $BOOTSTRAP"

step "3/7 start services (ingest per source, metrics, coaching)"
for port in 50052 50053; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use (another coachstream? scripts/demo.sh --stop)"
  fi
done
start_service() {  # name binary args...
  local name=$1 bin=$2; shift 2
  "$BIN/$bin" --kafka_bootstrap="$BOOTSTRAP" --state_dir="$RUN_DIR/state" \
    --metrics_address=127.0.0.1:0 --ports_file="$RUN_DIR/$name.ports" "$@" 2> "$RUN_DIR/$name.log" &
  echo $! >> "$RUN_DIR/pids"
}
for source in org crm calls calendar; do
  start_service "ingest-$source" ingest --source="$source" --grpc_address=127.0.0.1:0 --directory_wait=2s
done
start_service metrics metrics --grpc_address=$METRICS_GRPC
# Alert rules run every 2 s here (default 60 s), and an alert nobody
# acknowledges escalates after 15 s instead of the production 48 h, so the
# demo can show escalations reaching directors and the VP.
ACK_SLA="${DEMO_ACK_SLA:-15s}"
start_service coaching coaching --grpc_address=$COACHING_GRPC --metrics_target=$METRICS_GRPC \
  --alert_eval_interval=2s --alert_ack_sla="$ACK_SLA" ${DEMO_COACHING_FLAGS:-}
SERVICES="ingest-org ingest-crm ingest-calls ingest-calendar metrics coaching"
for name in $SERVICES; do
  for _ in $(seq 200); do [ -s "$RUN_DIR/$name.ports" ] && break; sleep 0.1; done
  [ -s "$RUN_DIR/$name.ports" ] || fail "$name did not start ($name.log)"
  grpc=$(port_of "$name" grpc)
  status=""
  for _ in $(seq 50); do status=$("$BIN/grpc-health" "127.0.0.1:$grpc" 2>/dev/null || true); [ "$status" = SERVING ] && break; sleep 0.2; done
  printf "    %-16s grpc 127.0.0.1:%-6s metrics http://127.0.0.1:%s/metrics  %s\n" \
    "$name" "$grpc" "$(port_of "$name" metrics)" "$status"
done

step "4/7 simulate a sales org (seed ${DEMO_SEED:-42}) in the vendors' own formats onto raw.*"
END_DAY=$(date -u +%Y-%m-%d)
SIMULATE=("$BIN/simulate" --out=kafka --kafka_bootstrap="$BOOTSTRAP" --seed="${DEMO_SEED:-42}"
  --reps="${DEMO_REPS:-40}" --months="${DEMO_MONTHS:-4}" --end="$END_DAY" --rate="${DEMO_RATE:-10000}")
# The HR feed first, as the README advises for a first load: records of
# people not yet in the directory are parked (or, for a meeting, emitted
# again once they are learned), which only costs time. The same seed writes
# the same records in two runs as in one.
"${SIMULATE[@]}" --topics=raw.org.v1 --truth="$RUN_DIR/truth.json" > "$RUN_DIR/simulate-org.log" 2>&1 \
  || fail "simulate (simulate-org.log)"
json_total() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print(t[sys.argv[2]] if len(sys.argv) < 4 else t[sys.argv[2]][sys.argv[3]])' "$RUN_DIR/truth.json" "$@"; }
RAW_TOTAL=$(json_total records)
ORG_TOTAL=$(json_total per_topic raw.org.v1)
ORG_PORT=$(port_of ingest-org metrics)
people=0
for _ in $(seq 60); do  # every HR record read, its people on org.directory.v1 (stable for a second)
  read_org=$(ingest_read "$ORG_PORT")
  now=$(topic_size org.directory.v1)
  [ "$read_org" -ge "$ORG_TOTAL" ] && [ "$now" -gt 0 ] && [ "$now" -eq "$people" ] && break
  people=$now
  sleep 1
done
[ "$read_org" -ge "$ORG_TOTAL" ] || fail "ingest-org read $read_org/$ORG_TOTAL HR records (ingest-org.log)"
echo "    HR feed: $ORG_TOTAL records, $people directory entries; then CRM, calls and calendars"
"${SIMULATE[@]}" --topics=raw.crm.v1,raw.calls.v1,raw.calendar.v1 --progress \
  2> >(tee "$RUN_DIR/simulate.log" >&2) || fail "simulate (simulate.log)"

step "5/7 ingest and metrics catch up"
bar() {  # label done total
  local width=40 filled=$(( $2 * 40 / ($3 > 0 ? $3 : 1) ))
  [ "$filled" -gt $width ] && filled=$width
  printf "\r    %-8s [%-${width}s] %d/%d" "$1" "$(printf '%*s' "$filled" '' | tr ' ' '#')" "$2" "$3"
}
deadline=$(( $(date +%s) + 600 ))
while :; do
  read_total=0
  for source in org crm calls calendar; do
    n=$(ingest_read "$(port_of "ingest-$source" metrics)")
    read_total=$(( read_total + ${n:-0} ))
  done
  bar ingest "$read_total" "$RAW_TOTAL"
  [ "$read_total" -ge "$RAW_TOTAL" ] && break
  [ "$(date +%s)" -gt "$deadline" ] && fail "ingest stalled at $read_total/$RAW_TOTAL (ingest-*.log)"
  sleep 0.5
done
echo
# Counted once the last batches' outputs have landed (two counts a second
# apart agree) and no record is parked any more (everyone in this org is in
# its HR feed; a record released late would add events after the count).
parked_total() {
  local n=0
  for source in org crm calls calendar; do
    n=$(( n + $(metric_sum "$(port_of "ingest-$source" metrics)" coachstream_ingest_parked_records) ))
  done
  echo "$n"
}
EVENTS=$(topic_size coaching.events.v1)
for _ in $(seq 60); do
  sleep 1
  now=$(topic_size coaching.events.v1)
  [ "$now" -eq "$EVENTS" ] && [ "$(parked_total)" -eq 0 ] && break
  EVENTS=$now
done
while :; do
  consumed=$(metric_sum "$(port_of metrics metrics)" coachstream_metrics_events_consumed_total)
  bar metrics "${consumed:-0}" "$EVENTS"
  [ "${consumed:-0}" -ge "$EVENTS" ] && break
  [ "$(date +%s)" -gt "$deadline" ] && fail "metrics stalled at $consumed/$EVENTS (metrics.log)"
  sleep 0.5
done
echo
dlq=$(kcat -b "$BOOTSTRAP" -C -t dlq.v1 -o beginning -e -q -f '%h\n' 2>/dev/null | wc -l)
echo "    $RAW_TOTAL vendor records -> $EVENTS canonical events; $dlq dead-lettered"

MONTH=$(date -u +%Y-%m)
if [ "$(date -u +%d)" -le 3 ]; then MONTH=$(date -u -d "$(date -u +%Y-%m-01) - 1 day" +%Y-%m); fi
MANAGERS=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(" ".join(p["person_id"] for p in t["people"] if p["role"] == "frontline_manager"))' "$RUN_DIR/truth.json")
LEADERS=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(" ".join(p["person_id"] for p in t["people"] if p["role"] in ("director", "vp")))' "$RUN_DIR/truth.json")

step "6/7 coaching boards for $MONTH (one focus skill per rep, with the why)"
for m in $MANAGERS; do
  habit=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(next(p.get("coaching_habit","") for p in t["people"] if p["person_id"]==sys.argv[2]))' "$RUN_DIR/truth.json" "$m")
  echo; echo "--- $m (simulated coaching habit: $habit)"
  "$BIN/coachctl" team --manager "$m" --month "$MONTH" || fail "coachctl team --manager $m"
done

step "7/7 accountability alerts escalating up the chain (ack SLA shortened to $ACK_SLA for the demo)"
VP=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(next(p["person_id"] for p in t["people"] if p["role"]=="vp"))' "$RUN_DIR/truth.json")
sla_s=$(( ${ACK_SLA%s} ))
echo "    nobody acknowledges: waiting $(( 2 * sla_s + 6 ))s for alerts to move manager -> director -> VP"
sleep $(( 2 * sla_s + 6 ))
for l in $LEADERS; do
  echo; echo "--- alerts now with $l"
  "$BIN/coachctl" alerts --recipient "$l" || fail "coachctl alerts --recipient $l"
done
echo; echo "--- coaching roll-up for the VP ($VP)"
"$BIN/coachctl" rollup --as "$VP" || fail "coachctl rollup --as $VP"

if [ "$KEEP" = 1 ]; then
  cat <<EOF

System left running (logs in $RUN_DIR). Try:
  export COACHCTL_TENANT=$TENANT
  build/bin/coachctl team --manager ${MANAGERS%% *}
  build/bin/coachctl rep <rep id from the board>
  build/bin/coachctl pack <rep id> -o pack.html
  build/bin/coachctl alerts --recipient ${LEADERS%% *} --watch
Stop it: scripts/demo.sh --stop
EOF
else
  echo; echo "Done. Stopping everything (scripts/demo.sh --keep leaves it running for coachctl)."
fi
