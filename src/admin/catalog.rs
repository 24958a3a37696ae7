//! Staff editing of the catalogue's frame: the category tree, brands,
//! shipping methods and discount codes (permission `catalog.edit`).

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

use crate::app::AppState;
use crate::catalog::models::Brand;
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::orders::models::ShippingMethod;
use crate::rbac;
use crate::schema::{brands, categories, discounts, shipping_methods};
use crate::web::Ctx;

/// Field → message id.
type Errors = Vec<(&'static str, &'static str)>;

fn slug_ok(s: &str) -> bool {
    (1..=60).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn amount(s: &str) -> Option<Decimal> {
    let clean: String = crate::text::ascii_digits(s).chars().filter(|c| !matches!(c, ',' | '٬' | ' ')).collect();
    clean
        .parse::<Decimal>()
        .ok()
        .filter(|d| *d >= Decimal::ZERO && d.fract().is_zero() && *d <= Decimal::from(1_000_000_000_000i64))
}

fn int(s: &str) -> Option<i32> {
    crate::text::ascii_digits(s.trim()).parse().ok()
}

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

async fn all_categories(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .filter(categories::tenant_id.eq(tenant))
        .order((categories::sort_order, categories::slug))
        .select(CategoryRow::as_select())
        .load(conn)
        .await
}

/// The tree in reading order: (depth, row).
fn tree(rows: &[CategoryRow]) -> Vec<(usize, CategoryRow)> {
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
fn subtree(rows: &[CategoryRow], id: Uuid) -> Vec<Uuid> {
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
    id: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    name_fa: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    sort_order: String,
    #[serde(default)]
    is_active: Option<String>,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct BrandForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name_fa: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    name_en: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/catalog.html")]
pub struct CatalogPage {
    ctx: Ctx,
    tree: Vec<(usize, CategoryRow)>,
    brands: Vec<Brand>,
    category: CategoryForm,
    brand: BrandForm,
    category_errors: Vec<(&'static str, String)>,
    brand_errors: Vec<(&'static str, String)>,
    saved: bool,
}

impl CatalogPage {
    fn cat_err(&self, f: &str) -> Option<&str> {
        self.category_errors.iter().find(|(k, _)| *k == f).map(|(_, m)| m.as_str())
    }
    fn brand_err(&self, f: &str) -> Option<&str> {
        self.brand_errors.iter().find(|(k, _)| *k == f).map(|(_, m)| m.as_str())
    }
    fn name(&self, c: &CategoryRow) -> String {
        self.ctx.lang.pick(c.name.as_deref(), c.name_fa.as_deref(), c.name_ar.as_deref()).to_owned()
    }
    fn brand_name(&self, b: &Brand) -> String {
        b.name(self.ctx.lang).to_owned()
    }
    fn indent(&self, depth: &usize) -> String {
        "— ".repeat(*depth)
    }
    fn editing_category(&self) -> bool {
        !self.category.id.is_empty()
    }
    fn editing_brand(&self) -> bool {
        !self.brand.id.is_empty()
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CatalogParams {
    #[serde(default)]
    category: String,
    #[serde(default)]
    brand: String,
    #[serde(default)]
    saved: String,
}

async fn catalog_view(
    state: &AppState,
    ctx: Ctx,
    tenant: Uuid,
    category: CategoryForm,
    brand: BrandForm,
    category_errors: &Errors,
    brand_errors: &Errors,
) -> AppResult<CatalogPage> {
    let mut conn = state.db().await?;
    let (rows, brs) = tenant_tx(&mut conn, tenant, async |c| {
        let rows = all_categories(c, tenant).await?;
        let brs = brands::table
            .filter(brands::tenant_id.eq(tenant))
            .order(brands::slug)
            .select(Brand::as_select())
            .load(c)
            .await?;
        Ok::<_, diesel::result::Error>((rows, brs))
    })
    .await?;
    let t = |e: &Errors| e.iter().map(|(k, v)| (*k, ctx.t(v))).collect();
    Ok(CatalogPage {
        category_errors: t(category_errors),
        brand_errors: t(brand_errors),
        tree: tree(&rows),
        brands: brs,
        category,
        brand,
        saved: false,
        ctx,
    })
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(p): Query<CatalogParams>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let mut page = catalog_view(&state, ctx, tenant, Default::default(), Default::default(), &vec![], &vec![]).await?;
    if let Ok(id) = p.category.parse::<Uuid>() {
        let c = page.tree.iter().find(|(_, c)| c.id == id).map(|(_, c)| c.clone()).ok_or(AppError::NotFound)?;
        page.category = CategoryForm {
            id: c.id.to_string(),
            slug: c.slug,
            parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            name_fa: c.name_fa.unwrap_or_default(),
            name_ar: c.name_ar.unwrap_or_default(),
            name_en: c.name.unwrap_or_default(),
            sort_order: c.sort_order.to_string(),
            is_active: c.is_active.then(|| "on".into()),
        };
    } else {
        page.category.is_active = Some("on".into());
        page.category.sort_order = "0".into();
    }
    if let Ok(id) = p.brand.parse::<Uuid>() {
        let b = page.brands.iter().find(|b| b.id == id).cloned().ok_or(AppError::NotFound)?;
        page.brand = BrandForm {
            id: b.id.to_string(),
            slug: b.slug,
            name_fa: b.name_fa.unwrap_or_default(),
            name_ar: b.name_ar.unwrap_or_default(),
            name_en: b.name.unwrap_or_default(),
        };
    }
    page.saved = p.saved == "1";
    Ok(page.into_response())
}

fn unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
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
    let sort = int(&form.sort_order).unwrap_or(0);
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
                categories::name_ar.eq(opt(&form.name_ar)),
                categories::name.eq(opt(&form.name_en)),
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
                return Ok(super::saved_redirect(&ctx, "/admin/catalog"));
            }
            Err(e) if unique_violation(&e) => errors.push(("slug", "catalog-slug-taken")),
            Err(e) => return Err(e.into()),
        }
    }
    let page = catalog_view(&state, ctx, tenant, form, Default::default(), &errors, &vec![]).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
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
                brands::name_fa.eq(opt(&form.name_fa)),
                brands::name_ar.eq(opt(&form.name_ar)),
                brands::name.eq(opt(&form.name_en)),
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
                return Ok(super::saved_redirect(&ctx, "/admin/catalog"));
            }
            Err(e) if unique_violation(&e) => errors.push(("slug", "catalog-slug-taken")),
            Err(e) => return Err(e.into()),
        }
    }
    let page = catalog_view(&state, ctx, tenant, Default::default(), form, &vec![], &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/shipping.html")]
pub struct ShippingPage {
    ctx: Ctx,
    rows: Vec<ShippingMethod>,
    error: Option<(Uuid, String)>,
    saved: bool,
}

impl ShippingPage {
    fn name(&self, r: &ShippingMethod) -> String {
        r.name(self.ctx.lang).to_owned()
    }
    fn error_for(&self, id: &Uuid) -> Option<&str> {
        self.error.as_ref().filter(|(i, _)| i == id).map(|(_, m)| m.as_str())
    }
}

async fn shipping_rows(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<ShippingMethod>> {
    shipping_methods::table
        .filter(shipping_methods::tenant_id.eq(tenant))
        .order((shipping_methods::sort_order, shipping_methods::code))
        .select(ShippingMethod::as_select())
        .load(conn)
        .await
}

pub async fn shipping(State(state): State<AppState>, ctx: Ctx, Query(s): Query<super::Saved>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let mut conn = state.db().await?;
    let rows = tenant_tx(&mut conn, tenant, async |c| shipping_rows(c, tenant).await).await?;
    Ok(ShippingPage { ctx, rows, error: None, saved: s.yes() }.into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct ShippingForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    base_cost: String,
    #[serde(default)]
    free_over: String,
    #[serde(default)]
    min_days: String,
    #[serde(default)]
    max_days: String,
    #[serde(default)]
    is_active: Option<String>,
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
    let (min, max) = (int(&form.min_days), int(&form.max_days));
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
    Ok(super::saved_redirect(&ctx, "/admin/shipping"))
}

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
    id: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    min_order_amount: String,
    #[serde(default)]
    max_discount_amount: String,
    #[serde(default)]
    usage_limit: String,
    #[serde(default)]
    usage_limit_per_user: String,
    #[serde(default)]
    expires: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/discounts.html")]
pub struct DiscountsPage {
    ctx: Ctx,
    rows: Vec<DiscountRow>,
    form: DiscountForm,
    errors: Vec<(&'static str, String)>,
    saved: bool,
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

async fn discount_rows(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<DiscountRow>> {
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
    edit: String,
}

pub async fn discounts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(s): Query<super::Saved>,
    Query(p): Query<DiscountParams>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let mut conn = state.db().await?;
    let rows = tenant_tx(&mut conn, tenant, async |c| discount_rows(c, tenant).await).await?;
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
    let value = crate::text::ascii_digits(form.value.trim()).parse::<Decimal>().ok();
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
        s => int(s).filter(|n| *n > 0).map(Some),
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
            Ok(_) => return Ok(super::saved_redirect(&ctx, "/admin/discounts")),
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
    id: Uuid,
    active: String,
}

pub async fn toggle_discount(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ToggleForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::CATALOG_EDIT).await?;
    let tenant = staff.tenant;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    let n = tenant_tx(&mut conn, tenant, async |c| {
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
    Ok(super::saved_redirect(&ctx, "/admin/discounts"))
}
