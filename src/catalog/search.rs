use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::CardView;
use super::models::SEARCH_RESULTS;
use crate::app::AppState;
use crate::error::AppResult;
use crate::text::search_key;
use crate::web::Ctx;

const PAGE_SIZE: i64 = 24;
/// Search ranks at most `SEARCH_RESULTS` (see `models::search`): five pages.
const MAX_PAGE: i64 = SEARCH_RESULTS / PAGE_SIZE;
const SUGGESTIONS: i64 = 6;
/// Longer queries are cut: nobody types more, and trigram work grows with length.
const MAX_QUERY_CHARS: usize = 100;

/// One template serves the full results page and, for htmx, only its
/// `suggestions` block (the list under the search box).
#[derive(Template, WebTemplate)]
#[template(path = "catalog/search.html", blocks = ["suggestions"])]
pub struct SearchPage {
    ctx: Ctx,
    q: String,
    results: Vec<CardView>,
    too_short: bool,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Default)]
struct SearchParams {
    q: String,
    page: i64,
}

fn parse(raw: Option<&str>) -> SearchParams {
    let pairs: Vec<(String, String)> = raw.and_then(|q| serde_urlencoded::from_str(q).ok()).unwrap_or_default();
    let mut p = SearchParams { page: 1, ..Default::default() };
    for (k, v) in pairs {
        match k.as_str() {
            "q" => p.q = v.chars().take(MAX_QUERY_CHARS).collect(),
            // A malformed or out-of-range page is ignored.
            "page" => p.page = v.parse::<i64>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).unwrap_or(1),
            _ => {}
        }
    }
    p
}

pub async fn search(State(state): State<AppState>, ctx: Ctx, RawQuery(raw): RawQuery) -> AppResult<Response> {
    let params = parse(raw.as_deref());
    let key = search_key(&params.q);
    let suggest_only = ctx.htmx;
    let too_short = key.chars().count() < 2;
    let (skip, limit) = if suggest_only { (0, SUGGESTIONS) } else { ((params.page - 1) * PAGE_SIZE, PAGE_SIZE) };
    let found = if too_short {
        None
    } else {
        let mut conn = state.db().await?;
        // One more than shown, to know whether a next page exists.
        Some(state.catalog.search(&mut conn, ctx.tenant.id, &key, skip, limit + 1).await?)
    };
    let found = found.as_deref().map(Vec::as_slice).unwrap_or(&[]);
    let rows = &found[..found.len().min(limit as usize)];
    let more = found.len() > rows.len();
    let base = ctx.href("/search");
    let link = |page: i64| {
        format!(
            "{base}?{}",
            serde_urlencoded::to_string([("q", params.q.as_str()), ("page", &page.to_string())]).unwrap_or_default()
        )
    };
    let page = SearchPage {
        results: CardView::list(&ctx, rows),
        too_short,
        prev_href: (params.page > 1).then(|| link(params.page - 1)),
        next_href: (more && params.page < MAX_PAGE).then(|| link(params.page + 1)),
        page: params.page,
        q: params.q,
        ctx,
    };
    let mut res = if suggest_only {
        crate::web::fragment(axum::http::StatusCode::OK, page.as_suggestions())?
    } else {
        page.into_response()
    };
    // The same URL answers with a fragment or a page: caches must keep them apart.
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("HX-Request"));
    Ok(res)
}
