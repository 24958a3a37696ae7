//! The storefront and the buying flow in a real headless Chromium (Debian's
//! package), driven by playwright-core, with axe-core checking every page.

use std::process::Command;

use crate::support::TestApp;

/// Runs `tests/browser/{script}` against the app on a real socket, after
/// the given statements in the demo tenant.
async fn run(script: &'static str, setup: &[&str]) {
    let app = TestApp::new().await;
    for sql in setup {
        app.exec_in_demo_tenant(sql).await;
    }
    let port = app.origin.rsplit(':').next().unwrap().to_owned();
    let root = env!("CARGO_MANIFEST_DIR");
    let shots = std::path::Path::new(root).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    // localhost is one of the demo tenant's domains.
    let base = format!("http://localhost:{port}");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(format!("{root}/tests/browser/{script}"))
            .arg(&base)
            .arg(&shots)
            .current_dir(root)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs (install Node.js; scripts/test does)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("browser: all checks passed"), "{stdout}");
    drop(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn storefront_in_a_real_browser() {
    run("storefront.mjs", &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_buys_from_two_vendors_and_pays_through_the_sandbox() {
    run("checkout.mjs", &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vendors_product_is_approved_by_keyboard_and_a_locked_user_is_kept_out() {
    // The image the vendor uploads, made here so the script needs no image library.
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let img = image::RgbImage::from_fn(800, 800, |x, y| {
        image::Rgb([40 + (x / 4) as u8 % 200, 90, 140 + (y / 5) as u8 % 100])
    });
    image::DynamicImage::ImageRgb8(img).save(shots.join("upload.png")).unwrap();
    // Two shops waiting for verification, worked through by keyboard.
    run(
        "backoffice.mjs",
        &["INSERT INTO vendors (id, tenant_id, slug, name, name_fa, name_ar, status, city, created_at)
           SELECT gen_random_uuid(), id, s.slug, s.name, s.fa, s.ar, 'PENDING', 'تبریز', now() - s.age
             FROM tenants, (VALUES ('first-shop', 'First Shop', 'فروشگاه نخست', 'المتجر الأول', interval '2 days'),
                                   ('second-shop', 'Second Shop', 'فروشگاه دوم', 'المتجر الثاني', interval '1 day'))
                           AS s(slug, name, fa, ar, age)
            WHERE is_default"],
    )
    .await;
}
