-- The order a cart last became. A checkout page opened twice (two tabs, a
-- double submit with different keys) must make one order: the later submits
-- find the cart locked, then empty, and this column sends them to the order.
ALTER TABLE carts ADD COLUMN last_order_id uuid;
