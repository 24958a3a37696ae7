//! The demo data set is exactly the one nextgen-summary.txt describes.

use crate::support::TestApp;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl as _;

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    a: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    b: String,
}

async fn rows(
    conn: &mut diesel_async::AsyncPgConnection,
    tenant: uuid::Uuid,
    sql: &'static str,
) -> Vec<(String, String)> {
    bazaar::db::tenant_tx(conn, tenant, async |c| diesel::sql_query(sql).load::<Row>(c).await)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.a, r.b))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_data_matches_the_summary() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    let t = crate::catalog::default_tenant(&mut conn).await;
    let counts = rows(
        &mut conn,
        t,
        "SELECT 'counts' AS a, concat_ws(',',
            (SELECT count(*) FROM tenants), (SELECT count(*) FROM users), (SELECT count(*) FROM vendors),
            (SELECT count(*) FROM categories WHERE parent_id IS NULL), (SELECT count(*) FROM categories WHERE parent_id IS NOT NULL),
            (SELECT count(*) FROM products), (SELECT count(*) FROM shipping_methods), (SELECT count(*) FROM discounts)) AS b",
    )
    .await;
    assert_eq!(
        counts[0].1, "1,5,4,4,3,11,3,3",
        "tenants,users,vendors,categories,subcategories,products,shipping,discounts"
    );

    let users = rows(
        &mut conn,
        t,
        "SELECT u.email AS a, string_agg(r.code, ',') AS b FROM users u
         JOIN user_role_assignments a ON a.user_id = u.id JOIN roles r ON r.id = a.role_id GROUP BY u.email ORDER BY u.email",
    )
    .await;
    assert_eq!(
        users,
        [
            ("admin@nextgen.local", "SUPER_ADMIN"),
            ("customer@nextgen.local", "CUSTOMER"),
            ("dealer@nextgen.local", "DEALER"),
            ("executor@nextgen.local", "EXECUTOR"),
            ("vendor@nextgen.local", "VENDOR"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let dealer =
        rows(&mut conn, t, "SELECT company_name AS a, tier || ' ' || credit_limit::bigint AS b FROM dealer_profiles")
            .await;
    assert_eq!(dealer, [("Tech Solutions Iran".to_owned(), "GOLD 1000000".to_owned())]);

    let prices = rows(&mut conn, t, "SELECT name AS a, price::bigint::text AS b FROM products ORDER BY name").await;
    for (name, price) in [
        ("iPhone 15 Pro", "3999000"),
        ("Samsung Galaxy S24", "3299000"),
        ("MacBook Pro 16\"", "8999000"),
        ("Dell XPS 15", "6999000"),
        ("Wireless Charger", "299000"),
        ("Cotton T-Shirt", "199000"),
        ("LED Lamp", "349000"),
        ("Coffee Maker", "799000"),
    ] {
        assert!(prices.contains(&(name.to_owned(), price.to_owned())), "{name} at {price} IRR: {prices:?}");
    }
    // Every product has real names and descriptions in all three languages.
    let missing = rows(
        &mut conn,
        t,
        "SELECT sku AS a, '' AS b FROM products WHERE name IS NULL OR name_fa IS NULL OR name_ar IS NULL
            OR description IS NULL OR description_fa IS NULL OR description_ar IS NULL",
    )
    .await;
    assert!(missing.is_empty(), "{missing:?}");
}
