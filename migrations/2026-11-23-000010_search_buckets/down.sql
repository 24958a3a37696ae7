DROP INDEX products_search_buckets_idx;
DROP TRIGGER products_search_buckets ON products;
DROP FUNCTION set_search_buckets();
ALTER TABLE products DROP COLUMN search_buckets;
DROP FUNCTION search_bucket_lexemes(text, text[], uuid, uuid);
DROP FUNCTION search_bucket_names(uuid);
DROP FUNCTION search_bucket(uuid, uuid);
DROP FUNCTION search_tenant_digits(uuid);

ALTER TABLE products ADD COLUMN search_pairs tsvector NOT NULL GENERATED ALWAYS AS (name_word_pairs(name_keys)) STORED;
ALTER TABLE products ALTER COLUMN search_pairs DROP EXPRESSION;
ALTER TABLE products ALTER COLUMN search_pairs SET DEFAULT '';
CREATE FUNCTION set_search_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_pairs := name_word_pairs(NEW.name_keys);
    RETURN NEW;
END $$;
CREATE TRIGGER products_search_pairs BEFORE INSERT OR UPDATE OF name_keys ON products
    FOR EACH ROW EXECUTE FUNCTION set_search_pairs();
CREATE INDEX products_search_pairs_idx ON products USING gin (search_pairs) WHERE status = 'ACTIVE';

CREATE OR REPLACE FUNCTION audit_derived_columns() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['search_vector', 'search_tsv', 'name_keys', 'search_pairs', 'price_key']
$$;
