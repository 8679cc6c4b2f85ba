#!/usr/bin/env bash
# The ladder (bench/ladder): bare net/http, minimal gqlgen, then the project's server on the
# embedded store with the seed, each server pinned to CPU 0 and the load generator to CPU 1.
# Builds the ladder, which builds the project's server from this tree, and prints one table.
#
# Usage: bench/ladder.sh [ladder flags]   e.g. bench/ladder.sh -c 64 -d 20s -r 3 -pprof
# The output is also written to bench/ladder/results/<UTC date and time>.txt unless
# LADDER_OUT names another file (LADDER_OUT=- for none).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/ladder" ./bench/ladder)
out=${LADDER_OUT:-$root/bench/ladder/results/$(date -u +%Y-%m-%d-%H%M%S).txt}
cd "$root"
if [[ "$out" == - ]]; then
  exec "$tmp/ladder" -root "$root" "$@"
fi
mkdir -p "$(dirname "$out")"
status=0
"$tmp/ladder" -root "$root" "$@" 2>&1 | tee "$out" || status=$?
echo "(written to $out)"
exit "$status"
