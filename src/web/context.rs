//! `Ctx`: everything a page needs about its request — tenant, language,
//! signed-in user, CSRF token — resolved once by an extractor, so no handler
//! can forget the tenant.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use tower_sessions::Session;

use crate::accounts::current_user::CurrentUser;
use crate::app::AppState;
use crate::error::AppError;
use crate::i18n::format::{Digits, MoneyStyle};
use crate::i18n::{self, Lang};
use crate::tenant::Tenant;
use crate::web::csrf::CsrfToken;

#[derive(Clone)]
pub struct Ctx {
    pub tenant: Arc<Tenant>,
    pub lang: Lang,
    pub csrf: String,
    pub user: Option<CurrentUser>,
    pub session: Session,
    /// The path after `/{lang}`, starting with `/` (for the switcher and alternates).
    pub rest: String,
    pub query: Option<String>,
    pub origin: String,
    pub htmx: bool,
    /// Items in the visitor's cart, kept in the session so pages need no query for it.
    pub cart_count: i64,
    /// The peer's address and browser, for the audit log.
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let path = parts.uri.path();
        let (lang, rest) = split_lang(path).ok_or(AppError::NotFound)?;
        let rest = rest.to_owned();
        let tenant = resolve_tenant(&parts.headers, state).await?;
        let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::Internal("session layer missing".into()))?;
        let user = crate::accounts::current_user::current_user(state, &session, tenant.id).await?;
        let cart_count = crate::cart::session::session_count(&session, tenant.id).await;
        let ip = parts.extensions.get::<super::client_ip::ClientIp>().map(|c| c.0.to_string());
        let user_agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(Ctx {
            ip,
            user_agent,
            cart_count,
            lang,
            rest,
            query: parts.uri.query().map(str::to_owned),
            origin: origin(&parts.headers, state, &tenant),
            htmx: parts.headers.contains_key("hx-request"),
            tenant,
            csrf,
            user,
            session,
        })
    }
}

pub async fn resolve_tenant(headers: &HeaderMap, state: &AppState) -> Result<Arc<Tenant>, AppError> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    state.tenants.resolve(&state.pool, host).await
}

/// The visitor's language when the URL names none: the cookie from their last
/// visit, else their browser's Accept-Language, else Persian.
pub fn preferred_lang(headers: &HeaderMap) -> Lang {
    super::csrf::cookie(headers, super::LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Fa)
}

/// `/fa/c/x` → (Fa, "/c/x"); `/fa` → (Fa, "/"); anything else → None.
pub fn split_lang(path: &str) -> Option<(Lang, &str)> {
    let trimmed = path.strip_prefix('/')?;
    let (code, rest) = match trimmed.find('/') {
        Some(i) => (&trimmed[..i], &trimmed[i..]),
        None => (trimmed, "/"),
    };
    Lang::from_code(code).map(|l| (l, rest))
}

/// The origin for absolute links (canonical, hreflang, gateway callbacks):
/// the public URL when set; else the Host the request came by when it is one
/// of the tenant's domains; else the tenant's first domain. A forged Host is
/// never echoed into a page.
pub fn origin(headers: &HeaderMap, state: &AppState, tenant: &Tenant) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let name = crate::tenant::normalize_host(host);
    if crate::tenant::valid_host(host) && tenant.domains.contains(&name) {
        return format!("http://{host}");
    }
    match tenant.domains.first() {
        Some(domain) => format!("http://{domain}"),
        None => "http://localhost".to_owned(),
    }
}

impl Ctx {
    /// Whether the signed-in user holds `permission` (navigation shows only these).
    pub fn can(&self, permission: &str) -> bool {
        self.user.as_ref().is_some_and(|u| u.can(permission))
    }

    /// The signed-in user as the audit log's actor.
    /// `۲ آذر ۱۴۰۵، ۱۴:۰۵` in Tehran time.
    pub fn date_time(&self, at: time::OffsetDateTime) -> String {
        let comma = if self.lang == Lang::En { "," } else { "،" };
        let local = at.to_offset(crate::i18n::calendar::TEHRAN);
        let time = self.digits().apply(&format!("{:02}:{:02}", local.hour(), local.minute()));
        format!("{}{comma} {time}", crate::i18n::calendar::long_date(at, self.lang, self.digits()))
    }

    pub fn actor(&self) -> crate::db::Actor {
        crate::db::Actor {
            user: self.user.as_ref().map(|u| u.id),
            ip: self.ip.clone(),
            user_agent: self.user_agent.clone(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    pub fn t1(&self, key: &str, name: &str, value: impl Into<String>) -> String {
        i18n::t_args(self.lang, key, &[(name, value.into())])
    }

    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }

    pub fn digits(&self) -> Digits {
        self.tenant.digits(self.lang)
    }

    pub fn money_style(&self) -> MoneyStyle {
        self.tenant.money(self.lang)
    }

    /// A price with its unit, e.g. `۳۹۹٬۹۰۰ تومان`.
    pub fn money(&self, amount: &rust_decimal::Decimal) -> String {
        let style = self.money_style();
        i18n::t_around(self.lang, style.amount_message(), "amount", &style.amount(*amount))
    }

    /// A discount badge (`percent-off`), e.g. `خصم ١١٪`.
    pub fn percent_off(&self, pct: i64) -> String {
        i18n::t_around(self.lang, "percent-off", "pct", &self.num(pct))
    }

    /// The name of the unit prices are shown in ("Toman").
    pub fn money_unit_name(&self) -> String {
        self.t(&format!("unit-name-{}", self.money_style().unit()))
    }

    pub fn num(&self, n: impl Into<i64>) -> String {
        self.digits().int(n.into())
    }

    /// The header's cart count, in the page's digits.
    pub fn cart_badge(&self) -> String {
        self.num(self.cart_count)
    }

    pub fn site_name(&self) -> &str {
        self.tenant.name(self.lang)
    }

    /// A link inside this language: `href("/c/phones")` → `/fa/c/phones`.
    pub fn href(&self, rest: &str) -> String {
        format!("/{}{}", self.lang.code(), rest)
    }

    /// Where a card's "add to cart" form posts: printed on every card of a
    /// listing, so a constant rather than [`Ctx::href`]'s formatted string.
    pub fn cart_add_href(&self) -> &'static str {
        match self.lang {
            Lang::Fa => "/fa/cart/add",
            Lang::Ar => "/ar/cart/add",
            Lang::En => "/en/cart/add",
        }
    }

    /// This page in `lang`, query kept (the switcher stays on the same page).
    pub fn switch_href(&self, lang: Lang) -> String {
        match &self.query {
            Some(q) if !q.is_empty() => format!("/{}{}?{}", lang.code(), self.rest, q),
            _ => format!("/{}{}", lang.code(), self.rest),
        }
    }

    /// To the login page, coming back here afterwards (for pages that need a signed-in user).
    pub fn login_redirect(&self) -> axum::response::Response {
        use axum::response::IntoResponse as _;
        axum::response::Redirect::to(&format!("{}?next={}", self.href("/login"), self.href(&self.rest))).into_response()
    }

    pub fn canonical(&self) -> String {
        format!("{}/{}{}", self.origin, self.lang.code(), self.rest)
    }

    pub fn alternate(&self, lang: Lang) -> String {
        format!("{}/{}{}", self.origin, lang.code(), self.rest)
    }

    /// The page for language-neutral visitors (hreflang x-default): the Persian one.
    pub fn default_alternate(&self) -> String {
        self.alternate(Lang::Fa)
    }

    pub fn langs(&self) -> [Lang; 3] {
        Lang::ALL
    }

    pub fn is_current(&self, lang: Lang) -> bool {
        lang == self.lang
    }

    /// Current search text, to keep it in the header's box.
    pub fn search_q(&self) -> String {
        if self.rest != "/search" {
            return String::new();
        }
        self.query
            .as_deref()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "q").map(|(_, v)| v))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_language_prefix() {
        assert_eq!(split_lang("/fa/c/x"), Some((Lang::Fa, "/c/x")));
        assert_eq!(split_lang("/en"), Some((Lang::En, "/")));
        assert_eq!(split_lang("/en/"), Some((Lang::En, "/")));
        assert_eq!(split_lang("/de/"), None);
        assert_eq!(split_lang("/"), None);
    }
}
