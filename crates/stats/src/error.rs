//! The one error type of the crate.

/// Everything that can go wrong while reading a table or estimating from it.
///
/// Lines and columns are 1-based, as a spreadsheet shows them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MseError {
    /// The text is not valid CSV (bad quoting, invalid UTF-8…).
    #[error("line {line}: malformed CSV: {message}")]
    Csv {
        /// Line of the offending record.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// There is no header line.
    #[error("line 1: the file is empty; expected a header naming the lists and the count")]
    Empty,
    /// A record does not have as many fields as the header.
    #[error("line {line}: expected {expected} fields as in the header, found {found}")]
    FieldCount {
        /// Line of the record.
        line: u64,
        /// Number of header fields.
        expected: usize,
        /// Number of fields on this line.
        found: usize,
    },
    /// A header cell is empty or repeats an earlier list name.
    #[error("line 1, column {column}: list name {name:?} is {problem}")]
    BadHeader {
        /// Column of the name.
        column: usize,
        /// The name as written.
        name: String,
        /// "empty" or "repeated".
        problem: &'static str,
    },
    /// Fewer than two list columns before the count column.
    #[error(
        "line 1: at least two list columns and a count column are needed, found {found} column(s) (columns are separated by commas)"
    )]
    TooFewLists {
        /// Number of header fields.
        found: usize,
    },
    /// Once the lists that hold no case are left out, fewer than two remain.
    #[error("fewer than two lists hold any case: nothing to cross-reference")]
    TooFewNonEmptyLists,
    /// More lists than the 2^t cells of the table allow us to fit.
    #[error("line 1: {found} lists; at most {max} are supported")]
    TooManyLists {
        /// Number of lists in the header.
        found: usize,
        /// The supported maximum.
        max: usize,
    },
    /// A list cell is neither 0 nor 1.
    #[error("line {line}, column {column} (list {list:?}): expected 0 or 1, found {value:?}")]
    NotBinary {
        /// Line of the record.
        line: u64,
        /// Column of the cell.
        column: usize,
        /// Name of the list.
        list: String,
        /// The value as written.
        value: String,
    },
    /// The count is negative, fractional or not a number.
    #[error("line {line}, column {column}: the count must be a non-negative integer, found {value:?}")]
    BadCount {
        /// Line of the record.
        line: u64,
        /// Column of the count.
        column: usize,
        /// The value as written.
        value: String,
    },
    /// A row with every list at 0: the unseen cell is what is being estimated.
    #[error(
        "line {line}: the history is on no list (all zeros); the unseen cell is what MSE estimates and cannot be given"
    )]
    EmptyHistory {
        /// Line of the record.
        line: u64,
    },
    /// Adding up counts exceeded 2^64 − 1.
    #[error("line {line}: the counts add up to more than {max}", max = u64::MAX)]
    CountOverflow {
        /// Line where the sum overflowed.
        line: u64,
    },
    /// The total number of cases exceeds 2^64 − 1.
    #[error("the counts add up to more than {max}", max = u64::MAX)]
    TotalOverflow,
    /// A table built in code gave a count for the unseen cell (history 0).
    #[error("the unseen cell (on no list) cannot be given a count")]
    UnseenCell,
    /// The table holds no case at all.
    #[error("the table holds no case (all counts are zero)")]
    NoCases,
    /// The table given to [`crate::Dataset::new`] does not have 2^t cells.
    #[error("a table over {lists} lists needs {expected} cells, found {found}")]
    CellCount {
        /// Number of lists.
        lists: usize,
        /// 2^lists.
        expected: usize,
        /// Cells given.
        found: usize,
    },
    /// The selection threshold is outside [0, 1].
    #[error("the threshold must lie between 0 and 1, found {0}")]
    InvalidThreshold(f64),
    /// The exhaustive BIC search is limited to a few lists.
    #[error("the BIC search handles at most {max} lists, found {found}")]
    BicTooManyLists {
        /// Number of lists.
        found: usize,
        /// The supported maximum.
        max: usize,
    },
    /// Even the main-effects model has no maximum likelihood estimate (the lists barely
    /// overlap), so nothing bounds the dark figure.
    #[error(
        "no finite estimate: the lists overlap too little for even the main-effects model to have a maximum likelihood estimate"
    )]
    NoEstimate,
    /// Iteratively reweighted least squares did not converge.
    #[error("the Poisson model fit did not converge")]
    NotConverged,
    /// A setting of the latent-class sampler is too small.
    #[error("latent-class estimation: {setting} must be at least {minimum}, found {value}")]
    InvalidLcmcrSetting {
        /// The setting, as the command line names it.
        setting: &'static str,
        /// The value given.
        value: usize,
        /// The least accepted.
        minimum: usize,
    },
    /// The latent-class sampler runs at most [`crate::MAX_CLASSES`] classes.
    #[error("latent-class estimation: classes must be at most {maximum}, found {value}")]
    TooManyLcmcrClasses {
        /// The number of classes asked for.
        value: usize,
        /// The most accepted.
        maximum: usize,
    },
    /// The Gamma prior on the concentration needs a positive shape and rate.
    #[error("latent-class estimation: the prior on the concentration needs a positive shape and rate")]
    InvalidAlphaPrior,
    /// A draw of the latent-class sampler met parameters outside its distribution's domain
    /// (numerical underflow or overflow).
    #[error("latent-class estimation: the sampler met an invalid parameter (numerical overflow)")]
    SamplerFailed,
    /// The linear programme of the existence check failed.
    #[error("the existence check's linear programme failed: {0}")]
    Solver(String),
}
