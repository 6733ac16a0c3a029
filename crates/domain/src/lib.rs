//! Relais domain: the rules of the national referral mechanism, with no I/O.
//!
//! Values here are parsed once at the edge (parse, don't validate) and time is
//! always a parameter: nothing in this crate reads the clock.

pub mod access;
pub mod audit;
pub mod calendar;
pub mod casework;
pub mod coordination;
pub mod directory;
pub mod email;
pub mod geo;
pub mod ids;
pub mod intake;
pub mod jobs;
pub mod nationality;
pub mod observatory;
pub mod privacy;
pub mod reference;
pub mod spreadsheet;
pub mod territory;
pub mod time;
