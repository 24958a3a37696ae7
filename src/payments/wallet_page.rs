//! The wallet page: balance and ledger.

use super::wallet;
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::Ctx;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

pub struct LedgerLine {
    pub date: String,
    pub reference: String,
    pub amount: String,
    pub credit: bool,
    pub after: String,
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "payments/wallet.html")]
pub struct WalletPage {
    pub(super) ctx: Ctx,
    pub(super) balance: String,
    pub(super) lines: Vec<LedgerLine>,
}

/// The wallet: balance and its latest ledger lines.
pub async fn wallet_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    let (balance, rows) = state
        .tx(tenant, async |c| {
            let balance = wallet::balance(c, tenant, user).await?.unwrap_or_default();
            Ok::<_, diesel::result::Error>((balance, wallet::ledger(c, tenant, user).await?))
        })
        .await?;
    let lines = rows
        .iter()
        .map(|(amount, _, after, reference, at)| LedgerLine {
            date: ctx.date_time(*at),
            reference: ctx.digits().apply(reference),
            amount: ctx.money(&amount.abs()),
            credit: amount.is_sign_positive(),
            after: ctx.money(after),
        })
        .collect();
    Ok(WalletPage { balance: ctx.money(&balance), lines, ctx }.into_response())
}
