//! An order's life after it is placed: status changes with history, stock
//! moved back or sold, cancellation, payment, refund and expiry.

use super::*;
use crate::app::AppState;
use crate::db::tenant_tx;
use crate::schema::{
    inventory_logs, order_fulfillments, order_items, order_status_history, orders, payments, products,
    vendor_commissions,
};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

/// The order lifecycle of the seed: DRAFT → PENDING_PAYMENT → PAID →
/// PROCESSING → SHIPPED → DELIVERED → COMPLETED, with CANCELLED (before
/// shipping) and REFUNDED (after payment).
pub mod status {
    pub const DRAFT: &str = "DRAFT";
    pub const PENDING_PAYMENT: &str = "PENDING_PAYMENT";
    pub const PAID: &str = "PAID";
    pub const PROCESSING: &str = "PROCESSING";
    pub const SHIPPED: &str = "SHIPPED";
    pub const DELIVERED: &str = "DELIVERED";
    pub const COMPLETED: &str = "COMPLETED";
    pub const CANCELLED: &str = "CANCELLED";
    pub const REFUNDED: &str = "REFUNDED";

    /// Every move the lifecycle allows.
    const MOVES: &[(&str, &str)] = &[
        (DRAFT, PENDING_PAYMENT),
        (DRAFT, CANCELLED),
        (PENDING_PAYMENT, PAID),
        (PENDING_PAYMENT, CANCELLED),
        (PAID, PROCESSING),
        (PAID, REFUNDED),
        (PROCESSING, SHIPPED),
        (PROCESSING, REFUNDED),
        (SHIPPED, DELIVERED),
        (DELIVERED, COMPLETED),
        (DELIVERED, REFUNDED),
    ];

    pub fn can_move(from: &str, to: &str) -> bool {
        MOVES.contains(&(from, to))
    }
}

pub async fn record_status(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: Uuid,
    from: Option<&str>,
    to: &str,
    by: Option<Uuid>,
    note: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(order_status_history::table)
        .values((
            order_status_history::id.eq(Uuid::now_v7()),
            order_status_history::tenant_id.eq(tenant),
            order_status_history::order_id.eq(order),
            order_status_history::from_status.eq(from),
            order_status_history::to_status.eq(to),
            order_status_history::changed_by.eq(by),
            order_status_history::note.eq(note),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Moves an order from `from` to `to` (locking it) and records who did it.
/// Returns false, changing nothing, when the order is not in `from` or the
/// lifecycle does not allow the move.
pub async fn transition(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: Uuid,
    from: &str,
    to: &str,
    by: Option<Uuid>,
    note: Option<&str>,
) -> QueryResult<bool> {
    if !status::can_move(from, to) {
        return Ok(false);
    }
    let now = OffsetDateTime::now_utc();
    // One statement per move, so the audit log sees one change with all it did.
    let target =
        orders::table.filter(orders::tenant_id.eq(tenant)).filter(orders::id.eq(order)).filter(orders::status.eq(from));
    let changed = match to {
        status::PAID => {
            diesel::update(target)
                .set((orders::status.eq(to), orders::updated_at.eq(now), orders::paid_at.eq(now)))
                .execute(conn)
                .await?
        }
        status::CANCELLED | status::REFUNDED => {
            diesel::update(target)
                .set((orders::status.eq(to), orders::updated_at.eq(now), orders::cancelled_at.eq(now)))
                .execute(conn)
                .await?
        }
        _ => diesel::update(target).set((orders::status.eq(to), orders::updated_at.eq(now))).execute(conn).await?,
    };
    if changed == 0 {
        return Ok(false);
    }
    record_status(conn, tenant, order, Some(from), to, by, note).await?;
    Ok(true)
}

/// (product, quantity) of an order, in product-id order (the lock order).
pub(super) async fn quantities(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: Uuid,
) -> QueryResult<Vec<(Uuid, i32)>> {
    order_items::table
        .filter(order_items::tenant_id.eq(tenant))
        .filter(order_items::order_id.eq(order))
        .order(order_items::product_id)
        .select((order_items::product_id, order_items::quantity))
        .load(conn)
        .await
}

/// How a payment or a cancellation moves an order's stock.
#[derive(Clone, Copy)]
pub(super) enum StockMove {
    /// Reserved units go back on sale.
    Release,
    /// Reserved units leave the warehouse.
    Sell,
    /// Sold units come back (a refund before shipping).
    Restock,
}

pub(super) async fn move_stock(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: Uuid,
    reference: &str,
    by: Option<Uuid>,
    how: StockMove,
) -> QueryResult<()> {
    let mut logs = Vec::new();
    for (product, q) in quantities(conn, tenant, order).await? {
        let target = products::table.filter(products::tenant_id.eq(tenant)).filter(products::id.eq(product));
        let cols = (products::stock, products::reserved_stock);
        let (stock, reserved): (i32, i32) = match how {
            StockMove::Release => {
                diesel::update(target)
                    .set(products::reserved_stock.eq(products::reserved_stock - q))
                    .returning(cols)
                    .get_result(conn)
                    .await?
            }
            StockMove::Sell => {
                diesel::update(target)
                    .set((
                        products::stock.eq(products::stock - q),
                        products::reserved_stock.eq(products::reserved_stock - q),
                    ))
                    .returning(cols)
                    .get_result(conn)
                    .await?
            }
            StockMove::Restock => {
                diesel::update(target)
                    .set(products::stock.eq(products::stock + q))
                    .returning(cols)
                    .get_result(conn)
                    .await?
            }
        };
        let (change, reason) = match how {
            StockMove::Release => (q, "RELEASE"),
            StockMove::Sell => (-q, "SALE"),
            StockMove::Restock => (q, "RETURN"),
        };
        logs.push(inventory_log(tenant, product, by, change, stock, reserved, reason, reference));
    }
    diesel::insert_into(inventory_logs::table).values(&logs).execute(conn).await?;
    Ok(())
}

/// Cancels an unpaid order: status, stock back on sale, commissions void,
/// parts cancelled, pending payments cancelled. False when it was not unpaid.
pub async fn cancel_unpaid(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: &Order,
    by: Option<Uuid>,
    note: &str,
) -> QueryResult<bool> {
    if !transition(conn, tenant, order.id, status::PENDING_PAYMENT, status::CANCELLED, by, Some(note)).await? {
        return Ok(false);
    }
    move_stock(conn, tenant, order.id, &order.order_number, by, StockMove::Release).await?;
    void_parts(conn, tenant, order.id).await?;
    diesel::update(
        payments::table
            .filter(payments::tenant_id.eq(tenant))
            .filter(payments::order_id.eq(order.id))
            .filter(payments::status.eq("PENDING")),
    )
    .set(payments::status.eq("CANCELLED"))
    .execute(conn)
    .await?;
    Ok(true)
}

pub(super) async fn void_parts(conn: &mut AsyncPgConnection, tenant: Uuid, order: Uuid) -> QueryResult<()> {
    diesel::update(
        vendor_commissions::table
            .filter(vendor_commissions::tenant_id.eq(tenant))
            .filter(vendor_commissions::order_id.eq(order)),
    )
    .set(vendor_commissions::status.eq("VOID"))
    .execute(conn)
    .await?;
    diesel::update(
        order_fulfillments::table
            .filter(order_fulfillments::tenant_id.eq(tenant))
            .filter(order_fulfillments::order_id.eq(order)),
    )
    .set(order_fulfillments::status.eq("CANCELLED"))
    .execute(conn)
    .await?;
    Ok(())
}

/// Payment arrived: the order becomes PAID, its reservation a sale, its
/// commissions payable. False (and nothing changed) when it was not unpaid.
pub async fn mark_paid(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: &Order,
    by: Option<Uuid>,
) -> QueryResult<bool> {
    if !transition(conn, tenant, order.id, status::PENDING_PAYMENT, status::PAID, by, None).await? {
        return Ok(false);
    }
    move_stock(conn, tenant, order.id, &order.order_number, by, StockMove::Sell).await?;
    diesel::update(
        vendor_commissions::table
            .filter(vendor_commissions::tenant_id.eq(tenant))
            .filter(vendor_commissions::order_id.eq(order.id)),
    )
    .set(vendor_commissions::status.eq("PAYABLE"))
    .execute(conn)
    .await?;
    Ok(true)
}

/// A paid order not yet shipped is refunded: stock back, commissions void.
/// The money's way back (wallet) is the caller's.
pub async fn mark_refunded(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: &Order,
    by: Option<Uuid>,
) -> QueryResult<bool> {
    if !transition(conn, tenant, order.id, status::PAID, status::REFUNDED, by, None).await? {
        return Ok(false);
    }
    move_stock(conn, tenant, order.id, &order.order_number, by, StockMove::Restock).await?;
    void_parts(conn, tenant, order.id).await?;
    Ok(true)
}

/// The release job: an order still unpaid when its reservation ends is cancelled.
pub async fn expire(state: &AppState, tenant: Uuid, order: Uuid) -> Result<(), String> {
    let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
    tenant_tx(&mut conn, tenant, async |c| {
        let Some(o) = by_id_for_update(c, tenant, order).await? else { return Ok(()) };
        if o.status == status::PENDING_PAYMENT && o.reserved_until.is_some_and(|t| t <= OffsetDateTime::now_utc()) {
            cancel_unpaid(c, tenant, &o, None, "reservation expired").await?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .await
    .map_err(|e| e.to_string())
}
