//! Account queries. Every function runs inside a tenant transaction and also
//! filters by tenant explicitly.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::schema::{account_notices, login_throttles, roles, user_role_assignments, users};

/// Failed passwords (per account and address) or codes (per account)
/// allowed before the lock, and how long it lasts.
pub const MAX_FAILED: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct LoginRow {
    pub id: Uuid,
    pub password_hash: String,
    pub is_active: bool,
    pub totp_enabled_at: Option<OffsetDateTime>,
}

pub async fn find_for_login(conn: &mut AsyncPgConnection, tenant: Uuid, email: &str) -> QueryResult<Option<LoginRow>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email.eq(email))
        .select(LoginRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Until when the password path of `email` is locked for the client address `ip`.
pub async fn throttle_lock(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    email: &str,
    ip: &str,
) -> QueryResult<Option<OffsetDateTime>> {
    login_throttles::table
        .filter(login_throttles::tenant_id.eq(tenant))
        .filter(login_throttles::email.eq(email))
        .filter(login_throttles::ip.eq(ip))
        .select(login_throttles::locked_until)
        .first::<Option<OffsetDateTime>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}

/// Counts a failed password for (`email`, `ip`) atomically, known account or
/// not (the answer must not tell which); returns the lock's end when this
/// failure locked that address out of that account.
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    email: &str,
    ip: &str,
) -> QueryResult<Option<OffsetDateTime>> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
        locked_until: Option<OffsetDateTime>,
    }
    use diesel::sql_types::{Integer, Text, Uuid as SqlUuid};
    let row: Locked = diesel::sql_query(
        "INSERT INTO login_throttles AS t (tenant_id, email, ip, failed_attempts, locked_until)
        VALUES ($1, $2, $3, 1, NULL)
        ON CONFLICT (tenant_id, email, ip) DO UPDATE SET
            failed_attempts = CASE WHEN t.failed_attempts + 1 >= $4 THEN 0 ELSE t.failed_attempts + 1 END,
            locked_until = CASE WHEN t.failed_attempts + 1 >= $4 THEN now() + make_interval(mins => $5) ELSE t.locked_until END,
            updated_at = now()
        RETURNING CASE WHEN failed_attempts = 0 THEN locked_until END AS locked_until",
    )
    .bind::<SqlUuid, _>(tenant)
    .bind::<Text, _>(email)
    .bind::<Text, _>(ip)
    .bind::<Integer, _>(MAX_FAILED)
    .bind::<Integer, _>(LOCK_MINUTES as i32)
    .get_result(conn)
    .await?;
    Ok(row.locked_until)
}

/// A correct sign-in: this address's failures on this account are forgotten.
pub async fn record_success(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    email: &str,
    ip: &str,
) -> QueryResult<()> {
    diesel::delete(
        login_throttles::table
            .filter(login_throttles::tenant_id.eq(tenant))
            .filter(login_throttles::email.eq(email))
            .filter(login_throttles::ip.eq(ip)),
    )
    .execute(conn)
    .await?;
    diesel::update(users::table.filter(users::tenant_id.eq(tenant)).filter(users::id.eq(user)))
        .set((users::totp_failed_attempts.eq(0), users::last_login_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await
        .map(drop)
}

/// Until when the account's code step is locked (too many wrong codes).
pub async fn code_lock(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<Option<OffsetDateTime>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq(user))
        .select(users::totp_locked_until)
        .first(conn)
        .await
}

/// Counts a wrong second-factor code against the account, across logins and
/// addresses; the [`MAX_FAILED`]th locks the code step for [`LOCK_MINUTES`]
/// and leaves the account holder a notice. Returns the lock's end when this
/// code locked it.
pub async fn record_code_failure(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
) -> QueryResult<Option<OffsetDateTime>> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
        totp_locked_until: Option<OffsetDateTime>,
    }
    use diesel::sql_types::{Integer, Uuid as SqlUuid};
    let row: Locked = diesel::sql_query(
        "UPDATE users SET
            totp_failed_attempts = CASE WHEN totp_failed_attempts + 1 >= $3 THEN 0 ELSE totp_failed_attempts + 1 END,
            totp_locked_until = CASE WHEN totp_failed_attempts + 1 >= $3
                THEN now() + make_interval(mins => $4) ELSE totp_locked_until END
        WHERE tenant_id = $1 AND id = $2
        RETURNING CASE WHEN totp_failed_attempts = 0 THEN totp_locked_until END AS totp_locked_until",
    )
    .bind::<SqlUuid, _>(tenant)
    .bind::<SqlUuid, _>(user)
    .bind::<Integer, _>(MAX_FAILED)
    .bind::<Integer, _>(LOCK_MINUTES as i32)
    .get_result(conn)
    .await?;
    if row.totp_locked_until.is_some() {
        add_notice(conn, tenant, user, NOTICE_CODE_LOCKED).await?;
    }
    Ok(row.totp_locked_until)
}

/// The notice left when wrong codes locked the code step.
pub const NOTICE_CODE_LOCKED: &str = "code-locked";

pub async fn add_notice(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid, kind: &str) -> QueryResult<()> {
    diesel::insert_into(account_notices::table)
        .values((
            account_notices::id.eq(Uuid::now_v7()),
            account_notices::tenant_id.eq(tenant),
            account_notices::user_id.eq(user),
            account_notices::kind.eq(kind),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The account holder's notices not yet shown, oldest first (kind, when);
/// reading them marks them seen.
pub async fn take_notices(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
) -> QueryResult<Vec<(String, OffsetDateTime)>> {
    let mut rows: Vec<(String, OffsetDateTime)> = diesel::update(
        account_notices::table
            .filter(account_notices::tenant_id.eq(tenant))
            .filter(account_notices::user_id.eq(user))
            .filter(account_notices::seen_at.is_null()),
    )
    .set(account_notices::seen_at.eq(diesel::dsl::now))
    .returning((account_notices::kind, account_notices::created_at))
    .get_results(conn)
    .await?;
    rows.sort_by_key(|r| r.1);
    Ok(rows)
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub is_active: bool,
    pub created_at: OffsetDateTime,
    pub last_login_at: Option<OffsetDateTime>,
    pub totp_enabled_at: Option<OffsetDateTime>,
}

pub async fn find_active(conn: &mut AsyncPgConnection, tenant: Uuid, id: Uuid) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq(id))
        .filter(users::is_active)
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub password_hash: &'a str,
    pub lang: &'a str,
}

/// Inserts a user with the given roles. A taken e-mail or phone comes back as
/// the database's unique violation, for the form to show beside the field.
pub async fn create_user(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    new: &NewUser<'_>,
    role_codes: &[&str],
) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::tenant_id.eq(tenant),
            users::email.eq(new.email),
            users::email_skeleton.eq(super::identity::email_skeleton(new.email)),
            users::full_name.eq(new.full_name),
            users::phone.eq(new.phone),
            users::password_hash.eq(new.password_hash),
            users::preferred_lang.eq(new.lang),
        ))
        .execute(conn)
        .await?;
    let role_ids: Vec<Uuid> = roles::table.filter(roles::code.eq_any(role_codes)).select(roles::id).load(conn).await?;
    let rows: Vec<_> = role_ids
        .into_iter()
        .map(|role| {
            (
                user_role_assignments::id.eq(Uuid::now_v7()),
                user_role_assignments::tenant_id.eq(tenant),
                user_role_assignments::user_id.eq(id),
                user_role_assignments::role_id.eq(role),
            )
        })
        .collect();
    diesel::insert_into(user_role_assignments::table).values(&rows).execute(conn).await?;
    Ok(id)
}

/// Sets a new password for `email` (already hashed): failed sign-ins and a
/// locked code step forgotten, every session of the account ended. False
/// when there is no such account.
pub async fn reset_password(conn: &mut AsyncPgConnection, tenant: Uuid, email: &str, hash: &str) -> QueryResult<bool> {
    let id: Option<Uuid> =
        diesel::update(users::table.filter(users::tenant_id.eq(tenant)).filter(users::email.eq(email)))
            .set((
                users::password_hash.eq(hash),
                users::totp_failed_attempts.eq(0),
                users::totp_locked_until.eq(None::<OffsetDateTime>),
                users::updated_at.eq(diesel::dsl::now),
            ))
            .returning(users::id)
            .get_result(conn)
            .await
            .optional()?;
    let Some(id) = id else { return Ok(false) };
    diesel::delete(
        login_throttles::table.filter(login_throttles::tenant_id.eq(tenant)).filter(login_throttles::email.eq(email)),
    )
    .execute(conn)
    .await?;
    diesel::sql_query("DELETE FROM sessions WHERE data ->> 'uid' = $1")
        .bind::<diesel::sql_types::Text, _>(id.to_string())
        .execute(conn)
        .await?;
    Ok(true)
}

/// Whether another account's address looks like `email` (the same confusable
/// skeleton, and one of the two is not plain ASCII). Two ASCII addresses are
/// told apart by everyone, so they never clash here (`modern@` and `modem@`
/// share a skeleton).
pub async fn lookalike_exists(conn: &mut AsyncPgConnection, tenant: Uuid, email: &str) -> QueryResult<bool> {
    let skeleton = super::identity::email_skeleton(email);
    let candidates: Vec<String> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email_skeleton.eq(&skeleton))
        .filter(users::email.ne(email))
        .select(users::email)
        .load(conn)
        .await?;
    Ok(candidates.iter().any(|other| !other.is_ascii() || !email.is_ascii()))
}

/// The user's TOTP secret (pending or confirmed), when it was confirmed, and the last step used.
pub type TotpState = (Option<String>, Option<OffsetDateTime>, Option<i64>);

/// The user's TOTP state, its secret opened with `secrets` (it is stored
/// sealed, `crate::secrets`). A secret that cannot be opened (the key was
/// changed without keeping the old one) is logged and treated as none.
pub async fn totp_state(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    secrets: &crate::secrets::SecretBox,
) -> QueryResult<TotpState> {
    let (stored, enabled, last): (Option<String>, Option<OffsetDateTime>, Option<i64>) = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq(user))
        .select((users::totp_secret, users::totp_enabled_at, users::totp_last_step))
        .first(conn)
        .await?;
    let secret = stored.and_then(|s| match secrets.open(&s, &user.to_string()) {
        Ok(plain) => Some(plain),
        Err(e) => {
            tracing::error!(%user, error = %e, "a TOTP secret cannot be opened: is BAZAAR_SECRET_KEY the key it was sealed with?");
            None
        }
    });
    Ok((secret, enabled, last))
}

/// Keeps a new secret, sealed, while the user enrols (never replaces a confirmed one).
pub async fn set_pending_totp(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    secret: &str,
    secrets: &crate::secrets::SecretBox,
) -> QueryResult<()> {
    diesel::update(
        users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::id.eq(user))
            .filter(users::totp_enabled_at.is_null()),
    )
    .set(users::totp_secret.eq(secrets.seal(secret, &user.to_string())))
    .execute(conn)
    .await
    .map(drop)
}

/// Seals every TOTP secret of `tenant` that is not sealed with the current
/// key (stored before encryption, or under an old key); returns how many.
pub async fn reseal_totp_secrets(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    secrets: &crate::secrets::SecretBox,
) -> anyhow::Result<usize> {
    let rows: Vec<(Uuid, String)> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::totp_secret.is_not_null())
        .select((users::id, users::totp_secret.assume_not_null()))
        .load(conn)
        .await?;
    let mut changed = 0;
    for (id, stored) in rows.into_iter().filter(|(_, s)| !secrets.is_current(s)) {
        let plain = secrets.open(&stored, &id.to_string()).map_err(|e| anyhow::anyhow!("user {id}: {e}"))?;
        diesel::update(users::table.filter(users::tenant_id.eq(tenant)).filter(users::id.eq(id)))
            .set(users::totp_secret.eq(secrets.seal(&plain, &id.to_string())))
            .execute(conn)
            .await?;
        changed += 1;
    }
    Ok(changed)
}

/// Confirms enrolment at `step` and replaces the recovery codes; false when it was already confirmed.
pub async fn enable_totp(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    step: i64,
    recovery_hashes: &[String],
) -> QueryResult<bool> {
    use crate::schema::user_recovery_codes as rc;
    let changed = diesel::update(
        users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::id.eq(user))
            .filter(users::totp_enabled_at.is_null()),
    )
    .set((users::totp_enabled_at.eq(diesel::dsl::now), users::totp_last_step.eq(step)))
    .execute(conn)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::delete(rc::table.filter(rc::tenant_id.eq(tenant)).filter(rc::user_id.eq(user))).execute(conn).await?;
    let rows: Vec<_> = recovery_hashes
        .iter()
        .map(|h| (rc::id.eq(Uuid::now_v7()), rc::tenant_id.eq(tenant), rc::user_id.eq(user), rc::code_hash.eq(h)))
        .collect();
    diesel::insert_into(rc::table).values(&rows).execute(conn).await?;
    Ok(true)
}

/// Records `step` as used; false when it (or a later one) already was: a replay.
pub async fn accept_totp_step(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid, step: i64) -> QueryResult<bool> {
    let n = diesel::update(
        users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::id.eq(user))
            .filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step))),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// Spends a recovery code; false when it is unknown or spent.
pub async fn use_recovery_code(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    hash: &str,
) -> QueryResult<bool> {
    use crate::schema::user_recovery_codes as rc;
    let n = diesel::update(
        rc::table
            .filter(rc::tenant_id.eq(tenant))
            .filter(rc::user_id.eq(user))
            .filter(rc::code_hash.eq(hash))
            .filter(rc::used_at.is_null()),
    )
    .set(rc::used_at.eq(diesel::dsl::now))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

pub async fn recovery_codes_left(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<i64> {
    use crate::schema::user_recovery_codes as rc;
    rc::table
        .filter(rc::tenant_id.eq(tenant))
        .filter(rc::user_id.eq(user))
        .filter(rc::used_at.is_null())
        .count()
        .get_result(conn)
        .await
}
