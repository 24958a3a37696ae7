//! Cart, checkout, stock and orders on a real PostgreSQL, through the real router.

use axum::http::StatusCode;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl as _;

use crate::support::{Client, Page, TestApp, demo_tenant};

pub const CUSTOMER: (&str, &str) = ("customer@nextgen.local", "Customer123!");

pub const ADDRESS: [(&str, &str); 6] = [
    ("full_name", "سارا محمدی"),
    ("mobile", "۰۹۱۲۱۱۱۰۰۰۲"),
    ("province", "THR"),
    ("city", "تهران"),
    ("street", "خیابان ولیعصر، پلاک ۱۲"),
    ("postal_code", "1316936315"),
];

#[derive(QueryableByName)]
struct Num {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    v: i64,
}

#[derive(QueryableByName)]
struct Txt {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

/// One number from SQL run as the demo tenant (`SELECT … AS v`).
pub async fn num(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db.conn().await;
    let tenant = demo_tenant(&mut conn).await;
    let sql = sql.to_owned();
    bazaar::db::tenant_tx(&mut conn, tenant, async |c| diesel::sql_query(&sql).get_result::<Num>(c).await)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .v
}

pub async fn text(app: &TestApp, sql: &str) -> String {
    let mut conn = app.db.conn().await;
    let tenant = demo_tenant(&mut conn).await;
    let sql = sql.to_owned();
    bazaar::db::tenant_tx(&mut conn, tenant, async |c| diesel::sql_query(&sql).get_result::<Txt>(c).await)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .v
}

pub async fn product_id(app: &TestApp, sku: &str) -> String {
    text(app, &format!("SELECT id::text AS v FROM products WHERE sku = '{sku}'")).await
}

pub async fn add(client: &mut Client, id: &str, qty: &str) -> Page {
    client.post_form("/en/cart/add", &[("product_id", id), ("quantity", qty)]).await
}

pub async fn add_htmx(client: &mut Client, id: &str, qty: &str) -> Page {
    let token = client.cookies.get("csrf").cloned().unwrap_or_default();
    let body = serde_urlencoded::to_string([("product_id", id), ("quantity", qty)]).unwrap();
    let req = axum::http::Request::post("/en/cart/add")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header("x-csrf-token", token)
        .body(axum::body::Body::from(body))
        .unwrap();
    client.request(req).await
}

/// Places the cart with the test address and Pishtaz post; returns the response.
pub async fn place(client: &mut Client, key: &str, extra: &[(&str, &str)]) -> Page {
    let mut fields: Vec<(&str, &str)> = ADDRESS.to_vec();
    fields.extend([("key", key), ("shipping", "POST_PISHTAZ"), ("action", "place"), ("address_id", "new")]);
    fields.extend_from_slice(extra);
    client.post_form("/en/checkout", &fields).await
}

pub fn location(p: &Page) -> String {
    p.header("location").unwrap_or_default().to_owned()
}

/// A signed-in customer with `sku` × `qty` in the cart.
pub async fn customer_with(app: &mut TestApp, items: &[(&str, &str)]) {
    app.get("/en/").await;
    let p = app.login(CUSTOMER.0, CUSTOMER.1).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "login");
    for (sku, qty) in items {
        let id = product_id(app, sku).await;
        let p = add(app, &id, qty).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "add {sku}: {}", p.body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_fills_changes_and_empties_a_cart_with_and_without_htmx() {
    let mut app = TestApp::new().await;
    app.get("/en/").await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    let book = product_id(&app, "MRK-HAFEZ-01").await;

    // htmx: a fragment with the header's count and a status message, no page.
    let p = add_htmx(&mut app, &lamp, "2").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.body.contains("<html"), "a fragment, not a page");
    assert_eq!(p.text("#mini-cart .count"), "2");
    assert!(p.text("#toast").contains("was added to your cart"), "{}", p.body);

    // Plain form: back to the cart page, which lists both lines.
    let p = add(&mut app, &book, "1").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&p), "/en/cart");
    let page = app.get("/en/cart").await;
    assert_eq!(page.texts(".cart-line .line-name").len(), 2);
    assert_eq!(page.text("#mini-cart .count"), "3");
    // 2 × 349,000 + 450,000 Rial = 114,800 Toman.
    assert_eq!(page.text("#cart-subtotal"), "114,800 Toman");

    // Change a quantity through htmx: the cart fragment comes back with the new total.
    let line = page.attrs(".cart-line", "id").into_iter().next().unwrap().trim_start_matches("line-").to_owned();
    let token = app.cookies.get("csrf").cloned().unwrap();
    let req = axum::http::Request::post(format!("/en/cart/items/{line}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header("x-csrf-token", &token)
        .body(axum::body::Body::from("quantity=%DB%B5"))
        .unwrap();
    let frag = app.request(req).await;
    assert_eq!(frag.status, StatusCode::OK, "{}", frag.body);
    assert!(frag.body.contains("id=\"cart\""));
    assert_eq!(frag.text("#mini-cart .count"), "6", "the header count comes out of band");
    assert_eq!(frag.text("#cart-subtotal"), "219,500 Toman");

    // Remove both lines with plain posts: the empty state shows.
    for line in app.get("/en/cart").await.attrs(".cart-line", "id") {
        let id = line.trim_start_matches("line-").to_owned();
        let p = app.post_form(&format!("/en/cart/items/{id}/remove"), &[]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
    }
    let page = app.get("/en/cart").await;
    assert_eq!(page.text(".empty p"), "Your cart is empty.");
    assert_eq!(page.text("#mini-cart .count"), "0");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_quantities_get_a_clear_message_and_change_nothing() {
    let mut app = TestApp::new().await;
    app.get("/en/").await;
    let coffee = product_id(&app, "PHL-CM-HD7461").await; // 3 in stock
    for (qty, message) in [
        ("0", "Enter a whole number of at least 1."),
        ("-1", "Enter a whole number of at least 1."),
        ("abc", "Enter a whole number of at least 1."),
        ("2.5", "Enter a whole number of at least 1."),
        ("99999999999999999999", "You can order at most 999 of this product."),
        ("4", "You can order at most 3 of this product."),
    ] {
        let p = add(&mut app, &coffee, qty).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{qty}");
        assert_eq!(p.text(".alert.error"), message, "{qty}");
        let p = add_htmx(&mut app, &coffee, qty).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{qty}");
        assert_eq!(p.text("#toast"), message);
    }
    assert_eq!(num(&app, "SELECT count(*) AS v FROM cart_items").await, 0);
    // An unknown or malformed product is not a server error.
    assert_eq!(add(&mut app, "not-a-uuid", "1").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(add(&mut app, &uuid::Uuid::nil().to_string(), "1").await.status, StatusCode::NOT_FOUND);
    // Three is allowed; a fourth on top is refused.
    assert_eq!(add(&mut app, &coffee, "3").await.status, StatusCode::SEE_OTHER);
    assert_eq!(add(&mut app, &coffee, "1").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(num(&app, "SELECT sum(quantity) AS v FROM cart_items").await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn price_changes_and_sold_out_lines_are_flagged_never_applied_silently() {
    let mut app = TestApp::new().await;
    customer_with(&mut app, &[("NOR-LED-12", "1"), ("PRS-TSH-COT-M", "2")]).await;
    app.exec_in_demo_tenant("UPDATE products SET price = 399000 WHERE sku = 'NOR-LED-12'").await;
    app.exec_in_demo_tenant("UPDATE products SET stock = 1 WHERE sku = 'PRS-TSH-COT-M'").await;

    let page = app.get("/en/cart").await;
    let issues = page.texts(".line-issue");
    assert!(issues.contains(&"The price changed from 34,900 Toman to 39,900 Toman.".to_owned()), "{issues:?}");
    assert!(issues.contains(&"Only 1 left. Please lower the quantity.".to_owned()), "{issues:?}");
    assert_eq!(page.text(".cart-summary .alert"), "Please resolve the flagged items before checking out.");
    // Checkout refuses until the shopper has seen and fixed it.
    let p = app.get("/en/checkout").await;
    assert_eq!(location(&p), "/en/cart");
    // A post from an old checkout page: the sold-out line is named as the reason.
    let p = place(&mut app, &uuid::Uuid::new_v4().to_string(), &[]).await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    assert!(p.text("main").contains("another shopper bought the last units"), "{}", p.body);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 0);

    // Accepting the new price and lowering the quantity clears the flags.
    for (id, qty) in page.attrs(".cart-line", "id").iter().zip(["1", "1"]) {
        let id = id.trim_start_matches("line-");
        app.post_form(&format!("/en/cart/items/{id}"), &[("quantity", qty)]).await;
    }
    let page = app.get("/en/cart").await;
    assert!(page.texts(".line-issue").is_empty(), "{}", page.body);
    assert_eq!(app.get("/en/checkout").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_cart_joins_the_users_cart_at_login() {
    let mut app = TestApp::new().await;
    // The customer already has a lamp in their cart from another visit.
    customer_with(&mut app, &[("NOR-LED-12", "1")]).await;
    let mut guest = app.visitor();
    guest.get("/en/").await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    let book = product_id(&app, "MRK-HAFEZ-01").await;
    add(&mut guest, &lamp, "2").await;
    add(&mut guest, &book, "1").await;
    let p = guest.login(CUSTOMER.0, CUSTOMER.1).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let cart = guest.get("/en/cart").await;
    assert_eq!(cart.text("#mini-cart .count"), "4", "1 + 2 lamps and the book");
    assert_eq!(cart.texts(".cart-line").len(), 2);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM carts").await, 1, "the guest cart is gone");
}

#[tokio::test(flavor = "multi_thread")]
async fn checkout_needs_a_login_and_shows_messages_beside_fields() {
    let mut app = TestApp::new().await;
    app.get("/en/").await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    add(&mut app, &lamp, "1").await;
    let p = app.get("/en/checkout").await;
    assert_eq!(location(&p), "/en/login?next=/en/checkout");
    app.login(CUSTOMER.0, CUSTOMER.1).await;

    let key = uuid::Uuid::new_v4().to_string();
    let fields = [
        ("key", key.as_str()),
        ("address_id", "new"),
        ("full_name", "S"),
        ("mobile", "0980 123"),
        ("province", "XX"),
        ("city", "Tehran"),
        ("street", "Valiasr St. 12"),
        ("postal_code", "12345"),
        ("shipping", "POST_PISHTAZ"),
        ("action", "place"),
    ];
    let p = app.post_form("/en/checkout", &fields).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p.text("#e-name"), "Please enter the recipient's name (2 to 120 characters).");
    assert_eq!(p.text("#e-mobile"), "Enter an Iranian mobile number, such as 0912 345 6789.");
    assert_eq!(p.text("#e-province"), "Please choose a province.");
    assert_eq!(p.text("#e-postal"), "A postal code has exactly 10 digits.");
    assert_eq!(p.attr("#f-city", "value").as_deref(), Some("Tehran"), "what was typed is kept");
    assert_eq!(p.attr("input[name=key]", "value").as_deref(), Some(key.as_str()), "same key on the retry");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 0);

    // Same-day delivery is for Tehran only.
    let mut fields: Vec<(&str, &str)> = ADDRESS.to_vec();
    fields.retain(|f| f.0 != "province");
    fields.extend([("province", "FAR"), ("key", &key), ("shipping", "EXPRESS_TEHRAN"), ("action", "place")]);
    let p = app.post_form("/en/checkout", &fields).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.text(".shipping .field-error").contains("does not deliver"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_of_two_vendors_has_two_parts_commissions_vat_and_reserved_stock() {
    let mut app = TestApp::new().await;
    // TechnoShop (8 %) and Home Comfort (10 %).
    customer_with(&mut app, &[("SMG-S24-128", "1"), ("NOR-LED-12", "2")]).await;
    let key = uuid::Uuid::new_v4().to_string();
    // A posted price is ignored: totals come from the database.
    let p = place(&mut app, &key, &[("price", "1"), ("total", "1"), ("save_address", "1")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let to = location(&p);
    assert!(to.starts_with("/en/account/orders/"), "{to}");

    // subtotal 3,299,000 + 698,000 = 3,997,000; VAT 10 % = 399,700; Pishtaz 50,000 (free over 5,000,000).
    let total = text(&app, "SELECT total::text AS v FROM orders").await;
    assert_eq!(total, "4446700.00");
    assert_eq!(text(&app, "SELECT tax_amount::text AS v FROM orders").await, "399700.00");
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM order_fulfillments").await, 2);
    assert_eq!(
        text(&app, "SELECT string_agg(amount::text, ',' ORDER BY amount) AS v FROM vendor_commissions").await,
        "69800.00,263920.00",
        "10 % of 698,000 and 8 % of 3,299,000"
    );
    assert_eq!(num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 2);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM inventory_logs WHERE reason = 'RESERVE'").await, 2);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM order_status_history").await, 1);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM cart_items").await, 0, "the cart is emptied");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM addresses").await, 1, "the address is saved for reuse");

    let page = app.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#order-status"), "Waiting for payment");
    assert_eq!(page.texts(".part h2").len(), 2);
    assert!(page.text(".totals .grand + dd").contains("444,670 Toman"), "{}", page.body);
    let list = app.get("/en/account/orders").await;
    assert_eq!(list.texts("table.orders tbody tr").len(), 1);

    // Another customer cannot see it.
    let mut other = app.visitor();
    other.get("/en/").await;
    other
        .post_form(
            "/en/register",
            &[
                ("full_name", "Other"),
                ("email", "other@example.com"),
                ("password", "long enough pw"),
                ("password_confirm", "long enough pw"),
            ],
        )
        .await;
    assert_eq!(other.get(&to).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_double_click_or_a_retried_post_places_one_order() {
    let mut app = TestApp::new().await;
    customer_with(&mut app, &[("NOR-LED-12", "1")]).await;
    let key = uuid::Uuid::new_v4().to_string();
    let first = place(&mut app, &key, &[]).await;
    let second = place(&mut app, &key, &[]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&first), location(&second));
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 1);

    // Two at once with one key: still one order.
    let lamp = product_id(&app, "NOR-LED-12").await;
    add(&mut app, &lamp, "1").await;
    let key = uuid::Uuid::new_v4().to_string();
    let mut twin = app.client.clone();
    let (a, b) = tokio::join!(place(&mut app.client, &key, &[]), place(&mut twin, &key, &[]));
    assert_eq!(location(&a), location(&b), "{} / {}", a.body, b.body);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn discount_codes_follow_their_rules_and_every_use_is_recorded() {
    let mut app = TestApp::new().await;
    customer_with(&mut app, &[("NOR-LED-12", "1")]).await; // 349,000 Rial
    let key = uuid::Uuid::new_v4().to_string();
    let apply = |code: &'static str| {
        let mut f: Vec<(&str, &str)> = ADDRESS.to_vec();
        f.extend([("key", ""), ("shipping", "POST_PISHTAZ"), ("action", "apply"), ("discount_code", code)]);
        f
    };
    let mut f = apply("WELCOME10");
    f.retain(|x| x.0 != "key");
    f.push(("key", &key));
    let p = app.post_form("/en/checkout", &f).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p.text("#e-code"), "This code needs an order of at least 50,000 Toman.");
    assert!(p.text("#checkout-total").contains("Toman"), "totals still show");

    let mut f = apply("NOPE");
    f.retain(|x| x.0 != "key");
    f.push(("key", &key));
    assert_eq!(app.post_form("/en/checkout", &f).await.text("#e-code"), "This discount code does not exist.");

    app.exec_in_demo_tenant("UPDATE discounts SET expires_at = now() - interval '1 minute', starts_at = now() - interval '1 day' WHERE code = 'VIP15'").await;
    app.exec_in_demo_tenant("UPDATE discounts SET usage_count = usage_limit WHERE code = 'NOWRUZ1405'").await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    add(&mut app, &lamp, "9").await; // 3,490,000 Rial: above every minimum
    for (code, message) in
        [("vip15", "This discount code has expired."), ("NOWRUZ1405", "This discount code has been used up.")]
    {
        let p = place(&mut app, &key, &[("discount_code", code)]).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert_eq!(p.text("#e-code"), message);
    }
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 0, "the order is untouched");

    // WELCOME10: 10 % of 3,490,000, once per user.
    let p = place(&mut app, &key, &[("discount_code", "welcome10")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(text(&app, "SELECT discount_amount::text AS v FROM orders").await, "349000.00");
    // VAT on the discounted amount: 10 % of 3,141,000; Pishtaz 50,000.
    assert_eq!(text(&app, "SELECT total::text AS v FROM orders").await, "3505100.00");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM discount_usages").await, 1);
    assert_eq!(num(&app, "SELECT usage_count::bigint AS v FROM discounts WHERE code = 'WELCOME10'").await, 1);
    add(&mut app, &lamp, "2").await;
    let p = place(&mut app, &uuid::Uuid::new_v4().to_string(), &[("discount_code", "WELCOME10")]).await;
    assert_eq!(p.text("#e-code"), "You have already used this discount code.");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_concurrent_checkouts_for_ten_units_sell_exactly_ten() {
    let app = TestApp::with_pool(32).await;
    app.exec_in_demo_tenant("UPDATE products SET stock = 10, reserved_stock = 0 WHERE sku = 'NOR-LED-12'").await;
    app.exec_in_demo_tenant(
        "INSERT INTO users (id, tenant_id, email, full_name, password_hash)
         SELECT gen_random_uuid(), tenant_id, 'buyer' || g || '@example.com', 'Buyer ' || g, password_hash
         FROM users, generate_series(1, 200) g WHERE email = 'customer@nextgen.local'",
    )
    .await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    // Each buyer signs in and puts one lamp in their cart (all ten are available to each).
    let mut buyers = Vec::new();
    for chunk in (1..=200).collect::<Vec<_>>().chunks(20) {
        let mut set = tokio::task::JoinSet::new();
        for &i in chunk {
            let mut c = app.visitor();
            let lamp = lamp.clone();
            set.spawn(async move {
                c.get("/en/").await;
                let p = c.login(&format!("buyer{i}@example.com"), CUSTOMER.1).await;
                assert_eq!(p.status, StatusCode::SEE_OTHER);
                assert_eq!(add(&mut c, &lamp, "1").await.status, StatusCode::SEE_OTHER);
                c
            });
        }
        buyers.extend(set.join_all().await);
    }
    // All 200 place their order at once, each transaction on its own connection.
    let mut set = tokio::task::JoinSet::new();
    for mut c in buyers {
        set.spawn(async move { place(&mut c, &uuid::Uuid::new_v4().to_string(), &[]).await });
    }
    let results = set.join_all().await;
    let ok = results.iter().filter(|p| location(p).starts_with("/en/account/orders/")).count();
    let refused: Vec<&Page> = results.iter().filter(|p| p.status == StatusCode::CONFLICT).collect();
    let mut statuses: Vec<u16> = results.iter().map(|p| p.status.as_u16()).collect();
    statuses.sort();
    statuses.dedup();
    assert_eq!(
        ok,
        10,
        "exactly ten orders; statuses seen: {statuses:?}; e.g. {}",
        results
            .iter()
            .find(|p| p.status != StatusCode::SEE_OTHER && p.status != StatusCode::CONFLICT)
            .map(|p| p.body.as_str())
            .unwrap_or("")
    );
    assert_eq!(refused.len(), 190, "every other checkout is told why");
    assert!(refused[0].text("main h1").contains("Not enough stock"), "{}", refused[0].body);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 10);
    assert_eq!(
        num(&app, "SELECT (stock - reserved_stock)::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await,
        0
    );
    assert_eq!(num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 10);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM inventory_logs WHERE reason = 'RESERVE'").await, 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn unpaid_orders_give_their_stock_back_by_cancel_or_by_timeout() {
    let mut app = TestApp::new().await;
    customer_with(&mut app, &[("NOR-LED-12", "2")]).await;
    let to = location(&place(&mut app, &uuid::Uuid::new_v4().to_string(), &[]).await);
    assert_eq!(num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 2);
    let p = app.post_form(&format!("{to}/cancel"), &[]).await;
    assert_eq!(location(&p), format!("{to}?msg=cancelled"));
    assert_eq!(num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 0);
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "CANCELLED");
    let page = app.get(&format!("{to}?msg=cancelled")).await;
    assert_eq!(page.text(".alert"), "Your order was cancelled.");
    assert_eq!(page.texts(".timeline li strong"), ["Waiting for payment", "Cancelled"]);
    // Cancelling twice is refused with a message.
    assert_eq!(app.post_form(&format!("{to}/cancel"), &[]).await.status, StatusCode::CONFLICT);

    // The timeout: the release job runs once the reservation has ended.
    let lamp = product_id(&app, "NOR-LED-12").await;
    add(&mut app, &lamp, "3").await;
    place(&mut app, &uuid::Uuid::new_v4().to_string(), &[]).await;
    assert_eq!(bazaar::jobs::run_due(&app.state).await.unwrap(), 0, "nothing is due for 30 minutes");
    assert_eq!(num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 3);
    app.exec_in_demo_tenant(
        "UPDATE orders SET reserved_until = now() - interval '1 second' WHERE status = 'PENDING_PAYMENT'",
    )
    .await;
    diesel::sql_query("UPDATE queue_jobs SET available_at = now()").execute(&mut app.db.conn().await).await.unwrap();
    assert!(bazaar::jobs::run_due(&app.state).await.unwrap() >= 1);
    assert_eq!(num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 0);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders WHERE status = 'CANCELLED'").await, 2);
    assert_eq!(
        num(
            &app,
            "SELECT count(*) AS v FROM order_status_history WHERE to_status = 'CANCELLED' AND changed_by IS NULL"
        )
        .await,
        1,
        "the system cancelled it"
    );
    // The audit log says the same: one cancellation by the customer, one by nobody (the job).
    assert_eq!(
        text(
            &app,
            "SELECT string_agg(coalesce(u.email, 'system'), ',' ORDER BY a.id) AS v FROM audit_logs a
               LEFT JOIN users u ON u.id = a.user_id
              WHERE a.entity_type = 'orders' AND a.new_values ->> 'status' = 'CANCELLED'"
        )
        .await,
        "customer@nextgen.local,system"
    );
}

/// Five checkout pages of one cart submitted at once (each page has its own
/// key): one order, one reservation; the other four land on that order and
/// are told it was already placed.
#[tokio::test(flavor = "multi_thread")]
async fn five_checkout_pages_of_one_cart_make_one_order() {
    let mut app = TestApp::new().await;
    customer_with(&mut app, &[("NOR-LED-12", "1")]).await;
    let reserved_before = num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let mut tab = app.client.clone();
        set.spawn(async move { place(&mut tab, &uuid::Uuid::new_v4().to_string(), &[]).await });
    }
    let results = set.join_all().await;
    let targets: Vec<String> = results.iter().map(location).collect();
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 1, "{targets:?}");
    let number = text(&app, "SELECT order_number AS v FROM orders").await;
    let order = format!("/en/account/orders/{number}");
    assert_eq!(targets.iter().filter(|t| **t == order).count(), 1, "{targets:?}");
    assert_eq!(targets.iter().filter(|t| **t == format!("{order}?msg=already-ordered")).count(), 4, "{targets:?}");
    assert_eq!(
        num(&app, "SELECT reserved_stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await,
        reserved_before + 1
    );
    let page = app.get(&format!("{order}?msg=already-ordered")).await;
    assert_eq!(page.text(".alert"), "This cart was already ordered from another page: here is the order.");
}
