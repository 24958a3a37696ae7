ALTER TABLE carts DROP COLUMN last_order_id;
