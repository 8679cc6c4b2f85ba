#!/usr/bin/env bash
# Bulk import from JSON Lines: generates a synthetic dataset file (bench/datasetgen, cached
# in $BULK_DIR), builds autograph, and times `autograph import` of it into a fresh embedded
# data directory, then the same import again (which must change nothing), and, when
# NEO4J_URI is set, into that Neo4j database (use an empty database of its own: the import
# writes every item there). For each run it prints wall time, CPU time and peak RSS (GNU
# time), the phases the import logs, and the machine's load average, since the machine may be
# shared.
#
# Usage: bench/import-bulk.sh [entities]      (default 1000000)
#   BULK_DIR   where the file and data directory go (default: a fresh temporary directory)
#   NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE   also import into Neo4j
set -euo pipefail

entities=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BULK_DIR:-$(mktemp -d)}
mkdir -p "$dir"
file="$dir/synth-$entities.jsonl"
bin="$dir/autograph"

cd "$root"
go build -o "$bin" .
if [[ ! -s "$file" ]]; then
  echo "== generating $file"
  go run ./bench/datasetgen -entities "$entities" -out "$file"
fi
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "== file: $(du -h "$file" | cut -f1), $(wc -l <"$file") records"

# measure LABEL ENV... : runs the import under GNU time and prints the figures.
measure() {
  local label=$1
  shift
  local log="$dir/$label.log"
  echo "== $label (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  local status=0
  env "$@" /usr/bin/time -v "$bin" import "$file" >"$log" 2>&1 || status=$?
  grep -E '^(imported|checking and writing .*done|reading .*100% read|[0-9]+ records|autograph import:)' "$log" || true
  grep -E 'Elapsed|User time|System time|Maximum resident' "$log" | sed 's/^\s*/   /'
  echo "   exit status $status; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

rm -rf "$dir/data"
measure embedded -u NEO4J_URI KG_SEED=never KG_DATA_DIR="$dir/data"
measure embedded-again -u NEO4J_URI KG_SEED=never KG_DATA_DIR="$dir/data"
echo "   data directory: $(du -sh "$dir/data" | cut -f1)"
if [[ -n "${NEO4J_URI:-}" ]]; then
  measure neo4j KG_SEED=never
fi
