-- Stock and price updates (every order reserves stock) no longer recompute a
-- product's search words: on UPDATE, only rows whose search text changed are
-- looked at. (A statement trigger with transition tables cannot name columns,
-- so the old and new rows are compared instead.)
CREATE FUNCTION collect_changed_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (tenant_id, word)
    SELECT DISTINCT n.tenant_id, w
    FROM changed n
    JOIN previous o ON o.id = n.id AND o.search_vector IS DISTINCT FROM n.search_vector,
         unnest(tsvector_to_array(n.search_tsv)) AS w
    WHERE length(w) BETWEEN 2 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
DROP TRIGGER products_words_on_update ON products;
CREATE TRIGGER products_words_on_update AFTER UPDATE ON products
    REFERENCING NEW TABLE AS changed OLD TABLE AS previous
    FOR EACH STATEMENT EXECUTE FUNCTION collect_changed_search_words();
