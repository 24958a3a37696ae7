DROP TRIGGER vendors_suspension_moves_products ON vendors;
DROP FUNCTION follow_vendor_suspension();
DROP TRIGGER products_hold_when_vendor_suspended ON products;
DROP FUNCTION hold_products_of_suspended_vendor();
UPDATE products SET status = coalesce(status_before_suspension, 'ACTIVE') WHERE status = 'VENDOR_SUSPENDED';
ALTER TABLE products DROP COLUMN status_before_suspension;
ALTER TABLE products DROP CONSTRAINT products_status_check;
ALTER TABLE products ADD CONSTRAINT products_status_check
    CHECK (status IN ('DRAFT', 'PENDING_REVIEW', 'ACTIVE', 'OUT_OF_STOCK', 'REJECTED', 'ARCHIVED'));
