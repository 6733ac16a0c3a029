//! What a source gives to `relais linkage encode`, and the encoded file it hands on.
//!
//! Input: UTF-8 CSV with the header `id,given_name,family_name,birth_date,sex,nationality`
//! (any order); `birth_date` is `YYYY-MM-DD`, `YYYY` or empty; `sex` is `F`, `M` or empty;
//! `nationality` an ISO 3166-1 alpha-3 code or empty. Two optional columns give the stratum of
//! capture histories ([`super::strata`]): `year`, the year the source recorded the person (four
//! digits, not before the birth year), and `exploitation`, the main form of exploitation
//! recorded, with the keys of referrals (`sexual`, `labour`, `domestic-servitude`,
//! `forced-begging`, `forced-criminality`, `organ-removal`, `forced-marriage`,
//! `illegal-adoption`, `surrogacy`, `other`) or empty. When either column is present, each
//! encoded record carries its stratum in clear (year, sex, minor or adult that year, form of
//! exploitation; never the birth date); without them the encoded file is as before. Two more
//! optional columns add attributes to the keys where a source has them (ADR 0058): `address`,
//! the postal address in one line (number, street, locality, in any order), and `postcode`
//! (letters, digits, spaces or hyphens, at most ten); the encoded file's parameters then name
//! them (`optional`), and it links only with files that name the same. Give the person's own
//! address only, never a shelter's or an exploiter's: an address shared by several persons
//! pulls their keys together. Every wrong line is named, and nothing is encoded unless every
//! line is right.

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use relais_domain::intake::person_match::BirthDate;
use relais_domain::intake::referral::ExploitationForm;
use serde::{Deserialize, Serialize};

use super::clk::{Clk, Identity, Optional, Params, Secret, encode};
use super::strata::{Sex, Stratum};

pub const COLUMNS: [&str; 6] = ["id", "given_name", "family_name", "birth_date", "sex", "nationality"];
/// Optional columns, after the required ones: what the stratum of a record is made of.
pub const STRATUM_COLUMNS: [&str; 2] = ["year", "exploitation"];
/// Longest postal code accepted (the longest national formats have ten characters).
const MAX_POSTCODE: usize = 10;

/// One wrong line (1-based, the header is line 1) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {reason}")]
pub struct LineProblem {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// A record to encode: the source's own identifier, the person's identity and, when the input
/// has a stratum column, the record's stratum (empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    pub id: String,
    pub identity: Identity,
    pub stratum: Stratum,
}

/// Reads every line, or names every wrong one.
pub fn read_identities(text: &[u8]) -> Result<Vec<SourceRecord>, Vec<LineProblem>> {
    let problem = |line: u64, column: &str, reason: String| LineProblem {
        line,
        column: column.to_owned(),
        reason,
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(text);
    let header = reader
        .headers()
        .map_err(|e| vec![problem(1, "-", format!("malformed CSV: {e}"))])?
        .clone();
    let missing: Vec<LineProblem> = COLUMNS
        .iter()
        .filter(|c| !header.iter().any(|h| h == **c))
        .map(|c| {
            problem(
                1,
                c,
                format!("the column is missing; the header must name {}", COLUMNS.join(",")),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or_default();
    let [id_at, given_at, family_at, birth_at, sex_at, nationality_at] = COLUMNS.map(at);
    let [year_at, exploitation_at] = STRATUM_COLUMNS.map(|name| header.iter().position(|h| h == name));
    let [address_at, postcode_at] = Optional::ALL.map(|field| header.iter().position(|h| h == field.column()));
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    for (n, row) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(problem(line, "-", format!("malformed CSV: {e}")));
                continue;
            }
        };
        let field = |i: usize| row.get(i).unwrap_or_default().trim();
        let optional = |i: Option<usize>| i.map_or("", field);
        let id = field(id_at);
        if id.is_empty() {
            problems.push(problem(line, "id", "the identifier is empty".into()));
        } else if !ids.insert(id.to_owned()) {
            problems.push(problem(
                line,
                "id",
                format!("the identifier {id:?} is on an earlier line"),
            ));
        }
        let birth = match field(birth_at) {
            "" => None,
            text => match BirthDate::parse(text) {
                Ok(date) => Some(date),
                Err(e) => {
                    problems.push(problem(line, "birth_date", format!("{e} (found {text:?})")));
                    None
                }
            },
        };
        let sex = match field(sex_at) {
            "" => None,
            s @ ("F" | "M" | "f" | "m") => Some(s.to_uppercase()),
            other => {
                problems.push(problem(line, "sex", format!("expected F, M or empty, found {other:?}")));
                None
            }
        };
        let nationality = match field(nationality_at) {
            "" => None,
            code if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) => Some(code.to_uppercase()),
            other => {
                problems.push(problem(
                    line,
                    "nationality",
                    format!("expected a three-letter ISO code or empty, found {other:?}"),
                ));
                None
            }
        };
        let year = match optional(year_at) {
            "" => None,
            text if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) => {
                let year: i32 = text.parse().unwrap_or_default();
                let born = birth.map(|b| match b {
                    BirthDate::Full(y, _, _) | BirthDate::Year(y) => y,
                });
                match born {
                    Some(born) if year < born => {
                        problems.push(problem(line, "year", "the year is before the birth year".into()));
                        None
                    }
                    _ => Some(year),
                }
            }
            other => {
                problems.push(problem(
                    line,
                    "year",
                    format!("expected a year YYYY or empty, found {other:?}"),
                ));
                None
            }
        };
        let exploitation = match optional(exploitation_at) {
            "" => None,
            text => {
                let form = ExploitationForm::parse(&text.to_lowercase());
                if form.is_none() {
                    let keys: Vec<&str> = ExploitationForm::ALL.iter().map(|f| f.key()).collect();
                    problems.push(problem(
                        line,
                        "exploitation",
                        format!("expected one of {} or empty, found {text:?}", keys.join(", ")),
                    ));
                }
                form
            }
        };
        // Present (maybe empty) exactly when the header has the column: that decides whether
        // the attribute is in the encoding (`ClkFile::encode`).
        let address = address_at.map(|i| field(i).to_owned());
        let postcode = postcode_at.map(|i| field(i).to_owned());
        if let Some(code) = postcode.as_deref()
            && (code.chars().count() > MAX_POSTCODE
                || !code.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-'))
        {
            problems.push(problem(
                line,
                "postcode",
                format!("expected letters, digits, spaces or hyphens, at most {MAX_POSTCODE}, found {code:?}"),
            ));
        }
        let stratum = if year_at.is_some() || exploitation_at.is_some() {
            Stratum::of(year, birth, sex.as_deref().and_then(Sex::parse), exploitation)
        } else {
            Stratum::default()
        };
        let (given_name, family_name) = (field(given_at).to_owned(), field(family_at).to_owned());
        if given_name.is_empty() && family_name.is_empty() {
            problems.push(problem(
                line,
                "family_name",
                "no name at all: the person cannot be linked".into(),
            ));
        }
        records.push(SourceRecord {
            id: id.to_owned(),
            identity: Identity {
                given_name,
                family_name,
                birth,
                sex,
                nationality,
                address,
                postcode,
            },
            stratum,
        });
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

/// The encoded file a source hands to the observatory: the encoding's parameters and a check
/// value of the secret (never the secret), then one CLK per record, in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClkFile {
    /// `relais-clk/1`.
    pub format: String,
    pub params: Params,
    pub secret_fingerprint: String,
    pub records: Vec<EncodedRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncodedRecord {
    pub id: String,
    pub clk: String,
    /// The record's stratum in clear, absent from files without strata (and from files written
    /// before strata existed, which read as records without one).
    #[serde(default, skip_serializing_if = "Stratum::is_empty")]
    pub stratum: Stratum,
}

/// The format's name; strata are an optional field of a record, so files with and without
/// them share it.
pub const FORMAT: &str = "relais-clk/1";

impl ClkFile {
    /// The records' keys under `params`; when `params` lists no optional attribute, those whose
    /// column the input had are added at their default weights (ADR 0058), so that the file's
    /// parameters name every attribute in its keys.
    pub fn encode(params: &Params, secret: &Secret, records: &[SourceRecord]) -> Self {
        let params = if params.optional.is_empty() {
            let present: Vec<Optional> = Optional::ALL
                .into_iter()
                .filter(|&field| {
                    records.iter().any(|r| match field {
                        Optional::Address => r.identity.address.is_some(),
                        Optional::Postcode => r.identity.postcode.is_some(),
                    })
                })
                .collect();
            Params {
                optional: Params::with_optional(&present).optional,
                ..params.clone()
            }
        } else {
            params.clone()
        };
        Self {
            format: FORMAT.to_owned(),
            secret_fingerprint: secret.fingerprint(),
            records: records
                .iter()
                .map(|r| EncodedRecord {
                    id: r.id.clone(),
                    clk: STANDARD.encode(encode(&params, secret, &r.identity).to_bytes()),
                    stratum: r.stratum,
                })
                .collect(),
            params,
        }
    }

    /// The stratum of each record, in the file's order (empty where the file has none).
    pub fn strata(&self) -> Vec<Stratum> {
        self.records.iter().map(|r| r.stratum).collect()
    }

    /// The keys, `None` for a record whose key is not valid base64 of the parameters' length.
    pub fn clks(&self) -> Vec<(String, Option<Clk>)> {
        let words = self.params.bits.div_ceil(64);
        self.records
            .iter()
            .map(|r| {
                let clk = STANDARD
                    .decode(&r.clk)
                    .ok()
                    .and_then(|bytes| Clk::from_bytes(&bytes))
                    .filter(|c| c.0.len() == words);
                (r.id.clone(), clk)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrong_line_is_named() {
        let text = "id,given_name,family_name,birth_date,sex,nationality\n\
                    a1,Amina,Okafor,1998-04-12,F,NGA\n\
                    a1,Olena,,1985-13-01,W,Ukraine\n\
                    ,,,,,\n";
        let problems = read_identities(text.as_bytes()).unwrap_err();
        let named: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(
            named,
            [
                (3, "id"),
                (3, "birth_date"),
                (3, "sex"),
                (3, "nationality"),
                (4, "id"),
                (4, "family_name")
            ]
        );
        let missing = read_identities(b"id,name\n1,x\n").unwrap_err();
        assert_eq!(missing.len(), 5);
        assert!(missing[0].to_string().starts_with("line 1, column given_name"));
    }

    #[test]
    fn a_file_encodes_and_decodes_without_the_secret() {
        let text = "nationality,sex,birth_date,family_name,given_name,id\nnga,f,1998,Okafor,Amina,a1\n";
        let records = read_identities(text.as_bytes()).unwrap();
        assert_eq!(records[0].identity.nationality.as_deref(), Some("NGA"));
        let secret = Secret::new(b"a shared secret of sources").unwrap();
        let file = ClkFile::encode(&Params::default(), &secret, &records);
        let json = serde_json::to_string(&file).unwrap();
        assert!(!json.contains("shared secret") && !json.contains("Okafor"));
        assert!(!json.contains("stratum"), "no stratum column, nothing in clear: {json}");
        let back: ClkFile = serde_json::from_str(&json).unwrap();
        let clks = back.clks();
        assert_eq!(clks[0].0, "a1");
        assert_eq!(clks[0].1.as_ref().map(|c| c.0.len()), Some(16));
    }

    #[test]
    fn strata_are_read_checked_and_carried_in_clear_without_the_birth_date() {
        use crate::linkage::strata::AgeGroup;
        let text = "id,given_name,family_name,birth_date,sex,nationality,year,exploitation\n\
                    a1,Amina,Okafor,2008-04-12,F,NGA,2024,Sexual\n\
                    a2,Olena,Kovalenko,1985-11-20,F,UKR,,\n\
                    a3,Ion,Popescu,,M,ROU,2023,labour\n";
        let records = read_identities(text.as_bytes()).unwrap();
        assert_eq!(
            records[0].stratum,
            Stratum {
                year: Some(2024),
                sex: Some(Sex::F),
                age_group: Some(AgeGroup::Minor),
                exploitation: Some(ExploitationForm::Sexual),
            }
        );
        assert_eq!(records[1].stratum.year, None);
        assert_eq!(records[1].stratum.age_group, None);
        assert_eq!(records[2].stratum.age_group, None, "no birth date, no age group");
        let secret = Secret::new(b"a shared secret of sources").unwrap();
        let file = ClkFile::encode(&Params::default(), &secret, &records);
        let json = serde_json::to_string(&file).unwrap();
        assert!(json.contains(r#""stratum":{"year":2024,"sex":"F","age_group":"minor","exploitation":"sexual"}"#));
        assert!(!json.contains("2008") && !json.contains("1985"), "{json}");
        let back: ClkFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back.strata(), records.iter().map(|r| r.stratum).collect::<Vec<_>>());
        // A file written before strata existed reads as records without one.
        let old = r#"{"format":"relais-clk/1","params":{"bits":64,"q":2,"name_k":1,"skeleton_k":1,"year_k":1,"month_k":1,"day_k":1,"sex_k":1,"nationality_k":1},"secret_fingerprint":"00","records":[{"id":"x","clk":"AAAAAAAAAAA="}]}"#;
        let old: ClkFile = serde_json::from_str(old).unwrap();
        assert_eq!(old.strata(), [Stratum::default()]);
    }

    #[test]
    fn address_columns_enter_the_keys_and_the_parameters_name_them() {
        let secret = Secret::new(b"a shared secret of sources").unwrap();
        let plain = "id,given_name,family_name,birth_date,sex,nationality\na1,Amina,Okafor,1998,F,NGA\n";
        let with = "id,given_name,family_name,birth_date,sex,nationality,address,postcode\n\
                    a1,Amina,Okafor,1998,F,NGA,12 rue des Lilas Lyon,69003\n\
                    a2,Olena,Kovalenko,1985,F,UKR,,\n";
        let plain = ClkFile::encode(&Params::default(), &secret, &read_identities(plain.as_bytes()).unwrap());
        let with = ClkFile::encode(&Params::default(), &secret, &read_identities(with.as_bytes()).unwrap());
        assert!(plain.params.optional.is_empty());
        assert_eq!(
            with.params,
            Params::with_optional(&[Optional::Postcode, Optional::Address])
        );
        let json = serde_json::to_string(&with).unwrap();
        assert!(
            json.contains(r#""optional":[{"field":"address","k":3},{"field":"postcode","k":20}]"#),
            "{json}"
        );
        assert!(!json.contains("Lilas") && !json.contains("69003"), "{json}");
        assert!(!serde_json::to_string(&plain).unwrap().contains("optional"));
        // The address changes the key; a record with empty optional values keys as without.
        let (plain_key, with_keys) = (&plain.clks()[0].1, with.clks());
        assert_ne!(plain_key, &with_keys[0].1);
        let olena = "id,given_name,family_name,birth_date,sex,nationality\na2,Olena,Kovalenko,1985,F,UKR\n";
        let olena = ClkFile::encode(&Params::default(), &secret, &read_identities(olena.as_bytes()).unwrap());
        assert_eq!(olena.clks()[0].1, with_keys[1].1);
        let wrong = "id,given_name,family_name,birth_date,sex,nationality,postcode\n\
                     a1,Amina,Okafor,1998,F,NGA,69003\n\
                     a2,Olena,Kovalenko,1985,F,UKR,01-234;567\n";
        let problems = read_identities(wrong.as_bytes()).unwrap_err();
        let named: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(named, [(3, "postcode")]);
    }

    #[test]
    fn wrong_strata_are_named_by_line_and_column() {
        let text = "id,given_name,family_name,birth_date,sex,nationality,year,exploitation\n\
                    a1,Amina,Okafor,2008-04-12,F,NGA,24,sex\n\
                    a2,Olena,Kovalenko,1985-11-20,F,UKR,1984,\n";
        let problems = read_identities(text.as_bytes()).unwrap_err();
        let named: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(named, [(2, "year"), (2, "exploitation"), (3, "year")]);
        assert!(problems[1].reason.contains("domestic-servitude"), "{}", problems[1]);
        assert!(problems[2].reason.contains("before the birth year"), "{}", problems[2]);
    }
}
