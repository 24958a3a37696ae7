//! Adding to the cart, changing a line's quantity and removing it.

use super::models::{self, QuantityError};
use super::session::{SESSION_CART, guest_cart, set_session_count};
use super::view::*;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

#[derive(serde::Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    pub(super) product_id: String,
    #[serde(default)]
    pub(super) quantity: String,
}

pub(super) enum Added {
    Done { count: i64, cart: Uuid, name: String },
    Refused(QuantityError),
}

pub async fn add(State(state): State<AppState>, mut ctx: Ctx, Form(form): Form<AddForm>) -> AppResult<Response> {
    let product_id = Uuid::parse_str(form.product_id.trim()).map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let quantity = if form.quantity.trim().is_empty() { Ok(1) } else { models::parse_quantity(&form.quantity) };
    let tenant = ctx.tenant.id;
    let user = ctx.user.as_ref().map(|u| u.id);
    let guest = guest_cart(&ctx.session).await;
    let lang = ctx.lang;
    let outcome = state
        .tx(tenant, async |c| {
            let (product, cart, existing) =
                models::add_context(c, tenant, user, guest, product_id).await?.ok_or(AppError::NotFound)?;
            let quantity = match quantity {
                Ok(q) => q,
                Err(e) => return Ok(Added::Refused(e)),
            };
            let existing = existing.unwrap_or(0);
            if let Err(e) = models::check_quantity(&product, existing + quantity) {
                return Ok(Added::Refused(e));
            }
            let cart = match cart {
                Some(cart) => cart,
                None => models::find_or_create(c, tenant, user, guest).await?,
            };
            let count = models::put_and_count(c, tenant, cart, &product, existing + quantity).await?;
            Ok::<_, AppError>(Added::Done { count, cart, name: product.name(lang).to_owned() })
        })
        .await?;
    match outcome {
        Added::Done { count, cart, name } => {
            if user.is_none() && guest != Some(cart) {
                ctx.session.insert(SESSION_CART, cart).await?;
            }
            set_session_count(&ctx.session, tenant, count).await?;
            ctx.cart_count = count;
            if ctx.htmx {
                let toast = ctx.t1("cart-added", "name", name);
                Ok(MiniCart { ctx, toast, toast_error: false }.into_response())
            } else {
                Ok(Redirect::to(&ctx.href("/cart")).into_response())
            }
        }
        Added::Refused(e) => {
            let toast = quantity_message(&ctx, e);
            if ctx.htmx {
                Ok((StatusCode::UNPROCESSABLE_ENTITY, MiniCart { ctx, toast, toast_error: true }).into_response())
            } else {
                let lines = load_lines(&state, &ctx).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, build_page(ctx, &lines, Some(toast), None)).into_response())
            }
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct QuantityForm {
    #[serde(default)]
    pub(super) quantity: String,
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(form): Form<QuantityForm>,
) -> AppResult<Response> {
    let tenant = ctx.tenant.id;
    let user = ctx.user.as_ref().map(|u| u.id);
    let guest = guest_cart(&ctx.session).await;
    let quantity = models::parse_quantity(&form.quantity);
    let refused = state
        .tx(tenant, async |c| {
            let cart = models::find(c, tenant, user, guest).await?.ok_or(AppError::NotFound)?;
            let product = models::line_product(c, tenant, cart, id).await?.ok_or(AppError::NotFound)?;
            let checked = quantity.and_then(|q| models::check_quantity(&product, q).map(|_| q));
            match checked {
                Ok(q) => {
                    models::put(c, tenant, cart, &product, q).await?;
                    Ok::<_, AppError>(None)
                }
                Err(e) => Ok(Some(e)),
            }
        })
        .await?;
    after_change(&state, ctx, refused.map(|e| (id, e))).await
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> AppResult<Response> {
    let tenant = ctx.tenant.id;
    let user = ctx.user.as_ref().map(|u| u.id);
    let guest = guest_cart(&ctx.session).await;
    state
        .tx(tenant, async |c| {
            let cart = models::find(c, tenant, user, guest).await?.ok_or(AppError::NotFound)?;
            // Removing a line that is already gone (a double click) is not an error.
            models::remove(c, tenant, cart, id).await?;
            Ok::<_, AppError>(())
        })
        .await?;
    after_change(&state, ctx, None).await
}
