//! Writing products: the vendor's form, its checks, creation and edits with a
//! version check, moderation's decisions, and stock adjustments.

mod form;
mod images;
mod listing;
mod save;
mod stock;

use crate::schema::{products, vendors};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
pub use form::*;
pub use images::*;
pub use listing::*;
use rust_decimal::Decimal;
pub use save::*;
pub use stock::*;
use time::OffsetDateTime;
use uuid::Uuid;

/// The vendor a user sells as, in this tenant.
pub async fn vendor_of(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<Option<Uuid>> {
    vendors::table
        .filter(vendors::tenant_id.eq(tenant))
        .filter(vendors::user_id.eq(user))
        .select(vendors::id)
        .first(conn)
        .await
        .optional()
}

/// A product as the vendor's form and the moderation queue show it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct ManagedProduct {
    pub id: Uuid,
    pub vendor_id: Uuid,
    pub category_id: Uuid,
    pub brand_id: Option<Uuid>,
    pub sku: String,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub description: Option<String>,
    pub description_fa: Option<String>,
    pub description_ar: Option<String>,
    pub price: Decimal,
    pub compare_price: Option<Decimal>,
    pub tax_rate: Decimal,
    pub stock: i32,
    pub reserved_stock: i32,
    pub min_order_qty: i32,
    pub max_order_qty: Option<i32>,
    pub warranty_months: i32,
    pub status: String,
    pub images: serde_json::Value,
    pub version: i32,
    pub pending_changes: Option<serde_json::Value>,
    pub review_requested_at: Option<OffsetDateTime>,
    pub rejection_reason: Option<String>,
    pub created_at: OffsetDateTime,
}

impl ManagedProduct {
    pub fn form(&self) -> ProductForm {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        ProductForm {
            sku: self.sku.clone(),
            category_id: self.category_id.to_string(),
            brand_id: self.brand_id.map(|b| b.to_string()).unwrap_or_default(),
            name_fa: s(&self.name_fa),
            name_ar: s(&self.name_ar),
            name_en: s(&self.name),
            description_fa: s(&self.description_fa),
            description_ar: s(&self.description_ar),
            description_en: s(&self.description),
            price: self.price.trunc().to_string(),
            compare_price: self.compare_price.map(|c| c.trunc().to_string()).unwrap_or_default(),
            tax_rate: self.tax_rate.normalize().to_string(),
            stock: self.stock.to_string(),
            min_order_qty: self.min_order_qty.to_string(),
            max_order_qty: self.max_order_qty.map(|m| m.to_string()).unwrap_or_default(),
            warranty_months: self.warranty_months.to_string(),
            version: self.version.to_string(),
        }
    }

    pub fn is_live(&self) -> bool {
        matches!(self.status.as_str(), "ACTIVE" | "OUT_OF_STOCK")
    }
}

pub async fn product(conn: &mut AsyncPgConnection, tenant: Uuid, id: Uuid) -> QueryResult<Option<ManagedProduct>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::id.eq(id))
        .select(ManagedProduct::as_select())
        .first(conn)
        .await
        .optional()
}

/// A vendor's own product, or None (another vendor's product is as good as missing).
pub async fn own_product(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    vendor: Uuid,
    id: Uuid,
) -> QueryResult<Option<ManagedProduct>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::vendor_id.eq(vendor))
        .filter(products::id.eq(id))
        .select(ManagedProduct::as_select())
        .first(conn)
        .await
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProductForm {
        ProductForm {
            sku: "LAMP-01".into(),
            category_id: Uuid::nil().to_string(),
            name_fa: "چراغ مطالعه".into(),
            price: "۱۲۰٬۰۰۰".into(),
            ..Default::default()
        }
    }

    #[test]
    fn search_words_become_a_safe_prefix_query() {
        assert_eq!(prefix_tsquery("Galaxy  S24").as_deref(), Some("'galaxy':* & 's24':*"));
        assert_eq!(prefix_tsquery("x' | !y:*").as_deref(), Some("'x':* & 'y':*"));
        assert_eq!(prefix_tsquery(" -- "), None);
        assert_eq!(prefix_tsquery(&format!("lamp {}", "x".repeat(5000))).as_deref(), Some("'lamp':*"));
    }

    #[test]
    fn a_minimal_form_passes_with_defaults() {
        let p = form().check(true).expect("valid");
        assert_eq!(p.price, Decimal::from(120_000));
        assert_eq!(p.tax_rate, Decimal::from(10));
        assert_eq!((p.min_order_qty, p.max_order_qty, p.stock), (1, None, 0));
        assert_eq!(p.name_en, None);
    }

    #[test]
    fn bad_fields_are_each_named() {
        let f = ProductForm {
            sku: "a b".into(),
            price: "12.5".into(),
            compare_price: "10".into(),
            stock: "-1".into(),
            max_order_qty: "0".into(),
            ..form()
        };
        let e = f.check(true).unwrap_err();
        for k in ["sku", "price", "compare_price", "stock", "max_order_qty"] {
            assert!(e.contains_key(k), "{k}: {e:?}");
        }
        assert!(!e.contains_key("name_fa"));
        let e = ProductForm { name_fa: " ".into(), ..form() }.check(false).unwrap_err();
        assert_eq!(e.get("name_fa"), Some(&"product-name-required"));
    }
}
