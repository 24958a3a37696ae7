//! The operator's commands: add a shop and its first administrator, reset a
//! password. A live shop starts empty (production never loads the demo
//! data), so these are how it gets its tenant and its first SUPER_ADMIN.
//! Passwords are read from the terminal without echo, or from standard input
//! when it is not a terminal (a script), never from the command line, where
//! every user of the machine could read them in the process list.

use std::io::{BufRead as _, IsTerminal as _};

use diesel::QueryDsl as _;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::config::Config;
use crate::db::{self, admin};
use crate::tenant::NewTenant;

/// The roles `user create` may give.
pub const ROLES: [&str; 6] = ["SUPER_ADMIN", "ADMIN", "VENDOR", "DEALER", "EXECUTOR", "CUSTOMER"];

async fn connect(config: &Config) -> anyhow::Result<(crate::server::Database, AsyncPgConnection)> {
    let database = crate::server::database(config).await?;
    db::migrate(&database.url).await?;
    let conn = admin::connect(&database.url).await?;
    Ok((database, conn))
}

/// `bazaar tenant create --name … --domain … [--slug …]`
pub async fn create_tenant(config: Config, new: NewTenant) -> anyhow::Result<()> {
    let (database, mut conn) = connect(&config).await?;
    let mut new = new;
    if new.slug.is_empty() {
        new.slug = new.domain.split('.').next().unwrap_or_default().to_ascii_lowercase();
    }
    let created = crate::tenant::create(&mut conn, &new).await?;
    drop(conn);
    stop(database).await;
    match created {
        Ok(id) => {
            println!("shop {} added ({id}) on {}", new.slug, new.domain.trim().to_ascii_lowercase());
            println!("next: bazaar user create --tenant {} --email you@example.com --role SUPER_ADMIN", new.slug);
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!(
            "{}",
            [e.slug, e.name, e.domain]
                .into_iter()
                .flatten()
                .map(|k| crate::i18n::t(crate::i18n::Lang::En, k))
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }
}

/// Runs `f` with a connection and the shop named `tenant` (its slug or a
/// domain), then stops the private cluster if this command started it.
async fn in_shop<T>(
    config: &Config,
    tenant: &str,
    f: impl for<'c> AsyncFnOnce(&'c mut AsyncPgConnection, Uuid) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let (database, mut conn) = connect(config).await?;
    let result = match crate::tenant::find(&mut conn, tenant).await {
        Ok(Some(id)) => f(&mut conn, id).await,
        Ok(None) => Err(anyhow::anyhow!("no shop {tenant}")),
        Err(e) => Err(e.into()),
    };
    drop(conn);
    stop(database).await;
    result
}

/// `bazaar user create --tenant … --email … --role …`: the password comes
/// from the terminal (asked twice) or from the first line of standard input.
pub async fn create_user(config: Config, tenant: &str, email: &str, role: &str, name: &str) -> anyhow::Result<()> {
    let role = role.to_ascii_uppercase();
    anyhow::ensure!(ROLES.contains(&role.as_str()), "--role must be one of {}", ROLES.join(", "));
    let email = crate::accounts::identity::normalize_email(email);
    anyhow::ensure!(email.contains('@') && email.len() <= 254, "--email is not an e-mail address");
    let hash = crate::accounts::password::hash_async(read_password(&config)?).await?;
    let name = crate::text::clean_name(name);
    let new = crate::accounts::models::NewUser {
        email: &email,
        full_name: &name,
        phone: None,
        password_hash: &hash,
        lang: "fa",
    };
    let id = in_shop(&config, tenant, async |conn, tenant| {
        let created = db::tenant_tx(conn, tenant, async |c| {
            crate::accounts::models::create_user(c, tenant, &new, &[role.as_str()]).await
        })
        .await;
        match created {
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Err(anyhow::anyhow!("{email} already has an account in this shop (reset its password instead)"))
            }
            other => Ok(other?),
        }
    })
    .await?;
    println!("{role} {email} added ({id}); it signs in at /fa/login");
    if matches!(role.as_str(), "SUPER_ADMIN" | "ADMIN") {
        println!("staff are asked to turn on two-step sign-in before the back-office opens");
    }
    Ok(())
}

/// `bazaar user reset-password --tenant … --email …`: a new password (read as
/// for `user create`), failed sign-ins forgotten, every session signed out.
pub async fn reset_password(config: Config, tenant: &str, email: &str) -> anyhow::Result<()> {
    let email = crate::accounts::identity::normalize_email(email);
    let hash = crate::accounts::password::hash_async(read_password(&config)?).await?;
    in_shop(&config, tenant, async |conn, tenant| {
        let changed = db::tenant_tx(conn, tenant, async |c| {
            crate::accounts::models::reset_password(c, tenant, &email, &hash).await
        })
        .await?;
        anyhow::ensure!(changed, "no account {email} in this shop");
        Ok(())
    })
    .await?;
    println!("password of {email} changed; its sessions are signed out");
    Ok(())
}

/// The password for a command: from the terminal, asked twice without echo;
/// else the first line of standard input. Checked as registration checks it.
fn read_password(config: &Config) -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Again: ")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    let production = config.env == crate::config::Environment::Production;
    if let Some(key) = crate::accounts::password::refusal(&password, production) {
        anyhow::bail!("{}", crate::i18n::t(crate::i18n::Lang::En, key));
    }
    Ok(password)
}

async fn stop(mut database: crate::server::Database) {
    if let Some(mut cluster) = database.cluster.take() {
        let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
    }
}

/// True when no shop exists yet (a production start prints what to do).
pub async fn no_tenants(conn: &mut AsyncPgConnection) -> anyhow::Result<bool> {
    let n: i64 = crate::schema::tenants::table.count().get_result(conn).await?;
    Ok(n == 0)
}

/// The words a first production start prints.
pub const FIRST_RUN: &str = "no shop yet. Add one and its first administrator, then open its domain:\n  \
bazaar tenant create --name \"My Shop\" --domain shop.example\n  \
bazaar user create --tenant shop --email you@example.com --role SUPER_ADMIN   (asks for the password)";
