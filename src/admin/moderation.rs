//! The product moderation queue: one item at a time, oldest first; approve or
//! reject (with a reason) inline through htmx, the next item slides in. A
//! decision names the version of the item the moderator saw, so when two staff
//! work the queue the second one learns it was already decided.

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

use super::product_decision::{self as pm, Decision};
use super::stats;
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::{categories, products, vendors};
use crate::seller::models::{ManagedProduct, product};
use crate::web::Ctx;
use crate::web::params::IdParam;

/// How far the waiting count is counted before it shows "999+".
const COUNT_CAP: i64 = 1000;

async fn first_waiting(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Option<ManagedProduct>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::review_requested_at.is_not_null())
        .order((products::review_requested_at.asc(), products::id.asc()))
        .select(ManagedProduct::as_select())
        .first(conn)
        .await
        .optional()
}

/// The waiting item after (or before) `(at, id)` in queue order.
async fn neighbour(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    at: OffsetDateTime,
    id: Uuid,
    forward: bool,
) -> QueryResult<Option<ManagedProduct>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Timestamptz, Uuid as SqlUuid};
    let cmp = if forward { ">" } else { "<" };
    let q = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::review_requested_at.is_not_null())
        .filter(
            sql::<Bool>(&format!("(products.review_requested_at, products.id) {cmp} ("))
                .bind::<Timestamptz, _>(at)
                .sql(", ")
                .bind::<SqlUuid, _>(id)
                .sql(")"),
        )
        .select(ManagedProduct::as_select())
        .into_boxed();
    let q = if forward {
        q.order((products::review_requested_at.asc(), products::id.asc()))
    } else {
        q.order((products::review_requested_at.desc(), products::id.desc()))
    };
    q.first(conn).await.optional()
}

/// A field of the item: its value now, and the one waiting for approval.
pub struct FieldView {
    pub label: String,
    pub live: String,
    pub proposed: Option<String>,
    pub dir: &'static str,
}

/// One item of a queue as the page shows it, whatever the queue.
pub struct ItemView {
    pub id: Uuid,
    /// The version the moderator saw, posted back with the decision.
    pub seen: String,
    pub title: String,
    pub badge: String,
    /// Short facts under the title (each isolated, so an SKU stays LTR in RTL).
    pub meta: Vec<String>,
    pub image: Option<String>,
    pub fields: Vec<FieldView>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// What differs between queues: where they live and what their buttons say.
pub struct QueueKind {
    pub base: &'static str,
    pub title: &'static str,
    pub keys: &'static str,
    pub approve: &'static str,
    pub reject: &'static str,
    pub reason: &'static str,
    pub empty: &'static str,
    pub approved: &'static str,
    pub rejected: &'static str,
}

impl QueueKind {
    /// The notice for what happened to the previous item (`done` in the URL).
    pub fn notice(&self, done: &str) -> Option<&'static str> {
        match done {
            "approved" => Some(self.approved),
            "rejected" => Some(self.rejected),
            "taken" => Some("moderation-already-decided"),
            _ => None,
        }
    }
}

pub const PRODUCTS: QueueKind = QueueKind {
    base: "/admin/moderation/products",
    title: "moderation-title",
    keys: "moderation-keys",
    approve: "moderation-approve",
    reject: "moderation-reject",
    reason: "moderation-reason",
    empty: "moderation-empty",
    approved: "moderation-approved",
    rejected: "moderation-rejected",
};

pub(super) fn micros(at: OffsetDateTime) -> String {
    (at.unix_timestamp_nanos() / 1000).to_string()
}

pub(super) fn parse_micros(s: &str) -> Option<OffsetDateTime> {
    let m: i128 = s.trim().parse().ok()?;
    OffsetDateTime::from_unix_timestamp_nanos(m.checked_mul(1000)?).ok()
}

async fn item_view(conn: &mut AsyncPgConnection, ctx: &Ctx, tenant: Uuid, p: &ManagedProduct) -> QueryResult<ItemView> {
    let at = p.review_requested_at.unwrap_or(p.created_at);
    let vendor: (Option<String>, Option<String>, Option<String>) = vendors::table
        .filter(vendors::tenant_id.eq(tenant))
        .filter(vendors::id.eq(p.vendor_id))
        .select((vendors::name, vendors::name_fa, vendors::name_ar))
        .first(conn)
        .await?;
    let category: (Option<String>, Option<String>, Option<String>) = categories::table
        .filter(categories::tenant_id.eq(tenant))
        .filter(categories::id.eq(p.category_id))
        .select((categories::name, categories::name_fa, categories::name_ar))
        .first(conn)
        .await?;
    let prev = neighbour(conn, tenant, at, p.id, false).await?;
    let next = neighbour(conn, tenant, at, p.id, true).await?;
    let pending = p.pending_changes.clone().unwrap_or_default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let proposed_text = |k: &str| pending.get(k).map(|v| v.as_str().unwrap_or_default().to_owned());
    let proposed_money = |k: &str| {
        pending.get(k).map(|v| {
            v.as_str().and_then(|s| s.parse::<rust_decimal::Decimal>().ok()).map(|d| ctx.money(&d)).unwrap_or_default()
        })
    };
    let field = |key: &str, live: String, proposed: Option<String>, dir: &'static str| FieldView {
        label: ctx.t(key),
        live,
        proposed,
        dir,
    };
    let fields = vec![
        field("product-field-name-fa", text(&p.name_fa), proposed_text("name_fa"), "rtl"),
        field("product-field-name-ar", text(&p.name_ar), proposed_text("name_ar"), "rtl"),
        field("product-field-name", text(&p.name), proposed_text("name"), "ltr"),
        field("product-field-price", ctx.money(&p.price), proposed_money("price"), "auto"),
        field(
            "product-field-compare-price",
            p.compare_price.map(|c| ctx.money(&c)).unwrap_or_default(),
            proposed_money("compare_price"),
            "auto",
        ),
        field("product-field-description-fa", text(&p.description_fa), proposed_text("description_fa"), "rtl"),
        field("product-field-description-ar", text(&p.description_ar), proposed_text("description_ar"), "rtl"),
        field("product-field-description", text(&p.description), proposed_text("description"), "ltr"),
        field("product-field-stock", ctx.num(p.stock), None, "auto"),
    ];
    let base = ctx.href(PRODUCTS.base);
    Ok(ItemView {
        id: p.id,
        seen: micros(at),
        title: ctx.lang.pick(p.name.as_deref(), p.name_fa.as_deref(), p.name_ar.as_deref()).to_owned(),
        badge: ctx.t(if p.is_live() { "moderation-kind-change" } else { "moderation-kind-new" }),
        meta: vec![
            p.sku.clone(),
            ctx.lang.pick(vendor.0.as_deref(), vendor.1.as_deref(), vendor.2.as_deref()).to_owned(),
            ctx.lang.pick(category.0.as_deref(), category.1.as_deref(), category.2.as_deref()).to_owned(),
            ctx.date_time(at),
        ],
        image: Some(
            crate::catalog::models::first_image(&p.images).unwrap_or(crate::catalog::PLACEHOLDER_IMAGE).to_owned(),
        ),
        fields,
        prev: prev.map(|x| format!("{base}?at={}", x.id)),
        next: next.map(|x| format!("{base}?at={}", x.id)),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/moderation.html", blocks = ["queue"])]
pub struct QueuePage {
    pub ctx: Ctx,
    pub kind: &'static QueueKind,
    pub item: Option<ItemView>,
    pub count: String,
    /// What happened to the previous item (shown above the next one).
    pub notice: Option<String>,
    pub notice_ok: bool,
    pub reason_error: Option<String>,
    pub reason: String,
}

pub(super) fn count_label(ctx: &Ctx, n: i64) -> String {
    if n >= COUNT_CAP { format!("{}+", ctx.num(COUNT_CAP - 1)) } else { ctx.num(n) }
}

#[derive(serde::Deserialize, Default)]
pub struct QueueParams {
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub done: String,
}

/// The queue at `at` (an item id), or at its head.
async fn load(state: &AppState, ctx: &Ctx, tenant: Uuid, at: Option<Uuid>) -> AppResult<(Option<ItemView>, i64)> {
    state
        .tx(tenant, async |c| {
            let chosen = match at {
                Some(id) => product(c, tenant, id).await?.filter(|p| p.review_requested_at.is_some()),
                None => None,
            };
            let item = match chosen {
                Some(p) => Some(p),
                None => first_waiting(c, tenant).await?,
            };
            let view = match &item {
                Some(p) => Some(item_view(c, ctx, tenant, p).await?),
                None => None,
            };
            let count = stats::capped_count(c, stats::PRODUCTS_WAITING, tenant, COUNT_CAP).await?;
            Ok::<_, diesel::result::Error>((view, count))
        })
        .await
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<QueueParams>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::PRODUCTS_MODERATE).await?;
    let (item, count) = load(&state, &ctx, staff.tenant, q.item()?).await?;
    show(ctx, &PRODUCTS, &q.done, item, count)
}

impl QueueParams {
    /// The item asked for with `?at=`, if any.
    pub fn item(&self) -> AppResult<Option<Uuid>> {
        match self.at.as_str() {
            "" => Ok(None),
            s => s.parse().map(Some).map_err(|_| AppError::BadRequest("error-bad-request")),
        }
    }
}

/// The queue page (or, for htmx, its queue block) at one item.
pub(super) fn show(
    ctx: Ctx,
    kind: &'static QueueKind,
    done: &str,
    item: Option<ItemView>,
    count: i64,
) -> AppResult<Response> {
    let page = queue_page(ctx, kind, done, item, count);
    if page.ctx.htmx {
        return fragment(StatusCode::OK, &page);
    }
    Ok(page.into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub seen: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::PRODUCTS_MODERATE).await?;
    let tenant = staff.tenant;
    let seen = parse_micros(&form.seen).ok_or(AppError::BadRequest("error-bad-request"))?;
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    let reason = form.reason.trim().to_owned();
    if decision == Decision::Reject && (reason.is_empty() || reason.chars().count() > 500) {
        // Back to the same item with the message beside the reason field.
        let (item, count) = load(&state, &ctx, tenant, Some(id)).await?;
        let key = if reason.is_empty() { "moderation-reason-required" } else { "moderation-reason-too-long" };
        return reason_refused(ctx, &PRODUCTS, item, count, key, reason);
    }
    let actor = ctx.actor();
    let moderator = staff.user.id;
    let (decided, next) = state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            let reason = (!reason.is_empty()).then_some(reason.as_str());
            let decided = pm::decide(c, tenant, id, seen, moderator, decision, reason).await?.is_some();
            let next = neighbour(c, tenant, seen, id, true).await?.map(|p| p.id);
            Ok::<_, diesel::result::Error>((decided, next))
        })
        .await?;
    state.catalog.product_changed();
    let done = match (decided, decision) {
        (false, _) => "taken",
        (true, Decision::Approve) => "approved",
        (true, Decision::Reject) => "rejected",
    };
    if !ctx.htmx {
        return Ok(next_page(&ctx, &PRODUCTS, done, next));
    }
    let (item, count) = load(&state, &ctx, tenant, next).await?;
    decided_fragment(ctx, &PRODUCTS, done, item, count)
}

/// A rejection without a usable reason: the same item again, the message
/// beside the reason field.
pub(super) fn reason_refused(
    ctx: Ctx,
    kind: &'static QueueKind,
    item: Option<ItemView>,
    count: i64,
    key: &str,
    reason: String,
) -> AppResult<Response> {
    let page = QueuePage {
        kind,
        count: count_label(&ctx, count),
        notice: None,
        notice_ok: true,
        item,
        reason_error: Some(ctx.t(key)),
        reason,
        ctx,
    };
    if page.ctx.htmx {
        return fragment(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Without JavaScript: back to the queue at the next item, saying what happened.
pub(super) fn next_page(ctx: &Ctx, kind: &QueueKind, done: &str, next: Option<Uuid>) -> Response {
    let at = next.map(|n| format!("&at={n}")).unwrap_or_default();
    Redirect::to(&format!("{}?done={done}{at}", ctx.href(kind.base))).into_response()
}

/// With htmx: the next item slides in under the notice; 409 when someone
/// else had already decided.
pub(super) fn decided_fragment(
    ctx: Ctx,
    kind: &'static QueueKind,
    done: &str,
    item: Option<ItemView>,
    count: i64,
) -> AppResult<Response> {
    let status = if done == "taken" { StatusCode::CONFLICT } else { StatusCode::OK };
    fragment(status, &queue_page(ctx, kind, done, item, count))
}

fn queue_page(ctx: Ctx, kind: &'static QueueKind, done: &str, item: Option<ItemView>, count: i64) -> QueuePage {
    QueuePage {
        kind,
        count: count_label(&ctx, count),
        notice: kind.notice(done).map(|k| ctx.t(k)),
        notice_ok: done != "taken",
        item,
        reason_error: None,
        reason: String::new(),
        ctx,
    }
}

/// The queue block alone, for htmx to swap in.
pub(super) fn fragment(status: StatusCode, page: &QueuePage) -> AppResult<Response> {
    crate::web::fragment(status, page.as_queue())
}
