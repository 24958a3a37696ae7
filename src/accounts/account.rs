//! The account page and its notices, and signing out.

use super::models::{self};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "accounts/logout.html")]
pub struct LogoutPage {
    pub(super) ctx: Ctx,
}

/// GET shows a button: signing out changes state, so it is a CSRF-checked POST.
pub async fn logout_page(ctx: Ctx) -> Response {
    if ctx.user.is_none() {
        return Redirect::to(&ctx.href("/")).into_response();
    }
    LogoutPage { ctx }.into_response()
}

pub async fn logout(ctx: Ctx) -> AppResult<Redirect> {
    ctx.session.flush().await?;
    Ok(Redirect::to(&ctx.href("/")))
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub(super) ctx: Ctx,
    pub(super) user: models::UserRow,
    pub(super) roles: Vec<String>,
    pub(super) wallet: Option<String>,
    /// What happened to the account that its holder should know (shown once).
    pub(super) notices: Vec<String>,
}

impl AccountPage {
    fn member_since(&self) -> String {
        crate::i18n::calendar::long_date(self.user.created_at, self.ctx.lang, self.ctx.digits())
    }

    fn last_login(&self) -> Option<String> {
        self.user.last_login_at.map(|t| crate::i18n::calendar::long_date(t, self.ctx.lang, self.ctx.digits()))
    }

    fn role_name(&self, code: &str) -> String {
        self.ctx.t(&format!("role-{}", code.to_lowercase().replace('_', "-")))
    }

    fn phone(&self) -> Option<&str> {
        self.user.phone.as_deref()
    }
}

pub async fn account(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(current) = ctx.user.clone() else {
        return Ok(ctx.login_redirect());
    };
    let tenant = ctx.tenant.id;
    let (user, wallet, notices) = state
        .tx(tenant, async |c| {
            let user = models::find_active(c, tenant, current.id).await?;
            let wallet = crate::payments::wallet::balance(c, tenant, current.id).await?;
            let notices = models::take_notices(c, tenant, current.id).await?;
            Ok::<_, diesel::result::Error>((user, wallet, notices))
        })
        .await?;
    let user = user.ok_or(AppError::NotFound)?;
    let wallet = wallet.map(|w| ctx.money(&w));
    let notices = notices
        .into_iter()
        .map(|(kind, at)| {
            let when = ctx.date_time(at);
            ctx.t1(&format!("notice-{kind}"), "when", when)
        })
        .collect();
    Ok(AccountPage { ctx, user, roles: current.roles, wallet, notices }.into_response())
}
