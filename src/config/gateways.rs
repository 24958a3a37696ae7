//! How to reach the payment gateways, and the credentials our own sandboxes
//! of them accept (development and tests).

/// The merchant id the Zarinpal sandbox accepts.
pub const SANDBOX_MERCHANT: &str = "00000000-0000-4000-8000-000000000000";
/// The terminal the Saman sandbox accepts.
pub const SANDBOX_SAMAN_TERMINAL: &str = "13245768";
/// The terminal the Mellat sandbox accepts.
pub const SANDBOX_MELLAT_TERMINAL: &str = "4410101";

#[derive(Debug, Clone)]
pub struct ZarinpalConfig {
    /// Where the API lives, e.g. `https://payment.zarinpal.com` (or our sandbox).
    pub api_base: String,
    /// Where shoppers are sent (`{start_base}/pg/StartPay/{authority}`).
    pub start_base: String,
    pub merchant_id: String,
}

#[derive(Debug, Clone)]
pub struct SamanConfig {
    /// e.g. `https://sep.shaparak.ir` (or our sandbox).
    pub api_base: String,
    /// Where shoppers are sent (`{start_base}/OnlinePG/SendToken?token=…`).
    pub start_base: String,
    pub terminal_id: String,
}

#[derive(Debug, Clone)]
pub struct MellatConfig {
    /// The SOAP endpoint, e.g. `https://bpm.shaparak.ir/pgwchannel/services/pgw` (or our sandbox).
    pub endpoint: String,
    /// The page the shopper's browser posts RefId to (`…/pgwchannel/startpay.mellat`).
    pub start_url: String,
    pub terminal_id: String,
    pub user_name: String,
    pub password: String,
}
