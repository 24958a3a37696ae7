//! Loads the demo set of nextgen-summary.txt (seeds/nextgen.json) into an empty
//! database, once: a tenant that already exists is left alone.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::schema::*;

const DEMO: &str = include_str!("../seeds/nextgen.json");

#[derive(Deserialize)]
struct Demo {
    tenant: TenantSeed,
    settings: HashMap<String, String>,
    users: Vec<UserSeed>,
    vendors: Vec<VendorSeed>,
    categories: Vec<CategorySeed>,
    brands: Vec<BrandSeed>,
    products: Vec<ProductSeed>,
    tier_prices: Vec<TierSeed>,
    shipping_methods: Vec<ShippingSeed>,
    discounts: Vec<DiscountSeed>,
}

#[derive(Deserialize)]
struct TenantSeed {
    slug: String,
    name: String,
    name_fa: String,
    name_ar: String,
    tax_id: String,
    economic_code: String,
    domains: Vec<String>,
}

#[derive(Deserialize)]
struct UserSeed {
    email: String,
    password: String,
    full_name: String,
    phone: String,
    roles: Vec<String>,
    dealer: Option<DealerSeed>,
    vendor: Option<String>,
}

#[derive(Deserialize)]
struct DealerSeed {
    company_name: String,
    company_name_fa: String,
    tier: String,
    credit_limit: Decimal,
    base_discount: Decimal,
}

#[derive(Deserialize)]
struct VendorSeed {
    slug: String,
    name: String,
    name_fa: String,
    name_ar: String,
    status: String,
    commission_rate: Decimal,
    rating: Decimal,
    city: String,
}

#[derive(Deserialize)]
struct CategorySeed {
    slug: String,
    parent: Option<String>,
    name: String,
    name_fa: String,
    name_ar: String,
    icon: String,
    sort_order: i32,
    description: Option<String>,
    description_fa: Option<String>,
    description_ar: Option<String>,
}

#[derive(Deserialize)]
struct BrandSeed {
    slug: String,
    name: String,
    name_fa: String,
    name_ar: String,
}

#[derive(Deserialize)]
pub struct ProductSeed {
    sku: String,
    slug: String,
    vendor: String,
    category: String,
    brand: String,
    name: String,
    name_fa: String,
    name_ar: String,
    description: String,
    description_fa: String,
    description_ar: String,
    price: Decimal,
    compare_price: Option<Decimal>,
    cost_price: Decimal,
    stock: i32,
    warranty_months: i32,
    featured: bool,
    image: String,
    barcode: Option<String>,
    specs: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct TierSeed {
    product: String,
    tier: String,
    min_quantity: i32,
    price: Decimal,
}

#[derive(Deserialize)]
struct ShippingSeed {
    code: String,
    name: String,
    name_fa: String,
    name_ar: String,
    base_cost: Decimal,
    free_over: Option<Decimal>,
    min_days: i32,
    max_days: i32,
    sort_order: i32,
}

#[derive(Deserialize)]
struct DiscountSeed {
    code: String,
    name: String,
    name_fa: String,
    name_ar: String,
    #[serde(rename = "type")]
    kind: String,
    value: Decimal,
    min_order_amount: Decimal,
    max_discount_amount: Option<Decimal>,
    usage_limit: Option<i32>,
    usage_limit_per_user: Option<i32>,
    days: i64,
}

/// `"en|fa|ar"` → {"en","fa","ar"}; a plain string stays a plain string.
fn translated(s: &str) -> serde_json::Value {
    let parts: Vec<&str> = s.split('|').collect();
    match parts.as_slice() {
        [en, fa, ar] => serde_json::json!({ "en": en, "fa": fa, "ar": ar }),
        _ => serde_json::Value::String(s.to_owned()),
    }
}

/// Loads the demo data unless its tenant exists. Returns whether anything was loaded.
pub async fn load_demo(conn: &mut AsyncPgConnection) -> anyhow::Result<bool> {
    let demo: Demo = serde_json::from_str(DEMO)?;
    let exists: i64 = tenants::table.filter(tenants::slug.eq(&demo.tenant.slug)).count().get_result(conn).await?;
    if exists > 0 {
        return Ok(false);
    }
    // Hash before the transaction: argon2 is slow on purpose.
    let mut hashes = Vec::new();
    for u in &demo.users {
        hashes.push(crate::accounts::password::hash_async(u.password.clone()).await?);
    }
    conn.transaction(async |c| insert_demo(c, &demo, &hashes).await).await?;
    Ok(true)
}

async fn insert_demo(c: &mut AsyncPgConnection, demo: &Demo, hashes: &[String]) -> anyhow::Result<()> {
    let tenant = insert_tenant(c, demo).await?;
    let vendor_ids = insert_vendors(c, tenant, demo).await?;
    insert_users(c, tenant, demo, hashes).await?;
    let (category_ids, brand_ids) = insert_catalog(c, tenant, demo).await?;
    let now = time::OffsetDateTime::now_utc();
    insert_products(c, tenant, demo, &Ids { vendors: vendor_ids, categories: category_ids, brands: brand_ids }, now)
        .await?;
    insert_shipping_and_discounts(c, tenant, demo, now).await
}

/// The tenant, its domains and settings; the connection then works in it.
async fn insert_tenant(c: &mut AsyncPgConnection, demo: &Demo) -> anyhow::Result<Uuid> {
    let t = &demo.tenant;
    let tenant = Uuid::now_v7();
    let has_default: i64 = tenants::table.filter(tenants::is_default).count().get_result(c).await?;
    diesel::insert_into(tenants::table)
        .values((
            tenants::id.eq(tenant),
            tenants::slug.eq(&t.slug),
            tenants::name.eq(&t.name),
            tenants::name_fa.eq(&t.name_fa),
            tenants::name_ar.eq(&t.name_ar),
            tenants::tax_id.eq(&t.tax_id),
            tenants::economic_code.eq(&t.economic_code),
            tenants::is_default.eq(has_default == 0),
        ))
        .execute(c)
        .await?;
    for d in &t.domains {
        diesel::insert_into(tenant_domains::table)
            .values((tenant_domains::domain.eq(d), tenant_domains::tenant_id.eq(tenant)))
            .on_conflict_do_nothing()
            .execute(c)
            .await?;
    }
    crate::db::set_tenant(c, tenant).await?;

    for (key, value) in &demo.settings {
        diesel::insert_into(settings::table)
            .values((
                settings::id.eq(Uuid::now_v7()),
                settings::tenant_id.eq(tenant),
                settings::key.eq(key),
                settings::value.eq(serde_json::Value::String(value.clone())),
            ))
            .execute(c)
            .await?;
    }
    Ok(tenant)
}

async fn insert_vendors(c: &mut AsyncPgConnection, tenant: Uuid, demo: &Demo) -> anyhow::Result<HashMap<String, Uuid>> {
    let mut vendor_ids = HashMap::new();
    for v in &demo.vendors {
        let id = Uuid::now_v7();
        vendor_ids.insert(v.slug.clone(), id);
        diesel::insert_into(vendors::table)
            .values((
                vendors::id.eq(id),
                vendors::tenant_id.eq(tenant),
                vendors::slug.eq(&v.slug),
                vendors::name.eq(&v.name),
                vendors::name_fa.eq(&v.name_fa),
                vendors::name_ar.eq(&v.name_ar),
                vendors::status.eq(&v.status),
                vendors::commission_rate.eq(v.commission_rate),
                vendors::rating.eq(v.rating),
                vendors::city.eq(&v.city),
            ))
            .execute(c)
            .await?;
    }
    Ok(vendor_ids)
}

/// The demo accounts, with a dealer profile or a shop where they have one.
async fn insert_users(c: &mut AsyncPgConnection, tenant: Uuid, demo: &Demo, hashes: &[String]) -> anyhow::Result<()> {
    for (u, hash) in demo.users.iter().zip(hashes) {
        let roles: Vec<&str> = u.roles.iter().map(String::as_str).collect();
        let new = crate::accounts::models::NewUser {
            email: &u.email,
            full_name: &u.full_name,
            phone: Some(&u.phone),
            password_hash: hash,
            lang: "fa",
        };
        let id = crate::accounts::models::create_user(c, tenant, &new, &roles).await?;
        diesel::update(users::table.filter(users::id.eq(id))).set(users::is_verified.eq(true)).execute(c).await?;
        if let Some(d) = &u.dealer {
            diesel::insert_into(dealer_profiles::table)
                .values((
                    dealer_profiles::id.eq(Uuid::now_v7()),
                    dealer_profiles::tenant_id.eq(tenant),
                    dealer_profiles::user_id.eq(id),
                    dealer_profiles::company_name.eq(&d.company_name),
                    dealer_profiles::company_name_fa.eq(&d.company_name_fa),
                    dealer_profiles::tier.eq(&d.tier),
                    dealer_profiles::credit_limit.eq(d.credit_limit),
                    dealer_profiles::base_discount.eq(d.base_discount),
                    dealer_profiles::is_verified.eq(true),
                ))
                .execute(c)
                .await?;
        }
        if let Some(slug) = &u.vendor {
            diesel::update(vendors::table.filter(vendors::tenant_id.eq(tenant)).filter(vendors::slug.eq(slug)))
                .set(vendors::user_id.eq(id))
                .execute(c)
                .await?;
        }
    }
    Ok(())
}

type BrandIds<'a> = HashMap<String, (Uuid, &'a BrandSeed)>;

/// The category tree and the brands.
async fn insert_catalog<'a>(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    demo: &'a Demo,
) -> anyhow::Result<(HashMap<String, Uuid>, BrandIds<'a>)> {
    let mut category_ids = HashMap::new();
    for cat in &demo.categories {
        let id = Uuid::now_v7();
        category_ids.insert(cat.slug.clone(), id);
        let parent = cat.parent.as_ref().and_then(|p| category_ids.get(p)).copied();
        diesel::insert_into(categories::table)
            .values((
                categories::id.eq(id),
                categories::tenant_id.eq(tenant),
                categories::parent_id.eq(parent),
                categories::slug.eq(&cat.slug),
                categories::name.eq(&cat.name),
                categories::name_fa.eq(&cat.name_fa),
                categories::name_ar.eq(&cat.name_ar),
                categories::description.eq(&cat.description),
                categories::description_fa.eq(&cat.description_fa),
                categories::description_ar.eq(&cat.description_ar),
                categories::icon.eq(&cat.icon),
                categories::level.eq(i32::from(parent.is_some())),
                categories::sort_order.eq(cat.sort_order),
            ))
            .execute(c)
            .await?;
    }

    let mut brand_ids = HashMap::new();
    for b in &demo.brands {
        let id = Uuid::now_v7();
        brand_ids.insert(b.slug.clone(), (id, b));
        diesel::insert_into(brands::table)
            .values((
                brands::id.eq(id),
                brands::tenant_id.eq(tenant),
                brands::slug.eq(&b.slug),
                brands::name.eq(&b.name),
                brands::name_fa.eq(&b.name_fa),
                brands::name_ar.eq(&b.name_ar),
            ))
            .execute(c)
            .await?;
    }
    Ok((category_ids, brand_ids))
}

/// Ids by slug of what products point at.
struct Ids<'a> {
    vendors: HashMap<String, Uuid>,
    categories: HashMap<String, Uuid>,
    brands: BrandIds<'a>,
}

/// The products with their opening stock, and the dealers' tier prices.
async fn insert_products(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    demo: &Demo,
    ids: &Ids<'_>,
    now: time::OffsetDateTime,
) -> anyhow::Result<()> {
    let mut product_ids = HashMap::new();
    for (i, p) in demo.products.iter().enumerate() {
        let id = Uuid::now_v7();
        product_ids.insert(p.slug.clone(), id);
        let (brand_id, brand) =
            ids.brands.get(&p.brand).copied().ok_or_else(|| anyhow::anyhow!("unknown brand {}", p.brand))?;
        let (search, keys) = crate::seller::models::product_search_text(
            &[&p.name, &p.name_fa, &p.name_ar],
            &p.sku,
            &[&brand.name, &brand.name_fa, &brand.name_ar],
        );
        let specs: Vec<serde_json::Value> = p
            .specs
            .iter()
            .map(|(l, v)| serde_json::json!({ "label": translated(l), "value": translated(v) }))
            .collect();
        let images = serde_json::json!([{ "url": format!("/static/img/{}.svg", p.image) }]);
        diesel::insert_into(products::table)
            .values((
                products::id.eq(id),
                products::tenant_id.eq(tenant),
                products::vendor_id.eq(ids.vendors[&p.vendor]),
                products::category_id.eq(ids.categories[&p.category]),
                products::brand_id.eq(brand_id),
                products::sku.eq(&p.sku),
                products::barcode.eq(&p.barcode),
                products::slug.eq(&p.slug),
                products::name.eq(&p.name),
                products::name_fa.eq(&p.name_fa),
                products::name_ar.eq(&p.name_ar),
                products::description.eq(&p.description),
                products::description_fa.eq(&p.description_fa),
                products::description_ar.eq(&p.description_ar),
                products::price.eq(p.price),
                products::compare_price.eq(p.compare_price),
                products::cost_price.eq(p.cost_price),
                products::stock.eq(p.stock),
                products::status.eq(if p.stock > 0 { "ACTIVE" } else { "OUT_OF_STOCK" }),
                products::images.eq(images),
                products::specifications.eq(serde_json::Value::Array(specs)),
                products::warranty_months.eq(p.warranty_months),
                products::search_vector.eq(search),
                products::name_keys.eq(keys),
                products::is_featured.eq(p.featured),
                // Distinct creation times, newest first in the order of the file.
                products::created_at.eq(now - time::Duration::minutes(i as i64)),
            ))
            .execute(c)
            .await?;
        diesel::insert_into(inventory_logs::table)
            .values((
                inventory_logs::id.eq(Uuid::now_v7()),
                inventory_logs::tenant_id.eq(tenant),
                inventory_logs::product_id.eq(id),
                inventory_logs::change.eq(p.stock),
                inventory_logs::stock_after.eq(p.stock),
                inventory_logs::reason.eq("INITIAL_STOCK"),
                inventory_logs::reference.eq("seed"),
            ))
            .execute(c)
            .await?;
    }

    for tp in &demo.tier_prices {
        diesel::insert_into(product_tier_prices::table)
            .values((
                product_tier_prices::id.eq(Uuid::now_v7()),
                product_tier_prices::tenant_id.eq(tenant),
                product_tier_prices::product_id.eq(product_ids[&tp.product]),
                product_tier_prices::tier.eq(&tp.tier),
                product_tier_prices::min_quantity.eq(tp.min_quantity),
                product_tier_prices::price.eq(tp.price),
            ))
            .execute(c)
            .await?;
    }
    Ok(())
}

async fn insert_shipping_and_discounts(
    c: &mut AsyncPgConnection,
    tenant: Uuid,
    demo: &Demo,
    now: time::OffsetDateTime,
) -> anyhow::Result<()> {
    for s in &demo.shipping_methods {
        diesel::insert_into(shipping_methods::table)
            .values((
                shipping_methods::id.eq(Uuid::now_v7()),
                shipping_methods::tenant_id.eq(tenant),
                shipping_methods::code.eq(&s.code),
                shipping_methods::name.eq(&s.name),
                shipping_methods::name_fa.eq(&s.name_fa),
                shipping_methods::name_ar.eq(&s.name_ar),
                shipping_methods::base_cost.eq(s.base_cost),
                shipping_methods::free_over.eq(s.free_over),
                shipping_methods::min_days.eq(s.min_days),
                shipping_methods::max_days.eq(s.max_days),
                shipping_methods::sort_order.eq(s.sort_order),
            ))
            .execute(c)
            .await?;
    }

    for d in &demo.discounts {
        diesel::insert_into(discounts::table)
            .values((
                discounts::id.eq(Uuid::now_v7()),
                discounts::tenant_id.eq(tenant),
                discounts::code.eq(&d.code),
                discounts::name.eq(&d.name),
                discounts::name_fa.eq(&d.name_fa),
                discounts::name_ar.eq(&d.name_ar),
                discounts::kind.eq(&d.kind),
                discounts::value.eq(d.value),
                discounts::min_order_amount.eq(d.min_order_amount),
                discounts::max_discount_amount.eq(d.max_discount_amount),
                discounts::usage_limit.eq(d.usage_limit),
                discounts::usage_limit_per_user.eq(d.usage_limit_per_user),
                discounts::starts_at.eq(now),
                discounts::expires_at.eq(now + time::Duration::days(d.days)),
            ))
            .execute(c)
            .await?;
    }
    Ok(())
}
