-- Back-office: permissions per role, append-only audit log written by triggers,
-- product moderation, TOTP two-factor sign-in, and uploaded media.

-- Fine-grained permissions. Roles and permissions are platform-wide reference
-- data (like roles), edited by SUPER_ADMIN only; no tenant column.
CREATE TABLE permissions (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z_]+\.[a-z_]+$'),
    description text NOT NULL DEFAULT ''
);

CREATE TABLE role_permissions (
    role_id       uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_id uuid NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (role_id, permission_id)
);

INSERT INTO permissions (id, code, description) VALUES
    (gen_random_uuid(), 'admin.access', 'Open the staff back-office'),
    (gen_random_uuid(), 'products.moderate', 'Approve or reject products'),
    (gen_random_uuid(), 'vendors.verify', 'Verify and suspend vendors'),
    (gen_random_uuid(), 'users.view', 'Search and view users'),
    (gen_random_uuid(), 'users.lock', 'Lock and unlock users'),
    (gen_random_uuid(), 'users.roles', 'Assign roles to users'),
    (gen_random_uuid(), 'orders.manage', 'See and move every order'),
    (gen_random_uuid(), 'catalog.edit', 'Edit categories, brands, shipping methods and discounts'),
    (gen_random_uuid(), 'settings.edit', 'Edit the tenant''s settings'),
    (gen_random_uuid(), 'audit.view', 'Read the audit log'),
    (gen_random_uuid(), 'permissions.edit', 'Change which role has which permission'),
    (gen_random_uuid(), 'tenants.switch', 'Work in any tenant''s back-office'),
    (gen_random_uuid(), 'vendor.portal', 'Manage one''s own products, stock and order lines');

INSERT INTO role_permissions (role_id, permission_id)
SELECT r.id, p.id FROM roles r, permissions p
WHERE (r.code = 'SUPER_ADMIN' AND p.code <> 'vendor.portal')
   OR (r.code = 'ADMIN' AND p.code NOT IN ('permissions.edit', 'tenants.switch', 'vendor.portal'))
   OR (r.code = 'VENDOR' AND p.code = 'vendor.portal');

-- The audit log. Rows are written by the trigger below, never by hand; the
-- application's role may only add rows (no UPDATE, DELETE or TRUNCATE, and a
-- trigger refuses them even if a grant came back).
CREATE TABLE audit_logs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
    user_id     uuid,
    action      text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    entity_type text NOT NULL,
    entity_id   text,
    old_values  jsonb,
    new_values  jsonb,
    ip_address  inet,
    user_agent  text,
    -- clock_timestamp: microseconds, and distinct within one transaction.
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX audit_logs_recent_idx ON audit_logs (tenant_id, id DESC);
CREATE INDEX audit_logs_entity_idx ON audit_logs (tenant_id, entity_type, entity_id, id DESC);
CREATE INDEX audit_logs_user_idx ON audit_logs (tenant_id, user_id, id DESC);
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_logs USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_logs is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_logs_no_change BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM CURRENT_USER;

-- One audit row per changed row. Who, from where and with what browser come
-- from the transaction's settings (src/db/mod.rs `actor_tx`). The trigger's
-- arguments name columns never copied into the log (secrets, derived search
-- text); a change to one of them shows as "changed". An UPDATE keeps only the
-- columns that changed. Bulk generation of demo catalogues sets app.audit=off.
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_v  jsonb;
    new_v  jsonb;
    k      text;
    row_v  jsonb;
BEGIN
    IF current_setting('app.audit', true) = 'off' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN old_v := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_v := to_jsonb(NEW); END IF;
    row_v := coalesce(new_v, old_v);
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(o.key, o.value), '{}'), coalesce(jsonb_object_agg(o.key, n.value), '{}')
          INTO old_v, new_v
          FROM jsonb_each(old_v) o JOIN jsonb_each(new_v) n USING (key)
         WHERE o.value IS DISTINCT FROM n.value AND o.key NOT IN ('updated_at', 'version');
        IF old_v = '{}' THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_NARGS > 0 THEN
        FOREACH k IN ARRAY TG_ARGV LOOP
            IF old_v ? k THEN old_v := jsonb_set(old_v, ARRAY[k], CASE WHEN TG_OP = 'UPDATE' THEN '"changed"' ELSE '"hidden"' END::jsonb); END IF;
            IF new_v ? k THEN new_v := jsonb_set(new_v, ARRAY[k], CASE WHEN TG_OP = 'UPDATE' THEN '"changed"' ELSE '"hidden"' END::jsonb); END IF;
        END LOOP;
        -- derived columns are noise, not news
        old_v := old_v - ARRAY['search_vector', 'search_tsv', 'name_keys'];
        new_v := new_v - ARRAY['search_vector', 'search_tsv', 'name_keys'];
    END IF;
    INSERT INTO audit_logs (tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent)
    VALUES (
        coalesce((row_v ->> 'tenant_id')::uuid, app_tenant_id()),
        nullif(current_setting('app.user_id', true), '')::uuid,
        TG_OP,
        TG_TABLE_NAME,
        coalesce(row_v ->> 'id', (row_v ->> 'role_id') || '/' || (row_v ->> 'permission_id')),
        old_v,
        new_v,
        nullif(current_setting('app.ip', true), '')::inet,
        nullif(current_setting('app.user_agent', true), '')
    );
    RETURN NULL;
END $$;

CREATE TRIGGER audit_users AFTER INSERT OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_row('password_hash', 'totp_secret');
-- Sign-in bookkeeping (last login, failed attempts) is not an edit of the user.
CREATE TRIGGER audit_users_update AFTER UPDATE ON users FOR EACH ROW
    WHEN ((OLD.email, OLD.phone, OLD.national_id, OLD.full_name, OLD.password_hash, OLD.totp_secret,
           OLD.is_active, OLD.is_verified, OLD.preferred_lang)
          IS DISTINCT FROM
          (NEW.email, NEW.phone, NEW.national_id, NEW.full_name, NEW.password_hash, NEW.totp_secret,
           NEW.is_active, NEW.is_verified, NEW.preferred_lang))
    EXECUTE FUNCTION audit_row('password_hash', 'totp_secret');
CREATE TRIGGER audit_user_roles AFTER INSERT OR UPDATE OR DELETE ON user_role_assignments
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_role_permissions AFTER INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_permissions AFTER INSERT OR UPDATE OR DELETE ON permissions
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_vendors AFTER INSERT OR UPDATE OR DELETE ON vendors
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_settings AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER audit_products AFTER INSERT OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION audit_row('search_vector');
-- Reserving stock for an unpaid order is not an edit (reserved_stock is
-- recorded in inventory_logs); the rest of a product's face is.
CREATE TRIGGER audit_products_update AFTER UPDATE ON products FOR EACH ROW
    WHEN ((OLD.price, OLD.compare_price, OLD.cost_price, OLD.tax_rate, OLD.stock, OLD.status, OLD.name, OLD.name_fa,
           OLD.name_ar, OLD.description, OLD.description_fa, OLD.description_ar, OLD.images, OLD.sku, OLD.slug,
           OLD.category_id, OLD.brand_id, OLD.vendor_id, OLD.is_featured)
          IS DISTINCT FROM
          (NEW.price, NEW.compare_price, NEW.cost_price, NEW.tax_rate, NEW.stock, NEW.status, NEW.name, NEW.name_fa,
           NEW.name_ar, NEW.description, NEW.description_fa, NEW.description_ar, NEW.images, NEW.sku, NEW.slug,
           NEW.category_id, NEW.brand_id, NEW.vendor_id, NEW.is_featured))
    EXECUTE FUNCTION audit_row('search_vector');

-- Moderation. A product waits for review while review_requested_at is set: a
-- new product (status PENDING_REVIEW), or a live product whose vendor changed
-- its face; that change waits in pending_changes while the live one sells on.
ALTER TABLE products
    ADD COLUMN pending_changes     jsonb,
    ADD COLUMN review_requested_at timestamptz,
    ADD COLUMN rejection_reason    text,
    ADD COLUMN reviewed_by         uuid,
    ADD COLUMN reviewed_at         timestamptz;
CREATE INDEX products_review_queue_idx ON products (tenant_id, review_requested_at, id)
    WHERE review_requested_at IS NOT NULL;
-- The vendor portal and the staff list: newest first, keyset-paged.
CREATE INDEX products_vendor_newest_idx ON products (tenant_id, vendor_id, created_at DESC, id DESC);
CREATE INDEX products_all_newest_idx ON products (tenant_id, created_at DESC, id DESC);

ALTER TABLE vendors
    ADD COLUMN status_reason text,
    ADD COLUMN verified_at   timestamptz;

-- TOTP: the secret is kept in users.totp_secret while enrolling; enrolment
-- ends when a first code is confirmed. The last accepted time step stops a
-- code from being used twice.
ALTER TABLE users
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint;

CREATE TABLE user_recovery_codes (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  text NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_recovery_codes_user_idx ON user_recovery_codes (tenant_id, user_id);

-- Uploaded files: the object-store key is ours, never the uploader's file name.
CREATE TABLE media (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    vendor_id     uuid REFERENCES vendors (id),
    uploaded_by   uuid REFERENCES users (id),
    original_name text NOT NULL DEFAULT '',
    content_type  text NOT NULL,
    size_bytes    integer NOT NULL CHECK (size_bytes > 0),
    width         integer NOT NULL,
    height        integer NOT NULL,
    -- {"480": "media/<tenant>/<id>/480.webp", ...}
    variants      jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_tenant_idx ON media (tenant_id, created_at DESC);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['user_recovery_codes', 'media']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    END LOOP;
END $$;

-- Dashboards: sales per day.
CREATE INDEX orders_paid_idx ON orders (tenant_id, paid_at) WHERE paid_at IS NOT NULL;
-- The vendor verification queue.
CREATE INDEX vendors_status_idx ON vendors (tenant_id, status, created_at);
