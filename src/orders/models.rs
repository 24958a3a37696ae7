//! Orders: quoting a cart, placing it (idempotent, stock reserved under row
//! locks, in one transaction), status changes with history, cancellation and
//! the sale that payment makes of a reservation.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use super::address::Address;
use super::pricing::{self, DiscountKind, DiscountRule, PriceLine, Totals};
use crate::app::AppState;
use crate::cart::models::{self as cart, CartLine, LineIssue};
use crate::db::tenant_tx;
use crate::i18n::Lang;
use crate::i18n::format::Currency;
use crate::jobs::queue::Job;
use crate::schema::{
    addresses, cart_items, carts, discount_usages, discounts, inventory_logs, order_fulfillments, order_idempotencies,
    order_items, order_status_history, orders, payments, products, queue_jobs, shipping_methods, vendor_commissions,
    vendors,
};

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

/// The shipping method code that only delivers inside Tehran province.
const TEHRAN_ONLY: &str = "EXPRESS_TEHRAN";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = shipping_methods, check_for_backend(diesel::pg::Pg))]
pub struct ShippingMethod {
    pub id: Uuid,
    pub code: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub base_cost: Decimal,
    pub free_over: Option<Decimal>,
    pub min_days: i32,
    pub max_days: i32,
    /// Offered at checkout (the staff page lists the others too).
    pub is_active: bool,
}

impl ShippingMethod {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }

    pub fn cost(&self, subtotal: Decimal) -> Decimal {
        if self.free_over.is_some_and(|f| subtotal >= f) { Decimal::ZERO } else { self.base_cost }
    }

    pub fn serves(&self, province: &str) -> bool {
        self.code != TEHRAN_ONLY || province == "THR"
    }
}

pub async fn shipping_methods(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<ShippingMethod>> {
    shipping_methods::table
        .filter(shipping_methods::tenant_id.eq(tenant))
        .filter(shipping_methods::is_active)
        .order((shipping_methods::sort_order, shipping_methods::code))
        .select(ShippingMethod::as_select())
        .load(conn)
        .await
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = discounts, check_for_backend(diesel::pg::Pg))]
pub struct Discount {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub value: Decimal,
    pub min_order_amount: Decimal,
    pub max_discount_amount: Option<Decimal>,
    pub usage_limit: Option<i32>,
    pub usage_count: i32,
    pub usage_limit_per_user: Option<i32>,
    pub starts_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub is_active: bool,
}

impl Discount {
    pub fn rule(&self) -> DiscountRule {
        DiscountRule {
            kind: if self.kind == "PERCENTAGE" { DiscountKind::Percentage } else { DiscountKind::Fixed },
            value: self.value,
            max_amount: self.max_discount_amount,
        }
    }
}

/// Why a checkout cannot go ahead; each has a message for the shopper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutError {
    EmptyCart,
    /// A line is out of stock, over a limit or changed price: the cart page says which.
    CartNeedsReview,
    ShippingUnknown,
    ShippingNotHere,
    DiscountUnknown,
    DiscountNotStarted,
    DiscountExpired,
    DiscountUsedUp,
    DiscountUsedByYou,
    DiscountMinimum(Decimal),
    /// Stock ran out between the cart and the order (another shopper was faster).
    OutOfStock(Uuid),
    /// The checkout key belongs to another user.
    KeyReused,
    /// Another request with the same key is placing this order right now.
    InFlight,
}

impl CheckoutError {
    pub fn message_key(&self) -> &'static str {
        match self {
            CheckoutError::EmptyCart => "checkout-empty",
            CheckoutError::CartNeedsReview => "checkout-review-cart",
            CheckoutError::ShippingUnknown => "checkout-shipping-required",
            CheckoutError::ShippingNotHere => "checkout-shipping-not-here",
            CheckoutError::DiscountUnknown => "discount-unknown",
            CheckoutError::DiscountNotStarted => "discount-not-started",
            CheckoutError::DiscountExpired => "discount-expired",
            CheckoutError::DiscountUsedUp => "discount-used-up",
            CheckoutError::DiscountUsedByYou => "discount-used-by-you",
            CheckoutError::DiscountMinimum(_) => "discount-minimum",
            CheckoutError::OutOfStock(_) => "checkout-out-of-stock",
            CheckoutError::KeyReused => "error-bad-request",
            CheckoutError::InFlight => "checkout-in-flight",
        }
    }

    pub fn is_discount(&self) -> bool {
        matches!(
            self,
            CheckoutError::DiscountUnknown
                | CheckoutError::DiscountNotStarted
                | CheckoutError::DiscountExpired
                | CheckoutError::DiscountUsedUp
                | CheckoutError::DiscountUsedByYou
                | CheckoutError::DiscountMinimum(_)
        )
    }
}

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

/// What the shopper chose on the checkout form.
#[derive(Debug, Clone)]
pub struct Choice {
    pub shipping_code: String,
    pub province: String,
    pub discount_code: String,
}

/// A priced cart: what the order would be.
#[derive(Debug, Clone)]
pub struct Quote {
    pub lines: Vec<CartLine>,
    pub shipping: ShippingMethod,
    pub discount: Option<Discount>,
    pub totals: Totals,
}

pub fn normalize_code(raw: &str) -> String {
    crate::text::ascii_digits(raw.trim()).to_uppercase()
}

/// Prices the user's cart from the database (never from the form). With
/// `lock`, the discount row is locked so its usage limit holds under concurrency.
pub async fn quote(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    currency: Currency,
    user: Uuid,
    lines: Vec<CartLine>,
    choice: &Choice,
    lock: bool,
) -> Result<Quote, PlaceError> {
    if lines.is_empty() {
        return Err(CheckoutError::EmptyCart.into());
    }
    // Sold out since it was added (often by a concurrent checkout): say so plainly.
    if let Some(l) =
        lines.iter().find(|l| matches!(l.issue(), Some(LineIssue::Unavailable | LineIssue::NotEnoughStock)))
    {
        return Err(CheckoutError::OutOfStock(l.product.id).into());
    }
    if lines.iter().any(|l| l.issue().is_some()) {
        return Err(CheckoutError::CartNeedsReview.into());
    }
    let shipping: ShippingMethod = shipping_methods::table
        .filter(shipping_methods::tenant_id.eq(tenant))
        .filter(shipping_methods::code.eq(&choice.shipping_code))
        .filter(shipping_methods::is_active)
        .select(ShippingMethod::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(CheckoutError::ShippingUnknown)?;
    if !choice.province.is_empty() && !shipping.serves(&choice.province) {
        return Err(CheckoutError::ShippingNotHere.into());
    }
    let price_lines = price_lines(&lines);
    let subtotal = pricing::compute(currency, &price_lines, None, Decimal::ZERO).subtotal;
    let code = normalize_code(&choice.discount_code);
    let discount = if code.is_empty() {
        None
    } else {
        let q = discounts::table
            .filter(discounts::tenant_id.eq(tenant))
            .filter(discounts::code.eq(&code))
            .select(Discount::as_select());
        let found = if lock { q.for_update().first(conn).await } else { q.first(conn).await }.optional()?;
        let d = found.filter(|d| d.is_active).ok_or(CheckoutError::DiscountUnknown)?;
        check_discount(conn, tenant, user, &d, subtotal).await?;
        Some(d)
    };
    let totals =
        pricing::compute(currency, &price_lines, discount.as_ref().map(|d| d.rule()).as_ref(), shipping.cost(subtotal));
    Ok(Quote { lines, shipping, discount, totals })
}

fn price_lines(lines: &[CartLine]) -> Vec<PriceLine> {
    lines
        .iter()
        .map(|l| PriceLine {
            product_id: l.product.id,
            vendor_id: l.product.vendor_id,
            unit_price: l.product.price,
            quantity: l.quantity,
            tax_rate: l.product.tax_rate,
        })
        .collect()
}

async fn check_discount(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    d: &Discount,
    subtotal: Decimal,
) -> Result<(), PlaceError> {
    let now = OffsetDateTime::now_utc();
    if d.starts_at > now {
        return Err(CheckoutError::DiscountNotStarted.into());
    }
    if d.expires_at.is_some_and(|e| e <= now) {
        return Err(CheckoutError::DiscountExpired.into());
    }
    if d.usage_limit.is_some_and(|limit| d.usage_count >= limit) {
        return Err(CheckoutError::DiscountUsedUp.into());
    }
    if let Some(per_user) = d.usage_limit_per_user {
        let used: i64 = discount_usages::table
            .filter(discount_usages::tenant_id.eq(tenant))
            .filter(discount_usages::discount_id.eq(d.id))
            .filter(discount_usages::user_id.eq(user))
            .count()
            .get_result(conn)
            .await?;
        if used >= i64::from(per_user) {
            return Err(CheckoutError::DiscountUsedByYou.into());
        }
    }
    if subtotal < d.min_order_amount {
        return Err(CheckoutError::DiscountMinimum(d.min_order_amount).into());
    }
    Ok(())
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
            return match order_for_key(conn, tenant, p.key).await? {
                // This key's order emptied the cart: a retried POST.
                Some((owner, order_number)) if owner == p.user => {
                    Ok(Placed { order_number, replay: true, already: false })
                }
                Some(_) => Err(CheckoutError::KeyReused.into()),
                None => match last_order.flatten() {
                    Some(order) => {
                        let order_number = orders::table
                            .filter(orders::tenant_id.eq(tenant))
                            .filter(orders::id.eq(order))
                            .filter(orders::user_id.eq(p.user))
                            .select(orders::order_number)
                            .first(conn)
                            .await?;
                        Ok(Placed { order_number, replay: true, already: true })
                    }
                    None => Err(CheckoutError::EmptyCart.into()),
                },
            };
        }
        other => other?,
    };
    let Some(cart_id) = cart_id else { return Err(CheckoutError::EmptyCart.into()) };
    let now = OffsetDateTime::now_utc();
    let order_id = Uuid::now_v7();
    // The number's sequence value is taken inside the INSERT (one round trip less).
    let number_sql = format!("'{}-' || nextval('order_number_seq')", jalali_year(now));
    let reserved_until = now + p.reserve_for;
    let address_json = serde_json::to_value(p.address).unwrap_or_default();
    // One fulfilment part and one commission per vendor.
    let mut by_vendor: BTreeMap<Uuid, Decimal> = BTreeMap::new();
    for (l, t) in q.lines.iter().zip(&q.totals.lines) {
        *by_vendor.entry(l.product.vendor_id).or_default() += t.net;
    }
    let vendor_ids: Vec<Uuid> = by_vendor.keys().copied().collect();
    let rates: BTreeMap<Uuid, Decimal> = vendors::table
        .filter(vendors::tenant_id.eq(tenant))
        .filter(vendors::id.eq_any(&vendor_ids))
        .select((vendors::id, vendors::commission_rate))
        .load::<(Uuid, Decimal)>(conn)
        .await?
        .into_iter()
        .collect();
    let parts: BTreeMap<Uuid, Uuid> = vendor_ids.iter().map(|v| (*v, Uuid::now_v7())).collect();
    let fulfilment_rows: Vec<_> = by_vendor
        .iter()
        .map(|(vendor, subtotal)| {
            (
                order_fulfillments::id.eq(parts[vendor]),
                order_fulfillments::tenant_id.eq(tenant),
                order_fulfillments::order_id.eq(order_id),
                order_fulfillments::vendor_id.eq(*vendor),
                order_fulfillments::subtotal.eq(*subtotal),
            )
        })
        .collect();
    let commission_rows: Vec<_> = by_vendor
        .iter()
        .map(|(vendor, base)| {
            let rate = rates.get(vendor).copied().unwrap_or_default();
            (
                vendor_commissions::id.eq(Uuid::now_v7()),
                vendor_commissions::tenant_id.eq(tenant),
                vendor_commissions::order_id.eq(order_id),
                vendor_commissions::fulfillment_id.eq(parts[vendor]),
                vendor_commissions::vendor_id.eq(*vendor),
                vendor_commissions::base_amount.eq(*base),
                vendor_commissions::rate.eq(rate),
                vendor_commissions::amount.eq(pricing::commission(p.currency, *base, rate)),
            )
        })
        .collect();
    let item_rows: Vec<_> = q
        .lines
        .iter()
        .zip(&q.totals.lines)
        .map(|(l, t)| {
            let pr = &l.product;
            (
                order_items::id.eq(Uuid::now_v7()),
                order_items::tenant_id.eq(tenant),
                order_items::order_id.eq(order_id),
                order_items::fulfillment_id.eq(parts[&pr.vendor_id]),
                order_items::product_id.eq(pr.id),
                order_items::vendor_id.eq(pr.vendor_id),
                order_items::sku.eq(&pr.sku),
                order_items::name.eq(&pr.name),
                order_items::name_fa.eq(&pr.name_fa),
                order_items::name_ar.eq(&pr.name_ar),
                order_items::unit_price.eq(pr.price),
                order_items::quantity.eq(l.quantity),
                order_items::discount_amount.eq(t.discount),
                order_items::tax_rate.eq(pr.tax_rate),
                order_items::tax_amount.eq(t.tax),
                order_items::total.eq(t.total),
            )
        })
        .collect();
    let (job_kind, job_payload) = Job::ReleaseReservation { order_id }.kind_and_payload();

    // The order and everything that hangs off it go out pipelined: one round
    // trip, executed in this order by the server (so foreign keys hold).
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
                orders::reserved_until.eq(reserved_until),
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
        diesel::insert_into(order_fulfillments::table).values(&fulfilment_rows).execute(&mut c3),
        diesel::insert_into(vendor_commissions::table).values(&commission_rows).execute(&mut c4),
        diesel::insert_into(order_items::table).values(&item_rows).execute(&mut c5),
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
                queue_jobs::available_at.eq(reserved_until),
            ))
            .execute(&mut c8),
    )?;
    if claimed == 0 {
        return Err(CheckoutError::InFlight.into());
    }

    if let Some(d) = &q.discount {
        diesel::update(discounts::table.filter(discounts::id.eq(d.id)))
            .set(discounts::usage_count.eq(discounts::usage_count + 1))
            .execute(conn)
            .await?;
        diesel::insert_into(discount_usages::table)
            .values((
                discount_usages::id.eq(Uuid::now_v7()),
                discount_usages::tenant_id.eq(tenant),
                discount_usages::discount_id.eq(d.id),
                discount_usages::user_id.eq(p.user),
                discount_usages::order_id.eq(order_id),
                discount_usages::amount.eq(q.totals.discount),
            ))
            .execute(conn)
            .await?;
    }
    if p.save_address {
        save_address(conn, tenant, p.user, p.address).await?;
    }
    // Reserve stock last, in product-id order (no deadlocks between orders):
    // the row lock on a popular product is then held only for this statement
    // and the commit. Each reservation writes its inventory log in the same
    // statement, and only if enough is left at the quoted price.
    let mut wanted: Vec<(Uuid, i32, Decimal)> =
        q.lines.iter().map(|l| (l.product.id, l.quantity, l.product.price)).collect();
    wanted.sort_by_key(|w| w.0);
    for (product, quantity, price) in wanted {
        let reserved = Reserve {
            tenant,
            product,
            quantity,
            price,
            log_id: Uuid::now_v7(),
            user: p.user,
            reference: &order_number,
        }
        .execute(conn)
        .await?;
        if reserved == 0 {
            // Sold out, or the price changed while we were quoting (the cart will show it).
            let now_price: Option<Decimal> = products::table
                .filter(products::tenant_id.eq(tenant))
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
    Ok(Placed { order_number, replay: false, already: false })
}

/// Reserves `quantity` of a product at the quoted `price` if that much is
/// left, and logs it, in one statement. A statement type of its own (not
/// `sql_query`) so diesel prepares it once per connection: it runs for every order.
struct Reserve<'a> {
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
struct InventoryLog<'a> {
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
fn inventory_log<'a>(
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

async fn save_address(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid, a: &Address) -> QueryResult<()> {
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

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = addresses, check_for_backend(diesel::pg::Pg))]
pub struct SavedAddress {
    pub id: Uuid,
    pub full_name: String,
    pub mobile: String,
    pub province: String,
    pub city: String,
    pub street: String,
    pub postal_code: String,
}

impl SavedAddress {
    pub fn to_address(&self) -> Address {
        Address {
            full_name: self.full_name.clone(),
            mobile: self.mobile.clone(),
            province: self.province.clone(),
            city: self.city.clone(),
            street: self.street.clone(),
            postal_code: self.postal_code.clone(),
        }
    }
}

pub async fn saved_address(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    id: Uuid,
) -> QueryResult<Option<SavedAddress>> {
    addresses::table
        .filter(addresses::tenant_id.eq(tenant))
        .filter(addresses::user_id.eq(user))
        .filter(addresses::id.eq(id))
        .select(SavedAddress::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn saved_addresses(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<Vec<SavedAddress>> {
    addresses::table
        .filter(addresses::tenant_id.eq(tenant))
        .filter(addresses::user_id.eq(user))
        .order(addresses::created_at.desc())
        .limit(10)
        .select(SavedAddress::as_select())
        .load(conn)
        .await
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
async fn quantities(conn: &mut AsyncPgConnection, tenant: Uuid, order: Uuid) -> QueryResult<Vec<(Uuid, i32)>> {
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
enum StockMove {
    /// Reserved units go back on sale.
    Release,
    /// Reserved units leave the warehouse.
    Sell,
    /// Sold units come back (a refund before shipping).
    Restock,
}

async fn move_stock(
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

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub struct Order {
    pub id: Uuid,
    pub user_id: Uuid,
    pub order_number: String,
    pub status: String,
    pub currency: String,
    pub subtotal: Decimal,
    pub discount_amount: Decimal,
    pub shipping_amount: Decimal,
    pub tax_amount: Decimal,
    pub total: Decimal,
    pub shipping_address: serde_json::Value,
    pub shipping_method: String,
    pub reserved_until: Option<OffsetDateTime>,
    pub paid_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl Order {
    pub fn address(&self) -> Address {
        serde_json::from_value(self.shipping_address.clone()).unwrap_or_default()
    }

    /// Payable: waiting for payment and still holding its stock.
    pub fn payable(&self, now: OffsetDateTime) -> bool {
        self.status == status::PENDING_PAYMENT && self.reserved_until.is_none_or(|t| t > now)
    }
}

pub async fn by_number(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    number: &str,
) -> QueryResult<Option<Order>> {
    orders::table
        .filter(orders::tenant_id.eq(tenant))
        .filter(orders::user_id.eq(user))
        .filter(orders::order_number.eq(number))
        .select(Order::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn by_id_for_update(conn: &mut AsyncPgConnection, tenant: Uuid, id: Uuid) -> QueryResult<Option<Order>> {
    orders::table
        .filter(orders::tenant_id.eq(tenant))
        .filter(orders::id.eq(id))
        .select(Order::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// A page of the user's orders, newest first, after `before` (keyset).
pub async fn list_for_user(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    before: Option<(OffsetDateTime, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<Order>> {
    let mut q = orders::table
        .filter(orders::tenant_id.eq(tenant))
        .filter(orders::user_id.eq(user))
        .select(Order::as_select())
        .order((orders::created_at.desc(), orders::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = before {
        q = q.filter(orders::created_at.lt(at).or(orders::created_at.eq(at).and(orders::id.lt(id))));
    }
    q.load(conn).await
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = order_items, check_for_backend(diesel::pg::Pg))]
pub struct OrderItem {
    pub product_id: Uuid,
    pub vendor_id: Uuid,
    pub sku: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub unit_price: Decimal,
    pub quantity: i32,
    pub discount_amount: Decimal,
    pub tax_rate: Decimal,
    pub tax_amount: Decimal,
    pub total: Decimal,
}

impl OrderItem {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }
}

pub async fn items(conn: &mut AsyncPgConnection, tenant: Uuid, order: Uuid) -> QueryResult<Vec<OrderItem>> {
    order_items::table
        .filter(order_items::tenant_id.eq(tenant))
        .filter(order_items::order_id.eq(order))
        .order(order_items::id)
        .select(OrderItem::as_select())
        .load(conn)
        .await
}

/// (vendor id, vendor display names, status, tracking number) of each fulfilment part.
pub type PartRow = (Uuid, Option<String>, Option<String>, Option<String>, String, Option<String>);

pub async fn parts(conn: &mut AsyncPgConnection, tenant: Uuid, order: Uuid) -> QueryResult<Vec<PartRow>> {
    order_fulfillments::table
        .inner_join(vendors::table)
        .filter(order_fulfillments::tenant_id.eq(tenant))
        .filter(order_fulfillments::order_id.eq(order))
        .order(order_fulfillments::id)
        .select((
            vendors::id,
            vendors::name,
            vendors::name_fa,
            vendors::name_ar,
            order_fulfillments::status,
            order_fulfillments::tracking_number,
        ))
        .load(conn)
        .await
}

/// (from, to, when) of each status change, oldest first.
pub async fn history(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    order: Uuid,
) -> QueryResult<Vec<(Option<String>, String, OffsetDateTime)>> {
    order_status_history::table
        .filter(order_status_history::tenant_id.eq(tenant))
        .filter(order_status_history::order_id.eq(order))
        .order((order_status_history::created_at, order_status_history::id))
        .select((order_status_history::from_status, order_status_history::to_status, order_status_history::created_at))
        .load(conn)
        .await
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

async fn void_parts(conn: &mut AsyncPgConnection, tenant: Uuid, order: Uuid) -> QueryResult<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_allows_only_the_seeds_moves() {
        use status::*;
        let path = [DRAFT, PENDING_PAYMENT, PAID, PROCESSING, SHIPPED, DELIVERED, COMPLETED];
        for pair in path.windows(2) {
            assert!(can_move(pair[0], pair[1]), "{pair:?}");
            assert!(!can_move(pair[1], pair[0]), "no way back from {}", pair[1]);
        }
        assert!(can_move(PENDING_PAYMENT, CANCELLED));
        assert!(!can_move(SHIPPED, CANCELLED), "a shipped order is refunded, not cancelled");
        assert!(can_move(PAID, REFUNDED));
        assert!(!can_move(CANCELLED, PAID));
        assert!(!can_move(PENDING_PAYMENT, SHIPPED));
    }

    #[test]
    fn order_numbers_carry_the_jalali_year_in_tehran_time() {
        // 2026-03-20 21:00 UTC is already 1 Farvardin 1405 in Tehran (00:30).
        let at = time::macros::datetime!(2026-03-20 21:00 UTC);
        assert_eq!(jalali_year(at), 1405);
        let before = time::macros::datetime!(2026-03-20 20:00 UTC);
        assert_eq!(jalali_year(before), 1404);
    }
}
