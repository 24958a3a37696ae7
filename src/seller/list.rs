//! The product list: the vendor's own, and (through admin) every vendor's.

use super::current::seller;
use super::models;
use super::models::ListRow;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

/// A product row ready to print.
pub struct Row {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub price: String,
    pub available: String,
    pub status: String,
    pub status_class: &'static str,
    pub waiting: bool,
    pub rejection: Option<String>,
    pub href: String,
}

impl Row {
    pub fn new(ctx: &Ctx, r: &ListRow, href: String) -> Self {
        Self {
            id: r.id,
            sku: r.sku.clone(),
            name: r.name(ctx.lang).to_owned(),
            price: ctx.money(&r.price),
            available: ctx.num((r.stock - r.reserved_stock).max(0)),
            status: ctx.t(&status_key(&r.status)),
            status_class: status_class(&r.status),
            waiting: r.review_requested_at.is_some(),
            rejection: r.rejection_reason.clone(),
            href,
        }
    }
}

pub fn status_key(status: &str) -> String {
    format!("product-status-{}", status.to_ascii_lowercase().replace('_', "-"))
}

pub(super) fn status_class(status: &str) -> &'static str {
    match status {
        "ACTIVE" => "ok",
        "PENDING_REVIEW" | "DRAFT" => "wait",
        "REJECTED" | "OUT_OF_STOCK" | "VENDOR_SUSPENDED" => "bad",
        _ => "",
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub after: String,
}

impl ListParams {
    /// Checked filters: an unknown status or a malformed cursor is a 400.
    pub fn parse(&self) -> AppResult<(Option<&str>, Option<Keyset>)> {
        let status = match self.status.as_str() {
            "" => None,
            s if models::STATUSES.contains(&s) => Some(s),
            _ => return Err(AppError::BadRequest("error-bad-request")),
        };
        let after = match self.after.as_str() {
            "" => None,
            c => match crate::web::pagination::Cursor::decode(c, crate::web::pagination::Sort::Newest) {
                Some(crate::web::pagination::Cursor::Newest { at, id }) => Some((at, id)),
                _ => return Err(AppError::BadRequest("error-bad-cursor")),
            },
        };
        Ok((status, after))
    }

    /// The link to the page after `last`, filters kept.
    pub fn next_href(&self, base: &str, last: &ListRow) -> String {
        let cursor = crate::web::pagination::Cursor::Newest { at: last.created_at, id: last.id }.encode();
        let q =
            serde_urlencoded::to_string([("q", self.q.as_str()), ("status", self.status.as_str()), ("after", &cursor)])
                .unwrap_or_default();
        format!("{base}?{q}")
    }
}

pub const PAGE: i64 = 25;

/// The (created_at, id) of the last row shown: the next page starts after it.
pub type Keyset = (time::OffsetDateTime, Uuid);

#[derive(Template, WebTemplate)]
#[template(path = "seller/products.html")]
pub struct ProductsPage {
    ctx: Ctx,
    rows: Vec<Row>,
    q: String,
    status: String,
    statuses: Vec<(&'static str, String)>,
    next: Option<String>,
    saved: Option<String>,
}

pub fn status_choices(ctx: &Ctx) -> Vec<(&'static str, String)> {
    models::STATUSES.iter().map(|s| (*s, ctx.t(&status_key(s)))).collect()
}

#[derive(serde::Deserialize, Default)]
pub struct SavedParam {
    #[serde(default)]
    pub(super) saved: String,
}

pub(super) async fn products(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
    Query(flash): Query<SavedParam>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let (status, after) = p.parse()?;
    let tenant = ctx.tenant.id;
    let query = models::ListQuery { vendor: Some(s.vendor), status, text: Some(&p.q), after, limit: PAGE + 1 };
    let mut rows = state.tx(tenant, async |c| models::list(c, tenant, &query).await).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = more.then(|| rows.last().map(|l| p.next_href(&ctx.href("/vendor/products"), l))).flatten();
    let saved = match flash.saved.as_str() {
        "submitted" => Some(ctx.t("vendor-saved-submitted")),
        "queued" => Some(ctx.t("vendor-saved-queued")),
        "applied" => Some(ctx.t("vendor-saved-applied")),
        _ => None,
    };
    let rows = rows.iter().map(|r| Row::new(&ctx, r, ctx.href(&format!("/vendor/products/{}", r.id)))).collect();
    Ok(ProductsPage { statuses: status_choices(&ctx), rows, q: p.q, status: p.status, next, saved, ctx }
        .into_response())
}
