-- Orders and payments join the audit log. An order's life (status, amounts,
-- address, tracking) is news; reservation bookkeeping is not. Every change of
-- a payment is (status, gateway references, masked card, errors).
CREATE TRIGGER audit_orders AFTER INSERT OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_orders_update AFTER UPDATE ON orders FOR EACH ROW
    WHEN ((OLD.status, OLD.subtotal, OLD.discount_amount, OLD.shipping_amount, OLD.tax_amount, OLD.total,
           OLD.shipping_address, OLD.shipping_method, OLD.tracking_number, OLD.paid_at, OLD.cancelled_at)
          IS DISTINCT FROM
          (NEW.status, NEW.subtotal, NEW.discount_amount, NEW.shipping_amount, NEW.tax_amount, NEW.total,
           NEW.shipping_address, NEW.shipping_method, NEW.tracking_number, NEW.paid_at, NEW.cancelled_at))
    EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_payments AFTER INSERT OR UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION audit_row();
