//! Discount codes: the list, creating one, and switching one on or off.

use super::*;
use crate::app::AppState;
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::discounts;
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = discounts, check_for_backend(diesel::pg::Pg))]
pub struct DiscountRow {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub value: Decimal,
    pub min_order_amount: Decimal,
    pub usage_limit: Option<i32>,
    pub usage_count: i32,
    pub max_discount_amount: Option<Decimal>,
    pub usage_limit_per_user: Option<i32>,
    pub expires_at: Option<OffsetDateTime>,
    pub is_active: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct DiscountForm {
    /// Set when editing an existing code.
    #[serde(default)]
    pub(super) id: String,
    #[serde(default)]
    pub(super) code: String,
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) value: String,
    #[serde(default)]
    pub(super) min_order_amount: String,
    #[serde(default)]
    pub(super) max_discount_amount: String,
    #[serde(default)]
    pub(super) usage_limit: String,
    #[serde(default)]
    pub(super) usage_limit_per_user: String,
    #[serde(default)]
    pub(super) expires: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/discounts.html")]
pub struct DiscountsPage {
    pub(super) ctx: Ctx,
    pub(super) rows: Vec<DiscountRow>,
    pub(super) form: DiscountForm,
    pub(super) errors: Vec<(&'static str, String)>,
    pub(super) saved: bool,
}

impl DiscountsPage {
    /// The plain fields of the form: (name, label id, value, input mode).
    fn fields(&self) -> Vec<(&'static str, &'static str, String, &'static str)> {
        let f = &self.form;
        vec![
            ("code", "discount-code", f.code.clone(), ""),
            ("value", "discount-value", f.value.clone(), "decimal"),
            ("min_order_amount", "discount-min-rial", f.min_order_amount.clone(), "numeric"),
            ("max_discount_amount", "discount-max-rial", f.max_discount_amount.clone(), "numeric"),
            ("usage_limit", "discount-usage-limit", f.usage_limit.clone(), "numeric"),
            ("usage_limit_per_user", "discount-per-user", f.usage_limit_per_user.clone(), "numeric"),
        ]
    }

    fn err(&self, f: &str) -> Option<&str> {
        self.errors.iter().find(|(k, _)| *k == f).map(|(_, m)| m.as_str())
    }
    fn editing(&self) -> bool {
        !self.form.id.is_empty()
    }
    fn value(&self, r: &DiscountRow) -> String {
        if r.kind == "PERCENTAGE" {
            self.ctx.t1("discount-percent", "value", self.ctx.digits().apply(&r.value.normalize().to_string()))
        } else {
            self.ctx.money(&r.value)
        }
    }
    fn expires(&self, r: &DiscountRow) -> String {
        r.expires_at.map(|t| self.ctx.date_time(t)).unwrap_or_else(|| self.ctx.t("discount-no-end"))
    }
    fn uses(&self, r: &DiscountRow) -> String {
        match r.usage_limit {
            Some(l) => format!("{} / {}", self.ctx.num(r.usage_count), self.ctx.num(l)),
            None => self.ctx.num(r.usage_count),
        }
    }
}

pub(super) async fn discount_rows(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<DiscountRow>> {
    discounts::table
        .filter(discounts::tenant_id.eq(tenant))
        .order(discounts::created_at.desc())
        .limit(200)
        .select(DiscountRow::as_select())
        .load(conn)
        .await
}

#[derive(serde::Deserialize, Default)]
pub struct DiscountParams {
    #[serde(default)]
    pub(super) edit: String,
}

pub async fn discounts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(s): Query<super::super::Saved>,
    Query(p): Query<DiscountParams>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let rows = state.tx(tenant, async |c| discount_rows(c, tenant).await).await?;
    let form = match p.edit.as_str() {
        "" => DiscountForm { kind: "PERCENTAGE".into(), ..Default::default() },
        id => {
            let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
            let r = rows.iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
            let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
            DiscountForm {
                id: r.id.to_string(),
                code: r.code.clone(),
                kind: r.kind.clone(),
                value: r.value.normalize().to_string(),
                min_order_amount: r.min_order_amount.trunc().to_string(),
                max_discount_amount: r.max_discount_amount.map(|m| m.trunc().to_string()).unwrap_or_default(),
                usage_limit: n(r.usage_limit),
                usage_limit_per_user: n(r.usage_limit_per_user),
                expires: r
                    .expires_at
                    .map(|t| {
                        let d = (t.to_offset(crate::i18n::calendar::TEHRAN) - time::Duration::days(1)).date();
                        format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
                    })
                    .unwrap_or_default(),
            }
        }
    };
    Ok(DiscountsPage { ctx, rows, form, errors: Vec::new(), saved: s.yes() }.into_response())
}

pub async fn create_discount(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<DiscountForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let code = crate::orders::models::normalize_code(&form.code);
    let mut errors: Errors = vec![];
    if !(3..=32).contains(&code.len())
        || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        errors.push(("code", "discount-code-invalid"));
    }
    let value = crate::text::parse_number(&form.value);
    let value_ok = match (form.kind.as_str(), value) {
        ("PERCENTAGE", Some(v)) => v > Decimal::ZERO && v <= Decimal::from(100) && v.scale() <= 2,
        ("FIXED", Some(v)) => v > Decimal::ZERO && v.fract().is_zero(),
        _ => false,
    };
    if !value_ok {
        errors.push(("value", "discount-value-invalid"));
    }
    let min = match form.min_order_amount.trim() {
        "" => Some(Decimal::ZERO),
        s => amount(s),
    };
    if min.is_none() {
        errors.push(("min_order_amount", "shipping-amount-invalid"));
    }
    let max = match form.max_discount_amount.trim() {
        "" => Some(None),
        s => amount(s).filter(|d| *d > Decimal::ZERO).map(Some),
    };
    if max.is_none() {
        errors.push(("max_discount_amount", "shipping-amount-invalid"));
    }
    let limit = |s: &str| match s.trim() {
        "" => Some(None),
        s => crate::text::parse_int(s).filter(|n| *n > 0).map(Some),
    };
    let (usage, per_user) = (limit(&form.usage_limit), limit(&form.usage_limit_per_user));
    if usage.is_none() {
        errors.push(("usage_limit", "discount-limit-invalid"));
    }
    if per_user.is_none() {
        errors.push(("usage_limit_per_user", "discount-limit-invalid"));
    }
    let now = OffsetDateTime::now_utc();
    let expires = match form.expires.trim() {
        "" => Some(None),
        s => time::Date::parse(s, &time::macros::format_description!("[year]-[month]-[day]"))
            .ok()
            .map(|d| (d + time::Duration::days(1)).midnight().assume_offset(crate::i18n::calendar::TEHRAN))
            .filter(|t| *t > now)
            .map(Some),
    };
    if expires.is_none() {
        errors.push(("expires", "discount-expires-invalid"));
    }
    let mut conn = state.db().await?;
    if errors.is_empty() {
        let actor = ctx.actor();
        let editing = match form.id.as_str() {
            "" => None,
            id => Some(id.parse::<Uuid>().map_err(|_| AppError::NotFound)?),
        };
        let saved = tenant_tx(&mut conn, tenant, async |c| {
            set_actor(c, &actor).await?;
            if let Some(id) = editing {
                return diesel::update(
                    discounts::table.filter(discounts::tenant_id.eq(tenant)).filter(discounts::id.eq(id)),
                )
                .set((
                    discounts::code.eq(&code),
                    discounts::kind.eq(&form.kind),
                    discounts::value.eq(value.unwrap_or_default()),
                    discounts::min_order_amount.eq(min.unwrap_or_default()),
                    discounts::max_discount_amount.eq(max.flatten()),
                    discounts::usage_limit.eq(usage.flatten()),
                    discounts::usage_limit_per_user.eq(per_user.flatten()),
                    discounts::expires_at.eq(expires.flatten()),
                ))
                .execute(c)
                .await;
            }
            diesel::insert_into(discounts::table)
                .values((
                    discounts::id.eq(Uuid::now_v7()),
                    discounts::tenant_id.eq(tenant),
                    discounts::code.eq(&code),
                    discounts::kind.eq(&form.kind),
                    discounts::value.eq(value.unwrap_or_default()),
                    discounts::min_order_amount.eq(min.unwrap_or_default()),
                    discounts::max_discount_amount.eq(max.flatten()),
                    discounts::usage_limit.eq(usage.flatten()),
                    discounts::usage_limit_per_user.eq(per_user.flatten()),
                    discounts::starts_at.eq(now),
                    discounts::expires_at.eq(expires.flatten()),
                ))
                .execute(c)
                .await
        })
        .await;
        match saved {
            Ok(0) => return Err(AppError::NotFound),
            Ok(_) => return Ok(super::super::saved_redirect(&ctx, "/admin/discounts")),
            Err(e) if unique_violation(&e) => errors.push(("code", "discount-code-taken")),
            Err(e) => return Err(e.into()),
        }
    }
    let rows = tenant_tx(&mut conn, tenant, async |c| discount_rows(c, tenant).await).await?;
    let errors = errors.iter().map(|(k, v)| (*k, ctx.t(v))).collect();
    Ok((StatusCode::UNPROCESSABLE_ENTITY, DiscountsPage { ctx, rows, form, errors, saved: false }).into_response())
}

#[derive(serde::Deserialize)]
pub struct ToggleForm {
    pub(super) id: Uuid,
    pub(super) active: String,
}

pub async fn toggle_discount(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ToggleForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let actor = ctx.actor();
    let n = state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            diesel::update(discounts::table.filter(discounts::tenant_id.eq(tenant)).filter(discounts::id.eq(form.id)))
                .set(discounts::is_active.eq(form.active == "1"))
                .execute(c)
                .await
        })
        .await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(super::super::saved_redirect(&ctx, "/admin/discounts"))
}
