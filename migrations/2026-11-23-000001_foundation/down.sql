DROP TABLE IF EXISTS settings, discounts, shipping_methods, inventory_logs, product_tier_prices, products,
    search_words, brands, categories, vendors, dealer_profiles, sessions, user_role_assignments, login_throttles, users,
    roles, tenant_domains, tenants CASCADE;
DROP FUNCTION IF EXISTS app_tenant_id();
DROP FUNCTION IF EXISTS collect_search_words();
