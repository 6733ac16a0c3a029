//! Who may do what: accounts, roles, sessions, sign-in throttling, organisations.

pub mod account;
pub mod authorized;
pub mod login;
pub mod mfa;
pub mod openid;
mod routes;
pub mod setup;
pub mod view;

pub(crate) use routes::routes;
