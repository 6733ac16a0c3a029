//! Reference lists chosen from instead of typed: countries (ISO 3166-1
//! alpha-3) and languages (ISO 639-3), each with its French and English name.
//! The code is what is stored; the name is what people read. Also the
//! member states of the European Union (`european_union`).

mod countries;
pub mod european_union;
mod languages;

use crate::intake::person_match::normalise_name;

/// The language a name is shown in (the reader's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLanguage {
    French,
    English,
}

/// One entry of a reference list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

impl Entry {
    pub fn name(&self, lang: NameLanguage) -> &'static str {
        match lang {
            NameLanguage::French => self.fr,
            NameLanguage::English => self.en,
        }
    }
}

/// A list sorted by name in the reader's language, accents folded
/// ("Égypte" between "Danemark" and "Érythrée", not after "Zimbabwe").
fn sorted(list: &'static [Entry], lang: NameLanguage) -> Vec<&'static Entry> {
    let mut out: Vec<_> = list.iter().collect();
    out.sort_by_cached_key(|e| (normalise_name(e.name(lang)), e.code));
    out
}

/// Every country, sorted by name in the reader's language.
pub fn countries(lang: NameLanguage) -> Vec<&'static Entry> {
    sorted(&countries::COUNTRIES, lang)
}

/// The country of an alpha-3 code, whatever its case.
pub fn country(code: &str) -> Option<&'static Entry> {
    let code = code.trim();
    countries::COUNTRIES.iter().find(|e| e.code.eq_ignore_ascii_case(code))
}

/// A stored nationality as read: the country's name, or the stored text as
/// it is when it is not a known code (values typed before the list existed).
pub fn country_name(stored: &str, lang: NameLanguage) -> String {
    country(stored).map_or_else(|| stored.trim().to_owned(), |e| e.name(lang).to_owned())
}

/// Every language of the list, sorted by name in the reader's language.
pub fn languages(lang: NameLanguage) -> Vec<&'static Entry> {
    sorted(&languages::LANGUAGES, lang)
}

/// The language of an ISO 639-3 code, whatever its case.
pub fn language(code: &str) -> Option<&'static Entry> {
    let code = code.trim();
    languages::LANGUAGES.iter().find(|e| e.code.eq_ignore_ascii_case(code))
}

/// The two-letter ISO 639-1 code of an ISO 639-3 language, when it has one.
pub fn iso_639_1(code: &str) -> Option<&'static str> {
    let code = language(code)?.code;
    languages::ISO_639_1
        .iter()
        .find(|(three, _)| *three == code)
        .map(|(_, two)| *two)
}

/// Separator of several language codes in one stored value.
pub const LANGUAGE_SEPARATOR: &str = ", ";

/// The language codes of a stored value ("bin, eng"), in order; pieces that
/// are not codes of the list (free text typed before it existed) are left out.
pub fn language_codes(stored: &str) -> Vec<&'static str> {
    stored.split(',').filter_map(language).map(|e| e.code).collect()
}

/// Languages chosen from the list, as stored: the codes, each once, in the
/// order chosen. A choice that is not a code (text kept from before the list
/// existed) keeps the whole answer as text, so nothing typed is lost.
pub fn store_languages(chosen: &[String]) -> String {
    let chosen: Vec<&str> = chosen.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if !chosen.iter().all(|c| language(c).is_some()) {
        return chosen.join(LANGUAGE_SEPARATOR);
    }
    let mut kept: Vec<&'static str> = Vec::new();
    for code in chosen.into_iter().filter_map(language).map(|e| e.code) {
        if !kept.contains(&code) {
            kept.push(code);
        }
    }
    kept.join(LANGUAGE_SEPARATOR)
}

/// A stored languages value as read: the names when every piece is a code of
/// the list, or the stored text as it is (free text typed before the list
/// existed must still show, unchanged).
pub fn language_names(stored: &str, lang: NameLanguage) -> String {
    let pieces: Vec<&str> = stored.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let names: Option<Vec<&str>> = pieces.iter().map(|p| language(p).map(|e| e.name(lang))).collect();
    match names {
        Some(names) if !names.is_empty() => names.join(LANGUAGE_SEPARATOR),
        _ => stored.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NameLanguage::{English, French};

    #[test]
    fn codes_are_unique_and_well_formed() {
        for (list, len) in [(&countries::COUNTRIES[..], 3), (&languages::LANGUAGES[..], 3)] {
            let mut codes: Vec<_> = list.iter().map(|e| e.code).collect();
            assert!(codes.iter().all(|c| c.len() == len), "three letters");
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len(), "no code twice");
        }
        assert!(
            countries::COUNTRIES
                .iter()
                .all(|e| e.code.bytes().all(|b| b.is_ascii_uppercase()))
        );
        assert!(
            languages::LANGUAGES
                .iter()
                .all(|e| e.code.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }

    #[test]
    fn countries_sort_by_the_readers_language_with_accents_folded() {
        let fr: Vec<_> = countries(French).iter().map(|e| e.fr).collect();
        let at = |name: &str| fr.iter().position(|n| *n == name);
        assert!(at("Égypte") > at("Danemark") && at("Égypte") < at("Érythrée"));
        assert!(at("Érythrée") < at("Espagne") && at("États-Unis") < at("Éthiopie"));
        let en: Vec<_> = countries(English).iter().map(|e| e.en).collect();
        assert!(en.iter().position(|n| *n == "Germany") < en.iter().position(|n| *n == "Ghana"));
        assert_eq!(country("nga").map(|e| e.fr), Some("Nigeria"));
        assert_eq!(country_name("DEU", French), "Allemagne");
        assert_eq!(country_name("DEU", English), "Germany");
        assert_eq!(country_name("Nigeria ", French), "Nigeria", "free text shows as typed");
    }

    #[test]
    fn the_languages_of_the_people_met_can_be_chosen() {
        for code in [
            "bin", "tir", "wol", "pcm", "prs", "pus", "bam", "snk", "lin", "sqi", "ron", "bul", "cmn", "vie", "ara",
            "tam",
        ] {
            assert!(language(code).is_some(), "{code}");
        }
        let eu = [
            "bul", "hrv", "ces", "dan", "nld", "eng", "est", "fin", "fra", "deu", "ell", "hun", "gle", "ita", "lav",
            "lit", "mlt", "pol", "por", "ron", "slk", "slv", "spa", "swe",
        ];
        assert!(eu.iter().all(|c| language(c).is_some()), "the 24 EU languages");
        assert!(languages::LANGUAGES.len() >= 250);
        assert_eq!(language("BIN").map(|e| e.fr), Some("Edo (bini)"));
    }

    #[test]
    fn stored_languages_read_as_names_or_as_typed() {
        let chosen = |codes: &[&str]| codes.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert_eq!(store_languages(&chosen(&["bin", "ENG", "bin", ""])), "bin, eng");
        assert_eq!(
            store_languages(&chosen(&["anglais, pidgin", "bin"])),
            "anglais, pidgin, bin"
        );
        assert_eq!(language_names("bin, eng", French), "Edo (bini), Anglais");
        assert_eq!(language_names("tir", English), "Tigrinya");
        assert_eq!(language_names("anglais, pidgin", French), "anglais, pidgin");
        assert_eq!(language_names("", French), "");
        assert_eq!(language_codes("bin, anglais, wol"), vec!["bin", "wol"]);
        assert_eq!(
            (iso_639_1("RON"), iso_639_1("tir"), iso_639_1("bin")),
            (Some("ro"), Some("ti"), None)
        );
    }
}
