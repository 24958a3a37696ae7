use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use rust_decimal::Decimal;

use crate::web::pagination::{Cursor, Sort};
use uuid::Uuid;

use super::models::{self, Category, ListFilter, ProductCard};
use super::{CardView, Link, ancestry};
use crate::app::AppState;
use crate::db::{Plans, tenant_read};
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use crate::web::params::Slug;

pub const PAGE_SIZE: i64 = 24;

#[derive(Template, WebTemplate)]
#[template(path = "catalog/category.html")]
pub struct CategoryPage {
    ctx: Ctx,
    name: String,
    description: String,
    breadcrumbs: Vec<Link>,
    children: Vec<Link>,
    products: Vec<CardView>,
    brands: Vec<BrandOption>,
    params: Params,
    next_href: Option<String>,
    first_href: Option<String>,
}

pub struct BrandOption {
    slug: String,
    name: String,
    checked: bool,
}

/// The listing's query string, parsed leniently: a malformed price or sort is
/// ignored (the page still shows), a malformed cursor is refused with a 400.
#[derive(Default, Clone)]
pub struct Params {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub brands: Vec<String>,
    pub in_stock: bool,
    pub sort: Sort,
    pub after: Option<String>,
}

impl Params {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> = raw.and_then(|q| serde_urlencoded::from_str(q).ok()).unwrap_or_default();
        let mut p = Params::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "min" => p.min = parse_amount(v),
                "max" => p.max = parse_amount(v),
                "brand" if !v.is_empty() && v.len() <= 100 && p.brands.len() < 50 => p.brands.push(v.to_owned()),
                "stock" => p.in_stock = v == "1" || v == "on",
                "sort" => p.sort = Sort::from_param(v).unwrap_or_default(),
                "after" if !v.is_empty() => p.after = Some(v.to_owned()),
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (p.min, p.max)
            && min > max
        {
            (p.min, p.max) = (Some(max), Some(min));
        }
        p
    }

    /// The query string for these filters (no cursor), then `extra`.
    fn query(&self, extra: Option<(&str, &str)>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(m) = self.min {
            pairs.push(("min", m.to_string()));
        }
        if let Some(m) = self.max {
            pairs.push(("max", m.to_string()));
        }
        for b in &self.brands {
            pairs.push(("brand", b.clone()));
        }
        if self.in_stock {
            pairs.push(("stock", "1".into()));
        }
        if self.sort != Sort::Newest {
            pairs.push(("sort", self.sort.param().into()));
        }
        if let Some((k, v)) = extra {
            pairs.push((k, v.to_owned()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn min_text(&self) -> String {
        self.min.map(|m| m.to_string()).unwrap_or_default()
    }

    fn max_text(&self) -> String {
        self.max.map(|m| m.to_string()).unwrap_or_default()
    }

    fn sorts(&self) -> [(&'static str, &'static str, bool); 3] {
        Sort::ALL.map(|s| {
            let key = match s {
                Sort::Newest => "sort-newest",
                Sort::PriceAsc => "sort-price-asc",
                Sort::PriceDesc => "sort-price-desc",
            };
            (s.param(), key, s == self.sort)
        })
    }
}

/// A non-negative amount as typed, with Persian or Arabic digits and separators allowed.
fn parse_amount(v: &str) -> Option<Decimal> {
    crate::text::parse_number(v).filter(|d| *d >= Decimal::ZERO && *d < Decimal::from(10u64.pow(15)))
}

pub async fn category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(Slug { slug }): Path<Slug>,
    RawQuery(raw): RawQuery,
) -> AppResult<CategoryPage> {
    let params = Params::parse(raw.as_deref());
    let after = match &params.after {
        Some(s) => Some(Cursor::decode(s, params.sort).ok_or(AppError::BadRequest("error-bad-cursor"))?),
        None => None,
    };
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let all = state.catalog.categories(&mut conn, tenant).await?;
    let cat = all.iter().find(|c| c.slug == slug).ok_or(AppError::NotFound)?;
    let ids = descendants(&all, cat.id);
    let brands = state.catalog.brands_in(&mut conn, tenant, cat.id, &ids).await?;
    let mut brand_ids: Vec<Uuid> = brands.iter().filter(|b| params.brands.contains(&b.slug)).map(|b| b.id).collect();
    if !params.brands.is_empty() && brand_ids.is_empty() {
        brand_ids.push(Uuid::nil()); // only brands absent here were asked for: nothing matches
    }
    // Typed prices are in the unit the page shows (Toman or Rial); stored ones are in Rial.
    let unit = ctx.money_style().unit_in_base();
    let filter = ListFilter {
        category_ids: ids,
        price_min: params.min.map(|m| m * unit),
        price_max: params.max.map(|m| m * unit),
        brand_ids,
        in_stock: params.in_stock,
        sort: params.sort,
    };
    // A generic plan cannot tell a brand with a handful of products here from one
    // with thousands, and would read the category until it finds 25 of the rare
    // one; with brands chosen, PostgreSQL plans the listing for the brands asked.
    let plans = if filter.brand_ids.is_empty() { Plans::Generic } else { Plans::Chosen };
    let (rows, more) = tenant_read(&mut conn, tenant, plans, async |c| {
        models::list(c, tenant, &filter, after.as_ref(), PAGE_SIZE).await
    })
    .await?;

    let base = ctx.href(&format!("/c/{slug}"));
    let next_href = more
        .then(|| rows.last().and_then(|last| cursor_after(params.sort, last)))
        .flatten()
        .map(|c| format!("{base}?{}", params.query(Some(("after", &c.encode())))));
    let first_href = params.after.as_ref().map(|_| {
        let q = params.query(None);
        if q.is_empty() { base.clone() } else { format!("{base}?{q}") }
    });
    Ok(CategoryPage {
        name: cat.name(ctx.lang).to_owned(),
        description: cat.description(ctx.lang).to_owned(),
        breadcrumbs: ancestry(&all, cat.id).into_iter().map(|c| Link::category(&ctx, c)).collect(),
        children: all.iter().filter(|c| c.parent_id == Some(cat.id)).map(|c| Link::category(&ctx, c)).collect(),
        products: CardView::list(&ctx, &rows),
        brands: brands
            .iter()
            .map(|b| BrandOption {
                slug: b.slug.clone(),
                name: b.name(ctx.lang).to_owned(),
                checked: params.brands.contains(&b.slug),
            })
            .collect(),
        params,
        next_href,
        first_href,
        ctx,
    })
}

/// The category and everything under it, breadth-first (the tree is small and in memory).
fn descendants(all: &[Category], root: Uuid) -> Vec<Uuid> {
    let mut ids = vec![root];
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i];
        let children: Vec<Uuid> =
            all.iter().filter(|c| c.parent_id == Some(parent) && !ids.contains(&c.id)).map(|c| c.id).collect();
        ids.extend(children);
        i += 1;
    }
    ids
}

fn cursor_after(sort: Sort, last: &ProductCard) -> Option<Cursor> {
    Some(match sort {
        Sort::Newest => Cursor::Newest { at: last.created_at, id: last.id },
        Sort::PriceAsc | Sort::PriceDesc => Cursor::Price { price: last.price, id: last.id },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_params_are_ignored() {
        let p = Params::parse(Some("min=abc&max=-5&sort=bogus&page=-1&stock=1&brand=apple"));
        assert_eq!(p.min, None);
        assert_eq!(p.max, None);
        assert_eq!(p.sort, Sort::Newest);
        assert!(p.in_stock);
        assert_eq!(p.brands, vec!["apple".to_owned()]);
        let p = Params::parse(Some("min=۲۰۰٬۰۰۰&max=100"));
        assert_eq!(p.min, Some(Decimal::from(100)));
        assert_eq!(p.max, Some(Decimal::from(200_000)));
    }
}
