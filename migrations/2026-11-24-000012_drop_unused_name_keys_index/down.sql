CREATE INDEX products_name_keys_idx ON products USING gin (name_keys);
