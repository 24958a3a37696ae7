//! Diesel table definitions, kept by hand to match `migrations/` (diesel_cli would
//! need libpq). `tests/schema.rs` checks that every table and column here exists in the
//! migrated database with the same type, and that every table is declared.

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
        totp_enabled_at -> Nullable<Timestamptz>,
        totp_last_step -> Nullable<Int8>,
        totp_failed_attempts -> Int4,
        totp_locked_until -> Nullable<Timestamptz>,
        email_skeleton -> Nullable<Text>,
    }
}

diesel::table! {
    login_throttles (tenant_id, email, ip) {
        tenant_id -> Uuid,
        email -> Text,
        failed_attempts -> Int4,
        locked_until -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
        ip -> Text,
    }
}

diesel::table! {
    account_notices (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        created_at -> Timestamptz,
        seen_at -> Nullable<Timestamptz>,
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
        status_reason -> Nullable<Text>,
        verified_at -> Nullable<Timestamptz>,
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
        pending_changes -> Nullable<Jsonb>,
        review_requested_at -> Nullable<Timestamptz>,
        rejection_reason -> Nullable<Text>,
        reviewed_by -> Nullable<Uuid>,
        reviewed_at -> Nullable<Timestamptz>,
        status_before_suspension -> Nullable<Text>,
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

diesel::table! {
    addresses (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        full_name -> Text,
        mobile -> Text,
        province -> Text,
        city -> Text,
        street -> Text,
        postal_code -> Text,
        is_default -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    carts (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_order_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    cart_items (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        cart_id -> Uuid,
        product_id -> Uuid,
        quantity -> Int4,
        unit_price -> Numeric,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    orders (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        order_number -> Text,
        status -> Text,
        currency -> Text,
        subtotal -> Numeric,
        discount_amount -> Numeric,
        shipping_amount -> Numeric,
        tax_amount -> Numeric,
        total -> Numeric,
        shipping_address -> Jsonb,
        shipping_method -> Text,
        discount_id -> Nullable<Uuid>,
        tracking_number -> Nullable<Text>,
        metadata -> Jsonb,
        reserved_until -> Nullable<Timestamptz>,
        paid_at -> Nullable<Timestamptz>,
        cancelled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    order_fulfillments (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        order_id -> Uuid,
        vendor_id -> Uuid,
        status -> Text,
        subtotal -> Numeric,
        tracking_number -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    order_items (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        order_id -> Uuid,
        fulfillment_id -> Uuid,
        product_id -> Uuid,
        vendor_id -> Uuid,
        sku -> Text,
        name -> Nullable<Text>,
        name_fa -> Nullable<Text>,
        name_ar -> Nullable<Text>,
        unit_price -> Numeric,
        quantity -> Int4,
        discount_amount -> Numeric,
        tax_rate -> Numeric,
        tax_amount -> Numeric,
        total -> Numeric,
    }
}

diesel::table! {
    vendor_commissions (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        order_id -> Uuid,
        fulfillment_id -> Uuid,
        vendor_id -> Uuid,
        base_amount -> Numeric,
        rate -> Numeric,
        amount -> Numeric,
        status -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_status_history (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        order_id -> Uuid,
        from_status -> Nullable<Text>,
        to_status -> Text,
        changed_by -> Nullable<Uuid>,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_idempotencies (tenant_id, key) {
        tenant_id -> Uuid,
        key -> Uuid,
        user_id -> Uuid,
        order_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    discount_usages (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        discount_id -> Uuid,
        user_id -> Uuid,
        order_id -> Uuid,
        amount -> Numeric,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payments (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        order_id -> Uuid,
        amount -> Numeric,
        gateway -> Text,
        gateway_ref -> Nullable<Text>,
        gateway_track -> Nullable<Text>,
        status -> Text,
        verified_at -> Nullable<Timestamptz>,
        card_pan -> Nullable<Text>,
        error_message -> Nullable<Text>,
        metadata -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    wallets (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        balance -> Numeric,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    wallet_transactions (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        wallet_id -> Uuid,
        amount -> Numeric,
        balance_before -> Numeric,
        balance_after -> Numeric,
        reference -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invoice_counters (tenant_id) {
        tenant_id -> Uuid,
        last_serial -> Int8,
    }
}

diesel::table! {
    invoices (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        order_id -> Uuid,
        invoice_number -> Text,
        serial_number -> Int8,
        suid -> Uuid,
        tax_id -> Text,
        status -> Text,
        subtotal -> Numeric,
        discount -> Numeric,
        tax_amount -> Numeric,
        total -> Numeric,
        buyer_info -> Jsonb,
        items -> Jsonb,
        moodian_payload -> Jsonb,
        moodian_response -> Nullable<Jsonb>,
        moodian_sent_at -> Nullable<Timestamptz>,
        moodian_confirmed_at -> Nullable<Timestamptz>,
        qr_code -> Text,
        issued_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    queue_jobs (id) {
        id -> Int8,
        tenant_id -> Nullable<Uuid>,
        queue -> Text,
        kind -> Text,
        payload -> Jsonb,
        attempts -> Int4,
        max_attempts -> Int4,
        available_at -> Timestamptz,
        reserved_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    failed_jobs (id) {
        id -> Int8,
        job_id -> Int8,
        tenant_id -> Nullable<Uuid>,
        queue -> Text,
        kind -> Text,
        payload -> Jsonb,
        attempts -> Int4,
        error -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    permissions (id) {
        id -> Uuid,
        code -> Text,
        description -> Text,
    }
}

diesel::table! {
    role_permissions (role_id, permission_id) {
        role_id -> Uuid,
        permission_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_logs (id) {
        id -> Int8,
        tenant_id -> Uuid,
        user_id -> Nullable<Uuid>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        old_values -> Nullable<Jsonb>,
        new_values -> Nullable<Jsonb>,
        // ip_address (inet) is read as text by raw SQL in audit::models.
        user_agent -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    user_recovery_codes (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        code_hash -> Text,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    media (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        vendor_id -> Nullable<Uuid>,
        uploaded_by -> Nullable<Uuid>,
        original_name -> Text,
        content_type -> Text,
        size_bytes -> Int4,
        width -> Int4,
        height -> Int4,
        variants -> Jsonb,
        created_at -> Timestamptz,
        published_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Filled by triggers on `products` (migration 7); search reads it in SQL.
    product_name_keys (tenant_id, name_key, product_id) {
        tenant_id -> Uuid,
        name_key -> Text,
        product_id -> Uuid,
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
