//! The vendor portal (`/{lang}/vendor/`): a vendor's own products, their
//! moderation state, and stock. Every query names the vendor, so another
//! vendor's product id is a 404.

mod apply;
mod csv_io;
mod current;
mod dashboard;
mod images;
mod list;
pub mod models;
mod orders;
mod product_form;
pub mod shop;
mod stock;

use crate::app::AppState;
use axum::Router;
use axum::routing::get;
pub use csv_io::COLUMNS as CSV_COLUMNS;
pub use list::{ListParams, PAGE, Row, status_choices};

/// Applying to sell, open to any signed-in customer.
pub fn apply_routes() -> Router<AppState> {
    Router::new().route("/{lang}/sell", get(apply::page).post(apply::apply))
}

/// The vendor portal, which the router puts behind the portal permission.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/vendor", get(dashboard::dashboard))
        .route("/{lang}/vendor/products", get(list::products))
        .route("/{lang}/vendor/products/new", get(product_form::new_page).post(product_form::create))
        .route("/{lang}/vendor/products/{id}", get(product_form::edit_page).post(product_form::update))
        .route("/{lang}/vendor/products/{id}/stock", get(stock::stock_page).post(stock::adjust_stock))
        .route(
            "/{lang}/vendor/products/{id}/images",
            axum::routing::post(images::upload_image)
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::csrf::MAX_UPLOAD_BYTES)),
        )
        .route("/{lang}/vendor/products/{id}/images/remove", axum::routing::post(images::remove_image))
        .route("/{lang}/vendor/products/export.csv", get(csv_io::export))
        .route(
            "/{lang}/vendor/products/import",
            get(csv_io::page)
                .post(csv_io::import)
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::csrf::MAX_UPLOAD_BYTES)),
        )
        .route("/{lang}/vendor/orders", get(orders::page))
        .route("/{lang}/vendor/orders/{id}/ship", axum::routing::post(orders::ship))
}
