//! The stock page: adjustments with a reason, and the history.

use super::current::{Seller, seller};
use super::models;
use super::models::ManagedProduct;
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use crate::web::params::IdParam;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "seller/stock.html")]
pub struct StockPage {
    ctx: Ctx,
    product: ManagedProduct,
    history: Vec<(String, String, String, String, String)>,
    form: StockForm,
    error: Option<String>,
    reasons: Vec<(&'static str, String)>,
}

impl StockPage {
    fn name(&self) -> &str {
        self.ctx.lang.pick(
            self.product.name.as_deref(),
            self.product.name_fa.as_deref(),
            self.product.name_ar.as_deref(),
        )
    }
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct StockForm {
    #[serde(default)]
    change: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// Reasons a vendor may give for a stock change (inventory_logs.reason).
pub(super) const STOCK_REASONS: [&str; 5] = ["restock", "count", "damaged", "returned", "other"];

pub(super) async fn stock_view(
    state: &AppState,
    ctx: Ctx,
    s: &Seller,
    id: Uuid,
    form: StockForm,
    error: Option<String>,
) -> AppResult<StockPage> {
    let tenant = ctx.tenant.id;
    let (product, lines) = state
        .tx(tenant, async |c| {
            let p = models::own_product(c, tenant, s.vendor, id).await?.ok_or(AppError::NotFound)?;
            let lines = models::stock_history(c, tenant, id).await?;
            Ok::<_, AppError>((p, lines))
        })
        .await?;
    let history = lines
        .iter()
        .map(|l| {
            let change = if l.change > 0 { format!("+{}", ctx.num(l.change)) } else { ctx.num(l.change) };
            let reason = if STOCK_REASONS.contains(&l.reason.as_str()) || l.reason == "initial" {
                ctx.t(&format!("stock-reason-{}", l.reason))
            } else {
                l.reason.clone()
            };
            let reason = match &l.reference {
                Some(r) if !r.is_empty() => format!("{reason} — {r}"),
                _ => reason,
            };
            (
                ctx.date_time(l.created_at),
                crate::orders::pages::ltr(&change),
                ctx.num(l.stock_after),
                reason,
                l.who.clone().unwrap_or_else(|| ctx.t("stock-by-system")),
            )
        })
        .collect();
    let reasons = STOCK_REASONS.iter().map(|r| (*r, ctx.t(&format!("stock-reason-{r}")))).collect();
    Ok(StockPage { ctx, product, history, form, error, reasons })
}

pub(super) async fn stock_page(State(state): State<AppState>, ctx: Ctx, IdParam(id): IdParam) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let form = StockForm { reason: "restock".into(), ..Default::default() };
    Ok(stock_view(&state, ctx, &s, id, form, None).await?.into_response())
}

pub(super) async fn adjust_stock(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<StockForm>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let change = crate::text::parse_int(&form.change);
    let reason_ok = STOCK_REASONS.contains(&form.reason.as_str());
    let note = form.note.trim().chars().take(200).collect::<String>();
    let error = match change {
        None | Some(0) => Some("stock-change-invalid"),
        Some(n) if n.abs() > 1_000_000 => Some("stock-change-invalid"),
        _ if !reason_ok => Some("stock-reason-required"),
        _ if form.reason == "other" && note.is_empty() => Some("stock-note-required"),
        _ => None,
    };
    if let Some(key) = error {
        let msg = Some(ctx.t(key));
        let page = stock_view(&state, ctx, &s, id, form, msg).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let change = change.unwrap_or_default();
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let done = state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            let note = (!note.is_empty()).then_some(note.as_str());
            models::adjust_stock(c, tenant, s.vendor, id, s.user.id, change, &form.reason, note).await
        })
        .await?;
    match done {
        Ok(_) => Ok(Redirect::to(&ctx.href(&format!("/vendor/products/{id}/stock"))).into_response()),
        Err(models::StockError::NotFound) => Err(AppError::NotFound),
        Err(models::StockError::BelowReserved { reserved }) => {
            let msg = Some(ctx.t1("stock-below-reserved", "count", ctx.num(reserved)));
            let page = stock_view(&state, ctx, &s, id, form, msg).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}
