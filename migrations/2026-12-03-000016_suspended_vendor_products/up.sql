-- A suspended vendor's products stop selling. Every storefront listing, the
-- search indexes and the product page read live products by
-- `status = 'ACTIVE'` (partial indexes), so a suspension moves the shop's live
-- products to VENDOR_SUSPENDED, remembering the status they had, and a
-- reinstatement moves them back: the storefront's queries and indexes stay as
-- they are and cost nothing more. A product that would become live while its
-- vendor is suspended (approved by moderation, stock added) lands in
-- VENDOR_SUSPENDED instead.
ALTER TABLE products DROP CONSTRAINT products_status_check;
ALTER TABLE products ADD CONSTRAINT products_status_check
    CHECK (status IN ('DRAFT', 'PENDING_REVIEW', 'ACTIVE', 'OUT_OF_STOCK', 'REJECTED', 'ARCHIVED', 'VENDOR_SUSPENDED'));
ALTER TABLE products ADD COLUMN status_before_suspension text;

CREATE FUNCTION hold_products_of_suspended_vendor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM vendors v WHERE v.id = NEW.vendor_id AND v.status = 'SUSPENDED') THEN
        NEW.status_before_suspension := NEW.status;
        NEW.status := 'VENDOR_SUSPENDED';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER products_hold_when_vendor_suspended
    BEFORE INSERT OR UPDATE OF status ON products
    FOR EACH ROW WHEN (NEW.status IN ('ACTIVE', 'OUT_OF_STOCK'))
    EXECUTE FUNCTION hold_products_of_suspended_vendor();

CREATE FUNCTION follow_vendor_suspension() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'SUSPENDED' THEN
        UPDATE products SET status_before_suspension = status, status = 'VENDOR_SUSPENDED', updated_at = now()
         WHERE tenant_id = NEW.tenant_id AND vendor_id = NEW.id AND status IN ('ACTIVE', 'OUT_OF_STOCK');
    ELSIF OLD.status = 'SUSPENDED' THEN
        UPDATE products SET status = coalesce(status_before_suspension, 'ACTIVE'), status_before_suspension = NULL,
               updated_at = now()
         WHERE tenant_id = NEW.tenant_id AND vendor_id = NEW.id AND status = 'VENDOR_SUSPENDED';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER vendors_suspension_moves_products
    AFTER UPDATE OF status ON vendors
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND (OLD.status = 'SUSPENDED' OR NEW.status = 'SUSPENDED'))
    EXECUTE FUNCTION follow_vendor_suspension();

-- Vendors suspended before this migration.
UPDATE products p SET status_before_suspension = p.status, status = 'VENDOR_SUSPENDED'
  FROM vendors v
 WHERE v.id = p.vendor_id AND v.status = 'SUSPENDED' AND p.status IN ('ACTIVE', 'OUT_OF_STOCK');
