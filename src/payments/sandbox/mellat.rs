//! A Behpardakht Mellat stand-in (regional.md §2.2): the SOAP operations
//! bpPayRequest, bpVerifyRequest, bpSettleRequest and bpReversalRequest, the
//! startpay page the shopper's browser posts RefId to, and the form post back.

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
