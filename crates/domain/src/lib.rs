//! Relais domain: the rules of the national referral mechanism, with no I/O.
//!
//! Values here are parsed once at the edge (parse, don't validate) and time is
//! always a parameter: nothing in this crate reads the clock.

pub mod account;
pub mod audit;
pub mod authz;
pub mod calendar;
pub mod case_access;
pub mod case_file;
pub mod case_people;
pub mod case_status;
pub mod catalogue;
pub mod closure;
pub mod deadline;
pub mod directory;
pub mod document;
pub mod email;
pub mod geo;
pub mod ids;
pub mod nationality;
pub mod needs;
pub mod onward_referral;
pub mod organisation;
pub mod password;
pub mod person_match;
pub mod placement;
pub mod privacy;
pub mod referral;
pub mod register;
pub mod retention;
pub mod rights;
pub mod role;
pub mod screening;
pub mod session;
pub mod sharing;
pub mod spreadsheet;
pub mod territory;
pub mod throttle;
pub mod time;
pub mod timeliness;
