//! The category tree and each category's brands change rarely and are read on
//! every storefront page, so they are kept for a short while (`TtlCache`).

use std::sync::Arc;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::models::{self, Brand, Category, ProductCard};
use crate::cache::TtlCache;
use crate::db::tenant_tx;

/// (tenant, search key, limit, offset)
type SearchKey = (Uuid, String, i64, i64);

#[derive(Clone)]
pub struct CatalogCache {
    categories: TtlCache<Uuid, Vec<Category>>,
    brands: TtlCache<(Uuid, Uuid), Vec<Brand>>,
    /// Search results for a minute: popular queries repeat, and a common word costs
    /// a GIN scan of a long posting list (see `models::search`).
    search: TtlCache<SearchKey, (Vec<ProductCard>, bool)>,
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
    /// The tenant's active categories in display order.
    pub async fn categories(
        &self,
        conn: &mut AsyncPgConnection,
        tenant: Uuid,
    ) -> diesel::QueryResult<Arc<Vec<Category>>> {
        if let Some(found) = self.categories.get(&tenant) {
            return Ok(found);
        }
        let loaded = tenant_tx(conn, tenant, async |c| models::categories(c, tenant).await).await?;
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
        let loaded = tenant_tx(conn, tenant, async |c| models::brands_in(c, tenant, ids).await).await?;
        Ok(self.brands.insert((tenant, category), loaded))
    }

    /// One page of search results for a search key.
    pub async fn search(
        &self,
        conn: &mut AsyncPgConnection,
        tenant: Uuid,
        key: &str,
        limit: i64,
        offset: i64,
    ) -> diesel::QueryResult<Arc<(Vec<ProductCard>, bool)>> {
        let cache_key = (tenant, key.to_owned(), limit, offset);
        if let Some(found) = self.search.get(&cache_key) {
            return Ok(found);
        }
        let loaded = tenant_tx(conn, tenant, async |c| models::search(c, tenant, key, limit, offset).await).await?;
        Ok(self.search.insert(cache_key, loaded))
    }

    pub fn clear(&self) {
        self.categories.clear();
        self.brands.clear();
        self.search.clear();
    }
}
