//! Diesel table definitions, kept by hand to match `migrations/` (diesel_cli would
//! need libpq), one file per part of the product. `tests/schema.rs` checks that every table and column here exists in the
//! migrated database with the same type, and that every table is declared.

mod accounts;
mod catalog;
mod commerce;

pub use accounts::*;
pub use catalog::*;
pub use commerce::*;

diesel::joinable!(tenant_domains -> tenants (tenant_id));
diesel::joinable!(users -> tenants (tenant_id));
diesel::joinable!(user_role_assignments -> users (user_id));
diesel::joinable!(user_role_assignments -> roles (role_id));
diesel::joinable!(dealer_profiles -> users (user_id));
diesel::joinable!(products -> vendors (vendor_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(products -> brands (brand_id));
diesel::joinable!(product_tier_prices -> products (product_id));
diesel::joinable!(inventory_logs -> products (product_id));
diesel::joinable!(cart_items -> carts (cart_id));
diesel::joinable!(cart_items -> products (product_id));
diesel::joinable!(order_items -> orders (order_id));
diesel::joinable!(order_fulfillments -> orders (order_id));
diesel::joinable!(order_fulfillments -> vendors (vendor_id));
diesel::joinable!(payments -> orders (order_id));
diesel::joinable!(invoices -> orders (order_id));
diesel::joinable!(wallet_transactions -> wallets (wallet_id));
diesel::joinable!(role_permissions -> roles (role_id));
diesel::joinable!(role_permissions -> permissions (permission_id));
diesel::joinable!(audit_logs -> users (user_id));
diesel::joinable!(user_recovery_codes -> users (user_id));
diesel::joinable!(media -> vendors (vendor_id));

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    tenant_domains,
    roles,
    users,
    login_throttles,
    account_notices,
    user_role_assignments,
    sessions,
    dealer_profiles,
    vendors,
    categories,
    brands,
    products,
    search_words,
    product_tier_prices,
    inventory_logs,
    shipping_methods,
    discounts,
    settings,
    addresses,
    carts,
    cart_items,
    orders,
    order_fulfillments,
    order_items,
    vendor_commissions,
    order_status_history,
    order_idempotencies,
    discount_usages,
    payments,
    wallets,
    wallet_transactions,
    invoice_counters,
    invoices,
    queue_jobs,
    failed_jobs,
    permissions,
    role_permissions,
    audit_logs,
    user_recovery_codes,
    media,
);
