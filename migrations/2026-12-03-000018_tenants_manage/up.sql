-- Adding shops (tenants) and their domains from the back-office: the
-- platform's own administrators only. (Reference data, as in migration 5:
-- the audit triggers, which need a tenant, are off for this transaction.)
SELECT set_config('app.audit', 'off', true);
INSERT INTO permissions (id, code, description)
VALUES (gen_random_uuid(), 'tenants.manage', 'Add shops (tenants) and their domains');
INSERT INTO role_permissions (role_id, permission_id)
SELECT r.id, p.id FROM roles r, permissions p WHERE r.code = 'SUPER_ADMIN' AND p.code = 'tenants.manage';
