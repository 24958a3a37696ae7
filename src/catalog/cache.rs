//! The category tree and each category's brands change rarely and are read on
//! every storefront page, so they are kept for a short while (`TtlCache`).

use std::sync::Arc;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::models::{self, Brand, Category, ProductCard};
use crate::cache::TtlCache;
use crate::db::{Plans, tenant_read};

/// (tenant, search key, skip, take)
type SearchKey = (Uuid, String, i64, i64);

#[derive(Clone)]
pub struct CatalogCache {
    categories: TtlCache<Uuid, Vec<Category>>,
    brands: TtlCache<(Uuid, Uuid), Vec<Brand>>,
    /// Search result pages for a minute: popular queries repeat, and a query that
    /// is not the start of a name costs a GIN scan of long posting lists (see
    /// `models::search`).
    search: TtlCache<SearchKey, Vec<ProductCard>>,
}

impl CatalogCache {
    pub fn new(search_ttl: Duration) -> Self {
        Self {
            categories: TtlCache::new(Duration::from_secs(30), 1_000),
            brands: TtlCache::new(Duration::from_secs(60), 10_000),
            search: TtlCache::new(search_ttl, 20_000),
        }
    }
}

impl CatalogCache {
    /// A product went live or changed its face: this server forgets cached
    /// brand lists and search results at once (others within their TTL).
    pub fn product_changed(&self) {
        self.brands.clear();
        self.search.clear();
    }

    /// Categories or brands were edited: this server shows the new tree at once.
    pub fn catalog_changed(&self) {
        self.categories.clear();
        self.product_changed();
    }

    /// The tenant's active categories in display order.
    pub async fn categories(
        &self,
        conn: &mut AsyncPgConnection,
        tenant: Uuid,
    ) -> diesel::QueryResult<Arc<Vec<Category>>> {
        if let Some(found) = self.categories.get(&tenant) {
            return Ok(found);
        }
        let loaded = tenant_read(conn, tenant, Plans::Chosen, async |c| models::categories(c, tenant).await).await?;
        Ok(self.categories.insert(tenant, loaded))
    }

    /// Brands with active products under `category` (whose subtree is `ids`).
    pub async fn brands_in(
        &self,
        conn: &mut AsyncPgConnection,
        tenant: Uuid,
        category: Uuid,
        ids: &[Uuid],
    ) -> diesel::QueryResult<Arc<Vec<Brand>>> {
        if let Some(found) = self.brands.get(&(tenant, category)) {
            return Ok(found);
        }
        let loaded =
            tenant_read(conn, tenant, Plans::Chosen, async |c| models::brands_in(c, tenant, ids).await).await?;
        Ok(self.brands.insert((tenant, category), loaded))
    }

    /// One page of a search's ranked results (`models::search`).
    pub async fn search(
        &self,
        conn: &mut AsyncPgConnection,
        tenant: Uuid,
        key: &str,
        skip: i64,
        take: i64,
    ) -> diesel::QueryResult<Arc<Vec<ProductCard>>> {
        let cache_key = (tenant, key.to_owned(), skip, take);
        if let Some(found) = self.search.get(&cache_key) {
            return Ok(found);
        }
        let loaded =
            tenant_read(conn, tenant, Plans::Chosen, async |c| models::search(c, tenant, key, skip, take).await)
                .await?;
        Ok(self.search.insert(cache_key, loaded))
    }
}
