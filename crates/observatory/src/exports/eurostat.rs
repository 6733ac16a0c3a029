//! Registered victims of a year in the shape of Eurostat's `crim_thb` tables (victims by age
//! group and sex, by citizenship and sex, by form of exploitation and sex), written long: one
//! line per figure with its dimension codes, `TOTAL` (or `T` for sex) where a dimension is
//! summed over, the count in `OBS_VALUE` (`0` is a known zero) and `OBS_FLAG` `c` with an
//! empty value where the disclosure policy hides the figure.
//!
//! The counted people are the `relais-mnr` source's records (one line per referral under the
//! person's keyed pseudonym): a person referred in the year counts once, with the categories of
//! their latest referral of the year; referrals rejected or recorded as anonymous
//! notifications count nobody (Eurostat's registered victims are the identified and the
//! presumed ones, and an anonymous notification names no person to count once).
//!
//! The three tables count the same people by sex, so their sex totals are the same figures:
//! they are protected together (`Disclosure::protect_linked`) and written once.

use std::collections::HashMap;
use strum::EnumCount;

use relais_domain::intake::referral::ExploitationForm;
use relais_domain::reference::european_union;
use relais_stats::{Disclosure, ProtectedTable, Published, TwoWayTable};
use serde_json::{Map, Value};

use super::csv_text;

/// Sex, as Eurostat codes it; the last is the total.
const SEX: [&str; 4] = ["F", "M", "UNK", "T"];
/// The dimension codes written when a dimension is summed over.
const TOTAL: &str = "TOTAL";

/// The breakdowns, each with Eurostat's name of the dimension and its codes (unknown last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
enum Breakdown {
    Age,
    Citizen,
    Exploitation,
}

impl Breakdown {
    const ALL: [Self; Self::COUNT] = [Self::Age, Self::Citizen, Self::Exploitation];

    fn codes(self) -> &'static [&'static str] {
        match self {
            Self::Age => &["Y_LT18", "Y_GE18", "UNK"],
            Self::Citizen => &["NAT", "EU27_2020_FOR", "NEU27_2020_FOR", "UNK"],
            Self::Exploitation => &["SEX_EXPL", "LAB_EXPL", "OTH_EXPL", "UNK"],
        }
    }
}

/// The header of the file.
pub const COLUMNS: [&str; 10] = [
    "FREQ",
    "UNIT",
    "SEX",
    "AGE",
    "CITIZEN",
    "EXPLOIT",
    "GEO",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
];

/// The file's Table Schema descriptor: every code a column may hold, a figure an integer or
/// empty with the flag `c` (`make test` has frictionless validate the demo's file against it).
pub fn schema() -> serde_json::Value {
    let code = |name: &str, codes: Vec<&str>| serde_json::json!({"name": name, "type": "string", "constraints": {"required": true, "enum": codes}});
    let with_total = |b: Breakdown| b.codes().iter().copied().chain([TOTAL]).collect::<Vec<_>>();
    serde_json::json!({
        "fields": [
            code("FREQ", vec!["A"]),
            code("UNIT", vec!["NR"]),
            code("SEX", SEX.to_vec()),
            code("AGE", with_total(Breakdown::Age)),
            code("CITIZEN", with_total(Breakdown::Citizen)),
            code("EXPLOIT", with_total(Breakdown::Exploitation)),
            {"name": "GEO", "type": "string", "constraints": {"required": true, "pattern": "[A-Z]{2}"}},
            {"name": "TIME_PERIOD", "type": "year", "constraints": {"required": true}},
            {"name": "OBS_VALUE", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "OBS_FLAG", "type": "string", "constraints": {"enum": ["c"]}}
        ],
        "missingValues": [""]
    })
}

/// One registered victim's categories, as positions in each breakdown's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Victim {
    sex: usize,
    age: usize,
    citizen: usize,
    exploitation: usize,
}

impl Victim {
    fn position(self, breakdown: Breakdown) -> usize {
        match breakdown {
            Breakdown::Age => self.age,
            Breakdown::Citizen => self.citizen,
            Breakdown::Exploitation => self.exploitation,
        }
    }
}

/// Why the table cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EurostatError {
    #[error("line {0}: the stored row cannot be read")]
    Corrupt(u64),
    #[error("{0} is not the code of a member state of the European Union")]
    NotAMemberState(String),
}

/// The form groups of `crim_thb`: sexual exploitation; labour exploitation (forced labour or
/// services, servitude included); other forms. A referral declaring several forms (the
/// source's `multiple`) has no main form to count it under and is counted under other forms.
fn exploitation(form: &str) -> usize {
    match form {
        "" => 3,
        _ => match ExploitationForm::parse(form) {
            Some(ExploitationForm::Sexual) => 0,
            Some(ExploitationForm::Labour | ExploitationForm::DomesticServitude) => 1,
            _ => 2,
        },
    }
}

/// Eurostat's citizenship group of an alpha-3 code.
fn citizen(code: &str, reporting: &str) -> usize {
    let code = code.trim();
    if code.is_empty() {
        3
    } else if code.eq_ignore_ascii_case(reporting) {
        0
    } else if european_union::is_member(code) {
        1
    } else {
        2
    }
}

/// The registered victims of `year` among the source's rows (each its line and its values as
/// stored), one per pseudonym.
fn victims(rows: &[(u64, String)], year: i32, reporting: &str) -> Result<Vec<Victim>, EurostatError> {
    let mut latest: HashMap<String, Victim> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (line, data) in rows {
        let row: Map<String, Value> = serde_json::from_str(data).map_err(|_| EurostatError::Corrupt(*line))?;
        let text = |column: &str| row.get(column).and_then(Value::as_str).unwrap_or_default();
        let row_year = row.get("annee").and_then(Value::as_i64);
        if row_year != Some(i64::from(year)) || matches!(text("statut"), "rejected" | "recorded") {
            continue;
        }
        let pseudonym = text("pseudonyme");
        if pseudonym.is_empty() {
            return Err(EurostatError::Corrupt(*line));
        }
        let victim = Victim {
            sex: match text("sexe") {
                "F" => 0,
                "M" => 1,
                _ => 2,
            },
            age: match text("mineur") {
                "oui" => 0,
                "non" => 1,
                _ => 2,
            },
            citizen: citizen(text("nationalite"), reporting),
            exploitation: exploitation(text("forme")),
        };
        if latest.insert(pseudonym.to_owned(), victim).is_none() {
            order.push(pseudonym.to_owned());
        }
    }
    Ok(order.iter().filter_map(|p| latest.get(p).copied()).collect())
}

/// The year's table as it may be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EurostatTable {
    pub year: i32,
    /// Eurostat's code of the reporting country.
    pub geo: &'static str,
    /// The registered victims counted.
    pub victims: usize,
    /// One protected table per breakdown, sex in columns.
    tables: Vec<(Breakdown, ProtectedTable)>,
}

impl EurostatTable {
    /// Counts the registered victims of `year` in the `relais-mnr` source's rows and protects
    /// the figures under `policy`. `reporting` is the reporting country's alpha-3 code.
    pub fn build(
        rows: &[(u64, String)],
        year: i32,
        reporting: &str,
        policy: Disclosure,
    ) -> Result<Self, EurostatError> {
        let geo =
            european_union::geo_code(reporting).ok_or_else(|| EurostatError::NotAMemberState(reporting.to_owned()))?;
        let people = victims(rows, year, reporting)?;
        let counts: Vec<TwoWayTable> = Breakdown::ALL
            .iter()
            .map(|&b| {
                let width = SEX.len() - 1;
                let mut grid = vec![0u64; b.codes().len() * width];
                for v in &people {
                    grid[v.position(b) * width + v.sex] += 1;
                }
                TwoWayTable::new(b.codes().len(), width, grid)
            })
            .collect::<Result<_, _>>()
            .map_err(|_| EurostatError::Corrupt(0))?;
        let protected = policy.protect_linked(&counts).ok_or(EurostatError::Corrupt(0))?;
        Ok(Self {
            year,
            geo,
            victims: people.len(),
            tables: Breakdown::ALL.into_iter().zip(protected).collect(),
        })
    }

    /// The lines of the file: each breakdown's figures by sex, then its totals; the sex totals
    /// once, with the first breakdown.
    fn lines(&self) -> Vec<Vec<String>> {
        let mut lines = Vec::new();
        for (i, (breakdown, table)) in self.tables.iter().enumerate() {
            let codes = breakdown.codes();
            let last_row = if i == 0 { codes.len() } else { codes.len() - 1 };
            for row in 0..=last_row {
                let code = codes.get(row).copied().unwrap_or(TOTAL);
                for (col, sex) in SEX.iter().enumerate() {
                    let mut dims = [TOTAL; 3];
                    dims[*breakdown as usize] = code;
                    let (value, flag) = match table.cell(row, col) {
                        Some(Published::Count(n)) => (n.to_string(), ""),
                        _ => (String::new(), "c"),
                    };
                    lines.push(vec![
                        "A".to_owned(),
                        "NR".to_owned(),
                        (*sex).to_owned(),
                        dims[0].to_owned(),
                        dims[1].to_owned(),
                        dims[2].to_owned(),
                        self.geo.to_owned(),
                        self.year.to_string(),
                        value,
                        flag.to_owned(),
                    ]);
                }
            }
        }
        lines
    }

    pub fn to_csv(&self) -> Result<String, csv::Error> {
        csv_text(&COLUMNS, self.lines())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(
        line: u64,
        pseudonym: &str,
        year: i32,
        sex: &str,
        minor: &str,
        nationality: &str,
        form: &str,
    ) -> (u64, String) {
        let data = json!({
            "pseudonyme": pseudonym, "annee": year, "sexe": sex, "mineur": minor,
            "nationalite": nationality, "forme": form, "statut": "accepted",
        });
        (line, data.to_string())
    }

    /// The file's lines as (SEX, AGE, CITIZEN, EXPLOIT) → (OBS_VALUE, OBS_FLAG).
    fn figures(table: &EurostatTable) -> HashMap<(String, String, String, String), (String, String)> {
        table
            .lines()
            .into_iter()
            .map(|l| {
                (
                    (l[2].clone(), l[3].clone(), l[4].clone(), l[5].clone()),
                    (l[8].clone(), l[9].clone()),
                )
            })
            .collect()
    }

    fn key(sex: &str, age: &str, citizen: &str, exploit: &str) -> (String, String, String, String) {
        (sex.into(), age.into(), citizen.into(), exploit.into())
    }

    #[test]
    fn people_count_once_in_eurostats_codes() {
        let mut rows = vec![
            // Referred twice in the year: counted once, as the latest referral says.
            row(2, "p1", 2026, "F", "oui", "NGA", "labour"),
            row(3, "p1", 2026, "F", "non", "NGA", "sexual"),
            row(4, "p2", 2025, "M", "non", "FRA", "labour"),
            row(5, "p3", 2026, "", "non", "ROU", "multiple"),
        ];
        let mut rejected = row(6, "p4", 2026, "M", "non", "FRA", "labour");
        rejected.1 = rejected.1.replace("accepted", "rejected");
        rows.push(rejected);
        let table = EurostatTable::build(&rows, 2026, "FRA", Disclosure::new(1)).unwrap();
        assert_eq!((table.victims, table.geo), (2, "FR"));
        let f = figures(&table);
        let shown = |n: &str| (n.to_owned(), String::new());
        assert_eq!(f[&key("F", "Y_GE18", "TOTAL", "TOTAL")], shown("1"));
        assert_eq!(f[&key("F", "Y_LT18", "TOTAL", "TOTAL")], shown("0"), "a known zero");
        assert_eq!(f[&key("UNK", "TOTAL", "EU27_2020_FOR", "TOTAL")], shown("1"));
        assert_eq!(f[&key("F", "TOTAL", "NEU27_2020_FOR", "TOTAL")], shown("1"));
        assert_eq!(f[&key("UNK", "TOTAL", "TOTAL", "OTH_EXPL")], shown("1"));
        assert_eq!(f[&key("F", "TOTAL", "TOTAL", "SEX_EXPL")], shown("1"));
        assert_eq!(f[&key("T", "TOTAL", "TOTAL", "TOTAL")], shown("2"));
        // 3 breakdowns × their codes × 4 sexes, and the sex totals once.
        assert_eq!(table.lines().len(), (3 + 4 + 4) * 4 + 4);
        let csv = table.to_csv().unwrap();
        assert!(csv.starts_with("FREQ,UNIT,SEX,AGE,CITIZEN,EXPLOIT,GEO,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"));
        assert!(csv.contains("A,NR,T,TOTAL,TOTAL,TOTAL,FR,2026,2,\n"), "{csv}");
    }

    #[test]
    fn small_figures_are_written_empty_and_flagged_confidential() {
        let mut rows = Vec::new();
        for i in 0..40u64 {
            let (sex, nationality) = if i < 3 {
                ("M", "BGR")
            } else if i % 2 == 0 {
                ("F", "NGA")
            } else {
                ("M", "FRA")
            };
            rows.push(row(i + 2, &format!("p{i}"), 2026, sex, "non", nationality, "sexual"));
        }
        let table = EurostatTable::build(&rows, 2026, "FRA", Disclosure::default()).unwrap();
        let f = figures(&table);
        assert_eq!(
            f[&key("M", "TOTAL", "EU27_2020_FOR", "TOTAL")],
            (String::new(), "c".to_owned())
        );
        for ((_, _, _, _), (value, flag)) in &f {
            if let Ok(n) = value.parse::<u64>() {
                assert!(n == 0 || n >= 5, "a small figure was written: {n}");
                assert!(flag.is_empty());
            } else {
                assert_eq!(flag, "c");
            }
        }
        assert_eq!(
            f[&key("T", "TOTAL", "TOTAL", "TOTAL")],
            ("40".to_owned(), String::new())
        );
    }

    #[test]
    fn the_reporting_country_must_be_a_member_state() {
        assert_eq!(
            EurostatTable::build(&[], 2026, "GBR", Disclosure::default()),
            Err(EurostatError::NotAMemberState("GBR".into()))
        );
        assert_eq!(
            EurostatTable::build(&[(2, "{".into())], 2026, "FRA", Disclosure::default()),
            Err(EurostatError::Corrupt(2))
        );
    }
}
