//! A product's images: the working set and the media records.

use super::*;
use crate::schema::products;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

/// Most images a product may have.
pub const MAX_IMAGES: usize = 8;

/// The image list a vendor is editing: the pending one if a change waits, else the live one.
pub fn working_images(p: &ManagedProduct) -> Vec<serde_json::Value> {
    let pending = p.pending_changes.as_ref().and_then(|c| c.get("images")).and_then(|v| v.as_array());
    pending.or(p.images.as_array()).cloned().unwrap_or_default()
}

/// Saves a new image list: straight onto a product not yet live (which then
/// waits for review), or as a pending change of a live one.
pub async fn set_images(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    vendor: Uuid,
    id: Uuid,
    images: Vec<serde_json::Value>,
) -> QueryResult<()> {
    let p = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::vendor_id.eq(vendor))
        .filter(products::id.eq(id))
        .select(ManagedProduct::as_select())
        .for_update()
        .first(conn)
        .await?;
    let target = products::table.filter(products::tenant_id.eq(tenant)).filter(products::id.eq(id));
    let images = serde_json::Value::Array(images);
    let requested = p.review_requested_at.unwrap_or_else(OffsetDateTime::now_utc);
    if p.is_live() {
        let mut pending = match p.pending_changes {
            Some(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        if images == p.images {
            pending.remove("images");
        } else {
            pending.insert("images".into(), images);
        }
        let waiting = !pending.is_empty();
        diesel::update(target)
            .set((
                products::pending_changes.eq(waiting.then_some(serde_json::Value::Object(pending))),
                products::review_requested_at.eq(waiting.then_some(requested)),
                products::version.eq(p.version + 1),
                products::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
    } else {
        diesel::update(target)
            .set((
                products::images.eq(images),
                products::status.eq("PENDING_REVIEW"),
                products::review_requested_at.eq(Some(requested)),
                products::rejection_reason.eq(None::<String>),
                products::version.eq(p.version + 1),
                products::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub struct NewMedia<'a> {
    pub id: Uuid,
    pub vendor: Uuid,
    pub user: Uuid,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i32,
    pub width: i32,
    pub height: i32,
    pub variants: serde_json::Value,
}

pub async fn record_media(conn: &mut AsyncPgConnection, tenant: Uuid, m: &NewMedia<'_>) -> QueryResult<()> {
    use crate::schema::media;
    diesel::insert_into(media::table)
        .values((
            media::id.eq(m.id),
            media::tenant_id.eq(tenant),
            media::vendor_id.eq(m.vendor),
            media::uploaded_by.eq(m.user),
            media::original_name.eq(m.original_name),
            media::content_type.eq(m.content_type),
            media::size_bytes.eq(m.size_bytes),
            media::width.eq(m.width),
            media::height.eq(m.height),
            media::variants.eq(&m.variants),
        ))
        .execute(conn)
        .await
        .map(drop)
}
