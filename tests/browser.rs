//! The storefront in a real headless Chromium (Debian's package), driven by
//! playwright-core, with axe-core checking every page it opens.

use std::process::Command;

use crate::support::TestDb;

#[tokio::test(flavor = "multi_thread")]
async fn storefront_in_a_real_browser() {
    let db = TestDb::new().await;
    let pool = bazaar::db::pool(&db.url, 8).unwrap();
    let state = bazaar::app::AppState::new(pool, Default::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, bazaar::web::router(state)).await });

    let root = env!("CARGO_MANIFEST_DIR");
    let shots = std::path::Path::new(root).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let base = format!("http://localhost:{}", addr.port());
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(format!("{root}/tests/browser/storefront.mjs"))
            .arg(&base)
            .arg(&shots)
            .current_dir(root)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs (install Node.js; scripts/test does)");
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("browser: all checks passed"), "{stdout}");
}
