//! How a situation comes in: referrals, catalogues, screening, person matching, public signalements, triage.

pub mod catalogue;
pub mod date_fields;
pub mod person_match;
pub mod referral;
pub mod screening;
pub mod triage;
