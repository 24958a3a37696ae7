//! Tax invoices: issued when an order is paid, numbered per tenant, carrying
//! the Moodian taxid and JSON, printable, and sent to the tax authority by the
//! job queue.

pub mod jose;
pub mod models;
pub mod moodian;
pub mod sandbox;
pub mod submit;
pub mod taxid;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use rust_decimal::Decimal;

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::orders::address::Address;
use crate::web::Ctx;
use crate::web::params::OrderNumber;

pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/account/orders/{number}/invoice", get(print))
}

pub struct InvoiceLine {
    pub n: String,
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub discount: String,
    pub tax: String,
    pub total: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "invoices/invoice.html")]
pub struct InvoicePage {
    ctx: Ctx,
    number: String,
    order_number: String,
    order_href: String,
    serial: String,
    taxid: String,
    issued: String,
    status: String,
    buyer_name: String,
    buyer_address: String,
    buyer_postal: String,
    buyer_mobile: String,
    seller_code: String,
    lines: Vec<InvoiceLine>,
    subtotal: String,
    discount: String,
    tax: String,
    shipping: String,
    total: String,
    qr: String,
}

fn dec(v: &serde_json::Value) -> Decimal {
    match v {
        serde_json::Value::String(s) => s.parse().unwrap_or_default(),
        serde_json::Value::Number(n) => n.to_string().parse().unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(OrderNumber { number }): Path<OrderNumber>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Err(AppError::NotFound) };
    let tenant = ctx.tenant.id;
    let (inv, seller_code) = state
        .tx(tenant, async |c| {
            let inv = models::for_user_order(c, tenant, user, &number).await?.ok_or(AppError::NotFound)?;
            use diesel::{ExpressionMethods as _, QueryDsl as _};
            use diesel_async::RunQueryDsl as _;
            let code: Option<String> = crate::schema::tenants::table
                .filter(crate::schema::tenants::id.eq(tenant))
                .select(crate::schema::tenants::economic_code)
                .first(c)
                .await?;
            Ok::<_, AppError>((inv, code.unwrap_or_default()))
        })
        .await?;
    let lang = ctx.lang;
    let d = ctx.digits();
    let address: Address = serde_json::from_value(inv.buyer_info["address"].clone()).unwrap_or_default();
    let lines: Vec<InvoiceLine> = inv
        .items
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let name = lang.pick(it["name"].as_str(), it["name_fa"].as_str(), it["name_ar"].as_str()).to_owned();
            let q = it["quantity"].as_i64().unwrap_or_default();
            InvoiceLine {
                n: ctx.num(i as i64 + 1),
                name,
                quantity: ctx.num(q),
                unit: ctx.money(&dec(&it["unit_price"])),
                discount: ctx.money(&dec(&it["discount"])),
                tax: ctx.money(&dec(&it["tax"])),
                total: ctx.money(&dec(&it["total"])),
            }
        })
        .collect();
    let shipping = inv.total - inv.subtotal + inv.discount - inv.tax_amount;
    let order_number = number.clone();
    Ok(InvoicePage {
        number: crate::orders::pages::ltr(&d.apply(&inv.invoice_number)),
        order_href: ctx.href(&format!("/account/orders/{order_number}")),
        order_number: crate::orders::pages::ltr(&d.apply(&order_number)),
        serial: ctx.num(inv.serial_number),
        taxid: inv.tax_id.clone(),
        issued: ctx.date_time(inv.issued_at),
        status: ctx.t(&format!("invoice-status-{}", inv.status.to_lowercase().replace('_', "-"))),
        buyer_name: inv.buyer_info["full_name"].as_str().unwrap_or_default().to_owned(),
        buyer_address: address.one_line(lang),
        buyer_postal: d.apply(&address.postal_code),
        buyer_mobile: d.apply(&address.mobile_display()),
        seller_code: d.apply(&seller_code),
        lines,
        subtotal: ctx.money(&inv.subtotal),
        discount: ctx.money(&inv.discount),
        tax: ctx.money(&inv.tax_amount),
        shipping: ctx.money(&shipping),
        total: ctx.money(&inv.total),
        qr: format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(&inv.qr_code)),
        ctx,
    }
    .into_response())
}
