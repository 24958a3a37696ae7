//! A vendor's part of paid orders: what to send where, and marking it shipped
//! with a tracking number. When every vendor of an order has shipped, the
//! order itself moves to SHIPPED (the lifecycle and its history in
//! `orders::models`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use super::current::seller;
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::orders::models::{self as om, status};
use crate::schema::{order_fulfillments as f, order_items as oi, orders as o};
use crate::web::Ctx;
use crate::web::params::IdParam;

/// Order statuses in which a vendor's part may still be sent.
const SENDABLE: [&str; 2] = [status::PAID, status::PROCESSING];

#[derive(Queryable, Debug)]
pub struct PartRow {
    pub id: Uuid,
    pub status: String,
    pub tracking_number: Option<String>,
    pub subtotal: Decimal,
    pub order_number: String,
    pub order_status: String,
    pub shipping_address: serde_json::Value,
    pub paid_at: Option<OffsetDateTime>,
}

/// The vendor's parts of paid orders: waiting ones (oldest first), or sent ones (newest first).
pub async fn parts(conn: &mut AsyncPgConnection, tenant: Uuid, vendor: Uuid, sent: bool) -> QueryResult<Vec<PartRow>> {
    let q = f::table
        .inner_join(o::table.on(o::id.eq(f::order_id)))
        .filter(f::tenant_id.eq(tenant))
        .filter(f::vendor_id.eq(vendor))
        .filter(o::tenant_id.eq(tenant))
        .select((
            f::id,
            f::status,
            f::tracking_number,
            f::subtotal,
            o::order_number,
            o::status,
            o::shipping_address,
            o::paid_at,
        ))
        .limit(100)
        .into_boxed();
    if sent {
        q.filter(f::status.eq_any(["SHIPPED", "DELIVERED"])).order(o::paid_at.desc()).load(conn).await
    } else {
        q.filter(f::status.eq_any(["PENDING", "PROCESSING"]))
            .filter(o::status.eq_any(SENDABLE))
            .order(o::paid_at.asc())
            .load(conn)
            .await
    }
}

/// A line of a vendor's part: (part, name, name_fa, name_ar, sku, quantity).
type LineRow = (Uuid, Option<String>, Option<String>, Option<String>, String, i32);

/// The lines of all these parts in one query.
async fn lines(conn: &mut AsyncPgConnection, tenant: Uuid, parts: &[Uuid]) -> QueryResult<Vec<LineRow>> {
    oi::table
        .filter(oi::tenant_id.eq(tenant))
        .filter(oi::fulfillment_id.eq_any(parts))
        .select((oi::fulfillment_id, oi::name, oi::name_fa, oi::name_ar, oi::sku, oi::quantity))
        .load(conn)
        .await
}

pub struct PartView {
    pub id: Uuid,
    pub number: String,
    pub paid: String,
    pub status: String,
    pub tracking: String,
    pub subtotal: String,
    pub ship_to: Vec<String>,
    pub lines: Vec<(String, String, String)>,
    pub sendable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "seller/orders.html")]
pub struct OrdersPage {
    ctx: Ctx,
    parts: Vec<PartView>,
    sent: bool,
    notice: Option<String>,
    error: Option<(Uuid, String)>,
}

impl OrdersPage {
    fn error_for(&self, id: &Uuid) -> Option<&str> {
        self.error.as_ref().filter(|(p, _)| p == id).map(|(_, m)| m.as_str())
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    show: String,
    #[serde(default)]
    done: String,
}

async fn view(state: &AppState, ctx: Ctx, vendor: Uuid, sent: bool) -> AppResult<OrdersPage> {
    let tenant = ctx.tenant.id;
    let rows = state
        .tx(tenant, async |c| {
            let parts = parts(c, tenant, vendor, sent).await?;
            let ids: Vec<Uuid> = parts.iter().map(|p| p.id).collect();
            let all = lines(c, tenant, &ids).await?;
            let out = parts
                .into_iter()
                .map(|p| {
                    let l: Vec<LineRow> = all.iter().filter(|l| l.0 == p.id).cloned().collect();
                    (p, l)
                })
                .collect::<Vec<_>>();
            Ok::<_, diesel::result::Error>(out)
        })
        .await?;
    let parts = rows
        .into_iter()
        .map(|(p, l)| {
            let a: crate::orders::address::Address =
                serde_json::from_value(p.shipping_address.clone()).unwrap_or_default();
            let province = crate::orders::address::province_name(&a.province, ctx.lang).unwrap_or_default();
            PartView {
                id: p.id,
                number: crate::orders::pages::ltr(&p.order_number),
                paid: p.paid_at.map(|t| ctx.date_time(t)).unwrap_or_default(),
                status: ctx.t(&format!("part-status-{}", p.status.to_ascii_lowercase())),
                tracking: p.tracking_number.clone().unwrap_or_default(),
                subtotal: ctx.money(&p.subtotal),
                ship_to: vec![
                    a.full_name.clone(),
                    format!("{province}، {}", a.city),
                    a.street.clone(),
                    ctx.digits().apply(&a.postal_code),
                    a.mobile_display(),
                ],
                lines: l
                    .into_iter()
                    .map(|(_, n, fa, ar, sku, q)| {
                        (ctx.lang.pick(n.as_deref(), fa.as_deref(), ar.as_deref()).to_owned(), sku, ctx.num(q))
                    })
                    .collect(),
                sendable: matches!(p.status.as_str(), "PENDING" | "PROCESSING")
                    && SENDABLE.contains(&p.order_status.as_str()),
            }
        })
        .collect();
    Ok(OrdersPage { ctx, parts, sent, notice: None, error: None })
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(p): Query<Params>) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let mut page = view(&state, ctx, s.vendor, p.show == "sent").await?;
    if p.done == "shipped" {
        page.notice = Some(page.ctx.t("part-shipped"));
    }
    Ok(page.into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct ShipForm {
    #[serde(default)]
    tracking: String,
}

/// A tracking number as carriers print them: 6 to 40 Latin letters, digits or dashes.
fn tracking(raw: &str) -> Option<String> {
    let t: String = crate::text::ascii_digits(raw).chars().filter(|c| !c.is_whitespace()).collect();
    let ok = (6..=40).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then(|| t.to_ascii_uppercase())
}

pub async fn ship(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<ShipForm>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let tenant = ctx.tenant.id;
    let Some(number) = tracking(&form.tracking) else {
        let mut page = view(&state, ctx, s.vendor, false).await?;
        if !page.parts.iter().any(|p| p.id == id) {
            return Err(AppError::NotFound);
        }
        page.error = Some((id, page.ctx.t("part-tracking-invalid")));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let actor = ctx.actor();
    let user = s.user.id;
    state
        .tx(tenant, async |c| {
            let part: Option<(Uuid, String)> = f::table
                .filter(f::tenant_id.eq(tenant))
                .filter(f::vendor_id.eq(s.vendor))
                .filter(f::id.eq(id))
                .select((f::order_id, f::status))
                .for_update()
                .first(c)
                .await
                .optional()?;
            let (order_id, part_status) = part.ok_or(AppError::NotFound)?;
            let order = om::by_id_for_update(c, tenant, order_id).await?.ok_or(AppError::NotFound)?;
            if !matches!(part_status.as_str(), "PENDING" | "PROCESSING") || !SENDABLE.contains(&order.status.as_str()) {
                return Err(AppError::Conflict("part-not-sendable"));
            }
            set_actor(c, &actor).await?;
            diesel::update(f::table.filter(f::tenant_id.eq(tenant)).filter(f::id.eq(id)))
                .set((f::status.eq("SHIPPED"), f::tracking_number.eq(&number), f::updated_at.eq(diesel::dsl::now)))
                .execute(c)
                .await?;
            let note = format!("tracking {number}");
            if order.status == status::PAID {
                om::transition(c, tenant, order_id, status::PAID, status::PROCESSING, Some(user), Some(&note)).await?;
            }
            let waiting: i64 = f::table
                .filter(f::tenant_id.eq(tenant))
                .filter(f::order_id.eq(order_id))
                .filter(f::status.eq_any(["PENDING", "PROCESSING"]))
                .count()
                .get_result(c)
                .await?;
            if waiting == 0 {
                om::transition(c, tenant, order_id, status::PROCESSING, status::SHIPPED, Some(user), Some(&note))
                    .await?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(Redirect::to(&ctx.href("/vendor/orders?done=shipped")).into_response())
}
