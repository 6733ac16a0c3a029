//! The observatory (issue 14): the sources it brings together and what each
//! counts, the associations' survey, the linkage runs across sources, the estimates with the methods side by side (and the queue both wait in), the library of studies, the training records, and the
//! age bands of the partners' exports. The import checks themselves live in
//! `relais-observatory`.

pub mod age_band;
pub mod estimate;
pub mod library;
pub mod linkage;
pub mod release;
pub mod source;
pub mod survey;
pub mod training;
pub mod work;
