-- Word pairs: every two distinct words that share one product name (in any
-- language), as single lexemes "a+b" (byte order), with their own GIN index.
-- A query of several known words asks for its neighbouring pairs first
-- (src/catalog/models.rs `search`): a pair's posting list is as long as the
-- products having both words, where intersecting the words' own lists reads
-- every product having either (a hundred thousand for a common word at a
-- million products).
-- Kept by a trigger that fires only when names change, not on every stock
-- update as a generated column would.
CREATE FUNCTION name_word_pairs(keys text[]) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a || '+' || b)), ''::tsvector)
    FROM unnest(keys) AS k
    CROSS JOIN LATERAL (
        SELECT array_agg(w) AS ws FROM unnest(tsvector_to_array(to_tsvector('simple', k))) AS w
        WHERE length(w) BETWEEN 2 AND 40 AND w !~ '[0-9]'
    ) n
    CROSS JOIN LATERAL unnest(n.ws) AS a
    CROSS JOIN LATERAL unnest(n.ws) AS b
    WHERE a COLLATE "C" < b COLLATE "C"
$$;

ALTER TABLE products ADD COLUMN search_pairs tsvector NOT NULL DEFAULT '';

-- The audit log leaves the pairs out with the other derived search columns.
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
        old_v := old_v - ARRAY['search_vector', 'search_tsv', 'name_keys', 'search_pairs'];
        new_v := new_v - ARRAY['search_vector', 'search_tsv', 'name_keys', 'search_pairs'];
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

CREATE FUNCTION set_search_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_pairs := name_word_pairs(NEW.name_keys);
    RETURN NEW;
END $$;
CREATE TRIGGER products_search_pairs BEFORE INSERT OR UPDATE OF name_keys ON products
    FOR EACH ROW EXECUTE FUNCTION set_search_pairs();

-- The products already there, tenant by tenant (row-level security applies to
-- the migration's role too), without an audit row each: nothing a person changed.
DO $$
DECLARE t uuid;
BEGIN
    PERFORM set_config('app.audit', 'off', true);
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE products SET search_pairs = name_word_pairs(name_keys) WHERE tenant_id = t;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
    PERFORM set_config('app.audit', '', true);
END $$;

-- Only what the storefront can show.
CREATE INDEX products_search_pairs_idx ON products USING gin (search_pairs) WHERE status = 'ACTIVE';
