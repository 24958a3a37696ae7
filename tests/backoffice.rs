//! Back-office: RBAC (404 for the unentitled), TOTP two-factor sign-in, the
//! vendor portal (products with moderation, version checks, stock), the staff
//! moderation queue, users, roles, settings and the append-only audit log.

use axum::http::StatusCode;
use diesel::{ExpressionMethods as _, JoinOnDsl as _, NullableExpressionMethods as _, QueryDsl as _};
use diesel_async::RunQueryDsl as _;

use crate::support::{Client, TestApp, clean};

pub const ADMIN: (&str, &str) = ("admin@nextgen.local", "Admin123!");
pub const VENDOR: (&str, &str) = ("vendor@nextgen.local", "Vendor123!");
pub const CUSTOMER: (&str, &str) = ("customer@nextgen.local", "Customer123!");

fn now() -> u64 {
    time::OffsetDateTime::now_utc().unix_timestamp() as u64
}

/// Enrols the signed-in user in TOTP; returns the secret and the recovery codes.
pub async fn enrol(c: &mut Client) -> (String, Vec<String>) {
    let page = c.get("/en/account/2fa").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let secret = page.text("#totp-secret").replace(' ', "");
    assert_eq!(secret.len(), 32, "a 160-bit base32 secret: {secret}");
    assert!(page.body.contains("<svg"), "a QR code");
    let wrong = c.post_form("/en/account/2fa", &[("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = bazaar::accounts::totp::code_at(&secret, now()).unwrap();
    let done = c.post_form("/en/account/2fa", &[("code", &code)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes = done.texts("#recovery-codes li");
    (secret, codes)
}

/// A staff client: the demo SUPER_ADMIN, signed in and enrolled.
pub async fn staff(app: &TestApp) -> (Client, String) {
    let mut c = app.visitor();
    assert_eq!(c.login(ADMIN.0, ADMIN.1).await.status, StatusCode::SEE_OTHER);
    let (secret, _) = enrol(&mut c).await;
    (c, secret)
}

pub async fn signed_in(app: &TestApp, who: (&str, &str)) -> Client {
    let mut c = app.visitor();
    let res = c.login(who.0, who.1).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    c
}

/// The first category and brand ids of the demo tenant.
async fn category_and_brand(app: &TestApp) -> (String, String) {
    let mut conn = app.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        use bazaar::schema::{brands, categories};
        let cat: uuid::Uuid = categories::table
            .filter(categories::parent_id.is_not_null())
            .select(categories::id)
            .order(categories::slug)
            .first(c)
            .await?;
        let brand: uuid::Uuid = brands::table.select(brands::id).order(brands::slug).first(c).await?;
        Ok::<_, diesel::result::Error>((cat.to_string(), brand.to_string()))
    })
    .await
    .unwrap()
}

pub async fn new_product(app: &TestApp, vendor: &mut Client, sku: &str, price: &str) -> String {
    let (cat, brand) = category_and_brand(app).await;
    let res = vendor
        .post_form(
            "/en/vendor/products/new",
            &[
                ("sku", sku),
                ("category_id", &cat),
                ("brand_id", &brand),
                ("name_fa", "چراغ مطالعهٔ تاشو"),
                ("name_ar", "مصباح مكتب قابل للطي"),
                ("name_en", "Folding desk lamp"),
                ("description_fa", "نور گرم، سه حالت"),
                ("price", price),
                ("stock", "12"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut conn = app.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    let id: uuid::Uuid = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        use bazaar::schema::products;
        products::table.filter(products::sku.eq(sku)).select(products::id).first(c).await
    })
    .await
    .unwrap();
    id.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_must_enrol_then_log_in_with_a_fresh_code_or_a_recovery_code() {
    let app = TestApp::new().await;
    let mut c = signed_in(&app, ADMIN).await;
    let res = c.get("/en/admin").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "admins are sent to enrol first");
    assert!(res.header("location").unwrap().starts_with("/en/account/2fa?next=%2Fen%2Fadmin"));
    let (secret, codes) = enrol(&mut c).await;
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    assert_eq!(c.get("/en/admin").await.status, StatusCode::OK);
    let again = c.get("/en/account/2fa").await;
    assert!(again.texts("#recovery-codes li").is_empty(), "codes are not shown twice");
    assert!(again.text("#twofa-status").contains("on"));

    // Log in again: the password alone is not enough.
    let mut c = app.visitor();
    let res = c.login(ADMIN.0, ADMIN.1).await;
    assert_eq!(res.header("location"), Some("/en/login/2fa"));
    assert_eq!(c.get("/en/admin").await.status, StatusCode::NOT_FOUND, "not signed in yet");
    // The code used at enrolment is spent: a replay is refused.
    let used = bazaar::accounts::totp::code_at(&secret, now()).unwrap();
    let replay = c.post_form("/en/login/2fa", &[("code", &used)]).await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(replay.text(".field-error").contains("already used"));
    let fresh = bazaar::accounts::totp::code_at(&secret, now() + 30).unwrap();
    let ok = c.post_form("/en/login/2fa", &[("code", &fresh)]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(c.get("/en/admin").await.status, StatusCode::OK);
    // A recovery code works once.
    for (attempt, want) in [(0, StatusCode::SEE_OTHER), (1, StatusCode::UNPROCESSABLE_ENTITY)] {
        let mut c = app.visitor();
        c.login(ADMIN.0, ADMIN.1).await;
        let res = c.post_form("/en/login/2fa", &[("code", &codes[3].to_uppercase())]).await;
        assert_eq!(res.status, want, "recovery attempt {attempt}");
    }
    // (Wrong codes lock the code step: accounts::wrong_codes_are_counted_per_account_across_logins.)
    // Vendors may enrol too, and are then asked for a code.
    let mut v = signed_in(&app, VENDOR).await;
    assert_eq!(v.get("/en/vendor").await.status, StatusCode::OK, "vendors are not forced to enrol");
    enrol(&mut v).await;
    let mut v = app.visitor();
    assert_eq!(v.login(VENDOR.0, VENDOR.1).await.header("location"), Some("/en/login/2fa"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vendors_product_waits_for_moderation_then_goes_live() {
    let app = TestApp::new().await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let form = vendor.get("/en/vendor/products/new").await;
    assert_eq!(form.status, StatusCode::OK);
    for id in ["f-name_fa", "f-name_ar", "f-name_en"] {
        assert!(form.attr(&format!("#{id}"), "name").is_some(), "{id} side by side");
    }
    // Bad fields come back beside the fields, typed values kept, nothing written.
    let (cat, _) = category_and_brand(&app).await;
    let bad = vendor
        .post_form(
            "/en/vendor/products/new",
            &[("sku", "bad sku"), ("category_id", &cat), ("name_fa", ""), ("name_en", "Kept"), ("price", "12.5")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#e-sku").contains("Latin letters"));
    assert!(bad.text("#e-name_fa").contains("Persian name is required"));
    assert!(bad.text("#e-price").contains("whole number"));
    assert_eq!(bad.attr("#f-name_en", "value").as_deref(), Some("Kept"));

    let id = new_product(&app, &mut vendor, "LAMP-FOLD-1", "۱٬۲۰۰٬۰۰۰").await;
    let list = vendor.get("/en/vendor/products").await;
    assert!(list.text("#product-rows").contains("Folding desk lamp"));
    assert!(list.text("#product-rows").contains("Waiting for review"));
    assert_eq!(app.visitor().get("/fa/p/lamp-fold-1").await.status, StatusCode::NOT_FOUND, "not live yet");
    // The same SKU again is refused beside the field.
    let (cat, _) = category_and_brand(&app).await;
    let dup = vendor
        .post_form(
            "/en/vendor/products/new",
            &[("sku", "LAMP-FOLD-1"), ("category_id", &cat), ("name_fa", "x"), ("price", "1")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(dup.text("#e-sku").contains("already has this SKU"));

    // Staff approve it from the queue through htmx.
    let (mut admin, _) = staff(&app).await;
    let queue = admin.get("/en/admin/moderation/products").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert_eq!(queue.attr(".queue-item", "data-item").as_deref(), Some(id.as_str()), "{}", queue.body);
    assert_eq!(queue.text("#queue-count"), "1");
    let seen = queue.attr(".queue-item input[name=seen]", "value").unwrap();
    let token = admin.cookies.get("csrf").cloned().unwrap();
    let res = admin
        .request(
            axum::http::Request::post(format!("/en/admin/moderation/products/{id}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("hx-request", "true")
                .header("x-csrf-token", &token)
                .body(axum::body::Body::from(format!("decision=approve&seen={seen}")))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(!res.body.contains("<html"), "a fragment");
    assert!(res.text("#queue-notice").contains("Approved"));
    assert_eq!(res.text("#queue-count"), "0");
    assert!(res.text("#queue-empty").contains("Nothing is waiting"));
    let live = app.visitor().get("/fa/p/lamp-fold-1").await;
    assert_eq!(live.status, StatusCode::OK);
    assert!(live.body.contains("چراغ مطالعهٔ تاشو"));
    let found = app.visitor().get("/en/search?q=folding+lamp").await;
    assert!(found.body.contains("Folding desk lamp"), "searchable once live");

    // A price change to the live product waits for review; the store keeps the old price.
    let edit = vendor.get(&format!("/en/vendor/products/{id}")).await;
    let version = edit.attr("input[name=version]", "value").unwrap();
    let (cat, brand) = category_and_brand(&app).await;
    let fields = |price: &'static str, version: String| {
        vec![
            ("sku", "LAMP-FOLD-1".to_owned()),
            ("category_id", cat.clone()),
            ("brand_id", brand.clone()),
            ("name_fa", "چراغ مطالعهٔ تاشو".to_owned()),
            ("name_ar", "مصباح مكتب قابل للطي".to_owned()),
            ("name_en", "Folding desk lamp".to_owned()),
            ("description_fa", "نور گرم، سه حالت".to_owned()),
            ("price", price.to_owned()),
            ("version", version),
        ]
    };
    let posted = fields("990000", version.clone());
    let posted: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = vendor.post_form(&format!("/en/vendor/products/{id}"), &posted).await;
    assert_eq!(saved.header("location"), Some("/en/vendor/products?saved=queued"));
    let store = app.visitor().get("/en/p/lamp-fold-1").await;
    assert!(clean(&store.body).contains("120,000"), "old price (Toman) still shown");
    // The same stale version again: refused, nothing lost silently.
    let stale = vendor.post_form(&format!("/en/vendor/products/{id}"), &posted).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.text("#form-alert").contains("changed this product since you opened it"));
    assert_eq!(stale.attr("#f-price", "value").as_deref(), Some("990000"), "the typed value is kept");

    // Reject needs a reason; with one, the vendor sees it and the live price stays.
    let queue = admin.get("/en/admin/moderation/products").await;
    assert!(queue.text(".compare-fields").contains("99,000"), "the proposed price is shown");
    let seen = queue.attr(".queue-item input[name=seen]", "value").unwrap();
    let no_reason = admin
        .post_form(&format!("/en/admin/moderation/products/{id}"), &[("decision", "reject"), ("seen", &seen)])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text("#reason-error").contains("Write a reason"));
    let rejected = admin
        .post_form(
            &format!("/en/admin/moderation/products/{id}"),
            &[("decision", "reject"), ("seen", &seen), ("reason", "Price far below cost")],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER, "plain form post works too");
    let edit = vendor.get(&format!("/en/vendor/products/{id}")).await;
    assert!(edit.text("#rejection").contains("Price far below cost"));
    assert!(clean(&app.visitor().get("/en/p/lamp-fold-1").await.body).contains("120,000"));

    // Every step is in the audit log with who did it.
    let mut conn = app.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    let actors: Vec<(String, Option<String>)> = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        use bazaar::schema::{audit_logs, users};
        audit_logs::table
            .left_join(users::table.on(users::id.nullable().eq(audit_logs::user_id)))
            .filter(audit_logs::entity_type.eq("products"))
            .filter(audit_logs::entity_id.eq(&id))
            .order(audit_logs::id)
            .select((audit_logs::action, users::email.nullable()))
            .load(c)
            .await
    })
    .await
    .unwrap();
    assert_eq!(<[_]>::first(&actors), Some(&("INSERT".to_owned(), Some(VENDOR.0.to_owned()))), "{actors:?}");
    assert!(actors.contains(&("UPDATE".to_owned(), Some(ADMIN.0.to_owned()))), "{actors:?}");
    let viewer = admin.get(&format!("/en/admin/audit?entity=products&entity_id={id}")).await;
    assert_eq!(viewer.status, StatusCode::OK);
    assert!(viewer.text("#audit-rows").contains("status: PENDING_REVIEW → ACTIVE"), "{}", viewer.text("#audit-rows"));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_moderators_never_both_decide_one_item() {
    let app = TestApp::new().await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let id = new_product(&app, &mut vendor, "RACE-1", "500000").await;
    let (mut first, secret) = staff(&app).await;
    let mut second = app.visitor();
    second.login(ADMIN.0, ADMIN.1).await;
    let code = bazaar::accounts::totp::code_at(&secret, now() + 30).unwrap();
    assert_eq!(second.post_form("/en/login/2fa", &[("code", &code)]).await.status, StatusCode::SEE_OTHER);
    let seen = first.get("/en/admin/moderation/products").await.attr(".queue-item input[name=seen]", "value").unwrap();
    assert_eq!(
        second.get("/en/admin/moderation/products").await.attr(".queue-item input[name=seen]", "value"),
        Some(seen.clone())
    );
    let path = format!("/en/admin/moderation/products/{id}");
    let approve = [("decision", "approve"), ("seen", seen.as_str())];
    let reject = [("decision", "reject"), ("seen", seen.as_str()), ("reason", "dup")];
    let (a, b) = tokio::join!(first.post_form(&path, &approve), second.post_form(&path, &reject));
    let outcomes: Vec<_> = [&a, &b].iter().map(|r| r.header("location").unwrap_or_default().to_owned()).collect();
    let taken = outcomes.iter().filter(|l| l.contains("done=taken")).count();
    assert_eq!(taken, 1, "exactly one saw it was already decided: {outcomes:?}");
    let after = second.get(&outcomes.iter().find(|l| l.contains("taken")).unwrap().clone()).await;
    assert!(after.text("#queue-notice").contains("already decided"));
}

#[tokio::test(flavor = "multi_thread")]
async fn stock_changes_need_a_reason_stay_above_reservations_and_are_logged() {
    let app = TestApp::new().await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let id = new_product(&app, &mut vendor, "STOCK-1", "100000").await;
    let path = format!("/en/vendor/products/{id}/stock");
    let page = vendor.get(&path).await;
    assert_eq!(page.text("#stock-now"), "12");
    assert!(page.text("#stock-history").contains("Opening stock"));
    for (change, reason, note, want, msg) in [
        ("abc", "restock", "", StatusCode::UNPROCESSABLE_ENTITY, "whole number"),
        ("0", "restock", "", StatusCode::UNPROCESSABLE_ENTITY, "whole number"),
        ("5", "made-up", "", StatusCode::UNPROCESSABLE_ENTITY, "Choose a reason"),
        ("5", "other", "", StatusCode::UNPROCESSABLE_ENTITY, "Write a note"),
        ("-13", "damaged", "", StatusCode::CONFLICT, "cannot go below"),
    ] {
        let res = vendor.post_form(&path, &[("change", change), ("reason", reason), ("note", note)]).await;
        assert_eq!(res.status, want, "{change} {reason}");
        assert!(res.text("#s-error").contains(msg), "{change}: {}", res.text("#s-error"));
    }
    let ok = vendor.post_form(&path, &[("change", "+۵"), ("reason", "restock"), ("note", "PO-77")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = vendor.get(&path).await;
    assert_eq!(page.text("#stock-now"), "17");
    let history = page.texts("#stock-history tbody tr");
    assert!(history[0].contains("Restock — PO-77") && history[0].contains(VENDOR.0), "{history:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_user_is_signed_out_and_cannot_log_in_until_unlocked() {
    let app = TestApp::new().await;
    let mut customer = signed_in(&app, CUSTOMER).await;
    assert_eq!(customer.get("/en/account").await.status, StatusCode::OK);
    let (mut admin, _) = staff(&app).await;
    let users = admin.get("/en/admin/users?q=customer").await;
    let href = users.attr("#user-rows a", "href").unwrap();
    assert_eq!(users.texts("#user-rows tbody tr").len(), 1);
    let page = admin.get(&href).await;
    assert_eq!(page.text("#user-state"), "Active");
    assert!(page.attr("form[data-confirm]", "data-confirm").unwrap().contains("Lock this account?"), "asks first");
    let res = admin.post_form(&format!("{href}/lock"), &[("action", "lock")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(admin.get(&href).await.text("#user-state"), "Locked");
    assert_eq!(customer.get("/en/account").await.status, StatusCode::SEE_OTHER, "the open session ended");
    let denied = app.visitor().login(CUSTOMER.0, CUSTOMER.1).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(denied.text("#login-error").contains("locked by the site's staff"));
    // Staff cannot lock themselves out.
    let me = admin.get("/en/admin/users?q=admin%40").await.attr("#user-rows a", "href").unwrap();
    assert_eq!(admin.post_form(&format!("{me}/lock"), &[("action", "lock")]).await.status, StatusCode::CONFLICT);
    admin.post_form(&format!("{href}/lock"), &[("action", "unlock")]).await;
    assert_eq!(app.visitor().login(CUSTOMER.0, CUSTOMER.1).await.status, StatusCode::SEE_OTHER);
    // Both changes are audited, with the old and new values.
    let audit = admin.get("/en/admin/audit?entity=users&action=UPDATE").await;
    let rows = audit.texts("#audit-rows tbody tr");
    assert!(rows.iter().any(|r| r.contains("is_active: true → false") && r.contains(ADMIN.0)), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("is_active: false → true")), "{rows:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_cannot_be_edited_or_deleted() {
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    admin
        .post_form(
            "/en/admin/settings",
            &[("price_unit", "RIAL"), ("ar_digits", "arab"), ("vat_rate", "9"), ("memory_id", "a11216")],
        )
        .await;
    let mut conn = app.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    for sql in ["UPDATE audit_logs SET action = 'DELETE'", "DELETE FROM audit_logs", "TRUNCATE audit_logs"] {
        let res = bazaar::db::tenant_tx(&mut conn, tenant, async |c| diesel::sql_query(sql).execute(c).await).await;
        assert!(res.is_err(), "{sql} must fail");
    }
    let n: i64 = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        bazaar::schema::audit_logs::table.count().get_result(c).await
    })
    .await
    .unwrap();
    assert!(n > 0);
    let entries = admin.get("/en/admin/audit?entity=settings").await;
    assert!(entries.text("#audit-rows").contains("value: TOMAN → RIAL"), "{}", entries.text("#audit-rows"));
    // Secrets never reach the log.
    let users = admin.get("/en/admin/audit?entity=users").await;
    assert!(!users.body.contains("argon2"), "no password hashes in the audit log");
    assert!(users.text("#audit-rows").contains("totp_secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_are_validated_beside_each_field_and_take_effect() {
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let bad = admin
        .post_form(
            "/en/admin/settings",
            &[("price_unit", "EURO"), ("ar_digits", "arab"), ("vat_rate", "120"), ("memory_id", "A1")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#s-vat-e").contains("0 to 100"));
    assert!(bad.text("#s-memory-e").contains("6 letters"));
    let ok = admin
        .post_form(
            "/en/admin/settings",
            &[("price_unit", "RIAL"), ("ar_digits", "latn"), ("vat_rate", "10"), ("memory_id", "b22222")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let product = app.visitor().get("/en/p/samsung-galaxy-s24").await;
    assert!(clean(&product.body).contains("Rials"), "prices now in Rial");
    assert_eq!(admin.get("/en/admin/settings").await.attr("#s-memory", "value").as_deref(), Some("B22222"));
}

#[tokio::test(flavor = "multi_thread")]
async fn super_admin_edits_permissions_and_navigation_follows() {
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let mut customer = signed_in(&app, CUSTOMER).await;
    assert_eq!(customer.get("/en/admin/audit").await.status, StatusCode::NOT_FOUND);
    let grid = admin.get("/en/admin/roles").await;
    let mut grants: Vec<String> =
        grid.attrs("#permission-grid input[checked]:not([disabled])", "value").into_iter().collect();
    grants.push("CUSTOMER:admin.access".into());
    grants.push("CUSTOMER:audit.view".into());
    let mut body: Vec<(&str, &str)> = grants.iter().map(|g| ("grant", g.as_str())).collect();
    let saved = admin.post_form("/en/admin/roles", &body).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let audit = customer.get("/en/admin/audit").await;
    assert_eq!(audit.status, StatusCode::OK, "granted");
    let nav = audit.texts(".bo-nav a");
    assert_eq!(nav, vec!["Dashboard".to_owned(), "Audit log".to_owned()], "only what they may open");
    assert!(audit.text("#audit-rows").contains("role_permissions"));
    assert_eq!(customer.get("/en/admin/users").await.status, StatusCode::NOT_FOUND);
    body.retain(|(_, g)| !g.starts_with("CUSTOMER:"));
    // Even unticked, SUPER_ADMIN keeps the keys to this page.
    body.retain(|(_, g)| *g != "SUPER_ADMIN:permissions.edit");
    admin.post_form("/en/admin/roles", &body).await;
    assert_eq!(customer.get("/en/admin/audit").await.status, StatusCode::NOT_FOUND, "revoked");
    assert_eq!(admin.get("/en/admin/roles").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn vendors_wait_for_verification_and_a_stale_decision_is_refused() {
    let app = TestApp::new().await;
    app.exec_in_demo_tenant(
        "INSERT INTO vendors (id, tenant_id, slug, name, name_fa, status)
         SELECT gen_random_uuid(), id, 'new-shop', 'New Shop', 'فروشگاه تازه', 'PENDING' FROM tenants WHERE is_default",
    )
    .await;
    let (mut admin, _) = staff(&app).await;
    let page = admin.get("/en/admin/vendors").await;
    let rows = page.texts("#vendor-rows .vendor-row");
    assert_eq!(rows.len(), 1, "only the waiting vendor: {rows:?}");
    let action = page.attr("#vendor-rows form", "action").unwrap();
    let no_reason = admin.post_form(&action, &[("action", "suspend"), ("seen", "PENDING")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        admin.post_form(&action, &[("action", "verify"), ("seen", "PENDING")]).await.status,
        StatusCode::SEE_OTHER
    );
    let again = admin.post_form(&action, &[("action", "suspend"), ("seen", "PENDING"), ("reason", "late")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "someone already decided");
    // Through htmx: the row comes back decided and the counter updates out of band.
    app.exec_in_demo_tenant(
        "INSERT INTO vendors (id, tenant_id, slug, name, status)
         SELECT gen_random_uuid(), id, 'second-shop', 'Second Shop', 'PENDING' FROM tenants WHERE is_default",
    )
    .await;
    let page = admin.get("/en/admin/vendors").await;
    assert_eq!(page.text("#vendor-count"), "1");
    let action = page.attr("#vendor-rows form", "action").unwrap();
    let token = admin.cookies.get("csrf").cloned().unwrap();
    let res = admin
        .request(
            axum::http::Request::post(&action)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("hx-request", "true")
                .header("x-csrf-token", &token)
                .body(axum::body::Body::from("action=verify&seen=PENDING"))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("<html"), "a fragment");
    assert_eq!(res.text(".vendor-row .badge"), "Verified");
    assert_eq!(res.text("#vendor-count[hx-swap-oob]"), "0");
    let verified = admin.get("/en/admin/vendors?status=VERIFIED").await;
    assert!(verified.text("#vendor-rows").contains("New Shop"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vendor_queue_shows_one_waiting_shop_at_a_time_and_the_vendor_is_told() {
    let app = TestApp::new().await;
    // The demo vendor's shop waits (oldest), then a second, newer shop.
    app.exec_in_demo_tenant(
        "UPDATE vendors SET status = 'PENDING', created_at = now() - interval '2 days'
          WHERE user_id = (SELECT id FROM users WHERE email = 'vendor@nextgen.local')",
    )
    .await;
    app.exec_in_demo_tenant(
        "INSERT INTO vendors (id, tenant_id, slug, name, name_fa, status, commission_rate, city)
         SELECT gen_random_uuid(), id, 'late-shop', 'Late Shop', 'فروشگاه دیرآمده', 'PENDING', 9.5, 'Shiraz'
           FROM tenants WHERE is_default",
    )
    .await;
    let mut shop = signed_in(&app, VENDOR).await;
    assert!(shop.get("/en/vendor").await.text("#shop-status").contains("waiting for verification"));

    let (mut admin, _) = staff(&app).await;
    assert_eq!(admin.get("/en/admin").await.text("#tile-waiting-vendors"), "2");
    let queue = admin.get("/en/admin/moderation/vendors").await;
    assert_eq!(queue.text("#queue-count"), "2");
    assert_eq!(queue.texts(".queue-item").len(), 1, "one shop at a time");
    let first = queue.attr(".queue-item", "data-item").unwrap();
    let facts = queue.text(".queue-item dl");
    assert!(facts.contains("vendor@nextgen.local"), "who stands behind the shop: {facts}");
    let seen = queue.attr(".queue-item input[name=seen]", "value").unwrap();
    let next = queue.attr(".queue-nav a[data-key=j]", "href").unwrap();
    let second = admin.get(&next).await;
    assert!(second.text(".queue-item h2").contains("Late Shop"));
    assert!(second.text(".queue-item dl").contains("9.5%"), "{}", second.text(".queue-item dl"));
    assert!(second.attr(".queue-nav a[data-key=k]", "href").unwrap().ends_with(&first));

    // Suspending needs a reason, given beside the field.
    let path = format!("/en/admin/moderation/vendors/{first}");
    let bare = admin.post_form(&path, &[("decision", "reject"), ("seen", &seen)]).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.text("#reason-error").contains("reason"));
    assert_eq!(bare.attr(".queue-item", "data-item"), Some(first.clone()), "the same shop again");

    // Through htmx: verified, the next shop slides in, the counter follows.
    let token = admin.cookies.get("csrf").cloned().unwrap();
    let htmx = |body: String| {
        axum::http::Request::post(&path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("hx-request", "true")
            .header("x-csrf-token", &token)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let res = admin.request(htmx(format!("decision=approve&seen={seen}"))).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("<html"), "a fragment");
    assert!(res.text("#queue-notice").contains("Verified"));
    assert!(res.text(".queue-item h2").contains("Late Shop"), "the next shop slid in");
    assert_eq!(res.text("#queue-count"), "1");
    assert!(shop.get("/en/vendor").await.attrs("#shop-status", "id").is_empty(), "a verified shop sees no notice");

    // A second member of staff who still had the first shop open is told.
    let late = admin.request(htmx(format!("decision=reject&seen={seen}&reason=late"))).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.text("#queue-notice").contains("already decided"));

    // Without JavaScript: suspend the second with a reason; the queue is then empty.
    let second_id = second.attr(".queue-item", "data-item").unwrap();
    let seen2 = second.attr(".queue-item input[name=seen]", "value").unwrap();
    let done = admin
        .post_form(
            &format!("/en/admin/moderation/vendors/{second_id}"),
            &[("decision", "reject"), ("seen", &seen2), ("reason", "No trade licence attached")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let after = admin.get(done.header("location").unwrap()).await;
    assert!(after.text("#queue-notice").contains("Suspended"));
    assert!(after.text("#queue-empty").contains("No vendor is waiting"));
    assert_eq!(after.text("#queue-count"), "0");
    let suspended = admin.get("/en/admin/vendors?status=SUSPENDED").await;
    assert!(suspended.text("#vendor-rows").contains("No trade licence attached"));

    // The suspended shop's owner reads the reason on the dashboard (fa here).
    app.exec_in_demo_tenant(
        "UPDATE vendors SET user_id = (SELECT id FROM users WHERE email = 'vendor@nextgen.local'), status = 'SUSPENDED',
                status_reason = 'مدارک ناقص است' WHERE slug = 'late-shop'",
    )
    .await;
    app.exec_in_demo_tenant(
        "UPDATE vendors SET user_id = NULL WHERE slug <> 'late-shop' AND user_id = (SELECT id FROM users WHERE email = 'vendor@nextgen.local')",
    )
    .await;
    let dash = shop.get("/fa/vendor").await;
    assert!(dash.text("#shop-status").contains("مدارک ناقص است"), "{}", dash.text("#shop-status"));
}

/// Every back-office route, tried by every role that must not open it, and
/// with ids that belong to another vendor or another tenant: none may succeed.
#[tokio::test(flavor = "multi_thread")]
async fn no_role_opens_what_it_may_not_and_no_id_crosses_a_vendor_or_tenant() {
    let app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "other", "other.localhost", 5).await.unwrap();
    let mut vendor = signed_in(&app, VENDOR).await;
    let own = new_product(&app, &mut vendor, "MINE-1", "1000").await;
    // A second vendor in the same tenant.
    let reg = app
        .visitor()
        .post_form(
            "/en/register",
            &[
                ("full_name", "Rival"),
                ("email", "rival@example.com"),
                ("password", "Rival12345"),
                ("password_confirm", "Rival12345"),
            ],
        )
        .await;
    assert_eq!(reg.status, StatusCode::SEE_OTHER);
    app.exec_in_demo_tenant(
        "WITH u AS (SELECT id, tenant_id FROM users WHERE email = 'rival@example.com'),
              r AS (INSERT INTO user_role_assignments (id, tenant_id, user_id, role_id)
                    SELECT gen_random_uuid(), u.tenant_id, u.id, roles.id FROM u, roles WHERE roles.code = 'VENDOR')
         INSERT INTO vendors (id, tenant_id, user_id, slug, name, status)
         SELECT gen_random_uuid(), u.tenant_id, u.id, 'rival', 'Rival', 'VERIFIED' FROM u",
    )
    .await;
    // Ids from the other tenant.
    let mut conn = app.db.conn().await;
    let other: uuid::Uuid = {
        use bazaar::schema::tenants;
        tenants::table.filter(tenants::slug.eq("other")).select(tenants::id).first(&mut conn).await.unwrap()
    };
    let (other_product, other_vendor): (uuid::Uuid, uuid::Uuid) = bazaar::db::tenant_tx(&mut conn, other, async |c| {
        use bazaar::schema::{products, vendors};
        let ids: (uuid::Uuid, uuid::Uuid) =
            products::table.select((products::id, products::vendor_id)).first(c).await?;
        // Waiting for verification there, so only the tenant check keeps our staff away.
        diesel::update(vendors::table.filter(vendors::id.eq(ids.1)))
            .set(vendors::status.eq("PENDING"))
            .execute(c)
            .await?;
        Ok::<_, diesel::result::Error>(ids)
    })
    .await
    .unwrap();
    let demo = crate::support::demo_tenant(&mut conn).await;
    let customer_id: uuid::Uuid = bazaar::db::tenant_tx(&mut conn, demo, async |c| {
        use bazaar::schema::users;
        users::table.filter(users::email.eq(CUSTOMER.0)).select(users::id).first(c).await
    })
    .await
    .unwrap();
    let other_user: uuid::Uuid = bazaar::db::tenant_tx(&mut conn, other, async |c| {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Uuid)]
            id: uuid::Uuid,
        }
        let row: Id = diesel::sql_query(
            "INSERT INTO users (id, tenant_id, email, password_hash) VALUES (gen_random_uuid(), app_tenant_id(), 'someone@other.example', 'x') RETURNING id",
        )
        .get_result(c)
        .await?;
        Ok::<_, diesel::result::Error>(row.id)
    })
    .await
    .unwrap();
    let audit_rows = async |conn: &mut diesel_async::AsyncPgConnection| -> i64 {
        let mut n = 0;
        for t in [demo, other] {
            n += bazaar::db::tenant_tx(conn, t, async |c| {
                bazaar::schema::audit_logs::table.count().get_result::<i64>(c).await
            })
            .await
            .unwrap();
        }
        n
    };
    let before = audit_rows(&mut conn).await;

    // Every back-office and vendor-portal route, read from the router, so a
    // route added tomorrow is tried by every role without anyone listing it.
    let fill = |pattern: &str| -> String {
        let id = if pattern.contains("/moderation/products/") || pattern.contains("/vendor/products/") {
            own.clone()
        } else if pattern.contains("/users/") {
            customer_id.to_string()
        } else if pattern.contains("/vendors/") {
            other_vendor.to_string()
        } else if pattern.contains("/tenants/") {
            other.to_string()
        } else {
            uuid::Uuid::nil().to_string()
        };
        pattern.replace("{lang}", "en").replace("{id}", &id)
    };
    let routes = app.route_paths();
    let admin_paths: Vec<String> = routes.iter().filter(|r| r.starts_with("/{lang}/admin")).map(|r| fill(r)).collect();
    let vendor_paths: Vec<String> =
        routes.iter().filter(|r| r.starts_with("/{lang}/vendor")).map(|r| fill(r)).collect();
    assert!(admin_paths.len() >= 20 && vendor_paths.len() >= 8, "{admin_paths:?} {vendor_paths:?}");
    // Bodies that would succeed for someone allowed (so a refusal is the
    // permission check, not a bad form); other routes are posted empty.
    let mut bodies: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/en/admin/moderation/products/{own}"), vec![("decision", "approve"), ("seen", "0")]),
        (format!("/en/admin/moderation/vendors/{other_vendor}"), vec![("decision", "approve"), ("seen", "0")]),
        (format!("/en/admin/users/{customer_id}/lock"), vec![("action", "lock")]),
        (format!("/en/admin/users/{customer_id}/roles"), vec![("role", "SUPER_ADMIN")]),
        (
            format!("/en/admin/vendors/{other_vendor}"),
            vec![("action", "suspend"), ("seen", "PENDING"), ("reason", "x")],
        ),
        ("/en/admin/roles".into(), vec![("grant", "CUSTOMER:admin.access")]),
        (
            "/en/admin/settings".into(),
            vec![("price_unit", "RIAL"), ("ar_digits", "arab"), ("vat_rate", "1"), ("memory_id", "AAAAAA")],
        ),
        ("/en/admin/tenant".into(), vec![("tenant", "00000000-0000-0000-0000-000000000000")]),
        ("/en/admin/catalog/categories".into(), vec![("slug", "x"), ("name_fa", "x")]),
        ("/en/admin/catalog/brands".into(), vec![("slug", "x"), ("name_fa", "x")]),
        (
            "/en/admin/shipping".into(),
            vec![
                ("id", "00000000-0000-0000-0000-000000000000"),
                ("base_cost", "1"),
                ("min_days", "1"),
                ("max_days", "2"),
            ],
        ),
        ("/en/admin/discounts".into(), vec![("code", "HACK-1"), ("kind", "FIXED"), ("value", "1")]),
    ];
    bodies.extend(vec![
        ("/en/vendor/products/new".into(), vec![("sku", "X-1"), ("name_fa", "x"), ("price", "1")]),
        (
            format!("/en/vendor/products/{own}"),
            vec![("sku", "MINE-1"), ("name_fa", "x"), ("price", "1"), ("version", "1")],
        ),
        (format!("/en/vendor/products/{own}/stock"), vec![("change", "5"), ("reason", "restock")]),
    ]);

    let body = |path: &str| bodies.iter().find(|(p, _)| p == path).map(|(_, f)| f.clone()).unwrap_or_default();
    // A route refuses a stranger when what it serves is a 404; the other method
    // may be a 405, which tells nothing the 404 did not.
    async fn refused(c: &mut crate::support::Client, path: &str, fields: &[(&str, &str)]) -> Result<(), String> {
        let get = c.get(path).await.status;
        let post = c.post_form(path, fields).await.status;
        let fine = |s: StatusCode| s == StatusCode::NOT_FOUND || s == StatusCode::METHOD_NOT_ALLOWED;
        if fine(get) && fine(post) && (get == StatusCode::NOT_FOUND || post == StatusCode::NOT_FOUND) {
            Ok(())
        } else {
            Err(format!("GET {get}, POST {post}"))
        }
    }

    let mut tried = 0;
    let anonymous = app.visitor();
    let mut clients = vec![("anonymous", anonymous)];
    for who in [CUSTOMER, ("dealer@nextgen.local", "Dealer123!"), ("executor@nextgen.local", "Executor123!")] {
        clients.push((who.0, signed_in(&app, who).await));
    }
    let mut opened = Vec::new();
    for (who, c) in clients.iter_mut() {
        for path in admin_paths.iter().chain(&vendor_paths) {
            if let Err(e) = refused(c, path, &body(path)).await {
                opened.push(format!("{who} {path}: {e}"));
            }
            tried += 2;
        }
    }
    // A vendor is a stranger to the staff back-office.
    for path in &admin_paths {
        if let Err(e) = refused(&mut vendor, path, &body(path)).await {
            opened.push(format!("vendor {path}: {e}"));
        }
        tried += 2;
    }
    assert!(opened.is_empty(), "answered other than 404 to someone not allowed:\n{}", opened.join("\n"));
    // Another vendor's product, and another tenant's, are missing to a vendor.
    let mut rival = signed_in(&app, ("rival@example.com", "Rival12345")).await;
    assert_eq!(rival.get("/en/vendor").await.status, StatusCode::OK, "the rival is a real vendor");
    assert!(!rival.get("/en/vendor/products").await.body.contains("MINE-1"), "lists only its own");
    for id in [own.clone(), other_product.to_string()] {
        for path in [format!("/en/vendor/products/{id}"), format!("/en/vendor/products/{id}/stock")] {
            assert_eq!(rival.get(&path).await.status, StatusCode::NOT_FOUND, "rival GET {path}");
            tried += 1;
        }
        for (suffix, fields) in [
            ("", vec![("sku", "MINE-1"), ("name_fa", "x"), ("price", "1"), ("version", "1")]),
            ("/stock", vec![("change", "5"), ("reason", "restock")]),
        ] {
            let path = format!("/en/vendor/products/{id}{suffix}");
            assert_eq!(rival.post_form(&path, &fields).await.status, StatusCode::NOT_FOUND, "rival POST {path}");
            tried += 1;
        }
    }
    // Staff see nothing of another tenant: its ids are not found, its items never decided.
    let (mut admin, _) = staff(&app).await;
    assert_eq!(admin.get("/en/vendor").await.status, StatusCode::NOT_FOUND, "staff are not vendors");
    assert_eq!(admin.get(&format!("/en/admin/users/{other_user}")).await.status, StatusCode::NOT_FOUND);
    let lock = admin.post_form(&format!("/en/admin/users/{other_user}/lock"), &[("action", "lock")]).await;
    assert_eq!(lock.status, StatusCode::NOT_FOUND);
    let roles = admin.post_form(&format!("/en/admin/users/{other_user}/roles"), &[("role", "CUSTOMER")]).await;
    assert_eq!(roles.status, StatusCode::NOT_FOUND);
    let peek = admin.get(&format!("/en/admin/moderation/products?at={other_product}")).await;
    assert_eq!(peek.status, StatusCode::OK);
    assert_ne!(
        peek.attr(".queue-item", "data-item"),
        Some(other_product.to_string()),
        "another tenant's product never shows"
    );
    assert_eq!(peek.attr(".queue-item", "data-item"), Some(own.clone()), "the own queue's head instead");
    let decide = admin
        .post_form(
            &format!("/en/admin/moderation/products/{other_product}"),
            &[("decision", "reject"), ("seen", "0"), ("reason", "x")],
        )
        .await;
    assert!(decide.header("location").unwrap_or_default().contains("done=taken"), "nothing decided across tenants");
    let suspend = admin
        .post_form(
            &format!("/en/admin/vendors/{other_vendor}"),
            &[("action", "suspend"), ("seen", "PENDING"), ("reason", "x")],
        )
        .await;
    assert_eq!(suspend.status, StatusCode::NOT_FOUND);
    let peek = admin.get(&format!("/en/admin/moderation/vendors?at={other_vendor}")).await;
    assert_eq!(peek.status, StatusCode::OK);
    assert!(peek.attr(".queue-item", "data-item").is_none(), "another tenant's waiting vendor never shows");
    assert!(peek.text("#queue-empty").contains("No vendor is waiting"));
    let verify = admin
        .post_form(&format!("/en/admin/moderation/vendors/{other_vendor}"), &[("decision", "approve"), ("seen", "0")])
        .await;
    assert!(verify.header("location").unwrap_or_default().contains("done=taken"), "nothing decided across tenants");
    assert!(tried >= 150, "tried {tried} requests");
    // The one audited write since `before` is the staff member's own TOTP enrolment.
    let after = audit_rows(&mut conn).await;
    assert_eq!(after - before, 1, "no refused request wrote anything");
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 255) as u8, (y % 255) as u8, 120]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn images_are_checked_by_content_resized_stored_and_served_for_a_year() {
    let app = TestApp::new().await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let id = new_product(&app, &mut vendor, "PIC-1", "250000").await;
    let path = format!("/en/vendor/products/{id}/images");
    vendor.get(&format!("/en/vendor/products/{id}")).await;
    // Refused: not an image whatever its name, too big, no token.
    let fake = vendor.post_file(&path, "image", "photo.jpg", "image/jpeg", b"<?php system($_GET['c']); ?>").await;
    assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fake.text("#e-image").contains("not a JPEG, PNG or WebP"), "{}", fake.text("#e-image"));
    let big = vendor.post_file(&path, "image", "big.png", "image/png", &vec![0x89; 6 * 1024 * 1024]).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(big.text("#e-image").contains("larger than 5 MB"), "{}", big.body.len());
    let huge = vendor.post_file(&path, "image", "huge.png", "image/png", &vec![0x89; 13 * 1024 * 1024]).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE, "over the upload limit altogether");
    let tiny = vendor.post_file(&path, "image", "tiny.png", "image/png", &png(10, 10)).await;
    assert!(tiny.text("#e-image").contains("too small"));
    let token = vendor.cookies.remove("csrf");
    let forged = vendor.post_file(&path, "image", "a.png", "image/png", &png(200, 200)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token, no upload");
    vendor.cookies.insert("csrf".into(), token.unwrap());
    let rival = app.visitor().post_file(&path, "image", "a.png", "image/png", &png(200, 200)).await;
    assert_ne!(rival.status, StatusCode::SEE_OTHER);

    // Accepted, whatever tricks the name plays.
    let ok = vendor.post_file(&path, "image", "../../../etc/passwd.png", "text/plain", &png(1200, 800)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = vendor.get(ok.header("location").unwrap()).await;
    assert!(page.text("#form-notice").contains("Image added"));
    let thumb = page.attr("#image-list img", "src").unwrap();
    assert!(thumb.starts_with("/media/") && thumb.ends_with("/320.jpg") && !thumb.contains("passwd"), "{thumb}");
    // Until moderation approves it, only its vendor and moderators see it, and nobody caches it.
    assert_eq!(app.visitor().get(&thumb).await.status, StatusCode::NOT_FOUND, "not public before moderation");
    let own = vendor.get(&thumb).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.header("content-type"), Some("image/jpeg"));
    assert_eq!(own.header("cache-control"), Some("private, no-store"));
    assert_eq!(app.visitor().get("/media/../../etc/passwd").await.status, StatusCode::NOT_FOUND);
    let mut conn = app.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    let (name, width): (String, i32) = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        use bazaar::schema::media;
        media::table.select((media::original_name, media::width)).first(c).await
    })
    .await
    .unwrap();
    assert_eq!((name.as_str(), width), ("passwd.png", 1200));

    // Live after approval, with the large size on the product page.
    let (mut admin, _) = staff(&app).await;
    let queue = admin.get("/en/admin/moderation/products").await;
    let seen = queue.attr(".queue-item input[name=seen]", "value").unwrap();
    assert!(queue.attr(".queue-item img", "src").unwrap().ends_with("/960.jpg"));
    admin.post_form(&format!("/en/admin/moderation/products/{id}"), &[("decision", "approve"), ("seen", &seen)]).await;
    let served = app.visitor().get(&thumb).await;
    assert_eq!(served.status, StatusCode::OK, "public once the product shows it");
    assert_eq!(served.header("cache-control"), Some("public, max-age=31536000, immutable"));
    // Under another shop's host it does not exist.
    bazaar::demo_data::fill(&app.db.url, "demo", "demo.localhost", 1).await.unwrap();
    let elsewhere = app.visitor().get_with(&thumb, &[("host", "demo.localhost")]).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND, "media are served only under their own tenant");
    let store = app.visitor().get("/en/p/pic-1").await;
    assert!(store.body.contains(&thumb.replace("320.jpg", "960.jpg")), "the product page shows the upload");
    let found = app.visitor().get("/en/search?q=folding+desk+lamp").await;
    assert_eq!(found.attr(".card img", "src").as_deref(), Some(thumb.as_str()), "its card shows the small size");
    let mut shopper = app.visitor();
    shopper.get("/en/").await;
    crate::commerce::add(&mut shopper, &id, "1").await;
    let cart = shopper.get("/en/cart").await;
    assert_eq!(cart.attr(".cart-line img", "src").as_deref(), Some(thumb.as_str()), "so does its cart line");
}

/// A JPEG of `w`×`h` whose EXIF says "turn 90° clockwise to show" (orientation 6),
/// as a phone writes a portrait photo.
fn sideways_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(
        w,
        h,
        |x, _| if x < w / 2 { image::Rgb([250, 0, 0]) } else { image::Rgb([0, 0, 250]) },
    );
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    // APP1 "Exif": a little-endian TIFF header and one IFD entry, Orientation (0x0112) = 6.
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&[1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A phone photo stored sideways with an EXIF orientation is turned upright
/// before it is resized: a landscape-encoded portrait comes out portrait.
#[tokio::test(flavor = "multi_thread")]
async fn photos_are_turned_by_their_exif_orientation() {
    let app = TestApp::new().await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let id = new_product(&app, &mut vendor, "PIC-EXIF", "250000").await;
    vendor.get(&format!("/en/vendor/products/{id}")).await;
    let ok = vendor
        .post_file(
            &format!("/en/vendor/products/{id}/images"),
            "image",
            "portrait.jpg",
            "image/jpeg",
            &sideways_jpeg(400, 200),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = vendor.get(ok.header("location").unwrap()).await;
    let large = page.attr("#image-list img", "src").unwrap().replace("320.jpg", "960.jpg");
    let served = vendor.get(&large).await;
    assert_eq!(served.status, StatusCode::OK);
    let bytes = vendor.get_bytes(&large).await;
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (200, 400), "turned upright");
    // Turned clockwise: the red left half of the sensor image is now on top.
    let top = img.to_rgb8().get_pixel(100, 20).0;
    assert!(top[0] > 200 && top[2] < 60, "{top:?}");
}

/// A real S3 server (the `s3s` protocol implementation over a folder) that
/// checks every request's SigV4 signature against one key pair.
async fn s3_server(root: &std::path::Path, key: &str, secret: &str) -> String {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    let fs = s3s_fs::FileSystem::new(root).expect("s3 root");
    let mut builder = s3s::service::S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(key, secret));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        while let Ok((socket, _)) = listener.accept().await {
            let conn = http.serve_connection(TokioIo::new(socket), service.clone()).into_owned();
            tokio::spawn(async move { conn.await.ok() });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread")]
async fn images_go_to_an_s3_compatible_store_that_other_servers_share() {
    let root = std::env::temp_dir().join(format!("bazaar-s3-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(root.join("media")).unwrap();
    let endpoint = s3_server(&root, "bazaar-test", "a-secret-the-server-checks").await;
    let s3 = |secret: &str| bazaar::media::store::MediaConfig::S3 {
        bucket: "media".into(),
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        keys: Some(("bazaar-test".into(), secret.into())),
    };

    let app = TestApp::with_media(s3("a-secret-the-server-checks")).await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let id = new_product(&app, &mut vendor, "S3-1", "250000").await;
    vendor.get(&format!("/en/vendor/products/{id}")).await;
    let ok = vendor
        .post_file(&format!("/en/vendor/products/{id}/images"), "image", "a.png", "image/png", &png(800, 600))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = vendor.get(ok.header("location").unwrap()).await;
    let thumb = page.attr("#image-list img", "src").unwrap();
    let key = thumb.strip_prefix("/media/").unwrap();
    // The bytes went over the S3 protocol into the bucket...
    let stored = std::fs::read(root.join("media").join(key)).expect("the object is in the S3 bucket");
    assert_eq!(image::load_from_memory(&stored).unwrap().width(), 320);
    // ...are served back from it (to the vendor, until moderation approves them)...
    let served = vendor.get(&thumb).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("cache-control"), Some("private, no-store"));
    // ...and another app server with the same configuration reads them too.
    let other = bazaar::media::store::MediaStore::new(&s3("a-secret-the-server-checks")).unwrap();
    assert_eq!(
        other
            .get(&key.replace("320.jpg", "960.jpg"))
            .await
            .map(|b| image::load_from_memory(&b).unwrap().width())
            .unwrap(),
        800
    );

    // A store that refuses us (wrong secret: the signature check fails) → a
    // message beside the field, 503, and nothing recorded.
    let refused = TestApp::with_media(s3("not-the-secret")).await;
    let mut vendor = signed_in(&refused, VENDOR).await;
    let id = new_product(&refused, &mut vendor, "S3-2", "250000").await;
    vendor.get(&format!("/en/vendor/products/{id}")).await;
    let page = vendor
        .post_file(&format!("/en/vendor/products/{id}/images"), "image", "a.png", "image/png", &png(800, 600))
        .await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text("#e-image").contains("could not be stored"), "{}", page.text("#e-image"));
    assert!(page.texts("#image-list img").is_empty());
    let mut conn = refused.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    let media: i64 =
        bazaar::db::tenant_tx(&mut conn, tenant, async |c| bazaar::schema::media::table.count().get_result(c).await)
            .await
            .unwrap();
    assert_eq!(media, 0);
    std::fs::remove_dir_all(&root).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vendor_ships_its_part_with_a_tracking_number_and_the_order_follows() {
    use crate::commerce::{location, place, product_id, text};
    let mut app = TestApp::new().await;
    app.exec_in_demo_tenant(
        "INSERT INTO wallets (id, tenant_id, user_id, balance)
         SELECT gen_random_uuid(), tenant_id, id, 100000000 FROM users WHERE email = 'customer@nextgen.local'",
    )
    .await;
    app.login(CUSTOMER.0, CUSTOMER.1).await;
    // One order with a part for the demo vendor (technoshop) and one for home-comfort.
    let charger = product_id(&app, "ANK-WC-15W").await;
    let lamp = product_id(&app, "NOR-LED-12").await;
    for id in [&charger, &lamp] {
        crate::commerce::add(&mut app, id, "1").await;
    }
    let placed = place(&mut app, &uuid::Uuid::new_v4().to_string(), &[]).await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.body);
    let order = location(&placed).split('?').next().unwrap().to_owned();
    let paid = app.post_form(&format!("{order}/pay"), &[("gateway", "WALLET")]).await;
    assert!(location(&paid).ends_with("msg=paid"), "{} {}", paid.status, location(&paid));

    let mut vendor = signed_in(&app, VENDOR).await;
    let list = vendor.get("/en/vendor/orders").await;
    let parts = list.texts("#order-parts > li");
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert!(parts[0].contains("ANK-WC-15W") && !parts[0].contains("NOR-LED-12"), "only its own lines: {parts:?}");
    assert!(parts[0].contains("Tehran"), "where to send it: {parts:?}");
    let action = list.attr("#order-parts form", "action").unwrap();
    let bad = vendor.post_form(&action, &[("tracking", "12")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("6 to 40 letters"));
    // The other vendor's part is not this vendor's to ship.
    let other = text(&app, "SELECT f.id::text AS v FROM order_fulfillments f JOIN vendors v ON v.id = f.vendor_id WHERE v.slug = 'home-comfort'").await;
    assert_eq!(
        vendor.post_form(&format!("/en/vendor/orders/{other}/ship"), &[("tracking", "POST123456")]).await.status,
        StatusCode::NOT_FOUND
    );

    let ok = vendor.post_form(&action, &[("tracking", "ir 1234 5678 90")]).await;
    assert_eq!(ok.header("location"), Some("/en/vendor/orders?done=shipped"));
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "PROCESSING", "one part is still to send");
    let again = vendor.post_form(&action, &[("tracking", "IR1234567890")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a part ships once");
    let sent = vendor.get("/en/vendor/orders?show=sent").await;
    assert!(sent.text("#order-parts").contains("IR1234567890"));
    let mine = app.get(&order).await;
    assert!(mine.text(".tracking").contains("IR1234567890"), "the customer sees the tracking number");

    // When the last part ships, the order is SHIPPED, with who and when in its history.
    app.exec_in_demo_tenant(
        "UPDATE vendors SET user_id = (SELECT id FROM users WHERE email = 'executor@nextgen.local') WHERE slug = 'home-comfort'",
    )
    .await;
    app.exec_in_demo_tenant(
        "INSERT INTO user_role_assignments (id, tenant_id, user_id, role_id)
         SELECT gen_random_uuid(), u.tenant_id, u.id, r.id FROM users u, roles r WHERE u.email = 'executor@nextgen.local' AND r.code = 'VENDOR'",
    )
    .await;
    let mut home = signed_in(&app, ("executor@nextgen.local", "Executor123!")).await;
    let res = home.post_form(&format!("/en/vendor/orders/{other}/ship"), &[("tracking", "POST-998877")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(text(&app, "SELECT status AS v FROM orders").await, "SHIPPED");
    assert_eq!(
        text(&app, "SELECT string_agg(to_status, ',' ORDER BY created_at) AS v FROM order_status_history").await,
        "PENDING_PAYMENT,PAID,PROCESSING,SHIPPED"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_import_is_all_or_nothing_and_export_round_trips() {
    let app = TestApp::new().await;
    let mut vendor = signed_in(&app, VENDOR).await;
    let page = vendor.get("/en/vendor/products/import").await;
    assert_eq!(page.status, StatusCode::OK);
    let header = bazaar::seller::CSV_COLUMNS.join(",");
    let cat = "mobile-phones";
    // Line 3 has a bad price, line 4 an unknown category, line 5 repeats a SKU,
    // line 6 takes another vendor's SKU: nothing is imported, each is listed.
    let bad = format!(
        "{header}\n\
         CSV-1,گوشی یک,,Phone one,,,,{cat},,1000000,,10,5,1,,12\n\
         CSV-2,گوشی دو,,,,,,{cat},,12.5,,10,5,1,,0\n\
         CSV-3,گوشی سه,,,,,,no-such,,1000,,10,5,1,,0\n\
         CSV-1,تکرار,,,,,,{cat},,1000,,10,5,1,,0\n\
         NOR-LED-12,چراغ,,,,,,{cat},,1000,,10,5,1,,0\n"
    );
    let res = vendor.post_file("/en/vendor/products/import", "file", "products.csv", "text/csv", bad.as_bytes()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rows = res.texts("#import-bad-rows tbody tr");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[0].starts_with('3') && rows[0].contains("whole number of Rials"), "{rows:?}");
    assert!(rows[1].starts_with('4') && rows[1].contains("no category \"no-such\""), "{rows:?}");
    assert!(rows[2].starts_with('5') && rows[2].contains("earlier line"), "{rows:?}");
    assert!(rows[3].starts_with('6') && rows[3].contains("already has this SKU"), "{rows:?}");
    let count = crate::commerce::num(&app, "SELECT count(*) AS v FROM products WHERE sku LIKE 'CSV-%'").await;
    assert_eq!(count, 0, "nothing imported");
    let nul = format!("{header}\nCSV-9,نام\0,,,,,,{cat},,1000,,10,1,1,,0\n");
    for (body, msg) in
        [("a,b\n1,2\n", "header row"), ("", "Choose a CSV file"), (nul.as_str(), "could not be read as CSV")]
    {
        let res = vendor.post_file("/en/vendor/products/import", "file", "x.csv", "text/csv", body.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text("#import-error").contains(msg), "{}", res.text("#import-error"));
    }

    let good = format!(
        "\u{feff}{header}\n\
         CSV-1,گوشی یک,هاتف واحد,Phone one,\"توضیح، با ویرگول\",,,{cat},,1000000,1200000,10,5,1,3,12\n\
         CSV-2,گوشی دو,,,,,,{cat},,2000000,,9,0,1,,0\n"
    );
    let res = vendor.post_file("/en/vendor/products/import", "file", "products.csv", "text/csv", good.as_bytes()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.text("#import-done").contains("Imported 2 products"));
    assert_eq!(
        crate::commerce::num(
            &app,
            "SELECT count(*) AS v FROM products WHERE sku LIKE 'CSV-%' AND status = 'PENDING_REVIEW'"
        )
        .await,
        2
    );

    let export = vendor.get("/en/vendor/products/export.csv").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(export.body.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(export.body.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let one = records.iter().find(|r| &r[0] == "CSV-1").expect("exported");
    assert_eq!((&one[1], &one[4], &one[7], &one[9], &one[14]), ("گوشی یک", "توضیح، با ویرگول", cat, "1000000", "3"));
    assert!(records.iter().all(|r| &r[0] != "NOR-LED-12"), "only this vendor's products");
    // Re-importing the export changes nothing and is accepted (SKUs update in place).
    let again =
        vendor.post_file("/en/vendor/products/import", "file", "p.csv", "text/csv", export.body.as_bytes()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text("#import-result"));
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_edit_the_category_tree_brands_shipping_and_discounts() {
    use crate::commerce::{num, text};
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let page = admin.get("/en/admin/catalog").await;
    assert_eq!(page.status, StatusCode::OK);
    let electronics = text(&app, "SELECT id::text AS v FROM categories WHERE slug = 'electronics'").await;
    let phones = text(&app, "SELECT id::text AS v FROM categories WHERE slug = 'mobile-phones'").await;
    // A new subcategory under Mobile Phones: two levels down, shown in the store.
    let res = admin
        .post_form(
            "/en/admin/catalog/categories",
            &[
                ("slug", "foldables"),
                ("parent_id", &phones),
                ("name_fa", "گوشی تاشو"),
                ("name_en", "Foldables"),
                ("sort_order", "5"),
                ("is_active", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(num(&app, "SELECT level::bigint AS v FROM categories WHERE slug = 'foldables'").await, 2);
    assert_eq!(app.visitor().get("/en/c/foldables").await.status, StatusCode::OK);
    let tree = admin.get("/en/admin/catalog").await.texts("#category-tree li");
    let at = tree.iter().position(|t| t.contains("Foldables")).unwrap();
    assert!(tree[at].starts_with("— — "), "drawn under its parent: {tree:?}");
    // Electronics cannot move under its own grandchild; a taken slug is refused.
    let res = admin
        .post_form(
            "/en/admin/catalog/categories",
            &[("id", &electronics), ("slug", "electronics"), ("parent_id", &phones), ("name_fa", "کالای دیجیتال")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text("#ce-parent").contains("cannot sit inside itself"));
    let res = admin.post_form("/en/admin/catalog/categories", &[("slug", "books"), ("name_fa", "x")]).await;
    assert!(res.text("#ce-slug").contains("already uses"));
    // Moving Mobile Phones to the top level takes its children up a level too.
    admin
        .post_form(
            "/en/admin/catalog/categories",
            &[
                ("id", &phones),
                ("slug", "mobile-phones"),
                ("parent_id", ""),
                ("name_fa", "گوشی موبایل"),
                ("is_active", "on"),
            ],
        )
        .await;
    assert_eq!(num(&app, "SELECT level::bigint AS v FROM categories WHERE slug = 'foldables'").await, 1);

    let res = admin.post_form("/en/admin/catalog/brands", &[("slug", "Bad Slug"), ("name_en", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text("#be-slug").contains("lower-case"));
    let res = admin
        .post_form("/en/admin/catalog/brands", &[("slug", "nokia"), ("name_en", "Nokia"), ("name_fa", "نوکیا")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/en/admin/catalog").await.text("#brand-list").contains("Nokia"));

    // Shipping: a bad day range is refused beside its method; a good edit lands.
    let pishtaz = text(&app, "SELECT id::text AS v FROM shipping_methods WHERE code = 'POST_PISHTAZ'").await;
    let bad = admin
        .post_form(
            "/en/admin/shipping",
            &[("id", &pishtaz), ("base_cost", "450000"), ("min_days", "5"), ("max_days", "2"), ("is_active", "on")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#ship-POST_PISHTAZ").contains("Days run from 0 to 60"));
    let ok = admin
        .post_form(
            "/en/admin/shipping",
            &[
                ("id", &pishtaz),
                ("base_cost", "450000"),
                ("free_over", ""),
                ("min_days", "2"),
                ("max_days", "4"),
                ("is_active", "on"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(text(&app, "SELECT concat_ws('/', base_cost::bigint, free_over, min_days, max_days) AS v FROM shipping_methods WHERE code = 'POST_PISHTAZ'").await, "450000/2/4");

    // Discounts: checked beside each field, created, stopped.
    let bad = admin
        .post_form(
            "/en/admin/discounts",
            &[("code", "x"), ("kind", "PERCENTAGE"), ("value", "150"), ("expires", "2001-01-01")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#de-code").contains("3 to 32"));
    assert!(bad.text("#de-value").contains("0 to 100"));
    assert!(bad.text("#de-expires").contains("from today on"));
    let ok = admin
        .post_form(
            "/en/admin/discounts",
            &[("code", "yalda-1405"), ("kind", "PERCENTAGE"), ("value", "15"), ("usage_limit", "100")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let list = admin.get("/en/admin/discounts").await;
    assert!(list.text("#discount-rows").contains("YALDA-1405"));
    let id = text(&app, "SELECT id::text AS v FROM discounts WHERE code = 'YALDA-1405'").await;
    // Edited in place: the form comes back filled, the change lands, the use count stays.
    let edit = admin.get(&format!("/en/admin/discounts?edit={id}")).await;
    assert_eq!(edit.attr("#d-value", "value").as_deref(), Some("15"));
    assert_eq!(edit.attr("#d-usage_limit", "value").as_deref(), Some("100"));
    let res = admin
        .post_form(
            "/en/admin/discounts",
            &[("id", &id), ("code", "YALDA-1405"), ("kind", "PERCENTAGE"), ("value", "20"), ("usage_limit", "150")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        text(
            &app,
            "SELECT concat_ws('/', value::int, usage_limit, usage_count) AS v FROM discounts WHERE code = 'YALDA-1405'"
        )
        .await,
        "20/150/0"
    );
    admin.post_form("/en/admin/discounts/toggle", &[("id", &id), ("active", "0")]).await;
    assert_eq!(num(&app, "SELECT count(*) AS v FROM discounts WHERE code = 'YALDA-1405' AND NOT is_active").await, 1);
    // And none of it is open to a vendor.
    let mut vendor = signed_in(&app, VENDOR).await;
    for path in ["/en/admin/catalog", "/en/admin/shipping", "/en/admin/discounts"] {
        assert_eq!(vendor.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        vendor.post_form("/en/admin/catalog/brands", &[("slug", "x1"), ("name_en", "X")]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_super_admin_works_in_any_tenant_and_an_admin_only_in_its_own() {
    let app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "other", "other.localhost", 3).await.unwrap();
    let (mut admin, _) = staff(&app).await;
    let page = admin.get("/en/admin").await;
    let other = page
        .html()
        .select(&scraper::Selector::parse("#acting-tenant option").unwrap())
        .find(|o| !o.text().collect::<String>().contains("NextGen"))
        .and_then(|o| o.value().attr("value").map(str::to_owned))
        .expect("the other tenant is offered");
    let before = admin.get("/en/admin/products").await.texts("#product-rows tbody tr");
    assert!(before.iter().any(|r| r.contains("APL-IP15P-256")), "its own catalogue first");
    assert_eq!(admin.post_form("/en/admin/tenant", &[("tenant", &other)]).await.status, StatusCode::SEE_OTHER);
    let after = admin.get("/en/admin/products").await.texts("#product-rows tbody tr");
    assert_eq!(after.len(), 3, "the other tenant's three products: {after:?}");
    assert!(after.iter().all(|r| !r.contains("APL-IP15P-256")));

    // An ADMIN (not SUPER_ADMIN) cannot switch.
    app.exec_in_demo_tenant(
        "INSERT INTO user_role_assignments (id, tenant_id, user_id, role_id)
         SELECT gen_random_uuid(), u.tenant_id, u.id, r.id FROM users u, roles r WHERE u.email = 'dealer@nextgen.local' AND r.code = 'ADMIN'",
    )
    .await;
    let mut dealer = signed_in(&app, ("dealer@nextgen.local", "Dealer123!")).await;
    enrol(&mut dealer).await;
    assert_eq!(dealer.get("/en/admin").await.status, StatusCode::OK);
    assert_eq!(dealer.post_form("/en/admin/tenant", &[("tenant", &other)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(dealer.get("/en/admin/roles").await.status, StatusCode::NOT_FOUND, "permissions are SUPER_ADMIN's");
    let mine = dealer.get("/en/admin/products").await.texts("#product-rows tbody tr");
    assert!(mine.iter().any(|r| r.contains("APL-IP15P-256")));
}

/// A suspended vendor's products leave listings, search and their pages, are
/// flagged in carts and refused at checkout; reinstated, they sell again as before.
#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_vendors_products_stop_selling_until_it_is_reinstated() {
    use crate::commerce::{ADDRESS, add, num, product_id, text};
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let mut shopper = signed_in(&app, CUSTOMER).await;
    let iphone = product_id(&app, "APL-IP15P-256").await;
    assert_eq!(add(&mut shopper, &iphone, "1").await.status, StatusCode::SEE_OTHER);
    let listed = |page: &crate::support::Page| page.texts(".card-name").iter().any(|n| n.contains("iPhone 15 Pro"));
    assert!(listed(&shopper.get("/en/c/electronics").await));
    assert!(listed(&shopper.get("/en/search?q=iphone").await));
    let vendor = text(&app, "SELECT id::text AS v FROM vendors WHERE slug = 'technoshop'").await;
    let res = admin
        .post_form(
            &format!("/en/admin/vendors/{vendor}"),
            &[("action", "suspend"), ("seen", "VERIFIED"), ("reason", "Fake invoices")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    assert_eq!(shopper.get("/en/p/iphone-15-pro").await.status, StatusCode::NOT_FOUND);
    assert!(!listed(&shopper.get("/en/c/electronics").await), "gone from the category");
    assert!(!listed(&shopper.get("/en/search?q=iphone").await), "gone from search");
    assert!(!listed(&shopper.get("/en/").await), "gone from the home page");
    let cart = shopper.get("/en/cart").await;
    assert!(
        cart.texts(".line-issue")
            .contains(&"This seller is not selling at the moment. Please remove it to check out.".to_owned()),
        "{:?}",
        cart.texts(".line-issue")
    );
    let key = uuid::Uuid::new_v4().to_string();
    let mut fields: Vec<(&str, &str)> = ADDRESS.to_vec();
    fields.extend([("key", key.as_str()), ("shipping", "POST_PISHTAZ"), ("action", "place"), ("address_id", "new")]);
    let refused = shopper.post_form("/en/checkout", &fields).await;
    assert_eq!(refused.header("location"), Some("/en/cart"), "back to the cart, which says why");
    assert_eq!(num(&app, "SELECT count(*) AS v FROM orders").await, 0);
    // Products other vendors sell are untouched; stock added meanwhile keeps it off sale.
    assert_eq!(shopper.get("/en/p/led-lamp").await.status, StatusCode::OK, "another vendor's product");
    app.exec_in_demo_tenant("UPDATE products SET status = 'ACTIVE' WHERE sku = 'APL-IP15P-256'").await;
    assert_eq!(text(&app, "SELECT status AS v FROM products WHERE sku = 'APL-IP15P-256'").await, "VENDOR_SUSPENDED");

    let res =
        admin.post_form(&format!("/en/admin/vendors/{vendor}"), &[("action", "verify"), ("seen", "SUSPENDED")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(shopper.get("/en/p/iphone-15-pro").await.status, StatusCode::OK);
    assert!(listed(&shopper.get("/en/search?q=iphone").await), "back in search");
    assert!(shopper.get("/en/cart").await.texts(".line-issue").is_empty());
}

/// A SUPER_ADMIN adds a shop and its domains in the back-office; the new
/// domain then serves that shop. An ADMIN does not see the page.
#[tokio::test(flavor = "multi_thread")]
async fn a_super_admin_adds_a_shop_and_its_domains() {
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let page = admin.get("/en/admin/tenants").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts(".bo-nav a").contains(&"Shops".to_owned()));
    assert!(page.text("#tenant-nextgen").contains("nextgen.localhost"));
    // Refused beside the fields, nothing added.
    let bad = admin.post_form("/en/admin/tenants", &[("name", ""), ("slug", "X!"), ("domain", "localhost")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.text("#t-name-e"), "Enter a name of at most 120 characters.");
    assert_eq!(bad.text("#t-slug-e"), "Use 2 to 40 letters a–z, digits or hyphens.");
    let taken =
        admin.post_form("/en/admin/tenants", &[("name", "Rival"), ("slug", "rival"), ("domain", "localhost")]).await;
    assert_eq!(taken.text("#t-domain-e"), "This domain already belongs to a shop.");
    let ok = admin
        .post_form(
            "/en/admin/tenants",
            &[("name", "Second Shop"), ("name_fa", "فروشگاه دوم"), ("slug", "second"), ("domain", "Second.Example")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let id = crate::commerce::text(&app, "SELECT id::text AS v FROM tenants WHERE slug = 'second'").await;
    let res = admin.post_form(&format!("/en/admin/tenants/{id}/domains"), &[("domain", "www.second.example")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let list = admin.get("/en/admin/tenants").await;
    assert_eq!(list.texts("#tenant-second li"), ["second.example", "www.second.example"]);
    // The new domain is that shop.
    let shop = app.visitor().get_with("/fa/", &[("host", "www.second.example")]).await;
    assert_eq!(shop.status, StatusCode::OK);
    assert!(shop.text("title").contains("فروشگاه دوم"), "{}", shop.text("title"));
    // An ADMIN (not the platform's) cannot open it.
    app.exec_in_demo_tenant(
        "UPDATE user_role_assignments SET role_id = (SELECT id FROM roles WHERE code = 'ADMIN')
          WHERE user_id = (SELECT id FROM users WHERE email = 'admin@nextgen.local')",
    )
    .await;
    tokio::time::sleep(bazaar::accounts::current_user::USER_CACHE).await;
    assert_eq!(admin.get("/en/admin/tenants").await.status, StatusCode::NOT_FOUND);
}

/// Staff open a shop for an existing user, who then has the vendor portal; a
/// user can also apply to sell, into the verification queue.
#[tokio::test(flavor = "multi_thread")]
async fn staff_open_a_shop_for_a_user_and_a_user_applies_to_sell() {
    let app = TestApp::new().await;
    let (mut admin, _) = staff(&app).await;
    let form = admin.get("/en/admin/vendors/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let unknown = admin
        .post_form(
            "/en/admin/vendors/new",
            &[("email", "nobody@example.com"), ("name", "Nobody's"), ("slug", "nobody"), ("commission_rate", "8")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text("#v-email-e").contains("No active account has this e-mail"));
    let ok = admin
        .post_form(
            "/en/admin/vendors/new",
            &[
                ("email", "customer@nextgen.local"),
                ("name", "Sara's Books"),
                ("name_fa", "کتاب سارا"),
                ("slug", "sara-books"),
                ("commission_rate", "7.5"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        crate::commerce::text(&app, "SELECT status AS v FROM vendors WHERE slug = 'sara-books'").await,
        "VERIFIED"
    );
    let again = admin
        .post_form(
            "/en/admin/vendors/new",
            &[("email", "customer@nextgen.local"), ("name", "Twice"), ("slug", "twice")],
        )
        .await;
    assert!(again.text("#v-email-e").contains("already runs a shop"));
    let mut sara = signed_in(&app, CUSTOMER).await;
    assert_eq!(sara.get("/en/vendor").await.status, StatusCode::OK, "the vendor portal opens");

    // A new user applies to sell.
    let mut applicant = app.visitor();
    let fields = [
        ("full_name", "Reza"),
        ("email", "reza@example.com"),
        ("password", "reza-pass-1"),
        ("password_confirm", "reza-pass-1"),
    ];
    assert_eq!(applicant.post_form("/en/register", &fields).await.status, StatusCode::SEE_OTHER);
    let account = applicant.get("/en/account").await;
    assert_eq!(account.attr("#sell-link", "href").as_deref(), Some("/en/sell"));
    let empty = applicant.post_form("/en/sell", &[("name", ""), ("city", "Tabriz")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.text("#shop-name-e"), "Give the shop a name in at least one language.");
    let applied =
        applicant.post_form("/en/sell", &[("name_fa", "ابزار رضا"), ("name", "Reza Tools"), ("city", "Tabriz")]).await;
    assert_eq!(applied.header("location"), Some("/en/vendor"));
    let dashboard = applicant.get("/en/vendor").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("waiting for verification"));
    let queue = admin.get("/en/admin/moderation/vendors").await;
    assert!(queue.body.contains("Reza Tools"), "in the verification queue");
    // Applying again leads to the portal, not a second shop.
    assert_eq!(applicant.get("/en/sell").await.header("location"), Some("/en/vendor"));
    assert_eq!(crate::commerce::num(&app, "SELECT count(*) AS v FROM vendors WHERE name = 'Reza Tools'").await, 1);
}
