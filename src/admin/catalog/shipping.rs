//! Shipping methods: the page and saving one.

use super::*;
use crate::app::AppState;
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::orders::models::ShippingMethod;
use crate::rbac;
use crate::schema::shipping_methods;
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "admin/shipping.html")]
pub struct ShippingPage {
    pub(super) ctx: Ctx,
    pub(super) rows: Vec<ShippingMethod>,
    pub(super) error: Option<(Uuid, String)>,
    pub(super) saved: bool,
}

impl ShippingPage {
    fn name(&self, r: &ShippingMethod) -> String {
        r.name(self.ctx.lang).to_owned()
    }
    fn error_for(&self, id: &Uuid) -> Option<&str> {
        self.error.as_ref().filter(|(i, _)| i == id).map(|(_, m)| m.as_str())
    }
}

pub(super) async fn shipping_rows(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<ShippingMethod>> {
    shipping_methods::table
        .filter(shipping_methods::tenant_id.eq(tenant))
        .order((shipping_methods::sort_order, shipping_methods::code))
        .select(ShippingMethod::as_select())
        .load(conn)
        .await
}

pub async fn shipping(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(s): Query<super::super::Saved>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let rows = state.tx(tenant, async |c| shipping_rows(c, tenant).await).await?;
    Ok(ShippingPage { ctx, rows, error: None, saved: s.yes() }.into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct ShippingForm {
    #[serde(default)]
    pub(super) id: String,
    #[serde(default)]
    pub(super) base_cost: String,
    #[serde(default)]
    pub(super) free_over: String,
    #[serde(default)]
    pub(super) min_days: String,
    #[serde(default)]
    pub(super) max_days: String,
    #[serde(default)]
    pub(super) is_active: Option<String>,
}

pub async fn save_shipping(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ShippingForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let id: Uuid = form.id.parse().map_err(|_| AppError::NotFound)?;
    let cost = amount(&form.base_cost);
    let free = match form.free_over.trim() {
        "" => Some(None),
        s => amount(s).map(Some),
    };
    let (min, max) = (crate::text::parse_int(&form.min_days), crate::text::parse_int(&form.max_days));
    let error = match (cost, free, min, max) {
        (None, _, _, _) | (_, None, _, _) => Some("shipping-amount-invalid"),
        (_, _, Some(a), Some(b)) if (0..=60).contains(&a) && a <= b && b <= 60 => None,
        _ => Some("shipping-days-invalid"),
    };
    let mut conn = state.db().await?;
    if let Some(key) = error {
        let rows = tenant_tx(&mut conn, tenant, async |c| shipping_rows(c, tenant).await).await?;
        if !rows.iter().any(|r| r.id == id) {
            return Err(AppError::NotFound);
        }
        let error = Some((id, ctx.t(key)));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, ShippingPage { ctx, rows, error, saved: false }).into_response());
    }
    let actor = ctx.actor();
    let n = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        diesel::update(
            shipping_methods::table.filter(shipping_methods::tenant_id.eq(tenant)).filter(shipping_methods::id.eq(id)),
        )
        .set((
            shipping_methods::base_cost.eq(cost.unwrap_or_default()),
            shipping_methods::free_over.eq(free.flatten()),
            shipping_methods::min_days.eq(min.unwrap_or(1)),
            shipping_methods::max_days.eq(max.unwrap_or(1)),
            shipping_methods::is_active.eq(form.is_active.is_some()),
        ))
        .execute(c)
        .await
    })
    .await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(super::super::saved_redirect(&ctx, "/admin/shipping"))
}
