//! The storefront: home, category listings, product pages and search.

pub mod cache;
mod category;

mod home;
pub mod models;
mod product;
mod search;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;
use crate::i18n::format::percent_off;
use crate::web::Ctx;
use models::{Category, ProductCard};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/", get(home::home))
        .route("/{lang}/c/{slug}", get(category::category))
        .route("/{lang}/p/{slug}", get(product::product))
        .route("/{lang}/search", get(search::search))
}

/// A product tile, ready to print.
pub struct CardView {
    pub id: uuid::Uuid,
    pub href: String,
    pub name: String,
    pub image: String,
    pub price: String,
    pub compare: Option<String>,
    pub off: Option<String>,
    pub in_stock: bool,
}

pub const PLACEHOLDER_IMAGE: &str = "/static/img/box.svg";

impl CardView {
    pub fn new(ctx: &Ctx, p: &ProductCard) -> Self {
        let compare = p.compare_price.filter(|c| *c > p.price);
        Self {
            id: p.id,
            href: ctx.href(&format!("/p/{}", p.slug)),
            name: p.name(ctx.lang).to_owned(),
            image: p.thumb.as_deref().unwrap_or(PLACEHOLDER_IMAGE).to_owned(),
            price: ctx.money(&p.price),
            compare: compare.map(|c| ctx.money(&c)),
            off: compare.and_then(|c| percent_off(p.price, c)).map(|pct| ctx.percent_off(pct)),
            in_stock: p.available() > 0,
        }
    }

    pub fn list(ctx: &Ctx, rows: &[ProductCard]) -> Vec<Self> {
        rows.iter().map(|p| Self::new(ctx, p)).collect()
    }
}

/// A link in a breadcrumb trail or a tile grid.
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn category(ctx: &Ctx, c: &Category) -> Self {
        Self { href: ctx.href(&format!("/c/{}", c.slug)), label: c.name(ctx.lang).to_owned() }
    }
}

/// Root-first chain of categories ending at `id`.
pub fn ancestry(all: &[Category], id: uuid::Uuid) -> Vec<&Category> {
    let mut chain = Vec::new();
    let mut next = Some(id);
    while let Some(cur) = next {
        let Some(c) = all.iter().find(|c| c.id == cur) else { break };
        if chain.iter().any(|x: &&Category| x.id == c.id) {
            break; // a cycle would be a data error; do not loop on it
        }
        chain.push(c);
        next = c.parent_id;
    }
    chain.reverse();
    chain
}
