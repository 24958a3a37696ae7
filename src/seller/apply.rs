//! `/{lang}/sell`: a signed-in user applies to sell. The shop waits in the
//! vendor verification queue (PENDING); meanwhile its owner has the vendor
//! portal, told on its dashboard that staff have yet to verify it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::shop::{self, ShopErrors, ShopForm};
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::AppResult;
use crate::web::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "seller/apply.html")]
pub struct ApplyPage {
    ctx: Ctx,
    form: ShopForm,
    errors: ShopErrors,
}

impl ApplyPage {
    fn err(&self, key: &Option<&'static str>) -> Option<String> {
        key.map(|k| self.ctx.t(k))
    }
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(user) = ctx.user.clone() else { return Ok(ctx.login_redirect()) };
    let tenant = ctx.tenant.id;
    if state.tx(tenant, async |c| shop::of_user(c, tenant, user.id).await).await?.is_some() {
        return Ok(Redirect::to(&ctx.href("/vendor")).into_response());
    }
    Ok(ApplyPage { ctx, form: ShopForm::default(), errors: ShopErrors::default() }.into_response())
}

pub async fn apply(State(state): State<AppState>, ctx: Ctx, Form(mut form): Form<ShopForm>) -> AppResult<Response> {
    let Some(user) = ctx.user.clone() else { return Ok(ctx.login_redirect()) };
    // An applicant names the shop; its short id, commission and owner are not theirs to choose.
    form.slug.clear();
    form.email.clear();
    form.commission_rate.clear();
    let (errors, rate) = shop::validate(&form, false);
    if errors.any() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, ApplyPage { ctx, form, errors }).into_response());
    }
    let tenant = ctx.tenant.id;
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            if shop::of_user(c, tenant, user.id).await?.is_none() {
                shop::open(c, tenant, user.id, &form, "PENDING", rate).await?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .await?;
    // The new role shows at once (the user is otherwise read again within seconds).
    state.users.remove(&(tenant, user.id));
    Ok(Redirect::to(&ctx.href("/vendor")).into_response())
}
