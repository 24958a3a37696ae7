//! Staff open a shop for an existing user (`vendors.verify`): verified at
//! once, the user gets the vendor portal. (A user can also apply themselves,
//! at `/{lang}/sell`, into the verification queue.)

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::db::set_actor;
use crate::error::AppResult;
use crate::rbac;
use crate::seller::shop::{self, ShopErrors, ShopForm};
use crate::web::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "admin/vendor_new.html")]
pub struct NewVendorPage {
    ctx: Ctx,
    form: ShopForm,
    errors: ShopErrors,
}

impl NewVendorPage {
    fn err(&self, key: &Option<&'static str>) -> Option<String> {
        key.map(|k| self.ctx.t(k))
    }
}

pub async fn page(ctx: Ctx) -> AppResult<Response> {
    rbac::staff(&ctx, rbac::VENDORS_VERIFY).await?;
    let form = ShopForm { commission_rate: "10".into(), ..ShopForm::default() };
    Ok(NewVendorPage { ctx, form, errors: ShopErrors::default() }.into_response())
}

enum Opened {
    Done,
    Refused(ShopErrors),
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, Form(form): Form<ShopForm>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::VENDORS_VERIFY).await?;
    let (mut errors, rate) = shop::validate(&form, true);
    let tenant = staff.tenant;
    let actor = ctx.actor();
    let mut opened_for = None;
    if !errors.any() {
        let outcome = state
            .tx(tenant, async |c| {
                set_actor(c, &actor).await?;
                let mut errors = ShopErrors::default();
                let Some(user) = shop::user_by_email(c, tenant, &form.email).await? else {
                    errors.email = Some("shop-user-unknown");
                    return Ok((Opened::Refused(errors), None));
                };
                if shop::of_user(c, tenant, user).await?.is_some() {
                    errors.email = Some("shop-user-has-shop");
                    return Ok((Opened::Refused(errors), None));
                }
                match shop::open(c, tenant, user, &form, "VERIFIED", rate).await? {
                    Some(_) => Ok((Opened::Done, Some(user))),
                    None => {
                        errors.slug = Some("shop-slug-taken");
                        Ok::<_, diesel::result::Error>((Opened::Refused(errors), None))
                    }
                }
            })
            .await?;
        match outcome {
            (Opened::Done, user) => opened_for = user,
            (Opened::Refused(e), _) => errors = e,
        }
    }
    if let Some(user) = opened_for {
        state.users.remove(&(tenant, user));
        let to = format!("{}?status=VERIFIED&saved=1", ctx.href("/admin/vendors"));
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, NewVendorPage { ctx, form, errors }).into_response())
}
