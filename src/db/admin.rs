//! Cluster-level set-up done with an administrator connection: the app's role
//! and database. Used by the private cluster and by the test harness.

use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl as _};

/// The role the application connects as: owns its tables but is neither a
/// superuser nor BYPASSRLS, so FORCE ROW LEVEL SECURITY applies to it.
pub const APP_ROLE: &str = "bazaar";

/// Quotes an identifier for SQL (names here are our own constants or
/// generated, but quoting keeps any of them safe).
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

pub async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    Ok(AsyncPgConnection::establish(url).await?)
}

/// Creates the app role if missing (a password only for TCP set-ups).
pub async fn ensure_app_role(admin: &mut AsyncPgConnection, password: Option<&str>) -> anyhow::Result<()> {
    let exists = exists(admin, &format!("SELECT 1 FROM pg_roles WHERE rolname = {}", literal(APP_ROLE))).await?;
    if !exists {
        let pw = password.map(|p| format!(" PASSWORD {}", literal(p))).unwrap_or_default();
        diesel::sql_query(format!(
            "CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB{pw}",
            ident(APP_ROLE)
        ))
        .execute(admin)
        .await?;
    }
    Ok(())
}

/// Creates `db` owned by the app role, UTF-8, unless it exists. Returns whether it was created.
pub async fn ensure_database(admin: &mut AsyncPgConnection, db: &str, template: Option<&str>) -> anyhow::Result<bool> {
    if database_exists(admin, db).await? {
        return Ok(false);
    }
    let template = template.map(ident).unwrap_or_else(|| "template0".into());
    diesel::sql_query(format!(
        "CREATE DATABASE {} OWNER {} TEMPLATE {template} ENCODING 'UTF8'",
        ident(db),
        ident(APP_ROLE)
    ))
    .execute(admin)
    .await?;
    Ok(true)
}

pub async fn database_exists(admin: &mut AsyncPgConnection, db: &str) -> anyhow::Result<bool> {
    exists(admin, &format!("SELECT 1 FROM pg_database WHERE datname = {}", literal(db))).await
}

pub async fn drop_database(admin: &mut AsyncPgConnection, db: &str) -> anyhow::Result<()> {
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", ident(db))).execute(admin).await?;
    Ok(())
}

/// Names of databases starting with `prefix` (for clearing out old test databases).
pub async fn databases_with_prefix(admin: &mut AsyncPgConnection, prefix: &str) -> anyhow::Result<Vec<String>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let like = format!("{}%", prefix.replace('_', "\\_"));
    let rows: Vec<Row> =
        diesel::sql_query(format!("SELECT datname FROM pg_database WHERE datname LIKE {}", literal(&like)))
            .load(admin)
            .await?;
    Ok(rows.into_iter().map(|r| r.datname).collect())
}

async fn exists(conn: &mut AsyncPgConnection, sql: &str) -> anyhow::Result<bool> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[expect(dead_code, reason = "only the row's presence matters")]
        one: i32,
    }
    let rows: Vec<Row> = diesel::sql_query(format!("SELECT 1 AS one FROM ({sql}) q")).load(conn).await?;
    Ok(!rows.is_empty())
}

/// The operators storefront search uses under row-level security. PostgreSQL
/// applies a query's own conditions after the tenant policy unless their
/// functions are LEAKPROOF, and then cannot use an index for them: a search
/// would read every row of the tenant. Neither function can reveal anything
/// about rows it is not given (no data-dependent errors), so we mark them.
const SEARCH_OPERATORS: [&str; 2] =
    ["pg_catalog.ts_match_vq(tsvector, tsquery)", "pg_catalog.arraycontains(anyarray, anyarray)"];

/// Marks the search operators LEAKPROOF in the database `superuser` is connected to (superuser only).
pub async fn allow_indexed_search_under_rls(superuser: &mut AsyncPgConnection) -> anyhow::Result<()> {
    for f in SEARCH_OPERATORS {
        diesel::sql_query(format!("ALTER FUNCTION {f} LEAKPROOF")).execute(superuser).await?;
    }
    Ok(())
}

/// Whether the search operators are LEAKPROOF here (else search still works, but slowly).
pub async fn search_is_indexed_under_rls(conn: &mut AsyncPgConnection) -> anyhow::Result<bool> {
    let sql = "SELECT 1 FROM pg_proc WHERE proname IN ('ts_match_vq', 'arraycontains') AND NOT proleakproof";
    Ok(!exists(conn, sql).await?)
}
