//! Tenants, users, roles and permissions, sessions and sign-in state.

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
    settings (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        key -> Text,
        value -> Jsonb,
        updated_at -> Timestamptz,
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
