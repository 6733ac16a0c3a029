//! Translations with Fluent. French is the default; English is available.
//! The language comes from the user's preference, then a cookie, then the
//! browser's Accept-Language.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::Arc;
use strum::EnumCount;
use unic_langid::{LanguageIdentifier, langid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Locale {
    Fr,
    En,
}

impl Locale {
    pub const ALL: [Locale; Locale::COUNT] = [Locale::Fr, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_lowercase().get(..2) {
            Some("fr") => Some(Self::Fr),
            Some("en") => Some(Self::En),
            _ => None,
        }
    }

    /// Picks the first supported language in an Accept-Language header,
    /// honouring quality values; French when none is supported.
    pub fn from_accept_language(header: &str) -> Self {
        let mut ranked: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let locale = Self::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, locale))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map_or(Self::Fr, |(_, l)| *l)
    }

    /// The name of the language in that language, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Fr => "Français",
            Self::En => "English",
        }
    }
}

/// The loaded translation bundles, shared by every request.
pub struct Translations {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

/// One translation file per area of the application, so that work on one
/// area does not touch another's messages. A key defined twice is an error.
macro_rules! locale_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/main.ftl")),
            include_str!(concat!("../locales/", $lang, "/directory.ftl")),
            include_str!(concat!("../locales/", $lang, "/support.ftl")),
            include_str!(concat!("../locales/", $lang, "/onward.ftl")),
            include_str!(concat!("../locales/", $lang, "/auth.ftl")),
            include_str!(concat!("../locales/", $lang, "/publicforms.ftl")),
            include_str!(concat!("../locales/", $lang, "/shares.ftl")),
            include_str!(concat!("../locales/", $lang, "/privacy.ftl")),
            include_str!(concat!("../locales/", $lang, "/coordination.ftl")),
            include_str!(concat!("../locales/", $lang, "/rounds.ftl")),
            include_str!(concat!("../locales/", $lang, "/committee.ftl")),
            include_str!(concat!("../locales/", $lang, "/budget.ftl")),
            include_str!(concat!("../locales/", $lang, "/annual.ftl")),
            include_str!(concat!("../locales/", $lang, "/observatory.ftl")),
            include_str!(concat!("../locales/", $lang, "/legal.ftl")),
            include_str!(concat!("../locales/", $lang, "/observatory_statistics.ftl")),
            include_str!(concat!("../locales/", $lang, "/audit.ftl")),
            include_str!(concat!("../locales/", $lang, "/casework.ftl")),
            include_str!(concat!("../locales/", $lang, "/pickers.ftl")),
            include_str!(concat!("../locales/", $lang, "/survey.ftl")),
            include_str!(concat!("../locales/", $lang, "/release.ftl")),
            include_str!(concat!("../locales/", $lang, "/studies.ftl")),
            include_str!(concat!("../locales/", $lang, "/linkage.ftl")),
            include_str!(concat!("../locales/", $lang, "/openid.ftl")),
            include_str!(concat!("../locales/", $lang, "/estimate.ftl")),
        ]
    };
}

const FR: &[&str] = &locale_files!("fr");
const EN: &[&str] = &locale_files!("en");

fn bundle(lang: LanguageIdentifier, sources: &[&str]) -> Result<FluentBundle<FluentResource>, String> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks would end up inside HTML attributes and tests.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new((*source).to_owned()).map_err(|(_, errors)| format!("{errors:?}"))?;
        bundle.add_resource(resource).map_err(|errors| format!("{errors:?}"))?;
    }
    Ok(bundle)
}

impl Translations {
    pub fn load() -> Result<Arc<Self>, String> {
        Ok(Arc::new(Self {
            fr: bundle(langid!("fr"), FR)?,
            en: bundle(langid!("en"), EN)?,
        }))
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        match locale {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        }
    }

    /// Whether `key` has a message in `locale` (for the test of keys built at run time).
    #[cfg(test)]
    pub(crate) fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundle(locale).has_message(key)
    }

    /// The message for `key`, or the key itself if missing (a test checks
    /// that every key used exists in both languages).
    pub fn get(&self, locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(locale);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut errors = vec![];
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }
}

/// A translator bound to one request's language.
#[derive(Clone)]
pub struct Tr {
    pub locale: Locale,
    translations: Arc<Translations>,
}

impl Tr {
    pub fn new(locale: Locale, translations: Arc<Translations>) -> Self {
        Self { locale, translations }
    }

    pub fn t(&self, key: &str) -> String {
        self.translations.get(self.locale, key, None)
    }

    /// A message with one named argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), value.to_owned());
        self.translations.get(self.locale, key, Some(&args))
    }

    /// A message with several named arguments.
    pub fn tn(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set((*name).to_owned(), value.clone());
        }
        self.translations.get(self.locale, key, Some(&args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_quality_order() {
        assert_eq!(Locale::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"), Locale::En);
        assert_eq!(Locale::from_accept_language("de-DE, fr;q=0.5, en;q=0.4"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("de"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("fr;q=0.1, en;q=0.9"), Locale::En);
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let fr = FR.concat();
        let en = EN.concat();
        let keys = |s: &str| -> Vec<String> {
            let mut k: Vec<String> = s
                .lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
                .filter_map(|l| l.split(" =").next().map(str::to_owned))
                .collect();
            k.sort();
            k
        };
        assert_eq!(keys(&fr), keys(&en));
        assert!(Translations::load().is_ok());
    }
}
