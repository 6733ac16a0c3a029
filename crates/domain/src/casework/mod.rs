//! The case once identified: status, case file, people, documents, deadlines, needs, rights, closure, sharing, onward referrals, placement.

pub mod case_access;
pub mod case_file;
pub mod case_people;
pub mod case_status;
pub mod closure;
pub mod deadline;
pub mod document;
pub mod needs;
pub mod onward_referral;
pub mod placement;
pub mod rights;
pub mod sharing;
pub mod statement;
