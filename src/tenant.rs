//! The tenant a request acts for: found from the Host header (a tenant has
//! domains). A host no tenant has is the default tenant in development and a
//! plain 404 in production. Tenants found by a domain are cached briefly, as
//! every request needs one and they change rarely; unknown hosts are never
//! cached (anyone can make up any number of them).

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::cache::TtlCache;
use crate::db::DbPool;
use crate::error::{AppError, AppResult};
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
    /// The tenant's host names, oldest first; the first is its own address
    /// for links when the request came through some other name.
    pub domains: Vec<String>,
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
pub struct TenantCache {
    by_host: TtlCache<String, Tenant>,
    /// The default tenant, for hosts no tenant has (development only).
    default: TtlCache<(), Tenant>,
    /// Whether an unknown host gets the default tenant (development) or 404.
    fallback: bool,
}

impl Default for TenantCache {
    fn default() -> Self {
        Self::new(true)
    }
}

impl TenantCache {
    /// `fallback`: an unknown host is served as the default tenant (development);
    /// without it, an unknown host is a 404 (production).
    pub fn new(fallback: bool) -> Self {
        Self {
            by_host: TtlCache::new(Duration::from_secs(30), 10_000),
            default: TtlCache::new(Duration::from_secs(30), 1),
            fallback,
        }
    }

    pub async fn resolve(&self, pool: &DbPool, host: &str) -> AppResult<Arc<Tenant>> {
        if !valid_host(host) {
            return Err(AppError::BadRequest("error-bad-request"));
        }
        let host = normalize_host(host);
        if let Some(t) = self.by_host.get(&host) {
            return Ok(t);
        }
        let mut conn = pool.get().await?;
        if let Some(tenant) = load(&mut conn, Some(&host)).await? {
            return Ok(self.by_host.insert(host, tenant));
        }
        if !self.fallback {
            return Err(AppError::NotFound);
        }
        if let Some(t) = self.default.get(&()) {
            return Ok(t);
        }
        let tenant = load(&mut conn, None).await?.ok_or(AppError::NotFound)?;
        Ok(self.default.insert((), tenant))
    }

    pub fn clear(&self) {
        self.by_host.clear();
        self.default.clear();
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

/// A Host header shaped like a host: a name of letters, digits, `-`, `_` and
/// dots (at most 253 characters, labels of at most 63), an IPv4 address, or
/// an IPv6 one in brackets; then perhaps a port.
pub fn valid_host(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, rest)) => {
                if addr.parse::<std::net::Ipv6Addr>().is_err() {
                    return false;
                }
                ("", rest.strip_prefix(':'))
            }
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = host.starts_with('[')
        || (!name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            }));
    port_ok && name_ok
}

type TenantRow = (Uuid, String, String, Option<String>, Option<String>);

/// The tenant that has `host` as a domain, or with None the default tenant.
async fn load(conn: &mut AsyncPgConnection, host: Option<&str>) -> QueryResult<Option<Tenant>> {
    let cols = (tenants::id, tenants::slug, tenants::name, tenants::name_fa, tenants::name_ar);
    let row: Option<TenantRow> = match host {
        Some(host) => tenant_domains::table
            .inner_join(tenants::table)
            .filter(tenant_domains::domain.eq(host))
            .filter(tenants::status.eq("ACTIVE"))
            .select(cols)
            .first(conn)
            .await
            .optional()?,
        None => tenants::table.filter(tenants::is_default).select(cols).first(conn).await.optional()?,
    };
    let Some((id, slug, name, name_fa, name_ar)) = row else { return Ok(None) };
    let domains: Vec<String> = tenant_domains::table
        .filter(tenant_domains::tenant_id.eq(id))
        .order((tenant_domains::created_at, tenant_domains::domain))
        .select(tenant_domains::domain)
        .load(conn)
        .await?;
    let display = crate::db::tenant_tx(conn, id, async |c| load_display(c, id).await).await?;
    Ok(Some(Tenant { id, slug, name, name_fa, name_ar, display, domains }))
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

/// A new shop, as an operator or a SUPER_ADMIN types it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewTenant {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_fa: String,
    #[serde(default)]
    pub name_ar: String,
    #[serde(default)]
    pub domain: String,
}

/// Why a shop or a domain was not added (message ids, shown beside the field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantErrors {
    pub slug: Option<&'static str>,
    pub name: Option<&'static str>,
    pub domain: Option<&'static str>,
}

impl TenantErrors {
    pub fn any(&self) -> bool {
        self.slug.is_some() || self.name.is_some() || self.domain.is_some()
    }
}

/// A shop's slug: 2–40 of a–z, 0–9 and `-`, not at either end.
pub fn slug_ok(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// A domain as stored: lower-case, no port; None unless it is a host name.
pub fn clean_domain(domain: &str) -> Option<String> {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    (valid_host(&d) && !d.contains(':') && !d.starts_with('[')).then_some(d)
}

/// Adds a shop with its first domain. Slug and domain must be free.
pub async fn create(conn: &mut AsyncPgConnection, new: &NewTenant) -> QueryResult<Result<Uuid, TenantErrors>> {
    let mut errors = TenantErrors::default();
    let slug = new.slug.trim().to_ascii_lowercase();
    if !slug_ok(&slug) {
        errors.slug = Some("tenant-slug-invalid");
    }
    let name = crate::text::clean_name(&new.name);
    if name.is_empty() || name.chars().count() > 120 {
        errors.name = Some("tenant-name-invalid");
    }
    let domain = clean_domain(&new.domain);
    if domain.is_none() {
        errors.domain = Some("tenant-domain-invalid");
    }
    if errors.any() {
        return Ok(Err(errors));
    }
    let domain = domain.unwrap_or_default();
    let slug_taken: i64 = tenants::table.filter(tenants::slug.eq(&slug)).count().get_result(conn).await?;
    if slug_taken > 0 {
        errors.slug = Some("tenant-slug-taken");
    }
    if domain_taken(conn, &domain).await? {
        errors.domain = Some("tenant-domain-taken");
    }
    if errors.any() {
        return Ok(Err(errors));
    }
    let has_default: i64 = tenants::table.filter(tenants::is_default).count().get_result(conn).await?;
    let id = Uuid::now_v7();
    let opt = |s: &str| Some(crate::text::clean_name(s)).filter(|s| !s.is_empty());
    diesel::insert_into(tenants::table)
        .values((
            tenants::id.eq(id),
            tenants::slug.eq(&slug),
            tenants::name.eq(&name),
            tenants::name_fa.eq(opt(&new.name_fa)),
            tenants::name_ar.eq(opt(&new.name_ar)),
            tenants::is_default.eq(has_default == 0),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(tenant_domains::table)
        .values((tenant_domains::domain.eq(&domain), tenant_domains::tenant_id.eq(id)))
        .execute(conn)
        .await?;
    Ok(Ok(id))
}

async fn domain_taken(conn: &mut AsyncPgConnection, domain: &str) -> QueryResult<bool> {
    let n: i64 = tenant_domains::table.filter(tenant_domains::domain.eq(domain)).count().get_result(conn).await?;
    Ok(n > 0)
}

/// Adds a host name to a shop; the message id of the refusal otherwise.
pub async fn add_domain(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    domain: &str,
) -> QueryResult<Result<(), &'static str>> {
    let Some(domain) = clean_domain(domain) else { return Ok(Err("tenant-domain-invalid")) };
    if domain_taken(conn, &domain).await? {
        return Ok(Err("tenant-domain-taken"));
    }
    diesel::insert_into(tenant_domains::table)
        .values((tenant_domains::domain.eq(&domain), tenant_domains::tenant_id.eq(tenant)))
        .execute(conn)
        .await?;
    Ok(Ok(()))
}

/// Every shop: (id, slug, name, status, domains), oldest first.
pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(Uuid, String, String, String, Vec<String>)>> {
    let rows: Vec<(Uuid, String, String, String)> = tenants::table
        .order(tenants::created_at)
        .select((tenants::id, tenants::slug, tenants::name, tenants::status))
        .load(conn)
        .await?;
    let domains: Vec<(Uuid, String)> = tenant_domains::table
        .order((tenant_domains::created_at, tenant_domains::domain))
        .select((tenant_domains::tenant_id, tenant_domains::domain))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, status)| {
            let ds = domains.iter().filter(|(t, _)| *t == id).map(|(_, d)| d.clone()).collect();
            (id, slug, name, status, ds)
        })
        .collect())
}

/// The shop named by `key`: its slug or one of its domains.
pub async fn find(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<Option<Uuid>> {
    let key = key.trim().to_ascii_lowercase();
    let by_slug: Option<Uuid> =
        tenants::table.filter(tenants::slug.eq(&key)).select(tenants::id).first(conn).await.optional()?;
    if by_slug.is_some() {
        return Ok(by_slug);
    }
    tenant_domains::table
        .filter(tenant_domains::domain.eq(&key))
        .select(tenant_domains::tenant_id)
        .first(conn)
        .await
        .optional()
}

#[cfg(test)]
mod tests {
    use super::normalize_host;

    #[test]
    fn only_host_shaped_hosts_are_valid() {
        use super::valid_host;
        for ok in ["localhost", "shop.example:8080", "127.0.0.1", "[::1]:8080", "xn--mgbh0fb.example", "a_b.local"] {
            assert!(valid_host(ok), "{ok}");
        }
        let long = format!("{}.example", "a".repeat(250));
        for bad in [
            "",
            "evil.example/",
            "a..b",
            "<script>",
            "shop.example:80a",
            "[::1",
            "[nope]",
            long.as_str(),
            "\u{0430}.example",
        ] {
            assert!(!valid_host(bad), "{bad}");
        }
    }

    #[test]
    fn host_is_normalised() {
        assert_eq!(normalize_host("Shop.Example:8080"), "shop.example");
        assert_eq!(normalize_host("localhost"), "localhost");
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
    }
}
