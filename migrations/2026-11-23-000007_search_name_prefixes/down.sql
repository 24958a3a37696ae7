DROP TRIGGER products_name_keys_on_insert ON products;
DROP TRIGGER products_name_keys_on_update ON products;
DROP TRIGGER products_name_keys_on_delete ON products;
DROP FUNCTION add_product_name_keys();
DROP FUNCTION replace_product_name_keys();
DROP FUNCTION product_name_keys_of(text[]);
DROP TABLE product_name_keys;
