SELECT set_config('app.audit', 'off', true);
DELETE FROM permissions WHERE code = 'tenants.manage';
