//! A shopper's refund of a paid order to their wallet.

use super::pay::*;
use super::wallet;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::orders::models::{self as orders};
use crate::schema::payments;
use crate::web::Ctx;
use crate::web::params::OrderNumber;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// A paid, unshipped order is refunded to the wallet: stock back, commissions void.
pub async fn refund(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(OrderNumber { number }): Path<OrderNumber>,
) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Err(AppError::Forbidden("error-forbidden")) };
    let tenant = ctx.tenant.id;
    let done = state
        .tx_as(tenant, &ctx.actor(), async |c| {
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
