//! Accounts: register, log in (with lockout), log out, the account page, and
//! who is signed in for each request.

mod handlers;
pub mod identity;
pub mod models;
pub mod password;
pub mod totp;
mod two_factor;

use axum::Router;
use axum::routing::get;
use tower_sessions::Session;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::tenant_tx;
use crate::error::AppResult;

/// Session key holding the signed-in user's id.
pub const SESSION_USER: &str = "uid";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
    /// Permission codes of all the user's roles (`products.moderate`, ...).
    pub permissions: Vec<String>,
    pub totp_enabled: bool,
}

impl CurrentUser {
    pub fn can(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    pub fn display_name(&self) -> &str {
        if self.full_name.trim().is_empty() { &self.email } else { &self.full_name }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/login", get(handlers::login_page).post(handlers::login))
        .route("/{lang}/register", get(handlers::register_page).post(handlers::register))
        .route("/{lang}/logout", get(handlers::logout_page).post(handlers::logout))
        .route("/{lang}/account", get(handlers::account))
        .route("/{lang}/account/2fa", get(two_factor::setup_page).post(two_factor::confirm))
        .route("/{lang}/login/2fa", get(two_factor::login_page).post(two_factor::login))
}

/// How long a signed-in user's name and roles are reused without asking the
/// database: a deactivated user or a changed role takes effect within this.
pub const USER_CACHE: std::time::Duration = std::time::Duration::from_secs(5);

/// The signed-in user, read under the request's tenant: a session made on one
/// tenant's site is anonymous on another's, and a deactivated user is signed out.
pub async fn current_user(state: &AppState, session: &Session, tenant: Uuid) -> AppResult<Option<CurrentUser>> {
    let Some(id) = session.get::<Uuid>(SESSION_USER).await? else {
        return Ok(None);
    };
    if let Some(user) = state.users.get(&(tenant, id)) {
        return Ok(Some((*user).clone()));
    }
    let mut conn = state.db().await?;
    let found = tenant_tx(&mut conn, tenant, async |c| models::session_user(c, tenant, id).await).await?;
    Ok(found.map(|u| {
        let user = CurrentUser {
            id,
            email: u.email,
            full_name: u.full_name,
            roles: u.roles,
            permissions: u.permissions,
            totp_enabled: u.totp_enabled,
        };
        state.users.insert((tenant, id), user.clone());
        user
    }))
}
