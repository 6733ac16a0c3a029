//! The budget of a national action plan in the French State budget's
//! nomenclature (the CNCDH's fifth and sixth recommendations ask for budget
//! actions for the fight against trafficking, with both operating and
//! intervention credits): budget lines by programme and action, their
//! amounts per year, the measures they fund and grants to associations.

use super::measure::Period;
use super::money::Euros;
use strum::EnumCount;

/// Longest programme or action label, beneficiary name.
pub const LABEL_MAX: usize = 200;

/// A budget programme (*programme budgétaire*, LOLF): three digits, e.g.
/// `137` (Égalité entre les femmes et les hommes), `177`, `104`, `303`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Programme(u16);

impl Programme {
    pub fn parse(raw: &str) -> Option<Self> {
        three_or_two_digits(raw.trim(), 3).map(Self)
    }

    /// The three digits, zero-padded.
    pub fn code(self) -> String {
        format!("{:03}", self.0)
    }
}

/// An action of a programme (*action*): two digits, e.g. `15` or `04`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BudgetAction(u16);

impl BudgetAction {
    pub fn parse(raw: &str) -> Option<Self> {
        three_or_two_digits(raw.trim(), 2).map(Self)
    }

    /// The two digits, zero-padded.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }
}

fn three_or_two_digits(raw: &str, len: usize) -> Option<u16> {
    (raw.len() == len && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse().ok())
        .flatten()
}

/// The nature of credits (*titre* of the expenditure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumCount)]
pub enum CreditNature {
    /// Operating expenditure (*titre 3, dépenses de fonctionnement*).
    Operating,
    /// Intervention expenditure, e.g. grants (*titre 6, dépenses d'intervention*).
    Intervention,
}

impl CreditNature {
    pub const ALL: [Self; Self::COUNT] = [Self::Operating, Self::Intervention];

    pub fn key(self) -> &'static str {
        match self {
            Self::Operating => "operating",
            Self::Intervention => "intervention",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.key() == raw.trim())
    }
}

/// A line's amounts for its year: commitment authorisations (*autorisations
/// d'engagement*, AE) planned and committed, payment credits (*crédits de
/// paiement*, CP) planned and paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Amounts {
    pub ae_planned: Euros,
    pub ae_committed: Euros,
    pub cp_planned: Euros,
    pub cp_paid: Euros,
}

impl Amounts {
    pub fn saturating_add(self, other: Self) -> Self {
        Self {
            ae_planned: self.ae_planned.saturating_add(other.ae_planned),
            ae_committed: self.ae_committed.saturating_add(other.ae_committed),
            cp_planned: self.cp_planned.saturating_add(other.cp_planned),
            cp_paid: self.cp_paid.saturating_add(other.cp_paid),
        }
    }
}

/// A budget line of a plan for one year, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub year: i32,
    pub programme: Programme,
    /// Free text entered with the line (the programme's name in the finance law).
    pub programme_label: String,
    pub action: BudgetAction,
    pub action_label: String,
    pub nature: CreditNature,
    pub amounts: Amounts,
}

/// A grant to an association (*subvention*): an organisation, never a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub year: i32,
    pub beneficiary: String,
    pub amount: Euros,
    /// The measure's number in its plan.
    pub measure: u32,
}

/// A field of a budget form that was refused, and the message key
/// (`budget-problem-KEY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

/// A budget line as typed in a form or a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawLine {
    pub year: String,
    pub programme: String,
    pub programme_label: String,
    pub action: String,
    pub action_label: String,
    pub nature: String,
    pub ae_planned: String,
    pub ae_committed: String,
    pub cp_planned: String,
    pub cp_paid: String,
}

fn year_in(raw: &str, period: Period, field: &'static str, problems: &mut Vec<Problem>) -> Option<i32> {
    let year = raw
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (period.start..=period.end).contains(y));
    if year.is_none() {
        problems.push(Problem { field, key: "year" });
    }
    year
}

fn label(raw: &str, field: &'static str, problems: &mut Vec<Problem>) -> String {
    let text = raw.trim();
    if text.is_empty() {
        problems.push(Problem {
            field,
            key: "label-required",
        });
    } else if text.chars().count() > LABEL_MAX {
        problems.push(Problem { field, key: "too-long" });
    }
    text.to_owned()
}

/// An amount; empty reads as zero (nothing planned or spent yet).
fn amount(raw: &str, field: &'static str, problems: &mut Vec<Problem>) -> Euros {
    if raw.trim().is_empty() {
        return Euros::default();
    }
    Euros::parse(raw).unwrap_or_else(|| {
        problems.push(Problem { field, key: "amount" });
        Euros::default()
    })
}

/// Every key a [`Problem`] of a line or a grant, or [`check_assignments`],
/// may carry (`budget-problem-<key>`, checked in both languages).
pub const PROBLEM_KEYS: [&str; 10] = [
    "year",
    "label-required",
    "too-long",
    "amount",
    "programme",
    "action",
    "nature",
    "amount-positive",
    "measure",
    "assigned-over",
];

/// Checks a typed line against the plan's period; every wrong field named.
pub fn check_line(raw: &RawLine, period: Period) -> Result<BudgetLine, Vec<Problem>> {
    let mut problems = Vec::new();
    let year = year_in(&raw.year, period, "year", &mut problems);
    let programme = Programme::parse(&raw.programme);
    if programme.is_none() {
        problems.push(Problem {
            field: "programme",
            key: "programme",
        });
    }
    let programme_label = label(&raw.programme_label, "programme_label", &mut problems);
    let action = BudgetAction::parse(&raw.action);
    if action.is_none() {
        problems.push(Problem {
            field: "action",
            key: "action",
        });
    }
    let action_label = label(&raw.action_label, "action_label", &mut problems);
    let nature = CreditNature::parse(&raw.nature);
    if nature.is_none() {
        problems.push(Problem {
            field: "nature",
            key: "nature",
        });
    }
    let amounts = Amounts {
        ae_planned: amount(&raw.ae_planned, "ae_planned", &mut problems),
        ae_committed: amount(&raw.ae_committed, "ae_committed", &mut problems),
        cp_planned: amount(&raw.cp_planned, "cp_planned", &mut problems),
        cp_paid: amount(&raw.cp_paid, "cp_paid", &mut problems),
    };
    match (year, programme, action, nature) {
        (Some(year), Some(programme), Some(action), Some(nature)) if problems.is_empty() => Ok(BudgetLine {
            year,
            programme,
            programme_label,
            action,
            action_label,
            nature,
            amounts,
        }),
        _ => Err(problems),
    }
}

/// A grant as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawGrant {
    pub year: String,
    pub beneficiary: String,
    pub amount: String,
    pub measure: String,
}

/// Checks a typed grant: a year of the plan, a named beneficiary, a
/// positive amount and one of the plan's measures (`measures`: their numbers).
pub fn check_grant(raw: &RawGrant, period: Period, measures: &[u32]) -> Result<Grant, Vec<Problem>> {
    let mut problems = Vec::new();
    let year = year_in(&raw.year, period, "year", &mut problems);
    let beneficiary = label(&raw.beneficiary, "beneficiary", &mut problems);
    let amount = Euros::parse(&raw.amount).filter(|a| a.cents() > 0);
    if amount.is_none() {
        problems.push(Problem {
            field: "amount",
            key: "amount-positive",
        });
    }
    let measure = raw.measure.trim().parse::<u32>().ok().filter(|n| measures.contains(n));
    if measure.is_none() {
        problems.push(Problem {
            field: "measure",
            key: "measure",
        });
    }
    match (year, amount, measure) {
        (Some(year), Some(amount), Some(measure)) if problems.is_empty() => Ok(Grant {
            year,
            beneficiary,
            amount,
            measure,
        }),
        _ => Err(problems),
    }
}

/// Checks the amounts a line assigns to measures: together they may not
/// exceed the line's planned AE. `Err`: the problem's key.
pub fn check_assignments(ae_planned: Euros, assigned: &[(u32, Euros)]) -> Result<(), &'static str> {
    let total = assigned
        .iter()
        .fold(Euros::default(), |sum, (_, amount)| sum.saturating_add(*amount));
    if total > ae_planned {
        return Err("assigned-over");
    }
    Ok(())
}

/// The columns of a plan's budget lines as CSV.
pub const LINE_COLUMNS: [&str; 11] = [
    "year",
    "programme",
    "programme_label",
    "action",
    "action_label",
    "nature",
    "ae_planned_eur",
    "ae_committed_eur",
    "cp_planned_eur",
    "cp_paid_eur",
    "measures",
];

/// The columns of a plan's grants as CSV.
pub const GRANT_COLUMNS: [&str; 5] = ["year", "beneficiary", "amount_eur", "measure", "line"];

impl BudgetLine {
    /// The line's cells in [`LINE_COLUMNS`] order; `assigned` as
    /// `1:50000.00;2:25000.00` (measure number, amount).
    pub fn to_row(&self, assigned: &[(u32, Euros)]) -> [String; 11] {
        let measures: Vec<String> = assigned
            .iter()
            .map(|(number, amount)| format!("{number}:{}", amount.to_text()))
            .collect();
        [
            self.year.to_string(),
            self.programme.code(),
            self.programme_label.clone(),
            self.action.code(),
            self.action_label.clone(),
            self.nature.key().to_owned(),
            self.amounts.ae_planned.to_text(),
            self.amounts.ae_committed.to_text(),
            self.amounts.cp_planned.to_text(),
            self.amounts.cp_paid.to_text(),
            measures.join(";"),
        ]
    }

    /// `137 Égalité… — 15 Prévention… (2025)`: how a line is named in pickers.
    pub fn name(&self) -> String {
        format!(
            "{} {} — {} {} ({})",
            self.programme.code(),
            self.programme_label,
            self.action.code(),
            self.action_label,
            self.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period() -> Period {
        Period::new(2025, 2026).unwrap()
    }

    fn raw() -> RawLine {
        RawLine {
            year: "2025".into(),
            programme: "137".into(),
            programme_label: "Égalité entre les femmes et les hommes".into(),
            action: "15".into(),
            action_label: "Prévention et lutte contre la prostitution et la traite".into(),
            nature: "intervention".into(),
            ae_planned: "12 500,50".into(),
            ae_committed: "10000".into(),
            cp_planned: "12500.50".into(),
            cp_paid: String::new(),
        }
    }

    #[test]
    fn programmes_have_three_digits_and_actions_two() {
        assert_eq!(Programme::parse("137").map(Programme::code), Some("137".into()));
        assert_eq!(Programme::parse(" 104 ").map(Programme::code), Some("104".into()));
        assert_eq!(BudgetAction::parse("04").map(BudgetAction::code), Some("04".into()));
        for wrong in ["", "13", "1370", "13a", "-37", "+37"] {
            assert_eq!(Programme::parse(wrong), None, "{wrong}");
        }
        for wrong in ["", "4", "004", "a1"] {
            assert_eq!(BudgetAction::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn natures_read_their_keys_only() {
        for nature in CreditNature::ALL {
            assert_eq!(CreditNature::parse(nature.key()), Some(nature));
        }
        assert_eq!(CreditNature::parse("titre 3"), None);
    }

    #[test]
    fn a_good_line_reads_french_and_dotted_amounts_and_empty_as_zero() {
        let line = check_line(&raw(), period()).unwrap();
        assert_eq!(line.amounts.ae_planned.cents(), 1_250_050);
        assert_eq!(line.amounts.cp_planned.cents(), 1_250_050);
        assert_eq!(line.amounts.ae_committed.cents(), 1_000_000);
        assert_eq!(line.amounts.cp_paid.cents(), 0);
        assert_eq!(line.nature, CreditNature::Intervention);
    }

    #[test]
    fn every_wrong_field_of_a_line_is_named() {
        let wrong = RawLine {
            year: "2027".into(),
            programme: "13".into(),
            programme_label: " ".into(),
            action: "x".into(),
            action_label: "a".repeat(LABEL_MAX + 1),
            nature: String::new(),
            ae_planned: "12,500.50".into(),
            ..raw()
        };
        let fields: Vec<&str> = check_line(&wrong, period())
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "year",
                "programme",
                "programme_label",
                "action",
                "action_label",
                "nature",
                "ae_planned"
            ]
        );
    }

    #[test]
    fn a_grant_needs_a_beneficiary_a_positive_amount_and_a_measure_of_the_plan() {
        let good = RawGrant {
            year: "2026".into(),
            beneficiary: "Association Passerelle (fictive)".into(),
            amount: "45 000".into(),
            measure: "2".into(),
        };
        let grant = check_grant(&good, period(), &[1, 2]).unwrap();
        assert_eq!((grant.measure, grant.amount.cents()), (2, 4_500_000));
        let wrong = RawGrant {
            amount: "0".into(),
            measure: "9".into(),
            beneficiary: String::new(),
            ..good
        };
        let keys: Vec<&str> = check_grant(&wrong, period(), &[1, 2])
            .unwrap_err()
            .iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(keys, ["label-required", "amount-positive", "measure"]);
    }

    #[test]
    fn assignments_may_not_exceed_the_planned_ae() {
        let cents = |c| Euros::from_cents(c).unwrap();
        assert!(check_assignments(cents(100), &[(1, cents(60)), (2, cents(40))]).is_ok());
        assert_eq!(
            check_assignments(cents(100), &[(1, cents(60)), (2, cents(41))]),
            Err("assigned-over")
        );
        assert!(check_assignments(cents(0), &[]).is_ok());
    }

    /// Every key the checks produce is listed, so the translation check
    /// that reads the list covers it.
    #[test]
    fn every_problem_key_is_listed() {
        let wrong_line = RawLine {
            year: "1990".into(),
            programme: "x".into(),
            programme_label: String::new(),
            action: "x".into(),
            action_label: "a".repeat(LABEL_MAX + 1),
            nature: "x".into(),
            ae_planned: "x".into(),
            ..raw()
        };
        let wrong_grant = RawGrant {
            amount: "0".into(),
            measure: "9".into(),
            ..RawGrant::default()
        };
        let mut keys: Vec<&str> = check_line(&wrong_line, period())
            .unwrap_err()
            .into_iter()
            .chain(check_grant(&wrong_grant, period(), &[1]).unwrap_err())
            .map(|p| p.key)
            .collect();
        keys.extend(check_assignments(Euros::default(), &[(1, Euros::from_cents(1).unwrap())]).err());
        keys.sort_unstable();
        keys.dedup();
        let mut listed = PROBLEM_KEYS.to_vec();
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }
}
