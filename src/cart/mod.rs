//! The cart: for guests (found through their session) and signed-in users
//! (through user_id); a guest cart joins the user's at login. Every action is
//! an htmx fragment and, with JavaScript off, a plain form post.

mod handlers;
pub mod models;

use axum::Router;
use axum::routing::{get, post};
use diesel_async::AsyncPgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use crate::app::AppState;

/// Session keys: the guest cart's id, and (tenant, item count) for the header.
pub const SESSION_CART: &str = "cart";
const SESSION_COUNT: &str = "cart_n";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/cart", get(handlers::page))
        .route("/{lang}/cart/add", post(handlers::add))
        .route("/{lang}/cart/items/{id}", post(handlers::update))
        .route("/{lang}/cart/items/{id}/remove", post(handlers::remove))
}

/// The header's item count for this tenant, from the session (no query).
pub async fn session_count(session: &Session, tenant: Uuid) -> i64 {
    match session.get::<(Uuid, i64)>(SESSION_COUNT).await {
        Ok(Some((t, n))) if t == tenant => n,
        _ => 0,
    }
}

pub async fn set_session_count(
    session: &Session,
    tenant: Uuid,
    count: i64,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(SESSION_COUNT, (tenant, count)).await
}

pub async fn guest_cart(session: &Session) -> Option<Uuid> {
    session.get::<Uuid>(SESSION_CART).await.ok().flatten()
}

/// At login: the guest cart's lines move into the user's cart, and the
/// header count becomes the user's. Runs inside the login's tenant transaction.
pub async fn adopt_guest_cart(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    guest: Option<Uuid>,
    user: Uuid,
) -> diesel::QueryResult<i64> {
    if let Some(guest) = guest {
        models::merge_into_user(conn, tenant, guest, user).await?;
    }
    match models::find(conn, tenant, Some(user), None).await? {
        Some(cart) => models::count(conn, tenant, cart).await,
        None => Ok(0),
    }
}
