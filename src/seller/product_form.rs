//! The product form: new and edit pages, create and update.

use super::current::{own, portal_user, seller};
use super::list::{SavedParam, status_key};
use super::models;
use super::models::{FieldErrors, ManagedProduct, ProductForm, SaveError, Saved};
use crate::app::AppState;
use crate::catalog::models::{Brand, Category};
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use crate::web::params::IdParam;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "seller/product_form.html")]
pub struct FormPage {
    pub(super) ctx: Ctx,
    pub(super) form: ProductForm,
    pub(super) errors: Vec<(&'static str, String)>,
    pub(super) categories: Vec<(String, String)>,
    pub(super) brands: Vec<(String, String)>,
    pub(super) product: Option<ManagedProduct>,
    /// The whole form failed for a reason that is no one field's (stale version).
    pub(super) alert: Option<String>,
    /// The images being edited (the pending list when a change waits): (thumb URL, index).
    pub(super) images: Vec<(String, usize)>,
    pub(super) image_error: Option<String>,
    pub(super) notice: Option<String>,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    fn creating(&self) -> bool {
        self.product.is_none()
    }

    fn action(&self) -> String {
        match &self.product {
            Some(p) => self.ctx.href(&format!("/vendor/products/{}", p.id)),
            None => self.ctx.href("/vendor/products/new"),
        }
    }

    fn pending_fields(&self) -> Vec<String> {
        match self.product.as_ref().and_then(|p| p.pending_changes.as_ref()).and_then(|v| v.as_object()) {
            Some(m) => m.keys().map(|k| self.ctx.t(&format!("product-field-{}", k.replace('_', "-")))).collect(),
            None => Vec::new(),
        }
    }

    fn status(&self) -> String {
        self.product.as_ref().map(|p| self.ctx.t(&status_key(&p.status))).unwrap_or_default()
    }
}

pub(super) fn category_choices(ctx: &Ctx, cats: &[Category]) -> Vec<(String, String)> {
    // Children under their parent, indented, so the tree reads as one list.
    let mut out = Vec::new();
    for top in cats.iter().filter(|c| c.parent_id.is_none()) {
        out.push((top.id.to_string(), top.name(ctx.lang).to_owned()));
        for child in cats.iter().filter(|c| c.parent_id == Some(top.id)) {
            out.push((child.id.to_string(), format!("— {}", child.name(ctx.lang))));
        }
    }
    out
}

pub(super) fn brand_choices(ctx: &Ctx, brands: &[Brand]) -> Vec<(String, String)> {
    brands.iter().map(|b| (b.id.to_string(), b.name(ctx.lang).to_owned())).collect()
}

pub(super) async fn form_page(
    state: &AppState,
    ctx: Ctx,
    form: ProductForm,
    errors: &FieldErrors,
    product: Option<ManagedProduct>,
    alert: Option<String>,
) -> AppResult<FormPage> {
    let tenant = ctx.tenant.id;
    let (cats, brands) = state.tx(tenant, async |c| models::choices(c, tenant).await).await?;
    let errors = errors.iter().map(|(k, v)| (*k, ctx.t(v))).collect();
    let images = product
        .as_ref()
        .map(|p| {
            models::working_images(p)
                .iter()
                .enumerate()
                .filter_map(|(i, img)| {
                    let url = img.get("thumb").or_else(|| img.get("url"))?.as_str()?;
                    Some((url.to_owned(), i))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(FormPage {
        categories: category_choices(&ctx, &cats),
        brands: brand_choices(&ctx, &brands),
        ctx,
        form,
        errors,
        product,
        alert,
        images,
        image_error: None,
        notice: None,
    })
}

pub(super) async fn new_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    seller(&state, &ctx).await?;
    let form = ProductForm { tax_rate: "10".into(), min_order_qty: "1".into(), ..Default::default() };
    Ok(form_page(&state, ctx, form, &FieldErrors::new(), None, None).await?.into_response())
}

pub(super) async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ProductForm>,
) -> AppResult<Response> {
    let user = portal_user(&ctx)?;
    let input = match form.check(true) {
        Ok(p) => p,
        Err(errors) => {
            seller(&state, &ctx).await?;
            let page = form_page(&state, ctx, form, &errors, None, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    // One transaction: whose shop this is, and the product.
    let done = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        let vendor = models::vendor_of(c, tenant, user.id).await?.ok_or(diesel::result::Error::NotFound)?;
        models::create(c, tenant, vendor, user.id, &input).await
    })
    .await;
    match done {
        Ok(_) => Ok(Redirect::to(&ctx.href("/vendor/products?saved=submitted")).into_response()),
        Err(SaveError::Fields(errors)) => {
            let page = form_page(&state, ctx, form, &errors, None, None).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(SaveError::Stale) => Err(AppError::Conflict("product-stale")),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Query(flash): Query<SavedParam>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let product = own(&state, &ctx, &s, id).await?;
    let form = product.form();
    let mut page = form_page(&state, ctx, form, &FieldErrors::new(), Some(product), None).await?;
    page.notice = match flash.saved.as_str() {
        "image" => Some(page.ctx.t("image-added")),
        "image-removed" => Some(page.ctx.t("image-removed")),
        _ => None,
    };
    Ok(page.into_response())
}

pub(super) async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Form(form): Form<ProductForm>,
) -> AppResult<Response> {
    let user = portal_user(&ctx)?;
    let (version, input) = match (form.version.trim().parse::<i32>(), form.check(false)) {
        (Ok(version), Ok(input)) => (version, input),
        (version, checked) => {
            // Only the owner learns what was wrong with the form.
            let s = seller(&state, &ctx).await?;
            let product = own(&state, &ctx, &s, id).await?;
            let (Ok(_), Err(errors)) = (version, checked) else {
                return Err(AppError::BadRequest("error-bad-request"));
            };
            let page = form_page(&state, ctx, form, &errors, Some(product), None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    // One transaction: whose shop this is, the product (locked, theirs only) and its change.
    let done = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        let vendor = models::vendor_of(c, tenant, user.id).await?.ok_or(diesel::result::Error::NotFound)?;
        models::update(c, tenant, vendor, id, version, &input).await
    })
    .await;
    let saved = match done {
        Ok(done) => done,
        Err(SaveError::Db(e)) => return Err(e.into()),
        Err(refused) => {
            let s = seller(&state, &ctx).await?;
            let product = own(&state, &ctx, &s, id).await?;
            return refused_page(&state, ctx, form, product, refused).await;
        }
    };
    let flag = match saved {
        Saved::Submitted => "submitted",
        Saved::ChangeQueued => "queued",
        Saved::Applied => "applied",
    };
    Ok(Redirect::to(&ctx.href(&format!("/vendor/products?saved={flag}"))).into_response())
}

/// The form again after the save was refused: the fields' messages, or the
/// notice that someone saved it first.
async fn refused_page(
    state: &AppState,
    ctx: Ctx,
    mut form: ProductForm,
    product: ManagedProduct,
    refused: SaveError,
) -> AppResult<Response> {
    let page = match refused {
        SaveError::Fields(errors) => form_page(state, ctx, form, &errors, Some(product), None).await?,
        _ => {
            // Keep what they typed; show the saved version's number so a re-save is deliberate.
            form.version = product.version.to_string();
            let alert = Some(ctx.t("product-stale"));
            form_page(state, ctx, form, &FieldErrors::new(), Some(product), alert).await?
        }
    };
    Ok((StatusCode::CONFLICT, page).into_response())
}
