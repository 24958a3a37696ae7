//! Placing an order: idempotent per key and per cart, stock reserved under
//! row locks, the address saved, all in the caller's one transaction.

use super::*;
use crate::cart::models::{self as cart};
use crate::i18n::format::Currency;
use crate::jobs::queue::Job;
use crate::orders::address::Address;
use crate::orders::pricing::{self};
use crate::schema::{
    addresses, cart_items, carts, discount_usages, discounts, inventory_logs, order_fulfillments, order_idempotencies,
    order_items, order_status_history, orders, products, queue_jobs, vendor_commissions, vendors,
};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// A database failure or a refusal; a refusal rolls the transaction back too.
#[derive(Debug)]
pub enum PlaceError {
    Db(diesel::result::Error),
    Refused(CheckoutError),
}

impl From<diesel::result::Error> for PlaceError {
    fn from(e: diesel::result::Error) -> Self {
        PlaceError::Db(e)
    }
}

impl From<CheckoutError> for PlaceError {
    fn from(e: CheckoutError) -> Self {
        PlaceError::Refused(e)
    }
}

/// Everything placing an order needs besides the cart.
pub struct PlaceOrder<'a> {
    pub tenant: Uuid,
    pub currency: Currency,
    pub user: Uuid,
    pub key: Uuid,
    pub address: &'a Address,
    pub save_address: bool,
    pub choice: &'a Choice,
    pub reserve_for: time::Duration,
}

#[derive(Debug, Clone)]
pub struct Placed {
    pub order_number: String,
    /// The key had already placed this order: nothing new was written.
    pub replay: bool,
    /// Another submit (another checkout page) had already made this cart
    /// into this order: nothing new was written.
    pub already: bool,
}

/// The order a checkout key placed, if any: (user, order number).
pub async fn order_for_key(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    key: Uuid,
) -> QueryResult<Option<(Uuid, String)>> {
    order_idempotencies::table
        .inner_join(orders::table.on(orders::id.eq(order_idempotencies::order_id)))
        .filter(order_idempotencies::tenant_id.eq(tenant))
        .filter(order_idempotencies::key.eq(key))
        .select((order_idempotencies::user_id, orders::order_number))
        .first(conn)
        .await
        .optional()
}

/// Places the user's cart as an order, all in the caller's transaction:
/// the order, one fulfilment part and one commission per vendor, the lines,
/// the stock reservation (each product row updated only if enough is left),
/// the discount's use, the first history entry, the release job, and the
/// emptied cart. Any refusal rolls all of it back.
pub async fn place(conn: &mut AsyncPgConnection, p: &PlaceOrder<'_>) -> Result<Placed, PlaceError> {
    let tenant = p.tenant;
    // One checkout of a cart at a time: a second submit (another tab, another
    // key) waits here, then finds the cart empty and the order it became.
    let last_order: Option<Option<Uuid>> = carts::table
        .filter(carts::tenant_id.eq(tenant))
        .filter(carts::user_id.eq(p.user))
        .select(carts::last_order_id)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let (cart_id, lines) = cart::user_lines(conn, tenant, p.user).await?;
    let q = match quote(conn, tenant, p.currency, p.user, lines, p.choice, true).await {
        Err(PlaceError::Refused(CheckoutError::EmptyCart)) => {
            return already_placed(conn, p, last_order.flatten()).await;
        }
        other => other?,
    };
    let Some(cart_id) = cart_id else { return Err(CheckoutError::EmptyCart.into()) };
    let plan = Plan::new(conn, p, &q).await?;
    let (order_number, claimed) = write_order(conn, p, &q, &plan, cart_id).await?;
    if claimed == 0 {
        return Err(CheckoutError::InFlight.into());
    }
    if let Some(d) = &q.discount {
        record_discount(conn, p, d.id, plan.order_id, q.totals.discount).await?;
    }
    if p.save_address {
        save_address(conn, tenant, p.user, p.address).await?;
    }
    reserve_stock(conn, p, &q, &order_number).await?;
    Ok(Placed { order_number, replay: false, already: false })
}

/// The cart is empty: this key, or another submit of this cart, may have
/// placed its order already (a retried POST, a second checkout page).
async fn already_placed(
    conn: &mut AsyncPgConnection,
    p: &PlaceOrder<'_>,
    last_order: Option<Uuid>,
) -> Result<Placed, PlaceError> {
    match order_for_key(conn, p.tenant, p.key).await? {
        // This key's order emptied the cart: a retried POST.
        Some((owner, order_number)) if owner == p.user => Ok(Placed { order_number, replay: true, already: false }),
        Some(_) => Err(CheckoutError::KeyReused.into()),
        None => match last_order {
            Some(order) => {
                let order_number = orders::table
                    .filter(orders::tenant_id.eq(p.tenant))
                    .filter(orders::id.eq(order))
                    .filter(orders::user_id.eq(p.user))
                    .select(orders::order_number)
                    .first(conn)
                    .await?;
                Ok(Placed { order_number, replay: true, already: true })
            }
            None => Err(CheckoutError::EmptyCart.into()),
        },
    }
}

/// The new order's ids, and how it divides among its vendors.
struct Plan {
    order_id: Uuid,
    reserved_until: OffsetDateTime,
    /// Net sales per vendor.
    by_vendor: BTreeMap<Uuid, Decimal>,
    /// Commission rate per vendor.
    rates: BTreeMap<Uuid, Decimal>,
    /// The fulfilment part id per vendor.
    parts: BTreeMap<Uuid, Uuid>,
}

impl Plan {
    async fn new(conn: &mut AsyncPgConnection, p: &PlaceOrder<'_>, q: &Quote) -> QueryResult<Self> {
        let mut by_vendor: BTreeMap<Uuid, Decimal> = BTreeMap::new();
        for (l, t) in q.lines.iter().zip(&q.totals.lines) {
            *by_vendor.entry(l.product.vendor_id).or_default() += t.net;
        }
        let vendor_ids: Vec<Uuid> = by_vendor.keys().copied().collect();
        let rates = vendors::table
            .filter(vendors::tenant_id.eq(p.tenant))
            .filter(vendors::id.eq_any(&vendor_ids))
            .select((vendors::id, vendors::commission_rate))
            .load::<(Uuid, Decimal)>(conn)
            .await?
            .into_iter()
            .collect();
        let parts = vendor_ids.iter().map(|v| (*v, Uuid::now_v7())).collect();
        let reserved_until = OffsetDateTime::now_utc() + p.reserve_for;
        Ok(Self { order_id: Uuid::now_v7(), reserved_until, by_vendor, rates, parts })
    }

    fn fulfilments(&self, tenant: Uuid) -> Vec<NewPart> {
        self.by_vendor
            .iter()
            .map(|(vendor, subtotal)| NewPart {
                id: self.parts[vendor],
                tenant_id: tenant,
                order_id: self.order_id,
                vendor_id: *vendor,
                subtotal: *subtotal,
            })
            .collect()
    }

    fn commissions(&self, tenant: Uuid, currency: Currency) -> Vec<NewCommission> {
        self.by_vendor
            .iter()
            .map(|(vendor, base)| {
                let rate = self.rates.get(vendor).copied().unwrap_or_default();
                NewCommission {
                    id: Uuid::now_v7(),
                    tenant_id: tenant,
                    order_id: self.order_id,
                    fulfillment_id: self.parts[vendor],
                    vendor_id: *vendor,
                    base_amount: *base,
                    rate,
                    amount: pricing::commission(currency, *base, rate),
                }
            })
            .collect()
    }

    fn items<'q>(&self, tenant: Uuid, q: &'q Quote) -> Vec<NewItem<'q>> {
        q.lines
            .iter()
            .zip(&q.totals.lines)
            .map(|(l, t)| {
                let pr = &l.product;
                NewItem {
                    id: Uuid::now_v7(),
                    tenant_id: tenant,
                    order_id: self.order_id,
                    fulfillment_id: self.parts[&pr.vendor_id],
                    product_id: pr.id,
                    vendor_id: pr.vendor_id,
                    sku: &pr.sku,
                    name: pr.name.as_deref(),
                    name_fa: pr.name_fa.as_deref(),
                    name_ar: pr.name_ar.as_deref(),
                    unit_price: pr.price,
                    quantity: l.quantity,
                    discount_amount: t.discount,
                    tax_rate: pr.tax_rate,
                    tax_amount: t.tax,
                    total: t.total,
                }
            })
            .collect()
    }
}

#[derive(Insertable)]
#[diesel(table_name = order_fulfillments)]
struct NewPart {
    id: Uuid,
    tenant_id: Uuid,
    order_id: Uuid,
    vendor_id: Uuid,
    subtotal: Decimal,
}

#[derive(Insertable)]
#[diesel(table_name = vendor_commissions)]
struct NewCommission {
    id: Uuid,
    tenant_id: Uuid,
    order_id: Uuid,
    fulfillment_id: Uuid,
    vendor_id: Uuid,
    base_amount: Decimal,
    rate: Decimal,
    amount: Decimal,
}

#[derive(Insertable)]
#[diesel(table_name = order_items)]
struct NewItem<'a> {
    id: Uuid,
    tenant_id: Uuid,
    order_id: Uuid,
    fulfillment_id: Uuid,
    product_id: Uuid,
    vendor_id: Uuid,
    sku: &'a str,
    name: Option<&'a str>,
    name_fa: Option<&'a str>,
    name_ar: Option<&'a str>,
    unit_price: Decimal,
    quantity: i32,
    discount_amount: Decimal,
    tax_rate: Decimal,
    tax_amount: Decimal,
    total: Decimal,
}

/// The order and everything that hangs off it, pipelined: one round trip,
/// executed in this order by the server (so foreign keys hold). Returns the
/// order number and whether this request claimed its idempotency key (0: a
/// concurrent request with the same key got there first).
async fn write_order(
    conn: &mut AsyncPgConnection,
    p: &PlaceOrder<'_>,
    q: &Quote,
    plan: &Plan,
    cart_id: Uuid,
) -> QueryResult<(String, usize)> {
    let (tenant, order_id) = (p.tenant, plan.order_id);
    // The number's sequence value is taken inside the INSERT (one round trip less).
    let number_sql = format!("'{}-' || nextval('order_number_seq')", jalali_year(OffsetDateTime::now_utc()));
    let address_json = serde_json::to_value(p.address).unwrap_or_default();
    let (fulfilments, commissions, items) =
        (plan.fulfilments(tenant), plan.commissions(tenant, p.currency), plan.items(tenant, q));
    let (job_kind, job_payload) = Job::ReleaseReservation { order_id }.kind_and_payload();
    let shared: &AsyncPgConnection = conn;
    let (mut c1, mut c2, mut c3, mut c4, mut c5, mut c6, mut c7, mut c8, mut c9) =
        (shared, shared, shared, shared, shared, shared, shared, shared, shared);
    let (order_number, claimed, ..) = tokio::try_join!(
        diesel::insert_into(orders::table)
            .values((
                orders::id.eq(order_id),
                orders::tenant_id.eq(tenant),
                orders::user_id.eq(p.user),
                orders::order_number.eq(diesel::dsl::sql::<diesel::sql_types::Text>(&number_sql)),
                orders::status.eq(status::PENDING_PAYMENT),
                orders::currency.eq(p.currency.code()),
                orders::subtotal.eq(q.totals.subtotal),
                orders::discount_amount.eq(q.totals.discount),
                orders::shipping_amount.eq(q.totals.shipping),
                orders::tax_amount.eq(q.totals.tax),
                orders::total.eq(q.totals.total),
                orders::shipping_address.eq(&address_json),
                orders::shipping_method.eq(&q.shipping.code),
                orders::discount_id.eq(q.discount.as_ref().map(|d| d.id)),
                orders::reserved_until.eq(plan.reserved_until),
            ))
            .returning(orders::order_number)
            .get_result::<String>(&mut c1),
        // A concurrent request with the same key waits here on the unique key
        // until this one commits, then finds the key taken and reports the order.
        diesel::insert_into(order_idempotencies::table)
            .values((
                order_idempotencies::tenant_id.eq(tenant),
                order_idempotencies::key.eq(p.key),
                order_idempotencies::user_id.eq(p.user),
                order_idempotencies::order_id.eq(order_id),
            ))
            .on_conflict_do_nothing()
            .execute(&mut c2),
        diesel::insert_into(order_fulfillments::table).values(&fulfilments).execute(&mut c3),
        diesel::insert_into(vendor_commissions::table).values(&commissions).execute(&mut c4),
        diesel::insert_into(order_items::table).values(&items).execute(&mut c5),
        diesel::insert_into(order_status_history::table)
            .values((
                order_status_history::id.eq(Uuid::now_v7()),
                order_status_history::tenant_id.eq(tenant),
                order_status_history::order_id.eq(order_id),
                order_status_history::to_status.eq(status::PENDING_PAYMENT),
                order_status_history::changed_by.eq(Some(p.user)),
            ))
            .execute(&mut c6),
        diesel::delete(
            cart_items::table.filter(cart_items::tenant_id.eq(tenant)).filter(cart_items::cart_id.eq(cart_id))
        )
        .execute(&mut c7),
        diesel::update(carts::table.filter(carts::tenant_id.eq(tenant)).filter(carts::id.eq(cart_id)))
            .set(carts::last_order_id.eq(order_id))
            .execute(&mut c9),
        diesel::insert_into(queue_jobs::table)
            .values((
                queue_jobs::tenant_id.eq(tenant),
                queue_jobs::kind.eq(&job_kind),
                queue_jobs::payload.eq(&job_payload),
                queue_jobs::available_at.eq(plan.reserved_until),
            ))
            .execute(&mut c8),
    )?;
    Ok((order_number, claimed))
}

/// Counts the discount's use and records it against the order.
async fn record_discount(
    conn: &mut AsyncPgConnection,
    p: &PlaceOrder<'_>,
    discount: Uuid,
    order_id: Uuid,
    amount: Decimal,
) -> QueryResult<()> {
    diesel::update(discounts::table.filter(discounts::id.eq(discount)))
        .set(discounts::usage_count.eq(discounts::usage_count + 1))
        .execute(conn)
        .await?;
    diesel::insert_into(discount_usages::table)
        .values((
            discount_usages::id.eq(Uuid::now_v7()),
            discount_usages::tenant_id.eq(p.tenant),
            discount_usages::discount_id.eq(discount),
            discount_usages::user_id.eq(p.user),
            discount_usages::order_id.eq(order_id),
            discount_usages::amount.eq(amount),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Reserves stock last, in product-id order (no deadlocks between orders):
/// the row lock on a popular product is then held only for this statement
/// and the commit. Each reservation writes its inventory log in the same
/// statement, and only if enough is left at the quoted price.
async fn reserve_stock(
    conn: &mut AsyncPgConnection,
    p: &PlaceOrder<'_>,
    q: &Quote,
    order_number: &str,
) -> Result<(), PlaceError> {
    let mut wanted: Vec<(Uuid, i32, Decimal)> =
        q.lines.iter().map(|l| (l.product.id, l.quantity, l.product.price)).collect();
    wanted.sort_by_key(|w| w.0);
    for (product, quantity, price) in wanted {
        let reserved = Reserve {
            tenant: p.tenant,
            product,
            quantity,
            price,
            log_id: Uuid::now_v7(),
            user: p.user,
            reference: order_number,
        }
        .execute(conn)
        .await?;
        if reserved == 0 {
            // Sold out, or the price changed while we were quoting (the cart will show it).
            let now_price: Option<Decimal> = products::table
                .filter(products::tenant_id.eq(p.tenant))
                .filter(products::id.eq(product))
                .select(products::price)
                .first(conn)
                .await
                .optional()?;
            return Err(if now_price.is_some_and(|n| n != price) {
                CheckoutError::CartNeedsReview
            } else {
                CheckoutError::OutOfStock(product)
            }
            .into());
        }
    }
    Ok(())
}

/// Reserves `quantity` of a product at the quoted `price` if that much is
/// left, and logs it, in one statement. A statement type of its own (not
/// `sql_query`) so diesel prepares it once per connection: it runs for every order.
pub(super) struct Reserve<'a> {
    tenant: Uuid,
    product: Uuid,
    quantity: i32,
    price: Decimal,
    log_id: Uuid,
    user: Uuid,
    reference: &'a str,
}

impl diesel::query_builder::QueryId for Reserve<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Reserve<'_> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::{Integer, Numeric, Text, Uuid as SqlUuid};
        out.push_sql("WITH params AS (SELECT ");
        out.push_bind_param::<SqlUuid, _>(&self.tenant)?;
        out.push_sql("::uuid AS tenant, ");
        out.push_bind_param::<SqlUuid, _>(&self.product)?;
        out.push_sql("::uuid AS product, ");
        out.push_bind_param::<Integer, _>(&self.quantity)?;
        out.push_sql("::int AS qty, ");
        out.push_bind_param::<Numeric, _>(&self.price)?;
        out.push_sql("::numeric AS price, ");
        out.push_bind_param::<SqlUuid, _>(&self.log_id)?;
        out.push_sql("::uuid AS log_id, ");
        out.push_bind_param::<SqlUuid, _>(&self.user)?;
        out.push_sql("::uuid AS user_id, ");
        out.push_bind_param::<Text, _>(self.reference)?;
        out.push_sql(
            "::text AS reference), \
             u AS (UPDATE products p SET reserved_stock = p.reserved_stock + params.qty FROM params \
                   WHERE p.tenant_id = params.tenant AND p.id = params.product AND p.status = 'ACTIVE' \
                     AND p.stock - p.reserved_stock >= params.qty AND p.price = params.price \
                   RETURNING p.id, p.stock, p.reserved_stock) \
             INSERT INTO inventory_logs (id, tenant_id, product_id, user_id, change, stock_after, reserved_after, reason, reference) \
             SELECT params.log_id, params.tenant, u.id, params.user_id, -params.qty, u.stock, u.reserved_stock, 'RESERVE', \
                    params.reference FROM u, params",
        );
        Ok(())
    }
}

/// Order numbers read `1405-100123`: the Jalali year (Tehran time) and a number from the order sequence.
pub fn jalali_year(at: OffsetDateTime) -> i32 {
    let local = at.to_offset(crate::i18n::calendar::TEHRAN);
    crate::i18n::calendar::to_jalali(local.year(), local.month() as u8, local.day()).map_or(0, |j| j.0)
}

/// One line of the stock audit trail.
#[derive(Insertable)]
#[diesel(table_name = inventory_logs)]
pub(super) struct InventoryLog<'a> {
    id: Uuid,
    tenant_id: Uuid,
    product_id: Uuid,
    user_id: Option<Uuid>,
    change: i32,
    stock_after: i32,
    reserved_after: i32,
    reason: &'static str,
    reference: &'a str,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn inventory_log<'a>(
    tenant: Uuid,
    product: Uuid,
    user: Option<Uuid>,
    change: i32,
    stock_after: i32,
    reserved_after: i32,
    reason: &'static str,
    reference: &'a str,
) -> InventoryLog<'a> {
    InventoryLog {
        id: Uuid::now_v7(),
        tenant_id: tenant,
        product_id: product,
        user_id: user,
        change,
        stock_after,
        reserved_after,
        reason,
        reference,
    }
}

pub(super) async fn save_address(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    a: &Address,
) -> QueryResult<()> {
    let exists: i64 = addresses::table
        .filter(addresses::tenant_id.eq(tenant))
        .filter(addresses::user_id.eq(user))
        .filter(addresses::postal_code.eq(&a.postal_code))
        .filter(addresses::street.eq(&a.street))
        .filter(addresses::full_name.eq(&a.full_name))
        .count()
        .get_result(conn)
        .await?;
    if exists == 0 {
        diesel::insert_into(addresses::table)
            .values((
                addresses::id.eq(Uuid::now_v7()),
                addresses::tenant_id.eq(tenant),
                addresses::user_id.eq(user),
                addresses::full_name.eq(&a.full_name),
                addresses::mobile.eq(&a.mobile),
                addresses::province.eq(&a.province),
                addresses::city.eq(&a.city),
                addresses::street.eq(&a.street),
                addresses::postal_code.eq(&a.postal_code),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}
