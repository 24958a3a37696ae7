//! Orders: quoting a cart, placing it (idempotent, stock reserved under row
//! locks, in one transaction), status changes with history, cancellation and
//! the sale that payment makes of a reservation.

mod lifecycle;
mod place;
mod quote;

use super::address::Address;
use crate::i18n::Lang;
use crate::schema::{addresses, order_fulfillments, order_items, order_status_history, orders, vendors};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
pub use lifecycle::*;
pub use place::*;
pub use quote::*;
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

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
