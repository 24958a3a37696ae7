use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::models::{self, ProductDetail};
use super::{Link, PLACEHOLDER_IMAGE, ancestry};
use crate::app::AppState;
use crate::db::{Plans, tenant_read};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::i18n::format::percent_off;
use crate::web::Ctx;
use crate::web::params::Slug;

#[derive(Template, WebTemplate)]
#[template(path = "catalog/product.html")]
pub struct ProductPage {
    ctx: Ctx,
    p: ProductDetail,
    name: String,
    description: String,
    breadcrumbs: Vec<Link>,
    images: Vec<String>,
    specs: Vec<(String, String)>,
    brand: Option<String>,
    vendor: Option<String>,
}

impl ProductPage {
    fn price(&self) -> String {
        self.ctx.money(&self.p.price)
    }

    fn compare(&self) -> Option<String> {
        self.p.compare_price.filter(|c| *c > self.p.price).map(|c| self.ctx.money(&c))
    }

    fn off(&self) -> Option<String> {
        let pct = percent_off(self.p.price, self.p.compare_price?)?;
        Some(self.ctx.percent_off(pct))
    }

    /// In stock, only a few left, or out of stock.
    fn stock_text(&self) -> String {
        match self.p.available() {
            0 => self.ctx.t("stock-out"),
            n @ 1..=5 => self.ctx.t1("stock-few", "count", self.ctx.num(n)),
            _ => self.ctx.t("stock-in"),
        }
    }

    fn max_qty(&self) -> i32 {
        self.p.available().min(self.p.max_order_qty.unwrap_or(crate::cart::models::MAX_LINE_QUANTITY)).max(1)
    }

    fn in_stock(&self) -> bool {
        self.p.available() > 0
    }

    fn warranty(&self) -> Option<String> {
        (self.p.warranty_months > 0)
            .then(|| self.ctx.t1("warranty-months", "months", self.ctx.num(self.p.warranty_months)))
    }

    fn meta_description(&self) -> String {
        let d: String = self.description.chars().take(155).collect();
        if d.is_empty() { self.name.clone() } else { d }
    }
}

/// Reads `[{"label": {"fa":..,"en":..,"ar":..}, "value": "..." | {..}}]` into display pairs.
fn specifications(json: &serde_json::Value, lang: Lang) -> Vec<(String, String)> {
    let text = |v: &serde_json::Value| -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(m) => {
                let get = |k: &str| m.get(k).and_then(|x| x.as_str());
                lang.pick(get("en"), get("fa"), get("ar")).to_owned()
            }
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        }
    };
    json.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| Some((text(i.get("label")?), text(i.get("value")?))))
                .filter(|(l, v)| !l.is_empty() && !v.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

pub async fn product(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(Slug { slug }): Path<Slug>,
) -> AppResult<ProductPage> {
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let cats = state.catalog.categories(&mut conn, tenant).await?;
    let (p, brand, vendor) =
        tenant_read(&mut conn, tenant, Plans::Chosen, async |c| models::product_by_slug(c, tenant, &slug).await)
            .await?
            .ok_or(AppError::NotFound)?;
    let lang = ctx.lang;
    let mut images: Vec<String> = p
        .images
        .as_array()
        .map(|a| a.iter().filter_map(|i| i.get("url")?.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if images.is_empty() {
        images.push(PLACEHOLDER_IMAGE.to_owned());
    }
    Ok(ProductPage {
        name: p.name(lang).to_owned(),
        description: p.description(lang).to_owned(),
        breadcrumbs: ancestry(&cats, p.category_id).into_iter().map(|c| Link::category(&ctx, c)).collect(),
        images,
        specs: specifications(&p.specifications, lang)
            .into_iter()
            .map(|(label, value)| {
                // Plain numbers take the page's digits; values with Latin text (model names, units) stay as written.
                let value =
                    if value.chars().any(|c| c.is_ascii_alphabetic()) { value } else { ctx.digits().apply(&value) };
                (label, value)
            })
            .collect(),
        brand: brand.map(|b| b.name(lang).to_owned()),
        vendor: vendor.map(|v| v.name(lang).to_owned()),
        p,
        ctx,
    })
}
