//! Start-up and shutdown: find or run the database, migrate, seed, serve, and
//! drain requests on Ctrl-C or SIGTERM before stopping the private cluster.

use std::time::Duration;

use tokio::net::TcpListener;
use tower_sessions_core::ExpiredDeletion as _;

use crate::app::AppState;
use crate::config::Config;
use crate::config::gateways::SamanConfig;
use crate::config::web::WebConfig;
use crate::db::{self, admin, embedded::Cluster};

/// The database the app uses, and the private cluster behind it if we run one.
pub struct Database {
    pub url: String,
    pub cluster: Option<Cluster>,
    /// The database was created just now (so the demo data goes in).
    pub created: bool,
}

pub const APP_DB: &str = "bazaar";

/// With DATABASE_URL, that server; else our private cluster under the data folder.
pub async fn database(config: &Config) -> anyhow::Result<Database> {
    if let Some(url) = &config.database_url {
        return Ok(Database { url: url.clone(), cluster: None, created: false });
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let (root, moved) = Cluster::root_for(&config.data_dir);
    if let Some(why) = moved {
        tracing::info!("{why}");
    }
    let cluster = tokio::task::spawn_blocking(move || -> anyhow::Result<Cluster> {
        let mut cluster = Cluster::new(root)?;
        cluster.start()?;
        Ok(cluster)
    })
    .await??;
    let mut admin_conn = admin::connect(&cluster.url(db::embedded::SUPERUSER, "postgres")).await?;
    admin::ensure_app_role(&mut admin_conn, None).await?;
    let created = admin::ensure_database(&mut admin_conn, APP_DB, None).await?;
    let mut on_app_db = admin::connect(&cluster.url(db::embedded::SUPERUSER, APP_DB)).await?;
    admin::allow_indexed_search_under_rls(&mut on_app_db).await?;
    let url = cluster.url(admin::APP_ROLE, APP_DB);
    tracing::info!(dir = %cluster.root.display(), "using the private PostgreSQL cluster");
    Ok(Database { url, cluster: Some(cluster), created })
}

pub async fn migrate_only(config: Config) -> anyhow::Result<()> {
    let database = database(&config).await?;
    let n = db::migrate(&database.url).await?;
    println!("applied {n} migration(s)");
    Ok(())
}

pub async fn seed(config: Config) -> anyhow::Result<()> {
    let database = database(&config).await?;
    db::migrate(&database.url).await?;
    let mut conn = admin::connect(&database.url).await?;
    if crate::seed::load_demo(&mut conn).await? {
        println!("demo data loaded");
    } else {
        println!("demo data already present; nothing changed");
    }
    Ok(())
}

pub async fn demo_data(config: Config, products: u64, tenant: &str, domain: &str) -> anyhow::Result<()> {
    let database = database(&config).await?;
    db::migrate(&database.url).await?;
    crate::demo_data::fill(&database.url, tenant, domain, products).await
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let secrets = secret_box(&config)?;
    let mut database = database(&config).await?;
    let applied = db::migrate(&database.url).await?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    let production = config.env == crate::config::Environment::Production;
    if database.cluster.is_some() && !production {
        let mut conn = admin::connect(&database.url).await?;
        if crate::seed::load_demo(&mut conn).await? {
            tracing::info!("demo data loaded");
        }
    }
    if production && crate::ops::no_tenants(&mut admin::connect(&database.url).await?).await? {
        tracing::warn!("{}", crate::ops::FIRST_RUN);
    }
    let resealed = reseal_secrets(&database.url, &secrets).await?;
    if resealed > 0 {
        tracing::info!(resealed, "secrets sealed with the current key");
    }
    let pool = db::pool(&database.url, config.db_pool)?;
    {
        let mut conn = pool.get().await?;
        if !admin::search_is_indexed_under_rls(&mut conn).await? {
            tracing::warn!(
                "search cannot use its indexes under row-level security, so it will be slow on large catalogues; \
                 have a superuser run ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF and \
                 ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) LEAKPROOF in this database"
            );
        }
        if db::role_bypasses_rls(&mut conn).await? {
            tracing::warn!(
                "the database role bypasses row-level security (superuser or BYPASSRLS): \
                 tenant isolation then rests on the query filters alone; connect as an ordinary role"
            );
        }
    }
    let listener =
        TcpListener::bind(config.bind).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
    let local = listener.local_addr()?;
    let state = AppState::new(pool.clone(), web_config(&config, &format!("http://{local}"))?);
    let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = config.worker.then(|| {
        let state = state.clone();
        tokio::spawn(crate::jobs::work(state, Duration::from_secs(1), async move {
            let _ = worker_stopped.await;
        }))
    });
    let store = db::session_store::DieselStore::new(pool.clone());
    let cleanup = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });

    tracing::info!("Bazaar is serving on http://{local}");
    let mut limits = crate::web::serve::ConnectionLimits::default();
    if let Some(n) = config.max_connections {
        limits.max_connections = n;
    }
    tracing::info!(max_connections = limits.max_connections, "accepting connections");
    crate::web::serve::serve(listener, crate::router::router(state), limits, shutdown_signal()).await?;
    cleanup.abort();
    let _ = stop_worker.send(());
    if let Some(w) = worker {
        let _ = w.await;
    }
    tracing::info!("requests drained; shutting down");
    drop(pool);
    if let Some(mut cluster) = database.cluster.take() {
        tokio::task::spawn_blocking(move || cluster.stop()).await?;
        tracing::info!("private PostgreSQL stopped");
    }
    Ok(())
}

/// The web layer's settings; in development every outside service is our
/// own sandbox at `origin`, in production each URL must be given.
pub fn web_config(config: &Config, origin: &str) -> anyhow::Result<WebConfig> {
    let public = config.public_url.as_deref().unwrap_or(origin);
    let mut web = WebConfig::with_sandboxes(origin);
    // Shoppers' browsers are sent to the public origin; our server calls the local one.
    web.zarinpal.start_base = format!("{}/sandbox/zarinpal", public.trim_end_matches('/'));
    if let Some(s) = web.saman.as_mut() {
        s.start_base = format!("{}/sandbox/saman", public.trim_end_matches('/'));
    }
    if let Some(m) = web.mellat.as_mut() {
        m.start_url = format!("{}/sandbox/mellat/pgwchannel/startpay.mellat", public.trim_end_matches('/'));
    }
    if config.env == crate::config::Environment::Production {
        web.sandboxes = false;
        web.production = true;
        let missing = |name: &str| anyhow::anyhow!("{name} must be set in production");
        let zarinpal = config.zarinpal_url.clone().ok_or_else(|| missing("BAZAAR_ZARINPAL_URL"))?;
        web.zarinpal.api_base = zarinpal.clone();
        web.zarinpal.start_base = zarinpal;
        web.zarinpal.merchant_id =
            config.zarinpal_merchant.clone().ok_or_else(|| missing("BAZAAR_ZARINPAL_MERCHANT"))?;
        web.moodian_url = config.moodian_url.clone().ok_or_else(|| missing("BAZAAR_MOODIAN_URL"))?;
        if config.moodian_key.is_none() || config.moodian_cert.is_none() {
            return Err(missing("BAZAAR_MOODIAN_KEY and BAZAAR_MOODIAN_CERT"));
        }
        web.saman = match (&config.saman_url, &config.saman_terminal) {
            (Some(url), Some(terminal)) => {
                Some(SamanConfig { api_base: url.clone(), start_base: url.clone(), terminal_id: terminal.clone() })
            }
            _ => None,
        };
        web.mellat = match (&config.mellat_terminal, &config.mellat_user, &config.mellat_password) {
            (Some(terminal), Some(user), Some(password)) => Some(crate::config::gateways::MellatConfig {
                endpoint: "https://bpm.shaparak.ir/pgwchannel/services/pgw".into(),
                start_url: "https://bpm.shaparak.ir/pgwchannel/startpay.mellat".into(),
                terminal_id: terminal.clone(),
                user_name: user.clone(),
                password: password.clone(),
            }),
            _ => None,
        };
    } else {
        if let Some(u) = &config.zarinpal_url {
            web.zarinpal.api_base = u.clone();
            web.zarinpal.start_base = u.clone();
        }
        if let Some(m) = &config.zarinpal_merchant {
            web.zarinpal.merchant_id = m.clone();
        }
        if let Some(u) = &config.moodian_url {
            web.moodian_url = u.clone();
        }
    }
    if let (Some(key), Some(cert)) = (&config.moodian_key, &config.moodian_cert) {
        let read = |p: &std::path::Path| {
            std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
        };
        web.moodian_key =
            Some(std::sync::Arc::new(crate::invoices::jose::TaxpayerKey::from_pem(&read(key)?, &read(cert)?)?));
    }
    web.secure_cookies = config.public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    web.public_url = config.public_url.clone();
    web.search_cache = Duration::from_secs(config.search_cache_secs);
    web.trusted_proxies = crate::web::client_ip::parse_proxies(&config.trusted_proxies)
        .map_err(|e| anyhow::anyhow!("BAZAAR_TRUSTED_PROXIES: {e}"))?
        .into();
    web.rate_limits = config.rate_limits;
    // (Production without a key never gets here from `serve` or `worker`:
    // they refuse to start first; see `secret_box`.)
    web.secrets = secret_box(config).unwrap_or_else(|_| crate::secrets::SecretBox::random());
    web.reservation = time::Duration::minutes(i64::from(config.reservation_minutes.max(1)));
    web.media = match &config.s3_bucket {
        Some(bucket) => crate::media::store::MediaConfig::S3 {
            bucket: bucket.clone(),
            endpoint: config.s3_endpoint.clone(),
            region: config.s3_region.clone(),
            keys: None,
        },
        None => crate::media::store::MediaConfig::Folder(config.data_dir.join("media")),
    };
    // Fail at start, not at the first upload.
    crate::media::store::MediaStore::new(&web.media)
        .map_err(|e| anyhow::anyhow!("cannot open the media store: {e}"))?;
    Ok(web)
}

/// The key that seals secrets in the database: `BAZAAR_SECRET_KEY` (with
/// `BAZAAR_OLD_SECRET_KEYS` for reading), required in production; in
/// development, a key kept in the data folder.
pub fn secret_box(config: &Config) -> anyhow::Result<crate::secrets::SecretBox> {
    let old: Vec<&str> = config.old_secret_keys.split(',').collect();
    match &config.secret_key {
        Some(key) => {
            crate::secrets::SecretBox::from_base64(key, &old).map_err(|e| anyhow::anyhow!("BAZAAR_SECRET_KEY: {e}"))
        }
        None if config.env == crate::config::Environment::Production => Err(anyhow::anyhow!(
            "BAZAAR_SECRET_KEY must be set in production (base64 of 32 random bytes; `bazaar secrets new-key` prints one)"
        )),
        None => {
            std::fs::create_dir_all(&config.data_dir)?;
            crate::secrets::SecretBox::from_file(&config.data_dir.join("secret.key"))
        }
    }
}

/// Seals every secret not sealed with the current key, in every tenant.
pub async fn reseal_secrets(url: &str, secrets: &crate::secrets::SecretBox) -> anyhow::Result<usize> {
    use diesel::QueryDsl as _;
    use diesel_async::RunQueryDsl as _;
    let mut conn = admin::connect(url).await?;
    let tenants: Vec<uuid::Uuid> =
        crate::schema::tenants::table.select(crate::schema::tenants::id).load(&mut conn).await?;
    let mut total = 0;
    for tenant in tenants {
        total += db::tenant_tx(&mut conn, tenant, async |c| {
            crate::accounts::models::reseal_totp_secrets(c, tenant, secrets).await
        })
        .await?;
    }
    Ok(total)
}

/// `bazaar secrets rotate`: rewrites every sealed secret with the current key.
pub async fn rotate_secrets(config: Config) -> anyhow::Result<()> {
    let secrets = secret_box(&config)?;
    let database = database(&config).await?;
    db::migrate(&database.url).await?;
    let n = reseal_secrets(&database.url, &secrets).await?;
    println!("{n} secret(s) sealed with the current key");
    Ok(())
}

/// `bazaar worker`: runs queued jobs until Ctrl-C or SIGTERM.
pub async fn worker(config: Config) -> anyhow::Result<()> {
    secret_box(&config)?;
    let mut database = database(&config).await?;
    db::migrate(&database.url).await?;
    let pool = db::pool(&database.url, 4)?;
    let origin = format!("http://{}", config.bind);
    let state = AppState::new(pool.clone(), web_config(&config, &origin)?);
    tracing::info!("job worker started");
    crate::jobs::work(state, Duration::from_secs(1), shutdown_signal()).await;
    drop(pool);
    if let Some(mut cluster) = database.cluster.take() {
        tokio::task::spawn_blocking(move || cluster.stop()).await?;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested; draining requests in flight");
}
