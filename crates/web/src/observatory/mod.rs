//! The observatory (issue 14): sources, their imports and versions.

pub mod pages;
mod routes;

pub(crate) use routes::routes;
