//! Two-factor sign-in: enrolment (QR code, first code, recovery codes shown
//! once) and the code step of logging in.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::login::{NextParam, safe_next, sign_in};
use super::{models, totp};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

/// Session key: a user who gave the right password and owes a code.
const SESSION_PENDING: &str = "pending_2fa";

#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    user: Uuid,
    tenant: Uuid,
    next: String,
    /// The address signed in with (its password failures are cleared on success).
    #[serde(default)]
    email: String,
}

/// What a second-factor code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    Wrong,
    /// Too many wrong codes for this account: the code step is locked.
    Locked,
}

/// Checks a code (an authenticator's or a recovery code) for `user`. Wrong
/// codes count against the account across logins and addresses
/// (`models::record_code_failure`); while the account's code step is locked,
/// nothing is checked. The count is committed even though the answer is "wrong".
pub(super) async fn check_code(state: &AppState, tenant: Uuid, user: Uuid, code: &str) -> AppResult<CodeCheck> {
    let code = code.trim().to_owned();
    let now = time::OffsetDateTime::now_utc();
    let check = state
        .tx(tenant, async |c| {
            if models::code_lock(c, tenant, user).await?.is_some_and(|until| until > now) {
                return Ok(CodeCheck::Locked);
            }
            let (secret, enabled, last) = models::totp_state(c, tenant, user, &state.config.secrets).await?;
            let Some(secret) = secret.filter(|_| enabled.is_some()) else { return Ok(CodeCheck::Wrong) };
            let accepted = if let Some(step) = totp::check(&secret, &code, unix_now(), last) {
                models::accept_totp_step(c, tenant, user, step).await?
            } else if code.chars().filter(char::is_ascii_alphanumeric).count() == 10 {
                models::use_recovery_code(c, tenant, user, &totp::recovery_hash(&code)).await?
            } else {
                false
            };
            if accepted {
                return Ok(CodeCheck::Accepted);
            }
            let locked_now = models::record_code_failure(c, tenant, user).await?;
            Ok::<_, diesel::result::Error>(if locked_now.is_some() { CodeCheck::Locked } else { CodeCheck::Wrong })
        })
        .await?;
    Ok(check)
}

fn unix_now() -> u64 {
    time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64
}

pub(super) async fn begin_login(ctx: &Ctx, user: Uuid, email: String, next: String) -> AppResult<()> {
    ctx.session.cycle_id().await?;
    ctx.session.insert(SESSION_PENDING, Pending { user, tenant: ctx.tenant.id, next, email }).await?;
    Ok(())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/login_2fa.html")]
pub struct CodePage {
    ctx: Ctx,
    error: Option<String>,
}

pub async fn login_page(ctx: Ctx) -> AppResult<Response> {
    if ctx.session.get::<Pending>(SESSION_PENDING).await?.is_none() {
        return Ok(Redirect::to(&ctx.href("/login")).into_response());
    }
    Ok(CodePage { ctx, error: None }.into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn login(State(state): State<AppState>, ctx: Ctx, Form(form): Form<CodeForm>) -> AppResult<Response> {
    let Some(pending) = ctx.session.get::<Pending>(SESSION_PENDING).await? else {
        return Ok(Redirect::to(&ctx.href("/login")).into_response());
    };
    let tenant = ctx.tenant.id;
    if pending.tenant != tenant {
        return Err(AppError::NotFound);
    }
    let user = pending.user;
    match check_code(&state, tenant, user, &form.code).await? {
        CodeCheck::Accepted => {}
        CodeCheck::Wrong => {
            let error = Some(ctx.t("twofa-code-wrong"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, CodePage { ctx, error }).into_response());
        }
        CodeCheck::Locked => {
            // The same words as a locked password; the password is asked again afterwards.
            ctx.session.remove::<Pending>(SESSION_PENDING).await?;
            let error = Some(ctx.t("login-locked"));
            return Ok((StatusCode::TOO_MANY_REQUESTS, CodePage { ctx, error }).into_response());
        }
    }
    ctx.session.remove::<Pending>(SESSION_PENDING).await?;
    {
        let ip = ctx.ip.clone().unwrap_or_default();
        state.tx(tenant, async |c| models::record_success(c, tenant, user, &pending.email, &ip).await).await?;
    }
    sign_in(&state, &ctx, user).await?;
    let next = if pending.next.is_empty() { safe_next(&ctx, &form.next) } else { pending.next };
    let to = if next.is_empty() { ctx.href("/account") } else { next };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/two_factor.html")]
pub struct SetupPage {
    ctx: Ctx,
    enabled: bool,
    secret: String,
    qr: String,
    next: String,
    codes_left: i64,
    error: Option<String>,
    /// Shown once, right after enrolment.
    recovery_codes: Vec<String>,
}

impl SetupPage {
    /// The secret in groups of four, easier to type by hand.
    fn secret_groups(&self) -> String {
        self.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }
}

pub async fn setup_page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<NextParam>) -> AppResult<Response> {
    let Some(user) = ctx.user.clone() else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    let (secret, enabled, codes_left) = state
        .tx(tenant, async |c| {
            let (secret, enabled, _) = models::totp_state(c, tenant, user.id, &state.config.secrets).await?;
            let secret = match (secret, enabled) {
                (Some(s), Some(_)) => s,
                // A new secret on each visit until confirmed: one shown and not confirmed is never reused.
                _ => {
                    let s = totp::new_secret();
                    models::set_pending_totp(c, tenant, user.id, &s, &state.config.secrets).await?;
                    s
                }
            };
            let left = models::recovery_codes_left(c, tenant, user.id).await?;
            Ok::<_, diesel::result::Error>((secret, enabled.is_some(), left))
        })
        .await?;
    let next = safe_next(&ctx, &q.next);
    let page = setup_view(ctx, &user.email, if enabled { String::new() } else { secret }, enabled, next, codes_left);
    Ok(page.into_response())
}

fn setup_view(ctx: Ctx, email: &str, secret: String, enabled: bool, next: String, codes_left: i64) -> SetupPage {
    let qr = if secret.is_empty() {
        String::new()
    } else {
        totp::otpauth_url(&secret, email, ctx.site_name()).map(|u| crate::web::qr::svg(&u)).unwrap_or_default()
    };
    SetupPage { ctx, enabled, secret, qr, next, codes_left, error: None, recovery_codes: Vec::new() }
}

pub async fn confirm(State(state): State<AppState>, ctx: Ctx, Form(form): Form<CodeForm>) -> AppResult<Response> {
    let Some(user) = ctx.user.clone() else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let actor = ctx.actor();
    let (ok, secret) = state
        .tx(tenant, async |c| {
            crate::db::set_actor(c, &actor).await?;
            let (secret, enabled, _) = models::totp_state(c, tenant, user.id, &state.config.secrets).await?;
            let Some(secret) = secret.filter(|_| enabled.is_none()) else { return Ok((false, None)) };
            let Some(step) = totp::check(&secret, &form.code, unix_now(), None) else {
                return Ok((false, Some(secret)));
            };
            let ok = models::enable_totp(c, tenant, user.id, step, &hashes).await?;
            Ok::<_, diesel::result::Error>((ok, Some(secret)))
        })
        .await?;
    let next = safe_next(&ctx, &form.next);
    if !ok {
        let Some(secret) = secret else { return Ok(Redirect::to(&ctx.href("/account/2fa")).into_response()) };
        let mut page = setup_view(ctx, &user.email, secret, false, next, 0);
        page.error = Some(page.ctx.t("twofa-code-wrong"));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state.users.remove(&(tenant, user.id));
    let mut page = setup_view(ctx, &user.email, String::new(), true, next, codes.len() as i64);
    page.recovery_codes = codes;
    Ok(page.into_response())
}
