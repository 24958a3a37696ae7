DROP TRIGGER audit_payments ON payments;
DROP TRIGGER audit_orders_update ON orders;
DROP TRIGGER audit_orders ON orders;
