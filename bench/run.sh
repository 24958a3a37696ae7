#!/usr/bin/env bash
# Storefront benchmark: builds in release mode, fills a tenant with N products
# (default 1,000,000) through `bazaar demo-data`, serves it from the private
# cluster, and measures each page with wrk at 32 connections, printing a table
# of requests/s and p50/p99 latency, plus the server's peak RSS.
#
#   bench/run.sh                # 1,000,000 products, 32 connections, 20 s per page
#   PRODUCTS=100000 DURATION=10 bench/run.sh
#
# The data folder (target/bench-var) is kept between runs, so the products are
# generated once; delete it to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
PRODUCTS=${PRODUCTS:-1000000}
CONNS=${CONNS:-32}
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
PORT=${PORT:-8099}
. bench/lib.sh
ensure_products
start_server serve.log

get() { curl -sf -H "Host: $HOST" "$base$1"; }
# Pick the URLs from the pages themselves, as a visitor would.
category=$(get /fa/ | grep -o 'class="tile" href="[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//')
product=$(get "$category" | grep -o 'href="/fa/p/[^"]*"' | head -n 1 | sed 's/href="//; s/"$//')
deep="$category"
for _ in $(seq 1 200); do
  next=$(get "$deep" | grep -o '<a href="[^"]*" rel="next"' | sed 's/<a href="//; s/" rel="next"//; s/&amp;/\&/g' || true)
  [ -n "$next" ] || break
  deep=$next
done
search="/fa/search?q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("گوشی هوشمند"))')"
# Distinct queries for the uncached lines, from sampled product names, URL-encoded:
# the first three words (what the as-you-type box sends while a name is typed),
# and the brand then the kind (words out of the names' order: the full-text path).
psql_socket="$(pwd)/$BAZAAR_DATA_DIR/postgres/run"
tenant_id=$(get /fa/ >/dev/null; psql -h "$psql_socket" -U bazaar -d bazaar -Atc "SELECT id FROM tenants WHERE slug = 'demo'")
sample() {
  psql -h "$psql_socket" -U bazaar -d bazaar -Atc \
    "SELECT set_config('app.tenant_id', '$tenant_id', false);
     SELECT $1 FROM products p TABLESAMPLE SYSTEM (1) JOIN brands b ON b.id = p.brand_id WHERE p.status = 'ACTIVE' LIMIT 5000" \
    | tail -n +2 | python3 -c 'import sys,urllib.parse;[print(urllib.parse.quote(l.strip())) for l in sys.stdin if l.strip()]' > "$BAZAAR_DATA_DIR/$2"
}
sample "array_to_string((string_to_array(p.name_fa, ' '))[1:3], ' ')" queries.txt
sample "b.name_fa || ' ' || split_part(p.name_fa, ' ', 1)" words.txt

sample_rss() {
  while kill -0 "$SERVER" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$(cat "$BAZAAR_DATA_DIR/peak-rss" 2>/dev/null || echo 0)" ] && echo "$rss" > "$BAZAAR_DATA_DIR/peak-rss"
    sleep 0.5
  done
}
echo 0 > "$BAZAAR_DATA_DIR/peak-rss"
sample_rss & SAMPLER=$!

# Each server starts its own PostgreSQL (with only the pages pg_prewarm kept
# from the last stop), and each pooled connection plans its statements on first
# use: a few seconds of traffic first, so the rows measure a running shop
# rather than a cold start.
warm_up() { wrk -t "$THREADS" -c "$CONNS" -d 5s -H "Host: $HOST" "$@" >/dev/null; }
warm_up "$base/fa/"
row_header 24 "page ($PRODUCTS products)"
for entry in "home|/fa/" "category page 1|$category" "category deep page|$deep" "product|$product" "search (one query)|$search" "search (5000 queries)|LUA"; do
  name=${entry%%|*}; path=${entry#*|}
  if [ "$path" = LUA ]; then
    wrk_row 24 "$name" -- -c "$CONNS" -d "${DURATION}s" -s bench/search.lua "$base" -- "$BAZAAR_DATA_DIR/queries.txt"
  else
    get "$path" >/dev/null || { echo "$name: $path does not answer 200" >&2; exit 1; }
    wrk_row 24 "$name" -- -c "$CONNS" -d "${DURATION}s" "$base$path"
  fi
done
kill "$SAMPLER" 2>/dev/null || true
peak=$(( $(cat "$BAZAAR_DATA_DIR/peak-rss") / 1024 ))

# Search again with the result cache off, so every request is a real search.
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
export BAZAAR_SEARCH_CACHE_SECS=0
start_server serve-nocache.log
warm_up "$base/fa/"
uncached() { wrk_row 24 "$1" -- -c "$3" -d "${DURATION}s" -s bench/search.lua "$base" -- "$BAZAAR_DATA_DIR/$2"; }
# Each uncached workload runs twice, and both rows are printed. The first pass
# reads its index and table pages from disk: the restarted PostgreSQL holds
# only what the rows above left in its buffers, and the kernel does not keep
# pages no one touched lately (on the development machines, DAMON pages them
# out after about a minute). The second pass is the same queries on a running shop.
uncached "search, name starts, 1st" queries.txt "$CONNS"
uncached "search, name starts" queries.txt "$CONNS"
uncached "search, words, 1st" words.txt "$CONNS"
uncached "search, words" words.txt "$CONNS"
uncached "  words, 4 connections" words.txt 4
printf '\npeak server RSS: %s MB\n' "$peak"
echo "deep page: $deep"
