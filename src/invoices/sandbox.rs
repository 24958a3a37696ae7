//! A stand-in for the Moodian v2 API (regional.md §1.3), strict where the
//! real one is: `GET nonce` hands out a challenge; every other call needs a
//! Bearer token, a JWS (RS256, taxpayer certificate in `x5c`) of
//! `{nonce, clientId}` with a live nonce; `GET server-information` gives the
//! authority's RSA key; `POST invoice` takes packets whose payload is a JWE to
//! that key around a JWS of the invoice by the same taxpayer, and answers with
//! a reference number per uid; `GET inquiry-by-uid` gives SUCCESS when the
//! invoice keeps §1.2's invariants and its taxid belongs to the fiscal id,
//! FAILED with the errors otherwise. Mounted only outside production.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::jose;
use crate::payments::sandbox::Sandboxes;

/// What the sandbox knows of one packet: (reference number, fiscal id, errors found).
type Received = (String, String, Vec<String>);

/// The id of the sandbox authority's one key.
pub const KEY_ID: &str = "sandbox-authority-1";

#[derive(Clone, Default)]
pub struct MoodianSandbox {
    /// By uid (the packet's requestTraceId).
    received: Arc<Mutex<HashMap<String, Received>>>,
    /// Nonces handed out, with when they stop being good.
    nonces: Arc<Mutex<HashMap<String, OffsetDateTime>>>,
}

pub fn routes() -> Router<Sandboxes> {
    let base = "/sandbox/moodian/requestsmanager/api/v2";
    Router::new()
        .route(&format!("{base}/nonce"), get(nonce))
        .route(&format!("{base}/server-information"), get(server_information))
        .route(&format!("{base}/invoice"), post(receive))
        .route(&format!("{base}/inquiry-by-uid"), get(inquiry))
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

#[derive(serde::Deserialize)]
struct NonceParams {
    #[serde(rename = "timeToLive")]
    time_to_live: Option<i64>,
}

async fn nonce(State(state): State<Sandboxes>, Query(p): Query<NonceParams>) -> Response {
    let ttl = p.time_to_live.unwrap_or(20);
    if !(10..=200).contains(&ttl) {
        return refuse(StatusCode::BAD_REQUEST, "timeToLive must be 10 to 200 seconds");
    }
    let nonce = uuid::Uuid::new_v4().to_string();
    let until = OffsetDateTime::now_utc() + time::Duration::seconds(ttl);
    let mut nonces = state.moodian.nonces.lock().unwrap_or_else(|e| e.into_inner());
    let now = OffsetDateTime::now_utc();
    nonces.retain(|_, t| *t > now);
    nonces.insert(nonce.clone(), until);
    let exp = until.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    Json(json!({"nonce": nonce, "expDate": exp})).into_response()
}

/// The caller's token, checked: signed by a taxpayer certificate over a live
/// nonce. Gives (clientId, the certificate), or why not (a 401).
fn authorized(state: &Sandboxes, headers: &HeaderMap) -> Result<(String, Vec<u8>), String> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or("a Bearer token is required")?;
    let signed = jose::verify(token).map_err(|e| format!("token: {e}"))?;
    let claims: Value = serde_json::from_slice(&signed.payload).map_err(|_| "token is not JSON")?;
    let (Some(nonce), Some(client)) = (claims["nonce"].as_str(), claims["clientId"].as_str()) else {
        return Err("token needs nonce and clientId".into());
    };
    let nonces = state.moodian.nonces.lock().unwrap_or_else(|e| e.into_inner());
    match nonces.get(nonce) {
        Some(until) if *until > OffsetDateTime::now_utc() => Ok((client.to_owned(), signed.cert_der)),
        _ => Err("unknown or expired nonce".into()),
    }
}

async fn server_information(State(state): State<Sandboxes>, headers: HeaderMap) -> Response {
    if let Err(m) = authorized(&state, &headers) {
        return refuse(StatusCode::UNAUTHORIZED, m);
    }
    let key = jose::public_key_to_base64(&jose::sandbox_authority_key().to_public_key());
    Json(json!({
        "serverTime": OffsetDateTime::now_utc().unix_timestamp() * 1000,
        "publicKeys": [{"key": key, "id": KEY_ID, "algorithm": "RSA", "purpose": 1}]
    }))
    .into_response()
}

/// Opens one packet: the JWE to our key, then the taxpayer's JWS inside.
fn open_packet(payload: &str, caller_cert: &[u8]) -> Result<Value, String> {
    let (kid, jws) = jose::decrypt(payload, jose::sandbox_authority_key())?;
    if kid != KEY_ID {
        return Err(format!("encrypted to an unknown key id {kid:?}"));
    }
    let jws = String::from_utf8(jws).map_err(|_| "the JWE does not hold a JWS")?;
    let signed = jose::verify(&jws)?;
    if signed.cert_der != caller_cert {
        return Err("the invoice is signed by another certificate than the token".into());
    }
    serde_json::from_slice(&signed.payload).map_err(|_| "the signed payload is not an invoice".into())
}

async fn receive(State(state): State<Sandboxes>, headers: HeaderMap, Json(packets): Json<Value>) -> Response {
    let (client, cert) = match authorized(&state, &headers) {
        Ok(c) => c,
        Err(m) => return refuse(StatusCode::UNAUTHORIZED, m),
    };
    let Some(packets) = packets.as_array().filter(|p| !p.is_empty()) else {
        return refuse(StatusCode::BAD_REQUEST, "a JSON array of packets is expected");
    };
    let mut result = Vec::new();
    for p in packets {
        let uid = p.pointer("/header/requestTraceId").and_then(Value::as_str).unwrap_or_default().to_owned();
        let fiscal = p.pointer("/header/fiscalId").and_then(Value::as_str).unwrap_or_default().to_owned();
        if uid.is_empty() || fiscal.is_empty() {
            return refuse(StatusCode::BAD_REQUEST, "requestTraceId and fiscalId are required");
        }
        if fiscal != client {
            return refuse(StatusCode::FORBIDDEN, "fiscalId is not the token's clientId");
        }
        // A packet that does not open is refused outright, as the real service does.
        let invoice = match p.get("payload").and_then(Value::as_str).map(|s| open_packet(s, &cert)) {
            Some(Ok(inv)) => inv,
            Some(Err(e)) => return refuse(StatusCode::BAD_REQUEST, format!("packet {uid}: {e}")),
            None => return refuse(StatusCode::BAD_REQUEST, format!("packet {uid}: payload missing")),
        };
        let mut errors = super::moodian::check(&invoice);
        let taxid = invoice.pointer("/header/taxid").and_then(Value::as_str).unwrap_or("");
        if !taxid.starts_with(&fiscal) {
            errors.push("taxid does not belong to this fiscal id".into());
        }
        let reference = uuid::Uuid::new_v4().to_string();
        let mut map = state.moodian.received.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(uid.clone()).or_insert((reference, fiscal, errors));
        result.push(json!({"uid": uid, "packetType": "INVOICE.V01", "referenceNumber": entry.0, "data": null}));
    }
    let now = OffsetDateTime::now_utc().unix_timestamp() * 1000;
    Json(json!({"timestamp": now, "result": result})).into_response()
}

async fn inquiry(State(state): State<Sandboxes>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let client = match authorized(&state, &headers) {
        Ok((client, _)) => client,
        Err(m) => return refuse(StatusCode::UNAUTHORIZED, m),
    };
    let pairs: Vec<(String, String)> = raw.and_then(|q| serde_urlencoded::from_str(&q).ok()).unwrap_or_default();
    let fiscal = pairs.iter().find(|(k, _)| k == "fiscalId").map(|(_, v)| v.clone()).unwrap_or_default();
    if fiscal != client {
        return refuse(StatusCode::FORBIDDEN, "fiscalId is not the token's clientId");
    }
    let map = state.moodian.received.lock().unwrap_or_else(|e| e.into_inner());
    let items: Vec<Value> = pairs
        .iter()
        .filter(|(k, _)| k == "uidList")
        .filter_map(|(_, uid)| {
            let (reference, f, errors) = map.get(uid)?;
            if *f != fiscal {
                return None;
            }
            let ok = errors.is_empty();
            Some(json!({
                "referenceNumber": reference,
                "uid": uid,
                "status": if ok { "SUCCESS" } else { "FAILED" },
                "fiscalId": f,
                "data": {
                    "error": errors.iter().map(|e| json!({"code": "SANDBOX", "message": e})).collect::<Vec<_>>(),
                    "warning": [],
                    "success": ok
                }
            }))
        })
        .collect();
    Json(Value::Array(items)).into_response()
}
