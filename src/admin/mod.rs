//! The staff back-office (`/{lang}/admin/`): dashboard, moderation queues,
//! users, vendors, roles and permissions, settings and the audit log. Each
//! page asks `rbac::staff` for its permission; without it the page is a 404.

pub mod audit;
mod catalog;
pub mod chart;
mod moderation;
mod product_decision;
mod products;
mod roles;
mod settings;
pub mod stats;
mod tenants;
mod users;
mod vendor_new;
mod vendor_queue;
mod vendors;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::tenant_tx;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::web::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/admin", get(dashboard))
        .route("/{lang}/admin/moderation/products", get(moderation::page))
        .route("/{lang}/admin/moderation/products/{id}", post(moderation::decide))
        .route("/{lang}/admin/products", get(products::products))
        .route("/{lang}/admin/users", get(users::list))
        .route("/{lang}/admin/users/{id}", get(users::show))
        .route("/{lang}/admin/users/{id}/lock", post(users::lock))
        .route("/{lang}/admin/users/{id}/roles", post(users::set_roles))
        .route("/{lang}/admin/moderation/vendors", get(vendor_queue::page))
        .route("/{lang}/admin/moderation/vendors/{id}", post(vendor_queue::decide))
        .route("/{lang}/admin/tenants", get(tenants::page).post(tenants::create))
        .route("/{lang}/admin/tenants/{id}/domains", post(tenants::add_domain))
        .route("/{lang}/admin/vendors", get(vendors::list))
        .route("/{lang}/admin/vendors/new", get(vendor_new::page).post(vendor_new::create))
        .route("/{lang}/admin/vendors/{id}", post(vendors::decide))
        .route("/{lang}/admin/roles", get(roles::page).post(roles::save))
        .route("/{lang}/admin/settings", get(settings::page).post(settings::save))
        .route("/{lang}/admin/audit", get(audit::page))
        .route("/{lang}/admin/tenant", post(switch_tenant))
        .route("/{lang}/admin/catalog", get(catalog::page))
        .route("/{lang}/admin/catalog/categories", post(catalog::save_category))
        .route("/{lang}/admin/catalog/brands", post(catalog::save_brand))
        .route("/{lang}/admin/shipping", get(catalog::shipping).post(catalog::save_shipping))
        .route("/{lang}/admin/discounts", get(catalog::discounts).post(catalog::create_discount))
        .route("/{lang}/admin/discounts/toggle", post(catalog::toggle_discount))
}

/// `?saved=1`: the page after a successful save says so.
#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: String,
}

impl Saved {
    pub fn yes(&self) -> bool {
        self.saved == "1"
    }
}

/// Back to `path` (under /{lang}) with the "saved" notice.
pub fn saved_redirect(ctx: &Ctx, path: &str) -> Response {
    Redirect::to(&format!("{}?saved=1", ctx.href(path))).into_response()
}

/// One link of the back-office navigation, shown only with its permission.
pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The back-office links this user may open (vendor portal included).
pub fn nav(ctx: &Ctx) -> Vec<NavLink> {
    let links: [(&str, &str, &str); 16] = [
        ("/admin", "admin-nav-dashboard", rbac::ADMIN_ACCESS),
        ("/admin/moderation/products", "admin-nav-moderation", rbac::PRODUCTS_MODERATE),
        ("/admin/moderation/vendors", "admin-nav-vendor-queue", rbac::VENDORS_VERIFY),
        ("/admin/products", "admin-nav-products", rbac::PRODUCTS_MODERATE),
        ("/admin/vendors", "admin-nav-vendors", rbac::VENDORS_VERIFY),
        ("/admin/users", "admin-nav-users", rbac::USERS_VIEW),
        ("/admin/catalog", "admin-nav-catalog", rbac::CATALOG_EDIT),
        ("/admin/shipping", "admin-nav-shipping", rbac::CATALOG_EDIT),
        ("/admin/discounts", "admin-nav-discounts", rbac::CATALOG_EDIT),
        ("/admin/roles", "admin-nav-roles", rbac::PERMISSIONS_EDIT),
        ("/admin/settings", "admin-nav-settings", rbac::SETTINGS_EDIT),
        ("/admin/audit", "admin-nav-audit", rbac::AUDIT_VIEW),
        ("/admin/tenants", "admin-nav-tenants", rbac::TENANTS_MANAGE),
        ("/vendor", "vendor-nav-dashboard", rbac::VENDOR_PORTAL),
        ("/vendor/products", "vendor-nav-products", rbac::VENDOR_PORTAL),
        ("/vendor/orders", "vendor-nav-orders", rbac::VENDOR_PORTAL),
    ];
    links
        .iter()
        .filter(|(path, _, perm)| {
            ctx.can(perm) && (*path == "/admin" || !path.starts_with("/admin") || ctx.can(rbac::ADMIN_ACCESS))
        })
        .map(|(path, key, _)| NavLink {
            href: ctx.href(path),
            label: ctx.t(key),
            current: ctx.rest == *path
                || (ctx.rest.starts_with(path)
                    && path.len() > 6
                    && !(*path == "/vendor" && ctx.rest.starts_with("/vendor/"))),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    ctx: Ctx,
    chart_orders: String,
    chart_revenue: String,
    orders_30: String,
    revenue_30: String,
    waiting_products: String,
    waiting_vendors: String,
    top: Vec<(String, String, String)>,
    tenants: Vec<(Uuid, String, bool)>,
}

async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::ADMIN_ACCESS).await?;
    let tenant = staff.tenant;
    let mut conn = state.db().await?;
    let (sales, top, wp, wv) = tenant_tx(&mut conn, tenant, async |c| {
        let sales = stats::tenant_sales(c, tenant, 30).await?;
        let top = stats::top_products(c, tenant, 30, 5).await?;
        let wp = stats::capped_count(c, stats::PRODUCTS_WAITING, tenant, 1000).await?;
        let wv = stats::capped_count(c, stats::VENDORS_WAITING, tenant, 1000).await?;
        Ok::<_, diesel::result::Error>((sales, top, wp, wv))
    })
    .await?;
    let tenants = if staff.user.can(rbac::TENANTS_SWITCH) {
        use crate::schema::tenants;
        let rows: Vec<(Uuid, String)> =
            tenants::table.order(tenants::name).select((tenants::id, tenants::name)).load(&mut conn).await?;
        rows.into_iter().map(|(id, name)| (id, name, id == tenant)).collect()
    } else {
        Vec::new()
    };
    let orders: Vec<_> = sales.iter().map(|(d, n, _)| (*d, rust_decimal::Decimal::from(*n))).collect();
    let revenue: Vec<_> = sales.iter().map(|(d, _, a)| (*d, *a)).collect();
    let orders_30: i64 = sales.iter().map(|(_, n, _)| n).sum();
    let revenue_30: rust_decimal::Decimal = sales.iter().map(|(_, _, a)| a).sum();
    let top = top
        .iter()
        .map(|t| {
            (
                ctx.lang.pick(t.name.as_deref(), t.name_fa.as_deref(), t.name_ar.as_deref()).to_owned(),
                ctx.num(t.quantity),
                ctx.money(&t.amount),
            )
        })
        .collect();
    Ok(DashboardPage {
        chart_orders: chart::bars(&ctx, &orders, &ctx.t("admin-chart-orders")),
        chart_revenue: chart::bars(&ctx, &revenue, &ctx.t("admin-chart-revenue")),
        orders_30: ctx.num(orders_30),
        revenue_30: ctx.money(&revenue_30),
        waiting_products: ctx.num(wp),
        waiting_vendors: ctx.num(wv),
        top,
        tenants,
        ctx,
    }
    .into_response())
}

#[derive(serde::Deserialize)]
struct TenantForm {
    tenant: Uuid,
}

/// A SUPER_ADMIN chooses the tenant the back-office works on.
async fn switch_tenant(State(state): State<AppState>, ctx: Ctx, Form(form): Form<TenantForm>) -> AppResult<Response> {
    rbac::staff(&ctx, rbac::TENANTS_SWITCH).await?;
    use crate::schema::tenants;
    let mut conn = state.db().await?;
    let exists: i64 = tenants::table.filter(tenants::id.eq(form.tenant)).count().get_result(&mut conn).await?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    ctx.session.insert(rbac::SESSION_ACTING_TENANT, form.tenant).await?;
    Ok(Redirect::to(&ctx.href("/admin")).into_response())
}
