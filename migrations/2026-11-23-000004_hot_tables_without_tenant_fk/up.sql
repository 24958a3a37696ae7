-- The tables every order writes no longer point at tenants(id) with a
-- foreign key. Each such insert took a shared lock on the one tenant row, so
-- concurrent orders piled multixacts onto it. Nothing is lost: row-level
-- security's WITH CHECK already pins tenant_id to the transaction's tenant,
-- which the application resolved from the tenants table, and tenants are
-- archived, never deleted.
ALTER TABLE carts DROP CONSTRAINT carts_tenant_id_fkey;
ALTER TABLE cart_items DROP CONSTRAINT cart_items_tenant_id_fkey;
ALTER TABLE orders DROP CONSTRAINT orders_tenant_id_fkey;
ALTER TABLE order_fulfillments DROP CONSTRAINT order_fulfillments_tenant_id_fkey;
ALTER TABLE order_items DROP CONSTRAINT order_items_tenant_id_fkey;
ALTER TABLE vendor_commissions DROP CONSTRAINT vendor_commissions_tenant_id_fkey;
ALTER TABLE order_status_history DROP CONSTRAINT order_status_history_tenant_id_fkey;
ALTER TABLE order_idempotencies DROP CONSTRAINT order_idempotencies_tenant_id_fkey;
ALTER TABLE inventory_logs DROP CONSTRAINT inventory_logs_tenant_id_fkey;
ALTER TABLE queue_jobs DROP CONSTRAINT queue_jobs_tenant_id_fkey;
