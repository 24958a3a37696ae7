//! Quoting a cart: shipping methods, discount codes and the totals a
//! checkout shows before anything is written.

use super::*;
use crate::cart::models::{CartLine, LineIssue};
use crate::i18n::Lang;
use crate::i18n::format::Currency;
use crate::orders::pricing::{self, DiscountKind, DiscountRule, PriceLine, Totals};
use crate::schema::{discount_usages, discounts, shipping_methods};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

/// The shipping method code that only delivers inside Tehran province.
pub(super) const TEHRAN_ONLY: &str = "EXPRESS_TEHRAN";

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

pub(super) fn price_lines(lines: &[CartLine]) -> Vec<PriceLine> {
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

pub(super) async fn check_discount(
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
