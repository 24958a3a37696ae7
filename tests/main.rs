//! All integration tests, in one binary. Each test gets its own database
//! cloned from a template that is migrated and seeded once per run.

mod support;

mod accounts;
mod backoffice;
mod browser;
mod catalog;
mod commerce;
mod i18n;
mod layers;
mod payments;
mod schema;
mod security;
mod seed;
mod server;
mod sweep;
mod tenancy;
