//! The case once identified: status, case file, people, documents, deadlines, needs, rights, closure, sharing, onward referrals, placement.

pub mod case_access;
pub mod case_file;
pub mod case_people;
pub mod cases;
pub mod deadlines;
pub mod header;
pub mod inbox;
pub mod onward;
pub mod queue;
pub mod support;
