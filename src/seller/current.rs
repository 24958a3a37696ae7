//! The signed-in vendor, and their own products: what every portal page checks first.

use super::models;
use super::models::ManagedProduct;
use crate::accounts::current_user::CurrentUser;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::web::Ctx;
use uuid::Uuid;

/// The signed-in vendor: the portal permission and a vendor record of theirs, else 404.
pub struct Seller {
    pub user: CurrentUser,
    pub vendor: Uuid,
}

pub async fn seller(state: &AppState, ctx: &Ctx) -> AppResult<Seller> {
    let user = portal_user(ctx)?;
    let tenant = ctx.tenant.id;
    let vendor = state.tx(tenant, async |c| models::vendor_of(c, tenant, user.id).await).await?;
    let vendor = vendor.ok_or(AppError::NotFound)?;
    Ok(Seller { user, vendor })
}

/// The portal's checks that need no database: the permission, then 2FA.
/// A handler that writes looks the vendor up inside its own transaction.
pub(super) fn portal_user(ctx: &Ctx) -> AppResult<CurrentUser> {
    let user = rbac::require(ctx, rbac::VENDOR_PORTAL)?.clone();
    rbac::ensure_two_factor(ctx, &user)?;
    Ok(user)
}

pub(super) async fn own(state: &AppState, ctx: &Ctx, s: &Seller, id: Uuid) -> AppResult<ManagedProduct> {
    let tenant = ctx.tenant.id;
    state.tx(tenant, async |c| models::own_product(c, tenant, s.vendor, id).await).await?.ok_or(AppError::NotFound)
}
