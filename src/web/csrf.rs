//! CSRF protection by double submit: a random token in a SameSite cookie must
//! come back in the form field `_csrf` (plain posts) or the `X-CSRF-Token`
//! header (htmx, set on <body> with hx-headers). A cross-site page can make a
//! browser send the cookie but cannot read it to fill in the field. Written
//! here because the crates for axum 0.8 want their own session or cookie
//! stack; this is one small middleware on top of ours.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AppError;

pub const COOKIE: &str = "csrf";
pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";
/// Largest form body we read (and the app accepts at all for plain forms).
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// Largest multipart upload (an image or a CSV file, with the form around it).
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;

/// The request's token, for templates to put into forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

#[derive(Clone, Copy)]
pub struct CsrfConfig {
    pub secure: bool,
}

pub async fn protect(config: axum::extract::State<CsrfConfig>, req: Request, next: Next) -> Response {
    let cookie_token = cookie(req.headers(), COOKIE).filter(|t| valid_shape(t));
    let (token, fresh) = match &cookie_token {
        Some(t) => (t.clone(), false),
        None => (new_token(), true),
    };
    let mut req = if is_unsafe(req.method()) && !is_server_to_server(req.uri().path()) {
        match check(req, cookie_token.as_deref()).await {
            Ok(req) => req,
            Err(res) => return res,
        }
    } else {
        req
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    if fresh {
        let secure = if config.secure { "; Secure" } else { "" };
        let value = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The sandboxes' JSON APIs are called by our own server with no cookies, as
/// the real gateway and tax authority would be: nothing for CSRF to protect.
fn is_server_to_server(path: &str) -> bool {
    path.starts_with("/sandbox/zarinpal/pg/v4/")
        || path.starts_with("/sandbox/moodian/requestsmanager/")
        || path.starts_with("/sandbox/saman/onlinepg/")
        || path.starts_with("/sandbox/saman/verifyTxnRandomSessionkey/")
        || path == "/sandbox/mellat/pgwchannel/services/pgw"
        || path == "/sandbox/mellat/pgwchannel/startpay.mellat"
        || is_gateway_return(path)
}

/// Saman and Mellat send the shopper back with a cross-site form POST, which
/// carries no token of ours; the callback trusts nothing in it but the
/// reference, which the gateway must then verify for our own amount.
fn is_gateway_return(path: &str) -> bool {
    path.strip_prefix('/')
        .and_then(|p| p.split_once('/'))
        .is_some_and(|(_, rest)| rest == "payments/saman/callback" || rest == "payments/mellat/callback")
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

async fn check(req: Request, expected: Option<&str>) -> Result<Request, Response> {
    let forbidden = || AppError::Forbidden("error-csrf").into_response();
    let Some(expected) = expected else { return Err(forbidden()) };
    if let Some(sent) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if constant_time_eq(sent.as_bytes(), expected.as_bytes()) { Ok(req) } else { Err(forbidden()) };
    }
    // A file upload cannot be read twice cheaply, so its token rides in the
    // query string (`?_csrf=`), still unknowable to another site.
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if is_multipart {
        let sent = req
            .uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v));
        return match sent {
            Some(s) if constant_time_eq(s.as_bytes(), expected.as_bytes()) => Ok(req),
            _ => Err(forbidden()),
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(forbidden());
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| AppError::PayloadTooLarge.into_response())?;
    let sent = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v));
    match sent {
        Some(s) if constant_time_eq(s.as_bytes(), expected.as_bytes()) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forbidden()),
    }
}

/// Reads one cookie's value from the Cookie headers.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

fn valid_shape(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
