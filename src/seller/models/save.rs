//! Saving a product: create and update with a version check, moderation of
//! changes to a live product, and the search text kept beside the product.

use super::*;
use crate::schema::{brands, categories, products};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug)]
pub enum SaveError {
    /// Someone saved the product after this form was opened.
    Stale,
    Fields(FieldErrors),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for SaveError {
    fn from(e: diesel::result::Error) -> Self {
        match &e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, info) => {
                let mut f = FieldErrors::new();
                f.insert(
                    "sku",
                    if info.constraint_name().is_some_and(|c| c.contains("slug")) {
                        "product-slug-taken"
                    } else {
                        "product-sku-taken"
                    },
                );
                SaveError::Fields(f)
            }
            _ => SaveError::Db(e),
        }
    }
}

pub(super) async fn check_refs(conn: &mut AsyncPgConnection, tenant: Uuid, p: &ProductInput) -> Result<(), SaveError> {
    let mut e = FieldErrors::new();
    let cat: i64 = categories::table
        .filter(categories::tenant_id.eq(tenant))
        .filter(categories::id.eq(p.category_id))
        .count()
        .get_result(conn)
        .await?;
    if cat == 0 {
        e.insert("category_id", "product-category-required");
    }
    if let Some(b) = p.brand_id {
        let n: i64 = brands::table
            .filter(brands::tenant_id.eq(tenant))
            .filter(brands::id.eq(b))
            .count()
            .get_result(conn)
            .await?;
        if n == 0 {
            e.insert("brand_id", "product-brand-invalid");
        }
    }
    if e.is_empty() { Ok(()) } else { Err(SaveError::Fields(e)) }
}

pub(super) async fn brand_names(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    brand: Option<Uuid>,
) -> QueryResult<Vec<String>> {
    let Some(b) = brand else { return Ok(Vec::new()) };
    let row: Option<(Option<String>, Option<String>, Option<String>)> = brands::table
        .filter(brands::tenant_id.eq(tenant))
        .filter(brands::id.eq(b))
        .select((brands::name, brands::name_fa, brands::name_ar))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(|(a, b, c)| [a, b, c].into_iter().flatten().collect()).unwrap_or_default())
}

/// The search columns for these names.
pub async fn search_columns(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    names: [Option<&str>; 3],
    sku: &str,
    brand: Option<Uuid>,
) -> QueryResult<(String, Vec<String>)> {
    let brands = brand_names(conn, tenant, brand).await?;
    let names: Vec<&str> = names.into_iter().flatten().collect();
    let brands: Vec<&str> = brands.iter().map(String::as_str).collect();
    Ok(product_search_text(&names, sku, &brands))
}

/// A URL name from the SKU: unique because SKUs are.
pub(super) fn slug_for(sku: &str) -> String {
    sku.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// A vendor's new product: it waits for review before the storefront shows it.
pub async fn create(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    vendor: Uuid,
    user: Uuid,
    p: &ProductInput,
) -> Result<Uuid, SaveError> {
    check_refs(conn, tenant, p).await?;
    let (search, keys) = search_columns(
        conn,
        tenant,
        [p.name_en.as_deref(), Some(&p.name_fa), p.name_ar.as_deref()],
        &p.sku,
        p.brand_id,
    )
    .await?;
    let id = Uuid::now_v7();
    diesel::insert_into(products::table)
        .values((
            products::id.eq(id),
            products::tenant_id.eq(tenant),
            products::vendor_id.eq(vendor),
            products::category_id.eq(p.category_id),
            products::brand_id.eq(p.brand_id),
            products::sku.eq(&p.sku),
            products::slug.eq(slug_for(&p.sku)),
            products::name.eq(&p.name_en),
            products::name_fa.eq(&p.name_fa),
            products::name_ar.eq(&p.name_ar),
            products::description.eq(&p.description_en),
            products::description_fa.eq(&p.description_fa),
            products::description_ar.eq(&p.description_ar),
            products::price.eq(p.price),
            products::compare_price.eq(p.compare_price),
            products::tax_rate.eq(p.tax_rate),
            products::stock.eq(p.stock),
            products::min_order_qty.eq(p.min_order_qty),
            products::max_order_qty.eq(p.max_order_qty),
            products::warranty_months.eq(p.warranty_months),
            products::status.eq("PENDING_REVIEW"),
            products::review_requested_at.eq(diesel::dsl::now),
            products::search_vector.eq(search),
            products::name_keys.eq(keys),
        ))
        .execute(conn)
        .await?;
    if p.stock > 0 {
        log_stock(conn, tenant, id, user, p.stock, p.stock, 0, "initial", None).await?;
    }
    Ok(id)
}

/// The fields a live product cannot change without review.
pub(super) fn moderated_changes(old: &ManagedProduct, p: &ProductInput) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::{Value, json};
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, old: Value, new: Value| {
        if old != new {
            m.insert(k.to_owned(), new);
        }
    };
    put("name", json!(old.name), json!(p.name_en));
    put("name_fa", json!(old.name_fa), json!(Some(&p.name_fa)));
    put("name_ar", json!(old.name_ar), json!(p.name_ar));
    put("description", json!(old.description), json!(p.description_en));
    put("description_fa", json!(old.description_fa), json!(p.description_fa));
    put("description_ar", json!(old.description_ar), json!(p.description_ar));
    put("price", json!(old.price.normalize().to_string()), json!(p.price.normalize().to_string()));
    put(
        "compare_price",
        json!(old.compare_price.map(|c| c.normalize().to_string())),
        json!(p.compare_price.map(|c| c.normalize().to_string())),
    );
    m
}

/// What saving did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// Applied; the product waits for (re)review.
    Submitted,
    /// Applied at once (nothing a shopper sees changed).
    Applied,
    /// A live product's visible change now waits for review; the live one sells on.
    ChangeQueued,
}

/// Saves the vendor's edit when `version` is still the product's version.
pub async fn update(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    vendor: Uuid,
    id: Uuid,
    version: i32,
    p: &ProductInput,
) -> Result<Saved, SaveError> {
    let old = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::vendor_id.eq(vendor))
        .filter(products::id.eq(id))
        .select(ManagedProduct::as_select())
        .for_update()
        .first(conn)
        .await?;
    if old.version != version {
        return Err(SaveError::Stale);
    }
    check_refs(conn, tenant, p).await?;
    let target = products::table.filter(products::tenant_id.eq(tenant)).filter(products::id.eq(id));
    // Fields no shopper-facing review is needed for.
    let direct = (
        products::category_id.eq(p.category_id),
        products::brand_id.eq(p.brand_id),
        products::tax_rate.eq(p.tax_rate),
        products::min_order_qty.eq(p.min_order_qty),
        products::max_order_qty.eq(p.max_order_qty),
        products::warranty_months.eq(p.warranty_months),
        products::version.eq(old.version + 1),
        products::updated_at.eq(diesel::dsl::now),
    );
    if old.is_live() {
        let mut pending = match &old.pending_changes {
            Some(serde_json::Value::Object(m)) => m.clone(),
            _ => serde_json::Map::new(),
        };
        let changes = moderated_changes(&old, p);
        let queued = !changes.is_empty();
        // Fields now back at their live value drop out of the pending change.
        for k in
            ["name", "name_fa", "name_ar", "description", "description_fa", "description_ar", "price", "compare_price"]
        {
            pending.remove(k);
        }
        pending.extend(changes);
        let has_pending = !pending.is_empty();
        let (search, keys) = search_columns(
            conn,
            tenant,
            [old.name.as_deref(), old.name_fa.as_deref(), old.name_ar.as_deref()],
            &p.sku,
            p.brand_id,
        )
        .await?;
        diesel::update(target)
            .set((
                direct,
                products::sku.eq(&p.sku),
                products::search_vector.eq(search),
                products::name_keys.eq(keys),
                products::pending_changes.eq(has_pending.then_some(serde_json::Value::Object(pending))),
                products::review_requested_at.eq(if has_pending {
                    old.review_requested_at.or(Some(OffsetDateTime::now_utc()))
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        return Ok(if queued { Saved::ChangeQueued } else { Saved::Applied });
    }
    let (search, keys) = search_columns(
        conn,
        tenant,
        [p.name_en.as_deref(), Some(&p.name_fa), p.name_ar.as_deref()],
        &p.sku,
        p.brand_id,
    )
    .await?;
    diesel::update(target)
        .set((
            direct,
            (
                products::sku.eq(&p.sku),
                products::name.eq(&p.name_en),
                products::name_fa.eq(&p.name_fa),
                products::name_ar.eq(&p.name_ar),
                products::description.eq(&p.description_en),
                products::description_fa.eq(&p.description_fa),
                products::description_ar.eq(&p.description_ar),
                products::price.eq(p.price),
                products::compare_price.eq(p.compare_price),
            ),
            (
                products::status.eq("PENDING_REVIEW"),
                products::review_requested_at.eq(old.review_requested_at.or(Some(OffsetDateTime::now_utc()))),
                products::rejection_reason.eq(None::<String>),
                products::search_vector.eq(search),
                products::name_keys.eq(keys),
            ),
        ))
        .execute(conn)
        .await?;
    Ok(Saved::Submitted)
}

/// The search key stored for a product: names in every language, SKU and brand names.
pub fn product_search_text(names: &[&str], sku: &str, brand_names: &[&str]) -> (String, Vec<String>) {
    let mut parts: Vec<String> = names.iter().map(|n| crate::text::index_key(n)).collect();
    parts.push(crate::text::index_key(sku));
    parts.extend(brand_names.iter().map(|b| crate::text::index_key(b)));
    let keys = names.iter().map(|n| crate::text::search_key(n)).collect();
    (parts.join(" "), keys)
}
