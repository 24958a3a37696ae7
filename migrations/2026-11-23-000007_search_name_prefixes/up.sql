-- Each live product's name keys (the search key of its name in each language),
-- in byte order, so that "names starting with what the shopper typed" is one
-- short B-tree range scan that never touches the products table. Search
-- (src/catalog/models.rs `search`) takes its candidates from here first and runs
-- the full-text GIN query only when names do not fill the result list:
-- intersecting the posting lists of common words costs milliseconds at a
-- million products, the range scan a tenth of one.
-- A table of its own, holding ACTIVE products only, rather than indexes on
-- products: every order updates its products' stock, and these rows change
-- only when a name or the ACTIVE status does.
CREATE TABLE product_name_keys (
    tenant_id  uuid NOT NULL,
    name_key   text COLLATE "C" NOT NULL,
    product_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, name_key, product_id)
);
ALTER TABLE product_name_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE product_name_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON product_name_keys
    USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- Keys are cut to 300 characters: a B-tree entry must fit a third of a page,
-- and the storefront cuts queries at 100.
CREATE FUNCTION product_name_keys_of(keys text[]) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
    SELECT DISTINCT left(k, 300) FROM unnest(keys) AS k WHERE k <> ''
$$;

-- Bulk inserts (demo data, imports) as one statement per batch.
CREATE FUNCTION add_product_name_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_name_keys (tenant_id, name_key, product_id)
    SELECT n.tenant_id, k, n.id FROM added n, product_name_keys_of(n.name_keys) AS k
    WHERE n.status = 'ACTIVE'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Per row, and only when a name or being ACTIVE changed (the triggers' WHEN):
-- an order's stock update never gets here.
CREATE FUNCTION replace_product_name_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM product_name_keys
        WHERE tenant_id = OLD.tenant_id AND product_id = OLD.id
          AND name_key IN (SELECT product_name_keys_of(OLD.name_keys));
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.status = 'ACTIVE' THEN
        INSERT INTO product_name_keys (tenant_id, name_key, product_id)
        SELECT NEW.tenant_id, k, NEW.id FROM product_name_keys_of(NEW.name_keys) AS k
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER products_name_keys_on_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION add_product_name_keys();
CREATE TRIGGER products_name_keys_on_update AFTER UPDATE ON products FOR EACH ROW
    WHEN (OLD.name_keys IS DISTINCT FROM NEW.name_keys OR (OLD.status = 'ACTIVE') <> (NEW.status = 'ACTIVE'))
    EXECUTE FUNCTION replace_product_name_keys();
CREATE TRIGGER products_name_keys_on_delete AFTER DELETE ON products FOR EACH ROW
    WHEN (OLD.status = 'ACTIVE') EXECUTE FUNCTION replace_product_name_keys();

-- The products already there, tenant by tenant (row-level security applies to
-- the migration's role too).
DO $$
DECLARE t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        INSERT INTO product_name_keys (tenant_id, name_key, product_id)
        SELECT p.tenant_id, k, p.id FROM products p, product_name_keys_of(p.name_keys) AS k
        WHERE p.tenant_id = t AND p.status = 'ACTIVE'
        ON CONFLICT DO NOTHING;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END $$;
