//! Paying for orders: through a gateway (Zarinpal; Mellat and Saman follow
//! the same trait) or from the wallet, and refunds to the wallet. A payment is
//! only ever marked paid after the gateway verified our own record's amount
//! and reference, and at most once per order.

mod callbacks;
pub mod gateway;
pub mod mellat;
mod pay;
mod refund;
pub mod saman;
pub mod sandbox;
mod settle;
pub mod wallet;
mod wallet_page;
pub mod zarinpal;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use callbacks::{mellat_callback, mellat_go, saman_callback, zarinpal_callback};
use pay::pay;
use refund::refund;
use wallet_page::wallet_page;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account/orders/{number}/pay", post(pay))
        .route("/{lang}/account/orders/{number}/refund", post(refund))
        .route("/{lang}/account/wallet", get(wallet_page))
        .route("/{lang}/payments/zarinpal/callback", get(zarinpal_callback))
        .route("/{lang}/payments/saman/callback", post(saman_callback))
        .route("/{lang}/payments/mellat/go", get(mellat_go))
        .route("/{lang}/payments/mellat/callback", post(mellat_callback))
}
