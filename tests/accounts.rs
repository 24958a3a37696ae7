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

/// Five wrong passwords from one address lock that address out of that
/// account, known or not, with one message whatever the password; another
/// address is not locked out (five requests once locked anyone, the
/// SUPER_ADMIN too, for everyone).
#[tokio::test(flavor = "multi_thread")]
async fn five_failures_lock_the_account_for_that_address_with_one_message() {
    let mut app = TestApp::new().await;
    let locked_msg = "Too many failed attempts. For your safety, logging in is blocked for 15 minutes.";
    for email in ["customer@nextgen.local", "nobody@nextgen.local", "admin@nextgen.local"] {
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
    // The right password does not help while locked, and the answer is the same.
    let res = app.login("customer@nextgen.local", "Customer123!").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.text(".alert"), locked_msg);
    // The account holder, from their own address, is not kept out: not even the SUPER_ADMIN.
    let mut owner = app.visitor();
    assert_eq!(owner.login("customer@nextgen.local", "Customer123!").await.status, StatusCode::SEE_OTHER);
    let mut admin = app.visitor();
    assert_eq!(admin.login("admin@nextgen.local", "Admin123!").await.status, StatusCode::SEE_OTHER);
    // Once the lock has passed, the right password works again from the locked address.
    app.exec_in_demo_tenant("UPDATE login_throttles SET locked_until = now() - interval '1 second'").await;
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

fn unix_now() -> u64 {
    time::OffsetDateTime::now_utc().unix_timestamp() as u64
}

/// Wrong second-factor codes count against the account across logins and
/// addresses: the fifth locks the code step (with the password lockout's
/// words), even a right code waits, and the account holder is told.
#[tokio::test(flavor = "multi_thread")]
async fn wrong_codes_are_counted_per_account_across_logins() {
    use crate::backoffice::staff;
    let app = TestApp::new().await;
    let (_, secret) = staff(&app).await;
    let locked_msg = "Too many failed attempts. For your safety, logging in is blocked for 15 minutes.";
    // Two logins from two addresses: 3 wrong codes, then 1 more, all "wrong".
    for (wrong, address) in [(3, "first"), (1, "second")] {
        let mut c = app.visitor();
        assert_eq!(c.login("admin@nextgen.local", "Admin123!").await.header("location"), Some("/en/login/2fa"));
        for i in 0..wrong {
            let res = c.post_form("/en/login/2fa", &[("code", "000000")]).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{address} login, code {i}");
        }
    }
    // A third login: its first wrong code is the account's fifth, and locks the step.
    let mut c = app.visitor();
    c.login("admin@nextgen.local", "Admin123!").await;
    let fifth = c.post_form("/en/login/2fa", &[("code", "000000")]).await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fifth.text(".field-error"), locked_msg);
    // While locked, even the right code from a fresh login does not get in.
    let mut c = app.visitor();
    c.login("admin@nextgen.local", "Admin123!").await;
    let right = bazaar::accounts::totp::code_at(&secret, unix_now() + 30).unwrap();
    let res = c.post_form("/en/login/2fa", &[("code", &right)]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(c.get("/en/admin").await.status, StatusCode::NOT_FOUND, "not signed in");
    // After the lock, the right code works, and the account page says what happened, once.
    app.exec_in_demo_tenant("UPDATE users SET totp_locked_until = now() - interval '1 second'").await;
    let mut c = app.visitor();
    c.login("admin@nextgen.local", "Admin123!").await;
    let ok = c.post_form("/en/login/2fa", &[("code", &right)]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let account = c.get("/en/account").await;
    let notice = account.text(".alert");
    assert!(notice.contains("wrong authenticator codes were entered for your account"), "{notice}");
    assert!(c.get("/en/account").await.texts(".alert").is_empty(), "told once");
}

/// With the password path locked for an address, a correct password with a
/// correct authenticator code still gets in: a staff member cannot be kept
/// out by someone guessing from their network.
#[tokio::test(flavor = "multi_thread")]
async fn a_right_password_with_a_right_code_gets_through_a_lockout() {
    use crate::backoffice::staff;
    let app = TestApp::new().await;
    let (_, secret) = staff(&app).await;
    let mut c = app.visitor();
    for _ in 0..5 {
        c.login("admin@nextgen.local", "wrong-password").await;
    }
    let locked = c.login("admin@nextgen.local", "Admin123!").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.attr("#code", "name").is_some(), "the locked form asks for a code");
    // A wrong code with the right password: still locked, same answer.
    let fields = [("email", "admin@nextgen.local"), ("password", "Admin123!"), ("code", "000000")];
    assert_eq!(c.post_form("/en/login", &fields).await.status, StatusCode::TOO_MANY_REQUESTS);
    // A right code with a wrong password: the same.
    let code = bazaar::accounts::totp::code_at(&secret, unix_now() + 30).unwrap();
    let fields = [("email", "admin@nextgen.local"), ("password", "wrong-password"), ("code", code.as_str())];
    assert_eq!(c.post_form("/en/login", &fields).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Both right: in.
    let fields = [("email", "admin@nextgen.local"), ("password", "Admin123!"), ("code", code.as_str())];
    let res = c.post_form("/en/login", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(c.get("/en/admin").await.status, StatusCode::OK);
}

/// A staff-locked account answers the same to a right and a wrong password.
#[tokio::test(flavor = "multi_thread")]
async fn a_staff_locked_account_does_not_tell_whether_its_password_is_right() {
    let mut app = TestApp::new().await;
    app.exec_in_demo_tenant("UPDATE users SET is_active = false WHERE email = 'customer@nextgen.local'").await;
    let right = app.login("customer@nextgen.local", "Customer123!").await;
    let wrong = app.login("customer@nextgen.local", "not-the-password").await;
    assert_eq!(right.status, wrong.status);
    assert_eq!(right.text("#login-error"), wrong.text("#login-error"));
    assert_eq!(right.status, StatusCode::FORBIDDEN);
}

/// Spellings of an existing address are that address; a look-alike in
/// another script is refused; a name's direction overrides are dropped.
#[tokio::test(flavor = "multi_thread")]
async fn look_alike_addresses_do_not_become_new_accounts() {
    use crate::commerce::{num, text};
    let mut app = TestApp::new().await;
    let register = async |app: &mut TestApp, name: &str, email: &str| {
        app.cookies.clear();
        let fields =
            [("full_name", name), ("email", email), ("password", "look-alike-1"), ("password_confirm", "look-alike-1")];
        app.post_form("/en/register", &fields).await
    };
    let before = num(&app, "SELECT count(*) AS v FROM users").await;
    for (email, why) in [
        ("ａｄｍｉｎ@nextgen.local", "fullwidth"),
        ("ad\u{200B}min@nextgen.local", "zero-width space"),
        ("ADMIN@NextGen.Local", "capitals"),
    ] {
        let res = register(&mut app, "Mallory", email).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{why}");
        assert!(res.text(".field-error").contains("already exists"), "{why}: {}", res.text(".field-error"));
    }
    for (email, why) in
        [("\u{0430}dmin@nextgen.local", "a Cyrillic а"), ("\u{0430}dm\u{0456}n@nextgen.local", "Cyrillic а and і")]
    {
        let res = register(&mut app, "Mallory", email).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{why}");
        assert!(res.text(".field-error").contains("looks like another account"), "{why}");
    }
    assert_eq!(num(&app, "SELECT count(*) AS v FROM users").await, before, "no account was made");
    // The right address still signs in whatever the spelling.
    assert_eq!(app.login("ａｄｍｉｎ@nextgen.local", "Admin123!").await.status, StatusCode::SEE_OTHER);
    // A real new address is fine, and a name's bidi override is not stored.
    let res = register(&mut app, "Eve\u{202E}gnp.exe", "eve@example.com").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(text(&app, "SELECT full_name AS v FROM users WHERE email = 'eve@example.com'").await, "Evegnp.exe");
}

/// Over a limit, a localized 429 with Retry-After; registrations from one
/// address stop long before 200 a minute; another address is not affected.
#[tokio::test(flavor = "multi_thread")]
async fn registrations_and_searches_from_one_address_are_rate_limited() {
    let mut app = TestApp::new().await;
    let mut made = 0;
    let mut limited = None;
    for i in 0..200 {
        app.cookies.retain(|k, _| k == "csrf");
        let email = format!("flood{i}@example.com");
        let fields = [
            ("full_name", "F"),
            ("email", email.as_str()),
            ("password", "flood-pass-1"),
            ("password_confirm", "flood-pass-1"),
        ];
        let res = app.post_form("/fa/register", &fields).await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        made += 1;
    }
    let limited = limited.expect("registrations are limited");
    assert!(made < 60, "{made} accounts from one address");
    let wait: u64 = limited.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(limited.attr("html", "lang").as_deref(), Some("fa"));
    assert_eq!(limited.text("h1"), "درخواست‌های بیش از حد");
    // Another shopper, from another address, registers.
    let mut other = app.visitor();
    let fields = [
        ("full_name", "G"),
        ("email", "other@example.com"),
        ("password", "flood-pass-1"),
        ("password_confirm", "flood-pass-1"),
    ];
    assert_eq!(other.post_form("/en/register", &fields).await.status, StatusCode::SEE_OTHER);
    // Search, from one address, stops too.
    let mut searcher = app.visitor();
    let statuses: Vec<StatusCode> = {
        let mut v = Vec::new();
        for i in 0..200 {
            v.push(searcher.get(&format!("/en/search?q=lamp{i}")).await.status);
        }
        v
    };
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "search is limited");
}

/// X-Forwarded-For names the client only when a configured proxy sends it:
/// then two shoppers behind the proxy have two addresses (one's lockout is
/// not the other's); from anyone else the header is ignored.
#[tokio::test(flavor = "multi_thread")]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let app = TestApp::with_config(|c| {
        c.trusted_proxies = bazaar::web::client_ip::parse_proxies("10.0.0.0/8").unwrap().into();
    })
    .await;
    let login_from = async |c: &mut crate::support::Client, xff: &str, password: &str| {
        let token = c.cookies.get("csrf").cloned().unwrap_or_default();
        let body = serde_urlencoded::to_string([
            ("email", "customer@nextgen.local"),
            ("password", password),
            ("_csrf", &token),
        ])
        .unwrap();
        let req = axum::http::Request::post("/en/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", xff)
            .body(axum::body::Body::from(body))
            .unwrap();
        c.request(req).await
    };
    // Behind the proxy (visitors here come from 10.x): the attacker locks only their own address.
    let mut attacker = app.visitor();
    attacker.get("/en/login").await;
    for _ in 0..5 {
        login_from(&mut attacker, "198.51.100.1", "wrong").await;
    }
    assert_eq!(login_from(&mut attacker, "198.51.100.1", "Customer123!").await.status, StatusCode::TOO_MANY_REQUESTS);
    let mut shopper = app.visitor();
    shopper.get("/en/login").await;
    assert_eq!(login_from(&mut shopper, "203.0.113.5", "Customer123!").await.status, StatusCode::SEE_OTHER);
    // From outside the trusted network, a forged header changes nothing: the peer is locked out.
    let mut outsider = app.visitor();
    outsider.peer = "198.18.0.1:4000".parse().unwrap();
    outsider.get("/en/login").await;
    for i in 0..5 {
        login_from(&mut outsider, &format!("192.0.2.{i}"), "wrong").await;
    }
    let res = login_from(&mut outsider, "192.0.2.99", "Customer123!").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "the header did not give a fresh address");
}

/// TOTP secrets are stored sealed with the key from the environment, never
/// in plain text; after a rotation to a new key (the old one kept for
/// reading) and `secrets rotate`, they are sealed with the new key and the
/// code still works; without the old key they cannot be read.
#[tokio::test(flavor = "multi_thread")]
async fn totp_secrets_are_encrypted_at_rest_and_survive_a_key_rotation() {
    use crate::commerce::text;
    use bazaar::secrets::SecretBox;
    let first_key = SecretBox::new_key_base64();
    let first = SecretBox::from_base64(&first_key, &[]).unwrap();
    let mut app = TestApp::with_config(|c| c.secrets = first.clone()).await;
    let (_, secret) = crate::backoffice::staff(&app).await;
    let stored = text(&app, "SELECT totp_secret AS v FROM users WHERE email = 'admin@nextgen.local'").await;
    assert!(stored.starts_with("v1:"), "{stored}");
    assert!(!stored.contains(&secret), "the secret is not in the row");

    // Rotate: a new key writes, the first still reads; reseal everything.
    let second_key = SecretBox::new_key_base64();
    let second = SecretBox::from_base64(&second_key, &[&first_key]).unwrap();
    assert_eq!(bazaar::server::reseal_secrets(&app.db.url, &second).await.unwrap(), 1);
    assert_eq!(bazaar::server::reseal_secrets(&app.db.url, &second).await.unwrap(), 0, "once");
    let resealed = text(&app, "SELECT totp_secret AS v FROM users WHERE email = 'admin@nextgen.local'").await;
    assert_ne!(resealed, stored);
    // The app on the new key alone (the old one dropped) signs the admin in with a code.
    let second_only = SecretBox::from_base64(&second_key, &[]).unwrap();
    app.restart(|c| c.secrets = second_only);
    let mut c = app.visitor();
    c.login("admin@nextgen.local", "Admin123!").await;
    let code = bazaar::accounts::totp::code_at(&secret, unix_now() + 30).unwrap();
    let res = c.post_form("/en/login/2fa", &[("code", &code)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // An app with the wrong key cannot read it: the code is refused, not accepted.
    app.restart(|c| c.secrets = SecretBox::random());
    let mut c = app.visitor();
    c.login("admin@nextgen.local", "Admin123!").await;
    let code = bazaar::accounts::totp::code_at(&secret, unix_now() + 60).unwrap();
    assert_eq!(c.post_form("/en/login/2fa", &[("code", &code)]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A live shop never takes a demo account's published password: not at
/// sign-in, not for a new account.
#[tokio::test(flavor = "multi_thread")]
async fn production_refuses_the_demo_passwords() {
    let mut app = TestApp::with_config(|c| c.production = true).await;
    app.client.host = "nextgen.localhost".into();
    let res = app.login("admin@nextgen.local", "Admin123!").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the published password does not sign in");
    let fields = [
        ("full_name", "X"),
        ("email", "x@example.com"),
        ("password", "Customer123!"),
        ("password_confirm", "Customer123!"),
    ];
    let reg = app.post_form("/en/register", &fields).await;
    assert_eq!(reg.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reg.text(".field-error").contains("published with the demo"));
}
