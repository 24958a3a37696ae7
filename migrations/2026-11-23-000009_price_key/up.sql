-- Prices as whole hundredths in a bigint, for listing filters and price order.
-- Under row-level security PostgreSQL evaluates the policy before any
-- operator that is not LEAKPROOF, and numeric comparisons are not: a price
-- range or a price cursor on `price` could never bound an index scan, so a
-- narrow price filter read a whole category row by row (a second at a million
-- products). bigint comparisons are leakproof and become index conditions.
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX products_cat_price_idx;
ALTER TABLE products ADD COLUMN price_key bigint GENERATED ALWAYS AS ((price * 100)::bigint) STORED;
CREATE INDEX products_cat_price_idx ON products (tenant_id, category_id, price_key, id) WHERE status = 'ACTIVE';

-- The columns the audit log leaves out of a product's changes, in one place:
-- a later derived column replaces this function, not the whole of audit_row().
CREATE FUNCTION audit_derived_columns() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['search_vector', 'search_tsv', 'name_keys', 'search_pairs', 'price_key']
$$;

CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_v  jsonb;
    new_v  jsonb;
    k      text;
    row_v  jsonb;
BEGIN
    IF current_setting('app.audit', true) = 'off' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN old_v := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_v := to_jsonb(NEW); END IF;
    row_v := coalesce(new_v, old_v);
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(o.key, o.value), '{}'), coalesce(jsonb_object_agg(o.key, n.value), '{}')
          INTO old_v, new_v
          FROM jsonb_each(old_v) o JOIN jsonb_each(new_v) n USING (key)
         WHERE o.value IS DISTINCT FROM n.value AND o.key NOT IN ('updated_at', 'version');
        IF old_v = '{}' THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_NARGS > 0 THEN
        FOREACH k IN ARRAY TG_ARGV LOOP
            IF old_v ? k THEN old_v := jsonb_set(old_v, ARRAY[k], CASE WHEN TG_OP = 'UPDATE' THEN '"changed"' ELSE '"hidden"' END::jsonb); END IF;
            IF new_v ? k THEN new_v := jsonb_set(new_v, ARRAY[k], CASE WHEN TG_OP = 'UPDATE' THEN '"changed"' ELSE '"hidden"' END::jsonb); END IF;
        END LOOP;
        -- derived columns are noise, not news
        old_v := old_v - audit_derived_columns();
        new_v := new_v - audit_derived_columns();
    END IF;
    INSERT INTO audit_logs (tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent)
    VALUES (
        coalesce((row_v ->> 'tenant_id')::uuid, app_tenant_id()),
        nullif(current_setting('app.user_id', true), '')::uuid,
        TG_OP,
        TG_TABLE_NAME,
        coalesce(row_v ->> 'id', (row_v ->> 'role_id') || '/' || (row_v ->> 'permission_id')),
        old_v,
        new_v,
        nullif(current_setting('app.ip', true), '')::inet,
        nullif(current_setting('app.user_agent', true), '')
    );
    RETURN NULL;
END $$;
