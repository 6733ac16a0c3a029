//! The audit trail in words: each stored action and object type has a label
//! in `locales/{fr,en}/audit.ftl`, under a key derived from its code
//! (`case.file-read` → `audit-action-case-file-read`); a request's rows are one
//! line, its first act the main one. The admin audit page,
//! its export and the case file's access log all name acts through here.

use crate::i18n::Tr;
use crate::page::Page;
use relais_store::audit::log::{Entry, Line};
use relais_store::audit::{Action, Object};

fn key(prefix: &str, code: &str) -> String {
    format!("{prefix}{}", code.replace(['.', '_'], "-"))
}

pub fn action_key(action: Action) -> String {
    key("audit-action-", action.code())
}

pub fn object_key(object: Object) -> String {
    key("audit-object-", object.code())
}

/// What was done, in words. A code no longer written (rows from an earlier
/// version) is shown as stored rather than hidden.
pub fn action(tr: &Tr, code: &str) -> String {
    Action::parse(code).map_or_else(|| code.to_owned(), |a| tr.t(&action_key(a)))
}

/// The kind of object, in words (same fallback as [`action`]).
pub fn object(tr: &Tr, code: &str) -> String {
    Object::parse(code).map_or_else(|| code.to_owned(), |o| tr.t(&object_key(o)))
}

/// One act in words.
pub struct ActView {
    pub action: String,
    pub object: String,
    pub reference: Option<String>,
}

/// One line of the page: the request's main act and the others it wrote.
pub struct LineView {
    pub at: String,
    pub who: String,
    pub organisation: String,
    pub main: ActView,
    pub others: Vec<ActView>,
    pub others_label: String,
    pub continues: bool,
}

pub fn act(page: &Page, entry: &Entry) -> ActView {
    ActView {
        action: action(&page.tr, &entry.action),
        object: object(&page.tr, &entry.object_type),
        reference: entry.object_id.clone(),
    }
}

/// The actor's name, or "System" for the CLI and scheduled jobs.
pub fn who(page: &Page, entry: &Entry) -> String {
    match (&entry.actor_user_id, &entry.actor_name) {
        (None, _) => page.t("audit-system"),
        (Some(_), Some(name)) => name.clone(),
        (Some(_), None) => page.t("audit-unknown-user"),
    }
}

pub fn line_view(page: &Page, line: &Line) -> Option<LineView> {
    let main = line.main()?;
    let others: Vec<ActView> = line.entries.iter().skip(1).map(|e| act(page, e)).collect();
    Some(LineView {
        at: page.when(main.at.0),
        who: who(page, main),
        organisation: main.organisation_name.clone().unwrap_or_default(),
        main: act(page, main),
        others_label: page.tr.t1("audit-others", "count", &others.len().to_string()),
        others,
        continues: line.continues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, Translations};
    use std::collections::HashSet;

    /// Every code the store can write has a label in both languages, and no
    /// two codes share one key: a new action without words fails here.
    #[test]
    fn every_action_and_object_has_a_label_in_both_languages() {
        let translations = Translations::load().unwrap();
        let mut missing = vec![];
        let mut keys = HashSet::new();
        let all = Action::ALL
            .iter()
            .map(|a| action_key(*a))
            .chain(Object::ALL.iter().map(|o| object_key(*o)));
        for key in all {
            assert!(keys.insert(key.clone()), "{key} derived twice");
            for locale in Locale::ALL {
                if translations.get(locale, &key, None) == key {
                    missing.push(format!("{key} ({})", locale.code()));
                }
            }
        }
        assert!(missing.is_empty(), "labels missing: {missing:?}");
    }
}
