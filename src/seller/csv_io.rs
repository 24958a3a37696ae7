//! CSV export and import of a vendor's products. An import is all or
//! nothing: every row is checked first (the same checks as the form, plus
//! category and brand by slug and duplicate SKUs); one bad row imports nothing
//! and each bad row is listed by its line number with the reason.

use std::collections::{HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::current::seller;
use super::models::{self, ProductForm, SaveError};
use crate::app::AppState;
use crate::db::{set_actor, tenant_tx};
use crate::error::{AppError, AppResult};
use crate::schema::{brands, categories, products};
use crate::web::Ctx;

/// The columns, in order, of both export and import.
pub const COLUMNS: [&str; 16] = [
    "sku",
    "name_fa",
    "name_ar",
    "name_en",
    "description_fa",
    "description_ar",
    "description_en",
    "category",
    "brand",
    "price",
    "compare_price",
    "tax_rate",
    "stock",
    "min_order_qty",
    "max_order_qty",
    "warranty_months",
];
/// Most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;

type ExportRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Uuid,
    Option<Uuid>,
    rust_decimal::Decimal,
    Option<rust_decimal::Decimal>,
    rust_decimal::Decimal,
    i32,
    i32,
    Option<i32>,
    i32,
);

async fn slugs(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
) -> QueryResult<(HashMap<Uuid, String>, HashMap<Uuid, String>)> {
    let cats: Vec<(Uuid, String)> = categories::table
        .filter(categories::tenant_id.eq(tenant))
        .select((categories::id, categories::slug))
        .load(conn)
        .await?;
    let brs: Vec<(Uuid, String)> =
        brands::table.filter(brands::tenant_id.eq(tenant)).select((brands::id, brands::slug)).load(conn).await?;
    Ok((cats.into_iter().collect(), brs.into_iter().collect()))
}

/// `GET /{lang}/vendor/products/export.csv`: every product of the vendor, streamed page by page.
pub async fn export(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let tenant = ctx.tenant.id;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let mut header = csv::Writer::from_writer(Vec::new());
        // A UTF-8 byte-order mark, so spreadsheet programs read Persian text right.
        let _ = header.write_record(COLUMNS);
        let mut first = vec![0xEF, 0xBB, 0xBF];
        first.extend(header.into_inner().unwrap_or_default());
        if tx.send(Ok(first)).await.is_err() {
            return;
        }
        let Ok(mut conn) = pool.get().await else { return };
        let Ok((cats, brs)) = tenant_tx(&mut conn, tenant, async |c| slugs(c, tenant).await).await else { return };
        let mut after = String::new();
        loop {
            let page: QueryResult<Vec<ExportRow>> = tenant_tx(&mut conn, tenant, async |c| {
                products::table
                    .filter(products::tenant_id.eq(tenant))
                    .filter(products::vendor_id.eq(s.vendor))
                    .filter(products::sku.gt(&after))
                    .order(products::sku)
                    .limit(1000)
                    .select((
                        products::sku,
                        products::name_fa,
                        products::name_ar,
                        products::name,
                        products::description_fa,
                        products::description_ar,
                        products::description,
                        products::category_id,
                        products::brand_id,
                        products::price,
                        products::compare_price,
                        products::tax_rate,
                        products::stock,
                        products::min_order_qty,
                        products::max_order_qty,
                        products::warranty_months,
                    ))
                    .load(c)
                    .await
            })
            .await;
            let Ok(rows) = page else { return };
            let Some(last) = rows.last() else { return };
            after = last.0.clone();
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in &rows {
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
                let _ = w.write_record([
                    r.0.clone(),
                    o(&r.1),
                    o(&r.2),
                    o(&r.3),
                    o(&r.4),
                    o(&r.5),
                    o(&r.6),
                    cats.get(&r.7).cloned().unwrap_or_default(),
                    r.8.and_then(|b| brs.get(&b).cloned()).unwrap_or_default(),
                    r.9.trunc().to_string(),
                    r.10.map(|c| c.trunc().to_string()).unwrap_or_default(),
                    r.11.normalize().to_string(),
                    r.12.to_string(),
                    r.13.to_string(),
                    n(r.14),
                    r.15.to_string(),
                ]);
            }
            if tx.send(Ok(w.into_inner().unwrap_or_default())).await.is_err() || rows.len() < 1000 {
                return;
            }
        }
    });
    let body = axum::body::Body::from_stream(tokio_stream_from(rx));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"products.csv\""));
    Ok(res)
}

/// The receiver as a stream of body chunks (written out to avoid a crate for one adapter).
fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// One bad row: its line in the file and why.
pub struct BadRow {
    pub line: u64,
    pub reasons: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "seller/import.html", blocks = ["result"])]
pub struct ImportPage {
    ctx: Ctx,
    bad: Vec<BadRow>,
    error: Option<String>,
    done: Option<String>,
}

impl ImportPage {
    fn line(&self, b: &BadRow) -> String {
        self.ctx.num(b.line as i64)
    }

    fn bad_count(&self) -> String {
        self.ctx.num(self.bad.len() as i64)
    }
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    seller(&state, &ctx).await?;
    Ok(ImportPage { ctx, bad: Vec::new(), error: None, done: None }.into_response())
}

fn respond(page: ImportPage, status: StatusCode) -> AppResult<Response> {
    if page.ctx.htmx {
        return crate::web::fragment(status, page.as_result());
    }
    Ok((status, page).into_response())
}

/// A parsed row: its line, the form it fills, category and brand slugs.
struct Parsed {
    line: u64,
    form: ProductForm,
    category: String,
    brand: String,
}

fn parse(bytes: &[u8]) -> Result<Vec<Parsed>, &'static str> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    // No text holds a NUL (PostgreSQL refuses it): a file with one is not a CSV of products.
    if bytes.contains(&0) {
        return Err("import-not-csv");
    }
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> =
        r.headers().map_err(|_| "import-not-csv")?.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if headers.iter().map(String::as_str).ne(COLUMNS.iter().copied()) {
        return Err("import-bad-header");
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|_| "import-not-csv")?;
        if out.len() >= MAX_ROWS {
            return Err("import-too-many-rows");
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |i: usize| rec.get(i).unwrap_or_default().to_owned();
        out.push(Parsed {
            line,
            form: ProductForm {
                sku: get(0),
                name_fa: get(1),
                name_ar: get(2),
                name_en: get(3),
                description_fa: get(4),
                description_ar: get(5),
                description_en: get(6),
                price: get(9),
                compare_price: get(10),
                tax_rate: get(11),
                stock: get(12),
                min_order_qty: get(13),
                max_order_qty: get(14),
                warranty_months: get(15),
                ..Default::default()
            },
            category: get(7).trim().to_owned(),
            brand: get(8).trim().to_owned(),
        });
    }
    if out.is_empty() {
        return Err("import-empty");
    }
    Ok(out)
}

/// The bytes of the form's `file` field, if it has one.
async fn uploaded_file(multipart: &mut Multipart) -> AppResult<Option<Vec<u8>>> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(b) => file = Some(b.to_vec()),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
                Err(_) => return Err(AppError::BadRequest("error-bad-request")),
            },
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(AppError::BadRequest("error-bad-request")),
        }
    }
}

/// A row ready to save: its line, its checked fields, and (id, version) when it updates a product.
type GoodRow = (u64, super::models::ProductInput, Option<(Uuid, i32)>);

/// Checks every row (slugs, duplicate and foreign SKUs, the product form's
/// rules) and sorts them into rows to save and rows with their reasons.
fn check_rows(
    ctx: &Ctx,
    rows: Vec<Parsed>,
    cats: &HashMap<String, Uuid>,
    brs: &HashMap<String, Uuid>,
    existing: &HashMap<String, (Uuid, Uuid, i32)>,
    vendor: Uuid,
) -> (Vec<GoodRow>, Vec<BadRow>) {
    let mut bad = Vec::new();
    let mut seen = HashSet::new();
    let mut good = Vec::new();
    for mut row in rows {
        let mut reasons = Vec::new();
        match cats.get(&row.category) {
            Some(id) => row.form.category_id = id.to_string(),
            None => reasons.push(ctx.t1("import-unknown-category", "slug", row.category.clone())),
        }
        if !row.brand.is_empty() {
            match brs.get(&row.brand) {
                Some(id) => row.form.brand_id = id.to_string(),
                None => reasons.push(ctx.t1("import-unknown-brand", "slug", row.brand.clone())),
            }
        }
        let sku = row.form.sku.trim().to_owned();
        if !seen.insert(sku.clone()) {
            reasons.push(ctx.t("import-duplicate-sku"));
        }
        let owner = existing.get(&sku);
        if owner.is_some_and(|(v, _, _)| *v != vendor) {
            reasons.push(ctx.t("product-sku-taken"));
        }
        match row.form.check(owner.is_none()) {
            Ok(input) if reasons.is_empty() => good.push((row.line, input, owner.map(|(_, id, ver)| (*id, *ver)))),
            Ok(_) => {}
            Err(fields) => {
                for (field, key) in fields {
                    // The category column is checked by slug above.
                    if field != "category_id" && field != "brand_id" {
                        reasons.push(format!("{}: {}", field, ctx.t(key)));
                    }
                }
            }
        }
        if !reasons.is_empty() {
            bad.push(BadRow { line: row.line, reasons });
        }
    }
    (good, bad)
}

/// `POST /{lang}/vendor/products/import`: a CSV file in the field `file`.
pub async fn import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> AppResult<Response> {
    let s = seller(&state, &ctx).await?;
    let file = uploaded_file(&mut multipart).await?;
    let fail = |ctx: Ctx, key: &str| {
        let error = Some(ctx.t(key));
        respond(ImportPage { ctx, bad: Vec::new(), error, done: None }, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let Some(bytes) = file.filter(|b| !b.is_empty()) else { return fail(ctx, "import-no-file") };
    let rows = match parse(&bytes) {
        Ok(rows) => rows,
        Err(key) => return fail(ctx, key),
    };
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let (cat_slugs, brand_slugs) = tenant_tx(&mut conn, tenant, async |c| slugs(c, tenant).await).await?;
    let cats: HashMap<String, Uuid> = cat_slugs.into_iter().map(|(id, s)| (s, id)).collect();
    let brs: HashMap<String, Uuid> = brand_slugs.into_iter().map(|(id, s)| (s, id)).collect();
    let skus: Vec<String> = rows.iter().map(|r| r.form.sku.trim().to_owned()).collect();
    // SKUs already in the tenant: (sku, owner, id, version).
    let existing: Vec<(String, Uuid, Uuid, i32)> = tenant_tx(&mut conn, tenant, async |c| {
        products::table
            .filter(products::tenant_id.eq(tenant))
            .filter(products::sku.eq_any(&skus))
            .select((products::sku, products::vendor_id, products::id, products::version))
            .load(c)
            .await
    })
    .await?;
    let existing: HashMap<String, (Uuid, Uuid, i32)> =
        existing.into_iter().map(|(s, v, i, ver)| (s, (v, i, ver))).collect();

    let (good, bad) = check_rows(&ctx, rows, &cats, &brs, &existing, s.vendor);
    if !bad.is_empty() {
        return respond(ImportPage { ctx, bad, error: None, done: None }, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let actor = ctx.actor();
    let user = s.user.id;
    let count = good.len();
    let saved = tenant_tx(&mut conn, tenant, async |c| {
        set_actor(c, &actor).await?;
        for (line, input, existing) in &good {
            let r = match existing {
                Some((id, version)) => models::update(c, tenant, s.vendor, *id, *version, input).await.map(drop),
                None => models::create(c, tenant, s.vendor, user, input).await.map(drop),
            };
            r.map_err(|e| RowError(*line, e))?;
        }
        Ok::<_, RowError>(())
    })
    .await;
    match saved {
        Ok(()) => {
            let done = Some(ctx.t1("import-done", "count", ctx.num(count as i64)));
            respond(ImportPage { ctx, bad: Vec::new(), error: None, done }, StatusCode::OK)
        }
        Err(RowError(line, SaveError::Fields(fields))) => {
            let reasons = fields.values().map(|k| ctx.t(k)).collect();
            respond(
                ImportPage { ctx, bad: vec![BadRow { line, reasons }], error: None, done: None },
                StatusCode::CONFLICT,
            )
        }
        Err(RowError(line, SaveError::Stale)) => {
            let reasons = vec![ctx.t("product-stale")];
            respond(
                ImportPage { ctx, bad: vec![BadRow { line, reasons }], error: None, done: None },
                StatusCode::CONFLICT,
            )
        }
        Err(RowError(_, SaveError::Db(e))) => Err(e.into()),
    }
}

/// A row that could not be saved, with its line.
struct RowError(u64, SaveError);

impl From<diesel::result::Error> for RowError {
    fn from(e: diesel::result::Error) -> Self {
        RowError(0, SaveError::from(e))
    }
}
