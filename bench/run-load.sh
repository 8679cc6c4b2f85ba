#!/usr/bin/env bash
# Load test of the embedded store: builds the server (with -tags synth, the load-test build that
# can generate a synthetic dataset; the production binary cannot) and bench/loadgen, starts the
# server in memory with the seed plus a synthetic dataset, waits until it is ready, runs loadgen
# against it (and against loadgen's bare net/http baseline), then stops the server with SIGTERM.
#
# Usage: bench/run-load.sh [entities] [duration] [connections]
#   entities     synthetic entities on top of the seed (default 10000; 0 = the seed alone)
#   duration     measured duration of each run, server and baseline (default 60s)
#   connections  concurrent connections (default 64)
# Extra loadgen flags can be passed in LOADGEN_FLAGS (for example "-warmup 10s").
#
# It reports the server's start-up time (process start to /readyz answering 200: seed and
# synthetic generation and import included), its peak RSS, and how it shut down.
set -euo pipefail

entities=${1:-10000}
duration=${2:-60s}
conns=${3:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
server_pid=

cleanup() {
  # Only the server this script started, by its pid.
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== building (go build -tags synth -o $tmp/autograph; go build -o $tmp/loadgen)"
(cd "$root" && go build -tags synth -o "$tmp/autograph" . && go build -o "$tmp/loadgen" ./bench/loadgen)

port=$("$tmp/loadgen" -free-port)
env_synth=()
if [[ "$entities" != 0 ]]; then
  env_synth=(KG_SYNTHETIC_ENTITIES="$entities")
fi

echo "== starting the server: KG_DATA_DIR=:memory: ${env_synth[*]:+${env_synth[*]} }PORT=$port KG_LOG_LEVEL=warn"
start_ns=$(date +%s%N)
env KG_DATA_DIR=:memory: "${env_synth[@]}" PORT="$port" KG_LOG_LEVEL=warn \
  "$tmp/autograph" 2>"$tmp/server.log" &
server_pid=$!

# Wait for readiness: the listener opens only once the data is loaded.
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server exited during start-up:" >&2
    cat "$tmp/server.log" >&2
    exit 1
  fi
  sleep 0.05
done
ready_ns=$(date +%s%N)
startup_ms=$(( (ready_ns - start_ns) / 1000000 ))
rss_ready=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")
echo "== server ready after $startup_ms ms (seed + $entities synthetic entities); RSS $((rss_ready / 1024)) MiB"
echo

# CPU accounting (Linux): the machine's busy time and the server's, before and after the load,
# and loadgen's own from GNU time, so that CPU taken by anything else on the machine (which
# skews every figure on a small box) is reported rather than guessed at.
busy_jiffies() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
proc_jiffies() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
busy0=$(busy_jiffies); srv0=$(proc_jiffies "$server_pid"); t0=$(date +%s%N)

lg_status=0
timer=()
if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f '%U %S' -o "$tmp/loadgen.cpu"); fi
"${timer[@]}" "$tmp/loadgen" -url "http://127.0.0.1:$port" -c "$conns" -d "$duration" \
  -questions "$root/graph/testdata/questions" ${LOADGEN_FLAGS:-} || lg_status=$?

busy1=$(busy_jiffies); srv1=$(proc_jiffies "$server_pid"); t1=$(date +%s%N)

peak_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status")
echo "== stopping the server (SIGTERM)"
stop_ns=$(date +%s%N)
kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=
stopped_ms=$(( ($(date +%s%N) - stop_ns) / 1000000 ))

echo
echo "== summary"
echo "entities (synthetic):   $entities"
echo "start-up to ready:      $startup_ms ms"
echo "server RSS when ready:  $((rss_ready / 1024)) MiB"
echo "server peak RSS:        $((peak_kb / 1024)) MiB"
echo "shutdown:               exit status $server_status after $stopped_ms ms"
echo "loadgen:                exit status $lg_status"
awk -v busy=$((busy1 - busy0)) -v srv=$((srv1 - srv0)) -v hz="$hz" -v ns=$((t1 - t0)) \
  -v lg="$(cat "$tmp/loadgen.cpu" 2>/dev/null | tail -n 1)" -v cores="$(nproc)" 'BEGIN {
  wall = ns / 1e9; split(lg, u, " "); lgs = u[1] + u[2]
  printf "CPU during the load:    %.0f s of %d cores x %.0f s: server %.0f s, loadgen %.0f s (client and its baseline server), other processes %.0f s (%.2f cores on average; tick accounting, +-0.15 cores)\n",
    busy / hz, cores, wall, srv / hz, lgs, busy / hz - srv / hz - lgs, (busy / hz - srv / hz - lgs) / wall
}'
if [[ -s "$tmp/server.log" ]]; then
  echo "server log (warn and above), last 20 lines:"
  tail -n 20 "$tmp/server.log"
fi
exit "$lg_status"
