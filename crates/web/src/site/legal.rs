//! The footer's legal pages, public and static: the accessibility statement
//! (RGAA), the legal notice, personal data (GDPR art. 13) and cookies. Their
//! text is in the locale files; the publisher's name and contact come from
//! the configuration, the retention periods from the retention policy.

use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// One of the footer's legal pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumCount)]
pub(crate) enum LegalPage {
    Accessibility,
    LegalNotice,
    PersonalData,
    Cookies,
}

impl LegalPage {
    /// Every page, for the translation check (each has its own route).
    #[cfg(test)]
    pub(crate) const ALL: [Self; <Self as strum::EnumCount>::COUNT] = [
        Self::Accessibility,
        Self::LegalNotice,
        Self::PersonalData,
        Self::Cookies,
    ];

    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Accessibility => "accessibility",
            Self::LegalNotice => "notice",
            Self::PersonalData => "data",
            Self::Cookies => "cookies",
        }
    }

    /// How many sections (heading and text) the page has in the locale files.
    pub(crate) fn sections(self) -> usize {
        match self {
            Self::Accessibility => 5,
            Self::LegalNotice => 4,
            Self::PersonalData => 6,
            Self::Cookies => 3,
        }
    }
}

struct Section {
    heading: String,
    paragraphs: Vec<String>,
    /// The retention schedule, under the personal-data page's section on how long data are kept.
    schedule: Vec<(String, String)>,
}

/// The personal-data page's section that the retention schedule follows.
const RETENTION_SECTION: usize = 3;

#[derive(Template)]
#[template(path = "site/legal.html")]
struct Legal<'a> {
    page: &'a Page,
    title: String,
    sections: Vec<Section>,
}

fn show(state: &AppState, ctx: &RequestContext, which: LegalPage) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let publisher = &state.settings.publisher;
    let args = [
        ("publisher", publisher.name.clone()),
        ("contact", publisher.contact.clone()),
        ("hosting", publisher.hosting.clone()),
    ];
    let key = which.key();
    let sections = (1..=which.sections())
        .map(|n| Section {
            heading: page.tr.tn(&format!("legal-{key}-{n}-heading"), &args),
            paragraphs: page
                .tr
                .tn(&format!("legal-{key}-{n}-text"), &args)
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
            schedule: if which == LegalPage::PersonalData && n == RETENTION_SECTION {
                crate::privacy::view::schedule(&page, &state.settings.retention)
            } else {
                Vec::new()
            },
        })
        .collect();
    render(&Legal {
        title: page.t(&format!("legal-{key}-title")),
        page: &page,
        sections,
    })
}

pub async fn accessibility(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    show(&state, &ctx, LegalPage::Accessibility)
}

pub async fn legal_notice(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    show(&state, &ctx, LegalPage::LegalNotice)
}

pub async fn personal_data(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    show(&state, &ctx, LegalPage::PersonalData)
}

pub async fn cookies(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    show(&state, &ctx, LegalPage::Cookies)
}
