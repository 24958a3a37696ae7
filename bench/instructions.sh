#!/usr/bin/env bash
# The server's own cost of a page in instructions, counted by callgrind: the
# same count for the same build and data whatever else the machine does, where
# wrk's timings on these shared 2-core machines move by a fifth between runs.
# It counts the app only (PostgreSQL and the kernel are not in it), over N
# requests made one after another once the pool and the caches are warm.
#
#   bench/instructions.sh                       # home, category, product, search
#   N=200 bench/instructions.sh /fa/c/electronics
#
# Uses the data folder bench/run.sh fills (run that first).
set -euo pipefail
cd "$(dirname "$0")/.."
PRODUCTS=${PRODUCTS:-1000000}
PORT=${PORT:-8099}
N=${N:-100}
. bench/lib.sh
command -v valgrind >/dev/null || apt_install valgrind
[ -f "$BAZAAR_DATA_DIR/bench-products" ] || { echo "no bench data: run bench/run.sh first" >&2; exit 1; }

out=$(mktemp -d)
valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" "$BIN" serve > "$BAZAAR_DATA_DIR/callgrind.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.5; done

get() { curl -sf -o "${2:-/dev/null}" -H "Host: $HOST" "$base$1"; }
if [ $# -eq 0 ]; then
  get /fa/c/electronics "$out/category.html"
  product=$(grep -o 'href="/fa/p/[^"]*"' "$out/category.html" | head -n 1 | sed 's/href="//; s/"$//')
  set -- /fa/ /fa/c/electronics "$product" "/fa/search?q=%DA%AF%D9%88%D8%B4%DB%8C"
fi
printf '%-48s %14s\n' "page ($N requests each)" "instructions"
for path in "$@"; do
  for _ in $(seq 1 20); do get "$path"; done   # pool, statement cache and result caches warm
  callgrind_control -z "$SERVER" >/dev/null 2>&1
  for _ in $(seq 1 "$N"); do get "$path"; done
  callgrind_control -d "$SERVER" >/dev/null 2>&1
  dump=$(ls -v "$out"/cg.*.* | tail -n 1)
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
  printf '%-48s %14s\n' "$path" "$((total / N))"
done
