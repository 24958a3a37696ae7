//! The vendor verification queue: the waiting vendors one at a time, oldest
//! first, with who stands behind each shop; verify, or suspend with a reason,
//! and the next one slides in. Same page and keys as the product queue. A
//! decision only moves a vendor that is still waiting, so the second of two
//! staff learns it was already decided.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use super::moderation::{self as queue, DecisionForm, FieldView, ItemView, QueueKind, QueueParams};
use super::stats;
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::{products, users, vendors};
use crate::web::Ctx;
use crate::web::params::IdParam;

pub const VENDORS: QueueKind = QueueKind {
    base: "/admin/moderation/vendors",
    title: "vendor-queue-title",
    keys: "vendor-queue-keys",
    approve: "vendor-verify",
    reject: "vendor-suspend",
    reason: "vendor-queue-reason",
    empty: "vendor-queue-empty",
    approved: "vendor-queue-verified",
    rejected: "vendor-queue-suspended",
};

const WAITING: &str = "PENDING";

#[derive(Queryable, Selectable)]
#[diesel(table_name = vendors, check_for_backend(diesel::pg::Pg))]
struct Waiting {
    id: Uuid,
    user_id: Option<Uuid>,
    slug: String,
    name: Option<String>,
    name_fa: Option<String>,
    name_ar: Option<String>,
    commission_rate: rust_decimal::Decimal,
    city: Option<String>,
    created_at: OffsetDateTime,
}

/// The waiting vendor after (or before) `(at, id)` in queue order, or the first.
async fn waiting(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    from: Option<(OffsetDateTime, Uuid)>,
    forward: bool,
) -> QueryResult<Option<Waiting>> {
    let mut q = vendors::table
        .filter(vendors::tenant_id.eq(tenant))
        .filter(vendors::status.eq(WAITING))
        .select(Waiting::as_select())
        .into_boxed();
    if let Some((at, id)) = from {
        q = if forward {
            q.filter(vendors::created_at.gt(at).or(vendors::created_at.eq(at).and(vendors::id.gt(id))))
        } else {
            q.filter(vendors::created_at.lt(at).or(vendors::created_at.eq(at).and(vendors::id.lt(id))))
        };
    }
    q = if forward {
        q.order((vendors::created_at.asc(), vendors::id.asc()))
    } else {
        q.order((vendors::created_at.desc(), vendors::id.desc()))
    };
    q.first(c).await.optional()
}

async fn item_view(c: &mut AsyncPgConnection, ctx: &Ctx, tenant: Uuid, v: &Waiting) -> QueryResult<ItemView> {
    let owner: Option<(String, String, Option<String>, Option<String>)> = match v.user_id {
        Some(user) => users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::id.eq(user))
            .select((users::full_name, users::email, users::phone, users::national_id))
            .first(c)
            .await
            .optional()?,
        None => None,
    };
    // Capped: a shop that imported a catalogue before verification still answers at once.
    let products: i64 = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::vendor_id.eq(v.id))
        .select(products::id)
        .limit(1000)
        .load::<Uuid>(c)
        .await?
        .len() as i64;
    let prev = waiting(c, tenant, Some((v.created_at, v.id)), false).await?;
    let next = waiting(c, tenant, Some((v.created_at, v.id)), true).await?;
    let (full_name, email, phone, national_id) = owner.unwrap_or_default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let field = |key: &str, live: String, dir: &'static str| FieldView { label: ctx.t(key), live, proposed: None, dir };
    let rate = ctx.t1("discount-percent", "value", ctx.digits().apply(&v.commission_rate.normalize().to_string()));
    let base = ctx.href(VENDORS.base);
    Ok(ItemView {
        id: v.id,
        seen: queue::micros(v.created_at),
        title: ctx.lang.pick(v.name.as_deref(), v.name_fa.as_deref(), v.name_ar.as_deref()).to_owned(),
        badge: ctx.t("vendor-status-pending"),
        meta: vec![v.slug.clone(), text(&v.city), ctx.date_time(v.created_at)],
        image: None,
        fields: vec![
            field("product-field-name-fa", text(&v.name_fa), "rtl"),
            field("product-field-name-ar", text(&v.name_ar), "rtl"),
            field("product-field-name", text(&v.name), "ltr"),
            field("vendor-field-owner", full_name, "auto"),
            field("field-email", email, "ltr"),
            field("account-phone", phone.map(|p| ctx.digits().apply(&p)).unwrap_or_default(), "ltr"),
            field("vendor-field-national-id", national_id.map(|n| ctx.digits().apply(&n)).unwrap_or_default(), "ltr"),
            field("vendor-field-commission", rate, "auto"),
            field(
                "vendor-field-products",
                if products >= 1000 { format!("{}+", ctx.num(999)) } else { ctx.num(products) },
                "auto",
            ),
        ],
        prev: prev.map(|x| format!("{base}?at={}", x.id)),
        next: next.map(|x| format!("{base}?at={}", x.id)),
    })
}

/// The queue at vendor `at` (while still waiting), or at its head.
async fn load(state: &AppState, ctx: &Ctx, tenant: Uuid, at: Option<Uuid>) -> AppResult<(Option<ItemView>, i64)> {
    state
        .tx(tenant, async |c| {
            let chosen = match at {
                Some(id) => vendors::table
                    .filter(vendors::tenant_id.eq(tenant))
                    .filter(vendors::id.eq(id))
                    .filter(vendors::status.eq(WAITING))
                    .select(Waiting::as_select())
                    .first(c)
                    .await
                    .optional()?,
                None => None,
            };
            let item = match chosen {
                Some(v) => Some(v),
                None => waiting(c, tenant, None, true).await?,
            };
            let view = match &item {
                Some(v) => Some(item_view(c, ctx, tenant, v).await?),
                None => None,
            };
            let count = stats::capped_count(c, stats::VENDORS_WAITING, tenant, 1000).await?;
            Ok::<_, diesel::result::Error>((view, count))
        })
        .await
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<QueueParams>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::VENDORS_VERIFY).await?;
    let (item, count) = load(&state, &ctx, staff.tenant, q.item()?).await?;
    queue::show(ctx, &VENDORS, &q.done, item, count)
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::VENDORS_VERIFY).await?;
    let tenant = staff.tenant;
    let seen = queue::parse_micros(&form.seen).ok_or(AppError::BadRequest("error-bad-request"))?;
    let (to, done) = match form.decision.as_str() {
        "approve" => ("VERIFIED", "approved"),
        "reject" => ("SUSPENDED", "rejected"),
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    let reason = form.reason.trim().to_owned();
    if to == "SUSPENDED" && (reason.is_empty() || reason.chars().count() > 500) {
        let (item, count) = load(&state, &ctx, tenant, Some(id)).await?;
        let key = if reason.is_empty() { "vendor-reason-required" } else { "moderation-reason-too-long" };
        return queue::reason_refused(ctx, &VENDORS, item, count, key, reason);
    }
    let actor = ctx.actor();
    let (decided, next) = state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            let decided = super::vendors::set_status(c, tenant, id, WAITING, to, &reason).await?;
            let next = waiting(c, tenant, Some((seen, id)), true).await?.map(|v| v.id);
            Ok::<_, diesel::result::Error>((decided, next))
        })
        .await?;
    let done = if decided { done } else { "taken" };
    if !ctx.htmx {
        return Ok(queue::next_page(&ctx, &VENDORS, done, next));
    }
    let (item, count) = load(&state, &ctx, tenant, next).await?;
    queue::decided_fragment(ctx, &VENDORS, done, item, count)
}
