//! The associations' annual survey (issue 14, part 3), as the MIPROF has run
//! it by e-mail since 2016 (../shared/reference/domain.md §4): a campaign per
//! data year, and from each association its totals and one coded profile per
//! person it detected or accompanied, so that the figures compare with the
//! published series. No name and no free text anywhere: every answer is a
//! code from the lists below (or a country code), "unknown" always allowed.

use crate::intake::referral::ExploitationForm;
use crate::time::Date;
use std::collections::BTreeMap;

/// The first and last data years a campaign may cover.
pub const YEARS: std::ops::RangeInclusive<i32> = 2016..=2100;

/// A campaign: the data year and the days the questionnaire is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub year: i32,
    pub opens_on: Date,
    pub closes_on: Date,
}

/// A campaign as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CampaignInput {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
}

/// A field of a form and what is wrong with it (the key of its message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

const fn problem(field: &'static str, key: &'static str) -> Problem {
    Problem { field, key }
}

impl Campaign {
    pub fn parse(input: &CampaignInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let year = input.year.trim().parse::<i32>().ok().filter(|y| YEARS.contains(y));
        if year.is_none() {
            problems.push(problem("year", "survey-year-invalid"));
        }
        let opens_on = Date::parse(input.opens_on.trim());
        if opens_on.is_none() {
            problems.push(problem("opens_on", "survey-date-invalid"));
        }
        let closes_on = Date::parse(input.closes_on.trim());
        match (opens_on, closes_on) {
            (_, None) => problems.push(problem("closes_on", "survey-date-invalid")),
            (Some(opens), Some(closes)) if closes <= opens => {
                problems.push(problem("closes_on", "survey-closes-before-opening"));
            }
            _ => {}
        }
        match (year, opens_on, closes_on) {
            (Some(year), Some(opens_on), Some(closes_on)) if problems.is_empty() => Ok(Self {
                year,
                opens_on,
                closes_on,
            }),
            _ => Err(problems),
        }
    }

    /// Whether an association may still change its answers on `today`.
    pub fn is_open(&self, today: Date) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }
}

/// The forms of exploitation the survey counts, in the series' order.
pub const FORMS: [ExploitationForm; 6] = [
    ExploitationForm::Sexual,
    ExploitationForm::Labour,
    ExploitationForm::DomesticServitude,
    ExploitationForm::ForcedCriminality,
    ExploitationForm::ForcedBegging,
    ExploitationForm::Other,
];

/// An association's totals for the year.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    /// Persons accompanied during the year.
    pub accompanied: u32,
    /// Of them, accompanied for the first time this year.
    pub new_in_year: u32,
    /// Persons accompanied, by form (a person may count in several).
    pub by_form: BTreeMap<String, u32>,
}

/// Totals as typed: every field by its form name.
pub type TotalsInput = BTreeMap<String, String>;

fn count(input: &TotalsInput, field: &'static str, problems: &mut Vec<Problem>) -> u32 {
    let raw = input.get(field).map_or("", |v| v.trim());
    if raw.is_empty() {
        return 0;
    }
    raw.parse::<u32>().unwrap_or_else(|_| {
        problems.push(problem(field, "survey-count-invalid"));
        0
    })
}

/// The form field of a form's total.
pub fn form_field(form: ExploitationForm) -> &'static str {
    match form {
        ExploitationForm::Sexual => "form_sexual",
        ExploitationForm::Labour => "form_labour",
        ExploitationForm::DomesticServitude => "form_domestic_servitude",
        ExploitationForm::ForcedCriminality => "form_forced_criminality",
        ExploitationForm::ForcedBegging => "form_forced_begging",
        _ => "form_other",
    }
}

impl Totals {
    /// Reads the totals, every problem at once: whole numbers only, the new
    /// persons and each form's count within the persons accompanied.
    pub fn parse(input: &TotalsInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let accompanied = count(input, "accompanied", &mut problems);
        let new_in_year = count(input, "new_in_year", &mut problems);
        if new_in_year > accompanied {
            problems.push(problem("new_in_year", "survey-new-above-accompanied"));
        }
        let mut by_form = BTreeMap::new();
        for form in FORMS {
            let field = form_field(form);
            let n = count(input, field, &mut problems);
            if n > accompanied {
                problems.push(problem(field, "survey-form-above-accompanied"));
            }
            by_form.insert(form.key().to_owned(), n);
        }
        if problems.is_empty() {
            Ok(Self {
                accompanied,
                new_in_year,
                by_form,
            })
        } else {
            Err(problems)
        }
    }

    /// The typed form of these totals, to fill the form again.
    pub fn input(&self) -> TotalsInput {
        let mut out = TotalsInput::new();
        out.insert("accompanied".into(), self.accompanied.to_string());
        out.insert("new_in_year".into(), self.new_in_year.to_string());
        for form in FORMS {
            let n = self.by_form.get(form.key()).copied().unwrap_or(0);
            out.insert(form_field(form).into(), n.to_string());
        }
        out
    }
}

/// A profile question with a closed list of answers, "unknown" last.
pub struct Question {
    pub key: &'static str,
    pub answers: &'static [&'static str],
}

const YES_NO: &[&str] = &["yes", "no", "unknown"];

/// The survey's questions about one person, in the questionnaire's order
/// (nationality and forms apart: a country list and several forms).
pub const QUESTIONS: [Question; 13] = [
    Question {
        key: "relation",
        answers: &["accompanied", "detected"],
    },
    Question {
        key: "sex",
        answers: &["female", "male", "other", "unknown"],
    },
    Question {
        key: "age_group",
        answers: &["under-18", "18-24", "25-34", "35-44", "45-plus", "unknown"],
    },
    Question {
        key: "minor_at_start",
        answers: YES_NO,
    },
    Question {
        key: "exploited_in",
        answers: &["france", "abroad-only", "unknown"],
    },
    Question {
        key: "network",
        answers: YES_NO,
    },
    Question {
        key: "exploiter_family",
        answers: YES_NO,
    },
    Question {
        key: "housed_by_exploiter",
        answers: YES_NO,
    },
    Question {
        key: "complaint",
        answers: YES_NO,
    },
    Question {
        key: "residence_permit",
        answers: YES_NO,
    },
    Question {
        key: "care",
        answers: YES_NO,
    },
    Question {
        key: "housing",
        answers: YES_NO,
    },
    Question {
        key: "unaccompanied_minor",
        answers: YES_NO,
    },
];

/// One person, as codes: each question's answer, the nationality (ISO
/// 3166-1 alpha-3, or "unknown") and the forms of exploitation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    pub answers: BTreeMap<String, String>,
    pub nationality: String,
    pub forms: Vec<String>,
}

/// A profile as typed: the questions' answers, the nationality and the forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub answers: BTreeMap<String, String>,
    pub nationality: String,
    pub forms: Vec<String>,
}

impl Profile {
    /// Every question answered from its list, a known country or "unknown",
    /// at least one form; an unaccompanied minor was a minor.
    pub fn parse(input: &ProfileInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut answers = BTreeMap::new();
        for question in &QUESTIONS {
            match input.answers.get(question.key).map(|a| a.trim()) {
                Some(answer) if question.answers.contains(&answer) => {
                    answers.insert(question.key.to_owned(), answer.to_owned());
                }
                _ => problems.push(problem(question.key, "survey-answer-missing")),
            }
        }
        let nationality = input.nationality.trim().to_ascii_uppercase();
        let nationality = if nationality.is_empty() || nationality == "UNKNOWN" {
            "unknown".to_owned()
        } else if crate::reference::country(&nationality).is_some() {
            nationality
        } else {
            problems.push(problem("nationality", "survey-country-unknown"));
            nationality
        };
        let forms: Vec<String> = FORMS
            .iter()
            .map(|f| f.key())
            .filter(|key| input.forms.iter().any(|f| f == key))
            .map(str::to_owned)
            .collect();
        if forms.is_empty() {
            problems.push(problem("forms", "survey-forms-missing"));
        }
        let said = |key: &str| answers.get(key).map(String::as_str);
        if said("unaccompanied_minor") == Some("yes")
            && said("age_group") != Some("under-18")
            && said("minor_at_start") != Some("yes")
        {
            problems.push(problem("unaccompanied_minor", "survey-unaccompanied-not-minor"));
        }
        if problems.is_empty() {
            Ok(Self {
                answers,
                nationality,
                forms,
            })
        } else {
            Err(problems)
        }
    }

    pub fn answer(&self, key: &str) -> &str {
        self.answers.get(key).map_or("unknown", String::as_str)
    }
}

/// What the check page says of a questionnaire before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// More accompanied profiles than persons declared accompanied: blocks.
    MoreProfilesThanAccompanied { profiles: u32, accompanied: u32 },
    /// More profiles of a form than the form's total: blocks.
    MoreProfilesThanForm { form: String, profiles: u32, total: u32 },
    /// Fewer accompanied profiles than persons declared: said, not blocking
    /// (a profile may be missing for someone the association lost sight of).
    FewerProfilesThanAccompanied { profiles: u32, accompanied: u32 },
}

impl Check {
    pub fn blocks(&self) -> bool {
        !matches!(self, Self::FewerProfilesThanAccompanied { .. })
    }
}

/// Profiles counted against the declared totals.
pub fn check(totals: &Totals, profiles: &[Profile]) -> Vec<Check> {
    let accompanied: Vec<&Profile> = profiles
        .iter()
        .filter(|p| p.answer("relation") == "accompanied")
        .collect();
    let n = u32::try_from(accompanied.len()).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    if n > totals.accompanied {
        out.push(Check::MoreProfilesThanAccompanied {
            profiles: n,
            accompanied: totals.accompanied,
        });
    }
    for form in FORMS {
        let total = totals.by_form.get(form.key()).copied().unwrap_or(0);
        let with = accompanied
            .iter()
            .filter(|p| p.forms.iter().any(|f| f == form.key()))
            .count();
        let with = u32::try_from(with).unwrap_or(u32::MAX);
        if with > total {
            out.push(Check::MoreProfilesThanForm {
                form: form.key().to_owned(),
                profiles: with,
                total,
            });
        }
    }
    if n < totals.accompanied {
        out.push(Check::FewerProfilesThanAccompanied {
            profiles: n,
            accompanied: totals.accompanied,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(pairs: &[(&str, &str)]) -> TotalsInput {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn profile(relation: &str, forms: &[&str]) -> ProfileInput {
        let mut answers: BTreeMap<String, String> = QUESTIONS
            .iter()
            .map(|q| (q.key.to_owned(), "unknown".to_owned()))
            .collect();
        answers.insert("relation".into(), relation.into());
        ProfileInput {
            answers,
            nationality: "nga".into(),
            forms: forms.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn a_campaign_needs_a_year_and_a_closing_after_its_opening() {
        let ok = CampaignInput {
            year: "2026".into(),
            opens_on: "2027-01-05".into(),
            closes_on: "2027-03-31".into(),
        };
        assert_eq!(Campaign::parse(&ok).map(|c| c.year), Ok(2026));
        let bad = CampaignInput {
            year: "26".into(),
            opens_on: "2027-03-31".into(),
            closes_on: "2027-03-31".into(),
        };
        let keys: Vec<_> = Campaign::parse(&bad).unwrap_err().iter().map(|p| p.key).collect();
        assert_eq!(keys, ["survey-year-invalid", "survey-closes-before-opening"]);
        let campaign = Campaign::parse(&ok).unwrap();
        assert!(campaign.is_open(Date::parse("2027-03-31").unwrap()));
        assert!(!campaign.is_open(Date::parse("2027-04-01").unwrap()));
    }

    #[test]
    fn totals_are_whole_numbers_within_the_persons_accompanied() {
        let parsed = Totals::parse(&totals(&[
            ("accompanied", "12"),
            ("new_in_year", "5"),
            ("form_sexual", "9"),
        ]))
        .unwrap();
        assert_eq!(parsed.by_form.get("sexual"), Some(&9));
        assert_eq!(Totals::parse(&parsed.input()), Ok(parsed));
        let problems = Totals::parse(&totals(&[
            ("accompanied", "3"),
            ("new_in_year", "4"),
            ("form_labour", "2,5"),
            ("form_sexual", "7"),
        ]))
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| (p.field, p.key)).collect();
        assert_eq!(
            fields,
            [
                ("new_in_year", "survey-new-above-accompanied"),
                ("form_sexual", "survey-form-above-accompanied"),
                ("form_labour", "survey-count-invalid"),
            ]
        );
    }

    #[test]
    fn a_profile_is_codes_only_with_a_form_and_a_known_country() {
        let parsed = Profile::parse(&profile("accompanied", &["sexual", "labour"])).unwrap();
        assert_eq!(parsed.nationality, "NGA");
        assert_eq!(parsed.forms, ["sexual", "labour"]);
        let mut wrong = profile("accompanied", &["organ-removal"]);
        wrong.answers.insert("sex".into(), "femme".into());
        wrong.nationality = "XXX".into();
        wrong.answers.insert("unaccompanied_minor".into(), "yes".into());
        let keys: Vec<_> = Profile::parse(&wrong)
            .unwrap_err()
            .iter()
            .map(|p| (p.field, p.key))
            .collect();
        assert_eq!(
            keys,
            [
                ("sex", "survey-answer-missing"),
                ("nationality", "survey-country-unknown"),
                ("forms", "survey-forms-missing"),
                ("unaccompanied_minor", "survey-unaccompanied-not-minor"),
            ]
        );
    }

    #[test]
    fn profiles_are_counted_against_the_totals() {
        let totals = Totals::parse(&totals(&[("accompanied", "2"), ("form_sexual", "1")])).unwrap();
        let p = |relation, forms: &[&str]| Profile::parse(&profile(relation, forms)).unwrap();
        let two = [p("accompanied", &["sexual"]), p("accompanied", &["sexual"])];
        let found = check(&totals, &two);
        assert_eq!(
            found,
            [Check::MoreProfilesThanForm {
                form: "sexual".into(),
                profiles: 2,
                total: 1
            }]
        );
        assert!(found[0].blocks());
        let one = [p("accompanied", &["sexual"]), p("detected", &["labour"])];
        let found = check(&totals, &one);
        assert_eq!(
            found,
            [Check::FewerProfilesThanAccompanied {
                profiles: 1,
                accompanied: 2
            }]
        );
        assert!(!found[0].blocks());
        let three = [
            p("accompanied", &["labour"]),
            p("accompanied", &["labour"]),
            p("accompanied", &["labour"]),
        ];
        assert!(
            check(&totals, &three)
                .iter()
                .any(|c| matches!(c, Check::MoreProfilesThanAccompanied { profiles: 3, .. }))
        );
    }
}
