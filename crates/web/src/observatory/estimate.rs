//! The observatory's estimate page (issue 19, part 3): the analyst gives a table of how the
//! lists overlap — a CSV file in the command line's format or the capture histories of a
//! finished linkage run — and the methods' settings; the estimate is queued and done by a
//! serving process (`jobs::estimate`), its page shows the progress, then the stepwise, BIC and
//! latent-class estimates side by side. These are working figures, never published from here.

use super::estimate_view::{self, EstimateRow, EstimateView, Origin};
use super::view::file_name;
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderName;
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::estimate::{EstimateInput, TableSource};
use relais_domain::observatory::work::RunState;
use relais_stats::{CompareOptions, Dataset};
use relais_store::Tx;
use relais_store::observatory::estimates::{self as store, NewEstimate};
use relais_store::observatory::linkage;
use sha2::{Digest, Sha256};

/// Estimates listed on the page, and linkage runs offered as tables: the latest ones.
const SHOWN: u32 = 50;

#[derive(Template)]
#[template(path = "observatory/estimates.html")]
struct ListPage<'a> {
    page: &'a Page,
    rows: Vec<EstimateRow>,
    notice: Option<String>,
}

/// GET /observatory/estimates
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let runs = store::estimates(&mut tx, &can, SHOWN).await?;
    tx.commit().await?;
    render(&ListPage {
        rows: runs.iter().map(|r| estimate_view::row(&page, r)).collect(),
        notice: done.notice(&page),
        page: &page,
    })
}

/// The form as typed (a chosen file cannot be shown again), with the command line's defaults.
#[derive(Debug, Clone)]
pub struct EstimateForm {
    pub title: String,
    pub source: String,
    pub linkage_run: String,
    pub replicates: String,
    pub seed: String,
    pub burnin: String,
    pub samples: String,
    pub thinning: String,
}

impl Default for EstimateForm {
    fn default() -> Self {
        let defaults = CompareOptions::default();
        Self {
            title: String::new(),
            source: "file".to_owned(),
            linkage_run: String::new(),
            replicates: defaults.replicates.to_string(),
            seed: defaults.seed.to_string(),
            burnin: defaults.burnin.to_string(),
            samples: defaults.samples.to_string(),
            thinning: defaults.thinning.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "observatory/estimate_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: EstimateForm,
    /// Finished linkage runs: id and title.
    runs: Vec<(String, String)>,
    errors: FieldErrors,
    file_lost: bool,
}

/// The finished linkage runs whose histories can be estimated from.
async fn finished_runs(tx: &mut Tx, can: &Capability<ManageObservatory>) -> Result<Vec<(String, String)>, AppError> {
    Ok(linkage::runs(tx, can, SHOWN)
        .await?
        .into_iter()
        .filter(|r| r.state == RunState::Done)
        .map(|r| (r.id, r.title))
        .collect())
}

async fn new_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &crate::session::SignedIn,
    form: EstimateForm,
    errors: FieldErrors,
    file_lost: bool,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let runs = finished_runs(&mut tx, &can).await?;
    tx.commit().await?;
    let failed = !errors.is_empty();
    let body = render(&NewPage {
        page: &page,
        form,
        runs,
        errors,
        file_lost,
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /observatory/estimates/new
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    new_page(
        &state,
        &ctx,
        &user,
        EstimateForm::default(),
        FieldErrors::default(),
        false,
    )
    .await
}

/// The form's fields and the chosen file (name, bytes).
async fn read_form(multipart: &mut Multipart) -> Result<(EstimateForm, Option<(String, Vec<u8>)>), AppError> {
    let mut form = EstimateForm::default();
    let mut chosen = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file = file_name(field.file_name());
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec();
            chosen = (!bytes.is_empty()).then_some((file, bytes));
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "title" => form.title = text,
            "source" => form.source = text,
            "linkage_run" => form.linkage_run = text,
            "replicates" => form.replicates = text,
            "seed" => form.seed = text,
            "burnin" => form.burnin = text,
            "samples" => form.samples = text,
            "thinning" => form.thinning = text,
            _ => {}
        }
    }
    Ok((form, chosen))
}

/// A linkage run's capture histories as a table in the command line's format.
fn histories_csv(outcome: &relais_observatory::linkage::Outcome) -> String {
    let mut csv = outcome
        .sources
        .iter()
        .map(|s| csv_cell(s))
        .collect::<Vec<_>>()
        .join(",");
    csv.push_str(",count\n");
    for history in &outcome.histories {
        let flags: Vec<String> = history.pattern.chars().map(String::from).collect();
        csv.push_str(&format!("{},{}\n", flags.join(","), history.persons));
    }
    csv
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// POST /observatory/estimates (multipart): checks the form and the table, then queues the
/// estimate.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (form, chosen) = read_form(&mut multipart).await?;
    let input = EstimateInput {
        title: form.title.clone(),
        source: form.source.clone(),
        has_file: chosen.is_some(),
        linkage_run: form.linkage_run.clone(),
        replicates: form.replicates.clone(),
        seed: form.seed.clone(),
        burnin: form.burnin.clone(),
        samples: form.samples.clone(),
        thinning: form.thinning.clone(),
    };
    let file_lost = chosen.is_some();
    let mut errors = FieldErrors::default();
    let checked = match input.check() {
        Ok(checked) => checked,
        Err(problems) => {
            for p in problems {
                errors.add(p.field, page.t(&format!("estimate-problem-{}", p.key)));
            }
            return new_page(&state, &ctx, &user, form, errors, file_lost).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (table_csv, origin, field) = match &checked.source {
        TableSource::File => {
            let (name, bytes) = chosen.unwrap_or_default();
            let origin = Origin::File {
                file_name: name,
                sha256: hex::encode(Sha256::digest(&bytes)),
            };
            (String::from_utf8(bytes).unwrap_or_default(), origin, "file")
        }
        TableSource::Linkage(id) => {
            let run = linkage::run(&mut tx, &can, id).await?;
            let outcome = run
                .outcome_json
                .as_deref()
                .and_then(|json| serde_json::from_str::<relais_observatory::linkage::Outcome>(json).ok())
                .ok_or(AppError::NotFound)?;
            let origin = Origin::Linkage {
                run: run.id.clone(),
                title: run.title.clone(),
            };
            (histories_csv(&outcome), origin, "linkage_run")
        }
    };
    if let Err(problem) = Dataset::from_csv(&table_csv) {
        // Nothing queued; a linkage run that was read stays audited, a file read nothing (and
        // the transaction must end before the form's own opens).
        if field == "linkage_run" {
            tx.commit().await?;
        } else {
            drop(tx);
        }
        errors.add(
            field,
            page.tr.t1("estimate-problem-table", "detail", &problem.to_string()),
        );
        return new_page(&state, &ctx, &user, form, errors, file_lost).await;
    }
    let settings = CompareOptions {
        replicates: checked.replicates,
        seed: checked.seed,
        burnin: checked.burnin,
        samples: checked.samples,
        thinning: checked.thinning,
        ..CompareOptions::default()
    };
    let settings_json = serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
    let inputs_json = serde_json::to_string(&origin).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = store::create(
        &mut tx,
        &can,
        &NewEstimate {
            title: &checked.title,
            settings_json: &settings_json,
            inputs_json: &inputs_json,
            table_csv: &table_csv,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/estimates/{id}?done=estimate-queued")).into_response())
}

#[derive(Template)]
#[template(path = "observatory/estimate.html")]
struct EstimatePage<'a> {
    page: &'a Page,
    estimate: EstimateView,
    notice: Option<String>,
}

/// GET /observatory/estimates/{id}: the progress while it runs, then the methods side by side.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let run = store::estimate(&mut tx, &can, &id).await?;
    tx.commit().await?;
    render(&EstimatePage {
        estimate: estimate_view::estimate(&page, &run)?,
        notice: done.notice(&page),
        page: &page,
    })
}

#[derive(Template)]
#[template(path = "observatory/estimate_progress.html")]
struct ProgressFragment<'a> {
    page: &'a Page,
    id: String,
    progress: u8,
    state: String,
}

/// GET /observatory/estimates/{id}/progress: the progress bar alone, asked for every second
/// by the page (htmx); once the estimate is over, the page is reloaded to show it.
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
    use crate::i18n::{Locale, Translations};
    use relais_domain::observatory::estimate::PROBLEM_KEYS;
    use relais_stats::MethodName;

    #[test]
    fn every_problem_method_and_warning_has_its_words() {
        let mut keys: Vec<String> = PROBLEM_KEYS.iter().map(|k| format!("estimate-problem-{k}")).collect();
        keys.extend(MethodName::ALL.iter().map(|m| format!("estimate-method-{}", m.key())));
        keys.extend(
            [
                "empty-lists",
                "non-overlapping",
                "few-shared",
                "not-converged",
                "failed",
                "bic-lists",
                "unbounded",
                "wide",
                "threshold-swing",
                "methods-disagree",
            ]
            .map(|k| format!("estimate-warning-{k}")),
        );
        let translations = Translations::load().unwrap();
        for locale in [Locale::Fr, Locale::En] {
            for key in &keys {
                assert_ne!(&translations.get(locale, key, None), key, "{key} in {locale:?}");
            }
        }
    }
}
