//! What every page shares: language, CSRF token, request id, the signed-in
//! user and the navigation their roles allow.

use crate::AppState;
use crate::csrf;
use crate::error::{AppError, ErrorPage};
use crate::i18n::{Locale, Tr};
use crate::session::RequestContext;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use relais_domain::access::authz;
use relais_domain::access::role::Permission;
use relais_domain::time::{Date, Timestamp, Zone};

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

pub struct Page {
    pub tr: Tr,
    pub csrf: String,
    pub request_id: String,
    pub path: String,
    pub user_name: Option<String>,
    pub has_session: bool,
    pub nav: Vec<NavItem>,
    pub languages: Vec<(&'static str, &'static str, bool)>,
    /// The time zone of the viewer's organisation (Europe/Paris for a
    /// national one, or nobody signed in): every time shown is in it.
    pub zone: Zone,
}

/// Navigation entries and the permission each needs (None: any signed-in user).
const NAV: &[(&str, &str, Option<Permission>)] = &[
    ("/dashboard", "nav-dashboard", None),
    ("/referrals", "nav-referrals", Some(Permission::SubmitReferrals)),
    (
        "/admin/organisations",
        "nav-organisations",
        Some(Permission::ManageOrganisations),
    ),
    ("/admin/users", "nav-users", Some(Permission::ManageUsers)),
    (
        "/admin/access-requests",
        "nav-access-requests",
        Some(Permission::ManageUsers),
    ),
    (
        "/admin/catalogues",
        "nav-catalogues",
        Some(Permission::ManageCatalogues),
    ),
    ("/admin/audit", "nav-audit", Some(Permission::ViewAuditLog)),
    ("/admin/api-tokens", "nav-api-tokens", Some(Permission::ManageApiTokens)),
    ("/triage", "nav-triage", Some(Permission::TriageReferrals)),
    ("/cases", "nav-cases", Some(Permission::IdentifyVictims)),
    ("/shared-cases", "nav-shared-cases", Some(Permission::ViewCaseFile)),
    ("/onward", "nav-onward", Some(Permission::ViewCaseFile)),
    ("/directory", "nav-directory", Some(Permission::ViewDirectory)),
    (
        "/directory/import",
        "nav-directory-import",
        Some(Permission::ImportDirectory),
    ),
    ("/coordination/plans", "nav-plans", Some(Permission::ViewPlans)),
    ("/coordination/asked", "nav-asked", Some(Permission::ReportOnMeasures)),
    ("/survey", "nav-survey", Some(Permission::AnswerSurvey)),
    (
        "/coordination/committee",
        "nav-committee",
        Some(Permission::ViewCommittee),
    ),
    (
        "/statistics/timeliness",
        "nav-timeliness",
        Some(Permission::ViewStatistics),
    ),
    (
        "/statistics/equal-access",
        "nav-equal-access",
        Some(Permission::ViewStatistics),
    ),
    (
        "/statistics/training",
        "nav-training-totals",
        Some(Permission::ViewStatistics),
    ),
    ("/observatory", "nav-observatory", Some(Permission::ManageObservatory)),
    ("/training", "nav-training", Some(Permission::RecordTraining)),
    ("/privacy", "nav-privacy", Some(Permission::RequestDataRights)),
    ("/account", "nav-account", None),
];

impl Page {
    pub fn new(state: &AppState, ctx: &RequestContext) -> Self {
        let tr = Tr::new(ctx.locale, state.translations.clone());
        Self::with_tr(state, ctx, tr)
    }

    pub fn with_tr(state: &AppState, ctx: &RequestContext, tr: Tr) -> Self {
        let signed_in = ctx.signed_in();
        let path_only = ctx.path.split('?').next().unwrap_or("/");
        let nav = signed_in
            .map(|user| {
                NAV.iter()
                    .filter(|(_, _, needs)| needs.is_none_or(|p| authz::holds(&user.principal, p)))
                    .map(|(href, key, _)| NavItem {
                        href,
                        label: tr.t(key),
                        current: path_only == *href || path_only.starts_with(&format!("{href}/")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let languages = Locale::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == ctx.locale))
            .collect();
        Self {
            csrf: csrf::token(state, ctx),
            request_id: ctx.request_id.clone(),
            path: ctx.path.clone(),
            user_name: signed_in.map(|u| u.profile.display_name.clone()),
            has_session: ctx.session.is_some(),
            zone: signed_in.map_or_else(Zone::paris, |u| Zone::of_territory(u.principal.territory())),
            nav,
            languages,
            tr,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.locale.code()
    }

    /// The viewer's local day now.
    pub fn today(&self, now: Timestamp) -> Date {
        Date::local(now, &self.zone)
    }

    /// An instant (seconds since the epoch) in the viewer's zone and
    /// language, in words: "2 décembre 2026 à 15 h 24".
    pub fn when(&self, at: i64) -> String {
        crate::dates::instant(self.zone.local(Timestamp(at)), self.tr.locale)
    }

    /// A number in the viewer's notation: "15,2" in French.
    pub fn decimal(&self, value: f64, decimals: usize) -> String {
        crate::numbers::decimal(value, decimals, self.tr.locale)
    }

    /// A share as a percentage in the viewer's notation: "74 %" in French.
    pub fn percent(&self, share: f64) -> String {
        crate::numbers::percent(share, self.tr.locale)
    }

    /// A day in the viewer's language, in words: "2 décembre 2026".
    pub fn day(&self, date: Date) -> String {
        crate::dates::day(date, self.tr.locale)
    }
}

/// A form page as answered: 422 Unprocessable Entity when it shows the problems of what was
/// sent, so that a client (and a test) sees the refusal as well as the reader.
pub fn form_status(body: Response, failed: bool) -> Response {
    if failed {
        (StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
    } else {
        body
    }
}

pub fn render(template: &impl Template) -> Result<Response, AppError> {
    Ok(Html(template.render()?).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    page: &'a Page,
    title: String,
    message: String,
}

pub fn error_page(state: &AppState, ctx: &RequestContext, tr: Tr, kind: ErrorPage) -> Response {
    let page = Page::with_tr(state, ctx, tr);
    let message_key = format!("{}-message", kind.key());
    let message = match kind {
        ErrorPage::UploadTooLarge => page.tr.t1(&message_key, "max", &crate::csrf::document_limit_mb()),
        _ => page.t(&message_key),
    };
    let template = ErrorTemplate {
        title: page.t(&format!("{}-title", kind.key())),
        message,
        page: &page,
    };
    let body = template.render().unwrap_or_else(|_| "Relais — error".to_owned());
    (kind.status(), Html(body)).into_response()
}

/// An in-app notification: what waits for this user, and where.
pub(crate) struct Attention {
    pub text: String,
    pub href: &'static str,
    pub urgent: bool,
}
