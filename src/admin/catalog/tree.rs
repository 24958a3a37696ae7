//! The category tree: rows, tree order, and saving a category.

use super::*;
use crate::app::AppState;
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::categories;
use crate::web::Ctx;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct CategoryRow {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub level: i32,
    pub sort_order: i32,
    pub is_active: bool,
}

pub(super) async fn all_categories(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .filter(categories::tenant_id.eq(tenant))
        .order((categories::sort_order, categories::slug))
        .select(CategoryRow::as_select())
        .load(conn)
        .await
}

/// The tree in reading order: (depth, row).
pub(super) fn tree(rows: &[CategoryRow]) -> Vec<(usize, CategoryRow)> {
    fn walk(rows: &[CategoryRow], parent: Option<Uuid>, depth: usize, out: &mut Vec<(usize, CategoryRow)>) {
        for r in rows.iter().filter(|r| r.parent_id == parent) {
            out.push((depth, r.clone()));
            if depth < 16 {
                walk(rows, Some(r.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(rows, None, 0, &mut out);
    out
}

/// `id` and everything under it: none of these may become its parent.
pub(super) fn subtree(rows: &[CategoryRow], id: Uuid) -> Vec<Uuid> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i];
        out.extend(rows.iter().filter(|r| r.parent_id == Some(cur)).map(|r| r.id));
        i += 1;
    }
    out
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct CategoryForm {
    #[serde(default)]
    pub(super) id: String,
    #[serde(default)]
    pub(super) slug: String,
    #[serde(default)]
    pub(super) parent_id: String,
    #[serde(default)]
    pub(super) name_fa: String,
    #[serde(default)]
    pub(super) name_ar: String,
    #[serde(default)]
    pub(super) name_en: String,
    #[serde(default)]
    pub(super) sort_order: String,
    #[serde(default)]
    pub(super) is_active: Option<String>,
}

pub async fn save_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CategoryForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let id = match form.id.as_str() {
        "" => None,
        s => Some(s.parse::<Uuid>().map_err(|_| AppError::NotFound)?),
    };
    let parent = match form.parent_id.as_str() {
        "" => None,
        s => Some(s.parse::<Uuid>().map_err(|_| AppError::BadRequest("error-bad-request"))?),
    };
    let slug = form.slug.trim().to_ascii_lowercase();
    let sort = crate::text::parse_int(&form.sort_order).unwrap_or(0);
    let mut errors: Errors = vec![];
    if !slug_ok(&slug) {
        errors.push(("slug", "catalog-slug-invalid"));
    }
    if form.name_fa.trim().is_empty() {
        errors.push(("name_fa", "product-name-required"));
    }
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    let rows = tenant_tx(&mut conn, tenant, async |c| all_categories(c, tenant).await).await?;
    if let Some(id) = id
        && !rows.iter().any(|r| r.id == id)
    {
        return Err(AppError::NotFound);
    }
    if let Some(p) = parent {
        if !rows.iter().any(|r| r.id == p) {
            errors.push(("parent_id", "catalog-parent-invalid"));
        } else if id.is_some_and(|id| subtree(&rows, id).contains(&p)) {
            errors.push(("parent_id", "catalog-parent-loop"));
        }
    }
    if errors.is_empty() {
        let level = parent.and_then(|p| rows.iter().find(|r| r.id == p)).map(|r| r.level + 1).unwrap_or(0);
        let active = form.is_active.is_some();
        let saved = tenant_tx(&mut conn, tenant, async |c| {
            set_actor(c, &actor).await?;
            let values = (
                categories::slug.eq(&slug),
                categories::parent_id.eq(parent),
                categories::name_fa.eq(form.name_fa.trim()),
                categories::name_ar.eq(crate::text::non_empty(&form.name_ar)),
                categories::name.eq(crate::text::non_empty(&form.name_en)),
                categories::level.eq(level),
                categories::sort_order.eq(sort),
                categories::is_active.eq(active),
            );
            match id {
                Some(id) => {
                    diesel::update(categories::table.filter(categories::tenant_id.eq(tenant)).filter(categories::id.eq(id)))
                        .set((values, categories::updated_at.eq(diesel::dsl::now)))
                        .execute(c)
                        .await?;
                    // Children follow their parent's depth.
                    diesel::sql_query(
                        "WITH RECURSIVE t AS (
                            SELECT id, level FROM categories WHERE tenant_id = $1 AND id = $2
                            UNION ALL SELECT c.id, t.level + 1 FROM categories c JOIN t ON c.parent_id = t.id WHERE c.tenant_id = $1)
                         UPDATE categories SET level = t.level FROM t WHERE categories.id = t.id AND categories.tenant_id = $1",
                    )
                    .bind::<diesel::sql_types::Uuid, _>(tenant)
                    .bind::<diesel::sql_types::Uuid, _>(id)
                    .execute(c)
                    .await?;
                }
                None => {
                    diesel::insert_into(categories::table)
                        .values((categories::id.eq(Uuid::now_v7()), categories::tenant_id.eq(tenant), values))
                        .execute(c)
                        .await?;
                }
            }
            Ok::<_, diesel::result::Error>(())
        })
        .await;
        match saved {
            Ok(()) => {
                state.catalog.catalog_changed();
                return Ok(super::super::saved_redirect(&ctx, "/admin/catalog"));
            }
            Err(e) if unique_violation(&e) => errors.push(("slug", "catalog-slug-taken")),
            Err(e) => return Err(e.into()),
        }
    }
    let page = catalog_view(&state, ctx, tenant, form, Default::default(), &errors, &vec![]).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
