//! The customer's order pages: the list, one order with its timeline, and cancelling.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use super::address::Address;
use super::models::{self, Order};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::calendar::long_date;
use crate::web::Ctx;
use crate::web::params::OrderNumber;

const PAGE_SIZE: i64 = 20;

pub struct OrderRow {
    pub href: String,
    pub number: String,
    pub date: String,
    pub status: String,
    pub status_code: String,
    pub total: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "orders/list.html")]
pub struct OrdersPage {
    ctx: Ctx,
    orders: Vec<OrderRow>,
    next_href: Option<String>,
    first_href: Option<String>,
}

pub fn status_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("order-status-{}", code.to_lowercase().replace('_', "-")))
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    before: String,
}

/// `before` is `<unix-nanos>_<uuid>` of the last order shown.
fn parse_before(raw: &str) -> Option<(OffsetDateTime, Uuid)> {
    let (ts, id) = raw.split_once('_')?;
    let at = OffsetDateTime::from_unix_timestamp_nanos(ts.parse().ok()?).ok()?;
    Some((at, Uuid::parse_str(id).ok()?))
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let before = if q.before.is_empty() {
        None
    } else {
        Some(parse_before(&q.before).ok_or(AppError::BadRequest("error-bad-cursor"))?)
    };
    let tenant = ctx.tenant.id;
    let mut rows =
        state.tx(tenant, async |c| models::list_for_user(c, tenant, user, before, PAGE_SIZE + 1).await).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next_href = more
        .then(|| rows.last())
        .flatten()
        .map(|o| format!("{}?before={}_{}", ctx.href("/account/orders"), o.created_at.unix_timestamp_nanos(), o.id));
    let orders = rows
        .iter()
        .map(|o| OrderRow {
            href: ctx.href(&format!("/account/orders/{}", o.order_number)),
            number: ltr(&ctx.digits().apply(&o.order_number)),
            date: long_date(o.created_at, ctx.lang, ctx.digits()),
            status: status_label(&ctx, &o.status),
            status_code: o.status.to_lowercase(),
            total: ctx.money(&o.total),
        })
        .collect();
    let first_href = before.map(|_| ctx.href("/account/orders"));
    Ok(OrdersPage { ctx, orders, next_href, first_href }.into_response())
}

pub struct ItemView {
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub total: String,
}

pub struct PartView {
    pub vendor: String,
    pub status: String,
    pub tracking: Option<String>,
    pub items: Vec<ItemView>,
}

pub struct StepView {
    pub label: String,
    pub date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "orders/order.html")]
pub struct OrderPage {
    ctx: Ctx,
    order: Order,
    number: String,
    status: String,
    placed: String,
    parts: Vec<PartView>,
    timeline: Vec<StepView>,
    address: Address,
    address_line: String,
    subtotal: String,
    discount: Option<String>,
    shipping: String,
    tax: String,
    total: String,
    payable: bool,
    pay_until: Option<String>,
    cancellable: bool,
    refundable: bool,
    wallet: Option<String>,
    wallet_enough: bool,
    invoice_href: Option<String>,
    /// Saman is configured (offered beside Zarinpal).
    saman: bool,
    mellat: bool,
    flash: Option<String>,
    flash_error: bool,
}

impl OrderPage {
    fn action_href(&self, action: &str) -> String {
        self.ctx.href(&format!("/account/orders/{}/{action}", self.order.order_number))
    }
}

#[derive(serde::Deserialize, Default)]
pub struct OrderQuery {
    #[serde(default)]
    msg: String,
}

/// Messages a redirect may ask the order page to show (`?msg=`), and whether each is an error.
const FLASHES: [(&str, bool); 9] = [
    ("already-ordered", false),
    ("paid", false),
    ("paid-twice", false),
    ("payment-cancelled", true),
    ("payment-failed", true),
    ("cancelled", false),
    ("refunded", false),
    ("wallet-short", true),
    ("not-payable", true),
];

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(OrderNumber { number }): Path<OrderNumber>,
    Query(q): Query<OrderQuery>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    let (order, items, parts, history, wallet, invoice) = state
        .tx(tenant, async |c| {
            let order = models::by_number(c, tenant, user, &number).await?.ok_or(AppError::NotFound)?;
            let items = models::items(c, tenant, order.id).await?;
            let parts = models::parts(c, tenant, order.id).await?;
            let history = models::history(c, tenant, order.id).await?;
            let wallet = crate::payments::wallet::balance(c, tenant, user).await?;
            let invoice = crate::invoices::models::number_for_order(c, tenant, order.id).await?;
            Ok::<_, AppError>((order, items, parts, history, wallet, invoice))
        })
        .await?;
    let lang = ctx.lang;
    let parts = parts
        .iter()
        .map(|(vendor, name, name_fa, name_ar, status, tracking)| PartView {
            vendor: lang.pick(name.as_deref(), name_fa.as_deref(), name_ar.as_deref()).to_owned(),
            tracking: tracking.clone(),
            status: ctx.t(&format!("part-status-{}", status.to_lowercase())),
            items: items
                .iter()
                .filter(|i| i.vendor_id == *vendor)
                .map(|i| ItemView {
                    name: i.name(lang).to_owned(),
                    quantity: ctx.num(i.quantity),
                    unit: ctx.money(&i.unit_price),
                    total: ctx.money(&(i.unit_price * Decimal::from(i.quantity))),
                })
                .collect(),
        })
        .collect();
    let timeline = history
        .iter()
        .map(|(_, to, at)| StepView { label: status_label(&ctx, to), date: ctx.date_time(*at) })
        .collect();
    let now = OffsetDateTime::now_utc();
    let payable = order.payable(now);
    let flash = FLASHES.iter().find(|f| f.0 == q.msg);
    let address = order.address();
    Ok(OrderPage {
        number: ltr(&ctx.digits().apply(&order.order_number)),
        status: status_label(&ctx, &order.status),
        placed: ctx.date_time(order.created_at),
        parts,
        timeline,
        address_line: address.one_line(lang),
        address,
        subtotal: ctx.money(&order.subtotal),
        discount: (!order.discount_amount.is_zero()).then(|| ctx.money(&order.discount_amount)),
        shipping: if order.shipping_amount.is_zero() {
            ctx.t("checkout-free")
        } else {
            ctx.money(&order.shipping_amount)
        },
        tax: ctx.money(&order.tax_amount),
        total: ctx.money(&order.total),
        payable,
        pay_until: payable.then_some(order.reserved_until).flatten().map(|t| time_of_day(&ctx, t)),
        cancellable: order.status == models::status::PENDING_PAYMENT,
        refundable: order.status == models::status::PAID,
        wallet_enough: wallet.is_some_and(|w| w >= order.total),
        wallet: wallet.map(|w| ctx.money(&w)),
        invoice_href: invoice.map(|_| ctx.href(&format!("/account/orders/{}/invoice", order.order_number))),
        saman: state.config.saman.is_some(),
        mellat: state.config.mellat.is_some(),
        flash: flash.map(|f| ctx.t(&format!("order-msg-{}", f.0))),
        flash_error: flash.is_some_and(|f| f.1),
        order,
        ctx,
    }
    .into_response())
}

/// Keeps `1405-100001` in reading order inside right-to-left text (an LTR isolate).
pub fn ltr(s: &str) -> String {
    format!("\u{2066}{s}\u{2069}")
}

fn time_of_day(ctx: &Ctx, at: OffsetDateTime) -> String {
    let local = at.to_offset(crate::i18n::calendar::TEHRAN);
    ctx.digits().apply(&format!("{:02}:{:02}", local.hour(), local.minute()))
}

/// Cancels the user's unpaid order (its stock goes back on sale at once).
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(OrderNumber { number }): Path<OrderNumber>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    let done = state
        .tx_as(tenant, &ctx.actor(), async |c| {
            let order = models::by_number(c, tenant, user, &number).await?.ok_or(AppError::NotFound)?;
            let order = models::by_id_for_update(c, tenant, order.id).await?.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>(models::cancel_unpaid(c, tenant, &order, Some(user), "cancelled by customer").await?)
        })
        .await?;
    if !done {
        return Err(AppError::Conflict("order-not-cancellable"));
    }
    Ok(Redirect::to(&ctx.href(&format!("/account/orders/{number}?msg=cancelled"))).into_response())
}
