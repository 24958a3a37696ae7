//! Storefront pages: every page in every language, search, listings and bad input.

use crate::support::{TestApp, clean};
use axum::http::StatusCode;

const LANGS: [(&str, &str); 3] = [("fa", "rtl"), ("ar", "rtl"), ("en", "ltr")];

#[tokio::test(flavor = "multi_thread")]
async fn every_page_renders_in_every_language_with_seo_tags() {
    let mut app = TestApp::new().await;
    for (lang, dir) in LANGS {
        for path in
            ["/", "/c/electronics", "/c/mobile-phones", "/p/iphone-15-pro", "/search?q=phone", "/login", "/register"]
        {
            let url = format!("/{lang}{path}");
            let page = app.get(&url).await;
            assert_eq!(page.status, StatusCode::OK, "{url}");
            assert_eq!(page.attr("html", "lang").as_deref(), Some(lang), "{url}");
            assert_eq!(page.attr("html", "dir").as_deref(), Some(dir), "{url}");
            assert!(!page.text("title").is_empty(), "{url} has a title");
            assert!(
                !page.attr("meta[name=description]", "content").unwrap_or_default().is_empty(),
                "{url} description"
            );
            let canonical = page.attr("link[rel=canonical]", "href").expect("canonical");
            assert!(canonical.ends_with(&url.split('?').next().unwrap().to_owned()), "{url}: {canonical}");
            let mut alternates = page.attrs("link[rel=alternate]", "hreflang");
            alternates.sort();
            assert_eq!(alternates, ["ar", "en", "fa", "x-default"], "{url}");
            // The switcher keeps the visitor on the same page.
            let switch = page.attrs(".lang-switch a", "href");
            assert!(switch.contains(&format!("/en{path}")), "{url}: {switch:?}");
            assert!(page.body.contains("hx-headers"), "htmx requests carry the CSRF header");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn home_shows_categories_and_featured_products() {
    let mut app = TestApp::new().await;
    let page = app.get("/en/").await;
    assert_eq!(page.texts(".tiles a"), ["Electronics", "Fashion", "Home & Kitchen", "Books"]);
    let names = page.texts(".card-name");
    assert!(names.contains(&"iPhone 15 Pro".to_owned()), "{names:?}");
    assert!(!names.contains(&"Dell XPS 15".to_owned()), "only featured products: {names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn prices_follow_language_and_tenant_settings() {
    let mut app = TestApp::new().await;
    // Tenant shows Toman: 3,999,000 IRR = 399,900 Toman; Persian digits and separator in fa.
    let fa = app.get("/fa/p/iphone-15-pro").await;
    assert_eq!(fa.text(".summary .price"), "۳۹۹٬۹۰۰ تومان");
    assert_eq!(fa.text(".summary .compare"), "۴۵۰٬۰۰۰ تومان");
    assert_eq!(fa.text(".summary .badge.off"), "۱۱٪ تخفیف");
    let en = app.get("/en/p/iphone-15-pro").await;
    assert_eq!(en.text(".summary .price"), "399,900 Toman");
    let ar = app.get("/ar/p/iphone-15-pro").await;
    assert_eq!(ar.text(".summary .price"), "٣٩٩٬٩٠٠ تومان");

    // Switch the tenant to Rial and Western digits for Arabic.
    set_setting(&app, "display.price_unit", "RIAL").await;
    set_setting(&app, "display.ar_digits", "latn").await;
    app.state.tenants.clear();
    let ar = app.get("/ar/p/iphone-15-pro").await;
    assert_eq!(ar.text(".summary .price"), "3,999,000 ريال");
    let fa = app.get("/fa/p/iphone-15-pro").await;
    assert_eq!(fa.text(".summary .price"), "۳٬۹۹۹٬۰۰۰ ریال");
}

async fn set_setting(app: &TestApp, key: &str, value: &str) {
    use diesel_async::RunQueryDsl as _;
    let mut conn = app.db.conn().await;
    let tenant = default_tenant(&mut conn).await;
    bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        diesel::sql_query("UPDATE settings SET value = to_jsonb($1::text) WHERE key = $2")
            .bind::<diesel::sql_types::Text, _>(value)
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)
            .await
    })
    .await
    .expect("update setting");
}

pub async fn default_tenant(conn: &mut diesel_async::AsyncPgConnection) -> uuid::Uuid {
    use bazaar::schema::tenants;
    use diesel::QueryDsl as _;
    use diesel_async::RunQueryDsl as _;
    tenants::table.filter(tenants::is_default).select(tenants::id).first(conn).await.expect("default tenant")
}

#[tokio::test(flavor = "multi_thread")]
async fn product_page_shows_everything_a_buyer_checks() {
    let mut app = TestApp::new().await;
    let p = app.get("/en/p/iphone-15-pro").await;
    assert_eq!(p.text("h1"), "iPhone 15 Pro");
    assert_eq!(p.texts(".breadcrumbs li"), ["Home", "Electronics", "Mobile Phones", "iPhone 15 Pro"]);
    assert_eq!(p.text(".stock"), "In stock");
    assert_eq!(p.text(".warranty"), "18-month warranty");
    let facts = p.texts(".facts dd");
    assert_eq!(facts, ["Apple", "TechnoShop", "APL-IP15P-256"]);
    assert_eq!(p.attr(".facts bdi", "dir").as_deref(), Some("ltr"), "SKU reads left to right in RTL text");
    assert!(p.texts(".specs th").contains(&"Chip".to_owned()));
    assert_eq!(p.attr(".gallery img", "src").as_deref(), Some("/static/img/phone.svg"));
    // Few left, and out of stock.
    assert_eq!(app.get("/en/p/coffee-maker").await.text(".stock"), "Only 3 left");
    assert_eq!(app.get("/en/p/bluetooth-headphones").await.text(".stock"), "Out of stock");
    // Persian specifications and Jalali-free product page in Persian digits.
    let fa = app.get("/fa/p/coffee-maker").await;
    assert_eq!(fa.text(".stock"), "تنها ۳ عدد باقی مانده");
    assert!(fa.texts(".specs th").contains(&"ظرفیت".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_translations_fall_back() {
    let mut app = TestApp::new().await;
    app.exec_in_demo_tenant("UPDATE products SET name_ar = NULL, name_fa = NULL WHERE slug = 'dell-xps-15'").await;
    assert_eq!(app.get("/fa/p/dell-xps-15").await.text("h1"), "Dell XPS 15", "fa falls back to en");
    assert_eq!(app.get("/ar/p/dell-xps-15").await.text("h1"), "Dell XPS 15", "ar falls back to en");
}

#[tokio::test(flavor = "multi_thread")]
async fn category_lists_subcategories_filters_and_sorts() {
    let mut app = TestApp::new().await;
    let page = app.get("/en/c/electronics").await;
    assert_eq!(page.texts("nav ul.tiles a"), ["Mobile Phones", "Laptops", "Accessories"]);
    let all = page.texts(".card-name");
    assert_eq!(all.len(), 6, "products of the subcategories, out of stock excluded: {all:?}");
    let brand_values = page.attrs("input[name=brand]", "value");
    assert_eq!(brand_values, ["anker", "apple", "dell", "samsung", "xiaomi"], "only brands sold in this category");
    let absent = app.get("/en/c/electronics?brand=philips").await;
    assert!(absent.texts(".card-name").is_empty(), "a brand not in the category matches nothing");

    let cheap_first = app.get("/en/c/electronics?sort=price_asc").await.texts(".card-name");
    assert_eq!(cheap_first.first().map(String::as_str), Some("Wireless Charger"));
    assert_eq!(cheap_first.last().map(String::as_str), Some("MacBook Pro 16\""));
    let dear_first = app.get("/en/c/electronics?sort=price_desc").await.texts(".card-name");
    assert_eq!(dear_first.first().map(String::as_str), Some("MacBook Pro 16\""));

    // Typed in the unit shown (Toman): 100,000–400,000 Toman = 1,000,000–4,000,000 Rial.
    let range = app.get("/en/c/electronics?min=100000&max=400000&sort=price_asc").await.texts(".card-name");
    assert_eq!(range, ["Xiaomi Redmi Note 13", "Samsung Galaxy S24", "iPhone 15 Pro"]);
    // Persian digits and separators in a typed price.
    let fa_range = app.get("/en/c/electronics?min=%DB%B1%DB%B0%DB%B0%DB%B0%DB%B0%DB%B0&max=400%2C000").await;
    assert_eq!(fa_range.texts(".card-name").len(), 3);

    let apple = app.get("/en/c/electronics?brand=apple").await.texts(".card-name");
    assert_eq!(apple.len(), 2, "{apple:?}");
    assert_eq!(page.text(".filters .hint"), "In Toman; digits in any script.");
    let none = app.get("/en/c/electronics?min=10000000").await;
    assert_eq!(none.text(".empty"), "No products match these filters. Try removing some.");
}

#[tokio::test(flavor = "multi_thread")]
async fn keyset_pages_walk_a_large_category_without_gaps() {
    let mut app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "demo", "demo.localhost", 400).await.expect("demo data");
    app.host = "demo.localhost".into();
    let home = app.get("/en/").await;
    let first_cat = home.attrs(".tiles a", "href")[0].clone();
    let slug = first_cat.rsplit('/').next().unwrap().to_owned();
    // Each case: the listing's filters, and the same filter in SQL to count what it must show.
    // Typed prices are Toman; stored ones Rial.
    let cases = [
        ("sort=newest&stock=1", "p.stock > p.reserved_stock"),
        ("sort=price_asc&stock=1", "p.stock > p.reserved_stock"),
        ("sort=price_desc&stock=1", "p.stock > p.reserved_stock"),
        ("sort=newest&min=500000&max=40000000", "p.price BETWEEN 5000000 AND 400000000"),
        ("sort=price_desc&min=500000", "p.price >= 5000000"),
    ];
    for (query, condition) in cases {
        let expected = count_in_category(&app, &slug, condition).await;
        let mut url = format!("{first_cat}?{query}");
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = app.get(&url).await;
            assert_eq!(page.status, StatusCode::OK, "{url}");
            let hrefs = page.attrs(".card > a", "href");
            assert!(hrefs.len() <= 24);
            seen.extend(hrefs);
            pages += 1;
            match page.attr("a[rel=next]", "href") {
                Some(next) => url = next,
                None => break,
            }
        }
        let unique: std::collections::HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no product twice across pages ({query})");
        assert!(expected > 24, "{query}: the case should need more than one page, found {expected}");
        assert_eq!(pages, (expected + 23) / 24, "{query}: full pages of 24, no empty last page");
        assert_eq!(seen.len() as i64, expected, "every matching product once ({query})");
    }
    // The default tenant's products are not there.
    assert_eq!(app.get("/en/p/iphone-15-pro").await.status, StatusCode::NOT_FOUND);
}

/// Active products of the "demo" tenant in category `slug` or its children that meet `condition`.
async fn count_in_category(app: &TestApp, slug: &str, condition: &str) -> i64 {
    use diesel_async::RunQueryDsl as _;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.conn().await;
    let tenant: uuid::Uuid = {
        use bazaar::schema::tenants;
        use diesel::{ExpressionMethods as _, QueryDsl as _};
        tenants::table.filter(tenants::slug.eq("demo")).select(tenants::id).first(&mut conn).await.unwrap()
    };
    let sql = format!(
        "SELECT count(*) AS n FROM products p JOIN categories c ON c.id = p.category_id
         LEFT JOIN categories parent ON parent.id = c.parent_id
         WHERE p.status = 'ACTIVE' AND ({condition}) AND (c.slug = $1 OR parent.slug = $1)"
    );
    let slug = slug.to_owned();
    bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(slug).get_result::<N>(c).await
    })
    .await
    .unwrap()
    .n
}

#[tokio::test(flavor = "multi_thread")]
async fn search_normalises_persian_and_arabic_and_tolerates_typos() {
    let mut app = TestApp::new().await;
    // Arabic kaf and yeh find the Persian spelling.
    let names = app.get("/fa/search?q=%D9%83%D8%AA%D8%A7%D8%A8").await.texts(".card-name");
    assert_eq!(names.first().map(String::as_str), Some("کتاب دیوان حافظ"), "كتاب: {names:?}");
    // Persian word + Persian digits find Galaxy S24.
    let names = app.get("/en/search?q=%DA%AF%D9%84%DA%A9%D8%B3%DB%8C%20s%DB%B2%DB%B4").await.texts(".card-name");
    assert_eq!(names.first().map(String::as_str), Some("Samsung Galaxy S24"), "گلکسی s۲۴: {names:?}");
    // A typo (سامسنگ for سامسونگ).
    let names = app.get("/en/search?q=%D8%B3%D8%A7%D9%85%D8%B3%D9%86%DA%AF").await.texts(".card-name");
    assert!(names.contains(&"Samsung Galaxy S24".to_owned()), "typo: {names:?}");
    // Latin case and an English typo.
    let names = app.get("/en/search?q=MACBOK").await.texts(".card-name");
    assert!(names.contains(&"MacBook Pro 16\"".to_owned()), "{names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn exact_name_matches_rank_first() {
    let mut app = TestApp::new().await;
    // Another product whose name contains "Coffee Maker" but is longer.
    app.exec_in_demo_tenant(
        "INSERT INTO products (id, tenant_id, vendor_id, category_id, sku, slug, name, price, stock, status, search_vector, name_keys, created_at)
             SELECT gen_random_uuid(), tenant_id, vendor_id, category_id, 'X-1', 'coffee-maker-filters', 'Coffee Maker Filters Coffee Maker', 1000, 5, 'ACTIVE',
                    'coffee maker filters coffee maker', ARRAY['coffee maker filters coffee maker'], now() + interval '1 day'
             FROM products WHERE slug = 'coffee-maker'",
    )
    .await;
    let names = app.get("/en/search?q=coffee+maker").await.texts(".card-name");
    assert_eq!(names.first().map(String::as_str), Some("Coffee Maker"), "{names:?}");
    assert!(names.contains(&"Coffee Maker Filters Coffee Maker".to_owned()));
}

/// An active product named `name` (English only), in the coffee maker's category, from its vendor.
async fn add_product_named(app: &TestApp, slug: &str, name: &str) {
    let key = name.to_lowercase();
    app.exec_in_demo_tenant(&format!(
        "INSERT INTO products (id, tenant_id, vendor_id, category_id, sku, slug, name, price, stock, status, search_vector, name_keys)
         SELECT gen_random_uuid(), tenant_id, vendor_id, category_id, '{slug}', '{slug}', '{name}', 1000, 5, 'ACTIVE',
                '{key}', ARRAY['{key}'] FROM products WHERE slug = 'coffee-maker'"
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn words_found_side_by_side_rank_before_words_far_apart() {
    let mut app = TestApp::new().await;
    // The longer name has the words side by side: shortest-first alone would put it last.
    for (slug, name) in [
        ("cup-set", "Espresso Cup Set With Milk Jug And Grinder"),
        ("steel-grinder", "Steel Grinder Espresso Station For Home Baristas With Scale"),
    ] {
        add_product_named(&app, slug, name).await;
    }
    let names = app.get("/en/search?q=espresso+grinder").await.texts(".card-name");
    assert_eq!(
        names,
        ["Steel Grinder Espresso Station For Home Baristas With Scale", "Espresso Cup Set With Milk Jug And Grinder"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn names_starting_with_the_query_come_next_and_follow_renames() {
    let mut app = TestApp::new().await;
    for (slug, name) in [("coffee-maker-deluxe", "Coffee Maker Deluxe"), ("deluxe-coffee-maker", "Deluxe Coffee Maker")]
    {
        add_product_named(&app, slug, name).await;
    }
    // The exact name, then a name starting with the query, then one that only has its words.
    let order = ["Coffee Maker", "Coffee Maker Deluxe", "Deluxe Coffee Maker"];
    assert_eq!(app.get("/en/search?q=coffee+maker").await.texts(".card-name"), order);
    // Half-typed: names starting with it lead, shortest first.
    assert_eq!(app.get("/en/search?q=Coffee+mak").await.texts(".card-name"), order);
    // A renamed product is found by its new name only; one taken off sale is gone.
    app.exec_in_demo_tenant(
        "UPDATE products SET name = 'Espresso Machine', search_vector = 'espresso machine', name_keys = ARRAY['espresso machine']
         WHERE slug = 'coffee-maker-deluxe'",
    )
    .await;
    app.exec_in_demo_tenant("UPDATE products SET status = 'ARCHIVED' WHERE slug = 'coffee-maker'").await;
    // As the vendor and moderation pages do after a change.
    app.state.catalog.product_changed();
    assert_eq!(app.get("/en/search?q=coffee+maker").await.texts(".card-name"), ["Deluxe Coffee Maker"]);
    assert_eq!(app.get("/en/search?q=espresso+ma").await.texts(".card-name"), ["Espresso Machine"]);
    // Words out of order: through the pairs of words sharing a name, kept up to date on rename.
    assert_eq!(app.get("/en/search?q=machine+espresso").await.texts(".card-name"), ["Espresso Machine"]);
    // Back on sale, back in the results, first.
    app.exec_in_demo_tenant("UPDATE products SET status = 'ACTIVE' WHERE slug = 'coffee-maker'").await;
    app.state.catalog.product_changed();
    assert_eq!(app.get("/en/search?q=coffee+maker").await.texts(".card-name"), ["Coffee Maker", "Deluxe Coffee Maker"]);
    // Words in different fields (its brand, Philips, is not in its name) are still found.
    assert_eq!(app.get("/en/search?q=maker+philips").await.texts(".card-name"), ["Coffee Maker"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn odd_search_input_gives_an_ordinary_page() {
    let mut app = TestApp::new().await;
    let long: String = (0..500).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect();
    let long = format!("{long}\u{0643}\u{06F4}\"'%_");
    for q in [
        "",
        " ",
        "a",
        "\"",
        "'",
        "%",
        "_",
        "%25",
        "'; DROP TABLE products; --",
        "\\",
        long.as_str(),
        "\u{200C}\u{200F}",
    ] {
        let url = format!("/fa/search?q={}", urlencode(q));
        let page = app.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{q:?}");
        assert_eq!(page.attr("html", "dir").as_deref(), Some("rtl"));
    }
    assert_eq!(app.get("/en/search").await.status, StatusCode::OK);
    let pct = app.get("/en/search?q=%25%25").await;
    assert_eq!(pct.text(".empty"), "Nothing found. Check the spelling or try a shorter word.");
    // Products are still there afterwards.
    assert_eq!(app.get("/en/p/iphone-15-pro").await.status, StatusCode::OK);
    // page=-1 and page=abc are ignored.
    assert_eq!(app.get("/en/search?q=phone&page=-1").await.status, StatusCode::OK);
    assert_eq!(app.get("/en/search?q=phone&page=abc").await.status, StatusCode::OK);
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap().trim_start_matches('=').to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn htmx_suggestions_are_a_fragment_of_the_search_template() {
    let mut app = TestApp::new().await;
    let frag = app.get_with("/en/search?q=galax", &[("HX-Request", "true")]).await;
    assert_eq!(frag.status, StatusCode::OK);
    assert!(!frag.body.contains("<html"), "a fragment, not a page");
    assert_eq!(clean(&frag.text(".suggestion-list a")), "Samsung Galaxy S24");
    assert_eq!(frag.header("vary"), Some("HX-Request"));
    // The same URL without htmx is the full results page, with no suggestion list in it.
    let full = app.get("/en/search?q=galax").await;
    assert!(full.body.contains("<html"));
    assert!(full.texts(".suggestion-list").is_empty());
    assert_eq!(full.texts(".card-name"), ["Samsung Galaxy S24"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_localized_4xx_pages() {
    let mut app = TestApp::new().await;
    let p = app.get("/fa/p/no-such-product").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert_eq!(p.attr("html", "dir").as_deref(), Some("rtl"));
    assert_eq!(p.text("h1"), "صفحه پیدا نشد");
    assert_eq!(p.attr("link[rel=canonical]", "href").as_deref(), Some("http://localhost/fa/p/no-such-product"));
    let c = app.get("/ar/c/no-such-category").await;
    assert_eq!(c.status, StatusCode::NOT_FOUND);
    assert_eq!(c.text("h1"), "الصفحة غير موجودة");
    let l = app.get_with("/de/", &[("Accept-Language", "en")]).await;
    assert_eq!(l.status, StatusCode::NOT_FOUND);
    assert_eq!(l.text("h1"), "Page not found");
    let cursor = app.get("/en/c/electronics?after=not-a-cursor").await;
    assert_eq!(cursor.status, StatusCode::BAD_REQUEST);
    assert_eq!(cursor.text("h1"), "Bad page link");
    // A cursor made for another sort order is refused too.
    let price_cursor = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("p|100|{}", uuid::Uuid::nil()))
    };
    assert_eq!(app.get(&format!("/en/c/electronics?after={price_cursor}")).await.status, StatusCode::BAD_REQUEST);
    let ignored = app.get("/en/c/electronics?min=abc&max=%27%3B&page=-1&sort=zz").await;
    assert_eq!(ignored.status, StatusCode::OK);
    assert_eq!(ignored.texts(".card-name").len(), 6);
    // A NUL byte is never a value (security::a_nul_byte_anywhere_is_a_400_and_changes_nothing).
    assert_eq!(app.get("/en/c/electronics?sort=%00").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_pages_are_consistent_and_end() {
    let mut app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "demo", "demo.localhost", 400).await.expect("demo data");
    app.host = "demo.localhost".into();
    let mut url = "/en/search?q=pro".to_owned();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = app.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        let names = page.texts(".card-name");
        assert!(names.iter().all(|n| n.to_lowercase().contains("pro")), "{names:?}");
        seen.extend(page.attrs(".card > a", "href"));
        pages += 1;
        match page.attr("a[rel=next]", "href") {
            Some(next) => url = next.replace("&amp;", "&"),
            None => break,
        }
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert!(pages >= 2, "{pages} page(s), {} results", seen.len());
    assert_eq!(unique.len(), seen.len(), "no result twice across pages");
    assert!(seen.len() <= 120);
    // Suggestions are the first results of the same search.
    let frag = app.get_with("/en/search?q=pro", &[("HX-Request", "true")]).await;
    let first_page = app.get("/en/search?q=pro").await;
    assert_eq!(frag.attrs(".suggestion-list a", "href"), first_page.attrs(".card > a", "href")[..6].to_vec());
}

/// Every page of a search, from the first to the last "next" link: the products' links in order.
async fn walk_search(app: &mut TestApp, first: &str) -> Vec<String> {
    let mut url = first.to_owned();
    let mut found = Vec::new();
    loop {
        let page = app.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        found.extend(page.attrs(".card > a", "href"));
        match page.attr("a[rel=next]", "href") {
            Some(next) => url = next.replace("&amp;", "&"),
            None => return found,
        }
    }
}

/// The "demo" tenant's active products whose search text matches `tsquery`, as
/// (product link in English, the product's search bucket).
async fn matching(app: &TestApp, tsquery: &str) -> Vec<(String, String)> {
    use diesel_async::RunQueryDsl as _;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        slug: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        bucket: String,
    }
    let mut conn = app.db.conn().await;
    let tenant = {
        use bazaar::schema::tenants;
        use diesel::{ExpressionMethods as _, QueryDsl as _};
        tenants::table.filter(tenants::slug.eq("demo")).select(tenants::id).first(&mut conn).await.unwrap()
    };
    let q = tsquery.to_owned();
    let rows = bazaar::db::tenant_tx(&mut conn, tenant, async |c| {
        diesel::sql_query(
            "SELECT slug, search_bucket(tenant_id, id) AS bucket FROM products
             WHERE status = 'ACTIVE' AND search_tsv @@ to_tsquery('simple', $1)",
        )
        .bind::<diesel::sql_types::Text, _>(q)
        .load::<Row>(c)
        .await
    })
    .await
    .unwrap();
    rows.into_iter().map(|r| (format!("/en/p/{}", r.slug), r.bucket)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn search_reads_bucket_after_bucket_and_misses_nothing_up_to_its_cap() {
    let mut app = TestApp::new().await;
    bazaar::demo_data::fill(&app.db.url, "demo", "demo.localhost", 600).await.expect("demo data");
    app.host = "demo.localhost".into();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // A word in the middle of names (a colour), in fewer products than a search
    // keeps: every one is found, though they sit in many buckets.
    let blue = matching(&app, "blue").await;
    let buckets: std::collections::HashSet<_> = blue.iter().map(|(_, b)| b.clone()).collect();
    assert!(blue.len() > 20 && blue.len() < 120, "{} blue products", blue.len());
    assert!(buckets.len() > 8, "spread over {} buckets", buckets.len());
    let expected = sorted(blue.into_iter().map(|(slug, _)| slug).collect());
    assert_eq!(sorted(walk_search(&mut app, "/en/search?q=blue").await), expected);
    // Two words of one name, out of order (found through their pair), likewise.
    let pair = sorted(matching(&app, "blue & smart").await.into_iter().map(|(slug, _)| slug).collect());
    assert!(!pair.is_empty());
    assert_eq!(sorted(walk_search(&mut app, "/en/search?q=blue+smart").await), pair);
    // A word in every name: exactly the cap, over five full pages, none twice,
    // and the same products on every run.
    let all = walk_search(&mut app, "/fa/search?q=%D9%85%D8%AF%D9%84").await;
    assert_eq!(all.len(), 120);
    assert_eq!(all.iter().collect::<std::collections::HashSet<_>>().len(), 120);
    assert_eq!(walk_search(&mut app, "/fa/search?q=%D9%85%D8%AF%D9%84").await, all);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_words_follow_text_changes_but_not_stock_changes() {
    use crate::commerce::num;
    let app = TestApp::new().await;
    let before = num(&app, "SELECT count(*) AS v FROM search_words").await;
    app.exec_in_demo_tenant("UPDATE products SET stock = stock + 1").await;
    assert_eq!(num(&app, "SELECT count(*) AS v FROM search_words").await, before, "a stock change adds no words");
    app.exec_in_demo_tenant("UPDATE products SET search_vector = search_vector || ' fanoos' WHERE sku = 'NOR-LED-12'")
        .await;
    assert_eq!(num(&app, "SELECT count(*) AS v FROM search_words WHERE word = 'fanoos'").await, 1);
}
