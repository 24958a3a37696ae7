//! Stand-ins for the payment gateways (regional.md §2): Zarinpal, Saman and
//! Mellat, each speaking its real protocol, so the real clients and the whole
//! redirect flow run locally and in tests. Mounted only outside production.
//! Their payments live in memory: they stand in for someone else's server.

mod mellat;
mod saman;
mod zarinpal;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use rand::Rng as _;
use serde_json::{Value, json};

use crate::i18n::{self, Lang};
use crate::web::csrf::CsrfToken;

/// The merchant id the sandbox accepts (any well-formed one works, as on Zarinpal's sandbox).
pub use crate::config::gateways::{SANDBOX_MELLAT_TERMINAL, SANDBOX_MERCHANT, SANDBOX_SAMAN_TERMINAL};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayState {
    Opened,
    Paid,
    Failed,
    Verified,
}

#[derive(Debug, Clone)]
pub struct SandboxPayment {
    merchant_id: String,
    amount: i64,
    callback_url: String,
    description: String,
    state: PayState,
    ref_id: i64,
}

/// A sandbox's payments by its own reference, shared by the app's clones.
pub struct Store<T>(Arc<Mutex<HashMap<String, T>>>);

impl<T> Clone for Store<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<T> Store<T> {
    fn with<R>(&self, f: impl FnOnce(&mut HashMap<String, T>) -> R) -> R {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

pub fn routes() -> Router<Sandboxes> {
    Router::new().merge(zarinpal::routes()).merge(saman::routes()).merge(mellat::routes())
}

/// The language a sandbox page speaks: the visitor's.
fn page_lang(headers: &HeaderMap) -> Lang {
    crate::web::context::preferred_lang(headers)
}

/// The Saman and Mellat sandboxes' page: pay or cancel, then the form that
/// posts the bank's answer back to the shop.
#[derive(Template, WebTemplate)]
#[template(path = "sandbox/bank.html")]
struct BankPage {
    lang: Lang,
    csrf: String,
    title_key: &'static str,
    /// Where the pay/cancel form posts, and the name of its reference field.
    decide: &'static str,
    ref_name: &'static str,
    reference: String,
    amount: String,
    /// After a decision: the shop's callback and the fields posted to it.
    back: Option<(String, Vec<(&'static str, String)>)>,
}

impl BankPage {
    fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn title(&self) -> String {
        self.t(self.title_key)
    }
}

/// Sandboxes' shared state.
#[derive(Clone, Default)]
pub struct Sandboxes {
    pub zarinpal: zarinpal::ZarinpalSandbox,
    pub saman: saman::SamanSandbox,
    pub mellat: mellat::MellatSandbox,
    pub moodian: crate::invoices::sandbox::MoodianSandbox,
}
