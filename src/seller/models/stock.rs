//! Stock changes, each with a reason, and their history.

use crate::schema::{inventory_logs, products};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

#[allow(clippy::too_many_arguments)]
pub(super) async fn log_stock(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    product: Uuid,
    user: Uuid,
    change: i32,
    stock_after: i32,
    reserved_after: i32,
    reason: &str,
    note: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(inventory_logs::table)
        .values((
            inventory_logs::id.eq(Uuid::now_v7()),
            inventory_logs::tenant_id.eq(tenant),
            inventory_logs::product_id.eq(product),
            inventory_logs::user_id.eq(user),
            inventory_logs::change.eq(change),
            inventory_logs::stock_after.eq(stock_after),
            inventory_logs::reserved_after.eq(reserved_after),
            inventory_logs::reason.eq(reason),
            inventory_logs::reference.eq(note),
        ))
        .execute(conn)
        .await
        .map(drop)
}

#[derive(Debug, PartialEq, Eq)]
pub enum StockError {
    /// The change would take stock below what is reserved for unpaid orders (or below zero).
    BelowReserved {
        reserved: i32,
    },
    NotFound,
}

/// Adds `change` units (negative removes) with a reason; logged with who and when.
#[allow(clippy::too_many_arguments)]
pub async fn adjust_stock(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    vendor: Uuid,
    id: Uuid,
    user: Uuid,
    change: i32,
    reason: &str,
    note: Option<&str>,
) -> QueryResult<Result<i32, StockError>> {
    let row: Option<(i32, i32, String)> = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::vendor_id.eq(vendor))
        .filter(products::id.eq(id))
        .select((products::stock, products::reserved_stock, products::status))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((stock, reserved, status)) = row else { return Ok(Err(StockError::NotFound)) };
    let after = stock.saturating_add(change);
    if after < reserved || after < 0 {
        return Ok(Err(StockError::BelowReserved { reserved }));
    }
    // A live product follows its stock in and out of OUT_OF_STOCK.
    let status = match status.as_str() {
        "ACTIVE" | "OUT_OF_STOCK" if after > reserved => "ACTIVE".to_owned(),
        "ACTIVE" | "OUT_OF_STOCK" => "OUT_OF_STOCK".to_owned(),
        other => other.to_owned(),
    };
    diesel::update(products::table.filter(products::tenant_id.eq(tenant)).filter(products::id.eq(id)))
        .set((products::stock.eq(after), products::status.eq(status), products::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    log_stock(conn, tenant, id, user, change, after, reserved, reason, note).await?;
    Ok(Ok(after))
}

#[derive(Queryable, Debug)]
pub struct StockLine {
    pub change: i32,
    pub stock_after: i32,
    pub reason: String,
    pub reference: Option<String>,
    pub created_at: OffsetDateTime,
    pub who: Option<String>,
}

pub async fn stock_history(conn: &mut AsyncPgConnection, tenant: Uuid, product: Uuid) -> QueryResult<Vec<StockLine>> {
    use crate::schema::users;
    inventory_logs::table
        .left_join(users::table.on(users::id.nullable().eq(inventory_logs::user_id)))
        .filter(inventory_logs::tenant_id.eq(tenant))
        .filter(inventory_logs::product_id.eq(product))
        .order((inventory_logs::created_at.desc(), inventory_logs::id.desc()))
        .select((
            inventory_logs::change,
            inventory_logs::stock_after,
            inventory_logs::reason,
            inventory_logs::reference,
            inventory_logs::created_at,
            users::email.nullable(),
        ))
        .limit(100)
        .load(conn)
        .await
}
