//! Carts, orders, payments, the wallet, invoices and the job queue.

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
