//! The binary as a user runs it: the private cluster, SIGTERM, no PostgreSQL installed.

use std::process::{Command, Stdio};
use std::time::Duration;

use bazaar::config::Config;
use bazaar::server;

fn config(dir: &std::path::Path) -> Config {
    Config {
        database_url: None,
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_owned(),
        public_url: None,
        search_cache_secs: 60,
        db_pool: 2,
        env: bazaar::config::Environment::Development,
        zarinpal_url: None,
        zarinpal_merchant: None,
        moodian_url: None,
        moodian_key: None,
        moodian_cert: None,
        saman_url: None,
        saman_terminal: None,
        mellat_terminal: None,
        mellat_user: None,
        mellat_password: None,
        reservation_minutes: 30,
        worker: true,
        s3_bucket: None,
        s3_endpoint: None,
        s3_region: "us-east-1".into(),
        trusted_proxies: String::new(),
        rate_limits: true,
        max_connections: None,
        secret_key: None,
        old_secret_keys: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn private_cluster_is_created_once_and_reused() {
    let name = format!("test-embedded-{}", std::process::id());
    let mut dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join(&name);
    if !bazaar::db::embedded::Cluster::usable_root(&dir) {
        dir = std::env::temp_dir().join(name); // a checkout in a private folder, run as root
    }
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = config(&dir);

    let mut first = server::database(&cfg).await.expect("first start");
    assert!(first.created, "the database is created on first start");
    bazaar::db::migrate(&first.url).await.unwrap();
    let mut conn = bazaar::db::admin::connect(&first.url).await.unwrap();
    assert!(bazaar::seed::load_demo(&mut conn).await.unwrap(), "demo data loads into a new database");
    assert!(!bazaar::db::role_bypasses_rls(&mut conn).await.unwrap(), "the app role is subject to RLS");
    assert!(bazaar::db::admin::search_is_indexed_under_rls(&mut conn).await.unwrap());
    drop(conn);
    let mut cluster = first.cluster.take().unwrap();
    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap();
    let pg = dir.join("postgres");
    assert!(
        pg.join("data/autoprewarm.blocks").is_file(),
        "at shutdown the cluster writes down which pages it had in memory (pg_prewarm, shipped with the server)"
    );

    let logged_before = std::fs::read_to_string(pg.join("postgres.log")).unwrap_or_default().len();

    let mut second = server::database(&cfg).await.expect("second start");
    assert!(!second.created, "the second start reuses the database");
    // The pages come back in the background, right after the start.
    let mut log = String::new();
    for _ in 0..100 {
        log = std::fs::read_to_string(pg.join("postgres.log")).unwrap_or_default().split_off(logged_before);
        if log.contains("autoprewarm successfully prewarmed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(log.contains("autoprewarm successfully prewarmed"), "the restart reads those pages back:\n{log}");
    assert_eq!(bazaar::db::migrate(&second.url).await.unwrap(), 0, "nothing left to migrate");
    let mut conn = bazaar::db::admin::connect(&second.url).await.unwrap();
    assert!(!bazaar::seed::load_demo(&mut conn).await.unwrap(), "nothing seeded twice");
    drop(conn);
    let mut cluster = second.cluster.take().unwrap();
    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_postgres_gives_one_clear_paragraph() {
    let out = Command::new(env!("CARGO_BIN_EXE_bazaar"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("BAZAAR_PG_BIN", "/nonexistent/postgres/bin")
        .env("BAZAAR_DATA_DIR", std::env::temp_dir().join("bazaar-no-pg"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("needs PostgreSQL 14 or newer"), "{stderr}");
    assert!(stderr.contains("apt-get install postgresql"), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_drains_and_exits_cleanly() {
    let db = crate::support::TestDb::new().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_bazaar"))
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("BAZAAR_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
            let mut buf = String::new();
            s.read_to_string(&mut buf).await.unwrap();
            up = buf.starts_with("HTTP/1.1 200");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server answered /healthz");
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
    let log = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("requests drained"), "{log}");
    assert!(log.contains("GET /healthz 200"), "one log line per request: {log}");
    assert!(!log.contains("Customer123!"), "no passwords in logs");
}

#[test]
fn production_needs_the_taxpayers_moodian_certificate() {
    let dir = std::env::temp_dir().join(format!("bazaar-prod-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cfg = config(&dir);
    cfg.env = bazaar::config::Environment::Production;
    cfg.zarinpal_url = Some("https://payment.zarinpal.com".into());
    cfg.zarinpal_merchant = Some("00000000-0000-0000-0000-000000000000".into());
    cfg.moodian_url = Some("https://tp.tax.gov.ir/requestsmanager/api/v2".into());
    let err = server::web_config(&cfg, "http://127.0.0.1:8080").unwrap_err().to_string();
    assert!(err.contains("BAZAAR_MOODIAN_KEY and BAZAAR_MOODIAN_CERT must be set in production"), "{err}");

    let (key, cert) = bazaar::invoices::jose::TaxpayerKey::self_signed().unwrap().to_pem().unwrap();
    let (other_key, _) = bazaar::invoices::jose::TaxpayerKey::ephemeral().to_pem().unwrap();
    std::fs::write(dir.join("key.pem"), key).unwrap();
    std::fs::write(dir.join("other.pem"), other_key).unwrap();
    std::fs::write(dir.join("cert.pem"), cert).unwrap();
    cfg.moodian_cert = Some(dir.join("cert.pem"));
    cfg.moodian_key = Some(dir.join("other.pem"));
    let err = server::web_config(&cfg, "http://127.0.0.1:8080").unwrap_err().to_string();
    assert!(err.contains("does not belong"), "a certificate for another key is refused at start: {err}");
    cfg.moodian_key = Some(dir.join("key.pem"));
    let web = server::web_config(&cfg, "http://127.0.0.1:8080").expect("starts with its certificate");
    assert!(web.moodian_key.is_some() && !web.sandboxes);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn production_will_not_start_without_a_secret_key() {
    let dir = std::env::temp_dir().join(format!("bazaar-prod-key-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cfg = config(&dir);
    cfg.env = bazaar::config::Environment::Production;
    let err = server::serve(cfg.clone()).await.unwrap_err().to_string();
    assert!(err.contains("BAZAAR_SECRET_KEY must be set in production"), "{err}");
    cfg.secret_key = Some("too-short".into());
    let err = server::secret_box(&cfg).unwrap_err().to_string();
    assert!(err.contains("BAZAAR_SECRET_KEY"), "{err}");
    assert!(!dir.join("postgres").exists(), "refused before anything started");
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs `bazaar` with `args`, `env` and `stdin`; returns (success, stdout + stderr).
fn bazaar(args: &[&str], env: &[(&str, String)], stdin: &str) -> (bool, String) {
    use std::io::Write as _;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bazaar"));
    cmd.args(args).env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr))
}

/// Starts `bazaar serve` and waits for /healthz; returns the child.
async fn serve_until_healthy(env: &[(&str, String)], port: u16) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bazaar"));
    cmd.arg("serve").env_remove("DATABASE_URL").env("RUST_LOG", "info").env("BAZAAR_BIND", format!("127.0.0.1:{port}"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    for _ in 0..600 {
        if let Ok(res) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await
            && res.status() == reqwest::StatusCode::OK
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("bazaar serve did not come up");
}

async fn stop(child: std::process::Child) -> String {
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// A production start on its own PostgreSQL loads no demo data, answers every
/// host 404 and says how to add a shop; the operator adds the shop and its
/// first SUPER_ADMIN from the command line (the password read from stdin,
/// never an argument; a demo password refused), who then signs in on the
/// shop's domain; `user reset-password` changes it.
#[tokio::test(flavor = "multi_thread")]
async fn production_starts_empty_and_the_operator_adds_the_first_shop_and_admin() {
    let name = format!("test-prod-{}", std::process::id());
    let mut dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join(&name);
    if !bazaar::db::embedded::Cluster::usable_root(&dir) {
        dir = std::env::temp_dir().join(name);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (key, cert) = bazaar::invoices::jose::TaxpayerKey::self_signed().unwrap().to_pem().unwrap();
    std::fs::write(dir.join("key.pem"), key).unwrap();
    std::fs::write(dir.join("cert.pem"), cert).unwrap();
    let env: Vec<(&str, String)> = vec![
        ("BAZAAR_ENV", "production".into()),
        ("BAZAAR_DATA_DIR", dir.display().to_string()),
        ("BAZAAR_SECRET_KEY", bazaar::secrets::SecretBox::new_key_base64()),
        ("BAZAAR_ZARINPAL_URL", "https://payment.zarinpal.com".into()),
        ("BAZAAR_ZARINPAL_MERCHANT", "00000000-0000-0000-0000-000000000000".into()),
        ("BAZAAR_MOODIAN_URL", "https://tp.tax.gov.ir/requestsmanager/api/v2".into()),
        ("BAZAAR_MOODIAN_KEY", dir.join("key.pem").display().to_string()),
        ("BAZAAR_MOODIAN_CERT", dir.join("cert.pem").display().to_string()),
    ];
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    let server = serve_until_healthy(&env, port).await;
    let home = client.get(format!("http://127.0.0.1:{port}/fa/")).header("host", "localhost").send().await.unwrap();
    assert_eq!(home.status(), reqwest::StatusCode::NOT_FOUND, "no demo tenant answering every host");
    let log = stop(server).await;
    assert!(log.contains("no shop yet") && log.contains("bazaar tenant create"), "{log}");
    assert!(!log.contains("demo data loaded"), "{log}");

    let (ok, out) = bazaar(&["tenant", "create", "--name", "Live Shop", "--domain", "shop.example"], &env, "");
    assert!(ok, "{out}");
    let (ok, out) =
        bazaar(&["tenant", "create", "--name", "Again", "--domain", "shop.example", "--slug", "again"], &env, "");
    assert!(!ok && out.contains("already belongs to a shop"), "{out}");
    let create = ["user", "create", "--tenant", "shop", "--email", "boss@shop.example", "--role", "SUPER_ADMIN"];
    let (ok, out) = bazaar(&create, &env, "Admin123!\n");
    assert!(!ok && out.contains("published with the demo"), "a demo password is refused: {out}");
    let (ok, out) = bazaar(&[&create[..], &["--password", "x"]].concat(), &env, "");
    assert!(!ok && out.contains("unexpected argument"), "no password on the command line: {out}");
    let (ok, out) = bazaar(&create, &env, "a-long-live-secret-1\n");
    assert!(ok, "{out}");

    let server = serve_until_healthy(&env, port).await;
    let login = |password: &'static str| {
        let client = client.clone();
        async move {
            let page = client
                .get(format!("http://127.0.0.1:{port}/en/login"))
                .header("host", "shop.example")
                .send()
                .await
                .unwrap();
            let cookie = page
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join("; ");
            let token = cookie.split("; ").find_map(|c| c.strip_prefix("csrf=")).unwrap().to_owned();
            let body = serde_urlencoded::to_string([
                ("email", "boss@shop.example"),
                ("password", password),
                ("_csrf", &token),
            ])
            .unwrap();
            client
                .post(format!("http://127.0.0.1:{port}/en/login"))
                .header("host", "shop.example")
                .header("cookie", cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(login("a-long-live-secret-1").await, reqwest::StatusCode::SEE_OTHER, "the first admin signs in");
    stop(server).await;

    let (ok, out) = bazaar(
        &["user", "reset-password", "--tenant", "shop.example", "--email", "boss@shop.example"],
        &env,
        "another-secret-22\n",
    );
    assert!(ok, "{out}");
    let server = serve_until_healthy(&env, port).await;
    assert_eq!(
        login("a-long-live-secret-1").await,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "the old password is gone"
    );
    assert_eq!(login("another-secret-22").await, reqwest::StatusCode::SEE_OTHER);
    stop(server).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Run as root from a folder the unprivileged PostgreSQL account cannot enter
/// (a checkout under /root), the private cluster lives under /var/lib/bazaar,
/// one folder per data folder, and the first command works.
#[tokio::test(flavor = "multi_thread")]
async fn as_root_a_data_folder_out_of_postgres_reach_moves_the_cluster_to_var_lib() {
    use std::os::unix::fs::PermissionsExt as _;
    let private = std::env::temp_dir().join(format!("bazaar-private-home-{}", std::process::id()));
    std::fs::create_dir_all(&private).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let data = private.join("checkout/var");
    let (root, moved) = bazaar::db::embedded::Cluster::root_for(&data);
    let as_root = std::fs::metadata(&private).map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false);
    if !as_root {
        // Not root: the cluster runs as this user, who can enter its own folders.
        assert_eq!((root, moved), (data.join("postgres"), None));
        let _ = std::fs::remove_dir_all(&private);
        return;
    }
    assert!(root.starts_with("/var/lib/bazaar/"), "{}", root.display());
    assert!(moved.as_deref().unwrap_or_default().contains("/var/lib/bazaar/"), "one log line says where and why");
    let (again, _) = bazaar::db::embedded::Cluster::root_for(&data);
    assert_eq!(root, again, "the same folder on every start");
    let (other, _) = bazaar::db::embedded::Cluster::root_for(&private.join("another/var"));
    assert_ne!(root, other, "one folder per checkout");
    let mut database = server::database(&config(&data)).await.expect("the private cluster starts");
    assert!(database.created);
    let mut conn = bazaar::db::admin::connect(&database.url).await.unwrap();
    use diesel_async::RunQueryDsl as _;
    diesel::sql_query("SELECT 1").execute(&mut conn).await.unwrap();
    drop(conn);
    let mut cluster = database.cluster.take().unwrap();
    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap();
    let _ = std::fs::remove_dir_all(root.parent().unwrap());
    let _ = std::fs::remove_dir_all(&private);
}
