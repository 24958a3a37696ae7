//! A Zarinpal stand-in that speaks REST v4 as regional.md §2.1 describes it
//! (request.json, StartPay, the callback, verify.json with codes 100/101 and
//! the negative refusals), so the real client and the whole redirect flow run
//! locally and in tests. Mounted only outside production. Its payments live
//! in memory: it stands in for someone else's server.

use super::*;

pub fn routes() -> Router<Sandboxes> {
    Router::new()
        .route("/sandbox/zarinpal/pg/v4/payment/request.json", post(request))
        .route("/sandbox/zarinpal/pg/v4/payment/verify.json", post(verify))
        .route("/sandbox/zarinpal/pg/StartPay/{authority}", get(start_page).post(decide))
}

pub type ZarinpalSandbox = Store<SandboxPayment>;

fn refusal(code: i64, message: &str) -> Response {
    let status = if code == -9 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
    (status, Json(json!({"data": [], "errors": {"code": code, "message": message, "validations": []}}))).into_response()
}

fn merchant_ok(m: &str) -> bool {
    m.len() == 36 && uuid::Uuid::parse_str(m).is_ok()
}

async fn request(State(state): State<Sandboxes>, Json(body): Json<Value>) -> Response {
    let merchant = body.get("merchant_id").and_then(Value::as_str).unwrap_or_default();
    let amount = body.get("amount").and_then(Value::as_i64);
    let callback = body.get("callback_url").and_then(Value::as_str).unwrap_or_default();
    let description = body.get("description").and_then(Value::as_str).unwrap_or_default();
    if !merchant_ok(merchant) {
        return refusal(-10, "Terminal is not valid, please check merchant_id or ip address.");
    }
    let Some(amount) = amount.filter(|a| (1_000..=1_000_000_000_000).contains(a)) else {
        return refusal(-9, "The input params invalid, validation error.");
    };
    if callback.is_empty() || description.is_empty() || description.chars().count() > 500 {
        return refusal(-9, "The input params invalid, validation error.");
    }
    let authority = format!("A{:035}", rand::rng().random_range(1u128..10u128.pow(30)));
    state.zarinpal.with(|m| {
        m.insert(
            authority.clone(),
            SandboxPayment {
                merchant_id: merchant.to_owned(),
                amount,
                callback_url: callback.to_owned(),
                description: description.to_owned(),
                state: PayState::Opened,
                ref_id: 0,
            },
        )
    });
    let fee = amount / 100;
    Json(json!({
        "data": {"code": 100, "message": "Success", "authority": authority, "fee_type": "Merchant", "fee": fee},
        "errors": []
    }))
    .into_response()
}

async fn verify(State(state): State<Sandboxes>, Json(body): Json<Value>) -> Response {
    let merchant = body.get("merchant_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    let amount = body.get("amount").and_then(Value::as_i64);
    let authority = body.get("authority").and_then(Value::as_str).unwrap_or_default().to_owned();
    let answer = state.zarinpal.with(|m| {
        let Some(p) = m.get_mut(&authority) else { return Err((-54, "Invalid authority.")) };
        if p.merchant_id != merchant {
            return Err((-53, "Session is not this merchant_id session."));
        }
        if amount != Some(p.amount) {
            return Err((-50, "Session is not valid, amounts values is not the same."));
        }
        match p.state {
            PayState::Opened | PayState::Failed => Err((-51, "Session is not valid, session is not active paid try.")),
            PayState::Paid => {
                p.state = PayState::Verified;
                Ok((100, p.ref_id, p.amount))
            }
            PayState::Verified => Ok((101, p.ref_id, p.amount)),
        }
    });
    match answer {
        Ok((code, ref_id, amount)) => Json(json!({
            "data": {
                "code": code,
                "message": if code == 100 { "Paid" } else { "Verified" },
                "card_hash": "1EBE3EBEBE35C7EC0F8D6EE4F2F859107A87822CA179BC9528767EA7B5489B69",
                "card_pan": "502229******5995",
                "ref_id": ref_id,
                "fee_type": "Merchant",
                "fee": amount / 100
            },
            "errors": []
        }))
        .into_response(),
        Err((code, message)) => refusal(code, message),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "sandbox/zarinpal.html")]
struct StartPage {
    lang: Lang,
    csrf: String,
    authority: String,
    amount: String,
    description: String,
    closed: bool,
}

impl StartPage {
    fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn title(&self) -> String {
        self.t("sandbox-zarinpal-title")
    }
}

async fn start_page(
    State(state): State<Sandboxes>,
    headers: HeaderMap,
    csrf: axum::Extension<CsrfToken>,
    Path(authority): Path<String>,
) -> Response {
    let found = state.zarinpal.with(|m| m.get(&authority).cloned());
    let Some(p) = found else { return StatusCode::NOT_FOUND.into_response() };
    let lang = page_lang(&headers);
    StartPage {
        amount: crate::i18n::format::Digits::Latin.int(p.amount),
        description: p.description,
        closed: p.state != PayState::Opened,
        authority,
        csrf: csrf.0.0.clone(),
        lang,
    }
    .into_response()
}

#[derive(serde::Deserialize)]
struct Decision {
    #[serde(default)]
    decision: String,
}

/// The shopper paid or cancelled: back to the merchant's callback, as Zarinpal does.
async fn decide(State(state): State<Sandboxes>, Path(authority): Path<String>, Form(d): Form<Decision>) -> Response {
    let pay = d.decision == "pay";
    let target = state.zarinpal.with(|m| {
        let p = m.get_mut(&authority)?;
        if p.state == PayState::Opened {
            if pay {
                p.state = PayState::Paid;
                p.ref_id = rand::rng().random_range(100_000_000..999_999_999);
            } else {
                p.state = PayState::Failed;
            }
        }
        let ok = matches!(p.state, PayState::Paid | PayState::Verified);
        Some(format!("{}?Authority={authority}&Status={}", p.callback_url, if ok { "OK" } else { "NOK" }))
    });
    match target {
        Some(url) => Redirect::to(&url).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
