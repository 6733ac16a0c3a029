use super::*;
use proptest::prelude::*;

fn person(id: &str, given: &str, family: &str) -> PersonRecord {
    PersonRecord {
        id: id.to_owned(),
        given_names: given.to_owned(),
        family_name: family.to_owned(),
        aliases: Vec::new(),
        birth: None,
        nationality: None,
    }
}

fn born(mut p: PersonRecord, date: &str) -> PersonRecord {
    p.birth = Some(BirthDate::parse(date).unwrap());
    p
}

fn of(mut p: PersonRecord, nationality: &str) -> PersonRecord {
    p.nationality = Some(nationality.to_owned());
    p
}

#[test]
fn normalises_case_accents_ligatures_and_punctuation() {
    assert_eq!(normalise_name("  Élodie   DUPONT "), "elodie dupont");
    assert_eq!(normalise_name("François-Xavier Straße"), "francois xavier strasse");
    assert_eq!(normalise_name("Cœur Ægir"), "coeur aegir");
    assert_eq!(normalise_name("O'Brien"), "obrien");
    assert_eq!(normalise_name("E\u{301}lodie"), "elodie");
}

#[test]
fn transliterates_cyrillic() {
    assert_eq!(normalise_name("Олена Іваненко"), "olena ivanenko");
    assert_eq!(normalise_name("Иванова"), "ivanova");
    assert_eq!(normalise_name("Щукин Жуков Хрущёв"), "shchukin zhukov khrushchev");
    assert_eq!(normalise_name("Юлія Їжак Євген Ґудзь"), "yuliya yizhak yevgen gudz");
}

#[test]
fn transliterates_arabic_as_consonant_skeleton() {
    assert_eq!(normalise_name("محمد علي"), "mhmd ly");
    assert_eq!(normalise_name("مُحَمَّد"), "mhmd");
}

#[test]
fn skeleton_joins_romanisation_variants() {
    let expected = skeleton("Mohammed");
    for variant in ["Muhammad", "Mohamed", "محمد", "MOHAMMAD"] {
        assert_eq!(skeleton(variant), expected, "{variant}");
    }
    assert_eq!(skeleton("Olena"), skeleton("Олена"));
    assert_eq!(skeleton("Ivanova"), skeleton("Иванова"));
    assert_eq!(skeleton("Fatimah"), skeleton("فاطمة"));
    assert_eq!(skeleton("Khaled"), skeleton("خالد"));
    assert_ne!(skeleton("Mohamed"), skeleton("Ahmed"));
}

#[test]
fn accents_and_case_give_same_normalised_name() {
    let c = compare(&person("n", "Élodie", "DUPONT"), &person("k", "elodie", "dupont"));
    assert_eq!(c.reasons, vec![Reason::SameNormalisedName]);
    assert_eq!(c.score, 50);
}

#[test]
fn cyrillic_matches_latin() {
    let c = compare(&person("n", "Олена", "Іваненко"), &person("k", "Olena", "Ivanenko"));
    assert_eq!(c.reasons, vec![Reason::SameNormalisedName]);
}

#[test]
fn arabic_matches_latin_by_skeleton() {
    let c = compare(&person("n", "محمد", "علي"), &person("k", "Mohamed", "Ali"));
    assert_eq!(c.reasons, vec![Reason::SameNameSkeleton]);
    assert_eq!(c.score, 35);
}

#[test]
fn swapped_names_are_detected() {
    let c = compare(&person("n", "Ivanenko", "Olena"), &person("k", "Olena", "Ivanenko"));
    assert_eq!(c.reasons, vec![Reason::SwappedGivenAndFamilyNames]);
    assert_eq!(c.score, 45);
}

#[test]
fn alias_matches_name() {
    let mut known = person("k", "Anna", "Petrova");
    known.aliases.push("Natasha K".to_owned());
    let c = compare(&person("n", "Natasha", "K"), &known);
    assert_eq!(
        c.reasons,
        vec![Reason::AliasMatchesName {
            alias: "Natasha K".to_owned()
        }]
    );
    assert_eq!(c.score, 40);
}

#[test]
fn year_only_birth_matches_full_date_of_same_year() {
    let a = born(person("n", "Olena", "Ivanenko"), "1999");
    let b = born(person("k", "Olena", "Ivanenko"), "1999-03-14");
    let c = compare(&a, &b);
    assert_eq!(c.reasons, vec![Reason::SameNormalisedName, Reason::SameBirthYear]);
    assert_eq!(c.score, 65);
    let b_full = born(person("k", "Olena", "Ivanenko"), "1999-03-14");
    let a_full = born(person("n", "Olena", "Ivanenko"), "1999-03-14");
    assert_eq!(compare(&a_full, &b_full).score, 80);
}

#[test]
fn conflicting_birth_dates_lower_the_score() {
    let a = born(person("n", "Olena", "Ivanenko"), "1999-03-14");
    let b = born(person("k", "Olena", "Ivanenko"), "1987-11-02");
    let c = compare(&a, &b);
    assert_eq!(c.reasons, vec![Reason::SameNormalisedName, Reason::BirthDatesDiffer]);
    assert_eq!(c.score, 10);
    let year_only = born(person("n", "Olena", "Ivanenko"), "1998");
    assert_eq!(compare(&year_only, &b).score, 30);
}

#[test]
fn nationality_raises_or_lowers() {
    let same = compare(
        &of(person("n", "Olena", "Ivanenko"), "UKR"),
        &of(person("k", "Olena", "Ivanenko"), "ukr"),
    );
    assert_eq!(same.score, 60);
    let diff = compare(
        &of(person("n", "Olena", "Ivanenko"), "UKR"),
        &of(person("k", "Olena", "Ivanenko"), "RUS"),
    );
    assert_eq!(
        diff.reasons,
        vec![Reason::SameNormalisedName, Reason::DifferentNationality]
    );
    assert_eq!(diff.score, 40);
}

#[test]
fn unrelated_people_are_not_candidates() {
    let new = born(of(person("n", "Olena", "Ivanenko"), "UKR"), "1999-03-14");
    let known = [born(of(person("k", "Amadou", "Diallo"), "UKR"), "1999-03-14")];
    assert!(candidates(&new, &known, 0).is_empty());
}

#[test]
fn candidates_are_ordered_and_thresholded() {
    let new = born(of(person("n", "Olena", "Ivanenko"), "UKR"), "1999-03-14");
    let known = [
        person("skeleton", "Olena", "Ivanenkko"),
        born(of(person("exact", "OLENA", "IVANENKO"), "UKR"), "1999-03-14"),
        person("swapped", "Ivanenko", "Olena"),
        person("other", "Maria", "Lopez"),
        person("n", "Olena", "Ivanenko"),
    ];
    let all = candidates(&new, &known, 0);
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["exact", "swapped", "skeleton"]);
    assert_eq!(all.iter().map(|c| c.score).collect::<Vec<_>>(), [90, 45, 35]);
    let strong = candidates(&new, &known, 45);
    assert_eq!(
        strong.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["exact", "swapped"]
    );
}

#[test]
fn score_is_clamped() {
    let a = born(of(person("n", "Olena", "Ivanenko"), "UKR"), "1999-03-14");
    let b = born(of(person("k", "Olena", "Ivanenko"), "RUS"), "1980-01-01");
    assert_eq!(compare(&a, &b).score, 0);
}

#[test]
fn reason_keys_are_stable() {
    assert_eq!(Reason::SameNormalisedName.key(), "person_match.same_normalised_name");
    assert_eq!(
        Reason::AliasMatchesName { alias: "x".into() }.key(),
        "person_match.alias_matches_name"
    );
}

#[test]
fn parses_birth_dates() {
    assert_eq!(BirthDate::parse("1999"), Ok(BirthDate::Year(1999)));
    assert_eq!(BirthDate::parse("2000-02-29"), Ok(BirthDate::Full(2000, 2, 29)));
    assert_eq!(BirthDate::parse("1900-02-29"), Err(BirthDateError::Invalid));
    assert_eq!(BirthDate::parse("1999-13-01"), Err(BirthDateError::Invalid));
    assert_eq!(BirthDate::parse("99"), Err(BirthDateError::Format));
    assert_eq!(BirthDate::parse("1999-3-1"), Err(BirthDateError::Format));
    assert_eq!(BirthDate::parse("1999-03"), Err(BirthDateError::Format));
}

fn arb_record(id: &'static str) -> impl Strategy<Value = PersonRecord> {
    let names = prop::sample::select(vec![
        "Olena",
        "Олена",
        "Ivanenko",
        "Mohamed",
        "محمد",
        "Ali",
        "Élodie",
        "Dupont",
        "",
    ]);
    let births = prop::option::of(prop::sample::select(vec![
        BirthDate::Year(1999),
        BirthDate::Full(1999, 3, 14),
        BirthDate::Full(1987, 1, 2),
        BirthDate::Year(1987),
    ]));
    let nats = prop::option::of(prop::sample::select(vec!["UKR", "ukr", "SYR", ""]));
    (
        names.clone(),
        names.clone(),
        prop::collection::vec(names, 0..2),
        births,
        nats,
    )
        .prop_map(move |(given, family, aliases, birth, nat)| PersonRecord {
            id: id.to_owned(),
            given_names: given.to_owned(),
            family_name: family.to_owned(),
            aliases: aliases.into_iter().map(str::to_owned).collect(),
            birth,
            nationality: nat.map(str::to_owned),
        })
}

proptest! {
    #[test]
    fn normalise_is_idempotent(s in "\\PC{0,40}") {
        let once = normalise_name(&s);
        prop_assert_eq!(normalise_name(&once), once);
    }

    #[test]
    fn normalise_is_idempotent_on_names(s in "[a-zA-Zéßœ’' \\-абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґمحدعليةو]{0,30}") {
        let once = normalise_name(&s);
        prop_assert_eq!(normalise_name(&once), once);
    }

    #[test]
    fn score_is_symmetric(a in arb_record("a"), b in arb_record("b")) {
        prop_assert_eq!(compare(&a, &b).score, compare(&b, &a).score);
    }
}

/// `KEYS` in declaration order: adding a reason breaks this exhaustive
/// match, which then asks for its key in `KEYS` too.
#[test]
fn keys_list_every_reason() {
    let place = |r: &Reason| match r {
        Reason::SameNormalisedName => 0,
        Reason::SameNameSkeleton => 1,
        Reason::SwappedGivenAndFamilyNames => 2,
        Reason::AliasMatchesName { .. } => 3,
        Reason::SameBirthDate => 4,
        Reason::SameBirthYear => 5,
        Reason::BirthDatesDiffer => 6,
        Reason::BirthYearsDiffer => 7,
        Reason::SameNationality => 8,
        Reason::DifferentNationality => 9,
    };
    let every = [
        Reason::SameNormalisedName,
        Reason::SameNameSkeleton,
        Reason::SwappedGivenAndFamilyNames,
        Reason::AliasMatchesName { alias: "x".into() },
        Reason::SameBirthDate,
        Reason::SameBirthYear,
        Reason::BirthDatesDiffer,
        Reason::BirthYearsDiffer,
        Reason::SameNationality,
        Reason::DifferentNationality,
    ];
    for reason in &every {
        assert_eq!(Reason::KEYS[place(reason)], reason.key());
    }
    assert_eq!(every.len(), Reason::KEYS.len());
}
