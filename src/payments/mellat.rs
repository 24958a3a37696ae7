//! Behpardakht Mellat (regional.md §2.2), SOAP: `bpPayRequest` → "ResCode,RefId"
//! → the shopper's browser POSTs RefId to `startpay.mellat` → the bank POSTs
//! back (RefId, ResCode, SaleOrderId, SaleReferenceId) → `bpVerifyRequest` and
//! `bpSettleRequest` ("0", or 43/45 when done before) → reversal on failure.
//!
//! The envelopes are written here: four fixed operations with string
//! arguments and a one-string answer do not justify a SOAP/WSDL stack.

use time::OffsetDateTime;

use crate::config::gateways::MellatConfig;

use super::gateway::{GatewayError, PaymentGateway, StartRequest, Started, Verified, VerifyRequest};

const NS: &str = "http://interfaces.core.sw.bps.com/";

#[derive(Clone)]
pub struct Mellat {
    http: reqwest::Client,
    pub config: MellatConfig,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The text of the first `<return>` element of a SOAP answer.
pub fn soap_return(body: &str) -> Option<String> {
    let start = body.find("<return>")? + "<return>".len();
    let end = body[start..].find("</return>")? + start;
    Some(body[start..end].trim().replace("&amp;", "&"))
}

/// A SOAP 1.1 envelope for `op` with `args` in order.
pub fn envelope(op: &str, args: &[(&str, String)]) -> String {
    let params: String = args.iter().map(|(k, v)| format!("<{k}>{}</{k}>", escape(v))).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns=\"{NS}\">\
         <soapenv:Body><ns:{op}>{params}</ns:{op}></soapenv:Body></soapenv:Envelope>"
    )
}

/// What the bank posted back to us.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MellatReturn {
    #[serde(rename = "RefId", default)]
    pub ref_id: String,
    #[serde(rename = "ResCode", default)]
    pub res_code: String,
    #[serde(rename = "SaleOrderId", default)]
    pub sale_order_id: String,
    #[serde(rename = "SaleReferenceId", default)]
    pub sale_reference_id: String,
    #[serde(rename = "CardHolderPan", default)]
    pub card_holder_pan: String,
}

impl Mellat {
    pub fn new(http: reqwest::Client, config: MellatConfig) -> Self {
        Self { http, config }
    }

    fn credentials(&self) -> Vec<(&'static str, String)> {
        vec![
            ("terminalId", self.config.terminal_id.clone()),
            ("userName", self.config.user_name.clone()),
            ("userPassword", self.config.password.clone()),
        ]
    }

    async fn call(&self, op: &str, args: Vec<(&str, String)>) -> Result<String, GatewayError> {
        let res = self
            .http
            .post(&self.config.endpoint)
            .header("content-type", "text/xml; charset=utf-8")
            .header("soapaction", format!("\"{NS}{op}\""))
            .body(envelope(op, &args))
            .send()
            .await
            .map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        let body = res.text().await.map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        soap_return(&body).ok_or_else(|| GatewayError::Unreachable(format!("no <return> in answer: {body:.200}")))
    }

    /// Opens a payment; `order_id` is a number unique per terminal. Returns the RefId.
    pub async fn pay_request(
        &self,
        order_id: i64,
        amount_rial: i64,
        callback_url: &str,
        at: OffsetDateTime,
    ) -> Result<String, GatewayError> {
        let local = at.to_offset(crate::i18n::calendar::TEHRAN);
        let mut args = self.credentials();
        args.extend([
            ("orderId", order_id.to_string()),
            ("amount", amount_rial.to_string()),
            ("localDate", format!("{:04}{:02}{:02}", local.year(), local.month() as u8, local.day())),
            ("localTime", format!("{:02}{:02}{:02}", local.hour(), local.minute(), local.second())),
            ("additionalData", String::new()),
            ("callBackUrl", callback_url.to_owned()),
            ("payerId", "0".into()),
        ]);
        let answer = self.call("bpPayRequest", args).await?;
        match answer.split_once(',') {
            Some(("0", ref_id)) if !ref_id.is_empty() => Ok(ref_id.to_owned()),
            _ => Err(refusal(&answer)),
        }
    }

    /// Verifies and settles a sale; reverses it when either fails.
    pub async fn verify_and_settle(&self, order_id: i64, back: &MellatReturn) -> Result<(), GatewayError> {
        let mut args = self.credentials();
        args.extend([
            ("orderId", order_id.to_string()),
            ("saleOrderId", back.sale_order_id.clone()),
            ("saleReferenceId", back.sale_reference_id.clone()),
        ]);
        let verified = self.call("bpVerifyRequest", args.clone()).await?;
        // 43: verified before (a replayed return).
        if verified != "0" && verified != "43" {
            self.call("bpReversalRequest", args).await.ok();
            return Err(refusal(&verified));
        }
        let settled = self.call("bpSettleRequest", args.clone()).await?;
        // 45: settled before.
        if settled != "0" && settled != "45" {
            self.call("bpReversalRequest", args).await.ok();
            return Err(refusal(&settled));
        }
        Ok(())
    }
}

/// Mellat wants a numeric order id, unique per terminal: the random low bits of
/// our payment's UUIDv7.
pub fn order_id(payment: uuid::Uuid) -> i64 {
    (payment.as_u128() as u64 & i64::MAX as u64) as i64
}

impl PaymentGateway for Mellat {
    const NAME: &'static str = "MELLAT";

    /// `order_ref` is the payment id. The shopper is sent to our own page that
    /// posts the RefId on to the bank (the bank takes no GET).
    async fn start(&self, req: &StartRequest) -> Result<Started, GatewayError> {
        let payment = uuid::Uuid::parse_str(&req.order_ref).map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        let ref_id =
            self.pay_request(order_id(payment), req.amount_rial, &req.callback_url, OffsetDateTime::now_utc()).await?;
        let go = req.callback_url.replace("/payments/mellat/callback", "/payments/mellat/go");
        Ok(Started { redirect_url: format!("{go}?RefId={ref_id}"), reference: ref_id })
    }

    /// `reference` is `{orderId}:{SaleReferenceId}`, the order id taken from our record.
    async fn verify(&self, req: &VerifyRequest) -> Result<Verified, GatewayError> {
        let (order, sale_ref) = req.reference.split_once(':').unwrap_or_default();
        let order: i64 = order.parse().map_err(|_| GatewayError::Refused { code: 42, message: "no sale".into() })?;
        let back = MellatReturn {
            sale_order_id: order.to_string(),
            sale_reference_id: sale_ref.to_owned(),
            ..Default::default()
        };
        self.verify_and_settle(order, &back).await?;
        Ok(Verified { track: sale_ref.to_owned(), card_pan: None, already: false })
    }
}

fn refusal(answer: &str) -> GatewayError {
    let code = answer.split(',').next().unwrap_or_default().trim();
    GatewayError::Refused { code: code.parse().unwrap_or(-1), message: format!("mellat {answer}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_escape_and_answers_parse() {
        let e = envelope("bpVerifyRequest", &[("userName", "a<b&c".into())]);
        assert!(e.contains("<ns:bpVerifyRequest><userName>a&lt;b&amp;c</userName></ns:bpVerifyRequest>"));
        let answer = "<soap:Envelope><soap:Body><ns2:bpPayRequestResponse><return>0,AF82041a2Bf6989c7fF9</return>\
                      </ns2:bpPayRequestResponse></soap:Body></soap:Envelope>";
        assert_eq!(soap_return(answer).as_deref(), Some("0,AF82041a2Bf6989c7fF9"));
        assert_eq!(soap_return("<nothing/>"), None);
        assert_eq!(refusal("41"), GatewayError::Refused { code: 41, message: "mellat 41".into() });
    }
}
