//! The decision letter (issue 16, part 7): an official letter of the State
//! — letterhead, the person and where to write to them, the deciding
//! authority and signatory, the decision and its reasons, and the ways and
//! time limits to challenge it — written in the person's language where a
//! translation exists, whatever the reader's, and printable on A4.

use crate::AppState;
use crate::access::authorized::{Authorized, optional};
use crate::casework::view::parse_id;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use relais_domain::access::authz::IdentifyVictims;
use relais_domain::access::authz::ViewCaseFile;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_status::{Event, REASONS};
use relais_domain::time::Date;
use relais_store::audit::{Action, Object};
use relais_store::casework::cases::{self, CaseEvent};
use relais_store::casework::{case_access, case_people};

/// The language a letter is written in: the one asked for (`?lang=`), else
/// the first of the person's recorded languages that has a translation,
/// else French.
pub(crate) fn letter_locale(asked: Option<&str>, languages: &str) -> Locale {
    if let Some(locale) = asked.and_then(Locale::parse) {
        return locale;
    }
    languages
        .split(|c: char| c == ',' || c == ';' || c == '/' || c.is_whitespace())
        .filter_map(|word| match word.trim().to_lowercase().as_str() {
            "fr" | "fra" | "fre" | "français" | "francais" | "french" => Some(Locale::Fr),
            "en" | "eng" | "anglais" | "english" => Some(Locale::En),
            _ => None,
        })
        .next()
        .unwrap_or(Locale::Fr)
}

/// The decision in force: the last one that took effect (a negative one
/// proposed takes effect with its confirmation, under its proposer's name).
fn decision_in_force(timeline: &[CaseEvent]) -> Option<&CaseEvent> {
    let mut decision = None;
    for (i, e) in timeline.iter().enumerate() {
        if e.event.is_decision() && !e.pending {
            decision = Some(e);
        }
        if e.event == Event::ConfirmDecision
            && let Some(proposed) = timeline[..i].iter().rev().find(|p| p.pending)
        {
            decision = Some(proposed);
        }
    }
    decision
}

#[derive(serde::Deserialize, Default)]
pub struct LetterQuery {
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "casework/case_letter.html")]
struct LetterPage<'a> {
    page: &'a Page,
    /// The letter's own translator, in the letter's language.
    letter: Tr,
    lang: &'static str,
    /// (code, native name, current) of each language the letter exists in.
    languages: Vec<(&'static str, &'static str, bool)>,
    id: String,
    reference: String,
    date: String,
    authority: String,
    signatory: String,
    name: String,
    correspondence: String,
    decision: String,
    positive: bool,
    formal: bool,
    reasons: Vec<String>,
    explanation: String,
    reflection_ends: String,
}

/// GET /cases/{id}/letter: the decision in force, as a letter (audited).
pub async fn letter(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
    Query(query): Query<LetterQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (summary, timeline, _) = cases::open(&mut tx, &can, &id).await?;
    // The person's name and where to write to them, as far as the reader's
    // relation to the case opens them.
    let people = match optional::<ViewCaseFile>(&user) {
        Some(file) => {
            let access = case_access::open(&mut tx, &file, &id).await?;
            if access.may(CaseArea::Identity, Mode::Read) {
                let people = case_people::people(&mut tx, &access).await?;
                Some(people.person.unwrap_or(people.from_referral))
            } else {
                None
            }
        }
        None => None,
    };
    tx.audit(Action::CaseLetter, Object::Case, Some(id.as_str()), None)
        .await?;
    tx.commit().await?;
    let Some(event) = decision_in_force(&timeline) else {
        return Err(AppError::NotFound);
    };
    let kind = event.event;
    let page = Page::new(&state, &ctx);
    let locale = letter_locale(
        query.lang.as_deref(),
        people.as_ref().map_or("", |p| p.languages.as_str()),
    );
    let letter = Tr::new(locale, state.translations.clone());
    let authority = event
        .actor_organisation
        .clone()
        .unwrap_or_else(|| letter.t("case-letter-signature"));
    let name = people
        .as_ref()
        .map(|p| format!("{} {}", p.given_names.trim(), p.family_name.trim().to_uppercase()))
        .map(|n| n.trim().to_owned())
        .unwrap_or_default();
    let correspondence = people
        .as_ref()
        .map(|p| p.safe_contact.through_whom.trim().to_owned())
        .unwrap_or_default();
    render(&LetterPage {
        lang: locale.code(),
        languages: Locale::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == locale))
            .collect(),
        id: id.to_string(),
        reference: summary.reference.clone(),
        date: crate::dates::day(Date::local(event.at, &page.zone), locale),
        signatory: letter.tn(
            "letter-signatory",
            &[
                ("name", event.actor.clone().unwrap_or_default()),
                ("role", letter.t("role-identification-officer")),
            ],
        ),
        authority,
        name,
        correspondence,
        decision: letter.t(&format!("case-letter-decision-{}", kind.key())),
        positive: matches!(kind, Event::PreliminaryPositive | Event::FormalPositive),
        formal: matches!(
            kind,
            Event::FormalPositive | Event::FormalNegative | Event::FormalInsufficientEvidence
        ),
        reasons: event
            .reasons
            .iter()
            .filter(|r| REASONS.contains(&r.as_str()))
            .map(|r| letter.t(&format!("case-reason-{r}")))
            .collect(),
        explanation: event.note.clone().unwrap_or_default(),
        reflection_ends: summary
            .case
            .reflection_ends
            .map(|d| crate::dates::day(d, locale))
            .unwrap_or_default(),
        letter,
        page: &page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_speaks_the_asked_then_the_recorded_language_then_french() {
        assert_eq!(letter_locale(Some("en"), "fra"), Locale::En);
        assert_eq!(letter_locale(None, "bin, eng"), Locale::En);
        assert_eq!(letter_locale(None, "Edo; English"), Locale::En);
        assert_eq!(letter_locale(None, "tir"), Locale::Fr);
        assert_eq!(letter_locale(Some("de"), ""), Locale::Fr);
    }
}
