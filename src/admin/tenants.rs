//! Shops (tenants) and their domains, for the platform's administrators
//! (`tenants.manage`, SUPER_ADMIN only): the list, a new shop with its first
//! domain, and more domains for a shop. The same checks as `bazaar tenant
//! create` (`tenant::create`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::tenant::{NewTenant, TenantErrors};
use crate::web::Ctx;
use crate::web::params::IdParam;

pub struct ShopRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub domains: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/tenants.html")]
pub struct TenantsPage {
    ctx: Ctx,
    rows: Vec<ShopRow>,
    form: NewTenant,
    errors: TenantErrors,
    /// (shop, message) beside that shop's "add a domain" field.
    domain_error: Option<(Uuid, String)>,
    saved: bool,
}

impl TenantsPage {
    fn err(&self, key: &Option<&'static str>) -> Option<String> {
        key.map(|k| self.ctx.t(k))
    }

    fn domain_err(&self, shop: &Uuid) -> Option<&str> {
        self.domain_error.as_ref().filter(|(s, _)| s == shop).map(|(_, m)| m.as_str())
    }
}

async fn view(
    state: &AppState,
    ctx: Ctx,
    form: NewTenant,
    errors: TenantErrors,
    domain_error: Option<(Uuid, String)>,
    saved: bool,
) -> AppResult<TenantsPage> {
    let mut conn = state.db().await?;
    let rows = crate::tenant::all(&mut conn)
        .await?
        .into_iter()
        .map(|(id, slug, name, status, domains)| ShopRow { id, slug, name, status, domains })
        .collect();
    Ok(TenantsPage { ctx, rows, form, errors, domain_error, saved })
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(s): Query<super::Saved>) -> AppResult<Response> {
    rbac::staff(&ctx, rbac::TENANTS_MANAGE).await?;
    Ok(view(&state, ctx, NewTenant::default(), TenantErrors::default(), None, s.yes()).await?.into_response())
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, Form(form): Form<NewTenant>) -> AppResult<Response> {
    rbac::staff(&ctx, rbac::TENANTS_MANAGE).await?;
    let created = {
        let mut conn = state.db().await?;
        crate::tenant::create(&mut conn, &form).await?
    };
    match created {
        Ok(_) => {
            state.tenants.clear();
            Ok(super::saved_redirect(&ctx, "/admin/tenants"))
        }
        Err(errors) => {
            let page = view(&state, ctx, form, errors, None, false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
}

pub async fn add_domain(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<DomainForm>,
) -> AppResult<Response> {
    rbac::staff(&ctx, rbac::TENANTS_MANAGE).await?;
    let added = {
        let mut conn = state.db().await?;
        if !crate::tenant::all(&mut conn).await?.iter().any(|t| t.0 == id) {
            return Err(AppError::NotFound);
        }
        crate::tenant::add_domain(&mut conn, id, &form.domain).await?
    };
    match added {
        Ok(()) => {
            state.tenants.clear();
            Ok(super::saved_redirect(&ctx, "/admin/tenants"))
        }
        Err(key) => {
            let message = ctx.t(key);
            let page =
                view(&state, ctx, NewTenant::default(), TenantErrors::default(), Some((id, message)), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
