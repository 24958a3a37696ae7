use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::{CardView, Link, models};
use crate::app::AppState;
use crate::db::{Plans, tenant_read};
use crate::error::AppResult;
use crate::web::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "catalog/home.html")]
pub struct HomePage {
    ctx: Ctx,
    featured: Vec<CardView>,
    categories: Vec<Link>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<HomePage> {
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let cats = state.catalog.categories(&mut conn, tenant).await?;
    let featured =
        tenant_read(&mut conn, tenant, Plans::Chosen, async |c| models::featured(c, tenant, 12).await).await?;
    let categories = cats.iter().filter(|c| c.parent_id.is_none()).map(|c| Link::category(&ctx, c)).collect();
    Ok(HomePage { featured: CardView::list(&ctx, &featured), categories, ctx })
}
