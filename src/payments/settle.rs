//! What a gateway's answer does: verify, then pay the order, or fail the
//! payment, or refund a second payment of a paid order to the wallet, once.

use super::gateway::{GatewayError, PaymentGateway, VerifyRequest};
use super::pay::*;
use super::{gateway, wallet};
use crate::app::AppState;
use crate::db::{tenant_tx, tenant_tx_as};
use crate::error::{AppError, AppResult};
use crate::orders::models::{self as orders, Order};
use crate::schema::payments;
use crate::web::Ctx;
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

/// After a verified payment: the order is paid (stock sold, commissions
/// payable), its invoice issued and queued for the tax authority. An order
/// that stopped being payable meanwhile (its reservation ran out) is not
/// revived: the money goes to the shopper's wallet instead.
pub(super) async fn settle_paid(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    order: &Order,
    payment: Uuid,
    by: Option<Uuid>,
) -> diesel::QueryResult<bool> {
    if orders::mark_paid(c, tenant, order, by).await? {
        crate::invoices::models::issue(c, tenant, order.id).await?;
        Ok(true)
    } else {
        wallet::credit(
            c,
            tenant,
            order.user_id,
            order.total,
            &format!("payment for closed order {}", order.order_number),
        )
        .await?;
        diesel::update(payments::table.filter(payments::id.eq(payment)))
            .set((
                payments::status.eq("REFUNDED"),
                payments::error_message.eq("order no longer payable; refunded to wallet"),
            ))
            .execute(c)
            .await?;
        Ok(false)
    }
}

/// How a verified gateway payment ended.
pub(super) enum Settled {
    Paid,
    /// The order had stopped being payable: the money went to the wallet.
    Refunded,
    /// The order was already paid by another payment: this one went to the wallet.
    PaidTwice,
    Failed,
}

pub(super) async fn order_has_completed_payment(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    order: Uuid,
) -> diesel::QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        payments::table
            .filter(payments::tenant_id.eq(tenant))
            .filter(payments::order_id.eq(order))
            .filter(payments::status.eq("COMPLETED")),
    ))
    .get_result(c)
    .await
}

/// A verified payment for an order another payment already paid: recorded
/// with the bank's reference and card, marked refunded, and its amount
/// credited to the shopper's wallet. Runs under the payment's row lock and
/// only from PENDING, so a replayed callback cannot credit it twice.
pub(super) async fn refund_second_payment(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    order: &Order,
    payment: &PaymentRow,
    verified: &gateway::Verified,
) -> diesel::QueryResult<()> {
    diesel::update(payments::table.filter(payments::id.eq(payment.id)))
        .set((
            payments::status.eq("REFUNDED"),
            payments::gateway_track.eq(&verified.track),
            payments::card_pan.eq(&verified.card_pan),
            payments::verified_at.eq(OffsetDateTime::now_utc()),
            payments::error_message.eq("order already paid; refunded to wallet"),
        ))
        .execute(c)
        .await?;
    wallet::credit(
        c,
        tenant,
        order.user_id,
        payment.amount,
        &format!("second payment for order {} refunded", order.order_number),
    )
    .await?;
    Ok(())
}

#[derive(Queryable, Debug)]
pub(super) struct PaymentRow {
    pub(super) id: Uuid,
    pub(super) order_id: Uuid,
    pub(super) amount: Decimal,
    pub(super) status: String,
}

pub(super) async fn payment_by_ref(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    gateway: &str,
    reference: &str,
    lock: bool,
) -> diesel::QueryResult<Option<PaymentRow>> {
    let q = payments::table
        .filter(payments::tenant_id.eq(tenant))
        .filter(payments::gateway.eq(gateway))
        .filter(payments::gateway_ref.eq(reference))
        .select((payments::id, payments::order_id, payments::amount, payments::status));
    if lock { q.for_update().first(c).await.optional() } else { q.first(c).await.optional() }
}

/// A gateway's callback: `lookup` must be the reference we stored when the
/// payment opened (else 404); the gateway verifies the reference `verify_ref`
/// makes from our payment's id, for our record's amount, never one from the request.
pub(super) async fn finish<G: PaymentGateway>(
    state: &AppState,
    ctx: &Ctx,
    gw: &G,
    lookup: &str,
    verify_ref: impl FnOnce(Uuid) -> String,
    ok: bool,
) -> AppResult<Response> {
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let found = tenant_tx(&mut conn, tenant, async |c| {
        let Some(p) = payment_by_ref(c, tenant, G::NAME, lookup, false).await? else {
            return Ok::<_, AppError>(None);
        };
        let number: String = crate::schema::orders::table
            .filter(crate::schema::orders::id.eq(p.order_id))
            .select(crate::schema::orders::order_number)
            .first(c)
            .await?;
        Ok(Some((p, number)))
    })
    .await?;
    let Some((payment, number)) = found else { return Err(AppError::NotFound) };
    let back = |msg: &str| Ok(Redirect::to(&order_href(ctx, &number, msg)).into_response());
    match payment.status.as_str() {
        "COMPLETED" => return back("paid"),
        "REFUNDED" => return back("refunded"),
        "PENDING" => {}
        _ => return back("payment-failed"),
    }
    if !ok {
        tenant_tx_as(&mut conn, tenant, &ctx.actor(), async |c| {
            diesel::update(payments::table.filter(payments::id.eq(payment.id)).filter(payments::status.eq("PENDING")))
                .set((payments::status.eq("CANCELLED"), payments::error_message.eq("cancelled at the gateway")))
                .execute(c)
                .await
        })
        .await?;
        return back("payment-cancelled");
    }
    let amount = whole_rials(payment.amount).ok_or(AppError::Conflict("pay-amount-unsupported"))?;
    let verified = gw.verify(&VerifyRequest { reference: verify_ref(payment.id), amount_rial: amount }).await;
    match verified {
        Ok(v) => {
            let settled = tenant_tx_as(&mut conn, tenant, &ctx.actor(), async |c| {
                // The order first, then the payment (the order everything else
                // locks first): replays, concurrent callbacks and a second
                // payment of the same order meet here, one at a time.
                let order = orders::by_id_for_update(c, tenant, payment.order_id).await?.ok_or(AppError::NotFound)?;
                let Some(p) = payment_by_ref(c, tenant, G::NAME, lookup, true).await? else {
                    return Ok::<_, AppError>(Settled::Failed);
                };
                match p.status.as_str() {
                    "PENDING" => {}
                    "COMPLETED" => return Ok(Settled::Paid),
                    "REFUNDED" => return Ok(Settled::Refunded),
                    _ => return Ok(Settled::Failed),
                }
                if order_has_completed_payment(c, tenant, order.id).await? {
                    // Paid twice (two tabs, or back and pay again): the bank took
                    // this money too, so it goes to the shopper's wallet, once.
                    refund_second_payment(c, tenant, &order, &p, &v).await?;
                    return Ok(Settled::PaidTwice);
                }
                diesel::update(payments::table.filter(payments::id.eq(p.id)))
                    .set((
                        payments::status.eq("COMPLETED"),
                        payments::gateway_track.eq(&v.track),
                        payments::card_pan.eq(&v.card_pan),
                        payments::verified_at.eq(OffsetDateTime::now_utc()),
                    ))
                    .execute(c)
                    .await?;
                Ok(if settle_paid(c, tenant, &order, p.id, None).await? { Settled::Paid } else { Settled::Refunded })
            })
            .await?;
            back(match settled {
                Settled::Paid => "paid",
                Settled::Refunded => "refunded",
                Settled::PaidTwice => "paid-twice",
                Settled::Failed => "payment-failed",
            })
        }
        Err(GatewayError::Refused { code, message }) => {
            fail_payment(&mut conn, tenant, &ctx.actor(), payment.id, &format!("{} {code}: {message}", G::NAME))
                .await?;
            back("payment-failed")
        }
        // The outcome is unknown: keep the payment pending, so a retried callback can verify it.
        Err(e @ GatewayError::Unreachable(_)) => {
            tracing::warn!(gateway = G::NAME, error = %e, "verify failed");
            Err(AppError::Unavailable)
        }
    }
}
