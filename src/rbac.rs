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

pub const ADMIN_ACCESS: &str = "admin.access";
pub const PRODUCTS_MODERATE: &str = "products.moderate";
pub const VENDORS_VERIFY: &str = "vendors.verify";
pub const USERS_VIEW: &str = "users.view";
pub const USERS_LOCK: &str = "users.lock";
pub const USERS_ROLES: &str = "users.roles";
pub const ORDERS_MANAGE: &str = "orders.manage";
pub const CATALOG_EDIT: &str = "catalog.edit";
pub const SETTINGS_EDIT: &str = "settings.edit";
pub const AUDIT_VIEW: &str = "audit.view";
pub const PERMISSIONS_EDIT: &str = "permissions.edit";
pub const TENANTS_SWITCH: &str = "tenants.switch";
pub const TENANTS_MANAGE: &str = "tenants.manage";
pub const VENDOR_PORTAL: &str = "vendor.portal";

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
