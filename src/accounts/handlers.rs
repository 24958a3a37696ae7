use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use super::current_user::SESSION_USER;
use super::models::{self, NewUser};
use super::password;
use crate::app::AppState;
use crate::db::tenant_tx;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

#[derive(serde::Deserialize, Default)]
pub struct NextParam {
    #[serde(default)]
    pub next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    ctx: Ctx,
    email: String,
    next: String,
    error: Option<String>,
    /// The password path is locked for this address: the form also asks for
    /// an authenticator code, with which a correct password still gets in.
    locked: bool,
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
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    /// An authenticator code given with the password (only asked for while
    /// this address is locked out of the account).
    #[serde(default)]
    code: String,
}

enum Outcome {
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
        let mut conn = state.db().await?;
        tenant_tx(&mut conn, tenant, async |c| {
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
            let mut conn = state.db().await?;
            let locked_now =
                tenant_tx(&mut conn, tenant, async |c| models::record_failure(c, tenant, &email, &ip).await).await?;
            if locked_now.is_some() { Outcome::Locked } else { Outcome::Wrong }
        }
    };

    match outcome {
        Outcome::SignedIn(id) => {
            {
                let mut conn = state.db().await?;
                tenant_tx(&mut conn, tenant, async |c| models::record_success(c, tenant, id, &email, &ip).await)
                    .await?;
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
    let count = {
        let mut conn = state.db().await?;
        tenant_tx(&mut conn, tenant, async |c| crate::cart::models::adopt_guest_cart(c, tenant, guest, user).await)
            .await?
    };
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

#[derive(Template, WebTemplate)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    ctx: Ctx,
    form: RegisterForm,
    errors: FieldErrors,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

/// Messages shown beside each field.
#[derive(Default)]
pub struct FieldErrors {
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: Option<String>,
    pub password_confirm: Option<String>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.full_name.is_some()
            || self.email.is_some()
            || self.phone.is_some()
            || self.password.is_some()
            || self.password_confirm.is_some()
    }
}

pub async fn register_page(ctx: Ctx) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&ctx.href("/account")).into_response();
    }
    RegisterPage { ctx, form: RegisterForm::default(), errors: FieldErrors::default() }.into_response()
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(mut form): Form<RegisterForm>,
) -> AppResult<Response> {
    form.email = super::identity::normalize_email(&form.email);
    form.full_name = crate::text::clean_name(&form.full_name);
    form.phone = form.phone.trim().to_owned();
    let mut errors = validate(&ctx, &form, state.config.production);
    let phone = crate::text::iranian_mobile_e164(&form.phone);
    if errors.any() {
        form.password.clear();
        form.password_confirm.clear();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, RegisterPage { ctx, form, errors }).into_response());
    }
    let hash = password::hash_async(form.password.clone()).await.map_err(|e| AppError::Internal(e.to_string()))?;
    let tenant = ctx.tenant.id;
    let mut conn = state.db().await?;
    let new = NewUser {
        email: &form.email,
        full_name: &form.full_name,
        phone: phone.as_deref(),
        password_hash: &hash,
        lang: ctx.lang.code(),
    };
    let created = tenant_tx(&mut conn, tenant, async |c| {
        // An address that only looks like an existing account's (a Cyrillic
        // «а» in `admin@…`) would let its holder pass for that account.
        if models::lookalike_exists(c, tenant, new.email).await? {
            return Ok(None);
        }
        models::create_user(c, tenant, &new, &["CUSTOMER"]).await.map(Some)
    })
    .await;
    drop(conn);
    match created {
        Ok(Some(id)) => {
            sign_in(&state, &ctx, id).await?;
            Ok(Redirect::to(&ctx.href("/account")).into_response())
        }
        Ok(None) => {
            errors.email = Some(ctx.t("register-email-lookalike"));
            form.password.clear();
            form.password_confirm.clear();
            Ok((StatusCode::CONFLICT, RegisterPage { ctx, form, errors }).into_response())
        }
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, info)) => {
            if info.constraint_name().is_some_and(|c| c.contains("phone")) {
                errors.phone = Some(ctx.t("register-phone-taken"));
            } else {
                errors.email = Some(ctx.t("register-email-taken"));
            }
            form.password.clear();
            form.password_confirm.clear();
            Ok((StatusCode::CONFLICT, RegisterPage { ctx, form, errors }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn validate(ctx: &Ctx, form: &RegisterForm, production: bool) -> FieldErrors {
    let mut e = FieldErrors::default();
    if form.full_name.chars().count() > 120 {
        e.full_name = Some(ctx.t("register-name-too-long"));
    }
    let email_ok = form.email.len() <= 254
        && form.email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !form.email.contains(char::is_whitespace);
    if !email_ok {
        e.email = Some(ctx.t("register-email-invalid"));
    }
    if !form.phone.is_empty() && crate::text::iranian_mobile_e164(&form.phone).is_none() {
        e.phone = Some(ctx.t("register-phone-invalid"));
    }
    if let Some(key) = password::refusal(&form.password, production) {
        e.password = Some(ctx.t(key));
    }
    if form.password != form.password_confirm {
        e.password_confirm = Some(ctx.t("register-password-mismatch"));
    }
    e
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/logout.html")]
pub struct LogoutPage {
    ctx: Ctx,
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
    ctx: Ctx,
    user: models::UserRow,
    roles: Vec<String>,
    wallet: Option<String>,
    /// What happened to the account that its holder should know (shown once).
    notices: Vec<String>,
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
    let mut conn = state.db().await?;
    let (user, wallet, notices) = tenant_tx(&mut conn, tenant, async |c| {
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
