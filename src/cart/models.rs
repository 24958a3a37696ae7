//! Cart queries. A line keeps the price it was added at, so a later price
//! change is shown to the shopper instead of being applied silently.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::catalog::models::card_thumb;
use crate::i18n::Lang;
use crate::schema::{cart_items, carts, products};

/// The most of one product a cart may hold, whatever the stock: keeps a typo
/// like 1000000 from becoming an order.
pub const MAX_LINE_QUANTITY: i32 = 999;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct CartProduct {
    pub id: Uuid,
    pub vendor_id: Uuid,
    pub sku: String,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub price: Decimal,
    pub tax_rate: Decimal,
    pub stock: i32,
    pub reserved_stock: i32,
    pub min_order_qty: i32,
    pub max_order_qty: Option<i32>,
    pub status: String,
    /// The first image's small size, as a product card shows it.
    #[diesel(
        select_expression = card_thumb(products::images),
        select_expression_type = card_thumb<products::images>
    )]
    pub thumb: Option<String>,
}

impl CartProduct {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }

    pub fn available(&self) -> i32 {
        if self.status == "ACTIVE" { (self.stock - self.reserved_stock).max(0) } else { 0 }
    }

    /// The largest quantity one order may take now.
    pub fn max_quantity(&self) -> i32 {
        self.available().min(self.max_order_qty.unwrap_or(MAX_LINE_QUANTITY)).min(MAX_LINE_QUANTITY)
    }
}

/// A cart line with its product as it is now.
#[derive(Debug, Clone)]
pub struct CartLine {
    pub item_id: Uuid,
    pub quantity: i32,
    /// The price when the line was added (or last confirmed).
    pub unit_price: Decimal,
    pub product: CartProduct,
}

/// Why a line cannot be ordered as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineIssue {
    Unavailable,
    /// Staff suspended the product's seller: it cannot be bought for now.
    SellerSuspended,
    NotEnoughStock,
    BelowMinimum,
    AboveMaximum,
    PriceChanged,
}

impl CartLine {
    pub fn issue(&self) -> Option<LineIssue> {
        let p = &self.product;
        if p.status == "VENDOR_SUSPENDED" {
            Some(LineIssue::SellerSuspended)
        } else if p.available() == 0 {
            Some(LineIssue::Unavailable)
        } else if self.quantity > p.available() {
            Some(LineIssue::NotEnoughStock)
        } else if self.quantity < p.min_order_qty {
            Some(LineIssue::BelowMinimum)
        } else if self.quantity > p.max_order_qty.unwrap_or(MAX_LINE_QUANTITY) {
            Some(LineIssue::AboveMaximum)
        } else if self.unit_price != p.price {
            Some(LineIssue::PriceChanged)
        } else {
            None
        }
    }
}

/// Why a quantity was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    Invalid,
    Unavailable,
    BelowMinimum(i32),
    AboveMaximum(i32),
}

/// Checks `quantity` (the line's new total) against the product's rules and stock.
pub fn check_quantity(p: &CartProduct, quantity: i32) -> Result<(), QuantityError> {
    if quantity < 1 {
        return Err(QuantityError::Invalid);
    }
    if p.available() == 0 {
        return Err(QuantityError::Unavailable);
    }
    if quantity < p.min_order_qty {
        return Err(QuantityError::BelowMinimum(p.min_order_qty));
    }
    if quantity > p.max_quantity() {
        return Err(QuantityError::AboveMaximum(p.max_quantity()));
    }
    Ok(())
}

/// Parses a typed quantity: digits in any script, nothing else, 1..=MAX.
pub fn parse_quantity(raw: &str) -> Result<i32, QuantityError> {
    let ascii = crate::text::ascii_digits(raw.trim());
    if ascii.is_empty() || !ascii.bytes().all(|b| b.is_ascii_digit()) {
        return Err(QuantityError::Invalid);
    }
    match ascii.parse::<i64>() {
        Ok(n) if (1..=i64::from(MAX_LINE_QUANTITY)).contains(&n) => Ok(n as i32),
        Ok(0) => Err(QuantityError::Invalid),
        Ok(_) => Err(QuantityError::AboveMaximum(MAX_LINE_QUANTITY)),
        Err(_) => Err(QuantityError::AboveMaximum(MAX_LINE_QUANTITY)),
    }
}

/// For an add: the product, the visitor's cart (if any) and how many of the
/// product it already holds, in one query (the add is the hottest write).
pub async fn add_context(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Option<Uuid>,
    guest: Option<Uuid>,
    product: Uuid,
) -> QueryResult<Option<(CartProduct, Option<Uuid>, Option<i32>)>> {
    use diesel::dsl::sql;
    use diesel::sql_types::Bool;
    // The user's cart, or (for a guest) the session's cart if it is still a guest cart.
    let is_guest = sql::<Bool>(if user.is_none() { "TRUE" } else { "FALSE" });
    let cart_on = carts::tenant_id
        .eq(products::tenant_id)
        .and(carts::user_id.eq(user).or(carts::id.nullable().eq(guest).and(carts::user_id.is_null()).and(is_guest)));
    products::table
        .left_join(carts::table.on(cart_on))
        .left_join(cart_items::table.on(cart_items::cart_id.eq(carts::id).and(cart_items::product_id.eq(products::id))))
        .filter(products::tenant_id.eq(tenant))
        .filter(products::id.eq(product))
        .filter(products::status.eq_any(crate::catalog::models::VISIBLE))
        .select((CartProduct::as_select(), carts::id.nullable(), cart_items::quantity.nullable()))
        .first(conn)
        .await
        .optional()
}

/// Sets the line of `product` to `quantity` at today's price and returns the
/// cart's new item count, in one statement.
pub async fn put_and_count(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    cart: Uuid,
    product: &CartProduct,
    quantity: i32,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Count =
        PutAndCount { id: Uuid::now_v7(), tenant, cart, product: product.id, quantity, price: product.price }
            .get_result(conn)
            .await?;
    Ok(row.n)
}

/// The statement behind `put_and_count`, as its own type (not `sql_query`) so
/// diesel prepares it once per connection: it runs on every add to cart.
struct PutAndCount {
    id: Uuid,
    tenant: Uuid,
    cart: Uuid,
    product: Uuid,
    quantity: i32,
    price: Decimal,
}

impl diesel::query_builder::QueryId for PutAndCount {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for PutAndCount {
    type SqlType = diesel::sql_types::Untyped;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for PutAndCount {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::{Integer, Numeric, Uuid as SqlUuid};
        out.push_sql("WITH params AS (SELECT ");
        out.push_bind_param::<SqlUuid, _>(&self.id)?;
        out.push_sql("::uuid AS id, ");
        out.push_bind_param::<SqlUuid, _>(&self.tenant)?;
        out.push_sql("::uuid AS tenant, ");
        out.push_bind_param::<SqlUuid, _>(&self.cart)?;
        out.push_sql("::uuid AS cart, ");
        out.push_bind_param::<SqlUuid, _>(&self.product)?;
        out.push_sql("::uuid AS product, ");
        out.push_bind_param::<Integer, _>(&self.quantity)?;
        out.push_sql("::int AS qty, ");
        out.push_bind_param::<Numeric, _>(&self.price)?;
        out.push_sql(
            "::numeric AS price), \
             up AS (INSERT INTO cart_items (id, tenant_id, cart_id, product_id, quantity, unit_price) \
                    SELECT id, tenant, cart, product, qty, price FROM params \
                    ON CONFLICT (cart_id, product_id) \
                    DO UPDATE SET quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price, updated_at = now() \
                    RETURNING quantity) \
             SELECT ((SELECT coalesce(sum(i.quantity), 0) FROM cart_items i, params \
                      WHERE i.tenant_id = params.tenant AND i.cart_id = params.cart AND i.product_id <> params.product) \
                     + (SELECT quantity FROM up))::bigint AS n",
        );
        Ok(())
    }
}

/// The user's cart, else the session's guest cart (if it still exists and is a guest's).
pub async fn find(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Option<Uuid>,
    guest: Option<Uuid>,
) -> QueryResult<Option<Uuid>> {
    if let Some(user) = user {
        return carts::table
            .filter(carts::tenant_id.eq(tenant))
            .filter(carts::user_id.eq(user))
            .select(carts::id)
            .first(conn)
            .await
            .optional();
    }
    let Some(guest) = guest else { return Ok(None) };
    carts::table
        .filter(carts::tenant_id.eq(tenant))
        .filter(carts::id.eq(guest))
        .filter(carts::user_id.is_null())
        .select(carts::id)
        .first(conn)
        .await
        .optional()
}

/// The cart to add to, created when missing.
pub async fn find_or_create(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Option<Uuid>,
    guest: Option<Uuid>,
) -> QueryResult<Uuid> {
    if let Some(id) = find(conn, tenant, user, guest).await? {
        return Ok(id);
    }
    let id = Uuid::now_v7();
    // Two first adds at once for one user: the unique index keeps one cart.
    let inserted = diesel::insert_into(carts::table)
        .values((carts::id.eq(id), carts::tenant_id.eq(tenant), carts::user_id.eq(user)))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 { Ok(id) } else { find(conn, tenant, user, None).await?.ok_or(diesel::result::Error::NotFound) }
}

pub async fn lines(conn: &mut AsyncPgConnection, tenant: Uuid, cart: Uuid) -> QueryResult<Vec<CartLine>> {
    let rows: Vec<(Uuid, i32, Decimal, CartProduct)> = cart_items::table
        .inner_join(products::table)
        .filter(cart_items::tenant_id.eq(tenant))
        .filter(cart_items::cart_id.eq(cart))
        .order(cart_items::created_at.asc())
        .select((cart_items::id, cart_items::quantity, cart_items::unit_price, CartProduct::as_select()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(item_id, quantity, unit_price, product)| CartLine { item_id, quantity, unit_price, product })
        .collect())
}

/// The user's cart and its lines, in one query (checkout's hot path).
pub async fn user_lines(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
) -> QueryResult<(Option<Uuid>, Vec<CartLine>)> {
    let rows: Vec<(Uuid, Uuid, i32, Decimal, CartProduct)> = cart_items::table
        .inner_join(carts::table)
        .inner_join(products::table)
        .filter(cart_items::tenant_id.eq(tenant))
        .filter(carts::user_id.eq(user))
        .order(cart_items::created_at.asc())
        .select((carts::id, cart_items::id, cart_items::quantity, cart_items::unit_price, CartProduct::as_select()))
        .load(conn)
        .await?;
    let cart = rows.as_slice().first().map(|r| r.0);
    let lines = rows
        .into_iter()
        .map(|(_, item_id, quantity, unit_price, product)| CartLine { item_id, quantity, unit_price, product })
        .collect();
    Ok((cart, lines))
}

/// Items in a cart (the header's count).
pub async fn count(conn: &mut AsyncPgConnection, tenant: Uuid, cart: Uuid) -> QueryResult<i64> {
    let n: Option<i64> = cart_items::table
        .filter(cart_items::tenant_id.eq(tenant))
        .filter(cart_items::cart_id.eq(cart))
        .select(diesel::dsl::sum(cart_items::quantity))
        .first(conn)
        .await?;
    Ok(n.unwrap_or(0))
}

/// Sets the line of `product` to `quantity` at today's price (a confirmed line).
pub async fn put(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    cart: Uuid,
    product: &CartProduct,
    quantity: i32,
) -> QueryResult<()> {
    let now = OffsetDateTime::now_utc();
    diesel::insert_into(cart_items::table)
        .values((
            cart_items::id.eq(Uuid::now_v7()),
            cart_items::tenant_id.eq(tenant),
            cart_items::cart_id.eq(cart),
            cart_items::product_id.eq(product.id),
            cart_items::quantity.eq(quantity),
            cart_items::unit_price.eq(product.price),
        ))
        .on_conflict((cart_items::cart_id, cart_items::product_id))
        .do_update()
        .set((
            cart_items::quantity.eq(quantity),
            cart_items::unit_price.eq(product.price),
            cart_items::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The product of a line in this cart (a line id from another cart finds nothing).
pub async fn line_product(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    cart: Uuid,
    item: Uuid,
) -> QueryResult<Option<CartProduct>> {
    cart_items::table
        .inner_join(products::table)
        .filter(cart_items::tenant_id.eq(tenant))
        .filter(cart_items::cart_id.eq(cart))
        .filter(cart_items::id.eq(item))
        .select(CartProduct::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn remove(conn: &mut AsyncPgConnection, tenant: Uuid, cart: Uuid, item: Uuid) -> QueryResult<usize> {
    diesel::delete(
        cart_items::table
            .filter(cart_items::tenant_id.eq(tenant))
            .filter(cart_items::cart_id.eq(cart))
            .filter(cart_items::id.eq(item)),
    )
    .execute(conn)
    .await
}

/// Moves a guest cart's lines into the user's cart at login. Quantities of a
/// product in both add up; each line keeps the price the shopper saw, so
/// nothing is lost and nothing changes unseen. Returns the user's cart.
pub async fn merge_into_user(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    guest: Uuid,
    user: Uuid,
) -> QueryResult<Option<Uuid>> {
    let Some(guest) = find(conn, tenant, None, Some(guest)).await? else { return Ok(None) };
    let target = find_or_create(conn, tenant, Some(user), None).await?;
    let guest_lines: Vec<(Uuid, i32, Decimal)> = cart_items::table
        .filter(cart_items::tenant_id.eq(tenant))
        .filter(cart_items::cart_id.eq(guest))
        .select((cart_items::product_id, cart_items::quantity, cart_items::unit_price))
        .load(conn)
        .await?;
    for (product, quantity, unit_price) in guest_lines {
        diesel::insert_into(cart_items::table)
            .values((
                cart_items::id.eq(Uuid::now_v7()),
                cart_items::tenant_id.eq(tenant),
                cart_items::cart_id.eq(target),
                cart_items::product_id.eq(product),
                cart_items::quantity.eq(quantity),
                cart_items::unit_price.eq(unit_price),
            ))
            .on_conflict((cart_items::cart_id, cart_items::product_id))
            .do_update()
            .set(cart_items::quantity.eq(cart_items::quantity + quantity))
            .execute(conn)
            .await?;
    }
    diesel::delete(carts::table.filter(carts::tenant_id.eq(tenant)).filter(carts::id.eq(guest))).execute(conn).await?;
    Ok(Some(target))
}

/// At login: the guest cart's lines move into the user's cart, and the
/// header count becomes the user's. Runs inside the login's tenant transaction.
pub async fn adopt_guest_cart(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    guest: Option<Uuid>,
    user: Uuid,
) -> diesel::QueryResult<i64> {
    if let Some(guest) = guest {
        merge_into_user(conn, tenant, guest, user).await?;
    }
    match find(conn, tenant, Some(user), None).await? {
        Some(cart) => count(conn, tenant, cart).await,
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_parsed_strictly() {
        assert_eq!(parse_quantity("3"), Ok(3));
        assert_eq!(parse_quantity("۱۲"), Ok(12));
        assert_eq!(parse_quantity(" ٢ "), Ok(2));
        assert_eq!(parse_quantity("0"), Err(QuantityError::Invalid));
        assert_eq!(parse_quantity("-1"), Err(QuantityError::Invalid));
        assert_eq!(parse_quantity("abc"), Err(QuantityError::Invalid));
        assert_eq!(parse_quantity("1.5"), Err(QuantityError::Invalid));
        assert_eq!(parse_quantity(""), Err(QuantityError::Invalid));
        assert_eq!(parse_quantity("99999999999999999999999"), Err(QuantityError::AboveMaximum(MAX_LINE_QUANTITY)));
        assert_eq!(parse_quantity("1000"), Err(QuantityError::AboveMaximum(MAX_LINE_QUANTITY)));
    }
}
