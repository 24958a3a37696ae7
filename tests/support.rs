//! The test harness: a private PostgreSQL cluster (or DATABASE_URL as an
//! administrator connection), a template database migrated and seeded once,
//! and `TestApp`, which runs the real router in-process on a fresh clone.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bazaar::app::AppState;
use bazaar::config::web::WebConfig;
use bazaar::db::{self, admin};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

const TEMPLATE: &str = "bz_template";
const PREFIX: &str = "bz_test_";

struct Harness {
    /// Administrator URL with `{db}` where the database name goes.
    admin_url: String,
    /// App-role URL with `{db}`.
    app_url: String,
}

static HARNESS: OnceLock<Harness> = OnceLock::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn harness() -> &'static Harness {
    HARNESS.get_or_init(|| {
        // Set up on a thread with its own runtime: connections made here must
        // not belong to any one test's runtime.
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
            rt.block_on(set_up()).unwrap_or_else(|e| panic!("test database set-up failed: {e:#}"))
        })
        .join()
        .expect("set-up thread")
    })
}

async fn set_up() -> anyhow::Result<Harness> {
    let (admin_url, app_url) = match std::env::var("DATABASE_URL") {
        Ok(url) => {
            // An administrator URL for a server we do not own: the app role gets a password for TCP.
            let base = url.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(url.clone());
            let mut admin_conn = admin::connect(&url).await?;
            admin::ensure_app_role(&mut admin_conn, Some("bazaar-test")).await?;
            let app_base = match base.split_once("://") {
                Some((scheme, rest)) => {
                    let host = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
                    format!("{scheme}://{}:bazaar-test@{host}", admin::APP_ROLE)
                }
                None => anyhow::bail!("DATABASE_URL must be a postgres:// URL"),
            };
            (format!("{base}/{{db}}"), format!("{app_base}/{{db}}"))
        }
        Err(_) => {
            // In target/ when the cluster's account can reach it (a checkout under a
            // private home folder, run as root, cannot), else in the temp folder.
            let mut root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-pg");
            if !db::embedded::Cluster::usable_root(&root) {
                root = std::env::temp_dir().join("bazaar-test-pg");
            }
            let mut cluster = db::embedded::Cluster::new(root)?;
            cluster.start()?;
            // Shared by every test and later runs; scripts/test stops it at the end.
            cluster.detach();
            let admin_url = cluster.url(db::embedded::SUPERUSER, "{db}");
            let app_url = cluster.url(admin::APP_ROLE, "{db}");
            let mut admin_conn = admin::connect(&admin_url.replace("{db}", "postgres")).await?;
            admin::ensure_app_role(&mut admin_conn, None).await?;
            (admin_url, app_url)
        }
    };
    let mut admin_conn = admin::connect(&admin_url.replace("{db}", "postgres")).await?;
    for stale in admin::databases_with_prefix(&mut admin_conn, PREFIX).await? {
        admin::drop_database(&mut admin_conn, &stale).await?;
    }
    admin::drop_database(&mut admin_conn, TEMPLATE).await?;
    admin::ensure_database(&mut admin_conn, TEMPLATE, None).await?;
    let template_url = app_url.replace("{db}", TEMPLATE);
    db::migrate(&template_url).await?;
    let mut on_template = admin::connect(&admin_url.replace("{db}", TEMPLATE)).await?;
    if let Err(e) = admin::allow_indexed_search_under_rls(&mut on_template).await {
        eprintln!("note: search operators not marked LEAKPROOF ({e}); search tests still run, without indexes");
    }
    drop(on_template);
    let mut conn = admin::connect(&template_url).await?;
    bazaar::seed::load_demo(&mut conn).await?;
    drop(conn);
    Ok(Harness { admin_url, app_url })
}

/// A fresh database cloned from the template; dropped with the value.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn new() -> Self {
        let h = harness();
        let name = format!("{PREFIX}{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let mut admin_conn = admin::connect(&h.admin_url.replace("{db}", "postgres")).await.expect("admin connection");
        admin::ensure_database(&mut admin_conn, &name, Some(TEMPLATE)).await.expect("clone template");
        Self { url: h.app_url.replace("{db}", &name), name }
    }

    pub async fn conn(&self) -> diesel_async::AsyncPgConnection {
        admin::connect(&self.url).await.expect("connect")
    }

    /// An administrator's connection to the server (database `postgres`), for
    /// tests that take this database away and give it back.
    pub async fn admin(&self) -> diesel_async::AsyncPgConnection {
        admin::connect(&harness().admin_url.replace("{db}", "postgres")).await.expect("admin connection")
    }

    /// An administrator's connection to this database (sees every tenant's rows).
    pub async fn superuser(&self) -> diesel_async::AsyncPgConnection {
        admin::connect(&harness().admin_url.replace("{db}", &self.name)).await.expect("admin connection")
    }

    /// Refuses new connections to this database and ends the open ones, as a
    /// database server that went down; `false` brings it back.
    pub async fn set_down(&self, down: bool) {
        use diesel_async::RunQueryDsl as _;
        let mut admin_conn = self.admin().await;
        let allow = if down { "false" } else { "true" };
        diesel::sql_query(format!("ALTER DATABASE {} ALLOW_CONNECTIONS {allow}", self.name))
            .execute(&mut admin_conn)
            .await
            .expect("alter database");
        if down {
            diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
                self.name
            ))
            .execute(&mut admin_conn)
            .await
            .expect("terminate");
        }
    }
}

/// Where a test's uploaded images go unless the test names a store: beside its database's name.
fn media_folder(db_name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("bazaar-media-{db_name}"))
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(media_folder(&self.name));
        let name = self.name.clone();
        let admin_url = harness().admin_url.replace("{db}", "postgres");
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let mut c = admin::connect(&admin_url).await.ok()?;
                admin::drop_database(&mut c, &name).await.ok()
            })
        })
        .join();
    }
}

/// The real router on a fresh database, driven in-process, with a cookie jar.
pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    /// `http://127.0.0.1:port`: the same app on a real socket, for the gateway
    /// client to reach the sandboxes over HTTP (and for tests that need real connections).
    pub origin: String,
    /// The first visitor (most tests need one).
    pub client: Client,
}

/// A browser-like visitor: drives the router in-process with its own cookie jar.
#[derive(Clone)]
pub struct Client {
    router: axum::Router,
    pub cookies: HashMap<String, String>,
    pub host: String,
    /// The address this visitor connects from (each visitor has its own, as
    /// shoppers do: rate limits and sign-in lockouts count per address).
    pub peer: std::net::SocketAddr,
}

static PEERS: AtomicUsize = AtomicUsize::new(1);

/// A new visitor's address: 10.x.y.z, a different one each time.
fn next_peer() -> std::net::SocketAddr {
    let n = PEERS.fetch_add(1, Ordering::Relaxed) as u32;
    std::net::SocketAddr::from(([10, (n >> 16) as u8, (n >> 8) as u8, n as u8], 50123))
}

impl std::ops::Deref for TestApp {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl std::ops::DerefMut for TestApp {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Texts of the elements matching `selector`, trimmed, without bidi isolation marks.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html().select(&sel).map(|e| clean(&e.text().collect::<String>())).collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).into_iter().next().unwrap_or_else(|| panic!("no {selector} in page:\n{}", self.body))
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html().select(&sel).next().and_then(|e| e.value().attr(attr).map(str::to_owned))
    }

    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html().select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_owned)).collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of the hidden CSRF field of the page's forms.
    pub fn csrf(&self) -> String {
        self.attr("input[name=_csrf]", "value").expect("a form with a CSRF field")
    }
}

/// Drops Fluent's isolation marks and collapses whitespace.
pub fn clean(s: &str) -> String {
    s.replace(['\u{2066}', '\u{2068}', '\u{2069}'], "").split_whitespace().collect::<Vec<_>>().join(" ")
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_pool(8).await
    }

    pub async fn with_pool(size: usize) -> Self {
        Self::build(size, None, |_| {}).await
    }

    /// An app whose images go to the given store instead of a temporary folder.
    pub async fn with_media(media: bazaar::media::store::MediaConfig) -> Self {
        Self::build(8, Some(media), |_| {}).await
    }

    /// An app with some settings of its own (trusted proxies, production…).
    pub async fn with_config(configure: impl FnOnce(&mut WebConfig)) -> Self {
        Self::build(8, None, configure).await
    }

    async fn build(
        size: usize,
        media: Option<bazaar::media::store::MediaConfig>,
        configure: impl FnOnce(&mut WebConfig),
    ) -> Self {
        let db = TestDb::new().await;
        let pool = db::pool(&db.url, size).expect("pool");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
        let origin = format!("http://{}", listener.local_addr().expect("address"));
        let mut config = WebConfig::with_sandboxes(&origin);
        config.moodian_inquiry_delay = time::Duration::ZERO;
        config.media = media.unwrap_or_else(|| bazaar::media::store::MediaConfig::Folder(media_folder(&db.name)));
        configure(&mut config);
        let state = AppState::new(pool, config);
        let router = bazaar::router::router(state.clone());
        let limits = bazaar::web::serve::ConnectionLimits {
            header_timeout: std::time::Duration::from_secs(20),
            max_connections: 64,
            drain: std::time::Duration::from_secs(5),
        };
        tokio::spawn(bazaar::web::serve::serve(listener, router.clone(), limits, std::future::pending()));
        let peer = std::net::SocketAddr::from(([127, 0, 0, 1], 50123));
        let client = Client { router, cookies: HashMap::new(), host: "localhost".into(), peer };
        Self { db, state, origin, client }
    }

    /// The app restarted on the same database with changed settings (a new
    /// key, production…): later visitors talk to the new one.
    pub fn restart(&mut self, configure: impl FnOnce(&mut WebConfig)) {
        let mut config = (*self.state.config).clone();
        configure(&mut config);
        let pool = db::pool(&self.db.url, 8).expect("pool");
        self.state = AppState::new(pool, config);
        self.client.router = bazaar::router::router(self.state.clone());
    }

    /// Every route path the router has, read from the router itself (its
    /// `Debug` lists them), so a new route is in the sweep the day it is added.
    pub fn route_paths(&self) -> Vec<String> {
        let dump = format!("{:?}", bazaar::router::router(self.state.clone()));
        let mut paths: Vec<String> = dump
            .split('"')
            .filter(|p| p.starts_with('/') && !p.contains("__private__axum"))
            .map(str::to_owned)
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// Another visitor on the same app and database, with its own cookies.
    pub fn visitor(&self) -> Client {
        Client {
            router: self.client.router.clone(),
            cookies: HashMap::new(),
            host: self.client.host.clone(),
            peer: next_peer(),
        }
    }

    /// Runs a statement as the demo tenant, as a test's set-up (`UPDATE products …`).
    pub async fn exec_in_demo_tenant(&self, sql: &str) {
        use diesel_async::RunQueryDsl as _;
        let mut conn = self.db.conn().await;
        let tenant = demo_tenant(&mut conn).await;
        bazaar::db::tenant_tx(&mut conn, tenant, async |c| diesel::sql_query(sql).execute(c).await)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

pub async fn demo_tenant(conn: &mut diesel_async::AsyncPgConnection) -> uuid::Uuid {
    use diesel::{ExpressionMethods as _, QueryDsl as _};
    use diesel_async::RunQueryDsl as _;
    bazaar::schema::tenants::table
        .filter(bazaar::schema::tenants::is_default.eq(true))
        .select(bazaar::schema::tenants::id)
        .first(conn)
        .await
        .expect("default tenant")
}

impl Client {
    pub async fn request(&mut self, req: Request<Body>) -> Page {
        let mut req = req;
        if !req.headers().contains_key(header::HOST) {
            req.headers_mut().insert(header::HOST, self.host.parse().expect("host"));
        }
        // As the real server does: the peer's address, and a browser that names itself.
        if req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().is_none() {
            req.extensions_mut().insert(axum::extract::ConnectInfo(self.peer));
        }
        if !req.headers().contains_key(header::USER_AGENT) {
            req.headers_mut().insert(header::USER_AGENT, "bazaar-tests/1".parse().expect("agent"));
        }
        if !self.cookies.is_empty() && !req.headers().contains_key(header::COOKIE) {
            let jar = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            req.headers_mut().insert(header::COOKIE, jar.parse().expect("cookie"));
        }
        let res = self.router.clone().oneshot(req).await.expect("infallible router");
        for c in res.headers().get_all(header::SET_COOKIE) {
            let c = c.to_str().expect("cookie text");
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if c.contains("Max-Age=0") || v.is_empty() {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// A GET's body as bytes (images).
    pub async fn get_bytes(&mut self, path: &str) -> Vec<u8> {
        let req = Request::get(path).body(Body::empty()).expect("request");
        let mut req = req;
        req.headers_mut().insert(header::HOST, self.host.parse().expect("host"));
        req.extensions_mut().insert(axum::extract::ConnectInfo(self.peer));
        if !self.cookies.is_empty() {
            let jar = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            req.headers_mut().insert(header::COOKIE, jar.parse().expect("cookie"));
        }
        let res = self.router.clone().oneshot(req).await.expect("infallible router");
        res.into_body().collect().await.expect("body").to_bytes().to_vec()
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.request(Request::get(path).body(Body::empty()).expect("request")).await
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut b = Request::get(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.request(b.body(Body::empty()).expect("request")).await
    }

    /// Posts a form, adding the CSRF token from the cookie jar (as the page's hidden field would).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        if !self.cookies.contains_key("csrf") {
            self.get(path).await;
        }
        let token = self.cookies.get("csrf").cloned().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &token));
        let body = serde_urlencoded::to_string(&all).expect("form");
        self.post_raw(path, body).await
    }

    /// Posts raw bytes as a form (bytes that need not be UTF-8).
    pub async fn post_bytes(&mut self, path: &str, body: Vec<u8>) -> Page {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.request(req).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String) -> Page {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.request(req).await
    }

    /// Posts one file as multipart/form-data, the CSRF token in the query string as the page's form does.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Page {
        let token = self.cookies.get("csrf").cloned().unwrap_or_default();
        let boundary = "----bazaar-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        let req = Request::post(format!("{path}{sep}_csrf={token}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .expect("request");
        self.request(req).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        self.post_form("/en/login", &[("email", email), ("password", password)]).await
    }
}
