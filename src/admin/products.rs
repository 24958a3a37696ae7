//! Every vendor's products for staff, filtered by status and text, a keyset
//! page at a time (the vendor portal's list, across vendors).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::AppResult;
use crate::rbac;
use crate::seller::{ListParams, PAGE, Row, status_choices};
use crate::web::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "admin/products.html")]
pub struct ProductsPage {
    ctx: Ctx,
    rows: Vec<Row>,
    q: String,
    status: String,
    statuses: Vec<(&'static str, String)>,
    next: Option<String>,
}

/// Every product of the tenant, newest first, with search and a status filter.
pub async fn products(State(state): State<AppState>, ctx: Ctx, Query(p): Query<ListParams>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::PRODUCTS_MODERATE).await?;
    let tenant = staff.tenant;
    let (status, after) = p.parse()?;
    let query = crate::seller::models::ListQuery { vendor: None, status, text: Some(&p.q), after, limit: PAGE + 1 };
    let mut rows = state.tx(tenant, async |c| crate::seller::models::list(c, tenant, &query).await).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = more.then(|| rows.last().map(|l| p.next_href(&ctx.href("/admin/products"), l))).flatten();
    let rows = rows
        .iter()
        .map(|r| {
            let href = if r.review_requested_at.is_some() {
                ctx.href(&format!("/admin/moderation/products?at={}", r.id))
            } else {
                ctx.href(&format!("/p/{}", r.slug))
            };
            Row::new(&ctx, r, href)
        })
        .collect();
    Ok(ProductsPage { statuses: status_choices(&ctx), rows, q: p.q, status: p.status, next, ctx }.into_response())
}
