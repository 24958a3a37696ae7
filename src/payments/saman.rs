//! Saman / SEP "OnlinePG" (regional.md §2.3): a token for the amount →
//! redirect to `OnlinePG/SendToken?token=…` → the shopper comes back with a
//! form POST (RefNum, ResNum, State, Status, Token, …) → `VerifyTransaction`
//! with the RefNum, whose answer must carry our amount. Success is
//! `Success == true && ResultCode == 0`; ResultCode 2 (a repeated verify) also
//! means paid. An amount that does not match is reversed and refused.

use serde_json::{Value, json};

use crate::config::gateways::SamanConfig;

use super::gateway::{GatewayError, PaymentGateway, StartRequest, Started, Verified, VerifyRequest};

#[derive(Clone)]
pub struct Saman {
    http: reqwest::Client,
    config: SamanConfig,
}

impl Saman {
    pub fn new(http: reqwest::Client, config: SamanConfig) -> Self {
        Self { http, config }
    }

    async fn call(&self, path: &str, body: Value) -> Result<Value, GatewayError> {
        let url = format!("{}/{path}", self.config.api_base.trim_end_matches('/'));
        let res = self.http.post(url).json(&body).send().await.map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        res.json::<Value>().await.map_err(|e| GatewayError::Unreachable(e.to_string()))
    }

    /// Gives the money back when a verified payment is not what we asked for.
    async fn reverse(&self, reference: &str) {
        let body = json!({"RefNum": reference, "TerminalNumber": self.terminal()});
        if let Err(e) = self.call("verifyTxnRandomSessionkey/ipg/ReverseTransaction", body).await {
            tracing::warn!(error = %e, "saman reverse failed");
        }
    }

    fn terminal(&self) -> Value {
        self.config.terminal_id.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(self.config.terminal_id))
    }
}

fn refused(v: &Value, code_key: &str, message_key: &str) -> GatewayError {
    GatewayError::Refused {
        code: v.get(code_key).and_then(Value::as_i64).unwrap_or(-1),
        message: v.get(message_key).and_then(Value::as_str).unwrap_or_default().to_owned(),
    }
}

impl PaymentGateway for Saman {
    const NAME: &'static str = "SAMAN";

    async fn start(&self, req: &StartRequest) -> Result<Started, GatewayError> {
        let mut body = json!({
            "action": "token",
            "TerminalId": self.config.terminal_id,
            "Amount": req.amount_rial,
            "ResNum": req.order_ref,
            "RedirectUrl": req.callback_url,
        });
        if let Some(m) = &req.mobile {
            body["CellNumber"] = json!(m);
        }
        let v = self.call("onlinepg/onlinepg", body).await?;
        match (v.get("status").and_then(Value::as_i64), v.get("token").and_then(Value::as_str)) {
            (Some(1), Some(token)) if !token.is_empty() => Ok(Started {
                reference: token.to_owned(),
                redirect_url: format!(
                    "{}/OnlinePG/SendToken?token={token}",
                    self.config.start_base.trim_end_matches('/')
                ),
            }),
            _ => Err(refused(&v, "errorCode", "errorDesc")),
        }
    }

    /// `req.reference` is the RefNum the shopper came back with.
    async fn verify(&self, req: &VerifyRequest) -> Result<Verified, GatewayError> {
        let body = json!({"RefNum": req.reference, "TerminalNumber": self.terminal()});
        let v = self.call("verifyTxnRandomSessionkey/ipg/VerifyTransaction", body).await?;
        let code = v.get("ResultCode").and_then(Value::as_i64);
        let success = v.get("Success").and_then(Value::as_bool) == Some(true);
        if !(success && matches!(code, Some(0) | Some(2))) {
            return Err(refused(&v, "ResultCode", "ResultDescription"));
        }
        let detail = v.get("TransactionDetail").cloned().unwrap_or_default();
        // The vendor's spelling: OrginalAmount.
        let paid = detail.get("OrginalAmount").and_then(Value::as_i64);
        if paid != Some(req.amount_rial) {
            self.reverse(&req.reference).await;
            return Err(GatewayError::Refused {
                code: -50,
                message: format!("amount {paid:?} is not {}", req.amount_rial),
            });
        }
        Ok(Verified {
            track: detail.get("RRN").map(|r| r.to_string().trim_matches('"').to_owned()).unwrap_or_default(),
            card_pan: detail.get("MaskedPan").and_then(Value::as_str).map(str::to_owned),
            already: code == Some(2),
        })
    }
}
