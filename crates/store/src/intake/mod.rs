//! How a situation comes in: referrals, catalogues, screening, person matching, public signalements, triage.

pub mod api_referrals;
pub mod catalogues;
pub mod child_protection;
pub mod own_referrals;
pub mod persons;
pub mod referrals;
pub mod signalements;
pub mod status_notices;
pub mod triage;
