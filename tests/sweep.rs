//! A hostile sweep of every route the router has (read from the router
//! itself): each path parameter, query parameter and form field gets a NUL
//! byte, bytes that are not UTF-8, an over-long value, and each form goes
//! without its CSRF token. Nothing may answer 5xx, and the refused requests
//! must leave the database exactly as it was.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl as _;

use crate::backoffice::{VENDOR, signed_in, staff};
use crate::commerce::{add, place, product_id, text};
use crate::support::{Client, Page, TestApp};

/// Query parameters the pages read (any name would do for the NUL check; these reach handlers).
const QUERY_NAMES: [&str; 14] = [
    "q",
    "next",
    "page",
    "after",
    "sort",
    "status",
    "brand",
    "min",
    "max",
    "msg",
    "entity",
    "Authority",
    "RefId",
    "saved",
];

/// A checksum of every table but `sessions` (a visit may write its session).
async fn snapshot(app: &TestApp) -> BTreeMap<String, String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = diesel::sql_types::Text)]
        sum: String,
    }
    let mut conn = app.db.superuser().await;
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', '__diesel_schema_migrations')",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let sum: Sum = diesel::sql_query(format!(
            "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS sum FROM \"{}\" x",
            t.name
        ))
        .get_result(&mut conn)
        .await
        .unwrap();
        out.insert(t.name, sum.sum);
    }
    out
}

/// The value each path parameter takes, by route.
struct Ids {
    order: String,
    product: String,
    user: String,
    vendor: String,
    tenant: String,
    cart_item: String,
    part: String,
}

fn fill(path: &str, ids: &Ids, with: &dyn Fn(&str, &str) -> String) -> Vec<(String, String)> {
    // One filled path per parameter, that parameter replaced by `with(name, good value)`,
    // plus the path with every parameter good (the name "" then).
    let params: Vec<&str> = path.split('/').filter(|s| s.starts_with('{')).collect();
    let good = |p: &str| -> String {
        match p {
            "{lang}" => "en".into(),
            "{number}" => ids.order.clone(),
            "{slug}" if path.contains("/c/") => "electronics".into(),
            "{slug}" => "iphone-15-pro".into(),
            "{authority}" => "A00000000000000000000000000000000000".into(),
            "{*name}" => format!("htmx-{}.min.js", bazaar::web::assets::HTMX_VERSION),
            "{*key}" => "x/y/320.jpg".into(),
            "{id}" if path.contains("/moderation/products/") || path.contains("/vendor/products/") => {
                ids.product.clone()
            }
            "{id}" if path.contains("/users/") => ids.user.clone(),
            "{id}" if path.contains("/vendors/") => ids.vendor.clone(),
            "{id}" if path.contains("/tenants/") => ids.tenant.clone(),
            "{id}" if path.contains("/cart/items/") => ids.cart_item.clone(),
            "{id}" if path.contains("/vendor/orders/") => ids.part.clone(),
            _ => uuid::Uuid::nil().to_string(),
        }
    };
    let build = |bad: Option<&str>| -> String {
        path.split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    if Some(seg) == bad { with(seg, &good(seg)) } else { good(seg) }
                } else {
                    seg.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut out = vec![(String::new(), build(None))];
    out.extend(params.iter().map(|p| (p.to_string(), build(Some(p)))));
    out
}

/// The fields of the page's forms that post to `action`: (name, value).
fn form_fields(page: &Page, action: &str) -> Vec<(String, String)> {
    let doc = page.html();
    let forms = scraper::Selector::parse("form").unwrap();
    let inputs = scraper::Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    for form in doc.select(&forms) {
        let target = form.value().attr("action").unwrap_or_default();
        if target.split('?').next() != Some(action) {
            continue;
        }
        for i in form.select(&inputs) {
            let name = i.value().attr("name").unwrap_or_default().to_owned();
            if name == "_csrf" || out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            out.push((name, i.value().attr("value").unwrap_or("1").to_owned()));
        }
    }
    if out.is_empty() {
        for name in ["name", "email", "password", "code", "quantity", "action", "reason", "id"] {
            out.push((name.to_owned(), "1".to_owned()));
        }
    }
    out
}

fn encode(fields: &[(String, String)], token: Option<&str>) -> Vec<u8> {
    let mut all: Vec<(String, String)> = fields.to_vec();
    if let Some(t) = token {
        all.push(("_csrf".into(), t.to_owned()));
    }
    serde_urlencoded::to_string(&all).unwrap().into_bytes()
}

/// A form body whose field `bad` carries raw `bytes` (percent-encoded as sent).
fn encode_with(fields: &[(String, String)], bad: &str, raw: &str, token: &str) -> Vec<u8> {
    let mut parts: Vec<String> = fields
        .iter()
        .map(|(n, v)| {
            let value =
                if n == bad { raw.to_owned() } else { serde_urlencoded::to_string([("", v)]).unwrap()[1..].to_owned() };
            format!("{}={value}", serde_urlencoded::to_string([("", n)]).unwrap()[1..].to_owned())
        })
        .collect();
    parts.push(format!("_csrf={token}"));
    parts.join("&").into_bytes()
}

async fn set_up() -> (TestApp, Vec<Client>, Ids, Vec<String>) {
    let app = TestApp::with_config(|c| c.rate_limits = false).await;
    let (mut admin, _) = staff(&app).await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    add(&mut admin, &lamp, "1").await;
    let p = place(&mut admin, &uuid::Uuid::new_v4().to_string(), &[]).await;
    let order = p.header("location").unwrap().rsplit('/').next().unwrap().to_owned();
    add(&mut admin, &lamp, "1").await;
    let vendor = signed_in(&app, VENDOR).await;
    let ids = Ids {
        order,
        product: product_id(&app, "NOR-LED-12").await,
        user: text(&app, "SELECT id::text AS v FROM users WHERE email = 'customer@nextgen.local'").await,
        vendor: text(&app, "SELECT id::text AS v FROM vendors WHERE slug = 'technoshop'").await,
        tenant: text(&app, "SELECT id::text AS v FROM tenants WHERE slug = 'nextgen'").await,
        cart_item: text(&app, "SELECT id::text AS v FROM cart_items LIMIT 1").await,
        part: text(&app, "SELECT id::text AS v FROM order_fulfillments LIMIT 1").await,
    };
    let routes = app.route_paths();
    assert!(routes.len() > 60 && routes.contains(&"/{lang}/checkout".to_owned()), "{routes:?}");
    (app, vec![admin, vendor], ids, routes)
}

/// NUL bytes, bytes that are not UTF-8 and missing CSRF tokens, in every
/// parameter of every route: all refused with 4xx, the database untouched.
/// A form found on a page: its method, its action and its fields.
type FoundForm = (String, String, Vec<(String, String)>);

#[tokio::test(flavor = "multi_thread")]
async fn every_route_refuses_bad_bytes_and_missing_tokens_and_changes_nothing() {
    let (app, mut clients, ids, routes) = set_up().await;
    // First read every page's forms (a page may write, e.g. a new 2FA secret on each visit)...
    let mut forms: Vec<Vec<FoundForm>> = Vec::new();
    for client in clients.iter_mut() {
        let mut mine = Vec::new();
        for route in &routes {
            let (_, path) = fill(route, &ids, &|_, g| g.to_owned()).remove(0);
            let page = client.get(&path).await;
            mine.push((route.clone(), path.clone(), form_fields(&page, &path)));
        }
        forms.push(mine);
    }
    // ...then only requests that must be refused.
    let before = snapshot(&app).await;
    let mut requests = 0;
    let mut wrong = Vec::new();
    for (client, forms) in clients.iter_mut().zip(&forms) {
        let token = client.cookies.get("csrf").cloned().unwrap();
        for (route, path, fields) in forms {
            for bad in ["%00", "%FF%FE"] {
                for (param, path) in fill(route, &ids, &|_, good| format!("{good}{bad}")).into_iter().skip(1) {
                    for post in [false, true] {
                        let page = if post {
                            client.post_bytes(&path, encode(&[], Some(&token))).await
                        } else {
                            client.get(&path).await
                        };
                        requests += 1;
                        if !page.status.is_client_error() {
                            wrong.push(format!("{route} {param}={bad} (post: {post}): {}", page.status));
                        }
                    }
                }
                for name in QUERY_NAMES {
                    let page = client.get(&format!("{path}?{name}=x{bad}")).await;
                    requests += 1;
                    if !page.status.is_client_error() {
                        wrong.push(format!("{route}?{name}={bad}: {}", page.status));
                    }
                }
            }
            for (name, _) in fields {
                for raw in ["x%00y", "%FF", "%C3%28"] {
                    let page = client.post_bytes(path, encode_with(fields, name, raw, &token)).await;
                    requests += 1;
                    if !page.status.is_client_error() {
                        wrong.push(format!("POST {route} {name}={raw}: {}", page.status));
                    }
                }
            }
            let page = client.post_bytes(path, encode(fields, None)).await;
            requests += 1;
            let server_to_server = route.starts_with("/sandbox/") || route.ends_with("/callback");
            if page.status.is_server_error() || (!server_to_server && page.status != StatusCode::FORBIDDEN) {
                wrong.push(format!("POST {route} without a token: {}", page.status));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {requests} requests were not refused:\n{}", wrong.len(), wrong.join("\n"));
    let after = snapshot(&app).await;
    let changed: Vec<&String> = before.keys().filter(|t| before.get(*t) != after.get(*t)).collect();
    assert!(changed.is_empty(), "{requests} refused requests changed {changed:?}");
    assert!(requests > 2000, "{requests}");
}

/// Over-long values in every parameter and field of every route: no 5xx.
#[tokio::test(flavor = "multi_thread")]
async fn every_route_takes_over_long_values_without_a_5xx() {
    let (_app, mut clients, ids, routes) = set_up().await;
    let long = "ی".repeat(6000);
    let long_enc = serde_urlencoded::to_string([("", long.as_str())]).unwrap()[1..].to_owned();
    let mut failed = Vec::new();
    let mut check = |page: Page, what: String| {
        if page.status.is_server_error() {
            failed.push(format!("{what}: {}", page.status));
        }
    };
    for client in clients.iter_mut() {
        let token = client.cookies.get("csrf").cloned().unwrap();
        for route in routes.iter().filter(|r| !r.ends_with("/logout")) {
            for (param, path) in fill(route, &ids, &|_, _| long_enc.clone()).into_iter().skip(1) {
                for post in [false, true] {
                    let page = if post {
                        client.post_bytes(&path, encode(&[], Some(&token))).await
                    } else {
                        client.get(&path).await
                    };
                    check(page, format!("{route} {param}=<long> (post: {post})"));
                }
            }
            let (_, path) = fill(route, &ids, &|_, g| g.to_owned()).remove(0);
            for name in QUERY_NAMES {
                check(client.get(&format!("{path}?{name}={long_enc}")).await, format!("{route}?{name}=<long>"));
            }
            let page = client.get(&path).await;
            let fields = form_fields(&page, &path);
            for (name, _) in &fields {
                let page = client.post_bytes(&path, encode_with(&fields, name, &long_enc, &token)).await;
                check(page, format!("POST {route} {name}=<long>"));
            }
        }
    }
    assert!(failed.is_empty(), "{} answered 5xx:\n{}", failed.len(), failed.join("\n"));
}
