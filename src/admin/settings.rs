//! The tenant's settings: how prices and digits show, the VAT rate, and the
//! Moodian memory id. Stored as rows of `settings` (audited by trigger).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::set_actor;
use crate::error::AppResult;
use crate::rbac;
use crate::schema::settings;
use crate::web::Ctx;

#[derive(serde::Deserialize, Default, Clone)]
pub struct SettingsForm {
    #[serde(default)]
    price_unit: String,
    #[serde(default)]
    ar_digits: String,
    #[serde(default)]
    vat_rate: String,
    #[serde(default)]
    memory_id: String,
}

const KEYS: [&str; 4] = ["display.price_unit", "display.ar_digits", "tax.vat_rate", "moodian.memory_id"];

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    ctx: Ctx,
    form: SettingsForm,
    errors: Vec<(&'static str, String)>,
    saved: bool,
}

impl SettingsPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(s): axum::extract::Query<super::Saved>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::SETTINGS_EDIT).await?;
    let tenant = staff.tenant;
    let rows: Vec<(String, serde_json::Value)> = state
        .tx(tenant, async |c| {
            settings::table
                .filter(settings::tenant_id.eq(tenant))
                .filter(settings::key.eq_any(KEYS))
                .select((settings::key, settings::value))
                .load(c)
                .await
        })
        .await?;
    let get = |k: &str| {
        rows.iter().find(|(key, _)| key == k).and_then(|(_, v)| v.as_str().map(str::to_owned)).unwrap_or_default()
    };
    let form = SettingsForm {
        price_unit: Some(get(KEYS[0])).filter(|s| !s.is_empty()).unwrap_or_else(|| "TOMAN".into()),
        ar_digits: Some(get(KEYS[1])).filter(|s| !s.is_empty()).unwrap_or_else(|| "arab".into()),
        vat_rate: Some(get(KEYS[2])).filter(|s| !s.is_empty()).unwrap_or_else(|| "10".into()),
        memory_id: get(KEYS[3]),
    };
    Ok(SettingsPage { ctx, form, errors: Vec::new(), saved: s.yes() }.into_response())
}

pub async fn save(State(state): State<AppState>, ctx: Ctx, Form(form): Form<SettingsForm>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::SETTINGS_EDIT).await?;
    let mut errors = Vec::new();
    if !matches!(form.price_unit.as_str(), "RIAL" | "TOMAN") {
        errors.push(("price_unit", ctx.t("settings-invalid-choice")));
    }
    if !matches!(form.ar_digits.as_str(), "arab" | "latn") {
        errors.push(("ar_digits", ctx.t("settings-invalid-choice")));
    }
    let vat = crate::text::ascii_digits(form.vat_rate.trim());
    let vat_ok = vat.parse::<rust_decimal::Decimal>().is_ok_and(|v| v >= 0.into() && v <= 100.into() && v.scale() <= 2);
    if !vat_ok {
        errors.push(("vat_rate", ctx.t("settings-vat-invalid")));
    }
    let memory = form.memory_id.trim().to_ascii_uppercase();
    if memory.len() != 6 || !memory.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        errors.push(("memory_id", ctx.t("settings-memory-invalid")));
    }
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, SettingsPage { ctx, form, errors, saved: false }).into_response());
    }
    let values = [form.price_unit.clone(), form.ar_digits.clone(), vat, memory];
    let tenant = staff.tenant;
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            set_actor(c, &actor).await?;
            for (key, value) in KEYS.iter().zip(values.iter()) {
                diesel::insert_into(settings::table)
                    .values((
                        settings::id.eq(Uuid::now_v7()),
                        settings::tenant_id.eq(tenant),
                        settings::key.eq(key),
                        settings::value.eq(serde_json::Value::String(value.clone())),
                    ))
                    .on_conflict((settings::tenant_id, settings::key))
                    .do_update()
                    .set((settings::value.eq(excluded(settings::value)), settings::updated_at.eq(diesel::dsl::now)))
                    .execute(c)
                    .await?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .await?;
    state.tenants.clear();
    Ok(super::saved_redirect(&ctx, "/admin/settings"))
}
