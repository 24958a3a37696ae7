//! The cart: for guests (found through their session) and signed-in users
//! (through user_id); a guest cart joins the user's at login. Every action is
//! an htmx fragment and, with JavaScript off, a plain form post.

mod lines;
pub mod models;
pub mod session;
mod view;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/cart", get(view::page))
        .route("/{lang}/cart/add", post(lines::add))
        .route("/{lang}/cart/items/{id}", post(lines::update))
        .route("/{lang}/cart/items/{id}/remove", post(lines::remove))
}
