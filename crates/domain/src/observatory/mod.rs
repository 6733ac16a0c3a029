//! The observatory (issue 14): the sources it brings together and what each
//! counts. The import checks themselves live in `relais-observatory`.

pub mod release;
pub mod source;
pub mod survey;
