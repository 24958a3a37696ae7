//! Static assets compiled into the binary (one file to deploy), served with
//! long cache lifetimes under URLs that change when their content does.

use std::sync::LazyLock;

use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// htmx, pinned in package.json and copied from node_modules by build.rs.
pub const HTMX_VERSION: &str = env!("BAZAAR_HTMX_VERSION");
const HTMX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js"));

struct Asset {
    name: &'static str,
    body: &'static [u8],
    content_type: &'static str,
}

macro_rules! asset {
    ($name:literal, $ct:literal) => {
        Asset { name: $name, body: include_bytes!(concat!("../../static/", $name)), content_type: $ct }
    };
}

const ASSETS: &[Asset] = &[
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("app.js", "text/javascript; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    asset!("img/phone.svg", "image/svg+xml"),
    asset!("img/laptop.svg", "image/svg+xml"),
    asset!("img/charger.svg", "image/svg+xml"),
    asset!("img/shirt.svg", "image/svg+xml"),
    asset!("img/lamp.svg", "image/svg+xml"),
    asset!("img/coffee.svg", "image/svg+xml"),
    asset!("img/box.svg", "image/svg+xml"),
];

/// Content hashes, computed once, that version the URLs.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| ASSETS.iter().map(|a| short_hash(a.body)).collect());

fn short_hash(bytes: &[u8]) -> String {
    // FNV-1a: a cache key, not a security boundary.
    let h = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3));
    format!("{:08x}", h as u32)
}

/// The versioned URL of a static file: `/static/style.css?v=1a2b3c4d`.
pub fn url(name: &str) -> String {
    if name == "htmx.min.js" {
        return format!("/static/htmx-{HTMX_VERSION}.min.js");
    }
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/static/{name}?v={}", VERSIONS[i]),
        None => format!("/static/{name}"),
    }
}

#[derive(serde::Deserialize)]
pub struct Version {
    v: Option<String>,
}

pub async fn serve(Path(name): Path<String>, Query(version): Query<Version>) -> Result<Response, AppError> {
    let (body, content_type, immutable) = if name == format!("htmx-{HTMX_VERSION}.min.js") {
        (HTMX, "text/javascript; charset=utf-8", true)
    } else {
        let i = ASSETS.iter().position(|a| a.name == name).ok_or(AppError::NotFound)?;
        let a = &ASSETS[i];
        (a.body, a.content_type, version.v.as_deref() == Some(VERSIONS[i].as_str()))
    };
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, cache)], body).into_response())
}
