-- Foundation schema: tenants, accounts, catalog, settings.
-- Table and column names follow ../shared/seeds (nextgen-database.md first).
-- Every tenant-owned table carries tenant_id inside its unique keys and is
-- protected by a row-level-security policy keyed on the per-transaction
-- setting app.tenant_id (see src/db/mod.rs, which sets it for every transaction).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The tenant of the current transaction; NULL when unset, which matches no row.
CREATE FUNCTION app_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
    id            uuid PRIMARY KEY,
    slug          text NOT NULL UNIQUE,
    name          text NOT NULL,
    name_fa       text,
    name_ar       text,
    status        text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'ARCHIVED')),
    tax_id        text,
    economic_code text,
    settings      jsonb NOT NULL DEFAULT '{}',
    features      jsonb NOT NULL DEFAULT '{}',
    is_default    boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_status_idx ON tenants (status);
CREATE UNIQUE INDEX tenants_one_default ON tenants (is_default) WHERE is_default;

-- Host names a tenant answers on. Looked up before the tenant is known, so not tenant-scoped.
CREATE TABLE tenant_domains (
    domain     text PRIMARY KEY CHECK (domain = lower(domain)),
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_domains_tenant_idx ON tenant_domains (tenant_id);

CREATE TABLE roles (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code IN ('SUPER_ADMIN', 'ADMIN', 'VENDOR', 'DEALER', 'EXECUTOR', 'CUSTOMER')),
    description text NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    email           text NOT NULL CHECK (email = lower(email)),
    phone           text,
    national_id     text,
    full_name       text NOT NULL DEFAULT '',
    password_hash   text NOT NULL,
    totp_secret     text,
    preferred_lang  text NOT NULL DEFAULT 'fa' CHECK (preferred_lang IN ('fa', 'ar', 'en')),
    is_verified     boolean NOT NULL DEFAULT false,
    is_active       boolean NOT NULL DEFAULT true,
    last_login_at   timestamptz,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email),
    UNIQUE (tenant_id, phone)
);
CREATE INDEX users_tenant_idx ON users (tenant_id);
CREATE INDEX users_national_id_idx ON users (tenant_id, national_id);

-- Failed logins for e-mails with no account, so lockout looks the same whether or not the account exists.
CREATE TABLE login_throttles (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    email           text NOT NULL,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, email)
);

CREATE TABLE user_role_assignments (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id    uuid NOT NULL REFERENCES roles (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, user_id, role_id)
);
CREATE INDEX user_role_assignments_tenant_idx ON user_role_assignments (tenant_id);
CREATE INDEX user_role_assignments_user_idx ON user_role_assignments (user_id);

-- The tower-sessions store. A session is bound to no tenant: the signed-in
-- user is re-read under the request's tenant, so a session from one tenant is
-- anonymous on another.
CREATE TABLE sessions (
    id          text PRIMARY KEY,
    data        jsonb NOT NULL,
    expiry_date timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry_date);

CREATE TABLE dealer_profiles (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company_name    text NOT NULL,
    company_name_fa text,
    tax_id          text,
    economic_code   text,
    tier            text NOT NULL DEFAULT 'BRONZE' CHECK (tier IN ('BRONZE', 'SILVER', 'GOLD', 'PLATINUM')),
    credit_limit    numeric(18, 2) NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    credit_used     numeric(18, 2) NOT NULL DEFAULT 0 CHECK (credit_used >= 0),
    base_discount   numeric(5, 2) NOT NULL DEFAULT 0 CHECK (base_discount BETWEEN 0 AND 100),
    is_verified     boolean NOT NULL DEFAULT false,
    documents       jsonb NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, user_id)
);
CREATE INDEX dealer_profiles_tenant_idx ON dealer_profiles (tenant_id);

CREATE TABLE vendors (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    user_id         uuid REFERENCES users (id),
    slug            text NOT NULL,
    name            text,
    name_fa         text,
    name_ar         text,
    status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'VERIFIED', 'SUSPENDED')),
    commission_rate numeric(5, 2) NOT NULL DEFAULT 10 CHECK (commission_rate BETWEEN 0 AND 100),
    rating          numeric(3, 2) NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    city            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug),
    CHECK (coalesce(name, name_fa, name_ar) IS NOT NULL)
);
CREATE INDEX vendors_tenant_idx ON vendors (tenant_id);
CREATE INDEX vendors_user_idx ON vendors (tenant_id, user_id);

CREATE TABLE categories (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    parent_id        uuid REFERENCES categories (id),
    slug             text NOT NULL,
    name             text,
    name_fa          text,
    name_ar          text,
    description      text,
    description_fa   text,
    description_ar   text,
    icon             text,
    level            integer NOT NULL DEFAULT 0,
    sort_order       integer NOT NULL DEFAULT 0,
    is_active        boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug),
    CHECK (parent_id IS DISTINCT FROM id),
    CHECK (coalesce(name, name_fa, name_ar) IS NOT NULL)
);
CREATE INDEX categories_tenant_idx ON categories (tenant_id);
CREATE INDEX categories_parent_idx ON categories (tenant_id, parent_id);

CREATE TABLE brands (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    slug       text NOT NULL,
    name       text,
    name_fa    text,
    name_ar    text,
    logo       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug),
    CHECK (coalesce(name, name_fa, name_ar) IS NOT NULL)
);
CREATE INDEX brands_tenant_idx ON brands (tenant_id);

CREATE TABLE products (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    vendor_id       uuid NOT NULL REFERENCES vendors (id),
    category_id     uuid NOT NULL REFERENCES categories (id),
    brand_id        uuid REFERENCES brands (id),
    sku             text NOT NULL,
    barcode         text,
    slug            text NOT NULL,
    name            text,
    name_fa         text,
    name_ar         text,
    description     text,
    description_fa  text,
    description_ar  text,
    price           numeric(18, 2) NOT NULL CHECK (price >= 0),
    compare_price   numeric(18, 2) CHECK (compare_price >= 0),
    cost_price      numeric(18, 2) CHECK (cost_price >= 0),
    tax_rate        numeric(5, 2) NOT NULL DEFAULT 10 CHECK (tax_rate BETWEEN 0 AND 100),
    stock           integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reserved_stock  integer NOT NULL DEFAULT 0 CHECK (reserved_stock >= 0 AND reserved_stock <= stock),
    min_order_qty   integer NOT NULL DEFAULT 1 CHECK (min_order_qty >= 1),
    max_order_qty   integer CHECK (max_order_qty >= min_order_qty),
    status          text NOT NULL DEFAULT 'DRAFT'
                    CHECK (status IN ('DRAFT', 'PENDING_REVIEW', 'ACTIVE', 'OUT_OF_STOCK', 'REJECTED', 'ARCHIVED')),
    images          jsonb NOT NULL DEFAULT '[]',
    attributes      jsonb NOT NULL DEFAULT '{}',
    specifications  jsonb NOT NULL DEFAULT '[]',
    warranty_months integer NOT NULL DEFAULT 0 CHECK (warranty_months >= 0),
    -- The search key (regional.md §5.1) of names, SKU and brand in every language,
    -- computed by the application (src/search/normalize.rs); TEXT as the seed names it.
    search_vector   text NOT NULL DEFAULT '',
    -- Each name's search key alone, to rank exact name matches first.
    name_keys       text[] NOT NULL DEFAULT '{}',
    is_featured     boolean NOT NULL DEFAULT false,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, sku),
    UNIQUE (tenant_id, slug),
    CHECK (compare_price IS NULL OR compare_price >= price),
    CHECK (coalesce(name, name_fa, name_ar) IS NOT NULL)
);
CREATE INDEX products_tenant_idx ON products (tenant_id);
CREATE INDEX products_vendor_idx ON products (tenant_id, vendor_id);
-- Also answers "which brands does this category have" with one probe per brand.
CREATE INDEX products_brand_idx ON products (tenant_id, brand_id, category_id) WHERE status = 'ACTIVE';
-- Storefront listings: keyset pagination on (sort key, id) among ACTIVE products.
CREATE INDEX products_cat_newest_idx ON products (tenant_id, category_id, created_at DESC, id DESC) WHERE status = 'ACTIVE';
CREATE INDEX products_cat_price_idx ON products (tenant_id, category_id, price, id) WHERE status = 'ACTIVE';
CREATE INDEX products_newest_idx ON products (tenant_id, created_at DESC, id DESC) WHERE status = 'ACTIVE';
CREATE INDEX products_price_idx ON products (tenant_id, price, id) WHERE status = 'ACTIVE';
CREATE INDEX products_featured_idx ON products (tenant_id, created_at DESC) WHERE is_featured AND status = 'ACTIVE';
-- Search (src/catalog/models.rs `search`): tokens of the search key, matched by prefix,
-- and each name's key for exact matches. Typos are corrected against search_words.
ALTER TABLE products ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_vector)) STORED;
CREATE INDEX products_search_tsv_idx ON products USING gin (search_tsv);
CREATE INDEX products_name_keys_idx ON products USING gin (name_keys);

-- The words of every product's search key, per tenant: a small vocabulary that a
-- misspelt query word is matched against (trigram distance), instead of
-- comparing it with a million product texts.
CREATE TABLE search_words (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    word      text NOT NULL,
    PRIMARY KEY (tenant_id, word)
);
CREATE INDEX search_words_trgm_idx ON search_words USING gist (word gist_trgm_ops);

-- Only words without digits: SKUs and model numbers are matched as typed, and
-- would make the vocabulary as large as the catalogue. Words go in sorted, so
-- concurrent writers take their row locks in one order and cannot deadlock.
CREATE FUNCTION collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (tenant_id, word)
    SELECT DISTINCT n.tenant_id, w
    FROM changed n, unnest(tsvector_to_array(n.search_tsv)) AS w
    WHERE length(w) BETWEEN 2 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER products_words_on_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION collect_search_words();
CREATE TRIGGER products_words_on_update AFTER UPDATE ON products
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION collect_search_words();

CREATE TABLE product_tier_prices (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    product_id   uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tier         text NOT NULL CHECK (tier IN ('BRONZE', 'SILVER', 'GOLD', 'PLATINUM')),
    min_quantity integer NOT NULL DEFAULT 1 CHECK (min_quantity >= 1),
    price        numeric(18, 2) NOT NULL CHECK (price >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, product_id, tier, min_quantity)
);
CREATE INDEX product_tier_prices_tenant_idx ON product_tier_prices (tenant_id);

CREATE TABLE inventory_logs (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    product_id   uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    user_id      uuid REFERENCES users (id),
    change       integer NOT NULL,
    stock_after  integer NOT NULL,
    reserved_after integer NOT NULL DEFAULT 0,
    reason       text NOT NULL,
    reference    text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_logs_tenant_idx ON inventory_logs (tenant_id);
CREATE INDEX inventory_logs_product_idx ON inventory_logs (tenant_id, product_id, created_at DESC);

CREATE TABLE shipping_methods (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    code           text NOT NULL,
    name           text,
    name_fa        text,
    name_ar        text,
    base_cost      numeric(18, 2) NOT NULL DEFAULT 0 CHECK (base_cost >= 0),
    free_over      numeric(18, 2) CHECK (free_over >= 0),
    min_days       integer NOT NULL DEFAULT 1,
    max_days       integer NOT NULL DEFAULT 3 CHECK (max_days >= min_days),
    is_active      boolean NOT NULL DEFAULT true,
    sort_order     integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, code),
    CHECK (coalesce(name, name_fa, name_ar) IS NOT NULL)
);
CREATE INDEX shipping_methods_tenant_idx ON shipping_methods (tenant_id);

CREATE TABLE discounts (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants (id),
    code                text NOT NULL CHECK (code = upper(code)),
    name                text,
    name_fa             text,
    name_ar             text,
    type                text NOT NULL CHECK (type IN ('PERCENTAGE', 'FIXED')),
    value               numeric(18, 2) NOT NULL CHECK (value > 0),
    min_order_amount    numeric(18, 2) NOT NULL DEFAULT 0 CHECK (min_order_amount >= 0),
    max_discount_amount numeric(18, 2) CHECK (max_discount_amount > 0),
    usage_limit         integer CHECK (usage_limit > 0),
    usage_count         integer NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    usage_limit_per_user integer CHECK (usage_limit_per_user > 0),
    starts_at           timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz,
    is_active           boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, code),
    CHECK (type <> 'PERCENTAGE' OR value <= 100),
    CHECK (expires_at IS NULL OR expires_at > starts_at)
);
CREATE INDEX discounts_tenant_idx ON discounts (tenant_id);

CREATE TABLE settings (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    key        text NOT NULL,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, key)
);
CREATE INDEX settings_tenant_idx ON settings (tenant_id);

-- Row-level security: the second wall behind the tenant filter in every query.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'login_throttles', 'search_words', 'user_role_assignments', 'dealer_profiles',
        'vendors', 'categories', 'brands', 'products', 'product_tier_prices', 'inventory_logs',
        'shipping_methods', 'discounts', 'settings']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    END LOOP;
END $$;

-- The six roles are reference data the code relies on, so they ship with the schema.
INSERT INTO roles (id, code, description) VALUES
    (gen_random_uuid(), 'SUPER_ADMIN', 'Runs the whole platform, across tenants'),
    (gen_random_uuid(), 'ADMIN', 'Runs one tenant''s back-office'),
    (gen_random_uuid(), 'VENDOR', 'Sells products'),
    (gen_random_uuid(), 'DEALER', 'B2B buyer with tier prices and credit'),
    (gen_random_uuid(), 'EXECUTOR', 'Service contractor who bids on projects'),
    (gen_random_uuid(), 'CUSTOMER', 'Shops in the storefront');
