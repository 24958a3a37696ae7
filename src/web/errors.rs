//! Renders every error response as a localized page: a handler's `AppError`,
//! an extractor's rejection, an unknown route, an oversized body.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::Ctx;
use super::context::{origin, preferred_lang, resolve_tenant, split_lang};
use crate::app::AppState;
use crate::error::ErrorPage;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorView {
    pub ctx: Ctx,
    pub status: u16,
    pub message: String,
    pub title: String,
}

/// (Its state is an `Arc`: a layer's state is cloned for every request.)
pub async fn render(State(state): State<std::sync::Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let headers = req.headers().clone();
    let session = req.extensions().get::<Session>().cloned();
    let res = next.run(req).await;
    let status = res.status();
    // An API's JSON error (the sandboxes speak their services' protocols) is left as it is.
    if !(status.is_client_error() || status.is_server_error()) || is_html(&res) || is_json(&res) {
        return res;
    }
    if path.starts_with("/static/") || path == "/healthz" {
        return res;
    }
    let message = res.extensions().get::<ErrorPage>().map(|e| e.message).unwrap_or(match status.as_u16() {
        404 | 405 => "error-not-found",
        413 => "error-too-large",
        403 => "error-forbidden",
        503 => "error-unavailable",
        400..=499 => "error-bad-request",
        _ => "error-internal",
    });
    let (lang, rest) =
        split_lang(&path).map(|(l, r)| (l, r.to_owned())).unwrap_or_else(|| (preferred_lang(&headers), "/".to_owned()));
    let (Some(session), Ok(tenant)) = (session, resolve_tenant(&headers, &state).await) else {
        return res;
    };
    // The header still shows who is signed in; if that lookup fails too, the page shows a guest.
    let user = crate::accounts::current_user::current_user(&state, &session, tenant.id).await.ok().flatten();
    let cart_count = crate::cart::session::session_count(&session, tenant.id).await;
    let origin = origin(&headers, &state, &tenant);
    let ctx = Ctx {
        ip: None,
        user_agent: None,
        cart_count,
        tenant,
        lang,
        csrf: super::csrf::cookie(&headers, super::csrf::COOKIE).unwrap_or_default(),
        user,
        session,
        rest,
        query: None,
        origin,
        htmx: headers.contains_key("hx-request"),
    };
    let title = ctx.t(&format!("{message}-title"));
    let view = ErrorView { message: ctx.t(message), status: status.as_u16(), title, ctx };
    let mut page = (status, view).into_response();
    // Keep cookies the inner layers set (e.g. the CSRF cookie), and their word
    // that the connection ends here (a body left unread).
    for v in res.headers().get_all(header::SET_COOKIE) {
        page.headers_mut().append(header::SET_COOKIE, v.clone());
    }
    for name in [header::CONNECTION, header::RETRY_AFTER] {
        if let Some(v) = res.headers().get(&name) {
            page.headers_mut().insert(name, v.clone());
        }
    }
    page.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    page
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"))
}

fn is_html(res: &Response) -> bool {
    res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/html"))
}
