//! Moderation's decision on a product (staff only; the vendor portal never decides).

use crate::schema::products;
use crate::seller::models::{ManagedProduct, search_columns};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

/// A moderator's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Applies a decision to the product as the moderator saw it (`seen` is its
/// review_requested_at). None: someone else decided first, or it changed since.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    id: Uuid,
    seen: OffsetDateTime,
    moderator: Uuid,
    decision: Decision,
    reason: Option<&str>,
) -> QueryResult<Option<()>> {
    let Some(old) = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::id.eq(id))
        .filter(products::review_requested_at.eq(seen))
        .select(ManagedProduct::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    let target = products::table.filter(products::tenant_id.eq(tenant)).filter(products::id.eq(id));
    let reviewed = (
        products::review_requested_at.eq(None::<OffsetDateTime>),
        products::pending_changes.eq(None::<serde_json::Value>),
        products::reviewed_by.eq(moderator),
        products::reviewed_at.eq(diesel::dsl::now),
        products::version.eq(old.version + 1),
        products::updated_at.eq(diesel::dsl::now),
    );
    match decision {
        Decision::Reject => {
            let status = if old.is_live() { old.status.clone() } else { "REJECTED".to_owned() };
            diesel::update(target)
                .set((reviewed, products::status.eq(status), products::rejection_reason.eq(reason)))
                .execute(conn)
                .await?;
        }
        Decision::Approve => {
            let pending = old.pending_changes.clone().unwrap_or_default();
            let text = |k: &str, cur: &Option<String>| match pending.get(k) {
                Some(v) => v.as_str().map(str::to_owned),
                None => cur.clone(),
            };
            let money = |k: &str, cur: Option<Decimal>| match pending.get(k) {
                Some(v) => v.as_str().and_then(|s| s.parse::<Decimal>().ok()),
                None => cur,
            };
            let name = text("name", &old.name);
            let name_fa = text("name_fa", &old.name_fa);
            let name_ar = text("name_ar", &old.name_ar);
            let price = money("price", Some(old.price)).unwrap_or(old.price);
            let compare = money("compare_price", old.compare_price).filter(|c| *c >= price);
            let images = pending.get("images").cloned().unwrap_or(old.images.clone());
            let status = match old.status.as_str() {
                "ACTIVE" | "OUT_OF_STOCK" => old.status.clone(),
                _ if old.stock > old.reserved_stock => "ACTIVE".to_owned(),
                _ => "OUT_OF_STOCK".to_owned(),
            };
            let (search, keys) = search_columns(
                conn,
                tenant,
                [name.as_deref(), name_fa.as_deref(), name_ar.as_deref()],
                &old.sku,
                old.brand_id,
            )
            .await?;
            diesel::update(target)
                .set((
                    reviewed,
                    (
                        products::name.eq(name),
                        products::name_fa.eq(name_fa),
                        products::name_ar.eq(name_ar),
                        products::description.eq(text("description", &old.description)),
                        products::description_fa.eq(text("description_fa", &old.description_fa)),
                        products::description_ar.eq(text("description_ar", &old.description_ar)),
                        products::price.eq(price),
                        products::compare_price.eq(compare),
                        products::images.eq(images),
                    ),
                    (
                        products::status.eq(status),
                        products::rejection_reason.eq(None::<String>),
                        products::search_vector.eq(search),
                        products::name_keys.eq(keys),
                    ),
                ))
                .execute(conn)
                .await?;
        }
    }
    Ok(Some(()))
}
