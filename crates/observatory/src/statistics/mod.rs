//! The consolidated statistics pages (issue 14, part 5): a source's current version counted by
//! year and one dimension, protected once by the disclosure policy, and drawn as charts and a
//! map whose geometry is computed here so that it is tested without a browser (ADR 0033).
//!
//! - [`layout`]: which columns of a source's descriptor hold the year, the dimensions and, for
//!   an aggregated table, the count.
//! - [`series`]: a version's rows counted into categories × years, and that table protected.
//! - [`chart`]: horizontal bars of one year and the lines of the trend.
//! - [`map`]: a symbol map of France by département, overseas départements in insets.

pub mod chart;
pub mod layout;
pub mod map;
pub mod series;

pub use layout::{Layout, LayoutError};
pub use series::{Category, ProtectedSeries, PublishedSeries, Series, SeriesError, french_count, published_text};
