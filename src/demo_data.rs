//! `bazaar demo-data --products N`: a tenant filled with N generated products
//! (fa/ar/en names from word lists), in multi-row inserts over parallel
//! connections, so a million rows take minutes.

use std::sync::Arc;

use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl};
use indicatif::{ProgressBar, ProgressStyle};
use rand::Rng as _;
use rand::SeedableRng as _;
use rand::rngs::SmallRng;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::schema::*;

/// (en, fa, ar) triples.
type Words = &'static [(&'static str, &'static str, &'static str)];

const TOP: Words = &[
    ("Electronics", "کالای دیجیتال", "الإلكترونيات"),
    ("Home & Kitchen", "خانه و آشپزخانه", "المنزل والمطبخ"),
    ("Fashion", "مد و پوشاک", "الأزياء"),
    ("Books", "کتاب", "الكتب"),
    ("Sports", "ورزش و سفر", "الرياضة"),
    ("Beauty", "آرایشی و بهداشتی", "الجمال"),
    ("Toys", "اسباب‌بازی", "الألعاب"),
    ("Tools", "ابزار", "الأدوات"),
];

/// Product kinds per top category: (en, fa, ar).
const KINDS: &[Words] = &[
    &[
        ("Phone", "گوشی", "هاتف"),
        ("Laptop", "لپ‌تاپ", "حاسوب محمول"),
        ("Tablet", "تبلت", "جهاز لوحي"),
        ("Headphones", "هدفون", "سماعات"),
        ("Charger", "شارژر", "شاحن"),
        ("Smartwatch", "ساعت هوشمند", "ساعة ذكية"),
    ],
    &[
        ("Coffee Maker", "قهوه‌ساز", "صانعة قهوة"),
        ("Lamp", "چراغ", "مصباح"),
        ("Kettle", "کتری برقی", "غلاية"),
        ("Blender", "مخلوط‌کن", "خلاط"),
        ("Rug", "فرش", "سجادة"),
    ],
    &[
        ("T-Shirt", "تی‌شرت", "قميص"),
        ("Jacket", "کاپشن", "سترة"),
        ("Scarf", "روسری", "وشاح"),
        ("Shoes", "کفش", "حذاء"),
        ("Bag", "کیف", "حقيبة"),
    ],
    &[
        ("Novel", "رمان", "رواية"),
        ("Poetry Book", "کتاب شعر", "ديوان شعر"),
        ("Cookbook", "کتاب آشپزی", "كتاب طبخ"),
        ("History Book", "کتاب تاریخ", "كتاب تاريخ"),
    ],
    &[
        ("Tent", "چادر مسافرتی", "خيمة"),
        ("Bicycle", "دوچرخه", "دراجة"),
        ("Yoga Mat", "زیرانداز یوگا", "حصيرة يوغا"),
        ("Backpack", "کوله‌پشتی", "حقيبة ظهر"),
    ],
    &[
        ("Perfume", "عطر", "عطر"),
        ("Shampoo", "شامپو", "شامبو"),
        ("Face Cream", "کرم صورت", "كريم الوجه"),
        ("Hair Dryer", "سشوار", "مجفف شعر"),
    ],
    &[
        ("Puzzle", "پازل", "أحجية"),
        ("Doll", "عروسک", "دمية"),
        ("Building Blocks", "لگو", "مكعبات بناء"),
        ("Board Game", "بازی فکری", "لعبة لوحية"),
    ],
    &[
        ("Drill", "دریل", "مثقاب"),
        ("Screwdriver Set", "ست پیچ‌گوشتی", "طقم مفكات"),
        ("Toolbox", "جعبه ابزار", "صندوق عدة"),
        ("Ladder", "نردبان", "سلم"),
    ],
];

const ADJECTIVES: Words = &[
    ("Classic", "کلاسیک", "كلاسيكي"),
    ("Pro", "حرفه‌ای", "احترافي"),
    ("Compact", "جمع‌وجور", "مدمج"),
    ("Deluxe", "لوکس", "فاخر"),
    ("Smart", "هوشمند", "ذكي"),
    ("Light", "سبک", "خفيف"),
    ("Premium", "ممتاز", "ممتاز"),
    ("Eco", "سازگار با محیط زیست", "صديق للبيئة"),
];

const COLOURS: Words = &[
    ("Black", "مشکی", "أسود"),
    ("White", "سفید", "أبيض"),
    ("Blue", "آبی", "أزرق"),
    ("Red", "قرمز", "أحمر"),
    ("Green", "سبز", "أخضر"),
    ("Silver", "نقره‌ای", "فضي"),
    ("Gold", "طلایی", "ذهبي"),
    ("Grey", "خاکستری", "رمادي"),
];

const BRANDS: Words = &[
    ("Samsung", "سامسونگ", "سامسونج"),
    ("Xiaomi", "شیائومی", "شاومي"),
    ("Apple", "اپل", "أبل"),
    ("Philips", "فیلیپس", "فيليبس"),
    ("Bosch", "بوش", "بوش"),
    ("Pars Khazar", "پارس خزر", "بارس خزر"),
    ("Snowa", "اسنوا", "سنوا"),
    ("Daria", "داریا", "داريا"),
    ("Nashr-e Cheshmeh", "نشر چشمه", "نشر چشمة"),
    ("Adidas", "آدیداس", "أديداس"),
    ("Lego", "لگو", "ليغو"),
    ("Makita", "ماکیتا", "ماكيتا"),
];

const IMAGES: [&str; 7] = ["phone", "laptop", "charger", "shirt", "lamp", "coffee", "box"];
const BATCH: usize = 1000;
const WORKERS: usize = 3;

struct Plan {
    tenant: Uuid,
    vendors: Vec<Uuid>,
    /// (leaf category id, top index)
    leaves: Vec<(Uuid, usize)>,
    brands: Vec<Uuid>,
}

pub async fn fill(url: &str, slug: &str, domain: &str, count: u64) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    let plan = Arc::new(conn.transaction(async |c| prepare(c, slug, domain).await).await?);
    let existing: i64 = {
        crate::db::tenant_tx(&mut conn, plan.tenant, async |c| {
            products::table.filter(products::tenant_id.eq(plan.tenant)).count().get_result::<i64>(c).await
        })
        .await?
    };
    let bar = ProgressBar::new(count);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} products ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let batches = count.div_ceil(BATCH as u64);
    let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (plan, next, bar, url) = (plan.clone(), next.clone(), bar.clone(), url.to_owned());
        workers.push(tokio::spawn(async move {
            let mut conn = AsyncPgConnection::establish(&url).await?;
            loop {
                let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if b >= batches {
                    return Ok::<_, anyhow::Error>(());
                }
                let start = b * BATCH as u64;
                let n = (count - start).min(BATCH as u64);
                insert_batch(&mut conn, &plan, existing as u64 + start, n).await?;
                bar.inc(n);
            }
        }));
    }
    for w in workers {
        w.await??;
    }
    bar.finish();
    let mut conn = AsyncPgConnection::establish(url).await?;
    // VACUUM also merges the GIN pending lists the bulk insert left behind.
    diesel::sql_query("VACUUM ANALYZE products").execute(&mut conn).await?;
    diesel::sql_query("VACUUM ANALYZE search_words").execute(&mut conn).await?;
    println!("tenant `{slug}` (host {domain}) now has {} more products", count);
    Ok(())
}

async fn prepare(c: &mut AsyncPgConnection, slug: &str, domain: &str) -> anyhow::Result<Plan> {
    let found: Option<Uuid> =
        tenants::table.filter(tenants::slug.eq(slug)).select(tenants::id).first(c).await.optional()?;
    if let Some(tenant) = found {
        crate::db::set_tenant(c, tenant).await?;
        let vendors = vendors::table.filter(vendors::tenant_id.eq(tenant)).select(vendors::id).load(c).await?;
        let all: Vec<(Uuid, Option<Uuid>, i32)> = categories::table
            .filter(categories::tenant_id.eq(tenant))
            .select((categories::id, categories::parent_id, categories::sort_order))
            .load(c)
            .await?;
        let tops: Vec<(Uuid, i32)> = all.iter().filter(|(_, p, _)| p.is_none()).map(|(id, _, o)| (*id, *o)).collect();
        let leaves = all
            .iter()
            .filter_map(|(id, p, _)| {
                let top = tops.iter().find(|(t, _)| Some(*t) == *p)?;
                Some((*id, (top.1 as usize).min(TOP.len() - 1)))
            })
            .collect();
        let brands = brands::table.filter(brands::tenant_id.eq(tenant)).select(brands::id).load(c).await?;
        return Ok(Plan { tenant, vendors, leaves, brands });
    }
    let tenant = Uuid::now_v7();
    diesel::insert_into(tenants::table)
        .values((
            tenants::id.eq(tenant),
            tenants::slug.eq(slug),
            tenants::name.eq("Demo Bazaar"),
            tenants::name_fa.eq("بازار نمایشی"),
            tenants::name_ar.eq("السوق التجريبي"),
        ))
        .execute(c)
        .await?;
    diesel::insert_into(tenant_domains::table)
        .values((tenant_domains::domain.eq(domain.to_lowercase()), tenant_domains::tenant_id.eq(tenant)))
        .execute(c)
        .await?;
    crate::db::set_tenant(c, tenant).await?;
    let mut vendors = Vec::new();
    for i in 0..20 {
        let id = Uuid::now_v7();
        diesel::insert_into(vendors::table)
            .values((
                vendors::id.eq(id),
                vendors::tenant_id.eq(tenant),
                vendors::slug.eq(format!("vendor-{i}")),
                vendors::name.eq(format!("Demo Vendor {}", i + 1)),
                vendors::name_fa.eq(format!("فروشنده نمایشی {}", crate::i18n::format::Digits::Persian.int(i + 1))),
                vendors::status.eq("VERIFIED"),
            ))
            .execute(c)
            .await?;
        vendors.push(id);
    }
    let mut leaves = Vec::new();
    for (ti, (en, fa, ar)) in TOP.iter().enumerate() {
        let top = Uuid::now_v7();
        let top_slug = slugify(en);
        diesel::insert_into(categories::table)
            .values((
                categories::id.eq(top),
                categories::tenant_id.eq(tenant),
                categories::slug.eq(&top_slug),
                categories::name.eq(en),
                categories::name_fa.eq(fa),
                categories::name_ar.eq(ar),
                categories::sort_order.eq(ti as i32),
            ))
            .execute(c)
            .await?;
        for (ki, (ken, kfa, kar)) in KINDS[ti].iter().enumerate() {
            let id = Uuid::now_v7();
            diesel::insert_into(categories::table)
                .values((
                    categories::id.eq(id),
                    categories::tenant_id.eq(tenant),
                    categories::parent_id.eq(top),
                    categories::slug.eq(format!("{top_slug}-{}", slugify(ken))),
                    categories::name.eq(format!("{ken}s")),
                    categories::name_fa.eq(kfa),
                    categories::name_ar.eq(kar),
                    categories::level.eq(1),
                    categories::sort_order.eq(ki as i32),
                ))
                .execute(c)
                .await?;
            leaves.push((id, ti));
        }
    }
    let mut brands = Vec::new();
    for (en, fa, ar) in BRANDS {
        let id = Uuid::now_v7();
        diesel::insert_into(brands::table)
            .values((
                brands::id.eq(id),
                brands::tenant_id.eq(tenant),
                brands::slug.eq(slugify(en)),
                brands::name.eq(en),
                brands::name_fa.eq(fa),
                brands::name_ar.eq(ar),
            ))
            .execute(c)
            .await?;
        brands.push(id);
    }
    Ok(Plan { tenant, vendors, leaves, brands })
}

fn slugify(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

async fn insert_batch(conn: &mut AsyncPgConnection, plan: &Plan, first: u64, n: u64) -> anyhow::Result<()> {
    let mut rng = SmallRng::seed_from_u64(first);
    let now = time::OffsetDateTime::now_utc();
    let mut rows = Vec::with_capacity(n as usize);
    for i in first..first + n {
        let (category, top) = plan.leaves[rng.random_range(0..plan.leaves.len())];
        let kinds = KINDS[top];
        let (ken, kfa, kar) = kinds[rng.random_range(0..kinds.len())];
        let (aen, afa, aar) = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
        let (cen, cfa, car) = COLOURS[rng.random_range(0..COLOURS.len())];
        let bi = rng.random_range(0..plan.brands.len());
        let (ben, bfa, bar) = BRANDS[bi % BRANDS.len()];
        let model = rng.random_range(100..1000);
        let name = format!("{ben} {aen} {ken} {cen} {model}");
        let name_fa = format!("{kfa} {afa} {bfa} {cfa} مدل {model}");
        let name_ar = format!("{kar} {aar} {bar} {car} موديل {model}");
        let sku = format!("DM-{i:08}");
        let (search, keys) =
            crate::seller::models::product_search_text(&[&name, &name_fa, &name_ar], &sku, &[ben, bfa, bar]);
        // Prices in whole thousands of Rials, 50 000 to 500 000 000.
        let price = Decimal::from(rng.random_range(50..500_000u64) * 1000);
        let compare = rng
            .random_bool(0.3)
            .then(|| price + price * Decimal::from(rng.random_range(5..40u64)) / Decimal::ONE_HUNDRED);
        let stock = if rng.random_bool(0.1) { 0 } else { rng.random_range(1..500) };
        rows.push((
            products::id.eq(Uuid::now_v7()),
            products::tenant_id.eq(plan.tenant),
            products::vendor_id.eq(plan.vendors[rng.random_range(0..plan.vendors.len())]),
            products::category_id.eq(category),
            products::brand_id.eq(plan.brands[bi]),
            products::sku.eq(sku),
            products::slug.eq(format!("{}-{i}", slugify(&name))),
            products::name.eq(name),
            products::name_fa.eq(name_fa),
            products::name_ar.eq(name_ar),
            products::price.eq(price),
            products::compare_price.eq(compare),
            products::stock.eq(stock),
            products::status.eq(if stock > 0 { "ACTIVE" } else { "OUT_OF_STOCK" }),
            products::images.eq(serde_json::json!([{ "url": format!("/static/img/{}.svg", IMAGES[(top + i as usize) % IMAGES.len()]) }])),
            products::warranty_months.eq([0, 6, 12, 18, 24][rng.random_range(0..5)]),
            products::search_vector.eq(search),
            products::name_keys.eq(keys),
            products::is_featured.eq(rng.random_bool(0.001)),
            products::created_at.eq(now - time::Duration::seconds(i as i64)),
        ));
    }
    crate::db::tenant_tx(conn, plan.tenant, async |c| {
        crate::db::audit_off(c).await?;
        diesel::insert_into(products::table).values(&rows).execute(c).await
    })
    .await?;
    Ok(())
}
