//! Application state shared by every request.

use std::sync::Arc;

use crate::catalog::cache::CatalogCache;
use crate::db::{DbConn, DbPool};
use crate::error::AppResult;
use crate::payments::mellat::Mellat;
pub use crate::payments::mellat::MellatConfig;
use crate::payments::saman::Saman;
pub use crate::payments::saman::SamanConfig;
use crate::payments::zarinpal::Zarinpal;
pub use crate::payments::zarinpal::ZarinpalConfig;
use crate::tenant::TenantCache;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub tenants: TenantCache,
    pub catalog: CatalogCache,
    /// Signed-in users by (tenant, id), for a few seconds: every request needs one.
    pub users: crate::cache::TtlCache<(uuid::Uuid, uuid::Uuid), crate::accounts::CurrentUser>,
    pub config: Arc<WebConfig>,
    /// For calls to payment gateways and the tax authority.
    pub http: reqwest::Client,
    /// The stand-ins for outside services (used only when `config.sandboxes`).
    pub sandbox: crate::payments::sandbox::Sandboxes,
    /// Uploaded images.
    pub media: crate::media::MediaStore,
    /// What a stranger may repeat, per client address.
    pub limits: crate::web::rate_limit::Limits,
    /// Images a live product shows (public for good), so serving one asks
    /// the database once per ten minutes at most.
    pub published_media: crate::cache::TtlCache<uuid::Uuid, ()>,
}

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
    pub media: crate::media::MediaConfig,
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
                merchant_id: crate::payments::sandbox::SANDBOX_MERCHANT.into(),
            },
            saman: Some(SamanConfig {
                api_base: format!("{origin}/sandbox/saman"),
                start_base: format!("{origin}/sandbox/saman"),
                terminal_id: crate::payments::sandbox::SANDBOX_SAMAN_TERMINAL.into(),
            }),
            mellat: Some(MellatConfig {
                endpoint: format!("{origin}/sandbox/mellat/pgwchannel/services/pgw"),
                start_url: format!("{origin}/sandbox/mellat/pgwchannel/startpay.mellat"),
                terminal_id: crate::payments::sandbox::SANDBOX_MELLAT_TERMINAL.into(),
                user_name: "sandbox".into(),
                password: "sandbox".into(),
            }),
            moodian_url: format!("{origin}/sandbox/moodian/requestsmanager/api/v2"),
            moodian_key: None,
            moodian_inquiry_delay: time::Duration::seconds(10),
            media: crate::media::MediaConfig::Folder("var/media".into()),
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

impl AppState {
    pub fn new(pool: DbPool, config: WebConfig) -> Self {
        let media = crate::media::MediaStore::new(&config.media).unwrap_or_else(|e| {
            // `serve` checks the store before it starts; this only guards other callers.
            tracing::error!(error = %e, "media store unavailable; uploads kept in memory");
            crate::media::MediaStore::in_memory()
        });
        Self {
            limits: crate::web::rate_limit::Limits::new(config.rate_limits),
            published_media: crate::cache::TtlCache::new(std::time::Duration::from_secs(600), 200_000),
            media,
            pool,
            tenants: TenantCache::new(!config.production),
            catalog: CatalogCache::new(config.search_cache),
            users: crate::cache::TtlCache::new(crate::accounts::USER_CACHE, 100_000),
            config: Arc::new(config),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .connect_timeout(std::time::Duration::from_secs(5))
                // Below the servers' idle timeout (ours is 15 s), so a pooled
                // connection is never reused just as the server closes it.
                .pool_idle_timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            sandbox: Default::default(),
        }
    }

    pub fn zarinpal(&self) -> Zarinpal {
        Zarinpal::new(self.http.clone(), self.config.zarinpal.clone())
    }

    pub fn mellat(&self) -> Option<Mellat> {
        self.config.mellat.clone().map(|c| Mellat::new(self.http.clone(), c))
    }

    pub fn saman(&self) -> Option<Saman> {
        self.config.saman.clone().map(|c| Saman::new(self.http.clone(), c))
    }

    pub async fn db(&self) -> AppResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
