-- An image is public once a live product shows it: until moderation approves
-- it, only its vendor and staff may see it. Set here, by the database, the
-- moment a product that shows the image is live (an insert, an approved
-- change of images, a product going live), so no code path can forget it.
ALTER TABLE media ADD COLUMN published_at timestamptz;

CREATE FUNCTION publish_product_media() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE media SET published_at = now()
     WHERE tenant_id = NEW.tenant_id AND published_at IS NULL
       AND id IN (SELECT (e ->> 'media_id')::uuid
                    FROM jsonb_array_elements(NEW.images) e
                   WHERE e ->> 'media_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');
    RETURN NULL;
END $$;
CREATE TRIGGER products_publish_media
    AFTER INSERT OR UPDATE OF images, status ON products
    FOR EACH ROW WHEN (NEW.status IN ('ACTIVE', 'OUT_OF_STOCK') AND NEW.images @? '$[*].media_id')
    EXECUTE FUNCTION publish_product_media();

-- Images of products that are live now.
UPDATE media m SET published_at = now()
  FROM products p
 WHERE p.tenant_id = m.tenant_id AND p.status IN ('ACTIVE', 'OUT_OF_STOCK')
   AND p.images @> jsonb_build_array(jsonb_build_object('media_id', m.id::text));
