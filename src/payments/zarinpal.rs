//! Zarinpal REST v4 (regional.md §2.1): `request.json` → redirect to
//! `StartPay/{authority}` → callback `?Authority=…&Status=OK|NOK` →
//! `verify.json`. Codes 100 and 101 (already verified) both mean paid.

use serde_json::{Value, json};

use crate::config::gateways::ZarinpalConfig;

use super::gateway::{GatewayError, PaymentGateway, StartRequest, Started, Verified, VerifyRequest};

#[derive(Clone)]
pub struct Zarinpal {
    http: reqwest::Client,
    config: ZarinpalConfig,
}

impl Zarinpal {
    pub fn new(http: reqwest::Client, config: ZarinpalConfig) -> Self {
        Self { http, config }
    }

    async fn call(&self, path: &str, body: Value) -> Result<Value, GatewayError> {
        let url = format!("{}/pg/v4/payment/{path}", self.config.api_base.trim_end_matches('/'));
        let res = self
            .http
            .post(url)
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        // Refusals come with 4xx statuses and a JSON body; read the body either way.
        res.json::<Value>().await.map_err(|e| GatewayError::Unreachable(e.to_string()))
    }
}

/// `data.code` when `data` is an object, else `errors.code` (the error shape sends `"data": []`).
fn outcome(v: &Value) -> Result<&Value, GatewayError> {
    let data = v.get("data").filter(|d| d.is_object());
    if let Some(code) = data.and_then(|d| d.get("code")).and_then(Value::as_i64)
        && (code == 100 || code == 101)
    {
        return data.ok_or_else(|| GatewayError::Unreachable("no data".into()));
    }
    let err = v.get("errors").filter(|e| e.is_object()).or(data);
    match err.and_then(|e| e.get("code")).and_then(Value::as_i64) {
        Some(code) => Err(GatewayError::Refused {
            code,
            message: err.and_then(|e| e.get("message")).and_then(Value::as_str).unwrap_or_default().to_owned(),
        }),
        None => Err(GatewayError::Unreachable(format!("unexpected answer: {v}"))),
    }
}

impl PaymentGateway for Zarinpal {
    const NAME: &'static str = "ZARINPAL";

    async fn start(&self, req: &StartRequest) -> Result<Started, GatewayError> {
        let mut metadata = json!({ "order_id": req.order_ref });
        if let Some(m) = &req.mobile {
            metadata["mobile"] = json!(m);
        }
        if let Some(e) = &req.email {
            metadata["email"] = json!(e);
        }
        let description: String = req.description.chars().take(500).collect();
        let body = json!({
            "merchant_id": self.config.merchant_id,
            "amount": req.amount_rial,
            "currency": "IRR",
            "callback_url": req.callback_url,
            "description": description,
            "metadata": metadata,
        });
        let v = self.call("request.json", body).await?;
        let data = outcome(&v)?;
        let authority = data
            .get("authority")
            .and_then(Value::as_str)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| GatewayError::Unreachable("no authority in answer".into()))?;
        Ok(Started {
            reference: authority.to_owned(),
            redirect_url: format!("{}/pg/StartPay/{authority}", self.config.start_base.trim_end_matches('/')),
        })
    }

    async fn verify(&self, req: &VerifyRequest) -> Result<Verified, GatewayError> {
        let body = json!({
            "merchant_id": self.config.merchant_id,
            "amount": req.amount_rial,
            "authority": req.reference,
        });
        let v = self.call("verify.json", body).await?;
        let data = outcome(&v)?;
        let track = match data.get("ref_id") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        Ok(Verified {
            track,
            card_pan: data.get("card_pan").and_then(Value::as_str).map(str::to_owned),
            already: data.get("code").and_then(Value::as_i64) == Some(101),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_success_and_both_error_shapes() {
        let ok = json!({"data": {"code": 101, "ref_id": 201}, "errors": []});
        assert!(outcome(&ok).is_ok());
        let err = json!({"data": [], "errors": {"code": -54, "message": "Invalid authority", "validations": []}});
        assert_eq!(outcome(&err), Err(GatewayError::Refused { code: -54, message: "Invalid authority".into() }));
        let weird = json!({"hello": 1});
        assert!(matches!(outcome(&weird), Err(GatewayError::Unreachable(_))));
    }
}
