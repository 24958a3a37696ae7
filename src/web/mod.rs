//! What every page stands on: the request context (`Ctx`), CSRF, the input
//! gate, error pages and the middleware every request passes through. The
//! router that puts the areas together is `crate::router`; nothing here
//! imports an area's pages.

pub mod assets;
pub mod client_ip;
pub mod context;
pub mod csrf;
pub mod errors;
pub mod input;
pub mod pagination;
pub mod params;
pub mod qr;
pub mod rate_limit;
pub mod serve;

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub use context::Ctx;

/// The cookie that remembers the last language a visitor chose.
pub const LANG_COOKIE: &str = "lang";

/// Remembers the language of the page a visitor opened, for the next visit to `/`.
pub async fn remember_lang(req: Request, next: Next) -> Response {
    let current = csrf::cookie(req.headers(), LANG_COOKIE);
    let lang = context::split_lang(req.uri().path()).map(|(l, _)| l);
    let mut res = next.run(req).await;
    if let Some(lang) = lang
        && current.as_deref() != Some(lang.code())
        && res.status().is_success()
    {
        let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// One line per request: method, path, status, time. Never bodies (passwords live there).
pub async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    tracing::info!(
        target: "bazaar::http",
        "{method} {path} {} {:.1}ms",
        res.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    res
}

/// Pages that belong to one visitor are never stored by a browser's or a
/// proxy's cache (a shared computer's back button, a caching proxy): every
/// page for a signed-in user (its header names them), and the cart, checkout,
/// account, back-office and vendor pages for anyone.
pub async fn private_pages(req: Request, next: Next) -> Response {
    const PRIVATE: [&str; 8] =
        ["/account", "/cart", "/checkout", "/admin", "/vendor", "/login", "/register", "/logout"];
    let rest_is_private = context::split_lang(req.uri().path()).is_some_and(|(_, rest)| {
        PRIVATE.iter().any(|p| rest.strip_prefix(p).is_some_and(|tail| tail.is_empty() || tail.starts_with('/')))
    });
    // Only a visitor with a session cookie can be signed in (a guest's page costs no session lookup).
    let has_session = csrf::cookie(req.headers(), "sid").is_some();
    let session = req.extensions().get::<tower_sessions::Session>().cloned().filter(|_| has_session);
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if !is_page || res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    // The page has read the session already (its header shows who is signed in).
    let signed_in = match &session {
        Some(s) => s.get::<uuid::Uuid>(crate::accounts::current_user::SESSION_USER).await.ok().flatten().is_some(),
        None => false,
    };
    if rest_is_private || signed_in {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    res
}

/// A CSP with no inline script or style, and the usual hardening headers.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The CSP for a page whose form hands the visitor to another site (a bank):
/// the same policy, with that site's origin added to `form-action`.
pub fn with_form_target(mut res: Response, url: &str) -> Response {
    let origin = url
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or_default()))
        .filter(|o| o.chars().all(|c| c.is_ascii_alphanumeric() || ":/.-[]".contains(c)));
    if let Some(origin) = origin {
        let csp = CSP.replace("form-action 'self'", &format!("form-action 'self' {origin}"));
        if let Ok(v) = HeaderValue::from_str(&csp) {
            res.headers_mut().insert("content-security-policy", v);
        }
    }
    res
}

pub async fn security_headers(State(https): State<bool>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if https {
        // Served over https (the public URL says so): browsers keep to it for a year.
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    for (name, value) in [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("x-frame-options", "DENY"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
}

/// One block of a page, rendered alone for htmx to swap in (`page.as_cart()`
/// and the like, from askama's `blocks = [...]`), with the given status.
pub fn fragment(status: axum::http::StatusCode, block: impl askama::Template) -> crate::error::AppResult<Response> {
    use axum::response::IntoResponse as _;
    let html = block.render().map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    Ok((status, axum::response::Html(html)).into_response())
}
