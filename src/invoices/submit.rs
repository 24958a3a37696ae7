//! Sending invoices to the tax authority, from the job queue: `POST invoice`
//! with one packet per invoice (uid = our `suid`), then `inquiry-by-uid` for
//! the verdict. DRAFT → SENT → MOODIAN_CONFIRMED or REJECTED, every answer kept.
//!
//! The packet's payload here is the invoice JSON, base64url-encoded. The real
//! service wants it signed (JWS) with the taxpayer's certificate and encrypted
//! (JWE) to the authority's key (regional.md §1.3); that needs a certificate
//! only the tax organisation issues, so it is not done yet.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::models::{self, Invoice};
use crate::app::AppState;
use crate::db::tenant_tx;
use crate::jobs::{self, Job};
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

pub async fn send(state: &AppState, tenant: Uuid, id: Uuid) -> JobResult {
    let (inv, memory_id) = load(state, tenant, id).await?;
    if inv.status != "DRAFT" {
        return Ok(()); // already sent: a retried job changes nothing
    }
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&inv.moodian_payload).map_err(|e| e.to_string())?);
    let packets = json!([{ "payload": payload, "header": { "requestTraceId": inv.suid, "fiscalId": memory_id } }]);
    let res = state
        .http
        .post(format!("{}/invoice", base(state)))
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
    let res = state
        .http
        .get(format!("{}/inquiry-by-uid", base(state)))
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
