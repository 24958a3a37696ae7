-- Search's posting lists cut by tenant, and each tenant's into 16 buckets.
--
-- A GIN index hands over every match of a query at once, as a bitmap that
-- PostgreSQL builds and sorts before it reads a single row, though search
-- keeps only the first 120. At a million products a pair of words has
-- thousands of matches and a common word a hundred thousand: building those
-- bitmaps was most of a search's cost (about 25 ms for one common word). And
-- one index serves every tenant, so a shop of 5,000 products paid for the
-- matches of a neighbour's million before throwing them away.
--
-- Here every word of a product's search text and every pair of words sharing
-- one of its names (migration 8) is stored behind a prefix: four hex digits
-- from its tenant's id, then one from its own, its bucket ("3fa27سامسونگ",
-- "3fa27سامسونگ+یخچال"). Search (src/catalog/models.rs `search`) asks its
-- tenant's bucket 0 first and the next only while it has found fewer than it
-- keeps, so it builds a sixteenth of its own tenant's bitmap. The buckets go
-- in a fixed order, so a query finds the same products each time and its
-- pages stay consistent. Two tenants whose ids share the four digits (one in
-- 65,536) share posting lists, which costs time, never results: every row
-- found is still checked against the tenant.
--
-- A column kept by a trigger rather than an expression index: an index on
-- our own function could not bound a scan under row-level security unless a
-- superuser marked that function LEAKPROOF; `@@` on a column already can.

-- A tenant's four digits: the last two bytes of its id, in hex.
CREATE FUNCTION search_tenant_digits(tenant_id uuid) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT encode(substring(uuid_send(tenant_id) FROM 15 FOR 2), 'hex')
$$;

-- The prefix of a product's lexemes: its tenant's digits, then its bucket, the
-- low four bits of its id's last byte (random in a UUIDv7), in hex.
CREATE FUNCTION search_bucket(tenant_id uuid, id uuid) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT search_tenant_digits(tenant_id) || to_hex(get_byte(uuid_send(id), 15) & 15)
$$;

-- A tenant's buckets, in the order search asks them.
CREATE FUNCTION search_bucket_names(tenant_id uuid) RETURNS TABLE (n int, bucket text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT b, search_tenant_digits(tenant_id) || to_hex(b) FROM generate_series(0, 15) AS b
$$;

-- The words (as `search_tsv` holds them) and the name pairs, behind the prefix.
-- Lexemes near the length limit are left out so a longer prefix never makes
-- the row fail to save. No DISTINCT: array_to_tsvector drops repeats itself,
-- and sorting them first in the database's collation doubled the cost.
CREATE FUNCTION search_bucket_lexemes(search_vector text, name_keys text[], tenant_id uuid, id uuid) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(search_bucket(tenant_id, id) || w)), ''::tsvector)
    FROM unnest(tsvector_to_array(to_tsvector('simple', search_vector))
                || tsvector_to_array(name_word_pairs(name_keys))) AS w
    WHERE octet_length(w) < 2000
$$;

DROP INDEX products_search_pairs_idx;
DROP TRIGGER products_search_pairs ON products;
DROP FUNCTION set_search_pairs();
ALTER TABLE products DROP COLUMN search_pairs;

-- Filled as a generated column, which rewrites the table once without firing
-- a trigger per row, then kept by a trigger that fires only when the text
-- changes (a stored generated column is recomputed on every stock update).
SET LOCAL maintenance_work_mem = '256MB';
ALTER TABLE products ADD COLUMN search_buckets tsvector NOT NULL
    GENERATED ALWAYS AS (search_bucket_lexemes(search_vector, name_keys, tenant_id, id)) STORED;
ALTER TABLE products ALTER COLUMN search_buckets DROP EXPRESSION;
ALTER TABLE products ALTER COLUMN search_buckets SET DEFAULT '';

CREATE FUNCTION set_search_buckets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_buckets := search_bucket_lexemes(NEW.search_vector, NEW.name_keys, NEW.tenant_id, NEW.id);
    RETURN NEW;
END $$;
CREATE TRIGGER products_search_buckets BEFORE INSERT OR UPDATE OF search_vector, name_keys, tenant_id, id ON products
    FOR EACH ROW EXECUTE FUNCTION set_search_buckets();

-- Only what the storefront can show.
CREATE INDEX products_search_buckets_idx ON products USING gin (search_buckets) WHERE status = 'ACTIVE';

CREATE OR REPLACE FUNCTION audit_derived_columns() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['search_vector', 'search_tsv', 'name_keys', 'search_buckets', 'price_key']
$$;
