//! Wallets: a balance per user and a ledger line (amount, before, after,
//! reference) for every change, written in the caller's transaction so a
//! wallet payment and the order's status change commit together.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::schema::{wallet_transactions, wallets};

pub async fn balance(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<Option<Decimal>> {
    wallets::table
        .filter(wallets::tenant_id.eq(tenant))
        .filter(wallets::user_id.eq(user))
        .select(wallets::balance)
        .first(conn)
        .await
        .optional()
}

/// The user's wallet, locked, created empty when missing: (id, balance).
async fn lock(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<(Uuid, Decimal)> {
    diesel::insert_into(wallets::table)
        .values((wallets::id.eq(Uuid::now_v7()), wallets::tenant_id.eq(tenant), wallets::user_id.eq(user)))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    wallets::table
        .filter(wallets::tenant_id.eq(tenant))
        .filter(wallets::user_id.eq(user))
        .select((wallets::id, wallets::balance))
        .for_update()
        .first(conn)
        .await
}

async fn apply(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    wallet: Uuid,
    before: Decimal,
    amount: Decimal,
    reference: &str,
) -> QueryResult<Decimal> {
    let after = before + amount;
    diesel::update(wallets::table.filter(wallets::id.eq(wallet)))
        .set((wallets::balance.eq(after), wallets::updated_at.eq(OffsetDateTime::now_utc())))
        .execute(conn)
        .await?;
    diesel::insert_into(wallet_transactions::table)
        .values((
            wallet_transactions::id.eq(Uuid::now_v7()),
            wallet_transactions::tenant_id.eq(tenant),
            wallet_transactions::wallet_id.eq(wallet),
            wallet_transactions::amount.eq(amount),
            wallet_transactions::balance_before.eq(before),
            wallet_transactions::balance_after.eq(after),
            wallet_transactions::reference.eq(reference),
        ))
        .execute(conn)
        .await?;
    Ok(after)
}

/// Adds `amount` (a refund or a top-up); returns the new balance.
pub async fn credit(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    amount: Decimal,
    reference: &str,
) -> QueryResult<Decimal> {
    let (wallet, before) = lock(conn, tenant, user).await?;
    apply(conn, tenant, wallet, before, amount, reference).await
}

/// Takes `amount` if the balance covers it; None (and nothing written) if not.
pub async fn debit(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    amount: Decimal,
    reference: &str,
) -> QueryResult<Option<Decimal>> {
    let (wallet, before) = lock(conn, tenant, user).await?;
    if before < amount {
        return Ok(None);
    }
    apply(conn, tenant, wallet, before, -amount, reference).await.map(Some)
}

/// (amount, before, after, reference, when) of the user's latest ledger lines.
pub async fn ledger(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
) -> QueryResult<Vec<(Decimal, Decimal, Decimal, String, OffsetDateTime)>> {
    wallet_transactions::table
        .inner_join(wallets::table)
        .filter(wallets::tenant_id.eq(tenant))
        .filter(wallets::user_id.eq(user))
        .order(wallet_transactions::created_at.desc())
        .limit(50)
        .select((
            wallet_transactions::amount,
            wallet_transactions::balance_before,
            wallet_transactions::balance_after,
            wallet_transactions::reference,
            wallet_transactions::created_at,
        ))
        .load(conn)
        .await
}
