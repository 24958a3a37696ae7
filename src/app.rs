//! Application state shared by every request.

use std::sync::Arc;

use crate::catalog::cache::CatalogCache;
use crate::config::web::WebConfig;
use crate::db::{DbConn, DbPool};
use crate::error::AppResult;
use crate::tenant::TenantCache;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub tenants: TenantCache,
    pub catalog: CatalogCache,
    /// Signed-in users by (tenant, id), for a few seconds: every request needs one.
    pub users: crate::cache::TtlCache<(uuid::Uuid, uuid::Uuid), crate::accounts::current_user::CurrentUser>,
    pub config: Arc<WebConfig>,
    /// For calls to payment gateways and the tax authority.
    pub http: reqwest::Client,
    /// Uploaded images.
    pub media: crate::media::store::MediaStore,
    /// What a stranger may repeat, per client address.
    pub limits: crate::web::rate_limit::Limits,
    /// Images a live product shows (public for good), so serving one asks
    /// the database once per ten minutes at most.
    pub published_media: crate::cache::TtlCache<uuid::Uuid, ()>,
}

impl AppState {
    pub fn new(pool: DbPool, config: WebConfig) -> Self {
        let media = crate::media::store::MediaStore::new(&config.media).unwrap_or_else(|e| {
            // `serve` checks the store before it starts; this only guards other callers.
            tracing::error!(error = %e, "media store unavailable; uploads kept in memory");
            crate::media::store::MediaStore::in_memory()
        });
        Self {
            limits: crate::web::rate_limit::Limits::new(config.rate_limits),
            published_media: crate::cache::TtlCache::new(std::time::Duration::from_secs(600), 200_000),
            media,
            pool,
            tenants: TenantCache::new(!config.production),
            catalog: CatalogCache::new(config.search_cache),
            users: crate::cache::TtlCache::new(crate::accounts::current_user::USER_CACHE, 100_000),
            config: Arc::new(config),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .connect_timeout(std::time::Duration::from_secs(5))
                // Below the servers' idle timeout (ours is 15 s), so a pooled
                // connection is never reused just as the server closes it.
                .pool_idle_timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        }
    }

    pub async fn db(&self) -> AppResult<DbConn> {
        Ok(self.pool.get().await?)
    }

    /// One pooled connection and one transaction in `tenant`, for a handler
    /// that needs nothing else from the pool: `state.tx(tenant, async |c| …)`.
    pub async fn tx<T, E, F>(&self, tenant: uuid::Uuid, f: F) -> AppResult<T>
    where
        for<'c> F: AsyncFnOnce(&'c mut diesel_async::AsyncPgConnection) -> Result<T, E>
            + crate::db::TxFn<&'c mut diesel_async::AsyncPgConnection, Result<T, E>, Fut: Send>
            + Send,
        E: From<diesel::result::Error> + Send,
        crate::error::AppError: From<E>,
        T: Send,
    {
        let mut conn = self.db().await?;
        Ok(crate::db::tenant_tx(&mut conn, tenant, f).await?)
    }

    /// [`AppState::tx`] with the actor named for the audit log.
    pub async fn tx_as<T, E, F>(&self, tenant: uuid::Uuid, actor: &crate::db::Actor, f: F) -> AppResult<T>
    where
        for<'c> F: AsyncFnOnce(&'c mut diesel_async::AsyncPgConnection) -> Result<T, E>
            + crate::db::TxFn<&'c mut diesel_async::AsyncPgConnection, Result<T, E>, Fut: Send>
            + Send,
        E: From<diesel::result::Error> + Send,
        crate::error::AppError: From<E>,
        T: Send,
    {
        let mut conn = self.db().await?;
        Ok(crate::db::tenant_tx_as(&mut conn, tenant, actor, f).await?)
    }
}
