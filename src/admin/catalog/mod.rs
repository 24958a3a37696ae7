//! Staff editing of the catalogue's frame: the category tree, brands,
//! shipping methods and discount codes (permission `catalog.edit`).

mod brand;
mod discount_codes;
mod shipping;
mod tree;

use crate::app::AppState;
use crate::catalog::models::Brand;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::brands;
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
pub use brand::*;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
pub use discount_codes::*;
use rust_decimal::Decimal;
pub use shipping::*;
pub use tree::*;
use uuid::Uuid;

/// Field → message id.
pub(super) type Errors = Vec<(&'static str, &'static str)>;

pub(super) fn slug_ok(s: &str) -> bool {
    (1..=60).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A whole, non-negative amount of money as typed.
pub(super) fn amount(s: &str) -> Option<Decimal> {
    crate::text::parse_number(s)
        .filter(|d| *d >= Decimal::ZERO && d.fract().is_zero() && *d <= Decimal::from(1_000_000_000_000i64))
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

pub(super) async fn catalog_view(
    state: &AppState,
    ctx: Ctx,
    tenant: Uuid,
    category: CategoryForm,
    brand: BrandForm,
    category_errors: &Errors,
    brand_errors: &Errors,
) -> AppResult<CatalogPage> {
    let (rows, brs) = state
        .tx(tenant, async |c| {
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

pub(super) fn unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}
