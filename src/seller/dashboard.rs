//! The portal's home: sales, parts to ship, low stock and the shop's state.

use super::current::seller;
use super::list::Row;
use super::models;
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "seller/dashboard.html")]
pub struct DashboardPage {
    ctx: Ctx,
    shop_notice: Option<String>,
    pending: String,
    rejected: String,
    low: Vec<Row>,
    chart: String,
    to_fulfil: String,
}

pub(super) async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let tenant = ctx.tenant.id;
    let (shop, counts, low, sales, to_fulfil) = state
        .tx(tenant, async |c| {
            let shop = models::shop_status(c, tenant, s.vendor).await?;
            let counts = models::vendor_counts(c, tenant, s.vendor).await?;
            let low = models::low_stock(c, tenant, s.vendor, 10).await?;
            let sales = crate::admin::stats::vendor_sales(c, tenant, s.vendor, 30).await?;
            let to_fulfil = crate::admin::stats::vendor_parts_to_ship(c, tenant, s.vendor).await?;
            Ok::<_, diesel::result::Error>((shop, counts, low, sales, to_fulfil))
        })
        .await?;
    // Until staff verify the shop, or after they suspend it, the vendor is told why.
    let shop_notice = match shop.0.as_str() {
        "PENDING" => Some(ctx.t("vendor-shop-pending")),
        "SUSPENDED" => Some(ctx.t1("vendor-shop-suspended", "reason", shop.1.unwrap_or_default())),
        _ => None,
    };
    let low = low.iter().map(|r| Row::new(&ctx, r, ctx.href(&format!("/vendor/products/{}/stock", r.id)))).collect();
    let chart = crate::admin::chart::bars(&ctx, &sales, &ctx.t("vendor-sales-chart"));
    Ok(DashboardPage {
        shop_notice,
        pending: ctx.num(counts.pending),
        rejected: ctx.num(counts.rejected),
        to_fulfil: ctx.num(to_fulfil),
        low,
        chart,
        ctx,
    }
    .into_response())
}
