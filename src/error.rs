//! Request errors. A handler returns `AppError`; its response carries only the
//! status and a message id, and `web::error_pages` renders the localized page
//! (it knows the request's language and tenant), so every error looks the same
//! whether it came from a handler, a rejected extractor or an unknown route.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("unprocessable: {0}")]
    Unprocessable(&'static str),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("database busy")]
    Unavailable,
    /// Over a rate limit: try again after this many seconds.
    #[error("too many requests")]
    TooManyRequests(u64),
    #[error("internal error: {0}")]
    Internal(String),
    /// Not an error to show: the visitor must go elsewhere first (e.g. enrol in 2FA).
    #[error("redirect to {0}")]
    Redirect(String),
}

/// What the error-page middleware needs to render the page: the message id to show.
#[derive(Clone, Copy, Debug)]
pub struct ErrorPage {
    pub message: &'static str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Redirect(_) => StatusCode::SEE_OTHER,
        }
    }

    fn message(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::BadRequest(key)
            | AppError::Forbidden(key)
            | AppError::Conflict(key)
            | AppError::Unprocessable(key) => key,
            AppError::PayloadTooLarge => "error-too-large",
            AppError::Unavailable => "error-unavailable",
            AppError::TooManyRequests(_) => "error-rate-limited",
            AppError::Internal(_) | AppError::Redirect(_) => "error-internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        if let AppError::Redirect(to) = &self {
            return axum::response::Redirect::to(to).into_response();
        }
        let mut res = self.status().into_response();
        if let AppError::TooManyRequests(secs) = &self {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*secs));
        }
        res.extensions_mut().insert(ErrorPage { message: self.message() });
        res
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            // The connection broke (the server went away or restarted): the
            // database is unavailable, which is not this request's fault.
            Error::DatabaseError(Kind::UnableToSendCommand | Kind::ClosedConnection, info) => {
                tracing::warn!(error = info.message(), "database connection lost");
                AppError::Unavailable
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for AppError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        tracing::warn!(error = %e, "no database connection");
        AppError::Unavailable
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        use tower_sessions::session::Error;
        use tower_sessions::session_store::Error as Store;
        match e {
            // The store is the database: when it cannot be reached, the site is
            // unavailable for a signed-in visitor just as for a guest.
            Error::Store(Store::Backend(detail)) => {
                tracing::warn!(%detail, "session store unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(format!("session: {other}")),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
