//! The people of a case file (issue 4, part 4): the person's record with
//! safe-contact instructions, and their dependants.

use crate::AppState;
use crate::casework::header::{self, CaseHeader, Tab};
use crate::casework::view::{open_case, open_to_change, parse_id, shared_for};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::pickers::{self, DateView, Pick};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::CaseAccess;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_people::{
    Dependant, DependantInput, MAX_DEPENDANTS, MAX_TEXT, Person, PersonInput, Problem, Relation,
};
use relais_domain::ids::CaseId;
use relais_domain::intake::date_fields::DateFields;
use relais_domain::reference;
use relais_store::casework::case_people;

pub struct DependantView {
    pub id: String,
    pub name: String,
    pub relation: String,
    pub birth_year: String,
    pub accompanies: bool,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "casework/case_people.html")]
struct PeoplePage<'a> {
    page: &'a Page,
    header: Option<CaseHeader>,
    access: &'a CaseAccess,
    shared_for: Option<String>,
    id: String,
    /// Whether a record was saved (else the form starts from the referral).
    saved: bool,
    person: PersonInput,
    /// The person's birth date, nationality and languages as read.
    birth_date: String,
    nationality: String,
    language_names: String,
    dependants: Vec<DependantView>,
    dependant: DependantInput,
    relations: Vec<(&'static str, String)>,
    birth: DateView,
    countries: Vec<Pick>,
    languages: Vec<Pick>,
    errors: FieldErrors,
}

impl PeoplePage<'_> {
    fn may(&self, area: CaseArea, mode: Mode) -> bool {
        self.access.may(area, mode)
    }

    /// The person's identity as (label key, value), for a reader who does not edit it.
    fn identity(&self) -> [(&'static str, &str); 6] {
        let p = &self.person;
        [
            ("people-family-name", &p.family_name),
            ("people-given-names", &p.given_names),
            ("people-aliases", &p.aliases),
            ("people-birth-date-label", &self.birth_date),
            ("people-nationality-label", &self.nationality),
            ("people-languages", &self.language_names),
        ]
    }

    /// The person's names: field, label key, value.
    fn name_fields(&self) -> [(&'static str, &'static str, &str); 2] {
        let p = &self.person;
        [
            ("family_name", "people-family-name", &p.family_name),
            ("given_names", "people-given-names", &p.given_names),
        ]
    }

    /// How to reach the person safely: field, label key, value.
    fn contact_fields(&self) -> [(&'static str, &'static str, &str); 2] {
        let p = &self.person;
        [
            ("safe_times", "people-safe-times", &p.safe_times),
            ("through_whom", "people-through-whom", &p.through_whom),
        ]
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PersonForm {
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    birth_date_day: Option<String>,
    #[serde(default)]
    birth_date_month: Option<String>,
    #[serde(default)]
    birth_date_year: Option<String>,
    #[serde(default)]
    nationality: String,
    /// ISO 639-3 codes chosen from the list, several at once.
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    do_not_call: Option<String>,
    #[serde(default)]
    safe_times: String,
    #[serde(default)]
    through_whom: String,
}

impl PersonForm {
    /// The three fields of the birth date in the stored form, or the
    /// stored form itself from a client that sends no fields.
    fn birth_date(&self) -> String {
        match (&self.birth_date_day, &self.birth_date_month, &self.birth_date_year) {
            (None, None, None) => self.birth_date.clone(),
            (d, m, y) => DateFields::new(
                d.as_deref().unwrap_or(""),
                m.as_deref().unwrap_or(""),
                y.as_deref().unwrap_or(""),
            )
            .stored(),
        }
    }

    fn input(&self) -> PersonInput {
        PersonInput {
            family_name: self.family_name.clone(),
            given_names: self.given_names.clone(),
            aliases: self.aliases.clone(),
            birth_date: self.birth_date(),
            nationality: self.nationality.clone(),
            languages: reference::store_languages(&self.languages),
            do_not_call: self.do_not_call.is_some(),
            safe_times: self.safe_times.clone(),
            through_whom: self.through_whom.clone(),
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DependantForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    accompanies: Option<String>,
    #[serde(default)]
    notes: String,
}

impl DependantForm {
    fn input(&self) -> DependantInput {
        DependantInput {
            name: self.name.clone(),
            relation: self.relation.clone(),
            birth_year: self.birth_year.clone(),
            accompanies: self.accompanies.is_some(),
            notes: self.notes.clone(),
        }
    }
}

fn relation_label(page: &Page, relation: Relation) -> String {
    page.t(&format!("people-relation-{}", relation.key()))
}

fn add_problems(page: &Page, errors: &mut FieldErrors, problems: &[Problem]) {
    for problem in problems {
        let message = match problem {
            Problem::TooLong(_) => page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()),
            Problem::TooManyDependants => page.tr.t1(problem.key(), "max", &MAX_DEPENDANTS.to_string()),
            _ => page.t(problem.key()),
        };
        errors.add(problem.field(), message);
    }
}

/// What the page shows: the typed values when a form comes back with errors.
enum Typed {
    Nothing,
    Person(PersonInput),
    Dependant(DependantInput),
}

async fn render_people(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    typed: Typed,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let (mut tx, access) = open_case(state, ctx, user, id).await?;
    let page = Page::new(state, ctx);
    let people = case_people::people(&mut tx, &access).await?;
    // Read after the page's own read, which stays the main act of its audit line.
    let header = header::read(&mut tx, state, &page, user, &access, Tab::People, notice).await?;
    tx.commit().await?;
    let saved = people.person.is_some();
    let stored = people.person.unwrap_or(people.from_referral).input();
    let (person, dependant) = match typed {
        Typed::Nothing => (stored, DependantInput::default()),
        Typed::Person(person) => (person, DependantInput::default()),
        Typed::Dependant(dependant) => (stored, dependant),
    };
    render(&PeoplePage {
        header: Some(header),
        birth: DateView::new(
            &page,
            ("birth_date", "people-birth-date-label", None),
            &person.birth_date,
            &errors,
        ),
        countries: pickers::countries(&page, &person.nationality),
        languages: pickers::languages(&page, &person.languages),
        birth_date: pickers::birth_date(&page, &person.birth_date),
        nationality: pickers::country_name(&page, &person.nationality),
        language_names: pickers::language_names(&page, &person.languages),
        shared_for: shared_for(&page, &access),
        access: &access,
        id: id.to_string(),
        saved,
        person,
        dependants: people
            .dependants
            .iter()
            .map(|(row, d)| DependantView {
                id: row.clone(),
                name: d.name.clone(),
                relation: relation_label(&page, d.relation),
                birth_year: d.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                accompanies: d.accompanies,
                notes: d.notes.clone(),
            })
            .collect(),
        dependant,
        relations: Relation::ALL
            .iter()
            .map(|r| (r.key(), relation_label(&page, *r)))
            .collect(),
        errors,
        page: &page,
    })
}

/// GET /cases/{id}/file/people
pub async fn people(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let notice = done.notice(&Page::new(&state, &ctx));
    render_people(&state, &ctx, &user, &id, Typed::Nothing, FieldErrors::default(), notice).await
}

/// POST /cases/{id}/file/people/person
pub async fn save_person(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Identity).await?;
    let input = form.input();
    let today = Page::new(&state, &ctx).today(state.clock.now());
    match Person::parse(&input, today) {
        Ok(person) => {
            case_people::save_person(&mut tx, &access, &person).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/cases/{id}/file/people?done=case-person-saved")).into_response())
        }
        Err(problems) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            add_problems(&Page::new(&state, &ctx), &mut errors, &problems);
            let body = render_people(&state, &ctx, &user, &id, Typed::Person(input), errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /cases/{id}/file/people/dependants
pub async fn add_dependant(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<DependantForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Dependants).await?;
    let input = form.input();
    let full = case_people::dependant_count(&mut tx, &access).await? >= MAX_DEPENDANTS;
    let parsed = Dependant::parse(&input, Page::new(&state, &ctx).today(state.clock.now()));
    match parsed {
        Ok(dependant) if !full => {
            case_people::add_dependant(&mut tx, &access, &dependant).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/cases/{id}/file/people?done=case-dependant-added")).into_response())
        }
        outcome => {
            // Nothing was written: the transaction is dropped, not committed.
            drop(tx);
            let mut problems = outcome.err().unwrap_or_default();
            if full {
                problems.push(Problem::TooManyDependants);
            }
            let mut errors = FieldErrors::default();
            add_problems(&Page::new(&state, &ctx), &mut errors, &problems);
            let body = render_people(&state, &ctx, &user, &id, Typed::Dependant(input), errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /cases/{id}/file/people/dependants/{row}/remove
pub async fn remove_dependant(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, row)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Dependants).await?;
    case_people::remove_dependant(&mut tx, &access, &row).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file/people?done=case-dependant-removed")).into_response())
}
