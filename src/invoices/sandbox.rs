//! A stand-in for the Moodian v2 API (regional.md §1.3): `POST invoice` takes
//! packets `{payload, header: {requestTraceId, fiscalId}}` and answers with a
//! reference number per uid; `GET inquiry-by-uid` gives SUCCESS when the
//! invoice keeps §1.2's invariants and its taxid belongs to the fiscal id,
//! FAILED with the errors otherwise. Mounted only outside production.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::app::AppState;

/// What the sandbox knows of one packet: (reference number, fiscal id, errors found).
type Received = (String, String, Vec<String>);

#[derive(Clone, Default)]
pub struct MoodianSandbox {
    /// By uid (the packet's requestTraceId).
    received: Arc<Mutex<HashMap<String, Received>>>,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sandbox/moodian/requestsmanager/api/v2/invoice", post(receive))
        .route("/sandbox/moodian/requestsmanager/api/v2/inquiry-by-uid", get(inquiry))
}

async fn receive(State(state): State<AppState>, Json(packets): Json<Value>) -> Response {
    let Some(packets) = packets.as_array().filter(|p| !p.is_empty()) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "a JSON array of packets is expected"})))
            .into_response();
    };
    let mut result = Vec::new();
    for p in packets {
        let uid = p.pointer("/header/requestTraceId").and_then(Value::as_str).unwrap_or_default().to_owned();
        let fiscal = p.pointer("/header/fiscalId").and_then(Value::as_str).unwrap_or_default().to_owned();
        if uid.is_empty() || fiscal.is_empty() {
            return (StatusCode::BAD_REQUEST, Json(json!({"error": "requestTraceId and fiscalId are required"})))
                .into_response();
        }
        let invoice: Option<Value> = p
            .get("payload")
            .and_then(Value::as_str)
            .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
            .and_then(|b| serde_json::from_slice(&b).ok());
        let mut errors = match &invoice {
            Some(inv) => super::moodian::check(inv),
            None => vec!["payload is not a base64url invoice".into()],
        };
        let taxid = invoice.as_ref().and_then(|i| i.pointer("/header/taxid")).and_then(Value::as_str).unwrap_or("");
        if !taxid.starts_with(&fiscal) {
            errors.push("taxid does not belong to this fiscal id".into());
        }
        let reference = uuid::Uuid::new_v4().to_string();
        let mut map = state.sandbox.moodian.received.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(uid.clone()).or_insert((reference, fiscal, errors));
        result.push(json!({"uid": uid, "packetType": "INVOICE.V01", "referenceNumber": entry.0, "data": null}));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    Json(json!({"timestamp": now, "result": result})).into_response()
}

async fn inquiry(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs: Vec<(String, String)> = raw.and_then(|q| serde_urlencoded::from_str(&q).ok()).unwrap_or_default();
    let fiscal = pairs.iter().find(|(k, _)| k == "fiscalId").map(|(_, v)| v.clone()).unwrap_or_default();
    let map = state.sandbox.moodian.received.lock().unwrap_or_else(|e| e.into_inner());
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
