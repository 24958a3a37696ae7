//! The checkout page: address, shipping, discount code, totals, and placing
//! the order. The page carries an idempotency key, so a double click or a
//! retried POST places one order.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::address::{self, AddressErrors, AddressInput, PROVINCES};
use super::models::{self, CheckoutError, Choice, PlaceError, PlaceOrder, Quote, SavedAddress, ShippingMethod};
use crate::app::AppState;
use crate::cart::models as cart;
use crate::db::{tenant_tx, tenant_tx_as};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::Ctx;

pub struct SummaryLine {
    pub name: String,
    pub quantity: String,
    pub total: String,
}

pub struct ShipView {
    pub code: String,
    pub name: String,
    pub cost: String,
    pub days: String,
    pub checked: bool,
}

pub struct AddressView {
    pub id: String,
    pub label: String,
    pub checked: bool,
}

pub struct TotalsView {
    pub subtotal: String,
    pub discount: Option<String>,
    pub shipping: String,
    pub tax: String,
    pub total: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "orders/checkout.html")]
pub struct CheckoutPage {
    ctx: Ctx,
    key: Uuid,
    lines: Vec<SummaryLine>,
    addresses: Vec<AddressView>,
    new_address: bool,
    input: AddressInput,
    errors: FieldMessages,
    provinces: Vec<(&'static str, &'static str, bool)>,
    shipping: Vec<ShipView>,
    discount_code: String,
    discount_ok: bool,
    totals: Option<TotalsView>,
    save_address: bool,
    reserve_note: String,
}

/// Messages beside fields, already translated.
#[derive(Default)]
pub struct FieldMessages {
    pub full_name: Option<String>,
    pub mobile: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub postal_warning: bool,
    pub shipping: Option<String>,
    pub discount: Option<String>,
    pub form: Option<String>,
}

impl FieldMessages {
    fn from_address(ctx: &Ctx, e: &AddressErrors) -> Self {
        let t = |k: Option<&'static str>| k.map(|k| ctx.t(k));
        Self {
            full_name: t(e.full_name),
            mobile: t(e.mobile),
            province: t(e.province),
            city: t(e.city),
            street: t(e.street),
            postal_code: t(e.postal_code),
            postal_warning: e.postal_warning,
            ..Default::default()
        }
    }

    fn any(&self) -> bool {
        self.full_name.is_some()
            || self.mobile.is_some()
            || self.province.is_some()
            || self.city.is_some()
            || self.street.is_some()
            || self.postal_code.is_some()
            || self.postal_warning
            || self.shipping.is_some()
            || self.discount.is_some()
            || self.form.is_some()
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CheckoutForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    address_id: String,
    #[serde(flatten)]
    address: AddressInput,
    #[serde(default)]
    save_address: Option<String>,
    #[serde(default)]
    shipping: String,
    #[serde(default)]
    discount_code: String,
    #[serde(default)]
    action: String,
}

/// Everything the page shows, read and quoted in one transaction.
struct Loaded {
    lines: Vec<cart::CartLine>,
    addresses: Vec<SavedAddress>,
    methods: Vec<ShippingMethod>,
    /// The totals, or why there are none.
    quoted: Result<Quote, CheckoutError>,
    /// The discount code was refused (the totals above are without it).
    refused_code: Option<CheckoutError>,
}

/// Reads the cart, the saved addresses and the shipping methods and quotes
/// the form's choices, in one transaction. Without a form (the first visit)
/// the first method and saved address are chosen.
async fn load(
    state: &AppState,
    ctx: &Ctx,
    user: Uuid,
    form: Option<CheckoutForm>,
) -> AppResult<(Loaded, CheckoutForm)> {
    let tenant = ctx.tenant.id;
    let currency = ctx.tenant.display.currency;
    let loaded = state
        .tx(tenant, async |c| {
            let lines = match cart::find(c, tenant, Some(user), None).await? {
                Some(id) => cart::lines(c, tenant, id).await?,
                None => Vec::new(),
            };
            let addresses = models::saved_addresses(c, tenant, user).await?;
            let methods = models::shipping_methods(c, tenant).await?;
            let form = form.unwrap_or_else(|| CheckoutForm {
                shipping: methods.first().map(|m| m.code.clone()).unwrap_or_default(),
                address_id: addresses.first().map(|a| a.id.to_string()).unwrap_or_default(),
                save_address: Some("1".into()),
                ..Default::default()
            });
            let saved = addresses.iter().find(|a| a.id.to_string() == form.address_id);
            let province = saved.map(|a| a.province.clone()).unwrap_or_else(|| form.address.province.clone());
            let choice =
                Choice { shipping_code: form.shipping.clone(), province, discount_code: form.discount_code.clone() };
            let quote = async |c: &mut diesel_async::AsyncPgConnection, choice: &Choice| match models::quote(
                c,
                tenant,
                currency,
                user,
                lines.clone(),
                choice,
                false,
            )
            .await
            {
                Ok(q) => Ok(Ok(q)),
                Err(PlaceError::Db(e)) => Err(e),
                Err(PlaceError::Refused(e)) => Ok(Err(e)),
            };
            let mut quoted = quote(c, &choice).await?;
            let mut refused_code = None;
            // A bad discount code should not hide the totals: quote again without it.
            if let Err(e) = &quoted
                && e.is_discount()
            {
                refused_code = Some(e.clone());
                quoted = quote(c, &Choice { discount_code: String::new(), ..choice }).await?;
            }
            Ok::<_, diesel::result::Error>((Loaded { lines, addresses, methods, quoted, refused_code }, form))
        })
        .await?;
    Ok(loaded)
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let (loaded, form) = load(&state, &ctx, user, None).await?;
    if loaded.lines.is_empty() || loaded.lines.iter().any(|l| l.issue().is_some()) {
        return Ok(Redirect::to(&ctx.href("/cart")).into_response());
    }
    Ok(render(&state, ctx, loaded, form, Uuid::new_v4(), FieldMessages::default(), StatusCode::OK))
}

/// What a press of "place order" came to.
enum Attempt {
    Placed(models::Placed),
    /// The typed address has mistakes (nothing was tried).
    BadAddress(address::AddressErrors),
}

pub async fn submit(State(state): State<AppState>, ctx: Ctx, Form(form): Form<CheckoutForm>) -> AppResult<Response> {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else { return Ok(ctx.login_redirect()) };
    let key = Uuid::parse_str(form.key.trim()).map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let tenant = ctx.tenant.id;
    let saved_id = Uuid::parse_str(&form.address_id).ok();
    let mut messages = FieldMessages::default();
    if form.action == "place" {
        // One transaction: the saved address (one of this user's), then the order.
        let typed = address::validate(&form.address);
        let mut conn = state.db().await?;
        let attempt = tenant_tx_as(&mut conn, tenant, &ctx.actor(), async |c| {
            let saved = match saved_id {
                Some(id) => models::saved_address(c, tenant, user, id).await?,
                None => None,
            };
            let address = match (&saved, &typed) {
                (Some(a), _) => a.to_address(),
                (None, Ok(a)) => a.clone(),
                (None, Err(e)) => return Ok(Attempt::BadAddress(e.clone())),
            };
            let choice = Choice {
                shipping_code: form.shipping.clone(),
                province: address.province.clone(),
                discount_code: form.discount_code.clone(),
            };
            let order = PlaceOrder {
                tenant,
                currency: ctx.tenant.display.currency,
                user,
                key,
                address: &address,
                save_address: saved.is_none() && form.save_address.is_some(),
                choice: &choice,
                reserve_for: state.config.reservation,
            };
            models::place(c, &order).await.map(Attempt::Placed)
        })
        .await;
        match attempt {
            Ok(Attempt::Placed(p)) => {
                if !p.replay {
                    crate::cart::session::set_session_count(&ctx.session, tenant, 0).await?;
                }
                let flash = if p.already { "?msg=already-ordered" } else { "" };
                let to = ctx.href(&format!("/account/orders/{}{flash}", p.order_number));
                return Ok(Redirect::to(&to).into_response());
            }
            Ok(Attempt::BadAddress(e)) => messages = FieldMessages::from_address(&ctx, &e),
            Err(PlaceError::Db(e)) => return Err(e.into()),
            Err(PlaceError::Refused(e)) => match e {
                CheckoutError::EmptyCart | CheckoutError::CartNeedsReview => {
                    return Ok(Redirect::to(&ctx.href("/cart")).into_response());
                }
                CheckoutError::OutOfStock(_) => return Err(AppError::Conflict("checkout-out-of-stock")),
                CheckoutError::InFlight => {
                    // The twin request committed first: show its order.
                    let found =
                        tenant_tx(&mut conn, tenant, async |c| models::order_for_key(c, tenant, key).await).await?;
                    return match found {
                        Some((owner, number)) if owner == user => {
                            Ok(Redirect::to(&ctx.href(&format!("/account/orders/{number}"))).into_response())
                        }
                        _ => Err(AppError::Conflict("checkout-in-flight")),
                    };
                }
                CheckoutError::KeyReused => return Err(AppError::BadRequest("error-bad-request")),
                other => apply_refusal(&ctx, &mut messages, &other),
            },
        }
    }
    // Shown again (a quote, or a refusal beside its field), read in one transaction.
    let (loaded, form) = load(&state, &ctx, user, Some(form)).await?;
    if !messages.any()
        && saved_id.is_none_or(|id| !loaded.addresses.iter().any(|a| a.id == id))
        && let Err(e) = address::validate(&form.address)
    {
        // A quote with a typed address shows its mistakes too.
        messages = FieldMessages::from_address(&ctx, &e);
    }
    let status = if messages.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    if matches!(
        loaded.quoted,
        Err(CheckoutError::EmptyCart | CheckoutError::CartNeedsReview | CheckoutError::OutOfStock(_))
    ) {
        return Ok(Redirect::to(&ctx.href("/cart")).into_response());
    }
    Ok(render(&state, ctx, loaded, form, key, messages, status))
}

fn apply_refusal(ctx: &Ctx, messages: &mut FieldMessages, e: &CheckoutError) {
    let text = match e {
        CheckoutError::DiscountMinimum(min) => ctx.t1(e.message_key(), "amount", ctx.money(min)),
        _ => ctx.t(e.message_key()),
    };
    if e.is_discount() {
        messages.discount = Some(text);
    } else if matches!(e, CheckoutError::ShippingUnknown | CheckoutError::ShippingNotHere) {
        messages.shipping = Some(text);
    } else {
        messages.form = Some(text);
    }
}

fn render(
    state: &AppState,
    ctx: Ctx,
    loaded: Loaded,
    form: CheckoutForm,
    key: Uuid,
    mut messages: FieldMessages,
    mut status: StatusCode,
) -> Response {
    let lang = ctx.lang;
    let saved_selected = loaded.addresses.iter().find(|a| a.id.to_string() == form.address_id);
    for e in loaded.refused_code.iter().chain(loaded.quoted.as_ref().err()) {
        apply_refusal(&ctx, &mut messages, e);
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let quoted = loaded.quoted;
    let quote: Option<Quote> = quoted.ok();
    let totals = quote.as_ref().map(|q| TotalsView {
        subtotal: ctx.money(&q.totals.subtotal),
        discount: (!q.totals.discount.is_zero()).then(|| ctx.money(&q.totals.discount)),
        shipping: if q.totals.shipping.is_zero() { ctx.t("checkout-free") } else { ctx.money(&q.totals.shipping) },
        tax: ctx.money(&q.totals.tax),
        total: ctx.money(&q.totals.total),
    });
    let subtotal = quote.as_ref().map(|q| q.totals.subtotal).unwrap_or_default();
    let lines = loaded
        .lines
        .iter()
        .map(|l| SummaryLine {
            name: l.product.name(lang).to_owned(),
            quantity: ctx.num(l.quantity),
            total: ctx.money(&(l.product.price * rust_decimal::Decimal::from(l.quantity))),
        })
        .collect();
    let shipping = loaded
        .methods
        .iter()
        .map(|m| ShipView {
            code: m.code.clone(),
            name: m.name(lang).to_owned(),
            cost: if m.cost(subtotal).is_zero() { ctx.t("checkout-free") } else { ctx.money(&m.cost(subtotal)) },
            days: crate::i18n::t_args(
                lang,
                "checkout-days",
                &[("min", ctx.num(m.min_days)), ("max", ctx.num(m.max_days))],
            ),
            checked: m.code == form.shipping,
        })
        .collect();
    let new_address = saved_selected.is_none();
    let addresses = loaded
        .addresses
        .iter()
        .map(|a| AddressView {
            id: a.id.to_string(),
            label: format!(
                "{} — {} — {}",
                a.full_name,
                a.to_address().one_line(lang),
                ctx.digits().apply(&a.postal_code)
            ),
            checked: a.id.to_string() == form.address_id,
        })
        .collect();
    let provinces = PROVINCES
        .iter()
        .map(|p| (p.0, if lang == Lang::En { p.2 } else { p.1 }, p.0 == form.address.province))
        .collect();
    let discount_ok = !form.discount_code.trim().is_empty() && messages.discount.is_none();
    (
        status,
        CheckoutPage {
            key,
            lines,
            addresses,
            new_address,
            input: form.address,
            errors: messages,
            provinces,
            shipping,
            discount_code: form.discount_code,
            discount_ok,
            totals,
            save_address: form.save_address.is_some(),
            reserve_note: ctx.t1("checkout-reserve-note", "minutes", ctx.num(state.config.reservation.whole_minutes())),
            ctx,
        },
    )
        .into_response()
}
