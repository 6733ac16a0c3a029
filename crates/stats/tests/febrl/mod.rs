//! FEBRL 4 (5,000 records and 5,000 corrupted duplicates, one true match each; the true pairs
//! share the number in `rec_id`), read for the linkage tests and benchmarks.

#![allow(dead_code, reason = "each target uses part of the helpers")]
#![allow(clippy::unwrap_used, reason = "known-good reference data")]

use relais_domain::intake::person_match::BirthDate;
use relais_stats::linkage::clk::{Clk, Identity, Params, Secret, encode};

pub const A: &str = include_str!("../data/febrl4/febrl4-a.csv");
pub const B: &str = include_str!("../data/febrl4/febrl4-b.csv");

/// (true-pair number, identity) of each FEBRL record: names and birth date only, the
/// attributes a trafficking source shares.
pub fn people(text: &str) -> Vec<(String, Identity)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let number = r[0].split('-').nth(1).unwrap().to_owned();
            let dob = &r[9];
            let birth = (dob.len() == 8)
                .then(|| {
                    BirthDate::parse(&format!("{}-{}-{}", &dob[..4], &dob[4..6], &dob[6..]))
                        .or_else(|_| BirthDate::parse(&dob[..4]))
                        .ok()
                })
                .flatten();
            (
                number,
                Identity {
                    given_name: r[1].to_owned(),
                    family_name: r[2].to_owned(),
                    birth,
                    ..Identity::default()
                },
            )
        })
        .collect()
}

/// The keys of some people, default parameters.
pub fn keys(people: &[(String, Identity)]) -> Vec<Clk> {
    keys_with(&Params::default(), people)
}

/// The keys of some people under `params`.
pub fn keys_with(params: &Params, people: &[(String, Identity)]) -> Vec<Clk> {
    let secret = Secret::new(b"a secret shared by the two sources").unwrap();
    people.iter().map(|(_, p)| encode(params, &secret, p)).collect()
}

/// [`people`] with the address (number, street lines and suburb in one line) and postcode.
pub fn people_with_address(text: &str) -> Vec<(String, Identity)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    people(text)
        .into_iter()
        .zip(reader.records())
        .map(|((number, identity), r)| {
            let r = r.unwrap();
            let address = [&r[3], &r[4], &r[5], &r[6]].map(str::trim).join(" ");
            (
                number,
                Identity {
                    address: Some(address),
                    postcode: Some(r[7].to_owned()),
                    ..identity
                },
            )
        })
        .collect()
}
