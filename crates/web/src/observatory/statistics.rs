//! The consolidated statistics (issue 14, part 5): a source's current version by year and one
//! dimension — a table and bars for the year, the trend over every year the source holds, a
//! map when the dimension is the département — each figure through the one disclosure policy,
//! the source's definitions beside them. The counting and the drawing are
//! `relais_observatory::statistics`; `statistics_view` labels them for the page.

use super::statistics_view::{self as view, Choice, Choices, Figures};
use super::view::SourceNote;
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use relais_domain::access::authz::ManageObservatory;
use relais_store::observatory as store;

#[derive(Template)]
#[template(path = "observatory/statistics.html")]
struct StatisticsPage<'a> {
    page: &'a Page,
    choices: Choices,
    source_note: Option<SourceNote>,
    /// Why there is nothing to show, when there is nothing.
    message: Option<String>,
    /// What `<5` and `x` mean under the policy's threshold.
    rules: String,
    figures: Option<Figures>,
}

/// GET /observatory/statistics
pub async fn statistics(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(choice): Query<Choice>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let sources: Vec<store::Source> = store::sources(&mut tx, &can)
        .await?
        .into_iter()
        .filter(|s| s.current.is_some())
        .collect();
    let source = sources
        .iter()
        .find(|s| s.definition.code.as_str() == choice.source)
        .or(sources.first());
    let current = match source {
        Some(s) => store::current_rows(&mut tx, &can, &s.definition.code).await?,
        None => None,
    };
    tx.commit().await?;
    let built = view::build(
        &page,
        &sources,
        source,
        current.as_ref(),
        &choice,
        state.settings.statistics.min_group,
    );
    render(&StatisticsPage {
        page: &page,
        choices: built.choices,
        source_note: source.map(|s| SourceNote::of(&page, &s.definition)),
        message: built.message,
        rules: page.tr.t1(
            "observatory-stats-rules",
            "min",
            &state.settings.statistics.min_group.to_string(),
        ),
        figures: built.figures,
    })
}
