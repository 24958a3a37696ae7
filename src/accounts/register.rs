//! Registering: the form, its checks beside each field, and the new account.

use super::login::*;
use super::models::{self, NewUser};
use super::password;
use crate::app::AppState;
use crate::db::tenant_tx;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub(super) ctx: Ctx,
    pub(super) form: RegisterForm,
    pub(super) errors: FieldErrors,
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

pub(super) fn validate(ctx: &Ctx, form: &RegisterForm, production: bool) -> FieldErrors {
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
