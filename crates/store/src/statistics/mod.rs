//! Official figures computed from the cases, under the one disclosure-control policy.

pub mod equal_access;
pub mod snapshots;
