//! A Zarinpal stand-in that speaks REST v4 as regional.md §2.1 describes it
//! (request.json, StartPay, the callback, verify.json with codes 100/101 and
//! the negative refusals), so the real client and the whole redirect flow run
//! locally and in tests. Mounted only outside production. Its payments live
//! in memory: it stands in for someone else's server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use rand::Rng as _;
use serde_json::{Value, json};

use crate::i18n::{self, Lang};
use crate::web::csrf::CsrfToken;

/// The merchant id the sandbox accepts (any well-formed one works, as on Zarinpal's sandbox).
pub use crate::config::gateways::{SANDBOX_MELLAT_TERMINAL, SANDBOX_MERCHANT, SANDBOX_SAMAN_TERMINAL};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayState {
    Opened,
    Paid,
    Failed,
    Verified,
}

#[derive(Debug, Clone)]
pub struct SandboxPayment {
    merchant_id: String,
    amount: i64,
    callback_url: String,
    description: String,
    state: PayState,
    ref_id: i64,
}

/// A sandbox's payments by its own reference, shared by the app's clones.
pub struct Store<T>(Arc<Mutex<HashMap<String, T>>>);

impl<T> Clone for Store<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<T> Store<T> {
    fn with<R>(&self, f: impl FnOnce(&mut HashMap<String, T>) -> R) -> R {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

pub type ZarinpalSandbox = Store<SandboxPayment>;

pub fn routes() -> Router<Sandboxes> {
    Router::new()
        .route("/sandbox/zarinpal/pg/v4/payment/request.json", post(request))
        .route("/sandbox/zarinpal/pg/v4/payment/verify.json", post(verify))
        .route("/sandbox/zarinpal/pg/StartPay/{authority}", get(start_page).post(decide))
        .merge(saman::routes())
        .merge(mellat::routes())
}

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

fn page_lang(headers: &HeaderMap) -> Lang {
    crate::web::context::preferred_lang(headers)
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

/// The Saman and Mellat sandboxes' page: pay or cancel, then the form that
/// posts the bank's answer back to the shop.
#[derive(Template, WebTemplate)]
#[template(path = "sandbox/bank.html")]
struct BankPage {
    lang: Lang,
    csrf: String,
    title_key: &'static str,
    /// Where the pay/cancel form posts, and the name of its reference field.
    decide: &'static str,
    ref_name: &'static str,
    reference: String,
    amount: String,
    /// After a decision: the shop's callback and the fields posted to it.
    back: Option<(String, Vec<(&'static str, String)>)>,
}

impl BankPage {
    fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn title(&self) -> String {
        self.t(self.title_key)
    }
}

/// Sandboxes' shared state.
#[derive(Clone, Default)]
pub struct Sandboxes {
    pub zarinpal: ZarinpalSandbox,
    pub saman: saman::SamanSandbox,
    pub mellat: mellat::MellatSandbox,
    pub moodian: crate::invoices::sandbox::MoodianSandbox,
}

/// A Saman (SEP OnlinePG) stand-in, per regional.md §2.3: token, SendToken
/// page, the form POST back to the shop, VerifyTransaction, ReverseTransaction.
mod saman {
    use super::*;

    const TITLE: &str = "sandbox-saman-title";
    const DECIDE: &str = "/sandbox/saman/OnlinePG/decide";

    #[derive(Debug, Clone)]
    pub struct Payment {
        terminal: String,
        amount: i64,
        res_num: String,
        redirect: String,
        state: PayState,
        ref_num: String,
        rrn: i64,
    }

    pub type SamanSandbox = Store<Payment>;

    pub fn routes() -> Router<Sandboxes> {
        Router::new()
            .route("/sandbox/saman/onlinepg/onlinepg", post(token))
            .route("/sandbox/saman/OnlinePG/SendToken", get(page))
            .route("/sandbox/saman/OnlinePG/decide", post(decide))
            .route("/sandbox/saman/verifyTxnRandomSessionkey/ipg/VerifyTransaction", post(verify))
            .route("/sandbox/saman/verifyTxnRandomSessionkey/ipg/ReverseTransaction", post(reverse))
    }

    fn text(v: &Value, key: &str) -> String {
        match v.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }

    async fn token(State(state): State<Sandboxes>, Json(body): Json<Value>) -> Response {
        let bad =
            |code: i64, desc: &str| Json(json!({"status": -1, "errorCode": code, "errorDesc": desc})).into_response();
        if text(&body, "action") != "token" {
            return bad(5, "InvalidParameters");
        }
        let terminal = text(&body, "TerminalId");
        if terminal != super::SANDBOX_SAMAN_TERMINAL {
            return bad(12, "TerminalNotFound");
        }
        let Some(amount) = body.get("Amount").and_then(Value::as_i64).filter(|a| *a >= 1_000) else {
            return bad(5, "InvalidParameters");
        };
        let (res_num, redirect) = (text(&body, "ResNum"), text(&body, "RedirectUrl"));
        if res_num.is_empty() || redirect.is_empty() {
            return bad(5, "InvalidParameters");
        }
        let token = format!("{:032x}", rand::rng().random::<u128>());
        state.saman.with(|m| {
            m.insert(
                token.clone(),
                Payment {
                    terminal,
                    amount,
                    res_num,
                    redirect,
                    state: PayState::Opened,
                    ref_num: String::new(),
                    rrn: 0,
                },
            )
        });
        Json(json!({"status": 1, "token": token})).into_response()
    }

    #[derive(serde::Deserialize)]
    struct TokenQuery {
        #[serde(default)]
        token: String,
    }

    async fn page(
        State(state): State<Sandboxes>,
        headers: HeaderMap,
        csrf: axum::Extension<CsrfToken>,
        axum::extract::Query(q): axum::extract::Query<TokenQuery>,
    ) -> Response {
        let Some(p) = state.saman.with(|m| m.get(&q.token).cloned()) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        BankPage {
            lang: page_lang(&headers),
            csrf: csrf.0.0.clone(),
            title_key: TITLE,
            decide: DECIDE,
            ref_name: "token",
            amount: crate::i18n::format::Digits::Latin.int(p.amount),
            reference: q.token,
            back: None,
        }
        .into_response()
    }

    #[derive(serde::Deserialize)]
    struct SamanDecision {
        #[serde(default)]
        token: String,
        #[serde(default)]
        decision: String,
    }

    /// The shopper paid or cancelled: a page with the form SEP posts back to the shop.
    async fn decide(
        State(state): State<Sandboxes>,
        headers: HeaderMap,
        csrf: axum::Extension<CsrfToken>,
        Form(d): Form<SamanDecision>,
    ) -> Response {
        let pay = d.decision == "pay";
        let found = state.saman.with(|m| {
            let p = m.get_mut(&d.token)?;
            if p.state == PayState::Opened {
                if pay {
                    p.state = PayState::Paid;
                    p.ref_num = format!("{:020}", rand::rng().random_range(1u64..u64::MAX / 2));
                    p.rrn = rand::rng().random_range(10_000_000_000..99_999_999_999);
                } else {
                    p.state = PayState::Failed;
                }
            }
            Some(p.clone())
        });
        let Some(p) = found else { return StatusCode::NOT_FOUND.into_response() };
        let redirect = p.redirect.clone();
        let ok = matches!(p.state, PayState::Paid | PayState::Verified);
        let fields = vec![
            ("MID", p.terminal.clone()),
            ("TerminalId", p.terminal.clone()),
            ("State", if ok { "OK".into() } else { "CanceledByUser".into() }),
            ("Status", if ok { "2".into() } else { "1".into() }),
            ("RefNum", p.ref_num.clone()),
            ("ResNum", p.res_num.clone()),
            ("Rrn", p.rrn.to_string()),
            ("Amount", p.amount.to_string()),
            ("SecurePan", "621986******7453".into()),
            ("Token", d.token.clone()),
        ];
        let page = BankPage {
            lang: page_lang(&headers),
            csrf: csrf.0.0.clone(),
            title_key: TITLE,
            decide: DECIDE,
            ref_name: "token",
            amount: crate::i18n::format::Digits::Latin.int(p.amount),
            reference: d.token,
            back: Some((p.redirect, fields)),
        }
        .into_response();
        crate::web::with_form_target(page, &redirect)
    }

    async fn verify(State(state): State<Sandboxes>, Json(body): Json<Value>) -> Response {
        let (ref_num, terminal) = (text(&body, "RefNum"), text(&body, "TerminalNumber"));
        let answer = state.saman.with(|m| {
            let p = m.values_mut().find(|p| !p.ref_num.is_empty() && p.ref_num == ref_num && p.terminal == terminal)?;
            let code = match p.state {
                PayState::Paid => {
                    p.state = PayState::Verified;
                    0
                }
                PayState::Verified => 2,
                _ => {
                    return Some(
                        json!({"ResultCode": -2, "ResultDescription": "Transaction not found", "Success": false}),
                    );
                }
            };
            Some(json!({
                "ResultCode": code,
                "ResultDescription": if code == 0 { "Success" } else { "Duplicate request" },
                "Success": true,
                "TransactionDetail": {
                    "RRN": p.rrn.to_string(), "RefNum": p.ref_num, "MaskedPan": "621986******7453",
                    "TerminalNumber": p.terminal, "OrginalAmount": p.amount, "AffectiveAmount": p.amount,
                }
            }))
        });
        Json(answer.unwrap_or_else(
            || json!({"ResultCode": -2, "ResultDescription": "Transaction not found", "Success": false}),
        ))
        .into_response()
    }

    async fn reverse(State(state): State<Sandboxes>, Json(body): Json<Value>) -> Response {
        let ref_num = text(&body, "RefNum");
        let done = state
            .saman
            .with(|m| m.values_mut().find(|p| p.ref_num == ref_num).map(|p| p.state = PayState::Failed).is_some());
        Json(json!({"ResultCode": if done { 0 } else { -2 }, "Success": done})).into_response()
    }
}

/// A Behpardakht Mellat stand-in (regional.md §2.2): the SOAP operations
/// bpPayRequest, bpVerifyRequest, bpSettleRequest and bpReversalRequest, the
/// startpay page the shopper's browser posts RefId to, and the form post back.
mod mellat {
    use super::*;

    const TITLE: &str = "sandbox-mellat-title";
    const DECIDE: &str = "/sandbox/mellat/decide";

    #[derive(Debug, Clone)]
    pub struct Payment {
        order_id: String,
        amount: i64,
        callback: String,
        state: PayState,
        sale_reference: i64,
        settled: bool,
    }

    pub type MellatSandbox = Store<Payment>;

    pub fn routes() -> Router<Sandboxes> {
        Router::new()
            .route("/sandbox/mellat/pgwchannel/services/pgw", post(soap))
            .route("/sandbox/mellat/pgwchannel/startpay.mellat", post(start))
            .route("/sandbox/mellat/decide", post(decide))
    }

    /// The text of `<name>…</name>` in a SOAP request.
    fn arg(body: &str, name: &str) -> String {
        let open = format!("<{name}>");
        body.find(&open)
            .and_then(|i| {
                let from = i + open.len();
                body[from..].find(&format!("</{name}>")).map(|j| body[from..from + j].replace("&amp;", "&"))
            })
            .unwrap_or_default()
    }

    fn answer(op: &str, value: &str) -> Response {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\
             <soap:Body><ns2:{op}Response xmlns:ns2=\"http://interfaces.core.sw.bps.com/\"><return>{value}</return>\
             </ns2:{op}Response></soap:Body></soap:Envelope>"
        );
        ([(axum::http::header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response()
    }

    async fn soap(State(state): State<Sandboxes>, body: String) -> Response {
        let op = ["bpPayRequest", "bpVerifyRequest", "bpSettleRequest", "bpReversalRequest"]
            .into_iter()
            .find(|op| body.contains(&format!(":{op}>")) || body.contains(&format!("<{op}>")));
        let Some(op) = op else { return StatusCode::BAD_REQUEST.into_response() };
        // 21: invalid merchant, 24: invalid credentials.
        if arg(&body, "terminalId") != super::SANDBOX_MELLAT_TERMINAL {
            return answer(op, "21");
        }
        if arg(&body, "userName").is_empty() || arg(&body, "userPassword").is_empty() {
            return answer(op, "24");
        }
        let order_id = arg(&body, "orderId");
        let value = state.mellat.with(|m| match op {
            "bpPayRequest" => {
                let Ok(amount) = arg(&body, "amount").parse::<i64>() else { return "25".to_owned() };
                if m.values().any(|p| p.order_id == order_id) {
                    return "41".to_owned(); // duplicate order id
                }
                let ref_id = format!("{:020X}", rand::rng().random::<u64>());
                let callback = arg(&body, "callBackUrl");
                m.insert(
                    ref_id.clone(),
                    Payment { order_id, amount, callback, state: PayState::Opened, sale_reference: 0, settled: false },
                );
                format!("0,{ref_id}")
            }
            _ => {
                let sale_ref = arg(&body, "saleReferenceId").parse::<i64>().unwrap_or(-1);
                let sale_order = arg(&body, "saleOrderId");
                let Some(p) = m
                    .values_mut()
                    .find(|p| p.order_id == order_id && sale_order == order_id && p.sale_reference == sale_ref)
                else {
                    return "42".to_owned(); // sale not found
                };
                match (op, p.state) {
                    ("bpVerifyRequest", PayState::Paid) => {
                        p.state = PayState::Verified;
                        "0".to_owned()
                    }
                    ("bpVerifyRequest", PayState::Verified) => "43".to_owned(),
                    ("bpSettleRequest", PayState::Verified) if p.settled => "45".to_owned(),
                    ("bpSettleRequest", PayState::Verified) => {
                        p.settled = true;
                        "0".to_owned()
                    }
                    ("bpReversalRequest", _) => {
                        p.state = PayState::Failed;
                        "0".to_owned()
                    }
                    _ => "44".to_owned(),
                }
            }
        });
        answer(op, &value)
    }

    #[derive(serde::Deserialize)]
    struct StartForm {
        #[serde(rename = "RefId", default)]
        ref_id: String,
    }

    /// What the shopper's browser posts to `startpay.mellat`.
    async fn start(
        State(state): State<Sandboxes>,
        headers: HeaderMap,
        csrf: axum::Extension<CsrfToken>,
        Form(f): Form<StartForm>,
    ) -> Response {
        let Some(p) = state.mellat.with(|m| m.get(&f.ref_id).cloned()) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        BankPage {
            lang: page_lang(&headers),
            csrf: csrf.0.0.clone(),
            title_key: TITLE,
            decide: DECIDE,
            ref_name: "ref_id",
            amount: crate::i18n::format::Digits::Latin.int(p.amount),
            reference: f.ref_id,
            back: None,
        }
        .into_response()
    }

    #[derive(serde::Deserialize)]
    struct MellatDecision {
        #[serde(default)]
        ref_id: String,
        #[serde(default)]
        decision: String,
    }

    async fn decide(
        State(state): State<Sandboxes>,
        headers: HeaderMap,
        csrf: axum::Extension<CsrfToken>,
        Form(d): Form<MellatDecision>,
    ) -> Response {
        let pay = d.decision == "pay";
        let found = state.mellat.with(|m| {
            let p = m.get_mut(&d.ref_id)?;
            if p.state == PayState::Opened {
                if pay {
                    p.state = PayState::Paid;
                    p.sale_reference = rand::rng().random_range(100_000_000_000..999_999_999_999);
                } else {
                    p.state = PayState::Failed;
                }
            }
            Some(p.clone())
        });
        let Some(p) = found else { return StatusCode::NOT_FOUND.into_response() };
        let ok = matches!(p.state, PayState::Paid | PayState::Verified);
        let callback = p.callback.clone();
        let fields = vec![
            ("RefId", d.ref_id.clone()),
            ("ResCode", if ok { "0".into() } else { "17".into() }),
            ("SaleOrderId", p.order_id.clone()),
            ("SaleReferenceId", if ok { p.sale_reference.to_string() } else { String::new() }),
            ("CardHolderPan", "610433******1234".into()),
        ];
        let page = BankPage {
            lang: page_lang(&headers),
            csrf: csrf.0.0.clone(),
            title_key: TITLE,
            decide: DECIDE,
            ref_name: "ref_id",
            amount: crate::i18n::format::Digits::Latin.int(p.amount),
            reference: d.ref_id,
            back: Some((callback.clone(), fields)),
        }
        .into_response();
        crate::web::with_form_target(page, &callback)
    }
}
