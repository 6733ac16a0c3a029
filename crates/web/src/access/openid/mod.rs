//! Sign-in through OpenID Connect providers such as ProConnect (issue 18, ADR 0051): the
//! providers' settings, their discovered metadata and keys, the ID token checks, the sign-in
//! and sign-out handlers.

pub mod flow;
pub mod registry;
pub mod settings;
pub mod verify;
