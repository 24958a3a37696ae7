//! Accounts: register, log in (with lockout), log out, the account page, and
//! who is signed in for each request.

mod account;
pub mod current_user;
pub mod identity;
mod login;
pub mod models;
pub mod password;
mod register;
pub mod totp;
mod two_factor;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/login", get(login::login_page).post(login::login))
        .route("/{lang}/register", get(register::register_page).post(register::register))
        .route("/{lang}/logout", get(account::logout_page).post(account::logout))
        .route("/{lang}/account", get(account::account))
        .route("/{lang}/account/2fa", get(two_factor::setup_page).post(two_factor::confirm))
        .route("/{lang}/login/2fa", get(two_factor::login_page).post(two_factor::login))
}
