#!/usr/bin/env bash
# Commerce benchmark: add-to-cart and order placement (no payment) at 32
# concurrent shoppers, each on its own connection, against the release build
# on the private cluster; then a race for a product with SCARCE units, with
# the oversell checks printed from the database.
#
#   bench/orders.sh                  # 32 shoppers, 10 s per phase, 500 scarce units
#   CONNS=64 SECONDS_PER_PHASE=20 bench/orders.sh
#
# Orders are measured twice: spread over the catalogue's products (shopper i
# buys product i mod 9), and all on one product, the worst case, where every
# order waits for the previous one's row lock and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS=${CONNS:-32}
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-10}
SCARCE=${SCARCE:-500}
PORT=${PORT:-8098}
export BAZAAR_DATA_DIR=${BAZAAR_DATA_DIR:-target/bench-orders-var}
export BAZAAR_BIND=127.0.0.1:$PORT
export RUST_LOG=${RUST_LOG:-warn}
# The load comes from one address, as no real traffic does: per-address limits off.
export BAZAAR_RATE_LIMITS=false

# A fresh cluster each run, so runs compare (initdb and the demo data take ~15 s).
rm -rf "$BAZAAR_DATA_DIR"

. scripts/prereqs.sh
ensure_prereqs
cargo build --release --locked -q --bin bazaar --example order_bench
BIN=${BIN:-target/release/bazaar}

"$BIN" serve > "$BAZAAR_DATA_DIR.serve.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

socket="$(pwd)/$BAZAAR_DATA_DIR/postgres/run"
sql() { psql -h "$socket" -U bazaar -d bazaar -v ON_ERROR_STOP=1 -Atq -c "SELECT set_config('app.tenant_id', (SELECT id::text FROM tenants WHERE is_default), false)" -c "$1" | tail -n +2; }
# Shoppers share the demo customer's password hash; two products: plenty, and scarce.
sql "INSERT INTO users (id, tenant_id, email, full_name, password_hash)
     SELECT gen_random_uuid(), tenant_id, 'bench' || g || '@example.com', 'Bench ' || g, password_hash
     FROM users, generate_series(1, $CONNS) g WHERE email = 'customer@nextgen.local'
     ON CONFLICT DO NOTHING" >/dev/null
sql "UPDATE products SET stock = 1000000000, reserved_stock = 0, max_order_qty = NULL, status = 'ACTIVE' WHERE sku <> 'PRS-TSH-COT-M'" >/dev/null
sql "UPDATE products SET stock = $SCARCE, reserved_stock = 0 WHERE sku = 'PRS-TSH-COT-M'" >/dev/null
bulk=$(sql "SELECT id FROM products WHERE sku = 'ANK-WC-15W'")
spread=$(sql "SELECT string_agg(id::text, ',' ORDER BY sku) FROM products WHERE sku <> 'PRS-TSH-COT-M'")
scarce=$(sql "SELECT id FROM products WHERE sku = 'PRS-TSH-COT-M'")
before=$(sql "SELECT count(*) FROM orders")

echo "== orders spread over $(echo "$spread" | tr ',' '\n' | wc -l) products"
target/release/examples/order_bench "http://127.0.0.1:$PORT" localhost Customer123! "$spread" "$scarce" "$CONNS" "$SECONDS_PER_PHASE" \
  | sed -n '/shoppers at once/,/place order/p'
# Shoppers told "not enough stock" still hold the scarce product in their carts.
sql "DELETE FROM cart_items" >/dev/null
sql "UPDATE products SET stock = $SCARCE, reserved_stock = 0 WHERE sku = 'PRS-TSH-COT-M'" >/dev/null
started=$(sql "SELECT now()")
echo; echo "== every order on one product (one hot row)"
out=$(target/release/examples/order_bench "http://127.0.0.1:$PORT" localhost Customer123! "$bulk" "$scarce" "$CONNS" "$SECONDS_PER_PHASE")
echo "$out" | grep -v '^SCARCE_PLACED='
placed=$(echo "$out" | awk -F= '/^SCARCE_PLACED=/ {print $2}')

echo
echo "checks:"
reserved=$(sql "SELECT reserved_stock FROM products WHERE id = '$scarce'")
stock=$(sql "SELECT stock FROM products WHERE id = '$scarce'")
scarce_orders=$(sql "SELECT count(DISTINCT i.order_id) FROM order_items i JOIN orders o ON o.id = i.order_id
                     WHERE i.product_id = '$scarce' AND o.created_at >= '$started'")
logs=$(sql "SELECT count(*) FROM inventory_logs WHERE product_id = '$scarce' AND reason = 'RESERVE' AND created_at >= '$started'")
neg=$(sql "SELECT count(*) FROM products WHERE stock - reserved_stock < 0")
bad_totals=$(sql "SELECT count(*) FROM orders o WHERE total <> subtotal - discount_amount + tax_amount + shipping_amount
                  OR tax_amount <> (SELECT sum(tax_amount) FROM order_items i WHERE i.order_id = o.id)")
status=0
check() { if [ "$1" = "$2" ]; then echo "  ok   $3 ($1)"; else echo "  FAIL $3: $1, expected $2"; status=1; fi; }
check "$placed" "$SCARCE" "scarce orders placed = units in stock"
check "$scarce_orders" "$SCARCE" "scarce orders in the database"
check "$reserved" "$stock" "reserved = stock: sold out, not oversold"
check "$logs" "$SCARCE" "one inventory log per reservation"
check "$neg" "0" "no product below zero available"
check "$bad_totals" "0" "every order's total adds up"
echo "  orders written in this run: $(( $(sql "SELECT count(*) FROM orders") - before ))"
exit $status
