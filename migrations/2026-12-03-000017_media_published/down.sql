DROP TRIGGER products_publish_media ON products;
DROP FUNCTION publish_product_media();
ALTER TABLE media DROP COLUMN published_at;
