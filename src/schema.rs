//! Diesel table definitions, kept by hand to match `migrations/` (diesel_cli would
//! need libpq). `tests/schema.rs` checks every column here exists in the database.

diesel::table! {
    tenants (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        status -> Text,
        tax_id -> Nullable<Text>,
        economic_code -> Nullable<Text>,
        settings -> Jsonb,
        features -> Jsonb,
        is_default -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_domains (domain) {
        domain -> Text,
        tenant_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    roles (id) {
        id -> Uuid,
        code -> Text,
        description -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        email -> Text,
        phone -> Nullable<Text>,
        national_id -> Nullable<Text>,
        full_name -> Text,
        password_hash -> Text,
        totp_secret -> Nullable<Text>,
        preferred_lang -> Text,
        is_verified -> Bool,
        is_active -> Bool,
        last_login_at -> Nullable<Timestamptz>,
        failed_attempts -> Int4,
        locked_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    login_throttles (tenant_id, email) {
        tenant_id -> Uuid,
        email -> Text,
        failed_attempts -> Int4,
        locked_until -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    user_role_assignments (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        role_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        data -> Jsonb,
        expiry_date -> Timestamptz,
    }
}

diesel::table! {
    dealer_profiles (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        company_name -> Text,
        company_name_fa -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        economic_code -> Nullable<Text>,
        tier -> Text,
        credit_limit -> Numeric,
        credit_used -> Numeric,
        base_discount -> Numeric,
        is_verified -> Bool,
        documents -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    vendors (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Nullable<Uuid>,
        slug -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        status -> Text,
        commission_rate -> Numeric,
        rating -> Numeric,
        city -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    categories (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        slug -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        description -> Nullable<Text>,
        description_fa -> Nullable<Text>,
        description_ar -> Nullable<Text>,
        icon -> Nullable<Text>,
        level -> Int4,
        sort_order -> Int4,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    brands (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        slug -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        logo -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    products (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        vendor_id -> Uuid,
        category_id -> Uuid,
        brand_id -> Nullable<Uuid>,
        sku -> Text,
        barcode -> Nullable<Text>,
        slug -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        description -> Nullable<Text>,
        description_fa -> Nullable<Text>,
        description_ar -> Nullable<Text>,
        price -> Numeric,
        compare_price -> Nullable<Numeric>,
        cost_price -> Nullable<Numeric>,
        tax_rate -> Numeric,
        stock -> Int4,
        reserved_stock -> Int4,
        min_order_qty -> Int4,
        max_order_qty -> Nullable<Int4>,
        status -> Text,
        images -> Jsonb,
        attributes -> Jsonb,
        specifications -> Jsonb,
        warranty_months -> Int4,
        search_vector -> Text,
        // search_tsv (generated from search_vector) is read only by raw SQL in catalog::models::search.
        name_keys -> Array<Text>,
        is_featured -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    search_words (tenant_id, word) {
        tenant_id -> Uuid,
        word -> Text,
    }
}

diesel::table! {
    product_tier_prices (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        product_id -> Uuid,
        tier -> Text,
        min_quantity -> Int4,
        price -> Numeric,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    inventory_logs (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        product_id -> Uuid,
        user_id -> Nullable<Uuid>,
        change -> Int4,
        stock_after -> Int4,
        reserved_after -> Int4,
        reason -> Text,
        reference -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    shipping_methods (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        code -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        base_cost -> Numeric,
        free_over -> Nullable<Numeric>,
        min_days -> Int4,
        max_days -> Int4,
        is_active -> Bool,
        sort_order -> Int4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    discounts (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        code -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        #[sql_name = "type"]
        kind -> Text,
        value -> Numeric,
        min_order_amount -> Numeric,
        max_discount_amount -> Nullable<Numeric>,
        usage_limit -> Nullable<Int4>,
        usage_count -> Int4,
        usage_limit_per_user -> Nullable<Int4>,
        starts_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        is_active -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    settings (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        key -> Text,
        value -> Jsonb,
        updated_at -> Timestamptz,
    }
}

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

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    tenant_domains,
    roles,
    users,
    login_throttles,
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
);
