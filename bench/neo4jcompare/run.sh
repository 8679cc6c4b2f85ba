#!/usr/bin/env bash
# Side by side: autograph on Neo4j and the Neo4j GraphQL Library (peer/, Apollo Server on
# Node 20) reading the same Neo4j graph. For each dataset size: empties the database, loads
# the dataset through autograph (its own import, so the graph is exactly what autograph writes),
# starts the peer on the same database with the same credentials, and runs bench/neo4jcompare,
# which checks that each pair of answers states the same facts and then prints one-connection
# p50 and 16-connection req/s for both. Everything it starts it stops.
#
# Usage: bench/neo4jcompare/run.sh [SIZE...]      SIZE: seed, or a number of synthetic entities
#                                                 on top of the seed (default: seed 10000 100000)
#        bench/neo4jcompare/run.sh --check        self-check: the seed, 1-second runs
#
# Environment:
#   NEO4J_VERSION   Neo4j release (default 5.26.30), started with .ci/neo4j/server
#   NEO4J_PORT      its Bolt port on 127.0.0.1 (default 17731)
#   KEEP_NEO4J      1 leaves Neo4j running at the end (it is stopped otherwise)
#   COMPARE_FLAGS   extra flags for bench/neo4jcompare (for example "-d 20s -only page,search")
#   COMPARE_OUT     directory for the outputs (default bench/neo4jcompare/results; - for none)
#
# Exit status: 0 when every size loaded, every pair agreed and no request failed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/neo4jcompare"
version=${NEO4J_VERSION:-5.26.30}
port=${NEO4J_PORT:-17731}
check=0
if [[ "${1:-}" == --check ]]; then
  check=1
  shift
  set -- seed
  COMPARE_FLAGS="-d 1s -d1 1s -warmup 0 -prewarm 0 ${COMPARE_FLAGS:-}"
fi
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(seed 10000 100000)
outdir=${COMPARE_OUT:-$here/results}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/neo4jcompare.XXXXXX")
auto_pid= peer_pid=

stop_pid() { # PID: SIGTERM, then wait; only the process this script started, by its pid
  if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop_pid "$peer_pid"
  stop_pid "$auto_pid"
  if [[ "${KEEP_NEO4J:-0}" != 1 ]]; then
    "$root/.ci/neo4j/server" stop "$version" "$port" || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The load-test build (-tags synth) of the server: it alone carries the synthetic generator.
echo "== building autograph (go build -tags synth) and bench/neo4jcompare into $tmp"
(cd "$root" && go build -tags synth -o "$tmp/autograph" . && go build -o "$tmp/neo4jcompare" ./bench/neo4jcompare)

echo "== the peer's packages (npm ci in bench/neo4jcompare/peer)"
if [[ ! -f "$here/peer/node_modules/.package-lock.json" || "$here/peer/package-lock.json" -nt "$here/peer/node_modules/.package-lock.json" ]]; then
  (cd "$here/peer" && npm ci --no-audit --no-fund --loglevel=error)
fi
node --version

echo "== Neo4j $version on 127.0.0.1:$port"
"$root/.ci/neo4j/server" start "$version" "$port"
# The test server's credentials, as NEO4J_TEST_*; both servers get them as NEO4J_*.
while IFS='=' read -r k v; do
  export "NEO4J_${k#NEO4J_TEST_}=$v"
done < <("$root/.ci/neo4j/server" env "$version" "$port")
neo4j_pid=$(cat "${TMPDIR:-/tmp}/autograph-neo4j-$version-$port/pid")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# dataset_env SIZE: the environment that makes autograph load that dataset at start, on top of
# the seed (KG_SEED=always). This is the one place that knows how a dataset is made: today the
# load-test build of the server generates it itself from KG_SYNTHETIC_ENTITIES.
dataset_env() {
  case $1 in
    seed) ;;
    *[!0-9]* | '') echo "size '$1': want seed or a number of entities" >&2; return 2 ;;
    *) echo "KG_SYNTHETIC_ENTITIES=$1" ;;
  esac
}

status=0
for size in "${sizes[@]}"; do
  echo
  echo "== dataset: $size (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$tmp/neo4jcompare" reset
  env_ds=$(dataset_env "$size")
  aport=$(free_port)
  start_ns=$(date +%s%N)
  env KG_SEED=always PORT="$aport" KG_LOG_LEVEL=warn $env_ds "$tmp/autograph" >"$tmp/autograph-$size.log" 2>&1 &
  auto_pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$aport/readyz" 2>/dev/null; do
    if ! kill -0 "$auto_pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  if ! kill -0 "$auto_pid" 2>/dev/null; then
    wait "$auto_pid" 2>/dev/null || true
    auto_pid=
    echo "!!! autograph could not load dataset $size into Neo4j; its log ends:" >&2
    tail -c 3000 "$tmp/autograph-$size.log" >&2
    grep -o 'MemoryPoolOutOfMemoryError[^"]*' "$tmp/autograph-$size.log" | head -1 >&2 || true
    status=1
    continue
  fi
  load_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  echo "autograph ready after $load_ms ms (start-up, seed and dataset import into Neo4j)"

  pport=$(free_port)
  (cd "$here/peer" && exec env NODE_ENV=production PORT="$pport" node server.mjs) >"$tmp/peer.log" 2>&1 &
  peer_pid=$!
  for _ in $(seq 1 300); do
    grep -q '^listening ' "$tmp/peer.log" && break
    kill -0 "$peer_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^listening ' "$tmp/peer.log"; then
    echo "!!! the peer did not start:" >&2
    cat "$tmp/peer.log" >&2
    exit 1
  fi

  out=/dev/null
  if [[ $check == 1 ]]; then
    out="$tmp/check.txt"
  elif [[ "$outdir" != - ]]; then
    mkdir -p "$outdir"
    out="$outdir/$(date -u +%Y-%m-%d-%H%M%S)-$size.txt"
  fi
  {
    echo "dataset $size: autograph loaded it in $load_ms ms; Neo4j $version; the peer on Node $(node --version) with @neo4j/graphql $(cd "$here/peer" && node -p 'require("./node_modules/@neo4j/graphql/package.json").version')"
    "$tmp/neo4jcompare" -autograph "http://127.0.0.1:$aport" -peer "http://127.0.0.1:$pport" -label "$size" \
      -pids "autograph=$auto_pid,peer=$peer_pid,neo4j=$neo4j_pid" ${COMPARE_FLAGS:-}
  } 2>&1 | tee "$out" || status=1
  [[ "$out" == /dev/null || $check == 1 ]] || echo "(written to $out)"

  stop_pid "$peer_pid"; peer_pid=
  stop_pid "$auto_pid"; auto_pid=
  if [[ -s "$tmp/autograph-$size.log" ]]; then
    echo "autograph logged (warn and above), last lines:"
    tail -n 5 "$tmp/autograph-$size.log"
  fi
done
if [[ $check == 1 ]]; then
  if [[ $status == 0 ]] && grep -q 'depth-2 .* yes ' "$tmp/check.txt" && ! grep -q MISMATCH "$tmp/check.txt"; then
    echo "self-check passed: every question agreed on the seed and no request failed"
  else
    echo "self-check FAILED" >&2
    status=1
  fi
fi
exit "$status"
