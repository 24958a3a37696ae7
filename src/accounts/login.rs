//! Signing in: the form, the password check with lockout, the session cycled
//! on the handler's own connection, and where to go next.

use super::current_user::SESSION_USER;
use super::models::{self};
use super::password;
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

#[derive(serde::Deserialize, Default)]
pub struct NextParam {
    #[serde(default)]
    pub next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub(super) ctx: Ctx,
    pub(super) email: String,
    pub(super) next: String,
    pub(super) error: Option<String>,
    /// The password path is locked for this address: the form also asks for
    /// an authenticator code, with which a correct password still gets in.
    pub(super) locked: bool,
}

pub async fn login_page(ctx: Ctx, Query(q): Query<NextParam>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&ctx.href("/account")).into_response();
    }
    let next = safe_next(&ctx, &q.next);
    LoginPage { ctx, email: String::new(), next, error: None, locked: false }.into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) next: String,
    /// An authenticator code given with the password (only asked for while
    /// this address is locked out of the account).
    #[serde(default)]
    pub(super) code: String,
}

pub(super) enum Outcome {
    SignedIn(uuid::Uuid),
    /// Password right; the authenticator code comes next.
    SecondFactor(uuid::Uuid),
    Wrong,
    Locked,
    /// Staff locked the account (said whatever the password).
    Disabled,
}

/// Signing in. Wrong passwords are counted per account *and address*
/// (`models::record_failure`): five from one address lock that address out
/// of that account for a while, and nobody else, so a stranger cannot keep
/// the account holder (a staff member) out. While locked, a correct password
/// with a correct authenticator code still gets in. Every answer that is not
/// a success says nothing about whether the password was right.
pub async fn login(State(state): State<AppState>, ctx: Ctx, Form(form): Form<LoginForm>) -> AppResult<Response> {
    let email = super::identity::normalize_email(&form.email);
    let tenant = ctx.tenant.id;
    let ip = ctx.ip.clone().unwrap_or_default();
    let now = OffsetDateTime::now_utc();

    let (user, locked) = {
        state
            .tx(tenant, async |c| {
                let user = models::find_for_login(c, tenant, &email).await?;
                let locked = models::throttle_lock(c, tenant, &email, &ip).await?;
                Ok::<_, diesel::result::Error>((user, locked))
            })
            .await?
    };
    let locked = locked.is_some_and(|until| until > now);
    let password_ok = password::verify_async(form.password.clone(), user.as_ref().map(|u| u.password_hash.clone())).await
            // A live shop never takes a demo account's published password.
            && !(state.config.production && password::is_demo_password(&form.password));

    let outcome = match &user {
        Some(u) if !u.is_active => Outcome::Disabled,
        _ if locked => match &user {
            Some(u) if password_ok && u.totp_enabled_at.is_some() && !form.code.trim().is_empty() => {
                match super::two_factor::check_code(&state, tenant, u.id, &form.code).await? {
                    super::two_factor::CodeCheck::Accepted => Outcome::SignedIn(u.id),
                    _ => Outcome::Locked,
                }
            }
            _ => Outcome::Locked,
        },
        Some(u) if password_ok && u.totp_enabled_at.is_some() => Outcome::SecondFactor(u.id),
        Some(u) if password_ok => Outcome::SignedIn(u.id),
        _ => {
            let locked_now = state.tx(tenant, async |c| models::record_failure(c, tenant, &email, &ip).await).await?;
            if locked_now.is_some() { Outcome::Locked } else { Outcome::Wrong }
        }
    };

    match outcome {
        Outcome::SignedIn(id) => {
            {
                state.tx(tenant, async |c| models::record_success(c, tenant, id, &email, &ip).await).await?;
            }
            // Signing in cycles the session id, which deletes the old session
            // through the session store's own connection: none is held here.
            sign_in(&state, &ctx, id).await?;
            let next = safe_next(&ctx, &form.next);
            let to = if next.is_empty() { ctx.href("/account") } else { next };
            Ok(Redirect::to(&to).into_response())
        }
        Outcome::SecondFactor(id) => {
            let next = safe_next(&ctx, &form.next);
            super::two_factor::begin_login(&ctx, id, email, next).await?;
            Ok(Redirect::to(&ctx.href("/login/2fa")).into_response())
        }
        Outcome::Wrong | Outcome::Locked | Outcome::Disabled => {
            let (status, key) = match outcome {
                Outcome::Locked => (StatusCode::TOO_MANY_REQUESTS, "login-locked"),
                Outcome::Disabled => (StatusCode::FORBIDDEN, "login-disabled"),
                _ => (StatusCode::UNPROCESSABLE_ENTITY, "login-invalid"),
            };
            let locked = matches!(outcome, Outcome::Locked);
            let error = Some(ctx.t(key));
            let next = safe_next(&ctx, &form.next);
            Ok((status, LoginPage { ctx, email, next, error, locked }).into_response())
        }
    }
}

/// Starts the user's session: a new session id (a planted cookie is worth
/// nothing), and the guest cart joined to the user's.
///
/// The caller must hold no pooled connection: cycling the id deletes the old
/// session through the store, which takes a connection of its own, and this
/// takes one for the cart. Holding one while waiting for another is how a
/// burst of sign-ins as large as the pool once froze the site.
pub(super) async fn sign_in(state: &AppState, ctx: &Ctx, user: uuid::Uuid) -> AppResult<()> {
    let tenant = ctx.tenant.id;
    let guest = crate::cart::session::guest_cart(&ctx.session).await;
    ctx.session.cycle_id().await?;
    let count =
        { state.tx(tenant, async |c| crate::cart::models::adopt_guest_cart(c, tenant, guest, user).await).await? };
    ctx.session.remove::<uuid::Uuid>(crate::cart::session::SESSION_CART).await?;
    ctx.session.insert(SESSION_USER, user).await?;
    crate::cart::session::set_session_count(&ctx.session, tenant, count).await?;
    Ok(())
}

/// Only local paths in this site survive as a post-login target (no open redirect).
pub(super) fn safe_next(ctx: &Ctx, next: &str) -> String {
    let ok = next.starts_with(&format!("/{}/", ctx.lang.code()))
        && !next.starts_with("//")
        && !next.contains("\\")
        && !next.contains("://")
        && !next.chars().any(char::is_control)
        && next.len() < 512;
    if ok { next.to_owned() } else { String::new() }
}
