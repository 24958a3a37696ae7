-- Commerce: carts, addresses, orders with per-vendor fulfilment and commission,
-- idempotent placement, payments, wallets, Moodian invoices, and the job queue.
-- Names follow ../shared/seeds/nextgen-database.md; money is NUMERIC in the
-- tenant's currency (Rial for Iran), rounded by the application per currency.

CREATE TABLE addresses (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    full_name   text NOT NULL,
    mobile      text NOT NULL,
    province    text NOT NULL,
    city        text NOT NULL,
    street      text NOT NULL,
    postal_code text NOT NULL CHECK (postal_code ~ '^[0-9]{10}$'),
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_user_idx ON addresses (tenant_id, user_id, created_at DESC);

-- A guest's cart is found through the id kept in their session; a user's through user_id.
CREATE TABLE carts (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX carts_user_idx ON carts (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX carts_tenant_idx ON carts (tenant_id);

-- unit_price is the price when the line was added, so a later change can be shown, never applied silently.
CREATE TABLE cart_items (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    cart_id    uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(18, 2) NOT NULL CHECK (unit_price >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cart_id, product_id)
);
CREATE INDEX cart_items_tenant_idx ON cart_items (tenant_id);

-- Order numbers come from one sequence: unique everywhere, so unique per tenant,
-- and taking one never waits for another transaction.
CREATE SEQUENCE order_number_seq START 100001;

CREATE TABLE orders (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    user_id            uuid NOT NULL REFERENCES users (id),
    order_number       text NOT NULL,
    status             text NOT NULL DEFAULT 'PENDING_PAYMENT' CHECK (status IN
                       ('DRAFT', 'PENDING_PAYMENT', 'PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REFUNDED')),
    currency           text NOT NULL DEFAULT 'IRR',
    subtotal           numeric(18, 2) NOT NULL CHECK (subtotal >= 0),
    discount_amount    numeric(18, 2) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    shipping_amount    numeric(18, 2) NOT NULL DEFAULT 0 CHECK (shipping_amount >= 0),
    tax_amount         numeric(18, 2) NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
    total              numeric(18, 2) NOT NULL CHECK (total >= 0),
    shipping_address   jsonb NOT NULL,
    shipping_method    text NOT NULL,
    discount_id        uuid REFERENCES discounts (id),
    tracking_number    text,
    metadata           jsonb NOT NULL DEFAULT '{}',
    -- An unpaid order gives its reserved stock back after this instant.
    reserved_until     timestamptz,
    paid_at            timestamptz,
    cancelled_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, order_number)
);
CREATE INDEX orders_status_idx ON orders (tenant_id, status);
CREATE INDEX orders_user_idx ON orders (tenant_id, user_id, created_at DESC);
CREATE INDEX orders_created_idx ON orders (tenant_id, created_at DESC);

-- One fulfilment part per vendor in an order.
CREATE TABLE order_fulfillments (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    order_id   uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    vendor_id  uuid NOT NULL REFERENCES vendors (id),
    status     text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    subtotal   numeric(18, 2) NOT NULL,
    tracking_number text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, vendor_id)
);
CREATE INDEX order_fulfillments_tenant_idx ON order_fulfillments (tenant_id, vendor_id);

-- Line snapshots: what was bought at what price, whatever the product becomes later.
CREATE TABLE order_items (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    order_id        uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    fulfillment_id  uuid NOT NULL REFERENCES order_fulfillments (id),
    product_id      uuid NOT NULL REFERENCES products (id),
    vendor_id       uuid NOT NULL REFERENCES vendors (id),
    sku             text NOT NULL,
    name            text,
    name_fa         text,
    name_ar         text,
    unit_price      numeric(18, 2) NOT NULL CHECK (unit_price >= 0),
    quantity        integer NOT NULL CHECK (quantity > 0),
    discount_amount numeric(18, 2) NOT NULL DEFAULT 0,
    tax_rate        numeric(5, 2) NOT NULL,
    tax_amount      numeric(18, 2) NOT NULL,
    total           numeric(18, 2) NOT NULL
);
CREATE INDEX order_items_order_idx ON order_items (tenant_id, order_id);

CREATE TABLE vendor_commissions (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    order_id       uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    fulfillment_id uuid NOT NULL REFERENCES order_fulfillments (id),
    vendor_id      uuid NOT NULL REFERENCES vendors (id),
    base_amount    numeric(18, 2) NOT NULL,
    rate           numeric(5, 2) NOT NULL,
    amount         numeric(18, 2) NOT NULL,
    status         text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PAYABLE', 'PAID', 'VOID')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, vendor_id)
);
CREATE INDEX vendor_commissions_vendor_idx ON vendor_commissions (tenant_id, vendor_id, created_at DESC);

-- Every status change: from, to, who (NULL for the system) and when.
CREATE TABLE order_status_history (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status text,
    to_status   text NOT NULL,
    changed_by  uuid REFERENCES users (id),
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_history_order_idx ON order_status_history (tenant_id, order_id, created_at);

-- The key each checkout form carries: a replayed POST finds its order here.
CREATE TABLE order_idempotencies (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    key        uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES users (id),
    order_id   uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

CREATE TABLE discount_usages (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    discount_id uuid NOT NULL REFERENCES discounts (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    amount      numeric(18, 2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (discount_id, order_id)
);
CREATE INDEX discount_usages_user_idx ON discount_usages (tenant_id, discount_id, user_id);

CREATE TABLE payments (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    order_id      uuid NOT NULL REFERENCES orders (id),
    amount        numeric(18, 2) NOT NULL CHECK (amount >= 0),
    gateway       text NOT NULL CHECK (gateway IN ('ZARINPAL', 'MELLAT', 'SAMAN', 'WALLET')),
    gateway_ref   text,
    gateway_track text,
    status        text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED')),
    verified_at   timestamptz,
    card_pan      text,
    error_message text,
    metadata      jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_order_idx ON payments (tenant_id, order_id);
CREATE UNIQUE INDEX payments_gateway_ref_idx ON payments (gateway, gateway_ref) WHERE gateway_ref IS NOT NULL;
CREATE INDEX payments_status_idx ON payments (tenant_id, status);
-- At most one completed payment per order: a replayed callback cannot pay twice.
CREATE UNIQUE INDEX payments_one_completed_idx ON payments (order_id) WHERE status = 'COMPLETED';

CREATE TABLE wallets (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    balance    numeric(18, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, user_id)
);

CREATE TABLE wallet_transactions (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    wallet_id      uuid NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
    amount         numeric(18, 2) NOT NULL,
    balance_before numeric(18, 2) NOT NULL,
    balance_after  numeric(18, 2) NOT NULL CHECK (balance_after = balance_before + amount),
    reference      text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wallet_transactions_wallet_idx ON wallet_transactions (tenant_id, wallet_id, created_at DESC);

-- The last invoice serial per tenant: Moodian serials must never repeat.
CREATE TABLE invoice_counters (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id),
    last_serial bigint NOT NULL DEFAULT 0 CHECK (last_serial BETWEEN 0 AND 999999999999)
);

CREATE TABLE invoices (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    order_id             uuid NOT NULL REFERENCES orders (id),
    invoice_number       text NOT NULL,
    serial_number        bigint NOT NULL,
    suid                 uuid NOT NULL UNIQUE,
    tax_id               text NOT NULL CHECK (length(tax_id) = 22),
    status               text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SENT', 'MOODIAN_CONFIRMED', 'REJECTED')),
    subtotal             numeric(18, 2) NOT NULL,
    discount             numeric(18, 2) NOT NULL,
    tax_amount           numeric(18, 2) NOT NULL,
    total                numeric(18, 2) NOT NULL,
    buyer_info           jsonb NOT NULL,
    items                jsonb NOT NULL,
    moodian_payload      jsonb NOT NULL,
    moodian_response     jsonb,
    moodian_sent_at      timestamptz,
    moodian_confirmed_at timestamptz,
    qr_code              text NOT NULL,
    issued_at            timestamptz NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, invoice_number),
    UNIQUE (tenant_id, serial_number),
    UNIQUE (order_id)
);
CREATE INDEX invoices_status_idx ON invoices (tenant_id, status);

-- The job queue. Workers serve every tenant, so these two tables are not
-- tenant-scoped by row-level security; a job names its tenant and runs its
-- queries inside that tenant's transaction.
CREATE TABLE queue_jobs (
    id           bigserial PRIMARY KEY,
    tenant_id    uuid REFERENCES tenants (id),
    queue        text NOT NULL DEFAULT 'default',
    kind         text NOT NULL,
    payload      jsonb NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    available_at timestamptz NOT NULL DEFAULT now(),
    reserved_at  timestamptz,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_jobs_ready_idx ON queue_jobs (queue, available_at);

CREATE TABLE failed_jobs (
    id         bigserial PRIMARY KEY,
    job_id     bigint NOT NULL,
    tenant_id  uuid REFERENCES tenants (id),
    queue      text NOT NULL,
    kind       text NOT NULL,
    payload    jsonb NOT NULL,
    attempts   integer NOT NULL,
    error      text NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['addresses', 'carts', 'cart_items', 'orders', 'order_fulfillments', 'order_items',
        'vendor_commissions', 'order_status_history', 'order_idempotencies', 'discount_usages', 'payments',
        'wallets', 'wallet_transactions', 'invoice_counters', 'invoices']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    END LOOP;
END $$;
