//! The tenant a request acts for: found from the Host header (a tenant has
//! domains), else the default tenant. Resolved tenants are cached briefly, as
//! every request needs one and they change rarely.

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::cache::TtlCache;
use crate::db::DbPool;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::i18n::format::{Currency, Digits, MoneyStyle};
use crate::schema::{settings, tenant_domains, tenants};

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    name: String,
    name_fa: Option<String>,
    name_ar: Option<String>,
    pub display: DisplaySettings,
}

/// The tenant's settings that shape every page.
#[derive(Debug, Clone, Copy)]
pub struct DisplaySettings {
    pub currency: Currency,
    /// IRR prices shown in Toman (Rial / 10) rather than Rial.
    pub toman: bool,
    /// Arabic pages in Arabic-Indic digits (else Western).
    pub arabic_indic_digits: bool,
}

impl Default for DisplaySettings {
    fn default() -> Self {
        Self { currency: Currency::Irr, toman: true, arabic_indic_digits: true }
    }
}

impl Tenant {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(Some(&self.name), self.name_fa.as_deref(), self.name_ar.as_deref())
    }

    pub fn digits(&self, lang: Lang) -> Digits {
        match lang {
            Lang::Fa => Digits::Persian,
            Lang::Ar if self.display.arabic_indic_digits => Digits::ArabicIndic,
            _ => Digits::Latin,
        }
    }

    pub fn money(&self, lang: Lang) -> MoneyStyle {
        MoneyStyle { currency: self.display.currency, toman: self.display.toman, digits: self.digits(lang) }
    }
}

/// Setting keys (rows of the `settings` table) read here.
pub const SETTING_CURRENCY: &str = "display.currency";
pub const SETTING_PRICE_UNIT: &str = "display.price_unit";
pub const SETTING_AR_DIGITS: &str = "display.ar_digits";

/// Tenants by host name, for 30 seconds.
#[derive(Clone)]
pub struct TenantCache(TtlCache<String, Tenant>);

impl Default for TenantCache {
    fn default() -> Self {
        Self(TtlCache::new(Duration::from_secs(30), 10_000))
    }
}

impl TenantCache {
    pub async fn resolve(&self, pool: &DbPool, host: &str) -> AppResult<Arc<Tenant>> {
        let host = normalize_host(host);
        if let Some(t) = self.0.get(&host) {
            return Ok(t);
        }
        let mut conn = pool.get().await?;
        let tenant = load(&mut conn, &host).await?;
        Ok(self.0.insert(host, tenant))
    }

    pub fn clear(&self) {
        self.0.clear();
    }
}

/// Lower-cases and drops the port: `Shop.Example:8080` → `shop.example`.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    if host.starts_with('[') {
        return host.split(']').next().map(|h| format!("{h}]")).unwrap_or(host);
    }
    host.rsplit_once(':').map(|(h, _)| h.to_owned()).unwrap_or(host)
}

type TenantRow = (Uuid, String, String, Option<String>, Option<String>);

async fn load(conn: &mut AsyncPgConnection, host: &str) -> QueryResult<Tenant> {
    let cols = (tenants::id, tenants::slug, tenants::name, tenants::name_fa, tenants::name_ar);
    let by_domain: Option<TenantRow> = tenant_domains::table
        .inner_join(tenants::table)
        .filter(tenant_domains::domain.eq(host))
        .filter(tenants::status.eq("ACTIVE"))
        .select(cols)
        .first(conn)
        .await
        .optional()?;
    let row = match by_domain {
        Some(row) => row,
        None => tenants::table.filter(tenants::is_default).select(cols).first(conn).await?,
    };
    let (id, slug, name, name_fa, name_ar) = row;
    let display = crate::db::tenant_tx(conn, id, async |c| load_display(c, id).await).await?;
    Ok(Tenant { id, slug, name, name_fa, name_ar, display })
}

async fn load_display(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<DisplaySettings> {
    let rows: Vec<(String, serde_json::Value)> = settings::table
        .filter(settings::tenant_id.eq(tenant))
        .filter(settings::key.like("display.%"))
        .select((settings::key, settings::value))
        .load(conn)
        .await?;
    let mut d = DisplaySettings::default();
    for (key, value) in rows {
        match (key.as_str(), value.as_str()) {
            (SETTING_CURRENCY, Some(code)) => d.currency = Currency::from_code(code).unwrap_or(d.currency),
            (SETTING_PRICE_UNIT, Some(unit)) => d.toman = unit.eq_ignore_ascii_case("TOMAN"),
            (SETTING_AR_DIGITS, Some(digits)) => d.arabic_indic_digits = digits != "latn",
            _ => {}
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::normalize_host;

    #[test]
    fn host_is_normalised() {
        assert_eq!(normalize_host("Shop.Example:8080"), "shop.example");
        assert_eq!(normalize_host("localhost"), "localhost");
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
    }
}
