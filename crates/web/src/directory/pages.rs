//! The service directory (issue 6): services and whom they accept, their
//! places reported by the provider, the prefecture contact persons, and the
//! CSV import. Directory data is about services, never about a person.

use crate::AppState;
use crate::access::authorized::{Authorized, capability, optional};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ImportDirectory, ManageServices, ViewDirectory};
use relais_domain::casework::needs::AccommodationType;
use relais_domain::directory::{MAX_PLACES, Places, ServiceKind};
use relais_domain::ids::ServiceId;
use relais_domain::intake::referral::{ExploitationForm, Sex};
use relais_domain::territory::Departement;
use relais_domain::time::Timestamp;
use relais_store::Actor;
use relais_store::directory::{self, FileKind, Filter, ImportError, ImportRun, Service};
use serde::Deserialize;

/// A date in the reader's usual form.
fn day(page: &Page, at: Timestamp) -> String {
    page.day(page.today(at))
}

/// "Département 93 — Seine-Saint-Denis" labels for the selects.
fn departement_options() -> Vec<(&'static str, String)> {
    Departement::all().map(|d| (d.code(), d.label())).collect()
}

fn kind_label(page: &Page, kind: &str) -> String {
    match ServiceKind::parse(kind) {
        Some(k) => page.t(&format!("directory-kind-{}", k.key())),
        None => kind.to_owned(),
    }
}

fn place_type_label(page: &Page, place_type: &str) -> String {
    match AccommodationType::parse(place_type) {
        Some(t) => page.t(&format!("directory-place-{}", t.key())),
        None => place_type.to_owned(),
    }
}

/// Whom a service accepts, in words.
fn accepts(page: &Page, s: &Service) -> String {
    let mut parts = Vec::new();
    let sexes: Vec<String> = s
        .accepts_sexes
        .split_whitespace()
        .filter_map(Sex::parse)
        .map(|x| page.t(&format!("sex-{}", x.key())))
        .collect();
    parts.push(if sexes.is_empty() {
        page.t("directory-all-sexes")
    } else {
        sexes.join(", ")
    });
    match (s.min_age, s.max_age) {
        (None, None) => {}
        (Some(min), None) => parts.push(page.tr.t1("directory-age-from", "min", &min.to_string())),
        (None, Some(max)) => parts.push(page.tr.t1("directory-age-to", "max", &max.to_string())),
        (Some(min), Some(max)) => parts.push(page.tr.tn(
            "directory-age-between",
            &[("min", min.to_string()), ("max", max.to_string())],
        )),
    }
    parts.push(page.t(if s.accepts_children {
        "directory-children-yes"
    } else {
        "directory-children-no"
    }));
    let forms: Vec<String> = s
        .forms
        .split_whitespace()
        .filter_map(ExploitationForm::parse)
        .map(|f| page.t(&format!("form-{}", f.key())))
        .collect();
    parts.push(if forms.is_empty() {
        page.t("directory-all-forms")
    } else {
        forms.join(", ")
    });
    if !s.languages.is_empty() {
        parts.push(
            page.tr.t1(
                "directory-languages-list",
                "languages",
                &s.languages
                    .to_uppercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        );
    }
    parts.join(" ; ")
}

pub struct PlaceView {
    pub label: String,
    pub free: i64,
    pub total: i64,
    /// "2 free of 6".
    pub free_of_total: String,
    pub updated: String,
}

pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub kind: String,
    pub departement: String,
    pub covers: String,
    pub accepts: String,
    pub contact: String,
    pub places: Vec<PlaceView>,
}

fn view(page: &Page, s: &Service) -> ServiceView {
    ServiceView {
        id: s.id.to_string(),
        name: s.name.clone(),
        organisation: s.organisation.clone(),
        kind: kind_label(page, &s.kind),
        departement: relais_domain::territory::departement_label(&s.departement),
        covers: if s.covers == "*" {
            page.t("directory-covers-national")
        } else {
            s.covers.clone()
        },
        accepts: accepts(page, s),
        contact: s.contact.clone(),
        places: s
            .places
            .iter()
            .map(|p| PlaceView {
                label: place_type_label(page, &p.place_type),
                free: p.free,
                total: p.total,
                free_of_total: page.tr.tn(
                    "directory-free-of-total",
                    &[("free", p.free.to_string()), ("total", p.total.to_string())],
                ),
                updated: day(page, p.updated_at),
            })
            .collect(),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    departement: String,
    #[serde(default)]
    kind: String,
}

#[derive(Template)]
#[template(path = "directory/directory.html")]
struct ListPage<'a> {
    page: &'a Page,
    services: Vec<ServiceView>,
    departements: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    departement: String,
    kind: String,
}

/// GET /directory: services, filtered by a département they cover and a kind.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewDirectory>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    // An unknown value filters nothing rather than failing: it can only come from an edited URL.
    let filter = Filter {
        departement: Departement::parse(&query.departement),
        kind: ServiceKind::parse(&query.kind),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let services = directory::list_services(&mut tx, &can, &filter).await?;
    tx.commit().await?;
    render(&ListPage {
        services: services.iter().map(|s| view(&page, s)).collect(),
        departements: departement_options(),
        kinds: ServiceKind::ALL
            .iter()
            .map(|k| (k.key(), page.t(&format!("directory-kind-{}", k.key()))))
            .collect(),
        departement: filter.departement.map(|d| d.code().to_owned()).unwrap_or_default(),
        kind: filter.kind.map(|k| k.key().to_owned()).unwrap_or_default(),
        page: &page,
    })
}

/// The places form: total and free places by type, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct PlacesForm {
    #[serde(default)]
    emergency_total: String,
    #[serde(default)]
    emergency_free: String,
    #[serde(default)]
    specialised_total: String,
    #[serde(default)]
    specialised_free: String,
    #[serde(default, rename = "secure-distant_total")]
    secure_distant_total: String,
    #[serde(default, rename = "secure-distant_free")]
    secure_distant_free: String,
}

impl PlacesForm {
    fn of(&self, place_type: AccommodationType) -> (&str, &str) {
        match place_type {
            AccommodationType::Emergency => (&self.emergency_total, &self.emergency_free),
            AccommodationType::Specialised => (&self.specialised_total, &self.specialised_free),
            AccommodationType::SecureDistant => (&self.secure_distant_total, &self.secure_distant_free),
        }
    }

    fn from_service(service: &Service) -> Self {
        let mut form = Self::default();
        for p in &service.places {
            let (total, free) = (p.total.to_string(), p.free.to_string());
            match AccommodationType::parse(&p.place_type) {
                Some(AccommodationType::Emergency) => (form.emergency_total, form.emergency_free) = (total, free),
                Some(AccommodationType::Specialised) => (form.specialised_total, form.specialised_free) = (total, free),
                Some(AccommodationType::SecureDistant) => {
                    (form.secure_distant_total, form.secure_distant_free) = (total, free);
                }
                None => {}
            }
        }
        form
    }
}

/// Field names of the places form, by type: (total, free).
fn field_names(place_type: AccommodationType) -> (&'static str, &'static str) {
    match place_type {
        AccommodationType::Emergency => ("emergency_total", "emergency_free"),
        AccommodationType::Specialised => ("specialised_total", "specialised_free"),
        AccommodationType::SecureDistant => ("secure-distant_total", "secure-distant_free"),
    }
}

fn count(raw: &str) -> Option<u32> {
    raw.trim().parse::<u32>().ok().filter(|n| *n <= MAX_PLACES)
}

/// Parses the form: a type left blank is not reported; at least one must be.
fn parse_places(page: &Page, form: &PlacesForm) -> Result<Vec<Places>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut list = Vec::new();
    for place_type in AccommodationType::ALL {
        let (total_raw, free_raw) = form.of(place_type);
        let (total_field, free_field) = field_names(place_type);
        if total_raw.trim().is_empty() && free_raw.trim().is_empty() {
            continue;
        }
        let total = count(total_raw);
        let free = count(free_raw);
        if total.is_none() {
            errors.add(total_field, page.t("directory-error-number"));
        }
        if free.is_none() {
            errors.add(free_field, page.t("directory-error-number"));
        }
        if let (Some(total), Some(free)) = (total, free) {
            match Places::new(place_type, total, free) {
                Ok(places) => list.push(places),
                Err(_) => errors.add(free_field, page.t("directory-error-free-exceeds-total")),
            }
        }
    }
    if list.is_empty() && errors.is_empty() {
        errors.add(
            field_names(AccommodationType::ALL[0]).0,
            page.t("directory-error-places-required"),
        );
    }
    if errors.is_empty() { Ok(list) } else { Err(errors) }
}

pub struct PlaceField {
    pub label: String,
    pub total_name: &'static str,
    pub free_name: &'static str,
    pub total: String,
    pub free: String,
}

#[derive(Template)]
#[template(path = "directory/directory_service.html")]
struct ServicePage<'a> {
    page: &'a Page,
    service: ServiceView,
    /// Set when the reader may report the places (their organisation's service).
    fields: Option<Vec<PlaceField>>,
    errors: FieldErrors,
    notice: Option<String>,
}

async fn render_service(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &ServiceId,
    form: Option<&PlacesForm>,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<ViewDirectory>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let service = directory::service(&mut tx, &can, id).await?;
    tx.commit().await?;
    let manages = optional::<ManageServices>(user).is_some_and(|c| directory::may_manage(&c, &service));
    if form.is_some() && !manages {
        // A refused form is not shown again to someone who may not use it.
        return Err(AppError::Forbidden);
    }
    let fields = manages.then(|| {
        let current = form.cloned().unwrap_or_else(|| PlacesForm::from_service(&service));
        AccommodationType::ALL
            .into_iter()
            .map(|t| {
                let (total_name, free_name) = field_names(t);
                let (total, free) = current.of(t);
                PlaceField {
                    label: page.t(&format!("directory-place-{}", t.key())),
                    total_name,
                    free_name,
                    total: total.to_owned(),
                    free: free.to_owned(),
                }
            })
            .collect()
    });
    render(&ServicePage {
        service: view(&page, &service),
        fields,
        errors,
        notice,
        page: &page,
    })
}

fn service_id(raw: &str) -> Result<ServiceId, AppError> {
    ServiceId::parse(raw).ok_or(AppError::NotFound)
}

/// GET /directory/services/{id}
pub async fn service(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let id = service_id(&id)?;
    let notice = query.notice(&Page::new(&state, &ctx));
    render_service(&state, &ctx, &user, &id, None, FieldErrors::default(), notice).await
}

/// POST /directory/services/{id}/places: the owning organisation reports its places.
pub async fn update_places(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageServices>,
    Path(id): Path<String>,
    Form(form): Form<PlacesForm>,
) -> Result<Response, AppError> {
    let id = service_id(&id)?;
    let page = Page::new(&state, &ctx);
    let places = match parse_places(&page, &form) {
        Ok(places) => places,
        Err(errors) => {
            let body = render_service(&state, &ctx, &user, &id, Some(&form), errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    directory::update_places(&mut tx, &can, &id, &places).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/directory/services/{id}?done=directory-places-updated")).into_response())
}

#[derive(Template)]
#[template(path = "directory/directory_prefectures.html")]
struct PrefecturesPage<'a> {
    page: &'a Page,
    departements: Vec<(&'static str, String)>,
    departement: String,
    /// The chosen département's label, when one is chosen.
    chosen: Option<String>,
    contacts: Vec<directory::Contact>,
}

/// GET /directory/prefectures: the contact persons of a département (all without a choice).
pub async fn prefectures(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewDirectory>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let departement = Departement::parse(&query.departement);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let contacts = directory::prefecture_contacts(&mut tx, &can, departement).await?;
    tx.commit().await?;
    let departements = departement_options();
    let chosen = departement.and_then(|d| {
        departements
            .iter()
            .find(|(code, _)| *code == d.code())
            .map(|(_, label)| label.clone())
    });
    render(&PrefecturesPage {
        page: &page,
        departement: departement.map(|d| d.code().to_owned()).unwrap_or_default(),
        departements,
        chosen,
        contacts,
    })
}

pub struct ProblemView {
    pub line: u64,
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "directory/directory_import.html")]
struct ImportPage<'a> {
    page: &'a Page,
    kinds: Vec<(&'static str, String)>,
    kind: String,
    errors: FieldErrors,
    problems: Vec<ProblemView>,
    notice: Option<String>,
}

fn import_page<'a>(
    page: &'a Page,
    kind: &str,
    errors: FieldErrors,
    problems: Vec<ProblemView>,
    notice: Option<String>,
) -> ImportPage<'a> {
    ImportPage {
        kinds: FileKind::ALL
            .iter()
            .map(|k| (k.key(), page.t(&format!("directory-file-{}", k.key()))))
            .collect(),
        kind: kind.to_owned(),
        errors,
        problems,
        notice,
        page,
    }
}

/// GET /directory/import
pub async fn import_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ImportDirectory>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    render(&import_page(&page, "", FieldErrors::default(), vec![], None))
}

/// POST /directory/import (multipart): a CSV file, imported whole or not at all.
pub async fn import(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ImportDirectory>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut kind_raw = String::new();
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        match field.name() {
            Some("kind") => kind_raw = field.text().await.unwrap_or_default(),
            Some("file") => file = Some(field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec()),
            _ => {}
        }
    }
    let mut errors = FieldErrors::default();
    let kind = FileKind::parse(&kind_raw);
    if kind.is_none() {
        errors.add("kind", page.t("referral-problem-choose"));
    }
    let text = crate::forms::uploaded_text(&page, file, &mut errors);
    let (Some(kind), Some(text)) = (kind, text) else {
        let body = render(&import_page(&page, &kind_raw, errors, vec![], None))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let run = ImportRun {
        actor: Actor::user(
            user.principal.user_id().clone(),
            user.principal.organisation_id().clone(),
        ),
        request_id: &ctx.request_id,
        now: state.clock.now(),
    };
    match directory::import(&state.store, &run, &can, kind, &text).await {
        Ok(imported) => {
            let notice = page.tr.tn(
                &format!("directory-imported-{}", kind.key()),
                &[("count", imported.rows.to_string())],
            );
            render(&import_page(
                &page,
                kind.key(),
                FieldErrors::default(),
                vec![],
                Some(notice),
            ))
        }
        Err(ImportError::Invalid(found)) => {
            // Nothing was written.
            let problems = found
                .iter()
                .map(|p| ProblemView {
                    line: p.line,
                    field: p.problem.field.to_owned(),
                    message: page.t(&format!("directory-problem-{}", p.problem.key)),
                })
                .collect();
            let body = render(&import_page(&page, kind.key(), FieldErrors::default(), problems, None))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}
