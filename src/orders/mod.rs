//! Checkout and orders: pricing, placement with stock reservation, the
//! customer's order pages, and the status lifecycle.

pub mod address;
mod checkout;
pub mod models;
pub mod pages;
pub mod pricing;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/checkout", get(checkout::page).post(checkout::submit))
        .route("/{lang}/account/orders", get(pages::list))
        .route("/{lang}/account/orders/{number}", get(pages::show))
        .route("/{lang}/account/orders/{number}/cancel", post(pages::cancel))
}
