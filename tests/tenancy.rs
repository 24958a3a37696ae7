//! Tenant isolation: by Host header in the app, and by row-level security underneath.

use crate::support::TestApp;
use axum::http::StatusCode;
use diesel::{QueryDsl as _, QueryableByName};
use diesel_async::RunQueryDsl as _;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count_products(conn: &mut diesel_async::AsyncPgConnection) -> i64 {
    // Deliberately no tenant filter: only row-level security stands in the way.
    diesel::sql_query("SELECT count(*) AS n FROM products").get_result::<Count>(conn).await.unwrap().n
}

/// The seeded tenant (11 products) and a generated one with 25, a connection,
/// and the two tenants' ids: (app, connection, demo, nextgen).
async fn two_tenants() -> (TestApp, diesel_async::AsyncPgConnection, uuid::Uuid, uuid::Uuid) {
    let app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "demo", "demo.localhost", 25).await.unwrap();
    let mut conn = app.db.conn().await;
    use bazaar::schema::tenants;
    let ids: Vec<(String, uuid::Uuid)> =
        tenants::table.select((tenants::slug, tenants::id)).order(tenants::slug).load(&mut conn).await.unwrap();
    let id = |slug: &str| ids.iter().find(|(s, _)| s == slug).unwrap().1;
    let (demo, nextgen) = (id("demo"), id("nextgen"));
    (app, conn, demo, nextgen)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_without_tenant_filter_sees_only_its_tenant() {
    let (_app, mut conn, demo, nextgen) = two_tenants().await;

    let in_demo =
        bazaar::db::tenant_tx(&mut conn, demo, async |c| Ok::<_, diesel::result::Error>(count_products(c).await))
            .await
            .unwrap();
    let in_nextgen =
        bazaar::db::tenant_tx(&mut conn, nextgen, async |c| Ok::<_, diesel::result::Error>(count_products(c).await))
            .await
            .unwrap();
    assert_eq!(in_demo, 25);
    assert_eq!(in_nextgen, 11);
    // With no tenant set, nothing at all.
    assert_eq!(count_products(&mut conn).await, 0);
    // Writing a row for another tenant is refused by the policy's WITH CHECK.
    let err = bazaar::db::tenant_tx(&mut conn, demo, async |c| {
        diesel::sql_query(format!("UPDATE products SET tenant_id = '{nextgen}' WHERE sku = 'DM-00000001'"))
            .execute(c)
            .await
    })
    .await;
    assert!(err.is_err(), "moving a row to another tenant must fail");
    // And the app role cannot switch RLS off.
    assert!(!bazaar::db::role_bypasses_rls(&mut conn).await.unwrap());
}

/// [`count_products`] through a shared connection, as in a `tenant_read`, and as
/// a statement the connection prepares once and then only binds.
async fn count_products_read(mut conn: &diesel_async::AsyncPgConnection) -> diesel::QueryResult<i64> {
    bazaar::schema::products::table.count().get_result(&mut conn).await
}

async fn setting(conn: &mut diesel_async::AsyncPgConnection, name: &str) -> String {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    diesel::sql_query(format!("SELECT coalesce(current_setting('{name}', true), '') AS value"))
        .get_result::<Setting>(conn)
        .await
        .unwrap()
        .value
}

/// A read whose BEGIN travels with its first statement and whose COMMIT is not
/// waited for: it still sees only its tenant, and whether it finishes, fails or
/// is cancelled, the connection is left outside any transaction, with no tenant,
/// ready for a write.
#[tokio::test(flavor = "multi_thread")]
async fn a_pipelined_read_sees_its_tenant_and_leaves_the_connection_clean() {
    use bazaar::db::{Plans, tenant_read, tenant_tx};
    let (_app, mut conn, demo, nextgen) = two_tenants().await;

    // First the statement is prepared (parsed after BEGIN, bound before COMMIT),
    // then only bound: it goes out at once, and must still follow BEGIN.
    assert_eq!(tenant_read(&mut conn, demo, Plans::Chosen, async |c| count_products_read(c).await).await.unwrap(), 25);
    assert_eq!(
        tenant_read(&mut conn, nextgen, Plans::Chosen, async |c| count_products_read(c).await).await.unwrap(),
        11
    );
    assert_eq!(tenant_read(&mut conn, demo, Plans::Chosen, async |c| count_products_read(c).await).await.unwrap(), 25);
    assert_eq!(setting(&mut conn, "app.tenant_id").await, "", "the tenant ends with the read");
    assert_eq!(count_products(&mut conn).await, 0);

    let mode = tenant_read(&mut conn, demo, Plans::Generic, async |mut c| {
        #[derive(QueryableByName)]
        struct Mode {
            #[diesel(sql_type = diesel::sql_types::Text)]
            plan_cache_mode: String,
        }
        diesel::sql_query("SHOW plan_cache_mode").get_result::<Mode>(&mut c).await.map(|m| m.plan_cache_mode)
    })
    .await
    .unwrap();
    assert_eq!(mode, "force_generic_plan");
    assert_eq!(setting(&mut conn, "plan_cache_mode").await, "auto", "generic plans end with the read");

    // A write inside a read is refused, and the connection is still usable afterwards.
    let write = tenant_read(&mut conn, demo, Plans::Chosen, async |mut c| {
        diesel::sql_query("UPDATE products SET stock = stock + 1 WHERE sku = 'DM-00000001'").execute(&mut c).await
    })
    .await;
    assert!(write.is_err(), "a read is read-only");
    assert_eq!(setting(&mut conn, "app.tenant_id").await, "");

    // A read cancelled while its statement runs (a visitor who closed the page).
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(100),
        tenant_read(&mut conn, demo, Plans::Chosen, async |mut c| {
            diesel::sql_query("SELECT pg_sleep(0.5)").execute(&mut c).await
        }),
    )
    .await;
    assert!(cancelled.is_err(), "the read was cut off");
    assert_eq!(setting(&mut conn, "app.tenant_id").await, "", "a cancelled read leaves no tenant behind");
    let written = tenant_tx(&mut conn, demo, async |c| {
        diesel::sql_query("UPDATE products SET stock = stock + 1 WHERE sku = 'DM-00000001'").execute(c).await
    })
    .await
    .unwrap();
    assert_eq!(written, 1, "the next user of the connection writes outside the read's transaction");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_host_header_picks_the_tenant() {
    let mut app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "demo", "demo.localhost", 10).await.unwrap();
    let nextgen = app.get("/en/").await;
    assert_eq!(nextgen.text(".brand"), "NextGen Marketplace");
    app.host = "demo.localhost:8080".into();
    let demo = app.get("/en/").await;
    assert_eq!(demo.text(".brand"), "Demo Bazaar");
    assert_eq!(app.get("/en/p/iphone-15-pro").await.status, StatusCode::NOT_FOUND, "another tenant's product");
    assert_eq!(app.get("/en/c/mobile-phones").await.status, StatusCode::NOT_FOUND, "another tenant's category");
    // An unknown host falls back to the default tenant.
    app.host = "unknown.example".into();
    assert_eq!(app.get("/en/").await.text(".brand"), "NextGen Marketplace");
    // A session from one tenant is anonymous on another.
    app.host = "localhost".into();
    app.login("customer@nextgen.local", "Customer123!").await;
    assert_eq!(app.get("/en/account").await.status, StatusCode::OK);
    app.host = "demo.localhost".into();
    assert_eq!(app.get("/en/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_tenant_table_has_an_index_and_a_forced_policy() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    #[derive(QueryableByName, Debug)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rls: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        forced: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        policy: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        indexed: bool,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname) AS policy,
                EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = c.oid AND a.attname = 'tenant_id') AS indexed
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         WHERE c.relkind = 'r' AND c.relname NOT IN ('tenant_domains', 'queue_jobs', 'failed_jobs') ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(rows.len() >= 12, "{rows:?}");
    for r in rows {
        assert!(r.rls && r.forced && r.policy, "{} lacks forced row-level security", r.table_name);
        assert!(r.indexed, "{} has no index led by tenant_id", r.table_name);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn seeding_twice_changes_nothing() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    assert!(!bazaar::seed::load_demo(&mut conn).await.unwrap(), "the template already holds the demo data");
    use bazaar::schema::tenants;
    let n: i64 = tenants::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(n, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_uses_its_index_under_row_level_security() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    let tenant = crate::catalog::default_tenant(&mut conn).await;
    #[derive(QueryableByName)]
    struct Plan {
        #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
        line: String,
    }
    let plan: Vec<Plan> = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        // This test's own database: leave products with only the search index, and
        // forbid sequential scans, so the planner may use the index only if the
        // tsvector condition can be evaluated below the tenant policy.
        diesel::sql_query(
            "DO $$ DECLARE r record; BEGIN
                FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = 'products'::regclass AND contype = 'u' LOOP
                    EXECUTE format('ALTER TABLE products DROP CONSTRAINT %I', r.conname);
                END LOOP;
                FOR r IN SELECT indexrelid::regclass::text AS name FROM pg_index
                         WHERE indrelid = 'products'::regclass AND NOT indisprimary
                           AND indexrelid::regclass::text <> 'products_search_tsv_idx' LOOP
                    EXECUTE 'DROP INDEX ' || r.name;
                END LOOP;
            END $$",
        )
        .execute(c)
        .await?;
        diesel::sql_query("SET LOCAL enable_seqscan = off").execute(c).await?;
        diesel::sql_query("EXPLAIN SELECT id FROM products WHERE search_tsv @@ 'galaxy'::tsquery").load(c).await
    })
    .await
    .unwrap();
    let text: Vec<String> = plan.into_iter().map(|p| p.line).collect();
    assert!(
        text.iter().any(|l| l.contains("Bitmap Index Scan on products_search_tsv_idx")),
        "the tsvector condition must be an index condition, not a filter after the policy:\n{}",
        text.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_cannot_be_written_for_another_tenant_even_without_a_foreign_key() {
    use diesel_async::RunQueryDsl as _;
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    let tenant = crate::support::demo_tenant(&mut conn).await;
    // The order tables rely on row-level security's WITH CHECK for their tenant_id.
    let other = uuid::Uuid::new_v4();
    let sql = format!(
        "INSERT INTO order_status_history (id, tenant_id, order_id, to_status)
         SELECT gen_random_uuid(), '{other}', id, 'PAID' FROM orders LIMIT 1"
    );
    let seeded = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        diesel::sql_query(
            "INSERT INTO orders (id, tenant_id, user_id, order_number, subtotal, total, shipping_address, shipping_method)
             SELECT gen_random_uuid(), tenant_id, id, 'T-1', 0, 0, '{}', 'POST' FROM users LIMIT 1",
        )
        .execute(c)
        .await
    })
    .await;
    assert_eq!(seeded, Ok(1));
    let refused = bazaar::db::tenant_tx(&mut conn, tenant, async |c| diesel::sql_query(&sql).execute(c).await).await;
    let err = refused.expect_err("a row for another tenant is refused");
    assert!(err.to_string().contains("row-level security"), "{err}");
}
