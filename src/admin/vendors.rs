//! Vendors: the verification queue (PENDING first) and suspending a vendor.
//! A decision names the status the staff member saw; if another got there
//! first, the answer is 409 and the row shows the current state.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::vendors;
use crate::web::Ctx;
use crate::web::params::IdParam;

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = vendors, check_for_backend(diesel::pg::Pg))]
pub struct VendorRow {
    pub id: Uuid,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub status: String,
    pub status_reason: Option<String>,
    pub created_at: OffsetDateTime,
}

pub struct VendorView {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub status_code: String,
    pub reason: String,
    pub since: String,
    pub error: Option<String>,
}

impl VendorView {
    fn new(ctx: &Ctx, v: &VendorRow) -> Self {
        Self {
            id: v.id,
            name: ctx.lang.pick(v.name.as_deref(), v.name_fa.as_deref(), v.name_ar.as_deref()).to_owned(),
            status: ctx.t(&format!("vendor-status-{}", v.status.to_ascii_lowercase())),
            status_code: v.status.clone(),
            reason: v.status_reason.clone().unwrap_or_default(),
            since: ctx.date_time(v.created_at),
            error: None,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/vendors.html")]
pub struct VendorsPage {
    ctx: Ctx,
    rows: Vec<VendorView>,
    status: String,
    waiting: String,
    /// A shop was just opened (`vendor_new`).
    saved: bool,
}

/// One row, what htmx swaps after a decision.
#[derive(Template, WebTemplate)]
#[template(path = "admin/vendor_row.html")]
pub struct VendorRowFragment {
    ctx: Ctx,
    v: VendorView,
    /// After a decision: the waiting count, swapped into the page's counter out of band.
    waiting: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    status: String,
    #[serde(default)]
    saved: String,
}

async fn load(conn: &mut AsyncPgConnection, tenant: Uuid, status: Option<&str>) -> QueryResult<Vec<VendorRow>> {
    let mut q = vendors::table.filter(vendors::tenant_id.eq(tenant)).into_boxed();
    if let Some(s) = status {
        q = q.filter(vendors::status.eq(s.to_owned()));
    }
    q.order((vendors::created_at.asc(), vendors::id.asc())).limit(200).select(VendorRow::as_select()).load(conn).await
}

/// Moves a vendor from the status the staff member saw to `to`; false when
/// someone else moved it first.
pub(super) async fn set_status(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    id: Uuid,
    seen: &str,
    to: &str,
    reason: &str,
) -> QueryResult<bool> {
    let verified_at = (to == "VERIFIED").then(OffsetDateTime::now_utc);
    let n = diesel::update(
        vendors::table
            .filter(vendors::tenant_id.eq(tenant))
            .filter(vendors::id.eq(id))
            .filter(vendors::status.eq(seen)),
    )
    .set((
        vendors::status.eq(to),
        vendors::status_reason.eq((!reason.is_empty()).then_some(reason)),
        vendors::verified_at.eq(verified_at),
        vendors::updated_at.eq(diesel::dsl::now),
    ))
    .execute(c)
    .await?;
    Ok(n == 1)
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(p): Query<Params>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::VENDORS_VERIFY).await?;
    let status = match p.status.as_str() {
        "" => Some("PENDING"),
        "all" => None,
        s @ ("PENDING" | "VERIFIED" | "SUSPENDED") => Some(s),
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    let tenant = staff.tenant;
    let (rows, waiting) = state
        .tx(tenant, async |c| {
            let rows = load(c, tenant, status).await?;
            let waiting = super::stats::capped_count(c, super::stats::VENDORS_WAITING, tenant, 1000).await?;
            Ok::<_, diesel::result::Error>((rows, waiting))
        })
        .await?;
    let rows = rows.iter().map(|v| VendorView::new(&ctx, v)).collect();
    let status = status.unwrap_or("all").to_owned();
    let waiting = ctx.num(waiting);
    let saved = p.saved == "1";
    Ok(VendorsPage { ctx, rows, status, waiting, saved }.into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    seen: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::VENDORS_VERIFY).await?;
    let to = match form.action.as_str() {
        "verify" => "VERIFIED",
        "suspend" => "SUSPENDED",
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    let reason = form.reason.trim().chars().take(500).collect::<String>();
    let needs_reason = to == "SUSPENDED" && reason.is_empty();
    let tenant = staff.tenant;
    let actor = ctx.actor();
    let (changed, row, waiting) = state
        .tx(tenant, async |c| {
            let mut changed = false;
            if !needs_reason {
                set_actor(c, &actor).await?;
                changed = set_status(c, tenant, id, &form.seen, to, &reason).await?;
            }
            let row = vendors::table
                .filter(vendors::tenant_id.eq(tenant))
                .filter(vendors::id.eq(id))
                .select(VendorRow::as_select())
                .first(c)
                .await
                .optional()?;
            let waiting = super::stats::capped_count(c, super::stats::VENDORS_WAITING, tenant, 1000).await?;
            Ok::<_, diesel::result::Error>((changed, row, waiting))
        })
        .await?;
    let row = row.ok_or(AppError::NotFound)?;
    if changed {
        // The shop's products left (or came back to) the storefront: this
        // server's cached search pages and brand lists forget them now.
        state.catalog.product_changed();
    }
    let status = if needs_reason {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if changed {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    if !ctx.htmx {
        if status == StatusCode::OK {
            return Ok(Redirect::to(&ctx.href("/admin/vendors")).into_response());
        }
        let key = if needs_reason { "vendor-reason-required" } else { "moderation-already-decided" };
        return Err(if needs_reason { AppError::Unprocessable(key) } else { AppError::Conflict(key) });
    }
    let mut view = VendorView::new(&ctx, &row);
    if needs_reason {
        view.error = Some(ctx.t("vendor-reason-required"));
    } else if !changed {
        view.error = Some(ctx.t("moderation-already-decided"));
    }
    let waiting = Some(ctx.num(waiting));
    Ok((status, VendorRowFragment { ctx, v: view, waiting }).into_response())
}
