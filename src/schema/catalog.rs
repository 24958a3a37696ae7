//! Vendors, the catalogue, stock and media.

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
