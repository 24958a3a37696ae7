//! Connection pool, migrations, and the tenant-scoped transaction every query runs in.

pub mod admin;
pub mod embedded;
pub mod session_store;

use diesel::QueryResult;
use diesel::sql_types::Text;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, embed_migrations};
use uuid::Uuid;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

/// How long a request waits for a free connection before it is answered 503,
/// and how long opening a new connection may take.
pub const POOL_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Builds the pool. `Fast` recycling skips the `SELECT 1` on every checkout
/// (measured: a third of the throughput of a small page); a dead connection
/// surfaces as an error on its first query instead.
///
/// A request never waits for a connection longer than [`POOL_WAIT`]: a
/// database that is down or swamped gives 503s, not requests that hang. No
/// code path may take a second connection while it holds one (the session
/// store included): enough such requests at once would each hold one and wait
/// for another.
pub fn pool(url: &str, size: usize) -> anyhow::Result<DbPool> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Ok(Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(POOL_WAIT))
        .create_timeout(Some(POOL_WAIT))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}

/// Runs pending embedded migrations on a blocking thread (the harness blocks).
pub async fn migrate(url: &str) -> anyhow::Result<usize> {
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_migrations::MigrationHarness as _;
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url)?;
        let applied = conn.run_pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(applied.len())
    })
    .await?
}

diesel::define_sql_function! {
    /// `set_config(name, value, is_local)`: with is_local the value ends with the transaction.
    fn set_config(name: Text, value: Text, is_local: diesel::sql_types::Bool) -> Text;
}

/// Makes the current transaction act for `tenant`: row-level security policies
/// compare every row's tenant_id with this setting.
pub async fn set_tenant(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<()> {
    diesel::select(set_config("app.tenant_id", tenant.to_string(), true)).execute(conn).await.map(drop)
}

/// Who is acting, for the audit log: the audit triggers read these settings.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user: Option<Uuid>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Names the acting user, their address and browser for the rest of the
/// current transaction (the audit triggers in migration 5 record them).
/// Values are bound parameters, never spliced into SQL.
pub async fn set_actor(conn: &mut AsyncPgConnection, actor: &Actor) -> QueryResult<()> {
    let user = actor.user.map(|u| u.to_string()).unwrap_or_default();
    let ip = actor.ip.clone().filter(|ip| ip.parse::<std::net::IpAddr>().is_ok()).unwrap_or_default();
    let agent: String = actor.user_agent.as_deref().unwrap_or_default().chars().take(400).collect();
    diesel::select((
        set_config("app.user_id", user, true),
        set_config("app.ip", ip, true),
        set_config("app.user_agent", agent, true),
    ))
    .execute(conn)
    .await
    .map(drop)
}

/// Turns the audit triggers off for the rest of the transaction: only for
/// bulk generation of demo catalogues, where a million audit rows say nothing.
pub async fn audit_off(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::select(set_config("app.audit", "off".to_owned(), true)).execute(conn).await.map(drop)
}

/// Runs `f` in one transaction scoped to `tenant`: it commits when `f` returns
/// Ok and rolls back otherwise, so an action writes everything or nothing.
///
/// `BEGIN` and the tenant setting travel in one round trip (a simple-query
/// batch; the id is a formatted UUID, so nothing can be injected). diesel-async's
/// transaction manager still tracks the transaction, so a connection dropped
/// mid-transaction is thrown away by the pool, never reused.
pub async fn tenant_tx<T, E, F>(conn: &mut AsyncPgConnection, tenant: Uuid, f: F) -> Result<T, E>
where
    for<'c> F: AsyncFnOnce(&'c mut AsyncPgConnection) -> Result<T, E>
        + TxFn<&'c mut AsyncPgConnection, Result<T, E>, Fut: Send>
        + Send,
    E: From<diesel::result::Error> + Send,
    T: Send,
{
    run_tx(conn, tenant, Setup::Plain, f).await
}

/// How PostgreSQL plans the prepared statements of a [`tenant_read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plans {
    /// PostgreSQL's own choice between a custom and a generic plan.
    Chosen,
    /// Planned once per connection (`plan_cache_mode = force_generic_plan`).
    /// Left to choose, PostgreSQL plans some statements anew on every call
    /// though the plan never changes, and the planning can cost more than the
    /// run. Only for statements whose generic plan was checked to be good.
    Generic,
}

/// Runs the reads in `f` for `tenant` in one read-only transaction, in fewer
/// round trips than [`tenant_tx`]: `BEGIN` and the tenant go out together with
/// `f`'s first statement, and `COMMIT` goes out after `f` without being waited
/// for. A storefront page is one statement, so this takes it from three round
/// trips to one.
///
/// Why it is safe (tokio-postgres runs requests in the order they are first
/// polled, and a request is sent on its first poll):
/// - `BEGIN` is polled once before `f` starts, so it is ahead of anything `f` sends,
///   prepared or not;
/// - `COMMIT` is sent when the guard drops: after `f` has had all its answers, or,
///   if the read is cancelled, ahead of anything the connection's next user
///   sends, so a connection never goes back to the pool inside the transaction;
/// - the transaction is `READ ONLY`, so there is nothing for a `COMMIT` nobody
///   waits for to fail on; a write in `f` is an error in `f`.
pub async fn tenant_read<T, E, F>(conn: &mut AsyncPgConnection, tenant: Uuid, plans: Plans, f: F) -> Result<T, E>
where
    for<'c> F: AsyncFnOnce(&'c AsyncPgConnection) -> Result<T, E>
        + TxFn<&'c AsyncPgConnection, Result<T, E>, Fut: Send>
        + Send,
    E: From<diesel::result::Error> + Send,
    T: Send,
{
    use diesel_async::SimpleAsyncConnection as _;
    let conn: &AsyncPgConnection = conn;
    let mut begin_sql = format!("BEGIN READ ONLY; SET LOCAL app.tenant_id = '{}'", tenant.hyphenated());
    if plans == Plans::Generic {
        begin_sql.push_str("; SET LOCAL plan_cache_mode = force_generic_plan");
    }
    let mut sender = conn;
    let mut begin = std::pin::pin!(sender.batch_execute(&begin_sql));
    let first_poll = std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx))).await;
    let _commit = CommitOnDrop(conn);
    let began = async {
        match first_poll {
            std::task::Poll::Ready(done) => done,
            std::task::Poll::Pending => begin.await,
        }
    };
    let (began, result) = futures_util::future::join(began, f(conn)).await;
    began?;
    result
}

/// Ends a [`tenant_read`]'s transaction when dropped, whether the read finished
/// or was cancelled: sends `COMMIT` (polled once, so it is on the connection's
/// queue) and does not wait for the answer, which the connection discards.
struct CommitOnDrop<'a>(&'a AsyncPgConnection);

impl Drop for CommitOnDrop<'_> {
    fn drop(&mut self) {
        use diesel_async::SimpleAsyncConnection as _;
        let mut conn = self.0;
        let commit = std::pin::pin!(conn.batch_execute("COMMIT"));
        let _ = commit.poll(&mut std::task::Context::from_waker(std::task::Waker::noop()));
    }
}

/// [`tenant_tx`] that first names who acts ([`set_actor`]), for actions the
/// audit log records with their author.
pub async fn tenant_tx_as<T, E, F>(conn: &mut AsyncPgConnection, tenant: Uuid, actor: &Actor, f: F) -> Result<T, E>
where
    for<'c> F: AsyncFnOnce(&'c mut AsyncPgConnection) -> Result<T, E>
        + TxFn<&'c mut AsyncPgConnection, Result<T, E>, Fut: Send>
        + Send,
    E: From<diesel::result::Error> + Send,
    T: Send,
{
    run_tx(conn, tenant, Setup::Actor(actor), f).await
}

/// What a transaction sets up after `BEGIN` and the tenant.
enum Setup<'a> {
    Plain,
    Actor(&'a Actor),
}

async fn run_tx<T, E, F>(conn: &mut AsyncPgConnection, tenant: Uuid, setup: Setup<'_>, f: F) -> Result<T, E>
where
    for<'c> F: AsyncFnOnce(&'c mut AsyncPgConnection) -> Result<T, E>
        + TxFn<&'c mut AsyncPgConnection, Result<T, E>, Fut: Send>
        + Send,
    E: From<diesel::result::Error> + Send,
    T: Send,
{
    use diesel_async::{AnsiTransactionManager, TransactionManager};
    // SET LOCAL rather than SELECT set_config(): a utility statement, so no
    // planning, no executor and no result row on every transaction.
    let begin = format!("BEGIN; SET LOCAL app.tenant_id = '{}'", tenant.hyphenated());
    AnsiTransactionManager::begin_transaction_sql(conn, &begin).await?;
    let result = match setup {
        Setup::Actor(a) => match set_actor(conn, a).await {
            Ok(()) => f(conn).await,
            Err(e) => Err(e.into()),
        },
        Setup::Plain => f(conn).await,
    };
    match result {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(value)
        }
        Err(e) => match AnsiTransactionManager::rollback_transaction(conn).await {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Names the future of an async closure so a bound can ask it to be `Send`
/// (the trick diesel-async uses for `transaction`, which it keeps private).
pub trait TxFn<A, R>: AsyncFnOnce(A) -> R + FnOnce(A) -> <Self as TxFn<A, R>>::Fut {
    type Fut: Future<Output = R>;
}

impl<F, A, Fut, R> TxFn<A, R> for F
where
    F: AsyncFnOnce(A) -> R + FnOnce(A) -> Fut,
    Fut: Future<Output = R>,
{
    type Fut = Fut;
}

/// True when the role we connect as ignores row-level security (a superuser or
/// BYPASSRLS), so the second wall would be down.
pub async fn role_bypasses_rls(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        bypass: bool,
    }
    let row: Row =
        diesel::sql_query("SELECT (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user")
            .get_result(conn)
            .await?;
    Ok(row.bypass)
}
