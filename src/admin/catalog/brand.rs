//! Saving a brand.

use super::*;
use crate::app::AppState;
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::brands;
use crate::web::Ctx;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[derive(serde::Deserialize, Default, Clone)]
pub struct BrandForm {
    #[serde(default)]
    pub(super) id: String,
    #[serde(default)]
    pub(super) slug: String,
    #[serde(default)]
    pub(super) name_fa: String,
    #[serde(default)]
    pub(super) name_ar: String,
    #[serde(default)]
    pub(super) name_en: String,
}

pub async fn save_brand(State(state): State<AppState>, ctx: Ctx, Form(form): Form<BrandForm>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let id = match form.id.as_str() {
        "" => None,
        s => Some(s.parse::<Uuid>().map_err(|_| AppError::NotFound)?),
    };
    let slug = form.slug.trim().to_ascii_lowercase();
    let mut errors: Errors = vec![];
    if !slug_ok(&slug) {
        errors.push(("slug", "catalog-slug-invalid"));
    }
    if form.name_fa.trim().is_empty() && form.name_en.trim().is_empty() {
        errors.push(("name_fa", "catalog-brand-name-required"));
    }
    if errors.is_empty() {
        let actor = ctx.actor();
        let mut conn = state.db().await?;
        let saved = tenant_tx(&mut conn, tenant, async |c| {
            set_actor(c, &actor).await?;
            let values = (
                brands::slug.eq(&slug),
                brands::name_fa.eq(crate::text::non_empty(&form.name_fa)),
                brands::name_ar.eq(crate::text::non_empty(&form.name_ar)),
                brands::name.eq(crate::text::non_empty(&form.name_en)),
            );
            let n = match id {
                Some(id) => {
                    diesel::update(brands::table.filter(brands::tenant_id.eq(tenant)).filter(brands::id.eq(id)))
                        .set(values)
                        .execute(c)
                        .await?
                }
                None => {
                    diesel::insert_into(brands::table)
                        .values((brands::id.eq(Uuid::now_v7()), brands::tenant_id.eq(tenant), values))
                        .execute(c)
                        .await?
                }
            };
            Ok::<_, diesel::result::Error>(n)
        })
        .await;
        match saved {
            Ok(0) => return Err(AppError::NotFound),
            Ok(_) => {
                state.catalog.catalog_changed();
                return Ok(super::super::saved_redirect(&ctx, "/admin/catalog"));
            }
            Err(e) if unique_violation(&e) => errors.push(("slug", "catalog-slug-taken")),
            Err(e) => return Err(e.into()),
        }
    }
    let page = catalog_view(&state, ctx, tenant, Default::default(), form, &vec![], &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
