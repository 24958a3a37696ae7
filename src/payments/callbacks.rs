//! The three gateways' callbacks (and Mellat's hand-off page), each
//! reading its own wire format before `settle::finish`.

use super::settle::*;
use super::{gateway, mellat};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(rename = "Authority", default)]
    pub(super) authority: String,
    #[serde(rename = "Status", default)]
    pub(super) status: String,
}

/// The shopper is back from Zarinpal.
pub async fn zarinpal_callback(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let ok = q.status == "OK";
    finish(&state, &ctx, &gateway::zarinpal(&state), &q.authority, |_| q.authority.clone(), ok).await
}

/// What Saman posts back (among other fields we do not need).
#[derive(serde::Deserialize, Default)]
pub struct SamanCallback {
    #[serde(rename = "RefNum", default)]
    pub(super) ref_num: String,
    #[serde(rename = "State", default)]
    pub(super) state: String,
    #[serde(rename = "Token", default)]
    pub(super) token: String,
}

/// The shopper is back from Saman (a form POST from the gateway's page).
pub async fn saman_callback(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SamanCallback>,
) -> AppResult<Response> {
    let gw = gateway::saman(&state).ok_or(AppError::NotFound)?;
    let ok = f.state == "OK" && !f.ref_num.is_empty();
    finish(&state, &ctx, &gw, &f.token, |_| f.ref_num.clone(), ok).await
}

/// Our page between checkout and Mellat: the bank takes the RefId only as a
/// form POST, which app.js submits at once (the button does it without JavaScript).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "payments/mellat_go.html")]
pub struct MellatGo {
    pub(super) ctx: Ctx,
    pub(super) start_url: String,
    pub(super) ref_id: String,
}

#[derive(serde::Deserialize, Default)]
pub struct MellatGoQuery {
    #[serde(rename = "RefId", default)]
    pub(super) ref_id: String,
}

pub async fn mellat_go(State(state): State<AppState>, ctx: Ctx, Query(q): Query<MellatGoQuery>) -> AppResult<Response> {
    let gw = gateway::mellat(&state).ok_or(AppError::NotFound)?;
    if q.ref_id.is_empty() || !q.ref_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::BadRequest("error-bad-request"));
    }
    let start_url = gw.config.start_url.clone();
    let page = MellatGo { ctx, start_url: start_url.clone(), ref_id: q.ref_id }.into_response();
    Ok(crate::web::with_form_target(page, &start_url))
}

/// The shopper is back from Mellat (a form POST from the bank's page).
pub async fn mellat_callback(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(back): Form<mellat::MellatReturn>,
) -> AppResult<Response> {
    let gw = gateway::mellat(&state).ok_or(AppError::NotFound)?;
    let ok = back.res_code == "0" && !back.sale_reference_id.is_empty();
    // The order id sent to the bank is derived from our payment, never taken from the post.
    let sale_ref = back.sale_reference_id.clone();
    finish(&state, &ctx, &gw, &back.ref_id, |payment| format!("{}:{sale_ref}", mellat::order_id(payment)), ok).await
}
