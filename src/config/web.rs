//! What the running web application needs to know about its deployment,
//! built from `Config` by `server` (or by a test).

use super::gateways::{MellatConfig, SamanConfig, ZarinpalConfig};

/// What the web layer needs to know about its deployment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The public origin (`https://shop.example`) for canonical links; else taken from Host.
    pub public_url: Option<String>,
    /// Mark cookies Secure (set when the public URL is https).
    pub secure_cookies: bool,
    /// How long search results are cached; zero turns the cache off.
    pub search_cache: std::time::Duration,
    /// How long an unpaid order holds its stock.
    pub reservation: time::Duration,
    /// Mount the gateway and tax-authority sandboxes (development and tests).
    pub sandboxes: bool,
    pub zarinpal: ZarinpalConfig,
    /// Saman (SEP); None leaves it off the payment page.
    pub saman: Option<SamanConfig>,
    /// Behpardakht Mellat; None leaves it off the payment page.
    pub mellat: Option<MellatConfig>,
    /// Base URL of the Moodian API (`…/requestsmanager/api/v2`).
    pub moodian_url: String,
    /// The taxpayer's Moodian key and certificate; None in development signs
    /// with a key made for the process (the sandbox accepts any certificate).
    pub moodian_key: Option<std::sync::Arc<crate::invoices::jose::TaxpayerKey>>,
    /// Wait between sending an invoice and asking for its verdict.
    pub moodian_inquiry_delay: time::Duration,
    /// Where uploaded images are stored.
    pub media: crate::media::store::MediaConfig,
    /// Reverse proxies whose X-Forwarded-For names the client.
    pub trusted_proxies: crate::web::client_ip::TrustedProxies,
    /// Rate limits on sign-in, registration, codes, search, cart and callbacks.
    pub rate_limits: bool,
    /// The key that seals secrets kept in the database (TOTP secrets).
    pub secrets: crate::secrets::SecretBox,
    /// Production: no demo data or demo passwords, and a host no tenant has
    /// is a 404 (in development it is the default tenant).
    pub production: bool,
}

impl WebConfig {
    /// Development defaults: every outside service is our own sandbox at `origin`.
    pub fn with_sandboxes(origin: &str) -> Self {
        let origin = origin.trim_end_matches('/');
        Self {
            public_url: None,
            secure_cookies: false,
            search_cache: std::time::Duration::from_secs(60),
            reservation: time::Duration::minutes(30),
            sandboxes: true,
            zarinpal: ZarinpalConfig {
                api_base: format!("{origin}/sandbox/zarinpal"),
                start_base: format!("{origin}/sandbox/zarinpal"),
                merchant_id: super::gateways::SANDBOX_MERCHANT.into(),
            },
            saman: Some(SamanConfig {
                api_base: format!("{origin}/sandbox/saman"),
                start_base: format!("{origin}/sandbox/saman"),
                terminal_id: super::gateways::SANDBOX_SAMAN_TERMINAL.into(),
            }),
            mellat: Some(MellatConfig {
                endpoint: format!("{origin}/sandbox/mellat/pgwchannel/services/pgw"),
                start_url: format!("{origin}/sandbox/mellat/pgwchannel/startpay.mellat"),
                terminal_id: super::gateways::SANDBOX_MELLAT_TERMINAL.into(),
                user_name: "sandbox".into(),
                password: "sandbox".into(),
            }),
            moodian_url: format!("{origin}/sandbox/moodian/requestsmanager/api/v2"),
            moodian_key: None,
            moodian_inquiry_delay: time::Duration::seconds(10),
            media: crate::media::store::MediaConfig::Folder("var/media".into()),
            trusted_proxies: std::sync::Arc::new([]),
            rate_limits: true,
            production: false,
            secrets: crate::secrets::SecretBox::random(),
        }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self::with_sandboxes("http://127.0.0.1:8080")
    }
}
