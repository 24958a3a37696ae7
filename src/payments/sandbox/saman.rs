//! A Saman (SEP OnlinePG) stand-in, per regional.md §2.3: token, SendToken
//! page, the form POST back to the shop, VerifyTransaction, ReverseTransaction.

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
    let bad = |code: i64, desc: &str| Json(json!({"status": -1, "errorCode": code, "errorDesc": desc})).into_response();
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
            Payment { terminal, amount, res_num, redirect, state: PayState::Opened, ref_num: String::new(), rrn: 0 },
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
                return Some(json!({"ResultCode": -2, "ResultDescription": "Transaction not found", "Success": false}));
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
    Json(
        answer.unwrap_or_else(
            || json!({"ResultCode": -2, "ResultDescription": "Transaction not found", "Success": false}),
        ),
    )
    .into_response()
}

async fn reverse(State(state): State<Sandboxes>, Json(body): Json<Value>) -> Response {
    let ref_num = text(&body, "RefNum");
    let done = state
        .saman
        .with(|m| m.values_mut().find(|p| p.ref_num == ref_num).map(|p| p.state = PayState::Failed).is_some());
    Json(json!({"ResultCode": if done { 0 } else { -2 }, "Success": done})).into_response()
}
