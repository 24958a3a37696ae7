//! Configuration from the environment and flags, built once and passed down.

pub mod gateways;
pub mod web;

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Parser, Debug, Clone)]
#[command(name = "bazaar", version, about = "Bazaar: a multi-vendor marketplace in fa, ar and en")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(clap::Args, Debug, Clone)]
pub struct Config {
    /// PostgreSQL to use; without it Bazaar runs a private cluster in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "BAZAAR_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,
    /// Folder for the private database and other state.
    #[arg(long, env = "BAZAAR_DATA_DIR", default_value = "./var", global = true)]
    pub data_dir: PathBuf,
    /// Public origin for canonical links (e.g. https://shop.example); https also marks cookies Secure.
    #[arg(long, env = "BAZAAR_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Seconds a search result page is kept in memory (0 turns the cache off).
    #[arg(long, env = "BAZAAR_SEARCH_CACHE_SECS", default_value_t = 60, global = true)]
    pub search_cache_secs: u64,
    /// Database connections in the pool (default: four per CPU core).
    #[arg(long, env = "BAZAAR_DB_POOL", default_value_t = default_pool(), global = true)]
    pub db_pool: usize,
    /// `development` mounts the payment-gateway and tax-authority sandboxes and
    /// points the clients at them; `production` needs the real URLs below.
    #[arg(long, env = "BAZAAR_ENV", default_value = "development", global = true)]
    pub env: Environment,
    /// Zarinpal API base (production: https://payment.zarinpal.com).
    #[arg(long, env = "BAZAAR_ZARINPAL_URL", global = true)]
    pub zarinpal_url: Option<String>,
    /// Zarinpal merchant id (36-character UUID).
    #[arg(long, env = "BAZAAR_ZARINPAL_MERCHANT", global = true, hide_env_values = true)]
    pub zarinpal_merchant: Option<String>,
    /// Saman (SEP) base, e.g. https://sep.shaparak.ir; with a terminal id, Saman is offered at checkout.
    #[arg(long, env = "BAZAAR_SAMAN_URL", global = true)]
    pub saman_url: Option<String>,
    /// Saman terminal id.
    #[arg(long, env = "BAZAAR_SAMAN_TERMINAL", global = true, hide_env_values = true)]
    pub saman_terminal: Option<String>,
    /// Mellat terminal id; with the user and password below, Mellat is offered at checkout.
    #[arg(long, env = "BAZAAR_MELLAT_TERMINAL", global = true, hide_env_values = true)]
    pub mellat_terminal: Option<String>,
    #[arg(long, env = "BAZAAR_MELLAT_USER", global = true, hide_env_values = true)]
    pub mellat_user: Option<String>,
    #[arg(long, env = "BAZAAR_MELLAT_PASSWORD", global = true, hide_env_values = true)]
    pub mellat_password: Option<String>,
    /// Moodian API base (production: https://tp.tax.gov.ir/requestsmanager/api/v2).
    #[arg(long, env = "BAZAAR_MOODIAN_URL", global = true)]
    pub moodian_url: Option<String>,
    /// The taxpayer's private key for Moodian (PEM file, PKCS#8 or PKCS#1).
    #[arg(long, env = "BAZAAR_MOODIAN_KEY", global = true)]
    pub moodian_key: Option<std::path::PathBuf>,
    /// The certificate the tax organisation issued for that key (PEM file).
    #[arg(long, env = "BAZAAR_MOODIAN_CERT", global = true)]
    pub moodian_cert: Option<std::path::PathBuf>,
    /// Minutes an unpaid order holds its stock before it is cancelled.
    #[arg(long, env = "BAZAAR_RESERVATION_MINUTES", default_value_t = 30, global = true)]
    pub reservation_minutes: u32,
    /// S3 bucket for uploaded images (MinIO or any S3-compatible store); without
    /// it images are kept under the data folder. Credentials: AWS_ACCESS_KEY_ID
    /// and AWS_SECRET_ACCESS_KEY.
    #[arg(long, env = "BAZAAR_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,
    /// The S3 endpoint, e.g. http://127.0.0.1:9000 for MinIO.
    #[arg(long, env = "BAZAAR_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,
    #[arg(long, env = "BAZAAR_S3_REGION", default_value = "us-east-1", global = true)]
    pub s3_region: String,
    /// Reverse proxies (addresses or networks, comma-separated) whose
    /// X-Forwarded-For header names the client; from anyone else it is ignored.
    #[arg(long, env = "BAZAAR_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,
    /// Rate limits per client address on sign-in, registration, codes, search,
    /// add-to-cart and payment callbacks (turn off only for load tests).
    #[arg(long, env = "BAZAAR_RATE_LIMITS", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub rate_limits: bool,
    /// Connections open at once (default: what the open-file limit allows,
    /// less a margin); more wait in the kernel's queue.
    #[arg(long, env = "BAZAAR_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<usize>,
    /// The key that seals secrets stored in the database (base64 of 32 random
    /// bytes; `bazaar secrets new-key` makes one). Required in production; in
    /// development one is made and kept in the data folder.
    #[arg(long, env = "BAZAAR_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Earlier keys, comma-separated: read, never written (for a rotation).
    #[arg(long, env = "BAZAAR_OLD_SECRET_KEYS", default_value = "", global = true, hide_env_values = true)]
    pub old_secret_keys: String,
    /// Run the job worker inside `serve` (turn off when `bazaar worker` runs separately).
    #[arg(long, env = "BAZAAR_WORKER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub worker: bool,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum TenantAction {
    /// Add a shop with its first domain.
    Create {
        /// The shop's name (Latin letters; --name-fa and --name-ar for the others).
        #[arg(long)]
        name: String,
        /// The host name it answers on, e.g. shop.example (more in the back-office).
        #[arg(long)]
        domain: String,
        /// Short id (a–z, 0–9, -); default: the domain's first label.
        #[arg(long, default_value = "")]
        slug: String,
        #[arg(long, default_value = "")]
        name_fa: String,
        #[arg(long, default_value = "")]
        name_ar: String,
    },
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum UserAction {
    /// Add an account with one role; the password is asked for (never an argument).
    Create {
        /// The shop: its slug or one of its domains.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        /// SUPER_ADMIN, ADMIN, VENDOR, DEALER, EXECUTOR or CUSTOMER.
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Set a new password (asked for), forget failed sign-ins, end every session.
    ResetPassword {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
    },
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum SecretsAction {
    /// Print a new random key (base64), for BAZAAR_SECRET_KEY.
    NewKey,
    /// Reseal every secret with BAZAAR_SECRET_KEY, reading old ones with BAZAAR_OLD_SECRET_KEYS.
    Rotate,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Run the job worker only (queued jobs: reservations, tax invoices).
    Worker,
    /// Load the demo data set (once; a second run changes nothing).
    Seed,
    /// Shops: `tenant create --name … --domain …` adds one.
    Tenant {
        #[command(subcommand)]
        action: TenantAction,
    },
    /// Accounts: `user create` (e.g. a shop's first SUPER_ADMIN) and
    /// `user reset-password`; the password is read from the terminal or stdin.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Secrets kept in the database (TOTP secrets): `new-key` prints a key
    /// for BAZAAR_SECRET_KEY, `rotate` reseals every secret with the current key.
    Secrets {
        #[command(subcommand)]
        action: SecretsAction,
    },
    /// Fill a second tenant with generated products, for load tests.
    DemoData {
        /// How many products to generate.
        #[arg(long, default_value_t = 10_000)]
        products: u64,
        /// Slug of the tenant to fill (created if missing).
        #[arg(long, default_value = "demo")]
        tenant: String,
        /// Host name the tenant answers on.
        #[arg(long, default_value = "demo.localhost")]
        domain: String,
    },
}

/// Four connections per core: more only queue inside PostgreSQL, where they
/// compete for the same cores (on 2 cores, 16 instead of 8 connections took
/// uncached search from p99 30 ms to 60 ms at 32 concurrent requests).
fn default_pool() -> usize {
    4 * std::thread::available_parallelism().map(usize::from).unwrap_or(2)
}
