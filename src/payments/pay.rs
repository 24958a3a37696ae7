//! Paying an order: from the wallet, or by sending the shopper to a gateway
//! with a payment recorded first.

use super::gateway::{PaymentGateway, StartRequest};
use super::settle::*;
use super::{gateway, wallet};
use crate::app::AppState;
use crate::db::{Actor, tenant_tx_as};
use crate::error::{AppError, AppResult};
use crate::orders::models::{self as orders, Order};
use crate::schema::payments;
use crate::web::Ctx;
use crate::web::params::OrderNumber;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use time::OffsetDateTime;
use uuid::Uuid;

pub(super) enum WalletOutcome {
    NotPayable,
    Short,
    Paid,
}

#[derive(serde::Deserialize, Default)]
pub struct PayForm {
    #[serde(default)]
    pub(super) gateway: String,
}

pub(super) fn order_href(ctx: &Ctx, number: &str, msg: &str) -> String {
    ctx.href(&format!("/account/orders/{number}?msg={msg}"))
}

/// Rials as the whole number gateways take; None for amounts they cannot carry.
pub(super) fn whole_rials(amount: Decimal) -> Option<i64> {
    (amount.fract().is_zero() && amount > Decimal::ZERO).then(|| amount.to_i64()).flatten()
}

pub async fn pay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(OrderNumber { number }): Path<OrderNumber>,
    Form(form): Form<PayForm>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.clone() else {
        // Back to the order page after logging in (the form cannot be replayed by a GET).
        let next = ctx.href(&format!("/account/orders/{number}"));
        return Ok(Redirect::to(&format!("{}?next={next}", ctx.href("/login"))).into_response());
    };
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    match form.gateway.as_str() {
        "WALLET" => {
            let outcome = tenant_tx_as(&mut conn, tenant, &ctx.actor(), async |c| {
                let order = locked_order(c, tenant, user.id, &number).await?;
                if !order.payable(OffsetDateTime::now_utc()) {
                    return Ok::<_, AppError>(WalletOutcome::NotPayable);
                }
                let reference = format!("order {}", order.order_number);
                if wallet::debit(c, tenant, user.id, order.total, &reference).await?.is_none() {
                    return Ok(WalletOutcome::Short);
                }
                let payment = insert_payment(c, tenant, &order, "WALLET", "COMPLETED").await?;
                settle_paid(c, tenant, &order, payment, Some(user.id)).await?;
                Ok(WalletOutcome::Paid)
            })
            .await?;
            // (An owned outcome, not a &str: a borrowed one trips the handler's Send check.)
            let msg = match outcome {
                WalletOutcome::NotPayable => "not-payable",
                WalletOutcome::Short => "wallet-short",
                WalletOutcome::Paid => "paid",
            };
            Ok(Redirect::to(&order_href(&ctx, &number, msg)).into_response())
        }
        "ZARINPAL" => start(&state, &ctx, &mut conn, &user, &number, &gateway::zarinpal(&state), "zarinpal").await,
        "MELLAT" => match gateway::mellat(&state) {
            Some(gw) => start(&state, &ctx, &mut conn, &user, &number, &gw, "mellat").await,
            None => Err(AppError::BadRequest("error-bad-request")),
        },
        "SAMAN" => match gateway::saman(&state) {
            Some(gw) => start(&state, &ctx, &mut conn, &user, &number, &gw, "saman").await,
            None => Err(AppError::BadRequest("error-bad-request")),
        },
        _ => Err(AppError::BadRequest("error-bad-request")),
    }
}

/// Opens a gateway payment for the order and sends the shopper to the gateway.
pub(super) async fn start<G: PaymentGateway>(
    _state: &AppState,
    ctx: &Ctx,
    conn: &mut AsyncPgConnection,
    user: &crate::accounts::current_user::CurrentUser,
    number: &str,
    gw: &G,
    callback: &str,
) -> AppResult<Response> {
    let tenant = ctx.tenant.id;
    let started = tenant_tx_as(conn, tenant, &ctx.actor(), async |c| {
        let order = locked_order(c, tenant, user.id, number).await?;
        if !order.payable(OffsetDateTime::now_utc()) {
            return Ok::<_, AppError>(None);
        }
        let id = insert_payment(c, tenant, &order, G::NAME, "PENDING").await?;
        let mobile = order.address().mobile_display().replace(' ', "");
        Ok(Some((id, order.total, mobile)))
    })
    .await?;
    let Some((payment_id, total, mobile)) = started else {
        return Ok(Redirect::to(&order_href(ctx, number, "not-payable")).into_response());
    };
    let amount = whole_rials(total).ok_or(AppError::Conflict("pay-amount-unsupported"))?;
    let req = StartRequest {
        amount_rial: amount,
        callback_url: format!("{}{}", ctx.origin, ctx.href(&format!("/payments/{callback}/callback"))),
        description: ctx.t1("pay-description", "number", number.to_owned()),
        order_ref: payment_id.to_string(),
        mobile: Some(mobile).filter(|m| !m.is_empty()),
        email: Some(user.email.clone()),
    };
    match gw.start(&req).await {
        Ok(s) => {
            tenant_tx_as(conn, tenant, &ctx.actor(), async |c| {
                diesel::update(payments::table.filter(payments::id.eq(payment_id)))
                    .set(payments::gateway_ref.eq(&s.reference))
                    .execute(c)
                    .await
            })
            .await?;
            Ok(Redirect::to(&s.redirect_url).into_response())
        }
        Err(e) => {
            tracing::warn!(gateway = G::NAME, error = %e, "payment request failed");
            fail_payment(conn, tenant, &ctx.actor(), payment_id, &e.to_string()).await?;
            Ok(Redirect::to(&order_href(ctx, number, "payment-failed")).into_response())
        }
    }
}

pub(super) async fn locked_order(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    number: &str,
) -> AppResult<Order> {
    let order = orders::by_number(c, tenant, user, number).await?.ok_or(AppError::NotFound)?;
    orders::by_id_for_update(c, tenant, order.id).await?.ok_or(AppError::NotFound)
}

pub(super) async fn insert_payment(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    order: &Order,
    gateway: &str,
    status: &str,
) -> diesel::QueryResult<Uuid> {
    let id = Uuid::now_v7();
    let verified = (status == "COMPLETED").then(OffsetDateTime::now_utc);
    diesel::insert_into(payments::table)
        .values((
            payments::id.eq(id),
            payments::tenant_id.eq(tenant),
            payments::order_id.eq(order.id),
            payments::amount.eq(order.total),
            payments::gateway.eq(gateway),
            payments::status.eq(status),
            payments::verified_at.eq(verified),
        ))
        .execute(c)
        .await?;
    Ok(id)
}

pub(super) async fn fail_payment(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    actor: &Actor,
    payment: Uuid,
    error: &str,
) -> AppResult<()> {
    tenant_tx_as(conn, tenant, actor, async |c| {
        diesel::update(payments::table.filter(payments::id.eq(payment)).filter(payments::status.eq("PENDING")))
            .set((payments::status.eq("FAILED"), payments::error_message.eq(error)))
            .execute(c)
            .await
    })
    .await?;
    Ok(())
}
