//! The words of a notification e-mail: in the recipient's language (French
//! when it is not known), a subject and a lead from the translations, then
//! the link to the page in Relais. They name references, dates and links,
//! never a person.

use crate::AppState;
use crate::i18n::{Locale, Tr};

/// The translation keys of one message and the page it links to.
pub struct Message<'a> {
    pub subject: &'a str,
    pub lead: &'a str,
    /// The key of the line with the link (its `url` value).
    pub link: &'a str,
    /// The page's path, after the public address.
    pub path: &'a str,
}

/// The recipient's translations.
pub fn translations_for(state: &AppState, locale: Option<&str>) -> Tr {
    Tr::new(
        locale.and_then(Locale::parse).unwrap_or(Locale::Fr),
        state.translations.clone(),
    )
}

/// The subject and the body (lead, then link).
pub fn compose(state: &AppState, tr: &Tr, message: &Message<'_>, values: &[(&str, String)]) -> (String, String) {
    let url = format!("{}{}", state.settings.public_url, message.path);
    let body = format!(
        "{}\n\n{}\n",
        tr.tn(message.lead, values),
        tr.t1(message.link, "url", &url)
    );
    (tr.tn(message.subject, values), body)
}
