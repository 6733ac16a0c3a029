//! relais-observatory: the observatory of trafficking in human beings (CNCDH recommendation 7).
//! It brings the sources together (imports of administrative tables and pseudonymised records,
//! the associations' annual survey, the NRM's own cases), consolidates them into statistics,
//! and publishes them, every figure through the one disclosure-control policy of `relais-stats`.
//!
//! - [`sources`] and [`import`]: the sources' definitions and Table Schema descriptors, and
//!   their files checked cell by cell and stored as versions.
//! - [`consolidate`]: every source's people per year by each published dimension.
//! - [`table`]: a two-way table counted from microdata, as it may be published.
//! - [`exports`]: the partners' exports (Eurostat, CTDC, HTCDS).
//! - [`statistics`]: a source's current version by year and dimension, protected once, and the
//!   geometry of its charts and map (the statistics pages).
//! - [`linkage`]: the encoded files of several sources linked into persons, and the estimate
//!   of how many persons none of them counted.
//! - [`release`]: the tables a release freezes, and its open data (CSV, Table Schema).

pub mod consolidate;
pub mod exports;
pub mod import;
pub mod linkage;
pub mod nrm;
pub mod release;
pub mod sources;
pub mod statistics;
pub mod survey;
pub mod survey_sheet;
pub mod table;
pub mod written_source;
