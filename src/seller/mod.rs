//! The vendor portal (`/{lang}/vendor/`): a vendor's own products, their
//! moderation state, and stock. Every query names the vendor, so another
//! vendor's product id is a 404.

mod apply;
mod csv_io;
pub mod models;
mod orders;
pub mod shop;

pub use csv_io::COLUMNS as CSV_COLUMNS;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use uuid::Uuid;

use self::models::{FieldErrors, ListRow, ManagedProduct, ProductForm, SaveError, Saved};
use crate::accounts::current_user::CurrentUser;
use crate::app::AppState;
use crate::catalog::models::{Brand, Category};
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::web::Ctx;

/// Applying to sell, open to any signed-in customer.
pub fn apply_routes() -> Router<AppState> {
    Router::new().route("/{lang}/sell", get(apply::page).post(apply::apply))
}

/// The vendor portal, which the router puts behind the portal permission.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/vendor", get(dashboard))
        .route("/{lang}/vendor/products", get(products))
        .route("/{lang}/vendor/products/new", get(new_page).post(create))
        .route("/{lang}/vendor/products/{id}", get(edit_page).post(update))
        .route("/{lang}/vendor/products/{id}/stock", get(stock_page).post(adjust_stock))
        .route(
            "/{lang}/vendor/products/{id}/images",
            axum::routing::post(upload_image)
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::csrf::MAX_UPLOAD_BYTES)),
        )
        .route("/{lang}/vendor/products/{id}/images/remove", axum::routing::post(remove_image))
        .route("/{lang}/vendor/products/export.csv", get(csv_io::export))
        .route(
            "/{lang}/vendor/products/import",
            get(csv_io::page)
                .post(csv_io::import)
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::csrf::MAX_UPLOAD_BYTES)),
        )
        .route("/{lang}/vendor/orders", get(orders::page))
        .route("/{lang}/vendor/orders/{id}/ship", axum::routing::post(orders::ship))
}

/// The signed-in vendor: the portal permission and a vendor record of theirs, else 404.
pub struct Seller {
    pub user: CurrentUser,
    pub vendor: Uuid,
}

pub async fn seller(state: &AppState, ctx: &Ctx) -> AppResult<Seller> {
    let user = rbac::require(ctx, rbac::VENDOR_PORTAL)?.clone();
    rbac::ensure_two_factor(ctx, &user)?;
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let vendor = tenant_tx(&mut conn, tenant, async |c| models::vendor_of(c, tenant, user.id).await).await?;
    let vendor = vendor.ok_or(AppError::NotFound)?;
    Ok(Seller { user, vendor })
}

/// A product row ready to print.
pub struct Row {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub price: String,
    pub available: String,
    pub status: String,
    pub status_class: &'static str,
    pub waiting: bool,
    pub rejection: Option<String>,
    pub href: String,
}

impl Row {
    pub fn new(ctx: &Ctx, r: &ListRow, href: String) -> Self {
        Self {
            id: r.id,
            sku: r.sku.clone(),
            name: r.name(ctx.lang).to_owned(),
            price: ctx.money(&r.price),
            available: ctx.num((r.stock - r.reserved_stock).max(0)),
            status: ctx.t(&status_key(&r.status)),
            status_class: status_class(&r.status),
            waiting: r.review_requested_at.is_some(),
            rejection: r.rejection_reason.clone(),
            href,
        }
    }
}

pub fn status_key(status: &str) -> String {
    format!("product-status-{}", status.to_ascii_lowercase().replace('_', "-"))
}

fn status_class(status: &str) -> &'static str {
    match status {
        "ACTIVE" => "ok",
        "PENDING_REVIEW" | "DRAFT" => "wait",
        "REJECTED" | "OUT_OF_STOCK" | "VENDOR_SUSPENDED" => "bad",
        _ => "",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "seller/dashboard.html")]
pub struct DashboardPage {
    ctx: Ctx,
    shop_notice: Option<String>,
    pending: String,
    rejected: String,
    low: Vec<Row>,
    chart: String,
    to_fulfil: String,
}

async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let (shop, counts, low, sales, to_fulfil) = tenant_tx(&mut conn, tenant, async |c| {
        let shop = models::shop_status(c, tenant, s.vendor).await?;
        let counts = models::vendor_counts(c, tenant, s.vendor).await?;
        let low = models::low_stock(c, tenant, s.vendor, 10).await?;
        let sales = crate::admin::stats::vendor_sales(c, tenant, s.vendor, 30).await?;
        let to_fulfil = crate::admin::stats::vendor_parts_to_ship(c, tenant, s.vendor).await?;
        Ok::<_, diesel::result::Error>((shop, counts, low, sales, to_fulfil))
    })
    .await?;
    // Until staff verify the shop, or after they suspend it, the vendor is told why.
    let shop_notice = match shop.0.as_str() {
        "PENDING" => Some(ctx.t("vendor-shop-pending")),
        "SUSPENDED" => Some(ctx.t1("vendor-shop-suspended", "reason", shop.1.unwrap_or_default())),
        _ => None,
    };
    let low = low.iter().map(|r| Row::new(&ctx, r, ctx.href(&format!("/vendor/products/{}/stock", r.id)))).collect();
    let chart = crate::admin::chart::bars(&ctx, &sales, &ctx.t("vendor-sales-chart"));
    Ok(DashboardPage {
        shop_notice,
        pending: ctx.num(counts.pending),
        rejected: ctx.num(counts.rejected),
        to_fulfil: ctx.num(to_fulfil),
        low,
        chart,
        ctx,
    }
    .into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub after: String,
}

impl ListParams {
    /// Checked filters: an unknown status or a malformed cursor is a 400.
    pub fn parse(&self) -> AppResult<(Option<&str>, Option<Keyset>)> {
        let status = match self.status.as_str() {
            "" => None,
            s if models::STATUSES.contains(&s) => Some(s),
            _ => return Err(AppError::BadRequest("error-bad-request")),
        };
        let after = match self.after.as_str() {
            "" => None,
            c => match crate::web::pagination::Cursor::decode(c, crate::web::pagination::Sort::Newest) {
                Some(crate::web::pagination::Cursor::Newest { at, id }) => Some((at, id)),
                _ => return Err(AppError::BadRequest("error-bad-cursor")),
            },
        };
        Ok((status, after))
    }

    /// The link to the page after `last`, filters kept.
    pub fn next_href(&self, base: &str, last: &ListRow) -> String {
        let cursor = crate::web::pagination::Cursor::Newest { at: last.created_at, id: last.id }.encode();
        let q =
            serde_urlencoded::to_string([("q", self.q.as_str()), ("status", self.status.as_str()), ("after", &cursor)])
                .unwrap_or_default();
        format!("{base}?{q}")
    }
}

pub const PAGE: i64 = 25;

/// The (created_at, id) of the last row shown: the next page starts after it.
pub type Keyset = (time::OffsetDateTime, Uuid);

#[derive(Template, WebTemplate)]
#[template(path = "seller/products.html")]
pub struct ProductsPage {
    ctx: Ctx,
    rows: Vec<Row>,
    q: String,
    status: String,
    statuses: Vec<(&'static str, String)>,
    next: Option<String>,
    saved: Option<String>,
}

pub fn status_choices(ctx: &Ctx) -> Vec<(&'static str, String)> {
    models::STATUSES.iter().map(|s| (*s, ctx.t(&status_key(s)))).collect()
}

#[derive(serde::Deserialize, Default)]
pub struct SavedParam {
    #[serde(default)]
    saved: String,
}

async fn products(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
    Query(flash): Query<SavedParam>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let (status, after) = p.parse()?;
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let query = models::ListQuery { vendor: Some(s.vendor), status, text: Some(&p.q), after, limit: PAGE + 1 };
    let mut rows = tenant_tx(&mut conn, tenant, async |c| models::list(c, tenant, &query).await).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = more.then(|| rows.last().map(|l| p.next_href(&ctx.href("/vendor/products"), l))).flatten();
    let saved = match flash.saved.as_str() {
        "submitted" => Some(ctx.t("vendor-saved-submitted")),
        "queued" => Some(ctx.t("vendor-saved-queued")),
        "applied" => Some(ctx.t("vendor-saved-applied")),
        _ => None,
    };
    let rows = rows.iter().map(|r| Row::new(&ctx, r, ctx.href(&format!("/vendor/products/{}", r.id)))).collect();
    Ok(ProductsPage { statuses: status_choices(&ctx), rows, q: p.q, status: p.status, next, saved, ctx }
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "seller/product_form.html")]
pub struct FormPage {
    ctx: Ctx,
    form: ProductForm,
    errors: Vec<(&'static str, String)>,
    categories: Vec<(String, String)>,
    brands: Vec<(String, String)>,
    product: Option<ManagedProduct>,
    /// The whole form failed for a reason that is no one field's (stale version).
    alert: Option<String>,
    /// The images being edited (the pending list when a change waits): (thumb URL, index).
    images: Vec<(String, usize)>,
    image_error: Option<String>,
    notice: Option<String>,
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

fn category_choices(ctx: &Ctx, cats: &[Category]) -> Vec<(String, String)> {
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

fn brand_choices(ctx: &Ctx, brands: &[Brand]) -> Vec<(String, String)> {
    brands.iter().map(|b| (b.id.to_string(), b.name(ctx.lang).to_owned())).collect()
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    form: ProductForm,
    errors: &FieldErrors,
    product: Option<ManagedProduct>,
    alert: Option<String>,
) -> AppResult<FormPage> {
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let (cats, brands) = tenant_tx(&mut conn, tenant, async |c| models::choices(c, tenant).await).await?;
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

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    seller(&state, &ctx).await?;
    let form = ProductForm { tax_rate: "10".into(), min_order_qty: "1".into(), ..Default::default() };
    Ok(form_page(&state, ctx, form, &FieldErrors::new(), None, None).await?.into_response())
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(form): Form<ProductForm>) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let input = match form.check(true) {
        Ok(p) => p,
        Err(errors) => {
            let page = form_page(&state, ctx, form, &errors, None, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    let done = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        models::create(c, tenant, s.vendor, s.user.id, &input).await
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

async fn own(state: &AppState, ctx: &Ctx, s: &Seller, id: Uuid) -> AppResult<ManagedProduct> {
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    tenant_tx(&mut conn, tenant, async |c| models::own_product(c, tenant, s.vendor, id).await)
        .await?
        .ok_or(AppError::NotFound)
}

fn parse_id(raw: &str) -> AppResult<Uuid> {
    raw.parse().map_err(|_| AppError::NotFound)
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Query(flash): Query<SavedParam>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let product = own(&state, &ctx, &s, parse_id(&id)?).await?;
    let form = product.form();
    let mut page = form_page(&state, ctx, form, &FieldErrors::new(), Some(product), None).await?;
    page.notice = match flash.saved.as_str() {
        "image" => Some(page.ctx.t("image-added")),
        "image-removed" => Some(page.ctx.t("image-removed")),
        _ => None,
    };
    Ok(page.into_response())
}

/// Adds one uploaded image to the product (a live product's new image waits for review).
async fn upload_image(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let id = parse_id(&id)?;
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
    let mut conn = state.db().await?;
    tenant_tx(&mut conn, tenant, async |c| {
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

async fn remove_image(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<RemoveImage>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let id = parse_id(&id)?;
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    tenant_tx(&mut conn, tenant, async |c| {
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

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ProductForm>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let id = parse_id(&id)?;
    let product = own(&state, &ctx, &s, id).await?;
    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest("error-bad-request"));
    };
    let input = match form.check(false) {
        Ok(p) => p,
        Err(errors) => {
            let page = form_page(&state, ctx, form, &errors, Some(product), None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    let done = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        models::update(c, tenant, s.vendor, id, version, &input).await
    })
    .await;
    match done {
        Ok(saved) => {
            let flag = match saved {
                Saved::Submitted => "submitted",
                Saved::ChangeQueued => "queued",
                Saved::Applied => "applied",
            };
            Ok(Redirect::to(&ctx.href(&format!("/vendor/products?saved={flag}"))).into_response())
        }
        Err(SaveError::Fields(errors)) => {
            let page = form_page(&state, ctx, form, &errors, Some(product), None).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(SaveError::Stale) => {
            // Keep what they typed; show the saved version's number so a re-save is deliberate.
            let mut form = form;
            form.version = product.version.to_string();
            let alert = Some(ctx.t("product-stale"));
            let page = form_page(&state, ctx, form, &FieldErrors::new(), Some(product), alert).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "seller/stock.html")]
pub struct StockPage {
    ctx: Ctx,
    product: ManagedProduct,
    history: Vec<(String, String, String, String, String)>,
    form: StockForm,
    error: Option<String>,
    reasons: Vec<(&'static str, String)>,
}

impl StockPage {
    fn name(&self) -> &str {
        self.ctx.lang.pick(
            self.product.name.as_deref(),
            self.product.name_fa.as_deref(),
            self.product.name_ar.as_deref(),
        )
    }
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct StockForm {
    #[serde(default)]
    change: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// Reasons a vendor may give for a stock change (inventory_logs.reason).
const STOCK_REASONS: [&str; 5] = ["restock", "count", "damaged", "returned", "other"];

async fn stock_view(
    state: &AppState,
    ctx: Ctx,
    s: &Seller,
    id: Uuid,
    form: StockForm,
    error: Option<String>,
) -> AppResult<StockPage> {
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let (product, lines) = tenant_tx(&mut conn, tenant, async |c| {
        let p = models::own_product(c, tenant, s.vendor, id).await?.ok_or(AppError::NotFound)?;
        let lines = models::stock_history(c, tenant, id).await?;
        Ok::<_, AppError>((p, lines))
    })
    .await?;
    let history = lines
        .iter()
        .map(|l| {
            let change = if l.change > 0 { format!("+{}", ctx.num(l.change)) } else { ctx.num(l.change) };
            let reason = if STOCK_REASONS.contains(&l.reason.as_str()) || l.reason == "initial" {
                ctx.t(&format!("stock-reason-{}", l.reason))
            } else {
                l.reason.clone()
            };
            let reason = match &l.reference {
                Some(r) if !r.is_empty() => format!("{reason} — {r}"),
                _ => reason,
            };
            (
                ctx.date_time(l.created_at),
                crate::orders::pages::ltr(&change),
                ctx.num(l.stock_after),
                reason,
                l.who.clone().unwrap_or_else(|| ctx.t("stock-by-system")),
            )
        })
        .collect();
    let reasons = STOCK_REASONS.iter().map(|r| (*r, ctx.t(&format!("stock-reason-{r}")))).collect();
    Ok(StockPage { ctx, product, history, form, error, reasons })
}

async fn stock_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let id = parse_id(&id)?;
    let form = StockForm { reason: "restock".into(), ..Default::default() };
    Ok(stock_view(&state, ctx, &s, id, form, None).await?.into_response())
}

async fn adjust_stock(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StockForm>,
) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let id = parse_id(&id)?;
    let change = crate::text::ascii_digits(form.change.trim()).replace('−', "-").parse::<i32>().ok();
    let reason_ok = STOCK_REASONS.contains(&form.reason.as_str());
    let note = form.note.trim().chars().take(200).collect::<String>();
    let error = match change {
        None | Some(0) => Some("stock-change-invalid"),
        Some(n) if n.abs() > 1_000_000 => Some("stock-change-invalid"),
        _ if !reason_ok => Some("stock-reason-required"),
        _ if form.reason == "other" && note.is_empty() => Some("stock-note-required"),
        _ => None,
    };
    if let Some(key) = error {
        let msg = Some(ctx.t(key));
        let page = stock_view(&state, ctx, &s, id, form, msg).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let change = change.unwrap_or_default();
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    let mut conn = state.db().await?;
    let done = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        let note = (!note.is_empty()).then_some(note.as_str());
        models::adjust_stock(c, tenant, s.vendor, id, s.user.id, change, &form.reason, note).await
    })
    .await?;
    match done {
        Ok(_) => Ok(Redirect::to(&ctx.href(&format!("/vendor/products/{id}/stock"))).into_response()),
        Err(models::StockError::NotFound) => Err(AppError::NotFound),
        Err(models::StockError::BelowReserved { reserved }) => {
            let msg = Some(ctx.t1("stock-below-reserved", "count", ctx.num(reserved)));
            let page = stock_view(&state, ctx, &s, id, form, msg).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}
