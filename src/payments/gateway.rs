//! What every Iranian payment gateway does for us, whatever its wire format:
//! open a payment for an amount in Rial and hand back where to send the
//! shopper, then verify the payment when the shopper comes back.

/// A payment to open.
#[derive(Debug, Clone)]
pub struct StartRequest {
    /// Whole Rials (Shaparak gateways take no other unit).
    pub amount_rial: i64,
    pub callback_url: String,
    pub description: String,
    /// Our unique reference for this attempt (the payment's id).
    pub order_ref: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// An opened payment: the gateway's id for it and the page to send the shopper to.
#[derive(Debug, Clone)]
pub struct Started {
    pub reference: String,
    pub redirect_url: String,
}

/// What we ask the gateway to confirm: always our own record's amount and reference.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    pub reference: String,
    pub amount_rial: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The bank's reference (Zarinpal `ref_id`), to show and to reconcile.
    pub track: String,
    /// The card, masked by the gateway (e.g. `502229******5995`).
    pub card_pan: Option<String>,
    /// The gateway had verified this payment before (Zarinpal code 101).
    pub already: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GatewayError {
    /// The gateway answered with a refusal code.
    #[error("gateway refused with code {code}: {message}")]
    Refused { code: i64, message: String },
    /// No usable answer (network, timeout, malformed body): the outcome is unknown.
    #[error("gateway unreachable: {0}")]
    Unreachable(String),
}

pub trait PaymentGateway {
    /// The name stored in `payments.gateway`.
    const NAME: &'static str;

    fn start(&self, req: &StartRequest) -> impl Future<Output = Result<Started, GatewayError>> + Send;

    fn verify(&self, req: &VerifyRequest) -> impl Future<Output = Result<Verified, GatewayError>> + Send;
}

/// The Zarinpal client for this deployment.
pub fn zarinpal(state: &crate::app::AppState) -> super::zarinpal::Zarinpal {
    super::zarinpal::Zarinpal::new(state.http.clone(), state.config.zarinpal.clone())
}

/// The Mellat client, when this deployment has Mellat.
pub fn mellat(state: &crate::app::AppState) -> Option<super::mellat::Mellat> {
    state.config.mellat.clone().map(|c| super::mellat::Mellat::new(state.http.clone(), c))
}

/// The Saman client, when this deployment has Saman.
pub fn saman(state: &crate::app::AppState) -> Option<super::saman::Saman> {
    state.config.saman.clone().map(|c| super::saman::Saman::new(state.http.clone(), c))
}
