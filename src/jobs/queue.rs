//! A job queue in PostgreSQL (queue_jobs / failed_jobs). A worker claims one
//! due job with `FOR UPDATE SKIP LOCKED`, leases it (pushes `available_at`
//! past the lease) and commits, then runs it; success deletes the job, failure
//! schedules a retry with exponential backoff, and the last failure moves it
//! to failed_jobs with its error. A worker that dies mid-job loses only its
//! lease: the job comes due again. Jobs live in the database, so they survive
//! restarts.

use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::schema::{failed_jobs, queue_jobs};

/// What a job does. Stored as `kind` + JSON `payload`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Job {
    /// Cancel an order still unpaid when its reservation ends, giving its stock back.
    ReleaseReservation { order_id: Uuid },
    /// Send an invoice to the tax authority (Moodian).
    SubmitInvoice { invoice_id: Uuid },
    /// Ask the tax authority what became of a sent invoice.
    InquireInvoice { invoice_id: Uuid },
}

impl Job {
    pub fn kind_and_payload(&self) -> (String, serde_json::Value) {
        let v = serde_json::to_value(self).unwrap_or_default();
        let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_owned();
        (kind, v.get("payload").cloned().unwrap_or_default())
    }

    pub(super) fn from_row(kind: &str, payload: &serde_json::Value) -> Option<Self> {
        serde_json::from_value(serde_json::json!({"kind": kind, "payload": payload})).ok()
    }
}

/// How long a claimed job is protected from other workers.
const LEASE: Duration = Duration::from_secs(300);

/// Queues `job` to run at `at` (now when None), inside the caller's transaction,
/// so a job exists exactly when the change that needs it committed.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    job: &Job,
    at: Option<OffsetDateTime>,
) -> QueryResult<i64> {
    let (kind, payload) = job.kind_and_payload();
    diesel::insert_into(queue_jobs::table)
        .values((
            queue_jobs::tenant_id.eq(tenant),
            queue_jobs::kind.eq(kind),
            queue_jobs::payload.eq(payload),
            queue_jobs::available_at.eq(at.unwrap_or_else(OffsetDateTime::now_utc)),
        ))
        .returning(queue_jobs::id)
        .get_result(conn)
        .await
}

/// Seconds to wait before retry `attempt` (1-based): 2, 4, 8, … capped at an hour.
pub fn backoff(attempt: i32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(attempt.clamp(1, 20) as u32).min(3600))
}

#[derive(Queryable, Debug)]
pub(super) struct Claimed {
    id: i64,
    pub(super) tenant_id: Option<Uuid>,
    queue: String,
    pub(super) kind: String,
    pub(super) payload: serde_json::Value,
    attempts: i32,
    max_attempts: i32,
}

/// Claims one due job, or None.
pub(super) async fn claim(conn: &mut AsyncPgConnection) -> QueryResult<Option<Claimed>> {
    conn.transaction(async |c| {
        let now = OffsetDateTime::now_utc();
        let job: Option<Claimed> = queue_jobs::table
            .filter(queue_jobs::available_at.le(now))
            .order(queue_jobs::available_at.asc())
            .select((
                queue_jobs::id,
                queue_jobs::tenant_id,
                queue_jobs::queue,
                queue_jobs::kind,
                queue_jobs::payload,
                queue_jobs::attempts,
                queue_jobs::max_attempts,
            ))
            .for_update()
            .skip_locked()
            .first(c)
            .await
            .optional()?;
        let Some(mut job) = job else { return Ok(None) };
        job.attempts += 1;
        diesel::update(queue_jobs::table.find(job.id))
            .set((
                queue_jobs::attempts.eq(job.attempts),
                queue_jobs::reserved_at.eq(now),
                queue_jobs::available_at.eq(now + LEASE),
            ))
            .execute(c)
            .await?;
        Ok(Some(job))
    })
    .await
}

pub(super) async fn finish(conn: &mut AsyncPgConnection, job: &Claimed, result: Result<(), String>) -> QueryResult<()> {
    match result {
        Ok(()) => {
            diesel::delete(queue_jobs::table.find(job.id)).execute(conn).await?;
        }
        Err(error) if job.attempts >= job.max_attempts => {
            tracing::warn!(job = job.id, kind = %job.kind, %error, "job failed for good");
            conn.transaction(async |c| {
                diesel::insert_into(failed_jobs::table)
                    .values((
                        failed_jobs::job_id.eq(job.id),
                        failed_jobs::tenant_id.eq(job.tenant_id),
                        failed_jobs::queue.eq(&job.queue),
                        failed_jobs::kind.eq(&job.kind),
                        failed_jobs::payload.eq(&job.payload),
                        failed_jobs::attempts.eq(job.attempts),
                        failed_jobs::error.eq(&error),
                    ))
                    .execute(c)
                    .await?;
                diesel::delete(queue_jobs::table.find(job.id)).execute(c).await?;
                Ok::<_, diesel::result::Error>(())
            })
            .await?;
        }
        Err(error) => {
            tracing::info!(job = job.id, kind = %job.kind, %error, attempt = job.attempts, "job failed; will retry");
            let at = OffsetDateTime::now_utc() + backoff(job.attempts);
            diesel::update(queue_jobs::table.find(job.id))
                .set((queue_jobs::available_at.eq(at), queue_jobs::last_error.eq(&error)))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_round_trip_through_kind_and_payload() {
        let job = Job::SubmitInvoice { invoice_id: Uuid::nil() };
        let (kind, payload) = job.kind_and_payload();
        assert_eq!(kind, "submit_invoice");
        assert_eq!(Job::from_row(&kind, &payload), Some(job));
        assert_eq!(Job::from_row("nope", &payload), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(50), Duration::from_secs(3600));
    }
}
