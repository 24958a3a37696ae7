//! The one router: every area's routes, and the middleware from `web` around
//! them. It sits above all the areas, so no area (and not `web`) imports it.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use diesel_async::RunQueryDsl as _;
use tower_http::compression::CompressionLayer;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::app::AppState;
use crate::db::session_store::DieselStore;
use crate::error::AppError;
use crate::rbac;
use crate::web::{Ctx, assets, context, csrf, errors, input};

pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DieselStore::new(state.pool.clone()))
        .with_name("sid")
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_http_only(true)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));
    let csrf_config = csrf::CsrfConfig { secure: state.config.secure_cookies };

    let pages = Router::new()
        .route("/{lang}", get(lang_root))
        .merge(crate::catalog::routes())
        .merge(crate::accounts::routes())
        .merge(crate::cart::routes())
        .merge(crate::orders::routes())
        .merge(crate::payments::routes())
        .merge(crate::invoices::routes())
        // The back-office and the vendor portal answer 404 to anyone without
        // their permission before a handler reads the request.
        .merge(
            crate::admin::routes()
                .route_layer(middleware::from_fn_with_state(state.clone(), |ctx: Ctx, req: Request, next: Next| {
                    rbac::gate(rbac::ADMIN_ACCESS, ctx, req, next)
                })),
        )
        .merge(crate::seller::apply_routes())
        .merge(
            crate::seller::routes()
                .route_layer(middleware::from_fn_with_state(state.clone(), |ctx: Ctx, req: Request, next: Next| {
                    rbac::gate(rbac::VENDOR_PORTAL, ctx, req, next)
                })),
        );
    let pages = if state.config.sandboxes {
        // The stand-ins for outside services keep what they were sent here.
        let sandboxes = crate::payments::sandbox::Sandboxes::default();
        pages
            .merge(crate::payments::sandbox::routes().with_state(sandboxes.clone()))
            .merge(crate::invoices::sandbox::routes().with_state(sandboxes))
    } else {
        pages
    };

    Router::new()
        .route("/", get(root_redirect))
        .route("/healthz", get(healthz))
        .route("/static/{*name}", get(assets::serve))
        .route("/media/{*key}", get(crate::media::serve))
        .merge(pages)
        .fallback(not_found)
        // A handler that panics still gets the error page, and its connection lives on.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(middleware::from_fn_with_state(csrf_config, csrf::protect))
        .layer(middleware::from_fn_with_state(
            input::Gate { proxies: state.config.trusted_proxies.clone(), limits: state.limits.clone() },
            input::check,
        ))
        .layer(middleware::from_fn_with_state(Arc::new(state.clone()), errors::render))
        .layer(middleware::from_fn(crate::web::remember_lang))
        .layer(middleware::from_fn(crate::web::private_pages))
        .layer(sessions)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(state.config.secure_cookies, crate::web::security_headers))
        .layer(middleware::from_fn(crate::web::log_request))
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// `/` → the language in the visitor's cookie, else Accept-Language, else fa.
async fn root_redirect(headers: axum::http::HeaderMap) -> Response {
    let lang = context::preferred_lang(&headers);
    let mut res = Redirect::to(&format!("/{}/", lang.code())).into_response();
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    res
}

async fn lang_root(ctx: Ctx) -> Redirect {
    Redirect::permanent(&ctx.href("/"))
}

/// 200 when the database answers within two seconds, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let check = async {
        let mut conn = state.pool.get().await.ok()?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.ok()
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Some(_)) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}
