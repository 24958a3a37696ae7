//! Sending invoices to the tax authority, from the job queue: `POST invoice`
//! with one packet per invoice (uid = our `suid`), then `inquiry-by-uid` for
//! the verdict. DRAFT → SENT → MOODIAN_CONFIRMED or REJECTED, every answer kept.
//!
//! Each call carries a Bearer token: a JWS by the taxpayer's certificate over
//! a fresh nonce. Each packet is the invoice signed the same way, then
//! encrypted to the authority's key from `server-information` (regional.md §1.3).

use std::sync::Arc;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::jose::{self, TaxpayerKey};
use super::models::{self, Invoice};
use crate::app::AppState;
use crate::db::tenant_tx;
use crate::jobs::queue::{self as jobs, Job};
use crate::schema::invoices;

type JobResult = Result<(), String>;

async fn load(state: &AppState, tenant: Uuid, id: Uuid) -> Result<(Invoice, String), String> {
    let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
    tenant_tx(&mut conn, tenant, async |c| {
        let inv = models::by_id(c, tenant, id).await?.ok_or(diesel::result::Error::NotFound)?;
        let memory =
            models::setting(c, tenant, "moodian.memory_id").await?.unwrap_or_else(|| inv.tax_id[..6].to_owned());
        Ok::<_, diesel::result::Error>((inv, memory))
    })
    .await
    .map_err(|e| e.to_string())
}

fn base(state: &AppState) -> String {
    state.config.moodian_url.trim_end_matches('/').to_owned()
}

/// The taxpayer's key: configured, or in development the process's own.
fn taxpayer(state: &AppState) -> Result<Arc<TaxpayerKey>, String> {
    state
        .config
        .moodian_key
        .clone()
        .or_else(|| state.config.sandboxes.then(TaxpayerKey::ephemeral))
        .ok_or_else(|| "no Moodian certificate: set BAZAAR_MOODIAN_KEY and BAZAAR_MOODIAN_CERT".to_owned())
}

/// A Bearer token: `{nonce, clientId}` signed, the nonce fresh from the authority.
async fn token(state: &AppState, key: &TaxpayerKey, memory_id: &str) -> Result<String, String> {
    let res = state
        .http
        .get(format!("{}/nonce", base(state)))
        .query(&[("timeToLive", "20")])
        .send()
        .await
        .map_err(|e| format!("moodian unreachable: {e}"))?;
    let body: Value = res.json().await.map_err(|e| format!("moodian nonce unreadable: {e}"))?;
    let nonce = body["nonce"].as_str().ok_or_else(|| format!("moodian gave no nonce: {body}"))?;
    let claims = json!({ "nonce": nonce, "clientId": memory_id }).to_string();
    Ok(key.sign(claims.as_bytes(), OffsetDateTime::now_utc()))
}

/// The authority's encryption key now: (id, key).
async fn authority_key(state: &AppState, token: &str) -> Result<(String, rsa::PublicKey), String> {
    let res = state
        .http
        .get(format!("{}/server-information", base(state)))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("moodian unreachable: {e}"))?;
    let status = res.status();
    let body: Value = res.json().await.map_err(|e| format!("moodian server information unreadable: {e}"))?;
    if !status.is_success() {
        return Err(format!("moodian refused the token ({status}): {body}"));
    }
    let entry = body["publicKeys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["algorithm"] == "RSA"))
        .ok_or_else(|| format!("moodian gave no RSA key: {body}"))?;
    let id = entry["id"].as_str().unwrap_or_default().to_owned();
    Ok((id, jose::public_key_from_base64(entry["key"].as_str().unwrap_or_default())?))
}

pub async fn send(state: &AppState, tenant: Uuid, id: Uuid) -> JobResult {
    let (inv, memory_id) = load(state, tenant, id).await?;
    if inv.status != "DRAFT" {
        return Ok(()); // already sent: a retried job changes nothing
    }
    let key = taxpayer(state)?;
    let token = token(state, &key, &memory_id).await?;
    let (kid, authority) = authority_key(state, &token).await?;
    let invoice = serde_json::to_vec(&inv.moodian_payload).map_err(|e| e.to_string())?;
    let payload = jose::encrypt(key.sign(&invoice, OffsetDateTime::now_utc()).as_bytes(), &authority, &kid)?;
    let packets = json!([{ "payload": payload, "header": { "requestTraceId": inv.suid, "fiscalId": memory_id } }]);
    let res = state
        .http
        .post(format!("{}/invoice", base(state)))
        .bearer_auth(&token)
        .json(&packets)
        .send()
        .await
        .map_err(|e| format!("moodian unreachable: {e}"))?;
    let status = res.status();
    let body: Value = res.json().await.map_err(|e| format!("moodian answer unreadable: {e}"))?;
    if !status.is_success() {
        return Err(format!("moodian refused the packet ({status}): {body}"));
    }
    let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
    let delay = state.config.moodian_inquiry_delay;
    tenant_tx(&mut conn, tenant, async |c| {
        diesel::update(invoices::table.filter(invoices::id.eq(id)).filter(invoices::status.eq("DRAFT")))
            .set((
                invoices::status.eq("SENT"),
                invoices::moodian_sent_at.eq(OffsetDateTime::now_utc()),
                invoices::moodian_response.eq(&body),
            ))
            .execute(c)
            .await?;
        jobs::enqueue(c, tenant, &Job::InquireInvoice { invoice_id: id }, Some(OffsetDateTime::now_utc() + delay)).await
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

pub async fn inquire(state: &AppState, tenant: Uuid, id: Uuid) -> JobResult {
    let (inv, memory_id) = load(state, tenant, id).await?;
    if inv.status != "SENT" {
        return Ok(());
    }
    let key = taxpayer(state)?;
    let token = token(state, &key, &memory_id).await?;
    let res = state
        .http
        .get(format!("{}/inquiry-by-uid", base(state)))
        .bearer_auth(&token)
        .query(&[("fiscalId", memory_id.as_str()), ("uidList", &inv.suid.to_string())])
        .send()
        .await
        .map_err(|e| format!("moodian unreachable: {e}"))?;
    let body: Value = res.json().await.map_err(|e| format!("moodian answer unreadable: {e}"))?;
    let item = body.as_array().and_then(|a| a.iter().next()).cloned().unwrap_or(Value::Null);
    let verdict = match item.get("status").and_then(Value::as_str) {
        Some("SUCCESS") => "MOODIAN_CONFIRMED",
        Some("FAILED") => "REJECTED",
        // PENDING, TIMEOUT or nothing yet: ask again later (the job retries with backoff).
        other => return Err(format!("moodian verdict not ready: {other:?}")),
    };
    let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
    let now = OffsetDateTime::now_utc();
    tenant_tx(&mut conn, tenant, async |c| {
        diesel::update(invoices::table.filter(invoices::id.eq(id)).filter(invoices::status.eq("SENT")))
            .set((
                invoices::status.eq(verdict),
                invoices::moodian_response.eq(&item),
                invoices::moodian_confirmed_at.eq((verdict == "MOODIAN_CONFIRMED").then_some(now)),
            ))
            .execute(c)
            .await
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}
