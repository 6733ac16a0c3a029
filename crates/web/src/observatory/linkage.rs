//! The observatory's linkage runs (issue 15, part 4): the analyst chooses the encoded files
//! of two to six sources, the run is queued and done by a serving process
//! (`jobs::linkage`), its page shows the progress, then the quality report and the estimate.

use super::linkage_view::{self, RunRow, RunView};
use super::view::file_name;
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderName;
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::ManageObservatory;
use relais_domain::observatory::linkage::{REPLICATES, RunInput, SOURCES, SourceEntry};
use relais_observatory::linkage::{FileProblem, Input, Settings, files};
use relais_store::observatory::linkage::{self as store, NewRun};

/// Runs listed on the page: the latest ones.
const RUNS_SHOWN: u32 = 50;

#[derive(Template)]
#[template(path = "observatory/linkage_runs.html")]
struct RunsPage<'a> {
    page: &'a Page,
    rows: Vec<RunRow>,
    notice: Option<String>,
}

/// GET /observatory/linkage
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let runs = store::runs(&mut tx, &can, RUNS_SHOWN).await?;
    tx.commit().await?;
    render(&RunsPage {
        rows: runs.iter().map(|r| linkage_view::row(&page, r)).collect(),
        notice: done.notice(&page),
        page: &page,
    })
}

/// The form as typed: one name per line of sources (the files cannot be shown again).
#[derive(Debug, Clone)]
pub struct RunForm {
    pub title: String,
    pub names: Vec<String>,
    pub threshold: String,
    pub replicates: String,
}

impl Default for RunForm {
    fn default() -> Self {
        Self {
            title: String::new(),
            names: vec![String::new(); *SOURCES.end()],
            threshold: String::new(),
            replicates: "200".to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "observatory/linkage_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: RunForm,
    replicates: Vec<(String, String)>,
    errors: FieldErrors,
    /// Files were chosen: they must be chosen again.
    files_lost: bool,
    /// The input columns `relais linkage encode` reads: required, strata, optional.
    columns: [&'static str; 6],
    strata: [&'static str; 2],
    optional: [&'static str; 2],
}

fn new_page(page: &Page, form: RunForm, errors: FieldErrors, files_lost: bool) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let replicates = REPLICATES
        .iter()
        .map(|r| (r.to_string(), page.t(&format!("linkage-replicates-{r}"))))
        .collect();
    let body = render(&NewPage {
        page,
        form,
        replicates,
        errors,
        files_lost,
        columns: relais_stats::linkage::input::COLUMNS,
        strata: relais_stats::linkage::input::STRATUM_COLUMNS,
        optional: relais_stats::linkage::clk::Optional::ALL.map(relais_stats::linkage::clk::Optional::column),
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /observatory/linkage/new
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ManageObservatory>,
) -> Result<Response, AppError> {
    new_page(
        &Page::new(&state, &ctx),
        RunForm::default(),
        FieldErrors::default(),
        false,
    )
}

/// The form's fields and the chosen files (file name, bytes) by line.
async fn read_form(multipart: &mut Multipart) -> Result<(RunForm, Vec<Option<(String, Vec<u8>)>>), AppError> {
    let mut form = RunForm::default();
    let mut chosen: Vec<Option<(String, Vec<u8>)>> = vec![None; form.names.len()];
    let line = |name: &str, prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n < *SOURCES.end())
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(n) = line(&name, "file-") {
            let file = file_name(field.file_name());
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec();
            chosen[n] = (!bytes.is_empty()).then_some((file, bytes));
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "title" => form.title = text,
            "threshold" => form.threshold = text,
            "replicates" => form.replicates = text,
            _ => {
                if let Some(n) = line(&name, "name-") {
                    form.names[n] = text;
                }
            }
        }
    }
    Ok((form, chosen))
}

/// What is wrong with a file, naming its source.
fn file_problem(page: &Page, names: &[String], problem: &FileProblem) -> String {
    let named = |key: &str, position: usize| {
        page.tr
            .t1(key, "source", names.get(position).map_or("", String::as_str))
    };
    match problem {
        FileProblem::NotEncoded(p) => named("linkage-file-not-encoded", *p),
        FileProblem::Empty(p) => named("linkage-file-empty", *p),
        FileProblem::Damaged(p) => named("linkage-file-damaged", *p),
        FileProblem::NotTogether => page.t("linkage-file-not-together"),
    }
}

/// POST /observatory/linkage (multipart): checks the form and every file, then queues the run.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (form, chosen) = read_form(&mut multipart).await?;
    let lines: Vec<usize> = (0..form.names.len())
        .filter(|&n| !form.names[n].trim().is_empty() || chosen[n].is_some())
        .collect();
    let input = RunInput {
        title: form.title.clone(),
        sources: lines
            .iter()
            .map(|&n| SourceEntry {
                name: form.names[n].clone(),
                has_file: chosen[n].is_some(),
            })
            .collect(),
        threshold: form.threshold.clone(),
        replicates: form.replicates.clone(),
    };
    let files_lost = chosen.iter().any(Option::is_some);
    let mut errors = FieldErrors::default();
    let checked = match input.check() {
        Ok(checked) => checked,
        Err(problems) => {
            for p in problems {
                errors.add(p.field, page.t(&format!("linkage-problem-{}", p.key)));
            }
            return new_page(&page, form, errors, files_lost);
        }
    };
    let uploads: Vec<&(String, Vec<u8>)> = lines.iter().filter_map(|&n| chosen[n].as_ref()).collect();
    let mut parsed = Vec::new();
    for (position, (_, bytes)) in uploads.iter().enumerate() {
        match files::read(position, bytes) {
            Ok(file) => parsed.push(file),
            Err(problem) => errors.add("sources", file_problem(&page, &checked.names, &problem)),
        }
    }
    if errors.is_empty()
        && let Err(problem) = files::sources(&checked.names, &parsed)
    {
        errors.add("sources", file_problem(&page, &checked.names, &problem));
    }
    if !errors.is_empty() {
        return new_page(&page, form, errors, files_lost);
    }
    let inputs: Vec<Input> = checked
        .names
        .iter()
        .zip(&uploads)
        .zip(&parsed)
        .map(|((name, (file_name, bytes)), file)| Input {
            name: name.clone(),
            file_name: file_name.clone(),
            fingerprint: files::fingerprint(bytes, file),
        })
        .collect();
    let settings = Settings {
        threshold: checked.threshold_hundredths.map(|h| f64::from(h) / 100.0),
        bootstrap: checked.replicates,
        // A fixed seed: the run is reproduced by `relais linkage estimate` with its defaults.
        seed: 1,
    };
    let settings_json = serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
    let inputs_json = serde_json::to_string(&inputs).map_err(|e| AppError::Internal(e.to_string()))?;
    let bytes: Vec<Vec<u8>> = uploads.into_iter().map(|(_, b)| b.clone()).collect();
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let id = store::create(
        &mut tx,
        &can,
        &NewRun {
            title: &checked.title,
            settings_json: &settings_json,
            inputs_json: &inputs_json,
            files: &bytes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/linkage/{id}?done=linkage-queued")).into_response())
}

#[derive(Template)]
#[template(path = "observatory/linkage_run.html")]
struct RunPage<'a> {
    page: &'a Page,
    run: RunView,
    notice: Option<String>,
}

/// GET /observatory/linkage/{id}: the progress while the run goes, then what it found.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let run = store::run(&mut tx, &can, &id).await?;
    tx.commit().await?;
    render(&RunPage {
        run: linkage_view::run(&page, &run)?,
        notice: done.notice(&page),
        page: &page,
    })
}

#[derive(Template)]
#[template(path = "observatory/linkage_progress.html")]
struct ProgressFragment<'a> {
    page: &'a Page,
    id: String,
    progress: u8,
    state: String,
}

/// GET /observatory/linkage/{id}/progress: the progress bar alone, asked for every second by
/// the page (htmx); once the run is over, the page is reloaded to show what it found.
pub async fn progress(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, .. }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (run_state, progress) = store::progress(&state.store, &can, &id).await?;
    if run_state.is_over() {
        return Ok(([(HeaderName::from_static("hx-refresh"), "true")], "").into_response());
    }
    render(&ProgressFragment {
        page: &page,
        id,
        progress,
        state: page.t(&format!("linkage-state-{}", run_state.key())),
    })
}

#[cfg(test)]
mod tests {
    use super::linkage_view::strata_key;
    use crate::i18n::{Locale, Translations};
    use relais_domain::observatory::linkage::{PROBLEM_KEYS, REPLICATES, RunState};
    use relais_stats::linkage::strata::{AgeGroup, Sex, Variable};

    #[test]
    fn every_problem_state_and_choice_has_its_words() {
        let mut keys: Vec<String> = PROBLEM_KEYS.iter().map(|k| format!("linkage-problem-{k}")).collect();
        keys.extend(RunState::ALL.iter().map(|s| format!("linkage-state-{}", s.key())));
        keys.extend(REPLICATES.iter().map(|r| format!("linkage-replicates-{r}")));
        keys.extend(Variable::ALL.map(|v| format!("linkage-strata-{}", strata_key(v).1)));
        let (_, sex) = strata_key(Variable::Sex);
        let (_, age) = strata_key(Variable::AgeGroup);
        keys.extend(Sex::ALL.map(|s| format!("linkage-{sex}-{}", s.key())));
        keys.extend(AgeGroup::ALL.map(|a| format!("linkage-{age}-{}", a.key())));
        let translations = Translations::load().unwrap();
        for locale in [Locale::Fr, Locale::En] {
            for key in &keys {
                assert_ne!(&translations.get(locale, key, None), key, "{key} in {locale:?}");
            }
        }
    }
}
