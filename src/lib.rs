//! Bazaar: a multi-tenant, multi-vendor marketplace rendered on the server.
//! ARCHITECTURE.md at the repository root maps the modules.

pub mod accounts;
pub mod admin;
pub mod app;
pub mod cache;
pub mod cart;
pub mod catalog;
pub mod config;
pub mod db;
pub mod demo_data;
pub mod error;
pub mod i18n;
pub mod invoices;
pub mod jobs;
pub mod media;
pub mod ops;
pub mod orders;
pub mod payments;
pub mod rbac;
pub mod router;
pub mod schema;
pub mod secrets;
pub mod seed;
pub mod seller;
pub mod server;
pub mod tenant;
pub mod text;
pub mod web;
