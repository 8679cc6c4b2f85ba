#!/usr/bin/env bash
# Soak test of one store: builds the server and bench/soak, starts the server with a write
# token (embedded: a bbolt file in a fresh temporary KG_DATA_DIR; neo4j: a fresh Neo4j
# Community from .ci/neo4j/server), runs the soak driver against it, stops everything it
# started, and prints the figures.
#
# Usage: bench/soak/run.sh STORE [DURATION] [CONNECTIONS]
#   STORE        embedded or neo4j
#   DURATION     length of the load (default 30m)
#   CONNECTIONS  concurrent connections (default 64)
#
# Environment:
#   SOAK_FLAGS      extra flags for the driver (for example "-sample 5s -window 30s")
#   SOAK_SOURCE     head (default): build the server from `git archive HEAD`, so concurrent
#                   edits of the working tree cannot change the code under test; worktree: build
#                   the working tree as it is
#   NEO4J_VERSION   Neo4j release for STORE=neo4j (default 5.26.30)
#   NEO4J_PORT      its Bolt port on 127.0.0.1 (default 17987)
#   SOAK_KEEP       1 keeps the temporary directory (server log, data) after the run
#
# It exits with the driver's status: 0 only if no request failed, every write read back and
# the heap and goroutines were flat; or 1 if the server did not shut down cleanly.
set -euo pipefail

store=${1:?usage: $0 embedded|neo4j [duration] [connections]}
duration=${2:-30m}
conns=${3:-64}
case $store in embedded | neo4j) ;; *) echo "STORE must be embedded or neo4j, not '$store'" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/autograph-soak-$store.XXXXXX")
bin=/tmp/autograph-soak-$store
neo_version=${NEO4J_VERSION:-5.26.30}
neo_port=${NEO4J_PORT:-17987}
case $neo_port in 17687 | 17688 | 17787 | 17887 | 17888 | 27687 | 27688)
  echo "NEO4J_PORT $neo_port is reserved for other work; choose another" >&2; exit 2 ;;
esac
server_pid=
neo_started=

cleanup() {
  # Only what this script started, by pid or through the launcher that started it.
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "$neo_started" ]]; then
    "$root/.ci/neo4j/server" stop "$neo_version" "$neo_port" || true
  fi
  if [[ "${SOAK_KEEP:-}" == 1 ]]; then
    echo "kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

echo "== soak of the $store store: $duration, $conns connections, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
cd "$root"
commit=$(git rev-parse --short HEAD)
if [[ "${SOAK_SOURCE:-head}" == worktree ]]; then
  echo "== building the working tree (HEAD $commit; uncommitted changes included): go build -o $bin ."
  go build -o "$bin" .
else
  echo "== building commit $commit (git archive HEAD into $tmp/src): go build -o $bin ."
  mkdir -p "$tmp/src"
  git archive HEAD | tar -x -C "$tmp/src"
  (cd "$tmp/src" && go build -o "$bin" .)
fi
go build -o "$tmp/soak" ./bench/soak

token="soak-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
port=$("$tmp/soak" -free-port)
env_store=()
if [[ $store == embedded ]]; then
  env_store=(KG_DATA_DIR="$tmp/data")
else
  if "$root/.ci/neo4j/server" status "$neo_version" "$neo_port" >/dev/null 2>&1; then
    echo "a Neo4j is already running on port $neo_port; refusing to soak against a database this script did not start" >&2
    exit 2
  fi
  neo_started=1
  "$root/.ci/neo4j/server" start "$neo_version" "$neo_port"
  declare -A neo=()
  while IFS='=' read -r k v; do neo[$k]=$v; done < <("$root/.ci/neo4j/server" env "$neo_version" "$neo_port")
  env_store=(NEO4J_URI="${neo[NEO4J_TEST_URI]}" NEO4J_USERNAME="${neo[NEO4J_TEST_USERNAME]}"
    NEO4J_PASSWORD="${neo[NEO4J_TEST_PASSWORD]}" NEO4J_DATABASE="${neo[NEO4J_TEST_DATABASE]}")
  neo_pid=$(cat "${TMPDIR:-/tmp}/autograph-neo4j-$neo_version-$neo_port/pid")
  echo "== Neo4j $neo_version on ${neo[NEO4J_TEST_URI]} (pid $neo_pid)"
fi

shown=()
for kv in "${env_store[@]}"; do [[ $kv == NEO4J_PASSWORD=* ]] && shown+=("NEO4J_PASSWORD=...") || shown+=("$kv"); done
echo "== starting the server: ${shown[*]} KG_WRITE_TOKEN=... PORT=$port KG_LOG_LEVEL=warn $bin"
start_ns=$(date +%s%N)
env "${env_store[@]}" KG_WRITE_TOKEN="$token" PORT="$port" KG_LOG_LEVEL=warn "$bin" 2>"$tmp/server.log" &
server_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server exited during start-up:" >&2
    cat "$tmp/server.log" >&2
    exit 1
  fi
  if (( $(date +%s%N) - start_ns > 300000000000 )); then
    echo "the server was not ready within 300 s" >&2
    exit 1
  fi
  sleep 0.1
done
echo "== server ready after $(( ($(date +%s%N) - start_ns) / 1000000 )) ms (pid $server_pid); RSS $(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$server_pid/status") MiB"

cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
busy() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
hz=$(getconf CLK_TCK)
srv0=$(cpu "$server_pid"); busy0=$(busy); t0=$(date +%s%N)
if [[ $store == neo4j ]]; then neo_cpu0=$(cpu "$neo_pid"); neo_rss0=$(rss "$neo_pid"); fi

status=0
SOAK_WRITE_TOKEN="$token" "$tmp/soak" -url "http://127.0.0.1:$port" -c "$conns" -d "$duration" \
  -questions "$root/graph/testdata/questions" ${SOAK_FLAGS:-} || status=$?

srv1=$(cpu "$server_pid"); busy1=$(busy); t1=$(date +%s%N)
peak=$(awk '/^VmHWM/ {print int($2/1024)}' "/proc/$server_pid/status")
echo
echo "== stopping the server (SIGTERM)"
stop_ns=$(date +%s%N)
kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=
echo "server exit status $server_status after $(( ($(date +%s%N) - stop_ns) / 1000000 )) ms; peak RSS $peak MiB"
wall=$(( (t1 - t0) / 1000000000 ))
echo "CPU over the run ($wall s of $(nproc) cores): server $(( (srv1 - srv0) / hz )) s, whole machine $(( (busy1 - busy0) / hz )) s"
if [[ $store == neo4j ]]; then
  echo "Neo4j JVM: CPU $(( ($(cpu "$neo_pid") - neo_cpu0) / hz )) s over the run; RSS $neo_rss0 MiB at the start, $(rss "$neo_pid") MiB at the end (heap -Xmx ${NEO4J_TEST_HEAP:-768m})"
fi
if [[ $store == embedded ]]; then
  echo "data file: $(du -k "$tmp/data/graph.db" | cut -f1) KiB on disk ($tmp/data/graph.db)"
fi
lines=$(wc -l <"$tmp/server.log")
echo "server log (warn and above): $lines lines$( ((lines > 0)) && printf ', by level: ' && grep -o '"level":"[A-Z]*"' "$tmp/server.log" | sort | uniq -c | tr '\n' ' ')"
if ((lines > 0)); then tail -n 20 "$tmp/server.log"; fi
if ((server_status != 0 && status == 0)); then status=1; fi
exit "$status"
