DROP TRIGGER products_words_on_update ON products;
CREATE TRIGGER products_words_on_update AFTER UPDATE ON products
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION collect_search_words();
DROP FUNCTION collect_changed_search_words();
