//! Paying through the Zarinpal sandbox (our real client over HTTP), the
//! wallet, refunds, and the invoice with its trip to the Moodian sandbox.

use axum::http::StatusCode;
use diesel_async::RunQueryDsl as _;

use crate::commerce::{customer_with, location, num, place, text};
use crate::support::{Client, TestApp};

/// A signed-in customer with one placed, unpaid order; returns its page path.
async fn unpaid_order(app: &mut TestApp) -> String {
    customer_with(app, &[("NOR-LED-12", "2"), ("MRK-HAFEZ-01", "1")]).await;
    let p = place(app, &uuid::Uuid::new_v4().to_string(), &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    location(&p)
}

/// Gives the demo customer a wallet holding `rials`.
async fn fund_wallet(app: &TestApp, rials: i64) {
    app.exec_in_demo_tenant(&format!(
        "INSERT INTO wallets (id, tenant_id, user_id, balance)
         SELECT gen_random_uuid(), tenant_id, id, {rials} FROM users WHERE email = 'customer@nextgen.local'"
    ))
    .await;
}

/// Starts a Zarinpal payment; returns the sandbox's StartPay path.
async fn start_zarinpal(client: &mut Client, order: &str) -> String {
    let p = client.post_form(&format!("{order}/pay"), &[("gateway", "ZARINPAL")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let to = location(&p);
    let path = to.split_once("/sandbox/").map(|(_, rest)| format!("/sandbox/{rest}")).expect("sandbox URL");
    assert!(path.starts_with("/sandbox/zarinpal/pg/StartPay/A"), "{to}");
    path
}

/// The shopper presses Pay (or Cancel) on the sandbox page; returns the callback path.
async fn decide(client: &mut Client, start: &str, decision: &str) -> String {
    let page = client.get(start).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("h1").contains("Zarinpal"));
    let p = client.post_form(start, &[("decision", decision)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let to = location(&p);
    let path = to.trim_start_matches("http://localhost").to_owned();
    assert!(path.starts_with("/en/payments/zarinpal/callback?Authority=A"), "{to}");
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn zarinpal_pays_the_order_issues_the_invoice_and_moodian_confirms_it() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    let start = start_zarinpal(&mut app, &order).await;
    assert_eq!(num(&app, "SELECT count(*) AS v FROM payments WHERE status = 'PENDING'").await, 1);
    // The sandbox received the order total in Rial: 2 × 349,000 + 450,000 + 10 % VAT + 50,000 post.
    let page = app.get(&start).await;
    assert_eq!(page.text(".totals dd bdi"), "1,312,800");

    let callback = decide(&mut app, &start, "pay").await;
    let p = app.get(&callback).await;
    assert_eq!(location(&p), format!("{order}?msg=paid"));
    let page = app.get(&location(&p)).await;
    assert_eq!(page.text("#order-status"), "Paid");
    assert_eq!(page.text(".alert"), "Thank you! Your payment was received.");
    assert_eq!(page.texts(".timeline li strong"), ["Waiting for payment", "Paid"]);

    assert_eq!(text(&app, "SELECT status AS v FROM payments").await, "COMPLETED");
    assert_eq!(text(&app, "SELECT card_pan AS v FROM payments").await, "502229******5995");
    assert!(text(&app, "SELECT gateway_track AS v FROM payments").await.parse::<u64>().is_ok(), "ref_id kept");
    // The reservation became a sale.
    assert_eq!(
        num(&app, "SELECT (stock * 1000 + reserved_stock)::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await,
        58_000
    );
    assert_eq!(num(&app, "SELECT count(*) AS v FROM inventory_logs WHERE reason = 'SALE'").await, 2);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM vendor_commissions WHERE status = 'PAYABLE'").await, 2);

    // The invoice: serial 1, a valid 22-character taxid, queued for Moodian.
    assert_eq!(num(&app, "SELECT serial_number AS v FROM invoices").await, 1);
    let taxid = text(&app, "SELECT tax_id AS v FROM invoices").await;
    assert_eq!(taxid.len(), 22);
    assert!(taxid.starts_with("A11216"), "the tenant's memory id");
    assert_eq!(text(&app, "SELECT status AS v FROM invoices").await, "DRAFT");
    assert_eq!(bazaar::jobs::run_due(&app.state).await.unwrap(), 2, "send, then ask for the verdict");
    assert_eq!(text(&app, "SELECT status AS v FROM invoices").await, "MOODIAN_CONFIRMED");
    assert_eq!(
        text(&app, "SELECT moodian_response->>'status' AS v FROM invoices").await,
        "SUCCESS",
        "the authority's answer is kept"
    );

    // The printable invoice, in Persian: RTL, Jalali date, Persian digits, QR of the taxid.
    let fa_order = order.replacen("/en/", "/fa/", 1);
    let inv = app.get(&format!("{fa_order}/invoice")).await;
    assert_eq!(inv.status, StatusCode::OK);
    assert_eq!(inv.attr("html", "dir").as_deref(), Some("rtl"));
    assert_eq!(inv.text("#invoice-taxid"), taxid);
    assert_eq!(inv.text("#invoice-status"), "تأییدشده");
    let issued = inv.texts(".invoice-facts dd")[3].clone();
    assert!(issued.contains("۱۴۰۵") && !issued.chars().any(|c| c.is_ascii_digit()), "{issued}");
    assert!(inv.attr("img.qr", "src").unwrap().starts_with("data:image/svg+xml;base64,"));
    assert!(inv.text(".invoice-totals .grand + dd").contains("۱۳۱٬۲۸۰"), "{}", inv.body);
    // Nobody else's invoice.
    let mut stranger = app.visitor();
    assert_eq!(stranger.get(&format!("{fa_order}/invoice")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_callback_replays_make_one_payment() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    let start = start_zarinpal(&mut app, &order).await;
    let callback = decide(&mut app, &start, "pay").await;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..100 {
        // From as many addresses (one address would meet the callbacks' rate limit).
        let mut c = app.visitor();
        c.cookies = app.client.cookies.clone();
        let callback = callback.clone();
        set.spawn(async move { c.get(&callback).await.status });
    }
    let statuses = set.join_all().await;
    assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "{statuses:?}");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM payments WHERE status = 'COMPLETED'").await, 1);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM invoices").await, 1);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM inventory_logs WHERE reason = 'SALE'").await, 2, "sold once");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM order_status_history WHERE to_status = 'PAID'").await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn tampered_or_cancelled_callbacks_change_nothing_and_the_order_stays_payable() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;

    // An authority we never issued: 404 and no change.
    let p = app.get("/en/payments/zarinpal/callback?Authority=A000000000000000000000000000000000001&Status=OK").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);

    // Status=OK for a payment nobody made: the gateway refuses to verify it.
    let start = start_zarinpal(&mut app, &order).await;
    let authority = start.rsplit('/').next().unwrap().to_owned();
    let p = app.get(&format!("/en/payments/zarinpal/callback?Authority={authority}&Status=OK")).await;
    assert_eq!(location(&p), format!("{order}?msg=payment-failed"), "{} {}", p.status, p.body);
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");
    assert_eq!(text(&app, "SELECT status AS v FROM payments").await, "FAILED");

    // Cancelled at the gateway: the order can be paid again.
    let start = start_zarinpal(&mut app, &order).await;
    let callback = decide(&mut app, &start, "cancel").await;
    assert!(callback.ends_with("Status=NOK"));
    assert_eq!(location(&app.get(&callback).await), format!("{order}?msg=payment-cancelled"));
    let page = app.get(&order).await;
    assert!(page.html().select(&scraper::Selector::parse("button[value=ZARINPAL]").unwrap()).next().is_some());

    // Paid at the gateway, but our record's amount no longer matches what was paid: not verified.
    let start = start_zarinpal(&mut app, &order).await;
    let callback = decide(&mut app, &start, "pay").await;
    app.exec_in_demo_tenant("UPDATE payments SET amount = amount + 10 WHERE status = 'PENDING'").await;
    let p = app.get(&callback).await;
    assert_eq!(location(&p), format!("{order}?msg=payment-failed"), "{} {}", p.status, p.body);
    assert!(
        text(&app, "SELECT error_message AS v FROM payments WHERE status = 'FAILED' ORDER BY created_at DESC LIMIT 1")
            .await
            .contains("-50")
    );
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM invoices").await, 0);

    // And a fourth try goes through.
    let start = start_zarinpal(&mut app, &order).await;
    let callback = decide(&mut app, &start, "pay").await;
    assert_eq!(location(&app.get(&callback).await), format!("{order}?msg=paid"));
    assert_eq!(num(&app, "SELECT count(*) AS v FROM payments").await, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wallet_pays_atomically_and_takes_refunds() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    fund_wallet(&app, 1_000_000).await;
    // 1,000,000 Rial is short of 1,312,800.
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "WALLET")]).await;
    assert_eq!(location(&p), format!("{order}?msg=wallet-short"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM wallet_transactions").await, 0);

    app.exec_in_demo_tenant("UPDATE wallets SET balance = 2000000").await;
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "WALLET")]).await;
    assert_eq!(location(&p), format!("{order}?msg=paid"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PAID");
    assert_eq!(
        text(
            &app,
            "SELECT concat_ws(',', amount, balance_before, balance_after, reference) AS v FROM wallet_transactions"
        )
        .await,
        format!("-1312800.00,2000000.00,687200.00,order {}", order.rsplit('/').next().unwrap())
    );
    assert_eq!(num(&app, "SELECT count(*) AS v FROM invoices").await, 1);
    // Paying twice does nothing.
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "WALLET")]).await;
    assert_eq!(location(&p), format!("{order}?msg=not-payable"));
    assert_eq!(text(&app, "SELECT balance::text AS v FROM wallets").await, "687200.00");

    // Refund before shipping: money back to the wallet, stock back on the shelf.
    let p = app.post_form(&format!("{order}/refund"), &[]).await;
    assert_eq!(location(&p), format!("{order}?msg=refunded"));
    assert_eq!(text(&app, "SELECT balance::text AS v FROM wallets").await, "2000000.00");
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "REFUNDED");
    assert_eq!(num(&app, "SELECT stock::bigint AS v FROM products WHERE sku = 'NOR-LED-12'").await, 60);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM vendor_commissions WHERE status = 'VOID'").await, 2);

    // The wallet page shows the balance and both movements, newest first.
    let page = app.get("/en/account/wallet").await;
    assert_eq!(page.text("#wallet-balance"), "200,000 Toman");
    let rows = page.texts(".wallet-ledger tbody tr td:nth-child(3)");
    assert_eq!(rows, ["In: 131,280 Toman", "Out: 131,280 Toman"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_that_keeps_failing_ends_in_failed_jobs_with_its_error() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    fund_wallet(&app, 5_000_000).await;
    app.post_form(&format!("{order}/pay"), &[("gateway", "WALLET")]).await;
    // The tax authority is down: nothing listens on port 9 of this machine.
    let mut config = (*app.state.config).clone();
    config.moodian_url = "http://127.0.0.1:9/requestsmanager/api/v2".into();
    let mut down = app.state.clone();
    down.config = std::sync::Arc::new(config);
    let mut conn = app.db.conn().await;
    diesel::sql_query("UPDATE queue_jobs SET max_attempts = 3 WHERE kind = 'submit_invoice'")
        .execute(&mut conn)
        .await
        .unwrap();
    for attempt in 1..=3 {
        diesel::sql_query("UPDATE queue_jobs SET available_at = now()").execute(&mut conn).await.unwrap();
        assert!(bazaar::jobs::run_due(&down).await.unwrap() >= 1, "attempt {attempt}");
    }
    assert_eq!(num(&app, "SELECT count(*) AS v FROM invoices WHERE status = 'DRAFT'").await, 1);
    #[derive(diesel::QueryableByName)]
    struct Failed {
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        error: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        attempts: i32,
    }
    let failed: Vec<Failed> =
        diesel::sql_query("SELECT kind, error, attempts FROM failed_jobs").load(&mut conn).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].kind.as_str(), failed[0].attempts), ("submit_invoice", 3));
    assert!(failed[0].error.contains("moodian unreachable"), "{}", failed[0].error);
    let left: Vec<Failed> = diesel::sql_query(
        "SELECT kind, coalesce(last_error, '') AS error, attempts FROM queue_jobs WHERE kind = 'submit_invoice'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(left.is_empty(), "moved, not copied");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_inside_serve_sends_invoices_on_its_own() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    fund_wallet(&app, 5_000_000).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker =
        tokio::spawn(bazaar::jobs::work(app.state.clone(), std::time::Duration::from_millis(50), async move {
            let _ = stopped.await;
        }));
    app.post_form(&format!("{order}/pay"), &[("gateway", "WALLET")]).await;
    let mut status = String::new();
    for _ in 0..100 {
        status = text(&app, "SELECT status AS v FROM invoices").await;
        if status == "MOODIAN_CONFIRMED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.send(()).unwrap();
    worker.await.unwrap();
    assert_eq!(status, "MOODIAN_CONFIRMED", "the worker sent the invoice and asked for the verdict");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM queue_jobs WHERE kind <> 'release_reservation'").await, 0);
}

/// A sandbox's "return to the shop" form (Saman, Mellat): (path of our callback, its fields).
fn saman_return(page: &crate::support::Page) -> (String, Vec<(String, String)>) {
    let action = page.attr("#sandbox-return", "action").expect("return form");
    let doc = page.html();
    let sel = scraper::Selector::parse("#sandbox-return input").unwrap();
    let fields = doc
        .select(&sel)
        .map(|i| (i.value().attr("name").unwrap().to_owned(), i.value().attr("value").unwrap_or("").to_owned()))
        .collect();
    (action.trim_start_matches("http://localhost").to_owned(), fields)
}

#[tokio::test(flavor = "multi_thread")]
async fn saman_pays_through_its_sandbox_and_a_forged_return_is_refused() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "SAMAN")]).await;
    let to = location(&p);
    let start = to.split_once("/sandbox/").map(|(_, r)| format!("/sandbox/{r}")).expect("sandbox URL");
    assert!(start.starts_with("/sandbox/saman/OnlinePG/SendToken?token="), "{to}");
    let token = start.rsplit('=').next().unwrap().to_owned();

    // A forged return for this token, with a reference the gateway never issued: refused, nothing paid.
    let forged = serde_urlencoded::to_string([("State", "OK"), ("RefNum", "123"), ("Token", token.as_str())]).unwrap();
    let p = app.post_raw("/en/payments/saman/callback", forged).await;
    assert_eq!(location(&p), format!("{order}?msg=payment-failed"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");

    // Paid at the gateway, but our record's amount differs: the client reverses it and refuses.
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "SAMAN")]).await;
    let start = location(&p).split_once("/sandbox/").map(|(_, r)| format!("/sandbox/{r}")).unwrap();
    let token = start.rsplit('=').next().unwrap().to_owned();
    let page = app.post_form("/sandbox/saman/OnlinePG/decide", &[("token", &token), ("decision", "pay")]).await;
    let (action, fields) = saman_return(&page);
    app.exec_in_demo_tenant("UPDATE payments SET amount = amount - 10 WHERE status = 'PENDING'").await;
    let p = app.post_raw(&action, serde_urlencoded::to_string(&fields).unwrap()).await;
    assert_eq!(location(&p), format!("{order}?msg=payment-failed"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");

    // Pay for real; the shop gets the gateway's form post (no CSRF token: it comes from the gateway).
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "SAMAN")]).await;
    let start = location(&p).split_once("/sandbox/").map(|(_, r)| format!("/sandbox/{r}")).unwrap();
    let token = start.rsplit('=').next().unwrap().to_owned();
    assert_eq!(app.get(&start).await.status, StatusCode::OK);
    let page = app.post_form("/sandbox/saman/OnlinePG/decide", &[("token", &token), ("decision", "pay")]).await;
    let (action, fields) = saman_return(&page);
    assert_eq!(action, "/en/payments/saman/callback");
    let body = serde_urlencoded::to_string(&fields).unwrap();
    let p = app.post_raw(&action, body.clone()).await;
    assert_eq!(location(&p), format!("{order}?msg=paid"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PAID");
    assert_eq!(text(&app, "SELECT card_pan AS v FROM payments WHERE status = 'COMPLETED'").await, "621986******7453");
    // Replayed: still one payment.
    assert_eq!(location(&app.post_raw(&action, body).await), format!("{order}?msg=paid"));
    assert_eq!(num(&app, "SELECT count(*) AS v FROM payments WHERE status = 'COMPLETED'").await, 1);
    assert_eq!(num(&app, "SELECT count(*) AS v FROM invoices").await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn production_mounts_no_sandbox() {
    use tower::ServiceExt as _;
    let db = crate::support::TestDb::new().await;
    // The sandbox answers a payment request in development, and is not there in production.
    for (sandboxes, expected) in [(true, StatusCode::BAD_REQUEST), (false, StatusCode::NOT_FOUND)] {
        let pool = bazaar::db::pool(&db.url, 2).unwrap();
        let mut config = bazaar::config::web::WebConfig::with_sandboxes("http://127.0.0.1:9");
        config.sandboxes = sandboxes;
        let router = bazaar::router::router(bazaar::app::AppState::new(pool, config));
        let req = axum::http::Request::post("/sandbox/zarinpal/pg/v4/payment/request.json")
            .header("host", "localhost")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(r#"{"merchant_id":"x"}"#))
            .unwrap();
        let res = router.oneshot(req).await.unwrap();
        assert_eq!(res.status(), expected, "sandboxes: {sandboxes}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn mellat_pays_over_soap_through_its_sandbox() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "MELLAT")]).await;
    let go = location(&p).trim_start_matches("http://localhost").to_owned();
    assert!(go.starts_with("/en/payments/mellat/go?RefId="), "{go}");
    // Our page hands the RefId on to the bank with a form post (allowed by its CSP).
    let page = app.get(&go).await;
    let bank = page.attr("form[data-autosubmit]", "action").unwrap();
    assert!(page.header("content-security-policy").unwrap().contains("form-action 'self' http://127.0.0.1"));
    let ref_id = page.attr("input[name=RefId]", "value").unwrap();
    let start = bank.split_once("/sandbox/").map(|(_, r)| format!("/sandbox/{r}")).unwrap();
    let body = serde_urlencoded::to_string([("RefId", ref_id.as_str())]).unwrap();
    assert_eq!(app.post_raw(&start, body).await.status, StatusCode::OK);
    let page = app.post_form("/sandbox/mellat/decide", &[("ref_id", &ref_id), ("decision", "pay")]).await;
    let (action, mut fields) = saman_return(&page);
    assert_eq!(action, "/en/payments/mellat/callback");

    // A forged sale reference is not verified by the bank: nothing is paid.
    let real = fields.iter().find(|f| f.0 == "SaleReferenceId").unwrap().1.clone();
    for f in fields.iter_mut().filter(|f| f.0 == "SaleReferenceId") {
        f.1 = "1".into();
    }
    let p = app.post_raw(&action, serde_urlencoded::to_string(&fields).unwrap()).await;
    assert_eq!(location(&p), format!("{order}?msg=payment-failed"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PENDING_PAYMENT");

    // The real return, on a fresh payment: verified, settled, paid.
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "MELLAT")]).await;
    let go = location(&p).trim_start_matches("http://localhost").to_owned();
    let ref_id = app.get(&go).await.attr("input[name=RefId]", "value").unwrap();
    app.post_raw(&start, serde_urlencoded::to_string([("RefId", ref_id.as_str())]).unwrap()).await;
    let page = app.post_form("/sandbox/mellat/decide", &[("ref_id", &ref_id), ("decision", "pay")]).await;
    let (action, fields) = saman_return(&page);
    assert_ne!(fields.iter().find(|f| f.0 == "SaleReferenceId").unwrap().1, real);
    let p = app.post_raw(&action, serde_urlencoded::to_string(&fields).unwrap()).await;
    assert_eq!(location(&p), format!("{order}?msg=paid"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PAID");
    assert_eq!(text(&app, "SELECT gateway AS v FROM payments WHERE status = 'COMPLETED'").await, "MELLAT");
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_and_payments_are_in_the_audit_log_with_who_did_it() {
    let mut app = TestApp::new().await;
    let order = unpaid_order(&mut app).await;
    let start = start_zarinpal(&mut app, &order).await;
    let callback = decide(&mut app, &start, "pay").await;
    assert_eq!(location(&app.get(&callback).await), format!("{order}?msg=paid"));
    let customer = "(SELECT id FROM users WHERE email = 'customer@nextgen.local')";
    // Each change, in order, with its author and the values that changed.
    let trail = text(
        &app,
        &format!(
            "SELECT string_agg(concat_ws(' ', entity_type, action, coalesce(old_values ->> 'status', '-'),
                                         coalesce(new_values ->> 'status', '-'), user_id = {customer}), ' | '
                               ORDER BY created_at, id) AS v
               FROM audit_logs WHERE entity_type IN ('orders', 'payments')"
        ),
    )
    .await;
    assert_eq!(
        trail,
        "orders INSERT - PENDING_PAYMENT t | payments INSERT - PENDING t | payments UPDATE - - t \
         | payments UPDATE PENDING COMPLETED t | orders UPDATE PENDING_PAYMENT PAID t"
    );
    assert_eq!(
        text(
            &app,
            "SELECT string_agg(DISTINCT concat_ws(' ', host(ip_address), user_agent), ',') AS v
               FROM audit_logs WHERE entity_type IN ('orders', 'payments')"
        )
        .await,
        "127.0.0.1 bazaar-tests/1",
        "every row names the address and browser it came from"
    );

    // Staff find them in the viewer under the order's id.
    let id = text(&app, "SELECT id::text AS v FROM orders").await;
    let (mut admin, _) = crate::backoffice::staff(&app).await;
    let page = admin.get(&format!("/en/admin/audit?entity=orders&entity_id={id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("#audit-rows tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.contains("customer@nextgen.local")), "{rows:?}");
}

/// The tax-authority sandbox holds our client to regional.md §1.3: a token
/// signed over a live nonce, packets signed by the same certificate and
/// encrypted to the authority's key. Driven over HTTP as the client does.
#[tokio::test(flavor = "multi_thread")]
async fn the_tax_authority_takes_only_signed_and_encrypted_packets_from_the_tokens_taxpayer() {
    use bazaar::invoices::jose::{self, TaxpayerKey};
    use serde_json::{Value, json};
    let app = TestApp::new().await;
    let base = format!("{}/sandbox/moodian/requestsmanager/api/v2", app.origin);
    let http = reqwest::Client::new();
    let taxpayer = TaxpayerKey::ephemeral();
    let now = time::OffsetDateTime::now_utc();
    let nonce = async || -> String {
        let v: Value = http.get(format!("{base}/nonce?timeToLive=20")).send().await.unwrap().json().await.unwrap();
        v["nonce"].as_str().unwrap().to_owned()
    };
    let token_for = |key: &TaxpayerKey, nonce: &str, client: &str| {
        key.sign(json!({"nonce": nonce, "clientId": client}).to_string().as_bytes(), now)
    };
    let info = async |token: Option<&str>| {
        let mut req = http.get(format!("{base}/server-information"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    };

    // No token, a made-up nonce, a tampered token: 401.
    assert_eq!(info(None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(info(Some(&token_for(&taxpayer, "made-up", "A11216"))).await.status(), StatusCode::UNAUTHORIZED);
    let good = token_for(&taxpayer, &nonce().await, "A11216");
    let mut parts: Vec<&str> = good.split('.').collect();
    let forged_claims = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        json!({"nonce": "x", "clientId": "ZZZZZZ"}).to_string(),
    );
    parts[1] = &forged_claims;
    assert_eq!(info(Some(&parts.join("."))).await.status(), StatusCode::UNAUTHORIZED);

    // A good token gets the authority's key.
    let res = info(Some(&good)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let kid = body["publicKeys"][0]["id"].as_str().unwrap().to_owned();
    let authority = jose::public_key_from_base64(body["publicKeys"][0]["key"].as_str().unwrap()).unwrap();

    let send = async |token: &str, payload: String, fiscal: &str| {
        let packets =
            json!([{ "payload": payload, "header": { "requestTraceId": uuid::Uuid::new_v4(), "fiscalId": fiscal } }]);
        http.post(format!("{base}/invoice")).bearer_auth(token).json(&packets).send().await.unwrap()
    };
    let invoice = json!({"header": {"taxid": "A11216"}, "body": [], "payments": []}).to_string();
    // Plain JSON, or signed but not encrypted: refused.
    let plain = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &invoice);
    assert_eq!(send(&good, plain, "A11216").await.status(), StatusCode::BAD_REQUEST);
    let signed = taxpayer.sign(invoice.as_bytes(), now);
    assert_eq!(send(&good, signed.clone(), "A11216").await.status(), StatusCode::BAD_REQUEST);
    // Signed by another certificate than the token's: refused, and told why.
    let stranger = TaxpayerKey::self_signed().unwrap();
    let wrong = jose::encrypt(stranger.sign(invoice.as_bytes(), now).as_bytes(), &authority, &kid).unwrap();
    let res = send(&good, wrong, "A11216").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("another certificate"));
    // For another taxpayer's fiscal id: forbidden.
    let sealed = jose::encrypt(signed.as_bytes(), &authority, &kid).unwrap();
    assert_eq!(send(&good, sealed.clone(), "B99999").await.status(), StatusCode::FORBIDDEN);
    // Signed, encrypted, by the token's taxpayer: taken, with a reference number.
    let res = send(&good, sealed, "A11216").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert!(body["result"][0]["referenceNumber"].as_str().is_some_and(|r| !r.is_empty()));
}

/// Opens a Saman payment and has the shopper pay it at the sandbox; returns our callback's path and its form.
async fn saman_paid(app: &mut TestApp, order: &str) -> (String, String) {
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "SAMAN")]).await;
    let start = location(&p).split_once("/sandbox/").map(|(_, r)| format!("/sandbox/{r}")).unwrap();
    let token = start.rsplit('=').next().unwrap().to_owned();
    let page = app.post_form("/sandbox/saman/OnlinePG/decide", &[("token", &token), ("decision", "pay")]).await;
    let (action, fields) = saman_return(&page);
    (action, serde_urlencoded::to_string(&fields).unwrap())
}

/// Opens a Mellat payment and has the shopper pay it at the sandbox; returns our callback's path and its form.
async fn mellat_paid(app: &mut TestApp, order: &str) -> (String, String) {
    let p = app.post_form(&format!("{order}/pay"), &[("gateway", "MELLAT")]).await;
    let go = location(&p).trim_start_matches("http://localhost").to_owned();
    let page = app.get(&go).await;
    let bank = page.attr("form[data-autosubmit]", "action").unwrap();
    let start = bank.split_once("/sandbox/").map(|(_, r)| format!("/sandbox/{r}")).unwrap();
    let ref_id = page.attr("input[name=RefId]", "value").unwrap();
    app.post_raw(&start, serde_urlencoded::to_string([("RefId", ref_id.as_str())]).unwrap()).await;
    let page = app.post_form("/sandbox/mellat/decide", &[("ref_id", &ref_id), ("decision", "pay")]).await;
    let (action, fields) = saman_return(&page);
    (action, serde_urlencoded::to_string(&fields).unwrap())
}

/// One order paid twice at the bank (two tabs) through each gateway: the
/// first payment pays it, the second is recorded and refunded to the wallet
/// exactly once, however often its callback comes back, and the shopper is told.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_payment_of_a_paid_order_is_refunded_to_the_wallet_once() {
    for gateway in ["ZARINPAL", "SAMAN", "MELLAT"] {
        let mut app = TestApp::new().await;
        let order = unpaid_order(&mut app).await;
        // Both tabs go to the bank before either comes back.
        let (first, second) = match gateway {
            "ZARINPAL" => {
                let a = start_zarinpal(&mut app, &order).await;
                let b = start_zarinpal(&mut app, &order).await;
                let a = decide(&mut app, &a, "pay").await;
                let b = decide(&mut app, &b, "pay").await;
                ((a, None), (b, None))
            }
            "SAMAN" => {
                let (a, fa) = saman_paid(&mut app, &order).await;
                let (b, fb) = saman_paid(&mut app, &order).await;
                ((a, Some(fa)), (b, Some(fb)))
            }
            _ => {
                let (a, fa) = mellat_paid(&mut app, &order).await;
                let (b, fb) = mellat_paid(&mut app, &order).await;
                ((a, Some(fa)), (b, Some(fb)))
            }
        };
        let back = async |app: &mut TestApp, (path, form): &(String, Option<String>)| match form {
            None => app.get(path).await,
            Some(body) => app.post_raw(path, body.clone()).await,
        };
        let p = back(&mut app, &first).await;
        assert_eq!(location(&p), format!("{order}?msg=paid"), "{gateway}");
        for _ in 0..3 {
            let p = back(&mut app, &second).await;
            assert_eq!(p.status, StatusCode::SEE_OTHER, "{gateway}: {}", p.body);
            let to = location(&p);
            assert!(
                to == format!("{order}?msg=paid-twice") || to == format!("{order}?msg=refunded"),
                "{gateway}: {to}"
            );
        }
        let page = app.get(&format!("{order}?msg=paid-twice")).await;
        assert_eq!(
            page.text(".alert"),
            "This order was already paid, so your second payment was refunded to your wallet.",
            "{gateway}"
        );
        assert_eq!(page.text("#order-status"), "Paid", "{gateway}");
        assert_eq!(num(&app, "SELECT count(*) AS v FROM payments WHERE status = 'COMPLETED'").await, 1, "{gateway}");
        assert_eq!(num(&app, "SELECT count(*) AS v FROM payments WHERE status = 'REFUNDED'").await, 1, "{gateway}");
        // The wallet got the second payment's amount, once: the order total.
        let total = num(&app, "SELECT total::bigint AS v FROM orders").await;
        assert_eq!(num(&app, "SELECT balance::bigint AS v FROM wallets").await, total, "{gateway}");
        assert_eq!(num(&app, "SELECT count(*) AS v FROM wallet_transactions").await, 1, "{gateway}");
        // The refunded payment keeps what the bank said about it.
        assert!(!text(&app, "SELECT gateway_track AS v FROM payments WHERE status = 'REFUNDED'").await.is_empty());
        assert_eq!(num(&app, "SELECT count(*) AS v FROM invoices").await, 1, "{gateway}: one invoice");
    }
}
