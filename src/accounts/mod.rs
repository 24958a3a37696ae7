//! Accounts: register, log in (with lockout), log out, the account page, and
//! who is signed in for each request.

pub mod current_user;
mod handlers;
pub mod identity;
pub mod models;
pub mod password;
pub mod totp;
mod two_factor;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/login", get(handlers::login_page).post(handlers::login))
        .route("/{lang}/register", get(handlers::register_page).post(handlers::register))
        .route("/{lang}/logout", get(handlers::logout_page).post(handlers::logout))
        .route("/{lang}/account", get(handlers::account))
        .route("/{lang}/account/2fa", get(two_factor::setup_page).post(two_factor::confirm))
        .route("/{lang}/login/2fa", get(two_factor::login_page).post(two_factor::login))
}
