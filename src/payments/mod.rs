//! Paying for orders: through a gateway (Zarinpal; Mellat and Saman follow
//! the same trait) or from the wallet, and refunds to the wallet. A payment is
//! only ever marked paid after the gateway verified our own record's amount
//! and reference, and at most once per order.

pub mod gateway;
pub mod mellat;
pub mod saman;
pub mod sandbox;
pub mod wallet;
pub mod zarinpal;

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::{Actor, tenant_tx, tenant_tx_as};
use crate::error::{AppError, AppResult};
use crate::orders::models::{self as orders, Order};
use crate::schema::payments;
use crate::web::Ctx;
use gateway::{GatewayError, PaymentGateway, StartRequest, VerifyRequest};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account/orders/{number}/pay", post(pay))
        .route("/{lang}/account/orders/{number}/refund", post(refund))
        .route("/{lang}/account/wallet", get(wallet_page))
        .route("/{lang}/payments/zarinpal/callback", get(zarinpal_callback))
        .route("/{lang}/payments/saman/callback", post(saman_callback))
        .route("/{lang}/payments/mellat/go", get(mellat_go))
        .route("/{lang}/payments/mellat/callback", post(mellat_callback))
}

enum WalletOutcome {
    NotPayable,
    Short,
    Paid,
}

#[derive(serde::Deserialize, Default)]
pub struct PayForm {
    #[serde(default)]
    gateway: String,
}

fn order_href(ctx: &Ctx, number: &str, msg: &str) -> String {
    ctx.href(&format!("/account/orders/{number}?msg={msg}"))
}

/// Rials as the whole number gateways take; None for amounts they cannot carry.
fn whole_rials(amount: Decimal) -> Option<i64> {
    (amount.fract().is_zero() && amount > Decimal::ZERO).then(|| amount.to_i64()).flatten()
}

pub async fn pay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, number)): Path<(String, String)>,
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
async fn start<G: PaymentGateway>(
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

async fn locked_order(c: &mut AsyncPgConnection, tenant: Uuid, user: Uuid, number: &str) -> AppResult<Order> {
    let order = orders::by_number(c, tenant, user, number).await?.ok_or(AppError::NotFound)?;
    orders::by_id_for_update(c, tenant, order.id).await?.ok_or(AppError::NotFound)
}

async fn insert_payment(
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

async fn fail_payment(
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

/// After a verified payment: the order is paid (stock sold, commissions
/// payable), its invoice issued and queued for the tax authority. An order
/// that stopped being payable meanwhile (its reservation ran out) is not
/// revived: the money goes to the shopper's wallet instead.
async fn settle_paid(
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
enum Settled {
    Paid,
    /// The order had stopped being payable: the money went to the wallet.
    Refunded,
    /// The order was already paid by another payment: this one went to the wallet.
    PaidTwice,
    Failed,
}

async fn order_has_completed_payment(
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
async fn refund_second_payment(
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

#[derive(serde::Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(rename = "Authority", default)]
    authority: String,
    #[serde(rename = "Status", default)]
    status: String,
}

#[derive(Queryable, Debug)]
struct PaymentRow {
    id: Uuid,
    order_id: Uuid,
    amount: Decimal,
    status: String,
}

async fn payment_by_ref(
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

/// The shopper is back from Zarinpal.
pub async fn zarinpal_callback(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let ok = q.status == "OK";
    finish(&state, &ctx, &gateway::zarinpal(&state), &q.authority, |_| q.authority.clone(), ok).await
}

/// What Saman posts back (among other fields we do not need).
#[derive(serde::Deserialize, Default)]
pub struct SamanCallback {
    #[serde(rename = "RefNum", default)]
    ref_num: String,
    #[serde(rename = "State", default)]
    state: String,
    #[serde(rename = "Token", default)]
    token: String,
}

/// The shopper is back from Saman (a form POST from the gateway's page).
pub async fn saman_callback(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SamanCallback>,
) -> AppResult<Response> {
    let gw = gateway::saman(&state).ok_or(AppError::NotFound)?;
    let ok = f.state == "OK" && !f.ref_num.is_empty();
    finish(&state, &ctx, &gw, &f.token, |_| f.ref_num.clone(), ok).await
}

/// Our page between checkout and Mellat: the bank takes the RefId only as a
/// form POST, which app.js submits at once (the button does it without JavaScript).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "payments/mellat_go.html")]
pub struct MellatGo {
    ctx: Ctx,
    start_url: String,
    ref_id: String,
}

#[derive(serde::Deserialize, Default)]
pub struct MellatGoQuery {
    #[serde(rename = "RefId", default)]
    ref_id: String,
}

pub async fn mellat_go(State(state): State<AppState>, ctx: Ctx, Query(q): Query<MellatGoQuery>) -> AppResult<Response> {
    let gw = gateway::mellat(&state).ok_or(AppError::NotFound)?;
    if q.ref_id.is_empty() || !q.ref_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::BadRequest("error-bad-request"));
    }
    let start_url = gw.config.start_url.clone();
    let page = MellatGo { ctx, start_url: start_url.clone(), ref_id: q.ref_id }.into_response();
    Ok(crate::web::with_form_target(page, &start_url))
}

/// The shopper is back from Mellat (a form POST from the bank's page).
pub async fn mellat_callback(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(back): Form<mellat::MellatReturn>,
) -> AppResult<Response> {
    let gw = gateway::mellat(&state).ok_or(AppError::NotFound)?;
    let ok = back.res_code == "0" && !back.sale_reference_id.is_empty();
    // The order id sent to the bank is derived from our payment, never taken from the post.
    let sale_ref = back.sale_reference_id.clone();
    finish(&state, &ctx, &gw, &back.ref_id, |payment| format!("{}:{sale_ref}", mellat::order_id(payment)), ok).await
}

/// A gateway's callback: `lookup` must be the reference we stored when the
/// payment opened (else 404); the gateway verifies the reference `verify_ref`
/// makes from our payment's id, for our record's amount, never one from the request.
async fn finish<G: PaymentGateway>(
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

/// A paid, unshipped order is refunded to the wallet: stock back, commissions void.
pub async fn refund(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, number)): Path<(String, String)>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Err(AppError::Forbidden("error-forbidden")) };
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let done = tenant_tx_as(&mut conn, tenant, &ctx.actor(), async |c| {
        let order = locked_order(c, tenant, user, &number).await?;
        if !orders::mark_refunded(c, tenant, &order, Some(user)).await? {
            return Ok::<_, AppError>(false);
        }
        wallet::credit(c, tenant, user, order.total, &format!("refund of order {}", order.order_number)).await?;
        diesel::update(
            payments::table
                .filter(payments::tenant_id.eq(tenant))
                .filter(payments::order_id.eq(order.id))
                .filter(payments::status.eq("COMPLETED")),
        )
        .set(payments::status.eq("REFUNDED"))
        .execute(c)
        .await?;
        Ok(true)
    })
    .await?;
    if !done {
        return Err(AppError::Conflict("order-not-refundable"));
    }
    Ok(Redirect::to(&order_href(&ctx, &number, "refunded")).into_response())
}

pub struct LedgerLine {
    pub date: String,
    pub reference: String,
    pub amount: String,
    pub credit: bool,
    pub after: String,
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "payments/wallet.html")]
pub struct WalletPage {
    ctx: Ctx,
    balance: String,
    lines: Vec<LedgerLine>,
}

/// The wallet: balance and its latest ledger lines.
pub async fn wallet_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let (balance, rows) = tenant_tx(&mut conn, tenant, async |c| {
        let balance = wallet::balance(c, tenant, user).await?.unwrap_or_default();
        Ok::<_, diesel::result::Error>((balance, wallet::ledger(c, tenant, user).await?))
    })
    .await?;
    let lines = rows
        .iter()
        .map(|(amount, _, after, reference, at)| LedgerLine {
            date: ctx.date_time(*at),
            reference: ctx.digits().apply(reference),
            amount: ctx.money(&amount.abs()),
            credit: amount.is_sign_positive(),
            after: ctx.money(after),
        })
        .collect();
    Ok(WalletPage { balance: ctx.money(&balance), lines, ctx }.into_response())
}
