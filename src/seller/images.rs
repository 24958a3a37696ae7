//! Uploading and removing a product's images.

use super::current::{own, seller};
use super::models;
use super::models::{FieldErrors, ManagedProduct};
use super::product_form::form_page;
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use crate::web::params::IdParam;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

/// Adds one uploaded image to the product (a live product's new image waits for review).
pub(super) async fn upload_image(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let product = own(&state, &ctx, &s, id).await?;
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(AppError::BadRequest("error-bad-request")),
        };
        if field.name() == Some("image") {
            let name = crate::media::display_name(field.file_name().unwrap_or_default());
            let bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
                Err(_) => return Err(AppError::BadRequest("error-bad-request")),
            };
            upload = Some((name, bytes));
        }
    }
    let refuse = async |ctx: Ctx, product: ManagedProduct, key: &str, status: StatusCode| -> AppResult<Response> {
        let form = product.form();
        let mut page = form_page(&state, ctx, form, &FieldErrors::new(), Some(product), None).await?;
        page.image_error = Some(page.ctx.t(key));
        Ok((status, page).into_response())
    };
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return refuse(ctx, product, "image-missing", StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if models::working_images(&product).len() >= models::MAX_IMAGES {
        return refuse(ctx, product, "image-too-many", StatusCode::CONFLICT).await;
    }
    let size = bytes.len();
    let processed = tokio::task::spawn_blocking(move || crate::media::process(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let processed = match processed {
        Ok(p) => p,
        Err(crate::media::ImageError::TooBig) => {
            return refuse(ctx, product, "image-too-big", StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Err(e) => return refuse(ctx, product, e.message_key(), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let tenant = ctx.tenant.id;
    let media_id = Uuid::now_v7();
    let mut urls = serde_json::Map::new();
    for (width, jpeg) in processed.variants {
        let key = crate::media::key(tenant, media_id, width);
        if let Err(e) = state.media.put(&key, jpeg).await {
            // The store is down or refuses us: say so beside the field; nothing is recorded.
            tracing::error!(error = %e, "media store refused an upload");
            return refuse(ctx, product, "image-store-down", StatusCode::SERVICE_UNAVAILABLE).await;
        }
        urls.insert(width.to_string(), serde_json::Value::String(format!("/media/{key}")));
    }
    let large = urls.get(&crate::media::SIZES[0].to_string()).cloned().unwrap_or_default();
    let thumb = urls.get(&crate::media::SIZES[1].to_string()).cloned().unwrap_or_default();
    let entry = serde_json::json!({ "url": large, "thumb": thumb, "media_id": media_id });
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            let m = models::NewMedia {
                id: media_id,
                vendor: s.vendor,
                user: s.user.id,
                original_name: &name,
                content_type: processed.content_type,
                size_bytes: size as i32,
                width: processed.width as i32,
                height: processed.height as i32,
                variants: serde_json::Value::Object(urls.clone()),
            };
            models::record_media(c, tenant, &m).await?;
            let p = models::own_product(c, tenant, s.vendor, id).await?.ok_or(diesel::result::Error::NotFound)?;
            let mut images = models::working_images(&p);
            images.push(entry);
            models::set_images(c, tenant, s.vendor, id, images).await
        })
        .await?;
    Ok(Redirect::to(&ctx.href(&format!("/vendor/products/{id}?saved=image"))).into_response())
}

#[derive(serde::Deserialize)]
pub struct RemoveImage {
    index: usize,
}

pub(super) async fn remove_image(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<RemoveImage>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            let p = models::own_product(c, tenant, s.vendor, id).await?.ok_or(AppError::NotFound)?;
            let mut images = models::working_images(&p);
            if form.index >= images.len() {
                return Err(AppError::NotFound);
            }
            images.remove(form.index);
            set_actor(c, &actor).await?;
            models::set_images(c, tenant, s.vendor, id, images).await?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(Redirect::to(&ctx.href(&format!("/vendor/products/{id}?saved=image-removed"))).into_response())
}
