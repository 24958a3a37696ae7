//! Register, log in, lockout, session rotation, log out.

use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread")]
async fn demo_accounts_log_in_and_see_their_account() {
    let mut app = TestApp::new().await;
    for (email, password, role) in [
        ("admin@nextgen.local", "Admin123!", "Platform administrator"),
        ("customer@nextgen.local", "Customer123!", "Customer"),
        ("dealer@nextgen.local", "Dealer123!", "Dealer"),
        ("vendor@nextgen.local", "Vendor123!", "Vendor"),
        ("executor@nextgen.local", "Executor123!", "Service contractor"),
    ] {
        app.cookies.clear();
        let res = app.login(email, password).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{email}: {}", res.body);
        assert_eq!(res.header("location"), Some("/en/account"));
        let account = app.get("/en/account").await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.texts(".facts dd").contains(&role.to_owned()), "{email}: {:?}", account.texts(".facts dd"));
        assert!(account.texts(".facts dd").contains(&email.to_owned()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn session_id_changes_at_login_and_logout_ends_it() {
    let mut app = TestApp::new().await;
    // Become a session before logging in (a visitor who registered a session).
    let register_page = app.get("/en/register").await;
    assert_eq!(register_page.status, StatusCode::OK);
    let res = app
        .post_form(
            "/en/register",
            &[("full_name", "Test"), ("email", "bad"), ("password", "x"), ("password_confirm", "y")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login("customer@nextgen.local", "Customer123!").await;
    let first = app.cookies.get("sid").cloned().expect("session cookie");
    app.post_form("/en/logout", &[]).await;
    assert!(!app.cookies.contains_key("sid") || app.cookies.get("sid") != Some(&first));
    assert_eq!(app.get("/en/account").await.status, StatusCode::SEE_OTHER, "signed out");
    // A planted session id is replaced at login.
    app.cookies.insert("sid".into(), first.clone());
    app.login("customer@nextgen.local", "Customer123!").await;
    let second = app.cookies.get("sid").cloned().expect("session cookie");
    assert_ne!(first, second);
    let set_cookie_attrs = {
        let res = app.login("customer@nextgen.local", "Customer123!").await;
        res.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("sid="))
            .unwrap()
    };
    assert!(set_cookie_attrs.contains("HttpOnly"), "{set_cookie_attrs}");
    assert!(set_cookie_attrs.contains("SameSite=Lax"), "{set_cookie_attrs}");
}

#[tokio::test(flavor = "multi_thread")]
async fn register_validates_beside_the_fields_and_creates_a_customer() {
    let mut app = TestApp::new().await;
    let bad = app
        .post_form(
            "/fa/register",
            &[
                ("full_name", "مریم"),
                ("email", "not-an-email"),
                ("phone", "0912"),
                ("password", "short"),
                ("password_confirm", "other"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.texts(".field-error").len(), 4, "{:?}", bad.texts(".field-error"));
    assert_eq!(bad.attr("#email", "value").as_deref(), Some("not-an-email"), "what was typed is kept");
    assert_eq!(bad.attr("#full_name", "value").as_deref(), Some("مریم"));
    assert_eq!(bad.text("#email-error"), "یک ایمیل درست بنویسید، مانند name@example.com.");

    let taken = app
        .post_form(
            "/en/register",
            &[("email", "Customer@NextGen.local"), ("password", "longenough"), ("password_confirm", "longenough")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.text("#email-error"), "An account with this email already exists. Log in instead?");

    let ok = app
        .post_form(
            "/en/register",
            &[
                ("full_name", "Maryam"),
                ("email", "maryam@example.com"),
                ("phone", "۰۹۱۲۳۴۵۶۷۸۹"),
                ("password", "longenough"),
                ("password_confirm", "longenough"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let account = app.get("/en/account").await;
    let facts = account.texts(".facts dd");
    assert!(facts.contains(&"+989123456789".to_owned()), "mobile stored in E.164: {facts:?}");
    assert!(facts.contains(&"Customer".to_owned()));
    app.cookies.clear();
    assert_eq!(app.login("maryam@example.com", "longenough").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread")]
async fn five_failures_lock_the_account_for_fifteen_minutes_with_one_message() {
    let mut app = TestApp::new().await;
    let locked_msg = "Too many failed attempts. For your safety, logging in is blocked for 15 minutes.";
    for email in ["customer@nextgen.local", "nobody@nextgen.local"] {
        for attempt in 1..=4 {
            let res = app.login(email, "wrong-password").await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{email} attempt {attempt}");
            assert_eq!(res.text(".alert"), "The email or password is not correct.");
        }
        let fifth = app.login(email, "wrong-password").await;
        assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS, "{email}");
        assert_eq!(fifth.text(".alert"), locked_msg, "{email}");
        assert_eq!(fifth.attr("#email", "value").as_deref(), Some(email));
    }
    // The right password does not help while locked.
    let res = app.login("customer@nextgen.local", "Customer123!").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.text(".alert"), locked_msg);
    // Once the lock has passed, the right password works again.
    app.exec_in_demo_tenant(
        "UPDATE users SET locked_until = now() - interval '1 second' WHERE email = 'customer@nextgen.local'",
    )
    .await;
    assert_eq!(app.login("customer@nextgen.local", "Customer123!").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread")]
async fn login_redirects_only_to_local_pages() {
    let mut app = TestApp::new().await;
    let res = app
        .post_form(
            "/en/login",
            &[("email", "customer@nextgen.local"), ("password", "Customer123!"), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(res.header("location"), Some("/en/account"));
    app.cookies.clear();
    let res = app
        .post_form(
            "/en/login",
            &[("email", "customer@nextgen.local"), ("password", "Customer123!"), ("next", "/en/c/books")],
        )
        .await;
    assert_eq!(res.header("location"), Some("/en/c/books"));
}

/// More sign-ins, registrations and checkouts at once than the pool has
/// connections: each finishes within a few seconds. Sign-in once held a
/// connection while the session store waited for a second one from the same
/// pool, so as many sign-ins as connections froze the site.
#[tokio::test(flavor = "multi_thread")]
async fn a_burst_larger_than_the_pool_signs_in_registers_and_checks_out() {
    use crate::commerce::{ADDRESS, add, product_id};
    let app = TestApp::with_pool(4).await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    let started = std::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..16 {
        let mut visitor = app.visitor();
        tasks.spawn(async move {
            let p = visitor.login("customer@nextgen.local", "Customer123!").await;
            assert_eq!(p.status, StatusCode::SEE_OTHER, "sign-in {i}: {}", p.body);
            assert_eq!(visitor.get("/en/account").await.status, StatusCode::OK, "signed in {i}");
        });
    }
    for i in 0..12 {
        let mut visitor = app.visitor();
        let lamp = lamp.clone();
        tasks.spawn(async move {
            let email = format!("burst{i}@example.com");
            let fields = [
                ("full_name", "Burst"),
                ("email", email.as_str()),
                ("password", "burst-pass-1"),
                ("password_confirm", "burst-pass-1"),
            ];
            let p = visitor.post_form("/en/register", &fields).await;
            assert_eq!(p.status, StatusCode::SEE_OTHER, "register {i}: {}", p.body);
            assert_eq!(add(&mut visitor, &lamp, "1").await.status, StatusCode::SEE_OTHER, "add {i}");
            let key = uuid::Uuid::new_v4().to_string();
            let mut fields: Vec<(&str, &str)> = ADDRESS.to_vec();
            fields.extend([
                ("key", key.as_str()),
                ("shipping", "POST_PISHTAZ"),
                ("action", "place"),
                ("address_id", "new"),
            ]);
            let p = visitor.post_form("/en/checkout", &fields).await;
            assert_eq!(p.status, StatusCode::SEE_OTHER, "checkout {i}: {}", p.body);
            assert!(p.header("location").unwrap_or_default().contains("/account/orders/"), "order {i}");
        });
    }
    let all = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(done) = tasks.join_next().await {
            done.expect("request task");
        }
    })
    .await;
    assert!(all.is_ok(), "requests still waiting after {:?}", started.elapsed());
}
