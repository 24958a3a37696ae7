//! Load generator for bench/orders.sh: N signed-in shoppers at once, each on
//! its own connection, adding to the cart and placing orders (no payment)
//! through the real HTML endpoints, then racing for a product with little stock.
//!
//!   order_bench BASE_URL HOST PASSWORD BULK_PRODUCTS SCARCE_PRODUCT [CONNS] [SECONDS]
//!
//! BULK_PRODUCTS is a comma-separated list: shopper i buys product i mod n, so
//! one list entry measures the worst case (every order locks one row).
//! Users are `bench1@example.com` … `benchN@example.com` (bench/orders.sh makes them).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, HOST, LOCATION, SET_COOKIE};

/// One shopper: a connection and a cookie jar.
struct Shopper {
    http: reqwest::Client,
    base: String,
    host: String,
    cookies: HashMap<String, String>,
}

impl Shopper {
    fn jar(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for c in res.headers().get_all(SET_COOKIE) {
            if let Some((k, v)) = c.to_str().ok().and_then(|c| c.split(';').next()).and_then(|p| p.split_once('=')) {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
    }

    async fn get(&mut self, path: &str) -> reqwest::Result<reqwest::Response> {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .header(HOST, &self.host)
            .header(COOKIE, self.jar())
            .send()
            .await?;
        self.keep(&res);
        Ok(res)
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)], htmx: bool) -> reqwest::Result<reqwest::Response> {
        let csrf = self.cookies.get("csrf").cloned().unwrap_or_default();
        let mut all = fields.to_vec();
        all.push(("_csrf", &csrf));
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header(HOST, &self.host)
            .header(COOKIE, self.jar())
            .form(&all);
        if htmx {
            req = req.header("hx-request", "true");
        }
        let res = req.send().await?;
        self.keep(&res);
        Ok(res)
    }
}

const ADDRESS: [(&str, &str); 8] = [
    ("full_name", "Bench Shopper"),
    ("mobile", "09121234567"),
    ("province", "THR"),
    ("city", "Tehran"),
    ("street", "Valiasr St. 1"),
    ("postal_code", "1316936315"),
    ("shipping", "POST_PISHTAZ"),
    ("action", "place"),
];

async fn place(s: &mut Shopper) -> reqwest::Result<reqwest::StatusCode> {
    let key = uuid::Uuid::new_v4().to_string();
    let mut fields = ADDRESS.to_vec();
    fields.push(("key", &key));
    fields.push(("address_id", "new"));
    let res = s.post("/en/checkout", &fields, false).await?;
    let status = res.status();
    let to = res.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    // A placed order redirects to its page; anything else is not a placed order.
    Ok(if status == 303 && to.contains("/account/orders/") { reqwest::StatusCode::CREATED } else { status })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(name: &str, mut lat: Vec<Duration>, secs: f64, errors: usize) {
    lat.sort();
    println!(
        "{name:<28} {:>10.1} {:>10.1} {:>10.1} {:>8}",
        lat.len() as f64 / secs,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        errors
    );
}

type Phase = tokio::task::JoinHandle<(Shopper, Vec<Duration>, usize)>;

/// Waits for every shopper of a phase: the shoppers back, all latencies, the error count.
async fn gather(tasks: Vec<Phase>) -> anyhow::Result<(Vec<Shopper>, Vec<Duration>, usize)> {
    let (mut shoppers, mut lat, mut errors) = (Vec::new(), Vec::new(), 0);
    for t in tasks {
        let (s, l, e) = t.await?;
        shoppers.push(s);
        lat.extend(l);
        errors += e;
    }
    Ok((shoppers, lat, errors))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, host, password, bulk, scarce, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: order_bench BASE_URL HOST PASSWORD BULK_PRODUCTS SCARCE_PRODUCT [CONNS] [SECONDS]");
    };
    let bulk: Vec<String> = bulk.split(',').map(str::to_owned).collect();
    let conns: usize = rest.first().map(|s| s.parse()).transpose()?.unwrap_or(32);
    let secs: u64 = rest.get(1).map(|s| s.parse()).transpose()?.unwrap_or(10);

    // Sign everyone in first (argon2 is deliberately slow; it is not what we measure).
    let mut shoppers = Vec::new();
    for i in 1..=conns {
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(1).build()?;
        let mut s = Shopper { http, base: base.clone(), host: host.clone(), cookies: HashMap::new() };
        s.get("/en/").await?;
        let email = format!("bench{i}@example.com");
        let res = s.post("/en/login", &[("email", &email), ("password", password)], false).await?;
        anyhow::ensure!(res.status() == 303, "login of {email} failed: {}", res.status());
        shoppers.push(s);
    }

    println!(
        "\n{:<28} {:>10} {:>10} {:>10} {:>8}",
        format!("{conns} shoppers at once"),
        "per s",
        "p50 ms",
        "p99 ms",
        "errors"
    );

    // 1. Add to cart, as htmx does it.
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (i, mut s) in shoppers.into_iter().enumerate() {
        let bulk = bulk[i % bulk.len()].clone();
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0usize);
            while Instant::now() < deadline {
                let t = Instant::now();
                match s.post("/en/cart/add", &[("product_id", &bulk), ("quantity", "1")], true).await {
                    Ok(r) if r.status() == 200 => lat.push(t.elapsed()),
                    _ => errors += 1,
                }
                // Keep the line under its 999 limit.
                if lat.len() % 500 == 499 {
                    let _ = place(&mut s).await;
                }
            }
            let _ = place(&mut s).await; // empty the cart for the next phase
            (s, lat, errors)
        }));
    }
    let (shoppers, lat, errors) = gather(tasks).await?;
    report("add to cart (htmx)", lat, secs as f64, errors);

    // 2. Place orders: each a one-item cart, then checkout (no payment).
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (i, mut s) in shoppers.into_iter().enumerate() {
        let bulk = bulk[i % bulk.len()].clone();
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0usize);
            while Instant::now() < deadline {
                if !matches!(s.post("/en/cart/add", &[("product_id", &bulk)], true).await, Ok(r) if r.status() == 200) {
                    errors += 1;
                    continue;
                }
                let t = Instant::now();
                match place(&mut s).await {
                    Ok(st) if st == reqwest::StatusCode::CREATED => lat.push(t.elapsed()),
                    _ => errors += 1,
                }
            }
            (s, lat, errors)
        }));
    }
    let (shoppers, lat, errors) = gather(tasks).await?;
    report("place order", lat, secs as f64, errors);

    // 3. Everyone races for the scarce product until it is gone.
    let mut tasks = Vec::new();
    for mut s in shoppers {
        let scarce = scarce.clone();
        tasks.push(tokio::spawn(async move {
            let (mut placed, mut refused, mut other) = (0usize, 0usize, 0usize);
            loop {
                match s.post("/en/cart/add", &[("product_id", &scarce)], true).await.map(|r| r.status().as_u16()) {
                    Ok(200) => {}
                    Ok(422) => break, // sold out: nothing left to add
                    _ => {
                        other += 1;
                        break;
                    }
                }
                match place(&mut s).await.map(|s| s.as_u16()) {
                    Ok(201) => placed += 1,
                    Ok(409) => {
                        refused += 1;
                        break;
                    }
                    _ => {
                        other += 1;
                        break;
                    }
                }
            }
            (placed, refused, other)
        }));
    }
    let (mut placed, mut refused, mut other) = (0, 0, 0);
    for t in tasks {
        let (p, r, o) = t.await?;
        placed += p;
        refused += r;
        other += o;
    }
    println!("\nscarce product: {placed} orders placed, {refused} told 'not enough stock', {other} other errors");
    println!("SCARCE_PLACED={placed}");
    Ok(())
}
