#!/usr/bin/env bash
# Back-office benchmark: with a 1,000,000-product tenant (the storefront
# benchmark's data folder, generated here if missing), measures the staff
# product list, a vendor's product list and the moderation queue with wrk at
# 8 connections (the issue's target: p99 <= 50 ms each).
#
#   bench/backoffice.sh                  # 1,000,000 products, 8 connections, 20 s per page
#   PRODUCTS=100000 DURATION=10 bench/backoffice.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRODUCTS=${PRODUCTS:-1000000}
CONNS=${CONNS:-8}
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
PORT=${PORT:-8098}
. bench/lib.sh
ensure_products
start_server serve-backoffice.log

socket="$(pwd)/$BAZAAR_DATA_DIR/postgres/run"
in_tenant() { psql -h "$socket" -U bazaar -d bazaar -v ON_ERROR_STOP=1 -Atq -c "SELECT set_config('app.tenant_id', (SELECT id::text FROM tenants WHERE slug = '$1'), false)" "${@:2}" | tail -n +2; }
# Staff and a vendor in the big tenant, with the demo customer's password
# (Customer123!); the staff member has a known TOTP secret.
hash=$(in_tenant nextgen -c "SELECT password_hash FROM users WHERE email = 'customer@nextgen.local'")
secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
in_tenant demo -v hash="$hash" -v secret="$secret" -f - <<'SQL' >/dev/null
INSERT INTO users (id, tenant_id, email, full_name, password_hash, totp_secret, totp_enabled_at)
SELECT gen_random_uuid(), app_tenant_id(), e, 'Bench', :'hash', :'secret', now()
FROM unnest(ARRAY['bench-admin@example.com', 'bench-vendor@example.com']) e
ON CONFLICT (tenant_id, email) DO UPDATE SET totp_last_step = NULL;
UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL WHERE email = 'bench-vendor@example.com';
INSERT INTO user_role_assignments (id, tenant_id, user_id, role_id)
SELECT gen_random_uuid(), u.tenant_id, u.id, r.id FROM users u JOIN roles r
  ON (u.email, r.code) IN (('bench-admin@example.com', 'ADMIN'), ('bench-vendor@example.com', 'VENDOR'))
ON CONFLICT DO NOTHING;
UPDATE vendors SET user_id = (SELECT id FROM users WHERE email = 'bench-vendor@example.com')
WHERE id = (SELECT id FROM vendors ORDER BY slug LIMIT 1);
-- A thousand products waiting for review (the queue is read by its partial index).
UPDATE products SET review_requested_at = now() - random() * interval '3 days'
WHERE id IN (SELECT id FROM products TABLESAMPLE SYSTEM (0.2) LIMIT 1000)
  AND (SELECT count(*) FROM products WHERE review_requested_at IS NOT NULL) < 1000;
SQL
echo "vendor's products: $(in_tenant demo -c "SELECT count(*) FROM products WHERE vendor_id = (SELECT id FROM vendors WHERE user_id IS NOT NULL LIMIT 1)")"

# Logs in through the real forms (and the TOTP step); prints the session cookie.
login() {
  local jar; jar=$(mktemp)
  curl -s -c "$jar" -b "$jar" -H "Host: $HOST" "$base/en/login" >/dev/null
  local csrf; csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -H "Host: $HOST" -o /dev/null --data-urlencode "email=$1" --data-urlencode "password=Customer123!" --data-urlencode "_csrf=$csrf" "$base/en/login"
  if [ -n "${2:-}" ]; then
    local code; code=$(python3 -c '
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1]); msg = struct.pack(">Q", int(time.time()) // 30)
h = hmac.new(key, msg, hashlib.sha1).digest(); o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$2")
    curl -s -c "$jar" -b "$jar" -H "Host: $HOST" -o /dev/null --data-urlencode "code=$code" --data-urlencode "_csrf=$csrf" "$base/en/login/2fa"
  fi
  awk '$6 == "sid" {print "sid=" $7}' "$jar"
  rm -f "$jar"
}
admin=$(login bench-admin@example.com "$secret")
vendor=$(login bench-vendor@example.com)

row_header 34 "page ($PRODUCTS products, $CONNS conns)"
for entry in \
  "admin products, page 1|$admin|/en/admin/products" \
  "admin products, ACTIVE only|$admin|/en/admin/products?status=ACTIVE" \
  "admin products, search|$admin|/en/admin/products?q=%DA%AF%D9%88%D8%B4%DB%8C" \
  "vendor products, page 1|$vendor|/en/vendor/products" \
  "vendor products, search|$vendor|/en/vendor/products?q=%DA%AF%D9%88%D8%B4%DB%8C" \
  "moderation queue|$admin|/en/admin/moderation/products"; do
  IFS='|' read -r name cookie path <<<"$entry"
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" -H "Cookie: $cookie" "$base$path")
  [ "$status" = 200 ] || { echo "$name: $path answers $status" >&2; exit 1; }
  wrk_row 34 "$name" -- -c "$CONNS" -d "${DURATION}s" -H "Cookie: $cookie" "$base$path"
done
