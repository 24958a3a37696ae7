# What the benchmarks share: prerequisites, the release build, the generated
# tenant (kept in the data folder between runs), the server and wrk's units.
# Sourced by bench/run.sh and bench/backoffice.sh after they set PRODUCTS and PORT.
HOST=demo.localhost
export BAZAAR_DATA_DIR=${BAZAAR_DATA_DIR:-target/bench-var}
export BAZAAR_BIND=127.0.0.1:$PORT
export RUST_LOG=${RUST_LOG:-warn}
BIN=target/release/bazaar
base="http://127.0.0.1:$PORT"

. scripts/prereqs.sh
ensure_prereqs
command -v wrk >/dev/null || apt_install wrk
cargo build --release --locked -q --bin bazaar

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

# wrk's "1.23ms" / "850.00us" / "1.02s" as milliseconds.
to_ms() { case "$1" in *us) awk -v v="${1%us}" 'BEGIN{printf "%.2f", v/1000}';; *ms) echo "${1%ms}";; *s) awk -v v="${1%s}" 'BEGIN{printf "%.1f", v*1000}';; *) echo "$1";; esac; }
