//! The product form as typed, checked field by field into a `ProductInput`.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The product form as posted: every field a string, so a bad value comes back as typed.
#[derive(serde::Deserialize, Default, Clone, Debug)]
pub struct ProductForm {
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub category_id: String,
    #[serde(default)]
    pub brand_id: String,
    #[serde(default)]
    pub name_fa: String,
    #[serde(default)]
    pub name_ar: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description_fa: String,
    #[serde(default)]
    pub description_ar: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub compare_price: String,
    #[serde(default)]
    pub tax_rate: String,
    #[serde(default)]
    pub stock: String,
    #[serde(default)]
    pub min_order_qty: String,
    #[serde(default)]
    pub max_order_qty: String,
    #[serde(default)]
    pub warranty_months: String,
    #[serde(default)]
    pub version: String,
}

/// A checked product.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductInput {
    pub sku: String,
    pub category_id: Uuid,
    pub brand_id: Option<Uuid>,
    pub name_fa: String,
    pub name_ar: Option<String>,
    pub name_en: Option<String>,
    pub description_fa: Option<String>,
    pub description_ar: Option<String>,
    pub description_en: Option<String>,
    pub price: Decimal,
    pub compare_price: Option<Decimal>,
    pub tax_rate: Decimal,
    pub stock: i32,
    pub min_order_qty: i32,
    pub max_order_qty: Option<i32>,
    pub warranty_months: i32,
}

/// Field name → message id, for messages beside the fields.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

pub(super) const MAX_PRICE: i64 = 1_000_000_000_000;

impl ProductForm {
    /// Checks every field; `creating` also checks the opening stock. Prices are
    /// whole Rials (IRR has no minor unit).
    pub fn check(&self, creating: bool) -> Result<ProductInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let sku = self.sku.trim().to_owned();
        if sku.is_empty() || sku.len() > 64 || !sku.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            e.insert("sku", "product-sku-invalid");
        }
        let category_id = self.category_id.parse::<Uuid>().ok();
        if category_id.is_none() {
            e.insert("category_id", "product-category-required");
        }
        let brand_id = match self.brand_id.trim() {
            "" => Ok(None),
            b => b.parse::<Uuid>().map(Some),
        };
        if brand_id.is_err() {
            e.insert("brand_id", "product-brand-invalid");
        }
        let name_fa = self.name_fa.trim().to_owned();
        if name_fa.is_empty() {
            e.insert("name_fa", "product-name-required");
        }
        for (field, value) in [("name_fa", &self.name_fa), ("name_ar", &self.name_ar), ("name_en", &self.name_en)] {
            if value.trim().chars().count() > 200 {
                e.insert(field, "product-name-too-long");
            }
        }
        for (field, value) in [
            ("description_fa", &self.description_fa),
            ("description_ar", &self.description_ar),
            ("description_en", &self.description_en),
        ] {
            if value.chars().count() > 5000 {
                e.insert(field, "product-description-too-long");
            }
        }
        let price = crate::text::parse_number(&self.price);
        match price {
            None => {
                e.insert("price", "product-price-invalid");
            }
            Some(p) if p < Decimal::ZERO || p > Decimal::from(MAX_PRICE) || !p.fract().is_zero() => {
                e.insert("price", "product-price-invalid");
            }
            _ => {}
        }
        let compare_price = match self.compare_price.trim() {
            "" => None,
            s => {
                let c = crate::text::parse_number(s);
                match (c, price) {
                    (Some(c), Some(p)) if c >= p && c <= Decimal::from(MAX_PRICE) && c.fract().is_zero() => Some(c),
                    _ => {
                        e.insert("compare_price", "product-compare-invalid");
                        None
                    }
                }
            }
        };
        let tax_rate = match self.tax_rate.trim() {
            "" => Some(Decimal::from(10)),
            s => crate::text::parse_number(s)
                .filter(|t| *t >= Decimal::ZERO && *t <= Decimal::from(100) && t.scale() <= 2),
        };
        if tax_rate.is_none() {
            e.insert("tax_rate", "product-tax-invalid");
        }
        let stock = match (creating, self.stock.trim()) {
            (false, _) | (true, "") => Some(0),
            (true, s) => crate::text::parse_int(s).filter(|n| (0..=1_000_000).contains(n)),
        };
        if stock.is_none() {
            e.insert("stock", "product-stock-invalid");
        }
        let min = match self.min_order_qty.trim() {
            "" => Some(1),
            s => crate::text::parse_int(s).filter(|n| (1..=10_000).contains(n)),
        };
        if min.is_none() {
            e.insert("min_order_qty", "product-min-invalid");
        }
        let max = match self.max_order_qty.trim() {
            "" => Ok(None),
            s => crate::text::parse_int(s).filter(|n| *n >= min.unwrap_or(1) && *n <= 100_000).map(Some).ok_or(()),
        };
        if max.is_err() {
            e.insert("max_order_qty", "product-max-invalid");
        }
        let warranty = match self.warranty_months.trim() {
            "" => Some(0),
            s => crate::text::parse_int(s).filter(|n| (0..=120).contains(n)),
        };
        if warranty.is_none() {
            e.insert("warranty_months", "product-warranty-invalid");
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ProductInput {
            sku,
            category_id: category_id.unwrap_or_default(),
            brand_id: brand_id.unwrap_or_default(),
            name_fa,
            name_ar: crate::text::non_empty(&self.name_ar),
            name_en: crate::text::non_empty(&self.name_en),
            description_fa: crate::text::non_empty(&self.description_fa),
            description_ar: crate::text::non_empty(&self.description_ar),
            description_en: crate::text::non_empty(&self.description_en),
            price: price.unwrap_or_default(),
            compare_price,
            tax_rate: tax_rate.unwrap_or_default(),
            stock: stock.unwrap_or_default(),
            min_order_qty: min.unwrap_or(1),
            max_order_qty: max.unwrap_or_default(),
            warranty_months: warranty.unwrap_or_default(),
        })
    }
}
