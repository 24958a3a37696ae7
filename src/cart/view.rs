//! The cart page and the header's mini cart, and the page shown after a change.

use super::models::{self, CartLine, LineIssue, QuantityError};
use super::session::{guest_cart, set_session_count};
use crate::app::AppState;
use crate::catalog::PLACEHOLDER_IMAGE;
use crate::error::AppResult;
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A cart line ready to print.
pub struct LineView {
    pub item_id: Uuid,
    pub href: String,
    pub name: String,
    pub image: String,
    pub price: String,
    pub old_price: Option<String>,
    pub quantity: i32,
    pub max: i32,
    pub total: String,
    pub issue: Option<String>,
    pub price_changed: bool,
    pub error: Option<String>,
}

impl LineView {
    fn new(ctx: &Ctx, l: &CartLine) -> Self {
        let p = &l.product;
        let issue = l.issue();
        let issue_text = issue.map(|i| match i {
            LineIssue::Unavailable => ctx.t("cart-issue-unavailable"),
            LineIssue::SellerSuspended => ctx.t("cart-issue-seller-suspended"),
            LineIssue::NotEnoughStock => ctx.t1("cart-issue-stock", "count", ctx.num(p.available())),
            LineIssue::BelowMinimum => ctx.t1("cart-qty-min", "count", ctx.num(p.min_order_qty)),
            LineIssue::AboveMaximum => ctx.t1("cart-qty-max", "count", ctx.num(p.max_quantity())),
            LineIssue::PriceChanged => {
                i18n_two(ctx, "cart-issue-price", ("old", ctx.money(&l.unit_price)), ("new", ctx.money(&p.price)))
            }
        });
        Self {
            item_id: l.item_id,
            href: ctx.href(&format!("/p/{}", p.slug)),
            name: p.name(ctx.lang).to_owned(),
            image: p.thumb.as_deref().unwrap_or(PLACEHOLDER_IMAGE).to_owned(),
            price: ctx.money(&p.price),
            old_price: (l.unit_price != p.price).then(|| ctx.money(&l.unit_price)),
            quantity: l.quantity,
            max: p.max_quantity().max(l.quantity).max(1),
            total: ctx.money(&(p.price * Decimal::from(l.quantity))),
            price_changed: issue == Some(LineIssue::PriceChanged),
            issue: issue_text,
            error: None,
        }
    }
}

pub(super) fn i18n_two(ctx: &Ctx, key: &str, a: (&str, String), b: (&str, String)) -> String {
    crate::i18n::t_args(ctx.lang, key, &[a, b])
}

pub fn quantity_message(ctx: &Ctx, e: QuantityError) -> String {
    match e {
        QuantityError::Invalid => ctx.t("cart-qty-invalid"),
        QuantityError::Unavailable => ctx.t("cart-issue-unavailable"),
        QuantityError::BelowMinimum(n) => ctx.t1("cart-qty-min", "count", ctx.num(n)),
        QuantityError::AboveMaximum(n) => ctx.t1("cart-qty-max", "count", ctx.num(n)),
    }
}

/// The cart page; its `cart` block is the fragment htmx swaps after each change.
#[derive(Template, WebTemplate)]
#[template(path = "cart/cart.html", blocks = ["cart"])]
pub struct CartPage {
    pub(super) ctx: Ctx,
    pub(super) lines: Vec<LineView>,
    pub(super) subtotal: String,
    pub(super) blocked: bool,
    pub(super) flash: Option<String>,
}

/// The header's cart link, alone (after an add) with a status message beside it.
#[derive(Template, WebTemplate)]
#[template(path = "cart/mini.html")]
pub struct MiniCart {
    pub(super) ctx: Ctx,
    pub(super) toast: String,
    pub(super) toast_error: bool,
}

pub(super) async fn load_lines(state: &AppState, ctx: &Ctx) -> AppResult<Vec<CartLine>> {
    let tenant = ctx.tenant.id;
    let user = ctx.user.as_ref().map(|u| u.id);
    let guest = guest_cart(&ctx.session).await;
    state
        .tx(tenant, async |c| match models::find(c, tenant, user, guest).await? {
            Some(cart) => models::lines(c, tenant, cart).await,
            None => Ok(Vec::new()),
        })
        .await
}

pub(super) fn build_page(
    mut ctx: Ctx,
    lines: &[CartLine],
    flash: Option<String>,
    error_for: Option<(Uuid, String)>,
) -> CartPage {
    let count: i64 = lines.iter().map(|l| i64::from(l.quantity)).sum();
    ctx.cart_count = count;
    let subtotal: Decimal = lines.iter().map(|l| l.product.price * Decimal::from(l.quantity)).sum();
    let mut views: Vec<LineView> = lines.iter().map(|l| LineView::new(&ctx, l)).collect();
    if let Some((id, msg)) = error_for
        && let Some(v) = views.iter_mut().find(|v| v.item_id == id)
    {
        v.error = Some(msg);
    }
    CartPage {
        blocked: lines.iter().any(|l| l.issue().is_some()),
        subtotal: ctx.money(&subtotal),
        lines: views,
        flash,
        ctx,
    }
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let lines = load_lines(&state, &ctx).await?;
    sync_count(&ctx, &lines).await?;
    Ok(build_page(ctx, &lines, None, None).into_response())
}

/// Keeps the header's count in step with the cart as the database has it.
pub(super) async fn sync_count(ctx: &Ctx, lines: &[CartLine]) -> AppResult<()> {
    let count: i64 = lines.iter().map(|l| i64::from(l.quantity)).sum();
    if count != ctx.cart_count {
        set_session_count(&ctx.session, ctx.tenant.id, count).await?;
    }
    Ok(())
}

/// htmx gets the cart fragment (with the header count out of band); a plain
/// post goes back to the cart page, or sees it with the message on a refusal.
pub(super) async fn after_change(
    state: &AppState,
    ctx: Ctx,
    refused: Option<(Uuid, QuantityError)>,
) -> AppResult<Response> {
    let lines = load_lines(state, &ctx).await?;
    sync_count(&ctx, &lines).await?;
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    if refused.is_none() && !ctx.htmx {
        return Ok(Redirect::to(&ctx.href("/cart")).into_response());
    }
    let error_for = refused.map(|(id, e)| (id, quantity_message(&ctx, e)));
    let htmx = ctx.htmx;
    let page = build_page(ctx, &lines, None, error_for);
    if htmx { crate::web::fragment(status, page.as_cart()) } else { Ok((status, page).into_response()) }
}
