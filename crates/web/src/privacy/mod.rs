//! Data protection: retention, erasure, subject access, emergency access, the register.

pub mod emergency;
pub mod pages;
mod routes;
pub mod view;

pub(crate) use routes::routes;
