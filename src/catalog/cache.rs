//! The category tree and each category's brands change rarely and are read on
//! every storefront page, so they are kept for a short while (`TtlCache`).

use std::sync::Arc;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::models::{self, Brand, Category};
use crate::cache::TtlCache;
use crate::db::tenant_tx;

#[derive(Clone)]
pub struct CatalogCache {
    categories: TtlCache<Uuid, Vec<Category>>,
    brands: TtlCache<(Uuid, Uuid), Vec<Brand>>,
}

impl Default for CatalogCache {
    fn default() -> Self {
        Self { categories: TtlCache::new(Duration::from_secs(30), 1_000), brands: TtlCache::new(Duration::from_secs(60), 10_000) }
    }
}

impl CatalogCache {
    /// The tenant's active categories in display order.
    pub async fn categories(&self, conn: &mut AsyncPgConnection, tenant: Uuid) -> diesel::QueryResult<Arc<Vec<Category>>> {
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

    pub fn clear(&self) {
        self.categories.clear();
        self.brands.clear();
    }
}
