//! Who may open what. Permissions belong to roles (tables `permissions` and
//! `role_permissions`, edited by SUPER_ADMIN); a user holds the union of their
//! roles' permissions, read with the user on every request.
//!
//! A back-office page asks for one permission. Without it the answer is 404,
//! the same as for a page that does not exist, so the back-office gives no
//! hint of itself to customers.

use uuid::Uuid;

use crate::accounts::current_user::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

/// Declares each permission's constant and `ALL`, the list a test compares
/// with the `permissions` rows, so neither can gain one the other lacks.
macro_rules! permissions {
    ($($name:ident = $code:literal,)*) => {
        $(pub const $name: &str = $code;)*
        /// Every permission code the code asks for.
        pub const ALL: &[&str] = &[$($name),*];
    };
}

permissions! {
    ADMIN_ACCESS = "admin.access",
    PRODUCTS_MODERATE = "products.moderate",
    VENDORS_VERIFY = "vendors.verify",
    USERS_VIEW = "users.view",
    USERS_LOCK = "users.lock",
    USERS_ROLES = "users.roles",
    ORDERS_MANAGE = "orders.manage",
    CATALOG_EDIT = "catalog.edit",
    SETTINGS_EDIT = "settings.edit",
    AUDIT_VIEW = "audit.view",
    PERMISSIONS_EDIT = "permissions.edit",
    TENANTS_SWITCH = "tenants.switch",
    TENANTS_MANAGE = "tenants.manage",
    VENDOR_PORTAL = "vendor.portal",
}

/// Roles that must have two-factor sign-in before they may use the back-office.
const TWO_FACTOR_REQUIRED: [&str; 2] = ["SUPER_ADMIN", "ADMIN"];

/// Session key: the tenant a SUPER_ADMIN chose to work in.
pub const SESSION_ACTING_TENANT: &str = "acting_tenant";

/// A staff member in the back-office, and the tenant they act on: their own,
/// or, for a SUPER_ADMIN, the one they switched to.
pub struct Staff {
    pub user: CurrentUser,
    pub tenant: Uuid,
}

/// The signed-in user when they hold `permission`; 404 otherwise.
pub fn require<'a>(ctx: &'a Ctx, permission: &str) -> AppResult<&'a CurrentUser> {
    match &ctx.user {
        Some(u) if u.can(permission) => Ok(u),
        _ => Err(AppError::NotFound),
    }
}

/// Guards a staff page: the back-office permission, `permission`, and 2FA for
/// the roles that need it (they are sent to enrol first).
pub async fn staff(ctx: &Ctx, permission: &str) -> AppResult<Staff> {
    let user = require(ctx, ADMIN_ACCESS)?;
    if !user.can(permission) {
        return Err(AppError::NotFound);
    }
    ensure_two_factor(ctx, user)?;
    let mut tenant = ctx.tenant.id;
    if user.can(TENANTS_SWITCH)
        && let Some(acting) = ctx.session.get::<Uuid>(SESSION_ACTING_TENANT).await?
    {
        tenant = acting;
    }
    Ok(Staff { user: user.clone(), tenant })
}

/// Guards a whole area in the router: anyone without `permission` gets the
/// same 404 as for a page that does not exist, before any handler reads a
/// form or an upload (so a malformed body tells a stranger nothing either).
/// Each handler still checks its own permission, owner and tenant.
pub async fn gate(
    permission: &'static str,
    ctx: Ctx,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    match require(&ctx, permission) {
        Ok(_) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Vendors (and staff who enrolled) must pass 2FA once enrolled; admins must enrol.
pub fn ensure_two_factor(ctx: &Ctx, user: &CurrentUser) -> AppResult<()> {
    let required = TWO_FACTOR_REQUIRED.iter().any(|r| user.has_role(r));
    if required && !user.totp_enabled {
        let next = ctx.href(&ctx.rest);
        return Err(AppError::Redirect(format!("{}?next={}", ctx.href("/account/2fa"), urlencode(&next))));
    }
    Ok(())
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e[1..].to_owned()).unwrap_or_default()
}
