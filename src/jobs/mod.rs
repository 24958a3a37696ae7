//! A job queue in PostgreSQL (queue_jobs / failed_jobs). A worker claims one
//! due job with `FOR UPDATE SKIP LOCKED`, leases it (pushes `available_at`
//! past the lease) and commits, then runs it; success deletes the job, failure
//! schedules a retry with exponential backoff, and the last failure moves it
//! to failed_jobs with its error. A worker that dies mid-job loses only its
//! lease: the job comes due again. Jobs live in the database, so they survive
//! restarts.

//!
//! `queue` holds the queue itself (any area may enqueue); this file runs the
//! jobs, so it is the one place that knows every area's job handlers.

pub mod queue;

use std::time::Duration;

use uuid::Uuid;

use crate::app::AppState;
use queue::{Job, claim, finish};

/// Runs due jobs until none is left; returns how many ran. Tests call this
/// to drive the queue without waiting for a worker.
pub async fn run_due(state: &AppState) -> anyhow::Result<usize> {
    let mut ran = 0;
    loop {
        let mut conn = state.pool.get().await?;
        let Some(job) = claim(&mut conn).await? else { return Ok(ran) };
        let result = match (Job::from_row(&job.kind, &job.payload), job.tenant_id) {
            (Some(j), Some(tenant)) => run(state, tenant, j).await,
            _ => Err(format!("unknown job {} {}", job.kind, job.payload)),
        };
        finish(&mut conn, &job, result).await?;
        ran += 1;
    }
}

async fn run(state: &AppState, tenant: Uuid, job: Job) -> Result<(), String> {
    match job {
        Job::ReleaseReservation { order_id } => crate::orders::models::expire(state, tenant, order_id).await,
        Job::SubmitInvoice { invoice_id } => crate::invoices::submit::send(state, tenant, invoice_id).await,
        Job::InquireInvoice { invoice_id } => crate::invoices::submit::inquire(state, tenant, invoice_id).await,
    }
}

/// The worker loop: polls every `interval`, runs what is due, until `stop` resolves.
pub async fn work(state: AppState, interval: Duration, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        if let Err(e) = run_due(&state).await {
            tracing::warn!(error = %e, "job worker: queue unavailable");
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = tokio::time::sleep(interval) => {}
        }
    }
}
