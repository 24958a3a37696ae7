//! What the session remembers about the cart: a guest's cart id and the
//! header's item count. The web context reads the count on every page, so
//! this file imports nothing from the cart pages.

use tower_sessions::Session;
use uuid::Uuid;

/// Session keys: the guest cart's id, and (tenant, item count) for the header.
pub const SESSION_CART: &str = "cart";
const SESSION_COUNT: &str = "cart_n";

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
