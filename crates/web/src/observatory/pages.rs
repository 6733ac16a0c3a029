//! The observatory's sources (issue 14, parts 1 and 2): the analyst's home,
//! the list of sources, a source's definitions and descriptor, the import of
//! a file as a new version, the versions with their provenance, and the
//! restoration of an earlier one.

use super::view::{SourceNote, file_name};
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageObservatory;
use relais_domain::observatory::source::{DataKind, Definition, RawDefinition, SourceCode, Unit};
use relais_domain::time::Timestamp;
use relais_observatory::import::{Problem, Schema};
use relais_observatory::sources::{self, ImportError, Importer, Upload};
use relais_store::observatory::{self as store, Source, Version};
use serde::Deserialize;

fn source_code(raw: &str) -> Result<SourceCode, AppError> {
    SourceCode::parse(raw).ok_or(AppError::NotFound)
}

/// A day in words: "4 décembre 2026", "4 December 2026".
pub fn day(page: &Page, at: Timestamp) -> String {
    let d = page.today(at);
    format!(
        "{} {} {}",
        d.day,
        page.t(&format!("observatory-month-{}", d.month)),
        d.year
    )
}

/// A source in a list, with its last import.
pub struct SourceRow {
    pub code: String,
    pub name: String,
    pub producer: String,
    pub unit: String,
    /// "Version 2 — 4 décembre 2026 — 120 lignes", or "no import yet".
    pub last_import: String,
}

fn source_row(page: &Page, s: &Source) -> SourceRow {
    SourceRow {
        code: s.definition.code.as_str().to_owned(),
        name: s.definition.name.clone(),
        producer: s.definition.producer.clone(),
        unit: page.t(&format!("observatory-unit-{}", s.definition.unit.key())),
        last_import: s.current.as_ref().map_or_else(
            || page.t("observatory-no-import"),
            |c| {
                page.tr.tn(
                    "observatory-last-import",
                    &[
                        ("number", c.number.to_string()),
                        ("day", day(page, c.imported_at)),
                        ("rows", c.row_count.to_string()),
                    ],
                )
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "observatory/home.html")]
struct HomePage<'a> {
    page: &'a Page,
    sources: Vec<SourceRow>,
}

#[derive(Template)]
#[template(path = "observatory/sources.html")]
struct SourcesPage<'a> {
    page: &'a Page,
    sources: Vec<SourceRow>,
}

async fn rows(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    page: &Page,
) -> Result<Vec<SourceRow>, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let list = store::sources(&mut tx, &can).await?;
    tx.commit().await?;
    Ok(list.iter().map(|s| source_row(page, s)).collect())
}

/// GET /observatory: the analyst's home: the sources and the last import of each.
pub async fn home(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let sources = rows(&state, &ctx, &user, &page).await?;
    render(&HomePage { page: &page, sources })
}

/// GET /observatory/sources
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let sources = rows(&state, &ctx, &user, &page).await?;
    render(&SourcesPage { page: &page, sources })
}

/// The definitions form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct SourceForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    producer: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    data_kind: String,
    #[serde(default)]
    counting_rule: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    territory: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    quality_notes: String,
    #[serde(default)]
    schema: String,
}

impl SourceForm {
    fn raw(&self) -> RawDefinition {
        RawDefinition {
            code: self.code.clone(),
            name: self.name.clone(),
            producer: self.producer.clone(),
            unit: self.unit.clone(),
            data_kind: self.data_kind.clone(),
            counting_rule: self.counting_rule.clone(),
            period: self.period.clone(),
            territory: self.territory.clone(),
            contact: self.contact.clone(),
            quality_notes: self.quality_notes.clone(),
        }
    }

    fn of(source: &Source) -> Self {
        let d = &source.definition;
        Self {
            code: d.code.as_str().to_owned(),
            name: d.name.clone(),
            producer: d.producer.clone(),
            unit: d.unit.key().to_owned(),
            data_kind: d.data_kind.key().to_owned(),
            counting_rule: d.counting_rule.clone(),
            period: d.period.clone(),
            territory: d.territory.clone(),
            contact: d.contact.clone(),
            quality_notes: d.quality_notes.clone(),
            schema: source.schema_json.clone(),
        }
    }

    /// The definitions and the descriptor, or what is wrong with each field.
    fn check(&self, page: &Page) -> Result<(Definition, String), FieldErrors> {
        let mut errors = FieldErrors::default();
        let definition = self.raw().check().map_err(|problems| {
            for p in problems {
                errors.add(p.field, page.t(&format!("observatory-error-{}-{}", p.field, p.key)));
            }
        });
        if let Err(problems) = Schema::parse(&self.schema) {
            let listed: Vec<String> = problems
                .iter()
                .map(|p| {
                    let why = page.t(&format!("observatory-schema-{}", p.key));
                    if p.path.is_empty() {
                        why
                    } else {
                        format!("{} : {why}", p.path)
                    }
                })
                .collect();
            errors.add(
                "schema",
                page.tr.t1("observatory-error-schema", "problems", &listed.join(" ; ")),
            );
        }
        match definition {
            Ok(definition) if errors.is_empty() => Ok((definition, self.schema.trim().to_owned())),
            _ => Err(errors),
        }
    }
}

/// A starting descriptor for a new source: the analyst edits it.
const EXAMPLE_SCHEMA: &str = r#"{
  "fields": [
    {"name": "annee", "type": "year", "title": "Année", "constraints": {"required": true}},
    {"name": "sexe", "type": "string", "title": "Sexe", "constraints": {"enum": ["F", "M"]}},
    {"name": "victimes", "type": "integer", "title": "Victimes", "constraints": {"required": true, "minimum": 0}}
  ],
  "missingValues": [""],
  "primaryKey": ["annee", "sexe"]
}"#;

/// Options of a closed choice: (key, label).
type Options = Vec<(&'static str, String)>;

/// The units and the kinds of data, as options.
fn options(page: &Page) -> (Options, Options) {
    (
        Unit::ALL
            .iter()
            .map(|u| (u.key(), page.t(&format!("observatory-unit-{}", u.key()))))
            .collect(),
        DataKind::ALL
            .iter()
            .map(|k| (k.key(), page.t(&format!("observatory-kind-{}", k.key()))))
            .collect(),
    )
}

#[derive(Template)]
#[template(path = "observatory/source_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: SourceForm,
    errors: FieldErrors,
    units: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
}

fn new_page(page: &Page, form: SourceForm, errors: FieldErrors) -> Result<Response, AppError> {
    let (units, kinds) = options(page);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&NewPage {
        page,
        form,
        errors,
        units,
        kinds,
    })?;
    Ok((status, body).into_response())
}

/// GET /observatory/sources/new
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ManageObservatory>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let form = SourceForm {
        schema: EXAMPLE_SCHEMA.to_owned(),
        ..SourceForm::default()
    };
    new_page(&page, form, FieldErrors::default())
}

/// POST /observatory/sources: adds a source, then its page.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (definition, schema) = match form.check(&page) {
        Ok(checked) => checked,
        Err(errors) => return new_page(&page, form, errors),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match store::create_source(&mut tx, &can, &definition, &schema).await {
        Ok(()) => {}
        Err(relais_store::StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add("code", page.t("observatory-error-code-taken"));
            return new_page(&page, form, errors);
        }
        Err(error) => return Err(error.into()),
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/observatory/sources/{}?done=observatory-source-created",
        definition.code
    ))
    .into_response())
}

pub struct VersionView {
    pub number: u32,
    pub file_name: String,
    pub sha256: String,
    pub rows: String,
    pub note: String,
    pub imported: String,
    pub current: bool,
}

fn who(page: &Page, by: Option<&str>) -> String {
    by.map_or_else(|| page.t("observatory-command-line"), str::to_owned)
}

fn version_view(page: &Page, v: &Version) -> VersionView {
    VersionView {
        number: v.number,
        file_name: v.file_name.clone(),
        sha256: v.sha256.clone(),
        rows: page.tr.t1("observatory-rows", "count", &v.row_count.to_string()),
        note: v.note.clone(),
        imported: page.tr.tn(
            "observatory-by-on",
            &[
                ("who", who(page, v.imported_by.as_deref())),
                ("day", day(page, v.imported_at)),
            ],
        ),
        current: v.current,
    }
}

pub struct ProblemView {
    pub line: String,
    pub column: String,
    pub message: String,
}

fn problem_view(page: &Page, p: &Problem) -> ProblemView {
    let key = format!("observatory-problem-{}", p.kind.key());
    ProblemView {
        line: if p.line == 0 {
            page.t("observatory-whole-file")
        } else {
            p.line.to_string()
        },
        column: p.column.clone(),
        message: match p.kind.argument() {
            Some(value) => page.tr.t1(&key, "value", &value),
            None => page.t(&key),
        },
    }
}

/// The import form, as typed (the file itself cannot be given back).
#[derive(Default)]
pub struct ImportFields {
    pub note: String,
}

#[derive(Template)]
#[template(path = "observatory/source.html")]
struct SourcePage<'a> {
    page: &'a Page,
    code: String,
    source_note: SourceNote,
    form: SourceForm,
    errors: FieldErrors,
    units: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    import: ImportFields,
    import_errors: FieldErrors,
    problems: Vec<ProblemView>,
    versions: Vec<VersionView>,
    /// "Version 2 imported by … on …", newest first.
    history: Vec<String>,
    schema_fields: Vec<(String, String, String)>,
    notice: Option<String>,
}

/// What a refused form gives back to the source page.
#[derive(Default)]
struct Refused {
    form: Option<SourceForm>,
    errors: FieldErrors,
    import: ImportFields,
    import_errors: FieldErrors,
    problems: Vec<ProblemView>,
}

async fn source_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &SourceCode,
    refused: Refused,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let source = store::source(&mut tx, &can, code).await?;
    let (versions, events) = store::versions(&mut tx, &can, code).await?;
    tx.commit().await?;
    let (units, kinds) = options(&page);
    let history = events
        .iter()
        .map(|e| {
            page.tr.tn(
                &format!("observatory-event-{}", e.kind.key()),
                &[
                    ("number", e.number.to_string()),
                    ("who", who(&page, e.by.as_deref())),
                    ("day", day(&page, e.at)),
                ],
            )
        })
        .collect();
    let schema_fields = Schema::parse(&source.schema_json)
        .map(|s| {
            s.fields
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        page.t(&format!("observatory-type-{}", f.field_type.key())),
                        f.title.clone().or_else(|| f.description.clone()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let failed = !(refused.errors.is_empty() && refused.import_errors.is_empty() && refused.problems.is_empty());
    let body = render(&SourcePage {
        code: code.as_str().to_owned(),
        source_note: SourceNote::of(&page, &source.definition),
        form: refused.form.unwrap_or_else(|| SourceForm::of(&source)),
        errors: refused.errors,
        units,
        kinds,
        import: refused.import,
        import_errors: refused.import_errors,
        problems: refused.problems,
        versions: versions.iter().map(|v| version_view(&page, v)).collect(),
        history,
        schema_fields,
        notice,
        page: &page,
    })?;
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, body).into_response())
}

/// GET /observatory/sources/{code}
pub async fn source(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let code = source_code(&code)?;
    let notice = query.notice(&Page::new(&state, &ctx));
    source_page(&state, &ctx, &user, &code, Refused::default(), notice).await
}

/// POST /observatory/sources/{code}: the definitions and the descriptor.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(code): Path<String>,
    Form(mut form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let code = source_code(&code)?;
    // The code is not edited: it is in every link to the source.
    form.code = code.as_str().to_owned();
    let page = Page::new(&state, &ctx);
    let (definition, schema) = match form.check(&page) {
        Ok(checked) => checked,
        Err(errors) => {
            let refused = Refused {
                form: Some(form),
                errors,
                ..Refused::default()
            };
            return source_page(&state, &ctx, &user, &code, refused, None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    store::update_source(&mut tx, &can, &definition, &schema).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/sources/{code}?done=observatory-source-saved")).into_response())
}

/// POST /observatory/sources/{code}/imports (multipart): a CSV or XLSX file,
/// checked against the source's descriptor, imported whole or not at all.
pub async fn import(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let code = source_code(&code)?;
    let page = Page::new(&state, &ctx);
    let mut note = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        match field.name() {
            Some("note") => note = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = file_name(field.file_name());
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec();
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let mut import_errors = FieldErrors::default();
    if note.chars().count() > relais_domain::observatory::source::MAX_TEXT {
        import_errors.add("note", page.t("observatory-error-note-too-long"));
    }
    let file = file.filter(|(_, bytes)| !bytes.is_empty());
    if file.is_none() {
        import_errors.add("file", page.t("observatory-error-file-required"));
    }
    let refuse = |import_errors, problems| Refused {
        import: ImportFields { note: note.clone() },
        import_errors,
        problems,
        ..Refused::default()
    };
    let Some((name, bytes)) = file.filter(|_| import_errors.is_empty()) else {
        return source_page(&state, &ctx, &user, &code, refuse(import_errors, vec![]), None).await;
    };
    let upload = Upload {
        file_name: &name,
        bytes: &bytes,
        note: &note,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match sources::import(&mut tx, Importer::Analyst(&can), &code, &upload).await {
        Ok(imported) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!(
                "/observatory/sources/{code}?done=observatory-imported#version-{}",
                imported.number
            ))
            .into_response())
        }
        Err(ImportError::Invalid(found)) => {
            // Nothing was written; the transaction is dropped.
            let problems = found.iter().map(|p| problem_view(&page, p)).collect();
            drop(tx);
            source_page(
                &state,
                &ctx,
                &user,
                &code,
                refuse(FieldErrors::default(), problems),
                None,
            )
            .await
        }
        Err(ImportError::Schema) => Err(AppError::Internal("stored descriptor unreadable".into())),
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}

/// POST /observatory/sources/{code}/versions/{number}/restore
pub async fn restore(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, number)): Path<(String, u32)>,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(&user, &ctx.path)?;
    let code = source_code(&code)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    store::restore(&mut tx, &can, &code, number).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/sources/{code}?done=observatory-restored")).into_response())
}

/// GET /observatory/sources/{code}/schema.json: the descriptor, to share
/// with the producer or check a file with other Table Schema tools.
pub async fn schema(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let code = source_code(&code)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let source = store::source(&mut tx, &can, &code).await?;
    tx.commit().await?;
    Ok(attachment(
        FileKind::Json,
        &format!("{code}.schema"),
        source.schema_json,
    ))
}

/// Every translation key built with `format!` (checked by the test below).
#[cfg(test)]
fn built_keys() -> Vec<String> {
    let mut keys: Vec<String> = Unit::ALL
        .iter()
        .map(|u| format!("observatory-unit-{}", u.key()))
        .collect();
    keys.extend(DataKind::ALL.iter().map(|k| format!("observatory-kind-{}", k.key())));
    keys.extend((1..=12).map(|m| format!("observatory-month-{m}")));
    keys.extend(
        relais_observatory::import::problem::PROBLEM_KEYS
            .iter()
            .map(|k| format!("observatory-problem-{k}")),
    );
    keys.extend(
        relais_observatory::import::schema::SCHEMA_PROBLEM_KEYS
            .iter()
            .map(|k| format!("observatory-schema-{k}")),
    );
    keys.extend(
        relais_observatory::import::value::FieldType::ALL
            .iter()
            .map(|t| format!("observatory-type-{}", t.key())),
    );
    keys.extend(
        store::EventKind::ALL
            .iter()
            .map(|e| format!("observatory-event-{}", e.key())),
    );
    keys.extend(
        relais_domain::observatory::source::PROBLEMS
            .iter()
            .map(|(field, key)| format!("observatory-error-{field}-{key}")),
    );
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, Translations};

    /// Keys built with `format!` escape the static check: every one is listed here.
    #[test]
    fn every_built_key_is_translated() {
        let translations = Translations::load().unwrap();
        for locale in [Locale::Fr, Locale::En] {
            for key in built_keys() {
                assert_ne!(translations.get(locale, &key, None), key, "{key} in {locale:?}");
            }
        }
    }

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(file_name(Some("C:\\Users\\x\\victimes.csv")), "victimes.csv");
        assert_eq!(file_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(file_name(None), "");
    }
}
