//! The observatory (issue 14): the sources it brings together and what each
//! counts, the associations' survey, the library of studies and the
//! training records. The import checks themselves live in `relais-observatory`.

pub mod library;
pub mod release;
pub mod source;
pub mod survey;
pub mod training;
