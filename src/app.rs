//! Application state shared by every request.

use std::sync::Arc;

use crate::catalog::cache::CatalogCache;
use crate::db::{DbConn, DbPool};
use crate::error::AppResult;
use crate::tenant::TenantCache;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub tenants: TenantCache,
    pub catalog: CatalogCache,
    pub config: Arc<WebConfig>,
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
}

impl Default for WebConfig {
    fn default() -> Self {
        Self { public_url: None, secure_cookies: false, search_cache: std::time::Duration::from_secs(60) }
    }
}

impl AppState {
    pub fn new(pool: DbPool, config: WebConfig) -> Self {
        Self {
            pool,
            tenants: TenantCache::default(),
            catalog: CatalogCache::new(config.search_cache),
            config: Arc::new(config),
        }
    }

    pub async fn db(&self) -> AppResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
