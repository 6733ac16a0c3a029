//! Who may do what: accounts, roles, sessions, sign-in throttling, organisations.

pub mod access_requests;
pub mod api_tokens;
pub mod openid;
pub mod organisations;
pub mod passwords;
pub mod rate_limit;
pub mod sessions;
pub mod setup_tokens;
pub mod throttle;
pub mod totp;
pub mod users;
