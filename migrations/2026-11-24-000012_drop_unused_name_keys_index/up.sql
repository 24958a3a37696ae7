-- Since migration 7, search finds name beginnings in product_name_keys and
-- nothing reads products.name_keys through an index: the column only feeds
-- that table's triggers and the word pairs. Its GIN index still had to be
-- kept on every insert and every change of a name (about a third of a
-- gigabyte at a million products) for no query.
DROP INDEX products_name_keys_idx;
