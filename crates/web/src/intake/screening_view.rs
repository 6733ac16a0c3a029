//! A referral's screening as people read it: the catalogues it uses, the questions it is asked
//! (grouped by dimension with their definitions) and its result — the labour rule's verdict, or,
//! for a form no validated rule scores, that the officer decides, with the "yes" answers by
//! dimension. Labels always, never catalogue keys (ADR 0034).

use crate::AppState;
use crate::error::AppError;
use crate::intake::referral_view::label;
use crate::page::Page;
use relais_domain::intake::catalogue::{Catalogue, shipped};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::screen::{self, Group, ReferralScreening};
use relais_domain::intake::screening::{self, DimensionResult, Overall};
use relais_store::intake::catalogues;
use relais_store::intake::referrals::Referral;

/// The catalogues a referral is screened with: the Delphi labour and UNODC checklist versions its
/// draft was started with (the newest checklists for older drafts; none only if an installation
/// has no checklist catalogue).
pub struct Catalogues {
    pub delphi: std::sync::Arc<Catalogue>,
    pub checklists: Option<std::sync::Arc<Catalogue>>,
}

pub(crate) async fn catalogues_of(state: &AppState, referral: &Referral) -> Result<Catalogues, AppError> {
    let (id, version) = match &referral.catalogue {
        Some(found) => found.clone(),
        None => newest(state, shipped::DELPHI_LABOUR)
            .await?
            .ok_or_else(|| AppError::Internal("screening catalogue missing".into()))?,
    };
    let delphi = catalogues::get(&state.store, &id, version).await?;
    let pinned = referral
        .details
        .checklists
        .as_ref()
        .map(|(id, version)| (id.clone(), i64::from(*version)));
    let checklists = match pinned.or(newest(state, shipped::UNODC).await?) {
        Some((id, version)) => Some(catalogues::get(&state.store, &id, version).await?),
        None => None,
    };
    Ok(Catalogues { delphi, checklists })
}

/// The newest version of a catalogue in the database.
pub(crate) async fn newest(state: &AppState, id: &str) -> Result<Option<(String, i64)>, AppError> {
    Ok(catalogues::list(&state.store)
        .await?
        .into_iter()
        .find(|v| v.id == id)
        .map(|v| (v.id, v.version)))
}

/// A dimension or checklist group: its label and some of its questions' labels.
pub struct GroupView {
    pub title: String,
    pub items: Vec<String>,
}

fn group_view(page: &Page, group: &Group) -> GroupView {
    GroupView {
        title: label(page, &group.dimension.labels),
        items: group.entries.iter().map(|e| label(page, &e.labels)).collect(),
    }
}

/// A screening result ready to show, with the notice it always carries.
pub struct ScreeningView {
    pub overall: &'static str,
    pub overall_label: String,
    pub notice: &'static str,
    /// The labour rule's result when it applies beside a form without a rule.
    pub rule_label: Option<String>,
    /// The labour rule's dimensions: (label, result, result key).
    pub dimensions: Vec<(String, String, &'static str)>,
    /// "No validated rule for … : the officer decides", when a declared form has none.
    pub without_rule: Option<String>,
    pub observed: Vec<GroupView>,
    pub deciding: Vec<GroupView>,
    pub catalogue: String,
}

pub(crate) fn result_key(result: DimensionResult) -> &'static str {
    match result {
        DimensionResult::Positive => "positive",
        DimensionResult::NotPositive => "not-positive",
        DimensionResult::Insufficient => "insufficient",
    }
}

pub fn overall_label(page: &Page, overall: Overall) -> String {
    page.t(&overall_message(overall))
}

/// The Fluent id of an overall result (`no_presumption` →
/// `screening-overall-no-presumption`: the ids use hyphens).
pub fn overall_message(overall: Overall) -> String {
    format!("screening-overall-{}", overall.key().replace('_', "-"))
}

pub fn screening_view(page: &Page, catalogues: &Catalogues, screening: &ReferralScreening) -> ScreeningView {
    let overall = screening.overall();
    let rule = screening.rule();
    let without_rule = (!screening.without_rule().is_empty()).then(|| {
        let forms: Vec<String> = screening
            .without_rule()
            .iter()
            .map(|f| page.t(&format!("form-{}", f.key())))
            .collect();
        page.tr.t1("screening-no-rule", "forms", &forms.join(", "))
    });
    // Catalogues by their titles: a professional never reads a catalogue key.
    let titled = |c: &Catalogue| {
        page.tr.tn(
            "referral-screening-catalogue-version",
            &[("title", label(page, c.title())), ("version", c.version().to_string())],
        )
    };
    let mut used = vec![titled(&catalogues.delphi)];
    if let (Some(_), Some(checklists)) = (screening.checklists(), &catalogues.checklists) {
        used.push(titled(checklists));
    }
    ScreeningView {
        overall: overall.key(),
        overall_label: overall_label(page, overall),
        notice: if page.lang() == "en" {
            screening::NOTICE_EN
        } else {
            screening::NOTICE_FR
        },
        rule_label: rule.filter(|_| without_rule.is_some()).map(|r| {
            page.tr
                .t1("screening-labour-rule", "result", &overall_label(page, r.overall()))
        }),
        dimensions: rule
            .map(|r| {
                r.dimensions()
                    .iter()
                    .map(|d| {
                        let title = catalogues
                            .delphi
                            .dimension(d.dimension.as_str())
                            .map(|dim| label(page, &dim.labels))
                            .unwrap_or_default();
                        let key = result_key(d.result);
                        (title, page.t(&format!("screening-dimension-{key}")), key)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        without_rule,
        observed: screening.observed().iter().map(|g| group_view(page, g)).collect(),
        deciding: screening.deciding().iter().map(|g| group_view(page, g)).collect(),
        catalogue: used.join(", "),
    }
}

pub(crate) fn screening_of(page: &Page, catalogues: &Catalogues, details: &ReferralDetails) -> Option<ScreeningView> {
    screen::screen(details, &catalogues.delphi, catalogues.checklists.as_deref())
        .ok()
        .map(|s| screening_view(page, catalogues, &s))
}
