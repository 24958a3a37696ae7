//! CSRF, security headers, body limits, health.

use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread")]
async fn state_changing_requests_need_the_csrf_token() {
    let mut app = TestApp::new().await;
    app.get("/en/login").await; // receives the csrf cookie
    let no_token = app.post_raw("/en/login", "email=customer%40nextgen.local&password=Customer123%21".into()).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert_eq!(no_token.text("h1"), "Form expired");
    let wrong = app
        .post_raw(
            "/en/login",
            "email=customer%40nextgen.local&password=Customer123%21&_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                .into(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // No cookie at all (a cross-site form in a fresh browser).
    app.cookies.clear();
    let fresh = app.post_raw("/en/register", "email=a%40b.cd&_csrf=x".into()).await;
    assert_eq!(fresh.status, StatusCode::FORBIDDEN);
    // Nothing was written: the account does not exist.
    app.cookies.clear();
    assert_eq!(app.login("a@b.cd", "whatever1").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The page's own token works, as the header htmx sends.
    let page = app.get("/en/login").await;
    let token = page.csrf();
    let res = app
        .request(
            axum::http::Request::post("/en/logout")
                .header("x-csrf-token", token)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_carry_security_headers() {
    let mut app = TestApp::new().await;
    for path in ["/fa/", "/en/p/iphone-15-pro", "/en/nowhere"] {
        let page = app.get(path).await;
        let csp = page.header("content-security-policy").expect("csp");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(page.header("referrer-policy"), Some("strict-origin-when-cross-origin"));
        assert!(!page.body.contains("<script>"), "no inline scripts in {path}");
    }
    let js = app.get(&format!("/static/htmx-{}.min.js", bazaar::web::assets::HTMX_VERSION)).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.header("cache-control").unwrap().contains("immutable"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_post_in_another_format_gets_a_4xx_page() {
    let mut app = TestApp::new().await;
    let page = app.get("/fa/login").await;
    let token = page.csrf();
    let res = app
        .request(
            axum::http::Request::post("/fa/login")
                .header("x-csrf-token", token)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(r#"{"email":"a@b.cd"}"#))
                .unwrap(),
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    assert_eq!(res.attr("html", "lang").as_deref(), Some("fa"));
    assert_eq!(res.text("h1"), "درخواست نادرست");
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_get_413() {
    let mut app = TestApp::new().await;
    app.get("/en/login").await;
    let token = app.cookies.get("csrf").cloned().unwrap();
    let big = format!("_csrf={token}&email={}", "a".repeat(200_000));
    let res = app.post_raw("/en/login", big).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.text("h1"), "Too large");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_the_database() {
    let mut app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    // A pool pointing at a database that does not exist answers 503, not 500.
    let url = app.db.url.replace(&app.db.name, "bz_missing_db");
    let pool = bazaar::db::pool(&url, 1).unwrap();
    let state = bazaar::app::AppState::new(pool, Default::default());
    let router = bazaar::router::router(state);
    use tower::ServiceExt as _;
    let res =
        router.oneshot(axum::http::Request::get("/healthz").body(axum::body::Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test(flavor = "multi_thread")]
async fn root_redirects_by_cookie_then_accept_language_then_persian() {
    let mut app = TestApp::new().await;
    assert_eq!(app.get("/").await.header("location"), Some("/fa/"));
    assert_eq!(app.get_with("/", &[("Accept-Language", "en-US,en;q=0.9")]).await.header("location"), Some("/en/"));
    assert_eq!(app.get_with("/", &[("Accept-Language", "de, ar;q=0.5")]).await.header("location"), Some("/ar/"));
    app.get("/ar/").await; // remembers Arabic
    assert_eq!(app.get_with("/", &[("Accept-Language", "en")]).await.header("location"), Some("/ar/"));
    assert_eq!(app.get("/en").await.header("location"), Some("/en/"));
}

/// With the database down, a signed-in visitor gets the same 503 page as a
/// guest (the session store's error was a 500), and both recover with it.
#[tokio::test(flavor = "multi_thread")]
async fn a_database_that_is_down_gives_everyone_503() {
    let mut app = TestApp::new().await;
    let mut guest = app.visitor();
    guest.get("/en/").await;
    assert_eq!(app.login("customer@nextgen.local", "Customer123!").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/en/account").await.status, StatusCode::OK);
    app.db.set_down(true).await;
    // Past the signed-in user's few seconds in memory: the session itself must be read.
    tokio::time::sleep(bazaar::accounts::current_user::USER_CACHE).await;
    for path in ["/en/account", "/en/", "/en/cart", "/en/p/iphone-15-pro"] {
        let signed_in = app.get(path).await;
        assert_eq!(signed_in.status, StatusCode::SERVICE_UNAVAILABLE, "signed in, {path}: {}", signed_in.body);
    }
    for path in ["/en/", "/en/p/iphone-15-pro", "/en/search?q=lamp"] {
        let anonymous = guest.get(path).await;
        assert_eq!(anonymous.status, StatusCode::SERVICE_UNAVAILABLE, "guest, {path}");
    }
    app.db.set_down(false).await;
    assert_eq!(app.get("/en/account").await.status, StatusCode::OK, "signed in again once it is back");
}

/// A NUL byte in a path, a query or a form field is refused with a 400 page
/// before it reaches the database (PostgreSQL refuses it in text with an
/// error that was a 500), for guests and signed-in users alike.
#[tokio::test(flavor = "multi_thread")]
async fn a_nul_byte_anywhere_is_a_400_and_changes_nothing() {
    use crate::commerce::num;
    let mut app = TestApp::new().await;
    app.get("/en/").await;
    for path in [
        "/en/p/iphone%00",
        "/en/search?q=lamp%00",
        "/en/payments/zarinpal/callback?Authority=A%00&Status=OK",
        "/en/account/orders/1405-1%00",
        "/en/c/phones?brand=%00",
        "/en/login?next=/en/%00",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(page.text("h1"), "Bad request", "{path}: a localized page");
    }
    let users_before = num(&app, "SELECT count(*) AS v FROM users").await;
    let fields = [
        ("full_name", "x\0y"),
        ("email", "nul@example.com"),
        ("password", "pass-word-1"),
        ("password_confirm", "pass-word-1"),
    ];
    let register = app.post_form("/en/register", &fields).await;
    assert_eq!(register.status, StatusCode::BAD_REQUEST);
    let login = app.post_form("/en/login", &[("email", "customer@nextgen.local\0"), ("password", "x")]).await;
    assert_eq!(login.status, StatusCode::BAD_REQUEST);
    let saman =
        app.post_form("/en/payments/saman/callback", &[("RefNum", "1\0"), ("State", "OK"), ("Token", "t")]).await;
    assert_eq!(saman.status, StatusCode::BAD_REQUEST);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM users").await, users_before, "nothing registered");
    // A control character in a path never reaches a Location header.
    assert_eq!(app.get("/en/account/orders/1%0D%0ASet-Cookie:x/pay").await.status, StatusCode::BAD_REQUEST);
}

/// A form body that is not UTF-8 is a 400, not a form with nothing ticked:
/// sent to the permission grid it once deleted most of the roles' permissions.
#[tokio::test(flavor = "multi_thread")]
async fn a_form_that_is_not_utf8_is_refused_and_changes_nothing() {
    use crate::backoffice::staff;
    use crate::commerce::num;
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let before = num(&app, "SELECT count(*) AS v FROM role_permissions").await;
    let token = admin.cookies.get("csrf").cloned().unwrap();
    let grid = admin.post_raw("/en/admin/roles", format!("grant=%FF%FE&grant=ADMIN:%C0&_csrf={token}")).await;
    assert_eq!(grid.status, StatusCode::BAD_REQUEST, "{}", grid.body);
    // Raw bytes that are not UTF-8, not percent-encoded.
    let mut raw = b"grant=".to_vec();
    raw.extend_from_slice(&[0xC3, 0x28]);
    raw.extend_from_slice(format!("&_csrf={token}").as_bytes());
    let req = axum::http::Request::post("/en/admin/roles")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(raw))
        .unwrap();
    assert_eq!(admin.request(req).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM role_permissions").await, before, "every permission kept");
    let customer =
        crate::commerce::text(&app, "SELECT id::text AS v FROM users WHERE email = 'customer@nextgen.local'").await;
    let roles_before = num(&app, "SELECT count(*) AS v FROM user_role_assignments").await;
    let res = admin.post_raw(&format!("/en/admin/users/{customer}/roles"), format!("role=%FF&_csrf={token}")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM user_role_assignments").await, roles_before, "roles kept");
}

/// A login `next` holding CR/LF, DEL or NUL is dropped, and the user is
/// signed in (it gave a 500 after a correct password).
#[tokio::test(flavor = "multi_thread")]
async fn a_login_next_with_control_characters_is_dropped() {
    let mut app = TestApp::new().await;
    for next in ["/en/cart\r\nSet-Cookie: a=b", "/en/cart\u{7f}", "/en/cart\u{85}"] {
        app.cookies.clear();
        let res = app
            .post_form(
                "/en/login",
                &[("email", "customer@nextgen.local"), ("password", "Customer123!"), ("next", next)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{next:?}: {}", res.body);
        assert_eq!(res.header("location"), Some("/en/account"), "{next:?}");
        assert_eq!(app.get("/en/account").await.status, StatusCode::OK, "signed in");
    }
}

/// A body refused before it was read ends its connection and says so, so the
/// client does not send its next request into the unread bytes.
#[tokio::test(flavor = "multi_thread")]
async fn a_body_refused_unread_closes_the_connection_with_a_header() {
    let mut app = TestApp::new().await;
    app.get("/en/login").await;
    let req = axum::http::Request::post("/en/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", "150000")
        .body(axum::body::Body::from(vec![b'a'; 150_000]))
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.header("connection"), Some("close"));
    // Over a real socket, the next request on a new connection works.
    let client = reqwest::Client::new();
    let big = client
        .post(format!("{}/en/login", app.origin))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 150_000])
        .send()
        .await
        .expect("answered");
    assert_eq!(big.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(big.headers().get("connection").and_then(|v| v.to_str().ok()), Some("close"));
    let next = client.get(format!("{}/en/", app.origin)).send().await.expect("the next request is answered");
    assert_eq!(next.status(), reqwest::StatusCode::OK);
}

/// A Host that is not shaped like a host is a 400 before anything looks it
/// up; made-up hosts are not remembered; links are built from the tenant's
/// own domain, never from a forged Host.
#[tokio::test(flavor = "multi_thread")]
async fn hosts_are_checked_and_links_use_the_tenants_own_domain() {
    let mut app = TestApp::new().await;
    let long = format!("{}.example", "a".repeat(100_000));
    for host in [long.as_str(), "evil.example/<x>", "a..b", "shop.example:99999999"] {
        let res = app.get_with("/fa/", &[("host", host)]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", &host[..host.len().min(40)]);
    }
    // Unknown but well-formed hosts: the default tenant in development, not cached.
    for i in 0..300 {
        let res = app.get_with("/en/", &[("host", &format!("h{i}.attacker.example"))]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains("attacker.example"), "a forged Host is never echoed");
    }
    let canonical = app.get_with("/en/p/iphone-15-pro", &[("host", "evil.example")]).await;
    let link = canonical.attr("link[rel=canonical]", "href").unwrap();
    assert!(!link.contains("evil.example"), "{link}");
    assert!(
        link.starts_with("http://127.0.0.1/")
            || link.starts_with("http://localhost/")
            || link.starts_with("http://nextgen.localhost/"),
        "{link}"
    );
    // A tenant's own domain, with its port, is kept.
    let own = app.get_with("/en/p/iphone-15-pro", &[("host", "nextgen.localhost:8080")]).await;
    assert_eq!(own.attr("link[rel=canonical]", "href").unwrap(), "http://nextgen.localhost:8080/en/p/iphone-15-pro");
    assert!(own.attrs("link[rel=alternate]", "href").iter().all(|h| h.starts_with("http://nextgen.localhost:8080/")));
}

/// In production a host no tenant has is a plain 404, not the first tenant.
#[tokio::test(flavor = "multi_thread")]
async fn production_answers_unknown_hosts_with_404() {
    let mut app = TestApp::with_config(|c| c.production = true).await;
    let res = app.get_with("/en/", &[("host", "some-other-shop.example")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(!res.body.contains("NextGen"), "nothing of the tenant shows");
    assert_eq!(app.get_with("/en/", &[("host", "nextgen.localhost")]).await.status, StatusCode::OK);
}

/// A connection that never finishes its headers is closed after the header
/// timeout, and connections beyond the cap wait instead of being served
/// with more memory and descriptors.
#[tokio::test(flavor = "multi_thread")]
async fn slow_connections_are_closed_and_capped() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = bazaar::web::serve::ConnectionLimits {
        header_timeout: std::time::Duration::from_secs(1),
        max_connections: 4,
        drain: std::time::Duration::from_secs(1),
    };
    let router = bazaar::router::router(app.state.clone());
    tokio::spawn(bazaar::web::serve::serve(listener, router, limits, std::future::pending()));
    let started = std::time::Instant::now();
    // Four connections take every slot and send half a request.
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /en/ HTTP/1.1\r\nHost: localho").await.unwrap();
        slow.push(s);
    }
    // A fifth, complete request waits for a slot: it is answered only after the slow ones are cut off.
    let mut fifth = tokio::net::TcpStream::connect(addr).await.unwrap();
    fifth.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(10), fifth.read_to_end(&mut answer)).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "it waited for a slot: {:?}",
        started.elapsed()
    );
    // The slow ones were closed by the server.
    for mut s in slow {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "a connection that never finished its headers is closed");
    }
}

/// HSTS when the public URL is https; every page of a signed-in user, and the
/// cart for anyone, is `private, no-store`; a public page for a guest is not.
#[tokio::test(flavor = "multi_thread")]
async fn private_pages_are_not_stored_and_https_is_kept() {
    let mut app = TestApp::new().await;
    let guest_home = app.get("/en/").await;
    assert_eq!(guest_home.header("cache-control"), None);
    assert_eq!(guest_home.header("strict-transport-security"), None, "not over https");
    assert_eq!(app.get("/en/cart").await.header("cache-control"), Some("private, no-store"));
    app.login("customer@nextgen.local", "Customer123!").await;
    for path in ["/en/", "/en/account", "/en/account/orders", "/en/cart", "/en/p/iphone-15-pro"] {
        assert_eq!(app.get(path).await.header("cache-control"), Some("private, no-store"), "{path}");
    }
    let mut https = TestApp::with_config(|c| {
        c.public_url = Some("https://shop.example".into());
        c.secure_cookies = true;
    })
    .await;
    let page = https.get("/en/").await;
    assert_eq!(page.header("strict-transport-security"), Some("max-age=31536000"));
}
