//! Where the money for a measure's year comes from: a closed set of kinds,
//! so that budget lines can later be matched against it (a programme and an
//! action of the State budget are kept as two separate codes).

/// The funding source of a measure for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FundingSource {
    /// A programme and an action of the State budget (*programme* and
    /// *action* of the LOLF nomenclature, e.g. programme "137", action "15").
    Budget { programme: String, action: String },
    /// The agency for the management and recovery of seized and confiscated
    /// assets (*Agence de gestion et de recouvrement des avoirs saisis et
    /// confisqués*), whose fund finances victim support.
    Agrasc,
    /// European Union funds (e.g. AMIF, ISF, ESF+).
    EuFunds,
    /// Anything else, named by a free label.
    Other(String),
}

/// The kinds a picker offers, in order.
pub const KINDS: [&str; 4] = ["budget", "agrasc", "eu_funds", "other"];

/// The form fields of a funding source, which its problems name.
pub const KIND_FIELD: &str = "funding_kind";
pub const PROGRAMME_FIELD: &str = "funding_programme";
pub const ACTION_FIELD: &str = "funding_action";
pub const LABEL_FIELD: &str = "funding_label";

/// Longest free label of an "other" source.
pub const LABEL_MAX: usize = 200;

/// What is wrong with a funding source as typed; `field` is the form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingProblem {
    pub field: &'static str,
    pub key: &'static str,
}

impl FundingSource {
    /// The kind's key, one of [`KINDS`].
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Budget { .. } => "budget",
            Self::Agrasc => "agrasc",
            Self::EuFunds => "eu_funds",
            Self::Other(_) => "other",
        }
    }

    /// Reads a kind and its details. An empty kind is no source (`Ok(None)`).
    /// A budget source needs a three-digit programme and a two-digit action
    /// (leading zeros added: "15" and "015" are not the same programme, so
    /// only the action is padded); "other" needs a label. Details that the
    /// kind does not use are ignored.
    pub fn parse(kind: &str, programme: &str, action: &str, label: &str) -> Result<Option<Self>, Vec<FundingProblem>> {
        let mut problems = Vec::new();
        let source = match kind.trim() {
            "" => None,
            "budget" => {
                let programme = programme.trim();
                let action = action.trim();
                let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
                if !(programme.len() == 3 && digits(programme)) {
                    problems.push(FundingProblem {
                        field: PROGRAMME_FIELD,
                        key: "funding-programme",
                    });
                }
                if !(action.len() <= 2 && digits(action)) {
                    problems.push(FundingProblem {
                        field: ACTION_FIELD,
                        key: "funding-action",
                    });
                }
                Some(Self::Budget {
                    programme: programme.to_owned(),
                    action: format!("{action:0>2}"),
                })
            }
            "agrasc" => Some(Self::Agrasc),
            "eu_funds" => Some(Self::EuFunds),
            "other" => {
                let label = label.trim();
                if label.is_empty() {
                    problems.push(FundingProblem {
                        field: LABEL_FIELD,
                        key: "funding-label",
                    });
                } else if label.chars().count() > LABEL_MAX {
                    problems.push(FundingProblem {
                        field: LABEL_FIELD,
                        key: "too-long",
                    });
                }
                Some(Self::Other(label.to_owned()))
            }
            _ => {
                problems.push(FundingProblem {
                    field: KIND_FIELD,
                    key: "funding-kind",
                });
                None
            }
        };
        if problems.is_empty() { Ok(source) } else { Err(problems) }
    }

    /// The programme and action codes of a budget source.
    pub fn budget_codes(&self) -> Option<(&str, &str)> {
        match self {
            Self::Budget { programme, action } => Some((programme, action)),
            _ => None,
        }
    }

    /// The free label of an "other" source.
    pub fn label(&self) -> Option<&str> {
        match self {
            Self::Other(label) => Some(label),
            _ => None,
        }
    }

    /// How French pages and exports name it: "Programme 137, action 15",
    /// "AGRASC", "Fonds européens", or the label.
    pub fn french(&self) -> String {
        match self {
            Self::Budget { programme, action } => format!("Programme {programme}, action {action}"),
            Self::Agrasc => "AGRASC".to_owned(),
            Self::EuFunds => "Fonds européens".to_owned(),
            Self::Other(label) => label.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_parses_and_is_labelled() {
        let budget = FundingSource::parse("budget", " 137 ", "15", "ignored")
            .unwrap()
            .unwrap();
        assert_eq!(budget.budget_codes(), Some(("137", "15")));
        assert_eq!(budget.french(), "Programme 137, action 15");
        assert_eq!(budget.kind(), "budget");
        assert_eq!(
            FundingSource::parse("budget", "177", "2", "").unwrap(),
            Some(FundingSource::Budget {
                programme: "177".into(),
                action: "02".into()
            }),
            "a one-digit action is padded"
        );
        assert_eq!(
            FundingSource::parse("agrasc", "137", "", "").unwrap(),
            Some(FundingSource::Agrasc),
            "details the kind does not use are ignored"
        );
        assert_eq!(FundingSource::Agrasc.french(), "AGRASC");
        assert_eq!(
            FundingSource::parse("eu_funds", "", "", "").unwrap().unwrap().french(),
            "Fonds européens"
        );
        let other = FundingSource::parse("other", "", "", " Fondation X ").unwrap().unwrap();
        assert_eq!(other.label(), Some("Fondation X"));
        assert_eq!(other.french(), "Fondation X");
        assert_eq!(FundingSource::parse("", "137", "15", "").unwrap(), None);
        for kind in KINDS {
            assert!(FundingSource::parse(kind, "137", "15", "x").is_ok(), "{kind}");
        }
    }

    #[test]
    fn missing_or_wrong_details_name_their_field() {
        let fields = |kind: &str, programme: &str, action: &str, label: &str| -> Vec<&'static str> {
            FundingSource::parse(kind, programme, action, label)
                .unwrap_err()
                .iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields("budget", "", "", ""), ["funding_programme", "funding_action"]);
        assert_eq!(fields("budget", "13", "15", ""), ["funding_programme"]);
        assert_eq!(fields("budget", "1377", "15", ""), ["funding_programme"]);
        assert_eq!(fields("budget", "137", "155", ""), ["funding_action"]);
        assert_eq!(fields("budget", "137", "1a", ""), ["funding_action"]);
        assert_eq!(fields("other", "", "", "  "), ["funding_label"]);
        assert_eq!(fields("other", "", "", &"x".repeat(LABEL_MAX + 1)), ["funding_label"]);
        assert_eq!(fields("loan", "", "", ""), ["funding_kind"]);
    }
}
