# What the benchmarks share: prerequisites, the release build, the generated
# tenant (kept in the data folder between runs), the server and wrk's units.
# Sourced by bench/run.sh, bench/backoffice.sh and bench/instructions.sh after they set
# PRODUCTS and PORT.
HOST=demo.localhost
export BAZAAR_DATA_DIR=${BAZAAR_DATA_DIR:-target/bench-var}
export BAZAAR_BIND=127.0.0.1:$PORT
export RUST_LOG=${RUST_LOG:-warn}
# The load comes from one address, as no real traffic does: per-address limits off.
export BAZAAR_RATE_LIMITS=false
base="http://127.0.0.1:$PORT"

. scripts/prereqs.sh
ensure_prereqs
command -v wrk >/dev/null || apt_install wrk
# BIN names a binary to measure (another build, for an A/B); else this tree's release build.
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -q --bin bazaar
  BIN=target/release/bazaar
fi

# Tops the "demo" tenant up to $PRODUCTS generated products.
ensure_products() {
  local have; have=$(cat "$BAZAAR_DATA_DIR/bench-products" 2>/dev/null || echo 0)
  if [ "$have" -lt "$PRODUCTS" ]; then
    echo "== generating $((PRODUCTS - have)) products"
    local start; start=$(date +%s)
    "$BIN" demo-data --products $((PRODUCTS - have)) --tenant demo --domain "$HOST"
    echo "$PRODUCTS" > "$BAZAAR_DATA_DIR/bench-products"
    echo "   took $(( $(date +%s) - start )) s"
  fi
}

# Starts the server (SERVER holds its pid; stopped on exit) and waits until it answers.
start_server() {
  "$BIN" serve > "$BAZAAR_DATA_DIR/$1" 2>&1 &
  SERVER=$!
  trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
}

# The machine's CPU counters: busy (user, nice, system, irq, softirq), steal, total, in ticks.
cpu_ticks() { awk '$1 == "cpu" {busy = $2 + $3 + $4 + $7 + $8; print busy, $9, busy + $5 + $6 + $9}' /proc/stat; }

# Prints the table's header; NAME_WIDTH first, then the row names' column title.
row_header() {
  printf '\n%-*s %10s %9s %9s %7s %8s %7s\n' "$1" "$2" "req/s" "p50 ms" "p99 ms" "errors" "cpu ms" "steal%"
}

# Runs wrk with the given arguments and prints one row of the table: NAME_WIDTH NAME -- WRK ARGS.
# "cpu ms" is the whole machine's busy CPU time (server, database and wrk) per
# request; "steal%" the share of time the hypervisor gave to other machines.
# Both tell a slow run on a busy host from a slower build.
wrk_row() {
  local width=$1 name=$2; shift 3
  local before after out
  before=$(cpu_ticks)
  out=$(wrk -t "$THREADS" --latency -H "Host: $HOST" "$@")
  after=$(cpu_ticks)
  local rps p50 p99 errs n
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx/ {print $5} /Socket errors/ {print "socket"}' | head -n 1)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  read -r cpu steal <<<"$(awk -v b="$before" -v a="$after" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    printf "%.2f %.0f", (y[1] - x[1]) * 1000 / hz / (n > 0 ? n : 1), 100 * (y[2] - x[2]) / ((y[3] - x[3]) > 0 ? y[3] - x[3] : 1) }')"
  printf '%-*s %10s %9s %9s %7s %8s %7s\n' "$width" "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${errs:-0}" "$cpu" "$steal"
}

# wrk's "1.23ms" / "850.00us" / "1.02s" as milliseconds.
to_ms() { case "$1" in *us) awk -v v="${1%us}" 'BEGIN{printf "%.2f", v/1000}';; *ms) echo "${1%ms}";; *s) awk -v v="${1%s}" 'BEGIN{printf "%.1f", v*1000}';; *) echo "$1";; esac; }
