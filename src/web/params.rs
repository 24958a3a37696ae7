//! Typed path parameters, so a handler names the part of the path it uses
//! (not the language, which `Ctx` has already read) and never parses it twice.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::AppError;

/// A route's `{id}` as a UUID. One that is not a UUID names nothing: 404,
/// the same answer as for an id that does not exist.
pub struct IdParam(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdParam {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, value)| value.parse().ok())
            .map(IdParam)
            .ok_or(AppError::NotFound)
    }
}

/// A route's `{number}`: an order's number (`Path<OrderNumber>`).
#[derive(serde::Deserialize)]
pub struct OrderNumber {
    pub number: String,
}

/// A route's `{slug}` (`Path<Slug>`).
#[derive(serde::Deserialize)]
pub struct Slug {
    pub slug: String,
}
