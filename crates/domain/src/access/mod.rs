//! Who may do what: accounts, roles, sessions, sign-in throttling, organisations.

pub mod account;
pub mod authz;
pub mod openid;
pub mod organisation;
pub mod password;
pub mod role;
pub mod role_fit;
pub mod session;
pub mod throttle;
