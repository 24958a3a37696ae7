//! Catalogue queries: categories, brands and products as the storefront reads them.

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::i18n::Lang;
use crate::schema::{brands, categories, products, vendors};
use crate::web::pagination::{Cursor, Sort};

/// Products a storefront may show.
pub const VISIBLE: [&str; 2] = ["ACTIVE", "OUT_OF_STOCK"];

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub description: Option<String>,
    pub description_fa: Option<String>,
    pub description_ar: Option<String>,
    pub icon: Option<String>,
    pub sort_order: i32,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }

    pub fn description(&self, lang: Lang) -> &str {
        lang.pick(self.description.as_deref(), self.description_fa.as_deref(), self.description_ar.as_deref())
    }
}

/// All active categories of the tenant, in display order (a small table; the tree is built in memory).
pub async fn categories(mut conn: &AsyncPgConnection, tenant: Uuid) -> QueryResult<Vec<Category>> {
    categories::table
        .filter(categories::tenant_id.eq(tenant))
        .filter(categories::is_active)
        .order((categories::sort_order, categories::slug))
        .select(Category::as_select())
        .load(&mut conn)
        .await
}

/// Brands with at least one active product in these categories (for the filter list).
pub async fn brands_in(mut conn: &AsyncPgConnection, tenant: Uuid, category_ids: &[Uuid]) -> QueryResult<Vec<Brand>> {
    let with_products = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::status.eq("ACTIVE"))
        .filter(products::brand_id.eq(brands::id.nullable()))
        .filter(products::category_id.eq_any(category_ids));
    brands::table
        .filter(brands::tenant_id.eq(tenant))
        .filter(diesel::dsl::exists(with_products))
        .order(brands::slug)
        .select(Brand::as_select())
        .load(&mut conn)
        .await
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = brands, check_for_backend(diesel::pg::Pg))]
pub struct Brand {
    pub id: Uuid,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
}

impl Brand {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }
}

/// What a product tile needs.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct ProductCard {
    pub id: Uuid,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub price: Decimal,
    pub compare_price: Option<Decimal>,
    pub stock: i32,
    pub reserved_stock: i32,
    /// The first image's small size, read out of `images` by PostgreSQL
    /// (`card_thumb`, migration 13) so that a listing neither sends nor parses the JSON.
    #[diesel(
        select_expression = card_thumb(products::images),
        select_expression_type = card_thumb<products::images>
    )]
    pub thumb: Option<String>,
    pub created_at: OffsetDateTime,
}

/// The SQL types of a [`ProductCard`] row in field order. The listing and
/// search statements are typed by it, so their rows are read by position
/// rather than each field looked up by column name.
type CardRow = diesel::dsl::SqlTypeOf<diesel::dsl::AsSelect<ProductCard, diesel::pg::Pg>>;

diesel::define_sql_function! {
    /// The picture a product card or a cart line shows (migration 13): raw
    /// statements select `card_thumb(p.images) AS thumb`.
    fn card_thumb(images: diesel::sql_types::Jsonb) -> Nullable<Text>;
}

impl ProductCard {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }

    pub fn available(&self) -> i32 {
        (self.stock - self.reserved_stock).max(0)
    }
}

/// The first image URL in a product's `images` JSON (`[{"url": ...}]`), if any.
pub fn first_image(images: &serde_json::Value) -> Option<&str> {
    images.as_array()?.iter().next()?.get("url")?.as_str()
}

pub async fn featured(mut conn: &AsyncPgConnection, tenant: Uuid, limit: i64) -> QueryResult<Vec<ProductCard>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::status.eq("ACTIVE"))
        .filter(products::is_featured)
        .order(products::created_at.desc())
        .limit(limit)
        .select(ProductCard::as_select())
        .load(&mut conn)
        .await
}

/// Filters of a category listing, already validated.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub category_ids: Vec<Uuid>,
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    pub brand_ids: Vec<Uuid>,
    pub in_stock: bool,
    pub sort: Sort,
}

/// One keyset page: rows after `after` in the sort order, and one extra row
/// fetched to know whether a next page exists (no COUNT). Meant to run in a
/// [`crate::db::tenant_read`] with [`crate::db::Plans::Generic`] unless brands
/// are filtered (see the category handler): left to choose, PostgreSQL plans
/// this statement anew on every call (the generic plan's guess of 100
/// categories never beats a custom plan that counts them, though both are the
/// same plan), and planning costs twice the run.
pub async fn list(
    mut conn: &AsyncPgConnection,
    tenant: Uuid,
    filter: &ListFilter,
    after: Option<&Cursor>,
    page_size: i64,
) -> QueryResult<(Vec<ProductCard>, bool)> {
    let statement = ListStatement {
        tenant,
        filter,
        after,
        take: page_size + 1,
        min_key: filter.price_min.map(|p| price_key(p, true).unwrap_or(i64::MAX)),
        max_key: filter.price_max.map(|p| price_key(p, false).unwrap_or(i64::MAX)),
        after_key: match after {
            Some(Cursor::Price { price, .. }) => price_key(*price, false).unwrap_or(i64::MAX),
            _ => 0,
        },
    };
    let mut rows: Vec<ProductCard> = statement.load(&mut conn).await?;
    let more = rows.len() as i64 > page_size;
    rows.truncate(page_size as usize);
    Ok((rows, more))
}

/// A category listing as one statement: each category of the subtree gives its
/// first `take` keys from its own `(tenant, category, key, id)` index (an
/// index-only scan that starts at the cursor), the smallest `take` of those are
/// kept, and only then are their rows read. The plain `category_id = ANY(..)
/// ORDER BY key` cannot walk those indexes in order, so it either filters a
/// tenant-wide index (slow for a small category) or sorts the whole subtree.
///
/// Status goes in as a literal, so the partial indexes match the generic plan
/// that [`list`] runs with.
struct ListStatement<'a> {
    tenant: Uuid,
    filter: &'a ListFilter,
    after: Option<&'a Cursor>,
    take: i64,
    /// The price bounds and the price cursor as `price_key`s.
    min_key: Option<i64>,
    max_key: Option<i64>,
    after_key: i64,
}

/// A price as `price_key` (hundredths), rounded up or down to a whole one;
/// None past the bigint range, which no stored price reaches.
fn price_key(price: Decimal, up: bool) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive as _;
    let hundredths = price.checked_mul(Decimal::ONE_HUNDRED)?;
    (if up { hundredths.ceil() } else { hundredths.floor() }).to_i64()
}

impl diesel::query_builder::QueryId for ListStatement<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for ListStatement<'_> {
    type SqlType = CardRow;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for ListStatement<'_> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::{Array, BigInt, Timestamptz};
        let f = self.filter;
        // Prices are compared and ordered by `price_key` (migration 9): bigint
        // comparisons may bound an index scan under row-level security, numeric
        // ones may not.
        let (key, dir) = match f.sort {
            Sort::Newest => ("created_at", "DESC"),
            Sort::PriceAsc => ("price_key", "ASC"),
            Sort::PriceDesc => ("price_key", "DESC"),
        };
        let outer_order = format!(" ORDER BY k.{key} {dir}, k.id {dir}");
        out.push_sql(
            "SELECT p.id, p.slug, p.name, p.name_fa, p.name_ar, p.price, p.compare_price, p.stock, p.reserved_stock, ",
        );
        out.push_sql("card_thumb(p.images) AS thumb, p.created_at FROM (SELECT k.id, k.");
        out.push_sql(key);
        out.push_sql(" FROM unnest(");
        out.push_bind_param::<Array<diesel::sql_types::Uuid>, _>(&f.category_ids)?;
        out.push_sql("::uuid[]) AS c(id) CROSS JOIN LATERAL (SELECT id, ");
        out.push_sql(key);
        out.push_sql(" FROM products WHERE tenant_id = ");
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.tenant)?;
        out.push_sql(" AND status = 'ACTIVE' AND category_id = c.id");
        if let Some(min) = &self.min_key {
            out.push_sql(" AND price_key >= ");
            out.push_bind_param::<BigInt, _>(min)?;
        }
        if let Some(max) = &self.max_key {
            out.push_sql(" AND price_key <= ");
            out.push_bind_param::<BigInt, _>(max)?;
        }
        if !f.brand_ids.is_empty() {
            out.push_sql(" AND brand_id = ANY(");
            out.push_bind_param::<Array<diesel::sql_types::Uuid>, _>(&f.brand_ids)?;
            out.push_sql(")");
        }
        if f.in_stock {
            out.push_sql(" AND stock > reserved_stock");
        }
        // "After (key, id)" as `key <= k AND (key < k OR id < i)`: the first half
        // bounds the index scan, so a deep page starts where it should.
        match (f.sort, self.after) {
            (Sort::Newest, Some(Cursor::Newest { at, id })) => {
                out.push_sql(" AND created_at <= ");
                out.push_bind_param::<Timestamptz, _>(at)?;
                out.push_sql(" AND (created_at < ");
                out.push_bind_param::<Timestamptz, _>(at)?;
                out.push_sql(" OR id < ");
                out.push_bind_param::<diesel::sql_types::Uuid, _>(id)?;
                out.push_sql(")");
            }
            (Sort::PriceAsc | Sort::PriceDesc, Some(Cursor::Price { id, .. })) => {
                let (wide, strict, id_cmp) = if f.sort == Sort::PriceAsc { (">=", ">", ">") } else { ("<=", "<", "<") };
                out.push_sql(&format!(" AND price_key {wide} "));
                out.push_bind_param::<BigInt, _>(&self.after_key)?;
                out.push_sql(&format!(" AND (price_key {strict} "));
                out.push_bind_param::<BigInt, _>(&self.after_key)?;
                out.push_sql(&format!(" OR id {id_cmp} "));
                out.push_bind_param::<diesel::sql_types::Uuid, _>(id)?;
                out.push_sql(")");
            }
            _ => {}
        }
        out.push_sql(&format!(" ORDER BY {key} {dir}, id {dir} LIMIT "));
        out.push_bind_param::<BigInt, _>(&self.take)?;
        out.push_sql(") k");
        out.push_sql(&outer_order);
        out.push_sql(" LIMIT ");
        out.push_bind_param::<BigInt, _>(&self.take)?;
        out.push_sql(") k JOIN products p ON p.id = k.id AND p.tenant_id = ");
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.tenant)?;
        out.push_sql(&outer_order);
        Ok(())
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct ProductDetail {
    pub id: Uuid,
    pub vendor_id: Uuid,
    pub category_id: Uuid,
    pub brand_id: Option<Uuid>,
    pub sku: String,
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
    pub description: Option<String>,
    pub description_fa: Option<String>,
    pub description_ar: Option<String>,
    pub price: Decimal,
    pub compare_price: Option<Decimal>,
    pub stock: i32,
    pub reserved_stock: i32,
    pub status: String,
    pub images: serde_json::Value,
    pub specifications: serde_json::Value,
    pub warranty_months: i32,
    pub min_order_qty: i32,
    pub max_order_qty: Option<i32>,
}

impl ProductDetail {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }

    pub fn description(&self, lang: Lang) -> &str {
        lang.pick(self.description.as_deref(), self.description_fa.as_deref(), self.description_ar.as_deref())
    }

    pub fn available(&self) -> i32 {
        if self.status == "OUT_OF_STOCK" { 0 } else { (self.stock - self.reserved_stock).max(0) }
    }
}

/// A visible product by slug, with its brand and vendor, in one statement.
pub async fn product_by_slug(
    mut conn: &AsyncPgConnection,
    tenant: Uuid,
    slug: &str,
) -> QueryResult<Option<(ProductDetail, Option<Brand>, Option<VendorName>)>> {
    products::table
        .left_join(brands::table.on(brands::id.nullable().eq(products::brand_id).and(brands::tenant_id.eq(tenant))))
        .left_join(vendors::table.on(vendors::id.eq(products::vendor_id).and(vendors::tenant_id.eq(tenant))))
        .filter(products::tenant_id.eq(tenant))
        .filter(products::slug.eq(slug))
        .filter(products::status.eq_any(VISIBLE))
        .select((ProductDetail::as_select(), Option::<Brand>::as_select(), Option::<VendorName>::as_select()))
        .first(&mut conn)
        .await
        .optional()
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = vendors, check_for_backend(diesel::pg::Pg))]
pub struct VendorName {
    pub slug: String,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub name_ar: Option<String>,
}

impl VendorName {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name.as_deref(), self.name_fa.as_deref(), self.name_ar.as_deref())
    }
}

/// Most results a search ranks: five pages.
pub const SEARCH_RESULTS: i64 = 120;

/// Search by search key (regional.md §5.1, computed by the caller), one page
/// (`skip`, `take`) of at most [`SEARCH_RESULTS`] ranked results, in one query:
///
/// 1. products whose name, in any language, starts with the key: a range scan of
///    `product_name_keys` (migration 7), which holds nothing but the keys, so it
///    costs a fraction of a millisecond at a million products. A name equal to
///    the key ranks first, then names starting with it, shortest first;
/// 2. only when those do not fill the list, products matching every word: a word
///    of the tenant's vocabulary (`search_words`) must match exactly; an unknown
///    word also matches the three closest vocabulary words (trigram distance,
///    which forgives typos) and, if it is the last one, anything it starts
///    (typing in progress). Found first through the query's neighbouring known
///    words as pairs (migration 8: both words in one name), and only when that
///    does not fill the list through the words themselves (which also finds
///    words spread over different names or the brand). Both look in
///    `search_buckets` (migration 10) one bucket of the tenant's products at a
///    time, and stop at the first matches that fill the list; these are ranked
///    by how close together the words sit (`ts_rank`, which for several words
///    weighs each pair of them by their distance), then the shortest text.
///    Not `ts_rank_cd`: it zeroes a 32 KB buffer per query item for every row it
///    ranks, a tenth of the machine under a load of uncached searches.
///
/// GIN hands over all of a query's matches as one bitmap before a row is read:
/// the buckets keep that bitmap to a sixteenth of the tenant's matches, which
/// for a common word at a million products is the difference between 25 ms and 1.
pub async fn search(
    mut conn: &AsyncPgConnection,
    tenant: Uuid,
    key: &str,
    skip: i64,
    take: i64,
) -> QueryResult<Vec<ProductCard>> {
    // In byte order every key starting with `key` sorts between these two.
    let high = format!("{key}\u{10FFFF}");
    SearchStatement { tenant, key, high: &high, skip, take }.load(&mut conn).await
}

/// The search query as its own statement type: each parameter is bound once
/// (in `params`), and unlike `sql_query` it lets diesel prepare the statement
/// once per connection, which saves the planning (~2 ms) on every search.
struct SearchStatement<'a> {
    tenant: Uuid,
    key: &'a str,
    high: &'a str,
    skip: i64,
    take: i64,
}

impl diesel::query_builder::QueryId for SearchStatement<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for SearchStatement<'_> {
    type SqlType = CardRow;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for SearchStatement<'_> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("WITH params AS (SELECT ");
        out.push_bind_param::<Text, _>(self.key)?;
        out.push_sql("::text AS key, ");
        out.push_bind_param::<Text, _>(self.high)?;
        out.push_sql("::text COLLATE \"C\" AS high, ");
        out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.skip)?;
        out.push_sql("::bigint AS skip, ");
        out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.take)?;
        out.push_sql("::bigint AS take), ");
        // The tenant goes in as a literal (a formatted UUID: nothing to inject) so
        // the planner sees how many products it has. As a parameter it guesses
        // "half the table" and ANDs the small GIN result with a scan of a whole
        // tenant index (a million entries, ~90 ms) to halve the rows it fetches.
        let sql = SEARCH_SQL.replace("{tenant}", &format!("'{}'::uuid", self.tenant));
        out.push_sql(&sql.replace("{cap}", &SEARCH_RESULTS.to_string()));
        Ok(())
    }
}

// `named` and `paired` are MATERIALIZED so that each later step can ask how many
// were found and is never run (a one-time filter) when the list is full.
// `qs` and `pqs` hold the words' and the pairs' query once per bucket of the
// tenant's in `search_buckets` (migration 10), in bucket order: each step reads
// bucket after bucket and stops at the cap, so it builds the bitmap of a
// sixteenth of the tenant's matches. `qs` also holds the query without a
// prefix (n = -1), which ranks.
// `ts_match_vq` is `@@` spelled as a function, which the planner cannot use as
// an index condition: the pairs find the rows, the words only filter them.
// Text length is measured in bytes (`octet_length`, read from the value's
// header): counting characters would decode every ranked row's whole text.
const SEARCH_SQL: &str = "toks AS (
            SELECT u.lexeme AS tok,
                   (SELECT max(p) FROM unnest(u.positions) AS p) AS pos,
                   EXISTS (SELECT 1 FROM search_words k WHERE k.tenant_id = {tenant} AND k.word = u.lexeme) AS known
            FROM unnest(to_tsvector('simple', (SELECT key FROM params))) AS u
            ORDER BY pos LIMIT 8
        ), alts AS (
            SELECT t.tok, t.tok AS word, NOT t.known AND t.pos = (SELECT max(pos) FROM toks) AS prefix
            FROM toks t
            UNION ALL
            SELECT t.tok, w.word, false
            FROM toks t CROSS JOIN LATERAL (
                SELECT word FROM search_words
                WHERE tenant_id = {tenant} AND word % t.tok
                ORDER BY word <-> t.tok LIMIT 3
            ) w
            WHERE NOT t.known AND t.tok !~ '[0-9]'
        ), qs AS MATERIALIZED (
            SELECT n, string_agg(a, ' & ')::tsquery AS q FROM (
                SELECT b.n, '(' || string_agg(quote_literal(b.bucket || a.word)
                                              || CASE WHEN a.prefix THEN ':*' ELSE '' END, ' | ') || ')' AS a
                FROM alts a CROSS JOIN (SELECT n, bucket FROM search_bucket_names({tenant}) UNION ALL SELECT -1, '') b
                GROUP BY b.n, a.tok
            ) g GROUP BY n ORDER BY n
        ), q AS (
            SELECT q FROM qs WHERE n = -1
        ), named AS MATERIALIZED (
            SELECT DISTINCT ON (id) id, tier, 0::real AS rank, len FROM (
                SELECT product_id AS id, CASE WHEN name_key = (SELECT key FROM params) THEN 0 ELSE 1 END AS tier,
                       length(name_key) AS len
                FROM product_name_keys
                WHERE tenant_id = {tenant}
                  AND name_key >= (SELECT key FROM params) COLLATE \"C\" AND name_key < (SELECT high FROM params)
                ORDER BY name_key LIMIT {cap}
            ) x ORDER BY id, tier, len
        ), pqs AS MATERIALIZED (
            SELECT b.n, string_agg(quote_literal(b.bucket || least(x.tok, x.nxt) || '+' || greatest(x.tok, x.nxt)), ' & ')::tsquery AS q
            FROM (SELECT tok COLLATE \"C\" AS tok, lead(tok COLLATE \"C\") OVER (ORDER BY pos) AS nxt FROM toks WHERE known) x
            CROSS JOIN search_bucket_names({tenant}) b
            WHERE x.nxt IS NOT NULL AND x.nxt <> x.tok
            GROUP BY b.n ORDER BY b.n
        ), paired AS MATERIALIZED (
            SELECT x.* FROM pqs CROSS JOIN LATERAL (
                SELECT p.id, 2 AS tier, ts_rank(p.search_tsv, (SELECT q FROM q)) AS rank, octet_length(p.search_vector) AS len
                FROM products p
                WHERE p.tenant_id = {tenant} AND p.status = 'ACTIVE'
                  AND p.search_buckets @@ pqs.q AND ts_match_vq(p.search_tsv, (SELECT q FROM q))
                  AND p.id NOT IN (SELECT id FROM named)
                LIMIT {cap}
            ) x
            WHERE (SELECT count(*) FROM named) < {cap}
            LIMIT {cap}
        ), ranked AS (
            SELECT * FROM named
            UNION ALL
            SELECT * FROM paired
            UNION ALL
            (SELECT x.* FROM qs CROSS JOIN LATERAL (
                SELECT p.id, 2 AS tier, ts_rank(p.search_tsv, (SELECT q FROM q)) AS rank, octet_length(p.search_vector) AS len
                FROM products p
                WHERE p.tenant_id = {tenant} AND p.status = 'ACTIVE' AND p.search_buckets @@ qs.q
                  AND p.id NOT IN (SELECT id FROM named) AND p.id NOT IN (SELECT id FROM paired)
                LIMIT {cap}
             ) x
             WHERE qs.n >= 0 AND (SELECT count(*) FROM named) + (SELECT count(*) FROM paired) < {cap}
             LIMIT {cap})
            ORDER BY tier, rank DESC, len, id
            LIMIT least((SELECT take FROM params), greatest({cap} - (SELECT skip FROM params), 0))
            OFFSET (SELECT skip FROM params)
        )
        SELECT p.id, p.slug, p.name, p.name_fa, p.name_ar, p.price, p.compare_price, p.stock,
               p.reserved_stock, card_thumb(p.images) AS thumb, p.created_at
        FROM ranked r JOIN products p ON p.id = r.id
        WHERE p.tenant_id = {tenant}
        ORDER BY r.tier, r.rank DESC, r.len, r.id";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_keys_round_toward_the_inside_of_a_range() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(price_key(d("1500000"), true), Some(150_000_000));
        assert_eq!(price_key(d("12.345"), true), Some(1235), "a lower bound rounds up");
        assert_eq!(price_key(d("12.345"), false), Some(1234), "an upper bound rounds down");
        assert_eq!(price_key(Decimal::MAX, true), None);
    }
}
