//! The first check every request passes, before any handler or extractor sees
//! it: the size of its body, and bytes no page ever takes. A NUL byte would
//! reach PostgreSQL (which refuses it in text with an error, once a 500), a
//! body that is not UTF-8 would be decoded leniently into names that match no
//! field (a permission grid read as "nothing ticked"), and a control character
//! in a path would end up in a `Location` header. All are answered 400 here,
//! once, for every route.

use axum::body::{Body, to_bytes};
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use crate::error::AppError;
use crate::web::csrf::{MAX_FORM_BYTES, MAX_UPLOAD_BYTES};

/// What is wrong with a request's bytes, if anything.
#[derive(Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Percent-decoded, not UTF-8.
    NotUtf8,
    /// A NUL byte (or, in a path, any control character).
    Control,
}

/// What the gate needs, cheap to clone (a layer's state is cloned per request).
#[derive(Clone)]
pub struct Gate {
    pub proxies: super::client_ip::TrustedProxies,
    pub limits: super::rate_limit::Limits,
}

/// The gate every request passes (one middleware, so one layer's cost): who
/// it comes from (`client_ip`), its bytes and size (this module), and whether
/// that address may repeat it so soon (`rate_limit`).
pub async fn check(State(gate): State<Gate>, mut req: Request, next: Next) -> Response {
    if let Some(peer) = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) {
        let ip = super::client_ip::client_ip(peer, &gate.proxies, req.headers());
        req.extensions_mut().insert(super::client_ip::ClientIp(ip));
    }
    // A Host that is not shaped like a host (or is 100 KB long) is refused
    // before anything looks it up, let alone remembers it.
    let host = req.headers().get(header::HOST).map(|h| h.to_str().unwrap_or(""));
    if host.is_some_and(|h| !crate::tenant::valid_host(h)) {
        return closing(AppError::BadRequest("error-bad-request").into_response());
    }
    if path_is_malformed(req.uri().path()) || req.uri().query().is_some_and(|q| form_is_malformed(q.as_bytes())) {
        return closing(AppError::BadRequest("error-bad-request").into_response());
    }
    if let Some(refused) = super::rate_limit::refuse(&gate.limits, &req) {
        return refused;
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let limit = if content_type.starts_with("multipart/form-data") { MAX_UPLOAD_BYTES } else { MAX_FORM_BYTES };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        // The body stays unread, so the connection cannot carry another request.
        return closing(AppError::PayloadTooLarge.into_response());
    }
    let has_body = declared.is_some_and(|n| n > 0)
        || req.headers().contains_key(header::TRANSFER_ENCODING)
        || !axum::body::HttpBody::is_end_stream(req.body());
    if is_form {
        // Forms are small: read now, check every name and value, hand on the bytes.
        let (parts, body) = req.into_parts();
        let bytes = match to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => return closing(AppError::PayloadTooLarge.into_response()),
        };
        if form_is_malformed(&bytes) {
            return AppError::BadRequest("error-bad-request").into_response();
        }
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }
    if !has_body {
        return next.run(req).await; // a page view: nothing to read, nothing to wrap
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    let res = next.run(Request::from_parts(parts, body)).await;
    // An upload or another body refused before it was read (a CSRF failure,
    // a wrong content type) leaves unread bytes on the connection: say that
    // it ends here, so the client does not send its next request into them.
    if res.status().is_client_error() || res.status().is_server_error() { closing(res) } else { res }
}

fn closing(mut res: Response) -> Response {
    res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// A path whose percent-decoded bytes are not UTF-8 or hold a control character.
pub fn path_is_malformed(path: &str) -> bool {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    match std::str::from_utf8(&decoded) {
        Ok(text) => text.chars().any(char::is_control),
        Err(_) => true,
    }
}

/// A query string or form body with a name or value that is not UTF-8 or holds NUL.
pub fn form_is_malformed(input: &[u8]) -> bool {
    malformed_form(input).is_some()
}

pub fn malformed_form(input: &[u8]) -> Option<Malformed> {
    for part in input.split(|b| *b == b'&') {
        // `+` is a space in a form; it cannot make bytes invalid, so it needs no decoding here.
        let decoded: Vec<u8> = percent_encoding::percent_decode(part).collect();
        if decoded.contains(&0) {
            return Some(Malformed::Control);
        }
        if std::str::from_utf8(&decoded).is_err() {
            return Some(Malformed::NotUtf8);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_paths_with_bad_bytes_are_found() {
        assert_eq!(malformed_form(b"a=1&b=%D8%B3%D9%84%D8%A7%D9%85+x"), None);
        assert_eq!(malformed_form(b"a=1&b=x%00y"), Some(Malformed::Control));
        assert_eq!(malformed_form(b"perm=%FF&_csrf=x"), Some(Malformed::NotUtf8));
        assert_eq!(malformed_form(b"na%00me=1"), Some(Malformed::Control));
        assert_eq!(malformed_form(b"a=\xff"), Some(Malformed::NotUtf8));
        // A `%` that starts no escape is kept as it is, as form decoding does.
        assert_eq!(malformed_form(b"a=100%"), None);
        assert!(!path_is_malformed("/fa/p/%DA%AF%D9%88%D8%B4%DB%8C"));
        assert!(path_is_malformed("/fa/p/x%00"));
        assert!(path_is_malformed("/fa/p/x%0D%0Ay"));
        assert!(path_is_malformed("/fa/p/%C0"));
    }
}
