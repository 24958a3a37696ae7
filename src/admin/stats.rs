//! Figures for the dashboards, each one query over an index, never a count of
//! a whole large table.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date as SqlDate, Integer, Numeric, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::Date;
use uuid::Uuid;

/// Orders count as sales once paid.
const SOLD: &str = "('PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED')";

#[derive(QueryableByName)]
struct DayRow {
    #[diesel(sql_type = SqlDate)]
    day: Date,
    #[diesel(sql_type = BigInt)]
    orders: i64,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

/// Per Tehran day for the last `days` days, oldest first: (day, orders, amount).
fn days_sql(filter_items: bool) -> String {
    let (join, amount) = if filter_items {
        ("JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id AND i.vendor_id = $3", "i.total")
    } else {
        ("", "o.total")
    };
    format!(
        "WITH days AS (
            SELECT generate_series((now() AT TIME ZONE 'Asia/Tehran')::date - ($2 - 1), (now() AT TIME ZONE 'Asia/Tehran')::date, '1 day')::date AS day
        ), sold AS (
            SELECT (o.paid_at AT TIME ZONE 'Asia/Tehran')::date AS day, count(DISTINCT o.id) AS orders, sum({amount}) AS amount
            FROM orders o {join}
            WHERE o.tenant_id = $1 AND o.status IN {SOLD}
              AND o.paid_at >= now() - make_interval(days => $2 + 1)
            GROUP BY 1
        )
        SELECT d.day, coalesce(s.orders, 0) AS orders, coalesce(s.amount, 0) AS amount
        FROM days d LEFT JOIN sold s USING (day) ORDER BY d.day"
    )
}

pub async fn vendor_sales(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    vendor: Uuid,
    days: i32,
) -> QueryResult<Vec<(Date, Decimal)>> {
    let rows: Vec<DayRow> = diesel::sql_query(days_sql(true))
        .bind::<SqlUuid, _>(tenant)
        .bind::<Integer, _>(days)
        .bind::<SqlUuid, _>(vendor)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.amount)).collect())
}

/// (day, orders, revenue) for the tenant.
pub async fn tenant_sales(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    days: i32,
) -> QueryResult<Vec<(Date, i64, Decimal)>> {
    let rows: Vec<DayRow> =
        diesel::sql_query(days_sql(false)).bind::<SqlUuid, _>(tenant).bind::<Integer, _>(days).load(conn).await?;
    Ok(rows.into_iter().map(|r| (r.day, r.orders, r.amount)).collect())
}

/// Parts of paid orders a vendor still has to send.
pub async fn vendor_parts_to_ship(conn: &mut AsyncPgConnection, tenant: Uuid, vendor: Uuid) -> QueryResult<i64> {
    use crate::schema::{order_fulfillments as f, orders as o};
    f::table
        .inner_join(o::table.on(o::id.eq(f::order_id)))
        .filter(f::tenant_id.eq(tenant))
        .filter(f::vendor_id.eq(vendor))
        .filter(f::status.eq_any(["PENDING", "PROCESSING"]))
        .filter(o::status.eq_any(["PAID", "PROCESSING"]))
        .count()
        .get_result(conn)
        .await
}

#[derive(QueryableByName, Debug)]
pub struct TopProduct {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub name_fa: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub name_ar: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub quantity: i64,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
}

/// Best sellers of the last `days` days by revenue.
pub async fn top_products(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    days: i32,
    limit: i64,
) -> QueryResult<Vec<TopProduct>> {
    diesel::sql_query(format!(
        "SELECT min(i.name) AS name, min(i.name_fa) AS name_fa, min(i.name_ar) AS name_ar,
                sum(i.quantity)::bigint AS quantity, sum(i.total) AS amount
         FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
         WHERE o.tenant_id = $1 AND o.status IN {SOLD} AND o.paid_at >= now() - make_interval(days => $2)
         GROUP BY i.product_id ORDER BY amount DESC LIMIT $3"
    ))
    .bind::<SqlUuid, _>(tenant)
    .bind::<Integer, _>(days)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// How many rows match, counted up to `cap` (the page shows "cap+" beyond).
pub async fn capped_count(
    conn: &mut AsyncPgConnection,
    sql_from_where: &str,
    tenant: Uuid,
    cap: i64,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: N = diesel::sql_query(format!("SELECT count(*) AS n FROM (SELECT 1 {sql_from_where} LIMIT $2) x"))
        .bind::<SqlUuid, _>(tenant)
        .bind::<BigInt, _>(cap)
        .get_result(conn)
        .await?;
    Ok(row.n)
}

pub const PRODUCTS_WAITING: &str = "FROM products WHERE tenant_id = $1 AND review_requested_at IS NOT NULL";
pub const VENDORS_WAITING: &str = "FROM vendors WHERE tenant_id = $1 AND status = 'PENDING'";
